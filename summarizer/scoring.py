"""Score predicted briefings against gold (contract § Scoring).

Per article and per section, predicted items are matched one-to-one to gold items by an
optimal assignment (Hungarian, maximising similarity); a pair below the section's
threshold is not a match. Actors are matched first, and their matching maps predicted
actor ids to gold ids, so meetings, developments and positions are compared in gold's id
space: an actor the prediction got wrong makes the items that cite it harder to match.

Every weight and threshold is a field of :class:`MatchingConfig`. The results are pydantic
models that keep, per article and per section, which gold item matched which predicted
item, which gold items were missed and which predictions were extra, so a report or a
regression gate can show the pairs behind each number.

Conventions for empty sections: a ratio whose denominator is zero is 1.0 when the
section has no gold and no predicted items (nothing to find, nothing wrongly found) and
0.0 otherwise. So an article with neither gold nor predicted meetings scores meetings F1
1.0 on its own and adds nothing to the micro-averaged totals; an eval set with no gold and
no predicted items in a section scores that section's F1 as 1.0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, Protocol, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator
from rapidfuzz import fuzz
from scipy.optimize import linear_sum_assignment

from .contract import Actor, Briefing, DateRef, Meeting, MilitaryDevelopment, Span, StatedPosition
from .drafts import COPIED_WORDS
from .normalize import COUNTRY_VARIANTS, fold

Section = Literal["actors", "meetings", "military_developments", "stated_positions"]
SECTIONS: tuple[Section, ...] = ("actors", "meetings", "military_developments", "stated_positions")

#: the fields whose accuracy is reported on matched pairs, per section
ACCURACY_FIELDS: dict[Section, tuple[str, ...]] = {
    "actors": ("type", "role"),
    "meetings": ("format", "status", "date"),
    "military_developments": ("type", "status", "date", "killed", "injured"),
    "stated_positions": ("kind", "target"),
}

_CANONICAL_NAMES = {
    variant: name for name, variants in COUNTRY_VARIANTS.items() for variant in variants
}


class MatchingConfig(BaseModel):
    """Every weight and threshold of the scorer, in one place.

    A pair's similarity is the weighted sum of its components, each in [0, 1]; the weights
    of a section sum to 1, so a similarity is in [0, 1] too. A pair matches when its
    similarity is at least the section's threshold. The defaults are set so that the
    identity of an item (an actor's name; a meeting's participants; a development's
    sentence and type; a position's holder) cannot be outvoted by its details.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    actor_name_weight: float = 0.9
    """Name similarity: fuzzy ratio of the folded names, or an alias match (see below)."""
    actor_type_weight: float = 0.1
    """Same actor type. A same-named actor of another type still matches (0.9 >= 0.88)."""
    actor_alias_factor: float = 0.9
    """Scales name similarity found through an alias, so "Fidan" = alias of "Hakan Fidan" gives
    0.9."""
    actor_threshold: float = 0.88
    """Same type needs name similarity 0.87: spelling variants ("Abdelatty"/"Abdel Aty", 0.93)
    pass, distinct names ("Anton Kral"/"Anton Krog", 0.80; "Armenian"/"Azeri foreign
    minister", 0.85) do not. Another type needs 0.98, so in practice the same name."""

    meeting_participants_weight: float = 0.6
    """Jaccard overlap of participants under the actor map."""
    meeting_evidence_weight: float = 0.2
    """Character overlap of the evidence spans."""
    meeting_format_weight: float = 0.1
    """Same format (call, bilateral, multilateral, other)."""
    meeting_date_weight: float = 0.1
    """Same date value."""
    meeting_threshold: float = 0.65
    """Two bilaterals sharing one party (Jaccard 1/3), in the same sentence, format and date,
    score 0.6 and do not match."""

    development_evidence_weight: float = 0.4
    """Character overlap of the evidence spans."""
    development_type_weight: float = 0.2
    """Same development type."""
    development_actors_weight: float = 0.15
    """Jaccard overlap of the acting actors under the actor map."""
    development_location_weight: float = 0.15
    """Same place: the folded names are equal or one's words contain the other's ("Hama" in "Hama
    province")."""
    development_date_weight: float = 0.1
    """Same date value."""
    development_threshold: float = 0.6
    """Without shared evidence every other component must agree (0.6); same type, actors and
    date in another sentence and place score 0.45 and do not match."""

    position_holder_weight: float = 0.5
    """Same holder under the actor map."""
    position_evidence_weight: float = 0.3
    """Character overlap of the evidence spans."""
    position_text_weight: float = 0.2
    """Token-set fuzzy ratio of the folded ``topic`` + ``position``."""
    position_threshold: float = 0.65
    """Another holder on the same sentence and words scores 0.5 and does not match; the same
    holder in another sentence needs text similarity 0.75 (distinct positions of one holder
    in the gold files score 0.4-0.6)."""

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> MatchingConfig:
        for prefix in ("actor", "meeting", "development", "position"):
            names = [
                name
                for name in type(self).model_fields
                if name.startswith(f"{prefix}_") and name.endswith("_weight")
            ]
            total = sum(getattr(self, name) for name in names)
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"the {prefix} weights sum to {total}, not 1")
        return self


