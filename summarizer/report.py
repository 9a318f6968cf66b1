"""Show an eval result: tables in the terminal and the HTML report."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from .article import Article
from .batch import write_atomically
from .contract import Briefing
from .drafts import COPIED_WORDS
from .evaluate import ArticleRun, EvalResult
from .scoring import SECTIONS, EvalScore

_SHORT = {
    "actors": "actors",
    "meetings": "meetings",
    "military_developments": "military",
    "stated_positions": "positions",
}


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def print_tables(result: EvalResult, console: Console) -> None:
    """Per-section totals, per-article F1s and costs: what a person checks after a run."""
    score = result.score
    sections = Table(title=f"Eval: briefing F1 {score.briefing_f1:.3f}")
    for column in (
        "section",
        "P",
        "R",
        "F1",
        "TP",
        "FP",
        "FN",
        "evidence overlap",
        "field accuracy",
    ):
        sections.add_column(
            column, justify="left" if column in ("section", "field accuracy") else "right"
        )
    for name in SECTIONS:
        s = getattr(score, name)
        accuracy = ", ".join(f"{k} {_f(v)}" for k, v in s.field_accuracy.items())
        sections.add_row(
            name,
            _f(s.precision),
            _f(s.recall),
            _f(s.f1),
            str(s.tp),
            str(s.fp),
            str(s.fn),
            _f(s.evidence_overlap),
            accuracy,
        )
    console.print(sections)
    if result.parts:
        console.print(split_table(result))

    runs = {r.article_id: r for r in result.runs}
    articles = Table(title="Per article")
    for column in (
        "article",
        *(_SHORT[s] for s in SECTIONS),
        "briefing",
        "seconds",
        "out tokens",
        "note",
    ):
        articles.add_column(column, justify="left" if column in ("article", "note") else "right")
    for a in score.articles:
        run = runs.get(a.article_id, ArticleRun(article_id=a.article_id))
        note = (
            "failed"
            if run.error
            else "cached"
            if run.cached
            else "re-asked"
            if run.first_attempt_valid is False
            else ""
        )
        articles.add_row(
            a.article_id[:40],
            *(_f(getattr(a, s).f1) for s in SECTIONS),
            _f(a.briefing_f1),
            "—" if run.seconds is None else f"{run.seconds:.1f}",
            "—" if run.output_tokens is None else str(run.output_tokens),
            note,
        )
    console.print(articles)
    cost = result.cost()
    console.print(
        f"first-attempt validity {_f(result.first_attempt_validity)} · mean seconds "
        f"{cost['mean_seconds']} · median seconds {cost['median_seconds']} · mean output tokens "
        f"{cost['mean_output_tokens']} · {result.minutes} min"
    )
    for part, text in result.text.items():
        console.print(
            f"text ({part}): descriptions copying {COPIED_WORDS}+ article words "
            f"{_f(text.copied_description_share)} of {text.descriptions} · positions copying "
            f"{_f(text.copied_position_share)} of {text.positions} · topics ending in a function "
            f"word {_f(text.cut_topic_share)} of {text.topics}"
        )


def split_table(result: EvalResult) -> Table:
    """F1 per section on each part of the split, and the gap: tuning minus validation.

    A gap that grows with a change means the change fits the tuning articles, not articles.
    """
    counts = {part: sum(1 for run in result.runs if run.part == part) for part in result.parts}
    table = Table(title="Tuning and validation (evals/split.json)")
    table.add_column("part")
    for column in ("articles", *(_SHORT[s] for s in SECTIONS), "briefing F1"):
        table.add_column(column, justify="right")

    def f1s(score: EvalScore) -> list[float]:
        return [getattr(score, s).f1 for s in SECTIONS] + [score.briefing_f1]

    for part, score in result.parts.items():
        table.add_row(part, str(counts[part]), *(_f(v) for v in f1s(score)))
    if {"tuning", "validation"} <= result.parts.keys():
        gaps = [
            t - v
            for t, v in zip(
                f1s(result.parts["tuning"]), f1s(result.parts["validation"]), strict=True
            )
        ]
        table.add_row("gap (tuning - validation)", "", *(f"{g:+.3f}" for g in gaps))
    return table


def write_report(
    path: Path,
    result: EvalResult,
    rows: list[tuple[Article, Briefing, Briefing | None, ArticleRun]],
) -> None:
    """The HTML report: gold and prediction side by side per article, evidence highlighted."""
    from .html import ReportRow, eval_report

    scores = {a.article_id: a for a in result.score.articles}
    report_rows = [
        ReportRow(
            article=article,
            gold=gold,
            predicted=predicted,
            score=scores.get(article.id),
            error=run.error,
        )
        for article, gold, predicted, run in rows
    ]
    summary: dict[str, object] = {
        name: {
            "precision": getattr(result.score, name).precision,
            "recall": getattr(result.score, name).recall,
            "f1": getattr(result.score, name).f1,
        }
        for name in SECTIONS
    }
    summary["briefing_f1"] = result.score.briefing_f1
    write_atomically(path, eval_report(report_rows, summary))
