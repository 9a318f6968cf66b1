"""Stage 3: ask a backend for a structured answer through instructor.

instructor validates the answer against the draft model and re-asks with the validation
error (bounded). An answer cut off by the token limit is not re-asked (it would be cut off
again): its complete items are salvaged and the call is marked ``truncated``. Any other
failure becomes one :class:`~summarizer.errors.ModelError` naming the article.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import instructor
import pydantic_core
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from instructor.processing.response import handle_response_model
from pydantic import BaseModel, ValidationError, create_model

from .backends import Backend, reporting_retries
from .errors import ModelError

Draft = TypeVar("Draft", bound=BaseModel)


@dataclass
class CallStats:
    """Cost of one or more structured calls, summed across attempts."""

    attempts: int = 0
    passes: int = 1
    input_tokens: int = 0
    output_tokens: int = 0
    seconds: float = 0.0
    truncated: bool = False
    #: SHA-256 of each answer the model gave, in order: two runs whose digests agree got the
    #: same answers, so a score that differs between them comes from the code after the model
    answers: list[str] = field(default_factory=list)

    def add(self, other: CallStats) -> None:
        self.attempts += other.attempts
        self.passes += other.passes
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.seconds += other.seconds
        self.truncated = self.truncated or other.truncated
        self.answers.extend(other.answers)

    @property
    def answer_sha256(self) -> str | None:
        """One digest of all the answers, or None when no answer came back."""
        if not self.answers:
            return None
        return hashlib.sha256("\n".join(self.answers).encode()).hexdigest()


class _Counter:
    """Counts every request and its tokens: instructor's hooks see re-asks, the backend reports
    the requests it re-sent after transport failures."""

    def __init__(self) -> None:
        self.stats = CallStats()
        self.hooks = Hooks()
        self.hooks.on("completion:kwargs", self._on_attempt)
        self.hooks.on("completion:response", self._on_response)

    def _on_attempt(self, *args: Any, **kwargs: Any) -> None:
        self.stats.attempts += 1

    def on_retry(self) -> None:
        self.stats.attempts += 1

    def _on_response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.stats.input_tokens += usage.prompt_tokens or 0
            self.stats.output_tokens += usage.completion_tokens or 0
        self.stats.answers.append(answer_digest(response))


def answer_digest(response: Any) -> str:
    """SHA-256 of what the model wrote in one response: its message text and tool calls."""
    choices = getattr(response, "choices", None) or []
    message = getattr(choices[0], "message", None) if choices else None
    written = {
        "content": getattr(message, "content", None),
        "tool_calls": [
            call.function.arguments for call in (getattr(message, "tool_calls", None) or [])
        ],
    }
    return hashlib.sha256(json.dumps(written, sort_keys=True).encode()).hexdigest()


class _ResponseModel(instructor.OpenAISchema):
    """What instructor is given for a draft model: its JSON schema, which instructor asks for on
    every request, is made once per model (pydantic builds it anew on each call)."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            return super().model_json_schema(*args, **kwargs)
        return json.loads(_schema_text(cls))  # a fresh copy: the caller may change it


@functools.lru_cache(maxsize=256)
def _schema_text(model: type[_ResponseModel]) -> str:
    return json.dumps(super(_ResponseModel, model).model_json_schema())


@functools.lru_cache(maxsize=256)
def as_response_schema(draft: type[Draft]) -> type[Draft]:
    """The draft model as instructor's response schema, made once per draft model: given a model
    that is not one, instructor builds this wrapper (a pydantic model) on every request."""
    wrapper = create_model(draft.__name__, __base__=(draft, _ResponseModel))
    return functools.wraps(draft, updated=())(wrapper)  # type: ignore[return-value]


