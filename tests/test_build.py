from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.build import BuildOptions, build_corpus, pair_folders, read_manifest
from aligner.check import CheckConfig
from aligner.errors import InputError
from aligner.pipeline import AlignConfig
from conftest import SEEDS
from tiny_marian import ENGLISH, TURKISH


def _documents(folder: Path) -> Path:
    """Three document pairs: the seed, two short ones (one repeating a pair of another)."""
    (folder / "tr").mkdir(parents=True)
    (folder / "en").mkdir()
    (folder / "tr" / "a.txt").write_bytes((SEEDS / "bianet-erdogan-putin-sochi.tr.txt").read_bytes())
    (folder / "en" / "a.txt").write_bytes((SEEDS / "bianet-erdogan-putin-sochi.en.txt").read_bytes())
    (folder / "tr" / "b.txt").write_text("\n".join(TURKISH[:4]) + "\n", encoding="utf-8")
    (folder / "en" / "b.txt").write_text("\n".join(ENGLISH[:4]) + "\n", encoding="utf-8")
    (folder / "tr" / "c.txt").write_text("\n".join(TURKISH[3:]) + "\n", encoding="utf-8")
    (folder / "en" / "c.txt").write_text("\n".join(ENGLISH[3:]) + "\n", encoding="utf-8")
    manifest = folder / "manifest.tsv"
    manifest.write_text("doc_id\tsrc\ttgt\n" + "".join(f"{d}\ttr/{d}.txt\ten/{d}.txt\n" for d in "abc"), encoding="utf-8")
    return manifest


def _config() -> AlignConfig:
    return AlignConfig("tr", "en", presegmented=True, scorer="length,anchors", checks=CheckConfig.from_names("numbers,empty"))


def _files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("README.md", "data/train-00000-of-00001.parquet")}


def test_build_resumes_after_an_interruption_with_identical_output(tmp_path: Path) -> None:
    manifest = _documents(tmp_path)
    pairs = read_manifest(manifest)
    assert [p.doc_id for p in pairs] == ["a", "b", "c"] and pair_folders(tmp_path / "tr", tmp_path / "en") == pairs
    whole = build_corpus(pairs, tmp_path / "whole", _config(), BuildOptions(licence="cc-by-4.0", formats=("tmx", "tsv")))
    assert whole.duplicates == 1 and whole.pairs > 10  # TURKISH[3]/ENGLISH[3] is in b and c
    tsv = (tmp_path / "whole" / "corpus.tr-en.tsv").read_text(encoding="utf-8").splitlines()
    assert len(tsv) == whole.pairs and (tmp_path / "whole" / "corpus.tr-en.tmx").is_file()

    def stop_after_first(documents: int, sentences: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_corpus(pairs, tmp_path / "cut", _config(), BuildOptions(licence="cc-by-4.0"), progress=stop_after_first)
    resumed = build_corpus(pairs, tmp_path / "cut", _config(), BuildOptions(licence="cc-by-4.0"))
    assert resumed.resumed == 1 and resumed.aligned_now == 2
    assert _files(tmp_path / "cut") == _files(tmp_path / "whole")

    from datasets import Translation, load_dataset

    corpus = load_dataset(str(tmp_path / "whole"), split="train")
    assert isinstance(corpus.features["translation"], Translation) and len(corpus) == whole.pairs
    assert corpus[0]["doc_id"] == "a" and set(corpus[0]["translation"]) == {"tr", "en"}
    card = (tmp_path / "whole" / "README.md").read_text(encoding="utf-8")
    assert "license: cc-by-4.0" in card and "task_categories:\n- translation" in card and "duplicates removed | 1" in card


def test_bad_manifest_rows_have_line_numbers(tmp_path: Path) -> None:
    manifest = _documents(tmp_path)
    manifest.write_text(manifest.read_text(encoding="utf-8") + "b\ttr/b.txt\ten/b.txt\nd\ttr/none.txt\ten/d.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest.tsv:5: duplicate doc_id 'b'"):
        read_manifest(manifest)
    assert [p.doc_id for p in read_manifest(manifest, on_error="skip")] == ["a", "b", "c"]
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text('{"doc_id": "a", "src": "tr/a.txt", "tgt": "en/a.txt"}\n[1]\n', encoding="utf-8")
    with pytest.raises(InputError, match="m.jsonl:2: not a JSON object"):
        read_manifest(jsonl)
    from typer.testing import CliRunner

    from aligner.cli import app

    result = CliRunner().invoke(app, ["build", "--manifest", str(manifest), "-o", str(tmp_path / "out"), "-s", "tr", "-t", "en"])
    assert result.exit_code == 2 and "manifest.tsv:5: duplicate doc_id" in result.output and not (tmp_path / "out").exists()


def test_sigkill_halfway_then_rerun_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    _documents(tmp_path)
    manifest = tmp_path / "many.jsonl"
    rows = [{"doc_id": f"d{k:03d}", "src": f"tr/{'bc'[k % 2]}.txt", "tgt": f"en/{'bc'[k % 2]}.txt"} for k in range(300)]
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def command(out: Path) -> list[str]:
        return [sys.executable, "-m", "aligner", "build", "--manifest", str(manifest), "-o", str(out), "-s", "tr", "-t", "en",
                "--presegmented", "--scorer", "length,anchors", "--checks", "numbers,empty", "-q"]

    subprocess.run(command(tmp_path / "whole"), check=True, env=os.environ)
    process = subprocess.Popen(command(tmp_path / "cut"), env=os.environ)
    state = tmp_path / "cut" / "state.sqlite"
    deadline = time.time() + 120
    done = 0
    while time.time() < deadline and process.poll() is None:
        if state.exists():
            try:
                done = sqlite3.connect(state).execute("SELECT COUNT(*) FROM document").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
            if done >= 20:
                break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 20 <= done < 300 and not (tmp_path / "cut" / "README.md").exists()  # killed halfway
    subprocess.run(command(tmp_path / "cut"), check=True, env=os.environ)
    assert _files(tmp_path / "cut") == _files(tmp_path / "whole")
