from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from aligner.cli import app

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


BOOK_EN = """It was late in the evening when the president met with
Putin in the small palace by the sea, and the two men
talked for hours about the war. Later that night, the
President said that I would be welcome to join them in
Moscow the following spring. Nobody believed him.

The next morning the weather had changed completely. A
cold wind came down from the mountains, and the fisher-
men stayed in the harbour all day long.
"""
BOOK_DE = """Es war spät am Abend, als der Präsident sich mit Putin in
dem kleinen Palast am Meer traf, und die beiden Männer
sprachen stundenlang über den Krieg. Später in jener Nacht
sagte der Präsident, ich sei im folgenden Frühjahr in Mos-
kau willkommen. Niemand glaubte ihm.

Am nächsten Morgen hatte sich das Wetter völlig geändert.
Ein kalter Wind kam von den Bergen herab, und die Fischer
blieben den ganzen Tag im Hafen.
"""


def test_a_book_wrapped_at_a_width_aligns_sentence_by_sentence(tmp_path: Path) -> None:
    """Two hard-wrapped book texts, lines broken before names, nouns and "I" and words hyphenated
    at line ends: each sentence is whole and aligned one to one ("... met with" / "Putin in ..."
    were two sentences, "Mos- kau" two words)."""
    (tmp_path / "book.en").write_text(BOOK_EN, encoding="utf-8")
    (tmp_path / "book.de").write_text(BOOK_DE, encoding="utf-8")
    out = tmp_path / "out"
    result = run("align", str(tmp_path / "book.en"), str(tmp_path / "book.de"), "-s", "en", "-t", "de", "-o", str(out), "--device", "cpu")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["bead"] for r in records] == ["1-1"] * 5
    assert records[0]["translation"]["en"].startswith("It was late in the evening when the president met with Putin in the small")
    assert "in Moskau willkommen" in records[1]["translation"]["de"]
    assert "the fisher-men stayed" in records[4]["translation"]["en"]  # kept: "fishermen" is nowhere else in the text


def test_align_through_a_real_marian_model(tmp_path: Path, tiny_marian: Path) -> None:
    out = tmp_path / "out"
    args = ["align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--model", str(tiny_marian), "--scorer", "mt,length"]
    result = run(*args, "--json", "--device", "cpu")  # the CPU's default precision (float16 on CUDA)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["translation"] == f"tr→en: MarianMT {tiny_marian} (ct2 int8)" and summary["signals"] == ["mt", "length"]
    records = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(len(r["src_idx"]) for r in records) == 15 and sum(len(r["tgt_idx"]) for r in records) == 14
    assert all("mt" in r["scores"] for r in records if r["src_idx"] and r["tgt_idx"])
    first = (out / "alignments.jsonl").read_bytes()
    assert (
        run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--model", str(tiny_marian), "--scorer", "mt,length", "-q").exit_code
        == 0
    )
    assert (out / "alignments.jsonl").read_bytes() == first  # deterministic, and the cache gives the same


def test_translation_file(tmp_path: Path) -> None:
    translations = tmp_path / "mt.txt"
    translations.write_text("\n".join(f"line {k}" for k in range(15)) + "\n", encoding="utf-8")
    result = run(
        "align",
        TR,
        EN,
        "-s",
        "tr",
        "-t",
        "en",
        "-o",
        str(tmp_path / "out"),
        "--src-translation",
        str(translations),
        "--scorer",
        "mt,length",
    )
    assert result.exit_code == 0, result.output
    assert f"translation: tr→en: file {translations}" in result.stdout


