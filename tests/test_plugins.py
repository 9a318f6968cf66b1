"""Backends are plugins: a package registered under the summarizer.backends entry points is a
backend of the command line and the Python API, options and all, without editing summarizer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from summarizer import ConfigurationError, make_backend
from summarizer.backends import EmbeddedBackend
from summarizer.plugins import BUILT_IN, GROUP, installed_backends
from summarizer.server_backend import OpenAICompatibleBackend

from .conftest import ROOT, SAMPLE

PLUGIN = Path(__file__).resolve().parent / "plugin_backend"


def install_plugin(target: Path) -> Path:
    """Install tests/plugin_backend into ``target`` as pip would: the module, and a .dist-info
    whose entry_points.txt is the package's pyproject table (no build backend needed)."""
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(PLUGIN / "summarizer_lead_backend.py", target)
    info = target / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8")
    lines: list[str] = []
    for group, entries in project["entry-points"].items():
        lines += [f"[{group}]", *(f"{name} = {value}" for name, value in entries.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (info / "RECORD").write_text("", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def plugin_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_plugin(tmp_path_factory.mktemp("site"))


def _summarizer(plugin_path: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`summarizer ARGS` in a new process that has the plugin installed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_path), str(ROOT)]),
           "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SUMMARIZER_BACKEND", None)
    return subprocess.run([sys.executable, "-m", "summarizer", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_plugin_backend_briefs_an_article_from_the_command_line(plugin_path, tmp_path):
    result = _summarizer(plugin_path, tmp_path, "brief", str(SAMPLE), "--backend", "lead", "-o", "sentences=2",
                         "--format", "json")
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    assert briefing["provenance"]["backend"] == "lead" and briefing["provenance"]["model"] == "lead-2"
    assert briefing["summary"].startswith("ARDEN, March 12") and "Varga demanded" in briefing["summary"]
    assert "Elena Varga" in {a["name"] for a in briefing["actors"]}  # the completion rules read her


def test_a_cached_briefing_imports_neither_the_sdk_nor_the_stages_after_the_model(plugin_path, tmp_path):
    """What makes `summarizer brief` on a cached article start fast: none of the heavy modules."""
    arguments = ["brief", str(SAMPLE), "--backend", "lead", "--format", "json"]
    assert _summarizer(plugin_path, tmp_path, *arguments).returncode == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_path), str(ROOT)]),
           "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
    again = subprocess.run([sys.executable, "-X", "importtime", "-m", "summarizer", *arguments], env=env,
                           capture_output=True, text=True, timeout=120)
    assert json.loads(again.stdout)["provenance"]["cached"]
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    heavy = {"instructor", "llama_cpp", "dateparser", "rapidfuzz", "summarizer.grounding",
             "summarizer.completion", "summarizer.llm", "summarizer.server_backend", "numpy"}
    assert not imported & heavy


def test_summarizer_backends_lists_every_backend_with_its_options(plugin_path, tmp_path):
    result = _summarizer(plugin_path, tmp_path, "backends")
    assert result.returncode == 0, result.stderr
    listing = result.stdout
    assert "lead  (summarizer-lead-backend: summarizer_lead_backend:lead)" in listing
    assert "The article's first sentences as its summary" in listing
    assert "-o sentences=VALUE" in listing and "int, default 1" in listing
    assert "embedded  (summarizer" in listing and "--model-path" in listing
    assert "openai  (summarizer" in listing and "--mode" in listing and "float, default 120.0" in listing


def test_an_unknown_backend_names_the_installed_ones(plugin_path, tmp_path):
    result = _summarizer(plugin_path, tmp_path, "brief", str(SAMPLE), "--backend", "nonesuch")
    assert result.returncode == 2
    assert "unknown backend 'nonesuch'" in result.stderr and "embedded, lead, openai" in result.stderr


def test_the_built_in_backends_are_registered_in_pyproject_as_built_in_says():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert declared[GROUP] == BUILT_IN
    assert {"embedded", "openai"} <= set(installed_backends())


def test_options_are_converted_checked_and_passed():
    server = make_backend("openai", base_url="http://127.0.0.1:9/v1", model="m", timeout="30", concurrency="8",
                          mode="tools", context_tokens=None)
    assert isinstance(server, OpenAICompatibleBackend)
    assert server.max_concurrency == 8 and server.mode == "tools" and server.context_tokens == 8192
    assert server._client_options["timeout"] == 30.0
    local = make_backend("embedded", context_tokens="4096", threads="1")
    assert isinstance(local, EmbeddedBackend) and local.context_tokens == 4096
    with pytest.raises(ConfigurationError, match="takes no option base_url; its options: model_path"):
        make_backend("embedded", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigurationError, match="option timeout takes a float, not 'soon'"):
        make_backend("openai", base_url="http://127.0.0.1:9/v1", timeout="soon")
    with pytest.raises(ConfigurationError, match="unknown mode 'xml'"):
        make_backend("openai", base_url="http://127.0.0.1:9/v1", mode="xml")


def test_a_broken_plugin_is_named_and_hides_no_other(plugin_path, tmp_path):
    site = Path(shutil.copytree(plugin_path, tmp_path / "site"))
    broken = site / "summarizer_broken_backend-0.1.dist-info"
    broken.mkdir()
    (broken / "METADATA").write_text("Metadata-Version: 2.1\nName: summarizer-broken-backend\nVersion: 0.1\n")
    (broken / "entry_points.txt").write_text("[summarizer.backends]\nbroken = no_such_module:factory\n")
    result = _summarizer(site, tmp_path, "backends")
    assert result.returncode == 0, result.stderr
    assert "broken  (summarizer-broken-backend" in result.stdout and "cannot be loaded" in result.stdout
    assert "lead  (summarizer-lead-backend" in result.stdout and "embedded  (summarizer" in result.stdout
    chosen = _summarizer(site, tmp_path, "brief", str(SAMPLE), "--backend", "broken")
    assert chosen.returncode == 2 and "backend 'broken' (from summarizer-broken-backend) cannot be loaded" in chosen.stderr
