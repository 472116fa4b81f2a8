"""Bead scorers ("signals") and how they are combined into one bead score.

A bead covers ``src[i : i + a]`` and ``tgt[j : j + b]``, each side at most ``max_span`` sentences
(see :func:`bead_shapes`). Every span a bead can cover has a *span id*: the ``length``
sentences from ``start`` are ``(length - 1) * n + start`` (see :func:`span_ids`); ids whose span
would run past the end are unused. Each span is featurised once, however many beads it appears in.

Similarity signals (MT chrF, embeddings) are turned into *margins*: the raw similarity minus the
mean similarity of each side to a fixed sample of sentences from the other document, divided by
the spread of those random similarities. A margin is about 0 for unrelated sentences and several
units for translations, for any model or language pair, which is what lets signals be combined
with fixed weights (see :class:`BeadScorer`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from .anchors import extract_anchors
from .chrf import ChrfSpans
from .embed import centred_unit_vectors
from .languages import spelled_length
from .segment import ends_in_abbreviation
from .shapes import DEFAULT_MAX_BEAD
from .spans import span_cover, span_ids, span_texts, valid_span_ids

BASELINE_SAMPLE = 32
#: How many unrelated similarities a signal's prior counts for in a document's baseline and
#: spread (see :meth:`BeadScorer._baseline`): it decides short documents and weighs nothing in
#: long ones.
PRIOR_STRENGTH = 4
#: Two documents whose sentences' best matches lie, at the median, within this many spreads of
#: the encoder's unrelated similarity are no translations of each other (two unrelated newstest
#: articles: 0.10, -0.2 spreads; the dev sets' documents of more than ``SHORT_DOCUMENT``
#: sentences: 0.47 and above, 3.2 spreads): their margins are taken against the encoder's
#: unrelated pairs, not their own.
UNRELATED_DOCUMENT = 1.0
#: Documents of at most this many sentences a side weigh a bead's similarity by one over its
#: size, not by its size: there a merge is mostly how an inserted sentence hides in its
#: neighbour's bead (documents of 2-3 sentences: strict F1 0.826 → 0.894, of 4-5: 0.936 → 0.943;
#: from 6 sentences it costs: at 7, documents of 6-9 sentences fall from 0.985 to 0.980).
SHORT_DOCUMENT = 5
#: The signal other similarity signals are measured against (see :meth:`BeadScorer._reliabilities`).
REFERENCE_SIGNAL = "embedding"
AGREEMENT_SAMPLE = 64
AGREEMENT_WINDOW = 10
#: Agreement from which a signal counts fully: four real MT systems of the Text+Berg article
#: agree with the embeddings on 0.56-0.72 of the sentences, MT that is noise on 0.03.
AGREEMENT_FULL = 0.5
#: Unrelated beads of each shape sampled per signal (see :meth:`BeadScorer._match_shape_bias`),
#: in documents of at least this many sentences a side per sentence of the longest span.
SHAPE_BIAS_SAMPLE = 200
SHAPE_BIAS_SIZE = 4
#: The length ratio is measured on up to this many source sentences, and only where this many of
#: them have a best bead whose target side's best bead is the same (else the document's ratio is used).
RATIO_SAMPLE = 256
RATIO_PAIRS = 8
#: The beads the ratio is measured on hold up to this many sentences a side (1-1, 1-2, 2-1, 2-2).
RATIO_SPAN = 2
#: No translation is this many times shorter or longer than its original in spelled length (most
#: pairs are within a quarter, see :func:`spelled_length`): a document whose ratio is further off
#: leaves much of one side untranslated, and its confident pairs say the ratio instead.
PLAUSIBLE_RATIO = 1.5
#: Up to this share of a side's text beyond what the other translates, leaving one of its
#: sentences out costs the full ``skip`` (:meth:`BeadScorer._fit_skip_scales`): newstest
#: documents with four edits reach 0.13, the Text+Berg article (captions, OCR debris) 0.04. 0.1
#: and 0.3 gave the same figures on every set but the condensed documents (0.9904, 0.9895); 0
#: lowered textberg 0.9091 -> 0.9035 and news 0.9935 -> 0.9921.
SURPLUS_FREE = 0.2
#: Where both sides have sentences the other lacks (comparable versions: each has passages of its
#: own), a sentence of each left out at the same place is likelier than the two paired: the
#: pair of skips gains up to ``REPLACEMENT_GAIN`` more than two skips apart, by the share of the
#: sentences that are not their best match's best match (of the side with fewer such sentences)
#: from ``UNPAIRED_FREE`` to ``UNPAIRED_FULL`` (``scripts/evaluate.py``'s documents at the 90th
#: percentile: news 0.08, condensed 0.06, loose 0.14, merged 0.11; the Text+Berg article 0.19;
#: comparable 0.17 to 0.36 from the 10th). In documents of ``RATIO_PAIRS`` sentences a side or
#: more (see :meth:`BeadScorer._fit_replacement_gain`).
REPLACEMENT_GAIN = 1.5
UNPAIRED_FREE = 0.1
UNPAIRED_FULL = 0.25


def single_threaded_blas() -> Any:
    """A context with one BLAS thread. A matrix product's last bits depend on how many threads
    share it, and the same pair must give the same bytes in this process, a worker or a Ray task."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="blas")


