"""Backends without a model: grammar wiring, repetition guard, transport retries over loopback HTTP."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from summarizer import ModelError, Summarizer
from summarizer.backends import EmbeddedBackend, OpenAICompatibleBackend, close_json, last_item, repeats_an_item

from .conftest import SAMPLE, SAMPLE_SCRIPT


def test_json_schema_response_format_becomes_a_llama_grammar():
    pytest.importorskip("llama_cpp")
    from llama_cpp import LlamaGrammar

    backend = EmbeddedBackend()
    schema = {"type": "object", "properties": {"color": {"enum": ["red", "green"]}}, "required": ["color"]}
    arguments = backend.completion_arguments({
        "messages": [], "max_tokens": 5,
        "response_format": {"type": "json_schema", "json_schema": {"name": "C", "schema": schema}},
    })
    assert isinstance(arguments["grammar"], LlamaGrammar)
    assert "response_format" not in arguments  # llama-cpp-python would silently ignore it
    assert backend.grammar_for(schema) is arguments["grammar"]  # compiled once


def test_repetition_guard_spots_a_repeated_item_only_when_complete():
    head = '{"items": [{"a": 1, "b": "p", "c": "x}"}, {"a": 2, "b": "q", "c": "y"}, '
    assert not repeats_an_item(head + '{"a": 1, "b": "p", "c": "x}"')
    assert repeats_an_item(head + '{"a": 1,  "b": "p", "c": "x}"}')
    assert not repeats_an_item(head + '{"a": 3, "b": "r", "c": "z"}')
    assert last_item('{"x": [1]}') is None
    assert json.loads(close_json(head + '{"a": 1')) == {"items": [{"a": 1, "b": "p", "c": "x}"},
                                                                  {"a": 2, "b": "q", "c": "y"}, {"a": 1}]}


def test_repetition_guard_spots_a_template_loop():
    def item(n):
        return {"evidence": [n], "holder": "x", "kind": "demand", "topic": "t", "position": f"sentence {n}"}
    text = json.dumps({"items": [item(1), item(2), item(3)]})[:-2]
    assert repeats_an_item(text)
    varied = [item(1), {**item(2), "kind": "warning", "topic": "u"}, item(3)]
    assert not repeats_an_item(json.dumps({"items": varied})[:-2])


class _Script(BaseHTTPRequestHandler):
    """A chat-completions endpoint that fails as scripted before answering."""

    plan: list = []
    seen: list = []

    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((time.monotonic(), body))
        step = type(self).plan.pop(0) if type(self).plan else "ok"
        if step == "drop":
            self.connection.close()
            return
        if isinstance(step, tuple):
            status, headers = step
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "scripted failure"}}')
            return
        name = body["response_format"]["json_schema"]["name"]
        content = SAMPLE_SCRIPT.get(name, ['{"items": []}'])[0]
        payload = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                   "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
                   "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server():
    _Script.plan, _Script.seen = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Script)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def test_transient_failures_are_retried_with_backoff_and_retry_after(server):
    _Script.plan = [(503, {}), (429, {"Retry-After": "1"}), "drop", (500, {})]
    backend = OpenAICompatibleBackend("test-model", base_url=server, initial_wait=0.01, max_wait=2)
    briefing = Summarizer(backend).summarize(SAMPLE)
    assert briefing.actors and briefing.provenance.backend == "openai"
    times = [t for t, _ in _Script.seen]
    assert len(times) == 4 + 4  # four failures, then the four passes
    assert times[2] - times[1] >= 0.9  # Retry-After: 1 was honoured
    assert all(body["model"] == "test-model" for _, body in _Script.seen)


def test_persistent_failure_gives_up_with_the_last_error(server):
    _Script.plan = [(503, {})] * 10
    backend = OpenAICompatibleBackend("m", base_url=server, attempts=3, initial_wait=0.01, max_wait=0.05)
    with pytest.raises(ModelError, match="InternalServerError|503"):
        Summarizer(backend).summarize(SAMPLE)
    assert len(_Script.seen) == 3


def test_client_errors_are_not_retried(server):
    _Script.plan = [(400, {})] * 3
    backend = OpenAICompatibleBackend("m", base_url=server, initial_wait=0.01)
    with pytest.raises(ModelError, match="BadRequest|400"):
        Summarizer(backend).summarize(SAMPLE)
    assert len(_Script.seen) == 1
