"""Peer aligners' bead scores, reimplemented on aligner's search for side-by-side evaluation.

Both use only sentence embeddings (the same encoder as aligner's embedding signal) and the same
bead shapes and full dynamic programme, so that an evaluation compares
scoring functions, not implementations:

- :class:`VecalignScorer` — Vecalign (Thompson and Koehn 2019): cost ``(1 - cos(x, y)) · n_x ·
  n_y`` divided by the mean ``1 - cos`` of ``x`` and ``y`` against a sample of the other side; a
  skip costs the 20th percentile of the document's 1-1 costs.
- :class:`BertalignScorer` — Bertalign (Liu and Zhu 2022, its second pass): cosine similarity
  minus the similarity of each span to the sentences just before and after the other span
  (averaged over both sides: its margin), times the length penalty ``log2(1 + min/max)`` of the
  two character lengths, the target's scaled by the document's character ratio; a skip scores
  −0.1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .score import AlignmentInput, BeadScorer, EmbeddingSignal, Encoder, ScoreWeights, span_lengths
from .spans import span_ids

VECALIGN_SKIP_PERCENTILE = 20
BERTALIGN_SKIP = 0.1


#: Both peers embed a multi-sentence span as its joined text; here joins of two sentences are
#: encoded and longer spans summed from those (encoding every join up to four sentences costs
#: four times the encoder time; on the Text+Berg article it moves Bertalign's strict F1 by 0.02).
PEER_ENCODED_SPAN = 2


class _EmbeddingOnlyScorer(BeadScorer):
    def __init__(self, encoder: Encoder) -> None:
        self.embedding = EmbeddingSignal(encoder, encoded_span=PEER_ENCODED_SPAN, centred=False)
        super().__init__([self.embedding], ScoreWeights())

    def form_penalty(self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        return np.zeros(len(src_len))  # the peer's own bead score only

    def skip_gains(self, sentences: np.ndarray, source: bool) -> np.ndarray:
        return np.full(len(sentences), -self.weights.skip)  # the peer's own skip score

    def _fit_replacement_gain(self) -> None:
        self.replacement_gain = 0.0  # the peer's own search

    def one_to_one_block(self, src_index: np.ndarray, tgt_index: np.ndarray) -> np.ndarray:
        src_grid = np.repeat(src_index, len(tgt_index))
        tgt_grid = np.tile(tgt_index, len(src_index))
        ones = np.ones(len(src_grid), dtype=np.int64)
        return self.gains(src_grid, ones, tgt_grid, ones).reshape(len(src_index), len(tgt_index))


class VecalignScorer(_EmbeddingOnlyScorer):
    def fit(self, data: AlignmentInput) -> None:
        super().fit(data)
        n, m = self.n_src, self.n_tgt
        ones_src, ones_tgt = np.ones(n, dtype=np.int64), np.ones(m, dtype=np.int64)
        costs = -self.gains(np.repeat(np.arange(n), m), np.repeat(ones_src, m), np.tile(np.arange(m), n), np.tile(ones_tgt, n))
        self.weights = ScoreWeights(skip=float(np.percentile(costs, VECALIGN_SKIP_PERCENTILE)))

    def signal_scores(
        self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray
    ) -> dict[str, np.ndarray]:
        src_spans = span_ids(src_start, src_len, self.n_src)
        tgt_spans = span_ids(tgt_start, tgt_len, self.n_tgt)
        margin = self._margins["embedding"]
        cosine = self.embedding.pairs(src_spans, tgt_spans)
        normaliser = (1 - margin.src_baseline[src_spans]) + (1 - margin.tgt_baseline[tgt_spans])
        cost = (1 - cosine) * src_len * tgt_len / np.maximum(normaliser / 2, 1e-6)
        return {"embedding": cosine, "cost": cost}

    def combine(self, scores: dict[str, np.ndarray], *_: Any, **__: Any) -> np.ndarray:  # the bead's size plays no part
        return -scores["cost"]


class BertalignScorer(_EmbeddingOnlyScorer):
    def fit(self, data: AlignmentInput) -> None:
        super().fit(data)
        self.weights = ScoreWeights(skip=BERTALIGN_SKIP)
        self._lengths = (span_lengths(data.src, data.max_span), span_lengths(data.tgt, data.max_span))
        total_tgt = sum(len(t) for t in data.tgt)
        self._char_ratio = sum(len(s) for s in data.src) / total_tgt if total_tgt else 1.0

    def _neighbour_similarity(self, spans: np.ndarray, start: np.ndarray, length: np.ndarray, count: int, other_is_src: bool) -> np.ndarray:
        """Mean similarity of ``spans`` (of the one side) to the sentences just before and after the
        other side's span (one of them at a document's edge; 0 with neither)."""
        total, seen = np.zeros(len(spans)), np.zeros(len(spans))
        for neighbour in (start - 1, start + length):
            inside = np.flatnonzero((neighbour >= 0) & (neighbour < count))
            if len(inside):
                pair = (neighbour[inside], spans[inside]) if other_is_src else (spans[inside], neighbour[inside])
                total[inside] += self.embedding.pairs(*pair)
                seen[inside] += 1
        return total / np.maximum(seen, 1)

    def signal_scores(
        self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray
    ) -> dict[str, np.ndarray]:
        src_spans = span_ids(src_start, src_len, self.n_src)
        tgt_spans = span_ids(tgt_start, tgt_len, self.n_tgt)
        cosine = self.embedding.pairs(src_spans, tgt_spans)
        around_tgt = self._neighbour_similarity(src_spans, tgt_start, tgt_len, self.n_tgt, other_is_src=False)
        around_src = self._neighbour_similarity(tgt_spans, src_start, src_len, self.n_src, other_is_src=True)
        margin = cosine - (around_tgt + around_src) / 2
        a, b = self._lengths[0][src_spans], self._lengths[1][tgt_spans] * self._char_ratio
        penalty = np.log2(1 + np.minimum(a, b) / np.maximum(np.maximum(a, b), 1))
        return {"embedding": cosine, "score": margin * penalty}

    def combine(self, scores: dict[str, np.ndarray], *_: Any, **__: Any) -> np.ndarray:  # the bead's size plays no part
        return scores["score"]
