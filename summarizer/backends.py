"""Inference backends: where the chat completions come from.

A backend turns OpenAI-style ``create(**kwargs)`` calls, each asking for a ``json_schema``
response format, into ``ChatCompletion`` objects whose message content is the JSON answer;
instructor (in :mod:`summarizer.llm`) sits on top and does the parsing and re-asking.
Backends are plugins (:mod:`summarizer.plugins`); the two built in register like any other:

- :class:`EmbeddedBackend` runs a GGUF model in-process with llama-cpp-python. It decodes
  against the JSON schema itself, because llama-cpp-python silently ignores that response
  format and nothing would constrain the output.
- :class:`~summarizer.server_backend.OpenAICompatibleBackend` talks to OpenAI, Ollama, vLLM,
  llama.cpp's servers, LM Studio... (its own module: only a server needs the ``openai`` SDK).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pydantic_core

from .errors import ConfigurationError
from .kv_state import PrefixStateStore
from .model_file import DEFAULT_MODEL, cache_dir, ensure_model, verified_sha256

if TYPE_CHECKING:
    from llama_cpp import Llama, LlamaGrammar
    from openai.types.chat import ChatCompletion

    from .decoding import ChatPrompt, DecodeStats, SchemaDecoder, Vocabulary
    from .server_backend import OpenAICompatibleBackend


class Backend(ABC):
    """A source of chat completions for instructor."""

    name: str
    model: str
    model_sha256: str | None = None
    #: how many requests may run at once; in-process models run one at a time
    max_concurrency: int = 1
    #: tokens one call may read and write; a longer article is briefed in parts (chunking.py)
    context_tokens: int = 8192

    @abstractmethod
    def create(self, **kwargs: Any) -> ChatCompletion:
        """One chat completion (OpenAI ``chat.completions.create`` arguments)."""

    async def acreate(self, **kwargs: Any) -> ChatCompletion:
        return await asyncio.to_thread(self.create, **kwargs)

    def create_many(self, requests: Sequence[dict[str, Any]]) -> list[ChatCompletion]:
        """Independent completions, in order: sent at most ``max_concurrency`` at a time, so a
        server with parallel slots (llama.cpp ``--parallel``, vLLM) batches them. The embedded
        backend decodes them together in one context instead."""
        if self.max_concurrency <= 1 or len(requests) < 2:
            return [self.create(**request) for request in requests]
        with ThreadPoolExecutor(min(self.max_concurrency, len(requests))) as pool:
            return list(pool.map(lambda request: self.create(**request), requests))

    async def acreate_many(self, requests: Sequence[dict[str, Any]]) -> list[ChatCompletion]:
        """The async twin of :meth:`create_many`."""
        if self.max_concurrency <= 1:
            return await asyncio.to_thread(self.create_many, requests)
        gate = asyncio.Semaphore(self.max_concurrency)

        async def one(request: dict[str, Any]) -> ChatCompletion:
            async with gate:
                return await self.acreate(**request)

        return list(await asyncio.gather(*(one(request) for request in requests)))

    def identity(self) -> dict[str, Any]:
        """What decides the output besides the prompt: used in cache keys and provenance."""
        return {"backend": self.name, "model": self.model, "model_sha256": self.model_sha256}

    def fallback_mode(self) -> str | None:
        """The structured-output mode used instead of the one asked for, when the server refused
        that one (``provenance.fallback_mode``); None when nothing was refused."""
        return None

    def close(self) -> None:  # noqa: B027 - nothing to release unless a backend holds something
        """Release the model or connections."""

    async def aclose(self) -> None:  # noqa: B027
        """Release what async calls hold open, in the event loop that opened it (a pooled
        connection belongs to one loop: a later ``asyncio.run`` cannot close it cleanly)."""


#: told of each request re-sent after a transport failure; see :func:`reporting_retries`
_retry_listener: ContextVar[Callable[[], None] | None] = ContextVar(
    "summarizer_retry_listener", default=None
)


@contextlib.contextmanager
def reporting_retries(listener: Callable[[], None]) -> Iterator[None]:
    """Call ``listener`` for each retry a backend reports inside this block (this thread or task).

    instructor sees one call however often the backend re-sent it; this is how the retries
    reach the attempt count of a briefing's provenance.
    """
    token = _retry_listener.set(listener)
    try:
        yield
    finally:
        _retry_listener.reset(token)


def report_retry() -> None:
    """What a backend calls each time it sends a request again (a transport retry, a fallback)."""
    listener = _retry_listener.get()
    if listener is not None:
        listener()


@functools.cache
def _llama_cpu_features() -> frozenset[str]:
    """The CPU features llama.cpp was built with and found here (its system info), or none."""
    try:
        import llama_cpp
    except ImportError:
        return frozenset()
    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    pairs = (part.partition("=") for part in info.split("|"))
    return frozenset(
        name.rsplit(":", 1)[-1].strip() for name, _, value in pairs if value.strip() == "1"
    )


def _family_from_llama_cpp() -> str:
    features = _llama_cpu_features()
    suffix = "-amx" if "AMX_INT8" in features else ""
    for family in ("AVX512", "AVX2", "AVX", "SVE", "NEON"):
        if family in features:
            return f"{platform.machine()}-{family.lower()}{suffix}"
    return platform.machine() or "unknown"


#: bumped when the way a family is named changes, so that no family cached before is reused
_FAMILY_RULES = 2


def llama_cpp_build() -> str:
    """What computes the model's numbers here: the llama.cpp build (its key, else its version)
    and what it reports of this CPU. Two builds of one release answer differently."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    return f"{_llama_cpp_build_key() or llama_cpp.__version__}:{info}"


