from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.read import clean_text, read_document, read_lines, split_paragraphs

TURKISH = "Cumhurbaşkanı Erdoğan, Şişli'de ığdır ve İzmir'i andı.\n"


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    for data in (TURKISH.encode("utf-8"), b"\xef\xbb\xbf" + TURKISH.encode("utf-8")):
        (tmp_path / "a.txt").write_bytes(data)
        document = read_document(tmp_path / "a.txt", language="tr")
        assert document.paragraphs == [TURKISH.strip()] and document.encoding == "utf-8"


@pytest.mark.parametrize("encoding", ["cp1254", "iso-8859-9"])
def test_legacy_turkish_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "a.txt").write_bytes(TURKISH.encode(encoding))
    document = read_document(tmp_path / "a.txt", language="tr")
    assert document.paragraphs == [TURKISH.strip()]
    assert document.encoding == "cp1254"  # the two agree on every Turkish letter


LEGACY = [
    ("zh", "gbk", "俄罗斯总统普京周二在索契会见了土耳其总统。两人讨论了叙利亚的局势。", "gb18030"),
    ("zh", "big5", "俄羅斯總統普京週二在索契會見了土耳其總統。兩人討論了敘利亞的局勢。", "big5"),
    ("ja", "shift_jis", "今日は晴れです。東京で会議が開かれた。", "cp932"),
    ("ko", "euc-kr", "대통령은 모스크바에 갔다. 푸틴을 만났다.", "cp949"),
    ("ru", "cp1251", "Президент поехал в Москву. Он встретился с Путиным.", "cp1251"),
    ("el", "cp1253", "Ο πρόεδρος πήγε στη Μόσχα.", "cp1253"),
    ("ar", "cp1256", "ذهب الرئيس إلى موسكو.", "cp1256"),
]


@pytest.mark.parametrize("language, encoding, text, detected", LEGACY)
def test_legacy_encodings_of_other_languages(tmp_path: Path, language: str, encoding: str, text: str, detected: str) -> None:
    """Never a Western code page for a language in another alphabet: it would read any bytes as nonsense."""
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    document = read_document(tmp_path / "a.txt", language=language)
    assert document.paragraphs == [text] and document.encoding == detected


