"""Stage 7b: self-contained HTML views of a briefing beside its article, and of an eval run.

Both pages are built from the same blocks: an article view whose sentences are spans
(from the sentence offsets, so evidence spans map onto them by overlap) and one card per
item. Every string from an article or a briefing goes through ``html.escape``. Data for
the script travels as JSON in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped, so no article text can end the block. A page loads nothing (CSS
and JS are inline, a CSP forbids fetching) and reads fine without JS: every item is
shown and every cited sentence is marked; the script only adds hover and click
highlighting.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .article import Article
from .contract import (
    Actor,
    Briefing,
    DateRef,
    Meeting,
    MilitaryDevelopment,
    Provenance,
    Span,
    StatedPosition,
)
from .scoring import SECTIONS, ArticleScore, ArticleSectionScore, Section, score_article

SECTION_TITLES: dict[Section, str] = {
    "actors": "Actors",
    "meetings": "Meetings",
    "military_developments": "Military developments",
    "stated_positions": "Stated positions",
}
_KEY_LETTERS: dict[Section, str] = {
    "actors": "a",
    "meetings": "m",
    "military_developments": "d",
    "stated_positions": "p",
}
_FORMAT_TITLES = {
    "call": "Call",
    "bilateral": "Bilateral meeting",
    "multilateral": "Multilateral meeting",
    "other": "Meeting",
}
_METRIC_LABELS = {"f1": "F1", "briefing_f1": "Briefing F1", "tp": "TP", "fp": "FP", "fn": "FN"}

Item = Actor | Meeting | MilitaryDevelopment | StatedPosition
Graph = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class ReportRow:
    """One article of an eval run: gold, the prediction and its score, or the error that stopped it.

    ``score`` may be left out when ``predicted`` is given: the report scores the pair with
    the default matching config.
    """

    article: Article
    gold: Briefing
    predicted: Briefing | None = None
    score: ArticleScore | None = None
    error: str | None = None


@dataclass
class _View:
    """One briefing placed on a page: ``prefix`` keys its items (unique on the page) and
    ``article_prefix`` names the article view its evidence points into."""

    briefing: Briefing
    article: Article
    prefix: str
    article_prefix: str
    actor_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.actor_index = {actor.id: i for i, actor in enumerate(self.briefing.actors)}

    def items(self, section: Section) -> list[Item]:
        return list(getattr(self.briefing, section))

    def key(self, section: Section, index: int) -> str:
        return f"{self.prefix}-{_KEY_LETTERS[section]}{index}"

    def actor_key(self, actor_id: str) -> str | None:
        index = self.actor_index.get(actor_id)
        return None if index is None else self.key("actors", index)

    def sentence_id(self, number: int) -> str:
        return f"{self.article_prefix}-s{number}"

    def cited(self, spans: Sequence[Span]) -> list[int]:
        """Numbers of the sentences the spans overlap (a span may skip a dateline or run over
        two)."""
        return [
            s.number
            for s in self.article.sentences
            if any(p.start < s.end and s.start < p.end for p in spans)
        ]

    def all_cited(self) -> set[int]:
        return {
            n
            for section in SECTIONS
            for item in self.items(section)
            for n in self.cited(item.evidence)
        }


# ---------------------------------------------------------------------------------------
# Public pages


def briefing_page(briefing: Briefing, article: Article) -> str:
    """One HTML file: the article with cited sentences marked, beside the briefing's sections."""
    view = _View(briefing, article, prefix="b", article_prefix="b")
    counts = {section: len(view.items(section)) for section in SECTIONS}
    toc = ['<a href="#summary">Summary</a>', '<a href="#timeline">Timeline</a>']
    toc += [
        f'<a href="#{_css(s)}">{SECTION_TITLES[s]} <span class="count">{counts[s]}</span></a>'
        for s in SECTIONS
    ]
    toc.append('<a href="#article">Article</a>')
    header = (
        '<header class="top"><p class="kicker">Briefing</p>'
        f"<h1>{_e(article.title or article.id)}</h1>"
        f"{_article_meta(article)}"
        f'<nav class="toc" aria-label="Sections">{"".join(toc)}</nav></header>'
    )
    sections = [
        _section(_css(s), SECTION_TITLES[s], str(counts[s]), _cards(view, s), level=2)
        for s in SECTIONS
    ]
    brief = (
        _section(
            "summary",
            "Summary",
            "",
            f'<p class="summary-text">{_e(briefing.summary) or "(none)"}</p>',
            level=2,
        )
        + _section("timeline", "Timeline", "", _timeline(view), level=2)
        + "".join(sections)
        + (_provenance(briefing.provenance) if briefing.provenance else "")
    )
    marks = {n: {"cited"} for n in view.all_cited()}
    pane = _article_pane(article, "b", marks, level=2, pane_id="article")
    layout = f'<div class="layout"><div class="brief">{brief}</div>{pane}</div>'
    title = f"Briefing: {article.title or article.id}"
    return _page(title, header + layout, _graph(view))


