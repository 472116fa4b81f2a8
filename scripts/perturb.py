"""Perturbed document pairs with a known alignment, for evaluating aligners on real text.

Starting from a line-aligned pair, each operation changes the pair the way real translations
differ: two sentences merged on one side (2-1, 1-2), a sentence dropped on one side (1-0, 0-1),
an unrelated sentence inserted on one side.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from aligner.evaluate import Alignment

OPERATIONS = ("merge_src", "merge_tgt", "drop_src", "drop_tgt", "insert_src", "insert_tgt")


@dataclass
class PerturbedPair:
    src: list[str]
    tgt: list[str]
    gold: Alignment


def perturb(
    src: list[str], tgt: list[str], rng: random.Random, operations: int, filler_src: list[str], filler_tgt: list[str]
) -> PerturbedPair:
    """Apply ``operations`` random edits to a 1-1 aligned pair; return texts and gold alignment."""
    beads: list[tuple[list[str], list[str]]] = [([s], [t]) for s, t in zip(src, tgt)]
    for _ in range(operations):
        kind = rng.choice(OPERATIONS)
        k = rng.randrange(len(beads))
        if kind.startswith("merge"):
            if k + 1 >= len(beads) or not all(len(b[0]) == 1 and len(b[1]) == 1 for b in beads[k : k + 2]):
                continue
            (s1, t1), (s2, t2) = beads[k], beads[k + 1]
            if kind == "merge_tgt":
                beads[k : k + 2] = [(s1 + s2, [f"{t1[0]} {t2[0]}"])]
            else:
                beads[k : k + 2] = [([f"{s1[0]} {s2[0]}"], t1 + t2)]
        elif kind.startswith("drop"):
            s, t = beads[k]
            if len(s) != 1 or len(t) != 1:
                continue
            beads[k] = (s, []) if kind == "drop_tgt" else ([], t)
        else:
            sentence = rng.choice(filler_src if kind == "insert_src" else filler_tgt)
            beads.insert(k, ([sentence], []) if kind == "insert_src" else ([], [sentence]))
    out_src: list[str] = []
    out_tgt: list[str] = []
    gold: Alignment = []
    for s, t in beads:
        gold.append((tuple(range(len(out_src), len(out_src) + len(s))), tuple(range(len(out_tgt), len(out_tgt) + len(t)))))
        out_src += s
        out_tgt += t
    return PerturbedPair(out_src, out_tgt, gold)


def documents(src_lines: list[str], tgt_lines: list[str], size: int = 30) -> list[tuple[list[str], list[str]]]:
    """Cut a line-aligned corpus into consecutive documents of ``size`` lines."""
    return [(src_lines[k : k + size], tgt_lines[k : k + size]) for k in range(0, len(src_lines) - size + 1, size)]
