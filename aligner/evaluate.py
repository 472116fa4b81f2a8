"""Alignment quality against a gold standard: strict and lax precision, recall and F1.

Definitions follow Vecalign's scorer: a predicted bead is a *strict* hit when the gold alignment
has exactly the same bead; a *lax* hit when some gold bead overlaps it on both sides (an empty
side overlaps an empty side). Beads empty on both sides are ignored. Recall is the same count
with gold and prediction swapped.
"""

from __future__ import annotations

import ast
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import InputError
from .read import read_bytes

Alignment = list[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass(frozen=True)
class Scores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 6) for k, v in asdict(self).items()}


def parse_vecalign(text: str, source: str = "<text>") -> Alignment:
    """Parse Vecalign's format: one bead a line, ``[0]:[0]``, ``[1, 2]:[3]``, ``[4]:[]``."""
    beads: Alignment = []
    numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        fields = line.split(":")
        try:
            src, tgt = (ast.literal_eval(fields[0]), ast.literal_eval(fields[1]))
            if not (isinstance(src, list) and isinstance(tgt, list) and all(isinstance(x, int) for x in src + tgt)):
                raise ValueError
        except (ValueError, SyntaxError, IndexError):
            raise InputError(f"{source}:{number}: not a Vecalign bead like [1, 2]:[3]: {line[:60]!r}") from None
        beads.append((tuple(src), tuple(tgt)))
        numbers.append(number)
    return _checked(beads, numbers, source)


def parse_jsonl(text: str, source: str = "<text>") -> Alignment:
    """Read beads from aligner's ``alignments.jsonl`` (fields ``src_idx`` and ``tgt_idx``)."""
    beads: Alignment = []
    numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            src, tgt = record["src_idx"], record["tgt_idx"]
            if not all(isinstance(index, int) for index in [*src, *tgt]):
                raise TypeError
            beads.append((tuple(src), tuple(tgt)))
            numbers.append(number)
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f"{source}:{number}: not an alignment record with src_idx and tgt_idx") from None
    return _checked(beads, numbers, source)


def _checked(beads: Alignment, numbers: list[int], source: str) -> Alignment:
    """``beads`` (read from lines ``numbers`` of ``source``), or :class:`InputError` where they are
    no alignment: none at all, a bead without sentences, a negative index, or a sentence in two
    beads (scored as it was, such a gold skewed every figure, silently)."""
    if not beads:
        raise InputError(f"{source}: holds no alignment")
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for bead, number in zip(beads, numbers):
        if not bead[0] and not bead[1]:
            raise InputError(f"{source}:{number}: a bead without sentences")
        for side, side_name in ((0, "source"), (1, "target")):
            for index in bead[side]:
                if index < 0:
                    raise InputError(f"{source}:{number}: {side_name} sentence {index}: sentences are numbered from 0")
                if index in seen[side]:
                    raise InputError(
                        f"{source}:{number}: {side_name} sentence {index} is in two beads (lines {seen[side][index]} and {number})"
                    )
                seen[side][index] = number
    return beads


def read_alignment(path: str | Path) -> Alignment:
    """Read an alignment in Vecalign format or as aligner JSONL (an ``OUT`` folder works too)."""
    file = Path(path)
    if file.is_dir() and (file / "alignments.jsonl").is_file():
        file = file / "alignments.jsonl"
    try:
        text = read_bytes(file).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{file}: is not UTF-8 text") from None
    if text.lstrip().startswith("{"):
        return parse_jsonl(text, str(file))
    return parse_vecalign(text, str(file))


def _sentence_count(alignment: Alignment, side: int) -> int:
    """How many sentences a side has as the alignment tells: one past its highest index."""
    return max((index + 1 for bead in alignment for index in bead[side]), default=0)


def check_same_sentences(gold: Alignment, predicted: Alignment, name: str) -> None:
    """Raise :class:`InputError` unless the two alignments reach the same last sentence on each
    side (a gold may leave sentences out between). A document segmented otherwise than the
    gold's (its lines re-segmented where the gold counts one sentence a line) would score near 0
    with no error of the aligner's: that is said, not scored. A gold that numbers sentences from
    1 (neither side has a sentence 0, and each reaches one past the prediction) is said to be so."""
    counts = [(_sentence_count(gold, side), _sentence_count(predicted, side)) for side in (0, 1)]
    numbered_from_one = all(in_gold == in_predicted + 1 for in_gold, in_predicted in counts) and not any(
        0 in bead[side] for bead in gold for side in (0, 1)
    )
    if numbered_from_one:
        raise InputError(
            f"{name}: the gold alignment numbers sentences from 1 (it has no sentence 0 and one more on each side "
            "than the prediction); Vecalign's format, which aligner reads and writes, numbers them from 0"
        )
    for (in_gold, in_predicted), side_name in zip(counts, ("source", "target")):
        if in_gold != in_predicted:
            raise InputError(
                f"{name}: the gold alignment has {in_gold} {side_name} sentences, the prediction {in_predicted}: they were "
                "not made from the same sentences. Documents with one sentence per line, as gold alignments count them, "
                "are aligned with `aligner align --presegmented`; a gold of only part of the documents is scored with "
                "--partial-gold"
            )