def _llama_cpp_build_key() -> str | None:
    """What decides llama.cpp's family without loading it: the bindings' version, their shared
    libraries (a rebuild with other flags keeps the version) and the CPU's flags. None when one
    of them cannot be read, so nothing is cached on a guess."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        return None
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            flags = next((line for line in cpuinfo if line.startswith(("flags", "Features"))), None)
        libraries = Path(os.environ.get("LLAMA_CPP_LIB_PATH") or Path(spec.origin).parent / "lib")
        files = sorted(
            (f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in libraries.iterdir()
        )
        version = importlib.metadata.version("llama_cpp_python")
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    if flags is None or not files:
        return None
    key = json.dumps([_FAMILY_RULES, version, str(libraries), files, flags, platform.machine()])
    return hashlib.sha256(key.encode()).hexdigest()


@functools.cache
def cpu_family() -> str:
    """The instruction family llama.cpp computes with here, such as ``x86_64-avx512``.

    The greedy answer of the same model differs between families (the SIMD width changes how
    float sums round), so it is part of a briefing's identity: eval baselines are kept per
    family and the result cache never serves one family's answer on another. ``-amx`` marks
    the CPUs on which the model runs without llama.cpp's repacked weights (see ``_load_llama``).
    Asking llama.cpp means loading it (most of a cached briefing's time), so the answer is kept
    on disk under a key of everything it depends on.
    """
    key = _llama_cpp_build_key()
    if key is None:
        return _family_from_llama_cpp()
    store = cache_dir() / "cpu-family.json"
    try:
        known = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    family = known.get(key)
    if isinstance(family, str):
        return family
    family = _family_from_llama_cpp()
    with contextlib.suppress(OSError):  # a read-only cache folder costs time, not correctness
        store.parent.mkdir(parents=True, exist_ok=True)
        temporary = store.with_name(f".{store.name}.{os.getpid()}")
        temporary.write_text(json.dumps({**known, key: family}), encoding="utf-8")
        os.replace(temporary, store)
    return family


@contextlib.contextmanager
def llama_loads_safely_here() -> Iterator[None]:
    """While inside, a ``Llama`` loads as it can run on this CPU: with AMX, without llama.cpp's
    extra weight buffers.

    llama-cpp-python 0.3.36 built on a CPU with AMX (Intel Sapphire Rapids and later)
    crashes with a segmentation fault on the first batch of more than one token when it runs
    on more than one thread, in the AMX buffer type's matrix multiply; with extra buffer types
    off (no AMX, no repacking) it runs. ``Llama`` has no argument for it, so the default model
    parameters it starts from are wrapped (pinned by tests/test_internals.py). The loopback
    tests start llama-cpp-python's own server inside this too (tests/llama_server.py).
    """
    from llama_cpp import llama

    if "AMX_INT8" not in _llama_cpu_features():
        yield
        return
    defaults = llama.llama_cpp.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    llama.llama_cpp.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        llama.llama_cpp.llama_model_default_params = defaults


def _load_llama(sequences: int = 1, **kwargs: Any) -> Llama:
    """A ``Llama`` loaded as it can run on this CPU (see :func:`llama_loads_safely_here`), its
    context holding ``sequences`` sequences in one unified KV cache (parallel.py)."""
    from llama_cpp import Llama, llama

    defaults = llama.llama_cpp.llama_context_default_params

    def with_sequences() -> Any:
        params = defaults()
        params.n_seq_max = sequences
        params.kv_unified = True  # every sequence may use any cell: they share the prefix's
        return params

    # ``Llama`` has no argument for either (pinned by tests/test_internals.py)
    llama.llama_cpp.llama_context_default_params = with_sequences
    try:
        with llama_loads_safely_here():
            return Llama(**kwargs)
    finally:
        llama.llama_cpp.llama_context_default_params = defaults


#: how many items the embedded model decodes at once (parallel.py): on 2 cores a batch of 16
#: tokens costs 3.5x a batch of one, so 16 items write 4.6x the tokens a second (`python
#: evals/widths.py README.md`, evals/QUALITY.md); a judge pass has up to 34 items
PARALLEL_SEQUENCES = 16

#: prompt prefixes shorter than this are read faster than a saved cache is loaded
_PREFIX_WORTH_SAVING = 256


class EmbeddedBackend(Backend):
    """A GGUF model in this process (default: the embedded Qwen2.5-Coder-1.5B-Instruct)."""

    name = "embedded"

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
        parallel: int = PARALLEL_SEQUENCES,
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
        if parallel < 1:
            raise ConfigurationError(f"parallel must be at least 1, not {parallel}")
        self.parallel = parallel
        # sequence 0 holds the prompt; up to ``parallel`` decode items, as many hold the
        # prefixes of groups of them (parallel.py)
        self._sequences = 2 * parallel + 1
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
                    "the embedded backend needs llama-cpp-python: pip install "
                    "'summarizer[embedded]'"
                ) from exc
            path = self.model_path
            self.model_sha256 = verified_sha256(path)
            self._llama = _load_llama(
                self._sequences,
                model_path=str(path),
                n_ctx=self._n_ctx,
                n_threads=self._n_threads,
                seed=self._seed,
                verbose=False,
            )
            if self._save_prefix:
                self._prefix_store = PrefixStateStore(
                    cache_dir() / "prompt-cache",
                    self.model_sha256,
                    self._n_ctx,
                    f"{llama_cpp_build()}-seq{self._sequences}",
                )
        return self._llama

    def identity(self) -> dict[str, Any]:
        if self.model_sha256 is None:
            self.model_sha256 = verified_sha256(self.model_path)
        return {
            **super().identity(),
            "temperature": self._temperature,
            "n_ctx": self._n_ctx,
            "cpu": cpu_family(),
            # calls decoded together (the judge mode's) are computed in other batch shapes
            "parallel": self.parallel,
        }

    def grammar_for(self, schema: dict[str, Any]) -> LlamaGrammar:
        """The llama.cpp grammar that forces output to match ``schema`` (compiled once per
        schema)."""
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
                raise ConfigurationError(
                    f"unsupported response_format {response_format.get('type')!r}"
                )
        return arguments

    def create(self, **kwargs: Any) -> ChatCompletion:
        """One completion. A JSON schema is decoded by :class:`~summarizer.decoding.SchemaDecoder`
        (the schema fixes most of the answer, so only real choices cost a decoding step); a
        schema it cannot handle falls back to a llama.cpp grammar."""
        from .decoding import UnsupportedSchema

        response_format = kwargs.get("response_format") or {}
        with self._lock:
            if response_format.get("type") == "json_schema":
                try:
                    text, finish_reason, prompt_tokens, generated = self._decode(
                        kwargs["messages"],
                        response_format["json_schema"]["schema"],
                        kwargs.get("max_tokens") or 1024,
                    )
                except UnsupportedSchema:
                    text, finish_reason, prompt_tokens, generated = self._stream(
                        self.completion_arguments(kwargs)
                    )
            else:
                text, finish_reason, prompt_tokens, generated = self._stream(
                    self.completion_arguments(kwargs)
                )
        return self._completion(text, finish_reason, prompt_tokens, generated)

    def create_many(self, requests: Sequence[dict[str, Any]]) -> list[ChatCompletion]:
        """Independent completions decoded together, up to ``parallel`` at a time, on sequences
        that share their prompts' common prefix (parallel.py); in order."""
        from .decoding import UnsupportedSchema
        from .parallel import Job, decode_together

        schemas = [
            (r.get("response_format") or {}).get("json_schema", {}).get("schema") for r in requests
        ]
        if len(requests) < 2 or any(schema is None for schema in schemas):
            return super().create_many(requests)
        with self._lock:
            chat, vocabulary = self._decoding_tools()
            prompts = [chat.tokens(r["messages"]) for r in requests]
            self._prime(chat, requests[0]["messages"], prompts[0])
            jobs = [
                Job(
                    prompt,
                    self._decoder(request["messages"]).steps(
                        schema, request.get("max_tokens") or 1024
                    ),
                )
                for request, prompt, schema in zip(requests, prompts, schemas, strict=True)
            ]
            try:
                answers = decode_together(self.llama, jobs, self.parallel)
            except UnsupportedSchema:
                answers = None
        if answers is None:
            return super().create_many(requests)
        return [
            self._completion(text, finish_reason, len(prompt), stats.total)
            for (text, finish_reason, stats), prompt in zip(answers, prompts, strict=True)
        ]

    def _completion(
        self, text: str, finish_reason: str, prompt_tokens: int, generated: int
    ) -> ChatCompletion:
        from openai.types.chat import ChatCompletion

        return ChatCompletion.model_validate(
            {
                "id": "embedded",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.model,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": finish_reason,
                        "message": {"role": "assistant", "content": text},
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": generated,
                    "total_tokens": prompt_tokens + generated,
                },
            }
        )

    def _decode(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int
    ) -> tuple[str, str, int, int]:
        chat, _ = self._decoding_tools()
        prompt = chat.tokens(messages)
        self._prime(chat, messages, prompt)
        text, finish_reason, stats = self._decoder(messages).generate(prompt, schema, max_tokens)
        self.last_decode = stats
        return text, finish_reason, len(prompt), stats.total

    def _decoding_tools(self) -> tuple[ChatPrompt, Vocabulary]:
        from .decoding import ChatPrompt, Vocabulary

        if self._vocabulary is None or self._prompt is None:
            self._vocabulary = Vocabulary(self.llama)
            self._prompt = ChatPrompt(self.llama)
        return self._prompt, self._vocabulary

    def _prime(self, chat: ChatPrompt, messages: list[dict[str, str]], prompt: list[int]) -> None:
        """A fresh model: load the fixed prefix's saved KV cache instead of reading it."""
        if self.llama.n_tokens == 0 and self._prefix_store is not None:
            prefix = chat.fixed_prefix(messages, prompt)
            if len(prefix) >= _PREFIX_WORTH_SAVING:
                self._prefix_store.prime(self.llama, prefix)

    def _decoder(self, messages: list[dict[str, str]]) -> SchemaDecoder:
        from .decoding import SchemaDecoder

        _, vocabulary = self._decoding_tools()
        return SchemaDecoder(
            self.llama,
            vocabulary,
            on_item=repeats_an_item,
            # own-words strings (drafts.py) may not copy the article, which the user turn holds
            copy_source="\n".join(m["content"] for m in messages if m.get("role") == "user"),
        )

    def _stream(self, arguments: dict[str, Any]) -> tuple[str, str, int, int]:
        """Streamed decoding, stopped at the first repeated list item (grammar or free text)."""
        llama = self.llama
        pieces: list[str] = []
        generated = 0
        finish_reason = "stop"
        chunks = cast(
            Iterator[dict[str, Any]], llama.create_chat_completion(**arguments, stream=True)
        )
        for chunk in chunks:
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
    """Where the last complete JSON object in ``text`` starts, and its text, if text ends with
    one."""
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
    differing = [
        k for k in keys if any(json.dumps(r.get(k)) != json.dumps(recent[0].get(k)) for r in recent)
    ]
    return len(differing) <= varying