def test_a_translation_file_in_the_wrong_language_is_said(tmp_path: Path) -> None:
    """The source document given as its own translation (or the other direction's file) flagged
    every pair through the chrf check, silently: an error. A third language: a warning."""
    from aligner.pipeline import AlignConfig, load_sentences

    source = load_sentences(Path(TR), "tr", AlignConfig("tr", "en"))
    translations = tmp_path / "mt.txt"
    translations.write_text("\n".join(source) + "\n", encoding="utf-8")
    arguments = ["align", TR, EN, "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"), "--src-translation", str(translations)]
    result = run(*arguments)
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert result.output.strip() == (
        f"error: {translations}: reads as Turkish, not English: translations into English are needed "
        "(is it the document itself, or the other direction's translation?)"
    )
    german = "Die Regierung hat heute in der Hauptstadt eine neue Vereinbarung über den Handel unterzeichnet."
    translations.write_text("\n".join([german] * len(source)) + "\n", encoding="utf-8")
    result = run(*arguments)
    assert result.exit_code == 0 and "".join(f"{translations} reads as German, not English".split()) in "".join(result.output.split())


def test_a_translation_that_keeps_the_blank_lines_of_a_presegmented_document_lines_up(tmp_path: Path) -> None:
    """One sentence a line, paragraphs apart: the reader drops the blank lines, and a translation
    made line by line keeps them. It was refused ("has 5 lines but the source has 4 sentences");
    it now lines up, and one that lacks a line is still refused."""
    (tmp_path / "doc.tr").write_text("Bakan dün konuştu.\nHava çok soğuktu.\n\nÇocuklar okula gitti.\nOkul kapalıydı.\n", encoding="utf-8")
    (tmp_path / "doc.en").write_text(
        "The minister spoke yesterday.\nThe weather was very cold.\n\nThe children went to school.\nThe school was closed.\n",
        encoding="utf-8",
    )
    mt = tmp_path / "mt.en"
    mt.write_text("The minister talked yesterday.\nIt was very cold.\n\nThe kids went to school.\nThe school was shut.\n", encoding="utf-8")
    args = [
        "align",
        str(tmp_path / "doc.tr"),
        str(tmp_path / "doc.en"),
        "-s",
        "tr",
        "-t",
        "en",
        "--presegmented",
        "--scorer",
        "mt,length",
        "--json",
    ]
    result = run(*args, "-o", str(tmp_path / "out"), "--src-translation", str(mt))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["beads"] == {"1-1": 4}
    mt.write_text("The minister talked yesterday.\n\n\nThe kids went to school.\nThe school was shut.\n", encoding="utf-8")
    result = run(*args, "-o", str(tmp_path / "out2"), "--src-translation", str(mt))
    assert result.exit_code == 2 and "has 5 lines but the source has 4 sentences" in result.output


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
    args = [
        "align",
        TR,
        EN,
        "-s",
        "tr",
        "-t",
        "en",
        "-o",
        str(out),
        "--model",
        str(tiny_marian),
        "--tgt-translation",
        str(reverse),
        "--scorer",
        "mt",
        "--json",
        "--device",
        "cpu",
    ]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["translation"] == f"tr→en: MarianMT {tiny_marian} (ct2 int8); en→tr: file {reverse}"
    run_info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_info["translator_keys"][0].startswith("ct2-int8:local:") and run_info["translator_keys"][1].startswith("file:")


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


@pytest.mark.parametrize(
    "case", ["missing", "empty", "binary", "undecodable", "language", "translation count", "format", "scorer", "model folder"]
)
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


