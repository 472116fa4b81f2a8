from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app
from conftest import SEEDS

runner = CliRunner()
TR = str(SEEDS / "bianet-erdogan-putin-sochi.tr.txt")
EN = str(SEEDS / "bianet-erdogan-putin-sochi.en.txt")
GOLD = str(SEEDS / "bianet-erdogan-putin-sochi.gold.txt")


def run(*args: str):
    return runner.invoke(app, list(args))


def test_align_seed_offline_signals_and_eval(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length,anchors", "--json", "-f", "tmx")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["source_sentences"] == 15 and summary["target_sentences"] == 14
    assert summary["translation"].startswith("none")
    assert {"alignments.jsonl", "dataset", "run.json", "corpus.tr-en.tmx"} <= {p.name for p in out.iterdir()}
    evaluation = run("eval", GOLD, str(out), "--json")
    assert evaluation.exit_code == 0
    assert 0.5 < json.loads(evaluation.stdout)["strict_f1"] <= 1.0


def test_align_through_a_real_marian_model(tmp_path: Path, tiny_marian: Path) -> None:
    out = tmp_path / "out"
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--model", str(tiny_marian), "--scorer", "mt,length", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["translation"] == f"tr→en: MarianMT {tiny_marian}" and summary["signals"] == ["mt", "length"]
    records = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(len(r["src_idx"]) for r in records) == 15 and sum(len(r["tgt_idx"]) for r in records) == 14
    assert all("mt" in r["scores"] for r in records if r["src_idx"] and r["tgt_idx"])
    first = (out / "alignments.jsonl").read_bytes()
    assert run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--model", str(tiny_marian), "--scorer", "mt,length", "-q").exit_code == 0
    assert (out / "alignments.jsonl").read_bytes() == first  # deterministic, and the cache gives the same


def test_translation_file(tmp_path: Path) -> None:
    translations = tmp_path / "mt.txt"
    translations.write_text("\n".join(f"line {k}" for k in range(15)) + "\n", encoding="utf-8")
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"), "--src-translation", str(translations), "--scorer", "mt,length")
    assert result.exit_code == 0, result.output
    assert f"translation: tr→en: file {translations}" in result.stdout


def _reverse_translations(tmp_path: Path) -> Path:
    """A "translation" of each English seed sentence into Turkish: its gold Turkish counterpart."""
    from aligner.evaluate import parse_vecalign
    from aligner.pipeline import AlignConfig, load_sentences

    src = load_sentences(TR, "tr", AlignConfig("tr", "en"))
    lines = [""] * 14
    for src_idx, tgt_idx in parse_vecalign(Path(GOLD).read_text(encoding="utf-8")):
        for j in tgt_idx:
            lines[j] = " ".join(src[i] for i in src_idx)
    path = tmp_path / "en-tr.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_target_side_translation_file_drives_the_mt_signal(tmp_path: Path) -> None:
    reverse = _reverse_translations(tmp_path)
    out = tmp_path / "out"
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--tgt-translation", str(reverse), "--scorer", "mt", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["translation"] == f"en→tr: file {reverse}"
    assert json.loads(run("eval", GOLD, str(out), "--json").stdout)["strict_f1"] >= 0.85
    short = tmp_path / "short.txt"
    short.write_text("bir\n", encoding="utf-8")
    bad = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(tmp_path / "bad"), "--tgt-translation", str(short), "--scorer", "mt")
    assert bad.exit_code == 2 and "has 1 lines but the target has 14 sentences" in bad.output


