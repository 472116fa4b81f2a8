"""Parallel corpora people already hold, as inputs of ``aligner check``: read them in chunks,
write them back with each pair's ``score``, ``flags`` and ``checks``, or only the pairs that pass.

Formats: a TSV, or a CSV with quoted cells (two columns, or columns named by
``--src-field``/``--tgt-field`` in a header, or numbered from 1 in a table without one;
a first row naming the two columns, :func:`_pair_columns`, is a header too),
a Moses pair (``corpus.tr`` + ``corpus.en``), a JSONL of ``{"translation": {...}}`` records (or
fields named by the options, or fields whose names say they are the pair), a TMX translation memory (each ``<tu>``'s two languages; written
back with the results as ``<prop type="x-aligner-…">``), a Parquet file, and a Hugging Face dataset saved with
``save_to_disk``, or as the hub holds one (a card and Parquet files), whose ``translation``
feature is a ``Translation`` (or whose pair is two text columns). Every reader streams: a
chunk of pairs at a time is read, checked and written to a temporary file, renamed over the
output at the end, so memory stays flat however large the corpus, and a failure leaves the input
and the output as they were.
Any file of these may be gzip-compressed (``corpus.tsv.gz``, ``corpus.tr.gz``), as OPUS
distributes them: it is read as it streams, and written back compressed.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import itertools
import json
import logging
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from xml.etree import ElementTree

from .anchors import URL
from .errors import AlignerError, ConfigError, InputError, OutputError, cannot_be_written
from .languages import check_language, check_translation_language, tag_language
from .read import (
    DAMAGED_GZIP,
    LEGACY_ENCODINGS,
    check_regular_file,
    detect_encoding,
    is_gzip_name,
    json_object,
    tsv_rows,
    uncompressed_path,
)

log = logging.getLogger(__name__)

#: Pairs checked together: the batch whose own statistics the checks use (typical length ratio,
#: embedding margins, neighbours, the names a side writes in lower case).
CHUNK = 1000
#: Columns a checked TSV gets after its own.
RESULT_COLUMNS = ("score", "flags", "checks")
FLAG_SEPARATOR = "; "
KEEP_CHOICES = ("all", "clean")


@dataclass
class Pair:
    src: str
    tgt: str
    row: Any  # what the reader read (a TSV row, a JSON object, a dataset row), written back


@dataclass
class Result:
    score: float
    flags: list[str]
    checks: dict[str, float]


@dataclass
class Keep:
    """Which pairs an output keeps: all, only those without flags, those scoring at least ``min_score``."""

    clean: bool = False
    min_score: float | None = None

    def __call__(self, result: Result) -> bool:
        return (not self.clean or not result.flags) and (self.min_score is None or result.score >= self.min_score)

    @property
    def filters(self) -> bool:
        return self.clean or self.min_score is not None


@dataclass
class ParallelCorpus:
    """One parallel corpus: where it is, its shape, its languages; reading and writing it."""

    kind: str  # tsv, moses, jsonl, dataset
    paths: list[Path]
    src_lang: str
    tgt_lang: str
    src_field: str | None = None
    tgt_field: str | None = None
    header: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: the corpus's own labels of its languages where they are tags ("pt-BR" of a dataset's
    #: Translation feature): the keys its records are read by
    src_key: str | None = None
    tgt_key: str | None = None
    #: a TSV's or a Moses pair's text encoding, per path (UTF-8 where empty); written back as UTF-8
    encodings: tuple[str, ...] = ()
    #: a table of text's cell separator: a TSV's tab (no quoting, as MT corpora write them) or a
    #: CSV's comma (cells quoted where they hold one)
    delimiter: str = "\t"

    def rows(self, lines: Iterable[str]) -> Iterator[list[str]]:
        """A TSV's or a CSV's rows (:func:`_table_rows`)."""
        return _table_rows(lines, self.paths[0], self.delimiter)

    def row_text(self, cells: list[str]) -> str:
        """A row as this table writes one, without its line end."""
        if self.delimiter == "\t":
            return "\t".join(cells)
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow(cells)  # a cell with a line break is quoted
        return line.getvalue()[:-1]

    def side_texts(self, translation: Any) -> tuple[Any, Any]:
        """A ``translation`` record's two sides, by this corpus's keys, or by keys that are tags
        of its languages ("pt-BR", "pt_BR" for pt); None for a side it lacks."""
        if not isinstance(translation, dict):
            return None, None
        return (
            _by_language(translation, self.src_key or self.src_lang),
            _by_language(translation, self.tgt_key or self.tgt_lang),
        )


def _by_language(translation: dict[str, Any], key: str) -> Any:
    if key in translation:
        return translation[key]
    language = tag_language(key)
    return next((value for name, value in translation.items() if tag_language(name) == language), None)


# ---------------------------------------------------------------------------------------------
# recognising an input


def _suffix(path: Path) -> str:
    """The extension that says a file's format: ``.tsv`` for ``corpus.tsv.gz``."""
    return uncompressed_path(path).suffix


def _with_suffix(path: Path, suffix: str) -> Path:
    """``path`` with its format extension replaced, compressed as it is: corpus.tr.gz → corpus.en.gz."""
    replaced = uncompressed_path(path).with_suffix(suffix)
    return replaced.with_name(replaced.name + ".gz") if is_gzip_name(path) else replaced


def is_plain_corpus(paths: list[Path]) -> bool:
    """Whether ``paths`` is a parallel corpus of this module rather than an aligner output."""
    if len(paths) == 2:
        return True
    path = paths[0]
    if path.is_dir():
        if (path / "state.sqlite").is_file() or (path / "alignments.jsonl").is_file():
            return False
        info = _dataset_info(path)
        if info is None:
            return _parquet_with_card(path)  # a dataset as the hub holds it: said so by _dataset
        return not {"src_idx", "tgt_idx", "bead"} <= set(info.get("features", {}))
    if _suffix(path) == ".jsonl" and path.is_file():  # a missing one: open_corpus says so
        first = _first_json(path)
        return not (isinstance(first, dict) and {"src_idx", "tgt_idx", "bead"} <= set(first))
    return True