@dataclass
class AlignmentInput:
    """What the aligner sees: both sides' sentences and, when available, their translations."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str
    src_translation: list[str] | None = None  # src sentences translated into tgt_lang
    tgt_translation: list[str] | None = None  # tgt sentences translated into src_lang
    max_bead: int = DEFAULT_MAX_BEAD  # most sentences a side of a bead holds (see bead_shapes)

    @property
    def max_span(self) -> int:
        """The longest span (sentences on one side) a bead may cover."""
        return self.max_bead


class Signal(Protocol):
    """A bead scorer. ``pairs`` scores span pairs elementwise; ``similarity`` says whether the
    score is a similarity to be turned into a margin (True) or already a log-odds-like term."""

    name: str
    similarity: bool

    def fit(self, data: AlignmentInput) -> None: ...

    def pairs(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray: ...


# ---------------------------------------------------------------------------------------------
# MT similarity: chrF of the translated spans (see aligner.chrf).


class MTSimilaritySignal:
    """chrF between machine-translated source spans and target spans (as in Bleualign).

    With translations of both sides, the two directions are averaged.
    """

    name = "mt"
    similarity = True
    #: chrF of unrelated sentences, mean and spread (newstest tr-en with reference translations,
    #: Text+Berg de-fr with four MT systems: 0.11-0.17 and 0.05-0.09), for short documents.
    prior = (0.14, 0.07)
    #: Character n-grams find nothing to compare in a line without a word (OCR debris such as
    #: "....." or "24 a !"): such a line barely moves a span's chrF, so without this MT vouched
    #: for it and pulled it into its neighbour's bead. See :meth:`BeadScorer.combine`.
    sized_by_words = True

    def __init__(self) -> None:
        self._directions: list[tuple[ChrfSpans, bool]] = []

    def fit(self, data: AlignmentInput) -> None:
        self._directions = []
        longest = data.max_span
        if data.src_translation is not None:
            self._directions.append((ChrfSpans(data.src_translation, data.tgt, longest), False))
        if data.tgt_translation is not None:
            self._directions.append((ChrfSpans(data.tgt_translation, data.src, longest), True))
        if not self._directions:
            raise ValueError("the mt signal needs translations of at least one side")

    def pairs(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        scores = [d.pairs(tgt_spans, src_spans) if flip else d.pairs(src_spans, tgt_spans) for d, flip in self._directions]
        return np.mean(scores, axis=0)

    def matrix(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        scores = [d.matrix(tgt_spans, src_spans).T if flip else d.matrix(src_spans, tgt_spans) for d, flip in self._directions]
        return np.mean(scores, axis=0)


# ---------------------------------------------------------------------------------------------
# Multilingual sentence embeddings.


#: Spans up to this many sentences are embedded as their joined text (as Vecalign and Bertalign
#: do); longer ones as the normalised sum of their sentences' (centred) vectors, which costs no
#: encoder call. Summing from single sentences was measured better on the Text+Berg article
#: (before centring: strict F1 0.862 against 0.813 with joins of two encoded, 0.861 with joins
#: up to four, at four times the encoder calls) and equal on news.
ENCODED_SPAN = 1


def embedding_texts(sentences: list[str], longest: int, encoded_span: int = ENCODED_SPAN) -> list[str]:
    """The texts :class:`EmbeddingSignal` encodes for a document (spans up to ``longest``)."""
    return [text for text in span_texts(sentences, min(longest, encoded_span)) if text]


class EmbeddingSignal:
    """Cosine similarity of multilingual sentence embeddings of the spans."""

    name = "embedding"
    similarity = True

    def __init__(self, encoder: Encoder | None = None, encoded_span: int = ENCODED_SPAN, centred: bool = True) -> None:
        if encoder is None:
            from .embed import DEFAULT_ENCODER, make_encoder

            encoder = make_encoder(DEFAULT_ENCODER)
        self.encoder = encoder
        self.encoded_span = encoded_span
        statistics = getattr(encoder, "statistics", None)  # see aligner.embed.SpaceStatistics
        self.centre: np.ndarray | None = statistics.centre if statistics and centred else None
        #: the encoder's typical cosine of unrelated sentences (mean, spread), for short documents
        self.prior: tuple[float, float] | None = statistics.unrelated if statistics and centred else None
        self._src = np.zeros((0, 0), dtype=np.float32)
        self._tgt = np.zeros((0, 0), dtype=np.float32)

    def fit(self, data: AlignmentInput) -> None:
        self._src = self._span_vectors(data.src, data.max_span)
        self._tgt = self._span_vectors(data.tgt, data.max_span)

    def _span_vectors(self, sentences: list[str], longest: int) -> np.ndarray:
        """A vector per span id (zeros for unused ids)."""
        n = len(sentences)
        encoded = min(longest, self.encoded_span)
        texts = span_texts(sentences, encoded)
        used = [k for k, text in enumerate(texts) if text]
        if not used:
            return np.zeros((n * longest, 1), dtype=np.float32)
        computed = self.encoder.encode([texts[k] for k in used])
        vectors = np.zeros((n * longest, computed.shape[1]), dtype=np.float32)
        vectors[used] = computed
        if self.centre is not None:
            for length in range(1, encoded + 1):
                rows = (length - 1) * n + np.arange(n - length + 1)
                vectors[rows] = centred_unit_vectors(vectors[rows], self.centre)
        running = np.concatenate([np.zeros((1, computed.shape[1]), dtype=np.float32), np.cumsum(vectors[:n], axis=0)])
        for length in range(encoded + 1, longest + 1):
            starts = np.arange(n - length + 1)
            summed = running[starts + length] - running[starts]
            norms = np.linalg.norm(summed, axis=1, keepdims=True)
            vectors[(length - 1) * n + starts] = summed / np.maximum(norms, 1e-12)
        return vectors

    def pairs(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        return np.einsum("ij,ij->i", self._src[src_spans], self._tgt[tgt_spans]).astype(np.float64)

    def matrix(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        return (self._src[src_spans] @ self._tgt[tgt_spans].T).astype(np.float64)


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors. ``keep`` False: texts read once (a sentence with a
    part left out, by a check), not worth a place in an on-disk cache."""

    name: str

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None, keep: bool = True) -> np.ndarray: ...


# ---------------------------------------------------------------------------------------------
# Length (Gale and Church 1993).


def span_lengths(sentences: list[str], longest: int) -> np.ndarray:
    """Characters of every span id's joined text (0 where unused)."""
    n = len(sentences)
    running = np.concatenate([[0], np.cumsum([len(t) for t in sentences])]).astype(np.float64)
    lengths = np.zeros(n * longest)
    for length in range(1, longest + 1):
        starts = np.arange(n - length + 1)
        lengths[(length - 1) * n + starts] = running[starts + length] - running[starts] + (length - 1)
    return lengths


#: How much a document of ``k`` sentences a side (fewer than ``RATIO_PAIRS``) trusts its own
#: length ratio, ``k / (k + RATIO_PRIOR_SENTENCES)``, against a ratio of one in spelled length
#: (:func:`spelled_length`). An inserted or dropped sentence moves a document's ratio by half in a
#: document of two sentences, and then a merge fits the distorted ratio best (all 257 short
#: documents: strict F1 0.9547 → 0.9814; the Text+Berg windows, of real merges, 0.8630 → 0.8640;
#: 1.0 and 1.5 give 0.9801 and 0.8569 / 0.8498).
RATIO_PRIOR_SENTENCES = 0.5


