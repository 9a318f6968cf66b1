"""The briefing contract v1 as pydantic models.

These models are the public output of the package and the format of gold files. The JSON
schema in ``schemas/briefing.v1.schema.json`` is generated from them (``summarizer schema``).

Evidence spans are checked against the article text when it is given as validation
context (``{"article_text": ...}``): a span that is not in the article is an error. Gold
files may give a span's ``text`` only or its offsets only; with the article text in the
context the other half is filled in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

SCHEMA_VERSION: Final = "1"

ActorType = Literal[
    "person",
    "country",
    "government_body",
    "military",
    "armed_group",
    "international_organization",
    "other",
]
MeetingFormat = Literal["call", "bilateral", "multilateral", "other"]
MeetingStatus = Literal["occurred", "planned", "cancelled"]
DevelopmentType = Literal[
    "armed_clash",
    "territorial_change",
    "air_or_drone_strike",
    "shelling_or_missile_strike",
    "explosion_or_bombing",
    "attack_on_civilians",
    "deployment",
    "withdrawal",
    "ceasefire_or_truce",
    "weapons_launch_or_test",
    "other",
]
DevelopmentStatus = Literal["reported", "claimed", "denied", "planned"]
PositionKind = Literal[
    "statement",
    "demand",
    "condemnation",
    "commitment",
    "warning",
    "accusation",
    "denial",
    "support",
]

_ISO_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _article_text(info: ValidationInfo) -> str | None:
    context = info.context
    if isinstance(context, dict):
        text = context.get("article_text")
        return text if isinstance(text, str) else None
    return None


def _fill_span(data: Any, text: str | None) -> Any:
    """Complete a span given by text only or by offsets only, using the article text."""
    if not isinstance(data, dict) or text is None:
        return data
    data = dict(data)
    has_offsets = data.get("start") is not None and data.get("end") is not None
    if "text" in data and not has_offsets:
        index = text.find(data["text"]) if data["text"] else -1
        if index < 0:
            raise ValueError(f"evidence text is not in the article: {data['text'][:80]!r}")
        data["start"], data["end"] = index, index + len(data["text"])
    elif has_offsets and "text" not in data:
        start, end = data["start"], data["end"]
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            data["text"] = text[start:end]
    return data


class Span(_Model):
    """A stretch of the article: ``article.text[start:end] == text``."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    text: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _complete_from_article(cls, data: Any, info: ValidationInfo) -> Any:
        return _fill_span(data, _article_text(info))

    @model_validator(mode="after")
    def _check_in_article(self, info: ValidationInfo) -> Span:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} is not after start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}:{self.end} has length {self.end - self.start}, "
                f"text has {len(self.text)}"
            )
        text = _article_text(info)
        if text is not None and text[self.start : self.end] != self.text:
            raise ValueError(
                f"span {self.start}:{self.end} is not in the article: {self.text[:80]!r}"
            )
        return self


Evidence = list[Span]


