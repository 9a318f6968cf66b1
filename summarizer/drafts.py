"""What the model is asked to write: compact, per-section drafts of a briefing.

The model never copies article text back: it cites sentences by number and refers to
actors by the ids it was given. Both are enums in the JSON schema, so under constrained
decoding the model cannot cite a sentence that does not exist or invent an actor id.
The models are built per article, because the enums depend on the article.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .contract import (
    ActorType,
    DevelopmentStatus,
    DevelopmentType,
    MeetingFormat,
    MeetingStatus,
    PositionKind,
)

SECTIONS = ("actors", "meetings", "military_developments", "stated_positions")

# Character bounds on free text, enforced by the grammar: a model that starts copying a
# whole paragraph is cut off instead of spending hundreds of tokens.
SHORT = 60
SENTENCE = 160
SUMMARY = 500


class _Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _literal(values: tuple[Any, ...]) -> Any:
    return Literal.__getitem__(values)  # a Literal of values known only at run time


def _sentence_numbers(n_sentences: int) -> Any:
    return list[_literal(tuple(range(1, n_sentences + 1)))]  # type: ignore[misc]


class ItemBounds(BaseModel):
    """How many items each section may hold for one article: a bound the grammar enforces."""

    model_config = ConfigDict(frozen=True)  # hashable: the draft models are cached by their bounds

    actors: int
    meetings: int
    military_developments: int
    stated_positions: int

    @classmethod
    def for_sentences(cls, n_sentences: int) -> ItemBounds:
        return cls(
            actors=min(24, n_sentences + 4),
            meetings=min(12, n_sentences),
            military_developments=min(12, n_sentences),
            stated_positions=min(16, n_sentences),
        )


_SUMMARY_FIELD: Any = (
    str,
    Field(max_length=SUMMARY, description="2-3 neutral sentences: what happened, who, where, when"),
)


# The draft-model factories below are memoised: building a pydantic model costs more than
# the rest of a request's client work, and a batch asks for the same shapes again and again.
@functools.lru_cache(maxsize=256)
def actors_draft_model(n_sentences: int, bounds: ItemBounds) -> type[BaseModel]:
    """Pass 1: a summary and the actors, each with the sentences that mention it. Citing
    them keeps a small model going through the article: without, it stopped after a few actors."""
    evidence = _sentence_numbers(n_sentences)
    actor = create_model(
        "ActorDraft",
        __base__=_Draft,
        name=(str, Field(max_length=SHORT, description="fullest name in the article")),
        type=(ActorType, ...),
        role=(str | None, Field(max_length=SHORT, description="title as stated, or null")),
        affiliation=(
            str | None,
            Field(max_length=SHORT, description="country or organisation it belongs to, or null"),
        ),
        evidence=(evidence, Field(min_length=1, max_length=3, description="sentence numbers")),
    )
    return create_model(
        "ActorsDraft",
        __base__=_Draft,
        summary=_SUMMARY_FIELD,
        actors=(list[actor], Field(max_length=bounds.actors)),  # type: ignore[valid-type]
    )


@functools.cache
def summary_draft_model() -> type[BaseModel]:
    """The judge mode's own call besides the verdicts: the summary alone (its actors are the
    parse's, judging.py)."""
    return create_model("SummaryDraft", __base__=_Draft, summary=_SUMMARY_FIELD)


def _item_model(section: str, n_sentences: int, ref: Any) -> type[BaseModel]:
    """One item of a section, citing sentences by number and actors by ``ref``."""
    # field definitions of models made at run time: pydantic checks them, mypy cannot
    evidence: Any = (
        _sentence_numbers(n_sentences),
        Field(min_length=1, max_length=3, description="sentence numbers"),
    )
    refs: Any = (list[ref], Field(default_factory=list))
    date: Any = (
        str | None,
        Field(max_length=SHORT, description="the date phrase as written in the sentence, or null"),
    )
    place: Any = (str | None, Field(max_length=SHORT, description="place as stated, or null"))
    if section == "meetings":
        return create_model(
            "MeetingDraft",
            __base__=_Draft,
            evidence=evidence,
            participants=(list[ref], Field(min_length=2)),
            format=(MeetingFormat, ...),
            event=(str | None, Field(max_length=SHORT, description="named occasion, or null")),
            location=place,
            date=date,
            topics=(list[Annotated[str, Field(max_length=SHORT)]], Field(max_length=3)),
            status=(MeetingStatus, ...),
        )
    if section == "military_developments":
        return create_model(
            "DevelopmentDraft",
            __base__=_Draft,
            evidence=evidence,
            type=(DevelopmentType, ...),
            description=(str, Field(max_length=SENTENCE, description="one plain sentence")),
            actors=refs,
            targets=refs,
            location=place,
            date=date,
            killed=(int | None, Field(description="deaths stated, or null")),
            injured=(int | None, Field(description="injured stated, or null")),
            status=(DevelopmentStatus, ...),
        )
    if section == "stated_positions":
        return create_model(
            "PositionDraft",
            __base__=_Draft,
            evidence=evidence,
            holder=(ref, ...),
            kind=(PositionKind, ...),
            topic=(str, Field(max_length=SHORT, description="short noun phrase")),
            position=(
                str,
                Field(max_length=SENTENCE, description="the position in one plain sentence"),
            ),
            target=(ref | None, Field(description="actor id it is addressed to or about, or null")),
            quoted=(
                bool,
                Field(
                    description="true when the sentence quotes the holder's words in "
                    "quotation marks"
                ),
            ),
        )
    raise ValueError(f"unknown section {section!r}; expected one of {SECTIONS[1:]}")


