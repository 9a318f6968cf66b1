"""Stage 8: run the summarizer over a labelled set, score it, and gate regressions.

An eval run briefs every gold article (through the result cache, so an unchanged re-run
does not call the model), scores the briefings with :mod:`summarizer.scoring`, and keeps
what a person or CI needs: the scores, what each article cost, and which items matched.
The result is JSON; a stored result is a baseline that a later run is compared against.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from .article import Article
from .briefing import Summarizer
from .contract import Briefing
from .errors import ConfigurationError, ModelError
from .gold import Split, load_gold_set
from .scoring import (
    SECTIONS,
    ArticleScore,
    EvalScore,
    MatchingConfig,
    TextQuality,
    aggregate,
    score_set,
    text_quality,
)


class ArticleRun(BaseModel):
    """What briefing one article cost, or why it failed."""

    article_id: str
    seconds: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    attempts: int | None = None
    first_attempt_valid: bool | None = None
    cached: bool = False
    error: str | None = None
    part: str | None = None
    """``tuning`` or ``validation`` in the gold set's split; None without a split."""
    answer_sha256: str | None = None
    """The model's answers (provenance.answer_sha256): a baseline with another digest got other
    answers."""


class EvalResult(BaseModel):
    """One eval run: settings, scores per section and article, costs. Also the baseline format."""

    created_at: dt.datetime
    settings: dict[str, object]
    minutes: float
    score: EvalScore
    runs: list[ArticleRun]
    parts: dict[str, EvalScore] = Field(default_factory=dict)
    """Totals of each part of the split (tuning, validation), without the per-article rows."""
    predictions: dict[str, Briefing] = Field(default_factory=dict)
    text: dict[str, TextQuality] = Field(default_factory=dict)
    """How the free text reads (scoring.text_quality): "all", then each part of the split."""

    @property
    def first_attempt_validity(self) -> float | None:
        known = [r.first_attempt_valid for r in self.runs if r.first_attempt_valid is not None]
        return sum(known) / len(known) if known else None

    def cost(self) -> dict[str, float | None]:
        """Mean and median seconds and mean tokens per article the model actually ran on."""
        fresh = [r for r in self.runs if r.error is None and not r.cached and r.seconds is not None]
        seconds = [r.seconds for r in fresh if r.seconds is not None]
        output = [float(r.output_tokens) for r in fresh if r.output_tokens is not None]
        prompt = [float(r.input_tokens) for r in fresh if r.input_tokens is not None]

        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "mean_seconds": rounded(statistics.fmean(seconds)) if seconds else None,
            "median_seconds": rounded(statistics.median(seconds)) if seconds else None,
            "mean_output_tokens": rounded(statistics.fmean(output)) if output else None,
            "mean_input_tokens": rounded(statistics.fmean(prompt)) if prompt else None,
        }


def _empty_briefing(gold: Briefing) -> Briefing:
    """What a failed article is scored as: nothing found, so every gold item is missed."""
    return Briefing(article=gold.article, summary="")


def run_eval(
    summarizer: Summarizer,
    gold_dir: str | Path,
    articles_dir: str | Path,
    *,
    config: MatchingConfig | None = None,
    split: Split | None = None,
    on_article: Callable[[Article, ArticleRun], None] | None = None,
) -> tuple[EvalResult, list[tuple[Article, Briefing, Briefing | None, ArticleRun]]]:
    """Brief and score every gold article; a model failure costs that article, not the run.

    With a ``split``, each run is marked with its part and the result carries each part's
    totals beside the whole set's.
    """
    started = time.perf_counter()
    gold_set = load_gold_set(gold_dir, articles_dir)
    rows: list[tuple[Article, Briefing, Briefing | None, ArticleRun]] = []
    for article, gold in gold_set:
        part = split.part_of(article.id) if split is not None else None
        try:
            briefing = summarizer.summarize(article)
            predicted: Briefing | None = briefing
            provenance = briefing.provenance
            assert provenance is not None
            run = ArticleRun(
                article_id=article.id,
                seconds=provenance.seconds,
                input_tokens=provenance.input_tokens,
                output_tokens=provenance.output_tokens,
                attempts=provenance.attempts,
                cached=provenance.cached,
                first_attempt_valid=None
                if provenance.passes is None
                else provenance.attempts == provenance.passes,
                part=part,
                answer_sha256=provenance.answer_sha256,
            )
        except ModelError as exc:
            predicted = None
            run = ArticleRun(
                article_id=article.id, error=str(exc), first_attempt_valid=False, part=part
            )
        rows.append((article, gold, predicted, run))
        if on_article is not None:
            on_article(article, run)
    pairs = [(predicted or _empty_briefing(gold), gold) for _, gold, predicted, _ in rows]
    config = config or MatchingConfig()
    score = score_set(pairs, config)
    result = EvalResult(
        created_at=dt.datetime.now(dt.UTC),
        settings=summarizer.settings(),
        minutes=round((time.perf_counter() - started) / 60, 2),
        score=score,
        runs=[run for *_, run in rows],
        parts=split_scores(score, [run for *_, run in rows]),
        predictions={a.id: p for a, _, p, _ in rows if p is not None},
        text=_text_parts(rows),
    )
    return result, rows


