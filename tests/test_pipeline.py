"""The whole flow with a scripted fake model: validation, re-asks, salvage, errors, cache."""

import asyncio

import pytest

from summarizer import Briefing, ModelError, ResultCache, Summarizer, load_article

from .conftest import SAMPLE, SAMPLE_SCRIPT, FakeBackend, completion


def test_a_briefing_is_validated_and_grounded_in_the_article(fake):
    briefing = Summarizer(fake).summarize(SAMPLE)
    article = load_article(SAMPLE)
    assert [a.id for a in briefing.actors][:2] == ["elena-varga", "tomas-brenner"]
    assert briefing.meetings[0].participants == ["elena-varga", "tomas-brenner"]
    assert briefing.meetings[0].date.value == "2025-03-10"
    assert briefing.military_developments[0].killed == 4
    assert briefing.stated_positions[1].quote == "We will defend every inch of our land,"
    for item in [*briefing.actors, *briefing.meetings, *briefing.military_developments, *briefing.stated_positions]:
        assert all(article.text[s.start:s.end] == s.text for s in item.evidence)
    # four passes, each counted in provenance
    assert briefing.provenance.attempts == 4 == len(fake.calls)
    assert briefing.provenance.input_tokens == 400 and briefing.provenance.output_tokens == 80
    Briefing.model_validate(briefing.model_dump(), context={"article_text": article.text})


def test_section_passes_offer_only_known_actor_ids_and_sentence_numbers(fake):
    Summarizer(fake).summarize(SAMPLE)
    schema = fake.calls[1]["response_format"]["json_schema"]["schema"]
    item = schema["$defs"]["MeetingDraft"]
    participant_enum = item["properties"]["participants"]["items"]["enum"]
    assert "elena-varga" in participant_enum and "ghost" not in participant_enum
    assert item["properties"]["evidence"]["items"]["enum"] == list(range(1, len(load_article(SAMPLE).sentences) + 1))


def test_an_invalid_answer_is_reasked_with_the_error():
    script = {k: list(v) for k, v in SAMPLE_SCRIPT.items()}
    script["ActorsDraft"] = ['{"summary": "x", "actors": [{"name": "A", "type": "wizard", "evidence": [1]}]}',
                             *SAMPLE_SCRIPT["ActorsDraft"]]
    backend = FakeBackend(script)
    briefing = Summarizer(backend).summarize(SAMPLE)
    assert briefing.provenance.attempts == 5
    reask = backend.calls[1]["messages"]
    assert reask[-1]["role"] == "user" and "type" in reask[-1]["content"]


def test_a_cut_off_answer_keeps_its_complete_items():
    script = {k: list(v) for k, v in SAMPLE_SCRIPT.items()}
    full = SAMPLE_SCRIPT["MeetingDrafts"][0]
    script["MeetingDrafts"] = [completion(full[: full.index("Geneva")], finish_reason="length")]
    briefing = Summarizer(FakeBackend(script)).summarize(SAMPLE)
    assert briefing.meetings[0].format == "call"  # the complete item survives
    # the cut-off item is not half-used; its sentence ("met ... in Geneva") comes back whole from the article
    assert [m.location for m in briefing.meetings[1:]] == ["Geneva"]
    assert briefing.provenance.truncated is True


def test_giving_up_raises_one_error_naming_the_article():
    script = {"ActorsDraft": ['{"summary": 1}']}
    with pytest.raises(ModelError, match=r"article 'sample_article'.*after 3 attempt\(s\)") as caught:
        Summarizer(FakeBackend(script), max_reasks=2).summarize(SAMPLE)
    assert caught.value.article_id == "sample_article" and caught.value.attempts == 3


def test_transport_failure_after_retries_is_a_model_error():
    script = {"ActorsDraft": [ConnectionError("connection reset by peer")]}
    with pytest.raises(ModelError, match="connection reset by peer"):
        Summarizer(FakeBackend(script)).summarize(SAMPLE)


def test_async_twin_gives_the_same_briefing(fake):
    sync = Summarizer(FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})).summarize(SAMPLE)
    concurrent = FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})
    concurrent.max_concurrency = 4
    result = asyncio.run(Summarizer(concurrent).asummarize(SAMPLE))
    assert result.model_dump(exclude={"provenance"}) == sync.model_dump(exclude={"provenance"})