@functools.lru_cache(maxsize=256)
def section_draft_model(
    section: str, n_sentences: int, actor_ids: tuple[str, ...], bounds: ItemBounds
) -> type[BaseModel]:
    """Passes 2-4: one section's items, citing sentences by number and actors by id."""
    ref: Any = _literal(actor_ids) if actor_ids else str
    item = _item_model(section, n_sentences, ref)
    items: Any = (list[item], Field(max_length=getattr(bounds, section)))  # type: ignore[valid-type]
    return create_model(f"{item.__name__}s", __base__=_Draft, items=items)


@functools.lru_cache(maxsize=256)
def briefing_draft_model(n_sentences: int, bounds: ItemBounds) -> type[BaseModel]:
    """The single-call mode: the whole briefing at once. Actors are not known before the
    answer, so items refer to them by a short free text that grounding resolves to an id."""
    ref = Annotated[str, Field(max_length=SHORT)]
    actors = actors_draft_model(n_sentences, bounds)
    sections: dict[str, Any] = {
        section: (
            list[_item_model(section, n_sentences, ref)],  # type: ignore[misc]
            Field(max_length=getattr(bounds, section)),
        )
        for section in SECTIONS[1:]
    }
    return create_model("BriefingDraft", __base__=actors, **sections)


#: the schema keyword of a string the model writes in its own words: the embedded decoder does
#: not let it repeat ``COPIED_WORDS`` words of the article in a row (decoding.CopyGuard; other
#: backends ignore the keyword)
OWN_WORDS = "x-own-words"
#: how many article words in a row make a copy, for the decoder and for the eval's text bars
#: (scoring.text_quality; issue #18: 8)
COPIED_WORDS = 8
_OWN_WORDS: dict[str, Any] = {OWN_WORDS: True}

#: how many candidates of one section the model judges: the rest (the parse's least likely,
#: taken in article order) are left out rather than overflowing the prompt. A candidate line is
#: about 25 tokens, so 40 lines add about 1,000 to an article's prompt. Caps of 8 meetings and
#: 20 positions cut 2 and 7 gold matches in the two longest tuning articles (QUALITY, row 35)
MAX_CANDIDATES = {"meetings": 16, "military_developments": 24, "stated_positions": 40}


#: the sections whose candidates the model keeps or drops; the others' candidates all stand and
#: the model only writes their fields. Asked to keep or drop them, it dropped good ones more
#: often than bad: developments in row 24 (it kept 30 of 153, precision 0.17), and meetings
#: once the parse proposed more of them (row 29: meetings 0.222 against 0.562 for all standing)
KEPT_BY_THE_MODEL: frozenset[str] = frozenset()


def _verdict_fields(section: str) -> dict[str, Any]:
    keep: Any = (bool, Field(description="true when the candidate belongs in the briefing"))
    judged = {"keep": keep} if section in KEPT_BY_THE_MODEL else {}
    text: Any = str | None if judged else str
    if section == "meetings":
        return {**judged, "format": (MeetingFormat, ...), "status": (MeetingStatus, ...)}
    if section == "military_developments":
        # no type: the parse's event lexicon gives it. Where the model chose another (9 of 111
        # in evals/QUALITY.md row 32), the parse's was the better one each time on tuning
        return {
            **judged,
            "status": (DevelopmentStatus, ...),
            "description": (
                text,
                Field(
                    max_length=SENTENCE,
                    description="one plain sentence",
                    json_schema_extra=_OWN_WORDS,
                ),
            ),
        }
    if section == "stated_positions":
        return {
            **judged,
            "kind": (PositionKind, ...),
            "topic": (text, Field(max_length=SHORT, description="short noun phrase")),
            "position": (
                text,
                Field(
                    max_length=SENTENCE,
                    description="one plain sentence",
                    json_schema_extra=_OWN_WORDS,
                ),
            ),
        }
    raise ValueError(f"unknown section {section!r}; expected one of {SECTIONS[1:]}")


@functools.lru_cache(maxsize=8)
def judge_draft_model(section: str) -> type[BaseModel]:
    """The judge's answer about one candidate of a section: keep it or not, its enum fields and
    its short text (judging.py)."""
    return create_model(
        f"{section.title().replace('_', '')}Verdict", __base__=_Draft, **_verdict_fields(section)
    )
