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
    if not beads:
        raise InputError(f"{source}: holds no alignment")
    return beads


def parse_jsonl(text: str, source: str = "<text>") -> Alignment:
    """Read beads from aligner's ``alignments.jsonl`` (fields ``src_idx`` and ``tgt_idx``)."""
    beads: Alignment = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            beads.append((tuple(record["src_idx"]), tuple(record["tgt_idx"])))
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f"{source}:{number}: not an alignment record with src_idx and tgt_idx") from None
    if not beads:
        raise InputError(f"{source}: holds no alignment")
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
