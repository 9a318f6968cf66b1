"""The KV cache of the fixed start of every prompt, saved to disk for the next process.

Every prompt starts with the same instructions and worked example, some 2,300 tokens
that take the embedded model about half a minute to read on two cores. A loaded model
reuses them from its KV cache across passes and articles; this store also spares a new
process that prefill, by saving the cache after the first read and loading it (a few
hundred milliseconds) on later starts. A file is keyed by the model file, the context
size, the llama.cpp build and the exact prefix tokens, so a changed prompt or model never
loads a stale cache, and one build's numbers never reach another's: a KV cache computed by an
AVX2 build (or with other weight buffers) steers the same model to another greedy answer.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llama_cpp import Llama

log = logging.getLogger(__name__)


class PrefixStateStore:
    """Saved KV caches of prompt prefixes, one file each, in ``directory``."""

    def __init__(self, directory: Path, model_sha256: str, n_ctx: int, build: str) -> None:
        """``build`` names what computed the cache: the llama.cpp library and the CPU."""
        self.directory = directory
        self._identity = f"{model_sha256}:{n_ctx}:{build}"

    def path_for(self, prefix: list[int]) -> Path:
        sha = hashlib.sha256(f"{self._identity}:".encode())
        sha.update(b",".join(str(t).encode() for t in prefix))
        return self.directory / f"{sha.hexdigest()[:32]}.kv"

    def prime(self, llama: Llama, prefix: list[int]) -> bool:
        """Put ``prefix`` in the model's (empty) KV cache: loaded from disk if saved, else read
        and saved. Returns True when it came from disk."""
        path = self.path_for(prefix)
        if path.is_file() and self._load(llama, path, prefix):
            return True
        llama.reset()
        llama._ctx.kv_cache_seq_rm(-1, 0, -1)
        llama.eval(prefix)
        self._save(llama, path, prefix)
        return False

    def _load(self, llama: Llama, path: Path, prefix: list[int]) -> bool:
        import llama_cpp

        tokens = (llama_cpp.llama_token * len(prefix))()
        count = ctypes.c_size_t(0)
        ok = llama_cpp.llama_state_load_file(
            llama._ctx.ctx, str(path).encode(), tokens, len(prefix), ctypes.byref(count)
        )
        if not ok or list(tokens[: count.value]) != prefix:
            log.warning("ignoring unreadable or stale prompt cache %s", path)
            llama.reset()
            llama._ctx.kv_cache_seq_rm(-1, 0, -1)
            return False
        llama.input_ids[: len(prefix)] = prefix
        llama.n_tokens = len(prefix)
        return True

    def _save(self, llama: Llama, path: Path, prefix: list[int]) -> None:
        import llama_cpp

        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tokens = (llama_cpp.llama_token * len(prefix))(*prefix)
            if llama_cpp.llama_state_save_file(
                llama._ctx.ctx, str(temporary).encode(), tokens, len(prefix)
            ):
                os.replace(temporary, path)  # readers see a whole file or none
        except OSError as exc:  # a read-only cache folder costs speed, not the briefing
            log.warning("could not save the prompt cache to %s: %s", path, exc)
        finally:
            temporary.unlink(missing_ok=True)
