"""Build one corpus from many document pairs: a manifest or two folders in, one dataset out.

Every pair goes through the stages of :mod:`aligner.pipeline`: reading, segmentation and
alignment run in worker processes (or Ray tasks), translation and embedding run in one place
over chunks of documents, so model batches span documents (:mod:`aligner.engine`). Each
document's records are committed to ``OUT/state.sqlite`` in one transaction as soon as they are
checked, so a run killed at any moment resumes where it stopped, with nothing lost or duplicated.
The corpus files are written from that state at the end, in manifest order, so the same input and
models give byte-identical output whatever the engine, the number of workers or the interruptions.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import re
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, InputError, cannot_be_written
from .fallbacks import warn_about_fallbacks
from .languages import check_language, tag_language
from .pairing import PairingResult, match_metadata
from .read import (
    check_distinct_folders,
    check_regular_file,
    document_ids,
    folder_documents,
    folder_name,
    json_object,
    subfolders_note,
    tsv_rows,
)
from .registry import describe_skipped
from .write import SCRATCH_PREFIX, card_header, card_text, check_output_folder, data_digest, yaml_features

log = logging.getLogger(__name__)

ON_ERROR = ("skip", "fail")
KEEP = ("all", "clean")
DEFAULT_SPLIT = "train"
#: Rows per Parquet shard.
SHARD_ROWS = 100_000
#: A split name the Hugging Face loaders accept, and that is no other file of the corpus folder.
SPLIT_NAME = re.compile(r"^\w+(\.\w+)*$")
RESERVED_NAMES = {"data", "state"}

#: ``progress(documents, sentences)``: called as documents finish (resumed ones with 0 sentences).
BuildProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class DocumentPair:
    """One manifest row: the two documents, translation files for either side, the split."""

    doc_id: str
    src: Path
    tgt: Path
    src_translation: Path | None = None
    tgt_translation: Path | None = None
    split: str = DEFAULT_SPLIT
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    origin: str = field(default="", compare=False)  # "manifest.tsv:7", for messages

    def meta_strings(self) -> dict[str, str]:
        """The metadata as the corpus's ``meta`` column holds it: every value a string."""
        return {
            key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
            for key, value in self.meta.items()
        }


#: Manifest columns besides metadata: paths are relative to the manifest's folder.
PATH_COLUMNS = ("src", "tgt", "src_translation", "tgt_translation")


