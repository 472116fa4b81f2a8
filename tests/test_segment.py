from __future__ import annotations

import pytest

from aligner.registry import SEGMENTERS, resolve
from aligner.segment import repair_boundaries, segment_paragraphs

TURKISH_CASES = [
    ("Dr. Ahmet Yılmaz ve Av. Mehmet Demir görüştü. Toplantı bitti.", ["Dr. Ahmet Yılmaz ve Av. Mehmet Demir görüştü.", "Toplantı bitti."]),
    ("Enflasyon %50 arttı, dolar 1.75 liraya çıktı vb. şeyler oldu. Sonra düştü.", ["Enflasyon %50 arttı, dolar 1.75 liraya çıktı vb. şeyler oldu.", "Sonra düştü."]),
    ("Toplantı No. 5 salonda yapıldı. Herkes geldi.", ["Toplantı No. 5 salonda yapıldı.", "Herkes geldi."]),
    ('"Bunu kabul etmiyoruz." dedi. Sonra ayrıldı.', ['"Bunu kabul etmiyoruz." dedi.', "Sonra ayrıldı."]),
    ("İstanbul'da 3. Havalimanı 29 Eylül'de açıldı. Işıklar yandı.", ["İstanbul'da 3. Havalimanı 29 Eylül'de açıldı.", "Işıklar yandı."]),
    ("Sayın Cumhurbaşkanı Sn. Putin ile görüştü. (PT/VK)", ["Sayın Cumhurbaşkanı Sn. Putin ile görüştü. (PT/VK)"]),
]


@pytest.mark.parametrize("name", ["moses", "sentencex", "pysbd"])
@pytest.mark.parametrize("text, expected", TURKISH_CASES)
def test_turkish_news_boundaries(name: str, text: str, expected: list[str]) -> None:
    segmenter = resolve(SEGMENTERS, name, "segmenter")("tr")
    assert segment_paragraphs([text], segmenter, "tr") == expected


def test_english_abbreviations_and_quotes() -> None:
    segmenter = resolve(SEGMENTERS, "moses", "segmenter")("en")
    text = 'Mr. Smith met Dr. Jones on Sept. 29. Prices rose 1.75 percent. "No," he said. (PT/VK)'
    assert segment_paragraphs([text], segmenter, "en") == [
        "Mr. Smith met Dr. Jones on Sept. 29.",
        "Prices rose 1.75 percent.",
        '"No," he said. (PT/VK)',
    ]


def test_sentences_never_cross_paragraphs() -> None:
    segmenter = resolve(SEGMENTERS, "moses", "segmenter")("en")
    assert segment_paragraphs(["First line without a stop", "second paragraph."], segmenter, "en") == [
        "First line without a stop",
        "second paragraph.",
    ]


def test_repair_only_joins_false_cuts() -> None:
    assert repair_boundaries(["Prof.", "Dr. Kaya geldi.", "Ama gitti."], "tr") == ["Prof. Dr. Kaya geldi.", "Ama gitti."]
    assert repair_boundaries(["Geldi.", "  ", "Gitti."], "tr") == ["Geldi.", "Gitti."]


QUOTED_ENDS = [
    ("de", "Dr. Müller sagte: „Wir müssen handeln.“ Die Opposition kritisierte den Plan.", ["Dr. Müller sagte: „Wir müssen handeln.“", "Die Opposition kritisierte den Plan."]),
    ("de", "Er rief: »Hilfe!« Niemand kam.", ["Er rief: »Hilfe!«", "Niemand kam."]),
    ("fr", "Il a dit : « Nous partons. » Puis il est parti.", ["Il a dit : « Nous partons. »", "Puis il est parti."]),
    ("en", "He said: “We go.” Then he left.", ["He said: “We go.”", "Then he left."]),
    ("tr", "“Gidiyoruz.” dedi. Sonra gitti.", ["“Gidiyoruz.” dedi.", "Sonra gitti."]),  # lower case: no cut
    ("en", "The show “Dr. Who.” aired.", ["The show “Dr. Who.” aired."]),
]


@pytest.mark.parametrize("name", ["moses", "sentencex", "pysbd"])
@pytest.mark.parametrize("language, text, expected", QUOTED_ENDS)
def test_a_quoted_sentence_end_is_a_boundary_in_every_quote_style(name: str, language: str, text: str, expected: list[str]) -> None:
    """The Moses lists miss German „…“ and »…« ends; the repair pass cuts them for every segmenter."""
    segmenter = resolve(SEGMENTERS, name, "segmenter")(language)
    assert segment_paragraphs([text], segmenter, language) == expected
