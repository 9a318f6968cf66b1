"""How fast the summarizer is (issue #4): ``summarizer benchmark`` writes ``OUT/benchmark.json``
and ``OUT/benchmark.md``.

Two parts:

- The embedded model over a folder of articles, briefed as ``summarizer batch`` does: seconds
  and tokens per article; the overhead against raw llama.cpp completions that read the same
  prompts and write as many tokens from the same KV cache state, so what remains is the
  schema decoder's and the pipeline's own cost; in the judge mode, the calls an article
  makes together (its summary and item calls) decoded one at a time against in parallel
  (issue #20); the cold start of a new process, with and without the saved prompt cache; a
  result-cache hit; and that the batch loads the model once.
- Batch throughput against a stub OpenAI-compatible server that answers after a fixed delay
  (:mod:`summarizer.stub_server`). With the server's time fixed, articles per second at each
  concurrency show the client's own overhead. This part needs no model.

Scratch files (article copies, briefings, caches) go to a temporary folder, never to OUT.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from .article import ArticleInput, load_article, to_article
from .backends import EmbeddedBackend
from .batch import BatchRun, expand_inputs, write_atomically
from .briefing import Summarizer
from .cache import ResultCache
from .contract import Briefing
from .decoding import ChatPrompt
from .errors import ConfigurationError
from .plugins import make_backend
from .stub_server import stub_server_process
from .workers import default_workers

#: the issue's bar: a batch at concurrency 16 briefs at least this many times as many articles per
#: second as at 1
TARGET_SPEEDUP = 12.0
CACHE_HITS = 5

#: briefed (untimed) before the timing, so that the model is loaded and the fixed prompt prefix
#: is in the KV cache as in a long run; not from any corpus
_WARM_UP_ARTICLE = {
    "id": "benchmark-warm-up",
    "text": "Two ministers met in Geneva on Monday to talk about a truce.\n",
}
_WARM_UP_FORMAT = {
    "type": "json_schema",
    "json_schema": {
        "name": "WarmUp",
        "schema": {
            "type": "object",
            "properties": {"ready": {"type": "boolean"}},
            "required": ["ready"],
        },
    },
}


class Distribution(BaseModel):
    median: float
    p90: float
    mean: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Distribution:
        ordered = sorted(values)
        p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank
        return cls(
            median=round(statistics.median(ordered), 3),
            p90=round(p90, 3),
            mean=round(statistics.fmean(ordered), 3),
        )


class RawComparison(BaseModel):
    """The briefings of the first articles against raw completions of the same passes."""

    articles: int
    passes: int
    output_tokens: int
    raw_output_tokens: int
    briefing_seconds: float  # the articles' provenance seconds: every pass, grounding, validation
    model_call_seconds: float  # the backend calls alone: prompt reading and schema decoding
    raw_seconds: float
    overhead: float  # briefing_seconds / raw_seconds


class ItemWriting(BaseModel):
    """The calls the judge mode makes together for each of the first articles (the summary call
    and the item calls), decoded one at a time and then in parallel from the same state: the
    same prompts, each way's own answers."""

    groups: int  # calls of one article made together
    items: int
    width: int  # sequences decoded at once in parallel
    sequential_seconds: float
    parallel_seconds: float
    sequential_tokens: int
    parallel_tokens: int
    sequential_tokens_per_second: float
    parallel_tokens_per_second: float
    speedup: float  # parallel tokens/s over sequential
    identical_answers: int  # items whose two answers are the same text


class ColdStart(BaseModel):
    """Seconds from starting ``summarizer brief`` to its briefing, in a new process."""

    without_prompt_cache: float
    with_prompt_cache: float
    prompt_cache_files: int  # saved by the first run, loaded by the second


class EmbeddedResult(BaseModel):
    model: str
    articles: int
    failed: int
    seconds_per_article: Distribution
    prompt_tokens_per_article: Distribution
    generated_tokens_per_article: Distribution
    passes: str = "actors"
    raw: RawComparison | None
    item_writing: ItemWriting | None = None
    cold_start: ColdStart | None
    cache_hit_seconds: float
    model_loads: int  # llama.cpp model constructions for the whole batch


class ThroughputRun(BaseModel):
    repeat: int = 1  # which repeat of the concurrencies this run belongs to
    concurrency: int
    articles: int
    failed: int
    seconds: float
    articles_per_second: float