def open_corpus(
    paths: list[Path],
    src_lang: str | None,
    tgt_lang: str | None,
    src_field: str | None = None,
    tgt_field: str | None = None,
    encoding: str | None = None,
) -> ParallelCorpus:
    """Recognise the corpus at ``paths`` (one or two) and its languages, or say in one line what
    was expected. A TSV's or a Moses pair's ``encoding`` is detected where not given (a legacy
    8-bit file of the language, "cp1254" for Turkish); JSON and TMX say theirs."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
    if (src_field is None) != (tgt_field is None):
        raise ConfigError("give both --src-field and --tgt-field, or neither")
    corpus = _recognised(paths, src_lang, tgt_lang, src_field, tgt_field, encoding)
    if src_field and corpus.kind in ("tmx", "moses"):  # they were left unread, silently
        raise ConfigError(
            f"{paths[0]}: --src-field and --tgt-field name a JSONL's fields or a table's columns; a {'TMX' if corpus.kind == 'tmx' else 'Moses pair'} has neither"
        )
    if encoding and corpus.kind not in ("tsv", "moses"):
        raise ConfigError(f"{paths[0]}: --encoding is for a TSV or a Moses pair (JSON is UTF-8, a TMX and a dataset say theirs)")
    return corpus


def _recognised(
    paths: list[Path], src_lang: str | None, tgt_lang: str | None, src_field: str | None, tgt_field: str | None, encoding: str | None
) -> ParallelCorpus:
    if len(paths) == 2:
        return _moses(paths, src_lang, tgt_lang, encoding)
    path = paths[0]
    if path.is_dir():
        return _dataset(path, src_lang, tgt_lang, src_field, tgt_field)
    if _suffix(path) == ".jsonl":
        return _jsonl(path, src_lang, tgt_lang, src_field, tgt_field)
    if _suffix(path) == ".tmx":
        return _tmx(path, src_lang, tgt_lang)
    if path.suffix == ".parquet":  # before the fields' TSV: --src-field names a Parquet file's column too
        return _parquet(path, src_lang, tgt_lang, src_field, tgt_field)
    if _suffix(path) in (".tsv", ".txt", ".tab", ".csv") or src_field:
        return _tsv(path, src_lang, tgt_lang, src_field, tgt_field, encoding, "," if _suffix(path) == ".csv" else "\t")
    sibling = _moses_sibling(path, src_lang, tgt_lang)
    if sibling is not None:
        return _moses([path, sibling] if _suffix(path) == f".{src_lang}" else [sibling, path], src_lang, tgt_lang, encoding)
    raise InputError(
        f"{path}: not a parallel corpus aligner knows: expected a TSV (.tsv) or CSV (.csv), a JSONL (.jsonl), a TMX (.tmx), a Moses pair "
        "(corpus.SRC and corpus.TGT, or two paths), each maybe gzip-compressed (.gz), a Parquet file (.parquet), "
        "a saved Hugging Face dataset folder, or an aligner output"
    )


def _languages(src_lang: str | None, tgt_lang: str | None, what: str) -> tuple[str, str]:
    if src_lang is None or tgt_lang is None:
        raise ConfigError(f"{what} does not say its languages: give --src-lang and --tgt-lang")
    return check_language(src_lang), check_language(tgt_lang)


def _moses_sibling(path: Path, src_lang: str | None, tgt_lang: str | None) -> Path | None:
    for this, other in ((src_lang, tgt_lang), (tgt_lang, src_lang)):
        if this and other and _suffix(path) == f".{this}" and _with_suffix(path, f".{other}").is_file():
            return _with_suffix(path, f".{other}")
    return None


#: The format a file's extension names: a whole parallel corpus, which no side of a Moses pair
#: is, and which a checked corpus is written in (its input's).
FORMAT_OF_SUFFIX = {".tsv": "tsv", ".tab": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".tmx": "tmx", ".parquet": "parquet"}
FORMAT_NAMES = {"tsv": "a TSV", "csv": "a CSV", "jsonl": "a JSONL", "tmx": "a TMX", "parquet": "a Parquet file"}


def _moses(paths: list[Path], src_lang: str | None, tgt_lang: str | None, encoding: str | None) -> ParallelCorpus:
    for path in paths:
        check_regular_file(path)
        named = FORMAT_OF_SUFFIX.get(_suffix(path).lower())
        if named is not None:  # `check a.tsv b.tsv`: each line checked against the other file's, silently
            raise InputError(
                f"{path}: is {FORMAT_NAMES[named]}, a corpus of its own, not one side of a Moses pair: check each corpus on its own"
            )
    if paths[0].resolve() == paths[1].resolve():
        raise InputError(f"{paths[0]} and {paths[1]}: the two sides of a Moses pair are the same file")
    if src_lang is None and tgt_lang is None:  # corpus.tr corpus.en say it
        src_lang, tgt_lang = _suffix(paths[0]).lstrip("."), _suffix(paths[1]).lstrip(".")
    src, tgt = _languages(src_lang, tgt_lang, f"{paths[0]} and {paths[1]}")
    encodings = (_text_encoding(paths[0], src, encoding), _text_encoding(paths[1], tgt, encoding))
    return ParallelCorpus("moses", paths, src, tgt, encodings=encodings)


#: How much of a TSV or a Moses file its encoding is told from.
ENCODING_SAMPLE = 1 << 16


def _text_encoding(path: Path, language: str, encoding: str | None) -> str:
    """``encoding`` if a known one, else the file's as its first ``ENCODING_SAMPLE`` bytes tell it."""
    if encoding:
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            raise ConfigError(f"unknown encoding {encoding!r} (try utf-8, cp1254, iso-8859-9)") from None
    with _open_binary(path) as stream:
        sample = stream.read(ENCODING_SAMPLE)
    found = detect_encoding(sample, path, language, complete=len(sample) < ENCODING_SAMPLE)
    if found != "utf-8-sig":
        log.info("%s: read as %s (written back as UTF-8)", path, found)
    return found


def _tsv(
    path: Path,
    src_lang: str | None,
    tgt_lang: str | None,
    src_field: str | None,
    tgt_field: str | None,
    encoding: str | None,
    delimiter: str = "\t",
) -> ParallelCorpus:
    """A TSV, or a CSV (``delimiter`` ","): a table of text, its pair two of its columns."""
    check_regular_file(path)
    if src_lang is None or tgt_lang is None:
        src_lang, tgt_lang = _other_language(path, src_lang, tgt_lang, _header_languages(path, delimiter), "its header names")
    src, tgt = _languages(src_lang, tgt_lang, str(path))
    # a TSV holds both languages: the one with legacy encodings of its own tells them apart
    encoding = _text_encoding(path, src if src in LEGACY_ENCODINGS else tgt, encoding)
    with _open_text(path, encoding) as stream:
        rows = _table_rows(stream, path, delimiter)
        first_row, second_row = next(rows, []), next(rows, [])
    header = None
    named = None if src_field else _pair_columns(first_row, (src, tgt))
    if named is not None and all(k < len(second_row) and second_row[k].casefold() == first_row[k].casefold() for k in named):
        named = None  # the same codes on the next row too: columns of each row's languages, not a header
    if named is not None:
        header, src_field, tgt_field = first_row, first_row[named[0]], first_row[named[1]]
        log.info("%s: its first row is read as a header (%s, %s)", path, src_field, tgt_field)
    elif src_field and _column_numbers(src_field, tgt_field or "") is None:  # else columns by number, no header
        header = first_row
        missing = [name for name in (src_field, tgt_field) if name not in header]
        if missing:
            raise InputError(f"{path}:1: no column {', '.join(map(repr, missing))} in the header ({', '.join(header)})")
    return ParallelCorpus("tsv", [path], src, tgt, src_field, tgt_field, header, encodings=(encoding,), delimiter=delimiter)


def _table_rows(lines: Iterable[str], path: Path, delimiter: str) -> Iterator[list[str]]:
    """A TSV's rows (unquoted, as MT corpora write them) or a CSV's (``delimiter`` ",", quoted
    cells): cells of any length, an unreadable row a one-line error."""
    if delimiter == "\t":
        return tsv_rows(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), path)
    return tsv_rows(csv.reader(lines, delimiter=delimiter), path)


