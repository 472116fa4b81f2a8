"""Machine translation with MarianMT (Helsinki-NLP opus-mt), cached on disk; or translations from a file.

Models load by hub id or local folder. Nothing is downloaded when ``HF_HUB_OFFLINE=1`` or
``local_files_only=True``; a model that cannot be had raises
:class:`~aligner.errors.ModelUnavailableError` with one line saying how to get it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from .errors import ConfigError, InputError, ModelUnavailableError

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


class Translator(Protocol):
    """Translates sentences; ``key`` identifies the model and settings (cache key, provenance)."""

    key: str

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]: ...


# ---------------------------------------------------------------------------------------------
# The model registry (models/registry.toml).


@dataclass(frozen=True)
class ModelInfo:
    id: str
    source: str
    target: str
    architecture: str
    parameters_m: float
    size_mb: int
    licence: str


def _registry_text() -> str:
    """The registry shipped in the wheel, or ``models/registry.toml`` of a source checkout."""
    packaged = resources.files("aligner") / "model_registry.toml"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[1] / "models" / "registry.toml").read_text(encoding="utf-8")


def model_registry() -> list[ModelInfo]:
    return [ModelInfo(**entry) for entry in tomllib.loads(_registry_text())["model"]]


def default_model(source: str, target: str) -> ModelInfo:
    for info in model_registry():
        if (info.source, info.target) == (source, target):
            return info
    raise ConfigError(f"no known MarianMT model for {source}→{target}: name one with --model (hub id or local folder)")


# ---------------------------------------------------------------------------------------------
# Loading.


def pick_device(device: str | None = None) -> str:
    """``device`` as given, else CUDA when present, else CPU."""
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false") or os.environ.get("TRANSFORMERS_OFFLINE", "0") not in ("", "0", "false")


def _cached_snapshot(model: str, revision: str | None) -> bool:
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(model, "config.json", revision=revision)
    return isinstance(found, str)


def load_pretrained(model: str, tokenizer_class: Any, model_class: Any, revision: str | None = None, local_files_only: bool = False) -> tuple[Any, Any]:
    """Load a tokenizer and model from a local folder or a hub id (downloading unless offline)."""
    local = Path(model)
    remedy = (
        f"download it where the hub is reachable (huggingface-cli download {model}) and copy the cache, "
        f"or pass a local folder with --model"
    )
    if local.exists():
        if not (local / "config.json").is_file():
            raise ModelUnavailableError(f"{model}: not a model folder (no config.json)")
        source = str(local)
        local_files_only = True
    else:
        source = model
        if "/" not in model:
            raise ModelUnavailableError(f"model {model!r}: no such folder, and not a hub id of the form owner/name")
        if (local_files_only or offline()) and not _cached_snapshot(model, revision):
            raise ModelUnavailableError(f"model {model} is not in the local Hugging Face cache and downloads are off: {remedy}")
    try:
        tokenizer = tokenizer_class.from_pretrained(source, revision=revision, local_files_only=local_files_only)
        network_model = model_class.from_pretrained(source, revision=revision, local_files_only=local_files_only)
    except (OSError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ModelUnavailableError(f"model {model} could not be loaded ({reason}): {remedy}") from None
    return tokenizer, network_model


def _fingerprint(model: str, revision: str | None) -> str:
    """Model identity for the cache key: hub id and revision, or a local folder's config hash."""
    local = Path(model)
    if local.is_dir():
        digest = hashlib.sha256()
        for name in ("config.json", "model.safetensors", "pytorch_model.bin", "vocab.json"):
            file = local / name
            if file.is_file():
                digest.update(name.encode())
                digest.update(hashlib.sha256(file.read_bytes()).digest())
        return f"local:{digest.hexdigest()[:16]}"
    return f"{model}@{revision or 'main'}"


# ---------------------------------------------------------------------------------------------
# The on-disk cache.


def default_cache_path() -> Path:
    base = os.environ.get("ALIGNER_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aligner")
    return Path(base) / "translations.sqlite"


