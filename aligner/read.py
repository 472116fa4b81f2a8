"""Read a document from disk: detect its encoding, clean it, and cut it into paragraphs.

Reading never guesses silently: UTF-8 (with or without BOM) is tried first, then the legacy
encodings usual for the document's language, then a statistical detector; ``encoding=`` names one
explicitly. A gzip-compressed file is read as what it holds; a web page, Word file, Markdown or
subtitles give their text (:mod:`aligner.markup`). Every failure is an
:class:`~aligner.errors.InputError` with a one-line message.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import html
import json
import re
import stat
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from .errors import ConfigError, InputError
from .languages import CLOSING_MARKS, NOUN_CAPITALISING_LANGUAGES, SENTENCE_MARKS, join_text, spelled_length
from .markup import (
    DOCX,
    HTML,
    MARKDOWN,
    SUBTITLES,
    TEXT,
    XML,
    PageLinks,
    binary_format,
    declared_charset,
    docx_text,
    markdown_text,
    subtitle_text,
    text_format,
    web_page,
)

#: Legacy 8-bit encodings tried, in order, for a language when a file is not UTF-8.
LEGACY_ENCODINGS: dict[str, tuple[str, ...]] = {
    "tr": ("cp1254", "iso-8859-9"),
    "ru": ("cp1251", "koi8-r"),
    "uk": ("cp1251", "koi8-u"),
    "bg": ("cp1251",),
    "el": ("cp1253", "iso-8859-7"),
    "cs": ("cp1250", "iso-8859-2"),
    "pl": ("cp1250", "iso-8859-2"),
    "hu": ("cp1250", "iso-8859-2"),
    "ar": ("cp1256",),
    "fa": ("cp1256",),
    "ur": ("cp1256",),
    "he": ("cp1255",),
    "kk": ("cp1251",),
    "sr": ("cp1251", "cp1250"),
    "hr": ("cp1250", "iso-8859-2"),
    "sk": ("cp1250", "iso-8859-2"),
    "sl": ("cp1250", "iso-8859-2"),
    "ro": ("cp1250", "iso-8859-16"),
    "et": ("cp1257", "iso-8859-13"),
    "lv": ("cp1257", "iso-8859-13"),
    "lt": ("cp1257", "iso-8859-13"),
    "vi": ("cp1258",),
    "zh": ("gb18030", "big5"),
    "ja": ("cp932", "euc-jp"),
    "ko": ("cp949", "euc-kr"),
}
#: Tried last for languages written in the Latin alphabet only: for any other, a Western code
#: page decodes every byte into plausible-looking nonsense, so the statistical detector decides.
WESTERN_LEGACY = ("cp1252", "iso-8859-15")
NON_LATIN = frozenset("ar bg el fa he hi hy ja ka kk ko ru sr uk ur zh".split())
MULTI_BYTE = frozenset({"zh", "ja", "ko"})

_BINARY_PROBE = 8192
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: Control characters, and whole terminal escape sequences ("\x1b[1m": a log or a terminal's
#: copy), whose "[1m" stayed in the text when only the escape was dropped.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: How a line that ends a sentence (or a clause it is cut at) ends, in any script.
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_MARKS + CLOSING_MARKS)}:;]$")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\r?\n[ \t]*")


@dataclass(frozen=True)
class Document:
    """A cleaned document: its paragraphs, how its bytes were decoded, the format its text was
    taken out of (:mod:`aligner.markup`: text, html, docx, markdown or subtitles), and a web page's links."""

    path: str
    paragraphs: list[str]
    encoding: str
    format: str = TEXT
    links: PageLinks = PageLinks()
    #: plain text: its non-empty lines, before hard-wrapped ones were joined into paragraphs
    lines: int = 0


#: Byte-order marks, the longer first (UTF-32 LE's begins with UTF-16 LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the NULs fall on one byte of each pair, as in text of
    the Latin, Greek or Cyrillic alphabets written in UTF-16 without a byte-order mark."""
    probe = data[: _BINARY_PROBE - _BINARY_PROBE % 2]
    if len(probe) < 16:
        return None
    even, odd = probe[0::2].count(0), probe[1::2].count(0)
    pairs = len(probe) // 2
    guess = "utf-16-le" if odd > 0.3 * pairs and even < 0.02 * pairs else "utf-16-be" if even > 0.3 * pairs and odd < 0.02 * pairs else None
    if guess is None or _CONTROL.search(probe.decode(guess, errors="replace").replace("\n", "").replace("\r", "").replace("\t", "")):
        return None  # binary data with NULs in a pattern
    return guess


def _marked_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 as a byte-order mark or the pattern of UTF-16's zero bytes tells it."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None) or _utf16_without_bom(data)


def detect_encoding(sample: bytes, path: Path, language: str | None, complete: bool) -> str:
    """The encoding of a file read as a stream, told from its first bytes ``sample`` (the whole
    file where ``complete``) as :func:`read_document` tells a document's: a byte-order mark or
    UTF-16 pattern, UTF-8, the language's legacy encodings, a statistical detector."""
    marked = _marked_encoding(sample)
    if marked:
        return marked
    if not complete:  # a character cut at the sample's end is no error
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    name = _decode(sample, path, None, language)[1]
    return "utf-8-sig" if name == "utf-8" else name


