"""The judge mode: the parse proposes, the model keeps or drops each candidate and writes.

Unit tests with a scripted model over the project's own sample article; the real embedded
model runs the same mode in tests/test_embedded.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from summarizer import Summarizer
from summarizer.article import to_article
from summarizer.drafts import KEPT_BY_THE_MODEL, judge_draft_model
from summarizer.judging import candidate_lines, candidates
from summarizer.proposal_briefing import proposed_actors
from summarizer.proposals import propose

from .conftest import SAMPLE, FakeBackend, dumps

SUMMARY = dumps({"summary": "Ruritania pressed Valdoria to withdraw; fighting went on."})

VERDICTS = ("MeetingsVerdict", "MilitaryDevelopmentsVerdict", "StatedPositionsVerdict")


def _asked(request: dict[str, Any]) -> str:
    """The candidate a judge request asks about (c1, c2, ...): the task's last line names it."""
    task = request["messages"][-1]["content"]
    return task.rstrip().rsplit("Judge candidate ", 1)[1].rstrip(".")


def _verdicts(decide: Any) -> Any:
    """A scripted judge answer: ``decide(section, candidate line)`` gives the verdict."""

    def answer(request: dict[str, Any]) -> str:
        task = request["messages"][-1]["content"]
        section = task.split('Pass "judge ', 1)[1].split('"', 1)[0]
        lines = {
            line.split(".", 1)[0]: line for line in task.splitlines() if line[:1] == "c" and "." in line
        }
        return json.dumps(decide(section, lines[_asked(request)]))

    return answer


def _judge(section: str, line: str) -> dict[str, Any]:
    """Keep the call, drop the meeting with the envoy (a keep the pipeline reads only for the
    sections in drafts.KEPT_BY_THE_MODEL); write the fields of the other sections' candidates."""
    if section == "meetings":
        return {"keep": "okafor" not in line, "format": "call" if "call" in line else "bilateral",
                "status": "occurred"}
    if section == "military_developments":
        return {"status": "claimed" if "captur" in line else "reported",
                "description": "Written by the model."}
    return {"kind": "demand" if "demand" in line else "statement", "topic": "the model's topic",
            "position": "The model's position"}


def _fake() -> FakeBackend:
    script: dict[str, list[Any]] = {"SummaryDraft": [SUMMARY]}
    for name in VERDICTS:
        script[name] = [_verdicts(_judge)]
    return FakeBackend(script)


def _candidate_count(section: str) -> int:
    return len(candidates(section, propose(to_article(SAMPLE))))


def test_the_judge_mode_asks_for_the_summary_and_one_verdict_call_per_candidate():
    fake = _fake()
    briefing = Summarizer(fake, passes="judge").summarize(SAMPLE)
    names = [c["response_format"]["json_schema"]["name"] for c in fake.calls]
    counts = [_candidate_count(s) for s in ("meetings", "military_developments", "stated_positions")]
    assert all(counts)
    assert names == ["SummaryDraft"] + [v for v, n in zip(VERDICTS, counts, strict=True) for _ in range(n)]
    assert [_asked(c) for c in fake.calls[1 : 1 + counts[0]]] == [f"c{n}" for n in range(1, counts[0] + 1)]
    assert briefing.provenance.passes == 1 + sum(counts)
    # the kept candidates carry the model's fields and words, the parse's evidence and actors
    # the development types are the parse's (the verdict has none), the status the model's
    assert {d.type for d in briefing.military_developments} >= {"territorial_change", "shelling_or_missile_strike"}
    assert "type" not in judge_draft_model("military_developments").model_fields
    development = next(d for d in briefing.military_developments if d.type == "territorial_change")
    assert development.status == "claimed"
    assert development.description == "Written by the model."
    assert development.actors == ["northern-liberation-front"]
    assert [s.text for s in development.evidence][0].startswith("The Northern Liberation Front")
    demand = next(p for p in briefing.stated_positions if p.kind == "demand")
    assert (demand.holder, demand.topic, demand.position) == ("elena-varga", "the model's topic", "The model's position.")
    # every meeting candidate stands with the format the model chose: the phone call, read
    # from "held a phone call with her counterpart, <name>", and the meeting with the envoy
    assert [m.format for m in briefing.meetings] == ["call", "bilateral"]
    assert set(briefing.meetings[0].participants) == {"elena-varga", "tomas-brenner"}
    # every development and position candidate stands, in the model's words
    assert len(briefing.stated_positions) == _candidate_count("stated_positions")
    assert {p.position for p in briefing.stated_positions} == {"The model's position."}