def test_paths_and_messages_with_square_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    """Square brackets are text, not console markup: "[x]" was dropped from messages, and an
    output folder named "o[/]x" ended in a MarkupError traceback after writing."""
    out = tmp_path / "o[/]x"
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length,anchors")
    assert result.exit_code == 0, result.output
    assert f"wrote {out}/" in result.stdout
    bad = tmp_path / "[draft] gold.txt"
    bad.write_text("[0]:[x]\n", encoding="utf-8")
    result = run("eval", str(bad), str(out))
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {bad}:1: not a Vecalign bead like [1, 2]:[3]: '[0]:[x]'"


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
        (["check", "nowhere"], "no such file or folder"),
        (["check", "nowhere.jsonl", "-s", "tr", "-t", "en"], "no such file or folder"),  # was a FileNotFoundError traceback
        (["check", GOLD], "give --src-lang and --tgt-lang"),  # read as a TSV: it does not say its languages
        (["check", GOLD, "-s", "tr", "-t", "en"], "1 column(s), expected at least 2"),
        (["check", ".", "--checks", "magic"], "unknown check magic"),
        (["check", ".", "--checks", "none"], "nothing to do"),
        (["check", ".", "--src-translation", "mt.txt"], "--src-translation and the field options are for parallel corpora"),
    ],
)
def test_check_bad_input(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


UNTRIED_LANGUAGES = {
    # language: (English, the same in that language), two sentences each plus a number, so that
    # the anchors and length signals have something to go on
    "is": ("The museum opened in 1998. It has 4,500 visitors a year.", "Safnið var opnað árið 1998. Þangað koma 4.500 gestir á ári."),
    "ga": (
        "The museum opened in 1998. It has 4,500 visitors a year.",
        "Osclaíodh an músaem i 1998. Tagann 4,500 cuairteoir ann gach bliain.",
    ),
    "eu": ("The museum opened in 1998. It has 4,500 visitors a year.", "Museoa 1998an ireki zen. Urtean 4.500 bisitari ditu."),
    "ast": ("The museum opened in 1998. It has 4,500 visitors a year.", "El muséu abrió en 1998. Tien 4.500 visitantes al añu."),
}


@pytest.mark.parametrize("language", sorted(UNTRIED_LANGUAGES))
def test_languages_outside_the_tried_list_align(tmp_path: Path, language: str) -> None:
    english, other = UNTRIED_LANGUAGES[language]
    (tmp_path / "doc.en").write_text(english + "\n", encoding="utf-8")
    (tmp_path / f"doc.{language}").write_text(other + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "align",
        str(tmp_path / "doc.en"),
        str(tmp_path / f"doc.{language}"),
        "-s",
        "en",
        "-t",
        language,
        "-o",
        str(out),
        "--scorer",
        "length,anchors",
    )
    assert result.exit_code == 0, result.output
    assert "has no tailored rules here; using segmenter" in result.output  # said once, naming the fallbacks
    assert result.output.count("has no tailored rules") == 1
    records = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["src_idx"], r["tgt_idx"]) for r in records] == [([0], [0]), ([1], [1])]
    assert set(records[0]["translation"]) == {"en", language}


@pytest.mark.parametrize(
    "code, expected",
    [("IS", "is"), ("isl", "is"), ("ice", "is"), ("deu", "de"), ("ast", "ast"), ("pt-BR", "pt"), ("zh_Hant", "zh"), ("sr-Latn-RS", "sr")],
)
def test_language_codes_normalise_to_iso_639_1(code: str, expected: str, caplog: pytest.LogCaptureFixture) -> None:
    """A language tag with a region or script ("pt-BR", as datasets and translation memories
    write them) is its language, and says so; it used to be an unknown language code."""
    from aligner.languages import _tag_read_as, check_language

    _tag_read_as.cache_clear()  # said once a process: here, once a case
    assert check_language(code) == expected
    assert (f"language {code!r} read as {expected!r}" in caplog.text) == ("-" in code or "_" in code)


