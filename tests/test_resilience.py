"""Batches against a flaky server, a batch killed mid-run, and a damaged result cache.

Nothing is lost: every article ends with exactly one complete output, retries are counted
in provenance, and the cache never serves a damaged entry.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer import Summarizer, load_article
from summarizer.batch import BatchRun, remove_stale_temporaries, write_atomically
from summarizer.cache import ResultCache, cache_key
from summarizer.contract import Briefing
from summarizer.server_backend import OpenAICompatibleBackend

from .conftest import ROOT
from .faultserver import DROP, FaultServer, Status
from .invented import article_index, invented_answer, invented_article, write_corpus

PASSES = 4


def _backend(server: FaultServer, **options: object) -> OpenAICompatibleBackend:
    settings: dict[str, object] = {"api_key": "test-key", "initial_wait": 0.01, "max_wait": 0.05, "timeout": 5.0,
                                   **options}
    return OpenAICompatibleBackend("test-model", base_url=server.url, **settings)  # type: ignore[arg-type]


def _minister(i: int) -> str:
    return invented_article(i)[1]["ActorsDraft"].split('"name": "')[1].split('"')[0]


def test_a_batch_of_21_completes_when_30_percent_of_requests_fail(tmp_path):
    sources = write_corpus(tmp_path / "in", 21)
    out = tmp_path / "out"
    faults = [Status(500), Status(503), Status(429), Status(429, {"Retry-After": "0.01"}), DROP]
    with FaultServer(invented_answer, failure_rate=0.3, faults=faults, seed=2024) as server:
        # 12 attempts: the chance that one request fails 12 times in a row at 30% is 5e-7
        outcomes = BatchRun(Summarizer(_backend(server, attempts=12)), out).run(sources)
    assert [o.status for o in outcomes] == ["done"] * 21
    assert sorted(p.name for p in out.iterdir()) == [f"story-{i:02}.json" for i in range(21)]  # no errors.jsonl
    briefings = [Briefing.model_validate_json((out / f"story-{i:02}.json").read_text()) for i in range(21)]
    assert [b.actors[0].name for b in briefings] == [_minister(i) for i in range(21)]
    failed = server.failed()
    assert 0.25 <= len(failed) / len(server.requests) <= 0.35
    assert {str(r.step) for r in failed} == {str(f) for f in faults}  # every kind of fault was met
    # every request the server saw is counted in some briefing's provenance, retries included
    assert sum(b.provenance.attempts for b in briefings) == len(server.requests)
    assert sum(b.provenance.attempts - b.provenance.passes for b in briefings) == len(failed)
    assert sum(b.provenance.passes for b in briefings) == 21 * PASSES
    assert sum(b.provenance.input_tokens for b in briefings) == 21 * PASSES * server.usage[0]


def _batch(inputs: Path, out: Path, server: FaultServer, cache: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(cache), "OPENAI_API_KEY": "test-key"}
    for name in ("SUMMARIZER_BACKEND", "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL", "SUMMARIZER_API_KEY"):
        env.pop(name, None)
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "summarizer", "batch", str(inputs), "--out", str(out), "--backend", "openai",
             "--base-url", server.url, "--model", "test-model", "--concurrency", "2", "--timeout", "10"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )


def _outputs(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("story-*.json")) if out.exists() else []


def test_a_killed_batch_loses_nothing_and_its_cache_stays_sound(tmp_path):
    count = 12
    inputs, out, cache, log = tmp_path / "in", tmp_path / "out", tmp_path / "cache", tmp_path / "batch.log"
    write_corpus(inputs, count)
    faults = [Status(429, {"Retry-After": "0.01"})]
    with FaultServer(invented_answer, delay=0.15, failure_rate=0.1, faults=faults, seed=7) as server:
        first = _batch(inputs, out, server, cache, log)
        deadline = time.monotonic() + 60
        while len(_outputs(out)) < 3 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL, log.read_text()
        done_first = _outputs(out)
        assert 3 <= len(done_first) < count  # killed mid-run
        for name in done_first:  # whatever was written is whole
            Briefing.model_validate_json((out / name).read_text())
        with sqlite3.connect(cache / "briefings.sqlite3") as db:  # the crash left a sound database
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # what a writer killed between creating and renaming its temporary file leaves behind
        (out / f".story-00.json.{first.pid}.k1lled_.tmp").write_text('{"summary": "half')
        seen = len(server.requests)

        second = _batch(inputs, out, server, cache, log)
        assert second.wait(timeout=120) == 0, log.read_text()
        rerun = server.requests[seen:]

        # every article exactly once, whole, and nothing else in the folder: no temporaries
        assert sorted(p.name for p in out.iterdir()) == [f"story-{i:02}.json" for i in range(count)]
        briefings = {i: Briefing.model_validate_json((out / f"story-{i:02}.json").read_text()) for i in range(count)}
        assert all(b.article.id == f"story-{i:02}" and b.actors[0].name == _minister(i) for i, b in briefings.items())
        finished = {int(name[6:8]) for name in done_first}
        asked_again = {article_index(r.body) for r in rerun}
        assert not asked_again & finished  # done articles were skipped, not briefed twice
        # the rest were briefed now, or had reached the cache just before the kill
        assert all(i in asked_again or briefings[i].provenance.cached for i in set(range(count)) - finished)

        # a cache entry damaged on disk is briefed again, never served
        (out / "story-01.json").unlink()
        (out / "story-02.json").unlink()
        with sqlite3.connect(cache / "briefings.sqlite3") as db:
            changed = db.execute("UPDATE briefings SET briefing = replace(briefing, ?, 'Nowhere') "
                                 "WHERE article_id = 'story-01'", (briefings[1].military_developments[0].location,))
            assert changed.rowcount == 1
        seen = len(server.requests)
        third = _batch(inputs, out, server, cache, log)
        assert third.wait(timeout=120) == 0, log.read_text()
        assert {article_index(r.body) for r in server.requests[seen:]} == {1}  # 2 came from the cache
    again = {i: Briefing.model_validate_json((out / f"story-{i:02}.json").read_text()) for i in (1, 2)}
    assert not again[1].provenance.cached and again[2].provenance.cached
    assert again[1].military_developments[0].location == briefings[1].military_developments[0].location


def test_only_the_temporaries_of_dead_writers_are_removed(tmp_path):
    dead = tmp_path / ".a.json.4194305.abc123_x.tmp"  # above Linux's highest pid: nobody
    alive = tmp_path / f".b.json.{os.getpid()}.abc123_x.tmp"  # this process, still writing
    other = tmp_path / "notes.tmp"
    for path in (dead, alive, other):
        path.write_text("x")
    assert remove_stale_temporaries(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])
    write_atomically(tmp_path / "c.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name, "c.json"])


def _damage_row(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE briefings SET briefing = substr(briefing, 1, 200)")


def _alter_row(path: Path) -> None:
    """Valid JSON, a valid briefing even, but not what was stored: only the digest tells."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE briefings SET briefing = json_set(briefing, '$.summary', 'Nothing happened.')")


