"""Writers for the aligned corpus. Every file is written to a temporary name and renamed, so a
failed run never leaves a half-written output."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from . import __version__
from .errors import OutputError, cannot_be_written

Record = dict[str, Any]


#: Files and folders are created with the permissions the user's umask gives (a temporary file
#: or folder is created private, 0600/0700, and would keep that after its rename).
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK
FOLDER_MODE = 0o777 & ~_UMASK


@contextmanager
def atomic_file(path: Path) -> Iterator[TextIO]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.chmod(temporary, FILE_MODE)
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
        os.chmod(temporary, FOLDER_MODE)
        if path.exists():
            shutil.rmtree(path)
        os.replace(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


#: In an output folder, the files the last run wrote (relative paths, one JSON list): a re-run
#: replaces those and removes the ones it no longer writes, and leaves every other file alone.
OUTPUTS_FILE = ".aligner-outputs.json"
#: Scratch folders a build makes inside its output (and removes; a killed one may leave them).
SCRATCH_PREFIX = ".scratch-"
#: Files that mark a folder as an aligner output written before :data:`OUTPUTS_FILE` existed.
_LEGACY_MARKERS = ("run.json", "state.sqlite")


def check_output_folder(folder: Path, own: Sequence[str] = ()) -> None:
    """Raise OutputError when ``folder`` cannot take an output: it is a file, lies under a file,
    or is a non-empty folder that no aligner run wrote (``own``: names the caller itself put
    there already, such as a build's state), or is ``-``, which asks for stdout."""
    if str(folder) == "-":  # a folder named "-" was made
        raise OutputError("-o -: the output is a folder of files, which stdout cannot take: name a folder")
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(
                    f"{folder}: cannot be created, {parent} is a file" if parent != folder else f"{folder}: exists and is not a folder"
                )
            break
    if not folder.is_dir():
        return
    entries = {entry.name for entry in folder.iterdir() if not entry.name.startswith(SCRATCH_PREFIX)} - set(own)
    if entries and OUTPUTS_FILE not in entries and not entries & set(_LEGACY_MARKERS):
        raise OutputError(f"{folder}: is not empty and is not an aligner output; choose a new or empty folder")


def _written_before(folder: Path) -> set[str]:
    try:
        return set(json.loads((folder / OUTPUTS_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


@contextmanager
def staged_into(folder: Path, own: Sequence[str] = (), partial: bool = False) -> Iterator[Path]:
    """A staging folder beside ``folder``; once the block succeeds, its files replace those of
    the same path in ``folder``, files the previous run wrote and this one did not are removed
    (not with ``partial``: a rewrite of some of the files, such as ``aligner check`` does), and
    nothing else in ``folder`` is touched. The swap is undone if any step of it fails, so on
    failure ``folder`` stays as it was. OS errors become one-line OutputErrors."""
    if not partial:
        check_output_folder(folder, own)
    staging = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.staging.", suffix=".tmp"))
        yield staging
        new = sorted(str(path.relative_to(staging)) for path in staging.rglob("*") if not path.is_dir())
        before = _written_before(folder)
        if partial:
            stale: set[str] = set()
            listed = before | set(new) if (folder / OUTPUTS_FILE).is_file() else None
        else:
            stale, listed = before - set(new) - {OUTPUTS_FILE}, set(new)
        if listed is not None:
            (staging / OUTPUTS_FILE).write_text(json.dumps(sorted({*listed, OUTPUTS_FILE}), indent=0) + "\n", encoding="utf-8")
            new.append(OUTPUTS_FILE)
        _swap_in(staging, folder, new, stale)
    except OSError as error:
        raise cannot_be_written(folder, error, f" ({error.filename})" if error.filename else "") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, folder: Path, new: list[str], stale: set[str]) -> None:
    """Move ``new`` files from ``staging`` into ``folder`` and remove ``stale`` ones, keeping
    every replaced or removed file in a backup until all moves succeeded (then undoing them all
    on failure)."""
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    backup = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.backup.", suffix=".tmp"))
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for name in sorted({*new, *stale}):
            target = folder / name
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(21, "is a folder, where a file is to be written", str(target))
            if target.exists() or target.is_symlink():
                (backup / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup / name)
                moved_out.append(name)
        for name in new:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, folder / name)
            moved_in.append(name)
    except BaseException:
        for name in reversed(moved_in):
            os.replace(folder / name, staging / name)
        for name in reversed(moved_out):
            os.replace(backup / name, folder / name)
        shutil.rmtree(backup, ignore_errors=True)
        _remove_emptied_folders(folder, moved_in)
        if created and not any(folder.iterdir()):
            folder.rmdir()
        raise
    shutil.rmtree(backup, ignore_errors=True)
    _remove_emptied_folders(folder, stale)


def _remove_emptied_folders(folder: Path, names: Iterable[str]) -> None:
    """Remove the folders inside ``folder`` that held ``names`` and are now empty, deepest first."""
    parents = {parent for name in names for parent in (folder / name).parents if folder in parent.parents}
    for parent in sorted(parents, key=lambda path: len(path.parts), reverse=True):
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()


def _pairs(records: Iterable[Record], src_lang: str, tgt_lang: str) -> Iterator[tuple[str, str]]:
    """Text pairs of the records that have both sides (1-0 and 0-1 beads are left out)."""
    for record in records:
        if record["src_idx"] and record["tgt_idx"]:
            yield record["translation"][src_lang], record["translation"][tgt_lang]


def _split_name(name: str, split: str | None) -> str:
    """A format's file name for one split of a corpus of several ("corpus.tr-en.test.tsv"), as it is for all."""
    if split is None:
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{split}.{suffix}" if dot else f"{name}.{split}"


def write_jsonl(
    records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str, name: str = "alignments.jsonl", split: str | None = None
) -> Path:
    path = out / _split_name(name, split)
    with atomic_file(path) as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def write_tsv(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str, split: str | None = None) -> Path:
    path = out / _split_name(f"corpus.{src_lang}-{tgt_lang}.tsv", split)
    with atomic_file(path) as stream:
        for src, tgt in _pairs(records, src_lang, tgt_lang):
            stream.write(f"{_one_line(src)}\t{_one_line(tgt)}\n")
    return path


def write_moses(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str, split: str | None = None) -> Path:
    stem = out / f"corpus.{src_lang}-{tgt_lang}{f'.{split}' if split else ''}"
    with (
        atomic_file(stem.with_name(f"{stem.name}.{src_lang}")) as src_stream,
        atomic_file(stem.with_name(f"{stem.name}.{tgt_lang}")) as tgt_stream,
    ):
        for src, tgt in _pairs(records, src_lang, tgt_lang):
            src_stream.write(_one_line(src) + "\n")
            tgt_stream.write(_one_line(tgt) + "\n")
    return stem


def write_tmx(records: Iterable[Record], out: Path, src_lang: str, tgt_lang: str, split: str | None = None) -> Path:
    path = out / _split_name(f"corpus.{src_lang}-{tgt_lang}.tmx", split)
    with atomic_file(path) as stream:
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        stream.write(
            f'  <header creationtool="aligner" creationtoolversion={quoteattr(__version__)} datatype="plaintext" '
            f'segtype="sentence" adminlang="en" srclang={quoteattr(src_lang)} o-tmf="aligner"/>\n  <body>\n'
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
    ``scores`` (a struct with a nullable float per signal and the bead's gain: a bead has the
    signals its run used, a 1-0 or 0-1 bead none), and when the records were checked (``checks``
    not None) the combined ``score``, the ``flags`` and a ``checks`` struct with one (nullable)
    float per check; then the ``extra`` columns."""
    from datasets import Features, List, Translation, Value

    from .registry import SIGNALS

    columns: dict[str, Any] = {
        "translation": Translation(languages=[src_lang, tgt_lang]),
        "src_idx": List(Value("int32")),
        "tgt_idx": List(Value("int32")),
        "bead": Value("string"),
        "scores": {name: Value("float64") for name in sorted([*SIGNALS, "gain"])},
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
        if column in ("scores", "checks", "meta"):  # structs: a field a record lacks is null
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


def _size_category(rows: int) -> str:
    """The hub's ``size_categories`` label for a dataset of ``rows`` rows."""
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if rows < limit:
            return label
    return "n>1M"


def data_digest(paths: Iterable[Path]) -> str:
    """sha256 of the files' bytes, one after the other."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def card_header(
    src_lang: str, tgt_lang: str, data_files: list[dict[str, str]], rows: int, digest: str, licence: str | None = None
) -> dict[str, Any]:
    """A dataset card's YAML: languages, task, size, and the one config whose ``data_files``
    ``datasets.load_dataset(FOLDER)`` reads (without it, the loader takes every JSON file of the
    folder for data, ``run.json`` too, and fails). The config's description holds the data's
    ``digest``: the loader keys its cache on the card, not on the files, and gave the rows of an
    earlier output of the same folder (rewritten by ``aligner check`` or a new run)."""
    return {
        "language": [src_lang, tgt_lang],
        "license": licence or "other",
        "pretty_name": f"{src_lang}-{tgt_lang} parallel corpus",
        "size_categories": [_size_category(rows)],
        "task_categories": ["translation"],
        "configs": [{"config_name": "default", "description": f"data sha256 {digest}", "data_files": data_files}],
    }


def yaml_features(features: Any) -> list[dict[str, Any]]:
    """``dataset_info.features`` in the hub's YAML form."""
    from datasets import Features

    return Features(features)._to_yaml_list()


def card_text(header: dict[str, Any], body: str) -> str:
    """A dataset card (``README.md``): the YAML ``header``, a title and ``body``."""
    import yaml

    src_lang, tgt_lang = header["language"]
    return (
        "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True) + "---\n\n"
        f"# {src_lang}-{tgt_lang} parallel corpus\n\nAligned and checked with aligner {__version__}.\n\n{body}"
    )


def write_pair_card(
    records: Sequence[Record], out: Path, src_lang: str, tgt_lang: str, sources: tuple[str, str], dataset: str = "dataset"
) -> Path:
    """``README.md`` of an ``aligner align`` output beside its ``dataset`` folder:
    ``datasets.load_dataset(OUT)`` reads that dataset (the Arrow file ``load_from_disk`` reads),
    with its features declared (without them a loader that read an earlier dataset of the folder
    kept that one's, another check set's)."""
    shapes = Counter(record["bead"] for record in records)
    digest = data_digest(sorted((out / dataset).glob("*.arrow")))
    header = card_header(src_lang, tgt_lang, [{"split": "train", "path": f"{dataset}/data-*.arrow"}], len(records), digest)
    features = dataset_features(src_lang, tgt_lang, checked_names(records))
    header["dataset_info"] = {
        "features": yaml_features(features),
        "splits": [{"name": "train", "num_bytes": 0, "num_examples": len(records)}],
    }
    body = (
        f"One document pair: `{sources[0]}` ({src_lang}) and `{sources[1]}` ({tgt_lang}), "
        f"{len(records)} beads ({', '.join(f'{shape}: {count}' for shape, count in sorted(shapes.items()))}). "
        "`run.json` holds how it was made; `alignments.jsonl` the same records as JSON lines.\n"
    )
    path = out / "README.md"
    path.write_text(card_text(header, body), encoding="utf-8")
    return path


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _xml_safe(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)
