"""Compare sentence segmenters on paragraphs rebuilt from the WMT newstest files.

Consecutive lines of ``../shared/data/newstest201{6,7}.{tr,en}`` (one sentence per line), and the
sentences of the Text+Berg development article (de, fr: :func:`development_sentences`), are joined
into paragraphs of 1 to 6 sentences with a fixed seed; each segmenter, raw and with aligner's
boundary repair, must find the joins again; and the default segmenter must find them in the
paragraphs hard-wrapped as a book's text file is, read as ``aligner align`` reads one
(:func:`wrapped_score`). Prints boundary precision, recall and F1 per language. Skips cleanly
when ``../shared`` is absent.

    python scripts/evaluate_segmentation.py [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
from functools import partial
from pathlib import Path
from typing import Any

from aligner.read import split_paragraphs
from aligner.registry import SEGMENTERS, resolve
from aligner.segment import AutoSegmenter, repair_boundaries, segment_paragraphs

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


#: A line that ends a sentence: a sentence mark, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…]\s*[\"'”’»)]*\s*$")


def development_sentences(data: Path) -> list[tuple[str, list[str]]]:
    """(language, sentences) of each development set: newstest's lines (tr, en), and the Text+Berg
    article's (de, fr: yearbook prose with abbreviations, "Dr. med.", "S. 45", "env. 3 km"), whose
    lines that end without a sentence mark (cut at ";" or ":") are joined to the next, so that
    only sentence ends count as boundaries."""
    found = []
    for language in ("tr", "en"):
        lines = []
        for year in (2016, 2017):
            lines += (data / f"newstest{year}.{language}").read_text(encoding="utf-8").splitlines()
        found.append((language, lines))
    for language in ("de", "fr"):
        path = data / "textberg-dev" / f"eval1957.{language}"
        if not path.is_file():
            continue
        sentences, pending = [], ""
        for line in path.read_text(encoding="utf-8").splitlines():
            pending = f"{pending} {line.strip()}".strip()
            if pending and _SENTENCE_END.search(pending):
                sentences.append(pending)
                pending = ""
        found.append((language, sentences + ([pending] if pending else [])))
    return found


def build_paragraphs(lines: list[str], seed: int = 13) -> list[list[str]]:
    rng = random.Random(seed)
    paragraphs, start = [], 0
    while start < len(lines):
        size = rng.randint(1, 6)
        paragraphs.append(lines[start : start + size])
        start += size
    return paragraphs


def boundaries(sentences: list[str]) -> set[int]:
    """Offsets (in characters, spaces removed) at which a sentence ends inside the paragraph."""
    cuts, offset = set(), 0
    for sentence in sentences[:-1]:
        offset += len("".join(sentence.split()))
        cuts.add(offset)
    return cuts


def score(paragraphs: list[list[str]], segment) -> dict[str, float]:
    true_positive = predicted = gold = 0
    for sentences in paragraphs:
        expected = boundaries(sentences)
        found = boundaries(segment(" ".join(sentences)))
        true_positive += len(expected & found)
        predicted += len(found)
        gold += len(expected)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _repaired(segmenter: Any, language: str, text: str) -> list[str]:
    return repair_boundaries(segmenter.segment(text), language)


#: Columns the same paragraphs are wrapped at to be read as a book's text file is.
WRAP = 72


def wrapped_score(paragraphs: list[list[str]], language: str) -> dict[str, float]:
    """The default segmenter with its repairs on the paragraphs hard-wrapped at ``WRAP`` columns
    (blank lines between them) and read as ``aligner align`` reads a text file: the boundaries of
    the whole text, so that a paragraph cut at a wrapped line counts as a false boundary."""
    text = "\n\n".join(textwrap.fill(" ".join(p), width=WRAP, break_on_hyphens=False, break_long_words=False) for p in paragraphs)
    sentences = segment_paragraphs(split_paragraphs(text, language), AutoSegmenter(language), language)
    expected, found = boundaries([s for p in paragraphs for s in p]), boundaries(sentences)
    true_positive = len(expected & found)
    precision = true_positive / len(found) if found else 0.0
    recall = true_positive / len(expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args()
    if not (args.data / "newstest2016.tr").is_file():  # no folder, or one without the development data
        print(f"skipped: {args.data} has no newstest (the shared development data is absent)")
        return 0
    results = []
    for language, lines in development_sentences(args.data):
        paragraphs = build_paragraphs(lines)
        for name in sorted(set(SEGMENTERS) - {"auto"}):  # auto is moses for these two languages
            try:
                segmenter = resolve(SEGMENTERS, name, "segmenter")(language)
            except Exception as error:  # an optional library that is not installed
                print(f"{name}: not available ({error})", file=sys.stderr)
                continue
            for repaired in (False, True):
                run = partial(_repaired, segmenter, language) if repaired else segmenter.segment
                figures = score(paragraphs, run)
                results.append({"language": language, "segmenter": name, "repair": repaired, **figures})
        results.append(
            {"language": language, "segmenter": f"auto, wrapped at {WRAP}", "repair": True, **wrapped_score(paragraphs, language)}
        )
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'lang':<5}{'segmenter':<22}{'repair':<8}{'precision':>10}{'recall':>9}{'F1':>8}")
    for row in results:
        print(
            f"{row['language']:<5}{row['segmenter']:<22}{'yes' if row['repair'] else 'no':<8}"
            f"{row['precision']:>10.4f}{row['recall']:>9.4f}{row['f1']:>8.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