def eval_report(rows: Sequence[ReportRow], summary: Mapping[str, Any]) -> str:
    """The eval report: totals, a table of articles, then per article gold beside prediction.

    ``summary`` maps a section name to its metrics (precision, recall, f1, ...); plain
    numbers in it (``briefing_f1``) are shown as headline figures.
    """
    graph: Graph = {}
    scores = [_row_score(row) for row in rows]
    articles = []
    for i, (row, score) in enumerate(zip(rows, scores, strict=True)):
        section_html, section_graph = _report_article(i, row, score)
        articles.append(section_html)
        graph.update(section_graph)
    failed = sum(row.predicted is None for row in rows)
    header = (
        '<header class="top" id="top"><p class="kicker">Evaluation report</p>'
        "<h1>Briefings against gold</h1>"
        f'<p class="meta">{len(rows)} articles · {failed} failed</p></header>'
    )
    body = (
        header
        + _section(
            "totals", "Totals", "micro-averaged over the set", _summary_table(summary), level=2
        )
        + _section("articles", "Articles", "", _articles_table(rows, scores), level=2)
        + "".join(articles)
    )
    return _page("Evaluation report", body, graph)


# ---------------------------------------------------------------------------------------
# Shared blocks: article view, cards, sections


def _article_pane(
    article: Article,
    prefix: str,
    marks: Mapping[int, Iterable[str]],
    *,
    level: int,
    pane_id: str,
    legend: str = "",
) -> str:
    return (
        f'<section class="article-pane" id="{pane_id}"><h{level}>Article</h{level}>{legend}'
        f"{_article_view(article, prefix, marks)}</section>"
    )


def _article_view(article: Article, prefix: str, marks: Mapping[int, Iterable[str]]) -> str:
    """The article text with each sentence in a span (id ``PREFIX-sN``) so evidence can be marked
    and lit up."""
    parts: list[str] = []
    cursor = 0
    for sentence in article.sentences:
        parts.append(_e(article.text[cursor : sentence.start]))
        classes = " ".join(["sent", *sorted(marks.get(sentence.number, ()))])
        parts.append(
            f'<sup class="n" aria-hidden="true">{sentence.number}</sup>'
            f'<span class="{classes}" id="{prefix}-s{sentence.number}">{_e(sentence.text)}</span>'
        )
        cursor = sentence.end
    parts.append(_e(article.text[cursor:]))
    return f'<div class="article-text">{"".join(parts)}</div>'


def _section(id_: str, title: str, note: str, inner: str, *, level: int) -> str:
    note_html = f' <span class="count">{_e(note)}</span>' if note else ""
    heading = f"<h{level}>{_e(title)}{note_html}</h{level}>"
    return f'<section class="section" id="{id_}">{heading}{inner}</section>'


def _cards(view: _View, section: Section) -> str:
    items = view.items(section)
    if not items:
        return '<p class="none">None found.</p>'
    grid = " grid" if section == "actors" else ""
    cards = "".join(_card(view, section, i) for i in range(len(items)))
    return f'<div class="cards{grid}">{cards}</div>'


def _card(view: _View, section: Section, index: int) -> str:
    """One item as a focusable card keyed for the script; its evidence as links to the sentences."""
    item = view.items(section)[index]
    key = view.key(section, index)
    return (
        f'<article class="card {_css(section)}" id="{key}" data-key="{key}" tabindex="0">'
        f"{_card_body(view, item)}{_evidence_refs(view, item.evidence)}</article>"
    )


