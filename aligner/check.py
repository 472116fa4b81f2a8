"""Translation checks: score every aligned pair, flag what looks wrong, combine into one score.

A check looks at a batch of pairs and gives each a *quality* in ``[0, 1]`` (1: nothing wrong
seen; ``nan``: the check does not apply, e.g. no numbers on either side). A pair whose quality is
below the check's threshold gets the check's flag. The combined score is the weighted product
``prod(quality_c ** weight_c)`` over the checks that apply, so one clearly failing check pulls the
whole pair down whatever the others say; the weights (how much each check's evidence counts) are
fitted on corrupted development pairs by ``scripts/evaluate_checks.py --fit``. Beads with an empty side are never scored as pairs: they get score 0 and the flag
``unaligned source`` or ``unaligned target``.

Checks are registered in :data:`aligner.registry.CHECKS`; which ones run, their thresholds,
weights and options come from :class:`CheckConfig` (CLI options or a YAML/TOML file).
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from os.path import commonprefix
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import ConfigError, InputError, ModelUnavailableError
from .languages import SPACED_WORD_CHAR, UPPER
from .registry import CHECKS, resolve
from .score import NUMBER, URL, ChrfSpans, fold, normalise_number, single_threaded_blas

Progress = Callable[[int], None]

#: Fewest pairs from which a batch's own typical values (embedding margin, length ratio) are used.
MIN_BATCH = 4

#: Checks run by default: every one that needs no model that may be missing.
DEFAULT_CHECKS = ("forced_decoding", "chrf", "embedding", "numbers", "names", "length", "language", "untranslated", "empty")


@dataclass
class PairBatch:
    """Pairs to check (both sides non-empty), with what the checks may share."""

    src: list[str]
    tgt: list[str]
    src_lang: str
    tgt_lang: str
    src_translation: list[str] | None = None  # into tgt_lang
    tgt_translation: list[str] | None = None  # into src_lang

    def __len__(self) -> int:
        return len(self.src)


class Check(Protocol):
    """One check. ``reason`` is the flag given below ``threshold``."""

    name: str
    reason: str
    threshold: float
    weight: float

    def quality(self, pairs: PairBatch) -> np.ndarray: ...


@dataclass
class SharedModels:
    """Models shared by the aligner and the checks, each loaded once on first use: a sentence
    encoder, and a MarianMT translator per direction. A model that failed to load is not tried
    again: the same error is raised at once."""

    make_encoder: Callable[[], Any] | None = None
    make_translator: Callable[[str, str], Any] | None = None
    _loaded: dict[Any, Any] = field(default_factory=dict)

    def encoder(self) -> Any:
        return self._load("encoder", self.make_encoder, (), "no sentence embedding model")

    def translator(self, source: str, target: str) -> Any:
        return self._load((source, target), self.make_translator, (source, target), f"no MarianMT model for {source}→{target}")

    def forget_vectors(self) -> None:
        """Let a loaded encoder drop the vectors it keeps in memory."""
        encoder = self._loaded.get("encoder")
        if encoder is not None and not isinstance(encoder, Exception):
            encoder.forget()

    def _load(self, key: Any, factory: Callable[..., Any] | None, arguments: tuple, missing: str) -> Any:
        if key not in self._loaded:
            try:
                if factory is None:
                    raise ConfigError(missing)
                self._loaded[key] = factory(*arguments)
            except (ConfigError, ModelUnavailableError) as error:
                self._loaded[key] = error
        value = self._loaded[key]
        if isinstance(value, Exception):
            raise value
        return value


class _BaseCheck:
    name = ""
    reason = ""
    threshold = 0.5
    weight = 1.0

    def __init__(self, models: SharedModels, threshold: float | None = None, weight: float | None = None) -> None:
        self.models = models
        if threshold is not None:
            self.threshold = threshold
        if weight is not None:
            self.weight = weight


# ---------------------------------------------------------------------------------------------
# Model-based checks.


class ForcedDecodingCheck(_BaseCheck):
    """Dual conditional cross-entropy (Junczys-Dowmunt 2018) from MarianMT forced decoding.

    ``H_f`` and ``H_b`` are the per-token cross-entropies of the target given the source and of
    the source given the target; the pair's quality is ``exp(-(|H_f - H_b| + (H_f + H_b) / 2))``:
    high when both directions find the pair likely, and agree on it.
    """

    name = "forced_decoding"
    reason = "unlikely translation (forced decoding)"
    threshold = 0.05

    def quality(self, pairs: PairBatch) -> np.ndarray:
        forward = np.array(self.models.translator(pairs.src_lang, pairs.tgt_lang).cross_entropy(pairs.src, pairs.tgt))
        backward = np.array(self.models.translator(pairs.tgt_lang, pairs.src_lang).cross_entropy(pairs.tgt, pairs.src))
        return dual_cross_entropy_quality(forward, backward)


def dual_cross_entropy_quality(forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
    return np.exp(-(np.abs(forward - backward) + (forward + backward) / 2))


class ChrfCheck(_BaseCheck):
    """chrF of the machine-translated source against the target (both directions averaged when
    both translations are there)."""

    name = "chrf"
    reason = "MT of the source does not match the target"
    threshold = 0.2

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src_translation = pairs.src_translation
        if src_translation is None and pairs.tgt_translation is None:
            src_translation = self.models.translator(pairs.src_lang, pairs.tgt_lang).translate(pairs.src)
        scores = []
        if src_translation is not None:
            scores.append(sentence_chrf(src_translation, pairs.tgt))
        if pairs.tgt_translation is not None:
            scores.append(sentence_chrf(pairs.tgt_translation, pairs.src))
        return np.mean(scores, axis=0)


def sentence_chrf(hypotheses: list[str], references: list[str]) -> np.ndarray:
    """sacrebleu's sentence chrF (0-1) of each hypothesis against its reference."""
    ids = np.arange(len(hypotheses))
    return ChrfSpans(hypotheses, references).pairs(ids, ids)