#: The median of a chi-squared variable of one degree of freedom (a squared standard normal).
CHI2_MEDIAN = 0.455


class LengthSignal:
    """Gale-Church: log-probability that the target span's length fits the source span's.

    The expected ratio ``c`` is the document's own character ratio (in a document of a few
    sentences shrunk towards a ratio of one in spelled length: ``RATIO_PRIOR_SENTENCES``); the
    variance per character is Gale and Church's 6.8 (or wider: :meth:`fit_variance`) scaled by
    ``c``.
    """

    name = "length"
    similarity = False
    variance = 6.8

    def __init__(self) -> None:
        self._src = np.zeros(0)
        self._tgt = np.zeros(0)
        self.ratio = 1.0

    def fit(self, data: AlignmentInput) -> None:
        self._src = span_lengths(data.src, data.max_span)
        self._tgt = span_lengths(data.tgt, data.max_span)
        total_src, total_tgt = sum(len(s) for s in data.src), sum(len(t) for t in data.tgt)
        self.ratio = total_tgt / total_src if total_src else 1.0
        self.variance = type(self).variance
        #: one spelled letter each: the characters per spelled letter of each side
        self.prior = 1.0
        if total_src and total_tgt:
            self.prior = (total_tgt / sum(spelled_length(t) for t in data.tgt)) / (total_src / sum(spelled_length(s) for s in data.src))
        sentences = min(len(data.src), len(data.tgt))
        if 0 < sentences < RATIO_PAIRS and total_src and total_tgt:
            self.ratio = self.shrunk(self.ratio, sentences)

    def fit_variance(self, src_chars: np.ndarray, tgt_chars: np.ndarray) -> None:
        """Widen the variance to the one these sentence pairs show, where it is wider than Gale
        and Church's (the median squared deviation over its median under the model, 0.455): a
        free translation, or one that leaves details out of its sentences, varies in length
        more, and its sentences were drawn into merges that fit the length better. Documents of
        close translations keep 6.8 (newstest's show 2.4 at the median, the Text+Berg
        article's 6.2)."""
        mean = (src_chars + tgt_chars / self.ratio) / 2
        squares = (tgt_chars - src_chars * self.ratio) ** 2 / (mean * self.ratio)
        self.variance = max(type(self).variance, float(np.median(squares)) / CHI2_MEDIAN)

    def shrunk(self, ratio: float, sentences: int) -> float:
        """``ratio``, measured on ``sentences``, shrunk towards :attr:`prior` (see ``RATIO_PRIOR_SENTENCES``)."""
        trust = sentences / (sentences + RATIO_PRIOR_SENTENCES)
        return math.exp(trust * math.log(ratio) + (1 - trust) * math.log(self.prior))

    def pairs(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        source = self._src[src_spans]
        target = self._tgt[tgt_spans]
        mean = (source + target / self.ratio) / 2
        delta = (target - source * self.ratio) / np.sqrt(np.maximum(mean, 1.0) * self.variance * self.ratio)
        # log of the two-sided tail probability 2 * (1 - Phi(|delta|)), floored for stability
        from scipy.special import log_ndtr

        return np.maximum(math.log(2) + log_ndtr(-np.abs(delta)), -20.0)


# ---------------------------------------------------------------------------------------------
# Sentence endings: a bead's two sides end alike (see BeadScorer.form_penalty).

_WORD = re.compile(r"[^\W\d_]{2}")


def has_word(sentence: str) -> bool:
    """Whether a sentence holds a word (two letters in a row), as OCR debris does not."""
    return _WORD.search(sentence) is not None


#: Marks that end a clause, not a sentence, in text split at them ("Literatur :", French clauses
#: split at ";"): full-width and Arabic forms included. Greek ";" is a question mark.
_CLAUSE_END = re.compile(r"[:;,\u2013\u2014\uff1a\uff1b\uff0c\u3001\u061b\u060c]$")


def ends_mid_sentence(sentence: str, language: str) -> bool:
    """Whether a sentence ends in a clause mark or an abbreviation (:func:`ends_in_abbreviation`):
    the next sentence then continues it."""
    text = sentence.rstrip()
    if _CLAUSE_END.search(text):
        return not (language == "el" and text.endswith(";"))
    return ends_in_abbreviation(text, language)


# ---------------------------------------------------------------------------------------------
# Anchors: numbers, URLs, acronyms and names that both sides share (see aligner.anchors).


class AnchorSignal:
    """Agreement of anchors (numbers, URLs, acronyms, names) between the two spans.

    Gives ``2 * J - 1`` for the Jaccard overlap ``J`` of the spans' anchor sets, and 0 where
    neither span has anchors. A span's anchors are those of its sentences.
    """

    name = "anchors"
    similarity = False

    def __init__(self) -> None:
        self._src = sparse.csr_matrix((0, 0))
        self._tgt = sparse.csr_matrix((0, 0))

    def fit(self, data: AlignmentInput) -> None:
        src_sets = [extract_anchors(t, data.src_lang) for t in data.src]
        tgt_sets = [extract_anchors(t, data.tgt_lang) for t in data.tgt]
        vocabulary = {key: k for k, key in enumerate(sorted(set().union(*src_sets, *tgt_sets)))}
        self._src = _span_sets(src_sets, vocabulary, data.max_span)
        self._tgt = _span_sets(tgt_sets, vocabulary, data.max_span)
        self._src_sizes = np.asarray(self._src.sum(axis=1)).ravel()
        self._tgt_sizes = np.asarray(self._tgt.sum(axis=1)).ravel()

    def pairs(self, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        shared = np.asarray(self._src[src_spans].multiply(self._tgt[tgt_spans]).sum(axis=1)).ravel()
        union = self._src_sizes[src_spans] + self._tgt_sizes[tgt_spans] - shared
        return np.where(union > 0, 2 * shared / np.maximum(union, 1) - 1, 0.0)


def _span_sets(sets: list[frozenset[str]], vocabulary: dict[str, int], longest: int) -> sparse.csr_matrix:
    """Binary span-by-anchor matrix: each span id's row holds the anchors of its sentences."""
    n = len(sets)
    rows = np.repeat(np.arange(n), [len(s) for s in sets])
    columns = np.fromiter((vocabulary[key] for s in sets for key in sorted(s)), dtype=np.int64, count=len(rows))
    sentences = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, max(len(vocabulary), 1)))
    spans = (span_cover(n, longest) @ sentences).tocsr()
    spans.data[:] = 1.0
    return spans


