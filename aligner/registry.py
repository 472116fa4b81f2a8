"""Every pluggable component, by name, in one place.

Entries are ``"module:Class"`` strings imported on first use, so that ``import aligner`` and
``aligner --help`` never import torch, transformers or an embedding engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import ConfigError

SEGMENTERS: dict[str, str] = {
    "auto": "aligner.segment:AutoSegmenter",
    "sentencex": "aligner.segment:SentencexSegmenter",
    "pysbd": "aligner.segment:PysbdSegmenter",
    "moses": "aligner.segment:MosesSegmenter",
}

#: Bead scorers: each turns the two documents into a score for any candidate bead.
SIGNALS: dict[str, str] = {
    "mt": "aligner.score:MTSimilaritySignal",
    "embedding": "aligner.score:EmbeddingSignal",
    "length": "aligner.score:LengthSignal",
    "anchors": "aligner.score:AnchorSignal",
}

#: Translation checks: each gives every aligned pair a quality in [0, 1] and a flag below its threshold.
CHECKS: dict[str, str] = {
    "forced_decoding": "aligner.check.model_checks:ForcedDecodingCheck",
    "chrf": "aligner.check.model_checks:ChrfCheck",
    "embedding": "aligner.check.model_checks:EmbeddingCheck",
    "neighbours": "aligner.check.model_checks:NeighboursCheck",
    "unmatched_sentence": "aligner.check.model_checks:UnmatchedSentenceCheck",
    "unmatched_part": "aligner.check.model_checks:UnmatchedPartCheck",
    "name_swap": "aligner.check.model_checks:NameSwapCheck",
    "numbers": "aligner.check.rules:NumbersCheck",
    "names": "aligner.check.rules:NamesCheck",
    "length": "aligner.check.rules:LengthCheck",
    "language": "aligner.check.rules:LanguageCheck",
    "untranslated": "aligner.check.rules:UntranslatedCheck",
    "repetition": "aligner.check.rules:RepetitionCheck",
    "cut_off": "aligner.check.rules:CutOffCheck",
    "empty": "aligner.check.rules:EmptyCheck",
}

#: Output formats written beside ``alignments.jsonl`` and the dataset.
WRITERS: dict[str, str] = {
    "jsonl": "aligner.write:write_jsonl",
    "tmx": "aligner.write:write_tmx",
    "moses": "aligner.write:write_moses",
    "tsv": "aligner.write:write_tsv",
}


#: Engines of ``aligner build``: each runs the stages over the pending documents and commits them.
ENGINES: dict[str, str] = {
    "local": "aligner.engine:run_local",
    "ray": "aligner.engine:run_ray",
}


def resolve(table: dict[str, str], name: str, kind: str) -> Any:
    """Import and return the object registered under ``name`` in ``table``."""
    try:
        target = table[name]
    except KeyError:
        raise ConfigError(f"unknown {kind} {name!r}: choose one of {', '.join(sorted(table))}") from None
    module_name, _, attribute = target.partition(":")
    try:
        return getattr(import_module(module_name), attribute)
    except ImportError as error:
        raise ConfigError(f"{kind} {name!r} needs a package that is not installed: {error.name}") from None


def skipped_by_reason(skipped: dict[str, str]) -> dict[str, list[str]]:
    """Components left out (name: why) grouped by why, so that a reason shared by several (no MT
    model for chrF and forced decoding) is said once; names in order (a run's record may hold
    them in another)."""
    grouped: dict[str, list[str]] = {}
    for name, reason in sorted(skipped.items()):
        grouped.setdefault(reason, []).append(name)
    return grouped


def describe_skipped(skipped: dict[str, str]) -> str:
    """:func:`skipped_by_reason` on one line: ``"chrf, forced_decoding: no model …; …"``."""
    return "; ".join(f"{', '.join(names)}: {reason}" for reason, names in skipped_by_reason(skipped).items())