def test_a_judge_call_shares_the_system_text_and_the_article_with_the_summary_call():
    fake = _fake()
    Summarizer(fake, passes="judge").summarize(SAMPLE)
    summary_call, *judge_calls = fake.calls
    article_block = summary_call["messages"][-1]["content"].split("\n\n")[0]
    for call in judge_calls:
        assert call["messages"][0] == summary_call["messages"][0]
        assert call["messages"][-1]["content"].startswith(article_block + "\n\n")
        # every candidate line names its sentence, and the call asks about one of them
        lines = [line for line in call["messages"][-1]["content"].splitlines() if line[:1] == "c" and ". sentence [" in line]
        assert _asked(call) in [line.split(".", 1)[0] for line in lines]
    # the calls of one section differ only in the candidate asked about
    tasks = [c["messages"][-1]["content"] for c in judge_calls if c["response_format"]["json_schema"]["name"] == VERDICTS[2]]
    assert len(tasks) > 1 and len({t.rsplit("\n", 1)[0] for t in tasks}) == 1


def test_a_candidate_whose_verdict_is_drop_leaves_nothing_behind(monkeypatch):
    # no section is kept or dropped by the model today (drafts.KEPT_BY_THE_MODEL): the switch,
    # turned on for meetings as rows 25-28 had it
    from summarizer import drafts, prompting

    for module in (drafts, prompting):
        monkeypatch.setattr(module, "KEPT_BY_THE_MODEL", frozenset({"meetings"}))
    monkeypatch.setattr(drafts, "judge_draft_model", drafts.judge_draft_model.__wrapped__)

    def drop_all(section: str, line: str) -> dict[str, Any]:
        return {**_judge(section, line), "keep": False}

    script: dict[str, list[Any]] = {"SummaryDraft": [SUMMARY]}
    script |= {"MeetingsVerdict": [_verdicts(drop_all)], "StatedPositionsVerdict": [_verdicts(_judge)],
               "MilitaryDevelopmentsVerdict": [_verdicts(_judge)]}
    fake = FakeBackend(script)
    briefing = Summarizer(fake, passes="judge").summarize(SAMPLE)
    meetings_call = next(c for c in fake.calls if c["response_format"]["json_schema"]["name"] == VERDICTS[0])
    assert "keep" in meetings_call["response_format"]["json_schema"]["schema"]["properties"]
    assert "keep is true when the actors named met" in meetings_call["messages"][0]["content"]
    assert briefing.meetings == []
    assert briefing.military_developments and briefing.stated_positions  # these all stand


def test_only_the_sections_the_model_judges_ask_it_to_keep_or_drop():
    fake = _fake()
    Summarizer(fake, passes="judge").summarize(SAMPLE)
    asked = {c["response_format"]["json_schema"]["name"]: c for c in fake.calls[1:]}
    for name, section in zip(VERDICTS, ("meetings", "military_developments", "stated_positions"), strict=True):
        schema = asked[name]["response_format"]["json_schema"]["schema"]
        assert ("keep" in schema["properties"]) == (section in KEPT_BY_THE_MODEL)
        system = asked[name]["messages"][0]["content"]  # the judge's instructions are there
        instructions = system.split(f"- judge {section}:")[1].split("\n- ")[0]
        assert ("keep is true" in instructions) == (section in KEPT_BY_THE_MODEL)


def test_the_actors_are_the_parse_s_and_the_items_refer_to_them():
    article = to_article(SAMPLE)
    proposals = propose(article)
    briefing = Summarizer(_fake(), passes="judge").summarize(SAMPLE)
    assert briefing.summary == "Ruritania pressed Valdoria to withdraw; fighting went on."
    assert briefing.actors == proposed_actors(article, proposals)
    names = {a.id: a.name for a in briefing.actors}
    assert names["elena-varga"] == "Elena Varga"  # the full name, though the article goes on with "Varga"
    assert not any("Ostrov" in name for name in names.values())  # a village is a place
    for item in (*briefing.meetings, *briefing.military_developments, *briefing.stated_positions):
        assert {*getattr(item, "participants", ()), *getattr(item, "actors", ()), getattr(item, "holder", "")} - {""} <= set(names)
    ids = {p.key: a.id for p, a in zip(proposals.actors, briefing.actors, strict=True)}
    lines = candidate_lines("stated_positions", candidates("stated_positions", proposals), ids)
    assert "c1. sentence [2] elena-varga demand (proposed: demand)" in lines.splitlines()


