"""Build one corpus from many document pairs: a manifest or two folders in, one dataset out.

Every document's records are committed to ``OUT/state.sqlite`` in one transaction as soon as it
is aligned and checked, so a run killed at any moment resumes where it stopped, with nothing
lost or duplicated. The corpus files are written from that state at the end, in manifest order,
so the same input and models give byte-identical output.
"""

from __future__ import annotations

import csv
import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AlignerError, ConfigError, InputError

log = logging.getLogger(__name__)

ON_ERROR = ("skip", "fail")
KEEP = ("all", "clean")


@dataclass(frozen=True)
class DocumentPair:
    doc_id: str
    src: Path
    tgt: Path
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


def read_manifest(path: Path, on_error: str = "fail") -> list[DocumentPair]:
    """Document pairs of a TSV (header ``doc_id, src, tgt``) or JSONL manifest; relative paths
    are read from the manifest's folder. Bad rows (missing field or file, duplicate id) raise
    with their line number, or are logged and skipped with ``on_error="skip"``."""
    if not path.is_file():
        raise InputError(f"{path}: no such manifest")
    rows: Iterator[tuple[int, dict[str, Any]]]
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        rows = ((n, _json_row(line, path, n)) for n, line in enumerate(text.splitlines(), start=1) if line.strip())
    else:
        reader = csv.DictReader(text.splitlines(), delimiter="\t")
        if not reader.fieldnames or not {"doc_id", "src", "tgt"} <= set(reader.fieldnames):
            raise InputError(f"{path}:1: the header must name the columns doc_id, src and tgt")
        rows = ((n, row) for n, row in enumerate(reader, start=2))
    pairs: list[DocumentPair] = []
    seen: set[str] = set()
    for number, row in rows:
        try:
            pair = _pair(row, path.parent)
            if pair.doc_id in seen:
                raise InputError(f"duplicate doc_id {pair.doc_id!r}")
        except InputError as error:
            message = f"{path}:{number}: {error}"
            if on_error == "fail":
                raise InputError(message) from None
            log.warning("skipped %s", message)
            continue
        seen.add(pair.doc_id)
        pairs.append(pair)
    return pairs


