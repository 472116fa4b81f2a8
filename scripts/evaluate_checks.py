"""How well the translation checks catch each kind of error, made several ways, in two language pairs.

Good pairs are human translations: Turkish-English news (``newstest2016|2017``) and the German-French
Text+Berg yearbook article (its gold beads with both sides), both from ``../shared/data``
(skipped cleanly when absent). They are cut into documents of 30 pairs, and about a third of the
pairs get one error, each of a kind and made by one of several recipes:

- ``number changed``: a number's value moved (+1, +10 …); one digit anywhere replaced by another;
  a number deleted;
- ``name replaced``: a name the document has on both sides swapped for another of them (a
  misattribution); a name swapped for a name of another document (a hallucinated name);
- ``misaligned``: the next pair's target; the previous pair's target; the target two ahead;
- ``shuffled pair``: the target of a pair half a document away;
- ``untranslated``: the source copied as the target; another source sentence of the document;
- ``wrong language``: a sentence in a third language (German for tr-en, English for de-fr);
- ``clause dropped``: the target's last clause cut (the offline checks barely see it).

More kinds, no weight fitted on them, each in its own draw of errors over the same documents
(the figures above stay comparable from run to run): ``sentence added`` (the next or previous
target, or a sentence of another document, joined to the target: a neighbour mixed in),
``words changed`` (a third of the words dropped, or replaced by words about as frequent: after
bicleaner-ai's noise), ``truncated`` (the target cut mid-sentence), ``hallucination`` (its last
words said again and again, a machine translation in a loop). Then, in draws of their own too,
``partly untranslated`` and ``partly misaligned`` (the second half in the source's words, the
last third another sentence's), and a proper name swapped for a proper name of another
document (whole words the corpus never writes in lower case, as a named-entity tagger takes
names; the first recipe of the kind also swaps capitalised common words); and ``number changed``
made two more ways, a number in words swapped for another ("three" for "five") and a decimal's
mark dropped ("1.5" become "15").

The checks run per document, as ``aligner check`` runs them. For each language pair and recipe it
prints ROC-AUC (good pairs against pairs with that error, on the combined ``score``) and recall at
95% precision. The combined score is calibrated on good pairs only (``--calibrate``: the
other half of the documents, never the evaluated ones), never on corruptions, so no recipe here
was fitted on. ``--mixed`` checks one shuffled batch of pairs drawn from across the corpus
instead, as a TSV of many documents is checked. ``--seeds 2017,11,12`` pools the pairs of several
draws (other windows of the evaluated half, other errors): more errors of each recipe, so that a
change is told from chance. ``--source-side`` has every recipe corrupt the source sentence
instead of the target (the side no check was fitted on); ``--other-way`` checks each language
pair the other way round (en-tr, fr-de: target languages no check was fitted on). ``--mt`` also
checks the de-fr pairs given each of the article's four real machine translations of the German
(the same documents and errors), with the chrF check too, whose calibration (``--calibrate``)
those translations' good pairs make. ``--per-check`` adds each check's own
ROC-AUC. ``--check BASELINE`` fails (exit 1) when a figure falls more than 0.01 below the
committed baseline.

    python scripts/evaluate_checks.py [--pairs 1500] [--mixed] [--seeds 2017,11] [--source-side | --other-way] [--mt] [--per-check] [--check FILE] [--json]
    python scripts/evaluate_checks.py --calibrate    # rewrite aligner/data/check-calibration.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import numpy as np

from aligner.anchors import fold
from aligner.check import SHARE_FLOOR, CheckConfig, PairBatch, run_checks
from aligner.check.calibration import CALIBRATION_FILE, calibration_table
from aligner.embed import DEFAULT_ENCODER, make_encoder
from aligner.evaluate import parse_vecalign, regressions
from aligner.models import SharedModels
from aligner.read import read_lines

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SEED = 2017
DOCUMENT = 30
CORRUPT_SHARE = 0.35
OFFLINE_CHECKS = (
    "embedding,neighbours,unmatched_sentence,unmatched_part,name_swap,numbers,names,length,language,untranslated,repetition,cut_off,empty"
)
#: The Text+Berg article's real machine translations of the German (``eval1957.de2fr.*``), from
#: good to poor: with ``--mt`` the chrF check joins the offline ones on each, and ``--calibrate``
#: measures its good pairs on all four.
TEXTBERG_MT = ("google", "europarlfull", "europarllight", "SACunidir")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<=\s)[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{2,}")
#: A whole word of three letters or more, in any alphabet, up to a suffix set off by an
#: apostrophe ("Putin" of "Putin'in"); :data:`_NAME` stops at a letter beyond Latin-1 ("Çal" of
#: "Çalışkan").
_WHOLE_NAME = re.compile(r"(?<=\s)[^\W\d_]{3,}(?![\w])")


@dataclass
class Context:
    """What a recipe may draw from: the document, the whole corpus of its language pair."""

    src: list[str]
    tgt: list[str]
    corpus_tgt: list[str]  # every target sentence of the language pair
    third_language: list[str]  # sentences in a language neither side is in
    rng: random.Random
    corpus_lower: frozenset[str]  # the words ``corpus_tgt`` writes in lower case somewhere
    tgt_lang: str


def lower_case_words(sentences: list[str]) -> frozenset[str]:
    """Every word written in lower case somewhere in ``sentences``."""
    return frozenset(word for sentence in sentences for word in re.findall(r"\w+", sentence) if word[0].islower())


Recipe = Callable[[int, Context], str | None]


def _value_moved(k: int, c: Context) -> str | None:
    numbers = list(_NUMBER.finditer(c.tgt[k]))
    if not numbers:
        return None
    match = c.rng.choice(numbers)
    digits = re.sub(r"\D", "", match.group(0))
    value = int(digits) + c.rng.choice([1, 2, 3, 10] if int(digits) < 1000 else [1, 100, 1000])
    return c.tgt[k][: match.start()] + str(value) + c.tgt[k][match.end() :]


def _digit_replaced(k: int, c: Context) -> str | None:
    digits = list(_DIGIT.finditer(c.tgt[k]))
    if not digits:
        return None
    match = c.rng.choice(digits)
    other = c.rng.choice([d for d in "0123456789" if d != match.group(0)])
    return c.tgt[k][: match.start()] + other + c.tgt[k][match.end() :]


def _number_deleted(k: int, c: Context) -> str | None:
    numbers = list(_NUMBER.finditer(c.tgt[k]))
    if not numbers:
        return None
    match = c.rng.choice(numbers)
    return re.sub(r"\s{2,}", " ", c.tgt[k][: match.start()] + c.tgt[k][match.end() :]).strip()


#: Numbers in words, this script's own lists (not the checks'): cardinals from two to twelve,
#: ordinals from third to tenth ("second" is also a unit of time), each list in one form.
_NUMBER_WORD_LISTS = {
    "en": ["two three four five six seven eight nine ten eleven twelve", "third fourth fifth sixth seventh eighth ninth tenth"],
    "fr": [
        "deux trois quatre cinq six sept huit neuf dix onze douze",
        "troisième quatrième cinquième sixième septième huitième neuvième dixième",
    ],
    "tr": ["iki üç dört beş altı yedi sekiz dokuz on", "üçüncü dördüncü beşinci altıncı yedinci sekizinci dokuzuncu onuncu"],
    "de": [
        "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf",
        "dritte vierte fünfte sechste siebte achte neunte zehnte",
        "dritten vierten fünften sechsten siebten achten neunten zehnten",
    ],
}


def _number_word_replaced(k: int, c: Context) -> str | None:
    """A number in words swapped for another of its list ("three" for "five"), case kept."""
    lists = [words.split() for words in _NUMBER_WORD_LISTS.get(c.tgt_lang, [])]
    found = [(m, words) for words in lists for m in re.finditer(r"\w+", c.tgt[k]) if m.group(0).lower() in words]
    if not found:
        return None
    match, words = c.rng.choice(found)
    new = c.rng.choice([w for w in words if w != match.group(0).lower()])
    new = new.capitalize() if match.group(0)[0].isupper() else new
    return c.tgt[k][: match.start()] + new + c.tgt[k][match.end() :]


def _decimal_mark_dropped(k: int, c: Context) -> str | None:
    """A decimal number's mark left out ("1,5" for "1.5" becomes "15"; one or two digits after
    the mark, so that it is no thousands separator)."""
    marks = list(re.finditer(r"(?<=\d)[.,](?=\d{1,2}(?!\d))", c.tgt[k]))
    if not marks:
        return None
    match = c.rng.choice(marks)
    return c.tgt[k][: match.start()] + c.tgt[k][match.end() :]


def _shared_names(k: int, c: Context, pattern: re.Pattern[str] = _NAME) -> list[re.Match[str]]:
    source_text = fold(" ".join(c.src))
    return [m for m in pattern.finditer(c.tgt[k]) if m.group(0)[0].isupper() and fold(m.group(0))[:4] in source_text]


def _name_of_the_document(k: int, c: Context) -> str | None:
    source_text = fold(" ".join(c.src))
    shared = _shared_names(k, c)
    others = sorted({m.group(0) for line in c.tgt for m in _NAME.finditer(line) if fold(m.group(0))[:4] in source_text})
    others = [o for o in others if fold(o)[:4] not in fold(c.tgt[k])]
    if not shared or not others:
        return None
    match = c.rng.choice(shared)
    return c.tgt[k][: match.start()] + c.rng.choice(others) + c.tgt[k][match.end() :]


def _name_of_another_document(k: int, c: Context, proper: bool = False) -> str | None:
    """A name the document has on both sides swapped for a capitalised word of another document;
    with ``proper``, both whole words and proper names: never written in lower case in the
    corpus (as a named-entity tagger would take them), where the first recipe may swap in or
    out a capitalised common word ("Middle", "Federal", "Once") or part of a word ("Çal" of
    "Çalışkan")."""
    pattern = _WHOLE_NAME if proper else _NAME
    shared = [m for m in _shared_names(k, c, pattern) if not proper or m.group(0).lower() not in c.corpus_lower]
    if not shared:
        return None
    document = fold(" ".join(c.src + c.tgt))
    for _ in range(20):
        line = c.rng.choice(c.corpus_tgt)
        names = [
            m.group(0)
            for m in pattern.finditer(line)
            if m.group(0)[0].isupper() and fold(m.group(0))[:4] not in document and not (proper and m.group(0).lower() in c.corpus_lower)
        ]
        if names:
            match = c.rng.choice(shared)
            return c.tgt[k][: match.start()] + c.rng.choice(names) + c.tgt[k][match.end() :]
    return None


def _clause_cut(k: int, c: Context) -> str | None:
    cut = c.tgt[k].rfind(", ")
    return c.tgt[k][:cut] + "." if cut >= len(c.tgt[k]) // 3 else None


def _truncated(k: int, c: Context) -> str | None:
    words = c.tgt[k].split()
    return " ".join(words[: c.rng.randint(len(words) // 2, 3 * len(words) // 4)]) if len(words) >= 8 else None


def _phrase_repeated(k: int, c: Context) -> str | None:
    words = c.tgt[k].split()
    if len(words) < 6:
        return None
    loop = words[-c.rng.randint(3, 5) : -1]
    return " ".join(words[:-1] + loop * 3 + words[-1:])


def _another_document_appended(k: int, c: Context) -> str | None:
    return f"{c.tgt[k]} {c.rng.choice(c.corpus_tgt)}"


def _words_dropped(k: int, c: Context) -> str | None:
    words = c.tgt[k].split()
    if len(words) < 6:
        return None
    dropped = set(c.rng.sample(range(len(words)), max(2, len(words) // 3)))
    return " ".join(w for i, w in enumerate(words) if i not in dropped)


def _second_half_untranslated(k: int, c: Context) -> str | None:
    target, source = c.tgt[k].split(), c.src[k].split()
    if len(target) < 8 or len(source) < 8:
        return None
    return " ".join(target[: len(target) // 2] + source[len(source) // 2 :])


def _last_third_of_another_sentence(k: int, c: Context) -> str | None:
    target, other = c.tgt[k].split(), c.tgt[(k + 7) % len(c.tgt)].split()
    if len(target) < 9 or len(other) < 4:
        return None
    return " ".join(target[: 2 * len(target) // 3] + other[len(other) // 2 :])


@cache
def _words_by_frequency(corpus: tuple[str, ...]) -> tuple[list[str], dict[str, int]]:
    counts = Counter(w for line in corpus for w in line.split() if any(ch.isalpha() for ch in w))
    ranked = [w for w, _ in counts.most_common()]
    return ranked, {w: r for r, w in enumerate(ranked)}


def _words_of_like_frequency(k: int, c: Context) -> str | None:
    """A third of the words replaced by words about as frequent in the corpus (bicleaner-ai's
    frequency noise): fluent-looking, not a translation."""
    words = c.tgt[k].split()
    ranked, rank = _words_by_frequency(tuple(c.corpus_tgt))
    replaceable = [i for i, w in enumerate(words) if w in rank]
    if len(replaceable) < 3:
        return None
    for i in c.rng.sample(replaceable, max(2, len(replaceable) // 3)):
        r = rank[words[i]]
        words[i] = ranked[min(len(ranked) - 1, max(0, r + c.rng.randint(-20, 20)))]
    return " ".join(words)


RECIPES: dict[str, dict[str, Recipe]] = {
    "number changed": {"value moved": _value_moved, "digit replaced": _digit_replaced, "number deleted": _number_deleted},
    "name replaced": {"name of the document": _name_of_the_document, "name of another document": _name_of_another_document},
    "misaligned": {
        "next target": lambda k, c: c.tgt[k + 1] if k + 1 < len(c.tgt) else None,
        "previous target": lambda k, c: c.tgt[k - 1] if k > 0 else None,
        "target two ahead": lambda k, c: c.tgt[k + 2] if k + 2 < len(c.tgt) else None,
    },
    "shuffled pair": {"far target": lambda k, c: c.tgt[(k + len(c.tgt) // 2) % len(c.tgt)]},
    "untranslated": {
        "source copied": lambda k, c: c.src[k],
        "another source sentence": lambda k, c: c.src[(k + len(c.src) // 3) % len(c.src)],
    },
    "wrong language": {"third language": lambda k, c: c.rng.choice(c.third_language)},
    "clause dropped": {"last clause cut": _clause_cut},
}
#: Kinds of error no weight was fitted on and no earlier figure used, each in its own draw of
#: errors over the same documents (so that the figures of :data:`RECIPES` stay comparable):
#: bicleaner-ai's noise (words dropped, words swapped for words as frequent, a neighbour's
#: sentence mixed in) and machine translation's failures (a cut-off output, a loop).
MORE_RECIPES: dict[str, dict[str, Recipe]] = {
    "sentence added": {
        "next target appended": lambda k, c: f"{c.tgt[k]} {c.tgt[k + 1]}" if k + 1 < len(c.tgt) else None,
        "previous target prepended": lambda k, c: f"{c.tgt[k - 1]} {c.tgt[k]}" if k > 0 else None,
        "sentence of another document appended": _another_document_appended,
    },
    "words changed": {"a third dropped": _words_dropped, "a third replaced by words as frequent": _words_of_like_frequency},
    "truncated": {"cut mid-sentence": _truncated},
    "hallucination": {"phrase repeated": _phrase_repeated},
}
#: Errors in part of a sentence, in a third draw of their own (added after the above, whose
#: figures they leave as they were): the translation left half undone (a crawled page's or an
#: MT system's), and a sentence whose end is another's (a misjoined line).
PART_RECIPES: dict[str, dict[str, Recipe]] = {
    "partly untranslated": {"second half in the source's words": _second_half_untranslated},
    "partly misaligned": {"last third from another sentence": _last_third_of_another_sentence},
}
#: A name swapped for a proper name, in a fourth draw of its own (added after the above): the
#: error the issue's held-out table names ("a name replaced by another name from elsewhere in
#: the corpus"), which the first "name of another document" recipe also makes with capitalised
#: common words.
NAME_RECIPES: dict[str, dict[str, Recipe]] = {
    "name replaced": {"proper name of another document": lambda k, c: _name_of_another_document(k, c, proper=True)},
}
#: Numbers changed as the first draw's recipes do not (added after the above, in a fifth draw of
#: its own): a number in words swapped for another, a decimal's mark dropped.
NUMBER_RECIPES: dict[str, dict[str, Recipe]] = {
    "number changed": {"number word replaced": _number_word_replaced, "decimal mark dropped": _decimal_mark_dropped},
}
#: The recipes weights are fitted on (first of each kind); the others are held apart: they show
#: whether the weights carry to errors made another way.
FIT_RECIPES = {kind: dict(list(named.items())[:1]) for kind, named in RECIPES.items()}
#: Kinds the offline checks can see: every one of their recipes must reach ROC-AUC 0.95.
VISIBLE = ("number changed", "name replaced", "misaligned", "shuffled pair", "untranslated", "wrong language")


@dataclass
class LanguagePair:
    name: str
    src_lang: str
    tgt_lang: str
    pairs: list[tuple[str, str]]  # in document order
    third_language: list[str]
    #: each MT system's translations of the pairs' sources, in the same order
    translations: dict[str, list[str]] = field(default_factory=dict)
    #: the system whose translations the checks are given (the chrF check then runs), or None
    system: str | None = None

    def with_system(self, system: str) -> LanguagePair:
        """The same pairs given ``system``'s translations (the same documents and errors: they are
        drawn by :attr:`name`)."""
        return replace(self, system=system)

    @property
    def title(self) -> str:
        return f"{self.name} +{self.system}" if self.system else self.name

    def source_translations(self, sources: list[str]) -> list[str] | None:
        """The :attr:`system`'s translations of ``sources`` (sources of this pair's pairs)."""
        if self.system is None:
            return None
        translated = dict(zip((s for s, _ in self.pairs), self.translations[self.system]))
        return [translated[s] for s in sources]


def _lines(path: Path, language: str) -> list[str]:
    """A line-per-sentence file as ``aligner check corpus.tr corpus.en`` sees it (cleaned)."""
    return read_lines(path, language=language, keep_blank=True).paragraphs


def language_pairs(data: Path) -> list[LanguagePair]:
    tr: list[str] = []
    en: list[str] = []
    for year in (2016, 2017):
        tr += _lines(data / f"newstest{year}.tr", "tr")
        en += _lines(data / f"newstest{year}.en", "en")
    found = []
    textberg = data / "textberg-dev"
    de = _lines(textberg / "eval1957.de", "de") if textberg.is_dir() else []
    if de:
        fr = _lines(textberg / "eval1957.fr", "fr")
        gold = parse_vecalign((textberg / "eval1957.gold").read_text(encoding="utf-8"))
        paired = [(s, t) for s, t in gold if s and t]
        beads = [(" ".join(de[i] for i in s), " ".join(fr[j] for j in t)) for s, t in paired]
        translations = {}
        for system in TEXTBERG_MT:
            lines = _lines(textberg / f"eval1957.de2fr.{system}", "fr")
            translations[system] = [" ".join(lines[i] for i in s) for s, _ in paired]
        found.append(LanguagePair("de-fr yearbook", "de", "fr", beads, en, translations))
    found.insert(0, LanguagePair("tr-en news", "tr", "en", list(zip(tr, en)), de or en))
    return found


def labelled_documents(
    pair: LanguagePair,
    pairs: int,
    split: str = "evaluate",
    recipes: dict[str, dict[str, Recipe]] = RECIPES,
    seed: int = SEED,
    draw: str = "",
) -> list[tuple[list[str], list[str], list[str]]]:
    """Documents of (source, target, label) lists; a label is "good" or "kind: recipe".

    The windows of 30 pairs are shuffled with a fixed seed; the evaluated documents are taken
    from the front half, the others (``split`` "calibrate": good pairs only; "fit": corrupted
    with ``recipes``) from the back half: never the same lines. Another ``seed`` draws other
    windows of the same front half and other errors.
    """
    rng = random.Random(f"{SEED}-{pair.name}")
    starts = list(range(0, len(pair.pairs) - DOCUMENT + 1, DOCUMENT))
    rng.shuffle(starts)  # the halves are the same for every seed
    half = len(starts) // 2
    if seed != SEED:
        rng = random.Random(f"{seed}-{pair.name}")
        starts = [*rng.sample(starts[:half], half), *starts[half:]]
    calibration = split == "calibrate"
    chosen = starts[half:] if split != "evaluate" else starts[: min(half, max(1, pairs // DOCUMENT))]
    if draw:  # the same documents, errors drawn apart
        rng = random.Random(f"{seed}-{draw}-{pair.name}")
    corpus_tgt = [t for _, t in pair.pairs]
    corpus_lower = lower_case_words(corpus_tgt)
    documents = []
    for start in chosen:
        src = [s for s, _ in pair.pairs[start : start + DOCUMENT]]
        tgt = [t for _, t in pair.pairs[start : start + DOCUMENT]]
        if calibration:
            documents.append((src, tgt, ["good"] * len(src)))
            continue
        context = Context(src, tgt, corpus_tgt, pair.third_language, rng, corpus_lower, pair.tgt_lang)
        new_tgt, labels = [], []
        for k in range(len(src)):
            label, sentence = "good", tgt[k]
            if rng.random() < CORRUPT_SHARE:
                options = [(kind, name, recipe) for kind, named in recipes.items() for name, recipe in named.items()]
                for kind, name, recipe in rng.sample(options, len(options)):  # the first recipe this pair can carry
                    corrupted = recipe(k, context)
                    if corrupted and corrupted != tgt[k]:
                        label, sentence = f"{kind}: {name}", corrupted
                        break
            new_tgt.append(sentence)
            labels.append(label)
        documents.append((src, new_tgt, labels))
    return documents


MIXED_GOOD = 300
MIXED_PER_RECIPE = 100


def mixed_batch(
    pair: LanguagePair, seed: int = SEED, kinds: dict[str, dict[str, Recipe]] = RECIPES, draw: str = ""
) -> tuple[list[str], list[str], list[str]]:
    """One batch as a corpus of many documents is checked (a TSV, a Moses pair): up to
    ``MIXED_GOOD`` good pairs and ``MIXED_PER_RECIPE`` pairs of each recipe (fewer in a small
    corpus), drawn from across the evaluated half of the language pair and shuffled. The "document" the names checks see is
    then the whole batch: a name from another document is mostly somewhere in it."""
    rng = random.Random(f"{seed}-mixed-{draw}-{pair.name}" if draw else f"{seed}-mixed-{pair.name}")
    starts = list(range(0, len(pair.pairs) - DOCUMENT + 1, DOCUMENT))
    random.Random(f"{SEED}-{pair.name}").shuffle(starts)  # the evaluated half, as for every seed
    positions = [start + k for start in starts[: len(starts) // 2] for k in range(DOCUMENT)]
    rng.shuffle(positions)
    corpus_tgt = [t for _, t in pair.pairs]
    corpus_lower = lower_case_words(corpus_tgt)
    good = min(MIXED_GOOD, len(positions) // 3)  # a small corpus keeps a third of its pairs good
    per_recipe = min(MIXED_PER_RECIPE, (len(positions) - good) // sum(len(named) for named in kinds.values()))
    items = [(*pair.pairs[k], "good") for k in positions[:good]]
    recipes = [(f"{kind}: {name}", recipe) for kind, named in kinds.items() for name, recipe in named.items()]
    made = dict.fromkeys((label for label, _ in recipes), 0)
    for turn, k in enumerate(positions[good:]):  # the recipes take turns, so that each gets pairs
        first = max(0, k - DOCUMENT // 2)
        window = pair.pairs[first : first + DOCUMENT]
        context = Context([s for s, _ in window], [t for _, t in window], corpus_tgt, pair.third_language, rng, corpus_lower, pair.tgt_lang)
        for offset in range(len(recipes)):
            label, recipe = recipes[(turn + offset) % len(recipes)]
            corrupted = recipe(k - first, context) if made[label] < per_recipe else None
            if corrupted and corrupted != pair.pairs[k][1]:
                items.append((pair.pairs[k][0], corrupted, label))
                made[label] += 1
                break
    rng.shuffle(items)
    return [s for s, _, _ in items], [t for _, t, _ in items], [label for _, _, label in items]


def roc_auc(good: np.ndarray, bad: np.ndarray) -> float:
    """Probability that a good pair scores above a bad one (ties count half)."""
    if not len(good) or not len(bad):
        return float("nan")
    greater = (good[:, None] > bad[None, :]).mean()
    ties = (good[:, None] == bad[None, :]).mean()
    return float(greater + ties / 2)


def recall_at_precision(good: np.ndarray, bad: np.ndarray, precision: float = 0.95) -> float:
    """Share of bad pairs caught by the best threshold ``score <= t`` whose flags are at least
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


