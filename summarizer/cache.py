"""A persistent cache of finished briefings, so an unchanged re-run costs nothing.

The key is a hash of everything that decides the output: the model's identity (file hash,
or server and model name), the prompt version and a hash of its templates, the schema
version, the generation settings and the article itself. A changed prompt or model is a
different key, so it can never be served a stale briefing. SQLite gives atomic writes: a
crash mid-write leaves the previous state, never a torn entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .article import Article
from .contract import SCHEMA_VERSION, Briefing
from .model_file import cache_dir


def cache_key(article: Article, settings: dict[str, Any]) -> str:
    """A stable hash of the article and every setting that changes the briefing."""
    payload = {
        "schema_version": SCHEMA_VERSION,
        "settings": settings,
        "article": article.model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def default_cache_path() -> Path:
    return cache_dir() / "briefings.sqlite3"


class ResultCache:
    """Briefings by cache key in one SQLite file (safe for several processes)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS briefings (key TEXT PRIMARY KEY, article_id TEXT, "
                       "created REAL, briefing TEXT NOT NULL)")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one transaction: committed on success, rolled back on error, closed."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                yield db
        finally:
            db.close()

    def get(self, key: str, article: Article) -> Briefing | None:
        """The cached briefing, re-validated against the article; None if absent or unusable."""
        with self._connect() as db:
            row = db.execute("SELECT briefing FROM briefings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return Briefing.model_validate_json(row[0], context={"article_text": article.text})
        except ValidationError:
            self.delete(key)
            return None

    def put(self, key: str, briefing: Briefing) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO briefings VALUES (?, ?, ?, ?)",
                       (key, briefing.article.id, time.time(), briefing.model_dump_json()))

    def delete(self, key: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM briefings WHERE key = ?", (key,))

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        with self._connect() as db:
            count = db.execute("SELECT COUNT(*) FROM briefings").fetchone()[0]
            db.execute("DELETE FROM briefings")
        return int(count)

    def __len__(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM briefings").fetchone()[0])
