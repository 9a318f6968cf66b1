"""The dependencies' internals this package relies on, checked by name, so that a release that
moves them fails here, loudly, rather than as a wrong answer or a crash in the decoder.

decoding.py and kv_state.py reach into llama-cpp-python (``Llama._ctx``, ``_input_ids``,
``_model``, the state-file functions); llm.py uses instructor's hooks and exceptions. Both are
bounded in pyproject.toml to the releases checked here; raising a bound means running this.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import tomllib

import pytest

from .conftest import ROOT


def _bounds(requirement_start: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The >= and < versions of the first requirement in pyproject.toml that starts so."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)["project"]
    requirements = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values()
                                                for r in extra)]
    requirement = next(r for r in requirements if r.startswith(requirement_start))
    low = re.search(r">=([\d.]+)", requirement)
    high = re.search(r"<([\d.]+)", requirement)
    assert low and high, f"{requirement} needs a lower and an upper bound"
    return _version(low.group(1)), _version(high.group(1))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize(("distribution", "requirement"), [
    ("llama_cpp_python", "llama-cpp-python>="), ("llama_cpp_python", "llama-cpp-python[server]"),
    ("instructor", "instructor>="),
])
def test_the_installed_release_is_within_the_bounds(distribution, requirement):
    try:
        installed = _version(importlib.metadata.version(distribution))
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{distribution} is not installed")
    low, high = _bounds(requirement)
    assert low <= installed < high


def test_the_llama_cpp_internals_the_decoder_and_the_prompt_cache_use_are_there():
    llama_cpp = pytest.importorskip("llama_cpp")
    from llama_cpp import Llama
    from llama_cpp._internals import LlamaContext, LlamaModel
    from llama_cpp.llama_chat_format import ChatFormatterResponse, Jinja2ChatFormatter

    init = inspect.getsource(Llama.__init__)
    for attribute in ("self._ctx =", "self._model =", "self.n_tokens ="):
        assert attribute in init, f"Llama.__init__ no longer sets {attribute.split()[0]}"
    assert isinstance(inspect.getattr_static(Llama, "_input_ids"), property)
    assert isinstance(inspect.getattr_static(Llama, "input_ids", None), property) or "self.input_ids" in init
    for method in ("eval", "reset", "tokenize", "detokenize", "n_vocab", "token_eos", "token_bos"):
        assert callable(getattr(Llama, method)), f"Llama.{method}"
    assert list(inspect.signature(LlamaContext.kv_cache_seq_rm).parameters) == ["self", "seq_id", "p0", "p1"]
    assert list(inspect.signature(LlamaContext.get_logits).parameters) == ["self"]
    assert "self.ctx =" in inspect.getsource(LlamaContext.__init__)
    assert callable(LlamaModel.token_get_text)
    for function in ("llama_state_load_file", "llama_state_save_file", "llama_print_system_info"):
        assert callable(getattr(llama_cpp, function)), f"llama_cpp.{function}"
    assert llama_cpp.llama_token is not None
    assert {"template", "eos_token", "bos_token"} <= set(inspect.signature(Jinja2ChatFormatter.__init__).parameters)
    assert {"prompt", "added_special"} <= set(inspect.signature(ChatFormatterResponse).parameters)


def test_the_instructor_names_llm_uses_are_public_and_there():
    import instructor
    from instructor.core import IncompleteOutputException, InstructorRetryException
    from instructor.core.hooks import Hooks

    hooks = Hooks()
    hooks.on("completion:kwargs", lambda *args, **kwargs: None)
    hooks.on("completion:response", lambda response: None)
    assert issubclass(IncompleteOutputException, Exception) and issubclass(InstructorRetryException, Exception)
    assert instructor.Mode.JSON_SCHEMA and instructor.OpenAISchema and instructor.AsyncInstructor
    assert "create" in inspect.signature(instructor.patch).parameters


def test_the_model_parameters_the_amx_workaround_wraps_are_there():
    """backends._load_llama turns llama.cpp's extra weight buffers off on AMX CPUs by wrapping
    the default model parameters that ``Llama.__init__`` starts from."""
    pytest.importorskip("llama_cpp")
    from llama_cpp import Llama, llama

    assert "llama_cpp.llama_model_default_params()" in inspect.getsource(Llama.__init__)
    params = llama.llama_cpp.llama_model_default_params()
    assert hasattr(params, "use_extra_bufts"), "llama_model_params has no use_extra_bufts any more"


def test_the_amx_workaround_loads_without_extra_buffers_and_restores_the_defaults(monkeypatch):
    """On a CPU that llama.cpp reports AMX for, the model loads with extra buffers off; the
    module's defaults are what they were afterwards, whatever the CPU."""
    pytest.importorskip("llama_cpp")
    from llama_cpp import llama

    from summarizer import backends

    seen = []

    class Recorder:
        def __init__(self, **kwargs):
            seen.append(llama.llama_cpp.llama_model_default_params().use_extra_bufts)

    monkeypatch.setattr("llama_cpp.Llama", Recorder)
    defaults = llama.llama_cpp.llama_model_default_params
    monkeypatch.setattr(backends, "_llama_cpu_features", lambda: frozenset({"AVX512", "AMX_INT8"}))
    backends._load_llama(model_path="unused")
    monkeypatch.setattr(backends, "_llama_cpu_features", lambda: frozenset({"AVX2"}))
    backends._load_llama(model_path="unused")
    assert seen == [False, True]
    assert llama.llama_cpp.llama_model_default_params is defaults


def test_the_model_loads_with_sequences_for_parallel_decoding_and_restores_the_defaults(monkeypatch):
    """backends._load_llama gives the context several sequences in one unified KV cache
    (parallel.py) by wrapping the default context parameters ``Llama.__init__`` starts from."""
    pytest.importorskip("llama_cpp")
    from llama_cpp import Llama, llama

    from summarizer import backends

    assert "llama_cpp.llama_context_default_params()" in inspect.getsource(Llama.__init__)
    seen = []

    class Recorder:
        def __init__(self, **kwargs):
            params = llama.llama_cpp.llama_context_default_params()
            seen.append((params.n_seq_max, params.kv_unified))

    monkeypatch.setattr("llama_cpp.Llama", Recorder)
    defaults = llama.llama_cpp.llama_context_default_params
    backends._load_llama(17, model_path="unused")
    assert seen == [(17, True)]
    assert llama.llama_cpp.llama_context_default_params is defaults
