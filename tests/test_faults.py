"""The server backend against a misbehaving OpenAI-compatible server on loopback.

For each fault: what is retried (the same request re-sent) or re-asked (the answer and its
validation error sent back), how many requests and how long it may take, the error when
it gives up, and that the briefing's provenance counts every request and its tokens.
Each test runs the sync and the async path (``summarize`` and ``asummarize``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

import pytest

from summarizer import ModelError, Summarizer
from summarizer.contract import Briefing
from summarizer.server_backend import OpenAICompatibleBackend
from summarizer.stub_server import StubServer

from .conftest import SAMPLE, SAMPLE_SCRIPT
from .faultserver import DROP, MALFORMED, Content, FaultServer, Hang, Status, sample_answer

PASSES = 4  # actors, meetings, military developments, stated positions
PROMPT_TOKENS, ANSWER_TOKENS = 10, 5  # what the fault server reports per answer
TIMEOUT = 0.3  # the client's per-request timeout in these tests

#: fault -> the exception instructor last saw, named in the ModelError
TRANSIENT = {
    "429 with Retry-After": (Status(429, {"Retry-After": "0.3"}), "RateLimitError"),
    "429 without Retry-After": (Status(429), "RateLimitError"),
    "500": (Status(500), "InternalServerError"),
    "503": (Status(503), "InternalServerError"),
    "dropped connection": (DROP, "APIConnectionError"),
    "hangs past the timeout": (Hang(5.0), "APITimeoutError"),
    "malformed JSON body": (MALFORMED, "MalformedResponseError"),
}


def _backend(server: FaultServer, **options: Any) -> OpenAICompatibleBackend:
    settings: dict[str, Any] = {"api_key": "test-key", "attempts": 3, "initial_wait": 0.01, "max_wait": 0.05,
                                "timeout": TIMEOUT, **options}
    return OpenAICompatibleBackend("test-model", base_url=server.url, **settings)


def _brief(backend: OpenAICompatibleBackend, use_async: bool, max_reasks: int = 2) -> Briefing:
    summarizer = Summarizer(backend, max_reasks=max_reasks, complete=False)  # the answers alone, nothing added
    return asyncio.run(summarizer.asummarize(SAMPLE)) if use_async else summarizer.summarize(SAMPLE)


def _gaps(server: FaultServer) -> list[float]:
    times = [r.at for r in server.requests]
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def use_async(request: pytest.FixtureRequest) -> bool:
    return request.param


@pytest.mark.parametrize("name", TRANSIENT)
def test_a_transient_fault_is_retried_and_every_request_counted(name, use_async):
    fault, _ = TRANSIENT[name]
    with FaultServer(plan=[fault, fault]) as server:
        briefing = _brief(_backend(server, max_wait=1.0), use_async)
    assert [r.step for r in server.requests[:3]] == [fault, fault, "ok"]
    first = [r.body for r in server.requests[:3]]
    assert first[0] == first[1] == first[2]  # the same request re-sent, not a re-ask
    assert len(server.requests) == 2 + PASSES
    provenance = briefing.provenance
    assert provenance.attempts == 2 + PASSES and provenance.passes == PASSES
    assert (provenance.input_tokens, provenance.output_tokens) == (PASSES * PROMPT_TOKENS, PASSES * ANSWER_TOKENS)
    assert briefing.actors and briefing.military_developments
    if name == "429 with Retry-After":
        assert min(_gaps(server)[:2]) >= 0.3  # the server's Retry-After, not the 0.01 s backoff
    if name == "hangs past the timeout":
        assert min(_gaps(server)[:2]) >= TIMEOUT


@pytest.mark.parametrize("name", TRANSIENT)
def test_a_persistent_fault_gives_up_naming_the_article_and_the_error(name, use_async):
    fault, error = TRANSIENT[name]
    attempts, max_wait = 3, 0.05
    started = time.monotonic()
    with FaultServer(plan=[fault] * 10) as server, pytest.raises(ModelError) as raised:
        _brief(_backend(server, attempts=attempts, max_wait=max_wait), use_async)
    elapsed = time.monotonic() - started
    assert len(server.requests) == attempts
    # each request may take up to the timeout; each wait is at most max_wait (Retry-After included)
    assert elapsed < attempts * TIMEOUT + (attempts - 1) * max_wait + 1.0
    message = str(raised.value)
    assert message.startswith("article 'sample_article': no valid ActorsDraft from openai model 'test-model'")
    assert f"after {attempts} attempt(s); last error: {error}" in message
    assert raised.value.article_id == "sample_article" and raised.value.attempts == attempts


def test_retry_after_is_capped_by_max_wait():
    with FaultServer(plan=[Status(429, {"Retry-After": "60"})] * 2) as server:
        briefing = _brief(_backend(server, max_wait=0.2), use_async=False)
    assert briefing.provenance.attempts == 2 + PASSES
    assert 0.2 <= max(_gaps(server)[:2]) < 1.0


def test_total_timeout_bounds_the_retries_of_a_hanging_server():
    started = time.monotonic()
    with FaultServer(plan=[Hang(5.0)] * 20) as server, pytest.raises(ModelError, match="APITimeoutError"):
        _brief(_backend(server, attempts=20, total_timeout=0.7), use_async=False)
    # stops at the first failure past total_timeout: one timeout and one wait over at most
    assert time.monotonic() - started < 0.7 + TIMEOUT + 0.05 + 0.5
    assert 2 <= len(server.requests) <= 4


def test_client_errors_are_not_retried():
    with FaultServer(plan=[Status(400)] * 3) as server, pytest.raises(ModelError, match="BadRequestError") as raised:
        _brief(_backend(server), use_async=False)
    assert len(server.requests) == 1 and raised.value.attempts == 1


def test_mixed_faults_in_a_row_are_all_retried():
    plan = [Status(503), Status(429, {"Retry-After": "0.3"}), DROP, Status(500)]
    with FaultServer(plan=plan) as server:
        briefing = _brief(_backend(server, attempts=5, max_wait=1.0), use_async=False)
    assert len(server.requests) == briefing.provenance.attempts == len(plan) + PASSES
    assert _gaps(server)[1] >= 0.3  # Retry-After honoured between the second and third request
    assert all(r.body["model"] == "test-model" for r in server.requests)


SCHEMA_VIOLATION = Content(json.dumps({"summary": 3, "actors": "none"}))


def test_an_answer_that_breaks_the_schema_is_re_asked_with_the_error(use_async):
    with FaultServer(plan=[SCHEMA_VIOLATION]) as server:
        briefing = _brief(_backend(server), use_async)
    bad, good = server.requests[0].body, server.requests[1].body
    assert good["messages"][: len(bad["messages"])] == bad["messages"]  # a re-ask extends the conversation
    answer, correction = good["messages"][len(bad["messages"]):]
    assert answer == {"role": "assistant", "content": SCHEMA_VIOLATION.text}
    assert correction["role"] == "user" and "2 validation errors for ActorsDraft" in correction["content"]
    assert "Input should be a valid string" in correction["content"]  # the error is sent back
    provenance = briefing.provenance
    assert len(server.requests) == provenance.attempts == 1 + PASSES and provenance.passes == PASSES
    assert provenance.input_tokens == (1 + PASSES) * PROMPT_TOKENS  # the failed answer's tokens count too
    assert provenance.output_tokens == (1 + PASSES) * ANSWER_TOKENS


def test_re_asks_are_bounded_and_end_in_a_model_error(use_async):
    with FaultServer(plan=[SCHEMA_VIOLATION] * 10) as server, pytest.raises(ModelError) as raised:
        _brief(_backend(server), use_async, max_reasks=2)
    assert len(server.requests) == 3 and raised.value.attempts == 3
    assert "article 'sample_article'" in str(raised.value) and "after 3 attempt(s); last error: ValidationError" \
        in str(raised.value)


def test_re_asks_and_transport_retries_add_up():
    plan = [Status(503), SCHEMA_VIOLATION, DROP]  # a retry, a re-ask, and a retry of the re-ask
    with FaultServer(plan=plan) as server:
        briefing = _brief(_backend(server), use_async=False)
    assert len(server.requests) == briefing.provenance.attempts == len(plan) + PASSES
    assert briefing.provenance.input_tokens == (1 + PASSES) * PROMPT_TOKENS  # two faults had no answer


def _cut_developments(body: dict[str, Any]) -> str | Content:
    """The developments answer cut off by the token limit inside its second item."""
    if body["response_format"]["json_schema"]["name"] != "DevelopmentDrafts":
        return sample_answer(body)
    full = SAMPLE_SCRIPT["DevelopmentDrafts"][0]
    assert isinstance(full, str)
    return Content(full[: full.index('"description": "The front')], finish_reason="length")


def test_an_answer_cut_off_by_the_token_limit_keeps_its_complete_items(use_async):
    with FaultServer(_cut_developments) as server:
        briefing = _brief(_backend(server), use_async)
    assert len(server.requests) == PASSES  # not re-asked: the same budget would cut it again
    assert [d.location for d in briefing.military_developments] == ["Ostrov"]  # the second item was cut
    assert briefing.provenance.truncated and briefing.provenance.attempts == PASSES
    assert briefing.provenance.output_tokens == PASSES * ANSWER_TOKENS


def test_an_answer_cut_off_before_any_complete_item_is_a_model_error(use_async):
    with FaultServer(plan=[Content('{"summary": "Ruritania dem', finish_reason="length")]) as server, \
            pytest.raises(ModelError, match="hit the token limit before any complete item") as raised:
        _brief(_backend(server), use_async)
    assert len(server.requests) == 1 and raised.value.attempts == 1
    assert "article 'sample_article'" in str(raised.value)


def test_a_backend_reused_by_a_second_event_loop_sends_each_request_once():
    """Pooled connections belong to the event loop that opened them; a second ``asyncio.run``
    that sent on the first one's kept-alive connections would fail and re-send (7 requests
    for a 4-pass briefing). The stub server keeps connections alive, as real servers do."""
    with StubServer(0.0) as server:
        summarizer = Summarizer(OpenAICompatibleBackend("stub", base_url=server.url), complete=False)
        briefings = [asyncio.run(summarizer.asummarize(SAMPLE)) for _ in range(2)]
    passes = [b.provenance.passes for b in briefings]
    assert [b.provenance.attempts for b in briefings] == passes
    assert server.requests == sum(passes)