#: A TSV's first row with one cell of each kind (or the two languages' codes) is its header, not a
#: pair: written back as a header, never checked as a translation; those columns are the pair's.
SOURCE_COLUMNS = frozenset("src source src_text source_text src_sentence source_sentence original".split())
TARGET_COLUMNS = frozenset("tgt target tgt_text target_text tgt_sentence target_sentence translation".split())


def _column_numbers(src_field: str, tgt_field: str) -> tuple[int, int] | None:
    """The 0-based positions of ``--src-field 3 --tgt-field 4`` (column numbers from 1, of a TSV
    without a header), or None where the fields are names."""
    if not (src_field.isdecimal() and tgt_field.isdecimal()):
        return None
    if int(src_field) < 1 or int(tgt_field) < 1 or src_field == tgt_field:
        raise ConfigError(f"--src-field {src_field} --tgt-field {tgt_field}: two different column numbers, counted from 1")
    return int(src_field) - 1, int(tgt_field) - 1


def _pair_columns(row: list[str], languages: tuple[str, str]) -> tuple[int, int] | None:
    """Where a header row names the source and the target column (:data:`SOURCE_COLUMNS` and
    :data:`TARGET_COLUMNS`, or the languages' codes: "tr", "en-GB"), each once, in any order and
    among other columns ("id", "url"); None for a row that is no such header. A header with the
    pair after an id was read as a pair, and each row's id checked as the source sentence."""
    names = [cell.strip().casefold() for cell in row]
    source = [k for k, name in enumerate(names) if name in SOURCE_COLUMNS or (" " not in name and tag_language(name) == languages[0])]
    target = [k for k, name in enumerate(names) if name in TARGET_COLUMNS or (" " not in name and tag_language(name) == languages[1])]
    if len(source) == 1 and len(target) == 1 and source != target:
        return source[0], target[0]
    return None


def _jsonl(path: Path, src_lang: str | None, tgt_lang: str | None, src_field: str | None, tgt_field: str | None) -> ParallelCorpus:
    """A JSONL: its languages from ``-s``/``-t``; one of them given, the other is the other key of
    its first record's ``translation`` (which of two keys is the source the records do not say).
    Records without a ``translation`` object whose fields name the pair (``src``/``tgt``, the
    languages' codes: :func:`_pair_columns`) are read by those fields."""
    check_regular_file(path)
    first = _first_json(path)
    record = first if isinstance(first, dict) else {}
    translation = record.get("translation")
    if (src_lang is None or tgt_lang is None) and not (src_field or tgt_field):
        keys = list(translation) if isinstance(translation, dict) else []
        src_lang, tgt_lang = _other_language(path, src_lang, tgt_lang, keys, "its records translate between")
    src, tgt = _languages(src_lang, tgt_lang, str(path))
    named = None if src_field or tgt_field or isinstance(translation, dict) else _pair_columns(list(record), (src, tgt))
    if named is not None:  # {"src": …, "tgt": …} or {"tr": …, "en": …}, as a TSV header names them
        src_field, tgt_field = list(record)[named[0]], list(record)[named[1]]
        log.info("%s: its records' fields %r and %r are read as the pair", path, src_field, tgt_field)
    return ParallelCorpus("jsonl", [path], src, tgt, src_field, tgt_field)


def _other_language(path: Path, src_lang: str | None, tgt_lang: str | None, found: list[str], says: str) -> tuple[str | None, str | None]:
    """``-s``/``-t`` with the one not given taken from the two languages the file ``found`` (a
    TSV header's, a JSONL record's keys); with neither given, which is the source is asked."""
    given = tag_language(src_lang or tgt_lang or "")
    others = [language for language in found if tag_language(language) != given]
    if len(found) != 2 or len(others) != 1 + (not given):
        return src_lang, tgt_lang
    if not given:
        raise ConfigError(f"{path}: {says} {found[0]} and {found[1]}: say which is the source with --src-lang (or --tgt-lang)")
    return (src_lang, others[0]) if tgt_lang is None else (others[0], tgt_lang)


def _header_languages(path: Path, delimiter: str = "\t") -> list[str]:
    """The language codes a TSV's (or CSV's) first row names ("tr", "en-GB"), where that is all its cells are."""
    with _open_binary(path) as stream:
        first = stream.readline(4096).decode("utf-8", errors="replace").rstrip("\r\n").lstrip("\ufeff")
    languages = [_as_language(cell.strip().strip('"')) for cell in first.split(delimiter)]
    return languages if all(languages) else []


def _as_language(name: str) -> str:
    """The language a header cell or column name is the code or tag of ("tr", "en-GB"), or "";
    "src" and "tgt" name the sides, though ISO 639-3 has them as languages."""
    if not name or " " in name or name.casefold() in SOURCE_COLUMNS | TARGET_COLUMNS:
        return ""
    try:
        return check_language(tag_language(name))
    except ConfigError:
        return ""


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Results a checked TMX carries in each ``<tu>``, as ``<prop type="...">``.
TMX_PROPS = {name: f"x-aligner-{name}" for name in RESULT_COLUMNS}


def _tmx(path: Path, src_lang: str | None, tgt_lang: str | None) -> ParallelCorpus:
    """A TMX: its languages from ``-s``/``-t``, else from the header's ``srclang`` and the other
    language of its first ``<tu>`` (one of the two given: the other from them). Its header is kept
    for writing it back."""
    check_regular_file(path)
    header, first_languages = None, []
    for element in _tmx_elements(path, ("header", "tu")):
        if element.tag == "header":
            header = element
        else:
            first_languages = [_tmx_language(tuv) for tuv in element.findall("tuv")]
            break
    declared = tag_language(header.get("srclang") or "") if header is not None else ""
    declared = "" if declared == "*all*" else declared
    if src_lang is None and tgt_lang is None:
        others = [language for language in first_languages if language and language != declared]
        if declared and len(others) == 1:
            src_lang, tgt_lang = declared, others[0]
    elif src_lang is None or tgt_lang is None:  # the one not given is the first <tu>'s other language
        src_lang, tgt_lang = _other_language(path, src_lang, tgt_lang, first_languages, "its units translate between")
    src, tgt = _languages(src_lang, tgt_lang, str(path))
    header_text = ElementTree.tostring(header, encoding="unicode").strip() if header is not None else "<header/>"
    return ParallelCorpus("tmx", [path], src, tgt, extra={"header": header_text})


def _tmx_language(tuv: ElementTree.Element) -> str:
    """A ``<tuv>``'s language as a bare code: "en-US" and "EN" are "en"."""
    return tag_language(tuv.get(_XML_LANG) or tuv.get("lang") or "")


def _tmx_elements(path: Path, tags: tuple[str, ...]) -> Iterator[ElementTree.Element]:
    """The TMX's elements of the given tags, in order, each whole, read as the file streams (each
    is let go of by the tree once given: memory stays flat however many ``<tu>`` there are)."""
    with _open_binary(path) as stream:
        root = body = None
        try:
            for event, element in ElementTree.iterparse(stream, events=("start", "end")):
                if root is None:
                    root = element
                    if root.tag != "tmx":
                        raise InputError(f"{path}: not a TMX file (its root is <{root.tag}>, not <tmx>)")
                if event == "start" and element.tag == "body":
                    body = element
                elif event == "end" and element.tag in tags:
                    yield element
                    if body is not None and element.tag == "tu":
                        body.remove(element)
        except ElementTree.ParseError as error:
            raise InputError(f"{path}: not valid XML ({error})") from None