class DateRef(_Model):
    """A date as the article gives it: ISO ``value`` of the stated precision, surface ``text``."""

    value: str | None = Field(
        default=None, description="YYYY-MM-DD, YYYY-MM or YYYY; null when unresolvable"
    )
    text: str

    @field_validator("value")
    @classmethod
    def _check_iso(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _ISO_PARTIAL_DATE.match(value):
            raise ValueError(f"date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        parts = [int(p) for p in value.split("-")] + [1, 1]
        try:
            dt.date(parts[0], parts[1], parts[2])
        except ValueError as exc:
            raise ValueError(f"date {value!r} does not exist: {exc}") from None
        return value


class ArticleRef(_Model):
    """Who the briefing is about: the input article's identity, without its text."""

    id: str = Field(min_length=1)
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None


class Actor(_Model):
    id: str = Field(
        min_length=1,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="slug, unique within the briefing",
    )
    name: str = Field(min_length=1)
    type: ActorType
    role: str | None = None
    affiliation: str | None = None
    aliases: list[str] = Field(default_factory=list)
    evidence: Evidence = Field(min_length=1)


class Meeting(_Model):
    participants: list[str] = Field(min_length=1)
    format: MeetingFormat
    event: str | None = None
    location: str | None = None
    date: DateRef | None = None
    topics: list[str] = Field(default_factory=list)
    status: MeetingStatus
    evidence: Evidence = Field(min_length=1)


class MilitaryDevelopment(_Model):
    type: DevelopmentType
    description: str = Field(min_length=1)
    actors: list[str] = Field(default_factory=list)
    targets: list[str] = Field(default_factory=list)
    location: str | None = None
    date: DateRef | None = None
    killed: int | None = Field(default=None, ge=0)
    injured: int | None = Field(default=None, ge=0)
    status: DevelopmentStatus
    evidence: Evidence = Field(min_length=1)


class StatedPosition(_Model):
    holder: str
    kind: PositionKind
    topic: str = Field(min_length=1)
    position: str = Field(min_length=1)
    target: str | None = None
    quote: str | None = Field(
        default=None, description="verbatim words inside quotation marks in the article"
    )
    evidence: Evidence = Field(min_length=1)

    @field_validator("quote", mode="before")
    @classmethod
    def _quote_from_span(cls, value: Any, info: ValidationInfo) -> Any:
        """Gold files may give a quote as ``{"start", "end"}`` offsets into the article."""
        if isinstance(value, dict):
            text = _article_text(info)
            if text is None:
                raise ValueError("a quote given as offsets needs the article text")
            span = Span.model_validate(value, context={"article_text": text})
            return span.text
        return value

    @model_validator(mode="after")
    def _quote_in_article(self, info: ValidationInfo) -> StatedPosition:
        text = _article_text(info)
        if self.quote is not None and text is not None and self.quote not in text:
            raise ValueError(f"quote is not verbatim in the article: {self.quote[:80]!r}")
        return self


class Provenance(_Model):
    """How a briefing was made. Absent in gold files."""

    backend: str
    model: str
    model_sha256: str | None = None
    prompt_version: str
    schema_version: str = SCHEMA_VERSION
    attempts: int = Field(
        ge=0, description="model calls made, re-asks and transport retries included"
    )
    passes: int | None = Field(
        default=None,
        ge=0,
        description="structured calls the briefing "
        "needed; attempts == passes means valid at the first attempt",
    )
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    seconds: float = Field(ge=0)
    created_at: dt.datetime
    truncated: bool = Field(
        default=False, description="a model answer hit the token limit and was salvaged"
    )
    cached: bool = Field(default=False, description="served from the result cache")
    answer_sha256: str | None = Field(
        default=None,
        description="SHA-256 of the model's answers in order: "
        "equal digests mean the model answered the same",
    )
    cpu: str | None = Field(
        default=None,
        description="the CPU family a local model computed on (x86_64-avx512, "
        "x86_64-avx2, ...): a greedy answer can differ between families",
    )
    parts: int | None = Field(
        default=None,
        ge=2,
        description="the article was longer than the model's context "
        "and was briefed in this many overlapping parts, merged; costs are their sums",
    )
    fallback_mode: str | None = Field(
        default=None,
        description="the server refused the structured-output mode asked for, and was "
        "asked in this one instead (json_object_schema, tools or json)",
    )


class Briefing(_Model):
    """An evidence-grounded briefing of one article (contract v1)."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    article: ArticleRef
    summary: str
    actors: list[Actor] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    military_developments: list[MilitaryDevelopment] = Field(default_factory=list)
    stated_positions: list[StatedPosition] = Field(default_factory=list)
    provenance: Provenance | None = None

    @model_validator(mode="after")
    def _check_references(self) -> Briefing:
        ids = [actor.id for actor in self.actors]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"actor ids are not unique: {duplicates}")
        known = set(ids)
        problems: list[str] = []

        def check(where: str, refs: list[str | None]) -> None:
            for ref in refs:
                if ref is not None and ref not in known:
                    problems.append(f"{where} refers to unknown actor {ref!r}")

        for i, meeting in enumerate(self.meetings):
            check(f"meetings[{i}].participants", list(meeting.participants))
        for i, development in enumerate(self.military_developments):
            check(f"military_developments[{i}].actors", list(development.actors))
            check(f"military_developments[{i}].targets", list(development.targets))
        for i, position in enumerate(self.stated_positions):
            check(f"stated_positions[{i}].holder", [position.holder])
            check(f"stated_positions[{i}].target", [position.target])
        if problems:
            raise ValueError("; ".join(problems))
        return self


def briefing_json_schema() -> dict[str, Any]:
    """The JSON schema of :class:`Briefing`, as committed in ``schemas/``."""
    schema = Briefing.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
