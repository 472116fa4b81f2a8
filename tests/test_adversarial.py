"""Property-based tests: every reader, the segmenter, the manifest reader and the alignment-record
reader, fed random and adversarial input, give a result or one AlignerError, never another
exception. Fixed seed and bounded examples (the ``ci`` profile) so that CI is repeatable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.errors import AlignerError

settings.register_profile(
    "ci", max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("ci")

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1254",
    "iso-8859-9",
    "cp1251",
    "gb18030",
    "shift_jis",
    "latin-1",
]
#: Text with what breaks readers and segmenters: controls, NULs, surrogates' neighbours, RTL
#: marks, long runs, Turkish dotted and dotless i, quotes and numbers.
ADVERSARIAL_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\x00\x01\x0b\x0c\x1b\x7f\x85\u2028\u2029\u200b\u200e\u202e\ufeff\ufffd İıIi.!?\"'«»„“…%1,5\n\t ")),
    ),
    max_size=400,
)


def _outcome(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Call; an AlignerError is an accepted outcome, anything else fails the test."""
    try:
        return function(*args, **kwargs)
    except AlignerError as error:
        assert str(error) and "\n" not in str(error)  # one line
        return None


@given(data=st.binary(max_size=3000))
def test_readers_take_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    from aligner.read import read_document, read_lines

    path = tmp_path_factory.mktemp("bytes") / "doc.txt"
    path.write_bytes(data)
    for language in ("tr", "en", "zh", "ru", None):
        document = _outcome(read_document, path, language=language)
        if document is not None:
            assert all(paragraph and "\x00" not in paragraph for paragraph in document.paragraphs)
        _outcome(read_lines, path, language=language, keep_blank=True)


@given(text=ADVERSARIAL_TEXT, encoding=st.sampled_from(ENCODINGS), named=st.booleans())
def test_readers_take_text_in_every_encoding(tmp_path_factory: pytest.TempPathFactory, text: str, encoding: str, named: bool) -> None:
    from aligner.read import read_document

    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    path = tmp_path_factory.mktemp("text") / "doc.txt"
    path.write_bytes(data)
    _outcome(read_document, path, encoding=encoding if named else None, language="tr")


@given(
    text=ADVERSARIAL_TEXT, language=st.sampled_from(["tr", "en", "de", "zh", "ar", "is"]), segmenter=st.sampled_from(["auto", "sentencex"])
)
def test_segmenter_takes_any_text(text: str, language: str, segmenter: str) -> None:
    from aligner.registry import SEGMENTERS, resolve
    from aligner.segment import segment_paragraphs

    paragraphs = [line for line in text.split("\n") if line.strip()]
    sentences = _outcome(segment_paragraphs, paragraphs, resolve(SEGMENTERS, segmenter, "segmenter")(language), language)
    if sentences is not None:
        assert all(isinstance(s, str) and s for s in sentences)


MANIFEST_CELL = st.one_of(
    st.text(max_size=20), st.sampled_from(["", "doc.tr", "doc.en", "missing.txt", "../x", "train", "tr", "en", "\t", '"'])
)


@given(
    rows=st.lists(st.lists(MANIFEST_CELL, max_size=6), max_size=6),
    header=st.sampled_from(["doc_id\tsrc\ttgt", "doc_id\tsrc\ttgt\tsplit", "src\ttgt", ""]),
    kind=st.sampled_from(["tsv", "jsonl"]),
)
def test_manifest_reader_takes_any_rows(tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], header: str, kind: str) -> None:
    from aligner.build import read_manifest

    folder = tmp_path_factory.mktemp("manifest")
    (folder / "doc.tr").write_text("Bir cümle.\n", encoding="utf-8")
    (folder / "doc.en").write_text("One sentence.\n", encoding="utf-8")
    if kind == "tsv":
        text = "\n".join([header, *("\t".join(row) for row in rows)]) + "\n"
    else:
        keys = header.split("\t")
        text = "".join(json.dumps(dict(zip(keys, row))) + "\n" for row in rows) + "not json\n" * (len(rows) % 2)
    path = folder / f"pairs.{kind}"
    path.write_text(text, encoding="utf-8")
    for on_error in ("fail", "skip"):
        _outcome(read_manifest, path, on_error, "split" if "split" in header else None, ("tr", "en"))


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=5)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "src_idx": st.one_of(JSON_VALUE, st.lists(st.integers(-1, 5), max_size=3)),
        "tgt_idx": st.one_of(JSON_VALUE, st.lists(st.integers(0, 5), max_size=3)),
        "bead": JSON_VALUE,
        "translation": st.one_of(JSON_VALUE, st.fixed_dictionaries({"tr": JSON_VALUE, "en": JSON_VALUE})),
        "scores": JSON_VALUE,
        "flags": JSON_VALUE,
    },
)


@given(values=st.lists(st.one_of(RECORD, JSON_VALUE), min_size=1, max_size=4), blank=st.booleans())
def test_alignment_record_reader_takes_any_json(tmp_path_factory: pytest.TempPathFactory, values: list, blank: bool) -> None:
    from aligner.check import CheckConfig
    from aligner.recheck import recheck

    folder = tmp_path_factory.mktemp("records")
    lines = [json.dumps(value) for value in values]
    if blank:
        lines.insert(1, "")
    (folder / "alignments.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "run.json").write_text(json.dumps({"src_lang": "tr", "tgt_lang": "en"}), encoding="utf-8")
    before = (folder / "alignments.jsonl").read_bytes()
    result = _outcome(recheck, folder, CheckConfig.from_names("length,empty,numbers"))
    if result is None:
        assert (folder / "alignments.jsonl").read_bytes() == before  # refused: nothing rewritten


@pytest.mark.parametrize("special", ["fifo", "directory", "dangling link"])
def test_special_files_are_refused_by_every_reader(tmp_path: Path, special: str) -> None:
    import os

    from aligner.evaluate import read_alignment
    from aligner.read import read_document, read_lines

    path = tmp_path / "special"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "directory":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "nowhere")
    for reader in (read_document, read_lines, read_alignment):
        with pytest.raises(AlignerError):
            reader(path)