class EmbeddingCheck(_BaseCheck):
    """Cosine similarity of sentence embeddings, as a margin over unrelated pairs of the batch.

    Raw cosines depend on the model (e5 puts unrelated sentences near 0.75); the margin does not:
    ``m = (cos - mean_unrelated) / (cos_typical - mean_unrelated)``, where unrelated pairs are each
    source against the other targets of the batch, and the typical cosine is the batch median.
    Quality is ``m / FULL_MARGIN`` capped at 1: a pair at half the typical margin or more is fine
    (free translations score lower than literal ones), one near 0 is unrelated. Needs at least
    ``MIN_BATCH`` pairs; below that it does not apply.
    """

    name = "embedding"
    reason = "meanings differ (embeddings)"
    threshold = 0.5
    weight = 0.25
    FULL_MARGIN = 1.0

    def quality(self, pairs: PairBatch) -> np.ndarray:
        n = len(pairs)
        if n < MIN_BATCH:
            return np.full(n, np.nan)
        encoder = self.models.encoder()
        src = encoder.encode(pairs.src)
        tgt = encoder.encode(pairs.tgt)
        with single_threaded_blas():
            similarity = src @ tgt.T
        cosine = np.diag(similarity).astype(np.float64)
        unrelated = (similarity.sum(axis=1) + similarity.sum(axis=0) - 2 * cosine) / (2 * (n - 1))
        typical = float(np.median(cosine - unrelated))
        margin = (cosine - unrelated) / max(typical, 1e-3)
        return np.clip(margin / self.FULL_MARGIN, 0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# Rule-based checks.

#: Month names, January to December; "|" separates the forms of one month (Russian and
#: Ukrainian inflect them: "3 октября", "3 жовтня").
_MONTHS = {
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "ru": "январь|января|январе февраль|февраля|феврале март|марта|марте апрель|апреля|апреле май|мая|мае "
    "июнь|июня|июне июль|июля|июле август|августа|августе сентябрь|сентября|сентябре октябрь|октября|октябре "
    "ноябрь|ноября|ноябре декабрь|декабря|декабре",
    "uk": "січень|січня|січні лютий|лютого|лютому березень|березня|березні квітень|квітня|квітні травень|травня|травні "
    "червень|червня|червні липень|липня|липні серпень|серпня|серпні вересень|вересня|вересні жовтень|жовтня|жовтні "
    "листопад|листопада|листопаді грудень|грудня|грудні",
}
_WEEKDAYS = {
    "tr": "pazartesi salı çarşamba perşembe cuma cumartesi pazar",
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
}
_NUMBER_WORDS = {
    "tr": "sıfır bir iki üç dört beş altı yedi sekiz dokuz on",
    "en": "zero one two three four five six seven eight nine ten",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci",
    "pt": "zero um dois três quatro cinco seis sete oito nove dez",
    "nl": "nul een twee drie vier vijf zes zeven acht negen tien",
    "ru": "ноль один два три четыре пять шесть семь восемь девять десять",
    "uk": "нуль один два три чотири п'ять шість сім вісім дев'ять десять",
}
_WORD = re.compile(r"\w+")


#: Languages that write a month as its number and a month sign: "9月" (zh, ja), "9월" (ko).
_NUMBERED_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*[月월]")
NUMBERED_MONTH_LANGUAGES = frozenset({"zh", "ja", "ko"})


def has_month_names(language: str) -> bool:
    """Whether the numbers check knows the language's month names (dates are compared)."""
    return language in _MONTHS or language in NUMBERED_MONTH_LANGUAGES


def _month_keys(language: str) -> dict[str, int]:
    return {fold(form): k + 1 for k, forms in enumerate(_MONTHS.get(language, "").split()) for form in forms.split("|")}


#: Numbers for the check: like the anchors' but also clock times and scores ("3:51.659",
#: "20:00") and English ordinals and decades ("33rd", "1990s").
_CHECK_NUMBER = re.compile(rf"(?<![.,])(?<!{SPACED_WORD_CHAR})%?\d+(?:[.,:]\d+)*%?(?=(?:st|nd|rd|th|s)?(?!{SPACED_WORD_CHAR}))")


@dataclass(frozen=True)
class Quantities:
    """What a sentence says in numbers: each number as its normalised value (Turkish "1.000,5" and
    English "1,000.5" both "1000.5", "%50" and "50%" both "50"; None for clock times and scores)
    with its bare digits (so that "20.00" meets "20:00" and an ambiguous "51.659" meets itself);
    month names as their number; numbers spelled out in words (one to ten)."""

    numbers: frozenset[tuple[str | None, str]]
    months: frozenset[int]
    spelled: frozenset[str]

    def __len__(self) -> int:
        return len(self.numbers) + len(self.months)

    def missing_from(self, other: Quantities) -> int:
        """How many of these numbers and months ``other`` does not have."""
        values = {value for value, _ in other.numbers} | other.spelled
        digits = {d for _, d in other.numbers}
        lost = sum(1 for value, d in self.numbers if value not in values and d not in digits)
        return lost + len(self.months - other.months)


def quantities(sentence: str, language: str, dates: bool = True) -> Quantities:
    """The sentence's quantities; month names only with ``dates`` (the other side's language must
    have month names too, or "October 3" would miss the "3" of a date it cannot read)."""
    text = URL.sub(" ", sentence)
    found_months: set[int] = set()
    if dates and language in NUMBERED_MONTH_LANGUAGES:
        found_months.update(int(month) for month in _NUMBERED_MONTH.findall(text))
        text = _NUMBERED_MONTH.sub(" ", text)
    numbers = set()
    for token in _CHECK_NUMBER.findall(text):
        value = None if ":" in token else normalise_number(token, language)
        numbers.add((value, re.sub(r"\D", "", token).lstrip("0") or "0"))
    months = _month_keys(language) if dates else {}
    number_words = {fold(word): str(k) for k, word in enumerate(_NUMBER_WORDS.get(language, "").split())}
    spelled = set()
    for word in _WORD.findall(text):
        folded = fold(word)
        # Turkish suffixes: "Eylül'de" is split at the apostrophe by \w+; "Eylülde" starts with it
        month = months.get(folded) or next((m for name, m in months.items() if len(name) >= 4 and folded.startswith(name)), None)
        if month and (word[0].isupper() or language not in ("en", "de")):  # "may" the verb is not May
            found_months.add(month)
        if folded in number_words:
            spelled.add(number_words[folded])
    return Quantities(frozenset(numbers), frozenset(found_months), frozenset(spelled))


class NumbersCheck(_BaseCheck):
    """Numbers, percentages, amounts and dates must agree: the share of numbers found on both
    sides (a digit on one side may be spelled out on the other)."""

    name = "numbers"
    reason = "numbers differ"
    threshold = 0.99
    weight = 0.25

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        dated = set(_MONTHS) | NUMBERED_MONTH_LANGUAGES
        dates = pairs.src_lang in dated and pairs.tgt_lang in dated
        for k, (src, tgt) in enumerate(zip(pairs.src, pairs.tgt)):
            src_quantities, tgt_quantities = quantities(src, pairs.src_lang, dates), quantities(tgt, pairs.tgt_lang, dates)
            total = len(src_quantities) + len(tgt_quantities)
            if total:
                missing = src_quantities.missing_from(tgt_quantities) + tgt_quantities.missing_from(src_quantities)
                out[k] = 1 - missing / total
        return out


_NAME_PREFIX_SHARE = 0.5
_NAME_SPELLING_SIMILARITY = 0.6
#: How much a source name missing from the target counts against one the target brings in: a
#: translation may turn a name into a pronoun, but a name the source lacks is a real error sign.
SOURCE_NAME_WEIGHT = 0.25


HEADLINE_SHARE = 0.6
_SOUND_ALIKE = str.maketrans({"w": "v", "c": "k", "q": "k", "x": "ks", "z": "s", "j": "y"})


def consonant_skeleton(word: str) -> str:
    """A folded word's consonants, with letters that transliterations swap made one and doubles
    collapsed: "suriye" and "syria" both give "sr", "moskova" and "moscow" "mskv", "esad" and
    "assad" "sd"."""
    letters = word.replace("ph", "f").translate(_SOUND_ALIKE)
    consonants = [c for c in letters if c.isalpha() and c not in "aeiouy"]
    return "".join(c for k, c in enumerate(consonants) if k == 0 or c != consonants[k - 1])


def _shares_prefix(name: str, words: set[str], least: int = 3) -> bool:
    """A folded name and a folded word share a long enough prefix (suffixes and spelling:
    "putin'in", "rusya"/"russia", "turkiye"/"turkey"): four letters, or ``least`` letters and
    half the shorter word."""
    for word in words:
        shared = len(commonprefix([name, word]))
        if shared >= 4 or (shared >= least and shared >= _NAME_PREFIX_SHARE * min(len(name), len(word))):
            return True
    return False


def _name_matches(name: str, words: set[str]) -> bool:
    """A folded name matches a folded word of the other side that shares a long enough prefix,
    is spelled alike, or sounds alike ("suriye"/"syria", "moskova"/"moscow", "esad"/"assad":
    :func:`consonant_skeleton`)."""
    if _shares_prefix(name, words):
        return True
    skeleton = consonant_skeleton(name)
    for word in words:
        other = consonant_skeleton(word)
        if (
            len(skeleton) >= 2
            and len(other) >= 2
            and (skeleton == other or min(len(skeleton), len(other)) >= 3 and commonprefix([skeleton, other]) in (skeleton, other))
        ):
            return True
    return bool(get_close_matches(name, [w for w in words if len(w) >= 4], n=1, cutoff=_NAME_SPELLING_SIMILARITY))


_CAPITALISED = re.compile(rf"(?<![\w'’])[{UPPER}][\w'’]*")


def name_words(sentence: str, language: str) -> set[str]:
    """Folded names and acronyms of a sentence: capitalised words that do not open it (or a
    quotation) and are not month or day names. Turkish suffixes stay on ("putin'in"): matching is
    by prefix. A headline (most words capitalised) has no names to tell apart."""
    words = [w for w in _WORD.findall(sentence) if w[0].isalpha()]
    if words and sum(w[0].isupper() for w in words) > HEADLINE_SHARE * len(words):
        return set()
    calendar = set(_month_keys(language)) | {fold(day) for day in _WEEKDAYS.get(language, "").split()}
    found = set()
    for match in _CAPITALISED.finditer(URL.sub(" ", sentence)):
        before = sentence[: match.start()].rstrip()
        if not before or before[-1] in "\"“”'‘«(.:!?-–—":
            continue
        word = fold(re.split(r"['’]", match.group(0))[0])
        if len(word) > 2 and word not in calendar:
            found.add(word)
    return found


def capitalised_words(sentence: str) -> set[str]:
    """Folded capitalised words of a sentence, the first one included: what a name on the other
    side can be matched against."""
    return {fold(re.split(r"['’]", m.group(0))[0]) for m in _CAPITALISED.finditer(sentence)}


def common_words(sentences: Sequence[str]) -> set[str]:
    """Folded five-letter prefixes of words written in lower case somewhere in ``sentences``:
    a capitalised word that also occurs in lower case is a common noun or a title
    ("Devlet Başkanı", "President"), not a name."""
    return {fold(word)[:5] for sentence in sentences for word in _WORD.findall(sentence) if word[0].islower()}


class NamesCheck(_BaseCheck):
    """Names and acronyms on one side only.

    Only names that survive translation can be checked: a name counts when the other side's
    document (the batch) has it somewhere among its capitalised words, so translated names ("Savunma Bakanlığı" and "Department
    of Defense") are left out while "Putin" or "NATO" count. The quality is ``1 - missing /
    names`` over those, where a target name missing from the source counts 1 and a source name
    missing from the target ``SOURCE_NAME_WEIGHT`` (matching: :func:`_name_matches`).
    Capitalised words that the batch also writes in lower case are not names.
    """

    name = "names"
    reason = "names differ"
    threshold = 0.5
    weight = 8.0

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        src_words = [capitalised_words(s) for s in pairs.src]
        tgt_words = [capitalised_words(t) for t in pairs.tgt]
        src_names = _batch_names(pairs.src, pairs.src_lang, set().union(*tgt_words))
        tgt_names = _batch_names(pairs.tgt, pairs.tgt_lang, set().union(*src_words))
        for k in range(len(pairs)):
            if tgt_names[k] or src_names[k]:
                missing: float = sum(not _name_matches(n, src_words[k]) for n in tgt_names[k])
                missing += SOURCE_NAME_WEIGHT * sum(not _name_matches(n, tgt_words[k]) for n in src_names[k])
                out[k] = 1 - missing / max(len(tgt_names[k]) + SOURCE_NAME_WEIGHT * len(src_names[k]), 1.0)
        return out


def _batch_names(sentences: list[str], language: str, other_document: set[str]) -> list[set[str]]:
    """Each sentence's checkable names: not common words of its own side, and found among the
    other side's capitalised words (by prefix only: a looser match would let translated words
    such as "Olympic"/"Olimpiyat" in)."""
    common = common_words(sentences)
    per_sentence = [{n for n in name_words(s, language) if n[:5] not in common} for s in sentences]
    checkable = {name: _shares_prefix(name, other_document, least=4) or name in other_document for name in set().union(*per_sentence)}
    return [{n for n in names if checkable[n]} for names in per_sentence]


class LengthCheck(_BaseCheck):
    """Character length ratio against the batch's own typical ratio (its median): 1 within
    ``TOLERANCE`` of the typical ratio (a factor of 1.5 either way), falling to 0.5 at three times
    or a third of it."""

    name = "length"
    reason = "lengths differ"
    threshold = 0.5
    TOLERANCE = 2 / 3
    weight = 0.25

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = np.array([len(s) for s in pairs.src], dtype=np.float64)
        tgt = np.array([len(t) for t in pairs.tgt], dtype=np.float64)
        ratio = np.maximum(tgt, 1) / np.maximum(src, 1)
        typical = float(np.median(ratio)) if len(pairs) >= MIN_BATCH else 1.0
        relative = ratio / typical
        return np.minimum(1.0, np.minimum(relative, 1 / relative) / self.TOLERANCE)


def language_identifiable(language: str) -> bool:
    """Whether the language check's identifier knows the language (else the check passes it)."""
    return language in LanguageCheck.identifier().nb_classes


class LanguageCheck(_BaseCheck):
    """Language identification (py3langid) of each side: the probability of the expected
    language relative to the most probable one, the lower of the two sides."""

    name = "language"
    reason = "wrong language"
    threshold = 0.2
    weight = 0.5
    _identifier: Any = None

    @classmethod
    def identifier(cls) -> Any:
        if cls._identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            cls._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return cls._identifier

    def quality(self, pairs: PairBatch) -> np.ndarray:
        return np.minimum(self._side(pairs.src, pairs.src_lang), self._side(pairs.tgt, pairs.tgt_lang))

    #: Languages a sentence-level identifier cannot tell apart reliably: one counts for another.
    CLOSE = (frozenset({"hr", "sr", "bs"}), frozenset({"no", "nb", "nn", "da"}), frozenset({"id", "ms"}))

    def _side(self, sentences: list[str], language: str) -> np.ndarray:
        identifier = self.identifier()
        out = np.ones(len(sentences))
        if language not in identifier.nb_classes:
            return out
        accepted = next((group for group in self.CLOSE if language in group), frozenset({language}))
        for k, sentence in enumerate(sentences):
            ranked = dict(identifier.rank(sentence))
            out[k] = max(ranked.get(code, 0.0) for code in accepted) / max(ranked.values())
        return out


class UntranslatedCheck(_BaseCheck):
    """The target copies the source: chrF between the two sides once numbers, URLs and names are
    removed from both (those are rightly the same in a translation). Quality is 1 up to
    ``COPY_CHRF`` (unrelated languages stay far below it) and falls to 0 for a copy."""

    name = "untranslated"
    reason = "untranslated (target copies source)"
    threshold = 0.5
    COPY_CHRF = 0.5
    weight = 0.25

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = [_strip_shared(s, pairs.src_lang) for s in pairs.src]
        tgt = [_strip_shared(t, pairs.tgt_lang) for t in pairs.tgt]
        overlap = np.maximum(sentence_chrf(src, tgt), sentence_chrf(tgt, src))
        quality = np.clip((1 - overlap) / (1 - self.COPY_CHRF), 0.0, 1.0)
        return np.where([bool(s.strip()) and bool(t.strip()) for s, t in zip(src, tgt)], quality, np.nan)


def _strip_shared(sentence: str, language: str) -> str:
    text = NUMBER.sub(" ", URL.sub(" ", sentence))
    return " ".join(w for k, w in enumerate(text.split()) if k == 0 or not w[:1].isupper())


class EmptyCheck(_BaseCheck):
    """A side with no letters or digits (empty, punctuation or symbols only)."""

    name = "empty"
    reason = "empty or punctuation only"
    threshold = 0.5
    weight = 1.0

    def quality(self, pairs: PairBatch) -> np.ndarray:
        return np.array([float(_has_content(s) and _has_content(t)) for s, t in zip(pairs.src, pairs.tgt)])


def _has_content(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


# ---------------------------------------------------------------------------------------------
# Configuration and running.


@dataclass
class CheckSetting:
    threshold: float | None = None
    weight: float | None = None


@dataclass
class CheckConfig:
    """Which checks run, with optional threshold and weight overrides per check.

    From a file (YAML or TOML)::

        checks:
          numbers: {threshold: 0.99}
          names: {weight: 0.5}
          language: {}
        keep_unavailable: true    # a check whose model is missing is left out (with a warning)
    """

    checks: dict[str, CheckSetting] = field(default_factory=lambda: {name: CheckSetting() for name in DEFAULT_CHECKS})
    keep_unavailable: bool = True

    @classmethod
    def from_names(cls, names: str) -> CheckConfig:
        chosen = [n.strip() for n in names.split(",") if n.strip()]
        config = cls({name: CheckSetting() for name in chosen})
        config.validate()
        return config

    @classmethod
    def from_file(cls, path: str | Path) -> CheckConfig:
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{file}: cannot be read ({error.__class__.__name__})") from None
        try:
            if file.suffix == ".toml":
                data = tomllib.loads(text)
            else:
                import yaml

                data = yaml.safe_load(text)
        except Exception as error:  # noqa: BLE001 - any parser error is a bad file
            raise ConfigError(f"{file}: not valid {'TOML' if file.suffix == '.toml' else 'YAML'}: {str(error).splitlines()[0]}") from None
        if not isinstance(data, dict) or not isinstance(data.get("checks"), dict):
            raise ConfigError(f"{file}: needs a 'checks' mapping of check name → settings")
        unknown_keys = set(data) - {"checks", "keep_unavailable"}
        if unknown_keys:
            raise ConfigError(f"{file}: unknown key(s) {', '.join(sorted(unknown_keys))}")
        checks = {}
        for name, settings in data["checks"].items():
            settings = settings or {}
            if not isinstance(settings, dict) or set(settings) - {"threshold", "weight"}:
                raise ConfigError(f"{file}: check {name!r}: settings may be threshold and weight only")
            for key, value in settings.items():
                if not isinstance(value, (int, float)) or isinstance(value, bool):
                    raise ConfigError(f"{file}: check {name!r}: {key} must be a number")
            checks[name] = CheckSetting(**settings)
        config = cls(checks, bool(data.get("keep_unavailable", True)))
        config.validate()
        return config

    def validate(self) -> None:
        unknown = [name for name in self.checks if name not in CHECKS]
        if unknown:
            raise ConfigError(f"unknown check {', '.join(unknown)}: choose from {', '.join(sorted(CHECKS))}")
        if not self.checks:
            raise ConfigError("no checks chosen")


@dataclass
class CheckReport:
    """Per-pair results: combined score, flags, and each check's quality."""

    scores: list[float]
    flags: list[list[str]]
    checks: list[dict[str, float]]
    used: list[str]
    skipped: dict[str, str]


def build_checks(config: CheckConfig, models: SharedModels) -> list[Check]:
    return [resolve(CHECKS, name, "check")(models, setting.threshold, setting.weight) for name, setting in config.checks.items()]


def measure_checks(
    pairs: PairBatch,
    config: CheckConfig,
    models: SharedModels,
    qualities: dict[str, np.ndarray],
    skipped: dict[str, str],
    log: Any = None,
    defer_unavailable: bool = False,
) -> None:
    """Add the quality of every configured check not yet in ``qualities`` or ``skipped``.

    A check whose model cannot be had goes into ``skipped`` (or raises, without
    ``keep_unavailable``); with ``defer_unavailable`` it is left for a later call that has the
    models (``aligner build`` measures the model-free checks in worker processes).
    """
    for check in build_checks(config, models) if len(pairs) else []:
        if check.name in qualities or check.name in skipped:
            continue
        try:
            qualities[check.name] = np.asarray(check.quality(pairs), dtype=np.float64)
        except (ModelUnavailableError, ConfigError) as error:
            if defer_unavailable:
                continue
            if not config.keep_unavailable:
                raise
            skipped[check.name] = str(error)
            if log:
                log.info("check %s skipped: %s", check.name, error)


def report_checks(shapes: Sequence[str], config: CheckConfig, qualities: dict[str, np.ndarray], skipped: dict[str, str]) -> CheckReport:
    """Combined score, flags and per-check qualities of every bead. ``shapes`` holds every bead's
    shape (``"1-1"``, ``"1-0"`` …), so that empty-sided beads are reported in place; the
    ``qualities`` are those of the beads with both sides, in order."""
    used = [c for c in build_checks(config, SharedModels()) if c.name in qualities]
    scores: list[float] = []
    flags: list[list[str]] = []
    per_check: list[dict[str, float]] = []
    k = 0
    for shape in shapes:
        src_size, tgt_size = (int(x) for x in shape.split("-"))
        if not src_size or not tgt_size:
            scores.append(0.0)
            flags.append(["unaligned source" if src_size else "unaligned target"])
            per_check.append({})
            continue
        values = {c.name: float(qualities[c.name][k]) for c in used}
        pair_flags = [c.reason for c in used if not math.isnan(values[c.name]) and values[c.name] < c.threshold]
        scores.append(combine({c.name: (values[c.name], c.weight) for c in used}))
        flags.append(pair_flags)
        per_check.append({name: round(v, 6) for name, v in values.items() if not math.isnan(v)})
        k += 1
    return CheckReport([round(s, 6) for s in scores], flags, per_check, [c.name for c in used], dict(skipped))


def run_checks(
    pairs: PairBatch,
    shapes: Sequence[str],
    config: CheckConfig,
    models: SharedModels,
    log: Any = None,
    qualities: dict[str, np.ndarray] | None = None,
) -> CheckReport:
    """Check every bead (``qualities``: those measured already, see :func:`measure_checks`)."""
    qualities = dict(qualities or {})
    skipped: dict[str, str] = {}
    measure_checks(pairs, config, models, qualities, skipped, log)
    return report_checks(shapes, config, qualities, skipped)


#: Qualities are floored here before the product, so that a zero still ranks by the other checks.
QUALITY_FLOOR = 1e-3


def combine(values: dict[str, tuple[float, float]]) -> float:
    """``prod(quality ** weight)`` over the qualities that apply (1.0 when none does)."""
    total = 0.0
    for quality, weight in values.values():
        if not math.isnan(quality):
            total += weight * math.log(max(quality, QUALITY_FLOOR))
    return math.exp(total)


def record_pairs(
    records: Sequence[dict[str, Any]], src_lang: str, tgt_lang: str, translations: dict[str, list[str]] | None = None
) -> PairBatch:
    """The beads of ``records`` that have both sides, as a batch to check.

    ``translations`` maps a language to its side's per-sentence machine translations (as the
    aligner made them), which the chrF check then reuses bead by bead instead of translating.
    """
    paired = [r for r in records if r["src_idx"] and r["tgt_idx"]]
    translations = translations or {}

    def bead_translations(language: str, key: str) -> list[str] | None:
        sentences = translations.get(language)
        return None if sentences is None else [" ".join(sentences[i] for i in r[key]) for r in paired]

    return PairBatch(
        [r["translation"][src_lang] for r in paired],
        [r["translation"][tgt_lang] for r in paired],
        src_lang,
        tgt_lang,
        src_translation=bead_translations(src_lang, "src_idx"),
        tgt_translation=bead_translations(tgt_lang, "tgt_idx"),
    )


def check_records(
    records: list[dict[str, Any]],
    src_lang: str,
    tgt_lang: str,
    config: CheckConfig,
    models: SharedModels,
    translations: dict[str, list[str]] | None = None,
    log: Any = None,
    qualities: dict[str, np.ndarray] | None = None,
) -> CheckReport:
    """Run the checks on aligned records and write ``score``, ``flags`` and ``checks`` into each
    (``qualities``: checks measured already)."""
    pairs = record_pairs(records, src_lang, tgt_lang, translations)
    report = run_checks(pairs, [r["bead"] for r in records], config, models, log, qualities)
    for record, score, flags, values in zip(records, report.scores, report.flags, report.checks):
        record["score"], record["flags"], record["checks"] = score, flags, values
    return report


def summarise(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Pairs kept (no flag) and pairs flagged per reason."""
    reasons: dict[str, int] = {}
    for record in records:
        for flag in record.get("flags", []):
            reasons[flag] = reasons.get(flag, 0) + 1
    kept = sum(1 for r in records if not r.get("flags"))
    return {"beads": len(records), "kept": kept, "flagged": len(records) - kept, "flags": dict(sorted(reasons.items()))}