def test_cache_serves_an_unchanged_rerun_and_misses_on_any_change(tmp_path, fake):
    cache = ResultCache(tmp_path / "c.sqlite3")
    first = Summarizer(fake, cache=cache).summarize(SAMPLE)
    again = Summarizer(fake, cache=cache).summarize(SAMPLE)
    assert len(fake.calls) == 4 and again.provenance.cached and not first.provenance.cached
    assert again.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})
    Summarizer(fake, cache=cache, max_reasks=1).summarize(SAMPLE)  # another setting: another key
    assert len(fake.calls) == 8
    edited = load_article(SAMPLE).model_copy(update={"text": load_article(SAMPLE).text + " More."})
    Summarizer(fake, cache=cache).summarize(edited)
    assert len(fake.calls) == 12
    assert len(cache) == 3 and cache.clear() == 3


def test_a_corrupt_cache_entry_is_dropped_not_served(tmp_path, fake):
    import sqlite3
    cache = ResultCache(tmp_path / "c.sqlite3")
    Summarizer(fake, cache=cache).summarize(SAMPLE)
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE briefings SET briefing = '{\"truncated'")
    briefing = Summarizer(fake, cache=cache).summarize(SAMPLE)
    assert not briefing.provenance.cached and len(fake.calls) == 8


def _single_answer() -> str:
    """The scripted passes as one answer, with actors written the loose ways models write them."""
    import json

    answer = json.loads(SAMPLE_SCRIPT["ActorsDraft"][0])
    for section, name in (("meetings", "MeetingDrafts"), ("military_developments", "DevelopmentDrafts"),
                          ("stated_positions", "PositionDrafts")):
        answer[section] = json.loads(SAMPLE_SCRIPT[name][0])["items"]
    answer["meetings"][0]["participants"] = ["Varga", "tomas_brenner"]
    answer["stated_positions"][0]["holder"] = "Elena Varga"
    answer["stated_positions"][0]["target"] = "nobody-named-so"
    return json.dumps(answer)


def test_the_single_call_mode_resolves_loosely_written_actors():
    fake = FakeBackend({"BriefingDraft": [_single_answer()]})
    briefing = Summarizer(fake, passes="single").summarize(SAMPLE)
    assert len(fake.calls) == 1 and briefing.provenance.passes == 1
    assert briefing.meetings[0].participants == ["elena-varga", "tomas-brenner"]
    assert briefing.stated_positions[0].holder == "elena-varga"
    assert briefing.stated_positions[0].target is None  # an unknown actor is dropped, not guessed
    assert briefing.military_developments[1].actors == ["northern-liberation-front"]


def test_a_batch_api_answer_becomes_the_same_briefing_as_a_direct_call():
    summarizer = Summarizer(FakeBackend({"BriefingDraft": [_single_answer()]}), passes="single")
    direct = summarizer.summarize(SAMPLE)
    request = summarizer.single_pass_request(SAMPLE)
    assert request["response_format"]["json_schema"]["name"] == "BriefingDraft"
    assert load_article(SAMPLE).sentences[0].text in request["messages"][-1]["content"]
    assert request["max_tokens"] > 0 and request["temperature"] == 0
    collected = summarizer.briefing_from_answer(SAMPLE, completion(_single_answer(), prompt_tokens=900))
    strip = {"provenance"}
    assert collected.model_dump(exclude=strip) == direct.model_dump(exclude=strip)
    assert collected.provenance.input_tokens == 900
    with pytest.raises(ModelError, match="cut off by the token limit"):
        summarizer.briefing_from_answer(SAMPLE, completion(_single_answer()[:200], finish_reason="length"))


def test_an_unknown_pass_mode_is_a_configuration_error(fake):
    from summarizer import ConfigurationError

    with pytest.raises(ConfigurationError, match="unknown passes mode 'double'"):
        Summarizer(fake, passes="double")


def test_the_fast_mode_asks_only_for_the_actors_and_reads_the_sections_from_the_article(fake):
    briefing = Summarizer(fake, passes="actors").summarize(SAMPLE)
    assert [c["response_format"]["json_schema"]["name"] for c in fake.calls] == ["ActorsDraft"]
    assert briefing.provenance.passes == 1
    assert briefing.meetings and briefing.military_developments and briefing.stated_positions
    kral = next(p for p in briefing.stated_positions if p.holder == "anton-kral")
    assert kral.quote == "We will defend every inch of our land,"
