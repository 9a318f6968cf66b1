"""Stage 4b: the model judges the parse's proposals and writes their short fields.

The parse (proposals.py) finds candidates with fair recall and poor judgement: a demand to
withdraw reads like a withdrawal, a village like an actor. A small model judges better than
it recalls. So it is shown a section's numbered candidates (the sentence, the proposed actors
and fields) and asked about each in turn, in a schema-constrained call of its own: choose its
enum fields (but a development's type, see ``drafts``), write its free text in its own words
and, in the sections it judges (``drafts.KEPT_BY_THE_MODEL``), keep or drop it. The calls of an
article differ only in their last line, so the embedded model decodes them together
(parallel.py). What is certain comes from the parse: the evidence sentences, the actors,
places, dates and tolls, and the event lexicon's development types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .article import Article
from .contract import Meeting, MilitaryDevelopment, StatedPosition
from .drafts import MAX_CANDIDATES
from .proposal_briefing import (
    proposed_development,
    proposed_meeting,
    proposed_position,
)
from .proposals import (
    DevelopmentProposal,
    MeetingProposal,
    PositionProposal,
    Proposals,
)

#: the judge passes, in the order they run
JUDGED_SECTIONS = ("meetings", "military_developments", "stated_positions")

Candidate = MeetingProposal | DevelopmentProposal | PositionProposal
Item = Meeting | MilitaryDevelopment | StatedPosition


def candidates(section: str, proposals: Proposals) -> list[Candidate]:
    """The candidates the model judges, in article order, at most ``MAX_CANDIDATES``."""
    by_section: dict[str, Sequence[Candidate]] = {
        "meetings": proposals.meetings,
        "military_developments": proposals.developments,
        "stated_positions": proposals.positions,
    }
    found = by_section[section]

    def first_sentence(candidate: Candidate) -> int:
        if isinstance(candidate, PositionProposal):
            return candidate.sentence
        return candidate.sentences[0]

    return sorted(found, key=first_sentence)[: MAX_CANDIDATES[section]]


def actor_keys(candidate: Candidate) -> tuple[str, ...]:
    """The parse's keys of the actors a candidate line names."""
    if isinstance(candidate, MeetingProposal):
        return candidate.participants
    if isinstance(candidate, DevelopmentProposal):
        return candidate.actors
    return (candidate.holder,)


def candidate_lines(section: str, found: Sequence[Candidate], ids: Mapping[str, str]) -> str:
    """The numbered candidates as the judge prompt shows them: the sentence by its number in
    the article above and the parse's reading, no article words. Shown the clause, the model
    copies it into what it writes (evals/QUALITY.md, row 22)."""

    def names(keys: Sequence[str]) -> str:
        return ", ".join(dict.fromkeys(ids[k] for k in keys if k in ids)) or "none"

    lines = []
    for n, c in enumerate(found, 1):
        name = candidate_name(n)
        if isinstance(c, MeetingProposal):
            where = f"; in {c.location}" if c.location else ""
            when = f"; {c.date}" if c.date else ""
            lines.append(
                f"{name}. sentence [{c.sentences[0]}] {c.predicate}: {names(c.participants)}"
                f"{where}{when} (proposed: {c.format}, {c.status})"
            )
        elif isinstance(c, DevelopmentProposal):
            toll = "".join(
                f"; {count} {word}"
                for count, word in ((c.killed, "killed"), (c.injured, "injured"))
                if count
            )
            lines.append(
                f"{name}. sentence [{c.sentences[0]}] {c.predicate}: by {names(c.actors)}"
                f"{toll} (proposed: {c.type}, {c.status})"
            )
        else:
            lines.append(
                f"{name}. sentence [{c.sentence}] {names([c.holder])} {c.verb} (proposed: {c.kind})"
            )
    return "\n".join(lines)


def _written(value: str | None) -> str | None:
    value = " ".join((value or "").split()).strip(" .")
    return value + "." if value and not value.endswith(("?", "!")) else value or None


def candidate_name(n: int) -> str:
    """How the prompt names the ``n``-th candidate (from 1)."""
    return f"c{n}"


def judged_items(
    article: Article,
    found: Sequence[Candidate],
    verdicts: Sequence[Any],
    ids: Mapping[str, str],
) -> list[Item]:
    """The kept candidates as contract items, with the model's fields and text on them."""
    items: list[Item] = []
    for candidate, verdict in zip(found, verdicts, strict=True):
        if not getattr(verdict, "keep", True):  # drafts.KEPT_BY_THE_MODEL
            continue
        if isinstance(candidate, MeetingProposal):
            meeting = proposed_meeting(article, candidate, ids)
            if len(meeting.participants) >= 2:
                items.append(
                    meeting.model_copy(update={"format": verdict.format, "status": verdict.status})
                )
        elif isinstance(candidate, DevelopmentProposal):
            development = proposed_development(article, candidate, ids)
            update: dict[str, Any] = {"status": verdict.status}
            if description := _written(verdict.description):
                update["description"] = description
            items.append(development.model_copy(update=update))
        else:
            position = proposed_position(article, candidate, ids)
            if position is None:
                continue
            update = {"kind": verdict.kind}
            if topic := " ".join((verdict.topic or "").split()).strip(" ."):
                update["topic"] = topic
            if text := _written(verdict.position):
                update["position"] = text
            items.append(position.model_copy(update=update))
    return items
