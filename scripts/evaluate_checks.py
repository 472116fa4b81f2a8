"""How well each translation check catches each kind of error, on corrupted real news pairs.

From ``../shared/data/newstest201{6,7}.{tr,en}`` (human translations, line-aligned) it builds, with
a fixed seed, documents of 30 pairs in which about a third of the pairs are corrupted, each with
one error kind: a number changed, a clause dropped, a name replaced (by another name the article
has on both sides: a misattribution), the neighbour's translation
(misaligned), a far line's translation (shuffled), the source copied (untranslated), or a Turkish
sentence in place of the English (wrong language). The checks run per document, as in
``aligner align``; for every check and error kind it prints ROC-AUC (good pairs against pairs
with that error) and recall at 95% precision, and the same for the combined score.

The offline checks only: forced decoding and chrF need MarianMT models, which cannot be had here.
``--check BASELINE`` fails (exit 1) when a combined ROC-AUC falls more than 0.01 below the
committed baseline. Skips cleanly when ``../shared`` is absent.

    python scripts/evaluate_checks.py [--pairs 1500] [--check scripts/evaluate_checks_baseline.json] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from aligner.check import QUALITY_FLOOR, CheckConfig, PairBatch, run_checks
from aligner.embed import DEFAULT_ENCODER, make_encoder
from aligner.evaluate import regressions
from aligner.models import SharedModels
from aligner.score import fold

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 2017
DOCUMENT = 30
CORRUPT_SHARE = 0.35
OFFLINE_CHECKS = "embedding,numbers,names,length,language,untranslated,empty"
KINDS = (
    "number changed",
    "clause dropped",
    "name replaced",
    "misaligned neighbour",
    "shuffled pair",
    "untranslated copy",
    "wrong language",
)
#: Error kinds the offline checks can see, which the combined score must catch (ROC-AUC >= 0.95).
VISIBLE = ("number changed", "name replaced", "misaligned neighbour", "shuffled pair", "untranslated copy", "wrong language")
_DIGITS = re.compile(r"\d+")
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]{2,}")


def corrupt(kind: str, k: int, src: list[str], tgt: list[str], rng: random.Random) -> str | None:
    """Target ``k`` corrupted by ``kind``, or None where the pair cannot carry that error."""
    sentence = tgt[k]
    if kind == "number changed":
        numbers = list(_DIGITS.finditer(sentence))
        if not numbers:
            return None
        match = rng.choice(numbers)
        value = int(match.group(0))
        replacement = str(value + rng.choice([1, 2, 3, 10]) if value < 1000 else value + rng.choice([1, 100, 1000]))
        return sentence[: match.start()] + replacement + sentence[match.end() :]
    if kind == "clause dropped":
        cut = sentence.rfind(", ")
        if cut < len(sentence) // 3:
            return None
        return sentence[:cut] + "."
    if kind == "name replaced":
        # a name both sides of the article share, swapped for another such name of the article
        # (a misattribution); names that never occur in the source are left to the MT checks
        source_text = fold(" ".join(src))
        shared = [m for m in _NAME.finditer(sentence) if fold(m.group(0))[:4] in source_text]
        others = sorted({m.group(0) for line in tgt for m in _NAME.finditer(line) if fold(m.group(0))[:4] in source_text})
        others = [o for o in others if fold(o)[:4] not in fold(sentence)]
        if not shared or not others:
            return None
        match = rng.choice(shared)
        return sentence[: match.start()] + rng.choice(others) + sentence[match.end() :]
    if kind == "misaligned neighbour":
        return tgt[k + 1] if k + 1 < len(tgt) else tgt[k - 1]
    if kind == "shuffled pair":
        return tgt[(k + len(tgt) // 2) % len(tgt)]
    if kind == "untranslated copy":
        return src[k]
    if kind == "wrong language":
        return src[(k + len(src) // 3) % len(src)]
    raise ValueError(kind)


def labelled_documents(data: Path, pairs: int, fitting: bool = False) -> list[tuple[list[str], list[str], list[str]]]:
    """Documents of (source, target, label) lists: label "good" or an error kind.

    Evaluation documents come from the front of a seeded shuffle of all 30-line windows, fitting
    documents (``fitting``) from its back: the two never share a line.
    """
    src, tgt = [], []
    for year in (2016, 2017):
        src += (data / f"newstest{year}.tr").read_text(encoding="utf-8").splitlines()
        tgt += (data / f"newstest{year}.en").read_text(encoding="utf-8").splitlines()
    rng = random.Random(SEED)
    starts = list(range(0, len(src) - DOCUMENT, DOCUMENT))
    rng.shuffle(starts)
    documents = []
    count = max(1, pairs // DOCUMENT)
    for start in starts[-count:] if fitting else starts[:count]:
        doc_src, doc_tgt = src[start : start + DOCUMENT], tgt[start : start + DOCUMENT]
        new_tgt, labels = [], []
        for k in range(DOCUMENT):
            label, sentence = "good", doc_tgt[k]
            if rng.random() < CORRUPT_SHARE:
                for kind in rng.sample(KINDS, len(KINDS)):  # the first kind this pair can carry
                    corrupted = corrupt(kind, k, src, tgt, rng) if kind == "wrong language" else corrupt(kind, k, doc_src, doc_tgt, rng)
                    if corrupted is not None and corrupted != sentence:
                        label, sentence = kind, corrupted
                        break
            new_tgt.append(sentence)
            labels.append(label)
        documents.append((doc_src, new_tgt, labels))
    return documents


def roc_auc(good: np.ndarray, bad: np.ndarray) -> float:
    """Probability that a good pair scores above a bad one (ties count half)."""
    if not len(good) or not len(bad):
        return float("nan")
    greater = (good[:, None] > bad[None, :]).mean()
    ties = (good[:, None] == bad[None, :]).mean()
    return float(greater + ties / 2)


def recall_at_precision(good: np.ndarray, bad: np.ndarray, precision: float = 0.95) -> float:
    """Share of bad pairs caught by the best threshold ``score < t`` whose flags are at least
    ``precision`` bad, with as many good pairs as bad ones (a balanced mix)."""
    if not len(good) or not len(bad):
        return float("nan")
    best = 0.0
    for threshold in np.unique(np.concatenate([good, bad])):
        caught = (bad <= threshold).mean()
        false = (good <= threshold).mean()
        if caught and caught / (caught + false) >= precision:
            best = max(best, float(caught))
    return best


def run_documents(documents: list, config: CheckConfig, models: SharedModels) -> tuple[list[str], dict[str, np.ndarray], np.ndarray, int]:
    """Check each document as one batch: labels, each check's qualities (nan where it does not
    apply), the combined scores, and the number of documents."""
    labels: list[str] = []
    qualities: dict[str, list[float]] = {}
    combined: list[float] = []
    for doc_src, doc_tgt, doc_labels in documents:
        report = run_checks(PairBatch(doc_src, doc_tgt, "tr", "en"), ["1-1"] * len(doc_src), config, models)
        labels += doc_labels
        combined += report.scores
        for name in report.used:
            qualities.setdefault(name, []).extend(values.get(name, float("nan")) for values in report.checks)
    return labels, {name: np.array(values) for name, values in qualities.items()}, np.array(combined), len(documents)


WEIGHT_GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)  # every check keeps a say


def fit_weights(labels: np.ndarray, qualities: dict[str, np.ndarray]) -> dict[str, float]:
    """Coordinate search for the weights of ``prod(quality ** weight)`` that maximise the worst
    ROC-AUC over the visible error kinds (ties broken by the mean over all kinds)."""
    logs = {name: np.where(np.isnan(q), 0.0, np.log(np.maximum(np.nan_to_num(q, nan=1.0), QUALITY_FLOOR))) for name, q in qualities.items()}
    good = labels == "good"

    def objective(weights: dict[str, float]) -> float:
        score = sum(weight * logs[name] for name, weight in weights.items())
        aucs = {kind: roc_auc(score[good], score[labels == kind]) for kind in KINDS}
        return min(aucs[kind] for kind in VISIBLE) + 0.1 * float(np.mean(list(aucs.values())))

    weights = {name: 1.0 for name in qualities}
    best = objective(weights)
    for _ in range(3):
        for name in weights:
            for value in WEIGHT_GRID:
                trial = {**weights, name: value}
                result = objective(trial)
                if result > best + 1e-6:
                    best, weights = result, trial
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pairs", type=int, default=1500, help="pairs in the test set (documents of 30)")
    parser.add_argument("--check", type=Path, help="baseline JSON: fail if a combined ROC-AUC drops below it")
    parser.add_argument("--fit", action="store_true", help="fit the checks' weights on other documents and print them")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found (the shared development data is absent)")
        return 0
    config = CheckConfig.from_names(OFFLINE_CHECKS)
    encoder = make_encoder(DEFAULT_ENCODER)
    models = SharedModels(make_encoder=lambda: encoder)
    if args.fit:
        labels, qualities, _, _ = run_documents(labelled_documents(args.data, args.pairs, fitting=True), config, models)
        print(json.dumps(fit_weights(np.array(labels), qualities), indent=2))
        return 0
    start = time.perf_counter()
    labels, qualities, combined, documents = run_documents(labelled_documents(args.data, args.pairs), config, models)
    seconds = time.perf_counter() - start
    label_array = np.array(labels)
    columns = {**{name: np.nan_to_num(values, nan=1.0) for name, values in qualities.items()}, "combined": combined}
    table: dict[str, dict[str, dict[str, float]]] = {}
    for name, values in columns.items():
        good = values[label_array == "good"]
        table[name] = {
            kind: {
                "roc_auc": round(roc_auc(good, values[label_array == kind]), 4),
                "recall_at_95": round(recall_at_precision(good, values[label_array == kind]), 4),
            }
            for kind in KINDS
        }
    counts = {kind: int((label_array == kind).sum()) for kind in ("good", *KINDS)}
    if args.json:
        print(json.dumps({"pairs": len(labels), "counts": counts, "seconds": round(seconds, 1), "checks": table}, indent=2))
    else:
        print(f"{len(labels)} newstest pairs (tr-en) in {documents} documents: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        print(f"checks run offline in {seconds:.1f}s (embeddings included). Cells: ROC-AUC / recall at 95% precision")
        short = [kind.split()[0] for kind in KINDS]
        print(f"{'check':<14}" + "".join(f"{name:>15}" for name in short))
        for name, row in table.items():
            print(f"{name:<14}" + "".join(f"{row[kind]['roc_auc']:>8.3f}/{row[kind]['recall_at_95']:<6.2f}" for kind in KINDS))
    if args.check:
        baseline = json.loads(args.check.read_text(encoding="utf-8"))["combined_roc_auc"]
        failures = regressions({kind: row["roc_auc"] for kind, row in table["combined"].items()}, baseline, "combined ROC-AUC on")
        for failure in failures:
            print(f"REGRESSION {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
