"""Backends without a model: grammar wiring and the repetition guard.

The server backend's retries are tested against a fault-injecting server in test_faults.py.
"""

import json

import pytest

from summarizer.backends import EmbeddedBackend, close_json, last_item, repeats_an_item


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
