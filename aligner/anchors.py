"""Anchors: numbers, URLs, acronyms and names that a sentence and its translation share, read
alike in any language (digits of any script, decimal marks by language, Roman numerals, names
folded across case, accents and alphabets)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from .cldr import decimal_comma
from .languages import SPACED_WORD_CHAR, UPPER

NUMBER = re.compile(rf"(?<!\d[.,])(?<!{SPACED_WORD_CHAR})[%]?\d+(?:[.,]\d+)*(?:[.,]\d+)?%?(?!{SPACED_WORD_CHAR})")
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+@[\w-]+\.[\w.]+\b")
#: Acronyms and names; in text without spaces, the Latin word amid the other script's letters
#: ("東京のNHKで" holds "NHK").
_ACRONYM = re.compile(rf"(?<!{SPACED_WORD_CHAR})[{UPPER}]{{2,}}[0-9]*(?!{SPACED_WORD_CHAR})")
_NAME = re.compile(rf"(?<!{SPACED_WORD_CHAR})[{UPPER}]{SPACED_WORD_CHAR}+")


#: Roman numerals of two letters or more (one letter is too often a word or an initial: "I",
#: "V. Putin"), with a French ordinal ending ("XXe siècle").
_ROMAN = re.compile(r"(?=[MDCLXVI]{2})M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?:e|er|ème|eme)?")
_ROMAN_WORD = re.compile(r"\b[MDCLXVI]{2}\w*")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
#: A number with a vulgar fraction ("1 ½", "¾"): read as its decimal value.
_FRACTION = re.compile(r"(?<![\d.,])(?:(\d+)\s?)?([\u00bc-\u00be\u2150-\u215e])")


def roman_value(word: str) -> int | None:
    """The value of a Roman numeral word ("XIV" 14, "XXe" 20), None for any other word."""
    if not _ROMAN.fullmatch(word):
        return None
    digits = [_ROMAN_VALUES[c] for c in word.rstrip("eèmr")]
    return sum(-d if k + 1 < len(digits) and d < digits[k + 1] else d for k, d in enumerate(digits))


#: A digit that is not ASCII, or an Arabic decimal or thousands mark (see :func:`written_numbers`).
_NATIVE_NUMERAL = re.compile(r"(?![0-9])\d|[\u066b\u066c]")


#: Thousands set apart by a space, as French, Russian, Polish or Swedish write them ("8 222",
#: "3 500 000"; a no-break or narrow no-break space too), or by an apostrophe, as Swiss German
#: does ("8'222"): one number. A group of four digits before is none ("in 2019 500 people").
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+(?!\d)")
_GROUP_SPACE = re.compile(r"[ \u00a0\u202f'’]")


def written_numbers(text: str, language: str) -> str:
    """Numbers as :data:`NUMBER` reads them: digits of any script in ASCII ("٢٧", "२०२३", "２７"),
    the Arabic decimal and thousands marks as the language writes them with Latin digits
    ("٢٫٥" is "2.5"), thousands set apart joined ("8 222" and "8'222" are 8222), and vulgar
    fractions as decimals (:func:`fractions_as_decimals`)."""
    if _NATIVE_NUMERAL.search(text):
        decimal, thousands = (",", ".") if decimal_comma(language) else (".", ",")
        text = text.translate(_native_digits()).replace("\u066b", decimal).replace("\u066c", thousands)
    text = _SPACED_THOUSANDS.sub(lambda match: _GROUP_SPACE.sub("", match.group(0)), text)
    return fractions_as_decimals(text, language)


@cache
def _native_digits() -> dict[int, str]:
    """Every decimal digit of the Basic Multilingual Plane that is not ASCII, to its ASCII digit."""
    table = {}
    for code in range(0x80, 0x10000):
        value = unicodedata.decimal(chr(code), None)
        if value is not None:
            table[code] = str(value)
    return table


def fractions_as_decimals(text: str, language: str) -> str:
    """Vulgar fractions written as decimals in the language's notation: "1 ½" → "1.5" ("1,5")."""

    def decimal(match: re.Match[str]) -> str:
        value = int(match.group(1) or 0) + unicodedata.numeric(match.group(2))
        written = f"{value:.2f}".rstrip("0").rstrip(".")
        # a space before: a fraction glued to a word ("etwa½") still gives a number of its own
        return f" {written.replace('.', ',') if decimal_comma(language) else written}"

    return _FRACTION.sub(decimal, text)


