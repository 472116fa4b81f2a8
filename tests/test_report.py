"""The HTML report, rendered in a real headless browser (Debian's chromium through Playwright),
and its plain-text fallback."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aligner.cli import app
from aligner.outputs import load_report
from aligner.pipeline import AlignConfig, load_sentences
from aligner.report import MAX_BEADS, Report, ReportDocument, render_html, render_text

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_TR = SEEDS / "bianet-erdogan-putin-sochi.tr.txt"
SEED_EN = SEEDS / "bianet-erdogan-putin-sochi.en.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed pair aligned as the README's first command does, with --report."""
    out = tmp_path_factory.mktemp("seed") / "out"
    result = runner.invoke(app, ["align", str(SEED_TR), str(SEED_EN), "-s", "tr", "-t", "en", "-o", str(out), "--report", "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of two documents (the seed, and its first half), built with --report."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "tr").mkdir()
    (root / "en").mkdir()
    shutil.copy(SEED_TR, root / "tr" / "whole.txt")
    shutil.copy(SEED_EN, root / "en" / "whole.txt")
    (root / "tr" / "half.txt").write_text("\n".join(SEED_TR.read_text(encoding="utf-8").splitlines()[:6]) + "\n", encoding="utf-8")
    (root / "en" / "half.txt").write_text("\n".join(SEED_EN.read_text(encoding="utf-8").splitlines()[:5]) + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "build",
            "--src-dir",
            str(root / "tr"),
            "--tgt-dir",
            str(root / "en"),
            "-s",
            "tr",
            "-t",
            "en",
            "-o",
            str(root / "corpus"),
            "--report",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    return root / "corpus"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no headless browser: install Debian's chromium (apt-get install chromium) to run the report's browser tests")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (the dev extra) to run the browser tests")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


class Page:
    """A report opened from disk, with every console error and every request it made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)

    def visible_rows(self) -> list[dict[str, Any]]:
        return self.page.eval_on_selector_all(
            "tr.bead",
            """rows => rows.filter(r => r.offsetParent !== null).map(r => ({
                classes: r.className, shape: r.querySelector('.shape').textContent,
                score: r.getAttribute('data-score'), flags: r.getAttribute('data-flags'), text: r.textContent}))""",
        )

    def set(self, selector: str, value: Any) -> None:
        if isinstance(value, bool):
            self.page.set_checked(selector, value)
        elif selector == "#reason":
            self.page.select_option(selector, value)
        else:
            self.page.fill(selector, value)

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [self.url], f"the page asked for more than itself: {self.requests}"
        self.page.close()


def _records(output: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (output / "alignments.jsonl").read_text(encoding="utf-8").splitlines()]


def test_seed_report_in_a_browser(seed_output: Path, browser: Any, tmp_path: Path) -> None:
    report = seed_output / "report.html"
    assert report.is_file() and json.loads((seed_output / ".aligner-outputs.json").read_text(encoding="utf-8")).count("report.html") == 1
    records = _records(seed_output)
    page = Page(browser, report)
    cells = page.page.eval_on_selector_all("td.text", "cells => cells.map(c => c.textContent)")
    for path, language in ((SEED_TR, "tr"), (SEED_EN, "en")):
        for sentence in load_sentences(path, language, AlignConfig("tr", "en")):
            assert sum(cell.count(sentence) for cell in cells) == 1, sentence
    rows = page.visible_rows()
    assert len(rows) == len(records) == 14
    [unaligned] = [row for row in rows if "unaligned" in row["classes"]]
    assert unaligned["shape"] == "1-0" and "flagged" in unaligned["classes"] and unaligned["flags"] == "unaligned source"
    flagged = [row for row in rows if "flagged" in row["classes"]]
    assert sorted(row["flags"] for row in flagged) == sorted("|".join(r["flags"]) for r in records if r["flags"])
    assert all(reason in row["text"] for row in flagged for reason in row["flags"].split("|"))
    # hovering the score shows each check's value
    title = page.page.get_attribute("tr.bead:nth-child(2) td.score", "title")
    assert title is not None and "checks: " in title and re.search(r"length \d\.\d{3}", title) and "signals: " in title
    # filters
    page.set("#only-flagged", True)
    assert {row["flags"] for row in page.visible_rows()} == {row["flags"] for row in flagged}
    page.set("#only-flagged", False)
    page.set("#reason", "names differ")
    assert [row["flags"] for row in page.visible_rows()] == ["a name looks swapped (embeddings)|names differ"]
    page.set("#reason", "")
    page.set("#only-unaligned", True)
    assert [row["shape"] for row in page.visible_rows()] == ["1-0"]
    page.set("#only-unaligned", False)
    page.set("#max-score", "0.5")
    shown = page.visible_rows()
    assert shown and all(float(row["score"]) <= 0.5 for row in shown)
    assert len(shown) == sum(1 for r in records if r["score"] <= 0.5)
    page.set("#max-score", "")
    page.set("#search", "CAATSA")
    assert [row["shape"] for row in page.visible_rows()] == ["1-2"]
    assert page.page.text_content("#visible") == "1 of 14 beads shown"
    page.set("#search", "")
    assert len(page.visible_rows()) == 14
    page.page.screenshot(path=str(tmp_path / "seed-report.png"), full_page=True)
    assert (tmp_path / "seed-report.png").stat().st_size > 10_000
    page.close()


def test_corpus_report_in_a_browser(small_corpus: Path, browser: Any, tmp_path: Path) -> None:
    report = small_corpus / "report.html"
    assert report.is_file()
    page = Page(browser, report)
    summary = page.page.eval_on_selector_all("table.figures tr", "rows => rows.map(r => r.textContent)")
    assert "documents2" in summary
    links = page.page.eval_on_selector_all("nav li a", "links => links.map(a => a.textContent)")
    assert sorted(links) == ["half", "whole"]
    flagged_counts = page.page.eval_on_selector_all("nav li .count", "c => c.map(x => parseInt(x.textContent))")
    assert flagged_counts == sorted(flagged_counts, reverse=True)  # most flagged first
    for chart in ("histogram", "shapes", "reasons"):
        assert page.page.query_selector(f"figure.{chart} svg rect") is not None
    sections = page.page.eval_on_selector_all("section.document h2", "h => h.map(x => x.firstChild.textContent.trim())")
    assert sections == links
    # both documents' sentences, each once per document
    cells = page.page.eval_on_selector_all("section.document td.text", "cells => cells.map(c => c.textContent)")
    for sentence in load_sentences(SEED_TR, "tr", AlignConfig("tr", "en")):
        assert sum(cell.count(sentence) for cell in cells) in (1, 2)  # in whole, and in half when it is in the first six lines
    page.set("#only-unaligned", True)
    hidden = page.page.eval_on_selector_all("section.document", "s => s.map(x => x.hidden)")
    assert all(row["shape"] in ("1-0", "0-1") for row in page.visible_rows())
    assert len(hidden) == 2
    page.page.screenshot(path=str(tmp_path / "corpus-report.png"), full_page=False)
    page.close()


def test_right_to_left_languages_are_shown_right_to_left(browser: Any, tmp_path: Path) -> None:
    record = {
        "bead": "1-1",
        "src_idx": [0],
        "tgt_idx": [0],
        "translation": {"ar": "مرحبا بالعالم", "en": "Hello world"},
        "score": 0.9,
        "flags": [],
    }
    report = Report("rtl", "ar", "en", [ReportDocument("rtl", [record])])
    (tmp_path / "rtl.html").write_text(render_html(report), encoding="utf-8")
    page = Page(browser, tmp_path / "rtl.html")
    directions = page.page.eval_on_selector_all("td.text", "cells => cells.map(c => getComputedStyle(c).direction)")
    assert directions == ["rtl", "ltr"]
    page.close()


def test_report_command_writes_beside_the_output_and_text_prints_the_worst(seed_output: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(seed_output), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == (seed_output / "report.html").read_text(encoding="utf-8")
    text = runner.invoke(app, ["report", str(seed_output), "--text", "--worst", "2"])
    assert text.exit_code == 0, text.output
    heads = [line for line in text.stdout.splitlines() if line and not line.startswith("  ")]
    assert len(heads) == 2 and all("flags:" in head for head in heads)  # the two flagged beads come first
    assert "1-0  tr 4 | en –" in text.stdout and "BM verilerine göre" in text.stdout
    # the dataset folder of the output gives the same report
    assert runner.invoke(app, ["report", str(seed_output / "dataset"), "-o", str(tmp_path / "d.html")]).exit_code == 0
    assert (tmp_path / "d.html").read_text(encoding="utf-8").count('<tr class="bead') == 14


def test_check_rewrites_a_report_written_with_the_run(seed_output: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(seed_output, copy)
    result = runner.invoke(app, ["check", str(copy), "--checks", "length,empty", "-q"])
    assert result.exit_code == 0, result.output
    page = (copy / "report.html").read_text(encoding="utf-8")
    assert "names differ" not in page and "checks</th><td>length, empty" in page


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing", "no such file or folder"),
        (lambda root: (root / "empty").mkdir() or root / "empty", "not an aligner output"),
        (lambda root: _file(root / "a.jsonl", ""), "is empty"),
        (lambda root: _file(root / "b.jsonl", '{"x": 1}\n'), "not an alignment record"),
        # a parallel corpus was asked for the languages with options report does not have
        (lambda root: _file(root / "c.tsv", "Bir.\tOne.\n"), "c.tsv: not an aligner output or built corpus, which a report shows"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, make: Any, message: str) -> None:
    target = make(tmp_path)
    (tmp_path / "run.json").write_text(json.dumps({"src_lang": "tr", "tgt_lang": "en"}), encoding="utf-8")
    result = runner.invoke(app, ["report", str(target), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_dash_output_is_stdout_where_one_file_is_written(seed_output: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o -` made a file or a folder named "-": the report is printed; an output folder or a
    manifest (its unpaired lists beside it) cannot be stdout, and says so."""
    monkeypatch.chdir(tmp_path)
    printed = runner.invoke(app, ["report", str(seed_output), "-o", "-"])
    assert printed.exit_code == 0 and printed.stdout.startswith("<!DOCTYPE html>") and printed.stdout.rstrip().endswith("</html>")
    (tmp_path / "tr").mkdir()
    (tmp_path / "en").mkdir()
    for command, message in (
        (["align", str(SEED_TR), str(SEED_EN)], "-o -: the output is a folder of files"),
        (["build", "--src-dir", "tr", "--tgt-dir", "en"], "-o -: the output is a folder of files"),
        (["pair", "--src-dir", "tr", "--tgt-dir", "en"], "-o -: the manifest"),
    ):
        result = runner.invoke(app, [*command, "-s", "tr", "-t", "en", "-o", "-"])
        assert result.exit_code == 2 and result.output.startswith(f"error: {message}"), (command, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en", "tr"]


def test_an_empty_corpus_is_one_line(tmp_path: Path) -> None:
    from aligner.build import BuildState

    BuildState(tmp_path / "state.sqlite").close()
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "not been written yet" in result.output


def test_a_large_corpus_is_sampled_and_stays_small() -> None:
    """100,000 pairs in 3,000 documents: the page shows the 200 most flagged documents and 200
    at random, at most MAX_BEADS beads, and stays under 10 MB."""
    sentence = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore."
    documents = []
    for k in range(3000):
        records = [
            {
                "bead": "1-1",
                "src_idx": [j],
                "tgt_idx": [j],
                "translation": {"tr": f"{sentence} {k}-{j}", "en": f"{sentence} {k}-{j}"},
                "score": (j % 10) / 10,
                "flags": ["numbers differ"] if (k + j) % 97 == 0 else [],
                "checks": {"numbers": 0.0, "length": 1.0},
                "scores": {"embedding": 3.2, "gain": 1.1},
            }
            for j in range(34)
        ]
        documents.append(ReportDocument(f"doc-{k:04d}", records))
    report = Report("big", "tr", "en", documents, corpus=True)
    page = render_html(report)
    assert len(page.encode("utf-8")) < 10_000_000
    assert page.count('<tr class="bead') <= MAX_BEADS
    assert "showing the 200 documents with most flags and 200 others at random, of 3000" in page
    assert "<th>aligned pairs</th><td>102,000</td>" in page  # the summary counts the whole corpus
    assert render_html(report) == page  # the sample is the same every time


def test_text_report_of_a_corpus_names_documents(small_corpus: Path) -> None:
    text = render_text(load_report(small_corpus), worst=3)
    heads = [line for line in text.splitlines() if line and not line.startswith("  ")]
    assert len(heads) == 3 and all(head.split(":")[0] in ("whole", "half") for head in heads)
