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


def test_hard_wrapped_lines_are_joined_but_paragraph_lines_are_not() -> None:
    text = "The minister said that the\nceasefire must hold.\nA second paragraph.\n\nThird one."
    assert split_paragraphs(text) == ["The minister said that the ceasefire must hold.", "A second paragraph.", "Third one."]


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