def _decode(data: bytes, path: Path, encoding: str | None, language: str | None) -> tuple[str, str]:
    """Decode with the named encoding, else by byte-order mark or UTF-16 byte pattern, UTF-8,
    the language's legacy encodings and a statistical detector. A NUL byte anywhere in a file
    that is not UTF-16 or UTF-32 makes it binary."""
    if not encoding:
        encoding = _marked_encoding(data)
        if encoding is None and b"\x00" in data:
            raise InputError(f"{path}: looks like a binary file, not text")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputError(f"{path}: unknown encoding {encoding!r} (try utf-8, cp1254, iso-8859-9)") from None
        except UnicodeDecodeError as error:
            raise InputError(f"{path}: cannot be decoded as {encoding} (byte {error.start}); name the right one with --encoding") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    if language in MULTI_BYTE:  # GB18030 decodes Big5 bytes too (into nonsense): let coherence decide
        chosen = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS[language])).best()
        if chosen is not None and chosen.encoding is not None:
            return str(chosen), chosen.encoding
    western = () if language in NON_LATIN else WESTERN_LEGACY
    for candidate in LEGACY_ENCODINGS.get(language or "", ()) + western:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text.replace("\n", "").replace("\r", "").replace("\t", "")):
            return text, candidate
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(f"{path}: encoding not recognised; name it with --encoding (e.g. cp1254)")
    return str(best), best.encoding


def clean_text(text: str) -> str:
    """NFC-normalise, drop invisible characters and controls, and fold runs of spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_INVISIBLE)
    lines = (_SPACES.sub(" ", _CONTROL.sub("", line)).strip() for line in text.split("\n"))
    return "\n".join(lines)


def clean_sentence(text: str) -> str:
    """One sentence cleaned as :func:`clean_text` cleans a file, its line breaks made spaces."""
    return " ".join(line for line in clean_text(text).split("\n") if line)


#: What the Moses tokenizer's escaping leaves in a corpus: an entity ("&apos;", "&quot;",
#: "&amp;", "&#124;"), or a hyphen, comma or point it set apart between "@" ("1 @,@ 200",
#: "well @-@ known").
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MOSES_JOINER = re.compile(r" @([-,.])@ ")


def unescaped(text: str) -> str:
    """``text`` with HTML and Moses escapes read as the characters they stand for: corpora
    tokenized with Moses ("1 @,@ 200", "Putin &apos;s") or crawled with entities left in."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if "@" in text:
        text = _MOSES_JOINER.sub(r"\1", text)
    return text


def split_paragraphs(text: str, language: str | None = None) -> list[str]:
    """Cut cleaned text into paragraphs: one per line, re-joining hard-wrapped lines.

    A line is taken to continue on the next one when it does not end like a sentence and the
    next line starts in lower case, which is how wrapped text looks and paragraphs do not. In a
    block that is wrapped at a width (:func:`wrap_width`: a book, a text file of the 1990s), a
    line also goes on before a capital ("… met with" / "Putin in …") unless it ends a sentence
    short of the width, as a paragraph's last line does. A line ending in a word's hyphen goes
    on whatever follows, and the word hyphenated across the break is joined
    (:func:`_join_wrapped`; ``language``, where known, tells how).
    """
    paragraphs: list[str] = []
    words: set[str] | None = None
    blocks = [[line for line in block.split("\n") if line] for block in re.split(r"\n\s*\n", text)]
    widths = [wrap_width(lines) for lines in blocks]
    text_width = _text_width(blocks, widths)
    for lines, width in zip(blocks, widths):
        if width is None and len(lines) == 2 and text_width and spelled_length(lines[0]) <= text_width + 2:
            width = text_width  # a paragraph of two lines, wrapped as the text's others are
        current, previous = "", ""
        for line in lines:
            ends = bool(_SENTENCE_END.search(previous))
            wrapped = width is not None and not (ends and spelled_length(previous) < WRAPPED_LINE * width)
            broken = bool(_HYPHENATED_END.search(previous))  # a word goes on on the next line
            wrapped = wrapped and not _ITEM_START.match(line)  # a list item, a dialogue turn
            if current and (wrapped or broken or (not ends and line[:1].islower())):
                if words is None:
                    words = {word.lower() for word in _WORD.findall(text)}
                current = _join_wrapped(current, line, words, language in NOUN_CAPITALISING_LANGUAGES)
            else:
                if current:
                    paragraphs.append(current)
                current = line
            previous = line
        if current:
            paragraphs.append(current)
    return paragraphs