def _dataset_info(folder: Path) -> dict[str, Any] | None:
    for info in (folder / "dataset_info.json", *sorted(folder.glob("*/dataset_info.json"))):
        if info.is_file():
            try:
                value = json.loads(info.read_text(encoding="utf-8"))
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def _parquet_with_card(folder: Path) -> bool:
    """A dataset folder as the Hugging Face hub holds one: a card (README.md opening with its YAML)
    and Parquet files, at its top or a folder down (``data/train-00000-of-00001.parquet``)."""
    card = folder / "README.md"
    if not card.is_file() or next(itertools.chain(folder.glob("*.parquet"), folder.glob("*/*.parquet")), None) is None:
        return False
    with card.open("rb") as stream:
        return stream.read(4).rstrip(b"\r\n") == b"---"


def _translation_languages(splits: dict[str, Any]) -> list[str] | None:
    """The languages of a loaded dataset's ``translation`` column, where it is a Translation."""
    from datasets import Translation

    feature = next(iter(splits.values())).features.get("translation") if splits else None
    return list(feature.languages) if isinstance(feature, Translation) else None


def _load_hub_dataset(folder: Path) -> dict[str, Any]:
    """A dataset of Parquet files with a card, by split, as ``datasets.load_dataset`` reads it."""
    from datasets import load_dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # the loader's own bars ("Generating train split"): aligner shows its progress
    try:
        return dict(load_dataset(str(folder)))
    except Exception as error:  # the loader's errors have no common base: any is "cannot be loaded"
        raise InputError(f"{folder}: cannot be loaded as a dataset ({str(error).splitlines()[0]})") from None


def _dataset(folder: Path, src_lang: str | None, tgt_lang: str | None, src_field: str | None, tgt_field: str | None) -> ParallelCorpus:
    info = _dataset_info(folder)
    # a dataset of Parquet files is loaded once (into the loader's cache): every pass reads that
    hub = _load_hub_dataset(folder) if info is None and _parquet_with_card(folder) else None
    if hub is not None:
        languages = _translation_languages(hub)
        text_columns = [name for name, kind in next(iter(hub.values())).features.items() if getattr(kind, "dtype", None) == "string"]
    elif info is None:
        raise InputError(f"{folder}: not a saved Hugging Face dataset (no dataset_info.json), an aligner output or a built corpus")
    else:
        features = info.get("features", {})
        feature = features.get("translation", {})
        languages = feature.get("languages") if isinstance(feature, dict) and feature.get("_type") == "Translation" else None
        text_columns = [name for name, kind in features.items() if isinstance(kind, dict) and kind.get("dtype") == "string"]
    return _translation_or_columns(
        "dataset", folder, languages, text_columns, src_lang, tgt_lang, src_field, tgt_field, {"hub": hub} if hub else {}
    )


def _parquet(path: Path, src_lang: str | None, tgt_lang: str | None, src_field: str | None, tgt_field: str | None) -> ParallelCorpus:
    """A Parquet file, as the hub's datasets are made of: a ``translation`` struct of two languages
    (a Translation), or two text columns; read a batch of rows at a time, written back so."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_regular_file(path)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: not a Parquet file ({str(error).splitlines()[0]})") from None
    kind = schema.field("translation").type if "translation" in schema.names else None
    languages = [child.name for child in kind] if isinstance(kind, pa.StructType) else None
    text_columns = [field.name for field in schema if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)]
    return _translation_or_columns("parquet", path, languages, text_columns, src_lang, tgt_lang, src_field, tgt_field, {})


#: What a dataset or a Parquet file holds its pairs in.
TABLE_PAIR = "'translation' column of the Translation type with two languages, or two text columns"


def _translation_or_columns(
    kind: str,
    path: Path,
    languages: list[str] | None,
    text_columns: list[str],
    src_lang: str | None,
    tgt_lang: str | None,
    src_field: str | None,
    tgt_field: str | None,
    extra: dict[str, Any],
) -> ParallelCorpus:
    """A table's pair: its ``translation`` column's two ``languages`` (its labels kept: "en-US"),
    or two of its ``text_columns`` (named by ``--src-field``/``--tgt-field``, or naming the pair as
    a TSV header does: ``src``/``tgt``, ``tr``/``en``)."""
    if src_field or not languages:
        if src_lang is None or tgt_lang is None:
            codes = [name for name in text_columns if _as_language(name)]
            src_lang, tgt_lang = _other_language(path, src_lang, tgt_lang, codes, "its columns hold")
        src, tgt = _languages(src_lang, tgt_lang, f"{path} (it has no Translation column)")
        if src_field:
            missing = [name for name in (src_field, tgt_field or "") if name not in text_columns]
            if missing:
                raise InputError(
                    f"{path}: no text column {', '.join(map(repr, missing))} (its text columns: {', '.join(text_columns) or 'none'})"
                )
        else:
            named = _pair_columns(text_columns, (src, tgt))
            if named is None:
                raise InputError(f"{path}: has no {TABLE_PAIR} (name them with --src-field and --tgt-field)")
            src_field, tgt_field = text_columns[named[0]], text_columns[named[1]]
            log.info("%s: its columns %r and %r are read as the pair", path, src_field, tgt_field)
        return ParallelCorpus(kind, [path], src, tgt, src_field, tgt_field, extra=extra)
    if len(languages) != 2:
        raise InputError(f"{path}: has no {TABLE_PAIR}")
    held = dict(zip(_languages(languages[0], languages[1], str(path)), languages))  # language → the feature's label
    if len(held) < 2:
        raise ConfigError(f"{path}: its Translation languages {languages[0]} and {languages[1]} are one language")
    if src_lang or tgt_lang:  # one of them is enough: the other is the Translation's other language
        given = check_language(tag_language(src_lang or tgt_lang or ""))
        other = next((language for language in held if language != given), given)
        src, tgt = _languages(src_lang or other, tgt_lang or other, str(path))
        if {src, tgt} != set(held):
            raise ConfigError(f"{path}: holds {languages[0]}-{languages[1]}, not {src}-{tgt}")
    else:
        src, tgt = held
    return ParallelCorpus(kind, [path], src, tgt, src_key=held[src], tgt_key=held[tgt], extra=extra)


def _first_json(path: Path) -> Any:
    with _open_text(path) as stream:
        for line in stream:
            if line.strip():
                try:
                    return json.loads(line)
                except ValueError:
                    return None
    return None


@contextlib.contextmanager
def _open_text(path: Path, encoding: str | None = None) -> Iterator[_TextLines]:
    """A file's lines: JSON as UTF-8, a TSV or Moses file in its ``encoding`` (:func:`_text_encoding`)."""
    with _open_binary(path) as binary, io.TextIOWrapper(binary, encoding=encoding or "utf-8-sig", newline="") as stream:
        yield _TextLines(stream, path, encoding)


