from __future__ import annotations

import numpy as np
import pytest

from aligner.baselines import BERTALIGN_SKIP, BertalignScorer
from aligner.score import AlignmentInput


class _Letters:
    """A deterministic stand-in encoder for the score arithmetic: letter counts."""

    name = "letters"

    def encode(self, texts: list[str], progress: object = None) -> np.ndarray:
        vectors = np.array([[t.lower().count(c) for c in "abcdefghijklmnopqrstuvwxyz"] for t in texts], dtype=np.float32) + 0.1
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_bertalign_margin_is_against_the_sentences_around_the_other_span() -> None:
    src = ["alpha beta", "gamma delta", "kappa lambda"]
    tgt = ["alpha beta!", "gamma delta!", "kappa lambda!!"]
    encoder = _Letters()
    scorer = BertalignScorer(encoder)
    scorer.fit(AlignmentInput(src, tgt, "de", "fr"))
    vectors = {side: encoder.encode(texts) for side, texts in (("src", src), ("tgt", tgt))}
    cos = vectors["src"] @ vectors["tgt"].T
    one = np.array([1])
    score = scorer.signal_scores(one, one, one, one)["score"][0]
    # source 1 against target 1, less its similarity to targets 0 and 2, and target 1's to sources 0 and 2
    margin = cos[1, 1] - ((cos[1, 0] + cos[1, 2]) / 2 + (cos[0, 1] + cos[2, 1]) / 2) / 2
    ratio = sum(map(len, src)) / sum(map(len, tgt))
    a, b = len(src[1]), len(tgt[1]) * ratio
    assert score == pytest.approx(margin * np.log2(1 + min(a, b) / max(a, b)), rel=1e-5)
    # at a document's edge only the one neighbour there is counted
    zero = np.array([0])
    edge = scorer.signal_scores(zero, one, zero, one)["score"][0]
    a, b = len(src[0]), len(tgt[0]) * ratio
    assert edge == pytest.approx((cos[0, 0] - (cos[0, 1] + cos[1, 0]) / 2) * np.log2(1 + min(a, b) / max(a, b)), rel=1e-5)
    assert scorer.weights.skip == BERTALIGN_SKIP
