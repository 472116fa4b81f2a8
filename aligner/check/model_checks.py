"""Checks that need a model: forced decoding, chrF of machine translation, embeddings."""

from __future__ import annotations

import numpy as np

from ..embed import centred_unit_vectors
from ..models import SharedModels
from ..score import single_threaded_blas
from .base import MIN_BATCH, BaseCheck, PairBatch, sentence_chrf
from .rules import names_without_counterpart


class ForcedDecodingCheck(BaseCheck):
    """Dual conditional cross-entropy (Junczys-Dowmunt 2018) from MarianMT forced decoding.

    ``H_f`` and ``H_b`` are the per-token cross-entropies of the target given the source and of
    the source given the target; the pair's quality is ``exp(-(|H_f - H_b| + (H_f + H_b) / 2))``:
    high when both directions find the pair likely, and agree on it.
    """

    name = "forced_decoding"
    reason = "unlikely translation (forced decoding)"
    threshold = 0.05

    def quality(self, pairs: PairBatch) -> np.ndarray:
        forward = np.array(self.models.translator(pairs.src_lang, pairs.tgt_lang).cross_entropy(pairs.src, pairs.tgt))
        backward = np.array(self.models.translator(pairs.tgt_lang, pairs.src_lang).cross_entropy(pairs.tgt, pairs.src))
        return dual_cross_entropy_quality(forward, backward)