def test_the_async_judge_mode_gives_the_same_briefing():
    sync = Summarizer(_fake(), passes="judge").summarize(SAMPLE)
    concurrent = asyncio.run(Summarizer(_fake(), passes="judge").asummarize(SAMPLE))
    strip = {"provenance"}
    assert sync.model_dump(exclude=strip) == concurrent.model_dump(exclude=strip)


def test_an_invalid_verdict_is_asked_again_on_its_own():
    fake = _fake()
    first = dumps({"format": "call"})  # the status left out
    fake.script["MeetingsVerdict"] = [first, _verdicts(_judge)]
    briefing = Summarizer(fake, passes="judge").summarize(SAMPLE)
    names = [c["response_format"]["json_schema"]["name"] for c in fake.calls]
    assert names.count("MeetingsVerdict") == _candidate_count("meetings") + 1
    assert briefing.provenance.attempts == len(names)  # the invalid answer counts as an attempt
    clean = Summarizer(_fake(), passes="judge").summarize(SAMPLE)
    assert briefing.meetings == clean.meetings and [m.format for m in clean.meetings] == ["call", "bilateral"]


def test_the_copy_guard_refuses_the_eighth_source_word_in_a_row():
    from summarizer.decoding import CopyGuard

    source = "[3] Norland's army shelled the border town of Brisa on Sunday, killing four civilians."
    guard = CopyGuard(source)
    assert guard.refused("Norland's army shelled the border") == set()  # six words: free
    # seven source words in a row: a token starting the source's next word is refused
    assert guard.refused("Norland's army shelled the border town of") == {"brisa"}
    assert guard.refused("NORLAND'S ARMY shelled the border town, of") == {"brisa"}  # folded as the text bar does
    assert guard.refused("The army hit the border town of") == set()


class _Pieces:
    """Stands in for a llama_cpp.Llama: a vocabulary of the given token texts."""

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces

    def n_vocab(self) -> int:
        return len(self.pieces)

    def detokenize(self, tokens: list[int]) -> bytes:
        return "".join(self.pieces[t] for t in tokens).encode()

    def token_eos(self) -> int:
        return 0

    def token_bos(self) -> int:
        return 0


def test_the_copy_guard_bans_the_next_word_however_it_is_separated():
    """Words split at any character but a letter or digit, as the text bars split them: the
    next copied word is refused after a space, after punctuation inside the token, and right
    after punctuation the text so far ends with (as in "Border.Talks", a glue the model used)."""
    from summarizer.decoding import Vocabulary

    pieces = ["<eos>", " brisa", ".Brisa", "Brisa", "-bri", " bridge", " town", "Bris"]
    vocabulary = Vocabulary(_Pieces(pieces))

    def banned(after_separator: bool) -> set[str]:
        mask = vocabulary.starting_words({"brisa"}, after_separator=after_separator)
        return {pieces[i] for i, b in enumerate(mask) if b}

    assert banned(after_separator=False) == {" brisa", ".Brisa", "-bri"}  # a separator of their own
    assert banned(after_separator=True) == {" brisa", ".Brisa", "Brisa", "-bri", "Bris"}


def test_a_long_article_s_candidates_are_all_judged_up_to_the_caps():
    """An article of many statements: every position candidate the parse proposes, 24 here
    (more than the 20 the model was once asked about), goes to the model, in article order."""
    speakers = ["Elena Varga", "Tomas Brenner", "Anton Kral", "Sam Okafor"]
    text = " ".join(
        f"{speakers[n % 4]} said on Monday that talks on sector {n} must resume." for n in range(24)
    )
    proposals = propose(to_article(text))
    found = candidates("stated_positions", proposals)
    assert len(proposals.positions) == 24
    assert found == sorted(proposals.positions, key=lambda p: p.sentence)