def test_named_encoding_and_undecodable_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(TURKISH.encode("cp1254"))
    assert read_document(tmp_path / "a.txt", encoding="iso-8859-9").paragraphs == [TURKISH.strip()]
    with pytest.raises(InputError, match="cannot be decoded as utf-8"):
        read_document(tmp_path / "a.txt", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_document(tmp_path / "a.txt", encoding="no-such-codec")


def test_nfc_and_invisible_characters() -> None:
    decomposed = "Erdog\u0306an\u200b said\u00a0 so\u00ad.\r\n"
    assert clean_text(decomposed) == "Erdoğan said so.\n"
    # a terminal's colours go whole: "[1m" stayed in the sentence when only the escape was dropped
    assert clean_text("a \x1b[1mbold\x1b[0m b\x1b[38;5;196m red\x07 x") == "a bold b red x"


def test_hard_wrapped_lines_are_joined_but_paragraph_lines_are_not() -> None:
    text = "The minister said that the\nceasefire must hold.\nA second paragraph.\n\nThird one."
    assert split_paragraphs(text) == ["The minister said that the ceasefire must hold.", "A second paragraph.", "Third one."]


def test_text_wrapped_at_a_width_is_joined_even_before_a_capital() -> None:
    """A book wrapped at a width breaks lines before names and "I" as well: "… met with" /
    "Putin in …" was cut into two paragraphs, and so into two sentences. A block wrapped at a
    width is joined but where a line ends a sentence short of it; a headline above a paragraph,
    and a paragraph a line, stay apart."""
    book = (
        "It was late in the evening when the president met with\n"
        "Putin in the small palace by the sea, and the two men\n"
        "talked for hours about the war. Later that night, the\n"
        "President said that I would be welcome to join them in\n"
        "Moscow the following spring.\n"
        "A new paragraph, without a blank line before it, that\n"
        "runs on for a while."
    )
    assert split_paragraphs(book) == [
        "It was late in the evening when the president met with Putin in the small palace by the sea, and the two men "
        "talked for hours about the war. Later that night, the President said that I would be welcome to join them in "
        "Moscow the following spring.",
        "A new paragraph, without a blank line before it, that runs on for a while.",
    ]
    news = "Breaking news\nThe president said that the ceasefire must hold, whatever happens next.\nOfficials left the city."
    assert split_paragraphs(news) == news.split("\n")
    items = [
        "Here is what students should do over the mid-term break",
        "1) Make a plan for the break that suits their own situation,",
        "2) Revise the lessons they already know and fill the gaps,",
        "- Read books, and leave some time for the family as well",
    ]
    assert split_paragraphs("\n".join(items)) == items  # a list item opens its own line
    headlines = [
        "Putin and Erdogan Meet in Sochi to Discuss the War in Syria",
        "Central Bank Keeps Interest Rates Unchanged for a Third Month",
        "Heavy Rain Expected in the North of the Country This Weekend",
    ]
    assert split_paragraphs("\n".join(headlines)) == headlines  # full lines, no full stops, but no flow


def test_a_paragraph_of_two_lines_is_wrapped_as_the_texts_others_are() -> None:
    """A novel's dialogue is paragraphs of two lines, too few to show a width of their own: "…
    have you heard that" / "Netherfield Park is let at last?" was two paragraphs. A two-line
    paragraph of a text whose paragraphs are wrapped at a width is read at that width; without
    wrapped paragraphs around it, a headline above a line stays apart."""
    wrapped = (
        "It is a truth universally acknowledged, that a single man in possession\n"
        "of a good fortune, must be in want of a wife. However little known the\n"
        "feelings or views of such a man may be on his first entering a\n"
        "neighbourhood, this truth is well fixed in the minds of the families.\n"
    )
    dialogue = "“My dear,” said his lady to him one day, “have you heard that\nNetherfield Park is let at last?”"
    assert split_paragraphs(f"{wrapped}\n{dialogue}\n\n{wrapped}")[1] == dialogue.replace("\n", " ")
    headline = (
        "Ankara and Moscow Agree on a New Ceasefire Line for Northern Syria\nThe two governments said on Monday that the line would hold."
    )
    assert split_paragraphs(f"{headline}\n\nOfficials left the city.") == [*headline.split("\n"), "Officials left the city."]


def test_chinese_wrapped_at_a_width_is_joined_without_spaces() -> None:
    """Chinese wrapped at 25 characters broke "局势" (situation) into two paragraphs, and so two
    sentences: a width is measured in spelled letters (a character three), a Chinese sentence
    ends with "。", and Chinese lines join without a space."""
    lines = [
        "总统今天在索契会见了普京，两位领导人讨论了叙利亚局",
        "势和两国之间的贸易关系，会谈在海边的小宫殿里举行，",
        "持续了三个小时。会谈结束后双方发表了联合声明。",
        "第二段从这里开始。",
    ]
    assert split_paragraphs("\n".join(lines), "zh") == ["".join(lines)]
    assert split_paragraphs("\n".join(lines[2:]), "zh") == lines[2:]  # two lines end sentences: not wrapped


def test_a_word_hyphenated_across_a_wrapped_line_is_one_word_again(tmp_path: Path) -> None:
    """Books and OCR'd yearbooks break words at line ends: "foolish- ness" was no word. Joined
    without the hyphen where the text writes the word so elsewhere, else with it ("well-known");
    a dash after a space stays a dash; a soft hyphen at a break always joins (free text only: a
    line of presegmented text stays a line)."""
    text = "It was the age of foolish-\nness, and such foolishness. A well-\nknown fact. A dash -\nthen more."
    assert split_paragraphs(text) == ["It was the age of foolishness, and such foolishness. A well-known fact. A dash - then more."]
    # German keeps a compound's noun capitalised after its hyphen: lower case goes on a broken word
    german = "Die Expedition erreichte Mos-\nkau im Mai, nach der Himalaya-\nExpedition."
    assert split_paragraphs(german, "de") == ["Die Expedition erreichte Moskau im Mai, nach der Himalaya-Expedition."]
    assert split_paragraphs(german, "en") == ["Die Expedition erreichte Mos-kau im Mai, nach der Himalaya-Expedition."]
    path = tmp_path / "book.txt"
    path.write_text("Die Expe\u00ad\ndition begann im Mai.\n", encoding="utf-8")
    assert read_document(path).paragraphs == ["Die Expedition begann im Mai."]
    assert read_lines(path).paragraphs == ["Die Expe", "dition begann im Mai."]


@pytest.mark.parametrize(
    "content, message",
    [(None, "no such file"), (b"", "is empty"), (b"  \n\n", "is empty"), (b"\x00\x01\x02binary", "binary")],
)
def test_bad_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "doc.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_directory_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_presegmented_lines_drop_blanks(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one.\n\ntwo.\n", encoding="utf-8")
    assert read_lines(tmp_path / "a.txt").paragraphs == ["one.", "two."]
    assert read_lines(tmp_path / "a.txt", keep_blank=True).paragraphs == ["one.", "", "two."]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_read_not_called_binary(tmp_path: Path, encoding: str) -> None:
    """Issue 11, item 7: UTF-16 with or without a byte-order mark was reported as binary."""
    text = "Erdoğan Soçi'ye gitti. Görüşme 1,5 saat sürdü.\nİkinci paragraf: ılık, İstanbul.\n"
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path, language="tr")
    assert document.paragraphs == ["Erdoğan Soçi'ye gitti. Görüşme 1,5 saat sürdü.", "İkinci paragraf: ılık, İstanbul."]
    assert read_document(path, encoding=encoding, language="tr").paragraphs == document.paragraphs  # --encoding works too


