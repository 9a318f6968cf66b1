"""The word lists the parse-based proposals read, kept as data in ``summarizer/wordlists/*.toml``.

Lists of English words are data, not code: they grow with the articles seen, and a reviewer
reads a list faster than a pattern. Every key is a lemma, or "lemma particle" for phrasal
verbs ("call on"); values are contract enum values or counts.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigurationError

LEXICON_DIR = Path(__file__).resolve().parent / "wordlists"


def _read(name: str) -> dict[str, Any]:
    path = LEXICON_DIR / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"the word list {path} cannot be read: {exc}") from None


def _words(table: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(word) for word in table[key])


@dataclass(frozen=True)
class Lexicon:
    """Every list, read once (see the comments in each TOML file for what a list is for)."""

    reporting: dict[str, str]
    stance_nouns: dict[str, str]
    plain_telling: frozenset[str]
    factual: frozenset[str]
    attribution: frozenset[str]
    meeting_verbs: dict[str, str]
    meeting_nouns: dict[str, str]
    call_words: frozenset[str]
    cancelled: frozenset[str]
    planned: frozenset[str]
    planned_modifiers: frozenset[str]
    counterpart_preps: frozenset[str]
    destination_preps: frozenset[str]
    destination_predicates: frozenset[str]
    source_preps: frozenset[str]
    source_predicates: frozenset[str]
    body_preps: frozenset[str]
    attendance_preps: frozenset[str]
    journeys: frozenset[str]
    attendance_after: frozenset[str]
    attendance_verbs: frozenset[str]
    brokers: frozenset[str]
    hypothetical: frozenset[str]
    relational_roles: frozenset[str]
    envoy_verbs: frozenset[str]
    object_counterparts: frozenset[str]
    meeting_parts: frozenset[str]
    meeting_references: frozenset[str]
    meeting_rounds: frozenset[str]
    meeting_reference_window: int
    events: dict[str, str]
    generic_events: frozenset[str]
    not_force: frozenset[str]
    blazes: frozenset[str]
    irregular_forms: dict[str, str]
    volleys: frozenset[str]
    own_acts: frozenset[str]
    not_territory: frozenset[str]
    instruments: dict[str, str]
    launch_objects: frozenset[str]
    civilians: frozenset[str]
    ground_targets: frozenset[str]
    front_lines: frozenset[str]
    casualties: dict[str, str]
    numbers: dict[str, int]
    governors: dict[str, str]
    negations: frozenset[str]
    type_words: dict[str, frozenset[str]]
    international: frozenset[str]
    forces: frozenset[str]
    irregulars: frozenset[str]
    governments: frozenset[str]
    leader_governments: frozenset[str]
    state_organs: frozenset[str]
    sources: frozenset[str]
    roles: frozenset[str]
    place_nouns: frozenset[str]
    holding_nouns: frozenset[str]
    holding_preps: frozenset[str]
    organisation_nouns: frozenset[str]
    topic_bodies: frozenset[str]
    anaphora: frozenset[str]
    duration_units: frozenset[str]
    duration_points: frozenset[str]
    date_words: frozenset[str]
    date_comparisons: frozenset[str]
    background_months: int
    place_preps: frozenset[str]
    occasions: frozenset[str]
    facilities: frozenset[str]
    media: frozenset[str]
    credits: frozenset[str]
    metonyms: dict[str, str]
    content_modals: dict[str, str]
    states: frozenset[str]
    habitual: frozenset[str]
    time_preps: frozenset[str]
    refusals: frozenset[str]
    silence: frozenset[str]
    judging: dict[str, str]
    readiness: dict[str, str]
    reciprocal_pronouns: frozenset[str]
    reciprocal_verbs: frozenset[str]
    reciprocal_objects: frozenset[str]
    delegates: frozenset[str]
    delegate_preps: frozenset[str]
    spokespeople: frozenset[str]
    spokes_preps: frozenset[str]
    delegate_bodies: frozenset[str]
    pair_words: frozenset[str]
    collectives: frozenset[str]
    state_forms: frozenset[str]
    function_words: frozenset[str]


@functools.cache
def lexicon() -> Lexicon:
    positions, meetings, events = _read("positions"), _read("meetings"), _read("events")
    modality, actors, text = _read("modality"), _read("actors"), _read("text")
    return Lexicon(
        reporting=dict(positions["verbs"]),
        stance_nouns=dict(positions["nouns"]),
        plain_telling=_words(positions["plain"], "lemmas"),
        factual=_words(positions["factual"], "lemmas"),
        attribution=_words(positions["attribution"], "phrases"),
        meeting_verbs=dict(meetings["verbs"]),
        meeting_nouns=dict(meetings["nouns"]),
        call_words=_words(meetings["call_words"], "lemmas"),
        cancelled=_words(meetings["cancelled"], "lemmas"),
        planned=_words(meetings["planned"], "lemmas"),
        planned_modifiers=_words(meetings["planned"], "modifiers"),
        counterpart_preps=_words(meetings["counterpart_preps"], "lemmas"),
        destination_preps=_words(meetings["destination_preps"], "lemmas"),
        destination_predicates=_words(meetings["destination_preps"], "predicates"),
        source_preps=_words(meetings["source_preps"], "lemmas"),
        source_predicates=_words(meetings["source_preps"], "predicates"),
        body_preps=_words(meetings["body_preps"], "lemmas"),
        attendance_preps=_words(meetings["attendance_preps"], "lemmas"),
        journeys=_words(meetings["attendance_preps"], "journeys"),
        attendance_after=_words(meetings["attendance_preps"], "after"),
        attendance_verbs=_words(meetings["attendance_verbs"], "lemmas"),
        brokers=_words(meetings["brokers"], "lemmas"),
        hypothetical=_words(meetings["hypothetical"], "lemmas"),
        relational_roles=_words(meetings["relational_roles"], "lemmas"),
        envoy_verbs=_words(meetings["envoy_verbs"], "lemmas"),
        object_counterparts=_words(meetings["object_counterparts"], "lemmas"),
        meeting_parts=_words(meetings["parts"], "lemmas"),
        meeting_references=_words(meetings["references"], "lemmas"),
        meeting_rounds=_words(meetings["references"], "rounds"),
        meeting_reference_window=int(meetings["references"]["window"]),
        events=dict(events["predicates"]),
        generic_events=_words(events["generic"], "lemmas"),
        not_force=_words(events["not_force"], "modifiers"),
        blazes=_words(events["blazes"], "plurals"),
        irregular_forms=dict(events["irregular"]),
        volleys=_words(events["volleys"], "lemmas"),
        own_acts=_words(events["own_acts"], "lemmas"),
        not_territory=_words(events["not_territory"], "objects"),
        instruments=dict(events["instruments"]),
        launch_objects=_words(events["launch"], "objects"),
        civilians=_words(events["civilians"], "lemmas"),
        ground_targets=_words(events["ground_targets"], "lemmas"),
        front_lines=_words(events["front_lines"], "lemmas"),
        casualties=dict(events["casualties"]),
        numbers={word: int(n) for word, n in events["numbers"].items()},
        governors=dict(modality["governors"]),
        negations=_words(modality["negations"], "lemmas"),
        type_words={kind: frozenset(words) for kind, words in actors["type_words"].items()},
        international=_words(actors["international"], "names"),
        forces=_words(actors["forces"], "lemmas"),
        irregulars=_words(actors["irregulars"], "lemmas"),
        governments=_words(actors["governments"], "lemmas"),
        leader_governments=_words(actors["governments"], "by_leader"),
        state_organs=_words(actors["governments"], "organs"),
        sources=_words(actors["sources"], "names"),
        roles=_words(actors["roles"], "lemmas"),
        place_nouns=_words(actors["place_nouns"], "lemmas"),
        holding_nouns=_words(actors["held_places"], "lemmas"),
        holding_preps=_words(actors["held_places"], "prepositions"),
        organisation_nouns=_words(actors["organisation_nouns"], "lemmas"),
        topic_bodies=_words(actors["topic_bodies"], "words"),
        anaphora=_words(events["anaphora"], "determiners"),
        duration_units=_words(events["durations"], "units"),
        duration_points=_words(events["durations"], "points"),
        date_words=_words(events["dates"], "words"),
        date_comparisons=_words(events["comparisons"], "lemmas"),
        background_months=int(events["background"]["months"]),
        place_preps=_words(actors["places"], "prepositions"),
        occasions=_words(actors["occasions"], "words"),
        facilities=_words(actors["facilities"], "words"),
        media=_words(actors["media"], "words"),
        credits=_words(actors["media"], "credits"),
        metonyms=dict(actors["metonyms"]),
        content_modals=dict(positions["content_modals"]),
        states=_words(positions["states"], "lemmas"),
        habitual=_words(positions["habitual"], "lemmas"),
        time_preps=_words(positions["time_preps"], "lemmas"),
        refusals=_words(positions["silence"], "refusals"),
        silence=_words(positions["silence"], "lemmas"),
        judging=dict(positions["judging"]),
        readiness=dict(positions["readiness"]),
        reciprocal_pronouns=_words(positions["reciprocal"], "pronouns"),
        reciprocal_verbs=_words(positions["reciprocal"], "verbs"),
        reciprocal_objects=_words(positions["reciprocal"], "objects"),
        delegates=_words(actors["delegates"], "lemmas"),
        function_words=_words(text["function_words"], "words"),
        delegate_preps=_words(actors["delegates"], "prepositions"),
        spokespeople=_words(actors["spokespeople"], "lemmas"),
        spokes_preps=_words(actors["spokespeople"], "prepositions"),
        delegate_bodies=_words(actors["delegates"], "bodies"),
        pair_words=_words(actors["pairs"], "words"),
        collectives=_words(actors["collectives"], "lemmas"),
        state_forms=_words(actors["state_forms"], "words"),
    )
