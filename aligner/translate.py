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
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from .cache import TranslationCache
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
    return os.environ.get("HF_HUB_OFFLINE", "0") not in ("", "0", "false") or os.environ.get("TRANSFORMERS_OFFLINE", "0") not in (
        "",
        "0",
        "false",
    )


#: How long the one probe of the hub waits before the run goes on as if offline.
HUB_PROBE_SECONDS = 3.0
_hub_reachable: bool | None = None


def hub_reachable() -> bool:
    """Whether the Hugging Face hub (``HF_ENDPOINT``, default huggingface.co) answers a TCP
    connection within ``HUB_PROBE_SECONDS``: probed once a process, so that a machine without
    network does not wait through the hub client's retries for every model."""
    global _hub_reachable
    if _hub_reachable is None:
        import socket
        from urllib.parse import urlparse

        endpoint = urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
        port = endpoint.port or (80 if endpoint.scheme == "http" else 443)
        try:
            socket.create_connection((endpoint.hostname or "huggingface.co", port), timeout=HUB_PROBE_SECONDS).close()
            _hub_reachable = True
        except OSError:
            _hub_reachable = False
            log.info("the Hugging Face hub cannot be reached: models come from the local cache only")
    return _hub_reachable


def _cached_snapshot(model: str, revision: str | None) -> bool:
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(model, "config.json", revision=revision)
    return isinstance(found, str)


def _is_hub_id(model: str) -> bool:
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(model)
    except HFValidationError:
        return False
    return "/" in model


def load_pretrained(
    model: str, tokenizer_class: Any, model_class: Any, revision: str | None = None, local_files_only: bool = False
) -> tuple[Any, Any]:
    """Load a tokenizer and model from a local folder or a hub id (downloading unless offline)."""
    local = Path(model)
    remedy = (
        f"download it where the hub is reachable (huggingface-cli download {model}) and copy the cache, or pass a local folder with --model"
    )
    if local.exists():
        if not (local / "config.json").is_file():
            raise ModelUnavailableError(f"{model}: not a model folder (no config.json)")
        source = str(local)
        local_files_only = True
    else:
        source = model
        if not _is_hub_id(model):
            raise ModelUnavailableError(f"model {model!r}: no such folder, and not a hub id of the form owner/name")
        if not (local_files_only or offline()) and not hub_reachable():
            local_files_only = True
        if (local_files_only or offline()) and not _cached_snapshot(model, revision):
            raise ModelUnavailableError(
                f"model {model} is not in the local Hugging Face cache and cannot be downloaded now (offline): {remedy}"
            )
    _quiet_hub_logging()
    try:
        tokenizer = tokenizer_class.from_pretrained(source, revision=revision, local_files_only=local_files_only)
        network_model = model_class.from_pretrained(source, revision=revision, local_files_only=local_files_only)
    except (OSError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ModelUnavailableError(f"model {model} could not be loaded ({reason}): {remedy}") from None
    return tokenizer, network_model


def _quiet_hub_logging() -> None:
    """Keep the hub's per-retry warnings (set up by the libraries on import) out of the user's
    way unless debugging: a model that cannot be had is reported in one line instead."""
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        for name in ("huggingface_hub", "transformers"):
            logging.getLogger(name).setLevel(logging.ERROR)


def fingerprint(model: str, revision: str | None) -> str:
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
        self.key = f"marian:{fingerprint(model, revision)}:beams={num_beams}"

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
            encoded = self.tokenizer(batch, padding=True, truncation=True, max_length=self.max_positions, return_tensors="pt").to(
                self.device
            )
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

    def cross_entropy(self, sources: list[str], targets: list[str], progress: Progress | None = None) -> list[float]:
        """Per-token cross-entropy (nats) of each target given its source, by teacher forcing.

        One forward pass per batch, no generation: labels are the target's pieces (``</s>``
        included, padding masked to -100), the ``<pad>`` logit is masked out of the softmax, and
        each sentence's log-probability is summed over its own tokens only. Batches are sorted by
        length, so padding stays small and results do not depend on batch composition.
        """
        import torch

        if len(sources) != len(targets):
            raise ValueError("sources and targets differ in length")
        pad_id = self.tokenizer.pad_token_id
        order = sorted(range(len(sources)), key=lambda k: (len(sources[k]) + len(targets[k]), k))
        result = [0.0] * len(sources)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            encoded = self.tokenizer(
                [sources[k] for k in batch],
                text_target=[targets[k] for k in batch],
                padding=True,
                truncation=True,
                max_length=self.max_positions,
                return_tensors="pt",
            ).to(self.device)
            labels = encoded.pop("labels")
            labels = labels.masked_fill(labels == pad_id, -100)
            with torch.inference_mode():
                logits = self.model(**encoded, labels=labels).logits.float()
                logits[..., pad_id] = -torch.inf
                token_log_probs = torch.log_softmax(logits, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
                mask = labels != -100
                totals = (token_log_probs * mask).sum(-1)
                counts = mask.sum(-1).clamp(min=1)
            for k, value in zip(batch, (-totals / counts).tolist()):
                result[k] = float(value)
            if progress:
                progress(len(batch))
        return result


class FileTranslations:
    """Precomputed translations: line ``k`` of the file translates sentence ``k``."""

    def __init__(self, path: str | Path, encoding: str | None = None, side: str = "source") -> None:
        from .read import read_lines

        self.path = str(path)
        self.side = side
        self.lines = read_lines(path, encoding=encoding, keep_blank=True).paragraphs
        self.key = f"file:{hashlib.sha256(json.dumps(self.lines).encode()).hexdigest()[:16]}"

    def translate(self, sentences: list[str], progress: Progress | None = None) -> list[str]:
        if len(self.lines) != len(sentences):
            raise InputError(
                f"{self.path}: has {len(self.lines)} lines but the {self.side} has {len(sentences)} sentences "
                f"(one translation per {self.side} sentence is needed; segment with --presegmented to control the count)"
            )
        if progress:
            progress(len(sentences))
        return list(self.lines)