def _json_row(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        row = json.loads(line)
    except ValueError:
        raise InputError(f"{path}:{number}: not a JSON object") from None
    if not isinstance(row, dict):
        raise InputError(f"{path}:{number}: not a JSON object")
    return row


def _pair(row: dict[str, Any], base: Path) -> DocumentPair:
    missing = [key for key in ("doc_id", "src", "tgt") if not row.get(key)]
    if missing:
        raise InputError(f"missing {', '.join(missing)}")
    src, tgt = base / str(row["src"]), base / str(row["tgt"])
    for side in (src, tgt):
        if not side.is_file():
            raise InputError(f"no such file {side}")
    meta = {k: v for k, v in row.items() if k not in ("doc_id", "src", "tgt") and v not in (None, "")}
    return DocumentPair(str(row["doc_id"]), src, tgt, meta)


def pair_folders(src_folder: Path, tgt_folder: Path) -> list[DocumentPair]:
    """Files of two folders paired by name (``news/tr/123.txt`` with ``news/en/123.txt``)."""
    for folder in (src_folder, tgt_folder):
        if not folder.is_dir():
            raise InputError(f"{folder}: no such folder")
    src = {p.name: p for p in src_folder.iterdir() if p.is_file()}
    tgt = {p.name: p for p in tgt_folder.iterdir() if p.is_file()}
    for name in sorted(src.keys() ^ tgt.keys()):
        log.warning("skipped %s: no file of that name in %s", name, tgt_folder if name in src else src_folder)
    return [DocumentPair(Path(name).stem, src[name], tgt[name]) for name in sorted(src.keys() & tgt.keys())]


class BuildState:
    """Per-document results in SQLite: one row per finished document, written in one transaction."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS document (doc_id TEXT PRIMARY KEY, status TEXT, records TEXT, error TEXT)")

    def done(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT doc_id FROM document")}

    def commit(self, doc_id: str, records: list[dict[str, Any]] | None, error: str | None = None) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO document VALUES (?, ?, ?, ?)",
                (doc_id, "failed" if error else "done", json.dumps(records or [], ensure_ascii=False, sort_keys=True), error),
            )

    def records(self, doc_id: str) -> list[dict[str, Any]]:
        row = self._db.execute("SELECT records FROM document WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else []

    def failures(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT doc_id, error FROM document WHERE status = 'failed'").fetchall())


@dataclass
class BuildSummary:
    documents: int
    aligned_now: int
    resumed: int
    failed: dict[str, str]
    pairs: int
    duplicates: int
    filtered: int
    written: list[str]


def build_corpus(
    pairs: list[DocumentPair], out: Path, config: Any, on_error: str = "fail", keep: str = "all",
    licence: str | None = None, progress: Callable[[int], None] | None = None, formats: tuple[str, ...] = (),
) -> BuildSummary:
    """Align and check every pair not yet in ``out``'s state, then write the corpus."""
    from .pipeline import run_align, shared_models
    from .registry import WRITERS, resolve

    writers = [resolve(WRITERS, name, "format") for name in dict.fromkeys(formats)]
    if on_error not in ON_ERROR:
        raise ConfigError(f"--on-error must be one of {', '.join(ON_ERROR)}")
    if keep not in KEEP:
        raise ConfigError(f"--keep must be one of {', '.join(KEEP)}")
    if not pairs:
        raise InputError("no document pairs to build from")
    state = BuildState(out / "state.sqlite")
    done = state.done()
    models = shared_models(config)
    aligned = 0
    for pair in pairs:
        if pair.doc_id in done:
            if progress:
                progress(1)
            continue
        try:
            result = run_align(pair.src, pair.tgt, config, models=models)
            state.commit(pair.doc_id, result.records)
        except AlignerError as error:
            if on_error == "fail":
                raise InputError(f"document {pair.doc_id}: {error}") from None
            log.warning("document %s failed: %s", pair.doc_id, error)
            state.commit(pair.doc_id, None, str(error))
        aligned += 1
        if progress:
            progress(1)
    rows, duplicates, filtered = _corpus_rows(pairs, state, config.src_lang, config.tgt_lang, keep)
    written = write_corpus(rows, out, config.src_lang, config.tgt_lang, licence, {
        "documents": len(pairs), "pairs": len(rows), "duplicates removed": duplicates, "filtered by flags": filtered, "keep": keep,
    })
    written += [writer(rows, out, config.src_lang, config.tgt_lang) for writer in writers]
    return BuildSummary(len(pairs), aligned, len(pairs) - aligned, state.failures(), len(rows), duplicates, filtered, [str(p) for p in written])


def _corpus_rows(pairs: list[DocumentPair], state: BuildState, src_lang: str, tgt_lang: str, keep: str) -> tuple[list[dict[str, Any]], int, int]:
    """Aligned pairs in manifest order, without identical repeats, filtered by ``keep``."""
    rows, seen = [], set()
    duplicates = filtered = 0
    for pair in pairs:
        for record in state.records(pair.doc_id):
            if not record["src_idx"] or not record["tgt_idx"]:
                continue
            key = (record["translation"][src_lang], record["translation"][tgt_lang])
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            if keep == "clean" and record.get("flags"):
                filtered += 1
                continue
            rows.append({"doc_id": pair.doc_id, **record})
    return rows, duplicates, filtered


def write_corpus(rows: list[dict[str, Any]], out: Path, src_lang: str, tgt_lang: str, licence: str | None, figures: dict[str, Any]) -> list[Path]:
    """``data/train-00000-of-00001.parquet`` and a dataset card, each written atomically."""
    import pyarrow.parquet as pq
    from datasets import Dataset, Value

    from .write import atomic_file, dataset_features, dataset_rows

    features = dataset_features(rows, src_lang, tgt_lang)
    features["doc_id"] = Value("string")
    table = Dataset.from_dict(dataset_rows(rows, features), features=features).data.table
    parquet = out / "data" / "train-00000-of-00001.parquet"
    parquet.parent.mkdir(parents=True, exist_ok=True)
    temporary = parquet.with_name(f".{parquet.name}.tmp")
    pq.write_table(table, temporary)
    temporary.replace(parquet)
    card = out / "README.md"
    with atomic_file(card) as stream:
        stream.write(dataset_card(features, len(rows), src_lang, tgt_lang, licence, figures))
    return [parquet, card]


def dataset_card(features: Any, size: int, src_lang: str, tgt_lang: str, licence: str | None, figures: dict[str, Any]) -> str:
    """A Hugging Face dataset card whose YAML declares the config and the features, so that
    ``load_dataset(OUT)`` gives the ``Translation`` type rather than a plain struct."""
    import yaml

    category = next(label for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"), (float("inf"), "n>1M")) if size < limit)
    header = {
        "language": [src_lang, tgt_lang],
        "license": licence or "other",
        "size_categories": [category],
        "task_categories": ["translation"],
        "configs": [{"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*.parquet"}]}],
        "dataset_info": {"features": _yaml_features(features)},
    }
    table = "\n".join(f"| {key} | {value} |" for key, value in figures.items())
    return (
        "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "---\n\n"
        f"# {src_lang}-{tgt_lang} parallel corpus\n\nAligned and checked with aligner.\n\n"
        f"| step | figure |\n| --- | --- |\n{table}\n"
    )


def _yaml_features(features: Any) -> list[dict[str, Any]]:
    """``dataset_info.features`` in the hub's YAML form."""
    from datasets import Features

    return Features(features)._to_yaml_list()
