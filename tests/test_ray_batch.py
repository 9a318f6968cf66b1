"""`summarizer batch --engine ray` on a local Ray instance: the outputs of a batch in one
process, an actor killed mid-run, and the real embedded model on two project articles.

Ray starts once for the module, on 2 CPUs with a small object store, and is shut down
(its processes with it) after the last test. Actors run in their own processes, so a test's
fake model reaches them as a function they import from this module, not by monkeypatching.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from summarizer import Briefing, Summarizer, cli

from .conftest import ARTICLES, SAMPLE_SCRIPT, FakeBackend
from .invented import article_index, invented_answer, write_corpus

ray = pytest.importorskip("ray", reason="the Ray engine needs the [ray] extra")
from summarizer.ray_batch import brief_on_ray  # noqa: E402  (after the skip: it is about Ray)


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    ray.init(num_cpus=2, object_store_memory=100 * 1024**2, include_dashboard=False, logging_level="WARNING")
    yield
    ray.shutdown()


class InventedModel(FakeBackend):
    """The right answer to every pass over every invented article; with ``flag`` and ``victim``,
    it kills its own process (SIGKILL, as the OOM killer would) the first time it is asked about
    article ``victim``, and leaves ``flag`` behind to say so."""

    def __init__(self, flag: Path | None = None, victim: int | None = None) -> None:
        super().__init__({name: [invented_answer] for name in SAMPLE_SCRIPT})
        self.flag, self.victim = flag, victim

    def create(self, **kwargs: Any) -> Any:
        if self.flag is not None and article_index(kwargs) == self.victim and not self.flag.exists():
            self.flag.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().create(**kwargs)


def invented_for_actor(options: dict[str, Any], pool: tuple[str, ...], threads: int, index: int) -> Summarizer:
    """Stands in for cli.summarizer_for_actor: the command line's settings on the fake model."""
    return Summarizer(InventedModel(), max_reasks=options["max_reasks"], passes=options["passes"])


def dying_summarizer(flag: Path, victim: int, index: int) -> Summarizer:
    return Summarizer(InventedModel(flag, victim))


def _corpus(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "in"
    write_corpus(folder, count)
    (folder / "empty.txt").write_text("   \n")
    return folder


def _briefings(folder: Path) -> dict[str, Any]:
    """Each briefing of a folder without what differs from run to run (seconds, time of creation)."""
    found = {}
    for path in sorted(folder.glob("*.json")):
        briefing = json.loads(path.read_text())
        del briefing["provenance"]["seconds"], briefing["provenance"]["created_at"]
        found[path.name] = briefing
    return found


def _errors(folder: Path) -> list[dict[str, Any]]:
    return sorted((json.loads(line) for line in (folder / "errors.jsonl").read_text().splitlines()),
                  key=lambda e: e["source"])


def test_a_ray_batch_writes_what_a_batch_in_one_process_writes_and_a_rerun_does_nothing(monkeypatch, tmp_path):
    folder = _corpus(tmp_path, 6)
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: InventedModel())
    here = CliRunner().invoke(cli.main, ["batch", str(folder), "--out", str(tmp_path / "here"), "--no-cache"])
    monkeypatch.setattr(cli, "summarizer_for_actor", invented_for_actor)
    ray_out = tmp_path / "ray"
    on_ray = CliRunner().invoke(cli.main, ["batch", str(folder), "--out", str(ray_out), "--no-cache",
                                           "--engine", "ray", "--actors", "2", "--cpus-per-actor", "1"])
    assert here.exit_code == on_ray.exit_code == 1, on_ray.output  # the empty article failed in both
    assert len(_briefings(ray_out)) == 6 and _briefings(ray_out) == _briefings(tmp_path / "here")
    assert _errors(ray_out) == _errors(tmp_path / "here")
    assert "[7/7]" in on_ray.output and not list(ray_out.glob(".*"))  # progress by outcome; no temporary file
    written = {path.name: path.stat().st_mtime_ns for path in ray_out.glob("*.json")}
    again = CliRunner().invoke(cli.main, ["batch", str(folder), "--out", str(ray_out), "--no-cache",
                                          "--engine", "ray", "--actors", "2", "--cpus-per-actor", "1"])
    assert again.exit_code == 1 and "│ skipped │ 6 " in again.output and "│ done    │ 0 " in again.output
    assert {path.name: path.stat().st_mtime_ns for path in ray_out.glob("*.json")} == written