# ---------------------------------------------------------------------------------------------
# Combination.


@dataclass
class ScoreWeights:
    """Weights of the bead score, fitted by coordinate search on the 40 perturbed newstest
    documents of ``scripts/evaluate.py`` (strict F1 0.961 → 0.993; 0.9937 on the first 100, 60
    of them held out).

    ``gain(bead) = size * (mean_margin - threshold) + length * log_p_length
    + anchors * anchor_agreement - merge * (a + b - 2) - many_to_many * (min(a, b) - 1)`` for an
    ``a-b`` bead, where ``size`` is the mean number of sentences on the two sides and
    ``mean_margin`` the weighted mean of the similarity margins (``1 / size`` instead of ``size``
    in a document of at most ``SHORT_DOCUMENT`` sentences a side, unless the bead's sentences
    continue each other: :meth:`BeadScorer.continued`; for MT's share, only the sentences with a
    word count: :meth:`BeadScorer.combine`). A skipped sentence (1-0 or 0-1) gains
    ``-skip`` (``-skip - endings`` for a clause: :meth:`BeadScorer.skip_gains`; less on a side
    that much of the other does not translate: :meth:`BeadScorer._fit_skip_scales`). A bead of more
    than two sentences loses ``unrelated_member`` for each unit its
    weakest sentence's embedding margin against the other side falls below ``member_floor`` (see
    :meth:`BeadScorer.member_penalty`), and ``endings`` where one side ends mid-sentence and the
    other does not (:meth:`BeadScorer.ending_penalty`).
    """

    threshold: float = 1.5
    skip: float = 1.0
    length: float = 0.4
    anchors: float = 0.1
    #: Measured on the development sets: Text+Berg 0.874 → 0.892 (0.5: 0.889, 2: 0.877); news,
    #: short documents and the seed unchanged (their sentences end alike).
    endings: float = 1.0
    merge: float = 1.0
    many_to_many: float = 0.5
    #: Measured on the development sets (short documents 0.919 → 0.935, the others unchanged);
    #: a floor of 0 or above also splits the Text+Berg article's true many-to-many beads.
    unrelated_member: float = 4.0
    member_floor: float = -0.5
    signal_weights: dict[str, float] = field(default_factory=lambda: {"mt": 0.25, "embedding": 1.0})


@dataclass
class _Margin:
    src_baseline: np.ndarray
    tgt_baseline: np.ndarray
    scale: float
    measurable: bool = True  # False when a side has one sentence: nothing unrelated to compare with
    #: subtracted from the margin of an ``a-b`` bead at ``[a - 1, b - 1]`` (see BeadScorer._match_shape_bias)
    shape_bias: np.ndarray | None = None


