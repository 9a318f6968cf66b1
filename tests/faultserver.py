"""A fault-injecting OpenAI-compatible server on loopback, for tests of the server backend.

Each request to ``POST /v1/chat/completions`` takes a step: the scripted steps (``plan``) in
order, then, at ``failure_rate``, a seeded random fault, else ``answer(request)``: by default
the valid answer to the briefing pass asked for (the sample article's); an answer function
may return a fault too. Every request is recorded with the step it got, so a test can count
retries and re-asks and check the gaps between them.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .conftest import SAMPLE_SCRIPT

OK = "ok"  # whatever the answer function says: by default a valid answer to the pass asked for
DROP = "drop"  # the connection is closed without a response
MALFORMED = "malformed"  # HTTP 200 whose body is not JSON


@dataclass(frozen=True)
class Status:
    """An HTTP error response (429, 500, 503...) with optional headers such as Retry-After.

    ``{authorization}`` in the body becomes the request's Authorization header, as a careless
    gateway echoes the key it rejected.
    """

    code: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = '{"error": {"message": "injected failure", "type": "server_error"}}'


@dataclass(frozen=True)
class Hang:
    """No response for ``seconds`` (past the client's timeout); then the connection is closed."""

    seconds: float


@dataclass(frozen=True)
class Content:
    """A well-formed completion with this message content: schema violations, cut-off answers."""

    text: str
    finish_reason: str = "stop"


Step = str | Status | Hang | Content

#: the faults of a flaky server: overload, crashes, rate limits, dropped connections
TRANSIENT_FAULTS: tuple[Step, ...] = (Status(500), Status(503), Status(429), Status(429, {"Retry-After": "0.01"}), DROP)


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    at: float
    body: dict[str, Any]
    headers: dict[str, str]  # names in lower case
    step: Step


def sample_answer(body: dict[str, Any]) -> str:
    """The correct answer for each pass over examples/sample_article.txt."""
    name = body["response_format"]["json_schema"]["name"]
    return SAMPLE_SCRIPT.get(name, ['{"items": []}'])[0]  # type: ignore[return-value]


class FaultServer:
    """The server; use as a context manager (``with FaultServer() as server: server.url``)."""

    def __init__(self, answer: Callable[[dict[str, Any]], Step] = sample_answer, *, plan: Sequence[Step] = (),
                 failure_rate: float = 0.0, faults: Sequence[Step] = TRANSIENT_FAULTS, seed: int = 0,
                 delay: float = 0.0, usage: tuple[int, int] = (10, 5)) -> None:
        self.answer = answer
        self.plan = list(plan)
        self.failure_rate = failure_rate
        self.faults = list(faults)
        self.delay = delay
        self.usage = usage
        self.requests: list[Request] = []
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fault_server = self  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def next_step(self, body: dict[str, Any], headers: dict[str, str]) -> Step:
        with self._lock:
            if self.plan:
                step = self.plan.pop(0)
            elif self.failure_rate and self._random.random() < self.failure_rate:
                step = self._random.choice(self.faults)
            else:
                step = OK
            self.requests.append(Request(time.monotonic(), body, headers, step))
            return step

    def failed(self) -> list[Request]:
        """The requests that got a scripted or random fault instead of the answer function's step."""
        return [r for r in self.requests if r.step != OK]

    def completion(self, model: str, content: str, finish_reason: str = "stop") -> bytes:
        prompt, generated = self.usage
        return json.dumps({
            "id": "chatcmpl-fault", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": generated, "total_tokens": prompt + generated},
        }).encode()

    def wait(self, seconds: float) -> None:
        """Sleep, but wake up when the server stops (so a hung request never outlives a test)."""
        self._stopping.wait(seconds)

    def __enter__(self) -> FaultServer:
        threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        fault: FaultServer = self.server.fault_server  # type: ignore[attr-defined]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        step = fault.next_step(body, {key.lower(): value for key, value in self.headers.items()})
        fault.wait(fault.delay)
        if step == OK:
            step = fault.answer(body)
        if isinstance(step, str) and step not in (DROP, MALFORMED):
            step = Content(step)
        if step == DROP:
            self.close_connection = True
            self.connection.close()
        elif isinstance(step, Hang):
            fault.wait(step.seconds)
            self.close_connection = True
            self.connection.close()
        elif step == MALFORMED:
            self._send(200, b'{"id": "chatcmpl-fault", "choices": [{"message": ', {})
        elif isinstance(step, Status):
            text = step.body.replace("{authorization}", self.headers.get("Authorization", ""))
            self._send(step.code, text.encode(), step.headers)
        elif isinstance(step, Content):
            self._send(200, fault.completion(body["model"], step.text, step.finish_reason), {})

    def _send(self, code: int, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

