"""Text out of documents that are not plain text: web pages (HTML), Word files (.docx),
Markdown and subtitles (SRT, WebVTT).

Each extractor returns the document's running text, one paragraph a line, for
:mod:`aligner.read` to clean and cut. Without this a saved web page was read as text: its tags,
scripts and menus became "sentences" and were aligned and written to the corpus.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from .errors import InputError

TEXT = "text"
HTML = "html"
DOCX = "docx"
SUBTITLES = "subtitles"
MARKDOWN = "markdown"
XML = "xml"  # any other XML (TEI, XLIFF, DocBook): not read, see text_format

#: What a document may be, for help texts.
DOCUMENT_FORMATS = "plain text, a web page (.html), Word (.docx), Markdown (.md) or subtitles (.srt, .vtt), each maybe gzip-compressed"

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
SUBTITLE_SUFFIXES = frozenset({".srt", ".vtt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})

_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_BODY = "word/document.xml"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: How a page that carries no file extension is known as HTML: its first markup.
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
#: The charset a page declares, read from its first bytes before it is decoded.
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
#: An XML document that is not a web page: its declaration, or a known XML extension.
_XML_START = re.compile(r"\A\s*<\?xml[\s?]", re.IGNORECASE)
XML_SUFFIXES = frozenset({".xml", ".tei", ".xlf", ".xliff", ".sdlxliff", ".tmx", ".sgml", ".sgm"})
_SRT_START = re.compile(r"\A\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->")
_CUE_TIMING = re.compile(r"^\s*(?:\d{1,2}:)?\d{2}:\d{2}[,.]\d{3}\s*-->")
_CUE_MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # <i>, <c.yellow>, <00:01.000>, {\an8}


#: Formats known by their first bytes that are not read: what to do instead.
_UNREAD_FORMATS = (
    (b"%PDF-", "a PDF file: give its text instead (e.g. from pdftotext)"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Office (.doc) file: save it as .docx or plain text"),
    (b"{\\rtf", "an RTF file: save it as .docx or plain text"),
)


def binary_format(name: str, data: bytes) -> str | None:
    """``DOCX`` for a Word file (a zip holding ``word/document.xml``), else None: the other
    formats are text and are told apart after decoding (:func:`text_format`). A format that is
    not read (PDF, .doc, RTF, other zip archives) is an error saying what to give instead."""
    for magic, what in _UNREAD_FORMATS:
        if data.startswith(magic):
            raise InputError(f"{name}: is {what}")
    if not data.startswith(_ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _DOCX_BODY in archive.namelist():
                return DOCX
    except zipfile.BadZipFile:
        raise InputError(f"{name}: is a damaged zip archive (a .docx file is one)") from None
    raise InputError(f"{name}: is a zip archive, not a document: unpack it, or give a Word (.docx) file")


def text_format(name: str, text: str) -> str:
    """``HTML``, ``SUBTITLES``, ``MARKDOWN``, ``XML`` or ``TEXT``, from the file's extension,
    else from how it starts (a page saved as ``251032`` without an extension is still HTML;
    Markdown is known by its extension only, since plain text reads as Markdown too). Other XML
    (TEI, XLIFF, a TMX given as a document) is not read: its tags would be aligned as text."""
    suffix = Path(name).suffix.lower()
    if suffix in MARKDOWN_SUFFIXES:
        return MARKDOWN
    if suffix in HTML_SUFFIXES or _HTML_START.match(text[:4096]):
        return HTML
    if suffix in XML_SUFFIXES or _XML_START.match(text[:256]):
        return XML
    if suffix in SUBTITLE_SUFFIXES or text.lstrip("\ufeff").startswith("WEBVTT") or _SRT_START.match(text[:256]):
        return SUBTITLES
    return TEXT


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page names in a ``<meta>`` tag, if any."""
    match = _DECLARED_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


@dataclass(frozen=True)
class PageLinks:
    """The addresses a web page gives: its own (``<link rel="canonical">``, ``og:url``) and
    those it cites (its links, its versions in other languages). Pairing reads article ids in
    them: an English page that links to its Turkish original names that page's id."""

    own: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()


