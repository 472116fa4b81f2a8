"""What every check is made of: the batch of pairs it looks at, and the base class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..chrf import ChrfSpans
from ..models import SharedModels
from ..read import clean_sentence, unescaped

Progress = Callable[[int], None]

#: Fewest pairs from which a batch's own typical values (embedding margin, length ratio) are used.
MIN_BATCH = 4

#: Checks run by default: every one that needs no model that may be missing.
DEFAULT_CHECKS = (
    "forced_decoding",
    "chrf",
    "embedding",
    "neighbours",
    "unmatched_sentence",
    "unmatched_part",
    "name_swap",
    "numbers",
    "names",
    "length",
    "language",
    "untranslated",
    "repetition",
    "cut_off",
    "empty",
)


@dataclass
class PairBatch:
    """Pairs to check (both sides non-empty), with what the checks may share."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str
    src_translation: list[str] | None = None  # into tgt_lang
    tgt_translation: list[str] | None = None  # into src_lang

    def __post_init__(self) -> None:
        # a corpus's stray spaces, invisible characters or unnormalised accents would move lengths,
        # names and embeddings: every check sees the text as the aligner's reader cleans it, and
        # an escaped character as itself ("1 @,@ 200" was "numbers differ" against "1,200")
        self.src = [clean_sentence(unescaped(s)) for s in self.src]
        self.tgt = [clean_sentence(unescaped(t)) for t in self.tgt]

    def __len__(self) -> int:
        return len(self.src)


class Check(Protocol):
    """One check. ``reason`` is the flag given below ``threshold``."""

    name: str
    reason: str
    threshold: float
    weight: float

    def quality(self, pairs: PairBatch) -> np.ndarray: ...


class BaseCheck:
    name = ""
    reason = ""
    threshold = 0.5
    weight = 1.0

    def __init__(self, models: SharedModels, threshold: float | None = None, weight: float | None = None) -> None:
        self.models = models
        if threshold is not None:
            self.threshold = threshold
        if weight is not None:
            self.weight = weight


def sentence_chrf(hypotheses: list[str], references: list[str]) -> np.ndarray:
    """sacrebleu's sentence chrF (0-1) of each hypothesis against its reference."""
    ids = np.arange(len(hypotheses))
    return ChrfSpans(hypotheses, references).pairs(ids, ids)