def test_nul_bytes_make_a_file_binary_wherever_they_are(tmp_path: Path) -> None:
    """Issue 11, item 7: a NUL in the first 8 KB rejected the file, one after it was dropped."""
    for offset in (10, 20_000):
        path = tmp_path / f"nul-{offset}.txt"
        data = bytearray(("Bir cümle. " * 3000).encode("utf-8"))
        data[offset] = 0
        path.write_bytes(bytes(data))
        with pytest.raises(InputError, match="binary"):
            read_document(path, language="tr")


PAGE = """<!DOCTYPE html>
<html lang="tr"><head><meta charset="{charset}"><title>Erdoğan ve Putin Soçi'de görüştü</title>
<style>body {{ font-family: serif }}</style><script>var menu = "Anasayfa. Haberler.";</script></head>
<body><nav><ul><li><a href="/">Anasayfa</a></li><li><a href="/en">English</a></li></ul></nav>
<article><h1>Erdoğan ve Putin Soçi'de görüştü</h1>
<p>Cumhurbaşkanı Erdoğan, Rusya Devlet Başkanı Putin ile Soçi'de bir araya geldi. Görüşme dört saat sürdü.</p>
<p>İki lider Suriye'deki durumu &amp; enerji işbirliğini ele aldı.</p></article>
<footer>© 2018 bianet · Tüm hakları saklıdır</footer></body></html>
"""
ARTICLE = [
    "Erdoğan ve Putin Soçi'de görüştü",
    "Cumhurbaşkanı Erdoğan, Rusya Devlet Başkanı Putin ile Soçi'de bir araya geldi. Görüşme dört saat sürdü.",
    "İki lider Suriye'deki durumu & enerji işbirliğini ele aldı.",
]


@pytest.mark.parametrize("name", ["page.html", "page.htm", "251032"])
def test_a_web_page_gives_its_article_text_without_markup_or_menus(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    document = read_document(tmp_path / name, language="tr")
    assert document.paragraphs == ARTICLE and document.format == "html"


def test_a_web_page_is_decoded_with_the_charset_it_declares(tmp_path: Path) -> None:
    """ISO-8859-9 read as a browser reads it (windows-1254); a wrong declaration falls back to detection."""
    (tmp_path / "a.html").write_bytes(PAGE.format(charset="iso-8859-9").encode("cp1254"))
    document = read_document(tmp_path / "a.html", language="tr")
    assert document.paragraphs == ARTICLE and document.encoding == "cp1254"
    (tmp_path / "b.html").write_bytes(PAGE.format(charset="utf-8").encode("cp1254"))
    assert read_document(tmp_path / "b.html", language="tr").paragraphs == ARTICLE


def test_gzip_compressed_files_are_read_as_what_they_hold(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(TURKISH.encode("utf-8")))
    assert read_document(tmp_path / "a.txt.gz", language="tr").paragraphs == [TURKISH.strip()]
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.format(charset="utf-8").encode("utf-8")))
    assert read_document(tmp_path / "page.html.gz", language="tr").paragraphs == ARTICLE
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(TURKISH.encode("utf-8"))[:20])
    with pytest.raises(InputError, match="damaged gzip"):
        read_document(tmp_path / "broken.txt.gz")
    corrupt = bytearray(gzip.compress((TURKISH * 50).encode("utf-8")))
    corrupt[20:40] = bytes(b ^ 0xFF for b in corrupt[20:40])  # the compressed data, not the header or the end
    (tmp_path / "corrupt.txt.gz").write_bytes(bytes(corrupt))
    with pytest.raises(InputError, match="damaged gzip"):
        read_document(tmp_path / "corrupt.txt.gz")


def _docx(paragraphs: list[str]) -> bytes:
    """A minimal Word file: the parts Word itself needs are left out, the body is real WordprocessingML."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    body = "".join(
        f"<w:p><w:r><w:t xml:space='preserve'>{escape(first)}</w:t></w:r><w:r><w:tab/><w:t>{escape(rest)}</w:t></w:r></w:p>"
        for first, _, rest in (p.partition("\t") for p in paragraphs)
    )
    xml = f"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>{body}</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_a_word_file_gives_its_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(_docx(["Birinci paragraf & devamı.", "İkinci\tparagraf."]))
    document = read_document(tmp_path / "a.docx", language="tr")
    assert document.paragraphs == ["Birinci paragraf & devamı.", "İkinci paragraf."] and document.format == "docx"
    (tmp_path / "b.docx").write_bytes(_docx(["x"])[:40])
    with pytest.raises(InputError, match=r"b\.docx: is a damaged zip archive"):
        read_document(tmp_path / "b.docx")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "is a PDF file: give its text instead"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), r"is an old Word or Office \(\.doc\) file"),
        (b"{\\rtf1\\ansi Merhaba}", "is an RTF file"),
        (b'<?xml version="1.0"?>\n<TEI><text><p>Merhaba.</p></text></TEI>', "is an XML document, not text"),
    ],
)
def test_formats_that_are_not_read_say_what_to_give_instead(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "a").write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(tmp_path / "a")


SRT = """1
00:00:01,000 --> 00:00:03,500
<i>Dün akşam</i> Ankara'ya