#: A line at least this share of its block's longest is full: wrapped text fills its lines.
WRAPPED_LINE = 0.7
#: Narrower blocks are not taken for wrapped text (verse, lists, a column of names).
WRAPPED_WIDTH = 50


def wrap_width(lines: list[str]) -> int | None:
    """The width a block of lines was wrapped at, or None where it does not look wrapped: three
    lines or more, at least ``WRAPPED_WIDTH`` characters wide, most of them but the last full
    (``WRAPPED_LINE``), half or more of them ending mid-sentence, and in a script with case a
    quarter or more going on in lower case. Text of a paragraph a line ends its lines with
    sentences, and their lengths vary; a list of headlines opens every line with a capital."""
    if len(lines) < 3:
        return None
    lengths = [spelled_length(line) for line in lines]  # a Chinese line of 40 characters is full
    width = max(lengths)
    inner = lines[:-1]
    full = sum(length >= WRAPPED_LINE * width for length in lengths[:-1])
    open_ended = sum(not _SENTENCE_END.search(line) for line in inner)
    # wrapped prose goes on in lower case on many of its lines; a list of headlines never does
    cased = [line[0] for line in lines[1:] if line[0].isupper() or line[0].islower()]
    lower = sum(first.islower() for first in cased)
    flowing = not cased or lower >= len(cased) / 4
    return width if width >= WRAPPED_WIDTH and full >= 0.75 * len(inner) and open_ended >= len(inner) / 2 and flowing else None


def _text_width(blocks: list[list[str]], widths: list[int | None]) -> int | None:
    """The width the text's paragraphs are wrapped at: the one most of its wrapped blocks share
    (within two characters), where two or more blocks, or a wrapped block and no unwrapped one
    of three lines or more, show it. A paragraph of two lines cannot show it itself ("… have you
    heard that" / "Netherfield Park is let at last?”")."""
    found = sorted(width for width in widths if width)
    unwrapped = sum(1 for lines, width in zip(blocks, widths) if width is None and len(lines) >= 3)
    if not found or (len(found) == 1 and unwrapped):
        return None
    common = max(found, key=lambda width: sum(abs(width - other) <= 2 for other in found))
    return common if sum(abs(common - other) <= 2 for other in found) > len(found) / 2 else None


_WORD = re.compile(r"\w+")
_HYPHENATED_END = re.compile(r"(\w+)-$")
#: A line that opens an item of its own: a bullet, a dash (a dialogue turn), a list number.
_ITEM_START = re.compile(r"^(?:[-–—•*·]\s|\(?(?:\d{1,3}|[a-z])[.)]\s)")
_FIRST_WORD = re.compile(r"^\w+")


def _join_wrapped(line: str, continuation: str, words: set[str], nouns_capitalised: bool = False) -> str:
    """A wrapped line and its continuation as one. A word hyphenated at the break ("foolish-" /
    "ness") is one word again: without the hyphen where the text writes it so elsewhere
    ("foolishness") or, in a language that capitalises nouns, the word goes on in lower case
    (there a compound keeps its noun's capital after the hyphen: "Himalaya-Expedition", but
    "Mos-" / "kau"); else with it and no space ("well-known"), never "foolish- ness"."""
    hyphenated = _HYPHENATED_END.search(line)
    if hyphenated:
        rest = _FIRST_WORD.match(continuation)
        if rest and (nouns_capitalised and rest.group(0)[0].islower() or (hyphenated.group(1) + rest.group(0)).lower() in words):
            return line[:-1] + continuation
        return line + continuation
    return join_text(line, continuation)  # Chinese and Japanese put no space between words


#: Files a folder of documents holds that are no document (besides hidden ones: ``.DS_Store``).
NOT_DOCUMENTS = frozenset({"thumbs.db", "desktop.ini"})


