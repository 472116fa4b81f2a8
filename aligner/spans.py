"""Span ids: every run of up to ``longest`` neighbouring sentences of a document, numbered so
that a bead's two sides can be featurised once per span, however many beads hold it. The
``length`` sentences from ``start`` of a document of ``n`` are span ``(length - 1) * n + start``;
ids whose span would run past the end are unused."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def span_ids(starts: np.ndarray, lengths: np.ndarray, n: int) -> np.ndarray:
    """Span id of ``lengths`` sentences starting at ``starts`` in a document of ``n``."""
    return (lengths - 1) * n + starts


def span_texts(sentences: list[str], longest: int) -> list[str]:
    """Texts of every span id up to ``longest`` sentences, joined by spaces ("" where unused)."""
    n = len(sentences)
    return [" ".join(sentences[i : i + length]) if i + length <= n else "" for length in range(1, longest + 1) for i in range(n)]


def valid_span_ids(n: int, longest: int) -> np.ndarray:
    """The span ids that cover sentences of a document of ``n`` (spans up to ``longest``)."""
    return np.concatenate(
        [np.arange(n - length + 1) + (length - 1) * n for length in range(1, min(longest, n) + 1)] or [np.zeros(0, dtype=np.int64)]
    )


def span_cover(n: int, longest: int, fewer: int = 0) -> sparse.csr_matrix:
    """Span id by item: each span of ``length`` sentences from ``start`` holds the items
    ``start .. start + length - fewer - 1`` (with ``fewer=0``, its sentences; with 1, the joins
    between them, join ``k`` lying between sentences ``k`` and ``k + 1``)."""
    rows, columns = [], []
    for length in range(1, longest + 1):
        starts = np.arange(max(n - length + 1, 0))
        held = max(length - fewer, 0)
        rows.append(np.repeat((length - 1) * n + starts, held))
        columns.append((starts[:, None] + np.arange(held)[None, :]).ravel())
    row, column = np.concatenate(rows), np.concatenate(columns)
    return sparse.csr_matrix((np.ones(len(row), dtype=np.float32), (row, column)), shape=(n * longest, n))