def run_documents(
    documents: list, pair: LanguagePair, config: CheckConfig, models: SharedModels
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Check each document as one batch: labels, each check's qualities (nan where it does not
    apply), and the combined scores."""
    labels: list[str] = []
    qualities: dict[str, list[float]] = {}
    combined: list[float] = []
    for doc_src, doc_tgt, doc_labels in documents:
        batch = PairBatch(doc_src, doc_tgt, pair.src_lang, pair.tgt_lang, src_translation=pair.source_translations(doc_src))
        report = run_checks(batch, ["1-1"] * len(doc_src), config, models)
        labels += doc_labels
        combined += report.scores
        for name in report.used:
            qualities.setdefault(name, []).extend(values.get(name, float("nan")) for values in report.checks)
    return np.array(labels), {name: np.array(values) for name, values in qualities.items()}, np.array(combined)


def offline_checks() -> tuple[CheckConfig, SharedModels]:
    """The checks that need no MarianMT model, and the bundled encoder they share."""
    encoder = make_encoder(DEFAULT_ENCODER)
    return CheckConfig.from_names(OFFLINE_CHECKS), SharedModels(make_encoder=lambda: encoder)


#: The checks of a language pair given an MT system's translations: the offline ones and chrF.
MT_CHECKS = CheckConfig.from_names(f"{OFFLINE_CHECKS},chrf")


def _with_systems(pairs: list[LanguagePair]) -> list[LanguagePair]:
    """Each language pair, then for each of its MT systems the same pairs given that system's
    translations."""
    return [variant for pair in pairs for variant in (pair, *(pair.with_system(system) for system in pair.translations))]


def _reversed(pair: LanguagePair, renamed: bool = False) -> LanguagePair:
    """The language pair the other way round (its recipes corrupt the source); ``renamed``: named
    so too ("en-tr news" for "tr-en news")."""
    name = f"{pair.tgt_lang}-{pair.src_lang} {pair.name.split(' ', 1)[1]}" if renamed else pair.name
    return LanguagePair(name, pair.tgt_lang, pair.src_lang, [(t, s) for s, t in pair.pairs], pair.third_language)


def evaluate(
    data: Path,
    pairs: int,
    per_check: bool,
    mixed: bool = False,
    seeds: Sequence[int] = (SEED,),
    source_side: bool = False,
    other_way: bool = False,
    mt: bool = False,
) -> dict[str, dict[str, dict[str, float]]]:
    """``{language pair: {"kind: recipe" (and "check/kind: recipe"): {roc_auc, recall_at_95, count}}}``
    (``mixed``: one batch of pairs from across the corpus, :func:`mixed_batch`), the pairs of
    every seed pooled (each seed's documents or batch checked on their own). With
    ``source_side`` every recipe corrupts the source sentence instead of the target (the same
    documents, checked in the same direction): errors made on the side no check was fitted on.
    With ``other_way`` each language pair is checked the other way round (en-tr, fr-de): target
    languages no check was fitted on. With ``mt`` a language pair with MT systems is checked
    again given each system's translations of its sources (and the chrF check with them)."""
    offline, models = offline_checks()
    table: dict[str, dict[str, dict[str, float]]] = {}
    found = language_pairs(data)
    for pair in [_reversed(pair, renamed=True) for pair in found] if other_way else _with_systems(found) if mt else found:
        config = MT_CHECKS if pair.system else offline
        rows: dict[str, dict[str, float]] = {}
        drawn = _reversed(pair) if source_side else pair
        for draw, kinds in (
            ("", RECIPES),
            ("more", MORE_RECIPES),
            ("part", PART_RECIPES),
            ("names", NAME_RECIPES),
            ("numbers", NUMBER_RECIPES),
        ):
            documents = [
                document
                for seed in seeds
                for document in (
                    [mixed_batch(drawn, seed, kinds, draw)]
                    if mixed
                    else labelled_documents(drawn, pairs, recipes=kinds, seed=seed, draw=draw)
                )
            ]
            if source_side:
                documents = [(src, tgt, labels) for tgt, src, labels in documents]
            labels, qualities, combined = run_documents(documents, pair, config, models)
            columns = {"combined": combined}
            if per_check:
                columns.update({name: np.nan_to_num(values, nan=1.0) for name, values in qualities.items()})
            for column, values in columns.items():
                good = values[labels == "good"]  # the good pairs of the same draw
                for label in sorted(set(labels) - {"good"}):
                    bad = values[labels == label]
                    rows[label if column == "combined" else f"{column}/{label}"] = {
                        "roc_auc": round(roc_auc(good, bad), 4),
                        "recall_at_95": round(recall_at_precision(good, bad), 4),
                        "count": int(len(bad)),
                    }
            rows.setdefault("good", {"count": int((labels == "good").sum())})
        table[pair.title] = rows
    return table


def calibrate(data: Path) -> dict[str, list[float]]:
    """Each check's qualities on good pairs of the calibration documents of every language pair;
    the chrF check's on those of each MT system (every system counts the same)."""
    config, models = offline_checks()
    pooled: dict[str, list[np.ndarray]] = {}
    for pair in _with_systems(language_pairs(data)):
        _, qualities, _ = run_documents(labelled_documents(pair, 0, split="calibrate"), pair, MT_CHECKS if pair.system else config, models)
        for name, values in qualities.items():
            if (name == "chrf") == bool(pair.system):
                pooled.setdefault(name, []).append(values[~np.isnan(values)])
    return calibration_table(pooled)


WEIGHT_GRID = (0.0625, 0.125, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)


def fit_weights(data: Path) -> dict[str, float]:
    """Coordinate search for the checks' exponents on the fitting documents (the back half),
    corrupted with :data:`FIT_RECIPES` only: maximise the worst ROC-AUC over the visible kinds'
    fitting recipes in every language pair (ties broken by the mean)."""
    from aligner.check import calibrated

    config, models = offline_checks()
    sets = []
    for pair in language_pairs(data):
        labels, qualities, _ = run_documents(labelled_documents(pair, 0, split="fit", recipes=FIT_RECIPES), pair, config, models)
        logs = {
            name: np.array([0.0 if np.isnan(q) else np.log(max(calibrated(name, float(q)), 1e-30)) for q in values])
            for name, values in qualities.items()
        }
        sets.append((labels, logs))

    def objective(weights: dict[str, float]) -> float:
        aucs = []
        for labels, logs in sets:
            stacked = np.stack([weights[name] * values for name, values in logs.items()])
            score = np.sort(np.maximum(stacked, np.log(SHARE_FLOOR)), axis=0)[:2].sum(axis=0)  # as combine
            good = score[labels == "good"]
            aucs += [roc_auc(good, score[labels == label]) for label in set(labels) - {"good"} if label.split(":")[0] in VISIBLE]
        return float(np.mean(aucs)) + 0.5 * min(aucs)

    weights = {name: 1.0 for name in sets[0][1]}
    best = objective(weights)
    for _ in range(3):
        for name in weights:
            for value in WEIGHT_GRID:
                trial = {**weights, name: value}
                result = objective(trial)
                if result > best + 1e-6:
                    best, weights = result, trial
    return weights


def _seeds(text: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a comma list of integers (2017,11,12)") from None
    if len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(f"{text!r}: a seed is repeated")
    return seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pairs", type=int, default=1500, help="evaluated pairs per language pair (documents of 30)")
    parser.add_argument("--per-check", action="store_true", help="also each check's own ROC-AUC per recipe")
    parser.add_argument("--mixed", action="store_true", help="one shuffled batch of pairs from across the corpus (a TSV of many documents)")
    parser.add_argument(
        "--seeds",
        type=_seeds,
        default=(SEED,),
        help=f"comma list of seeds whose pairs are pooled (default {SEED}): more errors of each recipe, other windows and errors",
    )
    parser.add_argument("--source-side", action="store_true", help="every recipe corrupts the source sentence instead of the target")
    parser.add_argument("--other-way", action="store_true", help="each language pair the other way round (en-tr, fr-de)")
    parser.add_argument(
        "--mt", action="store_true", help="also each language pair given each of its real MT systems' translations (the chrF check joins)"
    )
    parser.add_argument("--check", type=Path, help="baseline JSON: fail if a combined ROC-AUC drops below it")
    parser.add_argument("--calibrate", action="store_true", help=f"measure the good pairs' qualities into {CALIBRATION_FILE.name}")
    parser.add_argument("--fit", action="store_true", help="fit the checks' weights on the fitting recipes and print them")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.data / "newstest2017.tr").exists():
        print(f"skipped: {args.data} has no newstest (the shared development data is absent)")
        return 0
    if args.calibrate:
        quantiles = calibrate(args.data)
        CALIBRATION_FILE.write_text(json.dumps(quantiles, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE} ({', '.join(f'{name}: {len(q)}' for name, q in quantiles.items())} quantiles)")
        return 0
    if args.fit:
        print(json.dumps(fit_weights(args.data), indent=2))
        return 0
    start = time.perf_counter()
    if args.mt and (args.source_side or args.other_way):
        parser.error("--mt goes with the default direction only (the translations are of the original sources)")
    table = evaluate(args.data, args.pairs, args.per_check, args.mixed, args.seeds, args.source_side, args.other_way, args.mt)
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps({"seconds": round(seconds, 1), "language_pairs": table}, indent=2))
    else:
        names = list(table)
        with_mt = " (and chrF given each MT system, +system)" if args.mt else ""
        print(f"offline checks ({OFFLINE_CHECKS}){with_mt} in {seconds:.0f} s; cells: ROC-AUC / recall at 95% precision (pairs)")
        labels = sorted({label for rows in table.values() for label in rows if label != "good"}, key=lambda x: ("/" in x, x))
        width = max(len(label) for label in labels) + 2
        print(f"{'error: recipe':<{width}}" + "".join(f"{name:>26}" for name in names))
        for label in labels:
            cells = []
            for name in names:
                row = table[name].get(label)
                cells.append(f"{row['roc_auc']:>10.3f} / {row['recall_at_95']:<5.2f} ({row['count']:>3})" if row else f"{'–':>26}")
            print(f"{label:<{width}}" + "".join(f"{cell:>26}" for cell in cells))
        print(f"{'good pairs':<{width}}" + "".join(f"{table[name]['good']['count']:>26}" for name in names))
    if args.check:
        baseline = json.loads(args.check.read_text(encoding="utf-8"))["combined_roc_auc"]
        current = {f"{name}/{label}": row["roc_auc"] for name, rows in table.items() for label, row in rows.items() if "roc_auc" in row}
        failures = regressions(current, baseline, "combined ROC-AUC on")
        for failure in failures:
            print(f"REGRESSION {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
