"""The OpenAI-compatible server backend: OpenAI, Ollama, vLLM, llama.cpp's servers, LM Studio.

Transport failures (timeouts, 429, 5xx, dropped connections, bodies that are not JSON) are
retried with exponential backoff and jitter, honouring ``Retry-After``. A server that
refuses how it was asked for structured output is not retried: the request goes out once
more in the next mode that server family accepts, and that mode is remembered for the URL.

Instructor always asks for a ``json_schema`` response format; this backend rewrites the
request into the mode the server takes and turns a tool call back into message content, so
the rest of the pipeline sees one kind of answer whatever the server speaks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from .backends import Backend, report_retry
from .errors import ConfigurationError, ServerModeWarning

#: how a server is asked for structured output (``--mode``), in the order a refusal falls back:
#: OpenAI structured outputs, vLLM, Ollama, llama.cpp's ``llama-server``; a schema inside a
#: ``json_object`` response format (llama-cpp-python's server); function calling; JSON mode
#: with the schema in the prompt, which any server that knows JSON mode accepts
SERVER_MODES = ("json_schema", "json_object_schema", "tools", "json")

#: what a server names when it rejects the structured-output part of a request
_MODE_FIELDS = re.compile(
    r"response_format|json_schema|json_object|tool_choice|\btools\b", re.IGNORECASE
)
#: statuses that say something else is wrong (the key, the rate, the clock), whatever the body
_NOT_A_REFUSAL = frozenset({401, 403, 408, 429})

#: base URL -> the mode to ask that server in, once one was refused; shared by every backend
_remembered: dict[str, str] = {}
_remembered_lock = threading.Lock()


class MalformedResponseError(Exception):
    """The server answered with a body that is not JSON (a proxy cut it short, a crash mid-write).

    Raised instead of the bare ``JSONDecodeError``, which instructor would take for an
    invalid answer and re-ask at once, spending a re-ask on a transport fault.
    """


def refuses_mode(exc: BaseException) -> bool:
    """Did the server reject the request's ``response_format`` or ``tools`` as invalid?

    Servers say so with 400, 422 or even 500 (llama-cpp-python's: "response_format.type: Input
    should be 'text' or 'json_object'"), so the body decides, not the status. Re-sending the
    same request cannot help.
    """
    if not isinstance(exc, openai.APIStatusError) or exc.status_code in _NOT_A_REFUSAL:
        return False
    body = json.dumps(exc.body, default=str) if exc.body is not None else ""
    return bool(_MODE_FIELDS.search(f"{exc.message} {body}"))


def _reason(exc: openai.APIStatusError) -> str:
    """What the server said, on one line, without the SDK's "Error code: 500 - {...}" wrapping
    (llama-cpp-python's server sends a pydantic error over several lines)."""
    body = exc.body
    said = body.get("message") or body.get("detail") if isinstance(body, dict) else None
    if not said:
        said = exc.message
    return " ".join((said if isinstance(said, str) else json.dumps(said, default=str)).split())


def _is_transient(exc: BaseException) -> bool:
    if isinstance(
        exc,
        (
            openai.APITimeoutError,
            openai.APIConnectionError,
            openai.RateLimitError,
            MalformedResponseError,
        ),
    ):
        return True
    return (
        isinstance(exc, openai.APIStatusError) and exc.status_code >= 500 and not refuses_mode(exc)
    )


def _retry_after_seconds(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    if header is None:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None


@contextlib.contextmanager
def _malformed_body_is_transient() -> Iterator[None]:
    try:
        yield
    except json.JSONDecodeError as exc:  # only the response is parsed: we serialise the request
        raise MalformedResponseError(f"the server's response is not JSON: {exc}") from exc


def _scrub(value: Any, secret: str) -> Any:
    if isinstance(value, str):
        return value.replace(secret, "<redacted>")
    if isinstance(value, dict):
        return {key: _scrub(item, secret) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub(item, secret) for item in value)
    return value


def redact(error: BaseException, secret: str) -> None:
    """Take ``secret`` out of an exception and its causes: message, arguments and text attributes
    (an openai error's ``body``, a JSON error's ``doc``)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = _scrub(current.args, secret)
        for name, value in vars(current).items():
            if isinstance(value, (str, dict, list, tuple)):
                setattr(current, name, _scrub(value, secret))
        current = current.__cause__ or current.__context__


class _BackoffHonouringRetryAfter:
    """Exponential backoff with jitter, or the server's ``Retry-After`` when it sends one."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._exponential = wait_random_exponential(multiplier=initial, max=maximum)
        self._maximum = maximum

    def __call__(self, state: RetryCallState) -> float:
        outcome = state.outcome
        retry_after = _retry_after_seconds(outcome.exception() if outcome else None)
        if retry_after is not None:
            return min(retry_after, self._maximum)
        return float(self._exponential(state))


def _report_retry(state: RetryCallState) -> None:
    report_retry()


def _schema_instruction(schema: dict[str, Any]) -> str:
    return (
        "Answer with one JSON object, and nothing else, that matches this JSON schema:\n\n"
        f"{json.dumps(schema, ensure_ascii=False)}\n\nWrite an instance of the schema, not "
        "the schema."
    )


def request_in_mode(kwargs: dict[str, Any], mode: str) -> dict[str, Any]:
    """A request that asks for a ``json_schema`` response format, rewritten into ``mode``."""
    response_format = kwargs.get("response_format") or {}
    if mode == "json_schema" or response_format.get("type") != "json_schema":
        return kwargs
    spec = response_format["json_schema"]
    schema = spec["schema"]
    rewritten = {key: value for key, value in kwargs.items() if key != "response_format"}
    if mode == "json_object_schema":
        # llama-cpp-python's server ignores json_schema but constrains json_object to "schema"
        rewritten["response_format"] = {"type": "json_object", "schema": schema}
    elif mode == "tools":
        function = {"name": spec["name"], "parameters": schema}
        rewritten["tools"] = [{"type": "function", "function": function}]
        rewritten["tool_choice"] = {"type": "function", "function": {"name": spec["name"]}}
    elif mode == "json":
        messages = list(kwargs["messages"])
        instruction = {"role": "system", "content": _schema_instruction(schema)}
        if messages and messages[0].get("role") == "system":
            first = messages[0]
            messages[0] = {**first, "content": f"{first['content']}\n\n{instruction['content']}"}
        else:
            messages.insert(0, instruction)
        rewritten["messages"] = messages
        rewritten["response_format"] = {"type": "json_object"}
    else:
        raise ConfigurationError(
            f"unknown mode {mode!r}; expected one of {', '.join(SERVER_MODES)}"
        )
    return rewritten


def _answer_as_content(completion: ChatCompletion) -> ChatCompletion:
    """A tool call's arguments as the message content, which is where instructor reads them."""
    for choice in completion.choices:
        calls = choice.message.tool_calls
        if calls and not choice.message.content:
            function = getattr(calls[0], "function", None)
            choice.message.content = function.arguments if function is not None else None
            choice.message.tool_calls = None
    return completion


class OpenAICompatibleBackend(Backend):
    """Any server that speaks the OpenAI chat completions API."""

    name = "openai"

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 120.0,
        attempts: int = 5,
        max_wait: float = 30.0,
        initial_wait: float = 0.5,
        total_timeout: float = 600.0,
        mode: str = "json_schema",
        max_concurrency: int = 4,
        context_tokens: int = 8192,
    ) -> None:
        if mode not in SERVER_MODES:
            raise ConfigurationError(
                f"unknown mode {mode!r}; expected one of {', '.join(SERVER_MODES)}"
            )
        base_url = (
            base_url or os.environ.get("SUMMARIZER_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
        )
        api_key = (
            api_key or os.environ.get("SUMMARIZER_API_KEY") or os.environ.get("OPENAI_API_KEY")
        )
        if not api_key:
            if base_url is None:
                raise ConfigurationError(
                    "the OpenAI backend needs an API key: set OPENAI_API_KEY or pass --base-url"
                )
            api_key = "not-needed"  # local servers (Ollama, vLLM, llama.cpp) accept any key
        self.model = model
        self.base_url = base_url or "https://api.openai.com/v1"
        self.mode = mode
        self.max_concurrency = max_concurrency
        self._api_key = api_key if api_key != "not-needed" else None
        # servers do not say; 8192 is safe for Ollama, vLLM and OpenAI
        self.context_tokens = context_tokens
        self._client_options: dict[str, Any] = {
            "base_url": base_url,
            "api_key": api_key,
            "timeout": timeout,
            "max_retries": 0,
        }
        self._client = openai.OpenAI(**self._client_options)
        self._aclients: dict[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = {}
        self._retry: dict[str, Any] = {
            "stop": stop_after_attempt(attempts) | stop_after_delay(total_timeout),
            "wait": _BackoffHonouringRetryAfter(initial_wait, max_wait),
            "retry": retry_if_exception(_is_transient),
            "before_sleep": _report_retry,
            "reraise": True,
        }

    def identity(self) -> dict[str, Any]:
        """The mode asked for, not the one fallen back to: the same server answers the same way."""
        return {**super().identity(), "base_url": self.base_url, "mode": self.mode}

    @property
    def mode_in_use(self) -> str:
        """The mode requests go out in: the one asked for, or a later one the server accepted."""
        remembered = _remembered.get(self.base_url, self.mode)
        return max(self.mode, remembered, key=SERVER_MODES.index)

    def fallback_mode(self) -> str | None:
        mode = self.mode_in_use
        return mode if mode != self.mode else None

    def _fall_back(self, refused: str, exc: openai.APIStatusError) -> None:
        """Ask this server in the mode after ``refused`` from now on, or give up if none is left."""
        with _remembered_lock:
            if self.mode_in_use != refused:  # another request already moved on
                return
            later = SERVER_MODES[SERVER_MODES.index(refused) + 1 :]
            if not later:
                raise ConfigurationError(
                    f"the server at {self.base_url} refused every structured-output mode "
                    f"({', '.join(SERVER_MODES[SERVER_MODES.index(self.mode) :])}); last: "
                    f"{_reason(exc)}"
                ) from exc
            _remembered[self.base_url] = later[0]
        warnings.warn(
            f"the server at {self.base_url} refused --mode {refused} ({exc.status_code}: "
            f"{_reason(exc)[:200]}); asking it with --mode {later[0]} from now on (pass --mode "
            f"{later[0]} to skip the refused request)",
            ServerModeWarning,
            stacklevel=2,
        )

    @contextlib.contextmanager
    def _key_kept_out_of_errors(self) -> Iterator[None]:
        """A server or gateway may echo the API key in an error body; the error's message goes on
        to instructor's log, the ModelError, errors.jsonl and eval reports, so the key is taken
        out before the error leaves the backend."""
        try:
            yield
        except Exception as exc:
            if self._api_key:
                redact(exc, self._api_key)
            raise

    def _post(self, kwargs: dict[str, Any], mode: str) -> ChatCompletion:
        for attempt in Retrying(**self._retry):
            with attempt, _malformed_body_is_transient():
                body = {**request_in_mode(kwargs, mode), "model": self.model}
                return self._client.post("/chat/completions", body=body, cast_to=ChatCompletion)
        raise AssertionError("unreachable: tenacity reraises")

    async def _apost(self, kwargs: dict[str, Any], mode: str) -> ChatCompletion:
        async for attempt in AsyncRetrying(**self._retry):
            with attempt, _malformed_body_is_transient():
                body = {**request_in_mode(kwargs, mode), "model": self.model}
                return await self._aclient().post(
                    "/chat/completions", body=body, cast_to=ChatCompletion
                )
        raise AssertionError("unreachable: tenacity reraises")

    def create(self, **kwargs: Any) -> ChatCompletion:
        """The request body is posted as it is: ``chat.completions.create`` would first walk it, the
        JSON schema included, for type conversions that plain JSON needs none of."""
        with self._key_kept_out_of_errors():
            while True:
                mode = self.mode_in_use
                try:
                    return _answer_as_content(self._post(kwargs, mode))
                except openai.APIStatusError as exc:
                    if not refuses_mode(exc):
                        raise
                    self._fall_back(mode, exc)
                    report_retry()  # the request goes out once more: provenance.attempts counts it

    async def acreate(self, **kwargs: Any) -> ChatCompletion:
        with self._key_kept_out_of_errors():
            while True:
                mode = self.mode_in_use
                try:
                    return _answer_as_content(await self._apost(kwargs, mode))
                except openai.APIStatusError as exc:
                    if not refuses_mode(exc):
                        raise
                    self._fall_back(mode, exc)
                    report_retry()  # the request goes out once more: provenance.attempts counts it

    def _aclient(self) -> openai.AsyncOpenAI:
        """The running event loop's client. A pooled connection belongs to the loop that opened it:
        a backend reused by a later ``asyncio.run`` would send on dead connections and retry."""
        loop = asyncio.get_running_loop()
        client = self._aclients.get(loop)
        if client is None:
            for closed in [other for other in self._aclients if other.is_closed()]:
                self._aclients.pop(closed, None)  # its connections cannot be closed, only let go
            # The SDK's own HTTP client would, once let go, try to close its connections here.
            client = self._aclients[loop] = openai.AsyncOpenAI(
                **self._client_options, http_client=openai.DefaultAsyncHttpxClient()
            )
        return client

    def close(self) -> None:
        self._client.close()

    async def aclose(self) -> None:
        client = self._aclients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()
