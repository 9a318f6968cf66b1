"""Many articles in one run: resumable, atomic, failures recorded while the rest go on.

Each article's briefing is written to ``OUT/<id>.<ext>`` atomically (a temporary file
renamed into place), so a killed run leaves whole files only, and a re-run skips every
article whose output already exists (and removes the temporary files of killed writers).
A failed article is recorded in ``OUT/errors.jsonl`` and retried on the next run. Server
backends brief several articles at once; an in-process model briefs them one after
another, loaded once. :class:`BatchFolder` is the output side alone (targets, skips,
atomic writes, ``errors.jsonl``), which a batch on Ray (``ray_batch.py``) shares.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .article import HTML_SUFFIXES, Article, load_article
from .briefing import Summarizer
from .contract import Briefing
from .errors import SummarizerError
from .render import FORMATS, render

_UMASK = os.umask(0o022)
os.umask(_UMASK)

#: what a folder's articles are: text files and saved web pages
ARTICLE_SUFFIXES = (".txt", *HTML_SUFFIXES)


#: ``.<name>.<pid>.<random>.tmp``: hidden, never an output's extension, and naming its writer
_TEMPORARY = re.compile(r"\..+\.(\d+)\.[^.]+\.tmp")


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        # mkstemp makes it private; give it a normal file's mode
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user
        pass
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files left by writers that were killed, not those still writing."""
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return []
    stale = [
        path
        for path in folder.glob(".*.tmp")
        if (found := _TEMPORARY.fullmatch(path.name)) and not _running(int(found.group(1)))
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def expand_inputs(inputs: Iterable[str]) -> list[Path]:
    """Files, folders (their ``.txt`` articles and ``.html`` pages) and glob patterns, each
    article once, sorted."""
    found: dict[Path, None] = {}
    for item in inputs:
        paths = [Path(p) for p in sorted(glob.glob(item))] if glob.has_magic(item) else [Path(item)]
        for path in paths:
            if path.is_dir():
                articles = (
                    p
                    for p in path.iterdir()
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
                )
                found.update(dict.fromkeys(sorted(articles)))
            elif path.suffix == ".json" and any(
                path.with_suffix(s).exists() for s in ARTICLE_SUFFIXES
            ):
                continue  # metadata beside an article, not an article of its own
            else:
                found[path] = None
    return list(found)


@dataclass
class Outcome:
    """What happened to one input."""

    source: Path
    article_id: str | None
    status: str  # "done", "skipped" (output already there) or "failed"
    seconds: float | None = None
    error: str | None = None


class BatchFolder:
    """The output side of a batch, whichever engine briefs: one file per article, skips,
    errors.jsonl."""

    def __init__(self, out_dir: Path, output_format: str = "json") -> None:
        self.out_dir = out_dir
        self.output_format = output_format

    def target(self, article_id: str) -> Path:
        return self.out_dir / f"{article_id}{FORMATS[self.output_format]}"

    def open(self) -> None:
        """Make the folder, and take away the temporary files of writers that were killed."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out_dir)

    def admit(self, source: Path) -> Article | Outcome:
        """The article to brief, or the outcome already known: unreadable, or its briefing
        already there."""
        try:
            article = load_article(source)
        except SummarizerError as exc:
            return Outcome(source, None, "failed", error=str(exc))
        if self.target(article.id).exists():
            return Outcome(source, article.id, "skipped")
        return article

    def record_failure(self, outcome: Outcome) -> None:
        """Append a failed outcome to ``OUT/errors.jsonl``: the record a user reads, and a re-run
        retries."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with (self.out_dir / "errors.jsonl").open("a", encoding="utf-8") as log:
            log.write(
                json.dumps(
                    {
                        "source": str(outcome.source),
                        "article_id": outcome.article_id,
                        "error": outcome.error,
                    }
                )
                + "\n"
            )

    def settle(self, outcome: Outcome) -> Outcome:
        """Record an outcome once it is final: a failure goes to ``errors.jsonl``."""
        if outcome.status == "failed":
            self.record_failure(outcome)
        return outcome

    def save(self, source: Path, article: Article, briefing: Briefing) -> Outcome:
        """Write one briefing atomically to its target, however it was made."""
        write_atomically(self.target(article.id), render(briefing, article, self.output_format))
        seconds = briefing.provenance.seconds if briefing.provenance else None
        return Outcome(source, article.id, "done", seconds=seconds)


class BatchRun(BatchFolder):
    """Brief every input into ``out_dir`` in this process; see the module docstring for the
    guarantees."""

    def __init__(
        self,
        summarizer: Summarizer,
        out_dir: Path,
        output_format: str = "json",
        concurrency: int | None = None,
    ) -> None:
        super().__init__(out_dir, output_format)
        self.summarizer = summarizer
        self.concurrency = max(1, concurrency or summarizer.backend.max_concurrency)

    async def _one(self, source: Path, gate: asyncio.Semaphore) -> Outcome:
        admitted = self.admit(source)
        if isinstance(admitted, Outcome):
            return admitted
        async with gate:
            try:
                briefing = await self.summarizer.asummarize(admitted)
            except SummarizerError as exc:
                return Outcome(source, admitted.id, "failed", error=str(exc))
        return self.save(source, admitted, briefing)

    async def arun(
        self, sources: list[Path], on_outcome: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        self.open()
        gate = asyncio.Semaphore(self.concurrency)
        outcomes = []
        for finished in asyncio.as_completed([self._one(source, gate) for source in sources]):
            outcome = self.settle(await finished)
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        return sorted(outcomes, key=lambda o: str(o.source))

    def run(
        self, sources: list[Path], on_outcome: Callable[[Outcome], None] | None = None
    ) -> list[Outcome]:
        return asyncio.run(self.arun(sources, on_outcome))
