"""On-disk caches shared by runs, documents and worker processes: translations and embeddings.

One SQLite file per kind under ``$ALIGNER_CACHE_DIR`` (default ``~/.cache/aligner``), keyed by
(model key, text). WAL mode and a busy timeout let several processes read and write at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Generic, TypeVar

Value = TypeVar("Value", str, bytes)

CHUNK = 500

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    base = os.environ.get("ALIGNER_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "aligner"


class KeyValueCache(Generic[Value]):
    """``(model, key) → value`` in one SQLite table. A cache that cannot be opened, read or
    written (a damaged file, a full disk, ``$ALIGNER_CACHE_DIR`` naming a file) is said once and
    left out: the run goes on without it (it ended in a traceback)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        try:
            if self.path.parent.exists() and not self.path.parent.is_dir():
                raise NotADirectoryError(f"{self.path.parent} is not a folder")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=120)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS entry (model TEXT, key TEXT, value BLOB, PRIMARY KEY (model, key))")
        except (OSError, sqlite3.Error) as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        reason = error.args[0] if isinstance(error, NotADirectoryError) else getattr(error, "strerror", None) or str(error)
        log.warning(
            "%s: the cache cannot be used (%s): running without it (delete the file, set ALIGNER_CACHE_DIR, or use --no-cache)",
            self.path,
            reason,
        )
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def get(self, model: str, keys: list[str]) -> dict[str, Value]:
        found: dict[str, Value] = {}
        if self._db is None:
            return found
        try:
            for start in range(0, len(keys), CHUNK):
                chunk: list[str] = keys[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT key, value FROM entry WHERE model = ? AND key IN ({marks})", [model, *chunk])
                found.update(rows.fetchall())
        except sqlite3.Error as error:
            self._give_up(error)
        return found

    def put(self, model: str, values: dict[str, Value]) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", [(model, k, v) for k, v in values.items()])
        except sqlite3.Error as error:
            self._give_up(error)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


class TranslationCache(KeyValueCache[str]):
    """Translations keyed by (translator key, source sentence)."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or cache_dir() / "translations.sqlite")


class EmbeddingCache(KeyValueCache[bytes]):
    """Sentence vectors (float32 bytes) keyed by (encoder name, text)."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or cache_dir() / "embeddings.sqlite")