def salvage(text: str, response_model: type[Draft], context: dict[str, Any] | None) -> Draft | None:
    """The complete items of a JSON answer cut off mid-way, or None if nothing is usable."""
    try:
        data = pydantic_core.from_json(text, allow_partial=True)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    while True:
        try:
            return response_model.model_validate(data, context=context)
        except ValidationError:
            lists = [key for key, value in data.items() if isinstance(value, list) and value]
            if not lists:
                return None
            data[lists[-1]] = data[lists[-1]][:-1]  # drop the item that was being written


def _parsed(
    completion: Any, model: type[Any], seconds: float, context: dict[str, Any] | None
) -> tuple[Any | None, CallStats]:
    """A completion of :meth:`StructuredLLM.extract_many` parsed as instructor parses it, a
    cut-off one salvaged as :meth:`StructuredLLM.extract` does (None when neither validates),
    and what it cost."""
    usage = completion.usage
    stats = CallStats(
        attempts=1,
        input_tokens=usage.prompt_tokens if usage else 0,
        output_tokens=usage.completion_tokens if usage else 0,
        seconds=seconds,
        answers=[answer_digest(completion)],
    )
    try:
        draft = model.from_response(
            completion, validation_context=context, strict=False, mode=instructor.Mode.JSON_SCHEMA
        )
    except IncompleteOutputException:  # cut off: asked again it would be cut off again
        draft = salvage(completion.choices[0].message.content or "", model, context)
        stats.truncated = draft is not None
    except (ValidationError, ValueError):
        draft = None
    return draft, stats


def _asked_again(first: CallStats, again: tuple[Any, CallStats]) -> tuple[Any, CallStats]:
    """The answer of a call asked again on its own, costed with the first answer too (one
    pass)."""
    draft, stats = again
    first.passes = 0
    first.add(stats)
    return draft, first