def read_manifest(
    path: Path,
    on_error: str = "fail",
    split_by: str | None = None,
    languages: tuple[str, str] | None = None,
    skipped: list[str] | None = None,
) -> list[DocumentPair]:
    """Document pairs of a TSV (header naming at least ``doc_id, src, tgt``) or JSONL manifest.

    Optional columns: ``src_translation`` / ``tgt_translation`` (files of precomputed
    translations, one line per sentence), ``src_lang`` / ``tgt_lang`` (checked against
    ``languages``), the column named by ``split_by`` (the row's split), and any metadata. Paths
    are relative to the manifest's folder. Bad rows (missing field or file, duplicate id, other
    languages, bad split name) raise with their line number, or are skipped with
    ``on_error="skip"`` (their messages added to ``skipped`` for the caller to report, else logged).
    """
    if on_error not in ON_ERROR:
        raise ConfigError(f"--on-error must be one of {', '.join(ON_ERROR)}")
    if not path.exists():
        raise InputError(f"{path}: no such manifest")
    check_regular_file(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    rows: Iterator[tuple[int, dict[str, Any]]]
    if path.suffix == ".jsonl":
        rows = ((n, json_object(line, path, n)) for n, line in enumerate(text.splitlines(), start=1) if line.strip())
    else:
        reader = csv.DictReader(text.splitlines(), delimiter="\t")
        records = tsv_rows(reader, path)  # before the header is read: cells of any length
        fieldnames = reader.fieldnames
        if not fieldnames or not {"doc_id", "src", "tgt"} <= set(fieldnames):
            raise InputError(f"{path}:1: the header must name the columns doc_id, src and tgt (tab-separated)")
        if split_by and split_by not in fieldnames:
            raise InputError(f"{path}:1: no column {split_by!r} to split by")
        rows = ((n, row) for n, row in enumerate(records, start=2))
    pairs: list[DocumentPair] = []
    seen: set[str] = set()
    for number, row in rows:
        try:
            pair = _pair(row, path.parent, split_by, languages, f"{path}:{number}")
            if pair.doc_id in seen:
                raise InputError(f"duplicate doc_id {pair.doc_id!r}")
        except InputError as error:
            message = f"{path}:{number}: {error}"
            if on_error == "fail":
                raise InputError(message) from None
            if skipped is not None:  # the caller reports them
                skipped.append(message)
            else:
                log.warning("skipped %s", message)
            continue
        seen.add(pair.doc_id)
        pairs.append(pair)
    return pairs


def _pair(row: dict[str, Any], base: Path, split_by: str | None, languages: tuple[str, str] | None, origin: str) -> DocumentPair:
    missing = [key for key in ("doc_id", "src", "tgt") if not row.get(key)]
    if missing:
        raise InputError(f"missing {', '.join(missing)}")
    paths: dict[str, Path | None] = {}
    for column in PATH_COLUMNS:
        value = row.get(column)
        paths[column] = base / Path(str(value)).expanduser() if value else None  # "~/news/1.txt" is the home folder's
        file = paths[column]
        if file is not None:
            if not file.exists():
                raise InputError(f"no such file {file}")
            check_regular_file(file)
    if languages:
        given = (row.get("src_lang") or languages[0], row.get("tgt_lang") or languages[1])
        try:  # "tr-TR", "TR" and "tur" are tr, as the options read them
            same = tuple(check_language(tag_language(str(code))) for code in given) == languages
        except ConfigError:
            same = False
        if not same:
            raise InputError(f"languages {given[0]}-{given[1]} differ from the build's {languages[0]}-{languages[1]}")
    split = DEFAULT_SPLIT
    if split_by:
        split = str(row.get(split_by) or "")
        if not split:
            raise InputError(f"no {split_by!r} to split by")
        check_split_name(split)
    reserved = {"doc_id", *PATH_COLUMNS, "src_lang", "tgt_lang"}
    meta = {k: v for k, v in row.items() if k not in reserved and v not in (None, "")}
    src, tgt = paths["src"], paths["tgt"]
    assert src is not None and tgt is not None  # required fields, checked above
    return DocumentPair(str(row["doc_id"]), src, tgt, paths["src_translation"], paths["tgt_translation"], split, meta, origin)


def check_split_name(split: str) -> None:
    if not SPLIT_NAME.match(split) or split in RESERVED_NAMES:
        raise InputError(f"split {split!r} is not a usable split name (letters, digits and _, not {' or '.join(sorted(RESERVED_NAMES))})")


def pairs_found(result: PairingResult) -> list[DocumentPair]:
    """The document pairs :func:`aligner.pairing.pair_documents` found, their score and evidence
    in each document's metadata."""
    return [DocumentPair(match.src.doc_id, match.src.path, match.tgt.path, meta=match_metadata(match)) for match in result.pairs]


def pair_folders(
    src_folder: Path, tgt_folder: Path, languages: tuple[str, str] | None = None, recursive: bool = False
) -> list[DocumentPair]:
    """Files of two folders paired by name (``news/tr/123.txt`` with ``news/en/123.txt``), or, given
    the two ``languages``, by name without its language's code where that is all they differ in
    (``123.tr.txt`` with ``123.en.txt``, ``tr_123.html`` with ``en_123.html``: these were all
    left unpaired). With ``recursive`` the files of subfolders too, by their names below the
    folder (``tr/2019/123.txt`` with ``en/2019/123.txt``)."""
    check_distinct_folders(src_folder, tgt_folder)
    src, tgt = ({folder_name(p, folder): p for p in folder_documents(folder, recursive)} for folder in (src_folder, tgt_folder))
    for file in (*src.values(), *tgt.values()):
        check_regular_file(file)
    pairs = {name: (src[name], tgt[name]) for name in src.keys() & tgt.keys()}
    if languages is not None:
        keyed = [
            _by_name_without(language, {n: p for n, p in side.items() if n not in pairs}) for side, language in zip((src, tgt), languages)
        ]
        for key in sorted(keyed[0].keys() & keyed[1].keys() - pairs.keys()):
            pairs[key] = (keyed[0][key], keyed[1][key])
    for folder, side in ((src_folder, src), (tgt_folder, tgt)):
        note = "" if side or recursive else subfolders_note(folder)
        if note:  # a tree of years or sections: nothing at the top to pair
            raise InputError(f"{folder}: no documents{note}")
    paired_files = {path for both in pairs.values() for path in both}
    paired = {name for side in (src, tgt) for name, path in side.items() if path in paired_files}
    for name in sorted((src.keys() | tgt.keys()) - paired):
        log.warning("skipped %s: no file of that name in %s", name, tgt_folder if name in src else src_folder)
    ids = document_ids(pairs)
    return [DocumentPair(ids[key], *pairs[key]) for key in sorted(pairs)]


def _by_name_without(language: str, files: dict[str, Path]) -> dict[str, Path]:
    """``files`` by their names without the language's code (one of the file name's parts between
    dots, underscores or hyphens: ``2019/123.tr.txt`` → ``2019/123.txt``), a name without one as it is where no
    coded name takes it; a name that two files would share is left out."""
    coded: dict[str, list[Path]] = {}
    plain: dict[str, Path] = {}
    for name, path in files.items():
        folders, _, file_name = name.rpartition("/")  # a subfolder's name stays as it is
        parts = re.split(r"([._-])", file_name)  # words at even positions, separators between
        words = [k for k in range(0, len(parts), 2) if parts[k].casefold() == language]
        if words and len(parts) > 1:
            k = words[-1]
            key = "".join(parts[: max(k - 1, 0)] + parts[k + 1 :] if k else parts[2:])
            coded.setdefault(f"{folders}/{key}" if folders else key, []).append(path)
        else:
            plain[name] = path
    keyed = {name: path for name, path in plain.items() if name not in coded}
    keyed.update({key: paths[0] for key, paths in coded.items() if len(paths) == 1})
    return keyed


def _changed_settings(before: str, now: str) -> str:
    """Which settings differ between two fingerprints (JSON objects), and how: "scorer auto →
    length, checks" (a value that is no single word only named)."""
    try:
        old, new = json.loads(before), json.loads(now)
    except ValueError:
        return "unreadable"
    changed = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            shown = [json.dumps(value) for value in (old.get(key), new.get(key))]
            changed.append(f"{key} {shown[0]} → {shown[1]}" if all(len(text) <= 30 for text in shown) else key)
    return ", ".join(changed) or "their order"


class BuildState:
    """Per-document results in SQLite: one row per finished document, written in one
    transaction, and the settings the results were made with."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS document (doc_id TEXT PRIMARY KEY, status TEXT, records TEXT, error TEXT, provenance TEXT)"
        )
        self._db.execute("CREATE TABLE IF NOT EXISTS setting (key TEXT PRIMARY KEY, value TEXT)")

    def claim(self, settings: str) -> None:
        """Tie the state to ``settings``; resuming with other settings would mix two corpora."""
        row = self._db.execute("SELECT value FROM setting WHERE key = 'settings'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO setting VALUES ('settings', ?)", (settings,))
        elif row[0] != settings:
            raise ConfigError(
                f"the output folder holds a build made with other settings ({_changed_settings(row[0], settings)}): "
                "use another --output, or delete it to start again"
            )

    def done(self) -> set[str]:
        """Documents aligned already; failed ones are tried again by the next run."""
        return {row[0] for row in self._db.execute("SELECT doc_id FROM document WHERE status = 'done'")}

    def commit(
        self, doc_id: str, records: list[dict[str, Any]] | None, error: str | None = None, provenance: dict[str, Any] | None = None
    ) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO document VALUES (?, ?, ?, ?, ?)",
                (
                    doc_id,
                    "failed" if error else "done",
                    json.dumps(records or [], ensure_ascii=False, sort_keys=True),
                    error,
                    json.dumps(provenance or {}, ensure_ascii=False, sort_keys=True),
                ),
            )

    def provenance(self, doc_id: str) -> dict[str, Any]:
        row = self._db.execute("SELECT provenance FROM document WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def records(self, doc_id: str) -> list[dict[str, Any]]:
        row = self._db.execute("SELECT records FROM document WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else []

    def failures(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT doc_id, error FROM document WHERE status = 'failed' ORDER BY doc_id").fetchall())

    def setting(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str, commit: bool = True) -> None:
        self._db.execute("INSERT OR REPLACE INTO setting VALUES (?, ?)", (key, value))
        if commit:
            self._db.commit()

    def replace_records(self, doc_id: str, records: list[dict[str, Any]], provenance: dict[str, Any]) -> None:
        """Rewrite a finished document's records without committing (see :meth:`commit_all`)."""
        self._db.execute(
            "UPDATE document SET records = ?, provenance = ? WHERE doc_id = ?",
            (json.dumps(records, ensure_ascii=False, sort_keys=True), json.dumps(provenance, ensure_ascii=False, sort_keys=True), doc_id),
        )

    def commit_all(self) -> None:
        self._db.commit()

    def roll_back(self) -> None:
        self._db.rollback()

    def close(self) -> None:
        self._db.close()


def settings_fingerprint(config: Any) -> str:
    """What decides a document's records (not where or how fast they are computed)."""
    settings = {k: v for k, v in asdict(config).items() if k not in ("device", "batch_size", "batch_tokens", "use_cache")}
    return json.dumps(settings, sort_keys=True, default=str)


@dataclass
class DocumentOutcome:
    """One document's result, as an engine hands it back: its checked records, or why it failed."""

    doc_id: str
    records: list[dict[str, Any]] | None
    error: str | None
    sentences: int = 0
    provenance: dict[str, Any] = field(default_factory=dict)  # see pipeline.pair_provenance


def skipped_label(pairing: dict[str, int]) -> str:
    """What a build's skipped inputs were: manifest rows, or where it paired the documents by
    content (``pairing`` figures), documents it could not read."""
    return "documents skipped" if pairing else "manifest rows skipped"


@dataclass
class BuildSummary:
    documents: int
    aligned_now: int
    resumed: int
    failed: dict[str, str]
    pairs: int
    splits: dict[str, int]
    duplicates: int
    filtered: int
    provenance: dict[str, dict[str, int]]  # e.g. "signals" → {"embedding, length, anchors": 1000}
    written: list[str]
    flagged: int = 0  # pairs written with a check's flag (none with --keep clean: those are filtered)
    rows_skipped: int = 0  # manifest rows, or documents pairing could not read, left out with --on-error skip
    pairing: dict[str, int] = field(default_factory=dict)  # see BuildOptions.pairing


@dataclass
class BuildOptions:
    """How a build runs and what it writes, besides the alignment settings."""

    on_error: str = "fail"
    keep: str = "all"
    licence: str | None = None
    formats: tuple[str, ...] = ()
    engine: str = "local"
    workers: int = 1
    chunk_size: int = 32
    ray_address: str | None = None
    #: what pairing by content did (``--pair``), for the summary and the card
    pairing: dict[str, int] = field(default_factory=dict)
    #: write report.html (``--report``)
    report: bool = False
    #: a progress display for the model calls inside a chunk (the local engine's), or None
    stage_progress: Callable[[str, int], Callable[[int], None]] | None = field(default=None, compare=False, repr=False)

    def validate(self) -> None:
        from .registry import ENGINES

        if self.on_error not in ON_ERROR:
            raise ConfigError(f"--on-error must be one of {', '.join(ON_ERROR)}")
        if self.keep not in KEEP:
            raise ConfigError(f"--keep must be one of {', '.join(KEEP)}")
        if self.engine not in ENGINES:
            raise ConfigError(f"--engine must be one of {', '.join(ENGINES)}")
        if self.workers < 1 or self.chunk_size < 1:
            raise ConfigError("--workers and --chunk-size must be at least 1")


def build_corpus(
    pairs: list[DocumentPair],
    out: Path,
    config: Any,
    options: BuildOptions | None = None,
    progress: BuildProgress | None = None,
    rows_skipped: int = 0,
) -> BuildSummary:
    """Align and check every pair not yet in ``out``'s state, then write the corpus
    (``rows_skipped``: manifest rows left out, for the summary and the card). One build at a
    time writes into ``out``: another one running there makes this one fail at once."""
    from .registry import ENGINES, WRITERS, resolve

    options = options or BuildOptions()
    options.validate()
    for name in options.formats:  # an unknown format fails before any work
        resolve(WRITERS, name, "format")
    if not pairs:
        raise InputError("no document pairs to build from")
    repeated = next((doc_id for doc_id, count in Counter(pair.doc_id for pair in pairs).items() if count > 1), None)
    if repeated is not None:  # the state keeps one document an id: one would take the other's place
        raise InputError(f"two documents have the id {repeated!r}: each needs its own")
    check_output_folder(out, own=(LOCK_FILE,))
    warn_about_fallbacks(config.src_lang, config.tgt_lang)
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock_folder(out)
    try:
        with _state_errors(out):
            _remove_leftovers(out)
            state = BuildState(out / "state.sqlite")
    except BaseException:
        lock.close()
        raise
    try:
        state.claim(settings_fingerprint(config))
        done = state.done()
        pending = [pair for pair in pairs if pair.doc_id not in done]
        if progress and len(pairs) > len(pending):
            progress(len(pairs) - len(pending), 0)

        origins = {pair.doc_id: pair.origin for pair in pending}

        def commit(outcome: DocumentOutcome) -> None:
            error = outcome.error
            if error is not None:
                origin = origins[outcome.doc_id]
                error = f"{origin + ': ' if origin else ''}document {outcome.doc_id}: {error}"
                if options.on_error == "fail":
                    raise InputError(error)
                log.warning("%s", error)
            state.commit(outcome.doc_id, outcome.records, error, outcome.provenance)
            if progress:
                progress(1, outcome.sentences)

        if pending:
            resolve(ENGINES, options.engine, "engine")(pending, config, options, commit)
        ids = {pair.doc_id for pair in pairs}
        failures = {doc_id: error for doc_id, error in state.failures().items() if doc_id in ids}
        provenances = [state.provenance(pair.doc_id) for pair in pairs]
        provenance = how_built(provenances)
        written, sizes, counts = _write_corpus(pairs, state, config, options, provenances, provenance, failures, rows_skipped)
        state.commit_all()
    except sqlite3.Error as error:  # the state cannot be written (a full disk)
        raise cannot_be_written(out / "state.sqlite", error) from None
    finally:
        with contextlib.suppress(sqlite3.Error):
            state.close()
        lock.close()
    failed_now = sum(1 for pair in pending if pair.doc_id in failures)
    return BuildSummary(
        len(pairs),
        len(pending) - failed_now,
        len(pairs) - len(pending),
        failures,
        sum(sizes.values()),
        sizes,
        counts.duplicates,
        counts.filtered,
        provenance,
        [str(out / name) for name in written],
        counts.flagged,
        rows_skipped,
        options.pairing,
    )


LOCK_FILE = ".aligner.lock"


@contextlib.contextmanager
def _state_errors(out: Path) -> Iterator[None]:
    """A build's state that cannot be opened (a full disk, no permission) as one line."""
    try:
        yield
    except (OSError, sqlite3.Error) as error:
        raise cannot_be_written(out / "state.sqlite", error) from None


def _lock_folder(out: Path) -> Any:
    """An exclusive lock on ``out`` for this build (released when the returned file is closed
    or the process ends, however it ends)."""
    import fcntl

    handle = open(out / LOCK_FILE, "w")  # noqa: SIM115 - held for the whole build
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ConfigError(f"{out}: another aligner build is writing into it; wait for it to end, or choose another --output") from None
    return handle


def _remove_leftovers(out: Path) -> None:
    """Staging, backup and scratch folders of a build that was killed (this build holds the lock,
    so no other one is using them)."""
    import shutil

    for pattern in (f".{out.name}.staging.*.tmp", f".{out.name}.backup.*.tmp"):
        for leftover in out.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def recheck_corpus(out: Path, checks: Any, make_models: Callable[[str, str], Any]) -> tuple[Any, list[dict[str, Any]], list[str]]:
    """Run ``checks`` again on every document of a built corpus and rewrite all of it (Parquet
    shards, saved splits, card, extra formats) from the updated state, so that every
    representation agrees; the state is committed only once the corpus is written.
    ``make_models(src_lang, tgt_lang)`` gives the models the checks may need."""
    from .check import check_records

    lock = _lock_folder(out)
    state = BuildState(out / "state.sqlite")
    try:
        layout_text = state.setting("layout")
        if layout_text is None:
            raise InputError(
                f"{out}: built by an earlier version of aligner that did not record the corpus layout: build it again to check it"
            )
        layout = json.loads(layout_text)
        pairs = [DocumentPair(p["doc_id"], Path(p["src"]), Path(p["tgt"]), split=p["split"], meta=p["meta"]) for p in layout["pairs"]]
        src_lang, tgt_lang = layout["src_lang"], layout["tgt_lang"]
        options = BuildOptions(
            keep=layout["keep"],
            licence=layout["licence"],
            formats=tuple(layout["formats"]),
            pairing=layout.get("pairing", {}),
            report=layout.get("report", False),
        )
        models = make_models(src_lang, tgt_lang)
        ids = {pair.doc_id for pair in pairs}
        done = state.done()
        if not done & ids:
            raise InputError(f"{out}: holds no aligned document to check")
        all_records: list[dict[str, Any]] = []
        report = None
        for pair in pairs:
            if pair.doc_id not in done:
                continue
            records = state.records(pair.doc_id)
            report = check_records(records, src_lang, tgt_lang, checks, models, log=log)
            provenance = {**state.provenance(pair.doc_id), "checks": report.used, "checks_skipped": report.skipped}
            state.replace_records(pair.doc_id, records, provenance)
            all_records += records
        settings = json.loads(state.setting("settings") or "{}")
        settings["checks"] = asdict(checks)
        state.set_setting("settings", json.dumps(settings, sort_keys=True, default=str), commit=False)
        config = _CorpusLanguages(src_lang, tgt_lang, checks)
        provenances = [state.provenance(pair.doc_id) for pair in pairs]
        failures = {doc_id: error for doc_id, error in state.failures().items() if doc_id in ids}
        written, _, _ = _write_corpus(pairs, state, config, options, provenances, how_built(provenances), failures, layout["rows_skipped"])
        state.commit_all()
    except BaseException:
        state.roll_back()
        raise
    finally:
        state.close()
        lock.close()
    return report, all_records, [str(out / name) for name in written]


@dataclass
class _CorpusLanguages:
    """What :func:`_write_corpus` reads of an alignment config."""

    src_lang: str
    tgt_lang: str
    checks: Any


def _write_corpus(
    pairs: list[DocumentPair],
    state: BuildState,
    config: Any,
    options: BuildOptions,
    provenances: list[dict[str, Any]],
    provenance: dict[str, dict[str, int]],
    failures: dict[str, str],
    rows_skipped: int = 0,
) -> tuple[list[str], dict[str, int], CorpusCounts]:
    """Write the corpus folder from the state: the splits, the card, the extra formats, all staged
    and moved in at the end. Returns the names written, the rows per split, and what was left out."""
    from datasets import Value

    from .registry import WRITERS, resolve
    from .write import dataset_features, staged_into

    out = state.path.parent
    layout = {
        "src_lang": config.src_lang,
        "tgt_lang": config.tgt_lang,
        "keep": options.keep,
        "licence": options.licence,
        "formats": list(options.formats),
        "pairing": options.pairing,
        "report": options.report,
        "rows_skipped": rows_skipped,
        "pairs": [{"doc_id": p.doc_id, "src": str(p.src), "tgt": str(p.tgt), "split": p.split, "meta": p.meta} for p in pairs],
    }
    state.set_setting("layout", json.dumps(layout, ensure_ascii=False, sort_keys=True), commit=False)
    counts = CorpusCounts()
    checks = None if config.checks is None else sorted({name for p in provenances for name in p.get("checks", [])})
    extra: dict[str, Any] = {"doc_id": Value("string")}
    meta_keys = sorted({key for pair in pairs for key in pair.meta})
    if meta_keys:
        extra["meta"] = {key: Value("string") for key in meta_keys}
    features = dataset_features(config.src_lang, config.tgt_lang, checks, extra)
    with staged_into(out, own=(LOCK_FILE,)) as staging, tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX, dir=out) as scratch:
        sizes = write_splits(
            corpus_records(pairs, state, config.src_lang, config.tgt_lang, options.keep, counts), staging, Path(scratch), features
        )
        figures = {
            "documents": len(pairs),
            "documents failed": len(failures),
            skipped_label(options.pairing): rows_skipped,
            **options.pairing,
            "pairs": sum(sizes.values()),
            **{f"pairs in {split}": size for split, size in sizes.items()},
            "pairs flagged": counts.flagged,
            "duplicates removed": counts.duplicates,
            "filtered by flags": counts.filtered,
            "keep": options.keep,
            **{key: "; ".join(f"{value} ({count} documents)" for value, count in values.items()) for key, values in provenance.items()},
        }
        split_bytes = {split: sum(f.stat().st_size for f in (staging / "data").glob(f"{split}-*.parquet")) for split in sizes}
        digest = data_digest(sorted((staging / "data").glob("*.parquet")))
        card = dataset_card(features, sizes, config.src_lang, config.tgt_lang, options.licence, figures, digest, split_bytes)
        (staging / "README.md").write_text(card, encoding="utf-8")
        for name in dict.fromkeys(options.formats):
            writer = resolve(WRITERS, name, "format")
            # one file a split where there are several: a single one mixed a test split into the training pairs
            for split in list(sizes) if len(sizes) > 1 else [None]:
                records = (
                    record
                    for record_split, record in corpus_records(pairs, state, config.src_lang, config.tgt_lang, options.keep)
                    if split is None or record_split == split
                )
                writer(records, staging, config.src_lang, config.tgt_lang, split=split)
        if options.report:
            from .report import REPORT_FILE, corpus_report, render_html

            (staging / REPORT_FILE).write_text(render_html(corpus_report(out.name, layout, state)), encoding="utf-8")
        written = sorted(entry.name for entry in staging.iterdir())
    return written, sizes, counts


