"""Other cores for the work around model calls, while the event loop waits on a server.

With a server backend and many briefings in flight, one process does everything between
the requests: splitting sentences, screening, grounding, the completion rules, validation.
Python runs that on one core at a time, so the requests queue behind it and a higher
``--concurrency`` stops paying off. A pool of worker processes takes that work, and the
event loop's process keeps sending and reading requests.

The pool is the process's, shared by every :class:`~summarizer.briefing.Summarizer` in it,
and started on first use. Its workers are forked, as Python does by default on Linux: a
fork has the package imported already and never runs the caller's script again (the
``if __name__ == "__main__"`` guard that spawned workers need). So by default the pool is
used only where processes fork; elsewhere the work stays in the event loop's process unless
a caller asks for workers. What a worker loads once (the language model of the screening)
stays loaded for the next batch. The embedded backend, which has one model and one answer
at a time, never uses the pool.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Result = TypeVar("Result")

_lock = threading.Lock()
_pools: dict[int, ProcessPoolExecutor] = {}  # by size
_CALLER_CHECK_SECONDS = 1.0
# where fork is Python's default and safe with the system's libraries
_FORKS = sys.platform == "linux"


def default_workers() -> int:
    """One worker per core the event loop's process does not use; none on one core or where
    processes do not fork."""
    return max(0, (os.cpu_count() or 1) - 1) if _FORKS else 0


def _start_worker(caller: int) -> None:
    """Ctrl-C reaches the whole process group: the caller handles it and ends the pool, rather
    than every worker printing a traceback of its own. A caller killed outright cannot end the
    pool, so the worker ends itself once the caller is gone (a forked worker holds both ends of
    its task pipe and would otherwise wait on it for ever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(
        target=_end_with, args=(caller,), name="summarizer-end-with-caller", daemon=True
    ).start()


def _end_with(caller: int) -> None:
    while os.getppid() == caller:
        time.sleep(_CALLER_CHECK_SECONDS)
    os._exit(0)


def _shared_pool(workers: int) -> ProcessPoolExecutor:
    with _lock:
        pool = _pools.get(workers)
        if pool is None:
            context = multiprocessing.get_context("fork" if _FORKS else "spawn")
            pool = _pools[workers] = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return pool


def _discard(workers: int, pool: ProcessPoolExecutor) -> None:
    with _lock:
        if _pools.get(workers) is pool:
            del _pools[workers]
    pool.shutdown(wait=False, cancel_futures=True)


async def offload(workers: int, function: Callable[..., Result], *args: object) -> Result:
    """``function(*args)`` in a worker process, or here when ``workers`` is 0.

    ``function`` and its arguments travel by pickle, so it must be a module-level function.
    Its exceptions reach the caller as they were raised. A worker that died (killed, out of
    memory) costs only its own calls: they run here, and the next call starts a new pool.
    """
    if workers <= 0:
        return function(*args)
    pool = _shared_pool(workers)
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, function, *args)
    except BrokenProcessPool:
        _discard(workers, pool)
        return function(*args)