def subfolders_note(folder: Path) -> str:
    """What to say of a folder whose documents are all in subfolders, which are not read without
    ``--recursive``: " (its 3 subfolders are not read: give --recursive, or each one)", or nothing."""
    count = sum(1 for path in folder.iterdir() if path.is_dir() and not path.name.startswith(".")) if folder.is_dir() else 0
    return f" (its {count} subfolder{'s are' if count > 1 else ' is'} not read: give --recursive, or each one)" if count else ""


def check_distinct_folders(src_folder: Path, tgt_folder: Path) -> None:
    """:class:`ConfigError` where the two folders of documents are one: every document was
    paired with itself, silently."""
    if src_folder.resolve() == tgt_folder.resolve():
        raise ConfigError(
            f"{src_folder} and {tgt_folder}: the same folder on both sides: put each language's documents in a folder of its own"
        )


def document_ids(names: Iterable[str]) -> dict[str, str]:
    """Each file name's document id: the name without its extension, the whole name where two
    share a stem ("a.txt" and "a.md" were both "a", and one took the other's place). A name in a
    subfolder keeps its folders ("2019/a.txt": "2019/a")."""
    names = list(names)
    stems = {name: str(PurePosixPath(name).with_suffix("")) for name in names}
    counts = Counter(stems.values())
    return {name: stem if counts[stem] == 1 else name for name, stem in stems.items()}