@dataclass
class CorpusCounts:
    """What :func:`corpus_records` left out, and how many it kept had a check's flag."""

    duplicates: int = 0
    filtered: int = 0
    flagged: int = 0


def corpus_records(
    pairs: list[DocumentPair],
    state: BuildState,
    src_lang: str,
    tgt_lang: str,
    keep: str,
    counts: CorpusCounts | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(split, record)`` of every aligned pair in manifest order, 1-0 and 0-1 beads and identical
    repeats left out, filtered by ``keep``. Repeats are found by a 16-byte digest of the pair, so
    memory grows by little more than that per pair."""
    counts = counts or CorpusCounts()
    seen: set[bytes] = set()
    for pair in pairs:
        for record in state.records(pair.doc_id):
            if not record["src_idx"] or not record["tgt_idx"]:
                continue
            texts = json.dumps([record["translation"][src_lang], record["translation"][tgt_lang]], ensure_ascii=False)
            key = hashlib.blake2b(texts.encode("utf-8"), digest_size=16).digest()
            if key in seen:
                counts.duplicates += 1
                continue
            seen.add(key)
            if keep == "clean" and record.get("flags"):
                counts.filtered += 1
                continue
            counts.flagged += bool(record.get("flags"))
            yield pair.split, {"doc_id": pair.doc_id, **record, **({"meta": pair.meta_strings()} if pair.meta else {})}


#: Records converted to Arrow at a time.
WRITE_BATCH = 10_000


def write_splits(records: Iterable[tuple[str, dict[str, Any]]], staging: Path, scratch: Path, features: Any) -> dict[str, int]:
    """The corpus files, from a stream of ``(split, record)``: Parquet shards
    ``data/{split}-0000k-of-0000n.parquet`` (for ``load_dataset``) and ``dataset_dict.json`` with
    a folder per split (for ``load_from_disk``). Records go to one Arrow file per split in
    ``scratch`` first, and everything else is written from those memory-mapped files, so memory
    stays flat however large the corpus. Returns the rows per split, by split name."""
    import pyarrow.parquet as pq
    from datasets import Dataset, DatasetDict
    from datasets.arrow_writer import ArrowWriter
    from datasets.utils.logging import disable_progress_bar

    from .write import dataset_rows

    disable_progress_bar()
    writers: dict[str, ArrowWriter] = {}
    batches: dict[str, list[dict[str, Any]]] = {}
    digests: dict[str, Any] = {}  # of each split's records: its fingerprint, which would otherwise hash the scratch path

    def flush(split: str) -> None:
        writers[split].write_batch(dataset_rows(batches[split], features))
        batches[split] = []

    for split, record in records:
        if split not in writers:
            writers[split], batches[split] = ArrowWriter(features=features, path=str(scratch / f"{split}.arrow")), []
            digests[split] = hashlib.blake2b(digest_size=8)
        batches[split].append(record)
        digests[split].update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        if len(batches[split]) >= WRITE_BATCH:
            flush(split)
    if not writers:  # an empty corpus still has its (empty) train split
        writers[DEFAULT_SPLIT], batches[DEFAULT_SPLIT] = ArrowWriter(features=features, path=str(scratch / f"{DEFAULT_SPLIT}.arrow")), []
        digests[DEFAULT_SPLIT] = hashlib.blake2b(digest_size=8)
    for split, writer in writers.items():
        flush(split)
        writer.finalize()
        writer.close()
    tables = {}
    for split in sorted(writers):
        table = Dataset.from_file(str(scratch / f"{split}.arrow"))
        tables[split] = table.select(range(len(table)), new_fingerprint=digests[split].hexdigest())  # a view, not a copy
    for split, table in tables.items():
        shards = max(1, -(-len(table) // SHARD_ROWS))
        for k in range(shards):
            path = staging / "data" / f"{split}-{k:05d}-of-{shards:05d}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table.data.table.slice(k * SHARD_ROWS, SHARD_ROWS), path)
    DatasetDict(tables).save_to_disk(str(staging))
    return {split: len(table) for split, table in tables.items()}


def how_built(provenances: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """How many documents each translation source, signal set and check set served (for the
    summary and the card), from the documents' provenance. Translation files count as ``file``,
    whatever their names."""
    counts: dict[str, dict[str, int]] = {}
    for provenance in provenances:
        if not provenance:
            continue
        values = {
            "translation": re.sub(r": file [^;]*", ": file", provenance["translation"]),
            "signals": ", ".join(provenance["signals"]),
            "checks": ", ".join(provenance["checks"]) or "none",
        }
        if provenance["checks_skipped"]:
            values["checks skipped"] = describe_skipped(provenance["checks_skipped"])
        for key, value in values.items():
            counts.setdefault(key, {})
            counts[key][value] = counts[key].get(value, 0) + 1
    return {key: dict(sorted(values.items(), key=lambda item: (-item[1], item[0]))) for key, values in counts.items()}


def dataset_card(
    features: Any,
    sizes: dict[str, int],
    src_lang: str,
    tgt_lang: str,
    licence: str | None,
    figures: dict[str, Any],
    digest: str,
    split_bytes: dict[str, int] | None = None,
) -> str:
    """A Hugging Face dataset card whose YAML declares the config, the features and the splits'
    sizes, so that ``load_dataset(OUT)`` gives the ``Translation`` type rather than a plain
    struct (``digest``: the data files', see :func:`aligner.write.card_header`)."""
    data_files = [{"split": split, "path": f"data/{split}-*.parquet"} for split in sizes]
    header = card_header(src_lang, tgt_lang, data_files, sum(sizes.values()), digest, licence)
    header["dataset_info"] = {
        "features": yaml_features(features),
        # name, num_bytes and num_examples: the loaders warn of a malformed field without all three
        "splits": [
            {"name": split, "num_bytes": (split_bytes or {}).get(split, 0), "num_examples": count} for split, count in sizes.items()
        ],
    }
    table = "\n".join(f"| {key} | {str(value).replace('|', chr(92) + '|')} |" for key, value in figures.items())
    return card_text(header, f"| step | figure |\n| --- | --- |\n{table}\n")