class ServerResult(BaseModel):
    delay: float  # the stub server's seconds per request
    result_cache: bool  # a (fresh) result cache, as ``summarizer batch`` has unless --no-cache
    # processes beside the event loop's for the work around model calls (workers.py)
    workers: int = 0
    repeats: int = 1  # runs of each concurrency, taken in turn
    runs: list[ThroughputRun]
    # each repeat's highest concurrency's articles per second over concurrency 1's
    speedups: list[float] = []
    speedup: float | None  # the median of ``speedups``
    target_speedup: float = TARGET_SPEEDUP


class BenchmarkResult(BaseModel):
    created_at: dt.datetime
    machine: dict[str, Any]
    embedded: EmbeddedResult | None
    server: ServerResult | None


def _quiet(line: str) -> None:
    """The default progress report: none."""


# ---- embedded model ---------------------------------------------------------------------


@dataclass
class PassRecord:
    """One backend call: what a raw completion must repeat to be compared with it."""

    article_id: str | None
    prompt: list[int]
    output_tokens: int
    seconds: float


#: the article being briefed, set per article and seen by the backend's calls (in their worker
#: thread too)
_briefing: ContextVar[str | None] = ContextVar("benchmark_briefing", default=None)


class _TaggingSummarizer(Summarizer):
    """Tells the recording backend which article each call is for."""

    async def asummarize(
        self,
        article: ArticleInput | None = None,
        *,
        text: str | None = None,
        path: str | Path | None = None,
        id: str | None = None,
    ) -> Briefing:
        loaded = to_article(article, text=text, path=path, id=id)
        token = _briefing.set(loaded.id)
        try:
            return await super().asummarize(loaded)
        finally:
            _briefing.reset(token)


class RecordingBackend(EmbeddedBackend):
    """The embedded backend, recording each call's prompt tokens, output tokens and time."""

    def __init__(self, model_path: str | Path | None = None) -> None:
        super().__init__(model_path)
        self.records: list[PassRecord] = []
        #: the calls made together (create_many), with the article they are for
        self.groups: list[tuple[str | None, list[dict[str, Any]]]] = []
        self._chat: ChatPrompt | None = None

    def create(self, **kwargs: Any) -> ChatCompletion:
        started = time.perf_counter()
        completion = super().create(**kwargs)
        seconds = time.perf_counter() - started
        self._chat = self._chat or ChatPrompt(self.llama)
        generated = completion.usage.completion_tokens if completion.usage else 0
        self.records.append(
            PassRecord(_briefing.get(), self._chat.tokens(kwargs["messages"]), generated, seconds)
        )
        return completion

    def create_many(self, requests: Sequence[dict[str, Any]]) -> list[ChatCompletion]:
        started = time.perf_counter()
        completions = super().create_many(requests)
        share = (time.perf_counter() - started) / max(len(requests), 1)
        self._chat = self._chat or ChatPrompt(self.llama)
        for request, completion in zip(requests, completions, strict=True):
            generated = completion.usage.completion_tokens if completion.usage else 0
            prompt = self._chat.tokens(request["messages"])
            self.records.append(PassRecord(_briefing.get(), prompt, generated, share))
        self.groups.append((_briefing.get(), list(requests)))
        return completions

    def warm_up(self, summarizer: Summarizer) -> None:
        """Load the model and leave the KV cache holding the fixed prompt prefix and a short
        article that shares nothing else with any real one: the state every article of a
        long batch starts from. Not recorded."""
        messages = summarizer.prompts.messages(load_article(_WARM_UP_ARTICLE), "actors")
        EmbeddedBackend.create(
            self, messages=messages, response_format=_WARM_UP_FORMAT, max_tokens=1
        )