def test_two_folders_given_to_align_point_to_pair_and_build(tmp_path: Path) -> None:
    (tmp_path / "tr").mkdir()
    (tmp_path / "en").mkdir()
    result = run("align", str(tmp_path / "tr"), str(tmp_path / "en"), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "Traceback" not in result.output and not (tmp_path / "out").exists()
    assert "is a folder, not a document" in result.output and "aligner pair" in result.output and "aligner build" in result.output


@pytest.mark.parametrize("code", ["xx", "english", "e1", "qqq", "", "xx-YY", "en-", "en-US-x"])
def test_codes_that_are_not_languages_are_one_line_errors(tmp_path: Path, code: str) -> None:
    result = run("align", TR, EN, "-s", "tr", "-t", code, "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "unknown language code" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_load_dataset_opens_an_align_output_and_sees_it_rewritten(tmp_path: Path) -> None:
    """`datasets.load_dataset(OUT)` failed on an `aligner align` output (it took run.json for
    data); with a card naming the dataset it opens it, with its Translation feature, and after
    `aligner check OUT` rewrote it, gives the new rows and columns, not those it cached."""
    from datasets import Translation, load_dataset, load_from_disk

    out = tmp_path / "out"
    result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length,anchors", "--checks", "numbers,length")
    assert result.exit_code == 0, result.output
    first = load_dataset(str(out), split="train")
    assert first.features["translation"] == Translation(languages=["tr", "en"])
    assert first.to_list() == load_from_disk(str(out / "dataset")).to_list() and len(first) == 14
    strict = tmp_path / "strict.yaml"
    strict.write_text("checks: {numbers: {}, length: {threshold: 0.999}}\n", encoding="utf-8")
    for checks in (["--check-config", str(strict)], ["--checks", "empty"]):  # the same columns, then others
        result = run("check", str(out), *checks)
        assert result.exit_code == 0, result.output
        again = load_dataset(str(out), split="train")
        assert again.to_list() == load_from_disk(str(out / "dataset")).to_list() != first.to_list()
    assert set(again.features["checks"]) == {"empty"}


def test_documents_given_in_each_others_languages_are_a_one_line_error_and_a_wrong_language_a_warning(tmp_path: Path) -> None:
    """The English seed given as the Turkish source and the Turkish as the English target was
    aligned, every pair flagged "wrong language", and the corpus labelled each side with the
    other's language. A document that reads as another language than given is aligned, with a
    warning naming it."""
    result = run("align", EN, TR, "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "Traceback" not in result.output and not (tmp_path / "out").exists()
    assert "reads as English" in result.output and "swap --src-lang and --tgt-lang" in result.output
    copy = tmp_path / "copy.en.txt"  # the same text in another file: the same file is refused
    copy.write_bytes(Path(EN).read_bytes())
    result = run("align", str(copy), EN, "-s", "de", "-t", "en", "-o", str(tmp_path / "out"), "--scorer", "length,anchors")
    said = "".join(result.output.split())  # the log's lines are wrapped anywhere
    assert result.exit_code == 0 and "".join(f"{copy} reads as English, not German (--src-lang)".split()) in said


@pytest.mark.parametrize("target", ["output folder", "alignments.jsonl", "dataset"])
def test_check_keeps_source_and_target_order(tmp_path: Path, target: str) -> None:
    """Issue 11, item 1: tr→en has its target code sorting first; `check` must not swap the sides."""
    from datasets import load_from_disk

    out = tmp_path / "out"
    checks = "numbers,names,length,empty"
    assert (
        run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length,anchors", "--checks", checks, "-q").exit_code == 0
    )
    before = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    path = {"output folder": out, "alignments.jsonl": out / "alignments.jsonl", "dataset": out / "dataset"}[target]
    result = run("check", str(path), "--checks", checks, "--json")
    assert result.exit_code == 0, result.output
    after = [json.loads(line) for line in (out / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["flags"], r["score"]) for r in after] == [(r["flags"], r["score"]) for r in before]
    assert any("names differ" in r["flags"] for r in before)  # the check has something to move
    assert load_from_disk(str(out / "dataset")).features["translation"].languages == ["tr", "en"]


def test_the_same_file_on_both_sides_is_refused(tmp_path: Path) -> None:
    """The same file given as source and target aligned into pairs all flagged "untranslated"."""
    (tmp_path / "link.txt").symlink_to(EN)
    for target in (EN, str(tmp_path / "link.txt")):
        result = run("align", EN, target, "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"))
        assert result.exit_code == 2 and "the source and the target are the same file" in result.output
        assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_fifo_input_is_refused(tmp_path: Path) -> None:
    """Issue 11, item 3: a FIFO hung forever; every reader refuses what is not a regular file."""
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = str(tmp_path / "out")
    cases = [
        ["align", str(fifo), EN, "-s", "tr", "-t", "en", "-o", out],
        ["align", TR, str(fifo), "-s", "tr", "-t", "en", "-o", out],
        ["align", TR, EN, "-s", "tr", "-t", "en", "-o", out, "--src-translation", str(fifo), "--scorer", "mt,length"],
        ["eval", str(fifo), GOLD],
    ]
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"doc_id\tsrc\ttgt\na\t{fifo}\t{EN}\n", encoding="utf-8")
    folders = tmp_path / "tr", tmp_path / "en"
    for folder in folders:
        folder.mkdir()
    os.mkfifo(folders[0] / "1.txt")
    (folders[1] / "1.txt").write_text("Hello.\n", encoding="utf-8")
    cases += [
        ["build", "--manifest", str(manifest), "-s", "tr", "-t", "en", "-o", out],
        ["build", "--manifest", str(fifo), "-s", "tr", "-t", "en", "-o", out],
        ["build", "--src-dir", str(folders[0]), "--tgt-dir", str(folders[1]), "-s", "tr", "-t", "en", "-o", out],
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code != 0, args
        assert "is a FIFO (named pipe), not a regular file" in result.output, (args, result.output)
        assert "Traceback" not in result.output and not Path(out).exists()


def test_options_are_validated_before_any_work(tmp_path: Path) -> None:
    """Issue 11, item 10: comma lists for --format, every option checked before alignment, one
    rule for named models, devices checked, help text not cut."""
    out = tmp_path / "out"
    base = ["align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length,anchors", "--checks", "none"]
    result = run(*base, "--format", "tmx,tsv", "-f", "moses")
    assert result.exit_code == 0, result.output
    assert {"corpus.tr-en.tmx", "corpus.tr-en.tsv", "corpus.tr-en.tr", "corpus.tr-en.en"} <= {p.name for p in out.iterdir()}
    translations = tmp_path / "mt.txt"
    translations.write_text("x\n" * 15, encoding="utf-8")
    bad = {
        "unknown format 'xml'": ["--format", "tmx,xml"],
        "translations were given but the mt signal is not in --scorer": ["--src-translation", str(translations)],
        "unknown device 'tpu'": ["--device", "tpu"],
    }
    for message, extra in bad.items():
        result = run(*[a for a in base if a != str(out)][:8], str(tmp_path / "new"), *base[9:], *extra)
        assert result.exit_code == 2 and message in result.output, (extra, result.output)
        assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "new").exists()
    # a named model that cannot be loaded is an error (exit 3), as a named embedding model is
    for flag in (["--model", str(tmp_path / "nowhere")], ["--embedding-model", str(tmp_path / "nowhere")]):
        result = run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(tmp_path / "new"), *flag)
        assert result.exit_code == 3, (flag, result.output)
    helped = runner.invoke(app, ["align", "--help"], terminal_width=80)
    assert "--src-translation <path>" in helped.output and "jsonl" in helped.output  # whole, not "--src-translat…"


