"""Inference backends: where the chat completions come from.

A backend turns OpenAI-style ``create(**kwargs)`` calls into ``ChatCompletion`` objects;
instructor (in :mod:`summarizer.llm`) sits on top and does the parsing and re-asking.

- :class:`EmbeddedBackend` runs a GGUF model in-process with llama-cpp-python. It turns
  the ``json_schema`` response format into a llama.cpp grammar, because llama-cpp-python
  silently ignores that response format and nothing would constrain the output.
- :class:`OpenAICompatibleBackend` talks to OpenAI, Ollama, vLLM, llama.cpp's server, LM
  Studio... Transport failures (timeouts, 429, 5xx, dropped connections) are retried with
  exponential backoff and jitter, honouring ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import platform
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

import instructor
import openai
import pydantic_core
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

from .decoding import ChatPrompt, DecodeStats, SchemaDecoder, UnsupportedSchema, Vocabulary
from .errors import ConfigurationError
from .kv_state import PrefixStateStore
from .model_file import DEFAULT_MODEL, cache_dir, ensure_model, verified_sha256

if TYPE_CHECKING:
    from llama_cpp import Llama, LlamaGrammar


class Backend(ABC):
    """A source of chat completions for instructor."""

    name: str
    model: str
    model_sha256: str | None = None
    mode: instructor.Mode = instructor.Mode.JSON_SCHEMA
    #: how many requests may run at once; in-process models run one at a time
    max_concurrency: int = 1
    #: tokens one call may read and write; a longer article is briefed in parts (chunking.py)
    context_tokens: int = 8192
    #: the pass mode (briefing.PASS_MODES) that scores best per second on this kind of model
    default_passes: str = "sections"

    @abstractmethod
    def create(self, **kwargs: Any) -> ChatCompletion:
        """One chat completion (OpenAI ``chat.completions.create`` arguments)."""

    async def acreate(self, **kwargs: Any) -> ChatCompletion:
        return await asyncio.to_thread(self.create, **kwargs)

    def identity(self) -> dict[str, Any]:
        """What decides the output besides the prompt: used in cache keys and provenance."""
        return {"backend": self.name, "model": self.model, "model_sha256": self.model_sha256}

    def close(self) -> None:
        """Release the model or connections."""

    async def aclose(self) -> None:
        """Release what async calls hold open, in the event loop that opened it (a pooled
        connection belongs to one loop: a later ``asyncio.run`` cannot close it cleanly)."""


@functools.cache
def _llama_cpu_features() -> frozenset[str]:
    """The CPU features llama.cpp was built with and found here (its system info), or none."""
    try:
        import llama_cpp
    except ImportError:
        return frozenset()
    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    pairs = (part.partition("=") for part in info.split("|"))
    return frozenset(name.rsplit(":", 1)[-1].strip() for name, _, value in pairs if value.strip() == "1")


def cpu_family() -> str:
    """The instruction family llama.cpp computes with here, such as ``x86_64-avx512``.

    The greedy answer of the same model differs between families (the SIMD width changes how
    float sums round), so it is part of a briefing's identity: eval baselines are kept per
    family and the result cache never serves one family's answer on another. ``-amx`` marks
    the CPUs on which the model runs without llama.cpp's repacked weights (see ``_load_llama``).
    """
    features = _llama_cpu_features()
    suffix = "-amx" if "AMX_INT8" in features else ""
    for family in ("AVX512", "AVX2", "AVX", "SVE", "NEON"):
        if family in features:
            return f"{platform.machine()}-{family.lower()}{suffix}"
    return platform.machine() or "unknown"


def _load_llama(**kwargs: Any) -> Llama:
    """A ``Llama``; on a CPU with AMX, without llama.cpp's extra weight buffers.

    llama-cpp-python 0.3.36 built on a CPU with AMX (Intel Sapphire Rapids and later)
    crashes with a segmentation fault on the first batch of more than one token, in the AMX
    buffer type's matrix multiply; with extra buffer types off (no AMX, no repacking) it
    runs. ``Llama`` has no argument for it, so the default model parameters it starts from
    are wrapped while it loads (pinned by tests/test_embedded.py).
    """
    from llama_cpp import Llama, llama

    if "AMX_INT8" not in _llama_cpu_features():
        return Llama(**kwargs)
    defaults = llama.llama_cpp.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    llama.llama_cpp.llama_model_default_params = without_extra_buffers
    try:
        return Llama(**kwargs)
    finally:
        llama.llama_cpp.llama_model_default_params = defaults


#: prompt prefixes shorter than this are read faster than a saved cache is loaded
_PREFIX_WORTH_SAVING = 256


class EmbeddedBackend(Backend):
    """A GGUF model in this process (default: the embedded Qwen2.5-Coder-1.5B-Instruct)."""

    name = "embedded"
    #: on a small in-process model the actors call alone wins on F1 per second (evals/QUALITY.md)
    default_passes = "actors"

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        n_ctx: int = 8192,
        n_threads: int | None = None,
        seed: int = 0,
        temperature: float = 0.0,
        grammar_cache_size: int = 32,
        prefix_cache: bool = True,
    ) -> None:
        if model_path is not None and not Path(model_path).is_file():
            raise ConfigurationError(f"no model file at {model_path}")
        self._model_path = Path(model_path) if model_path else None
        self._n_ctx = n_ctx
        self.context_tokens = n_ctx
        self._n_threads = n_threads or os.cpu_count() or 1
        self._seed = seed
        self._temperature = temperature
        self._llama: Llama | None = None
        self._lock = threading.Lock()
        self._grammars: OrderedDict[str, LlamaGrammar] = OrderedDict()
        self._grammar_cache_size = grammar_cache_size
        self._vocabulary: Vocabulary | None = None
        self._prompt: ChatPrompt | None = None
        self.last_decode: DecodeStats | None = None
        self._save_prefix = prefix_cache
        self._prefix_store: PrefixStateStore | None = None
        self.model = self._model_path.stem if self._model_path else DEFAULT_MODEL.name

    @property
    def model_path(self) -> Path:
        if self._model_path is None:
            self._model_path = ensure_model()
        return self._model_path

    @property
    def llama(self) -> Llama:
        """The loaded model; loaded on first use and kept for every later call."""
        if self._llama is None:
            try:
                import llama_cpp  # noqa: F401 - only to say what to install when it is missing
            except ImportError as exc:
                raise ConfigurationError(
                    "the embedded backend needs llama-cpp-python: pip install 'summarizer[embedded]'"
                ) from exc
            path = self.model_path
            self.model_sha256 = verified_sha256(path)
            self._llama = _load_llama(
                model_path=str(path),
                n_ctx=self._n_ctx,
                n_threads=self._n_threads,
                seed=self._seed,
                verbose=False,
            )
            if self._save_prefix:
                self._prefix_store = PrefixStateStore(cache_dir() / "prompt-cache", self.model_sha256, self._n_ctx)
        return self._llama

    def identity(self) -> dict[str, Any]:
        if self.model_sha256 is None:
            self.model_sha256 = verified_sha256(self.model_path)
        return {**super().identity(), "temperature": self._temperature, "n_ctx": self._n_ctx,
                "cpu": cpu_family()}

    def grammar_for(self, schema: dict[str, Any]) -> LlamaGrammar:
        """The llama.cpp grammar that forces output to match ``schema`` (compiled once per schema)."""
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        grammar = self._grammars.get(key)
        if grammar is None:
            # properties keep their declared order: the model writes fields in a sensible order
            grammar = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
            self._grammars[key] = grammar
            if len(self._grammars) > self._grammar_cache_size:
                self._grammars.popitem(last=False)
        else:
            self._grammars.move_to_end(key)
        return grammar

    def completion_arguments(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Map OpenAI arguments onto llama-cpp-python's, making a JSON schema a real grammar."""
        arguments = {
            "messages": kwargs["messages"],
            "max_tokens": kwargs.get("max_tokens") or 1024,
            "temperature": kwargs.get("temperature", self._temperature),
            "seed": kwargs.get("seed", self._seed),
        }
        response_format = kwargs.get("response_format")
        if response_format:
            if response_format.get("type") == "json_schema":
                arguments["grammar"] = self.grammar_for(response_format["json_schema"]["schema"])
            elif response_format.get("type") == "json_object":
                arguments["response_format"] = response_format
            else:
                raise ConfigurationError(f"unsupported response_format {response_format.get('type')!r}")
        return arguments

    def create(self, **kwargs: Any) -> ChatCompletion:
        """One completion. A JSON schema is decoded by :class:`~summarizer.decoding.SchemaDecoder`
        (the schema fixes most of the answer, so only real choices cost a decoding step); a
        schema it cannot handle falls back to a llama.cpp grammar."""
        response_format = kwargs.get("response_format") or {}
        with self._lock:
            if response_format.get("type") == "json_schema":
                try:
                    text, finish_reason, prompt_tokens, generated = self._decode(
                        kwargs["messages"], response_format["json_schema"]["schema"], kwargs.get("max_tokens") or 1024)
                except UnsupportedSchema:
                    text, finish_reason, prompt_tokens, generated = self._stream(self.completion_arguments(kwargs))
            else:
                text, finish_reason, prompt_tokens, generated = self._stream(self.completion_arguments(kwargs))
        return ChatCompletion.model_validate({
            "id": "embedded", "object": "chat.completion", "created": int(time.time()), "model": self.model,
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": generated,
                      "total_tokens": prompt_tokens + generated},
        })

    def _decode(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> tuple[str, str, int, int]:
        llama = self.llama
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(llama)
            self._prompt = ChatPrompt(llama)
        prompt = self._prompt.tokens(messages)
        if llama.n_tokens == 0 and self._prefix_store is not None:  # a fresh model: skip the fixed prefill
            prefix = self._prompt.fixed_prefix(messages, prompt)
            if len(prefix) >= _PREFIX_WORTH_SAVING:
                self._prefix_store.prime(llama, prefix)
        decoder = SchemaDecoder(llama, self._vocabulary, on_item=repeats_an_item)
        text, finish_reason, stats = decoder.generate(prompt, schema, max_tokens)
        self.last_decode = stats
        return text, finish_reason, len(prompt), stats.total

    def _stream(self, arguments: dict[str, Any]) -> tuple[str, str, int, int]:
        """Streamed decoding, stopped at the first repeated list item (grammar or free text)."""
        llama = self.llama
        pieces: list[str] = []
        generated = 0
        finish_reason = "stop"
        for chunk in llama.create_chat_completion(**arguments, stream=True):
            choice = chunk["choices"][0]
            content = choice["delta"].get("content")
            finish_reason = choice.get("finish_reason") or finish_reason
            if not content:
                continue
            generated += 1
            pieces.append(content)
            if "}" in content:
                head = "".join(pieces)
                head = head[: head.rfind("}") + 1]
                if repeats_an_item(head):
                    pieces = [head]
                    break
        text = "".join(pieces)
        if finish_reason != "length" and arguments.get("grammar") is not None:
            text = close_json(text)
        return text, finish_reason, max(llama.n_tokens - generated, 0), generated

    def close(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None


def last_item(text: str) -> tuple[int, str] | None:
    """Where the last complete JSON object in ``text`` starts, and its text, if text ends with one."""
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return None
    depth = 0
    in_string = False
    escaped = False
    start = None
    for index, char in enumerate(stripped):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
            if depth == 2:
                start = index
        elif char == "}":
            depth -= 1
    if start is None or depth != 1:
        return None
    return start, stripped[start:]


def _last_list_of_objects(value: Any) -> list[dict[str, Any]] | None:
    if isinstance(value, dict):
        for child in reversed(list(value.values())):
            found = _last_list_of_objects(child)
            if found is not None:
                return found
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return value
    return None


def repeats_an_item(text: str, *, window: int = 3, varying: int = 2) -> bool:
    """True when ``text`` has just completed a list item that shows the model is looping.

    Either the item repeats an earlier one exactly, or the last ``window`` items agree on
    every field but at most ``varying`` of them: the model is walking through the article
    stamping out one template ("X demanded ..." for every sentence).
    """
    found = last_item(text)
    if found is None:
        return False
    start, item = found
    if " ".join(item.split()) in " ".join(text[:start].split()):
        return True
    try:
        items = _last_list_of_objects(pydantic_core.from_json(text, allow_partial=True))
    except ValueError:
        return False
    if not items or len(items) < window:
        return False
    recent = items[-window:]
    keys = set().union(*recent)
    differing = [k for k in keys if any(json.dumps(r.get(k)) != json.dumps(recent[0].get(k)) for r in recent)]
    return len(differing) <= varying


def close_json(text: str) -> str:
    """A cut-off JSON answer closed after its last complete value."""
    try:
        return json.dumps(pydantic_core.from_json(text, allow_partial=True), ensure_ascii=False)
    except ValueError:
        return text


class MalformedResponseError(Exception):
    """The server answered with a body that is not JSON (a proxy cut it short, a crash mid-write).

    Raised instead of the bare ``JSONDecodeError``, which instructor would take for an
    invalid answer and re-ask at once, spending a re-ask on a transport fault.
    """


#: told of each request re-sent after a transport failure; see :func:`reporting_retries`
_retry_listener: ContextVar[Callable[[], None] | None] = ContextVar("summarizer_retry_listener", default=None)


@contextlib.contextmanager
def reporting_retries(listener: Callable[[], None]) -> Iterator[None]:
    """Call ``listener`` for each transport retry made inside this block (this thread or task only).

    instructor sees one call however often the backend re-sent it; this is how the retries
    reach the attempt count of a briefing's provenance.
    """
    token = _retry_listener.set(listener)
    try:
        yield
    finally:
        _retry_listener.reset(token)


def _report_retry(state: RetryCallState) -> None:
    listener = _retry_listener.get()
    if listener is not None:
        listener()


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                        MalformedResponseError)):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


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
    except json.JSONDecodeError as exc:  # only the response is parsed: we serialise the request ourselves
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
        return self._exponential(state)