def _card_body(view: _View, item: Item) -> str:
    if isinstance(item, Actor):
        meta = " · ".join(_e(x) for x in (item.role, item.affiliation) if x)
        return (
            _card_head(_e(item.name), [item.type])
            + (f'<p class="meta">{meta}</p>' if meta else "")
            + (f'<p class="meta">Also: {_e(", ".join(item.aliases))}</p>' if item.aliases else "")
        )
    if isinstance(item, Meeting):
        title = _e(item.event) if item.event else _FORMAT_TITLES[item.format]
        badges = ([item.format] if item.event else []) + [item.status]
        facts = [
            ("Location", _opt(item.location)),
            ("Date", _date(item.date)),
            ("Topics", _e(", ".join(item.topics)) or None),
        ]
        return (
            _card_head(title, badges)
            + f'<p class="who">{_chips(view, item.participants)}</p>'
            + _facts(facts)
        )
    if isinstance(item, MilitaryDevelopment):
        who = _chips(view, item.actors)
        if item.targets:
            who += f'<span class="arrow" aria-label="against">→</span>{_chips(view, item.targets)}'
        facts = [
            ("Location", _opt(item.location)),
            ("Date", _date(item.date)),
            ("Killed", _opt(item.killed)),
            ("Injured", _opt(item.injured)),
        ]
        who_html = f'<p class="who">{who}</p>' if who else ""
        return _card_head(_e(item.description), [item.type, item.status]) + who_html + _facts(facts)
    who = _chips(view, [item.holder])
    if item.target:
        who += f'<span class="arrow" aria-label="to">→</span>{_chips(view, [item.target])}'
    quote = f"<blockquote>“{_e(item.quote)}”</blockquote>" if item.quote else ""
    return (
        _card_head(_e(item.topic), [item.kind])
        + f'<p class="who">{who}</p><p>{_e(item.position)}</p>{quote}'
    )


def _card_head(title_html: str, badges: Sequence[str]) -> str:
    badge_html = "".join(
        f'<span class="badge b-{_css(b)}">{_e(b.replace("_", " "))}</span>' for b in badges
    )
    return (
        f'<header class="card-head"><h3 class="card-title">{title_html}</h3>'
        f'<span class="badges">{badge_html}</span></header>'
    )


def _chips(view: _View, actor_ids: Iterable[str]) -> str:
    """Actors as links to their cards; the script turns a click into 'show what this actor did'."""
    chips = []
    for actor_id in actor_ids:
        key = view.actor_key(actor_id)
        if key is None:
            chips.append(f'<span class="chip unknown">{_e(actor_id)}</span>')
        else:
            name = view.briefing.actors[view.actor_index[actor_id]].name
            chips.append(f'<a class="chip" href="#{key}" data-key="{key}">{_e(name)}</a>')
    return " ".join(chips)


def _facts(facts: Sequence[tuple[str, str | None]]) -> str:
    rows = "".join(
        f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in facts if value
    )
    return f'<dl class="facts">{rows}</dl>' if rows else ""


def _evidence_refs(view: _View, spans: Sequence[Span]) -> str:
    links = " ".join(
        f'<a class="ev" href="#{view.sentence_id(n)}">[{n}]</a>' for n in view.cited(spans)
    )
    return f'<p class="ev-refs">Evidence: {links or "(outside the sentence list)"}</p>'


def _date(date: DateRef | None) -> str | None:
    if date is None:
        return None
    if date.value is None:
        return f'{_e(date.text)} <span class="muted">(unresolved)</span>'
    return (
        f'<time datetime="{_e(date.value)}">{_e(date.value)}</time> '
        f'<span class="muted">({_e(date.text)})</span>'
    )


def _timeline(view: _View) -> str:
    """Meetings and developments with a resolved date, in date order (ISO strings sort by date)."""
    dated: list[tuple[str, Section, int]] = [
        (item.date.value, section, i)
        for section in ("meetings", "military_developments")
        for i, item in enumerate(view.items(section))
        if isinstance(item, (Meeting, MilitaryDevelopment)) and item.date and item.date.value
    ]
    if not dated:
        return '<p class="none">No dated meetings or developments.</p>'
    entries = []
    for value, section, i in sorted(dated):
        item = view.items(section)[i]
        key = view.key(section, i)
        kind = "meeting" if section == "meetings" else "development"
        entries.append(
            f'<li class="tl-item" data-key="{key}" tabindex="0">'
            f'<time datetime="{_e(value)}">{_e(value)}</time>'
            f'<span class="badge b-{kind}">{kind}</span> {_e(_label(view, item))}</li>'
        )
    return f'<ol class="timeline">{"".join(entries)}</ol>'


def _label(view: _View, item: Item) -> str:
    """A one-line plain-text name of an item, for the timeline and the selection bar."""

    def names(ids: Iterable[str]) -> str:
        return ", ".join(
            view.briefing.actors[view.actor_index[i]].name if i in view.actor_index else i
            for i in ids
        )

    if isinstance(item, Actor):
        return item.name
    if isinstance(item, Meeting):
        return f"{item.event or _FORMAT_TITLES[item.format]}: {names(item.participants)}"
    if isinstance(item, MilitaryDevelopment):
        return item.description
    return f"{names([item.holder])}: {item.topic}"