class TranslationCache:
    """Translations keyed by (model key, source text) in SQLite, shared by runs and documents."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS translation (model TEXT, source TEXT, target TEXT, PRIMARY KEY (model, source))")

    def get(self, model: str, sources: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(sources), 500):
            chunk = sources[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT source, target FROM translation WHERE model = ? AND source IN ({marks})", [model, *chunk])
            found.update(rows.fetchall())
        return found

    def put(self, model: str, pairs: dict[str, str]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO translation VALUES (?, ?, ?)", [(model, s, t) for s, t in pairs.items()])

    def close(self) -> None:
        self._db.close()


# ---------------------------------------------------------------------------------------------
# Translators.


class MarianTranslator:
    """Greedy (or small-beam) MarianMT translation in length-sorted batches.

    Special token ids are read from the loaded tokenizer and model config, never assumed:
    tc-big models use other ids than the base ones.
    """

    def __init__(
        self,
        model: str,
        revision: str | None = None,
        device: str | None = None,
        batch_size: int = 16,
        num_beams: int = 1,
        cache: TranslationCache | None = None,
        local_files_only: bool = False,
    ) -> None:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.model_name = model
        self.device = pick_device(device)
        self.batch_size = batch_size
        self.num_beams = num_beams
        self.cache = cache
        self.tokenizer, self.model = load_pretrained(model, AutoTokenizer, AutoModelForSeq2SeqLM, revision, local_files_only)
        if self.device.startswith("cuda"):
            self.model.half()
        self.model.to(self.device).eval()
        self.max_positions = int(getattr(self.model.config, "max_position_embeddings", 512) or 512)
        self.key = f"marian:{_fingerprint(model, revision)}:beams={num_beams}"

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]:
        unique = sorted(set(sentences))
        known = self.cache.get(self.key, unique) if self.cache else {}
        todo = [s for s in unique if s not in known]
        if progress:
            progress(len(sentences) - len(todo))
        if todo:
            fresh = self._generate(todo, progress)
            known.update(fresh)
            if self.cache:
                self.cache.put(self.key, fresh)
        return [known[s] for s in sentences]

    def _generate(self, sentences: list[str], progress: Progress | None) -> dict[str, str]:
        import torch

        lengths = {s: len(self.tokenizer(s, truncation=True, max_length=self.max_positions).input_ids) for s in sentences}
        ordered = sorted(sentences, key=lambda s: (lengths[s], s))
        out: dict[str, str] = {}
        for start in range(0, len(ordered), self.batch_size):
            batch = ordered[start : start + self.batch_size]
            encoded = self.tokenizer(batch, padding=True, truncation=True, max_length=self.max_positions, return_tensors="pt").to(self.device)
            longest = max(lengths[s] for s in batch)
            with torch.inference_mode():
                generated = self.model.generate(
                    **encoded,
                    num_beams=self.num_beams,
                    do_sample=False,
                    max_new_tokens=min(int(1.5 * longest) + 10, self.max_positions),
                )
            for source, text in zip(batch, self.tokenizer.batch_decode(generated, skip_special_tokens=True)):
                out[source] = text.strip()
            if progress:
                progress(sum(1 for _ in batch))
        return out


class FileTranslations:
    """Precomputed translations: line ``k`` of the file translates sentence ``k``."""

    def __init__(self, path: str | Path, encoding: str | None = None) -> None:
        from .read import read_lines

        self.path = str(path)
        self.lines = read_lines(path, encoding=encoding, keep_blank=True).paragraphs
        self.key = f"file:{hashlib.sha256(json.dumps(self.lines).encode()).hexdigest()[:16]}"

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]:
        if len(self.lines) != len(sentences):
            raise InputError(
                f"{self.path}: has {len(self.lines)} lines but the source has {len(sentences)} sentences "
                "(one translation per source sentence is needed; segment with --presegmented to control the count)"
            )
        if progress:
            progress(len(sentences))
        return list(self.lines)