def test_an_actor_killed_mid_run_is_restarted_and_its_article_briefed_again(tmp_path):
    folder, out = _corpus(tmp_path, 8), tmp_path / "out"
    (folder / "empty.txt").unlink()
    flag = tmp_path / "killed"
    outcomes = brief_on_ray(sorted(folder.glob("*.txt")), out, partial(dying_summarizer, flag, 3), actors=2)
    assert flag.exists()  # an actor did die, briefing story-03
    assert [o.status for o in outcomes] == ["done"] * 8 and not (out / "errors.jsonl").exists()
    for path in out.glob("*.json"):
        assert Briefing.model_validate_json(path.read_text()).article.id == path.stem


def test_a_kill_loses_only_the_article_in_flight_and_a_rerun_briefs_only_that_one(tmp_path):
    folder, out = _corpus(tmp_path, 8), tmp_path / "out"
    (folder / "empty.txt").unlink()
    sources, flag = sorted(folder.glob("*.txt")), tmp_path / "killed"
    make = partial(dying_summarizer, flag, 3)
    first = brief_on_ray(sources, out, make, actors=2, retries=0)
    assert [(o.article_id, o.status) for o in first if o.status != "done"] == [("story-03", "failed")]
    assert "died" in _errors(out)[0]["error"]
    finished = {path.name: path.read_bytes() for path in out.glob("*.json")}
    assert len(finished) == 7 and not list(out.glob(".*"))
    second = brief_on_ray(sources, out, make, actors=2, retries=0)
    assert [(o.article_id, o.status) for o in second if o.status != "skipped"] == [("story-03", "done")]
    assert {name: (out / name).read_bytes() for name in finished} == finished  # untouched


def test_without_ray_the_ray_engine_exits_2_and_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    result = CliRunner().invoke(cli.main, ["batch", str(ARTICLES / "border_clash.txt"), "--out", str(tmp_path),
                                           "--engine", "ray"])
    assert result.exit_code == 2 and "pip install 'summarizer[ray]'" in result.output


@pytest.mark.model
def test_the_real_model_on_one_actor_with_both_cores(tmp_path):
    pytest.importorskip("llama_cpp", reason="the embedded model needs the [embedded] extra")
    inputs = [str(ARTICLES / "border_clash.txt"), str(ARTICLES / "harbor_talks.txt")]
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.main, ["batch", *inputs, "--out", str(out), "--no-cache", "--engine", "ray",
                                           "--cpus-per-actor", "2"])  # one actor on this Ray's 2 CPUs
    assert result.exit_code == 0, result.output
    for name in ("border_clash", "harbor_talks"):
        briefing = Briefing.model_validate_json((out / f"{name}.json").read_text())
        assert briefing.provenance is not None and briefing.provenance.backend == "embedded"
        assert briefing.actors and briefing.summary
    again = CliRunner().invoke(cli.main, ["batch", *inputs, "--out", str(out), "--no-cache", "--engine", "ray"])
    assert again.exit_code == 0 and "│ skipped │ 2 " in again.output


def test_actors_take_the_servers_of_a_pool_in_turn_and_the_model_gets_their_share_of_the_cores():
    options = {"backend": "openai", "model": "m", "model_path": None, "base_url": None, "mode": None,
               "timeout": None, "prompt_version": "v1", "max_reasks": 0, "no_cache": True, "context_tokens": None,
               "passes": None, "no_completion": False, "allow_any_language": False, "backend_option": {}}
    pool = ("http://a:8000/v1", "http://b:8000/v1")
    urls = [cli.summarizer_for_actor(options, pool, 1, index).backend.base_url for index in range(3)]
    assert urls == [pool[0], pool[1], pool[0]]
    embedded = cli.summarizer_for_actor({**options, "backend": "embedded", "model": None}, (), 3, 0)
    assert embedded.backend._n_threads == 3


def test_ray_options_need_the_ray_engine(tmp_path):
    result = CliRunner().invoke(cli.main, ["batch", str(ARTICLES / "border_clash.txt"), "--out", str(tmp_path),
                                           "--actors", "2"])
    assert result.exit_code == 2 and "--engine ray" in result.output


def test_an_actor_bigger_than_this_ray_is_an_error_not_a_wait_for_ever(tmp_path):
    from summarizer.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="needs 4 CPUs"):
        brief_on_ray([ARTICLES / "border_clash.txt"], tmp_path, invented_for_actor, cpus_per_actor=4)
