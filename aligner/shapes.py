"""Bead shapes: how many sentences of each side one aligned unit may hold."""

from __future__ import annotations

#: Most sentences on one side of a bead, by default, and most in a bead with several on both
#: sides: every shape from 1-1 to 1-5, 2-3, 3-2 and 5-1. Bertalign's limit is 5 sentences in all;
#: one sentence translated by five (1-5) is measured worth its cost (``scripts/evaluate.py
#: --max-bead``; the README).
DEFAULT_MAX_BEAD = 5


def bead_shapes(max_bead: int = DEFAULT_MAX_BEAD) -> tuple[tuple[int, int], ...]:
    """Bead shapes as (source sentences, target sentences): 1-1, 1-0, 0-1, then every ``a-b``
    with ``a, b >= 1``, at most ``max_bead`` on either side and at most ``max_bead`` together
    where both sides hold several (one sentence may be translated by ``max_bead``; a run of
    sentences by another run only within ``max_bead`` in all), smaller beads first (ties in the
    search go to the shape listed first)."""
    if max_bead < 1:
        raise ValueError(f"a bead holds at least 1 sentence a side (1-1), not {max_bead}")
    larger = [
        (a, total - a)
        for total in range(3, max_bead + 2)
        for a in range(1, total)
        if max(a, total - a) <= max_bead and (min(a, total - a) == 1 or total <= max_bead)
    ]
    return ((1, 1), (1, 0), (0, 1), *larger)


def max_span(shapes: tuple[tuple[int, int], ...]) -> int:
    """Most sentences one side of these shapes covers."""
    return max(max(a, b) for a, b in shapes)