def _graph(view: _View) -> Graph:
    """What each item or actor lights up: its label, evidence sentence ids and linked keys.

    An item links to the actors it names; an actor links to every item naming it and
    lights up their evidence as well as its own.
    """
    graph: Graph = {}
    involved: dict[str, list[str]] = {actor.id: [] for actor in view.briefing.actors}
    for section in SECTIONS[1:]:
        for i, item in enumerate(view.items(section)):
            key = view.key(section, i)
            actor_ids = _unique(_named_actors(item))
            links = [k for k in map(view.actor_key, actor_ids) if k]
            graph[key] = {
                "label": _label(view, item),
                "sentences": _sentence_ids(view, item.evidence),
                "links": links,
            }
            for actor_id in actor_ids:
                involved.setdefault(actor_id, []).append(key)
    for i, actor in enumerate(view.briefing.actors):
        items = involved[actor.id]
        sentences = _sentence_ids(view, actor.evidence) + [
            s for k in items for s in graph[k]["sentences"]
        ]
        graph[view.key("actors", i)] = {
            "label": actor.name,
            "sentences": _unique(sentences),
            "links": items,
        }
    return graph


def _named_actors(item: Item) -> list[str]:
    if isinstance(item, Meeting):
        return list(item.participants)
    if isinstance(item, MilitaryDevelopment):
        return [*item.actors, *item.targets]
    if isinstance(item, StatedPosition):
        return [item.holder, *([item.target] if item.target else [])]
    return []


def _sentence_ids(view: _View, spans: Sequence[Span]) -> list[str]:
    return [view.sentence_id(n) for n in view.cited(spans)]


def _article_meta(article: Article) -> str:
    """Source, date and url; the url is a link only when it is http(s), never javascript: or
    data:."""
    parts = [_e(article.source)] if article.source else []
    if article.published:
        published = article.published.isoformat()
        parts.append(f'<time datetime="{published}">{published}</time>')
    if article.url:
        url = _e(article.url)
        is_web = article.url.lower().startswith(("http://", "https://"))
        parts.append(f'<a href="{url}" rel="noopener noreferrer">{url}</a>' if is_web else url)
    return f'<p class="meta">{" · ".join(parts)}</p>' if parts else ""


def _provenance(p: Provenance) -> str:
    facts = [
        p.backend,
        p.model,
        f"prompt {p.prompt_version}",
        f"{p.attempts} calls",
        f"{p.input_tokens} in / {p.output_tokens} out tokens",
        f"{p.seconds:.1f} s",
    ]
    if p.cached:
        facts.append("cached")
    return f'<p class="provenance">{_e(" · ".join(facts))}</p>'


# ---------------------------------------------------------------------------------------
# Eval report blocks


def _row_score(row: ReportRow) -> ArticleScore | None:
    if row.score is not None or row.predicted is None:
        return row.score
    return score_article(row.predicted, row.gold)


def _report_article(index: int, row: ReportRow, score: ArticleScore | None) -> tuple[str, Graph]:
    """One article: gold and prediction side by side per section, over the article view."""
    prefix = f"r{index}"
    gold = _View(row.gold, row.article, f"{prefix}g", prefix)
    predicted = _View(row.predicted, row.article, f"{prefix}p", prefix) if row.predicted else None
    marks: dict[int, set[str]] = {}
    for view, mark in ((gold, "ev-gold"), (predicted, "ev-pred")):
        for n in view.all_cited() if view else ():
            marks.setdefault(n, set()).add(mark)

    gold_summary = f'<p class="summary-text">{_e(row.gold.summary)}</p>'
    if predicted is None or score is None:
        # nothing to compare: show gold the way the briefing page does
        sections = [_section(f"{prefix}-summary", "Gold summary", "", gold_summary, level=3)]
        sections += [
            _section(
                f"{prefix}-{_css(s)}",
                SECTION_TITLES[s],
                f"{len(gold.items(s))} in gold",
                _cards(gold, s),
                level=3,
            )
            for s in SECTIONS
        ]
    else:
        predicted_summary = f'<p class="summary-text">{_e(predicted.briefing.summary)}</p>'
        summary_pair = _PAIR_HEAD + _pair("summary-pair", "", gold_summary, predicted_summary)
        sections = [_section(f"{prefix}-summary", "Summary", "", summary_pair, level=3)]
        for section in SECTIONS:
            section_score: ArticleSectionScore = getattr(score, section)
            inner = _pairs(gold, predicted, section, section_score)
            sections.append(
                _section(
                    f"{prefix}-{_css(section)}",
                    SECTION_TITLES[section],
                    _rates_note(section_score),
                    inner,
                    level=3,
                )
            )

    legend = (
        '<p class="legend"><span class="sent ev-gold">gold evidence</span> '
        '<span class="sent ev-pred">predicted evidence</span> '
        '<span class="sent ev-gold ev-pred">both</span></p>'
    )
    pane = _article_pane(
        row.article, prefix, marks, level=3, pane_id=f"{prefix}-article", legend=legend
    )
    head = (
        f'<header class="article-head"><h2>{_e(row.article.title or row.article.id)}</h2>'
        f'<p class="meta"><code>{_e(row.article.id)}</code></p>{_article_meta(row.article)}'
        f'{_outcome(row, score)}<p class="meta">'
        '<a href="#top">↑ back to the totals</a></p></header>'
    )
    html_ = (
        f'<section class="report-article" id="{prefix}">{head}'
        f'<div class="layout"><div class="brief">{"".join(sections)}</div>{pane}</div></section>'
    )
    graph = _graph(gold) | (_graph(predicted) if predicted else {})
    return html_, graph