2
00:00:03,600 --> 00:00:06,000
geldik. Hava soğuktu.

3
00:00:06,100 --> 00:00:08,000
{\\an8}- Üşüdün mü?
- Hayır.
"""
VTT = "WEBVTT\n\nNOTE made by hand\n\n00:01.000 --> 00:03.500 align:start\nDün akşam Ankara'ya\n\ncue-2\n00:03.600 --> 00:06.000\ngeldik. <c.yellow>Hava</c> soğuktu.\n"


@pytest.mark.parametrize("name, text", [("a.srt", SRT), ("a.vtt", VTT), ("subtitles", SRT)])
def test_subtitles_give_their_cues_as_running_text(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    document = read_document(tmp_path / name, language="tr")
    expected = "Dün akşam Ankara'ya geldik. Hava soğuktu."
    assert document.format == "subtitles"
    assert document.paragraphs == ([expected + " - Üşüdün mü? - Hayır."] if text == SRT else [expected])


def test_one_sentence_a_line_must_be_plain_text(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="a.html: is an HTML page, but one sentence a line of plain text is expected"):
        read_lines(tmp_path / "a.html")


def test_a_page_without_article_text_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><head><title>x</title><script>1</script></head><body></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="a.html: no article text found in this HTML page"):
        read_document(tmp_path / "a.html")


MARKDOWN = """---
title: Kurulum
lang: tr
---
# Kurulum **hızlı**

Paketi `pip` ile kurun: [belgelere](https://example.org/docs) bakın ![logo](logo.png)
ve devam edin &amp; bitirin.

- Birinci *madde*
- İkinci madde

```bash
pip install aligner
```

> Alıntı burada.

| Sütun | Değer |
|---|---|
| a | 1 |

<div class="note">ham HTML</div>
"""


def test_markdown_gives_its_prose_without_syntax_code_or_front_matter(tmp_path: Path) -> None:
    (tmp_path / "kurulum.md").write_text(MARKDOWN, encoding="utf-8")
    document = read_document(tmp_path / "kurulum.md", language="tr")
    assert document.format == "markdown"
    assert document.paragraphs == [
        "Kurulum hızlı",
        "Paketi pip ile kurun: belgelere bakın ve devam edin & bitirin.",
        "Birinci madde",
        "İkinci madde",
        "Alıntı burada.",
        "Sütun | Değer",
        "a | 1",
    ]


def test_a_text_of_one_sentence_a_line_read_as_free_text_is_told_to_use_presegmented(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A corpus file of one sentence a line (Text+Berg's, cut at colons and commas: "… war es so
    weit :" / "sie standen …") has its lower-case lines joined by the reader and others cut by the
    segmenter: its sentences are no longer its lines, which a gold alignment or a translation
    file counts. The run says so; a paragraph a line (news) and short files say nothing."""
    from aligner.pipeline import AlignConfig, load_document

    config = AlignConfig(src_lang="de", tgt_lang="fr")
    lines = [
        f"Am Morgen des {k}. Juli war es so weit ," if k % 10 == 3 else f"Die Gruppe stieg am Tag {k} weiter auf ." for k in range(1, 31)
    ]
    lines[3] = "sie standen oberhalb der Eiswand ."  # after a line that ends at a comma: joined
    lines[13] = "sie erreichten den Sattel ."
    corpus_file = tmp_path / "corpus.de"
    corpus_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sentences, _ = load_document(corpus_file, "de", config)
    assert len(sentences) == 28 and "looks like one sentence a line (30 lines, 2 of them joined" in caplog.text
    caplog.clear()
    assert len(load_document(corpus_file, "de", AlignConfig(src_lang="de", tgt_lang="fr", presegmented=True))[0]) == 30
    news = tmp_path / "news.de"  # a paragraph a line, of two sentences each
    news.write_text("\n".join(f"Die Gruppe stieg am Tag {k} auf. Das Wetter war gut." for k in range(30)) + "\n", encoding="utf-8")
    assert len(load_document(news, "de", config)[0]) == 60 and "looks like" not in caplog.text
