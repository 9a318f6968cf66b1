"""A server that refuses how it is asked for structured output: no retries of the refusal,
one fall-back to the next mode its family accepts, remembered for the URL, a warning, and
the mode in the briefing's provenance."""

from __future__ import annotations

import asyncio
import json
import warnings

import pytest
from click.testing import CliRunner

from summarizer import ModelError, ServerModeWarning, Summarizer, cli, server_backend
from summarizer.server_backend import SERVER_MODES, OpenAICompatibleBackend, request_in_mode
from summarizer.stub_server import StubServer

from .conftest import SAMPLE

PASSES = 4


@pytest.fixture(autouse=True)
def _forget_modes(monkeypatch):
    """Each test's server starts unknown (a later one may get an earlier one's port)."""
    monkeypatch.setattr(server_backend, "_remembered", {})


def _backend(url: str, mode: str = "json_schema") -> OpenAICompatibleBackend:
    return OpenAICompatibleBackend("stub", base_url=url, api_key="k", mode=mode, attempts=5, initial_wait=0.01,
                                   max_wait=0.05)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_refused_mode_is_not_retried_but_falls_back_once_and_is_remembered(use_async):
    with StubServer(0.0, refuse={"json_schema"}) as server:
        summarizer = Summarizer(_backend(server.url), max_reasks=0, complete=False)
        with pytest.warns(ServerModeWarning, match=r"refused --mode json_schema \(500: 1 validation error: response_format.type Input should") as seen:
            first = (asyncio.run(summarizer.asummarize(SAMPLE)) if use_async else summarizer.summarize(SAMPLE))
        assert len([w for w in seen if issubclass(w.category, ServerModeWarning)]) == 1
        assert "--mode json_object_schema" in str(seen[0].message)
        # one refused request, then every pass in the mode that works: no retry of the refusal
        assert server.modes.count("json_schema") == 1
        assert server.modes[1:] == ["json_object_schema"] * (len(server.modes) - 1)
        assert first.provenance.fallback_mode == "json_object_schema"
        assert first.provenance.attempts == len(server.modes)  # the refused request counts
        before = len(server.modes)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ServerModeWarning)  # remembered: no second warning
            again = Summarizer(_backend(server.url), max_reasks=0, complete=False).summarize(SAMPLE)
        assert server.modes[before:] == ["json_object_schema"] * PASSES
        assert again.provenance.fallback_mode == "json_object_schema"


def test_each_refused_mode_falls_back_to_the_next_one_of_the_family():
    with StubServer(0.0, refuse={"json_schema", "json_object_schema"}) as server, pytest.warns(ServerModeWarning):
        briefing = Summarizer(_backend(server.url), max_reasks=0, complete=False).summarize(SAMPLE)
    assert server.modes[:2] == ["json_schema", "json_object_schema"]
    assert set(server.modes[2:]) == {"tools"}
    assert briefing.provenance.fallback_mode == "tools" and briefing.actors


def test_a_mode_asked_for_is_never_traded_for_an_earlier_one():
    with StubServer(0.0, refuse={"json_schema"}) as server:
        with pytest.warns(ServerModeWarning):
            Summarizer(_backend(server.url), max_reasks=0).summarize(SAMPLE)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ServerModeWarning)
            briefing = Summarizer(_backend(server.url, "tools"), max_reasks=0).summarize(SAMPLE)
    assert server.modes[-PASSES:] == ["tools"] * PASSES and briefing.provenance.fallback_mode is None


def test_a_server_that_refuses_every_mode_fails_with_the_modes_named():
    refused = pytest.raises(ModelError, match="refused every structured-output")
    with StubServer(0.0, refuse=set(SERVER_MODES)) as server, pytest.warns(ServerModeWarning), refused:
        Summarizer(_backend(server.url), max_reasks=0).summarize(SAMPLE)
    assert server.modes == list(SERVER_MODES)  # each refused once, none retried


def test_the_command_line_warns_once_and_briefs(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    with StubServer(0.0, refuse={"json_schema"}) as server:
        result = CliRunner().invoke(cli.main, ["brief", str(SAMPLE), "--backend", "openai", "--base-url",
                                               server.url, "--model", "stub", "--format", "json"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1 and "--mode json_object_schema" in warned[0]
    assert json.loads(result.stdout)["provenance"]["fallback_mode"] == "json_object_schema"


def test_requests_are_rewritten_into_each_mode():
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    request = {"messages": [{"role": "system", "content": "Brief it."}, {"role": "user", "content": "x"}],
               "response_format": {"type": "json_schema", "json_schema": {"name": "A", "schema": schema}}}
    assert request_in_mode(request, "json_schema") == request
    assert request_in_mode(request, "json_object_schema")["response_format"] == {"type": "json_object",
                                                                                  "schema": schema}
    tools = request_in_mode(request, "tools")
    assert "response_format" not in tools and tools["tools"][0]["function"]["parameters"] == schema
    assert tools["tool_choice"] == {"type": "function", "function": {"name": "A"}}
    plain = request_in_mode(request, "json")
    assert plain["response_format"] == {"type": "json_object"}
    assert plain["messages"][0]["content"].startswith("Brief it.") and json.dumps(schema) in plain["messages"][0]["content"]
    assert len(plain["messages"]) == 2 and request["messages"][0]["content"] == "Brief it."  # not changed in place
