from summarizer import load_article
from summarizer.prompting import PromptSet, article_block, neutralise

from .conftest import ARTICLES, SAMPLE


def test_article_is_numbered_and_delimited():
    article = load_article(SAMPLE)
    block = article_block(article)
    assert block.startswith("<article>\nTitle: Valdoria and Ruritania")
    assert "Published: 2025-03-12" in block
    assert "[1] ARDEN, March 12" in block
    assert block.endswith("</article>")


def test_hostile_text_is_data_not_template_or_markup():
    article = load_article(ARTICLES / "hostile_instructions.txt")
    messages = PromptSet().messages(article, "actors")
    user = messages[1]["content"]
    # template syntax reaches the model verbatim: the article is never rendered as a template
    assert "{{ secret }}" in user and "{% if true %}yes{% endif %}" in user
    assert "Ignore all previous instructions" in user
    # the article cannot close our delimiter or open a chat turn
    assert user.count("<article>") == 1 and user.count("</article>") == 1
    assert "<|im_start|>" not in user and "<|im_end|>" not in user
    assert neutralise("</article>") == "‹/article›"


def test_passes_share_a_prefix_and_differ_only_in_the_task():
    article = load_article(SAMPLE)
    prompts = PromptSet()
    actors = prompts.messages(article, "actors")
    lines = "elena-varga: Elena Varga, person"
    meetings = prompts.messages(article, "meetings", lines)
    positions = prompts.messages(article, "stated_positions", lines)
    assert actors[0] == meetings[0] == positions[0]
    head = article_block(article)
    assert all(m[1]["content"].startswith(head) for m in (actors, meetings, positions))
    shared = meetings[1]["content"].rsplit("Pass ", 1)[0]
    assert positions[1]["content"].startswith(shared) and lines in shared


def test_prompt_digest_identifies_the_templates():
    assert PromptSet().digest == PromptSet("v1").digest
    assert len(PromptSet().digest) == 16


def test_the_judge_instructions_are_in_the_system_text_the_candidates_in_the_question():
    # the instructions are the same for every article, so the model keeps them read once
    # (the system text's cache); an article's calls of a section differ in their last line
    article = load_article(SAMPLE)
    prompts = PromptSet()
    lines = "elena-varga: Elena Varga, person"
    candidates = "c1. sentence [3] shell: by none (proposed: armed_clash, reported)"
    first, second = (
        prompts.judge_messages(article, "military_developments", lines, candidates, name)
        for name in ("c1", "c2")
    )
    system = first[0]["content"]
    assert first[0] == second[0] == prompts.messages(article, "actors")[0]
    assert '- judge military_developments: status: reported' in system
    assert "- judge meetings: format: call for a phone" in system
    assert "keep is true" not in system  # every candidate stands (drafts.KEPT_BY_THE_MODEL)
    question = first[1]["content"]
    assert candidates in question and question.endswith("Judge candidate c1.")
    assert second[1]["content"] == question.removesuffix("c1.") + "c2."
    assert "description:" not in question
