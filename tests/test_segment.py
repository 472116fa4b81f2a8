from __future__ import annotations

import pytest

from aligner.registry import SEGMENTERS, resolve
from aligner.segment import repair_boundaries, segment_paragraphs

TURKISH_CASES = [
    ("Dr. Ahmet Yılmaz ve Av. Mehmet Demir görüştü. Toplantı bitti.", ["Dr. Ahmet Yılmaz ve Av. Mehmet Demir görüştü.", "Toplantı bitti."]),
    (
        "Enflasyon %50 arttı, dolar 1.75 liraya çıktı vb. şeyler oldu. Sonra düştü.",
        ["Enflasyon %50 arttı, dolar 1.75 liraya çıktı vb. şeyler oldu.", "Sonra düştü."],
    ),
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
    (
        "de",
        "Dr. Müller sagte: „Wir müssen handeln.“ Die Opposition kritisierte den Plan.",
        ["Dr. Müller sagte: „Wir müssen handeln.“", "Die Opposition kritisierte den Plan."],
    ),
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


SCRIPTS_MOSES_LACKS = [
    ("zh", "今天天气很好。我们去公园散步！你来吗？", ["今天天气很好。", "我们去公园散步！", "你来吗？"]),
    ("ja", "今日は晴れです。公園に行きましょう！", ["今日は晴れです。", "公園に行きましょう！"]),
    ("ar", "ذهب الرئيس إلى موسكو. التقى بوتين هناك؟", ["ذهب الرئيس إلى موسكو.", "التقى بوتين هناك؟"]),
    ("hi", "राष्ट्रपति मास्को गए। वहाँ पुतिन से मिले।", ["राष्ट्रपति मास्को गए।", "वहाँ पुतिन से मिले।"]),
    ("uk", "Президент поїхав до Москви. Він зустрівся з Путіним.", ["Президент поїхав до Москви.", "Він зустрівся з Путіним."]),
    # a lone letter of a script without case before a period is a title ("د." doctor), no end
    ("ar", "وأضاف د. أحمد أن الخطة جيدة. وقال م. خالد إنها ممتازة.", ["وأضاف د. أحمد أن الخطة جيدة.", "وقال م. خالد إنها ممتازة."]),
    # Georgian letters are lower case to Unicode, but a sentence opening all the same
    (
        "ka",
        "მთავრობამ გეგმა წარადგინა. საკმარისია ეს? ექსპერტები ეჭვობენ.",
        ["მთავრობამ გეგმა წარადგინა.", "საკმარისია ეს?", "ექსპერტები ეჭვობენ."],
    ),
]


@pytest.mark.parametrize("name", ["moses", "sentencex", "pysbd"])
@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("fr", "Vous venez de Paris ? — Oui, répondit-elle.", ["Vous venez de Paris ?", "— Oui, répondit-elle."]),
        ("es", "¿Vienes de Madrid? —Sí —respondió ella—. ¡Qué bien!", ["¿Vienes de Madrid?", "—Sí —respondió ella—.", "¡Qué bien!"]),
        ("en", "The score was 5 — Smith left early.", ["The score was 5 — Smith left early."]),  # no sentence end before it
    ],
)
def test_a_dialogue_turn_opened_by_a_dash_is_a_new_sentence(name: str, language: str, text: str, expected: list[str]) -> None:
    """Novels write dialogue with a dash opening each turn; segmenters leave the turn in the
    previous sentence."""
    segmenter = resolve(SEGMENTERS, name, "segmenter")(language)
    assert segment_paragraphs([text], segmenter, language) == expected