class _HeadLinks(HTMLParser):
    """A page's own address and its versions in other languages, from its ``<link>`` and
    ``<meta>`` tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.own: list[str] = []
        self.versions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        relations = attributes.get("rel", "").lower().split()
        if tag == "link" and attributes.get("href") and "canonical" in relations:
            self.own.append(attributes["href"])
        elif tag == "link" and attributes.get("href") and "alternate" in relations and attributes.get("hreflang"):
            self.versions.append(attributes["href"])
        elif tag == "meta" and attributes.get("property") == "og:url" and attributes.get("content"):
            self.own.append(attributes["content"])


_TEXT_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]+)\)")


def web_page(page: str, name: str) -> tuple[str, PageLinks]:
    """The main text of a web page (headline and article paragraphs, tables included), without
    its scripts, menus, footers or comments, as trafilatura finds it; and its links: its own
    address, its versions in other languages and the links of its text (not those of its
    menus and sidebars, which name other articles)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it warns about short pages itself
    if not re.search(r"<(?:html|body)[\s>]", page[:8192], re.IGNORECASE):
        page = f"<html><body>{page}</body></html>"  # a fragment: trafilatura wants a whole page
    linked = trafilatura.extract(
        page, output_format="txt", include_comments=False, include_tables=True, include_links=True, deduplicate=False
    )
    if not linked or not linked.strip():
        raise InputError(f"{name}: no article text found in this HTML page")
    head = _HeadLinks()
    head.feed(page)
    head.close()
    cited = tuple(head.versions) + tuple(match.group(2) for match in _TEXT_LINK.finditer(linked))
    return _TEXT_LINK.sub(r"\1", linked), PageLinks(tuple(head.own), cited)


def docx_text(data: bytes, name: str) -> str:
    """The paragraphs of a Word document's body (tables' cells included), in order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read(_DOCX_BODY))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise InputError(f"{name}: not a readable Word (.docx) file") from None
    paragraphs = []
    for paragraph in root.iter(f"{_WORD}p"):
        pieces = []
        for element in paragraph.iter():
            if element.tag == f"{_WORD}t" and element.text:
                pieces.append(element.text)
            elif element.tag in (f"{_WORD}tab", f"{_WORD}br", f"{_WORD}cr"):
                pieces.append(" ")
        paragraphs.append("".join(pieces))
    return "\n".join(paragraphs)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
#: Inline pieces whose text is the document's: the rest is markup, and images' alternative text
#: and raw HTML are left out.
_MARKDOWN_TEXT = frozenset({"text", "code_inline"})


def markdown_text(text: str) -> str:
    """The text of a Markdown document (CommonMark with tables, parsed by markdown-it-py):
    headings, paragraphs, list items and quotes a paragraph each, a table row a paragraph of
    its cells; emphasis and link syntax gone (a link keeps its words), code blocks, raw HTML
    and a YAML front matter left out, since they are not prose to translate."""
    from markdown_it import MarkdownIt

    paragraphs: list[str] = []
    row: list[str] | None = None
    for token in MarkdownIt("commonmark").enable("table").parse(_FRONT_MATTER.sub("", text)):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            paragraphs.append(" | ".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            words = "".join(
                child.content if child.type in _MARKDOWN_TEXT else " " if child.type in ("softbreak", "hardbreak") else ""
                for child in token.children or []
            ).strip()
            if row is not None:
                row.append(words)
            elif words:
                paragraphs.append(words)
    return "\n".join(paragraphs)


def subtitle_text(text: str) -> str:
    """The cues of an SRT or WebVTT file as one running text: numbers, timings, styling and
    notes left out. A sentence runs over several cues, so the cues are not paragraphs: the
    segmenter finds the sentences."""
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").lstrip("\ufeff")):
        lines = [line.strip() for line in block.strip().split("\n")]
        if not lines or lines[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
            continue
        timing = next((k for k, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if timing is None:
            continue  # not a cue
        spoken = " ".join(_CUE_MARKUP.sub("", line).strip() for line in lines[timing + 1 :])
        if spoken.strip():
            cues.append(spoken.strip())
    return " ".join(cues)