@contextmanager
def counting_model_loads() -> Iterator[list[int]]:
    """Count llama.cpp model constructions in this block (the backend imports ``Llama`` when it
    loads)."""
    try:
        import llama_cpp
    except ImportError as exc:
        raise ConfigurationError(
            "the embedded part needs llama-cpp-python: pip install 'summarizer[embedded]', "
            "or run only the server part (--server-only)"
        ) from exc

    original = llama_cpp.Llama
    loads: list[int] = []

    class Counted(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            loads.append(1)
            super().__init__(*args, **kwargs)

    llama_cpp.Llama = Counted  # type: ignore[misc]
    try:
        yield loads
    finally:
        llama_cpp.Llama = original  # type: ignore[misc]


def _end_of_generation_tokens(backend: EmbeddedBackend) -> list[int]:
    import llama_cpp

    llama = backend.llama
    return [
        t for t in range(llama.n_vocab()) if llama_cpp.llama_vocab_is_eog(llama._model.vocab, t)
    ]


def replay_raw(
    backend: RecordingBackend, summarizer: Summarizer, records: Sequence[PassRecord]
) -> tuple[float, int]:
    """Time raw greedy completions of the recorded passes, in their order and from the same
    starting KV state, each writing as many tokens as its pass did (end of generation
    banned, so none stops early). Returns the seconds and the tokens written."""
    llama = backend.llama
    banned: dict[int, float] = dict.fromkeys(_end_of_generation_tokens(backend), -math.inf)
    backend.warm_up(summarizer)
    seconds, written = 0.0, 0
    for record in records:
        started = time.perf_counter()
        result = llama.create_completion(
            prompt=record.prompt,
            max_tokens=max(record.output_tokens, 1),
            temperature=0.0,
            logit_bias=banned,
        )
        seconds += time.perf_counter() - started
        written += result["usage"]["completion_tokens"]  # type: ignore[index]
    return seconds, written


def cold_start(article: Path, model_path: Path, folder: Path) -> ColdStart:
    """``summarizer brief`` in a new process, twice: first with an empty cache folder (the
    prompt prefix is read, then saved), then with the prompt cache the first run saved."""
    cache = folder / "cold-start-cache"
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(cache)}
    command = [
        sys.executable,
        "-m",
        "summarizer",
        "brief",
        str(article),
        "--no-cache",
        "--format",
        "json",
        "--out",
        str(folder / "cold-start.json"),
        "--model-path",
        str(model_path),
    ]
    seconds = []
    for _ in range(2):
        started = time.perf_counter()
        finished = subprocess.run(command, env=env, capture_output=True, text=True)
        seconds.append(round(time.perf_counter() - started, 3))
        if finished.returncode != 0:
            raise RuntimeError(
                f"`{' '.join(command)}` exited with {finished.returncode}: "
                f"{finished.stderr[-2000:]}"
            )
    return ColdStart(
        without_prompt_cache=seconds[0],
        with_prompt_cache=seconds[1],
        prompt_cache_files=len(list((cache / "prompt-cache").glob("*.kv"))),
    )


def compare_item_writing(
    backend: RecordingBackend, article_ids: Sequence[str]
) -> ItemWriting | None:
    """Decode the calls the briefings of ``article_ids`` made together again, each group
    one at a time and then ``backend.parallel`` at a time, both from the group's shared prefix
    already in the KV cache (parallel.py)."""
    from .decoding import load_prompt
    from .parallel import shared_prefix

    groups = [requests for article, requests in backend.groups if article in set(article_ids)]
    if not groups:
        return None
    width = backend.parallel
    chat = backend._chat or ChatPrompt(backend.llama)
    seconds = {1: 0.0, width: 0.0}
    tokens = {1: 0, width: 0}
    answers: dict[int, list[str | None]] = {1: [], width: []}
    try:
        for requests in groups:
            prompts = [chat.tokens(r["messages"]) for r in requests]
            for parallel in (1, width):
                load_prompt(backend.llama, prompts[0][: shared_prefix(prompts)])
                backend.parallel = parallel
                started = time.perf_counter()
                completions = EmbeddedBackend.create_many(backend, requests)
                seconds[parallel] += time.perf_counter() - started
                tokens[parallel] += sum(c.usage.completion_tokens for c in completions if c.usage)
                answers[parallel] += [c.choices[0].message.content for c in completions]
    finally:
        backend.parallel = width
    rates = {n: tokens[n] / seconds[n] if seconds[n] else 0.0 for n in seconds}
    return ItemWriting(
        groups=len(groups),
        items=len(answers[1]),
        width=width,
        sequential_seconds=round(seconds[1], 3),
        parallel_seconds=round(seconds[width], 3),
        sequential_tokens=tokens[1],
        parallel_tokens=tokens[width],
        sequential_tokens_per_second=round(rates[1], 2),
        parallel_tokens_per_second=round(rates[width], 2),
        speedup=round(rates[width] / rates[1], 3) if rates[1] else math.inf,
        identical_answers=sum(a == b for a, b in zip(answers[1], answers[width], strict=True)),
    )


