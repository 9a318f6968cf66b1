"""Stage 7: show a briefing to a person (Markdown, an HTML page) or a program (JSON)."""

from __future__ import annotations

from collections.abc import Iterable

from .article import Article
from .contract import Briefing, DateRef, Span

#: output formats and their file extensions
FORMATS = {"json": ".json", "markdown": ".md", "html": ".html"}


def render(briefing: Briefing, article: Article, output_format: str) -> str:
    """The briefing as a file's text in one of :data:`FORMATS`."""
    if output_format == "json":
        return to_json(briefing) + "\n"
    if output_format == "html":
        # imported here: the page's scoring pulls in scipy, 0.6 s that no other format needs
        from .html import briefing_page

        return briefing_page(briefing, article)
    if output_format == "markdown":
        return to_markdown(briefing)
    raise ValueError(f"unknown output format {output_format!r}; expected one of {list(FORMATS)}")


def to_json(briefing: Briefing, *, indent: int | None = 2) -> str:
    return briefing.model_dump_json(indent=indent)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _date(date: DateRef | None) -> str:
    if date is None:
        return ""
    return f"{date.value or '?'} ({date.text})"


def _evidence(evidence: Iterable[Span], numbers: dict[int, int]) -> str:
    return ", ".join(f"[{numbers.get(span.start, '?')}]" for span in evidence)


def to_markdown(briefing: Briefing) -> str:
    """A readable briefing; evidence is cited by number and listed at the end."""
    spans = sorted({(s.start, s.text) for item in _all_items(briefing) for s in item.evidence})
    numbers = {start: i for i, (start, _) in enumerate(spans, 1)}
    names = {actor.id: actor.name for actor in briefing.actors}

    def who(ids: Iterable[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids)

    article = briefing.article
    lines = [f"# Briefing: {article.title or article.id}", ""]
    meta = [
        x
        for x in (article.source, article.published and article.published.isoformat(), article.url)
        if x
    ]
    if meta:
        lines += [" · ".join(meta), ""]
    lines += ["## Summary", "", briefing.summary or "_(none)_", ""]

    lines += ["## Actors", ""]
    if briefing.actors:
        lines += ["| Name | Type | Role | Affiliation | Evidence |", "|---|---|---|---|---|"]
        lines += [
            f"| {_cell(a.name)} | {a.type} | {_cell(a.role)} | {_cell(a.affiliation)} | "
            f"{_evidence(a.evidence, numbers)} |"
            for a in briefing.actors
        ]
    else:
        lines.append("_None found._")
    lines.append("")

    lines += ["## Meetings", ""]
    for m in briefing.meetings:
        where = ", ".join(x for x in (m.event, m.location) if x)
        lines.append(
            f"- **{who(m.participants)}** — {m.format}, {m.status}"
            + (f", {where}" if where else "")
            + (f", {_date(m.date)}" if m.date else "")
            + (f"; topics: {', '.join(m.topics)}" if m.topics else "")
            + f" {_evidence(m.evidence, numbers)}"
        )
    if not briefing.meetings:
        lines.append("_None found._")
    lines.append("")

    lines += ["## Military developments", ""]
    for d in briefing.military_developments:
        facts: list[str] = [d.type, d.status]
        if d.location:
            facts.append(d.location)
        if d.date:
            facts.append(_date(d.date))
        if d.killed is not None:
            facts.append(f"killed: {d.killed}")
        if d.injured is not None:
            facts.append(f"injured: {d.injured}")
        parties = who(d.actors) + (f" → {who(d.targets)}" if d.targets else "")
        lines.append(
            f"- {d.description} ({', '.join(facts)})"
            + (f" — {parties}" if parties else "")
            + f" {_evidence(d.evidence, numbers)}"
        )
    if not briefing.military_developments:
        lines.append("_None found._")
    lines.append("")

    lines += ["## Stated positions", ""]
    for p in briefing.stated_positions:
        target = f" → {names.get(p.target, p.target)}" if p.target else ""
        quote = f' — "{p.quote}"' if p.quote else ""
        lines.append(
            f"- **{names.get(p.holder, p.holder)}**{target} ({p.kind}, {p.topic}): "
            f"{p.position}{quote} "
            f"{_evidence(p.evidence, numbers)}"
        )
    if not briefing.stated_positions:
        lines.append("_None found._")
    lines.append("")

    if spans:
        lines += ["## Evidence", ""]
        lines += [f"{numbers[start]}. {text}" for start, text in spans]
        lines.append("")
    if briefing.provenance:
        made = briefing.provenance
        lines.append(
            f"_{made.backend} · {made.model} · prompt {made.prompt_version} · "
            f"{made.attempts} calls · {made.input_tokens} in / {made.output_tokens} out tokens · "
            f"{made.seconds:.1f} s" + (" · cached" if made.cached else "") + "_"
        )
    return "\n".join(lines).rstrip() + "\n"


def _all_items(briefing: Briefing) -> list:
    return [
        *briefing.actors,
        *briefing.meetings,
        *briefing.military_developments,
        *briefing.stated_positions,
    ]
