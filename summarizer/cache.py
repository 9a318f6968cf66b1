"""A persistent cache of finished briefings, so an unchanged re-run costs nothing.

The key is a hash of everything that decides the output: the model's identity (file hash,
or server and model name), the prompt version and a hash of its templates, the schema
version, the generation settings and the article itself. A changed prompt or model is a
different key, so it can never be served a stale briefing. SQLite gives atomic writes: a
crash mid-write leaves the previous state, never a torn entry.

An entry is never trusted blindly: it carries the SHA-256 of its text and is re-validated
against the article when read, so a damaged entry is a miss and the briefing is made again.
A damaged database file (truncated, overwritten) is replaced by an empty one, and a cache
that cannot be used for the moment (locked, disk full) costs a warning, never the briefing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

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
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def default_cache_path() -> Path:
    return cache_dir() / "briefings.sqlite3"


log = logging.getLogger(__name__)
T = TypeVar("T")

_TABLE = (
    "CREATE TABLE IF NOT EXISTS briefings (key TEXT PRIMARY KEY, article_id TEXT, created REAL, "
    "briefing TEXT NOT NULL, digest TEXT)"
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    """Briefings by cache key in one SQLite file (safe for several processes)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._run(self._add_digests, None)

    @staticmethod
    def _add_digests(db: sqlite3.Connection) -> None:
        """Caches made before entries had digests get the column; their entries read as misses."""
        if "digest" not in {row[1] for row in db.execute("PRAGMA table_info(briefings)")}:
            db.execute("ALTER TABLE briefings ADD COLUMN digest TEXT")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one transaction: committed on success, rolled back on error, closed.

        The table is created on every connection, so a file emptied behind our back still works.
        """
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # No disk flush per commit (each cost a batch ~20 ms, holding the write lock): a power
            # cut may lose the last entries, which are briefed again, but never tears the file.
            db.execute("PRAGMA synchronous=NORMAL")
            with db:
                db.execute(_TABLE)
                yield db
        finally:
            db.close()

    def _run(self, action: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """``action`` in one transaction, or ``fallback`` when the database cannot be used."""
        try:
            with self._connect() as db:
                return action(db)
        except sqlite3.OperationalError as exc:  # locked past the timeout, disk full, read-only...
            log.warning("result cache %s not used: %s", self.path, exc)
        except sqlite3.DatabaseError as exc:
            if type(exc) is not sqlite3.DatabaseError:  # integrity or programming errors are bugs
                raise
            # SQLITE_CORRUPT or SQLITE_NOTADB: the file is damaged; only a fresh one can be trusted
            log.warning("result cache %s is damaged (%s); starting an empty one", self.path, exc)
            self._start_afresh()
        return fallback

    def _start_afresh(self) -> None:
        for damaged in (
            self.path,
            self.path.with_name(self.path.name + "-wal"),
            self.path.with_name(self.path.name + "-shm"),
        ):
            damaged.unlink(missing_ok=True)
        with self._connect():
            pass

    def get(self, key: str, article: Article) -> Briefing | None:
        """The cached briefing, checked against its digest and re-validated against the article;
        None if absent or unusable (an unusable entry is deleted)."""
        row = self._run(
            lambda db: db.execute(
                "SELECT briefing, digest FROM briefings WHERE key = ?", (key,)
            ).fetchone(),
            None,
        )
        if row is None:
            return None
        text, digest = row
        if digest == _digest(text):
            try:
                return Briefing.model_validate_json(text, context={"article_text": article.text})
            except ValidationError:
                pass  # it was valid when stored: it cannot stand against this article any more
        # entries from before digests have none: not damaged, just unverifiable
        elif digest is not None:
            log.warning(
                "result cache entry %s for article %r is damaged; briefing it again",
                key[:12],
                article.id,
            )
        self.delete(key)
        return None

    def put(self, key: str, briefing: Briefing) -> None:
        text = briefing.model_dump_json()
        self._run(
            lambda db: db.execute(
                "INSERT OR REPLACE INTO briefings (key, article_id, created, briefing, digest) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, briefing.article.id, time.time(), text, _digest(text)),
            ),
            None,
        )

    def delete(self, key: str) -> None:
        self._run(lambda db: db.execute("DELETE FROM briefings WHERE key = ?", (key,)), None)

    def clear(self) -> int:
        """Remove every entry; returns how many there were (0 when a damaged file was replaced)."""

        def clear(db: sqlite3.Connection) -> int:
            count = int(db.execute("SELECT COUNT(*) FROM briefings").fetchone()[0])
            db.execute("DELETE FROM briefings")
            return count

        return self._run(clear, 0)

    def __len__(self) -> int:
        return self._run(
            lambda db: int(db.execute("SELECT COUNT(*) FROM briefings").fetchone()[0]), 0
        )
