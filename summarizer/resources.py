"""Find the data folders (``prompts/``, ``schemas/``) in a wheel or in a source checkout.

A built wheel carries them as ``summarizer/_data/<name>``; an editable install or a
checkout reads them from the repository root, where they are maintained.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ConfigurationError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigurationError(f"the {name}/ folder is missing from this installation of summarizer")