def _outcome(row: ReportRow, score: ArticleScore | None) -> str:
    if row.predicted is None or score is None:
        return (
            '<div class="error" role="alert"><strong>Failed: no briefing was made.</strong>'
            f"<pre>{_e(row.error or 'no prediction')}</pre></div>"
        )
    parts = [f"<strong>Briefing F1 {_fmt(score.briefing_f1)}</strong>"]
    parts += [f"{SECTION_TITLES[s]} {_fmt(getattr(score, s).f1)}" for s in SECTIONS]
    return f'<p class="scoreline">{" · ".join(parts)}</p>'


def _pairs(gold: _View, predicted: _View, section: Section, score: ArticleSectionScore) -> str:
    """Matched pairs first (by gold order), then missed gold items, then extra predictions."""
    out = []
    for match in sorted(score.matches, key=lambda m: m.gold):
        verdict = f"✓ Matched · similarity {match.similarity:.2f}"
        if match.wrong_fields:
            verdict += f" · differs in {', '.join(match.wrong_fields)}"
        cards = _card(gold, section, match.gold), _card(predicted, section, match.predicted)
        out.append(_pair("matched", verdict, *cards))
    out += [
        _pair("missed", "✗ Missed: in gold only", _card(gold, section, i), None)
        for i in score.missed
    ]
    out += [
        _pair("extra", "+ Extra: in the prediction only", None, _card(predicted, section, j))
        for j in score.extra
    ]
    return _PAIR_HEAD + "".join(out) if out else '<p class="none">None in gold or prediction.</p>'


_PAIR_HEAD = (
    '<div class="pair-head" aria-hidden="true"><span>Gold</span><span>Prediction</span></div>'
)


def _pair(css: str, verdict: str, gold_html: str | None, predicted_html: str | None) -> str:
    def side(label: str, content: str | None) -> str:
        if content is None:
            return (
                f'<div class="side empty"><p class="side-label">{label}</p>'
                '<p class="none">—</p></div>'
            )
        return f'<div class="side"><p class="side-label">{label}</p>{content}</div>'

    verdict_html = f'<p class="verdict">{_e(verdict)}</p>' if verdict else ""
    return (
        f'<div class="pair {css}">{verdict_html}'
        f"{side('Gold', gold_html)}{side('Prediction', predicted_html)}</div>"
    )


def _rates_note(score: ArticleSectionScore) -> str:
    return f"P {_fmt(score.precision)} · R {_fmt(score.recall)} · F1 {_fmt(score.f1)}"


def _summary_table(summary: Mapping[str, Any]) -> str:
    """Sections as rows with their scalar metrics as columns; top-level numbers as headline
    figures."""
    rows = {name: metrics for name, metrics in summary.items() if isinstance(metrics, Mapping)}
    headline = {name: value for name, value in summary.items() if not isinstance(value, Mapping)}
    columns = _unique(k for metrics in rows.values() for k, v in metrics.items() if _is_scalar(v))
    figures = "".join(
        f"<div><dt>{_e(_metric_label(k))}</dt><dd>{_e(_fmt(v))}</dd></div>"
        for k, v in headline.items()
    )
    head = "".join(f'<th class="num">{_e(_metric_label(c))}</th>' for c in columns)
    body = "".join(
        f"<tr><th>{_e(_metric_label(name))}</th>"
        + "".join(f'<td class="num">{_e(_fmt(metrics.get(c)))}</td>' for c in columns)
        + "</tr>"
        for name, metrics in rows.items()
    )
    if not rows and not figures:
        return '<p class="none">No totals.</p>'
    table = _table(f"<th>Section</th>{head}", body) if rows else ""
    return (f'<dl class="headline">{figures}</dl>' if figures else "") + table


