"""An OpenAI-compatible server on loopback that answers every request after a fixed delay.

It stands in for a real server in the throughput benchmark: with the model's time fixed
(``delay``), what a batch achieves at a given concurrency shows the client's own overhead.
Each answer is a minimal valid instance of the schema the request sends (json_schema
response format, a schema inside a json_object response format, or a tool's parameters),
so any article's passes validate: the actors pass gets one actor, every other list stays
empty. A server that refuses some structured-output modes, as llama-cpp-python's refuses
``json_schema`` with HTTP 500, is ``StubServer(delay, refuse={"json_schema"})``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: the top-level list that gets one item, so that the section passes have an actor to cite
_FILLED_LIST = "actors"
_FILLER = "benchmark"


def example_instance(
    schema: dict[str, Any], defs: dict[str, Any] | None = None, *, fill: bool = False
) -> Any:
    """A small value valid against ``schema``: enums take their first value, optional values are
    null, lists hold their minimum of items (one when ``fill``)."""
    defs = schema.get("$defs", {}) if defs is None else defs
    ref = schema.get("$ref")
    if ref is not None:
        return example_instance(defs[ref.rsplit("/", 1)[-1]], defs, fill=fill)
    if "anyOf" in schema:
        options = schema["anyOf"]
        chosen = next((o for o in options if o.get("type") == "null"), options[0])
        return example_instance(chosen, defs, fill=fill)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: example_instance(sub, defs, fill=fill and name == _FILLED_LIST)
            for name, sub in properties.items()
        }
    if kind == "array":
        count = max(schema.get("minItems", 0), 1 if fill else 0)
        return [example_instance(schema.get("items", {}), defs) for _ in range(count)]
    if kind == "string":
        return _FILLER[: schema.get("maxLength", len(_FILLER))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def mode_of(request: dict[str, Any]) -> str:
    """How a request asks for structured output, by the names of ``--mode``."""
    response_format = request.get("response_format") or {}
    if request.get("tools"):
        return "tools"
    if response_format.get("type") == "json_object":
        return "json_object_schema" if "schema" in response_format else "json"
    return str(response_format.get("type") or "text")


def answer_for(request: dict[str, Any]) -> dict[str, Any]:
    """The ``chat.completion`` body that answers one request with a valid minimal instance."""
    response_format = request.get("response_format") or {}
    tools = request.get("tools") or []
    if response_format.get("type") == "json_schema":
        schema = response_format["json_schema"]["schema"]
    elif response_format.get("type") == "json_object" and "schema" in response_format:
        schema = response_format["schema"]
    elif tools:
        schema = tools[0]["function"]["parameters"]
    else:
        raise ValueError(
            "the request carries no schema (json_schema, json_object with schema, or tools)"
        )
    arguments = json.dumps(example_instance(schema, fill=True))
    if tools:
        call = {"name": tools[0]["function"]["name"], "arguments": arguments}
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "call_0", "type": "function", "function": call}],
        }
    else:
        message = {"role": "assistant", "content": arguments}
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "stub"),
        "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class _Handler(BaseHTTPRequestHandler):
    # keep-alive, as real servers do: the client reuses its connections
    protocol_version = "HTTP/1.1"
    # else headers and body wait on the client's delayed ACK: 40 ms a request
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(self.server.delay)
        mode = mode_of(request)
        self.server.modes.append(mode)
        try:
            if mode in self.server.refuse:  # worded as llama-cpp-python's server words it
                field = "tools" if mode == "tools" else "response_format.type"
                message = f"1 validation error:\n{field}\n  Input should be 'text' or 'json_object'"
                code, body = 500, {"error": {"message": message, "type": "internal_server_error"}}
            else:
                code, body = 200, answer_for(request)
        except (ValueError, KeyError, TypeError) as exc:
            code, body = 400, {"error": {"message": str(exc), "type": "invalid_request_error"}}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.server.count()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of new connections at high concurrency is not refused

    def __init__(self, delay: float, refuse: Collection[str]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.refuse = frozenset(refuse)
        self.modes: list[str] = []  # each request's mode, in order
        self.requests = 0
        self._lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that closes its kept-alive connections is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def count(self) -> None:
        with self._lock:
            self.requests += 1


class StubServer:
    """The server in a thread of this process: ``with StubServer(0.2) as server: server.url``."""

    def __init__(self, delay: float, refuse: Collection[str] = ()) -> None:
        self._httpd = _Server(delay, refuse)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def requests(self) -> int:
        return self._httpd.requests

    @property
    def modes(self) -> list[str]:
        """The mode of each request so far (:func:`mode_of`)."""
        return self._httpd.modes

    def __enter__(self) -> StubServer:
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def stub_server_process(delay: float) -> Iterator[str]:
    """The server in a child process, so that its work does not compete with the client's for
    the interpreter lock: the benchmark measures the client alone. Yields the base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer.stub_server", "--delay", str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip() if process.stdout else ""
        if not url.startswith("http://"):
            raise RuntimeError(f"the stub server did not start (exit code {process.poll()})")
        yield url
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


def main(argv: list[str] | None = None) -> None:
    """Serve until killed, printing the base URL first (``python -m summarizer.stub_server
    --delay 0.2``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.2, help="seconds before each answer")
    args = parser.parse_args(argv)
    with StubServer(args.delay) as server:
        print(server.url, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
