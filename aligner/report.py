"""See an alignment: one self-contained HTML file (or plain text) for an output or a corpus.

The page needs nothing but itself: inline CSS, a small inline script for the filters, charts
drawn as inline SVG, no fonts, images or requests. Rows are written as HTML (readable with
scripts off); the script only hides and shows them. A corpus page starts with a summary of the
whole corpus, then shows its documents sorted by how many flagged beads each has; large corpora
are sampled (the worst documents and a random few, up to :data:`MAX_BEADS` beads) so the file
stays small (about 1 KB a bead: under 10 MB), with a note saying so.
"""

from __future__ import annotations

import html
import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import OutputError
from .languages import tag_language
from .registry import describe_skipped

#: Documents shown of a large corpus: this many of the most flagged, and as many at random.
WORST_DOCUMENTS = 200
RANDOM_DOCUMENTS = 200
#: Beads shown at most, all documents together (a longer document is cut, with a note).
MAX_BEADS = 10_000
HISTOGRAM_BINS = 20
#: Languages written right to left (ISO 639-1 and 639-3 codes).
RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "syr", "ug", "ur", "yi"})
UNALIGNED = ("1-0", "0-1")


@dataclass
class ReportDocument:
    doc_id: str
    records: list[dict[str, Any]]

    @property
    def flagged(self) -> int:
        return sum(1 for record in self.records if record.get("flags"))


@dataclass
class Report:
    """What a report shows: the documents' beads and what made them."""

    title: str
    src_lang: str
    tgt_lang: str
    documents: list[ReportDocument]
    about: dict[str, str] = field(default_factory=dict)  # translation, signals, checks …
    corpus: bool = False


def output_report(title: str, records: list[dict[str, Any]], run: dict[str, Any]) -> Report:
    """The report of one aligned pair: its records and its run record (run.json)."""
    return Report(title, run["src_lang"], run["tgt_lang"], [ReportDocument(title, records)], _about(run))


def corpus_report(title: str, layout: dict[str, Any], state: Any) -> Report:
    """The report of a built corpus from its layout (see ``build._write_corpus``) and state
    (a :class:`~aligner.build.BuildState`): every document aligned so far, in manifest order."""
    done = state.done()
    ids = [pair["doc_id"] for pair in layout["pairs"] if pair["doc_id"] in done]
    documents = [ReportDocument(doc_id, state.records(doc_id)) for doc_id in ids]
    about = _about(state.provenance(ids[0]) if ids else {})
    about.update({f"pairing: {key}": str(value) for key, value in layout.get("pairing", {}).items()})
    return Report(title, layout["src_lang"], layout["tgt_lang"], documents, about, corpus=True)