def _articles_table(rows: Sequence[ReportRow], scores: Sequence[ArticleScore | None]) -> str:
    head = '<th>#</th><th>Article</th><th>Status</th><th class="num">Briefing F1</th>' + "".join(
        f'<th class="num">{SECTION_TITLES[s]} F1</th>' for s in SECTIONS
    )
    body = []
    for i, (row, score) in enumerate(zip(rows, scores, strict=True)):
        status = '<td class="bad">failed</td>' if row.predicted is None else "<td>ok</td>"
        figures = (
            [score.briefing_f1, *(getattr(score, s).f1 for s in SECTIONS)] if score else [None] * 5
        )
        cells = "".join(f'<td class="num">{_fmt(v)}</td>' for v in figures)
        body.append(
            f'<tr><td class="num">{i + 1}</td>'
            f'<td><a href="#r{i}">{_e(row.article.title or row.article.id)}</a>'
            f"<br><code>{_e(row.article.id)}</code></td>{status}{cells}</tr>"
        )
    return _table(head, "".join(body))


def _table(head: str, body: str) -> str:
    """A table that scrolls sideways on its own rather than widening a phone page."""
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="table-wrap">{table}</div>'


# ---------------------------------------------------------------------------------------
# Page skeleton and small helpers


def _page(title: str, body: str, graph: Graph) -> str:
    bar = (
        '<div class="selection" id="selection" hidden role="status"><span class="sel-label"></span>'
        '<a class="sel-jump" href="#">Go to evidence</a>'
        '<button type="button" class="sel-clear">Clear</button></div>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n"
        f'<body><div class="page">{body}</div>{bar}\n'
        f'<script type="application/json" id="graph">{_json_for_script(graph)}</script>\n'
        f"<script>{_JS}</script></body></html>\n"
    )


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` block or open a comment: ``<``, ``>``, ``&`` as \\u
    escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _opt(value: object | None) -> str | None:
    return None if value is None else _e(value)


def _css(name: str) -> str:
    return name.replace("_", "-")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (int, float, str))


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _metric_label(name: str) -> str:
    if name in SECTION_TITLES:
        return SECTION_TITLES[name]
    return _METRIC_LABELS.get(name, name.replace("_", " ").capitalize())


_CSS = """
:root{--ink:#1c2430;--muted:#5d6875;--line:#dbe0e6;--bg:#f4f5f7;--card:#fff;--accent:#2456a6;
--cited:#e2ebfa;
--hl:#ffd84d;--hl-soft:#fff7d6;--hl-line:#d9a800;--ok:#1f7a3a;--bad:#b3261e;--warn:#a35f00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);overflow-wrap:break-word;padding-bottom:72px;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
code{font-size:.85em}
.page{max-width:1440px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;line-height:1.25;margin:.15rem 0 .35rem}
h2{font-size:1.1rem;line-height:1.3;margin:0 0 .6rem}
h3{font-size:1rem;line-height:1.3;margin:0 0 .5rem}
.kicker{margin:0;color:var(--muted);font-size:.75rem;text-transform:uppercase;letter-spacing:.07em}
.meta{color:var(--muted);font-size:.88rem;margin:.15rem 0;overflow-wrap:anywhere}
.muted{color:var(--muted)}
.count{color:var(--muted);font-weight:400;font-size:.85rem}
.none{color:var(--muted);font-style:italic;margin:0}
.toc{display:flex;flex-wrap:wrap;gap:6px;margin:.7rem 0 0}
.toc a{text-decoration:none;background:var(--card);border:1px solid var(--line);border-radius:999px;
padding:2px 10px;
font-size:.85rem;color:var(--ink)}
.layout{display:grid;gap:16px;margin-top:14px}
.brief{min-width:0}
.section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;
margin-bottom:14px}
.summary-text{margin:0;font-size:1.02rem}
.cards{display:grid;gap:8px}
.cards.grid{grid-template-columns:repeat(auto-fill,minmax(210px,1fr))}
.card{border:1px solid var(--line);border-left:4px solid #c5ccd5;border-radius:8px;padding:8px 10px;
background:var(--card);cursor:pointer;transition:background .15s,border-color .15s}
.card:focus-visible,.tl-item:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.card p{margin:.3rem 0}
.card-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 8px}
.card-title{font-size:.97rem;flex:1 1 10em;margin:0}
.card-title::first-letter{text-transform:uppercase}
.badges{display:flex;flex-wrap:wrap;gap:4px}
.badge{font-size:.72rem;line-height:1.5;border-radius:4px;padding:0 6px;background:#eceff3;
color:#3a4350;
white-space:nowrap}
.b-claimed,.b-planned{background:#fff0d4;color:#7a4a00}
.b-denied,.b-cancelled{background:#fde3e1;color:#8c1d16}
.b-meeting{background:#e2ebfa;color:#1d4688}
.b-development{background:#fbe6d9;color:#8a3b0c}
.who{line-height:1.9}
.chip{display:inline-block;line-height:1.5;font-size:.85rem;padding:0 8px;border-radius:999px;
background:#eef3fb;
border:1px solid #cbd8ee;color:var(--ink);text-decoration:none}
.chip.unknown{background:#f3f3f3;border-style:dashed}
.arrow{color:var(--muted);margin:0 6px}
.facts{display:flex;flex-wrap:wrap;gap:0 14px;margin:.2rem 0;font-size:.88rem}
.facts div{display:flex;gap:5px}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
blockquote{margin:.4rem 0;padding:.1rem .7rem;border-left:3px solid var(--line);font-style:italic}
.ev-refs{font-size:.8rem;color:var(--muted)}
.ev-refs a{text-decoration:none}
.provenance{color:var(--muted);font-size:.8rem}
.timeline{list-style:none;margin:0;padding:0 0 0 16px;border-left:2px solid var(--line)}
.tl-item{position:relative;padding:3px 8px;margin:0 0 4px;border:1px solid transparent;
border-radius:6px;cursor:pointer}
.tl-item::before{content:"";position:absolute;left:-24px;top:10px;width:10px;height:10px;
border-radius:50%;
background:var(--accent);border:2px solid var(--card)}
.tl-item time{font-weight:600;font-variant-numeric:tabular-nums;margin-right:8px}
.tl-item .badge{margin-right:6px}
.article-pane{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:12px 16px;min-width:0}
.article-text{white-space:pre-wrap;font-family:Georgia,"Times New Roman",serif;font-size:1.02rem;
line-height:1.7}
.sent{border-radius:3px;-webkit-box-decoration-break:clone;box-decoration-break:clone;
transition:background .15s}
.article-text .n{font-family:system-ui,sans-serif;font-size:.62em;color:var(--muted);
margin-right:3px;line-height:0;
user-select:none}
.sent.cited,.sent.ev-pred{background:var(--cited)}
.sent.ev-gold{text-decoration:underline 2px var(--ok);text-underline-offset:4px}
.sent.hl{background:var(--hl)}
.card.hl,.tl-item.hl{background:var(--hl-soft);border-color:var(--hl-line)}
.chip.hl{background:var(--hl);border-color:var(--hl-line)}
.legend{font-size:.82rem;display:flex;flex-wrap:wrap;gap:6px 12px;margin:0 0 .6rem}
.legend .sent{padding:0 4px}
.selection[hidden]{display:none}
.selection{position:fixed;left:50%;bottom:12px;transform:translateX(-50%);width:max-content;
max-width:calc(100% - 24px);
display:flex;align-items:center;gap:10px;background:#1c2430;color:#fff;border-radius:10px;
padding:7px 8px 7px 14px;
box-shadow:0 4px 16px rgba(0,0,0,.25);font-size:.9rem;z-index:10}
.sel-label{overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;
min-width:0}
.sel-jump{color:#ffd84d;white-space:nowrap}
.sel-jump[hidden]{display:none}
.sel-clear{font:inherit;background:#3a4657;color:#fff;border:0;border-radius:6px;padding:3px 10px;
cursor:pointer}
.headline{display:flex;flex-wrap:wrap;gap:6px 28px;margin:0 0 10px}
.headline div{display:flex;flex-direction:column}
.headline dt{color:var(--muted);font-size:.8rem}
.headline dd{margin:0;font-size:1.3rem;font-weight:600;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{font-weight:600;color:var(--muted);white-space:nowrap}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bad{color:var(--bad);font-weight:600}
.report-article{border-top:3px solid var(--line);margin-top:28px;padding-top:14px}
.article-head h2{font-size:1.25rem;margin:0 0 .2rem}
.scoreline{margin:.4rem 0;font-size:.92rem}
.error{border:1px solid #f0b9b4;background:#fdf0ef;color:var(--bad);border-radius:8px;
padding:8px 12px;margin:.5rem 0}
.error pre{white-space:pre-wrap;margin:.3rem 0 0;font-size:.85rem;color:var(--ink)}
.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:4px 10px;padding:10px 0;
border-top:1px solid var(--line)}
.pair-head{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:10px;font-size:.72rem;
text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin-bottom:2px}
.pair-head+.pair{border-top:0;padding-top:0}
.verdict{grid-column:1/-1;margin:0;font-size:.85rem;font-weight:600}
.side-label{display:none;margin:0 0 2px;font-size:.7rem;text-transform:uppercase;
letter-spacing:.06em;
color:var(--muted)}
.pair.matched .verdict{color:var(--ok)}
.pair.missed .verdict{color:var(--bad)}
.pair.extra .verdict{color:var(--warn)}
.pair.matched .card{border-left-color:var(--ok)}
.pair.missed .card{border-left-color:var(--bad)}
.pair.extra .card{border-left-color:var(--warn)}
@media (min-width:960px){
.layout{grid-template-columns:minmax(0,5fr) minmax(0,6fr);grid-template-areas:"article brief";
align-items:start}
.brief{grid-area:brief}
.article-pane{grid-area:article;position:sticky;top:12px;max-height:calc(100vh - 24px);
overflow:auto}
}
@media (max-width:600px){
.page{padding:12px}
h1{font-size:1.25rem}
.section,.article-pane{padding:10px 12px}
.pair{grid-template-columns:minmax(0,1fr)}
.pair-head,.side.empty{display:none}
.side-label{display:block}
}
"""

_JS = """
(() => {
  "use strict";
  const graph = JSON.parse(document.getElementById("graph").textContent);
  const bar = document.getElementById("selection");
  let pinned = null;
  let shown = null;

  const withKey = (key) => document.querySelectorAll('[data-key="' + key + '"]');
  const keyOf = (target) =>
    (target instanceof Element ? target.closest("[data-key]")?.dataset.key : null) ?? null;

  // Light up an item or actor: itself, what it links to, and its evidence sentences.
  function show(key) {
    if (key === shown) return;
    shown = key;
    document.querySelectorAll(".hl").forEach((el) => el.classList.remove("hl"));
    const node = key ? graph[key] : null;
    if (!node) return;
    [key, ...node.links].forEach((k) => withKey(k).forEach((el) => el.classList.add("hl")));
    node.sentences.forEach((id) => document.getElementById(id)?.classList.add("hl"));
  }

  // When the article scrolls in its own pane (wide screens), bring the first evidence into view.
  function reveal(node) {
    const first = node.sentences.length ? document.getElementById(node.sentences[0]) : null;
    const pane = first?.closest(".article-pane");
    if (!pane || pane.scrollHeight <= pane.clientHeight) return;
    const top = first.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    if (top < 40 || top > pane.clientHeight - 40) {
      pane.scrollTo({ top: pane.scrollTop + top - pane.clientHeight / 3, behavior: "smooth" });
    }
  }

  function pin(key) {
    pinned = key;
    shown = undefined;
    show(key);
    const node = key ? graph[key] : null;
    bar.hidden = !node;
    if (!node) return;
    bar.querySelector(".sel-label").textContent = node.label;
    const jump = bar.querySelector(".sel-jump");
    jump.hidden = !node.sentences.length;
    jump.href = "#" + (node.sentences[0] || "");
    reveal(node);
  }

  document.addEventListener("pointerover", (e) => show(keyOf(e.target) ?? pinned));
  document.addEventListener("focusin", (e) => { const key = keyOf(e.target); if (key) show(key); });
  document.addEventListener("click", (e) => {
    if (bar.contains(e.target)) { if (e.target.closest(".sel-clear")) pin(null); return; }
    const key = keyOf(e.target);
    const link = e.target instanceof Element ? e.target.closest("a") : null;
    if (!key) { if (!link && !e.target.closest?.(".article-pane")) pin(null); return; }
    if (link && link.classList.contains("chip")) e.preventDefault();
    pin(key === pinned && !link ? null : key);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") pin(null);
    if ((e.key === "Enter" || e.key === " ") && e.target.matches?.("[data-key][tabindex]")) {
      e.preventDefault();
      const key = e.target.dataset.key;
      pin(key === pinned ? null : key);
    }
  });
})();
"""