class StructuredLLM:
    """instructor over one backend, with bounded re-asks and salvage of cut-off answers."""

    def __init__(self, backend: Backend, *, max_reasks: int = 2) -> None:
        self.backend = backend
        self.max_reasks = max_reasks
        # Always a json_schema response format: a backend turns it into what its model takes
        # (the server backend into a server's structured-output mode, the embedded one into
        # its schema decoder), so a plugin has one kind of request to handle.
        mode = instructor.Mode.JSON_SCHEMA
        patched = instructor.patch(create=backend.create, mode=mode)
        apatched = instructor.patch(create=backend.acreate, mode=mode)
        self._client = instructor.Instructor(client=None, create=patched, mode=mode)
        self._aclient = instructor.AsyncInstructor(client=None, create=apatched, mode=mode)

    def _arguments(
        self,
        messages: list[dict[str, str]],
        response_model: type[BaseModel],
        max_tokens: int,
        context: dict[str, Any] | None,
        counter: _Counter,
    ) -> dict[str, Any]:
        return {
            "messages": messages,
            "response_model": as_response_schema(response_model),
            "max_retries": self.max_reasks,
            "max_tokens": max_tokens,
            "context": context,
            "hooks": counter.hooks,
            "strict": False,
        }

    def _settle(
        self,
        exc: Exception,
        response_model: type[Draft],
        context: dict[str, Any] | None,
        counter: _Counter,
        article_id: str,
    ) -> Draft:
        """Recover what a failed call allows, or raise the one error the caller sees."""
        if isinstance(exc, IncompleteOutputException):
            completion = exc.last_completion
            text = completion.choices[0].message.content if completion is not None else None
            recovered = salvage(text or "", response_model, context)
            if recovered is not None:
                counter.stats.truncated = True
                return recovered
            reason = "the answer hit the token limit before any complete item"
        elif isinstance(exc, InstructorRetryException):
            cause = exc.__cause__ or exc
            reason = f"{type(cause).__name__}: {cause}"
        else:
            reason = f"{type(exc).__name__}: {exc}"
        raise ModelError(
            f"article {article_id!r}: no valid {response_model.__name__} from {self.backend.name} "
            "model "
            f"{self.backend.model!r} after {counter.stats.attempts} attempt(s); last error: "
            f"{reason}",
            article_id=article_id,
            attempts=counter.stats.attempts,
        ) from exc

    def extract(
        self,
        messages: list[dict[str, str]],
        response_model: type[Draft],
        *,
        max_tokens: int,
        article_id: str,
        context: dict[str, Any] | None = None,
    ) -> tuple[Draft, CallStats]:
        counter = _Counter()
        started = time.perf_counter()
        try:
            with reporting_retries(counter.on_retry):
                result = self._client.create(
                    **self._arguments(messages, response_model, max_tokens, context, counter)
                )
        except Exception as exc:  # noqa: BLE001 - every failure is settled into one error type
            result = self._settle(exc, response_model, context, counter, article_id)
        finally:
            counter.stats.seconds = time.perf_counter() - started
        return result, counter.stats

    def extract_many(
        self,
        requests: Sequence[tuple[list[dict[str, str]], type[Draft], int]],
        *,
        article_id: str,
        context: dict[str, Any] | None = None,
    ) -> list[tuple[Draft, CallStats]]:
        """Independent structured calls (messages, draft model, token limit), in order, made
        together by the backend (:meth:`~summarizer.backends.Backend.create_many`). An answer
        that does not validate is asked again on its own, with instructor's re-asks."""
        started = time.perf_counter()
        prepared = [self._prepared(messages, model, limit) for messages, model, limit in requests]
        completions = self.backend.create_many([kwargs for _, kwargs in prepared])
        share = (time.perf_counter() - started) / max(len(requests), 1)
        results = []
        for completion, request, (model, _) in zip(completions, requests, prepared, strict=True):
            draft, stats = _parsed(completion, model, share, context)
            if draft is None:
                messages, draft_model, limit = request
                again = self.extract(
                    messages, draft_model, max_tokens=limit, article_id=article_id, context=context
                )
                draft, stats = _asked_again(stats, again)
            results.append((draft, stats))
        return results

    async def aextract_many(
        self,
        requests: Sequence[tuple[list[dict[str, str]], type[Draft], int]],
        *,
        article_id: str,
        context: dict[str, Any] | None = None,
    ) -> list[tuple[Draft, CallStats]]:
        """The async twin of :meth:`extract_many`."""
        started = time.perf_counter()
        prepared = [self._prepared(messages, model, limit) for messages, model, limit in requests]
        completions = await self.backend.acreate_many([kwargs for _, kwargs in prepared])
        share = (time.perf_counter() - started) / max(len(requests), 1)
        results = []
        for completion, request, (model, _) in zip(completions, requests, prepared, strict=True):
            draft, stats = _parsed(completion, model, share, context)
            if draft is None:
                messages, draft_model, limit = request
                again = await self.aextract(
                    messages, draft_model, max_tokens=limit, article_id=article_id, context=context
                )
                draft, stats = _asked_again(stats, again)
            results.append((draft, stats))
        return results

    @staticmethod
    def _prepared(
        messages: list[dict[str, str]], draft: type[BaseModel], max_tokens: int
    ) -> tuple[type[Any], dict[str, Any]]:
        """The request instructor would send for ``draft``, and its response model."""
        model, kwargs = handle_response_model(
            as_response_schema(draft),
            mode=instructor.Mode.JSON_SCHEMA,
            messages=messages,
            max_tokens=max_tokens,
        )
        assert model is not None  # a response model was given
        return model, kwargs

    async def aextract(
        self,
        messages: list[dict[str, str]],
        response_model: type[Draft],
        *,
        max_tokens: int,
        article_id: str,
        context: dict[str, Any] | None = None,
    ) -> tuple[Draft, CallStats]:
        counter = _Counter()
        started = time.perf_counter()
        try:
            with reporting_retries(counter.on_retry):
                result = await self._aclient.create(
                    **self._arguments(messages, response_model, max_tokens, context, counter)
                )
        except Exception as exc:  # noqa: BLE001
            result = self._settle(exc, response_model, context, counter, article_id)
        finally:
            counter.stats.seconds = time.perf_counter() - started
        return result, counter.stats