class _TextLines:
    """A file's lines, whose decoding error names that file (two read side by side, a Moses
    pair, each say their own)."""

    def __init__(self, stream: TextIO, path: Path, encoding: str | None) -> None:
        self.stream, self.path, self.encoding = stream, path, encoding

    def readline(self) -> str:
        try:
            return self.stream.readline()
        except UnicodeDecodeError:
            if self.encoding is None:
                raise InputError(f"{self.path}: not UTF-8 text") from None
            name = "UTF-8" if self.encoding == "utf-8-sig" else self.encoding
            raise InputError(f"{self.path}: not {name} text throughout: name its encoding with --encoding") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.readline, "")


@contextlib.contextmanager
def _open_binary(path: Path) -> Iterator[Any]:
    """The file's bytes, a ``.gz`` one uncompressed as it is read; a damaged gzip file, wherever
    the damage is met, is one InputError."""
    try:
        with gzip.open(path, "rb") if is_gzip_name(path) else open(path, "rb") as stream:
            yield stream
    except DAMAGED_GZIP:
        raise InputError(f"{path}: a damaged gzip file") from None


# ---------------------------------------------------------------------------------------------
# reading


@contextlib.contextmanager
def standard_streams(inputs: list[Path], out: Path | None, stdin: BinaryIO) -> Iterator[tuple[list[Path], Path | None, Path | None]]:
    """``aligner check``'s inputs and output with ``-`` read: ``-`` as the input is a corpus piped
    in (:func:`spooled_stdin`), and ``-o -``, or ``-`` without ``-o``, asks for the checked corpus
    on stdout. Gives the inputs and output to check, and the file to print after (None where
    nothing is printed); an error said of the copy is said of ``stdin``."""
    if inputs != [Path("-")] and out != Path("-"):
        yield inputs, out, None
        return
    with tempfile.TemporaryDirectory(prefix="aligner-check-") as folder:
        copy = None
        try:
            if inputs == [Path("-")]:
                if stdin.isatty():  # nothing piped in: the run would wait for the keyboard
                    raise ConfigError("-: stdin is a terminal: pipe a corpus in (zcat pairs.tsv.gz | aligner check - -s tr -t en)")
                copy = spooled_stdin(stdin, Path(folder))
                inputs = [copy]
            printed = Path(folder) / "checked" if out in (None, Path("-")) else None
            yield inputs, printed or out, printed
        except AlignerError as error:
            raise (type(error)(str(error).replace(str(copy), "stdin")) if copy else error) from None


#: How much of a corpus piped in tells its format.
STDIN_SAMPLE = 1 << 16


def spooled_stdin(stream: BinaryIO, folder: Path) -> Path:
    """A corpus piped in (``aligner check -``), copied into ``folder`` as it comes (memory stays
    flat) so that it can be read more than once (its encoding, its header, then its pairs); named
    by what it opens with: ``stdin.jsonl`` for a JSON object, ``stdin.tmx`` for XML, else
    ``stdin.tsv``, and ``.gz`` after where it is gzip-compressed."""
    head = stream.read(STDIN_SAMPLE)
    compressed = head[:2] == b"\x1f\x8b"
    sample = head
    if compressed:
        try:
            sample = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error:
            sample = b""  # a damaged gzip stream: the TSV reader says so
    opening = sample.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    suffix = {b"{": ".jsonl", b"<": ".tmx"}.get(opening, ".tsv")
    path = folder / f"stdin{suffix}{'.gz' if compressed else ''}"
    with open(path, "wb") as spool:
        spool.write(head)
        shutil.copyfileobj(stream, spool)
    return path


def count_pairs(corpus: ParallelCorpus) -> int:
    """How many pairs the corpus holds (one quick pass), for progress."""
    if corpus.kind == "dataset":
        return sum(len(split) for split in _load_dataset(corpus).values())
    if corpus.kind == "parquet":
        import pyarrow.parquet as pq

        return int(pq.read_metadata(corpus.paths[0]).num_rows)
    with _open_binary(corpus.paths[0]) as stream:
        if corpus.kind == "tmx":
            return sum(line.count(b"<tu>") + line.count(b"<tu ") for line in stream)
        lines = sum(1 for line in stream if line.strip())
    return lines - (1 if corpus.header else 0)


def read_pairs(corpus: ParallelCorpus) -> Iterator[tuple[str, Pair]]:
    """Every pair as ``(split, pair)``, in order; a malformed line is one error naming it."""
    if corpus.kind == "moses":
        yield from (("", pair) for pair in _moses_pairs(corpus))
    elif corpus.kind == "tsv":
        yield from (("", pair) for pair in _tsv_pairs(corpus))
    elif corpus.kind == "jsonl":
        yield from (("", pair) for pair in _jsonl_pairs(corpus))
    elif corpus.kind == "tmx":
        yield from (("", pair) for pair in _tmx_pairs(corpus))
    elif corpus.kind == "parquet":
        yield from (("", _row_pair(corpus, row)) for row in _parquet_rows(corpus.paths[0]))
    else:
        for split, rows in _load_dataset(corpus).items():
            yield from ((split, _row_pair(corpus, row)) for row in rows)


def _row_pair(corpus: ParallelCorpus, row: dict[str, Any]) -> Pair:
    """A dataset's or a Parquet file's row as a pair: its two text columns, or its translation's sides."""
    if corpus.src_field:
        src, tgt = row[corpus.src_field], row[corpus.tgt_field or ""]
    else:
        src, tgt = corpus.side_texts(row["translation"] or {})
    return Pair(src or "", tgt or "", row)


#: Rows of a Parquet file read at a time.
PARQUET_BATCH = 4096


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH):
            yield from batch.to_pylist()
    except (OSError, pa.ArrowException) as error:
        raise InputError(f"{path}: cannot be read as Parquet ({str(error).splitlines()[0]})") from None


def _moses_pairs(corpus: ParallelCorpus) -> Iterator[Pair]:
    with _open_text(corpus.paths[0], corpus.encodings[0]) as src, _open_text(corpus.paths[1], corpus.encodings[1]) as tgt:
        number = 0
        while True:
            src_line, tgt_line = src.readline(), tgt.readline()
            if not src_line or not tgt_line:
                if src_line or tgt_line:
                    raise InputError(f"{corpus.paths[0]} and {corpus.paths[1]}: not line-parallel (one ends after line {number})")
                return
            number += 1
            yield Pair(src_line.rstrip("\r\n"), tgt_line.rstrip("\r\n"), number)