class BeadScorer:
    """Combines fitted signals into bead gains for the dynamic programme."""

    def __init__(self, signals: list[Signal], weights: ScoreWeights | None = None) -> None:
        if not signals:
            raise ValueError("at least one signal is needed")
        self.signals = signals
        self.weights = weights or ScoreWeights()
        self._margins: dict[str, _Margin] = {}
        self.n_src = 0
        self.n_tgt = 0
        self.max_span = 1
        self.reliabilities: dict[str, float] = {}  # see _reliabilities; a signal not in it counts fully
        #: whether the documents look like no translations of each other (:meth:`_looks_unrelated`)
        self.unrelated_documents = False
        self._src_mid_sentence = np.zeros(0, dtype=bool)  # per sentence: ends in a clause mark
        self._tgt_mid_sentence = np.zeros(0, dtype=bool)
        self._skip_scales = (1.0, 1.0)  # share of ``skip`` a left-out source, target sentence costs
        #: what a source and a target sentence left out at one place gain beyond their two skips
        self.replacement_gain = 0.0
        self._src_words_before = np.zeros(1)  # at k: how many of the first k sentences have a word
        self._tgt_words_before = np.zeros(1)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.signals]

    @property
    def short_document(self) -> bool:
        """At most ``SHORT_DOCUMENT`` sentences a side: merges are weighed by one over their size."""
        return max(self.n_src, self.n_tgt) <= SHORT_DOCUMENT

    def fit(self, data: AlignmentInput) -> None:
        self.n_src, self.n_tgt = len(data.src), len(data.tgt)
        self.max_span = data.max_span
        self._src_mid_sentence = np.array([ends_mid_sentence(t, data.src_lang) for t in data.src], dtype=bool)
        self._tgt_mid_sentence = np.array([ends_mid_sentence(t, data.tgt_lang) for t in data.tgt], dtype=bool)
        self._src_words_before = np.concatenate([[0.0], np.cumsum([has_word(t) for t in data.src])])
        self._tgt_words_before = np.concatenate([[0.0], np.cumsum([has_word(t) for t in data.tgt])])
        for signal in self.signals:
            signal.fit(data)
        self.unrelated_documents = self._looks_unrelated()
        for signal in self.signals:
            if signal.similarity:
                self._margins[signal.name] = self._baseline(signal)
        self._match_shape_bias()
        self.reliabilities = self._reliabilities()
        self._fit_length_ratio(data)
        self._fit_skip_scales(data)
        self._fit_replacement_gain()

    def _fit_skip_scales(self, data: AlignmentInput) -> None:
        """How much leaving a sentence of each side out costs, as a share of ``skip``: less on a
        side with more text than the other translates (at the length signal's ratio), by the
        share of its text beyond that past ``SURPLUS_FREE``. A version that keeps a fifth of its
        original leaves most of it out, and at the full cost a left-out sentence rode along in
        a neighbour's merge instead."""
        length = next((s for s in self.signals if isinstance(s, LengthSignal)), None)
        total_src, total_tgt = sum(map(len, data.src)), sum(map(len, data.tgt))
        self._skip_scales = (1.0, 1.0)
        if length is None or not total_src or not total_tgt:
            return
        expected_tgt = length.ratio * total_src

        def scale(surplus: float) -> float:
            return 1 - max(0.0, surplus - SURPLUS_FREE) / (1 - SURPLUS_FREE)

        self._skip_scales = (scale(1 - total_tgt / expected_tgt), scale(1 - expected_tgt / total_tgt))

    def _fit_replacement_gain(self) -> None:
        """The gain of leaving out a source and a target sentence at one place beyond their two
        skips (:data:`REPLACEMENT_GAIN`): without it a sentence of each side that the other lacks
        was paired whenever their margin beat ``threshold - 2 * skip``, which half of a
        document's unrelated pairs do (``scripts/evaluate.py``'s comparable documents: strict F1
        0.8066 → 0.8901)."""
        self.replacement_gain = 0.0
        embedding = next((s for s in self.signals if s.name == REFERENCE_SIGNAL), None)
        if embedding is None or min(self.n_src, self.n_tgt) < RATIO_PAIRS:
            return
        unpaired = min(self._unpaired_share(embedding, from_source=True), self._unpaired_share(embedding, from_source=False))
        self.replacement_gain = REPLACEMENT_GAIN * float(np.clip((unpaired - UNPAIRED_FREE) / (UNPAIRED_FULL - UNPAIRED_FREE), 0.0, 1.0))

    def _unpaired_share(self, embedding: Signal, from_source: bool) -> float:
        """The share of a side's sentences (up to ``AGREEMENT_SAMPLE`` of them) that are not
        their best match's best match, or are with a margin below the unrelated mean (not below
        ``threshold``: with an encoder weak in the language pair, true pairs stay paired)."""
        rows = _even_sample(self.n_src if from_source else self.n_tgt, AGREEMENT_SAMPLE)
        best = self._window_best(embedding, rows, from_source)
        mutual = self._window_best(embedding, best, not from_source) == rows
        src, tgt = (rows, best) if from_source else (best, rows)
        margins = self.margins(embedding, embedding.pairs(src, tgt), src, tgt)
        return 1 - float(np.mean(mutual & (margins > 0.0)))

    def replacement_gains(self, src_index: np.ndarray, tgt_index: np.ndarray) -> np.ndarray:
        """Gain of leaving out each given source sentence and the target sentence beside it at one
        place (``-inf`` where no replacement gain was fitted: then two skips apart are the same)."""
        if not self.replacement_gain:
            return np.full(len(src_index), -np.inf)
        return self.skip_gains(src_index, source=True) + self.skip_gains(tgt_index, source=False) + self.replacement_gain

    def _reliabilities(self) -> dict[str, float]:
        """For each similarity signal besides the reference (the embedding signal), 0 to 1: how
        much it counts, from how often its best 1-1 match for a source sentence is the
        reference's, on up to ``AGREEMENT_SAMPLE`` sentences in a window around the diagonal
        (chance agreement gives 0; ``AGREEMENT_FULL`` or more, as real MT of any quality
        reaches, gives 1). Translations given from outside can be anything from good MT to
        noise: :meth:`combine` weighs them by this."""
        names = [s.name for s in self.signals if s.similarity]
        if REFERENCE_SIGNAL not in names or len(names) < 2 or min(self.n_src, self.n_tgt) < 2:
            return {}
        rows = _even_sample(self.n_src, AGREEMENT_SAMPLE)
        best = {signal.name: self._window_best(signal, rows, from_source=True) for signal in self.signals if signal.similarity}
        chance = 1 / (2 * self._window_width(self.n_tgt) + 1)
        return {
            name: float(np.clip((np.mean(best[name] == best[REFERENCE_SIGNAL]) - chance) / (AGREEMENT_FULL - chance), 0.0, 1.0))
            for name in names
            if name != REFERENCE_SIGNAL
        }

    @staticmethod
    def _window_width(other: int) -> int:
        return max(AGREEMENT_WINDOW, int(0.05 * other))

    def _window_best(self, signal: Signal, sentences: np.ndarray, from_source: bool) -> np.ndarray:
        """Each given sentence's best match by ``signal``'s margin among the other side's
        sentences in a window around the diagonal (``from_source``: the sentences are source
        ones): its best 1-1 bead (:meth:`_best_beads`)."""
        return self._best_beads(signal, sentences, 1, from_source)[2 if from_source else 0]

    def _fit_length_ratio(self, data: AlignmentInput) -> None:
        """The length signal's expected character ratio, in a document of ``RATIO_PAIRS``
        sentences or more on either side: the median ratio of the beads the embeddings pair with
        confidence (each the other's best bead, of up to ``RATIO_SPAN`` sentences a side:
        :meth:`_best_beads`), when there are ``RATIO_PAIRS`` of them. The whole document's ratio
        counts its untranslated parts (a caption, a list of references) as if they were
        translated text; the median of sentence pairs alone took half a merge for a whole
        translation (a translation that joins half its sentences in two had twice its ratio, and
        each of its sentences was paired with half its translation). With fewer such beads the
        document's ratio stands, unless it is beyond ``PLAUSIBLE_RATIO``: a version that keeps a
        fifth of its original (a news site's English summary of a longer Turkish article) has a
        fifth of its length, and that ratio drew each of its sentences into a merge of five. The
        few beads' median is used then, shrunk towards the length signal's prior as a short
        document's ratio is."""
        embedding = next((s for s in self.signals if s.name == REFERENCE_SIGNAL), None)
        length = next((s for s in self.signals if isinstance(s, LengthSignal)), None)
        if embedding is None or length is None or min(self.n_src, self.n_tgt) < 1 or max(self.n_src, self.n_tgt) < RATIO_PAIRS:
            return
        longest = min(RATIO_SPAN, self.max_span)
        rows = _even_sample(self.n_src, RATIO_SAMPLE)
        forward = self._best_beads(embedding, rows, longest, from_source=True)
        backward = self._best_beads(embedding, forward[2], longest, from_source=False)
        mutual = np.all(forward == backward, axis=0) & (forward[0] == rows)
        beads = np.unique(forward[:, mutual].T, axis=0)  # (src start, src length, tgt start, tgt length)
        pairs = len(beads)
        implausible = abs(math.log(length.ratio / length.prior)) > math.log(PLAUSIBLE_RATIO)
        if pairs >= RATIO_PAIRS or (pairs and implausible):
            src_chars = np.array([max(sum(map(len, data.src[i : i + a])), 1) for i, a, _, _ in beads])
            tgt_chars = np.array([max(sum(map(len, data.tgt[j : j + b])), 1) for _, _, j, b in beads])
            ratio = float(np.exp(np.median(np.log(tgt_chars / src_chars))))
            length.ratio = ratio if pairs >= RATIO_PAIRS else length.shrunk(ratio, pairs)
            if pairs >= RATIO_PAIRS:
                length.fit_variance(src_chars, tgt_chars)

    def _best_beads(self, signal: Signal, starts: np.ndarray, longest: int, from_source: bool) -> np.ndarray:
        """Each given sentence's best bead by ``signal``'s margin: a span of up to ``longest``
        sentences from it, against a span of up to ``longest`` sentences of the other side that
        starts in a window around the diagonal; as rows (source start, source length, target
        start, target length) of a 4 x len(starts) array (``from_source``: the starts are source
        sentences). A span that would run past the end starts earlier; none is longer than its
        side."""
        n, m = (self.n_src, self.n_tgt) if from_source else (self.n_tgt, self.n_src)
        offsets = np.arange(-self._window_width(m), self._window_width(m) + 1)
        centre = np.round(starts * (m / n)).astype(int)
        margins, candidates = [], []
        for own in range(1, min(longest, n) + 1):
            for other in range(1, min(longest, m) + 1):
                these = np.repeat(np.minimum(starts, n - own), len(offsets))
                those = np.clip(centre[:, None] + offsets[None, :], 0, m - other).ravel()
                own_lengths, other_lengths = np.full(len(these), own), np.full(len(those), other)
                bead = np.stack([these, own_lengths, those, other_lengths] if from_source else [those, other_lengths, these, own_lengths])
                src_spans, tgt_spans = span_ids(bead[0], bead[1], self.n_src), span_ids(bead[2], bead[3], self.n_tgt)
                margins.append(self.margins(signal, signal.pairs(src_spans, tgt_spans), src_spans, tgt_spans).reshape(len(starts), -1))
                candidates.append(bead.reshape(4, len(starts), -1))
        best = np.argmax(np.concatenate(margins, axis=1), axis=1)
        return np.concatenate(candidates, axis=2)[:, np.arange(len(starts)), best]

    def _match_shape_bias(self) -> None:
        """Give every similarity signal the reference signal's margins for unrelated beads of each
        shape. A merged span meets more of an unrelated one by chance than a sentence does, the
        more so for character n-grams: unrelated 2-2 beads of the Text+Berg article have a chrF
        margin of +0.7 over unrelated 1-1 beads, an embedding margin of +0.24 (3-3: +1.3 and
        +0.4). The threshold and merge penalties are fitted on the embeddings' margins, so MT with
        its larger bias pulled sentences into merges. Documents of fewer than ``SHAPE_BIAS_SIZE``
        sentences a side per sentence of the longest span are left as they are."""
        reference = next((s for s in self.signals if s.name == REFERENCE_SIGNAL), None)
        others = [s for s in self.signals if s.similarity and s is not reference]
        if reference is None or not others or min(self.n_src, self.n_tgt) < SHAPE_BIAS_SIZE * self.max_span:
            return
        reference_bias = self._shape_bias(reference)
        for signal in others:
            self._margins[signal.name].shape_bias = self._shape_bias(signal) - reference_bias

    def _shape_bias(self, signal: Signal) -> np.ndarray:
        """Mean margin of unrelated beads of each shape ``a-b`` (at ``[a - 1, b - 1]``) above that
        of unrelated 1-1 beads: ``SHAPE_BIAS_SAMPLE`` spans of each side paired with spans half
        the document away."""
        n, m, longest = self.n_src, self.n_tgt, self.max_span
        starts = _even_sample(n - longest + 1, SHAPE_BIAS_SAMPLE)
        others = (np.round(starts * (m / n)).astype(int) + m // 2) % (m - longest + 1)
        table = np.zeros((longest, longest))
        for a in range(1, longest + 1):
            src = span_ids(starts, np.full(len(starts), a), n)
            for b in range(1, longest + 1):
                tgt = span_ids(others, np.full(len(others), b), m)
                table[a - 1, b - 1] = float(np.mean(self.margins(signal, signal.pairs(src, tgt), src, tgt)))
        return table - table[0, 0]

    def _baseline(self, signal: Signal) -> _Margin:
        """Mean similarity of each span to a fixed, evenly spaced sample of the other side, and
        the spread of those unrelated similarities, each row's best match left out (it may be
        the span's own translation). In a short document both are shrunk towards the signal's
        ``prior`` (unrelated mean and spread, when it has one): a side of one sentence has
        nothing unrelated to compare with."""
        n, m = self.n_src, self.n_tgt
        prior: tuple[float, float] | None = getattr(signal, "prior", None)
        if prior is not None and self.unrelated_documents:
            # a document measured against itself finds its best unrelated pairs "related": its own
            # unrelated similarities are all there are, so the signal's prior ones are used
            return _Margin(np.full(n * self.max_span, prior[0]), np.full(m * self.max_span, prior[0]), prior[1])
        src_spans = valid_span_ids(n, self.max_span)
        tgt_spans = valid_span_ids(m, self.max_span)
        src_sample = _even_sample(n, BASELINE_SAMPLE)
        tgt_sample = _even_sample(m, BASELINE_SAMPLE)
        src_unrelated = _without_best(_dense(signal, src_spans, tgt_sample))
        tgt_unrelated = _without_best(_dense(signal, src_sample, tgt_spans).T)
        src_baseline = np.zeros(n * self.max_span)
        tgt_baseline = np.zeros(m * self.max_span)
        src_baseline[src_spans] = _shrunk_mean(src_unrelated, prior)
        tgt_baseline[tgt_spans] = _shrunk_mean(tgt_unrelated, prior)
        residual = np.concatenate(
            [(src_unrelated - src_baseline[src_spans, None]).ravel(), (tgt_unrelated - tgt_baseline[tgt_spans, None]).ravel()]
        )
        residual = residual[np.isfinite(residual)]
        squares, count = float(np.square(residual).sum()), residual.size
        if prior is not None:
            squares, count = squares + PRIOR_STRENGTH * prior[1] ** 2, count + PRIOR_STRENGTH
        scale = math.sqrt(squares / count) if count > 1 else 0.0
        return _Margin(src_baseline, tgt_baseline, max(scale, 1e-3), measurable=min(n, m) > 1 or prior is not None)

    def _looks_unrelated(self) -> bool:
        """Whether the two documents are no translations of each other, by the reference signal:
        its sentences' best matches (of ``BASELINE_SAMPLE`` sentences a side, among all of the
        other side) are, at the median, within ``UNRELATED_DOCUMENT`` spreads of its prior's
        unrelated similarity. Decided once for all signals (poor MT is no sign of it), in documents
        of more than ``SHORT_DOCUMENT`` sentences a side."""
        reference = next((s for s in self.signals if s.name == REFERENCE_SIGNAL), None)
        prior: tuple[float, float] | None = getattr(reference, "prior", None)
        if reference is None or prior is None or min(self.n_src, self.n_tgt) <= SHORT_DOCUMENT:
            return False
        src_sample = _even_sample(self.n_src, BASELINE_SAMPLE)
        tgt_sample = _even_sample(self.n_tgt, BASELINE_SAMPLE)
        best = np.concatenate(
            [
                _dense(reference, src_sample, np.arange(self.n_tgt)).max(axis=1),
                _dense(reference, np.arange(self.n_src), tgt_sample).max(axis=0),
            ]
        )
        return float(np.median(best)) < prior[0] + UNRELATED_DOCUMENT * prior[1]

    def margins(self, signal: Signal, raw: np.ndarray, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
        """Similarity above the unrelated baseline, in units of its spread. With a one-sentence
        side there is no baseline: the margin is neutral (the threshold) and the other signals
        decide, so that a one-sentence pair is aligned rather than skipped on a tie."""
        margin = self._margins[signal.name]
        if not margin.measurable:
            return np.full(len(raw), self.weights.threshold)
        value = (raw - (margin.src_baseline[src_spans] + margin.tgt_baseline[tgt_spans]) / 2) / margin.scale
        if margin.shape_bias is None:
            return value
        return value - margin.shape_bias[src_spans // self.n_src, tgt_spans // self.n_tgt]

    def signal_scores(
        self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Each signal's score (margins for similarity signals) for beads with both sides non-empty."""
        src_spans = span_ids(src_start, src_len, self.n_src)
        tgt_spans = span_ids(tgt_start, tgt_len, self.n_tgt)
        scores = {}
        for signal in self.signals:
            raw = signal.pairs(src_spans, tgt_spans)
            scores[signal.name] = self.margins(signal, raw, src_spans, tgt_spans) if signal.similarity else raw
        return scores

    def combine(
        self,
        scores: dict[str, np.ndarray],
        src_len: np.ndarray,
        tgt_len: np.ndarray,
        continued: np.ndarray | None = None,
        worded: np.ndarray | None = None,
    ) -> np.ndarray:
        """Gain of each bead from its signal scores (see :class:`ScoreWeights`); ``continued``
        marks the beads whose sentences continue each other (:meth:`continued`). ``worded`` is
        each bead's size counting only the sentences with a word (at least 1): a signal
        ``sized_by_words`` (MT's chrF) has its share of the gain sized by it, so that a line it
        cannot judge adds nothing to a bead. The Text+Berg article with MT (its OCR debris
        unaligned in the gold): Google 0.9031 → 0.9140, europarlfull 0.9057 → 0.9093,
        europarllight 0.8996 → 0.9033, SACunidir 0.9069 → 0.9142; MT of the French into German,
        and both ways, 0.004-0.007 higher for each system; without MT nothing changes."""
        w = self.weights
        k = len(src_len)
        similarity = [
            (w.signal_weights.get(s.name, 1.0) * self.reliabilities.get(s.name, 1.0), scores[s.name], getattr(s, "sized_by_words", False))
            for s in self.signals
            if s.similarity
        ]
        total_weight = sum(weight for weight, _, _ in similarity)
        gain = np.zeros(k)
        size = (src_len + tgt_len) / 2
        if self.short_document:
            size = 1 / size if continued is None else np.where(continued, size, 1 / size)
        if similarity:
            mean_margin = sum(weight * values for weight, values, _ in similarity) / total_weight
            gain += size * (mean_margin - w.threshold)
            if worded is not None:
                for weight, values, by_words in similarity:
                    if by_words:
                        gain += weight / total_weight * (worded - size) * (values - w.threshold)
        if "length" in scores:
            gain += w.length * scores["length"]
        if "anchors" in scores:
            gain += w.anchors * scores["anchors"]
        shape_penalty = w.merge * (src_len + tgt_len - 2) + w.many_to_many * (np.minimum(src_len, tgt_len) - 1)
        return gain - shape_penalty

    def gains(
        self,
        src_start: np.ndarray,
        src_len: np.ndarray,
        tgt_start: np.ndarray,
        tgt_len: np.ndarray,
        scores: dict[str, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Gain of each bead (``scores``: its :meth:`signal_scores`, when already computed)."""
        if scores is None:
            scores = self.signal_scores(src_start, src_len, tgt_start, tgt_len)
        continued = self.continued(src_start, src_len, tgt_start, tgt_len) if self.short_document else None  # used there only
        worded = None
        if not self.short_document and any(getattr(s, "sized_by_words", False) for s in self.signals):
            words = (
                self._src_words_before[src_start + src_len]
                - self._src_words_before[src_start]
                + self._tgt_words_before[tgt_start + tgt_len]
                - self._tgt_words_before[tgt_start]
            )
            worded = np.maximum(words / 2, 1.0)
        return self.combine(scores, src_len, tgt_len, continued, worded) - self.form_penalty(src_start, src_len, tgt_start, tgt_len)

    def continued(self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """Whether every sentence of a bead but each side's last ends mid-sentence: the bead's
        sentences are clauses of one sentence. A short document weighs such a merge as a long one
        does (by its size): a clause that continues its neighbour is not an inserted sentence
        (the Text+Berg article's short documents 0.8526 → 0.8630, the short set unchanged)."""
        joined = np.ones(len(src_len), dtype=bool)
        for start, length, mid_sentence in (
            (src_start, src_len, self._src_mid_sentence),
            (tgt_start, tgt_len, self._tgt_mid_sentence),
        ):
            for offset in range(int(length.max(initial=1)) - 1):
                inside = length - 1 > offset
                joined[inside] &= mid_sentence[start[inside] + offset]
        return joined

    def form_penalty(self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """What a bead loses for its form, whatever the signals say: an unrelated member
        (:meth:`member_penalty`) and sides that end differently (:meth:`ending_penalty`)."""
        return self.member_penalty(src_start, src_len, tgt_start, tgt_len) + self.ending_penalty(src_start, src_len, tgt_start, tgt_len)

    def skip_gains(self, sentences: np.ndarray, source: bool) -> np.ndarray:
        """Gain of leaving each given sentence unaligned (1-0 for a source sentence, 0-1 for a
        target one): ``-skip``, and ``endings`` less for a sentence that ends mid-sentence: its
        clause goes on in the next sentence, so it is rarely left out alone (Text+Berg 0.8980 →
        0.9035, its short documents 0.8123 → 0.8526; news and short unchanged)."""
        mid_sentence = self._src_mid_sentence if source else self._tgt_mid_sentence
        return -(self.weights.skip * self._skip_scales[0 if source else 1] + self.weights.endings * mid_sentence[sentences])

    def ending_penalty(self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """``endings`` where one side's last sentence ends in a clause mark (:func:`ends_mid_sentence`)
        and the other's does not. A translation keeps its sentence ends where the source has them:
        a bead that stops mid-sentence on one side only has usually cut a clause off from the rest
        of its bead (Text+Berg gold: 5% of the beads end so, against 29% of the wrong beads of the
        aligner without this). Text whose sentences all end alike (news) is left as it is."""
        src_mid = self._src_mid_sentence[src_start + src_len - 1]
        tgt_mid = self._tgt_mid_sentence[tgt_start + tgt_len - 1]
        return self.weights.endings * (src_mid != tgt_mid)

    def member_penalty(self, src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray) -> np.ndarray:
        """What a bead of more than two sentences loses for a sentence that looks unrelated to the
        other side: each sentence's embedding margin against the other side's whole span, the
        weakest one below ``member_floor``. A span's summed vector barely moves when an unrelated
        sentence joins it, so without this a short document's inserted sentence rides along in a
        1-2. Needs the embedding signal (one dot product a sentence); without it, nothing."""
        penalty = np.zeros(len(src_len))
        embedding = next((s for s in self.signals if s.name == REFERENCE_SIGNAL), None)
        merged = np.flatnonzero(src_len + tgt_len > 2)
        if embedding is None or not len(merged) or not self.weights.unrelated_member:
            return penalty
        src_start, src_len, tgt_start, tgt_len = src_start[merged], src_len[merged], tgt_start[merged], tgt_len[merged]
        src_spans = span_ids(src_start, src_len, self.n_src)
        tgt_spans = span_ids(tgt_start, tgt_len, self.n_tgt)
        weakest = np.full(len(merged), np.inf)
        for offset in range(self.max_span):
            for inside, members, whole, member_is_src in (
                (src_len > offset, src_start + offset, tgt_spans, True),
                (tgt_len > offset, tgt_start + offset, src_spans, False),
            ):
                src, tgt = (members[inside], whole[inside]) if member_is_src else (whole[inside], members[inside])
                margin = self.margins(embedding, embedding.pairs(src, tgt), src, tgt)
                weakest[inside] = np.minimum(weakest[inside], margin)
        penalty[merged] = self.weights.unrelated_member * np.maximum(self.weights.member_floor - weakest, 0.0)
        return penalty

    def one_to_one_block(self, src_index: np.ndarray, tgt_index: np.ndarray) -> np.ndarray:
        """Dense gains of every 1-1 bead between the given sentences (first alignment pass).

        Only similarity signals and length take part; anchors wait for the second pass.
        """
        scores: dict[str, np.ndarray] = {}
        shape = (len(src_index), len(tgt_index))
        src_grid = np.repeat(src_index, len(tgt_index))
        tgt_grid = np.tile(tgt_index, len(src_index))
        for signal in self.signals:
            if signal.name == "anchors":
                continue
            if signal.similarity:
                raw = _dense(signal, src_index, tgt_index).ravel()
                scores[signal.name] = self.margins(signal, raw, src_grid, tgt_grid)
            else:
                scores[signal.name] = signal.pairs(src_grid, tgt_grid)
        ones = np.ones(src_grid.shape[0], dtype=np.int64)
        return self.combine(scores, ones, ones).reshape(shape)


def _even_sample(n: int, most: int) -> np.ndarray:
    """Up to ``most`` evenly spaced indices of ``n``."""
    return np.unique(np.linspace(0, n - 1, min(n, most)).round().astype(int))


def _without_best(similarities: np.ndarray) -> np.ndarray:
    """The similarities with each row's best match set to NaN (left out of means and spreads)."""
    unrelated = similarities.astype(np.float64)
    if unrelated.shape[1] > 0:
        unrelated[np.arange(len(unrelated)), np.argmax(unrelated, axis=1)] = np.nan
    return unrelated


def _shrunk_mean(unrelated: np.ndarray, prior: tuple[float, float] | None) -> np.ndarray:
    """Each row's mean unrelated similarity, shrunk towards ``prior[0]`` as if the prior were
    ``PRIOR_STRENGTH`` more observations (without a prior, a row with none gives 0)."""
    count = np.isfinite(unrelated).sum(axis=1)
    total = np.nansum(unrelated, axis=1)
    if prior is None:
        return np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return (total + PRIOR_STRENGTH * prior[0]) / (count + PRIOR_STRENGTH)


def _dense(signal: Signal, src_spans: np.ndarray, tgt_spans: np.ndarray) -> np.ndarray:
    """A dense block of raw similarities, through ``matrix`` when the signal has one."""
    matrix = getattr(signal, "matrix", None)
    if matrix is not None:
        return matrix(src_spans, tgt_spans)
    grid_src = np.repeat(src_spans, len(tgt_spans))
    grid_tgt = np.tile(tgt_spans, len(src_spans))
    return signal.pairs(grid_src, grid_tgt).reshape(len(src_spans), len(tgt_spans))
