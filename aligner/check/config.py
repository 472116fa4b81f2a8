"""Which checks run and how (configuration), running them, and combining their qualities."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, InputError, ModelUnavailableError
from ..models import SharedModels
from ..registry import CHECKS, resolve
from .base import DEFAULT_CHECKS, Check, PairBatch
from .calibration import calibrated


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
                # a check's value is a share in [0, 1], its weight an exponent: a negative one made
                # the worst pairs score best, a threshold above 1 flagged every pair, silently
                if key == "threshold" and not 0.0 <= value <= 1.0:
                    raise ConfigError(f"{file}: check {name!r}: threshold {value} is not between 0 and 1")
                if key == "weight" and not 0.0 <= value < math.inf:
                    raise ConfigError(f"{file}: check {name!r}: weight {value} is not a number of 0 or more")
            checks[name] = CheckSetting(**settings)
        keep_unavailable = data.get("keep_unavailable", True)
        if not isinstance(keep_unavailable, bool):
            raise ConfigError(f"{file}: keep_unavailable must be true or false")
        config = cls(checks, keep_unavailable)
        try:
            config.validate()
        except ConfigError as error:
            raise ConfigError(f"{file}: {error}") from None
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
        score = combine({c.name: (values[c.name], c.weight) for c in used})
        # a flagged pair scores below one half, so --keep clean and --min-score 0.5 agree; the
        # order among flagged pairs (and among the others) is the score's
        scores.append(score * FLAGGED_SHARE if pair_flags else score)
        flags.append(pair_flags)
        per_check.append({name: round(v, 6) for name, v in values.items() if not math.isnan(v)})
        k += 1
    return CheckReport([rounded_score(s) for s in scores], flags, per_check, [c.name for c in used], dict(skipped))


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


#: The lowest share one check counts with: a quality of zero still ranks below every other, and
#: a pair that two checks find so (a source copied: language and untranslated both 0) ranks
#: below one that one check does, instead of the two tying at a floor of the product.
SHARE_FLOOR = 1e-6
#: The combined share (:func:`combined_share`) at which the score is 0.5: measured on the good
#: pairs of the calibration documents, as many score below it (12.5% tr-en, 14% de-fr) as scored
#: below 0.5 when the worst check alone decided (at a share of 0.05).
EVEN_SHARE = 0.017


#: What a flag multiplies the score by: a flagged pair scores below 0.5.
FLAGGED_SHARE = 0.49


def combined_share(shares: list[float]) -> float:
    """The two rarest checks' shares multiplied (1 without any, the one alone). An error shows
    most in one check (a changed number in the numbers check), but a name swapped in is seen a
    little by the names, the name swap and the embeddings checks at once, a sentence partly
    another's by the embeddings and the length: two checks that each find a pair unusual say
    more than either. A third check's share adds nothing more (measured)."""
    return math.prod(sorted(shares)[:2])


def combine(values: dict[str, tuple[float, float]]) -> float:
    """The pair's score from its calibrated checks. Each quality is read on the same scale, how
    rare it is among good translations (:mod:`.calibration`), raised to the check's weight (above
    1 counts more, 0 leaves it out); the two rarest decide: ``c = combined_share(...)`` over the
    checks that apply. The score is ``c (1 + e) / (c + e)`` with ``e = EVEN_SHARE``: 1 when
    nothing is unusual, 0.5 at the share below which about an eighth of good translations fall,
    near 0 for what no good translation showed."""
    shares = [
        max(calibrated(name, quality) ** weight, SHARE_FLOOR)
        for name, (quality, weight) in values.items()
        if not math.isnan(quality) and weight > 0
    ]
    share = combined_share(shares)
    return share * (1 + EVEN_SHARE) / (share + EVEN_SHARE)


def rounded_score(score: float) -> float:
    """A score as written: six decimals, or six significant digits below 0.001, so that the
    order among the lowest scores (down to ``SHARE_FLOOR`` squared) survives."""
    return float(f"{score:.6g}") if score < 1e-3 else round(score, 6)


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
