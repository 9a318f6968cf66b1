"""The same code through a real OpenAI-compatible HTTP server on loopback.

llama-cpp-python's server runs the embedded model in a child process; the summarizer
talks to it with the `openai` backend exactly as it would to vLLM, Ollama or OpenAI.
"""

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from click.testing import CliRunner
from openai.types.chat import ChatCompletion

from summarizer import Summarizer, cli, load_article
from summarizer import server_backend as server_module
from summarizer.backends import Backend
from summarizer.model_file import ensure_model
from summarizer.plugins import make_backend

from .conftest import ARTICLES, ROOT

pytestmark = pytest.mark.model
pytest.importorskip("llama_cpp.server.app", reason="the loopback server test needs the [server] extra")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    port = _free_port()
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w+")  # a pipe would fill up and block it
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.llama_server", "--model", str(ensure_model()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "8192", "--model_alias", "embedded-default"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"llama_cpp.server exited: {log.read()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not start within 180 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def server_backend(server_url):
    return make_backend("openai", base_url=server_url, model="embedded-default", mode="json_object_schema", timeout=300)


def test_briefing_through_an_openai_compatible_server(server_backend):
    briefing = Summarizer(server_backend).summarize(ARTICLES / "harbor_talks.txt")
    article = load_article(ARTICLES / "harbor_talks.txt")
    assert briefing.provenance.backend == "openai" and briefing.provenance.model == "embedded-default"
    assert {"Lina Marsh", "Karl Ivers"} <= {a.name for a in briefing.actors}
    for item in [*briefing.actors, *briefing.meetings, *briefing.military_developments, *briefing.stated_positions]:
        assert all(article.text[s.start:s.end] == s.text for s in item.evidence)
    assert briefing.provenance.input_tokens > 0 and briefing.provenance.output_tokens > 0


def test_the_default_mode_falls_back_once_to_what_the_server_takes(server_url, monkeypatch, tmp_path):
    """llama-cpp-python's server refuses the json_schema response format (HTTP 500): the command
    line with no --mode briefs the article all the same, warning once of the mode it took."""
    monkeypatch.setattr(server_module, "_remembered", {})
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli.main, ["brief", str(ARTICLES / "harbor_talks.txt"), "--backend", "openai",
                                           "--base-url", server_url, "--model", "embedded-default",
                                           "--timeout", "300", "--format", "json"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1, result.stderr
    assert "refused --mode json_schema" in warned[0] and "--mode json_object_schema" in warned[0]
    briefing = json.loads(result.stdout)
    assert briefing["provenance"]["fallback_mode"] == "json_object_schema"
    assert {"Lina Marsh", "Karl Ivers"} <= {a["name"] for a in briefing["actors"]}


class _Recorder(Backend):
    """The server's answers, kept by request; replayed when there is no server to ask."""

    def __init__(self, server: Backend, answers: dict[str, ChatCompletion], *, replay: bool) -> None:
        self.server, self.answers, self.replay = server, answers, replay
        self.name, self.model = server.name, server.model
        self.max_concurrency = 4

    def create(self, **kwargs: Any) -> ChatCompletion:
        raise AssertionError("only the async path is recorded")

    async def acreate(self, **kwargs: Any) -> ChatCompletion:
        key = json.dumps([kwargs["messages"], kwargs.get("response_format")], sort_keys=True)
        if not self.replay:
            self.answers[key] = await self.server.acreate(**kwargs)
        return self.answers[key]


def test_a_worker_process_grounds_real_answers_as_this_process_does(server_backend):
    """The async path with a worker process (workers.py) on the real model's answers, then the
    same answers replayed with no worker: the two briefings must be the same. (The server's
    own answers may differ between runs that interleave requests differently.)"""
    answers: dict[str, ChatCompletion] = {}
    path = ARTICLES / "harbor_talks.txt"
    pooled = asyncio.run(Summarizer(_Recorder(server_backend, answers, replay=False), workers=1).asummarize(path))
    inline = asyncio.run(Summarizer(_Recorder(server_backend, answers, replay=True), workers=0).asummarize(path))
    assert len(answers) == 4  # the actors pass and three section passes, all from the model
    assert pooled.actors and pooled.model_dump(exclude={"provenance"}) == inline.model_dump(exclude={"provenance"})