@pytest.mark.parametrize("name", ["moses", "sentencex", "pysbd"])
def test_a_month_abbreviation_before_a_year_ends_nothing(name: str) -> None:
    """CLDR's month abbreviations ("gen.", "janv.", "Okt.") before a number are no sentence end;
    a full month name ("mars") at the end of a sentence still is."""
    cases = [
        ("it", "Era il 3 gen. 2020. Poi partì.", ["Era il 3 gen. 2020.", "Poi partì."]),
        (
            "fr",
            "Le 3 janv. 2020, il partit. Il revint en mars. 2021 fut meilleur.",
            ["Le 3 janv. 2020, il partit.", "Il revint en mars.", "2021 fut meilleur."],
        ),
    ]
    for language, text, expected in cases:
        assert segment_paragraphs([text], resolve(SEGMENTERS, name, "segmenter")(language), language) == expected


BOOK_CASES = [
    ("de", "Vgl. S. 45 und Abb. 3 im Anhang. Das Bild zeigt den Grat.", ["Vgl. S. 45 und Abb. 3 im Anhang.", "Das Bild zeigt den Grat."]),
    ("de", "Dr. med. K. Müller schrieb uns. Wir antworteten.", ["Dr. med. K. Müller schrieb uns.", "Wir antworteten."]),
    (
        "de",
        "Sechs Siebentausender (s. «Die Alpen» 1956, S. 83) gibt es dort.",
        ["Sechs Siebentausender (s. «Die Alpen» 1956, S. 83) gibt es dort."],
    ),
    (
        "de",
        "Die neue Kote ist jedoch 8222 m. Über Manaslu ist nichts Neues zu melden.",
        ["Die neue Kote ist jedoch 8222 m.", "Über Manaslu ist nichts Neues zu melden."],
    ),
    ("fr", "Le café ouvre à 8 h. Il pleut.", ["Le café ouvre à 8 h.", "Il pleut."]),
    (
        "fr",
        "Rien de nouveau au Népal. 5. Une expédition australienne est partie.",
        ["Rien de nouveau au Népal.", "5. Une expédition australienne est partie."],
    ),
    ("it", "Il sig. Rossi è arrivato. La riunione è finita.", ["Il sig. Rossi è arrivato.", "La riunione è finita."]),
]