def read_json_object(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _about(run: dict[str, Any]) -> dict[str, str]:
    about = {}
    for key in ("translation", "signals", "checks", "bead_shapes", "segmenter", "embedding_model"):
        value = run.get(key)
        if value:
            about[key.replace("_", " ")] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    skipped = run.get("checks_skipped") or {}
    if skipped:
        about["checks skipped"] = describe_skipped(skipped)
    return about


# ---------------------------------------------------------------------------------------------
# figures


@dataclass
class Figures:
    documents: int
    beads: int
    pairs: int
    unaligned_src: int
    unaligned_tgt: int
    flagged: int
    reasons: list[tuple[str, int]]
    shapes: list[tuple[str, int]]
    histogram: list[int]


def figures(report: Report) -> Figures:
    beads = [record for document in report.documents for record in document.records]
    shapes = Counter(record["bead"] for record in beads)
    reasons = Counter(flag for record in beads for flag in record.get("flags") or [])
    histogram = [0] * HISTOGRAM_BINS
    for record in beads:
        score = record.get("score")
        if isinstance(score, int | float) and record["bead"] not in UNALIGNED:
            histogram[min(int(score * HISTOGRAM_BINS), HISTOGRAM_BINS - 1) if score > 0 else 0] += 1
    return Figures(
        documents=len(report.documents),
        beads=len(beads),
        pairs=sum(1 for record in beads if record["bead"] not in UNALIGNED),
        unaligned_src=shapes.get("1-0", 0),
        unaligned_tgt=shapes.get("0-1", 0),
        flagged=sum(1 for record in beads if record.get("flags")),
        reasons=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        shapes=sorted(shapes.items(), key=lambda item: (-item[1], item[0])),
        histogram=histogram,
    )


def shown_documents(report: Report, seed: int = 0) -> tuple[list[ReportDocument], str]:
    """The documents a page shows, most flagged first, and a note when not all of them are."""
    ranked = sorted(report.documents, key=lambda document: (-document.flagged, document.doc_id))
    chosen = ranked
    note = ""
    if len(ranked) > WORST_DOCUMENTS + RANDOM_DOCUMENTS:
        rest = ranked[WORST_DOCUMENTS:]
        chosen = ranked[:WORST_DOCUMENTS] + sorted(
            random.Random(seed).sample(rest, RANDOM_DOCUMENTS), key=lambda document: (-document.flagged, document.doc_id)
        )
        note = f"showing the {WORST_DOCUMENTS} documents with most flags and {RANDOM_DOCUMENTS} others at random, of {len(ranked)}"
    shown, beads = [], 0
    for document in chosen:
        if beads >= MAX_BEADS:
            note = (note + "; " if note else "") + f"stopped at {MAX_BEADS:,} beads"
            break
        room = MAX_BEADS - beads
        if len(document.records) > room:
            document = ReportDocument(document.doc_id, document.records[:room])
            note = (note + "; " if note else "") + f"document {document.doc_id} cut at {MAX_BEADS:,} beads"
        shown.append(document)
        beads += len(document.records)
    return shown, note


# ---------------------------------------------------------------------------------------------
# HTML


def _bar_chart(title: str, items: Iterable[tuple[str, int]], css_class: str) -> str:
    items = list(items)
    if not items:
        return ""
    width, row, label = 460, 18, 190
    largest = max(count for _, count in items) or 1
    bars = []
    for k, (name, count) in enumerate(items):
        length = (width - label - 60) * count / largest
        y = k * row
        bars.append(
            f'<text x="{label - 6}" y="{y + 13}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect x="{label}" y="{y + 3}" width="{length:.1f}" height="{row - 6}"/>'
            f'<text x="{label + length + 4:.1f}" y="{y + 13}">{count:,}</text>'
        )
    return (
        f'<figure class="chart {css_class}"><figcaption>{html.escape(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{len(items) * row}" role="img" '
        f'aria-label="{html.escape(title)}">{"".join(bars)}</svg></figure>'
    )


def _histogram(counts: list[int]) -> str:
    if not any(counts):
        return ""
    width, height, bottom = 420, 140, 20
    largest = max(counts)
    step = width / len(counts)
    bars = []
    for k, count in enumerate(counts):
        tall = (height - bottom - 14) * count / largest
        low, high = k / len(counts), (k + 1) / len(counts)
        bars.append(
            f'<rect x="{k * step + 1:.1f}" y="{height - bottom - tall:.1f}" width="{step - 2:.1f}" height="{tall:.1f}">'
            f"<title>score {low:.2f}–{high:.2f}: {count:,} pairs</title></rect>"
        )
    axis = "".join(
        f'<text x="{x * width:.0f}" y="{height - 4}" text-anchor="{anchor}">{x:g}</text>'
        for x, anchor in ((0.0, "start"), (0.25, "middle"), (0.5, "middle"), (0.75, "middle"), (1.0, "end"))
    )
    return (
        '<figure class="chart histogram"><figcaption>score of aligned pairs</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" aria-label="score histogram">'
        f"{''.join(bars)}{axis}</svg></figure>"
    )


def _direction(language: str) -> str:
    return "rtl" if tag_language(language) in RIGHT_TO_LEFT else "ltr"


def _details(record: dict[str, Any]) -> str:
    checks = record.get("checks") or {}
    scores = record.get("scores") or {}
    parts = [f"{name} {value:.3f}" for name, value in sorted(checks.items()) if isinstance(value, int | float)]
    signals = [f"{name} {value:.3f}" for name, value in sorted(scores.items()) if isinstance(value, int | float)]
    return "checks: " + (", ".join(parts) or "none") + (" | signals: " + ", ".join(signals) if signals else "")


def _indices(values: list[int]) -> str:
    if not values:
        return "–"
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"


def _row(record: dict[str, Any], report: Report) -> str:
    shape = record["bead"]
    flags = record.get("flags") or []
    score = record.get("score")
    classes = ["bead"]
    if shape in UNALIGNED:
        classes.append("unaligned")
    if flags:
        classes.append("flagged")
    texts = record["translation"]
    cells = []
    for language, indices in ((report.src_lang, record["src_idx"]), (report.tgt_lang, record["tgt_idx"])):
        text = texts.get(language, "")
        cells.append(f'<td class="idx">{_indices(indices)}</td>')
        cells.append(
            f'<td class="text" lang="{html.escape(language)}" dir="{_direction(language)}">{html.escape(text)}</td>'
            if indices
            else '<td class="text empty">—</td>'
        )
    score_text = f"{score:.2f}" if isinstance(score, int | float) else ""
    return (
        f'<tr class="{" ".join(classes)}" data-score="{score if isinstance(score, int | float) else ""}" '
        f'data-flags="{html.escape("|".join(flags))}">'
        f'<td class="shape">{shape}</td>{"".join(cells)}'
        f'<td class="score" title="{html.escape(_details(record))}">{score_text}</td>'
        f'<td class="flags">{"".join(f"<span class=reason>{html.escape(flag)}</span>" for flag in flags)}</td></tr>'
    )


def render_html(report: Report, seed: int = 0) -> str:
    from . import __version__

    totals = figures(report)
    shown, note = shown_documents(report, seed)
    numbers = [
        ("documents", f"{totals.documents:,}"),
        ("beads", f"{totals.beads:,}"),
        ("aligned pairs", f"{totals.pairs:,}"),
        (f"{report.src_lang} sentences left unaligned (1-0)", f"{totals.unaligned_src:,}"),
        (f"{report.tgt_lang} sentences left unaligned (0-1)", f"{totals.unaligned_tgt:,}"),
        ("beads kept (no flag)", f"{totals.beads - totals.flagged:,}"),
        ("beads flagged", f"{totals.flagged:,}"),
        *((f"flagged: {reason}", f"{count:,}") for reason, count in totals.reasons),
    ]
    summary = "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>" for name, value in numbers)
    about = "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>" for name, value in report.about.items())
    charts = (
        _histogram(totals.histogram)
        + _bar_chart("bead shapes", totals.shapes, "shapes")
        + _bar_chart("flags per reason", totals.reasons, "reasons")
    )
    reasons = "".join(f'<option value="{html.escape(reason)}">{html.escape(reason)}</option>' for reason, _ in totals.reasons)
    navigation = ""
    if report.corpus:
        links = "".join(
            f'<li><a href="#doc-{k}">{html.escape(document.doc_id)}</a> <span class="count">{document.flagged} flagged of {len(document.records)}</span></li>'
            for k, document in enumerate(shown)
        )
        navigation = f"<nav><h2>Documents</h2>{f'<p class=note>{html.escape(note)}</p>' if note else ''}<ol>{links}</ol></nav>"
    sections = []
    for k, document in enumerate(shown):
        rows = "".join(_row(record, report) for record in document.records)
        heading = (
            f"<h2>{html.escape(document.doc_id)} <span class=count>{document.flagged} flagged of {len(document.records)} beads</span></h2>"
            if report.corpus
            else ""
        )
        sections.append(
            f'<section class="document" id="doc-{k}">{heading}<table class="beads"><thead><tr><th>bead</th>'
            f"<th>#</th><th>{html.escape(report.src_lang)}</th><th>#</th><th>{html.escape(report.tgt_lang)}</th><th>score</th><th>flags</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )
    if note and not report.corpus:
        sections.insert(0, f"<p class=note>{html.escape(note)}</p>")
    title = f"{report.title}: {report.src_lang}–{report.tgt_lang} alignment"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1><p>aligner {__version__}</p></header>"
        f'<section class="summary"><table class="figures">{summary}</table><div class="charts">{charts}</div></section>'
        f'<details class="about"><summary>how it was made</summary><table class="figures">{about}</table></details>'
        f"{navigation}"
        '<form class="filters" onsubmit="return false">'
        '<label><input type="checkbox" id="only-flagged"> only flagged</label> '
        f'<label>reason <select id="reason"><option value="">any</option>{reasons}</select></label> '
        '<label><input type="checkbox" id="only-unaligned"> only unaligned</label> '
        '<label>score at most <input type="number" id="max-score" min="0" max="1" step="0.05" placeholder="any"></label> '
        '<label>search <input type="search" id="search"></label> '
        '<output id="visible"></output></form>'
        f"<main>{''.join(sections)}</main><script>{_SCRIPT}</script></body></html>\n"
    )


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5em 3em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin:1.5em 0 .4em}
.count,.note,header p{color:#666;font-size:.9em;font-weight:normal}
.summary{display:flex;flex-wrap:wrap;gap:2em;align-items:flex-start}
.figures th{text-align:left;font-weight:normal;color:#555;padding-right:1em;vertical-align:top}
.figures td{max-width:40em;overflow-wrap:anywhere}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;flex:1}
details.about{margin-top:1em}details.about summary{cursor:pointer;color:#555}
figure{margin:0}figcaption{font-size:.9em;color:#555}
svg text{font-size:11px;fill:#333}svg rect{fill:#4a78b0}.reasons svg rect{fill:#c0504d}
nav ol{columns:3;font-size:.9em}
.filters{position:sticky;top:0;background:#f4f4f4;padding:.5em;margin:1em 0;border-bottom:1px solid #ccc;z-index:1}
.filters label{margin-right:1em}#max-score{width:5em}
table.beads{border-collapse:collapse;width:100%;table-layout:fixed}
.beads th,.beads td{border-bottom:1px solid #e4e4e4;padding:.3em .4em;vertical-align:top;text-align:left}
.beads th:nth-child(1),.beads td.shape{width:3em}
.beads th:nth-child(2),.beads th:nth-child(4),.beads td.idx{width:3em;color:#888}
.beads th:nth-child(6),.beads td.score{width:3.5em}.beads th:nth-child(7),.beads td.flags{width:11em}
td.text[dir=rtl]{text-align:right}
tr.unaligned{background:#fff6d5}tr.unaligned td.shape{font-weight:bold;color:#a06000}
td.empty{color:#bbb}
tr.flagged{background:#fde8e6}tr.unaligned{box-shadow:inset 4px 0 #e0a000}
.reason{display:inline-block;background:#c0504d;color:#fff;border-radius:3px;padding:0 .35em;margin:1px;font-size:.85em}
td.score{cursor:help}
"""

_SCRIPT = """
(function(){
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.bead'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.document'));
  var ids = ['only-flagged','reason','only-unaligned','max-score','search'];
  function value(id){var e=document.getElementById(id);return e.type==='checkbox'?e.checked:e.value;}
  function apply(){
    var flagged=value('only-flagged'), reason=value('reason'), unaligned=value('only-unaligned');
    var most=value('max-score'), text=value('search').toLowerCase(), shown=0;
    rows.forEach(function(row){
      var show=true;
      if(flagged && !row.classList.contains('flagged')) show=false;
      if(reason && row.getAttribute('data-flags').split('|').indexOf(reason)<0) show=false;
      if(unaligned && !row.classList.contains('unaligned')) show=false;
      if(most!=='' && !(row.getAttribute('data-score')!=='' && parseFloat(row.getAttribute('data-score'))<=parseFloat(most))) show=false;
      if(text && row.textContent.toLowerCase().indexOf(text)<0) show=false;
      row.hidden=!show; if(show) shown++;
    });
    sections.forEach(function(section){section.hidden=!section.querySelector('tr.bead:not([hidden])');});
    document.getElementById('visible').textContent=shown+' of '+rows.length+' beads shown';
  }
  ids.forEach(function(id){var e=document.getElementById(id);e.addEventListener('input',apply);e.addEventListener('change',apply);});
  apply();
})();
"""


REPORT_FILE = "report.html"


def write_report(report: Report, path: Path, seed: int = 0) -> Path:
    """Write the HTML report to ``path`` whole or not at all."""
    from .write import atomic_file

    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the report's file name (e.g. report.html)")
    try:
        with atomic_file(path) as stream:
            stream.write(render_html(report, seed))
    except OSError as error:
        raise OutputError(f"{error.filename or path}: cannot write ({error.strerror})") from None
    return path


# ---------------------------------------------------------------------------------------------
# plain text


def render_text(report: Report, worst: int = 20, width: int = 100) -> str:
    """The ``worst`` beads (flagged first, then lowest score) side by side, with their flags."""
    import textwrap

    beads = [(document.doc_id, record) for document in report.documents for record in document.records]
    beads.sort(key=lambda item: (not item[1].get("flags"), item[1].get("score") if isinstance(item[1].get("score"), int | float) else 2.0))
    column = (width - 3) // 2
    lines = []
    for doc_id, record in beads[:worst]:
        score = record.get("score")
        where = f"{doc_id}: " if report.corpus else ""
        head = f"{where}{record['bead']}  {report.src_lang} {_indices(record['src_idx'])} | {report.tgt_lang} {_indices(record['tgt_idx'])}"
        if isinstance(score, int | float):
            head += f"  score {score:.2f}"
        if record.get("flags"):
            head += "  flags: " + ", ".join(record["flags"])
        lines.append(head)
        left = textwrap.wrap(record["translation"].get(report.src_lang, ""), column) or ["—"]
        right = textwrap.wrap(record["translation"].get(report.tgt_lang, ""), column) or ["—"]
        for k in range(max(len(left), len(right))):
            lines.append(f"  {(left[k] if k < len(left) else ''):<{column}} {right[k] if k < len(right) else ''}".rstrip())
        lines.append("")
    return "\n".join(lines)
