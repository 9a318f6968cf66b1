"""`summarizer batch` with a fake model: outputs, resumption, failures, concurrency."""

import json
import shutil

from click.testing import CliRunner

from summarizer import cli
from summarizer.batch import expand_inputs

from .conftest import SAMPLE, SAMPLE_SCRIPT, FakeBackend


def _corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(SAMPLE, folder / f"{name}.txt")
        shutil.copy(SAMPLE.with_suffix(".json"), folder / f"{name}.json")
    (folder / "empty.txt").write_text("   \n")
    return folder


def _run(monkeypatch, *args, concurrency=1):
    backend = FakeBackend({k: list(v) for k, v in SAMPLE_SCRIPT.items()})
    backend.max_concurrency = concurrency
    monkeypatch.setattr(cli, "make_backend", lambda *a, **k: backend)
    return CliRunner().invoke(cli.main, ["batch", *map(str, args), "--no-cache"]), backend


def test_inputs_expand_folders_globs_and_skip_metadata(tmp_path):
    folder = _corpus(tmp_path)
    assert [p.name for p in expand_inputs([str(folder)])] == ["a.txt", "b.txt", "c.txt", "empty.txt"]
    assert [p.name for p in expand_inputs([str(folder / "[ab].*")])] == ["a.txt", "b.txt"]


def test_a_batch_writes_every_briefing_records_failures_and_resumes(monkeypatch, tmp_path):
    folder, out = _corpus(tmp_path), tmp_path / "out"
    result, backend = _run(monkeypatch, folder, "--out", out, concurrency=4)
    assert result.exit_code == 1, result.output  # one article failed
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "b.json", "c.json"]
    assert json.loads((out / "a.json").read_text())["article"]["id"] == "a"
    [error] = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert error["source"].endswith("empty.txt") and "empty" in error["error"]
    assert len(backend.calls) == 12 and not list(out.glob(".*"))  # no temporary file left behind
    again, backend = _run(monkeypatch, folder, "--out", out)
    assert again.exit_code == 1 and backend.calls == []  # done articles are skipped
    assert "skipped" in again.output


def test_markdown_and_html_outputs(monkeypatch, tmp_path):
    folder = _corpus(tmp_path)
    (folder / "empty.txt").unlink()
    for fmt, ext in (("markdown", ".md"), ("html", ".html")):
        result, _ = _run(monkeypatch, folder / "a.txt", "--out", tmp_path / fmt, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert (tmp_path / fmt / f"a{ext}").read_text().strip()


def test_outputs_get_a_normal_file_mode(tmp_path):
    import os
    import stat

    from summarizer.batch import write_atomically

    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "x.json", "{}")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o644


def test_folders_hold_text_articles_and_saved_pages(tmp_path):
    (tmp_path / "a.txt").write_text("A met B.")
    for name in ("page.html", "page.json", "old.HTM", "notes.md"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in expand_inputs([str(tmp_path)])] == ["a.txt", "old.HTM", "page.html"]
    assert [p.name for p in expand_inputs([str(tmp_path / "page.*")])] == ["page.html"]  # its metadata is no article


def test_workers_option_sets_the_processes_that_take_the_work_around_model_calls(monkeypatch, tmp_path):
    from summarizer import briefing

    asked = []
    real = briefing.offload

    async def recording(workers, function, *args):
        asked.append(workers)
        return await real(workers, function, *args)

    monkeypatch.setattr(briefing, "offload", recording)
    folder = _corpus(tmp_path)
    (folder / "empty.txt").unlink()
    result, _ = _run(monkeypatch, folder, "--out", tmp_path / "none", "--workers", "0", concurrency=4)
    assert result.exit_code == 0, result.output
    assert asked and set(asked) == {0}
    asked.clear()
    result, _ = _run(monkeypatch, folder, "--out", tmp_path / "one", "--workers", "1", concurrency=4)
    assert result.exit_code == 0, result.output
    assert asked and set(asked) == {1}
