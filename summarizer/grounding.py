"""Stage 4: ground the model's drafts in the article and make them contract items.

Sentence numbers become character spans copied from the article, so a briefing can only
cite text that is there. Actors get stable slug ids; the same actor written twice (or
once by name and once by alias) becomes one actor. Items repeated by the model are
dropped, as are items the contract rules out (a meeting with fewer than two participants).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from .article import Article
from .contract import Actor, Meeting, MilitaryDevelopment, Span, StatedPosition
from .normalize import date_ref, fold, slugify

_QUOTED = re.compile(r"[\"“”„«]([^\"“”„«»]{3,}?)[\"“”»]")


def spans(article: Article, numbers: Iterable[int]) -> list[Span]:
    """Evidence spans for sentence numbers, in article order, each sentence once."""
    by_number = {s.number: s for s in article.sentences}
    chosen = sorted({n for n in numbers if n in by_number})
    return [Span(start=by_number[n].start, end=by_number[n].end, text=by_number[n].text) for n in chosen]


def _evidence_text(evidence: Sequence[Span]) -> str:
    return " ".join(span.text for span in evidence)


def find_quote(evidence: Sequence[Span]) -> str | None:
    """The longest passage inside quotation marks in the evidence, verbatim, or None."""
    quotes = [m.group(1).strip() for span in evidence for m in _QUOTED.finditer(span.text)]
    quotes = [q for q in quotes if len(q.split()) >= 2]
    return max(quotes, key=len) if quotes else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value if value and value.lower() not in {"null", "none", "n/a", "unknown"} else None


def ground_actors(article: Article, drafts: Sequence[Any]) -> list[Actor]:
    """Actors with unique ids; drafts naming the same entity (by name or alias) are merged."""
    actors: list[Actor] = []
    by_form: dict[str, int] = {}
    for draft in drafts:
        name = _clean(draft.name)
        if name is None:
            continue
        aliases = [a for a in (_clean(x) for x in getattr(draft, "aliases", [])) if a and fold(a) != fold(name)]
        forms = [fold(name), *(fold(a) for a in aliases)]
        index = next((by_form[f] for f in forms if f in by_form), None)
        evidence = spans(article, draft.evidence)
        if index is None:
            if not evidence:
                continue
            base = slugify(name)
            taken = {a.id for a in actors}
            actor_id, n = base, 2
            while actor_id in taken:
                actor_id, n = f"{base}-{n}", n + 1
            actors.append(
                Actor(id=actor_id, name=name, type=draft.type, role=_clean(draft.role),
                      affiliation=_clean(draft.affiliation), aliases=list(dict.fromkeys(aliases)), evidence=evidence)
            )
            index = len(actors) - 1
        else:
            known = actors[index]
            merged_aliases = [a for a in dict.fromkeys([*known.aliases, name, *aliases]) if fold(a) != fold(known.name)]
            numbers = {s.number for s in article.sentences if any(s.start == e.start for e in known.evidence)}
            actors[index] = known.model_copy(update={
                "aliases": merged_aliases,
                "role": known.role or _clean(draft.role),
                "affiliation": known.affiliation or _clean(draft.affiliation),
                "evidence": spans(article, [*numbers, *draft.evidence]),
            })
        for form in forms:
            by_form.setdefault(form, index)
    return actors


def _unique(items: list[Any], key: Any) -> list[Any]:
    seen: set[Any] = set()
    kept = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            kept.append(item)
    return kept


def _known(refs: Iterable[str], known: set[str]) -> list[str]:
    return [ref for ref in dict.fromkeys(refs) if ref in known]


def ground_meetings(article: Article, drafts: Sequence[Any], known: set[str]) -> list[Meeting]:
    meetings = []
    for draft in drafts:
        participants = _known(draft.participants, known)
        evidence = spans(article, draft.evidence)
        if len(participants) < 2 or not evidence:
            continue
        meetings.append(Meeting(
            participants=participants, format=draft.format, event=_clean(draft.event),
            location=_clean(draft.location), date=date_ref(_clean(draft.date), article.published, _evidence_text(evidence)),
            topics=[t for t in (_clean(x) for x in draft.topics) if t], status=draft.status, evidence=evidence,
        ))
    return _unique(meetings, lambda m: (frozenset(m.participants), m.format, tuple(s.start for s in m.evidence)))


def ground_developments(article: Article, drafts: Sequence[Any], known: set[str]) -> list[MilitaryDevelopment]:
    developments = []
    for draft in drafts:
        evidence = spans(article, draft.evidence)
        description = _clean(draft.description)
        if not evidence or description is None:
            continue
        actors = _known(draft.actors, known)
        developments.append(MilitaryDevelopment(
            type=draft.type, description=description, actors=actors,
            targets=[t for t in _known(draft.targets, known) if t not in actors],
            location=_clean(draft.location), date=date_ref(_clean(draft.date), article.published, _evidence_text(evidence)),
            killed=draft.killed if draft.killed is None or draft.killed >= 0 else None,
            injured=draft.injured if draft.injured is None or draft.injured >= 0 else None,
            status=draft.status, evidence=evidence,
        ))
    return _unique(developments, lambda d: (d.type, tuple(s.start for s in d.evidence), frozenset(d.actors)))


def ground_positions(article: Article, drafts: Sequence[Any], known: set[str]) -> list[StatedPosition]:
    positions = []
    for draft in drafts:
        evidence = spans(article, draft.evidence)
        topic, position = _clean(draft.topic), _clean(draft.position)
        if not evidence or topic is None or position is None or draft.holder not in known:
            continue
        target = draft.target if draft.target in known and draft.target != draft.holder else None
        positions.append(StatedPosition(
            holder=draft.holder, kind=draft.kind, topic=topic, position=position, target=target,
            quote=find_quote(evidence) if draft.quoted else None, evidence=evidence,
        ))
    return _unique(positions, lambda p: (p.holder, p.kind, fold(p.topic), tuple(s.start for s in p.evidence)))
