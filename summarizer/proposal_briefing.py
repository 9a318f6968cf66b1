"""Contract items from the parse's proposals: on their own, or as the judge pass's base.

Actors get slug ids, aliases and the sentence of their first mention as evidence; every
other item cites the whole sentences its candidate was read from (contract rule 9) and refers
to actors through ``ids`` (proposal key to actor id; a key without an id is left out). Free
text (descriptions, positions, topics) is the article's own clause until a model writes it
(judging.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .article import Article
from .contract import (
    Actor,
    Briefing,
    Meeting,
    MilitaryDevelopment,
    Span,
    StatedPosition,
)
from .normalize import date_ref, slugify
from .proposals import (
    ActorProposal,
    DevelopmentProposal,
    MeetingProposal,
    PositionProposal,
    Proposals,
)


def _spans(article: Article, numbers: Iterable[int]) -> list[Span]:
    sentences = {s.number: s for s in article.sentences}
    return [
        Span(start=sentences[n].start, end=sentences[n].end, text=sentences[n].text)
        for n in sorted(set(numbers))
        if n in sentences
    ]


def _sentence(article: Article, number: int) -> str:
    return article.sentences[number - 1].text


def _topic(text: str) -> str:
    """A short noun phrase for a position: its first words."""
    words = text.split()
    return " ".join(words[:8]) or text


def _refs(ids: Mapping[str, str], keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids[k] for k in keys if k in ids))


def proposed_actor(article: Article, proposal: ActorProposal, actor_id: str) -> Actor:
    return Actor(
        id=actor_id,
        name=proposal.name,
        type=proposal.type,
        role=proposal.role,
        affiliation=proposal.affiliation,
        aliases=list(proposal.aliases),
        evidence=_spans(article, proposal.sentences[:1]),
    )


def proposed_meeting(article: Article, m: MeetingProposal, ids: Mapping[str, str]) -> Meeting:
    return Meeting(
        participants=_refs(ids, m.participants),
        format=m.format,
        location=m.location,
        date=date_ref(m.date, article.published, future=m.status == "planned"),
        status=m.status,
        evidence=_spans(article, m.sentences),
    )


def proposed_development(
    article: Article, d: DevelopmentProposal, ids: Mapping[str, str]
) -> MilitaryDevelopment:
    return MilitaryDevelopment(
        type=d.type,
        description=d.clause or _sentence(article, d.sentences[0]),
        actors=_refs(ids, d.actors),
        targets=_refs(ids, d.targets),
        location=d.location,
        date=date_ref(d.date, article.published, future=d.status == "planned"),
        killed=d.killed,
        injured=d.injured,
        status=d.status,
        evidence=_spans(article, d.sentences),
    )


def proposed_position(
    article: Article, p: PositionProposal, ids: Mapping[str, str]
) -> StatedPosition | None:
    """The position, or None when its holder has no id."""
    if p.holder not in ids:
        return None
    return StatedPosition(
        holder=ids[p.holder],
        kind=p.kind,
        topic=_topic(p.content),
        position=p.content,
        target=ids.get(p.target) if p.target else None,
        quote=p.quote,
        evidence=_spans(article, [p.sentence]),
    )


def proposed_actors(article: Article, proposals: Proposals) -> list[Actor]:
    """The parse's actors, in the proposals' order, each with a slug id of its own."""
    taken: set[str] = set()
    actors = []
    for proposal in proposals.actors:
        slug, n = slugify(proposal.name), 2
        while slug in taken:
            slug, n = f"{slugify(proposal.name)}-{n}", n + 1
        taken.add(slug)
        actors.append(proposed_actor(article, proposal, slug))
    return actors


def proposals_briefing(article: Article, proposals: Proposals) -> Briefing:
    """The briefing the proposals make on their own, validated against the article."""
    actors = proposed_actors(article, proposals)
    ids = {p.key: a.id for p, a in zip(proposals.actors, actors, strict=True)}
    positions = [proposed_position(article, p, ids) for p in proposals.positions]
    first = article.sentences[0].text if article.sentences else article.text
    data = Briefing(
        article=article.ref(),
        summary=article.title or first,
        actors=actors,
        meetings=[proposed_meeting(article, m, ids) for m in proposals.meetings],
        military_developments=[
            proposed_development(article, d, ids) for d in proposals.developments
        ],
        stated_positions=[p for p in positions if p is not None],
    )
    return Briefing.model_validate(data.model_dump(), context={"article_text": article.text})