def close_json(text: str) -> str:
    """A cut-off JSON answer closed after its last complete value."""
    try:
        return json.dumps(pydantic_core.from_json(text, allow_partial=True), ensure_ascii=False)
    except ValueError:
        return text


def embedded(
    model_path: str | Path | None = None,
    context_tokens: int = 8192,
    threads: int | None = None,
    parallel: int = PARALLEL_SEQUENCES,
) -> EmbeddedBackend:
    """A GGUF model in this process: the bundled Qwen2.5-Coder-1.5B-Instruct, or model_path.

    ``parallel`` is how many independent calls (the judge mode's items) it decodes at once.
    """
    return EmbeddedBackend(model_path, n_ctx=context_tokens, n_threads=threads, parallel=parallel)


def openai_compatible(
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float = 120.0,
    mode: str = "json_schema",
    concurrency: int = 4,
    context_tokens: int = 8192,
) -> OpenAICompatibleBackend:
    """Any OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp's servers, LM Studio.

    ``mode`` is how it is asked for structured output; a server that refuses it is asked in
    the next mode it accepts. The model defaults to SUMMARIZER_MODEL, then gpt-4o-mini.
    """
    from .server_backend import OpenAICompatibleBackend

    return OpenAICompatibleBackend(
        model or os.environ.get("SUMMARIZER_MODEL") or "gpt-4o-mini",
        base_url=base_url,
        api_key=api_key,
        timeout=timeout,
        mode=mode,
        max_concurrency=concurrency,
        context_tokens=context_tokens,
    )
