from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from datasets import Translation, load_from_disk

from aligner.write import atomic_file, write_dataset, write_jsonl, write_moses, write_tmx, write_tsv

RECORDS = [
    {
        "src_idx": [0],
        "tgt_idx": [0],
        "bead": "1-1",
        "translation": {"tr": "Merhaba <dünya> & tab\tiçinde", "en": "Hello <world>"},
        "scores": {"gain": 1.5},
    },
    {"src_idx": [1], "tgt_idx": [], "bead": "1-0", "translation": {"tr": "Yalnız.", "en": ""}, "scores": {}},
    {
        "src_idx": [2, 3],
        "tgt_idx": [1],
        "bead": "2-1",
        "translation": {"tr": "İki. Cümle.", "en": "Two sentences."},
        "scores": {"gain": 0.5},
    },
]


def test_jsonl_round_trip(tmp_path: Path) -> None:
    path = write_jsonl(RECORDS, tmp_path, "tr", "en")
    assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == RECORDS


def test_tmx_moses_tsv_hold_only_pairs(tmp_path: Path) -> None:
    root = ET.parse(write_tmx(RECORDS, tmp_path, "tr", "en")).getroot()
    units = root.findall("./body/tu")
    assert len(units) == 2
    assert [seg.text for seg in units[0].iter("seg")] == ["Merhaba <dünya> & tab\tiçinde", "Hello <world>"]
    write_moses(RECORDS, tmp_path, "tr", "en")
    assert (tmp_path / "corpus.tr-en.tr").read_text(encoding="utf-8") == "Merhaba <dünya> & tab içinde\nİki. Cümle.\n"
    assert (tmp_path / "corpus.tr-en.en").read_text(encoding="utf-8").count("\n") == 2
    rows = write_tsv(RECORDS, tmp_path, "tr", "en").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "İki. Cümle.\tTwo sentences." and all(row.count("\t") == 1 for row in rows)


def test_dataset_has_the_translation_feature(tmp_path: Path) -> None:
    dataset = load_from_disk(str(write_dataset(RECORDS, tmp_path, "tr", "en")))
    assert isinstance(dataset.features["translation"], Translation)
    assert dataset[2]["translation"] == {"tr": "İki. Cümle.", "en": "Two sentences."}
    assert dataset[2]["src_idx"] == [2, 3]


def test_atomic_file_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError):
        with atomic_file(target) as stream:
            stream.write("half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_at_any_step_of_the_swap_leaves_the_output_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rename of the swap fails in turn (as a read-only or immutable folder makes it): the
    output stays byte for byte as the earlier run left it, and the error is one OutputError."""
    import os

    from aligner.errors import OutputError
    from aligner.write import staged_into

    out = tmp_path / "out"
    with staged_into(out) as staging:
        (staging / "dataset").mkdir()
        for name in ("a.txt", "dataset/b.txt", "old.tmx"):
            (staging / name).write_text(f"old {name}\n", encoding="utf-8")
    (out / "dataset" / "mine.txt").write_text("the user's\n", encoding="utf-8")
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real_replace = os.replace
    failed_at = []
    for fail_at in range(1, 12):
        calls = []

        def failing(source, target, calls=calls, fail_at=fail_at):  # type: ignore[no-untyped-def]
            calls.append(target)
            if len(calls) == fail_at:
                raise PermissionError(13, "Permission denied", str(target))
            return real_replace(source, target)

        monkeypatch.setattr("aligner.write.os.replace", failing)
        try:
            with staged_into(out) as staging:
                (staging / "dataset").mkdir()
                for name in ("a.txt", "dataset/b.txt", "new.tsv"):
                    (staging / name).write_text(f"new {name}\n", encoding="utf-8")
        except OutputError as error:
            assert "cannot be written: Permission denied" in str(error)
            failed_at.append(fail_at)
            monkeypatch.setattr("aligner.write.os.replace", real_replace)
            assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
            assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging or backup left
        else:
            break
    assert len(failed_at) >= 5  # the staging folder's move, each file moved out, each moved in
    after = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert after == {"a.txt", "dataset/b.txt", "dataset/mine.txt", "new.tsv", ".aligner-outputs.json"}


def test_a_staging_folder_that_cannot_be_made_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only parent (or a full disk) fails the staging folder: one OutputError, no output."""
    import tempfile

    from aligner.errors import OutputError
    from aligner.write import staged_into

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError, match="cannot be written: Permission denied"):
        with staged_into(tmp_path / "out") as staging:
            (staging / "a.txt").write_text("a", encoding="utf-8")
    assert not (tmp_path / "out").exists()


def test_scores_are_a_typed_struct_and_old_string_scores_still_read(tmp_path: Path) -> None:
    """Issue 15: the alignment signals load as columns (a nullable float each), and an output
    written when they were a JSON string is still checked."""
    from datasets import Dataset, Value

    from aligner.check import CheckConfig
    from aligner.recheck import recheck

    path = write_dataset(RECORDS, tmp_path, "tr", "en")
    dataset = load_from_disk(str(path))
    assert dataset.features["scores"]["gain"] == Value("float64") and set(dataset.features["scores"]) >= {
        "mt",
        "embedding",
        "length",
        "anchors",
    }
    assert dataset[0]["scores"]["gain"] == 1.5 and dataset[0]["scores"]["mt"] is None
    old = tmp_path / "old"
    rows = {key: [r[key] for r in RECORDS] for key in ("src_idx", "tgt_idx", "bead", "translation")}
    Dataset.from_dict({**rows, "scores": [json.dumps(r["scores"]) for r in RECORDS]}).save_to_disk(str(old / "dataset"))
    (old / "run.json").write_text(json.dumps({"src_lang": "tr", "tgt_lang": "en"}), encoding="utf-8")
    _, records, _ = recheck(old / "dataset", CheckConfig.from_names("length,empty"))
    assert [r["scores"] for r in records] == [r["scores"] for r in RECORDS]
    assert load_from_disk(str(old / "dataset")).features["scores"]["gain"] == Value("float64")  # rewritten as the struct