def folder_documents(folder: Path, recursive: bool = False) -> list[Path]:
    """The files of ``folder`` that may be documents, in name order: not hidden files (macOS's
    ``.DS_Store`` and ``._name``, ``.gitkeep``) or Windows' ``Thumbs.db``, which stopped a whole
    run as "a binary file"; those of its subfolders too with ``recursive`` (not of hidden ones:
    ``.git``), in the order of their paths below ``folder``."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    files = []  # (its folders and name below ``folder``, the file)
    for path in folder.rglob("*") if recursive else folder.iterdir():
        parts = path.relative_to(folder).parts
        if not path.is_dir() and not any(part.startswith(".") for part in parts) and path.name.casefold() not in NOT_DOCUMENTS:
            files.append((parts, path))
    return [path for _, path in sorted(files)]


def folder_name(path: Path, folder: Path) -> str:
    """``path``'s name below ``folder``, with "/" between its folders: what pairs it by name and
    makes its document id."""
    return path.relative_to(folder).as_posix()


#: The longest cell a TSV may hold: csv's own limit (128 KiB) stopped a crawled corpus's long
#: line, or a manifest's, with a traceback.
LARGEST_TSV_CELL = 2**31 - 1


Row = TypeVar("Row")


def tsv_rows(reader: Iterator[Row], path: Path) -> Iterator[Row]:
    """The rows of a ``csv`` reader of ``path``, cells of any length, and a row it cannot read a
    one-line error naming its line."""
    csv.field_size_limit(LARGEST_TSV_CELL)
    return _rows_or_error(reader, path)


def _rows_or_error(reader: Iterator[Row], path: Path) -> Iterator[Row]:
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(f"{path}:{getattr(reader, 'line_num', '?')}: {error}") from None
        yield row


def check_regular_file(file: Path) -> None:
    """Raise InputError unless ``file`` is a regular file (or a link to one): a FIFO, a device or
    a socket would block or never end."""
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except OSError as error:
        raise InputError(f"{file}: cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{file}: is a directory, not a file")
    if not stat.S_ISREG(mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise InputError(f"{file}: is {kind}, not a regular file")


def read_bytes(path: str | Path) -> bytes:
    """Read a file's bytes, gzip-compressed ones uncompressed, turning every OS-level failure
    into an InputError."""
    file = Path(path)
    check_regular_file(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise InputError(f"{file}: cannot be read ({error.strerror})") from None
    if data.startswith(_GZIP_MAGIC):
        try:
            return gzip.decompress(data)
        except DAMAGED_GZIP:
            raise InputError(f"{file}: a damaged gzip file") from None
    return data


_GZIP_MAGIC = b"\x1f\x8b"
#: What reading a damaged gzip file raises: a bad header, a cut end, corrupt compressed data.
DAMAGED_GZIP = (gzip.BadGzipFile, EOFError, zlib.error)
#: Charset labels as browsers read them (the WHATWG Encoding standard): a page that says
#: ISO-8859-1 is decoded as windows-1252, one that says ISO-8859-9 as windows-1254.
_BROWSER_CHARSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874"}


def _decode_page(data: bytes, file: Path, encoding: str | None, language: str | None) -> tuple[str, str]:
    """:func:`_decode`, except that an HTML page without a byte-order mark is first decoded with
    the charset its ``<meta>`` tag declares (when that charset exists and decodes it)."""
    declared = None if encoding or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else declared_charset(data)
    if declared and text_format(uncompressed_path(file).name, data[:4096].decode("latin-1")) == HTML:
        try:
            name = codecs.lookup(declared).name
            name = _BROWSER_CHARSETS.get(name, name)
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: detect as for any file
    return _decode(data, file, encoding, language)


def is_gzip_name(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def uncompressed_path(path: Path) -> Path:
    """The path without a ``.gz`` ending, whose extension says the format: ``page.html.gz`` is
    read as ``page.html``."""
    return path.with_suffix("") if is_gzip_name(path) else path


def _load(
    path: str | Path, encoding: str | None, language: str | None, soft_hyphen_breaks: bool = False
) -> tuple[str, str, str, PageLinks]:
    """The cleaned text of a file, the encoding it was decoded with, its format (the text of a
    web page, Word file, Markdown or subtitles is taken out of its markup: :mod:`aligner.markup`) and, for
    a web page, its links. With ``soft_hyphen_breaks`` (free text), a line that ends in a soft
    hyphen goes on in the next one: the word it breaks is joined."""
    file = Path(path)
    data = read_bytes(file)
    if not data.strip():
        raise InputError(f"{file}: is empty")
    name = uncompressed_path(file).name
    links = PageLinks()
    if binary_format(str(file), data) == DOCX:
        text, used, form = docx_text(data, str(file)), "utf-8", DOCX  # a .docx holds UTF-8 XML
    else:
        text, used = _decode_page(data, file, encoding, language)
        if "\x00" in text:
            raise InputError(f"{file}: looks like a binary file, not text (NUL characters after decoding as {used})")
        form = text_format(name, text)
        if form == XML:
            raise InputError(
                f"{file}: is an XML document, not text: give its text, or the page as HTML (a TMX is checked with aligner check)"
            )
        if form == HTML:
            text, links = web_page(text, str(file))
        elif form == SUBTITLES:
            text = subtitle_text(text)
        elif form == MARKDOWN:
            text = markdown_text(text)
    if soft_hyphen_breaks:
        text = _SOFT_HYPHEN_BREAK.sub("", text)
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise InputError(f"{file}: has no text after cleaning")
    return cleaned, used, form, links


def read_document(path: str | Path, encoding: str | None = None, language: str | None = None) -> Document:
    """Read free text: paragraphs to be segmented into sentences."""
    text, used, form, links = _load(path, encoding, language, soft_hyphen_breaks=True)
    # marked-up formats mark their paragraphs: only plain text has hard-wrapped lines to re-join
    paragraphs = split_paragraphs(text, language) if form == TEXT else [line for line in text.split("\n") if line]
    lines = sum(1 for line in text.split("\n") if line) if form == TEXT else 0
    return Document(path=str(path), paragraphs=paragraphs, encoding=used, format=form, links=links, lines=lines)


def read_lines(path: str | Path, encoding: str | None = None, language: str | None = None, keep_blank: bool = False) -> Document:
    """Read one unit per line (presegmented text, translations): plain text only, since a web
    page's or Word file's lines are not its sentences.

    Blank lines are dropped unless ``keep_blank``, which translation files need so that line
    ``k`` stays the translation of sentence ``k``.
    """
    text, used, form, _ = _load(path, encoding, language)
    if form != TEXT:
        raise InputError(f"{path}: is {_FORM_NAMES[form]}, but one sentence a line of plain text is expected here")
    lines = text.split("\n")
    if keep_blank:
        while lines and not lines[-1]:
            lines.pop()
    else:
        lines = [line for line in lines if line]
    return Document(path=str(path), paragraphs=lines, encoding=used)


_FORM_NAMES = {HTML: "an HTML page", DOCX: "a Word file", SUBTITLES: "a subtitle file", MARKDOWN: "a Markdown file"}


def json_object(line: str, path: Path, number: int) -> dict[str, Any]:
    """Line ``number`` of a JSON-lines file as an object, or an error naming the line."""
    try:
        value = json.loads(line)
    except ValueError:
        raise InputError(f"{path}:{number}: not a JSON object") from None
    if not isinstance(value, dict):
        raise InputError(f"{path}:{number}: not a JSON object")
    return value
