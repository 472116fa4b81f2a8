"""Writers for the aligned corpus. Every file is written to a temporary name and renamed, so a
failed run never leaves a half-written output."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from . import __version__

Record = dict[str, Any]


@contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Build a directory under a temporary name; swap it in for ``path`` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield temporary
        if path.exists():
            shutil.rmtree(path)
        os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


@contextmanager
def staged_into(folder: Path) -> Iterator[Path]:
    """A staging folder beside ``folder``; once the block succeeds, each of its entries replaces
    the entry of the same name in ``folder``. On failure ``folder`` stays as it was."""
    if folder.exists() and not folder.is_dir():
        from .errors import ConfigError

        raise ConfigError(f"{folder}: exists and is not a folder")
    with atomic_directory(folder.with_name(f"{folder.name}.staging")) as staging:
        yield staging
        folder.mkdir(parents=True, exist_ok=True)
        for entry in sorted(staging.iterdir()):
            target = folder / entry.name
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(entry, target)
    shutil.rmtree(folder.with_name(f"{folder.name}.staging"), ignore_errors=True)


def _pairs(records: Iterable[Record], src_lang: str, tgt_lang: str) -> Iterator[tuple[str, str]]:
    """Text pairs of the records that have both sides (1-0 and 0-1 beads are left out)."""
    for record in records:
        if record["src_idx"] and record["tgt_idx"]:
            yield record["translation"][src_lang], record["translation"][tgt_lang]


def write_jsonl(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str, name: str = "alignments.jsonl") -> Path:
    path = out / name
    with atomic_file(path) as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def write_tsv(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str) -> Path:
    path = out / f"corpus.{src_lang}-{tgt_lang}.tsv"
    with atomic_file(path) as stream:
        for src, tgt in _pairs(records, src_lang, tgt_lang):
            stream.write(f"{_one_line(src)}\t{_one_line(tgt)}\n")
    return path


def write_moses(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str) -> Path:
    stem = out / f"corpus.{src_lang}-{tgt_lang}"
    with atomic_file(stem.with_name(f"{stem.name}.{src_lang}")) as src_stream, atomic_file(stem.with_name(f"{stem.name}.{tgt_lang}")) as tgt_stream:
        for src, tgt in _pairs(records, src_lang, tgt_lang):
            src_stream.write(_one_line(src) + "\n")
            tgt_stream.write(_one_line(tgt) + "\n")
    return stem


def write_tmx(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str) -> Path:
    path = out / f"corpus.{src_lang}-{tgt_lang}.tmx"
    with atomic_file(path) as stream:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        stream.write(
            f"  <header creationtool=\"aligner\" creationtoolversion={quoteattr(__version__)} datatype=\"plaintext\" "
            f"segtype=\"sentence\" adminlang=\"en\" srclang={quoteattr(src_lang)} o-tmf=\"aligner\"/>\n  <body>\n"
        )
        for src, tgt in _pairs(records, src_lang, tgt_lang):
            stream.write("    <tu>\n")
            for language, text in ((src_lang, src), (tgt_lang, tgt)):
                stream.write(f"      <tuv xml:lang={quoteattr(language)}><seg>{escape(_xml_safe(text))}</seg></tuv>\n")
            stream.write("    </tu>\n")
        stream.write("  </body>\n</tmx>\n")
    return path


def checked_names(records: Sequence[Record]) -> list[str] | None:
    """The checks the records hold qualities of (sorted), or None when they were not checked."""
    if not records or "flags" not in records[0]:
        return None
    return sorted({name for r in records for name in r["checks"]})


def dataset_features(src_lang: str, tgt_lang: str, checks: list[str] | None, extra: dict[str, Any] | None = None) -> Any:
    """Columns of the dataset: the ``Translation`` pair, bead indices and shape, the alignment
    signals (a JSON string: their set varies by bead), and when the records were checked
    (``checks`` not None) the combined ``score``, the ``flags`` and a ``checks`` struct with one
    (nullable) float per check; then the ``extra`` columns."""
    from datasets import Features, List, Translation, Value

    columns: dict[str, Any] = {
        "translation": Translation(languages=[src_lang, tgt_lang]),
        "src_idx": List(Value("int32")),
        "tgt_idx": List(Value("int32")),
        "bead": Value("string"),
        "scores": Value("string"),
    }
    if checks is not None:
        columns["score"] = Value("float32")
        columns["flags"] = List(Value("string"))
        if checks:
            columns["checks"] = {name: Value("float32") for name in checks}
    return Features({**columns, **(extra or {})})


def dataset_rows(records: Sequence[Record], features: Any) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {}
    for column in features:
        if column == "scores":
            rows[column] = [json.dumps(r["scores"], sort_keys=True) for r in records]
        elif column in ("checks", "meta"):  # structs: a field a record lacks is null
            names = list(features[column])
            rows[column] = [{name: r.get(column, {}).get(name) for name in names} for r in records]
        else:
            rows[column] = [r[column] for r in records]
    return rows


def write_dataset(records: Sequence[Record], out: Path, src_lang: str, tgt_lang: str, name: str = "dataset") -> Path:
    """A Hugging Face dataset (``datasets.load_from_disk``) with a ``Translation`` feature."""
    from datasets import Dataset
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()
    features = dataset_features(src_lang, tgt_lang, checked_names(records))
    dataset = Dataset.from_dict(dataset_rows(records, features), features=features)
    path = out / name
    with atomic_directory(path) as temporary:
        dataset.save_to_disk(str(temporary))
    return path


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