@pytest.mark.parametrize("language, text, expected", BOOK_CASES)
def test_abbreviations_units_and_list_numbers_of_books_and_yearbooks(language: str, text: str, expected: list[str]) -> None:
    """The Moses lists match their abbreviations in their case only ("vgl", "Sig") and lack some
    ("Abb.", "med."), read a unit after a number as an initial ("8222 m. Über"), and cut after a
    list item's number ("5." alone): each was a wrong sentence in German, French or Italian prose."""
    assert segment_paragraphs([text], resolve(SEGMENTERS, "auto", "segmenter")(language), language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Istanbul is the largest city in Turkey.[1] It had c. 15.5 million people in 2019.[2][3] The city was founded ca. 660 BC.",
            [
                "Istanbul is the largest city in Turkey.[1]",
                "It had c. 15.5 million people in 2019.[2][3]",
                "The city was founded ca. 660 BC.",
            ],
        ),
        (
            "tr",
            "İstanbul en kalabalık şehirdir.[1] 2019'da nüfusu 15,5 milyondu.",
            ["İstanbul en kalabalık şehirdir.[1]", "2019'da nüfusu 15,5 milyondu."],
        ),
        (
            "de",
            "„Wohin gehst du?“, fragte sie. „Nach Hause.“ Er lachte.",
            ["„Wohin gehst du?“, fragte sie.", "„Nach Hause.“", "Er lachte."],
        ),
        ("de", "Er sagte es. »Genug!« Dann ging er.", ["Er sagte es.", "»Genug!«", "Dann ging er."]),
        (
            "en",
            "He was born in 1950 (d. 2010). We sold apples, pears etc. The market closed.",
            ["He was born in 1950 (d. 2010).", "We sold apples, pears etc.", "The market closed."],
        ),
        ("es", "El Sr. García vive en EE. UU. desde 2010. Luego se fue.", ["El Sr. García vive en EE. UU. desde 2010.", "Luego se fue."]),
        ("it", "La città ha ca. 2,8 mln di abitanti, ecc. Poi partì.", ["La città ha ca. 2,8 mln di abitanti, ecc.", "Poi partì."]),
        (
            "pl",
            "Warszawa ma ok. 1,8 mln mieszkańców. Prof. Nowak to potwierdził.",
            ["Warszawa ma ok. 1,8 mln mieszkańców.", "Prof. Nowak to potwierdził."],
        ),
        (
            "ru",
            "Население — ок. 12,6 млн чел. (2021 г.). Он сказал: «Идём!» Они пошли.",
            ["Население — ок. 12,6 млн чел. (2021 г.).", "Он сказал: «Идём!»", "Они пошли."],
        ),
        (
            "tr",
            "Nüfusu yakl. 15 milyondur. Yapı 537'de tamamlandı vb. Sonra cami oldu.",
            ["Nüfusu yakl. 15 milyondur.", "Yapı 537'de tamamlandı vb.", "Sonra cami oldu."],
        ),
        (
            "en",
            "It is located at 41°00′30″N 28°58′48″E. It was a cathedral.",
            ["It is located at 41°00′30″N 28°58′48″E.", "It was a cathedral."],
        ),
        ("en", "Real Madrid vs. Barcelona ended 2-1.", ["Real Madrid vs. Barcelona ended 2-1."]),
        (
            "en",
            "Under Art. 5 para. 2 of the Act, the claim fails. Sec. 3 applies, as Tab. 1 shows.",
            ["Under Art. 5 para. 2 of the Act, the claim fails.", "Sec. 3 applies, as Tab. 1 shows."],
        ),
        ("de", "Gemäß § 3 Abs. 2 BGB ist der Vertrag nichtig. Er endet.", ["Gemäß § 3 Abs. 2 BGB ist der Vertrag nichtig.", "Er endet."]),
        ("tr", "TCK md. 5'e göre suç oluşmaz. Karar kesinleşti.", ["TCK md. 5'e göre suç oluşmaz.", "Karar kesinleşti."]),
        (
            "tr",
            "Dr. Öğr. Üyesi Ahmet Kaya ve Arş. Gör. Ayşe Demir katıldı. Gn. Md. Yrd. Hasan Öz ayrıldı.",
            ["Dr. Öğr. Üyesi Ahmet Kaya ve Arş. Gör. Ayşe Demir katıldı.", "Gn. Md. Yrd. Hasan Öz ayrıldı."],
        ),
        (
            "en",
            "The level peaked at 9 a.m. Friday. We met at 9 a.m. Then we left.",
            ["The level peaked at 9 a.m. Friday.", "We met at 9 a.m.", "Then we left."],
        ),
        ("tr", "Petrol ve Tur. Tic. Ltd. Şti. kuruldu. Fabrika açıldı.", ["Petrol ve Tur. Tic. Ltd. Şti. kuruldu.", "Fabrika açıldı."]),
        (
            "ru",
            "Потом переехал и т. д. Дом был старый. Проф. Иванов согласился.",
            ["Потом переехал и т. д.", "Дом был старый.", "Проф. Иванов согласился."],
        ),
        # the ellipsis character ends a sentence as "..." does; not within a sentence, nor a quotation's cut
        (
            "fr",
            "Il était trois heures… Personne ne vint. Il attendait… et attendait.",
            ["Il était trois heures…", "Personne ne vint.", "Il attendait… et attendait."],
        ),
        ("ru", "Было тихо…» Никто не пришёл.", ["Было тихо…»", "Никто не пришёл."]),
        ("en", "The report said […] The Ministry denied it.", ["The report said […] The Ministry denied it."]),
        ("uk", "Я пішов додому. Див. розд. 3. Вона пішла.", ["Я пішов додому.", "Див. розд. 3.", "Вона пішла."]),
        ("ru", "См. рис. 5 и табл. 2. Это важно.", ["См. рис. 5 и табл. 2.", "Это важно."]),
        ("pl", "Zob. rozdz. 3 i rys. 2. To ważne.", ["Zob. rozdz. 3 i rys. 2.", "To ważne."]),
        ("cs", "Viz odst. 3 a obr. 2. To je důležité.", ["Viz odst. 3 a obr. 2.", "To je důležité."]),
        # a French » closes: the sentence before it keeps it
        (
            "fr",
            "Il a dit : « C'est la route de l'arête W. » C'est par là qu'ils sont montés.",
            ["Il a dit : « C'est la route de l'arête W. »", "C'est par là qu'ils sont montés."],
        ),
    ],
)
def test_reference_marks_circa_and_opening_quotes_of_encyclopedias_and_novels(language: str, text: str, expected: list[str]) -> None:
    """A sentence end before reference marks ("[1]"), before a German „ or », or after "etc."
    was missed; "c.", "ca.", Polish "ok.", "Sec.", "Abs." or a letter ("d.") before a number (and,
    a later stop, Russian, Ukrainian, Polish and Czech "рис.", "розд.", "rozdz.", "odst."), Spanish "EE. UU."
    and a year in brackets after an abbreviation cut a sentence in two: wrong sentences in
    encyclopedic text and in novels' dialogue."""
    assert segment_paragraphs([text], resolve(SEGMENTERS, "auto", "segmenter")(language), language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Ein Träger bekommt 3 Rupies ( Fr. 2.70 ) pro Tag. Oberhalb steigt der Satz.",
            ["Ein Träger bekommt 3 Rupies ( Fr. 2.70 ) pro Tag.", "Oberhalb steigt der Satz."],
        ),
        (
            "de",
            "« Erste Besteigung » ( Österr. Touristenzeitung , 70. Jahrgang ) . Danach kam er.",
            ["« Erste Besteigung » ( Österr. Touristenzeitung , 70. Jahrgang ) .", "Danach kam er."],
        ),
        (
            "fr",
            "... « Un peu plus haut nous vîmes trois empreintes. » Il neigeait.",
            ["... « Un peu plus haut nous vîmes trois empreintes. »", "Il neigeait."],
        ),
        ("en", "He left (see p. 5 for details). Then he came back.", ["He left (see p. 5 for details).", "Then he came back."]),
        ("en", "He left (early). Then he came back (late).", ["He left (early).", "Then he came back (late)."]),
        (
            "ja",
            "「こんにちは。」と彼は言った。「行こう！」彼女は笑った。",
            ["「こんにちは。」と彼は言った。", "「行こう！」", "彼女は笑った。"],
        ),
    ],
)
def test_no_cut_inside_a_short_bracket_nor_after_marks_alone(language: str, text: str, expected: list[str]) -> None:
    """An abbreviation the segmenters do not know inside a bracket ("( Fr. 2.70 )", "( Österr.
    Touristenzeitung … )") cut the sentence in two, a leading "..." was a sentence of its own,
    and a Japanese quotation was cut from the particle that goes on after it ("「…」と彼は言った",
    joined without a space); brackets closed before the cut still allow it."""
    assert segment_paragraphs([text], resolve(SEGMENTERS, "auto", "segmenter")(language), language) == expected