def run_embedded(
    sources: Sequence[Path],
    folder: Path,
    *,
    raw_samples: int = 3,
    passes: str | None = None,
    model_path: Path | None = None,
    measure_cold_start: bool = True,
    progress: Callable[[str], None] = _quiet,
) -> EmbeddedResult:
    """Brief ``sources`` with the embedded model as ``summarizer batch`` does, and measure around
    it."""
    backend = RecordingBackend(model_path)
    summarizer = _TaggingSummarizer(
        backend, cache=ResultCache(folder / "briefings.sqlite3"), passes=passes
    )
    out = folder / "briefings"
    with counting_model_loads() as loads:
        progress("embedded: loading the model")
        backend.warm_up(summarizer)
        progress(f"embedded: briefing {len(sources)} article(s)")
        outcomes = BatchRun(summarizer, out, "json").run(
            list(sources),
            lambda o: progress(
                f"  {o.article_id or o.source.name}: "
                f"{o.error or (f'{o.seconds:.1f} s' if o.seconds else o.status)}"
            ),
        )
        done = [o for o in outcomes if o.status == "done"]
        if not done:
            raise RuntimeError(
                f"no article was briefed: {outcomes[0].error if outcomes else 'no articles'}"
            )
        briefings = [
            Briefing.model_validate_json((out / f"{o.article_id}.json").read_text(encoding="utf-8"))
            for o in done
        ]
        hits = []
        for _ in range(CACHE_HITS):
            started = time.perf_counter()
            hit = summarizer.summarize(done[0].source)
            hits.append(time.perf_counter() - started)
            if not (hit.provenance and hit.provenance.cached):
                raise RuntimeError(
                    "the second briefing of an article was not served from the result cache"
                )
        progress(f"embedded: raw llama.cpp completions of the passes of {raw_samples} article(s)")
        raw = _compare_raw(backend, summarizer, briefings, raw_samples)
        sampled = list(dict.fromkeys(a for a, _ in backend.groups if a is not None))[:raw_samples]
        if sampled:
            progress(f"embedded: item calls of {len(sampled)} article(s), one by one and parallel")
        item_writing = compare_item_writing(backend, sampled)
    provenances = [b.provenance for b in briefings if b.provenance]
    result = EmbeddedResult(
        model=backend.model,
        articles=len(done),
        failed=len(outcomes) - len(done),
        seconds_per_article=Distribution.of([p.seconds for p in provenances]),
        prompt_tokens_per_article=Distribution.of([p.input_tokens for p in provenances]),
        generated_tokens_per_article=Distribution.of([p.output_tokens for p in provenances]),
        passes=summarizer.passes,
        raw=raw,
        item_writing=item_writing,
        cold_start=None,
        cache_hit_seconds=round(statistics.median(hits), 4),
        model_loads=len(loads),
    )
    model_file = backend.model_path
    summarizer.close()  # the cold starts get the cores to themselves
    if measure_cold_start:
        progress("embedded: cold starts of `summarizer brief` in new processes")
        result.cold_start = cold_start(done[0].source, model_file, folder)
    return result


def _compare_raw(
    backend: RecordingBackend, summarizer: Summarizer, briefings: Sequence[Briefing], samples: int
) -> RawComparison | None:
    """Replay the passes of the first ``samples`` articles briefed (in batch order)."""
    order = list(dict.fromkeys(r.article_id for r in backend.records if r.article_id is not None))[
        :samples
    ]
    if not order:
        return None
    chosen = set(order)
    first = backend.records.index(next(r for r in backend.records if r.article_id == order[0]))
    records = [r for r in backend.records[first:] if r.article_id in chosen]
    raw_seconds, raw_tokens = replay_raw(backend, summarizer, records)
    briefing_seconds = sum(
        b.provenance.seconds for b in briefings if b.provenance and b.article.id in chosen
    )
    return RawComparison(
        articles=len(order),
        passes=len(records),
        output_tokens=sum(r.output_tokens for r in records),
        raw_output_tokens=raw_tokens,
        briefing_seconds=round(briefing_seconds, 3),
        model_call_seconds=round(sum(r.seconds for r in records), 3),
        raw_seconds=round(raw_seconds, 3),
        overhead=round(briefing_seconds / raw_seconds, 3) if raw_seconds else math.inf,
    )


# ---- server throughput ------------------------------------------------------------------


