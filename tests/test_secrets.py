"""The API key never leaves the request: not in logs, output, errors, briefings, cache or reports.

Each path runs against a fault server that fails at random and, for some articles, rejects
the request with an error that echoes the key back (as careless gateways do), so the key is
in the error the client receives and must be kept out of everything made from it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import openai
import pytest
from click.testing import CliRunner

from summarizer import ModelError, Summarizer, cli
from summarizer.server_backend import OpenAICompatibleBackend

from .conftest import ROOT
from .faultserver import DROP, MALFORMED, FaultServer, Status, Step
from .invented import article_index, invented_answer, write_corpus

SECRET = "sk-test-SECRET-1234567890"
#: rejected at once (401 is not retried), the key in the message
ECHOED_401 = Status(401, body='{"error": {"message": "Incorrect API key provided: {authorization}", '
                              '"type": "invalid_request_error", "code": "invalid_api_key"}}')
#: retried until the attempts run out, the key in every answer
ECHOED_502 = Status(502, body='{"error": {"message": "upstream refused {authorization}"}}')
FLAKY = [Status(500), Status(503), Status(429, {"Retry-After": "0.01"}), DROP, MALFORMED]


def _answer(body: dict[str, Any]) -> Step:
    """Articles 2 and 3 are refused with the key echoed; the others get their answers."""
    return {2: ECHOED_401, 3: ECHOED_502}.get(article_index(body)) or invented_answer(body)


@pytest.fixture
def server():
    with FaultServer(_answer, failure_rate=0.2, faults=FLAKY, seed=11) as server:
        yield server
    used = {r.headers.get("authorization") for r in server.requests}
    assert used == {f"Bearer {SECRET}"}  # the key was really sent, with every request


@pytest.fixture
def environment(monkeypatch, tmp_path, server):
    """The key only in the environment, a private cache, and the server's address."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.delenv("SUMMARIZER_API_KEY", raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SUMMARIZER_BASE_URL", server.url)
    monkeypatch.setenv("SUMMARIZER_BACKEND", "openai")
    monkeypatch.setenv("SUMMARIZER_MODEL", "test-model")
    return tmp_path


def _files_under(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _assert_clean(where: str, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    assert SECRET.encode() not in data, f"the API key leaked into {where}"
    assert b"SECRET-1234567890" not in data, f"part of the API key leaked into {where}"


def _gold(articles: Path, gold: Path) -> None:
    """Gold files for articles 0-3: the briefings a clean server gives, offsets only."""
    with FaultServer(invented_answer) as clean:
        summarizer = Summarizer(OpenAICompatibleBackend("test-model", base_url=clean.url, api_key="other-key"))
        gold.mkdir()
        for i in range(4):
            briefing = summarizer.summarize(articles / f"story-{i:02}.txt")
            data = briefing.model_dump(mode="json", exclude={"provenance"})
            data["article"] = {"id": briefing.article.id}
            for section in ("actors", "meetings", "military_developments", "stated_positions"):
                for item in data[section]:
                    item["evidence"] = [{"start": s["start"], "end": s["end"]} for s in item["evidence"]]
            (gold / f"story-{i:02}.json").write_text(json.dumps(data))


def test_the_key_stays_out_of_logs_output_errors_and_files(environment, caplog):
    tmp = environment
    articles = tmp / "articles"
    write_corpus(articles, 5)
    _gold(articles, tmp / "gold")
    caplog.set_level(logging.DEBUG)  # openai, httpx, instructor and our own loggers, all of it
    runner = CliRunner()
    results = {
        "brief": runner.invoke(cli.main, ["brief", str(articles / "story-00.txt"), "--format", "json"]),
        "brief (refused)": runner.invoke(cli.main, ["brief", str(articles / "story-02.txt"), "--no-cache"]),
        "batch": runner.invoke(cli.main, ["batch", str(articles), "--out", str(tmp / "out")]),
        "eval": runner.invoke(cli.main, ["eval", "--gold", str(tmp / "gold"), "--articles", str(articles),
                                         "--out", str(tmp / "eval"), "--no-cache"]),
    }
    assert [r.exit_code for r in results.values()] == [0, 1, 1, 0], [r.output for r in results.values()]
    for command, result in results.items():
        _assert_clean(f"the output of {command}", result.output)
        _assert_clean(f"the exception of {command}", repr(result.exception))
    # the refusals did reach the user, without the key
    assert "Incorrect API key provided: Bearer <redacted>" in results["brief (refused)"].output
    errors = [json.loads(line) for line in (tmp / "out" / "errors.jsonl").read_text().splitlines()]
    assert sorted(e["article_id"] for e in errors) == ["story-02", "story-03"]
    assert any("Incorrect API key provided: Bearer <redacted>" in e["error"] for e in errors)
    runs = json.loads((tmp / "eval" / "result.json").read_text())["runs"]
    assert [bool(run["error"]) for run in runs] == [False, False, True, True]  # refusals are in the report
    _assert_clean("the logs", caplog.text)
    for record in caplog.records:
        _assert_clean(f"the log record args of {record.name}", repr(record.args))
        if record.exc_info:
            _assert_clean("a logged traceback", "".join(traceback.format_exception(*record.exc_info)))
    assert any(r.name.startswith("openai") and r.levelno == logging.DEBUG for r in caplog.records)
    for path, data in _files_under(tmp).items():  # briefings, errors.jsonl, result.json, report.html, cache
        _assert_clean(str(path.relative_to(tmp)), data)
    assert (tmp / "cache" / "briefings.sqlite3").exists() and (tmp / "eval" / "report.html").exists()


@pytest.mark.parametrize("article", [2, 3], ids=["401 echoing the key", "502 echoing the key"])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_model_error_and_its_causes_hold_no_key(environment, article, use_async):
    path = write_corpus(environment / "articles", 4)[article]
    backend = OpenAICompatibleBackend("test-model", attempts=3, initial_wait=0.01, max_wait=0.02)
    summarizer = Summarizer(backend)
    with pytest.raises(ModelError) as raised:
        if use_async:
            asyncio.run(summarizer.asummarize(path))
        else:
            summarizer.summarize(path)
    assert "<redacted>" in str(raised.value)
    chain: list[BaseException] = []
    error: BaseException | None = raised.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert any(isinstance(e, openai.APIStatusError) for e in chain)  # the error that held the key
    for error in chain:
        _assert_clean(f"{type(error).__name__}", f"{error!s} {error!r} {getattr(error, 'body', '')!r} "
                                                 f"{getattr(error, 'message', '')}")
    _assert_clean("the traceback", "".join(traceback.format_exception(raised.value)))


def test_the_command_line_with_openai_debug_logging_prints_no_key(environment, server):
    tmp = environment
    articles = tmp / "articles"
    write_corpus(articles, 4)
    env = {**os.environ, "OPENAI_LOG": "debug"}  # the openai client logs every request and error
    batch = subprocess.run([sys.executable, "-m", "summarizer", "batch", str(articles), "--out", str(tmp / "out")],
                           cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)
    assert batch.returncode == 1  # articles 2 and 3 were refused
    assert b"DEBUG" in batch.stderr and b"Bearer <redacted>" in batch.stderr
    _assert_clean("stdout", batch.stdout)
    _assert_clean("stderr", batch.stderr)
    for path, data in _files_under(tmp).items():
        _assert_clean(str(path.relative_to(tmp)), data)
