"""The work around model calls in worker processes: same briefings, errors kept, a dead worker survived."""

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from summarizer import ArticleError, ConfigurationError, Summarizer
from summarizer.workers import default_workers, offload

from .conftest import SAMPLE, SAMPLE_SCRIPT, FakeBackend

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes are forked")


def _pid() -> int:
    return os.getpid()


def _exit_unless(pid: int) -> str:
    """Dies in any process but ``pid``: a worker killed mid-call."""
    if os.getpid() != pid:
        os._exit(1)
    return "finished here"


def _fail(message: str) -> None:
    raise ArticleError(message)


def _concurrent_fake() -> FakeBackend:
    backend = FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})
    backend.max_concurrency = 4
    return backend


def test_offload_runs_in_another_process_and_zero_workers_runs_here():
    assert asyncio.run(offload(1, _pid)) != os.getpid()
    assert asyncio.run(offload(0, _pid)) == os.getpid()


def test_an_error_in_a_worker_reaches_the_caller_as_raised():
    with pytest.raises(ArticleError, match="named problem"):
        asyncio.run(offload(1, _fail, "named problem"))


def test_a_dead_worker_costs_only_its_call_which_runs_here():
    here = os.getpid()
    assert asyncio.run(offload(1, _exit_unless, here)) == "finished here"
    assert asyncio.run(offload(1, _pid)) not in (here, None)  # a new pool took over


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_worker_ends_when_its_caller_is_killed_outright():
    caller = subprocess.Popen(
        [sys.executable, "-c", "import asyncio, os, time\n"
                               "from summarizer.workers import offload\n"
                               "print(asyncio.run(offload(1, os.getpid)), flush=True)\n"
                               "time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    worker = int(caller.stdout.readline())
    assert _alive(worker)
    caller.send_signal(signal.SIGKILL)
    caller.wait()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def test_briefings_are_the_same_with_and_without_workers():
    inline = asyncio.run(Summarizer(_concurrent_fake(), workers=0).asummarize(SAMPLE))
    pooled = asyncio.run(Summarizer(_concurrent_fake(), workers=1).asummarize(SAMPLE))
    assert pooled.model_dump(exclude={"provenance"}) == inline.model_dump(exclude={"provenance"})
    assert pooled.actors and pooled.meetings  # a briefing with content, not two empty ones


def test_a_refused_article_is_refused_from_a_worker(tmp_path):
    french = tmp_path / "french.txt"
    french.write_text("Le ministre des affaires étrangères a rencontré son homologue à Genève mardi pour "
                      "discuter du cessez-le-feu et de la reconstruction de la région, a indiqué le ministère.")
    with pytest.raises(ArticleError, match="appears to be in language 'fr'"):
        asyncio.run(Summarizer(_concurrent_fake(), workers=1).asummarize(french))


def test_workers_default_to_spare_cores_for_servers_only():
    assert Summarizer(_concurrent_fake()).workers == default_workers()
    assert Summarizer(FakeBackend({})).workers == 0  # one answer at a time: nothing to overlap
    with pytest.raises(ConfigurationError, match="workers must be 0 or more"):
        Summarizer(_concurrent_fake(), workers=-1)
