"""Articles longer than the model's context: split into overlapping parts, briefed, merged.

The live blog is generated here (Quorvia, Estavia and everyone in it are invented): 64
timestamped entries, a quarter each of shelling reports, statements by the foreign
minister, his meetings with a different visitor each time, and filler. The fake model
answers every pass from the numbered sentences in its prompt, as a perfect model would.
"""

import asyncio
import itertools
import json
import re

import pytest

from summarizer import Briefing, ConfigurationError, ResultCache, Summarizer, load_article
from summarizer.article import Article
from summarizer.chunking import article_token_budget, sentence_tokens, split_article
from summarizer.normalize import slugify
from summarizer.prompting import PromptSet

from .conftest import SAMPLE, FakeBackend

VISITORS = ["Mira Tal", "Jon Ardel", "Sela Vint", "Orin Pask", "Tove Lind", "Kari Osk", "Bram Holt", "Ilka Rein",
            "Dag Morr", "Lene Fusk", "Piet Sand", "Runa Kell", "Egil Varn", "Hedda Lo", "Nils Aro", "Una Brekk"]
ENTRIES = 64


def live_blog() -> str:
    """64 entries; only the first names the minister in full, later ones by surname."""
    paragraphs = ["DESSK, June 5 - Estavian Foreign Minister Arlo Venn is in Dessk as the border crisis goes on."]
    for i in range(ENTRIES):
        time, village = f"{8 + i // 6:02d}:{i % 6 * 10:02d}", f"Village{i // 4 + 1}"
        kind = i % 4
        if kind == 0:
            paragraphs.append(f"{time} Quorvian artillery shelled {village}, killing {i // 4 + 1} people, officials said.")
        elif kind == 1:
            paragraphs.append(f"{time} Venn said Estavia would not withdraw from {village}.")
        elif kind == 2:
            paragraphs.append(f"{time} Venn met {VISITORS[i // 4]} in Dessk to discuss {village}.")
        else:
            paragraphs.append(f"{time} Aid convoys waited at the {village} checkpoint as rain fell.")
    return "\n\n".join(paragraphs)


def _sentences(request):
    """The numbered sentences of the prompt: {number: text}."""
    prompt = request["messages"][-1]["content"]
    return {int(n): text for n, text in re.findall(r"^\[(\d+)\] (.*)$", prompt, re.MULTILINE)}


def _enum(request, item, field):
    schema = request["response_format"]["json_schema"]["schema"]
    prop = schema["$defs"][item]["properties"][field]
    return prop["items"]["enum"] if "items" in prop else prop["enum"]


def _actors(request):
    found = {}
    for number, text in _sentences(request).items():
        names = re.findall(r"Arlo Venn|Venn|Quorvian artillery|" + "|".join(VISITORS), text)
        for name in ("Arlo Venn" if "Arlo Venn" in names else None, *(n for n in names if n != "Arlo Venn")):
            if name and not (name == "Venn" and "Arlo Venn" in found):
                found.setdefault(name, []).append(number)
    kinds = {"Quorvian artillery": "military"}
    actors = [{"name": name, "type": kinds.get(name, "person"), "role": None, "affiliation": None,
               "evidence": numbers[:3]} for name, numbers in found.items()]
    start = re.search(r"\d\d:\d\d", " ".join(_sentences(request).values())).group(0)
    return json.dumps({"summary": f"The entries from {start} report shelling and talks.", "actors": actors})


def _venn(ids):
    return next(i for i in ids if "venn" in i)


def _meetings(request):
    ids = _enum(request, "MeetingDraft", "participants")
    items = [{"evidence": [n], "participants": [_venn(ids), slugify(m.group(1))], "format": "bilateral",
              "event": None, "location": "Dessk", "date": None, "topics": [], "status": "occurred"}
             for n, text in _sentences(request).items() if (m := re.search(r"Venn met (\w+ \w+)", text))]
    return json.dumps({"items": items})


def _developments(request):
    ids = _enum(request, "DevelopmentDraft", "actors")
    items = [{"evidence": [n], "type": "shelling_or_missile_strike", "description": "Artillery shelled a village.",
              "actors": ["quorvian-artillery"] if "quorvian-artillery" in ids else [], "targets": [],
              "location": m.group(1), "date": None, "killed": int(m.group(2)), "injured": None, "status": "reported"}
             for n, text in _sentences(request).items() if (m := re.search(r"shelled (\w+), killing (\d+)", text))]
    return json.dumps({"items": items})


def _positions(request):
    ids = _enum(request, "PositionDraft", "holder")
    items = [{"evidence": [n], "holder": _venn(ids), "kind": "statement", "topic": "withdrawal",
              "position": "Estavia will not withdraw.", "target": None, "quoted": False}
             for n, text in _sentences(request).items() if "Venn said" in text]
    return json.dumps({"items": items})


def blog_backend() -> FakeBackend:
    return FakeBackend({"ActorsDraft": [_actors], "MeetingDrafts": [_meetings],
                        "DevelopmentDrafts": [_developments], "PositionDrafts": [_positions]})


@pytest.fixture
def blog() -> Article:
    return Article(id="blog", title="Border crisis: live", text=live_blog(), published="2025-06-05")