_COMPLETIONS = "/chat/completions"


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
        mode: instructor.Mode = instructor.Mode.JSON_SCHEMA,
        schema_in_json_object: bool = False,
        max_concurrency: int = 4,
        context_tokens: int = 8192,
    ) -> None:
        base_url = base_url or os.environ.get("SUMMARIZER_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
        api_key = api_key or os.environ.get("SUMMARIZER_API_KEY") or os.environ.get("OPENAI_API_KEY")
        if not api_key:
            if base_url is None:
                raise ConfigurationError("the OpenAI backend needs an API key: set OPENAI_API_KEY or pass --base-url")
            api_key = "not-needed"  # local servers (Ollama, vLLM, llama.cpp) accept any key
        self.model = model
        self.base_url = base_url or "https://api.openai.com/v1"
        self.mode = mode
        self.schema_in_json_object = schema_in_json_object
        self.max_concurrency = max_concurrency
        self._api_key = api_key if api_key != "not-needed" else None
        self.context_tokens = context_tokens  # servers do not say; 8192 is safe for Ollama, vLLM and OpenAI
        self._client_options = {"base_url": base_url, "api_key": api_key, "timeout": timeout, "max_retries": 0}
        self._client = openai.OpenAI(**self._client_options)
        self._aclients: dict[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = {}
        self._retry = {
            "stop": stop_after_attempt(attempts) | stop_after_delay(total_timeout),
            "wait": _BackoffHonouringRetryAfter(initial_wait, max_wait),
            "retry": retry_if_exception(_is_transient),
            "before_sleep": _report_retry,
            "reraise": True,
        }

    def identity(self) -> dict[str, Any]:
        return {**super().identity(), "base_url": self.base_url, "mode": self.mode.value,
                "schema_in_json_object": self.schema_in_json_object}

    def _arguments(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """The request body, posted as it is: ``chat.completions.create`` would first walk it, the
        JSON schema included, for type conversions that plain JSON needs none of."""
        arguments = {"model": self.model, **{k: v for k, v in kwargs.items() if k != "model"}}
        response_format = arguments.get("response_format")
        if self.schema_in_json_object and response_format and response_format.get("type") == "json_schema":
            # llama-cpp-python's server ignores json_schema but constrains json_object to "schema"
            arguments["response_format"] = {"type": "json_object", "schema": response_format["json_schema"]["schema"]}
        return arguments

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

    def create(self, **kwargs: Any) -> ChatCompletion:
        with self._key_kept_out_of_errors():
            for attempt in Retrying(**self._retry):
                with attempt, _malformed_body_is_transient():
                    return self._client.post(_COMPLETIONS, body=self._arguments(kwargs), cast_to=ChatCompletion)
        raise AssertionError("unreachable: tenacity reraises")

    async def acreate(self, **kwargs: Any) -> ChatCompletion:
        with self._key_kept_out_of_errors():
            async for attempt in AsyncRetrying(**self._retry):
                with attempt, _malformed_body_is_transient():
                    return await self._aclient().post(_COMPLETIONS, body=self._arguments(kwargs),
                                                      cast_to=ChatCompletion)
        raise AssertionError("unreachable: tenacity reraises")

    def _aclient(self) -> openai.AsyncOpenAI:
        """The running event loop's client. A pooled connection belongs to the loop that opened it:
        a backend reused by a later ``asyncio.run`` would send on dead connections and retry."""
        loop = asyncio.get_running_loop()
        client = self._aclients.get(loop)
        if client is None:
            for closed in [other for other in self._aclients if other.is_closed()]:
                self._aclients.pop(closed, None)  # its connections cannot be closed any more, only let go
            # The SDK's own HTTP client would, once let go, try to close its connections in this loop.
            client = self._aclients[loop] = openai.AsyncOpenAI(**self._client_options,
                                                               http_client=openai.DefaultAsyncHttpxClient())
        return client

    def close(self) -> None:
        self._client.close()

    async def aclose(self) -> None:
        client = self._aclients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.close()


BACKENDS = ("embedded", "openai")
#: how a server is asked for structured output (``--mode``)
SERVER_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "json_object_schema": instructor.Mode.JSON_SCHEMA,
}


def make_backend(
    name: str = "embedded",
    *,
    model: str | None = None,
    model_path: str | Path | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = 120.0,
    mode: str = "json_schema",
    concurrency: int = 4,
    context_tokens: int | None = None,
    threads: int | None = None,
) -> Backend:
    """A backend from user-facing options (the CLI's and the Python API's).

    ``context_tokens`` is the embedded model's context size, or what a server accepts;
    ``threads`` the embedded model's CPU threads (default: one per core).
    """
    if name == "embedded":
        return EmbeddedBackend(model_path, n_threads=threads,
                               **({} if context_tokens is None else {"n_ctx": context_tokens}))
    if name == "openai":
        if mode not in SERVER_MODES:
            raise ConfigurationError(f"unknown mode {mode!r}; expected one of {', '.join(SERVER_MODES)}")
        return OpenAICompatibleBackend(model or os.environ.get("SUMMARIZER_MODEL") or "gpt-4o-mini",
                                       base_url=base_url, api_key=api_key, timeout=timeout,
                                       mode=SERVER_MODES[mode], schema_in_json_object=mode == "json_object_schema",
                                       max_concurrency=concurrency, context_tokens=context_tokens or 8192)
    raise ConfigurationError(f"unknown backend {name!r}; expected one of {', '.join(BACKENDS)}")