class Match(BaseModel):
    """A gold item matched to a predicted item; indexes are positions in the section lists."""

    gold: int
    predicted: int
    similarity: float
    evidence_overlap: float
    wrong_fields: list[str]
    """Accuracy fields (:data:`ACCURACY_FIELDS`) on which the pair disagrees."""


class SectionScore(BaseModel):
    """Counts and rates of one section, for one article or summed over an eval set."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    field_accuracy: dict[str, float | None]
    """Share of matched pairs that agree on each field; None without matched pairs."""
    evidence_overlap: float | None
    """Mean evidence overlap of matched pairs; None without matched pairs."""


class ArticleSectionScore(SectionScore):
    """One section of one article, with the pairs behind the counts."""

    matches: list[Match]
    missed: list[int]
    """Gold indexes that matched nothing (false negatives)."""
    extra: list[int]
    """Predicted indexes that matched nothing (false positives)."""


class ArticleScore(BaseModel):
    """The score of one article: per section, the counts and the pairs behind them."""

    article_id: str
    actor_map: dict[str, str]
    """Predicted actor id -> gold actor id, from the actor matching."""
    actors: ArticleSectionScore
    meetings: ArticleSectionScore
    military_developments: ArticleSectionScore
    stated_positions: ArticleSectionScore
    briefing_f1: float
    """Mean of the four section F1s."""


class EvalScore(BaseModel):
    """Micro-averaged totals over an eval set: TP, FP and FN are summed over articles."""

    config: MatchingConfig
    actors: SectionScore
    meetings: SectionScore
    military_developments: SectionScore
    stated_positions: SectionScore
    briefing_f1: float
    """Mean of the four section F1s: the headline number."""
    articles: list[ArticleScore]


def score_article(
    predicted: Briefing, gold: Briefing, config: MatchingConfig | None = None
) -> ArticleScore:
    """Match and score a predicted briefing against the gold briefing of the same article."""
    if predicted.article.id != gold.article.id:
        raise ValueError(
            f"scoring a briefing of {predicted.article.id!r} against gold of {gold.article.id!r}"
        )
    c = config or MatchingConfig()

    def actor_similarity(p: Actor, g: Actor) -> float:
        name = _name_similarity(p, g, c.actor_alias_factor)
        return c.actor_name_weight * name + c.actor_type_weight * (p.type == g.type)

    actors = _score_section(
        "actors",
        gold.actors,
        predicted.actors,
        actor_similarity,
        c.actor_threshold,
        {"type": lambda p, g: p.type == g.type, "role": lambda p, g: _same_text(p.role, g.role)},
    )
    actor_map = {predicted.actors[m.predicted].id: gold.actors[m.gold].id for m in actors.matches}

    def to_gold(ref: str) -> str:
        # "?" cannot start a slug, so an unmatched predicted id never equals a gold id
        return actor_map.get(ref, f"?{ref}")

    def same_target(p: StatedPosition, g: StatedPosition) -> bool:
        return (None if p.target is None else to_gold(p.target)) == g.target

    def meeting_similarity(p: Meeting, g: Meeting) -> float:
        return (
            c.meeting_participants_weight
            * _jaccard({to_gold(i) for i in p.participants}, set(g.participants))
            + c.meeting_evidence_weight * evidence_overlap(p.evidence, g.evidence)
            + c.meeting_format_weight * (p.format == g.format)
            + c.meeting_date_weight * _same_date(p.date, g.date)
        )

    def development_similarity(p: MilitaryDevelopment, g: MilitaryDevelopment) -> float:
        return (
            c.development_evidence_weight * evidence_overlap(p.evidence, g.evidence)
            + c.development_type_weight * (p.type == g.type)
            + c.development_actors_weight * _jaccard({to_gold(i) for i in p.actors}, set(g.actors))
            + c.development_location_weight * _same_place(p.location, g.location)
            + c.development_date_weight * _same_date(p.date, g.date)
        )

    def position_similarity(p: StatedPosition, g: StatedPosition) -> float:
        return (
            c.position_holder_weight * (to_gold(p.holder) == g.holder)
            + c.position_evidence_weight * evidence_overlap(p.evidence, g.evidence)
            + c.position_text_weight
            * _text_similarity(f"{p.topic} {p.position}", f"{g.topic} {g.position}")
        )

    meetings = _score_section(
        "meetings",
        gold.meetings,
        predicted.meetings,
        meeting_similarity,
        c.meeting_threshold,
        {
            "format": lambda p, g: p.format == g.format,
            "status": lambda p, g: p.status == g.status,
            "date": lambda p, g: _same_date(p.date, g.date),
        },
    )
    developments = _score_section(
        "military_developments",
        gold.military_developments,
        predicted.military_developments,
        development_similarity,
        c.development_threshold,
        {
            "type": lambda p, g: p.type == g.type,
            "status": lambda p, g: p.status == g.status,
            "date": lambda p, g: _same_date(p.date, g.date),
            "killed": lambda p, g: p.killed == g.killed,
            "injured": lambda p, g: p.injured == g.injured,
        },
    )
    positions = _score_section(
        "stated_positions",
        gold.stated_positions,
        predicted.stated_positions,
        position_similarity,
        c.position_threshold,
        {"kind": lambda p, g: p.kind == g.kind, "target": same_target},
    )
    sections = (actors, meetings, developments, positions)
    return ArticleScore(
        article_id=gold.article.id,
        actor_map=actor_map,
        actors=actors,
        meetings=meetings,
        military_developments=developments,
        stated_positions=positions,
        briefing_f1=sum(s.f1 for s in sections) / len(sections),
    )


def score_set(
    pairs: list[tuple[Briefing, Briefing]], config: MatchingConfig | None = None
) -> EvalScore:
    """Score ``(predicted, gold)`` pairs and micro-average each section over them."""
    return aggregate([score_article(predicted, gold, config) for predicted, gold in pairs], config)


def aggregate(articles: list[ArticleScore], config: MatchingConfig | None = None) -> EvalScore:
    """Micro-averaged totals of articles already scored: a part of an eval set without rescoring."""
    totals = {
        section: _total(section, [getattr(a, section) for a in articles]) for section in SECTIONS
    }
    return EvalScore(
        config=config or MatchingConfig(),
        **totals,
        briefing_f1=sum(t.f1 for t in totals.values()) / len(totals),
        articles=articles,
    )


def evidence_overlap(a: Sequence[Span], b: Sequence[Span]) -> float:
    """Intersection over union of the article characters the two span lists cover.

    Characters, not spans, so citing a sentence minus its dateline still overlaps almost
    fully, and citing two sentences where gold cites one gives about one half.
    """
    covered_a, covered_b = _merge(a), _merge(b)
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in covered_a for s2, e2 in covered_b)
    union = sum(e - s for s, e in covered_a) + sum(e - s for s, e in covered_b) - shared
    return shared / union if union else 1.0


def name_key(name: str) -> str:
    """A name as compared: folded, a leading "the" dropped, country variants unified."""
    folded = fold(name).removeprefix("the ")
    return _CANONICAL_NAMES.get(folded, folded)


class _Cited(Protocol):
    evidence: list[Span]


P = TypeVar("P", bound=_Cited)
G = TypeVar("G", bound=_Cited)


def _score_section(
    section: Section,
    gold: Sequence[G],
    predicted: Sequence[P],
    similarity: Callable[[P, G], float],
    threshold: float,
    fields: dict[str, Callable[[P, G], bool]],
) -> ArticleSectionScore:
    assert tuple(fields) == ACCURACY_FIELDS[section], "the checked fields must be the reported ones"
    matrix = np.array([[similarity(p, g) for p in predicted] for g in gold], dtype=float).reshape(
        len(gold), len(predicted)
    )
    matrix = matrix.round(9)  # so a sum of weights that equals a threshold is not a hair below it
    # below-threshold pairs get 0 so the assignment maximises the matches that count
    rows, cols = linear_sum_assignment(np.where(matrix >= threshold, matrix, 0.0), maximize=True)
    matches = [
        Match(
            gold=int(i),
            predicted=int(j),
            similarity=float(matrix[i, j]),
            evidence_overlap=evidence_overlap(predicted[j].evidence, gold[i].evidence),
            wrong_fields=[
                name for name, agree in fields.items() if not agree(predicted[j], gold[i])
            ],
        )
        for i, j in zip(rows, cols, strict=True)
        if matrix[i, j] >= threshold
    ]
    matched_gold = {m.gold for m in matches}
    matched_predicted = {m.predicted for m in matches}
    return ArticleSectionScore(
        **_rates(
            section, len(matches), len(predicted) - len(matches), len(gold) - len(matches), matches
        ).model_dump(),
        matches=matches,
        missed=[i for i in range(len(gold)) if i not in matched_gold],
        extra=[j for j in range(len(predicted)) if j not in matched_predicted],
    )


def _total(section: Section, scores: list[ArticleSectionScore]) -> SectionScore:
    tp, fp, fn = (sum(getattr(s, count) for s in scores) for count in ("tp", "fp", "fn"))
    return _rates(section, tp, fp, fn, [m for s in scores for m in s.matches])


def _rates(section: Section, tp: int, fp: int, fn: int, matches: list[Match]) -> SectionScore:
    """Precision, recall, F1, field accuracy and evidence overlap (see the module docstring for
    zeros)."""
    empty = tp + fp + fn == 0
    n = len(matches)
    return SectionScore(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=tp / (tp + fp) if tp + fp else float(empty),
        recall=tp / (tp + fn) if tp + fn else float(empty),
        f1=2 * tp / (2 * tp + fp + fn) if not empty else 1.0,
        field_accuracy={
            f: sum(f not in m.wrong_fields for m in matches) / n if n else None
            for f in ACCURACY_FIELDS[section]
        },
        evidence_overlap=sum(m.evidence_overlap for m in matches) / n if n else None,
    )


def _merge(spans: Sequence[Span]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((s.start, s.end) for s in spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _name_similarity(p: Actor, g: Actor, alias_factor: float) -> float:
    """The fuzzy ratio of the two names, or ``alias_factor`` times the best ratio of a pair
    of surface forms that involves an alias, whichever is higher."""
    name_p, name_g = name_key(p.name), name_key(g.name)
    forms_p = {name_p, *map(name_key, p.aliases)}
    forms_g = {name_g, *map(name_key, g.aliases)}
    by_name = fuzz.ratio(name_p, name_g) / 100
    by_alias = max(
        (fuzz.ratio(a, b) / 100 for a in forms_p for b in forms_g if (a, b) != (name_p, name_g)),
        default=0.0,
    )
    return max(by_name, alias_factor * by_alias)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _same_date(a: DateRef | None, b: DateRef | None) -> bool:
    """Same ISO value; two unresolved dates agree when their phrases do."""
    if a is None or b is None:
        return a is b
    if a.value is not None or b.value is not None:
        return a.value == b.value
    return fold(a.text) == fold(b.text)


def _same_place(a: str | None, b: str | None) -> bool:
    """Equal folded names, or the words of one contain the other's ("Hama" and "Hama province")."""
    if a is None or b is None:
        return a is b
    words_a, words_b = set(name_key(a).split()), set(name_key(b).split())
    if not words_a or not words_b:
        return words_a == words_b
    return words_a <= words_b or words_b <= words_a