def copies(sources: Sequence[Path], count: int, folder: Path) -> list[Path]:
    """``count`` articles taken from ``sources`` in turn, each under its own id (with its
    metadata)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"{index:04d}-{source.name}"
        shutil.copyfile(source, target)
        metadata = source.with_suffix(".json")
        if source.suffix != ".json" and metadata.is_file():
            shutil.copyfile(metadata, target.with_suffix(".json"))
        made.append(target)
    return made


async def _throughput(
    url: str, sources: list[Path], concurrency: int, folder: Path, cache: bool, workers: int | None
) -> ThroughputRun:
    """One ``summarizer batch --backend openai --base-url URL --concurrency N`` run, in this
    process."""
    backend = make_backend("openai", base_url=url, model="stub", api_key="benchmark")
    summarizer = Summarizer(
        backend, cache=ResultCache(folder / "briefings.sqlite3") if cache else None, workers=workers
    )
    started = time.perf_counter()
    outcomes = await BatchRun(summarizer, folder / "briefings", "json", concurrency).arun(sources)
    seconds = time.perf_counter() - started
    await backend.aclose()
    summarizer.close()
    done = sum(o.status == "done" for o in outcomes)
    return ThroughputRun(
        concurrency=concurrency,
        articles=len(sources),
        failed=len(sources) - done,
        seconds=round(seconds, 3),
        articles_per_second=round(done / seconds, 3),
    )


def run_server(
    sources: Sequence[Path],
    folder: Path,
    *,
    delay: float = 0.2,
    concurrencies: Sequence[int] = (1, 4, 16),
    rounds: int = 8,
    repeats: int = 3,
    cache: bool = True,
    workers: int | None = None,
    progress: Callable[[str], None] = _quiet,
) -> ServerResult:
    """Batch throughput at each concurrency; a run at concurrency C briefs ``rounds * C`` articles,
    so every run has the same number of rounds and start-up and tail weigh the same. The
    concurrencies are run ``repeats`` times in turn and the speed-up is the median of the
    repeats': on a shared machine one run's speed-up can be 10% off the next one's. ``workers``
    as :class:`~summarizer.briefing.Summarizer` takes it (None: its default)."""
    workers = default_workers() if workers is None else workers  # a server backend's default

    async def runs(url: str) -> list[ThroughputRun]:
        warm_up = folder / "warm-up"  # imports, and the worker processes' first loads
        await _throughput(url, copies(sources, 1, warm_up / "in"), 1, warm_up, cache, workers)
        measured = []
        for repeat in range(1, repeats + 1):
            for concurrency in concurrencies:
                run_folder = folder / f"r{repeat}-c{concurrency}"
                articles = copies(sources, rounds * concurrency, run_folder / "in")
                run = await _throughput(url, articles, concurrency, run_folder, cache, workers)
                measured.append(run.model_copy(update={"repeat": repeat}))
                progress(
                    f"server: repeat {repeat} of {repeats}, concurrency {concurrency}: "
                    f"{run.articles_per_second:.2f} articles/s"
                )
        return measured

    with stub_server_process(delay) as url:
        measured = asyncio.run(runs(url))
    top = max(concurrencies)
    speedups = []
    if 1 in concurrencies and top != 1:
        for repeat in range(1, repeats + 1):
            rates = {r.concurrency: r.articles_per_second for r in measured if r.repeat == repeat}
            if rates[1]:
                speedups.append(round(rates[top] / rates[1], 2))
    speedup = round(statistics.median(speedups), 2) if speedups else None
    return ServerResult(
        delay=delay,
        result_cache=cache,
        workers=workers,
        repeats=repeats,
        runs=measured,
        speedups=speedups,
        speedup=speedup,
    )


# ---- the whole benchmark ----------------------------------------------------------------


def run_benchmark(
    articles_dir: Path,
    *,
    limit: int | None = None,
    raw_samples: int = 3,
    passes: str | None = None,
    embedded: bool = True,
    model_path: Path | None = None,
    delay: float = 0.2,
    concurrencies: Sequence[int] = (1, 4, 16),
    rounds: int = 8,
    repeats: int = 3,
    cache: bool = True,
    workers: int | None = None,
    progress: Callable[[str], None] = _quiet,
) -> BenchmarkResult:
    sources = expand_inputs([str(articles_dir)])
    if not sources:
        raise FileNotFoundError(f"no articles in {articles_dir}")
    with tempfile.TemporaryDirectory(prefix="summarizer-benchmark-") as scratch:
        folder = Path(scratch)
        server = run_server(
            sources,
            folder / "server",
            delay=delay,
            concurrencies=concurrencies,
            rounds=rounds,
            repeats=repeats,
            cache=cache,
            workers=workers,
            progress=progress,
        )
        model = (
            run_embedded(
                sources[:limit],
                folder / "embedded",
                raw_samples=raw_samples,
                passes=passes,
                model_path=model_path,
                progress=progress,
            )
            if embedded
            else None
        )
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    return BenchmarkResult(
        created_at=dt.datetime.now(dt.UTC), machine=machine, embedded=model, server=server
    )


def to_markdown(result: BenchmarkResult) -> str:
    lines = [
        f"# Benchmark, {result.created_at:%Y-%m-%d %H:%M} UTC ({result.machine['cpus']} CPUs)",
        "",
    ]
    model = result.embedded
    if model is not None:
        lines += [
            f"## Embedded model `{model.model}`, `--passes {model.passes}`: {model.articles} "
            f"articles ({model.failed} failed)",
            "",
            "| measure | value |",
            "|---|---|",
            f"| seconds per article, median / p90 | {model.seconds_per_article.median:.1f} / "
            f"{model.seconds_per_article.p90:.1f} |",
            f"| prompt tokens per article, median | {model.prompt_tokens_per_article.median:.0f} |",
            "| generated tokens per article, median | "
            f"{model.generated_tokens_per_article.median:.0f} |",
        ]
        if model.raw is not None:
            raw = model.raw
            lines.append(
                f"| briefing / raw llama.cpp completion ({raw.articles} articles, "
                f"{raw.passes} passes) | "
                f"{raw.overhead:.2f}× ({raw.briefing_seconds:.1f} s / {raw.raw_seconds:.1f} s; "
                f"model calls {raw.model_call_seconds:.1f} s) |"
            )
        if model.item_writing is not None:
            items = model.item_writing
            lines += [
                f"| item writing, one at a time ({items.items} items of {items.groups} "
                f"article(s)) | {items.sequential_tokens_per_second:.1f} tokens/s "
                f"({items.sequential_tokens} tokens in {items.sequential_seconds:.1f} s) |",
                f"| item writing, {items.width} at a time | "
                f"{items.parallel_tokens_per_second:.1f} tokens/s ({items.parallel_tokens} tokens "
                f"in {items.parallel_seconds:.1f} s): **{items.speedup:.2f}×**; "
                f"{items.identical_answers} of {items.items} answers identical |",
            ]
        if model.cold_start is not None:
            lines += [
                "| cold start, no saved prompt cache | "
                f"{model.cold_start.without_prompt_cache:.1f} s |",
                f"| cold start, saved prompt cache | {model.cold_start.with_prompt_cache:.1f} s |",
            ]
        lines += [
            f"| result-cache hit, median of {CACHE_HITS} | "
            f"{model.cache_hit_seconds * 1000:.1f} ms |",
            f"| model loads for the batch | {model.model_loads} |",
            "",
        ]
    server = result.server
    if server is not None:
        cache = "with a result cache" if server.result_cache else "without a result cache"
        lines += [
            f"## Batch throughput: stub server answering in {server.delay} s, {cache}, "
            f"{server.workers} worker process(es)",
            "",
            "| repeat | concurrency | articles | failed | seconds | articles/s |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r.repeat} | {r.concurrency} | {r.articles} | {r.failed} | {r.seconds:.2f} | "
            f"{r.articles_per_second:.2f} |"
            for r in server.runs
        ]
        if server.speedup is not None:
            verdict = "meets" if server.speedup >= server.target_speedup else "misses"
            each = ", ".join(f"{s:.1f}" for s in server.speedups)
            lines += [
                "",
                f"Speed-up c{max(r.concurrency for r in server.runs)} / c1, median of "
                f"{len(server.speedups)} repeat(s): **{server.speedup:.1f}×** (each: {each}; "
                f"{verdict} the target of {server.target_speedup:.0f}×).",
            ]
        lines.append("")
    return "\n".join(lines)


def write_results(result: BenchmarkResult, out_dir: Path) -> tuple[Path, Path]:
    paths = out_dir / "benchmark.json", out_dir / "benchmark.md"
    write_atomically(paths[0], result.model_dump_json(indent=2) + "\n")
    write_atomically(paths[1], to_markdown(result))
    return paths
