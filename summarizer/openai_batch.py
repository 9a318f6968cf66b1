"""Large backfills through the OpenAI Batch API: a requests file out, its results file back in.

``summarizer batch INPUTS --openai-batch REQUESTS.jsonl`` writes one request per article, in
the single-call mode (the Batch API runs independent requests, so a briefing cannot be made
of passes that depend on each other). Once OpenAI has run the batch, ``summarizer batch
INPUTS --collect RESULTS.jsonl --out DIR`` turns each answer into a briefing exactly as a
direct call would (validated, grounded in the article) and writes it as a normal batch does:
atomically, skipping briefings already there, failures in ``DIR/errors.jsonl``. A request
the Batch API could not run (an error line, a non-200 status, also in its error file) or an
answer that is not a valid briefing is a failure of that article only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from .article import Article, load_article
from .batch import BatchRun, Outcome, write_atomically
from .briefing import Summarizer
from .errors import ModelError, SummarizerError
from .screening import screen

BATCH_ENDPOINT = "/v1/chat/completions"


def batch_request(summarizer: Summarizer, article: Article) -> dict[str, Any]:
    """One line of a Batch API requests file; the article id is the ``custom_id``."""
    return {
        "custom_id": article.id,
        "method": "POST",
        "url": BATCH_ENDPOINT,
        "body": summarizer.single_pass_request(article),
    }


def write_requests(summarizer: Summarizer, sources: Sequence[Path], path: Path) -> list[Outcome]:
    """Write the requests file for ``sources`` (atomically); an article that cannot be briefed
    (unreadable, refused by screening, an id already taken) is a failed outcome, not a line."""
    lines: list[str] = []
    outcomes: list[Outcome] = []
    taken: set[str] = set()
    for source in sources:
        try:
            article = load_article(source)
            # as a direct call would
            screen(article, allow_any_language=summarizer.allow_any_language)
        except SummarizerError as exc:
            outcomes.append(Outcome(source, None, "failed", error=str(exc)))
            continue
        if article.id in taken:
            outcomes.append(
                Outcome(
                    source,
                    article.id,
                    "failed",
                    error=f"another input has the id {article.id!r} (a custom_id must be unique)",
                )
            )
            continue
        taken.add(article.id)
        lines.append(json.dumps(batch_request(summarizer, article), ensure_ascii=False) + "\n")
        outcomes.append(Outcome(source, article.id, "done"))
    write_atomically(path, "".join(lines))
    return outcomes


def answer_of(line: dict[str, Any], article_id: str) -> ChatCompletion:
    """The chat completion in one Batch API output line, or the ModelError that says why there is
    none."""
    error = line.get("error")
    if error:
        detail = (
            f"{error.get('code')}: {error.get('message')}"
            if isinstance(error, dict)
            else str(error)
        )
        raise ModelError(
            f"article {article_id!r}: the Batch API did not run the request: {detail}",
            article_id=article_id,
            attempts=1,
        )
    given = line.get("response")
    response = given if isinstance(given, dict) else {}
    status, body = response.get("status_code"), response.get("body")
    if status != 200:
        reported = body.get("error") if isinstance(body, dict) else None
        message = reported.get("message") if isinstance(reported, dict) else body
        raise ModelError(
            f"article {article_id!r}: the request failed with status {status}: {message}",
            article_id=article_id,
            attempts=1,
        )
    try:
        return ChatCompletion.model_validate(body)
    except ValidationError as exc:
        raise ModelError(
            f"article {article_id!r}: the response body is not a chat completion: {exc}",
            article_id=article_id,
            attempts=1,
        ) from exc


def collect(
    run: BatchRun,
    sources: Sequence[Path],
    results: Sequence[Path],
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Brief every input from its answer in the Batch API output file(s) ``results``, writing
    through ``run`` as a normal batch does. An input without an answer is a failure, and so is
    a line no input matches."""
    outcomes: list[Outcome] = []

    def settle(outcome: Outcome) -> None:
        outcomes.append(run.settle(outcome))
        if on_outcome is not None:
            on_outcome(outcome)

    articles: dict[str, tuple[Path, Article]] = {}
    for source in sources:
        try:
            article = load_article(source)
        except SummarizerError as exc:
            settle(Outcome(source, None, "failed", error=str(exc)))
            continue
        if article.id in articles:
            settle(
                Outcome(
                    source, article.id, "failed", error=f"another input has the id {article.id!r}"
                )
            )
        else:
            articles[article.id] = (source, article)
    answered: set[str] = set()
    for path in results:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.strip():
                settle(_collect_line(run, articles, answered, f"{path}:{number}", path, text))
    for article_id, (source, _) in articles.items():
        if article_id not in answered:
            settle(
                Outcome(
                    source,
                    article_id,
                    "failed",
                    error=f"no answer for {article_id!r} in {', '.join(map(str, results))}",
                )
            )
    return sorted(outcomes, key=lambda o: str(o.source))


def _collect_line(
    run: BatchRun,
    articles: dict[str, tuple[Path, Article]],
    answered: set[str],
    where: str,
    path: Path,
    text: str,
) -> Outcome:
    try:
        line = json.loads(text)
        article_id = line["custom_id"]
    except (ValueError, KeyError, TypeError) as exc:
        return Outcome(path, None, "failed", error=f"{where}: not a Batch API output line: {exc!r}")
    if article_id not in articles:
        return Outcome(
            path,
            str(article_id),
            "failed",
            error=f"{where}: no input article has the id {article_id!r}",
        )
    answered.add(article_id)
    source, article = articles[article_id]
    if run.target(article_id).exists():
        return Outcome(source, article_id, "skipped")
    try:
        briefing = run.summarizer.briefing_from_answer(article, answer_of(line, article_id))
    except SummarizerError as exc:
        return Outcome(source, article_id, "failed", error=str(exc))
    return run.save(source, article, briefing)
