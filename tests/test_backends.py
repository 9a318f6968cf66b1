"""Backends without a model: grammar wiring and the repetition guard.

The server backend's retries are tested against a fault-injecting server in test_faults.py.
"""

import json
import os
import subprocess
import sys

import pytest

from summarizer import backends
from summarizer.backends import EmbeddedBackend, close_json, last_item, repeats_an_item

from .conftest import ROOT


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


@pytest.fixture
def fresh_cpu_family(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    backends.cpu_family.cache_clear()
    yield backends.cpu_family
    backends.cpu_family.cache_clear()


def test_the_cpu_family_is_asked_of_llama_cpp_once_per_build_and_cpu(fresh_cpu_family, monkeypatch, tmp_path):
    pytest.importorskip("llama_cpp")
    asked = []
    monkeypatch.setattr(backends, "_family_from_llama_cpp", lambda: asked.append(1) or "x86_64-test")
    assert fresh_cpu_family() == "x86_64-test"
    fresh_cpu_family.cache_clear()
    assert fresh_cpu_family() == "x86_64-test" and len(asked) == 1  # from the file
    other_build = tmp_path / "lib"
    other_build.mkdir()
    (other_build / "libllama.so").write_bytes(b"another build")
    monkeypatch.setenv("LLAMA_CPP_LIB_PATH", str(other_build))
    fresh_cpu_family.cache_clear()
    assert fresh_cpu_family() == "x86_64-test" and len(asked) == 2  # other libraries: asked again


def test_the_stored_cpu_family_is_the_one_llama_cpp_gives_and_costs_no_import(fresh_cpu_family, tmp_path):
    pytest.importorskip("llama_cpp")
    assert fresh_cpu_family() == backends._family_from_llama_cpp()
    script = ("import sys; from summarizer.backends import cpu_family; family = cpu_family(); "
              "print(family, 'llama_cpp' in sys.modules)")
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == [backends._family_from_llama_cpp(), "False"], result.stderr


def test_a_saved_prompt_prefix_is_keyed_by_the_llama_cpp_build(tmp_path):
    from summarizer.kv_state import PrefixStateStore

    prefix = [151644, 8948, 198]
    native = PrefixStateStore(tmp_path, "sha", 8192, "0.3.36:AVX512 = 1 | AMX_INT8 = 1")
    avx2 = PrefixStateStore(tmp_path, "sha", 8192, "0.3.36:AVX2 = 1")
    assert native.path_for(prefix) != avx2.path_for(prefix)
    same = PrefixStateStore(tmp_path, "sha", 8192, "0.3.36:AVX512 = 1 | AMX_INT8 = 1")
    assert same.path_for(prefix) == native.path_for(prefix)
    assert native.path_for(prefix) != native.path_for(prefix[:2])