def _calls(backend, name):
    return sum(call["response_format"]["json_schema"]["name"] == name for call in backend.calls)


def _grounded(briefing, article):
    Briefing.model_validate(briefing.model_dump(), context={"article_text": article.text})
    for item in [*briefing.actors, *briefing.meetings, *briefing.military_developments, *briefing.stated_positions]:
        assert item.evidence and all(article.text[s.start:s.end] == s.text for s in item.evidence)


def test_an_article_that_fits_is_one_part(blog):
    article = load_article(SAMPLE)
    assert split_article(article, 4000) == [split_article(article, 4000)[0]]
    assert split_article(article, 4000)[0].article is article
    assert len(split_article(blog, 10_000)) == 1


def test_parts_fit_overlap_and_cover_the_article_at_paragraph_boundaries(blog):
    budget = 300
    parts = split_article(blog, budget)
    assert len(parts) >= 4
    covered = set()
    for part in parts:
        text = part.article.text
        assert blog.text[part.offset:part.offset + len(text)] == text
        assert part.offset == 0 or blog.text[part.offset - 2:part.offset] == "\n\n"  # starts a paragraph
        assert sentence_tokens(part.article.sentences) <= budget
        covered |= {s.start + part.offset for s in part.article.sentences}
        assert part.article.published == blog.published and part.article.title == blog.title
    assert covered == {s.start for s in blog.sentences}
    for before, after in itertools.pairwise(parts):
        shared = blog.text[after.offset:before.offset + len(before.article.text)]
        assert 1 <= shared.count("\n\n") + 1 <= 2  # one or two paragraphs repeated
    assert [p.article.id for p in parts[:2]] == ["blog-part1", "blog-part2"]


def test_a_paragraph_longer_than_the_budget_is_cut_between_sentences():
    sentences = [f"Quorvian artillery shelled village number {i} near the Estavian border overnight." for i in range(30)]
    article = Article(id="wall", text=" ".join(sentences))
    parts = split_article(article, 120)
    assert len(parts) > 3
    assert all(sentence_tokens(p.article.sentences) <= 120 for p in parts)
    assert {s.start + p.offset for p in parts for s in p.article.sentences} == {s.start for s in article.sentences}


def test_the_default_budget_comes_from_the_backend_context():
    prompts = PromptSet()
    assert 3000 < article_token_budget(8192, prompts) < article_token_budget(32768, prompts)
    with pytest.raises(ConfigurationError, match="2048 tokens"):
        article_token_budget(2048, prompts)


def test_a_long_article_is_briefed_in_parts_and_merged_without_duplicates(blog):
    backend = blog_backend()
    briefing = Summarizer(backend, max_article_tokens=300, complete=False).summarize(blog)  # the model's items only
    parts = split_article(blog, 300)
    assert briefing.provenance.parts == len(parts) == _calls(backend, "ActorsDraft") >= 4
    _grounded(briefing, blog)

    names = [a.name for a in briefing.actors]
    assert len(names) == len(set(names)) == len(VISITORS) + 2  # Venn, the artillery and each visitor once
    venn = next(a for a in briefing.actors if a.name == "Arlo Venn")
    assert venn.id == "arlo-venn" and venn.aliases == ["Venn"]  # "Venn" of the later parts merged into him

    per_sentence = {section: [tuple(s.start for s in item.evidence) for item in getattr(briefing, section)]
                    for section in ("meetings", "military_developments", "stated_positions")}
    for section, evidence in per_sentence.items():
        assert len(evidence) == len(set(evidence)) == ENTRIES // 4, section  # each entry once, overlaps included
    assert {m.participants[0] for m in briefing.meetings} == {"arlo-venn"}
    assert {p.holder for p in briefing.stated_positions} == {"arlo-venn"}
    assert {d.actors[0] for d in briefing.military_developments} == {"quorvian-artillery"}
    assert sorted(d.killed for d in briefing.military_developments) == list(range(1, ENTRIES // 4 + 1))

    assert briefing.article.id == "blog" and briefing.article.published.isoformat() == "2025-06-05"
    assert briefing.summary.startswith("The entries from 08:00 ") and briefing.summary.count("The entries") == 4
    assert briefing.provenance.attempts == len(backend.calls)
    assert briefing.provenance.input_tokens == 100 * len(backend.calls)


def test_async_twin_merges_the_same_way(blog):
    sync = Summarizer(blog_backend(), max_article_tokens=300).summarize(blog)
    concurrent = blog_backend()
    concurrent.max_concurrency = 4
    result = asyncio.run(Summarizer(concurrent, max_article_tokens=300).asummarize(blog))
    assert result.model_dump(exclude={"provenance"}) == sync.model_dump(exclude={"provenance"})
    assert result.provenance.parts == sync.provenance.parts


def test_parts_are_cached_so_a_rerun_costs_nothing(tmp_path, blog):
    cache = ResultCache(tmp_path / "c.sqlite3")
    backend = blog_backend()
    first = Summarizer(backend, cache=cache, max_article_tokens=300).summarize(blog)
    calls = len(backend.calls)
    again = Summarizer(backend, cache=cache, max_article_tokens=300).summarize(blog)
    assert len(backend.calls) == calls and again.provenance.cached and not first.provenance.cached
    assert again.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})
