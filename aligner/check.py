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
from os.path import commonprefix
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import ConfigError
from .registry import CHECKS, resolve
from .score import NUMBER, URL, ChrfSpans, extract_anchors, fold, normalise_number

Progress = Callable[[int], None]

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
class CheckResources:
    """Models the checks share, created on first use: an encoder and translators per direction."""

    make_encoder: Callable[[], Any] | None = None
    make_translator: Callable[[str, str], Any] | None = None
    _encoder: Any = None
    _translators: dict[tuple[str, str], Any] = field(default_factory=dict)

    def encoder(self) -> Any:
        if self._encoder is None:
            if self.make_encoder is None:
                raise ConfigError("the embedding check needs an embedding model")
            self._encoder = self.make_encoder()
        return self._encoder

    def translator(self, source: str, target: str) -> Any:
        if (source, target) not in self._translators:
            if self.make_translator is None:
                raise ConfigError(f"no MarianMT model for {source}→{target}")
            self._translators[(source, target)] = self.make_translator(source, target)
        return self._translators[(source, target)]


class _BaseCheck:
    name = ""
    reason = ""
    threshold = 0.5
    weight = 1.0

    def __init__(self, resources: CheckResources, threshold: float | None = None, weight: float | None = None) -> None:
        self.resources = resources
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
        forward = np.array(self.resources.translator(pairs.src_lang, pairs.tgt_lang).cross_entropy(pairs.src, pairs.tgt))
        backward = np.array(self.resources.translator(pairs.tgt_lang, pairs.src_lang).cross_entropy(pairs.tgt, pairs.src))
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
        if pairs.src_translation is None and pairs.tgt_translation is None:
            pairs.src_translation = self.resources.translator(pairs.src_lang, pairs.tgt_lang).translate(pairs.src)
        scores = []
        if pairs.src_translation is not None:
            scores.append(sentence_chrf(pairs.src_translation, pairs.tgt))
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
    ``(cos - mean_unrelated) / (cos_translation_typical - mean_unrelated)``, where unrelated
    pairs are each source against the other targets of the batch, and the typical translation
    cosine is the batch median. Needs at least ``MIN_BATCH`` pairs; below that it does not apply.
    """

    name = "embedding"
    reason = "meanings differ (embeddings)"
    threshold = 0.5
    MIN_BATCH = 4

    def quality(self, pairs: PairBatch) -> np.ndarray:
        n = len(pairs)
        if n < self.MIN_BATCH:
            return np.full(n, np.nan)
        encoder = self.resources.encoder()
        src = encoder.encode(pairs.src)
        tgt = encoder.encode(pairs.tgt)
        similarity = src @ tgt.T
        cosine = np.diag(similarity).astype(np.float64)
        unrelated = (similarity.sum(axis=1) + similarity.sum(axis=0) - 2 * cosine) / (2 * (n - 1))
        typical = float(np.median(cosine - unrelated))
        margin = (cosine - unrelated) / max(typical, 1e-3)
        return np.clip(margin, 0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# Rule-based checks.

_MONTHS = {
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "en": "january february march april may june july august september october november december",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
_NUMBER_WORDS = {
    "tr": "sıfır bir iki üç dört beş altı yedi sekiz dokuz on",
    "en": "zero one two three four five six seven eight nine ten",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix",
}
_WORD = re.compile(r"\w+")


def _month_keys(language: str) -> dict[str, str]:
    names = _MONTHS.get(language, "").split()
    return {fold(name): f"month:{k + 1}" for k, name in enumerate(names)}


def number_keys(sentence: str, language: str) -> tuple[set[str], set[str]]:
    """Numbers (normalised across Turkish/English formats, ``%50`` = ``50%``) and month names of
    a sentence; and the numbers it spells out in words (one to ten), which may stand for digits
    on the other side."""
    text = URL.sub(" ", sentence)
    keys = {normalise_number(token, language) for token in NUMBER.findall(text)}
    months = _month_keys(language)
    number_words = {fold(word): str(k) for k, word in enumerate(_NUMBER_WORDS.get(language, "").split())}
    spelled = set()
    for word in _WORD.findall(text):
        folded = fold(word)
        # Turkish suffixes: "Eylül'de" is split at the apostrophe by \w+; "Eylülde" starts with it
        month = months.get(folded) or next((key for name, key in months.items() if len(name) >= 4 and folded.startswith(name)), None)
        if month and (word[0].isupper() or language not in ("en", "de")):  # "may" the verb is not May
            keys.add(month)
        if folded in number_words:
            spelled.add(number_words[folded])
    return keys, spelled


class NumbersCheck(_BaseCheck):
    """Numbers, percentages, amounts and dates must agree: the share of numbers found on both
    sides (a digit on one side may be spelled out on the other)."""

    name = "numbers"
    reason = "numbers differ"
    threshold = 0.99

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        for k, (src, tgt) in enumerate(zip(pairs.src, pairs.tgt)):
            src_keys, src_words = number_keys(src, pairs.src_lang)
            tgt_keys, tgt_words = number_keys(tgt, pairs.tgt_lang)
            total = len(src_keys) + len(tgt_keys)
            if total:
                missing = len(src_keys - tgt_keys - tgt_words) + len(tgt_keys - src_keys - src_words)
                out[k] = 1 - missing / total
        return out


_NAME_PREFIX_SHARE = 0.5


def _name_matches(name: str, words: set[str]) -> bool:
    """A folded name matches a folded word of the other side sharing a long enough prefix
    (Turkish suffixes and spelling: "Putin'in", "Rusya"/"Russia", "Türkiye"/"Turkey")."""
    for word in words:
        shared = len(commonprefix([name, word]))
        if shared >= 4 or (shared >= 3 and shared >= _NAME_PREFIX_SHARE * min(len(name), len(word))):
            return True
    return False


def names(sentence: str, language: str) -> set[str]:
    """Folded names and acronyms of a sentence (capitalised words not opening it)."""
    return {key.split(":", 1)[1].lower() for key in extract_anchors(sentence, language) if key[0] in "pa"}


class NamesCheck(_BaseCheck):
    """Names and acronyms on one side only: the share of each side's names that the other side
    has too (matched on folded prefixes, against any word of the other side)."""

    name = "names"
    reason = "names differ"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        for k, (src, tgt) in enumerate(zip(pairs.src, pairs.tgt)):
            src_names, tgt_names = names(src, pairs.src_lang), names(tgt, pairs.tgt_lang)
            total = len(src_names) + len(tgt_names)
            if not total:
                continue
            src_words = {fold(w) for w in _WORD.findall(src)}
            tgt_words = {fold(w) for w in _WORD.findall(tgt)}
            found = sum(_name_matches(n, tgt_words) for n in src_names) + sum(_name_matches(n, src_words) for n in tgt_names)
            out[k] = found / total
        return out


class LengthCheck(_BaseCheck):
    """Character length ratio against the batch's own typical ratio (its median): 1 at the
    typical ratio, 0.5 at half or twice it."""

    name = "length"
    reason = "lengths differ"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = np.array([len(s) for s in pairs.src], dtype=np.float64)
        tgt = np.array([len(t) for t in pairs.tgt], dtype=np.float64)
        ratio = np.maximum(tgt, 1) / np.maximum(src, 1)
        typical = float(np.median(ratio)) if len(pairs) >= EmbeddingCheck.MIN_BATCH else 1.0
        relative = ratio / typical
        return np.minimum(relative, 1 / relative)


class LanguageCheck(_BaseCheck):
    """Language identification (py3langid) of each side: the probability of the expected
    language relative to the most probable one, the lower of the two sides."""

    name = "language"
    reason = "wrong language"
    threshold = 0.2
    _identifier: Any = None

    @classmethod
    def identifier(cls) -> Any:
        if cls._identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            cls._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return cls._identifier

    def quality(self, pairs: PairBatch) -> np.ndarray:
        return np.minimum(self._side(pairs.src, pairs.src_lang), self._side(pairs.tgt, pairs.tgt_lang))

    def _side(self, sentences: list[str], language: str) -> np.ndarray:
        identifier = self.identifier()
        out = np.ones(len(sentences))
        if language not in identifier.nb_classes:
            return out
        for k, sentence in enumerate(sentences):
            ranked = dict(identifier.rank(sentence))
            out[k] = ranked.get(language, 0.0) / max(ranked.values())
        return out


class UntranslatedCheck(_BaseCheck):
    """The target copies the source: quality is ``1 - chrF(source, target)`` once numbers,
    URLs and names are removed from both (those are rightly the same in a translation)."""

    name = "untranslated"
    reason = "untranslated (target copies source)"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = [_strip_shared(s, pairs.src_lang) for s in pairs.src]
        tgt = [_strip_shared(t, pairs.tgt_lang) for t in pairs.tgt]
        quality = 1 - np.maximum(sentence_chrf(src, tgt), sentence_chrf(tgt, src))
        return np.where([bool(s.strip()) and bool(t.strip()) for s, t in zip(src, tgt)], quality, np.nan)


def _strip_shared(sentence: str, language: str) -> str:
    text = NUMBER.sub(" ", URL.sub(" ", sentence))
    return " ".join(w for k, w in enumerate(text.split()) if k == 0 or not w[:1].isupper())


class EmptyCheck(_BaseCheck):
    """A side with no letters or digits (empty, punctuation or symbols only)."""

    name = "empty"
    reason = "empty or punctuation only"
    threshold = 0.5

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
    def from_names(cls, names: str) -> "CheckConfig":
        chosen = [n.strip() for n in names.split(",") if n.strip()]
        config = cls({name: CheckSetting() for name in chosen})
        config.validate()
        return config

    @classmethod
    def from_file(cls, path: str | Path) -> "CheckConfig":
        from .errors import InputError

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


def build_checks(config: CheckConfig, resources: CheckResources) -> list[Check]:
    return [resolve(CHECKS, name, "check")(resources, setting.threshold, setting.weight) for name, setting in config.checks.items()]


def run_checks(
    pairs: PairBatch, shapes: Sequence[str], config: CheckConfig, resources: CheckResources, log: Any = None
) -> CheckReport:
    """Check every bead. ``pairs`` holds the beads with both sides, in order; ``shapes`` every
    bead's shape (``"1-1"``, ``"1-0"`` …), so that empty-sided beads are reported in place."""
    from .errors import ModelUnavailableError

    qualities: dict[str, np.ndarray] = {}
    checks = build_checks(config, resources)
    skipped: dict[str, str] = {}
    for check in checks:
        if not len(pairs):
            break
        try:
            qualities[check.name] = np.asarray(check.quality(pairs), dtype=np.float64)
        except (ModelUnavailableError, ConfigError) as error:
            if not config.keep_unavailable:
                raise
            skipped[check.name] = str(error)
            if log:
                log.warning("check %s skipped: %s", check.name, error)
    used = [c for c in checks if c.name in qualities]
    scores, flags, per_check = [], [], []
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
    return CheckReport([round(s, 6) for s in scores], flags, per_check, [c.name for c in used], skipped)


#: Qualities are floored here before the product, so that a zero still ranks by the other checks.
QUALITY_FLOOR = 1e-3


def combine(values: dict[str, tuple[float, float]]) -> float:
    """``prod(quality ** weight)`` over the qualities that apply (1.0 when none does)."""
    total = 0.0
    for quality, weight in values.values():
        if not math.isnan(quality):
            total += weight * math.log(max(quality, QUALITY_FLOOR))
    return math.exp(total)
