"""Contract items from the parse's proposals alone, so they can be scored without a model.

Actors get slug ids, aliases and the sentence of their first mention as evidence; every
other item cites the whole sentences its candidate was read from (contract rule 9). Free
text (descriptions, positions, topics) is the article's own clause, since nothing here writes.
"""

from __future__ import annotations

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
from .proposals import Proposals


def _spans(article: Article, numbers: tuple[int, ...] | list[int]) -> list[Span]:
    sentences = {s.number: s for s in article.sentences}
    return [
        Span(start=sentences[n].start, end=sentences[n].end, text=sentences[n].text)
        for n in sorted(set(numbers))
        if n in sentences
    ]


def _topic(text: str) -> str:
    """A short noun phrase for a position: its first words."""
    words = text.split()
    return " ".join(words[:8]) or text


def proposals_briefing(article: Article, proposals: Proposals) -> Briefing:
    """The briefing the proposals make on their own, validated against the article."""
    ids: dict[str, str] = {}
    actors: list[Actor] = []
    for proposal in proposals.actors:
        slug, n = slugify(proposal.name), 2
        while slug in ids.values():
            slug, n = f"{slugify(proposal.name)}-{n}", n + 1
        ids[proposal.key] = slug
        actors.append(
            Actor(
                id=slug,
                name=proposal.name,
                type=proposal.type,
                role=proposal.role,
                affiliation=proposal.affiliation,
                aliases=list(proposal.aliases),
                evidence=_spans(article, proposal.sentences[:1]),
            )
        )

    def sentence_text(number: int) -> str:
        return article.sentences[number - 1].text

    meetings = [
        Meeting(
            participants=[ids[p] for p in m.participants],
            format=m.format,
            location=m.location,
            date=date_ref(m.date, article.published, sentence_text(m.sentences[0])),
            status=m.status,
            evidence=_spans(article, m.sentences),
        )
        for m in proposals.meetings
    ]
    developments = [
        MilitaryDevelopment(
            type=d.type,
            description=d.clause or sentence_text(d.sentences[0]),
            actors=[ids[a] for a in d.actors],
            targets=[ids[t] for t in d.targets],
            location=d.location,
            date=date_ref(d.date, article.published, sentence_text(d.sentences[0])),
            killed=d.killed,
            injured=d.injured,
            status=d.status,
            evidence=_spans(article, d.sentences),
        )
        for d in proposals.developments
    ]
    positions = [
        StatedPosition(
            holder=ids[p.holder],
            kind=p.kind,
            topic=_topic(p.content),
            position=p.content,
            target=ids[p.target] if p.target else None,
            quote=p.quote,
            evidence=_spans(article, [p.sentence]),
        )
        for p in proposals.positions
    ]
    first = article.sentences[0].text if article.sentences else article.text
    data = Briefing(
        article=article.ref(),
        summary=article.title or first,
        actors=actors,
        meetings=meetings,
        military_developments=developments,
        stated_positions=positions,
    )
    return Briefing.model_validate(data.model_dump(), context={"article_text": article.text})
