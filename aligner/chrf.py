"""Exact sentence chrF (sacrebleu's definition) between spans of sentences, from sparse
character n-gram matrices: the MT similarity signal's measure and the checks' chrF."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .spans import span_cover

CHRF_ORDER = 6
CHRF_BETA = 2.0
_HASH_PRIME = np.uint64(1099511628211)
_HASH_OFFSET = np.uint64(14695981039346656037)
#: Span pairs scored at a time by :meth:`ChrfSpans.pairs` (bounds the memory of their n-gram rows).
PAIRS_CHUNK = 16384


def _ngram_hashes(stripped: list[str]) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray]], np.ndarray]:
    """Char n-grams of each text for chrF (texts with their whitespace removed, as sacrebleu does).

    N-grams are hashed with 64-bit FNV over code points, which is deterministic across runs.
    Returns, per order, ``(rows, starts, hashes)`` (each n-gram's text, its start within the
    stripped text, its hash), and the stripped lengths.
    """
    lengths = np.fromiter((len(t) for t in stripped), dtype=np.int64, count=len(stripped))
    codes = np.frombuffer("".join(stripped).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    row_of_char = np.repeat(np.arange(len(stripped), dtype=np.int64), lengths)
    position = np.arange(len(codes), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    room = np.repeat(lengths, lengths) - position  # characters left from each position
    per_order = []
    hashes = np.full(len(codes), _HASH_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for order in range(1, CHRF_ORDER + 1):
            shifted = np.zeros(len(codes), dtype=np.uint64)
            ahead = max(len(codes) - order + 1, 0)  # texts shorter than the order have no such n-gram
            shifted[:ahead] = codes[order - 1 : order - 1 + ahead]
            hashes = (hashes ^ shifted) * _HASH_PRIME
            valid = room >= order
            per_order.append((row_of_char[valid], position[valid], hashes[valid]))
    return per_order, lengths


def chrf_from_statistics(matches: np.ndarray, hyp_totals: np.ndarray, ref_totals: np.ndarray) -> np.ndarray:
    """sacrebleu's sentence chrF (beta 2, effective-order averaging) on 0-1, vectorised.

    All arrays are ``(k, order)``: per pair and n-gram order, matched, hypothesis and reference
    n-gram counts.
    """
    effective = (hyp_totals > 0) & (ref_totals > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(effective, matches / np.maximum(hyp_totals, 1), 0.0)
        recall = np.where(effective, matches / np.maximum(ref_totals, 1), 0.0)
    n_effective = effective.sum(axis=1)
    avg_precision = np.where(n_effective > 0, precision.sum(1) / np.maximum(n_effective, 1), 0.0)
    avg_recall = np.where(n_effective > 0, recall.sum(1) / np.maximum(n_effective, 1), 0.0)
    factor = CHRF_BETA**2
    denominator = factor * avg_precision + avg_recall
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(denominator > 0, (1 + factor) * avg_precision * avg_recall / denominator, 0.0)
    return score


class _Units:
    """One side's n-gram hashes per *unit*: each sentence, then each join of two neighbours
    (the n-grams that cross it: a span's joined text holds its sentences' n-grams and those of
    its joins). A join sees five characters either side, so an n-gram across a sentence shorter
    than five characters into a third one is left out (chrF differs there from the joined text's)."""

    def __init__(self, sentences: list[str], longest: int) -> None:
        n = len(sentences)
        self.n = n
        keep = CHRF_ORDER - 1
        stripped = ["".join(text.split()) for text in sentences]
        tails = [text[-keep:] for text in stripped[:-1]]
        joins = [tail + head[:keep] for tail, head in zip(tails, stripped[1:])]
        sentence_grams, self.lengths = _ngram_hashes(stripped)
        join_grams, _ = _ngram_hashes(joins)
        tail_length = np.array([len(t) for t in tails], dtype=np.int64)
        self.grams: list[tuple[np.ndarray, np.ndarray]] = []
        for order, ((rows, _, hashes), (join_rows, starts, join_hashes)) in enumerate(zip(sentence_grams, join_grams), start=1):
            crossing = (
                (starts < tail_length[join_rows]) & (starts + order > tail_length[join_rows]) if len(join_rows) else np.zeros(0, bool)
            )
            self.grams.append((np.concatenate([rows, n + join_rows[crossing]]), np.concatenate([hashes, join_hashes[crossing]])))
        # span id -> units: its sentences and the joins between them
        sentences_of = span_cover(n, longest)
        joins_of = span_cover(n, longest, fewer=1)
        self.cover = sparse.hstack([sentences_of, joins_of], format="csr")  # units: n sentences, then n - 1 joins and one unused
        span_chars = sentences_of @ self.lengths
        self.totals = np.maximum(span_chars[:, None] - np.arange(CHRF_ORDER)[None, :], 0)


class ChrfSpans:
    """chrF between spans of hypothesis sentences and spans of reference sentences.

    Each sentence (and each join of neighbours) is counted once as a row of n-gram counts; a
    span's counts are the sum of its units', made when a pair is scored, so a document costs its
    own characters, not its spans' (``longest`` times more). Matched n-grams are
    ``sum_g min(count_g, count'_g)``.
    """

    def __init__(self, hypotheses: list[str], references: list[str], longest: int = 1) -> None:
        hyp, ref = _Units(hypotheses, longest), _Units(references, longest)
        self.hyp_cover, self.ref_cover = hyp.cover, ref.cover
        self.hyp_totals, self.ref_totals = hyp.totals, ref.totals
        self.hyp_sentences, self.ref_sentences = hyp.n, ref.n
        self._unary_cache: dict[int, tuple[sparse.csr_matrix, sparse.csr_matrix]] = {}
        self.hyp_counts: list[sparse.csr_matrix] = []
        self.ref_counts: list[sparse.csr_matrix] = []
        for (hyp_rows, hyp_hashes), (ref_rows, ref_hashes) in zip(hyp.grams, ref.grams):
            _, columns = np.unique(np.concatenate([hyp_hashes, ref_hashes]), return_inverse=True)
            width = int(columns.max()) + 1 if len(columns) else 1
            split = len(hyp_hashes)
            for rows, cols, units, out in (
                (hyp_rows, columns[:split], 2 * hyp.n, self.hyp_counts),
                (ref_rows, columns[split:], 2 * ref.n, self.ref_counts),
            ):
                out.append(
                    sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(units, width))
                )  # duplicates summed

    def _sentence_unary(self, order: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Both sides' sentences as unary rows of one order (made on first use)."""
        if order not in self._unary_cache:
            hyp = self.hyp_counts[order][: self.hyp_sentences]
            ref = self.ref_counts[order][: self.ref_sentences]
            most = np.maximum(hyp.max(axis=0).toarray().ravel(), ref.max(axis=0).toarray().ravel()).astype(np.int64)
            offsets = np.concatenate([[0], np.cumsum(most)])
            self._unary_cache[order] = (_unary(hyp, offsets), _unary(ref, offsets))
        return self._unary_cache[order]

    def _span_counts(self, hyp_ids: np.ndarray, ref_ids: np.ndarray, order: int, sort: bool) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """N-gram counts of the given spans: each distinct span summed once, then its row repeated."""
        return _spans(self.hyp_cover, self.hyp_counts[order], hyp_ids, sort), _spans(self.ref_cover, self.ref_counts[order], ref_ids, sort)

    def pairs(self, hyp_ids: np.ndarray, ref_ids: np.ndarray) -> np.ndarray:
        matches = np.zeros((len(hyp_ids), CHRF_ORDER))
        for first in range(0, len(hyp_ids), PAIRS_CHUNK):
            part = slice(first, first + PAIRS_CHUNK)
            for order in range(CHRF_ORDER):
                hyp, ref = self._span_counts(hyp_ids[part], ref_ids[part], order, sort=True)
                matches[part, order] = np.asarray(hyp.minimum(ref).sum(axis=1)).ravel()
        return chrf_from_statistics(matches, self.hyp_totals[hyp_ids], self.ref_totals[ref_ids])

    def matrix(self, hyp_ids: np.ndarray, ref_ids: np.ndarray) -> np.ndarray:
        shape = (len(hyp_ids), len(ref_ids), CHRF_ORDER)
        matches = np.zeros(shape)
        sentences = hyp_ids.max(initial=0) < self.hyp_sentences and ref_ids.max(initial=0) < self.ref_sentences
        for order in range(CHRF_ORDER):
            if sentences:  # the first pass's 1-1 blocks
                hyp, ref = self._sentence_unary(order)
                matches[:, :, order] = (hyp[hyp_ids] @ ref[ref_ids].T).toarray()
            else:
                matches[:, :, order] = _min_sum_matrix(*self._span_counts(hyp_ids, ref_ids, order, sort=False))
        hyp_totals = np.broadcast_to(self.hyp_totals[hyp_ids][:, None, :], shape)
        ref_totals = np.broadcast_to(self.ref_totals[ref_ids][None, :, :], shape)
        flat = chrf_from_statistics(matches.reshape(-1, CHRF_ORDER), hyp_totals.reshape(-1, CHRF_ORDER), ref_totals.reshape(-1, CHRF_ORDER))
        return flat.reshape(shape[:2])


def _unary(counts: sparse.csr_matrix, offsets: np.ndarray) -> sparse.csr_matrix:
    """Binary rows in which the ``c``-th occurrence of n-gram ``g`` is column ``offsets[g] + c``:
    the product of two such rows is ``sum_g min(count_g, count'_g)``."""
    repeats = counts.data.astype(np.int64)
    rows = np.repeat(np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr)), repeats)
    starts = np.repeat(offsets[counts.indices], repeats)
    occurrence = np.arange(len(starts)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    shape = (counts.shape[0], int(offsets[-1]))
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, starts + occurrence)), shape=shape)


def _spans(cover: sparse.csr_matrix, counts: sparse.csr_matrix, ids: np.ndarray, sort: bool) -> sparse.csr_matrix:
    """The n-gram counts of spans ``ids`` (``sort``: their columns in order, which the
    elementwise minimum of :meth:`ChrfSpans.pairs` needs to be fast; products do not)."""
    distinct, inverse = np.unique(ids, return_inverse=True)
    summed = cover[distinct] @ counts
    if sort:
        summed.sort_indices()
    return summed[inverse]


def _min_sum_matrix(hyp: sparse.csr_matrix, ref: sparse.csr_matrix) -> np.ndarray:
    """``sum_g min(hyp[i, g], ref[j, g])`` for every row pair, as ``sum_c [hyp >= c] [ref >= c]``:
    one product of binary matrices per count level."""
    total = np.zeros((hyp.shape[0], ref.shape[0]))
    hyp, ref = hyp.copy(), ref.copy()
    while hyp.nnz and ref.nnz:
        total += (_ones(hyp) @ _ones(ref).T).toarray()
        for counts in (hyp, ref):
            counts.data -= 1
            counts.eliminate_zeros()
    return total


def _ones(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones_like(counts.data), counts.indices, counts.indptr), shape=counts.shape)