def _tsv_pairs(corpus: ParallelCorpus) -> Iterator[Pair]:
    path = corpus.paths[0]
    with _open_text(path, corpus.encodings[0]) as stream:
        reader = corpus.rows(stream)
        numbered = None if corpus.header else _column_numbers(corpus.src_field or "", corpus.tgt_field or "")
        if corpus.header:
            next(reader, None)
            src_at, tgt_at = corpus.header.index(corpus.src_field or ""), corpus.header.index(corpus.tgt_field or "")
        else:
            src_at, tgt_at = numbered or (0, 1)
        columns = len(corpus.header) if corpus.header else 0  # a headerless TSV's, from its first row
        for number, row in enumerate(reader, start=2 if corpus.header else 1):
            if len(row) < 2 and not "".join(row).strip():
                continue  # a blank line; a row of empty cells is a pair, flagged empty, as a Moses pair's blank lines are
            if len(row) <= max(src_at, tgt_at):
                separated = "tab-separated" if corpus.delimiter == "\t" else "comma-separated"
                raise InputError(f"{path}:{number}: {len(row)} column(s), expected at least {max(src_at, tgt_at) + 1} ({separated})")
            if not corpus.header and _is_result_tail(row):
                row = row[: -len(RESULT_COLUMNS)]  # checked before: its results are replaced
            if not columns:
                columns = _headerless_columns(path, number, row) if numbered is None else len(row)
            if any(cell.strip() for cell in row[columns:]):  # the pair's text would be cut short, or another column's taken
                first = "the header" if corpus.header else "the first row"
                inside = "a tab inside a sentence" if corpus.delimiter == "\t" else "a comma outside quotes"
                raise InputError(f"{path}:{number}: {len(row)} columns where {first} has {columns}: {inside}?")
            # a short row is padded, so that the columns written after it (score, flags, checks) line up
            yield Pair(row[src_at], row[tgt_at], row[:columns] + [""] * (columns - len(row)))


def _headerless_columns(path: Path, number: int, row: list[str]) -> int:
    """How many columns a headerless TSV has, from its first row, whose first two cells must be
    the pair's text where it has more, not a URL or a score (ParaCrawl's TSVs open with two
    URLs, CCMatrix's with a score): :class:`InputError` where they are not."""
    for position, cell in enumerate(row[:2] if len(row) > 2 else [], start=1):
        what = "a number" if _is_number(cell) else "a URL" if URL.fullmatch(cell.strip()) else None
        if what:
            raise InputError(
                f"{path}:{number}: column {position} of {len(row)} is {what}, not a sentence: "
                "name the source and target columns with --src-field and --tgt-field (column numbers from 1)"
            )
    return len(row)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _is_result_tail(row: list[str]) -> bool:
    """Whether a headerless row ends in the columns a check wrote (score, flags, checks)."""
    if len(row) < 2 + len(RESULT_COLUMNS):
        return False
    try:
        float(row[-3])
        return isinstance(json.loads(row[-1]), dict)
    except ValueError:
        return False


def _jsonl_pairs(corpus: ParallelCorpus) -> Iterator[Pair]:
    path = corpus.paths[0]
    with _open_text(path) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            record = json_object(line, path, number)
            if corpus.src_field:
                src, tgt = record.get(corpus.src_field), record.get(corpus.tgt_field or "")
                expected = f"fields {corpus.src_field!r} and {corpus.tgt_field!r}"
            else:
                src, tgt = corpus.side_texts(record.get("translation"))
                expected = (
                    f'"translation": {{"{corpus.src_lang}": …, "{corpus.tgt_lang}": …}} (or name the fields with --src-field/--tgt-field)'
                )
            if not isinstance(src, str) or not isinstance(tgt, str):
                raise InputError(f"{path}:{number}: expected {expected}")
            yield Pair(src, tgt, record)


def _tmx_pairs(corpus: ParallelCorpus) -> Iterator[Pair]:
    """Each ``<tu>`` as the pair of its two languages' ``<seg>`` texts (without inline codes:
    :func:`_segment_text`). A unit that lacks one of them (a memory of several languages) is an
    empty side, flagged by the checks, not left out of what is written back."""
    for unit in _tmx_elements(corpus.paths[0], ("tu",)):
        segments: dict[str, str] = {}
        for tuv in unit.findall("tuv"):
            segment = tuv.find("seg")
            if segment is not None:
                segments.setdefault(_tmx_language(tuv), " ".join(_segment_text(segment).split()))
        yield Pair(segments.get(corpus.src_lang, ""), segments.get(corpus.tgt_lang, ""), unit)


#: Inline TMX elements that hold the original document's codes (a "<b>" tag), not text.
_TMX_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})