def test_both_directions_average_the_two_chrf_scores(tmp_path: Path, tiny_marian: Path) -> None:
    reverse = _reverse_translations(tmp_path)
    out = tmp_path / "out"
    args = ["align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--model", str(tiny_marian), "--tgt-translation", str(reverse), "--scorer", "mt", "--json"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["translation"] == f"tr→en: MarianMT {tiny_marian}; en→tr: file {reverse}"
    run_info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_info["translator_keys"][0].startswith("marian:local:") and run_info["translator_keys"][1].startswith("file:")


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    empty = tmp / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x03")
    short = tmp / "short.txt"
    short.write_text("one\ntwo\n", encoding="utf-8")
    latin = tmp / "latin.txt"
    latin.write_bytes("Erdoğan".encode("cp1254"))
    base = ["-s", "tr", "-t", "en", "-o", str(tmp / "out"), "--scorer", "length"]
    return {
        "missing": ([str(tmp / "nope.txt"), EN, *base], "no such file"),
        "empty": ([str(empty), EN, *base], "is empty"),
        "binary": ([str(binary), EN, *base], "binary"),
        "undecodable": ([str(latin), EN, *base, "--encoding", "utf-8"], "cannot be decoded"),
        "language": ([TR, EN, "-s", "xx", "-t", "en", "-o", str(tmp / "out")], "unknown language code 'xx'"),
        "translation count": ([TR, EN, *base[:6], "--src-translation", str(short), "--scorer", "mt"], "has 2 lines but the source has 15"),
        "format": ([TR, EN, *base, "-f", "docx"], "unknown format 'docx'"),
        "scorer": ([TR, EN, *base[:6], "--scorer", "magic"], "unknown scorer"),
        "model folder": ([TR, EN, *base[:6], "--scorer", "mt", "--model", str(tmp / "no" / "model")], "no such folder, and not a hub id"),
    }


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "undecodable", "language", "translation count", "format", "scorer", "model folder"])
def test_bad_input_one_line_nonzero_no_output(tmp_path: Path, case: str) -> None:
    args, message = _bad_inputs(tmp_path)[case]
    result = run("align", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_eval_bad_gold(tmp_path: Path) -> None:
    bad = tmp_path / "gold.txt"
    bad.write_text("garbage\n", encoding="utf-8")
    result = run("eval", str(bad), GOLD)
    assert result.exit_code == 2 and "not a Vecalign bead" in result.output


def test_align_checks_the_seed_and_check_rewrites_an_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--checks", "numbers,names,language,untranslated,empty", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["check_summary"]["flags"]["unaligned source"] == 1
    records = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    dropped = [r for r in records if r["bead"] == "1-0"]
    assert [r["src_idx"] for r in dropped] == [[4]] and dropped[0]["score"] == 0.0  # the sentence the English leaves out
    assert all(0.0 <= r["score"] <= 1.0 and isinstance(r["flags"], list) for r in records)
    from datasets import load_from_disk

    dataset = load_from_disk(str(out / "dataset"))
    assert {"score", "flags", "checks"} <= set(dataset.column_names)
    # re-check with other checks and a stricter numbers threshold from a YAML file
    config = tmp_path / "checks.yaml"
    config.write_text("checks:\n  length: {threshold: 0.99}\n  empty: {}\n", encoding="utf-8")
    rechecked = run("check", str(out), "--check-config", str(config), "--json")
    assert rechecked.exit_code == 0, rechecked.output
    figures = json.loads(rechecked.stdout)
    assert figures["checks"] == ["length", "empty"] and figures["check_summary"]["beads"] == len(records)
    after = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(set(r["checks"]) <= {"length", "empty"} for r in after)
    assert set(load_from_disk(str(out / "dataset"))["checks"][0]) == {"length", "empty"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "nowhere"], "not an aligner output"),
        (["check", GOLD], "not an alignment record"),
        (["check", ".", "--checks", "magic"], "unknown check magic"),
        (["check", ".", "--checks", "none"], "nothing to do"),
    ],
)
def test_check_bad_input(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


UNTRIED_LANGUAGES = {
    # language: (English, the same in that language), two sentences each plus a number, so that
    # the anchors and length signals have something to go on
    "is": ("The museum opened in 1998. It has 4,500 visitors a year.", "Safnið var opnað árið 1998. Þangað koma 4.500 gestir á ári."),
    "ga": ("The museum opened in 1998. It has 4,500 visitors a year.", "Osclaíodh an músaem i 1998. Tagann 4,500 cuairteoir ann gach bliain."),
    "eu": ("The museum opened in 1998. It has 4,500 visitors a year.", "Museoa 1998an ireki zen. Urtean 4.500 bisitari ditu."),
    "ast": ("The museum opened in 1998. It has 4,500 visitors a year.", "El muséu abrió en 1998. Tien 4.500 visitantes al añu."),
}


@pytest.mark.parametrize("language", sorted(UNTRIED_LANGUAGES))
def test_languages_outside_the_tried_list_align(tmp_path: Path, language: str) -> None:
    english, other = UNTRIED_LANGUAGES[language]
    (tmp_path / "doc.en").write_text(english + "\n", encoding="utf-8")
    (tmp_path / f"doc.{language}").write_text(other + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("align", str(tmp_path / "doc.en"), str(tmp_path / f"doc.{language}"), "-s", "en", "-t", language, "-o", str(out), "--scorer", "length,anchors")
    assert result.exit_code == 0, result.output
    assert "has no tailored rules here; using segmenter" in result.output  # said once, naming the fallbacks
    assert result.output.count("has no tailored rules") == 1
    records = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["src_idx"], r["tgt_idx"]) for r in records] == [([0], [0]), ([1], [1])]
    assert set(records[0]["translation"]) == {"en", language}


@pytest.mark.parametrize("code, expected", [("IS", "is"), ("isl", "is"), ("ice", "is"), ("deu", "de"), ("ast", "ast")])
def test_language_codes_normalise_to_iso_639_1(code: str, expected: str) -> None:
    from aligner.languages import check_language

    assert check_language(code) == expected


@pytest.mark.parametrize("code", ["xx", "english", "e1", "qqq", ""])
def test_codes_that_are_not_languages_are_one_line_errors(tmp_path: Path, code: str) -> None:
    result = run("align", TR, EN, "-s", "tr", "-t", code, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "unknown language code" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize("target", ["output folder", "alignments.jsonl", "dataset"])
def test_check_keeps_source_and_target_order(tmp_path: Path, target: str) -> None:
    """Issue 11, item 1: tr→en has its target code sorting first; `check` must not swap the sides."""
    from datasets import load_from_disk

    out = tmp_path / "out"
    checks = "numbers,names,length,empty"
    assert run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length,anchors", "--checks", checks, "-q").exit_code == 0
    before = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    path = {"output folder": out, "alignments.jsonl": out / "alignments.jsonl", "dataset": out / "dataset"}[target]
    result = run("check", str(path), "--checks", checks, "--json")
    assert result.exit_code == 0, result.output
    after = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["flags"], r["score"]) for r in after] == [(r["flags"], r["score"]) for r in before]
    assert any("names differ" in r["flags"] for r in before)  # the check has something to move
    assert load_from_disk(str(out / "dataset")).features["translation"].languages == ["tr", "en"]
