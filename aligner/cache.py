"""On-disk caches shared by runs, documents and worker processes: translations and embeddings.

One SQLite file per kind under ``$ALIGNER_CACHE_DIR`` (default ``~/.cache/aligner``), keyed by
(model key, text). WAL mode and a busy timeout let several processes read and write at once.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Generic, TypeVar

Value = TypeVar("Value", str, bytes)

CHUNK = 500


def cache_dir() -> Path:
    base = os.environ.get("ALIGNER_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")) / "aligner"


class KeyValueCache(Generic[Value]):
    """``(model, key) → value`` in one SQLite table."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=120)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS entry (model TEXT, key TEXT, value BLOB, PRIMARY KEY (model, key))")

    def get(self, model: str, keys: list[str]) -> dict[str, Value]:
        found: dict[str, Value] = {}
        for start in range(0, len(keys), CHUNK):
            chunk: list[str] = keys[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, value FROM entry WHERE model = ? AND key IN ({marks})", [model, *chunk])
            found.update(rows.fetchall())
        return found

    def put(self, model: str, values: dict[str, Value]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)", [(model, k, v) for k, v in values.items()])

    def close(self) -> None:
        self._db.close()


class TranslationCache(KeyValueCache[str]):
    """Translations keyed by (translator key, source sentence)."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or cache_dir() / "translations.sqlite")


class EmbeddingCache(KeyValueCache[bytes]):
    """Sentence vectors (float32 bytes) keyed by (encoder name, text)."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path or cache_dir() / "embeddings.sqlite")