def test_version() -> None:
    from aligner import __version__

    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.output == f"aligner {__version__}\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"src_idx": [0], "tgt_idx": [0], "bead": "1-1", "translation": {"tr": "a"}}', "translation must hold a tr and a en text"),
        (
            '{"src_idx": [0], "tgt_idx": [0], "bead": "1-1", "translation": {"tr": "a", "en": "b", "de": "c"}}',
            "translation must hold a tr and a en text",
        ),
        (
            '{"src_idx": [0], "tgt_idx": [0], "bead": "1-1", "translation": {"tr": null, "en": "b"}}',
            "translation must hold a tr and a en text",
        ),
        ("5", "not a JSON object"),
        ("null", "not a JSON object"),
        ('{"src_idx": "0", "tgt_idx": [0], "bead": "1-1", "translation": {"tr": "a", "en": "b"}}', "src_idx is not a list"),
        ('{"tgt_idx": [0], "bead": "1-1", "translation": {"tr": "a", "en": "b"}}', "missing src_idx"),
    ],
)
def test_check_refuses_malformed_records_before_writing(tmp_path: Path, line: str, message: str) -> None:
    """Issue 11, item 5: malformed records gave tracebacks, some after alignments.jsonl was
    rewritten; a blank line shifted the reported line number."""
    out = tmp_path / "out"
    assert run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length", "--checks", "length", "-q").exit_code == 0
    jsonl = out / "alignments.jsonl"
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    broken = "\n".join(lines[:2] + [""] + [line] + lines[2:]) + "\n"  # a blank line, then the bad record on line 4
    jsonl.write_text(broken, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (out / "dataset").iterdir()}
    result = run("check", str(out), "--checks", "length")
    assert result.exit_code == 2 and f"alignments.jsonl:4: not an alignment record ({message}" in result.output, result.output
    assert "Traceback" not in result.output
    assert jsonl.read_text(encoding="utf-8") == broken and {p.name: p.read_bytes() for p in (out / "dataset").iterdir()} == before


