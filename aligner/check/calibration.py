"""What good translations look like to each check, so that checks can be compared and combined.

A check's raw quality means different things for different checks: a length ratio of 0.6 is
common in good pairs, a numbers quality of 0.6 is rare. :func:`calibrated` turns a quality into
the share of good pairs (human translations of the development sets: Turkish-English news,
German-French yearbook) whose quality is at most as high: 0.01 reads "only 1% of good
translations look this bad to this check". Nothing here is fitted on corrupted pairs: the table
is measured on good pairs only (``scripts/evaluate_checks.py --calibrate``), so the combined
score does not favour the errors some recipe made.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

CALIBRATION_FILE = Path(__file__).resolve().parents[1] / "data" / "check-calibration.json"
#: Quantiles kept per check and language pair (each language pair counts the same).
QUANTILES = 500


def calibration_table(qualities_per_pair: dict[str, list[np.ndarray]]) -> dict[str, list[float]]:
    """Each check's good-pair qualities as ``QUANTILES`` quantiles per language pair, pooled."""
    table = {}
    for name, per_pair in qualities_per_pair.items():
        levels = (np.arange(QUANTILES) + 0.5) / QUANTILES
        pooled = np.concatenate([np.quantile(values, levels, method="inverted_cdf") for values in per_pair if len(values)])
        table[name] = [round(float(v), 5) for v in np.sort(pooled)]
    return table


@functools.cache
def _table() -> dict[str, np.ndarray]:
    if not CALIBRATION_FILE.is_file():
        return {}
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return {name: np.asarray(values, dtype=np.float64) for name, values in data.items()}


def calibrated(name: str, quality: float) -> float:
    """The share of good pairs whose ``name`` quality is at most ``quality`` (smoothed, never 0
    but for a quality of 0 below every good pair's): below the lowest quality any good pair had it
    falls in proportion, so a little below is unusual and far below is decisive. A check without a
    table (one that needs a model no calibration run had) keeps its quality as it is."""
    values = _table().get(name)
    if values is None or not len(values):
        return quality
    below = int(np.searchsorted(values, quality, side="right"))
    if below == 0:
        return 0.5 / (len(values) + 1) * max(quality, 0.0) / max(float(values[0]), 1e-6)
    return (below + 0.5) / (len(values) + 1)
