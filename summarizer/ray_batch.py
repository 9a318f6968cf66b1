"""Batches beyond one machine: the briefings of a batch made by a pool of actors on a Ray cluster.

Only the briefing itself runs on the cluster. This process, the driver, does everything
else through the same :class:`~summarizer.batch.BatchFolder` as a batch in one process:
it reads the inputs, skips those already briefed, writes each briefing atomically as its
task completes and records failures in ``errors.jsonl``. Actors are sent articles, not
paths, and send back briefings, so no node but the driver's needs the inputs or the
output folder.

Each actor builds one :class:`~summarizer.briefing.Summarizer` when it starts (one model
load for the embedded backend, one client for a server) and briefs one article at a time,
or ``concurrency`` at once on a server. An actor that dies (its process killed, its node
lost) is restarted by Ray, which runs its unfinished task again (``retries`` times); what
it finished is already written. Ray is imported only here and only when a run starts, so
the package works without it (``pip install 'summarizer[ray]'``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from .article import Article
from .batch import BatchFolder, Outcome
from .briefing import Summarizer
from .contract import Briefing
from .errors import ConfigurationError, SummarizerError

#: a local instance holds only articles and briefings in its object store: a small one will do
LOCAL_OBJECT_STORE_BYTES = 128 * 1024**2


def import_ray() -> ModuleType:
    """Ray, or the ConfigurationError that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigurationError("the Ray engine needs Ray: pip install 'summarizer[ray]'") from exc
    return ray


class Briefer:
    """One actor's work: its own Summarizer, built when Ray starts (or restarts) the actor."""

    def __init__(self, make_summarizer: Callable[[int], Summarizer], index: int) -> None:
        self.summarizer = make_summarizer(index)
        # The actors are the processes of a Ray batch; forking a Ray worker for more is not safe.
        self.summarizer.workers = 0

    def ready(self) -> None:
        """Returns once the summarizer is built: the actor can take articles."""

    async def brief(self, article: Article) -> Briefing | str:
        """The briefing, or why the article cannot be briefed (a SummarizerError does not travel
        well: its cause may be an HTTP response that does not pickle)."""
        try:
            return await self.summarizer.asummarize(article)
        except SummarizerError as exc:
            return str(exc)


def brief_on_ray(
    sources: Sequence[Path],
    out_dir: Path,
    make_summarizer: Callable[[int], Summarizer],
    *,
    output_format: str = "json",
    address: str | None = None,
    actors: int | None = None,
    cpus_per_actor: float = 1.0,
    concurrency: int = 1,
    retries: int = 2,
    actor_options: dict[str, Any] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Brief ``sources`` into ``out_dir`` on Ray, as :class:`~summarizer.batch.BatchRun` does in
    one process.

    ``make_summarizer(index)`` runs in each actor (index 0, 1, ...; e.g. to give each its own
    server) and must pickle. ``address`` joins a running cluster; without it, the Ray this
    process already started is used, or else a local instance is started and stopped again.
    ``actors`` defaults to the cluster's CPUs over ``cpus_per_actor``; ``concurrency`` is how
    many articles an actor briefs at once (1 for an in-process model); ``actor_options`` go to
    Ray as they are (``num_gpus``, ``memory``, ``resources``...).
    """
    ray = import_ray()
    folder = BatchFolder(out_dir, output_format)
    folder.open()
    outcomes: list[Outcome] = []

    def settle(outcome: Outcome) -> None:
        outcomes.append(folder.settle(outcome))
        if on_outcome is not None:
            on_outcome(outcome)

    queue: list[tuple[Path, Article]] = []
    for source in sources:
        admitted = folder.admit(source)
        if isinstance(admitted, Outcome):
            settle(admitted)
        else:
            queue.append((source, admitted))
    if queue:
        started = not ray.is_initialized()
        if started:
            ray.init(
                address=address,
                include_dashboard=False,
                logging_level="WARNING",
                **({} if address else {"object_store_memory": LOCAL_OBJECT_STORE_BYTES}),
            )
        try:
            cpus = ray.cluster_resources().get("CPU", 0)
            if not address and cpus < cpus_per_actor:  # it would wait for ever for a bigger machine
                raise ConfigurationError(
                    f"an actor needs {cpus_per_actor:g} CPUs; Ray has {cpus:g}"
                )
            _dispatch(
                ray,
                folder,
                queue,
                make_summarizer,
                settle,
                actors=actors,
                cpus_per_actor=cpus_per_actor,
                concurrency=concurrency,
                retries=retries,
                actor_options=actor_options or {},
            )
        finally:
            if started:
                ray.shutdown()
    return sorted(outcomes, key=lambda o: str(o.source))


def _dispatch(
    ray: ModuleType,
    folder: BatchFolder,
    queue: list[tuple[Path, Article]],
    make_summarizer: Callable[[int], Summarizer],
    settle: Callable[[Outcome], None],
    *,
    actors: int | None,
    cpus_per_actor: float,
    concurrency: int,
    retries: int,
    actor_options: dict[str, Any],
) -> None:
    """Start the actors, keep each one ``concurrency`` articles busy, and write what comes back
    the moment it does. An actor that cannot start at all (a missing model file) is left out;
    when none can, the run stops with its error."""
    count = actors or max(1, int(ray.cluster_resources().get("CPU", 1) // cpus_per_actor))
    remote = ray.remote(Briefer).options(
        num_cpus=cpus_per_actor,
        max_concurrency=concurrency,
        max_restarts=-1,
        max_task_retries=retries,
        **actor_options,
    )
    pool = [remote.remote(make_summarizer, index) for index in range(min(count, len(queue)))]
    starting: dict[Any, Any] = {handle.ready.remote(): handle for handle in pool}
    briefing: dict[Any, tuple[Any, Path, Article]] = {}
    queue.reverse()  # popped from the end: the inputs' order
    failure: str | None = None
    while briefing or (starting and queue):
        [finished], _ = ray.wait([*starting, *briefing], num_returns=1)
        if finished in starting:
            handle = starting.pop(finished)
            try:
                ray.get(finished)
            except ray.exceptions.RayActorError as exc:
                failure = str(exc)
                continue
            free = concurrency
        else:
            handle, source, article = briefing.pop(finished)
            free = 1
            try:
                result = ray.get(finished)
            except ray.exceptions.RayActorError as exc:
                result = f"the actor briefing it died {retries + 1} time(s): {exc}"
                if exc.actor_init_failed:  # restarted, it could not build its summarizer again
                    failure, free = str(exc), 0
            settle(
                folder.save(source, article, result)
                if isinstance(result, Briefing)
                else Outcome(source, article.id, "failed", error=result)
            )
        for _ in range(min(free, len(queue))):
            source, article = queue.pop()
            briefing[handle.brief.remote(article)] = (handle, source, article)
    if queue:
        raise ConfigurationError(f"no Ray actor could start a summarizer: {failure}")