def dual_cross_entropy_quality(forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
    return np.exp(-(np.abs(forward - backward) + (forward + backward) / 2))


class ChrfCheck(BaseCheck):
    """chrF of the machine-translated source against the target (both directions averaged when
    both translations are there)."""

    name = "chrf"
    reason = "MT of the source does not match the target"
    threshold = 0.2

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src_translation = pairs.src_translation
        if src_translation is None and pairs.tgt_translation is None:
            src_translation = self.models.translator(pairs.src_lang, pairs.tgt_lang).translate(pairs.src)
        scores = []
        if src_translation is not None:
            scores.append(sentence_chrf(src_translation, pairs.tgt))
        if pairs.tgt_translation is not None:
            scores.append(sentence_chrf(pairs.tgt_translation, pairs.src))
        return np.mean(scores, axis=0)


def batch_vectors(models: SharedModels, pairs: PairBatch) -> tuple[np.ndarray, np.ndarray] | None:
    """Both sides' sentence vectors, or None for a batch too small to have typical values."""
    if len(pairs) < MIN_BATCH:
        return None
    encoder = models.encoder()
    return encoder.encode(pairs.src), encoder.encode(pairs.tgt)


class EmbeddingCheck(BaseCheck):
    """Cosine similarity of sentence embeddings, as a margin over unrelated pairs of the batch.

    Raw cosines depend on the model (e5 puts unrelated sentences near 0.75); the margin does not:
    ``m = (cos - mean_unrelated) / (cos_typical - mean_unrelated)``, where unrelated pairs are each
    source against the other targets of the batch, and the typical cosine is the batch median.
    Quality is ``m / FULL_MARGIN`` capped at 1: a pair at half the typical margin or more is fine
    (free translations score lower than literal ones), one near 0 is unrelated. Needs at least
    ``MIN_BATCH`` pairs; below that it does not apply.
    """

    name = "embedding"
    reason = "meanings differ (embeddings)"
    threshold = 0.5
    weight = 0.25
    FULL_MARGIN = 1.0

    def quality(self, pairs: PairBatch) -> np.ndarray:
        n = len(pairs)
        vectors = batch_vectors(self.models, pairs)
        if vectors is None:
            return np.full(n, np.nan)
        src, tgt = vectors
        with single_threaded_blas():
            similarity = src @ tgt.T
        cosine = np.diag(similarity).astype(np.float64)
        unrelated = (similarity.sum(axis=1) + similarity.sum(axis=0) - 2 * cosine) / (2 * (n - 1))
        typical = float(np.median(cosine - unrelated))
        margin = (cosine - unrelated) / max(typical, 1e-3)
        return np.clip(margin / self.FULL_MARGIN, 0.0, 1.0)


class NeighboursCheck(BaseCheck):
    """A pair whose neighbours fit better: misaligned by one.

    With ``own`` the cosine of the pair's embeddings and ``neighbour`` the best cosine of its
    source with the previous or next target, or of its target with the previous or next source,
    ``d = own - neighbour``; the quality is ``0.5 + 0.5 * d / typical`` (clipped), with
    ``typical`` the batch's median ``d``: 1 for a pair as clear as most, 0.5 where a neighbour
    fits as well as its own partner, 0 where it fits much better. Pairs keep their input order,
    so neighbours are the previous and next pairs of the document (or corpus file).
    """

    name = "neighbours"
    reason = "a neighbour fits better (misaligned)"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        n = len(pairs)
        vectors = batch_vectors(self.models, pairs)
        if vectors is None:
            return np.full(n, np.nan)
        src, tgt = (v.astype(np.float64) for v in vectors)
        own = np.einsum("ij,ij->i", src, tgt)
        neighbour = np.full(n, -np.inf)
        for shift in (-1, 1):
            rows = np.arange(max(0, -shift), min(n, n - shift))
            # a neighbour holding the very same text (a repeated line, or this pair's target
            # copied next door) cannot tell which of the two is right: it is not compared
            other_tgt = np.array([pairs.tgt[k + shift] != pairs.tgt[k] for k in rows], dtype=bool)
            other_src = np.array([pairs.src[k + shift] != pairs.src[k] for k in rows], dtype=bool)
            across = np.einsum("ij,ij->i", src[rows], tgt[rows + shift])
            neighbour[rows] = np.maximum(neighbour[rows], np.where(other_tgt, across, -np.inf))
            across = np.einsum("ij,ij->i", src[rows + shift], tgt[rows])
            neighbour[rows] = np.maximum(neighbour[rows], np.where(other_src, across, -np.inf))
        difference = np.where(np.isfinite(neighbour), own - neighbour, np.inf)
        typical = max(float(np.median(difference[np.isfinite(difference)])) if np.isfinite(difference).any() else 1.0, 1e-3)
        return np.clip(0.5 + 0.5 * difference / typical, 0.0, 1.0)


class NameSwapCheck(BaseCheck):
    """A target name that looks swapped in for a source name: put the source's name back and
    see whether the pair means the same much more.

    For a pair where a target name matches nothing in the source sentence and a source name
    nothing in the target, each such source name is tried in place of each such target name (at
    most ``MOST_NAMES`` of each); ``gain`` is the best rise in the (centred) embedding cosine of the
    source with the repaired target. A name the translation renders in its own words ("Germany"
    for "Almanya") gains little when "Almanya" is put in its place: the encoder reads both alike;
    "Obama" put where the source says "Putin" gains much more. Quality is ``1 - gain /
    FULL_GAIN``, clipped; pairs without such names are not judged (``nan``).
    """

    name = "name_swap"
    reason = "a name looks swapped (embeddings)"
    threshold = 0.4  # 2% of the good pairs judged fall below (the development sets)
    weight = 1.5
    MOST_NAMES = 3
    FULL_GAIN = 0.2

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        target_names = names_without_counterpart(pairs.tgt, pairs.tgt_lang, pairs.src, pairs.src_lang)
        source_names = names_without_counterpart(pairs.src, pairs.src_lang, pairs.tgt, pairs.tgt_lang)
        judged = [k for k in range(len(pairs)) if target_names[k] and source_names[k]]
        if not judged:
            return out
        texts: list[str] = []
        repairs: list[tuple[int, int, int]] = []  # (pair, its source text, first and last repair)
        for k in judged:
            first = len(texts)
            texts += [pairs.src[k], pairs.tgt[k]]
            for start, end, _ in target_names[k][: self.MOST_NAMES]:
                texts += [pairs.tgt[k][:start] + name + pairs.tgt[k][end:] for _, _, name in source_names[k][: self.MOST_NAMES]]
            repairs.append((k, first, len(texts)))
        encoder = self.models.encoder()
        centre = getattr(getattr(encoder, "statistics", None), "centre", None)
        vectors = centred_unit_vectors(encoder.encode(texts).astype(np.float64), centre)
        for k, first, last in repairs:
            cosines = vectors[first + 1 : last] @ vectors[first]
            gain = float(cosines[1:].max() - cosines[0])
            out[k] = float(np.clip(1 - gain / self.FULL_GAIN, 0.0, 1.0))
        return out
