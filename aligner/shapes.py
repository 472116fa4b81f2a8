"""Bead shapes: how many sentences of each side one aligned unit may hold."""

from __future__ import annotations

#: Most sentences a bead holds on its two sides together, by default (Bertalign's limit): every
#: shape from 1-1 to 1-4, 2-3, 3-2 and 4-1. Measured on the development sets by
#: ``scripts/evaluate.py --max-bead``.
DEFAULT_MAX_BEAD = 5


def bead_shapes(max_bead: int = DEFAULT_MAX_BEAD) -> tuple[tuple[int, int], ...]:
    """Bead shapes as (source sentences, target sentences): 1-1, 1-0, 0-1, then every ``a-b``
    with ``a, b >= 1`` and ``a + b <= max_bead``, smaller beads first (ties in the search go to
    the shape listed first)."""
    if max_bead < 2:
        raise ValueError(f"a bead holds at least 2 sentences (1-1), not {max_bead}")
    larger = [(a, total - a) for total in range(3, max_bead + 1) for a in range(1, total)]
    return ((1, 1), (1, 0), (0, 1), *larger)


def max_span(shapes: tuple[tuple[int, int], ...]) -> int:
    """Most sentences one side of these shapes covers."""
    return max(max(a, b) for a, b in shapes)
