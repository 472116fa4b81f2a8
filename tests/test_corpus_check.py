"""`aligner check` on parallel corpora people hold: TSV, Moses, JSONL, saved Hugging Face datasets."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.corpus import Keep, check_corpus, open_corpus, read_pairs

runner = CliRunner()
CHECKS = ["--checks", "numbers,names,length,language,untranslated,empty"]

TR = [
    "Bakanlık 2019 yılında 45 yeni okul açtı.",
    "Erdoğan dün Ankara'da konuştu.",
    "Toplantı üç saat sürdü.",
    "Fiyatlar yüzde 12 arttı.",
    "Belediye yeni bir park yaptı.",
    "Yağmur bütün gün yağdı.",
]
EN = [
    "The ministry opened 45 new schools in 2019.",
    "Erdoğan spoke in Ankara yesterday.",
    "The meeting lasted three hours.",
    "Prices rose by 17 percent.",  # a number changed
    "Belediye yeni bir park yaptı.",  # untranslated
    "It rained all day.",
]
BAD = {3, 4}


def _run(*arguments: str) -> dict:
    result = runner.invoke(app, ["check", *arguments, *CHECKS, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _flagged(scores: list[float], flags: list[list[str]]) -> set[int]:
    assert all(0.0 < s <= 1.0 for s in scores)
    return {k for k, f in enumerate(flags) if f}


def test_tsv_in_place_then_to_another_file_then_filtered(tmp_path: Path) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{s}\t{t}\tsource-{k}\n" for k, (s, t) in enumerate(zip(TR, EN))), encoding="utf-8")
    summary = _run(str(tsv), "-s", "tr", "-t", "en")
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert [len(row) for row in rows] == [6] * 6 and [row[2] for row in rows] == [f"source-{k}" for k in range(6)]
    assert _flagged([float(r[3]) for r in rows], [r[4].split("; ") if r[4] else [] for r in rows]) == BAD
    assert summary["check_summary"]["flagged"] == 2 and summary["check_summary"]["flags"]["numbers differ"] == 1
    assert json.loads(rows[0][5])["numbers"] == 1.0
    # checked again: the earlier results are replaced, not added to
    _run(str(tsv), "-s", "tr", "-t", "en")
    assert [len(line.split("\t")) for line in tsv.read_text(encoding="utf-8").splitlines()] == [6] * 6
    before = tsv.read_bytes()
    _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "clean.tsv"), "--keep", "clean")
    assert tsv.read_bytes() == before
    kept = [line.split("\t")[0] for line in (tmp_path / "clean.tsv").read_text(encoding="utf-8").splitlines()]
    assert kept == [s for k, s in enumerate(TR) if k not in BAD]
    _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "scored.tsv"), "--min-score", "0.99")
    scores = [float(line.split("\t")[3]) for line in (tmp_path / "scored.tsv").read_text(encoding="utf-8").splitlines()]
    assert scores and all(s >= 0.99 for s in scores) and len(scores) < 6


def test_a_tsv_row_of_empty_cells_is_a_pair_flagged_empty_and_a_blank_line_is_skipped(tmp_path: Path) -> None:
    """A row whose cells are empty was left out of what was written back, silently ("wrote 176
    of 176 pairs" for 200 rows), so the output was no longer row for row with the input, as a
    Moses pair's blank lines are. It is a pair now, flagged empty; a blank line is no row."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(f"{TR[0]}\t{EN[0]}\n\t\n\n{TR[2]}\t{EN[2]}\n", encoding="utf-8")
    summary = _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.tsv"))
    rows = [line.split("\t") for line in (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()]
    assert [row[0] for row in rows] == [TR[0], "", TR[2]] and rows[1][3] == "empty or punctuation only"
    assert summary["check_summary"]["beads"] == 3 and summary["check_summary"]["flags"] == {"empty or punctuation only": 1}


def test_tsv_with_named_columns(tmp_path: Path) -> None:
    tsv = tmp_path / "named.tsv"
    tsv.write_text("id\ten_text\ttr_text\n" + "".join(f"{k}\t{t}\t{s}\n" for k, (s, t) in enumerate(zip(TR, EN))), encoding="utf-8")
    _run(str(tsv), "-s", "tr", "-t", "en", "--src-field", "tr_text", "--tgt-field", "en_text")
    lines = tsv.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\ten_text\ttr_text\tscore\tflags\tchecks"
    assert {k for k, line in enumerate(lines[1:]) if line.split("\t")[4]} == BAD
    _run(str(tsv), "-s", "tr", "-t", "en", "--src-field", "tr_text", "--tgt-field", "en_text")  # again: same columns
    assert tsv.read_text(encoding="utf-8").splitlines()[0] == "id\ten_text\ttr_text\tscore\tflags\tchecks"


def test_a_headerless_tsv_whose_pair_is_not_its_first_two_columns_is_named_by_column_numbers(tmp_path: Path) -> None:
    """ParaCrawl's TSVs open with two URLs, CCMatrix's with a score: the URLs were checked as the
    pair, silently. Now that is a one-line error, and --src-field 3 --tgt-field 4 names the
    columns of a TSV without a header."""
    tsv = tmp_path / "paracrawl.tsv"
    tsv.write_text(
        "".join(f"https://tr.example/{k}\thttps://en.example/{k}\t{s}\t{t}\n" for k, (s, t) in enumerate(zip(TR, EN))), encoding="utf-8"
    )
    before = tsv.read_bytes()
    result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and result.output.startswith(f"error: {tsv}:1: column 1 of 4 is a URL, not a sentence")
    assert tsv.read_bytes() == before
    _run(str(tsv), "-s", "tr", "-t", "en", "--src-field", "3", "--tgt-field", "4")
    _run(str(tsv), "-s", "tr", "-t", "en", "--src-field", "3", "--tgt-field", "4")  # again: the results replaced
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert [len(row) for row in rows] == [7] * 6 and {k for k, row in enumerate(rows) if row[5]} == BAD
    scored = tmp_path / "ccmatrix.tsv"
    scored.write_text("".join(f"1.0{k}\t{s}\t{t}\n" for k, (s, t) in enumerate(zip(TR, EN))), encoding="utf-8")
    result = runner.invoke(app, ["check", str(scored), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and "column 1 of 3 is a number, not a sentence" in result.output
    result = runner.invoke(app, ["check", str(scored), "-s", "tr", "-t", "en", "--src-field", "0", "--tgt-field", "2", *CHECKS])
    assert result.exit_code == 2 and "two different column numbers, counted from 1" in result.output


def test_a_tab_inside_a_sentence_of_a_headerless_tsv_is_an_error_not_a_sentence_cut_short(tmp_path: Path) -> None:
    """A row with more columns than the first lost the text after its extra tab, silently."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(f"{TR[0]}\t{EN[0]}\n{TR[1]}\tErdoğan spoke\tin Ankara yesterday.\n{TR[2]}\t{EN[2]}\t\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", *CHECKS])
    assert (
        result.exit_code == 2 and result.output.strip() == f"error: {tsv}:2: 3 columns where the first row has 2: a tab inside a sentence?"
    )
    # a header: the pair after the tab was checked ("Erdoğan spoke" / "in Ankara yesterday.") and its target dropped
    tsv.write_text(f"id\ttr\ten\n1\t{TR[0]}\t{EN[0]}\n2\tErdoğan dün\tAnkara'da konuştu.\t{EN[1]}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and result.output.strip() == f"error: {tsv}:3: 4 columns where the header has 3: a tab inside a sentence?"
    # columns named by number: the same
    tsv.write_text(f"1\t{TR[0]}\t{EN[0]}\n2\t{TR[1]}\tErdoğan spoke\tin Ankara.\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", "--src-field", "2", "--tgt-field", "3", *CHECKS])
    assert (
        result.exit_code == 2 and result.output.strip() == f"error: {tsv}:2: 4 columns where the first row has 3: a tab inside a sentence?"
    )


def test_a_csv_with_quoted_cells(tmp_path: Path) -> None:
    """A CSV (quoted cells holding commas, quotes and line breaks) was "not a parallel corpus"."""
    import csv

    rows = [["id", "tr", "en"], *([str(k), s, t] for k, (s, t) in enumerate(zip(TR, EN)))]
    rows[1][2] = 'The ministry, it said, opened "45" new\nschools in 2019.'
    table = tmp_path / "pairs.csv"
    with table.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    assert _run(str(table), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.csv"))["check_summary"]["flagged"] == 2
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as stream:
        checked = list(csv.reader(stream))
    assert checked[0] == ["id", "tr", "en", "score", "flags", "checks"] and [row[:3] for row in checked] == rows
    assert {k for k, row in enumerate(checked[1:]) if row[4]} == BAD and json.loads(checked[1][5])["numbers"] == 1.0
    _run(str(tmp_path / "out.csv"), "-s", "tr", "-t", "en", "--keep", "clean")  # checked again: its results replaced
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as stream:
        assert [len(row) for row in csv.reader(stream)] == [6] * 5
    (tmp_path / "bad.csv").write_text("Bir,One\nİki,Two,three\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "bad.csv"), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and result.output.strip().endswith(
        "bad.csv:2: 3 columns where the first row has 2: a comma outside quotes?"
    )


def test_a_tsv_cell_longer_than_csvs_limit_is_read(tmp_path: Path) -> None:
    """A cell over 128 KiB (a crawled page's line) stopped `check` with csv's traceback."""
    tsv = tmp_path / "long.tsv"
    tsv.write_text(f"{'Çok uzun bir cümle. ' * 8000}\tA very long sentence.\n{TR[0]}\t{EN[0]}\n", encoding="utf-8")
    summary = _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.tsv"))
    assert summary["check_summary"]["beads"] == 2 and summary["check_summary"]["flagged"] == 1  # the lengths differ


def test_a_tsv_row_short_of_a_column_is_written_with_its_results_in_their_columns(tmp_path: Path) -> None:
    """A row without the last, optional cell had its score written in that cell's column."""
    for text, columns in (
        (f"{TR[0]}\t{EN[0]}\tnote\n{TR[1]}\t{EN[1]}\n", 3),
        (f"tr\ten\tnote\n{TR[0]}\t{EN[0]}\tnote\n{TR[1]}\t{EN[1]}\n", 3),
    ):
        tsv, out = tmp_path / "pairs.tsv", tmp_path / "out.tsv"
        tsv.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", "-o", str(out), *CHECKS])
        assert result.exit_code == 0, result.output
        rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
        assert {len(row) for row in rows} == {columns + 3}
        assert rows[-1][:columns] == [TR[1], EN[1], ""] and float(rows[-1][columns]) > 0.5
        assert isinstance(json.loads(rows[-1][-1]), dict)


def test_a_corpus_in_a_legacy_encoding_is_read_as_such_and_written_as_utf8(tmp_path: Path) -> None:
    """`aligner align` read a Turkish file in cp1254; `aligner check` stopped at "not UTF-8 text".
    A TSV's and a Moses pair's encoding is now detected (or named with --encoding), and a Moses
    pair's decoding error names the file it is in (it named the other one)."""
    tsv = tmp_path / "legacy.tsv"
    tsv.write_bytes("".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)).encode("cp1254"))
    summary = _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.tsv"))
    rows = [line.split("\t") for line in (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()]
    assert [row[0] for row in rows] == TR and {k for k, row in enumerate(rows) if row[3]} == BAD
    assert summary["check_summary"]["flagged"] == 2
    (tmp_path / "c.tr").write_bytes("\n".join(TR).encode("iso-8859-9") + b"\n")
    (tmp_path / "c.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    _run(str(tmp_path / "c.tr"), str(tmp_path / "c.en"), "-o", str(tmp_path / "clean"), "--keep", "clean")
    assert (tmp_path / "clean.tr").read_text(encoding="utf-8").splitlines() == [s for k, s in enumerate(TR) if k not in BAD]
    moses = [str(tmp_path / "c.tr"), str(tmp_path / "c.en")]
    result = runner.invoke(app, ["check", *moses, "--encoding", "utf-8", *CHECKS])
    assert (
        result.exit_code == 2
        and result.output.strip() == f"error: {moses[0]}: not utf-8 text throughout: name its encoding with --encoding"
    )
    result = runner.invoke(app, ["check", *moses, "--encoding", "klingon", *CHECKS])
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.output
    jsonl = tmp_path / "plain.jsonl"
    jsonl.write_text(json.dumps({"translation": {"tr": TR[0], "en": EN[0]}}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(jsonl), "-s", "tr", "-t", "en", "--encoding", "cp1254", *CHECKS])
    assert result.exit_code == 2 and "--encoding is for a TSV or a Moses pair" in result.output


@pytest.mark.parametrize("names", ["src\ttgt", "tr\ten", "Source\tTarget"])
def test_a_tsv_header_row_is_read_as_a_header_not_checked_as_a_pair(tmp_path: Path, names: str) -> None:
    """A header row ("src", "tgt" or the two languages' codes) was checked as a pair and written
    back with a score, and kept or dropped with the pairs by --keep clean."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(f"{names}\n" + "".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)), encoding="utf-8")
    summary = _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "clean.tsv"), "--keep", "clean")
    assert summary["check_summary"]["beads"] == 6
    lines = (tmp_path / "clean.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{names}\tscore\tflags\tchecks"
    assert [line.split("\t")[0] for line in lines[1:]] == [s for k, s in enumerate(TR) if k not in BAD]


def test_a_tsv_header_names_the_pair_among_other_columns_and_its_languages(tmp_path: Path) -> None:
    """A header "id, src_text, tgt_text" was read as a pair ("id" the source), and every row's id
    checked against its source sentence ("numbers differ"); a header "en, tr" with -s tr -t en
    took its first column as the source; a header of two language codes did not say them."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("id\tsrc_text\ttgt_text\n" + "".join(f"{k}\t{s}\t{t}\n" for k, (s, t) in enumerate(zip(TR, EN))), encoding="utf-8")
    summary = _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.tsv"))
    assert summary["check_summary"]["beads"] == 6 and summary["check_summary"]["flagged"] == 2
    rows = [line.split("\t") for line in (tmp_path / "out.tsv").read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["id", "src_text", "tgt_text", "score", "flags", "checks"] and {k for k, r in enumerate(rows[1:]) if r[4]} == BAD
    swapped = tmp_path / "swapped.tsv"
    swapped.write_text("en\ttr\n" + "".join(f"{t}\t{s}\n" for s, t in zip(TR, EN)), encoding="utf-8")
    for languages in (["-s", "tr", "-t", "en"], ["-t", "en"], ["-s", "tr"]):  # the columns by their names
        summary = _run(str(swapped), *languages, "-o", str(tmp_path / "out.tsv"))
        assert summary["check_summary"]["flagged"] == 2
    neither = runner.invoke(app, ["check", str(swapped), *CHECKS])
    assert neither.exit_code == 2 and "its header names en and tr: say which is the source" in neither.output
    # columns of each row's languages ("tr", "en" on every row) are data, not a header
    coded = tmp_path / "coded.tsv"
    coded.write_text("".join(f"{s}\t{t}\ttr\ten\n" for s, t in zip(TR, EN)), encoding="utf-8")
    summary = _run(str(coded), "-s", "tr", "-t", "en", "-o", str(tmp_path / "coded.out.tsv"))
    assert summary["check_summary"]["beads"] == 6 and summary["check_summary"]["flagged"] == 2


def test_a_corpus_with_its_sides_in_each_others_languages_is_a_one_line_error(tmp_path: Path) -> None:
    """English in the source column and Turkish in the target one, checked as tr-en: every pair
    was flagged "wrong language" and nothing said why."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{t}\t{s}\n" for s, t in zip(TR * 3, EN * 3)), encoding="utf-8")
    before = tsv.read_bytes()
    result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "its source side reads as English and its target side as Turkish: swap the languages" in " ".join(result.output.split())
    assert tsv.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["pairs.tsv"]


def test_moses_pair(tmp_path: Path) -> None:
    (tmp_path / "corpus.tr").write_text("\n".join(TR) + "\n", encoding="utf-8")
    (tmp_path / "corpus.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    summary = _run(str(tmp_path / "corpus.tr"), str(tmp_path / "corpus.en"))  # languages from the file names
    assert summary["output"] == [str(tmp_path / "corpus.checks.tsv")]
    results = [line.split("\t") for line in (tmp_path / "corpus.checks.tsv").read_text(encoding="utf-8").splitlines()]
    assert {k for k, r in enumerate(results) if r[1]} == BAD
    # one path with -s/-t finds its sibling; --keep clean writes the pair filtered, in place
    _run(str(tmp_path / "corpus.en"), "-s", "tr", "-t", "en", "--keep", "clean")
    assert (tmp_path / "corpus.tr").read_text(encoding="utf-8").splitlines() == [s for k, s in enumerate(TR) if k not in BAD]
    assert len((tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()) == 4
    # -o names the pair's common name, with or without one side's extension, compressed or not
    pair = [str(tmp_path / "corpus.tr"), str(tmp_path / "corpus.en")]
    for out, written in (("clean", "clean.tr clean.en"), ("clean.en", "clean.tr clean.en"), ("packed.tr.gz", "packed.tr.gz packed.en.gz")):
        summary = _run(*pair, "-o", str(tmp_path / out))
        expected = [str(tmp_path / name) for name in written.split()] + [str(tmp_path / f"{written.split('.')[0]}.checks.tsv")]
        assert summary["output"] == expected
    result = runner.invoke(app, ["check", *pair, "-o", str(tmp_path / "clean.jsonl")])
    assert result.exit_code == 2 and "a Moses pair is checked into a Moses pair" in result.output
    assert not list(tmp_path.glob("clean.jsonl*"))
    (tmp_path / "short.tr").write_text("bir\niki\n", encoding="utf-8")
    (tmp_path / "short.en").write_text("one\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path / "short.tr"), str(tmp_path / "short.en")])
    assert result.exit_code == 2 and "not line-parallel" in result.output


def test_gzip_compressed_corpora_are_read_and_written_compressed(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "corpus.tr.gz").write_bytes(gzip.compress(("\n".join(TR) + "\n").encode("utf-8")))
    (tmp_path / "corpus.en.gz").write_bytes(gzip.compress(("\n".join(EN) + "\n").encode("utf-8")))
    summary = _run(str(tmp_path / "corpus.en.gz"), "-s", "tr", "-t", "en", "--keep", "clean")  # the sibling found, in place
    assert summary["output"] == [str(tmp_path / f"corpus.{side}.gz") for side in ("tr", "en")] + [str(tmp_path / "corpus.checks.tsv")]
    kept = gzip.decompress((tmp_path / "corpus.tr.gz").read_bytes()).decode("utf-8").splitlines()
    assert kept == [s for k, s in enumerate(TR) if k not in BAD]
    tsv = tmp_path / "pairs.tsv.gz"
    tsv.write_bytes(gzip.compress("".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)).encode("utf-8")))
    for name in ("a.tsv.gz", "b.tsv.gz"):
        _run(str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / name))
    rows = [line.split("\t") for line in gzip.decompress((tmp_path / "a.tsv.gz").read_bytes()).decode("utf-8").splitlines()]
    assert {k for k, row in enumerate(rows) if row[3]} == BAD
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()  # no time or name in the header
    (tmp_path / "cut.tsv.gz").write_bytes(tsv.read_bytes()[:30])
    result = runner.invoke(app, ["check", str(tmp_path / "cut.tsv.gz"), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and result.output.strip() == f"error: {tmp_path / 'cut.tsv.gz'}: a damaged gzip file"


def _tmx(units: list[tuple[str, str]], source: str = "tr-TR", target: str = "en-GB") -> str:
    """A TMX of the given segments (XML already: inline codes may stand in them)."""
    body = "".join(
        f'<tu tuid="{k}"><prop type="client">bianet</prop><tuv xml:lang="{source}"><seg>{s}</seg></tuv>'
        f'<tuv xml:lang="{target}"><seg>{t}</seg></tuv></tu>\n'
        for k, (s, t) in enumerate(units)
    )
    header = f'<header creationtool="x" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="{source}" o-tmf="x"/>'
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">{header}<body>\n{body}</body></tmx>\n'


def test_tmx_translation_memory(tmp_path: Path) -> None:
    from xml.etree import ElementTree
    from xml.sax.saxutils import escape

    tmx = tmp_path / "memory.tmx"
    units = [(escape(s), escape(t)) for s, t in zip(TR, EN)]
    units[1] = ("Erdoğan dün <bpt i='1'>&lt;b&gt;</bpt>Ankara'da<ept i='1'>&lt;/b&gt;</ept> konuştu.", escape(EN[1]))  # inline codes
    tmx.write_text(_tmx(units), encoding="utf-8")
    corpus = open_corpus([tmx], None, None)
    assert (corpus.src_lang, corpus.tgt_lang) == ("tr", "en")
    # one language given, the other from the file (it asked for both)
    assert [(c.src_lang, c.tgt_lang) for c in (open_corpus([tmx], None, "en"), open_corpus([tmx], "tr", None))] == [("tr", "en")] * 2
    assert (open_corpus([tmx], "en", None).tgt_lang, open_corpus([tmx], None, "tr").src_lang) == ("tr", "en")
    assert [pair.src for _, pair in read_pairs(corpus)][1] == "Erdoğan dün Ankara'da konuştu."  # the codes' "<b>" left out
    summary = _run(str(tmx))  # languages from the header and the first unit ("tr-TR", "en-GB")
    assert summary["output"] == [str(tmx)]
    root = ElementTree.parse(tmx).getroot()
    assert root.find("header").get("srclang") == "tr-TR"
    results = [{prop.get("type"): prop.text or "" for prop in unit.findall("prop")} for unit in root.iter("tu")]
    assert {k for k, r in enumerate(results) if r["x-aligner-flags"]} == BAD
    assert all(r["client"] == "bianet" for r in results)
    assert '<bpt i="1">&lt;b&gt;</bpt>' in tmx.read_text(encoding="utf-8")  # the unit written back as it was
    _run(str(tmx))  # checked again: the results replaced, not added to
    assert [len(unit.findall("prop")) for unit in ElementTree.parse(tmx).getroot().iter("tu")] == [4] * 6
    _run(str(tmx), "-s", "tr", "-t", "en", "-o", str(tmp_path / "clean.tmx"), "--keep", "clean")
    kept = [unit.get("tuid") for unit in ElementTree.parse(tmp_path / "clean.tmx").getroot().iter("tu")]
    assert kept == [str(k) for k in range(6) if k not in BAD]
    # a unit without one of the two languages (a memory of several) is kept and flagged, not dropped
    (tmp_path / "three.tmx").write_text(_tmx(units[:2]).replace('xml:lang="en-GB"', 'xml:lang="de-DE"', 1), encoding="utf-8")
    _run(str(tmp_path / "three.tmx"), "-s", "tr", "-t", "en")
    flags = [
        {p.get("type"): p.text for p in unit.findall("prop")}["x-aligner-flags"]
        for unit in ElementTree.parse(tmp_path / "three.tmx").getroot().iter("tu")
    ]
    assert len(flags) == 2 and flags[0] and not flags[1]


def test_jsonl_translation_records_and_named_fields(tmp_path: Path) -> None:
    plain = tmp_path / "plain.jsonl"
    plain.write_text(
        "".join(json.dumps({"id": k, "translation": {"tr": s, "en": t}}) + "\n" for k, (s, t) in enumerate(zip(TR, EN))), encoding="utf-8"
    )
    _run(str(plain), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.jsonl"))
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == list(range(6)) and {k for k, r in enumerate(records) if r["flags"]} == BAD
    assert "score" not in plain.read_text(encoding="utf-8")  # the input is left as it was
    # one language given, the other is the records' other key; neither: the two keys named
    assert _run(str(plain), "-t", "en", "-o", str(tmp_path / "one.jsonl"))["check_summary"]["flagged"] == 2
    neither = runner.invoke(app, ["check", str(plain), *CHECKS])
    assert neither.exit_code == 2 and "its records translate between tr and en: say which is the source" in neither.output
    _run(str(plain), "-s", "tr", "-t", "en", "--min-score", "0.5")
    assert len(plain.read_text(encoding="utf-8").splitlines()) == 4
    fields = tmp_path / "fields.jsonl"
    fields.write_text("".join(json.dumps({"src": s, "tgt": t}) + "\n" for s, t in zip(TR, EN)), encoding="utf-8")
    _run(str(fields), "-s", "tr", "-t", "en", "--src-field", "src", "--tgt-field", "tgt")
    assert all("checks" in json.loads(line) for line in fields.read_text(encoding="utf-8").splitlines())
    # fields that name the pair, as a TSV header does, need no --src-field/--tgt-field
    for source, target in (("source", "target"), ("en", "tr")):
        named = tmp_path / f"{source}.jsonl"
        named.write_text("".join(json.dumps({"id": 7, target: t, source: s}) + "\n" for s, t in zip(EN, TR)), encoding="utf-8")
        checked = _run(str(named), "-s", "en", "-t", "tr", "-o", str(tmp_path / "named.jsonl"))
        assert checked["check_summary"]["flagged"] == 2, checked


def test_saved_hugging_face_dataset(tmp_path: Path) -> None:
    from datasets import Dataset, DatasetDict, Features, Translation, Value, load_from_disk

    features = Features({"translation": Translation(languages=["tr", "en"]), "id": Value("int64")})
    rows = {"translation": [{"tr": s, "en": t} for s, t in zip(TR, EN)], "id": list(range(6))}
    DatasetDict({"train": Dataset.from_dict(rows, features=features)}).save_to_disk(str(tmp_path / "ds"))
    summary = _run(str(tmp_path / "ds"))  # languages from the Translation feature
    assert summary["check_summary"]["flagged"] == 2
    checked = load_from_disk(str(tmp_path / "ds"))["train"]
    assert checked.features["translation"].languages == ["tr", "en"] and checked["id"] == list(range(6))
    assert {k for k, f in enumerate(checked["flags"]) if f} == BAD and checked[0]["checks"]["numbers"] == 1.0
    _run(str(tmp_path / "ds"), "-o", str(tmp_path / "clean"), "--keep", "clean")
    assert load_from_disk(str(tmp_path / "clean"))["train"]["id"] == [0, 1, 2, 5]
    assert load_from_disk(str(tmp_path / "ds"))["train"].num_rows == 6


def test_a_dataset_whose_pair_is_two_text_columns(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A dataset of "src"/"tgt" (or "tr"/"en") text columns, as many on the hub are, was "no
    'translation' column"; it is read as a TSV header's columns are, and written back as it was."""
    from datasets import Dataset, load_dataset, load_from_disk

    Dataset.from_dict({"id": list(range(6)), "src": TR, "tgt": EN}).save_to_disk(str(tmp_path / "plain"))
    capfd.readouterr()
    result = runner.invoke(app, ["check", str(tmp_path / "plain"), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out"), *CHECKS, "-q"])
    assert result.exit_code == 0 and result.output == "", result.output
    assert capfd.readouterr().err == ""  # the library's bars ("Saving the dataset") said nothing under --quiet
    checked = load_from_disk(str(tmp_path / "out"))
    assert checked["id"] == list(range(6)) and checked["src"] == TR and {k for k, f in enumerate(checked["flags"]) if f} == BAD
    no_languages = runner.invoke(app, ["check", str(tmp_path / "plain"), *CHECKS])
    assert no_languages.exit_code == 2 and "does not say its languages: give --src-lang and --tgt-lang" in no_languages.output
    # columns named by the languages say them (one is enough), as a hub dataset of Parquet with a card
    (tmp_path / "hub" / "data").mkdir(parents=True)
    Dataset.from_dict({"en": EN, "tr": TR}).to_parquet(str(tmp_path / "hub" / "data" / "train-00000-of-00001.parquet"))
    (tmp_path / "hub" / "README.md").write_text("---\nlicense: cc-by-4.0\n---\n", encoding="utf-8")
    assert _run(str(tmp_path / "hub"), "-s", "tr")["check_summary"]["flagged"] == 2
    assert load_dataset(str(tmp_path / "hub"), split="train")["flags"][3] == ["numbers differ"]
    named = runner.invoke(app, ["check", str(tmp_path / "plain"), "-s", "tr", "-t", "en", "--src-field", "src", "--tgt-field", "text"])
    assert named.exit_code == 2 and "no text column 'text' (its text columns: src, tgt)" in named.output


def test_a_parquet_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Parquet file, of a Translation column or of two text columns, checked a batch of rows at a
    time and written back as Parquet that datasets opens with its features."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import Dataset, Features, Translation, Value, load_dataset

    import aligner.corpus

    monkeypatch.setattr(aligner.corpus, "PARQUET_BATCH", 4)  # two batches: rows written as they come
    features = Features({"translation": Translation(languages=["tr", "en"]), "id": Value("int64")})
    rows = {"translation": [{"tr": s, "en": t} for s, t in zip(TR, EN)], "id": list(range(6))}
    Dataset.from_dict(rows, features=features).to_parquet(str(tmp_path / "pairs.parquet"))
    before = (tmp_path / "pairs.parquet").read_bytes()
    assert _run(str(tmp_path / "pairs.parquet"), "-o", str(tmp_path / "out.parquet"))["check_summary"]["flagged"] == 2
    # one language given is enough: the Translation's other is the other ("does not say its languages" before)
    assert _run(str(tmp_path / "pairs.parquet"), "-t", "en", "-o", str(tmp_path / "one.parquet"))["check_summary"]["flagged"] == 2
    assert (tmp_path / "pairs.parquet").read_bytes() == before
    checked = load_dataset("parquet", data_files=str(tmp_path / "out.parquet"), split="train")
    assert checked.features["translation"].languages == ["tr", "en"] and checked["id"] == list(range(6))
    assert {k for k, f in enumerate(checked["flags"]) if f} == BAD and checked[0]["checks"]["numbers"] == 1.0
    # checked again in place: its results replaced, not doubled; then filtered
    _run(str(tmp_path / "out.parquet"))
    assert pq.read_schema(tmp_path / "out.parquet").names == ["translation", "id", "score", "flags", "checks"]
    _run(str(tmp_path / "out.parquet"), "--keep", "clean")
    assert pq.read_table(tmp_path / "out.parquet").column("id").to_pylist() == [0, 1, 2, 5]
    # two text columns, the pair named as a TSV header names it
    pq.write_table(pa.table({"n": list(range(6)), "source": TR, "target": EN}), tmp_path / "plain.parquet")
    assert _run(str(tmp_path / "plain.parquet"), "-s", "tr", "-t", "en", "--min-score", "0.5")["check_summary"]["flagged"] == 2
    assert pq.read_table(tmp_path / "plain.parquet").column("n").to_pylist() == [0, 1, 2, 5]
    # columns named by the options (a Parquet file was read as a TSV when --src-field was given)
    named = _run(str(tmp_path / "plain.parquet"), "-s", "tr", "-t", "en", "--src-field", "source", "--tgt-field", "target")
    assert named["check_summary"]["beads"] == 4
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    result = runner.invoke(app, ["check", str(tmp_path / "bad.parquet"), "-s", "tr", "-t", "en", *CHECKS])
    assert result.exit_code == 2 and result.output.startswith(f"error: {tmp_path / 'bad.parquet'}: not a Parquet file")


def test_corpora_that_label_their_languages_with_tags(tmp_path: Path) -> None:
    """JSONL records and a dataset's Translation feature keyed "tr-TR" and "en-US" (as exports
    write them) are read by their languages, and written back with their own keys."""
    from datasets import Dataset, Features, Translation, load_from_disk

    records = [{"translation": {"tr-TR": s, "en_US": t}} for s, t in zip(TR, EN)]
    tagged = tmp_path / "tagged.jsonl"
    tagged.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    _run(str(tagged), "-s", "tr", "-t", "en-US")
    checked = [json.loads(line) for line in tagged.read_text(encoding="utf-8").splitlines()]
    assert [r["translation"] for r in checked] == [r["translation"] for r in records]
    assert {k for k, r in enumerate(checked) if r["flags"]} == BAD
    header = tmp_path / "tagged.tsv"  # a header of tags is a header, not a pair
    header.write_text("tr-TR\ten-US\n" + "".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)), encoding="utf-8")
    assert _run(str(header), "-s", "tr", "-t", "en")["check_summary"]["beads"] == 6
    assert header.read_text(encoding="utf-8").splitlines()[0] == "tr-TR\ten-US\tscore\tflags\tchecks"
    features = Features({"translation": Translation(languages=["tr-TR", "en-US"])})
    Dataset.from_dict({"translation": [{"tr-TR": s, "en-US": t} for s, t in zip(TR, EN)]}, features=features).save_to_disk(
        str(tmp_path / "ds")
    )
    assert _run(str(tmp_path / "ds"))["check_summary"]["flagged"] == 2
    assert load_from_disk(str(tmp_path / "ds")).features["translation"].languages == ["tr-TR", "en-US"]
    features = Features({"translation": Translation(languages=["en-US", "en-GB"])})
    Dataset.from_dict({"translation": [{"en-US": t, "en-GB": t} for t in EN]}, features=features).save_to_disk(str(tmp_path / "one"))
    result = runner.invoke(app, ["check", str(tmp_path / "one")])
    assert result.exit_code == 2 and "en-US and en-GB are one language" in result.output


def test_pairs_held_in_memory_are_checked_from_python() -> None:
    from aligner.check import CheckConfig
    from aligner.errors import ConfigError
    from aligner.recheck import check_pairs

    report = check_pairs(TR, EN, "tr", "en", CheckConfig.from_names("numbers,untranslated"))
    assert _flagged(report.scores, report.flags) == BAD and report.used == ["numbers", "untranslated"]
    everything = check_pairs(TR, EN, "tr", "en")  # the default checks; those needing a model skipped, and said
    assert _flagged(everything.scores, everything.flags) == BAD and "forced_decoding" in everything.skipped
    with pytest.raises(ConfigError, match="6 source and 5 target sentences: pair k is src"):
        check_pairs(TR, EN[:5], "tr", "en")
    with pytest.raises(ConfigError, match="unknown language code"):
        check_pairs(TR, EN, "tr", "xx")


def test_streams_in_chunks_with_the_same_result(tmp_path: Path) -> None:
    """Chunks are checked one by one (the batch statistics are per chunk), written as they come."""
    tsv = tmp_path / "many.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in zip(TR * 5, EN * 5)), encoding="utf-8")
    corpus = open_corpus([tsv], "tr", "en")
    sizes: list[int] = []

    def check(src: list[str], tgt: list[str], translated: list[str] | None):  # type: ignore[no-untyped-def]
        from aligner.check import CheckConfig, PairBatch, run_checks
        from aligner.models import SharedModels

        sizes.append(len(src))
        return run_checks(
            PairBatch(src, tgt, "tr", "en"), ["1-1"] * len(src), CheckConfig.from_names("numbers,untranslated"), SharedModels()
        )

    summary = check_corpus(corpus, check, tmp_path / "out.tsv", Keep(clean=True), chunk=6)
    assert sizes == [6] * 5 and summary.pairs == 30 and summary.kept == 20 and summary.flagged == 10


@pytest.mark.parametrize(
    ("files", "arguments", "message"),
    [
        ({"p.tsv": "a\tb\n"}, [], "give --src-lang and --tgt-lang"),
        ({"p.jsonl": '{"text": "a"}\n'}, ["-s", "tr", "-t", "en"], 'p.jsonl:1: expected "translation"'),
        ({"p.xlsx": "a,b\n"}, ["-s", "tr", "-t", "en"], "not a parallel corpus aligner knows"),
        ({"p.tsv": "only one column\n"}, ["-s", "tr", "-t", "en"], "p.tsv:1: 1 column(s), expected at least 2"),
        ({"p.tsv": "a\tb\n"}, ["-s", "tr", "-t", "en", "--src-field", "x", "--tgt-field", "y"], "no column 'x', 'y'"),
        ({"p.tsv": "a\tb\n"}, ["-s", "tr", "-t", "en", "--keep", "some"], "--keep must be one of all, clean"),
        ({"p.tsv": ""}, ["-s", "tr", "-t", "en"], "holds no pairs"),
        ({"d/x.txt": ""}, [], "not an aligner output"),
        ({"p.tmx": "<tmx><body><tu>"}, ["-s", "tr", "-t", "en"], "p.tmx: not valid XML"),
        ({"p.tmx": "<html><body/></html>"}, ["-s", "tr", "-t", "en"], "p.tmx: not a TMX file (its root is <html>, not <tmx>)"),
        ({"p.tmx": "<tmx><header srclang='*all*'/><body/></tmx>"}, [], "give --src-lang and --tgt-lang"),
        # two corpora are no Moses pair: each line was checked against the other file's line
        ({"a.tsv": "a\tb\n", "b.tsv": "c\td\n"}, ["-s", "tr", "-t", "en"], "a.tsv: is a TSV, a corpus of its own, not one side"),
        ({"a.csv": "a,b\n", "b.csv": "c,d\n"}, ["-s", "tr", "-t", "en"], "a.csv: is a CSV, a corpus of its own, not one side"),
        ({"a.tr": "a\n", "b.jsonl": "{}\n"}, ["-s", "tr", "-t", "en"], "b.jsonl: is a JSONL, a corpus of its own, not one side"),
        # fields of a format that has none were left unread, silently
        ({"a.tr": "a\n", "a.en": "b\n"}, ["--src-field", "x", "--tgt-field", "y"], "a Moses pair has neither"),
        ({"p.tmx": "<tmx/>"}, ["-s", "tr", "-t", "en", "--src-field", "x", "--tgt-field", "y"], "a TMX has neither"),
    ],
)
def test_bad_inputs_are_one_line_and_write_nothing(tmp_path: Path, files: dict[str, str], arguments: list[str], message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    targets = [str(tmp_path / name) for name in dict.fromkeys(name.split("/")[0] for name in files)]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = runner.invoke(app, ["check", *targets, *arguments, *CHECKS])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_tsv_piped_in_is_checked_and_written_to_stdout(tmp_path: Path) -> None:
    """`zcat pairs.tsv.gz | aligner check - -s tr -t en > checked.tsv`, as filters are used."""
    text = "".join(f"{s}\t{t}\n" for s, t in zip(TR, EN))
    piped = runner.invoke(app, ["check", "-", "-s", "tr", "-t", "en", *CHECKS], input=text.encode("utf-8"))
    assert piped.exit_code == 0, piped.output
    rows = [line.split("\t") for line in piped.stdout.splitlines()]
    assert [row[:2] for row in rows] == [[s, t] for s, t in zip(TR, EN)] and {k for k, row in enumerate(rows) if row[3]} == BAD
    assert "wrote 6 of 6 pairs to stdout" in piped.stderr and "checks:" not in piped.stdout  # the summary on stderr
    # compressed, filtered, to a file; the summary as JSON
    filtered = runner.invoke(
        app,
        ["check", "-", "-s", "tr", "-t", "en", *CHECKS, "--keep", "clean", "-o", str(tmp_path / "clean.tsv"), "--json"],
        input=gzip.compress(text.encode("utf-8")),
    )
    assert filtered.exit_code == 0 and json.loads(filtered.stdout)["check_summary"]["written"] == 4
    assert len((tmp_path / "clean.tsv").read_text(encoding="utf-8").splitlines()) == 4
    bad = runner.invoke(app, ["check", "-", "-s", "tr", "-t", "en", *CHECKS], input=b"one column\n")
    assert bad.exit_code == 2 and bad.stderr.strip() == "error: stdin:1: 1 column(s), expected at least 2 (tab-separated)"
    # a JSONL piped in, compressed, is told by its opening "{"
    records = "".join(json.dumps({"translation": {"tr": s, "en": t}}) + "\n" for s, t in zip(TR, EN))
    piped = runner.invoke(app, ["check", "-", "-s", "tr", "-t", "en", *CHECKS, "-q"], input=gzip.compress(records.encode("utf-8")))
    assert piped.exit_code == 0 and {k for k, line in enumerate(piped.stdout.splitlines()) if json.loads(line)["flags"]} == BAD
    # nothing piped in: the run would have waited for the keyboard
    from aligner.corpus import standard_streams
    from aligner.errors import ConfigError

    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(ConfigError, match="stdin is a terminal: pipe a corpus in"), standard_streams([Path("-")], None, Terminal()):
        pass
    # `-o -`: a file's checked corpus to stdout (a file named "-" was written, and said to be stdout)
    (tmp_path / "pairs.jsonl").write_text(
        "".join(json.dumps({"translation": {"tr": s, "en": t}}) + "\n" for s, t in zip(TR, EN)), encoding="utf-8"
    )
    printed = runner.invoke(app, ["check", str(tmp_path / "pairs.jsonl"), "-s", "tr", "-t", "en", *CHECKS, "-o", "-", "-q"])
    assert printed.exit_code == 0 and {k for k, line in enumerate(printed.stdout.splitlines()) if json.loads(line)["flags"]} == BAD
    assert not Path("-").exists() and "score" not in (tmp_path / "pairs.jsonl").read_text(encoding="utf-8")
    Path(tmp_path / "moses.tr").write_text("\n".join(TR) + "\n", encoding="utf-8")
    Path(tmp_path / "moses.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    moses = runner.invoke(app, ["check", str(tmp_path / "moses.tr"), str(tmp_path / "moses.en"), *CHECKS, "-o", "-"])
    assert moses.exit_code == 2 and "-o -: a TSV, a JSONL or a TMX is written to stdout, not a moses" in moses.output


def test_an_output_named_as_another_format_is_refused(tmp_path: Path) -> None:
    """`check pairs.tsv -o out.jsonl` wrote the TSV's lines into out.jsonl, silently."""
    (tmp_path / "pairs.tsv").write_text("".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)), encoding="utf-8")
    (tmp_path / "pairs.jsonl").write_text(
        "".join(json.dumps({"translation": {"tr": s, "en": t}}) + "\n" for s, t in zip(TR, EN)), encoding="utf-8"
    )
    for source, target, written in (
        ("pairs.tsv", "out.jsonl", "TSV"),
        ("pairs.jsonl", "out.tsv.gz", "JSONL"),
        ("pairs.tsv", "out.csv", "TSV"),
    ):
        result = runner.invoke(app, ["check", str(tmp_path / source), "-s", "tr", "-t", "en", "-o", str(tmp_path / target), *CHECKS])
        assert result.exit_code == 2 and f"the checked corpus is written in its own format, {written}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.jsonl", "pairs.tsv"]
    _run(str(tmp_path / "pairs.tsv"), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.txt"))  # a name of no format: as it is


def test_the_same_file_twice_is_no_moses_pair(tmp_path: Path) -> None:
    (tmp_path / "c.tr").write_text(TR[0] + "\n", encoding="utf-8")
    (tmp_path / "link.tr").symlink_to(tmp_path / "c.tr")
    for second in ("c.tr", "link.tr"):
        result = runner.invoke(app, ["check", str(tmp_path / "c.tr"), str(tmp_path / second), "-s", "tr", "-t", "en", *CHECKS])
        assert result.exit_code == 2 and "the two sides of a Moses pair are the same file" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.tr", "link.tr"]


def test_a_full_disk_is_a_one_line_error_and_leaves_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails (a full disk) while the checked corpus is written was an OSError
    traceback; the temporary file is still removed and the input untouched."""
    import errno
    import io

    import aligner.corpus

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)), encoding="utf-8")
    opened = aligner.corpus._text_writer

    def full_disk(raw, compressed):  # type: ignore[no-untyped-def]
        opened(raw, compressed).close()  # the temporary file is made, as on a real disk
        return FullDisk()

    monkeypatch.setattr(aligner.corpus, "_text_writer", full_disk)
    result = runner.invoke(app, ["check", str(tsv), "-s", "tr", "-t", "en", "-o", str(tmp_path / "out.tsv"), *CHECKS])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip() == f"error: {tmp_path / 'out.tsv'}: cannot be written: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.tsv"]


def test_machine_translations_given_as_a_file_drive_the_chrf_check(tmp_path: Path) -> None:
    """`--src-translation FILE`, one line a pair (a Moses pair's third file, MT from elsewhere):
    the chrF check runs without a MarianMT model; a pair whose MT matches another sentence is
    flagged by it; a file of another length is one error and nothing is written."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in zip(TR, EN)), encoding="utf-8")
    mt = [
        "The ministry opened 45 new schools in 2019.",
        "Erdoğan spoke yesterday in Ankara.",
        "The meeting took three hours.",
        "Prices rose by 12 percent.",
        "The municipality built a new park.",
        "A deal was signed for the new bridge over the river.",  # the MT of another sentence
    ]
    translations = tmp_path / "pairs.mt.gz"
    translations.write_bytes(gzip.compress(("\n".join(mt) + "\n").encode("utf-8")))
    out = tmp_path / "out.tsv"
    result = runner.invoke(
        app,
        [
            "check",
            str(tsv),
            "-s",
            "tr",
            "-t",
            "en",
            "--checks",
            "chrf,numbers",
            "--src-translation",
            str(translations),
            "-o",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["checks"] == ["chrf", "numbers"]
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    chrf = [json.loads(row[4])["chrf"] for row in rows]
    assert chrf[0] == 1.0 and min(chrf[:4]) > 0.3 and chrf[4] < 0.2 and chrf[5] < 0.2  # 4: the target is the source copied
    assert "MT of the source does not match the target" in rows[5][3] and not rows[0][3]
    translations.write_bytes(gzip.compress(("\n".join(mt[:4]) + "\n").encode("utf-8")))
    short = runner.invoke(
        app, ["check", str(tsv), "-s", "tr", "-t", "en", "--src-translation", str(translations), "-o", str(tmp_path / "x.tsv")]
    )
    assert (
        short.exit_code == 2
        and short.output.strip() == f"error: {translations}: has fewer lines than the corpus has pairs (it ends after line 4)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tsv", "pairs.mt.gz", "pairs.tsv"]
    # the sources themselves given as their translations: every pair was flagged, silently
    translations.write_bytes(gzip.compress(("\n".join(f"{s} {s}" for s in TR) + "\n").encode("utf-8")))  # 200 letters to tell
    wrong = runner.invoke(
        app, ["check", str(tsv), "-s", "tr", "-t", "en", "--src-translation", str(translations), "-o", str(tmp_path / "x.tsv")]
    )
    assert wrong.exit_code == 2 and f"{translations}: reads as Turkish, not English: translations into English are needed" in wrong.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tsv", "pairs.mt.gz", "pairs.tsv"]


def test_a_dataset_of_parquet_files_with_a_card_as_the_hub_holds_one(tmp_path: Path) -> None:
    """A dataset as the hub holds it (a card and Parquet files, no dataset_info.json) was "not an
    aligner output". It is read as datasets.load_dataset reads it, and written back so: one
    Parquet file a split (its old shards left out: the loader would read both), the card's
    features with the new columns, its other files kept."""
    from datasets import Dataset, Features, Translation, Value, load_dataset

    folder = tmp_path / "hub"
    (folder / "data").mkdir(parents=True)
    features = Features({"translation": Translation(languages=["tr", "en"]), "id": Value("int64")})
    rows = Dataset.from_dict({"translation": [{"tr": s, "en": t} for s, t in zip(TR, EN)], "id": list(range(6))}, features=features)
    for shard in range(2):  # two shards, as the hub writes large splits
        rows.select(range(shard * 3, shard * 3 + 3)).to_parquet(str(folder / "data" / f"train-0000{shard}-of-00002.parquet"))
    card = "dataset_info:\n  features:\n  - name: translation\n    dtype:\n      translation:\n        languages: [tr, en]\n"
    card += "  - name: id\n    dtype: int64\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n"
    (folder / "README.md").write_text(f"---\n{card}---\n# News pairs\n", encoding="utf-8")
    (folder / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    summary = _run(str(folder), "-o", str(tmp_path / "out"))  # languages from the Translation feature
    assert summary["check_summary"]["flagged"] == 2
    checked = load_dataset(str(tmp_path / "out"))["train"]
    assert checked["id"] == list(range(6)) and {k for k, f in enumerate(checked["flags"]) if f} == BAD
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()) == [
        "LICENSE",
        "README.md",
        "data/train-00000-of-00001.parquet",
    ]
    assert (tmp_path / "out" / "README.md").read_text(encoding="utf-8").endswith("---\n# News pairs\n")
    _run(str(folder), "--keep", "clean")  # in place, twice: the results replaced, the rows not doubled
    _run(str(folder))
    assert load_dataset(str(folder))["train"]["id"] == [0, 1, 2, 5]
    assert sorted(p.name for p in (folder / "data").iterdir()) == ["train-00000-of-00001.parquet"]