def test_check_fills_in_what_old_records_lack(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("align", TR, EN, "-s", "tr", "-t", "en", "-o", str(out), "--scorer", "length", "--checks", "length", "-q").exit_code == 0
    jsonl = out / "alignments.jsonl"
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    bare = [{k: r[k] for k in ("src_idx", "tgt_idx", "bead", "translation")} for r in records]
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in bare), encoding="utf-8")
    result = run("check", str(out), "--checks", "length", "--json")
    assert result.exit_code == 0, result.output
    after = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert [r["flags"] for r in after] == [r["flags"] for r in records] and all(r["scores"] == {} for r in after)


def test_output_folder_ownership(tmp_path: Path) -> None:
    """Issue 11, item 6: writing into an existing folder deleted the user's files and kept stale
    outputs of an earlier run. Now: a non-empty folder no aligner run wrote is refused; in an
    aligner output only the aligner's files are replaced, and the ones it no longer writes go."""
    base = ["align", TR, EN, "-s", "tr", "-t", "en", "--scorer", "length", "--checks", "length", "-q"]
    users = tmp_path / "users"
    users.mkdir()
    (users / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run(*base, "-o", str(users))
    assert result.exit_code == 2 and "is not empty and is not an aligner output" in result.output
    assert sorted(p.name for p in users.iterdir()) == ["notes.txt"]
    out = tmp_path / "out"
    assert run(*base, "-o", str(out), "-f", "tmx,tsv").exit_code == 0
    (out / "dataset" / "mine.txt").write_text("mine\n", encoding="utf-8")
    (out / "mine.csv").write_text("a,b\n", encoding="utf-8")
    assert run(*base, "-o", str(out), "-f", "moses").exit_code == 0
    names = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert {"dataset/mine.txt", "mine.csv", "corpus.tr-en.tr", "corpus.tr-en.en", "alignments.jsonl", "run.json"} <= names
    assert not {"corpus.tr-en.tmx", "corpus.tr-en.tsv"} & names  # the earlier run's, no longer written


def test_output_path_errors_are_one_line_and_leave_the_folder_as_it_was(tmp_path: Path) -> None:
    """Issue 11, item 4: -o under a file, a read-only parent or output folder gave tracebacks; a
    failure while moving the new files in left the folder half new."""
    import os
    import stat

    base = ["align", TR, EN, "-s", "tr", "-t", "en", "--scorer", "length", "--checks", "length", "-q"]
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    result = run(*base, "-o", str(a_file / "out"))
    assert result.exit_code == 2 and "is a file" in result.output and "Traceback" not in result.output
    out = tmp_path / "out"
    assert run(*base, "-o", str(out)).exit_code == 0
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    for locked in (tmp_path, out / "dataset"):
        mode = locked.stat().st_mode
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            result = run(*base, "-s", "tr", "-o", str(out), "-f", "tsv")
        finally:
            locked.chmod(mode)
        assert result.exit_code == 2 and "cannot be written" in result.output and "Traceback" not in result.output, result.output
        assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_unreachable_hub_fails_fast_and_says_it_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11, item 9: without HF_HUB_OFFLINE an unreachable hub cost ~47 s of retries and its
    reason was printed three times. One short probe, then the run behaves as offline."""
    import time

    import aligner.translate

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setattr(aligner.translate, "_hub_reachable", None)
    started = time.monotonic()
    result = run(
        "align", TR, EN, "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"), "--scorer", "auto", "--checks", "forced_decoding,chrf,length"
    )
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 60
    assert result.output.count("is not in the local Hugging Face cache and cannot be downloaded now (offline)") == 1
    assert "  skipped chrf, forced_decoding: no MT model (see translation above)" in result.output


def test_progress_reports_every_stage(tmp_path: Path, tiny_marian: Path) -> None:
    """Issue 11, item 8: `align` showed nothing for minutes and `build` sat at 0/20 inside a model
    batch. Every stage reports its units: reading, translating, encoding, aligning, checking; a
    build's model calls report inside a chunk of documents."""
    from aligner.build import BuildOptions, build_corpus, read_manifest
    from aligner.pipeline import AlignConfig, run_align

    def recorder(seen: list[list]):  # type: ignore[no-untyped-def]
        def factory(description: str, total: int):  # type: ignore[no-untyped-def]
            row = [description, total, 0]
            seen.append(row)
            return lambda k: row.__setitem__(2, row[2] + k)

        return factory

    seen: list[list] = []
    config = AlignConfig("tr", "en", model=str(tiny_marian), checks=None)
    run_align(TR, EN, config, progress=recorder(seen))
    assert [row[0] for row in seen] == ["reading", "translating tr→en", "encoding", "aligning", "checking"]
    assert all(done == total > 0 for _, total, done in seen)
    manifest = tmp_path / "pairs.tsv"
    manifest.write_text(f"doc_id\tsrc\ttgt\na\t{TR}\t{EN}\nb\t{TR}\t{EN}\n", encoding="utf-8")
    seen = []
    build_corpus(
        read_manifest(manifest), tmp_path / "out", AlignConfig("tr", "en", checks=None), BuildOptions(stage_progress=recorder(seen))
    )
    assert seen and seen[0][0] == "encoding" and seen[0][1] == seen[0][2] > 20  # both documents' sentences in one call


def test_mt_backend_is_chosen_and_recorded(tmp_path: Path, tiny_marian: Path) -> None:
    common = ["align", TR, EN, "-s", "tr", "-t", "en", "--model", str(tiny_marian), "--scorer", "mt,length", "--checks", "none", "--json"]
    common += ["--device", "cpu"]
    result = run(*common, "-o", str(tmp_path / "hf"), "--mt-backend", "transformers", "--batch-tokens", "64")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["translation"] == f"tr→en: MarianMT {tiny_marian} (transformers)"
    assert json.loads((tmp_path / "hf" / "run.json").read_text(encoding="utf-8"))["translator_keys"][0].startswith("marian:")
    result = run(*common, "-o", str(tmp_path / "f32"), "--compute-type", "float32")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["translation"].endswith("(ct2 float32)")
    for flags, message in (
        (["--mt-backend", "marian"], "--mt-backend must be one of ct2, transformers"),
        (["--mt-backend", "transformers", "--compute-type", "int8"], "--compute-type is for --mt-backend ct2"),
    ):
        bad = run(*common, "-o", str(tmp_path / "bad"), *flags)
        assert bad.exit_code == 2 and message in bad.output and not (tmp_path / "bad").exists()


def _missing_devices() -> list[str]:
    import torch

    return ["cuda:99", "gpu"] + ([] if torch.backends.mps.is_available() else ["mps"])


@pytest.mark.parametrize("device", _missing_devices())
def test_a_device_this_machine_lacks_is_one_line(tmp_path: Path, device: str) -> None:
    """``--device cuda`` where torch sees no CUDA device failed deep in the first model call, with
    a traceback; every command that takes --device now says so before reading anything."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("Merhaba dünya.\tHello world.\n", encoding="utf-8")
    for args in (
        ["align", TR, EN, "-s", "tr", "-t", "en", "-o", str(tmp_path / "out")],
        ["check", str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "checked.tsv")],
    ):
        result = run(*args, "--device", device)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert (f"unknown device {device!r}" if device == "gpu" else f"--device {device}:") in result.output
        assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "out").exists() and not (tmp_path / "checked.tsv").exists()


def test_a_default_mt_backend_that_cannot_run_gives_way_to_transformers(
    tmp_path: Path, tiny_marian: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CTranslate2 built for another CUDA than the machine's (4.x wants CUDA 12's cuBLAS; torch's
    cu130 wheels bring CUDA 13's) failed at the first sentence. Here CTranslate2 is made to fail
    as it does where its CUDA runtime is too new for the driver: the default backend gives way to
    transformers with a warning; the backend asked for by name is one line, exit 3."""
    ctranslate2 = pytest.importorskip("ctranslate2")

    def no_runtime(device: str) -> set[str]:
        raise RuntimeError("CUDA failed with error CUDA driver version is insufficient for CUDA runtime version")

    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", no_runtime)
    common = ["align", TR, EN, "-s", "tr", "-t", "en", "--model", str(tiny_marian), "--scorer", "mt,length", "--checks", "none"]
    result = run(*common, "-o", str(tmp_path / "default"), "--json", "--device", "cpu")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["translation"] == f"tr→en: MarianMT {tiny_marian} (transformers)"
    assert "cannot run on cpu here" in result.output and "translating with transformers instead" in result.output
    named = run(*common, "-o", str(tmp_path / "named"), "--mt-backend", "ct2", "--device", "cpu")
    assert named.exit_code == 3 and "Traceback" not in named.output and not (tmp_path / "named").exists()
    assert "CTranslate2" in named.output and "use --mt-backend transformers" in named.output


def _page(text_file: str, language: str) -> str:
    """The seed document as a news site's page: its paragraphs amid a menu, a script and a footer."""
    from html import escape

    paragraphs = [line for line in Path(text_file).read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'><script>track('Anasayfa');</script></head><body>"
        "<nav><a href='/'>Anasayfa</a> <a href='/en'>English</a> <a href='/kadin'>Kadın</a></nav>"
        f"<main><article>{body}</article></main><footer>bianet · CC BY-NC 4.0</footer></body></html>"
    )


def test_web_pages_align_as_their_text_does(tmp_path: Path) -> None:
    (tmp_path / "tr.html").write_text(_page(TR, "tr"), encoding="utf-8")
    (tmp_path / "en.html").write_text(_page(EN, "en"), encoding="utf-8")
    beads = {}
    for name, (src, tgt) in {"text": (TR, EN), "html": (str(tmp_path / "tr.html"), str(tmp_path / "en.html"))}.items():
        result = run("align", src, tgt, "-s", "tr", "-t", "en", "-o", str(tmp_path / name), "--json", "--checks", "none")
        assert result.exit_code == 0, result.output
        lines = (tmp_path / name / "alignments.jsonl").read_text(encoding="utf-8").splitlines()
        beads[name] = [(r["src_idx"], r["tgt_idx"], r["translation"]) for r in map(json.loads, lines)]
    assert beads["html"] == beads["text"]
    assert all("Anasayfa" not in r[2]["tr"] and "CC BY" not in r[2]["en"] for r in beads["html"])