@pytest.mark.parametrize("name", ["moses", "sentencex", "pysbd"])
def test_a_greek_question_mark_ends_a_sentence(name: str) -> None:
    """Greek asks with ";" (U+003B or U+037E), which the Moses lists read as a semicolon; a
    semicolon before a lower-case word stays one."""
    text = "Είναι αρκετό; Οι ειδικοί λένε όχι. Τι είπε\u037e «Όχι.» Πρώτα, δεύτερα; και τρίτα."
    segmenter = resolve(SEGMENTERS, name, "segmenter")("el")
    assert segment_paragraphs([text], segmenter, "el") == [
        "Είναι αρκετό;",
        "Οι ειδικοί λένε όχι.",
        "Τι είπε\u037e",
        "«Όχι.»",
        "Πρώτα, δεύτερα; και τρίτα.",
    ]


@pytest.mark.parametrize("name", ["auto", "sentencex"])
def test_scripts_without_case_end_sentences_with_their_own_marks_or_spaces(name: str) -> None:
    """Khmer ends a sentence with "។", Tibetan with a shad before a space, Thai and Lao with a
    space: each paragraph was one sentence. A Thai space beside a number or a Latin word ends
    nothing, and a piece too short to be a sentence stays with its neighbour."""
    cases = [
        ("km", "ភ្នំពេញគឺជារាជធានី។ ទីក្រុងនេះមានប្រជាជនច្រើន។", ["ភ្នំពេញគឺជារាជធានី។", "ទីក្រុងនេះមានប្រជាជនច្រើន។"]),
        ("bo", "ལྷ་ས་ནི་བོད་ཀྱི་རྒྱལ་ས་ཡིན། གྲོང་ཁྱེར་འདི་ཆེན་པོ་ཡིན།", ["ལྷ་ས་ནི་བོད་ཀྱི་རྒྱལ་ས་ཡིན།", "གྲོང་ཁྱེར་འདི་ཆེན་པོ་ཡིན།"]),
        (
            "th",
            "กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย มีประชากรประมาณ 10 ล้านคน เมืองนี้ตั้งอยู่ริมแม่น้ำเจ้าพระยา",
            ["กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย", "มีประชากรประมาณ 10 ล้านคน", "เมืองนี้ตั้งอยู่ริมแม่น้ำเจ้าพระยา"],
        ),
        ("th", "เมืองนี้ตั้งอยู่ริมแม่น้ำเจ้าพระยา ครับ", ["เมืองนี้ตั้งอยู่ริมแม่น้ำเจ้าพระยา ครับ"]),
        ("lo", "ວຽງຈັນເປັນນະຄອນຫຼວງຂອງລາວ ເມືອງນີ້ຕັ້ງຢູ່ແຄມແມ່ນ້ຳຂອງ", ["ວຽງຈັນເປັນນະຄອນຫຼວງຂອງລາວ", "ເມືອງນີ້ຕັ້ງຢູ່ແຄມແມ່ນ້ຳຂອງ"]),
    ]
    for language, text, expected in cases:
        assert segment_paragraphs([text], resolve(SEGMENTERS, name, "segmenter")(language), language) == expected
    # a space between Thai letters is no boundary in another language's text
    assert segment_paragraphs(["กรุงเทพมหานครเป็นเมืองหลวง มีประชากรประมาณสิบล้านคน"], resolve(SEGMENTERS, name, "segmenter")("en"), "en") == [
        "กรุงเทพมหานครเป็นเมืองหลวง มีประชากรประมาณสิบล้านคน"
    ]


@pytest.mark.parametrize("language, text, expected", SCRIPTS_MOSES_LACKS)
def test_auto_segments_languages_moses_has_no_rules_for(language: str, text: str, expected: list[str]) -> None:
    from aligner.errors import ConfigError

    with pytest.raises(ConfigError, match=f"the moses segmenter has no rules for '{language}'"):
        resolve(SEGMENTERS, "moses", "segmenter")(language)
    assert segment_paragraphs([text], resolve(SEGMENTERS, "auto", "segmenter")(language), language) == expected


def test_auto_is_moses_where_moses_has_rules() -> None:
    text = "Mr. Smith met Dr. Jones on Sept. 29. Prices rose 1.75 percent."
    auto, moses = (resolve(SEGMENTERS, name, "segmenter")("en") for name in ("auto", "moses"))
    assert (
        segment_paragraphs([text], auto, "en")
        == segment_paragraphs([text], moses, "en")
        == ["Mr. Smith met Dr. Jones on Sept. 29.", "Prices rose 1.75 percent."]
    )