def _hits(reference: Alignment, predicted: Alignment) -> tuple[int, int, int]:
    gold = {bead for bead in reference if bead[0] or bead[1]}
    gold_sets = [(set(s), set(t)) for s, t in gold]
    strict = lax = total = 0
    for src, tgt in {bead for bead in predicted if bead[0] or bead[1]}:
        total += 1
        if (src, tgt) in gold:
            strict += 1
            lax += 1
            continue
        s, t = set(src), set(tgt)
        if any(((s & gs) or (not s and not gs)) and ((t & gt) or (not t and not gt)) for gs, gt in gold_sets):
            lax += 1
    return strict, lax, total


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignment(gold: Alignment, predicted: Alignment) -> Scores:
    strict_tp, lax_tp, n_predicted = _hits(gold, predicted)
    strict_rc, lax_rc, n_gold = _hits(predicted, gold)
    sp = strict_tp / n_predicted if n_predicted else 0.0
    lp = lax_tp / n_predicted if n_predicted else 0.0
    sr = strict_rc / n_gold if n_gold else 0.0
    lr = lax_rc / n_gold if n_gold else 0.0
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def _shape(bead: tuple[tuple[int, ...], tuple[int, ...]]) -> str:
    return f"{len(bead[0])}-{len(bead[1])}"


@dataclass(frozen=True)
class ShapeCounts:
    """Gold beads per shape, how many of them were predicted exactly, and the unaligned beads
    (1-0, 0-1): predicted, gold, and both. Counts add up across documents."""

    gold: dict[str, int]
    found: dict[str, int]
    unaligned_predicted: int
    unaligned_gold: int
    unaligned_found: int

    def __add__(self, other: ShapeCounts) -> ShapeCounts:
        shapes = sorted(set(self.gold) | set(other.gold))
        return ShapeCounts(
            {k: self.gold.get(k, 0) + other.gold.get(k, 0) for k in shapes},
            {k: self.found.get(k, 0) + other.found.get(k, 0) for k in shapes},
            self.unaligned_predicted + other.unaligned_predicted,
            self.unaligned_gold + other.unaligned_gold,
            self.unaligned_found + other.unaligned_found,
        )

    def recall(self) -> dict[str, float]:
        """Exact recall of each gold shape, most frequent first."""
        order = sorted(self.gold, key=lambda k: (-self.gold[k], k))
        return {k: self.found.get(k, 0) / self.gold[k] for k in order}

    @property
    def unaligned_precision(self) -> float:
        return self.unaligned_found / self.unaligned_predicted if self.unaligned_predicted else 1.0

    @property
    def unaligned_recall(self) -> float:
        return self.unaligned_found / self.unaligned_gold if self.unaligned_gold else 1.0


def shape_counts(gold: Alignment, predicted: Alignment) -> ShapeCounts:
    """Per-shape exact recall counts and unaligned-bead counts of one document."""
    gold_beads = {bead for bead in gold if bead[0] or bead[1]}
    predicted_beads = {bead for bead in predicted if bead[0] or bead[1]}
    counts: dict[str, int] = {}
    found: dict[str, int] = {}
    for bead in gold_beads:
        counts[_shape(bead)] = counts.get(_shape(bead), 0) + 1
        if bead in predicted_beads:
            found[_shape(bead)] = found.get(_shape(bead), 0) + 1
    unaligned_gold = {bead for bead in gold_beads if not (bead[0] and bead[1])}
    unaligned_predicted = {bead for bead in predicted_beads if not (bead[0] and bead[1])}
    return ShapeCounts(counts, found, len(unaligned_predicted), len(unaligned_gold), len(unaligned_gold & unaligned_predicted))


def format_vecalign(alignment: Alignment) -> str:
    return "".join(f"{list(s)}:{list(t)}\n" for s, t in alignment)


#: How far a figure may fall below its committed baseline before an evaluation script fails.
REGRESSION_TOLERANCE = 0.01


def regressions(measured: dict[str, float], floors: dict[str, float], what: str) -> list[str]:
    """One line per figure that fell more than :data:`REGRESSION_TOLERANCE` below its baseline."""
    return [
        f"{what} {label}: {measured[label]:.4f} < baseline {floor:.4f}"
        for label, floor in floors.items()
        if label in measured and measured[label] < floor - REGRESSION_TOLERANCE
    ]
