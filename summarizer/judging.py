"""Stage 4b: the model judges the parse's proposals and writes their short fields.

The parse (proposals.py) finds candidates with fair recall and poor judgement: a demand to
withdraw reads like a withdrawal, a village like an actor. A small model judges better than
it recalls. So it is shown a section's numbered candidates (the sentence, the proposed actors
and fields) and asked about each in turn, in a schema-constrained call of its own: choose its
enum fields, write its free text in its own words and, in the sections it judges
(``drafts.KEPT_BY_THE_MODEL``), keep or drop it. The calls of an article differ only in their
last line, so the embedded model decodes them together (parallel.py). What is certain comes
from the parse: the evidence sentences, the actors, places, dates and tolls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .article import Article
from .contract import Actor, Meeting, MilitaryDevelopment, StatedPosition
from .drafts import MAX_CANDIDATES
from .grounding import ActorResolver, free_id, referenced_actors
from .normalize import fold
from .proposal_briefing import (
    proposed_actor,
    proposed_development,
    proposed_meeting,
    proposed_position,
)
from .proposals import (
    ActorProposal,
    DevelopmentProposal,
    MeetingProposal,
    PositionProposal,
    Proposals,
)

#: the judge passes, in the order they run
JUDGED_SECTIONS = ("meetings", "military_developments", "stated_positions")

Candidate = MeetingProposal | DevelopmentProposal | PositionProposal
Item = Meeting | MilitaryDevelopment | StatedPosition


class ActorMap:
    """Proposal actor keys as the ids of the model's actors.

    A proposal actor the model also listed (by name, alias, surname or a near spelling) takes
    its id; one it did not list becomes an actor of its own, kept only when a kept item
    refers to it.
    """

    def __init__(self, article: Article, actors: Sequence[Actor], proposals: Proposals) -> None:
        resolver = ActorResolver(article, actors)
        self.ids: dict[str, str] = {}
        self.extra: list[Actor] = []
        self.actors = list(actors)
        """The model's actors, a person it named by surname alone under the full name the
        article gives ("fullest name in the article"), the surname kept as an alias."""
        taken = {a.id for a in actors}
        position = {a.id: i for i, a in enumerate(actors)}
        for proposal in proposals.actors:
            known = next(
                (
                    found
                    for form in (proposal.name, *proposal.aliases)
                    if (found := resolver.lookup(fold(form)))
                ),
                None,
            ) or _within(proposal, actors)
            if known is None:
                known = free_id(proposal.name, taken)
                actor = proposed_actor(article, proposal, known)
                self.extra.append(actor)
                resolver.learn(actor)
            elif known in position and _fuller(proposal, actor := self.actors[position[known]]):
                self.actors[position[known]] = actor.model_copy(
                    update={
                        "name": proposal.name,
                        "aliases": list(dict.fromkeys([actor.name, *actor.aliases])),
                    }
                )
            taken.add(known)
            self.ids[proposal.key] = known

    def used_extra(self, sections: Mapping[str, Sequence[Item]]) -> list[Actor]:
        """The actors of the parse's own that the kept items refer to."""
        used = referenced_actors(sections.values())
        return [a for a in self.extra if a.id in used]


def _fuller(proposal: ActorProposal, actor: Actor) -> bool:
    """The parse names the person the model named by a surname ("Dask") in full ("Elena
    Dask")."""
    named, full = fold(actor.name).split(), fold(proposal.name).split()
    return (
        actor.type == proposal.type == "person"
        and len(named) < len(full)
        and full[-len(named) :] == named
    )


def _within(proposal: ActorProposal, actors: Sequence[Actor]) -> str | None:
    """The one model actor of the proposal's type whose whole name the proposal's name contains
    ("Valdorian army" in "Valdorian army units"); people excepted, whose names resolve above."""
    if proposal.type == "person":
        return None
    name = f" {fold(proposal.name)} "
    found = {a.id for a in actors if a.type == proposal.type and f" {fold(a.name)} " in name}
    return found.pop() if len(found) == 1 else None


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
            update: dict[str, Any] = {"type": verdict.type, "status": verdict.status}
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