def _same_text(a: str | None, b: str | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and fold(a) == fold(b))


def _text_similarity(a: str, b: str) -> float:
    return fuzz.token_set_ratio(fold(a), fold(b)) / 100


class TextQuality(BaseModel):
    """How the briefings' free text reads (issue #18's text bars): the share of descriptions and
    positions that copy ``COPIED_WORDS`` or more article words in a row, and of topics that end
    in a function word (cut off mid-phrase)."""

    descriptions: int = 0
    copied_descriptions: int = 0
    positions: int = 0
    copied_positions: int = 0
    topics: int = 0
    cut_topics: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(part / whole, 3) if whole else None

    @property
    def copied_description_share(self) -> float | None:
        return self._share(self.copied_descriptions, self.descriptions)

    @property
    def copied_position_share(self) -> float | None:
        return self._share(self.copied_positions, self.positions)

    @property
    def cut_topic_share(self) -> float | None:
        return self._share(self.cut_topics, self.topics)


def _words(text: str) -> list[str]:
    return fold(text).split()


def _copies(text: str, runs: set[tuple[str, ...]]) -> bool:
    words = _words(text)
    return any(
        tuple(words[i : i + COPIED_WORDS]) in runs for i in range(len(words) - COPIED_WORDS + 1)
    )


def text_quality(briefings: Sequence[tuple[str, Briefing]]) -> TextQuality:
    """The text bars over (article text, briefing) pairs."""
    from .lexicon import lexicon

    function_words = lexicon().function_words
    quality = TextQuality()
    for article_text, briefing in briefings:
        words = _words(article_text)
        runs = {tuple(words[i : i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1)}
        for development in briefing.military_developments:
            quality.descriptions += 1
            quality.copied_descriptions += _copies(development.description, runs)
        for position in briefing.stated_positions:
            quality.positions += 1
            quality.copied_positions += _copies(position.position, runs)
            quality.topics += 1
            last = _words(position.topic)[-1:]
            quality.cut_topics += bool(last) and last[0] in function_words
    return quality
