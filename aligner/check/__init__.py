"""Translation checks: score every aligned pair, flag what looks wrong, combine into one score.

A check looks at a batch of pairs and gives each a *quality* in ``[0, 1]`` (1: nothing wrong
seen; ``nan``: the check does not apply, e.g. no numbers on either side). A pair whose quality is
below the check's threshold gets the check's flag. The combined score comes from the two rarest
checks that apply, each quality read as how rare it is among good translations and raised to the
check's weight, the two multiplied (:func:`.config.combine`): one clearly failing check pulls the
whole pair down whatever the others say, and two that each find it a little unusual pull it down
more than either; the weights are fitted on corrupted development pairs by
``scripts/evaluate_checks.py --fit``. Beads with an empty side are never scored as pairs: they
get score 0 and the flag ``unaligned source`` or ``unaligned target``.

Checks are registered in :data:`aligner.registry.CHECKS`; which ones run, their thresholds,
weights and options come from :class:`CheckConfig` (CLI options or a YAML/TOML file). One module
per family: :mod:`.base` (the batch and the base class), :mod:`.model_checks` (forced decoding,
chrF, embeddings: a pair, its neighbours, its sentences, the parts of a sentence, its names), :mod:`.rules` (numbers,
names, length, language, untranslated, repetition, cut off, empty), :mod:`.quantities` (what a sentence
says in numbers, for the numbers check) and
:mod:`.config` (configuration, running the checks and combining their qualities).
"""

from .base import DEFAULT_CHECKS, MIN_BATCH, BaseCheck, Check, PairBatch, sentence_chrf
from .calibration import calibrated
from .config import (
    SHARE_FLOOR,
    CheckConfig,
    CheckReport,
    CheckSetting,
    build_checks,
    check_records,
    combine,
    measure_checks,
    record_pairs,
    report_checks,
    run_checks,
    summarise,
)
from .model_checks import (
    ChrfCheck,
    EmbeddingCheck,
    ForcedDecodingCheck,
    NameSwapCheck,
    NeighboursCheck,
    UnmatchedPartCheck,
    UnmatchedSentenceCheck,
    dual_cross_entropy_quality,
)
from .quantities import Quantities, has_month_names, quantities
from .rules import (
    CutOffCheck,
    EmptyCheck,
    LanguageCheck,
    LengthCheck,
    NamesCheck,
    NumbersCheck,
    RepetitionCheck,
    UntranslatedCheck,
    language_identifiable,
    name_words,
)

__all__ = [
    "DEFAULT_CHECKS",
    "MIN_BATCH",
    "SHARE_FLOOR",
    "BaseCheck",
    "Check",
    "CheckConfig",
    "CheckReport",
    "CheckSetting",
    "CutOffCheck",
    "ChrfCheck",
    "EmbeddingCheck",
    "EmptyCheck",
    "ForcedDecodingCheck",
    "LanguageCheck",
    "NeighboursCheck",
    "UnmatchedPartCheck",
    "UnmatchedSentenceCheck",
    "LengthCheck",
    "NameSwapCheck",
    "NamesCheck",
    "NumbersCheck",
    "PairBatch",
    "Quantities",
    "RepetitionCheck",
    "UntranslatedCheck",
    "build_checks",
    "calibrated",
    "check_records",
    "combine",
    "dual_cross_entropy_quality",
    "has_month_names",
    "language_identifiable",
    "measure_checks",
    "name_words",
    "quantities",
    "record_pairs",
    "report_checks",
    "run_checks",
    "sentence_chrf",
    "summarise",
]