def _checkpointed(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, the WAL empty
    db.close()


def _truncate(path: Path) -> None:
    _checkpointed(path)
    os.truncate(path, path.stat().st_size // 3)


def _overwrite_header(path: Path) -> None:
    _checkpointed(path)
    with path.open("r+b") as file:
        file.write(b"not a database at all" * 8)


def _empty(path: Path) -> None:
    _checkpointed(path)
    os.truncate(path, 0)


@pytest.mark.parametrize("damage", [_damage_row, _alter_row, _truncate, _overwrite_header, _empty],
                         ids=["cut-off row", "altered row", "truncated file", "overwritten header", "emptied file"])
def test_a_damaged_cache_is_detected_and_the_briefings_made_again(tmp_path, damage, caplog):
    sources = write_corpus(tmp_path / "in", 6)
    cache_path = tmp_path / "cache.sqlite3"
    with FaultServer(invented_answer) as server:
        summarizer = Summarizer(_backend(server), cache=ResultCache(cache_path))
        fresh = [summarizer.summarize(path) for path in sources]
        damage(cache_path)
        caplog.set_level(logging.WARNING, logger="summarizer.cache")
        seen = len(server.requests)
        again = [Summarizer(_backend(server), cache=ResultCache(cache_path)).summarize(path) for path in sources]
        assert len(server.requests) - seen == 6 * PASSES  # all made again: none was served
        third = [Summarizer(_backend(server), cache=ResultCache(cache_path)).summarize(path) for path in sources]
        assert len(server.requests) - seen == 6 * PASSES  # and the cache works again
    assert not any(b.provenance.cached for b in again) and all(b.provenance.cached for b in third)
    for before, after in zip(fresh, again, strict=True):
        assert after.model_dump(exclude={"provenance"}) == before.model_dump(exclude={"provenance"})
    if damage is not _empty:  # an emptied file is a valid empty database: nothing to warn about
        assert "damaged" in caplog.text


def test_a_cache_from_before_digests_is_upgraded_and_its_entries_made_again(tmp_path, caplog):
    [source] = write_corpus(tmp_path / "in", 1)
    path = tmp_path / "old.sqlite3"
    with FaultServer(invented_answer) as server:
        summarizer = Summarizer(_backend(server))
        briefing = summarizer.summarize(source)
        with sqlite3.connect(path) as db:  # the table as it was, holding a good entry without a digest
            db.execute("CREATE TABLE briefings (key TEXT PRIMARY KEY, article_id TEXT, created REAL, "
                       "briefing TEXT NOT NULL)")
            db.execute("INSERT INTO briefings VALUES (?, ?, ?, ?)", (cache_key(load_article(source),
                       summarizer.settings()), "story-00", 0.0, briefing.model_dump_json()))
        caplog.set_level(logging.WARNING, logger="summarizer.cache")
        cached = Summarizer(_backend(server), cache=ResultCache(path))
        assert not cached.summarize(source).provenance.cached  # unverifiable, so made again
        assert cached.summarize(source).provenance.cached  # and stored with its digest
    assert len(server.requests) == 2 * PASSES and not caplog.text  # an old entry is not damage


def test_a_cache_that_cannot_be_opened_costs_a_warning_not_the_briefing(tmp_path, caplog):
    [source] = write_corpus(tmp_path / "in", 1)
    unusable = tmp_path / "a-folder"  # SQLite cannot open a folder: OperationalError on every call
    unusable.mkdir()
    caplog.set_level(logging.WARNING, logger="summarizer.cache")
    with FaultServer(invented_answer) as server:
        summarizer = Summarizer(_backend(server), cache=ResultCache(unusable))
        briefings = [summarizer.summarize(source) for _ in range(2)]
    assert [b.provenance.cached for b in briefings] == [False, False] and len(server.requests) == 2 * PASSES
    assert "not used: unable to open database file" in caplog.text