def _segment_text(element: ElementTree.Element) -> str:
    """A ``<seg>``'s text: its words and those of ``<hi>`` and ``<sub>``, without the native
    codes of ``<bpt>``, ``<ept>``, ``<it>``, ``<ph>`` and ``<ut>``."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag not in _TMX_CODES:
            pieces.append(_segment_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _load_dataset(corpus: ParallelCorpus) -> dict[str, Any]:
    from datasets import Dataset, load_from_disk

    if "hub" in corpus.extra:
        return corpus.extra["hub"]
    try:
        loaded = load_from_disk(str(corpus.paths[0]))
    except (OSError, ValueError) as error:
        raise InputError(f"{corpus.paths[0]}: cannot be loaded as a saved dataset ({str(error).splitlines()[0]})") from None
    return {"": loaded} if isinstance(loaded, Dataset) else dict(loaded)


# ---------------------------------------------------------------------------------------------
# writing


class CorpusWriter:
    """Writes checked pairs to temporary files beside the output; :meth:`commit` renames them in."""

    def __init__(self, corpus: ParallelCorpus, out: Path | None, keep: Keep, checks: list[str]) -> None:
        self.corpus, self.keep, self.checks = corpus, keep, checks
        self.targets = self._targets(out)
        self.temporary: list[Path] = []
        self.streams: list[TextIO] = []
        self.kept = self.written = 0
        self._split_files: dict[str, Path] = {}  # a dataset's checked rows, per split, as JSON lines
        self._scratch = Path(tempfile.mkdtemp(prefix="aligner-check-")) if corpus.kind == "dataset" else None
        self._parquet: Any = None  # a Parquet file's pyarrow.parquet.ParquetWriter
        #: a TSV's own columns (an earlier check's results left out), None to keep every cell
        self.tsv_columns = [k for k, name in enumerate(corpus.header) if name not in RESULT_COLUMNS] if corpus.header else None
        if corpus.kind != "dataset":
            try:
                with self.output_errors():
                    for target in self.targets:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
                        self.temporary.append(Path(name))
                        if corpus.kind == "parquet":  # written by a ParquetWriter at the first rows
                            os.close(handle)
                        else:
                            self.streams.append(_text_writer(os.fdopen(handle, "wb"), compressed=is_gzip_name(target)))
            except BaseException:
                self.abort()
                raise
            if corpus.kind == "tsv" and corpus.header:
                self.streams[0].write(corpus.row_text([c for c in corpus.header if c not in RESULT_COLUMNS] + list(RESULT_COLUMNS)) + "\n")
            if corpus.kind == "tmx":
                self.streams[0].write(
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n  {corpus.extra["header"]}\n  <body>\n'
                )

    @contextlib.contextmanager
    def output_errors(self) -> Iterator[None]:
        """An OSError while writing (a full disk, no permission) as a one-line error naming the output."""
        try:
            yield
        except OSError as error:
            raise cannot_be_written(self.targets[0], error) from None

    def _targets(self, out: Path | None) -> list[Path]:
        corpus = self.corpus
        if corpus.kind == "moses":
            if out is None:
                sides = corpus.paths if self.keep.filters else []
                return [*sides, _scores_path(corpus.paths[0])]
            prefix, ending = _moses_prefix(out, corpus.src_lang, corpus.tgt_lang)
            return [
                prefix.with_name(f"{prefix.name}.{corpus.src_lang}{ending}"),
                prefix.with_name(f"{prefix.name}.{corpus.tgt_lang}{ending}"),
                prefix.with_name(f"{prefix.name}.checks.tsv"),
            ]
        target = out or corpus.paths[0]
        if corpus.kind != "dataset" and target.is_dir():
            raise OutputError(f"{target}: is a folder; give a file name for the checked {corpus.kind}")
        named = FORMAT_OF_SUFFIX.get(_suffix(target).lower()) if out is not None else None
        written = "csv" if corpus.delimiter == "," else corpus.kind
        if named is not None and corpus.kind != "dataset" and named != written:  # a TSV's lines in out.jsonl, silently
            raise OutputError(f"{target}: the checked corpus is written in its own format, {written.upper()}: give a .{written} name")
        return [target]

    def write(self, split: str, pairs: list[Pair], results: list[Result]) -> None:
        table_rows = []  # a Parquet file's
        for pair, result in zip(pairs, results):
            self.written += 1
            if not self.keep(result):
                continue
            self.kept += 1
            if self.corpus.kind == "tsv":
                cells = pair.row if self.tsv_columns is None else [pair.row[k] for k in self.tsv_columns if k < len(pair.row)]
                self.streams[0].write(self.corpus.row_text([*cells, *_result_cells(result)]) + "\n")
            elif self.corpus.kind == "jsonl":
                record = {**pair.row, "score": result.score, "flags": result.flags, "checks": result.checks}
                self.streams[0].write(json.dumps(record, ensure_ascii=False) + "\n")
            elif self.corpus.kind == "tmx":
                self.streams[0].write("    " + _checked_unit(pair.row, result) + "\n")
            elif self.corpus.kind == "moses":
                if len(self.targets) == 3:
                    self.streams[0].write(pair.src + "\n")
                    self.streams[1].write(pair.tgt + "\n")
                self.streams[-1].write("\t".join(_result_cells(result)) + "\n")
            else:
                row = {key: value for key, value in pair.row.items() if key not in RESULT_COLUMNS}
                checked = {
                    **row,
                    "score": result.score,
                    "flags": result.flags,
                    "checks": {name: result.checks.get(name) for name in self.checks},
                }
                if self.corpus.kind == "parquet":
                    table_rows.append(checked)
                else:
                    self._split_stream(split).write(json.dumps(checked, ensure_ascii=False, default=str) + "\n")
        if self.corpus.kind == "parquet":
            self._write_parquet(table_rows)

    def _write_parquet(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq
        from datasets import Features

        if self._parquet is None:
            features = _checked_features(Features.from_arrow_schema(pq.read_schema(self.corpus.paths[0])), self.checks)
            self._parquet = pq.ParquetWriter(self.temporary[0], features.arrow_schema)
        self._parquet.write_table(pa.Table.from_pylist(rows, schema=self._parquet.schema))

    def _split_stream(self, split: str) -> TextIO:
        if split not in self._split_files:
            assert self._scratch is not None
            self._split_files[split] = self._scratch / f"{len(self._split_files)}.jsonl"
            self.streams.append(open(self._split_files[split], "w", encoding="utf-8"))
        return self.streams[list(self._split_files).index(split)]

    def commit(self) -> list[Path]:
        if self.corpus.kind == "tmx":
            self.streams[0].write("  </body>\n</tmx>\n")
        for stream in self.streams:
            stream.close()
        if self.corpus.kind == "parquet":
            if self._parquet is None:  # no pair kept: the file with its columns and no row
                self._write_parquet([])
            self._parquet.close()
        if self.corpus.kind == "dataset":
            self._save_dataset()
        else:
            for temporary, target in zip(self.temporary, self.targets):
                os.replace(temporary, target)
        return self.targets

    def abort(self) -> None:
        for stream in [*self.streams, *([self._parquet] if self._parquet is not None else [])]:
            with contextlib.suppress(OSError):  # a full disk fails the last flush too
                stream.close()
        for temporary in self.temporary:
            temporary.unlink(missing_ok=True)
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def _save_dataset(self) -> None:
        """A saved dataset's checked rows (read back from their JSON lines into Arrow, not held in
        memory), with the new columns, saved beside it and swapped in."""
        from datasets import Dataset, DatasetDict
        from datasets.utils.logging import disable_progress_bar

        disable_progress_bar()  # the library's bars ("Saving the dataset") even under --quiet: aligner shows its progress
        assert self._scratch is not None
        try:
            tables = {}
            for split, original in _load_dataset(self.corpus).items():
                features = _checked_features(original.features, self.checks)
                rows = self._split_files.get(split)
                tables[split] = (
                    Dataset.from_json(str(rows), features=features, cache_dir=str(self._scratch / "cache"))
                    if rows is not None
                    else Dataset.from_list([], features=features)
                )
            target = self.targets[0]
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
            try:
                if "hub" in self.corpus.extra:
                    _save_parquet_with_card(tables, self.corpus.paths[0], staging / "dataset")
                else:
                    (tables[""] if list(tables) == [""] else DatasetDict(tables)).save_to_disk(str(staging / "dataset"))
                backup = target.with_name(f".{target.name}.old") if target.exists() else None
                if backup is not None:
                    shutil.rmtree(backup, ignore_errors=True)
                    os.replace(target, backup)
                os.replace(staging / "dataset", target)
                if backup is not None:
                    shutil.rmtree(backup, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)


def _checked_features(features: Any, checks: list[str]) -> Any:
    """A table's ``datasets.Features`` with the columns a check writes (an earlier check's replaced)."""
    from datasets import Features, Sequence, Value

    checked = Features({key: value for key, value in features.items() if key not in RESULT_COLUMNS})
    checked["score"] = Value("float64")
    checked["flags"] = Sequence(Value("string"))
    checked["checks"] = {name: Value("float64") for name in checks}
    return checked


def _save_parquet_with_card(tables: dict[str, Any], source: Path, folder: Path) -> None:
    """The checked splits as a dataset of Parquet files with a card, in ``folder``: the source
    folder's other files as they were, one Parquet file a split (``data/SPLIT-00000-of-00001``, its
    old ones left out: the loader would read both), and its card with the new columns among its
    features and a config naming those files (with the data's digest: the loader keys its cache on
    the card, not on the files)."""
    import yaml

    from .write import data_digest, yaml_features

    shutil.copytree(source, folder, ignore=lambda _, names: [n for n in names if n.endswith(".parquet") or n == "README.md"])
    files = []
    for split, table in tables.items():
        path = folder / "data" / f"{split}-00000-of-00001.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_parquet(str(path))
        files.append(path)
    text = (source / "README.md").read_text(encoding="utf-8")
    header: dict[str, Any] = {}
    if text.startswith("---\n") and "\n---" in text[3:]:
        front, text = text[4:].split("\n---", 1)
        loaded = yaml.safe_load(front)
        header = loaded if isinstance(loaded, dict) else {}
        text = text.split("\n", 1)[1] if "\n" in text else ""
    first = next(iter(tables.values()))
    header["dataset_info"] = {
        "features": yaml_features(first.features),
        "splits": [{"name": split, "num_bytes": table.data.nbytes, "num_examples": len(table)} for split, table in tables.items()],
    }
    header["configs"] = [
        {
            "config_name": "default",
            "description": f"data sha256 {data_digest(files)}",
            "data_files": [{"split": split, "path": f"data/{split}-*"} for split in tables],
        }
    ]
    (folder / "README.md").write_text(
        "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "---\n" + text, encoding="utf-8"
    )


def _text_writer(raw: io.BufferedWriter, compressed: bool) -> TextIO:
    """A UTF-8 text stream into ``raw``, gzip-compressed when ``compressed`` (no name and no time
    in the gzip header, so that the same input gives the same bytes); closing it closes ``raw``."""
    if not compressed:
        return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    return io.TextIOWrapper(_ClosingGzip(raw), encoding="utf-8", newline="\n")


class _ClosingGzip(gzip.GzipFile):
    """A gzip stream that closes the file under it too."""

    def __init__(self, raw: io.BufferedWriter) -> None:
        super().__init__(filename="", mode="wb", fileobj=raw, mtime=0)
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


def _moses_prefix(out: Path, src_lang: str, tgt_lang: str) -> tuple[Path, str]:
    """The common name of a checked Moses pair's files for ``-o OUT``, and their ending (".gz" or
    none): ``clean`` and ``clean.tr`` both give ``clean.tr``, ``clean.en`` and
    ``clean.checks.tsv`` (``clean.tr`` used to give ``clean.tr.tr``, and ``clean.jsonl`` a Moses
    pair named ``clean.jsonl.tr`` beside ``clean.checks.tsv``)."""
    ending = ".gz" if is_gzip_name(out) else ""
    inner = uncompressed_path(out)
    if inner.suffix.lower() in FORMAT_OF_SUFFIX:  # a Moses pair is written back as one
        raise OutputError(
            f"{out}: a Moses pair is checked into a Moses pair: give a name without an extension (OUT.{src_lang}, OUT.{tgt_lang})"
        )
    if inner.suffix in (f".{src_lang}", f".{tgt_lang}"):
        inner = inner.with_suffix("")
    return inner, ending


def _scores_path(path: Path) -> Path:
    """Where a Moses pair's check results go, line by line: ``corpus.checks.tsv`` for ``corpus.tr``
    (and for ``corpus.tr.gz``)."""
    inner = uncompressed_path(path)
    return path.with_name(f"{inner.stem if inner.suffix else inner.name}.checks.tsv")


def _checked_unit(unit: ElementTree.Element, result: Result) -> str:
    """A ``<tu>`` with this check's results as its first ``<prop>`` elements (an earlier check's
    replaced), serialised."""
    for prop in unit.findall("prop"):
        if prop.get("type") in TMX_PROPS.values():
            unit.remove(prop)
    for position, (column, value) in enumerate(zip(RESULT_COLUMNS, _result_cells(result))):
        prop = ElementTree.Element("prop", {"type": TMX_PROPS[column]})
        prop.text = value
        unit.insert(position, prop)
    unit.tail = None
    return ElementTree.tostring(unit, encoding="unicode").strip()


def _result_cells(result: Result) -> list[str]:
    return [f"{result.score:.6f}", FLAG_SEPARATOR.join(result.flags), json.dumps(result.checks, sort_keys=True)]


# ---------------------------------------------------------------------------------------------
# checking


@dataclass
class CorpusCheckSummary:
    pairs: int
    kept: int  # written (all, unless the output keeps only some)
    flagged: int
    used: list[str]
    skipped: dict[str, str]
    flags: dict[str, int]
    output: list[str]


def check_corpus(
    corpus: ParallelCorpus,
    check_chunk: Callable[[list[str], list[str], list[str] | None], Any],
    out: Path | None = None,
    keep: Keep | None = None,
    checks: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK,
    src_translation: Path | None = None,
) -> CorpusCheckSummary:
    """Check every pair, ``chunk`` pairs at a time (``check_chunk(src, tgt, translated)`` gives a
    :class:`~aligner.check.CheckReport`; ``translated``: the lines of ``src_translation``, machine
    translations of the sources, one a pair, read alongside), and write the corpus back, or to
    ``out``."""
    keep = keep or Keep()
    if corpus.kind == "dataset" and out is not None and out.exists() and not (out / "dataset_info.json").exists() and any(out.iterdir()):
        raise OutputError(f"{out}: exists and is not a saved dataset: give a new folder")
    writer = CorpusWriter(corpus, out, keep, checks or [])
    flags: dict[str, int] = {}
    flagged = 0
    used: list[str] = []
    skipped: dict[str, str] = {}
    try:
        translations = _open_text(src_translation, _text_encoding(src_translation, corpus.tgt_lang, None)) if src_translation else None
        with translations or contextlib.nullcontext() as lines:
            for split, batch in _batches(read_pairs(corpus), chunk):
                translated = _translation_lines(lines, len(batch), writer.written) if lines else None
                if translated is not None and not writer.written:  # the first chunk tells their language
                    check_translation_language(translated, corpus.src_lang, corpus.tgt_lang, str(src_translation))
                report = check_chunk([pair.src for pair in batch], [pair.tgt for pair in batch], translated)
                results = [
                    Result(score, pair_flags, values) for score, pair_flags, values in zip(report.scores, report.flags, report.checks)
                ]
                for result in results:
                    flagged += bool(result.flags)
                    for flag in result.flags:
                        flags[flag] = flags.get(flag, 0) + 1
                with writer.output_errors():
                    writer.write(split, batch, results)
                used, skipped = report.used, report.skipped
                if progress:
                    progress(len(batch))
            if lines is not None and lines.readline():
                raise InputError(f"{src_translation}: has more lines than the corpus has pairs ({writer.written})")
        if not writer.written:
            raise InputError(f"{corpus.paths[0]}: holds no pairs to check")
        with writer.output_errors():
            written = writer.commit()
    except BaseException:
        writer.abort()
        raise
    return CorpusCheckSummary(writer.written, writer.kept, flagged, used, skipped, dict(sorted(flags.items())), [str(p) for p in written])


def _translation_lines(lines: _TextLines, count: int, before: int) -> list[str]:
    """The next ``count`` lines of a translation file read alongside a corpus whose first
    ``before`` pairs are done."""
    read: list[str] = []
    for _ in range(count):
        line = lines.readline()
        if not line:
            raise InputError(f"{lines.path}: has fewer lines than the corpus has pairs (it ends after line {before + len(read)})")
        read.append(line.rstrip("\r\n"))
    return read


def _batches(pairs: Iterator[tuple[str, Pair]], size: int) -> Iterator[tuple[str, list[Pair]]]:
    """Consecutive pairs of one split, ``size`` at most at a time."""
    for split, group in itertools.groupby(pairs, key=lambda item: item[0]):
        while batch := [pair for _, pair in itertools.islice(group, size)]:
            yield split, batch