def normalise_number(token: str, language: str) -> str:
    """Canonical form of a number token: Turkish "1.000,5" and English "1,000.5" both give "1000.5";
    "%50" and "50%" give "50"."""
    digits = token.strip("%")
    decimal, thousands = (",", ".") if decimal_comma(language) else (".", ",")
    parts = digits.split(decimal)
    if len(parts) > 2:  # "1.2.3": no decimal separator, read as grouping or a code
        return digits.replace(decimal, "").replace(thousands, "")
    whole = parts[0]
    if thousands in whole and all(len(group) == 3 for group in whole.split(thousands)[1:]):
        whole = whole.replace(thousands, "")
    fraction = parts[1] if len(parts) == 2 else ""
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


#: Cyrillic and Greek letters in Latin ones (after accents are stripped), so that a name meets its
#: spelling in the other alphabet: "Путин" / "Putin", "Эрдоган" / "Erdoğan", "Αθήνα" / "Athina".
_TO_LATIN = str.maketrans(
    {
        **dict(
            zip(
                "абвгґдеєжзиіїйклмнопрстуфхцчшщъыьэюяђјљњћџѓќѕўқғңүұһөә",
                [
                    "a",
                    "b",
                    "v",
                    "g",
                    "g",
                    "d",
                    "e",
                    "ye",
                    "zh",
                    "z",
                    "i",
                    "i",
                    "yi",
                    "y",
                    "k",
                    "l",
                    "m",
                    "n",
                    "o",
                    "p",
                    "r",
                    "s",
                    "t",
                    "u",
                    "f",
                    "kh",
                    "ts",
                    "ch",
                    "sh",
                    "shch",
                    "",
                    "y",
                    "",
                    "e",
                    "yu",
                    "ya",
                    "dj",
                    "j",
                    "lj",
                    "nj",
                    "c",
                    "dz",
                    "g",
                    "k",
                    "dz",
                    "u",
                    "k",
                    "g",
                    "n",
                    "u",
                    "u",
                    "h",
                    "o",
                    "a",
                ],
            )
        ),
        **dict(
            zip(
                "αβγδεζηθικλμνξοπρσςτυφχψω",
                [
                    "a",
                    "v",
                    "g",
                    "d",
                    "e",
                    "z",
                    "i",
                    "th",
                    "i",
                    "k",
                    "l",
                    "m",
                    "n",
                    "x",
                    "o",
                    "p",
                    "r",
                    "s",
                    "s",
                    "t",
                    "y",
                    "f",
                    "ch",
                    "ps",
                    "o",
                ],
            )
        ),
    }
)


#: Greek letter pairs that write one Latin sound, as names are romanised: "Πούτιν" Putin,
#: "Ερντογάν" Erdogan, "Ευρώπη" Europe.
_GREEK_DIGRAPH_SOUNDS = {"ου": "u", "αυ": "au", "ευ": "eu", "μπ": "b", "ντ": "d", "γκ": "g", "γγ": "ng", "αι": "e", "ει": "i", "οι": "i"}
_GREEK_DIGRAPHS = re.compile("|".join(_GREEK_DIGRAPH_SOUNDS))


def fold(text: str) -> str:
    """Case-, accent- and alphabet-insensitive key: Turkish dotted and dotless i fold to i,
    Cyrillic and Greek to Latin letters (Greek letter pairs as one sound)."""
    text = text.replace("İ", "i").replace("I", "i").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if "\u03b1" <= max(decomposed, default="a"):  # Greek or beyond; an accent between two
        # vowels parts them ("Μπάιντεν": á-i), one on the second keeps the pair ("Πούτιν")
        decomposed = _GREEK_DIGRAPHS.sub(lambda pair: _GREEK_DIGRAPH_SOUNDS[pair.group(0)], decomposed)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TO_LATIN)


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """:func:`fold` of one word, remembered: the checks fold the same words over and over (a
    third of the offline checks' time)."""
    return fold(word)


def extract_anchors(sentence: str, language: str) -> frozenset[str]:
    """Anchor keys of a sentence: ``n:`` numbers, ``u:`` URLs, ``a:`` acronyms, ``p:`` names
    (first five folded letters, so that Turkish suffixes and spelling variants still meet)."""
    anchors: set[str] = set()
    without_urls = URL.sub(" ", sentence)
    anchors.update("u:" + url.lower().rstrip(".,;") for url in URL.findall(sentence))
    without_urls = written_numbers(without_urls, language)
    anchors.update("n:" + normalise_number(n, language) for n in NUMBER.findall(without_urls))
    anchors.update(f"n:{value}" for value in map(roman_value, _ROMAN_WORD.findall(without_urls)) if value is not None)
    acronyms = set(_ACRONYM.findall(without_urls))
    anchors.update("a:" + fold(a) for a in acronyms)  # "НАТО" meets "NATO"
    words = without_urls.split()
    for position, match in enumerate(_NAME.finditer(without_urls)):
        word = match.group(0)
        if word in acronyms or (position == 0 and words and words[0].endswith(word)):
            continue
        anchors.add("p:" + fold(word)[:5])
    return frozenset(anchors)