def _text_parts(
    rows: list[tuple[Article, Briefing, Briefing | None, ArticleRun]],
) -> dict[str, TextQuality]:
    parts = {"all": text_quality([(a.text, p) for a, _, p, _ in rows if p is not None])}
    for part in ("tuning", "validation"):
        chosen = [(a.text, p) for a, _, p, run in rows if p is not None and run.part == part]
        if chosen:
            parts[part] = text_quality(chosen)
    return parts


def split_scores(score: EvalScore, runs: list[ArticleRun]) -> dict[str, EvalScore]:
    """Each part's micro-averaged totals (without per-article rows), in the order tuning,
    validation."""
    part_of = {run.article_id: run.part for run in runs}
    parts: dict[str, EvalScore] = {}
    for part in ("tuning", "validation"):
        articles = [a for a in score.articles if part_of.get(a.article_id) == part]
        if articles:
            parts[part] = aggregate(articles, score.config).model_copy(update={"articles": []})
    return parts


def answer_changes(current: EvalResult, baseline: EvalResult) -> list[str]:
    """Articles whose model answers differ from the baseline's (both digests known).

    On another CPU family, or after a prompt change, the model answers differently; a score
    that moved on an article whose answers did not points at the code after the model.
    """
    before = {run.article_id: run.answer_sha256 for run in baseline.runs}
    return sorted(
        run.article_id
        for run in current.runs
        if run.answer_sha256
        and before.get(run.article_id)
        and run.answer_sha256 != before[run.article_id]
    )


class Regression(BaseModel):
    """A score that dropped by more than the tolerance, and the items behind the drop."""

    metric: str
    baseline: float
    current: float
    flips: list[str]


def _matched_gold(score: ArticleScore, section: str) -> set[int]:
    return {m.gold for m in getattr(score, section).matches}


def compare(current: EvalResult, baseline: EvalResult, tolerance: float) -> list[Regression]:
    """Every section F1 and the briefing F1 that fell by more than ``tolerance``.

    Each regression lists the gold items of that section that the baseline matched and
    the current run misses (and the reverse), per article, so a reviewer sees what changed.
    """
    before = {a.article_id: a for a in baseline.score.articles}
    after = {a.article_id: a for a in current.score.articles}
    regressions = []
    for metric in [*SECTIONS, "briefing"]:
        old = (
            baseline.score.briefing_f1
            if metric == "briefing"
            else getattr(baseline.score, metric).f1
        )
        new = (
            current.score.briefing_f1 if metric == "briefing" else getattr(current.score, metric).f1
        )
        if old - new <= tolerance:
            continue
        flips = []
        for section in SECTIONS if metric == "briefing" else [metric]:
            for article_id in sorted(before.keys() & after.keys()):
                lost = _matched_gold(before[article_id], section) - _matched_gold(
                    after[article_id], section
                )
                gained = _matched_gold(after[article_id], section) - _matched_gold(
                    before[article_id], section
                )
                if lost:
                    flips.append(f"{article_id} {section}: lost gold item(s) {sorted(lost)}")
                if gained:
                    flips.append(f"{article_id} {section}: gained gold item(s) {sorted(gained)}")
        regressions.append(
            Regression(metric=metric, baseline=round(old, 4), current=round(new, 4), flips=flips)
        )
    return regressions


#: the settings a baseline must share with a run to be compared with it
_BASELINE_KEYS = ("backend", "model", "passes")


def baseline_name(settings: dict[str, object]) -> str:
    """The file name a run's baseline has in a baselines folder: backend, pass mode, CPU family."""
    parts = [settings.get("backend"), settings.get("passes", "sections"), settings.get("cpu")]
    return "-".join(str(p) for p in parts if p) + ".json"


def choose_baseline(path: Path, settings: dict[str, object]) -> tuple[Path, EvalResult, bool]:
    """The baseline to compare a run with, and whether it was recorded on the same CPU family.

    A file is taken as it is. In a folder, the baseline with the run's backend, model and
    pass mode and its CPU family is taken; without one for the family, another family's
    (the greedy answer differs between families, so the caller widens the tolerance).
    """
    if path.is_file():
        stored = EvalResult.model_validate_json(path.read_text(encoding="utf-8"))
        return path, stored, stored.settings.get("cpu") == settings.get("cpu")
    candidates = []
    for file in sorted(path.glob("*.json")):
        stored = EvalResult.model_validate_json(file.read_text(encoding="utf-8"))
        if all(stored.settings.get(k) == settings.get(k) for k in _BASELINE_KEYS):
            candidates.append((file, stored, stored.settings.get("cpu") == settings.get("cpu")))
    if not candidates:
        wanted = ", ".join(f"{k} {settings.get(k)!r}" for k in _BASELINE_KEYS)
        raise ConfigurationError(
            f"no baseline in {path} for {wanted}; record one with --save-baseline {path}"
        )
    return max(candidates, key=lambda candidate: candidate[2])
