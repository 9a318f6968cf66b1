"""Scoring (contract § Scoring) on briefings built here from a short invented article."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.contract import Briefing, Span
from summarizer.scoring import (
    SECTIONS,
    EvalScore,
    MatchingConfig,
    evidence_overlap,
    name_key,
    score_article,
    score_set,
    text_quality,
)

SENTENCES = [
    "Norland's Foreign Minister Elena Varga met her Sorvian counterpart Piet Adler in Kestrel on Monday.",
    "Varga also spoke by phone with Marek Dunn, Secretary-General of the Concord Alliance.",
    "Norland's army shelled the border town of Brisa, killing four civilians.",
    "Sorvian drones struck a fuel depot near Ulm on Tuesday.",
    "Adler condemned the shelling of Brisa and called it a war crime.",
    "Dunn urged both sides to return to talks.",
]
TEXT = " ".join(SENTENCES)


def span(sentence: int) -> dict[str, int]:
    """Offsets only, as in gold files; validation fills in the text."""
    start = TEXT.index(SENTENCES[sentence])
    return {"start": start, "end": start + len(SENTENCES[sentence])}


def actor(id: str, name: str, type: str, sentence: int = 0, **fields: Any) -> dict[str, Any]:
    return {"id": id, "name": name, "type": type, "evidence": [span(sentence)], **fields}


def meeting(participants: list[str], format: str, sentence: int, **fields: Any) -> dict[str, Any]:
    return {"participants": participants, "format": format, "status": "occurred", "evidence": [span(sentence)], **fields}


def development(type: str, actors: list[str], location: str, sentence: int, **fields: Any) -> dict[str, Any]:
    return {
        "type": type,
        "description": "A development.",
        "actors": actors,
        "location": location,
        "status": "reported",
        "evidence": [span(sentence)],
        **fields,
    }


def position(holder: str, kind: str, topic: str, text: str, sentence: int, **fields: Any) -> dict[str, Any]:
    return {"holder": holder, "kind": kind, "topic": topic, "position": text, "evidence": [span(sentence)], **fields}


ACTORS = [
    actor("elena-varga", "Elena Varga", "person", 0, role="Foreign Minister", affiliation="Norland", aliases=["Varga"]),
    actor("piet-adler", "Piet Adler", "person", 0, role="Foreign Minister", affiliation="Sorvia", aliases=["Adler"]),
    actor("marek-dunn", "Marek Dunn", "person", 1, role="Secretary-General", affiliation="Concord Alliance", aliases=["Dunn"]),
    actor("norland-army", "Norland's army", "military", 2, affiliation="Norland"),
    actor("sorvian-forces", "Sorvian forces", "military", 3, affiliation="Sorvia", aliases=["Sorvian drones"]),
]
MONDAY = {"value": "2031-03-03", "text": "on Monday"}
TUESDAY = {"value": "2031-03-04", "text": "on Tuesday"}
MEETINGS = [
    meeting(["elena-varga", "piet-adler"], "bilateral", 0, location="Kestrel", date=MONDAY),
    meeting(["elena-varga", "marek-dunn"], "call", 1),
]
DEVELOPMENTS = [
    development("shelling_or_missile_strike", ["norland-army"], "Brisa", 2, killed=4),
    development("air_or_drone_strike", ["sorvian-forces"], "Ulm", 3, date=TUESDAY),
]
POSITIONS = [
    position("piet-adler", "condemnation", "shelling of Brisa", "The shelling of Brisa is a war crime.", 4, target="norland-army"),
    position("marek-dunn", "demand", "return to talks", "Both sides should return to talks.", 5),
]


def briefing(
    actors: list[dict[str, Any]] = ACTORS,
    meetings: list[dict[str, Any]] = MEETINGS,
    developments: list[dict[str, Any]] = DEVELOPMENTS,
    positions: list[dict[str, Any]] = POSITIONS,
    article_id: str = "norland",
) -> Briefing:
    data = {
        "article": {"id": article_id},
        "summary": "Norland and Sorvia traded strikes while their ministers met.",
        "actors": actors,
        "meetings": meetings,
        "military_developments": developments,
        "stated_positions": positions,
    }
    return Briefing.model_validate(data, context={"article_text": TEXT})


def test_gold_against_itself_scores_one_everywhere() -> None:
    gold = briefing()
    score = score_article(gold, gold)
    assert score.briefing_f1 == 1.0
    assert score.actor_map == {a["id"]: a["id"] for a in ACTORS}
    for name in SECTIONS:
        section = getattr(score, name)
        assert (section.precision, section.recall, section.f1) == (1.0, 1.0, 1.0)
        assert [(m.gold, m.predicted) for m in section.matches] == [(i, i) for i in range(section.tp)]
        assert section.missed == section.extra == []
        assert all(m.similarity == 1.0 and m.wrong_fields == [] for m in section.matches)
        assert set(section.field_accuracy.values()) == {1.0}
        assert section.evidence_overlap == 1.0


def test_plausible_wrong_briefing_scores_well_below_one() -> None:
    predicted = briefing(
        meetings=[  # each meeting has the wrong participants
            meeting(["piet-adler", "marek-dunn"], "bilateral", 0, location="Kestrel", date=MONDAY),
            meeting(["piet-adler", "marek-dunn"], "call", 1),
        ],
        developments=[  # the right actors and places, the wrong sentences and types
            development("armed_clash", ["norland-army"], "Brisa", 4, killed=4),
            development("shelling_or_missile_strike", ["sorvian-forces"], "Ulm", 5, date=TUESDAY),
        ],
        positions=[  # the right sentences and words, the wrong holders
            position("elena-varga", "condemnation", "shelling of Brisa", "The shelling of Brisa is a war crime.", 4),
            position("piet-adler", "demand", "return to talks", "Both sides should return to talks.", 5),
        ],
    )
    score = score_article(predicted, briefing())
    assert score.actors.f1 == 1.0
    for name in ("meetings", "military_developments", "stated_positions"):
        section = getattr(score, name)
        assert (section.tp, section.fp, section.fn, section.f1) == (0, 2, 2, 0.0)
        assert section.missed == section.extra == [0, 1]
        assert section.field_accuracy == dict.fromkeys(section.field_accuracy)  # all None: no pairs
    assert score.briefing_f1 == pytest.approx(0.25)


def test_matched_pair_reports_wrong_fields() -> None:
    wrong_details = development("shelling_or_missile_strike", ["norland-army"], "Brisa", 2, killed=5, status="claimed")
    score = score_article(briefing(developments=[wrong_details]), briefing())
    developments = score.military_developments
    assert [(m.gold, m.predicted) for m in developments.matches] == [(0, 0)]
    assert developments.matches[0].wrong_fields == ["status", "killed"]
    assert developments.field_accuracy == {"type": 1.0, "status": 0.0, "date": 1.0, "killed": 0.0, "injured": 1.0}
    assert (developments.tp, developments.fp, developments.fn) == (1, 0, 1)
    assert developments.missed == [1]


@pytest.mark.parametrize(
    ("gold_actor", "predicted_actor"),
    [
        pytest.param(
            actor("elena-varga", "Elena Varga", "person"),
            actor("elena-vargas-lopez", "Elena Vargas-Lopez", "government_body"),
            id="similar name, other type",
        ),
        pytest.param(actor("elena-varga", "Elena Varga", "person"), actor("elena-vargas-lopez", "Elena Vargas-Lopez", "person"), id="similar name"),
        pytest.param(actor("norland", "Norland", "country"), actor("sorvia", "Sorvia", "country"), id="another country"),
    ],
)
def test_similar_actors_do_not_match(gold_actor: dict[str, Any], predicted_actor: dict[str, Any]) -> None:
    empty: list[dict[str, Any]] = []
    gold = briefing(actors=[gold_actor], meetings=empty, developments=empty, positions=empty)
    predicted = briefing(actors=[predicted_actor], meetings=empty, developments=empty, positions=empty)
    score = score_article(predicted, gold)
    assert (score.actors.tp, score.actors.fp, score.actors.fn) == (0, 1, 1)
    assert score.actor_map == {}


@pytest.mark.parametrize(
    ("gold_actor", "predicted_actor"),
    [
        pytest.param(actor("turkiye", "Türkiye", "country"), actor("turkey", "Turkey", "country"), id="country variant"),
        pytest.param(actor("usa", "U.S.", "country"), actor("united-states", "United States", "country"), id="abbreviation"),
        pytest.param(actor("elena-varga", "Elena Varga", "person", aliases=["Varga"]), actor("varga", "Varga", "person"), id="surname alias"),
        pytest.param(actor("elena-varga", "Elena Varga", "person"), actor("varga", "Varga", "person", aliases=["Elena Varga"]), id="name as alias"),
        pytest.param(actor("norland", "Norland", "country"), actor("norland", "NORLAND", "government_body"), id="same name, other type"),
    ],
)
def test_variant_names_match(gold_actor: dict[str, Any], predicted_actor: dict[str, Any]) -> None:
    empty: list[dict[str, Any]] = []
    gold = briefing(actors=[gold_actor], meetings=empty, developments=empty, positions=empty)
    predicted = briefing(actors=[predicted_actor], meetings=empty, developments=empty, positions=empty)
    score = score_article(predicted, gold)
    assert score.actors.tp == 1
    assert score.actor_map == {predicted_actor["id"]: gold_actor["id"]}


@pytest.mark.parametrize(
    ("a", "b"),
    [("Türkiye", "Turkey"), ("U.S.", "United States of America"), ("USA", "US"), ("Britain", "the UK"), ("the Houthis", "Houthis")],
)
def test_name_key_unifies_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_development_of_same_type_elsewhere_does_not_match() -> None:
    gold = briefing(developments=DEVELOPMENTS[:1])
    elsewhere = development("shelling_or_missile_strike", ["norland-army"], "Ulm", 3, killed=4)
    score = score_article(briefing(developments=[elsewhere]), gold)
    assert score.military_developments.tp == 0


def test_position_by_another_holder_on_same_sentence_does_not_match() -> None:
    gold = briefing(positions=POSITIONS[:1])
    other_holder = {**POSITIONS[0], "holder": "elena-varga"}
    score = score_article(briefing(positions=[other_holder]), gold)
    assert score.stated_positions.tp == 0


def test_bilaterals_sharing_one_party_in_one_sentence_do_not_match() -> None:
    with_dunn = meeting(["elena-varga", "marek-dunn"], "bilateral", 0, location="Kestrel", date=MONDAY)
    score = score_article(briefing(meetings=[with_dunn]), briefing(meetings=MEETINGS[:1]))
    assert score.meetings.tp == 0


def test_participants_are_compared_through_the_actor_map() -> None:
    """Predicted ids count only through the actor matching, never by equal strings."""
    wrong_person = [ACTORS[0], actor("piet-adler", "Olaf Brenner", "person"), *ACTORS[2:]]
    score = score_article(briefing(actors=wrong_person), briefing())
    assert "piet-adler" not in score.actor_map
    assert score.meetings.missed == [0] and score.meetings.extra == [0]
    assert score.stated_positions.missed == [0]

    renamed_id = [ACTORS[0], {**ACTORS[1], "id": "adler"}, *ACTORS[2:]]
    renamed_meeting = {**MEETINGS[0], "participants": ["elena-varga", "adler"]}
    renamed_holder = {**POSITIONS[0], "holder": "adler"}
    predicted = briefing(actors=renamed_id, meetings=[renamed_meeting, MEETINGS[1]], positions=[renamed_holder, POSITIONS[1]])
    score = score_article(predicted, briefing())
    assert score.actor_map["adler"] == "piet-adler"
    assert score.meetings.f1 == score.stated_positions.f1 == 1.0


def test_totals_are_micro_averaged() -> None:
    empty: list[dict[str, Any]] = []
    extra = position("elena-varga", "statement", "Kestrel talks", "The talks went well.", 0)
    pairs = [
        # article a: positions 1 of 2 found (TP 1, FN 1); its one meeting missed (FN 1)
        (briefing(meetings=empty, developments=empty, positions=POSITIONS[:1], article_id="a"),
         briefing(meetings=MEETINGS[:1], developments=empty, positions=POSITIONS, article_id="a")),
        # article b: positions 1 found, 2 extra (TP 1, FP 2); no meetings on either side
        (briefing(meetings=empty, developments=empty, positions=[POSITIONS[0], POSITIONS[1], extra], article_id="b"),
         briefing(meetings=empty, developments=empty, positions=POSITIONS[:1], article_id="b")),
    ]  # fmt: skip
    result = score_set(pairs)

    positions = result.stated_positions
    assert (positions.tp, positions.fp, positions.fn) == (2, 2, 1)
    assert positions.precision == pytest.approx(2 / 4)
    assert positions.recall == pytest.approx(2 / 3)
    assert positions.f1 == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))  # 4/7, not the mean of 2/3 and 1/2
    assert [a.stated_positions.f1 for a in result.articles] == pytest.approx([2 / 3, 1 / 2])

    assert (result.meetings.tp, result.meetings.fp, result.meetings.fn, result.meetings.f1) == (0, 0, 1, 0.0)
    assert result.articles[1].meetings.f1 == 1.0  # empty on both sides: adds nothing to the totals
    developments = result.military_developments  # empty in the whole set
    assert (developments.precision, developments.recall, developments.f1) == (1.0, 1.0, 1.0)
    assert developments.evidence_overlap is None
    assert result.actors.f1 == 1.0
    assert result.briefing_f1 == pytest.approx((1.0 + 0.0 + 1.0 + 4 / 7) / 4)


def test_eval_score_round_trips_through_json() -> None:
    result = score_set([(briefing(positions=POSITIONS[:1]), briefing())])
    assert EvalScore.model_validate_json(result.model_dump_json()) == result


def test_scoring_different_articles_is_an_error() -> None:
    with pytest.raises(ValueError, match="against gold of 'other'"):
        score_article(briefing(), briefing(article_id="other"))


def test_evidence_overlap_is_character_intersection_over_union() -> None:
    def spans(*ranges: tuple[int, int]) -> list[Span]:
        return [Span(start=s, end=e, text="x" * (e - s)) for s, e in ranges]

    assert evidence_overlap(spans((0, 10)), spans((5, 15))) == pytest.approx(5 / 15)
    assert evidence_overlap(spans((0, 10), (20, 30)), spans((0, 10))) == pytest.approx(10 / 20)
    assert evidence_overlap(spans((0, 10), (5, 10)), spans((0, 10))) == 1.0
    assert evidence_overlap(spans((0, 10)), spans((10, 20))) == 0.0


def test_config_weights_must_sum_to_one() -> None:
    with pytest.raises(ValidationError, match="actor weights sum to"):
        MatchingConfig(actor_name_weight=0.5)
    with pytest.raises(ValidationError):
        MatchingConfig().actor_threshold = 0.1
    assert MatchingConfig.model_fields["meeting_threshold"].description


def test_text_quality_counts_copied_text_and_cut_off_topics() -> None:
    written = briefing()
    assert text_quality([(TEXT, written)]).model_dump() == {
        "descriptions": 2, "copied_descriptions": 0, "positions": 2, "copied_positions": 0,
        "topics": 2, "cut_topics": 0,
    }
    copied = briefing(
        developments=[development("shelling_or_missile_strike", ["norland-army"], "Brisa", 2,
                                  description="Norland's army shelled the border town of Brisa, killing four.")],
        positions=[position("marek-dunn", "demand", "a return to", "Dunn urged both sides to return to talks.", 5),
                   position("piet-adler", "condemnation", "shelling of Brisa", "Adler condemned the shelling.", 4)],
    )
    quality = text_quality([(TEXT, copied)])
    # eight article words in a row, whatever the punctuation and case around them
    assert (quality.copied_descriptions, quality.copied_description_share) == (1, 1.0)
    assert (quality.copied_positions, quality.copied_position_share) == (1, 0.5)
    assert (quality.cut_topics, quality.cut_topic_share) == (1, 0.5)
    assert text_quality([]).copied_description_share is None
