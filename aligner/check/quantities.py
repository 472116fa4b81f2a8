"""What a sentence says in numbers, read alike across languages and writing habits: digits with
the language's decimal mark, percentages, numbers with scale words and in parts ("1,5 milyon",
"3 bin 500"), ranges of years ("1914-18"), clock times of either clock, month names, numbers
spelled out and Roman numerals. The numbers check (:class:`.rules.NumbersCheck`) compares two
sentences' :class:`Quantities`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from os.path import commonprefix

from ..anchors import URL, fold_word, normalise_number, roman_value, written_numbers
from ..cldr import decimal_comma, month_names, scale_words
from ..languages import SPACED_WORD_CHAR

_NUMBER_WORDS = {  # from zero, as far as each number is one word
    "tr": "sıfır bir iki üç dört beş altı yedi sekiz dokuz on",
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn "
    "achtzehn neunzehn zwanzig",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici",
    "pt": "zero um dois três quatro cinco seis sete oito nove dez onze doze treze",
    "nl": "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien",
    "ru": "ноль один два три четыре пять шесть семь восемь девять десять",
    "uk": "нуль один два три чотири п'ять шість сім вісім дев'ять десять",
}
#: Ordinal numbers in words from first to tenth ("/" between forms of one): "ikinci" is the
#: "2nd" of the other side. A word matches with an ending of up to four letters ("ikincisi",
#: "zweiten", "première").
_ORDINAL_WORDS = {
    "tr": "birinci ikinci üçüncü dördüncü beşinci altıncı yedinci sekizinci dokuzuncu onuncu",
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth",
    "de": "erste zweite dritte vierte fünfte sechste siebte achte neunte zehnte",
    "fr": "premier/première deuxième/second/seconde troisième quatrième cinquième sixième septième huitième neuvième dixième",
    "es": "primer/primero/primera segundo/segunda tercer/tercero/tercera cuarto/cuarta quinto/quinta sexto/sexta "
    "séptimo/séptima octavo/octava noveno/novena décimo/décima",
    "nl": "eerste tweede derde vierde vijfde zesde zevende achtste negende tiende",
    "it": "primo/prima secondo/seconda terzo/terza quarto/quarta quinto/quinta sesto/sesta settimo/settima ottavo/ottava "
    "nono/nona decimo/decima",
    "pt": "primeiro/primeira segundo/segunda terceiro/terceira quarto/quarta quinto/quinta sexto/sexta sétimo/sétima "
    "oitavo/oitava nono/nona décimo/décima",
    "pl": "pierwsz drugi trzeci czwart piąt szóst siódm ósm dziewiąt dziesiąt",
    "sv": "första andra tredje fjärde femte sjätte sjunde åttonde nionde tionde",
    "da": "første anden tredje fjerde femte sjette syvende ottende niende tiende",
    "nb": "første andre tredje fjerde femte sjette sjuende åttende niende tiende",
}
ORDINAL_ENDING = 4
#: Chinese and Japanese numerals: a run of them is a number spelled out ("两千多万" 20 million,
#: "三百五十" 350), which stands for the other side's digits.
_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_SECTIONS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CJK_NUMERAL = re.compile(
    f"[{''.join(_CJK_DIGITS)}{''.join(_CJK_UNITS)}][{''.join(_CJK_DIGITS)}{''.join(_CJK_UNITS)}{''.join(_CJK_SECTIONS)}多]*"
)
CJK_NUMERAL_LANGUAGES = frozenset({"zh", "ja"})
#: The thousand sign after digits ("2千", "2千万"), which CLDR's compact formats of Chinese and
#: Japanese leave out (they go from 万).
_THOUSAND_SIGN = {"zh": {"千": 1000}, "ja": {"千": 1000}}
#: Scale abbreviations of news writing that CLDR's compact formats lack: British "$2.5bn" (its
#: "£46.6m" stays unread: "m" is also a metre).
_NEWS_SCALE_ABBREVIATIONS = {"en": {"bn": 10**9}}


def cjk_numeral_value(numeral: str) -> int:
    """The value of a run of Chinese or Japanese numerals ("多", "more than", is read past); digits
    alone are read one by one, as a year is written ("二〇二〇" is 2020)."""
    if all(character in _CJK_DIGITS for character in numeral):
        return int("".join(str(_CJK_DIGITS[character]) for character in numeral))
    total = section = digit = 0
    for character in numeral:
        if character in _CJK_DIGITS:
            digit = _CJK_DIGITS[character]
        elif character in _CJK_UNITS:
            section += (digit or 1) * _CJK_UNITS[character]
            digit = 0
        elif character in _CJK_SECTIONS:
            total += (section + digit) * _CJK_SECTIONS[character]
            section = digit = 0
    return total + section + digit


#: "Hundred", which no compact number format has; with the scale words (:func:`.cldr.scale_words`)
#: alone ("tausend Meter", "mille mètres") and, where numbers are written as one word, after a
#: number word ("Achttausender", "dreihundert"), it is a number spelled out.
_HUNDRED = {"en": "hundred", "de": "hundert", "fr": "cent", "es": "cien", "it": "cento", "pt": "cem", "nl": "honderd"}
_COMPOUND_ENDINGS = {"de": ("", "er", "ern", "ers"), "nl": ("",)}
#: Tens that take a unit after them: Turkish "on iki" 12, "yirmi beş" 25; English "thirty-two".
_TENS = {
    "tr": {"on": 10, "yirmi": 20, "otuz": 30, "kırk": 40, "elli": 50, "altmış": 60, "yetmiş": 70, "seksen": 80, "doksan": 90},
    "en": {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90},
}
#: The twelve-hour clock ("8 p.m.", "2:30 pm", "11am"), read as the 24-hour time other languages
#: write ("20.00", "14:30"); only where "am" is no common word.
_TWELVE_HOUR = re.compile(r"(?<![\d.,:])(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)
_TWELVE_HOUR_LANGUAGES = frozenset({"en", "es", "pt", "tl"})
#: Hours and minutes around an "h" ("15 h. 30", "15h30", as French writes them), read as "15:30".
_HOUR_MARK = re.compile(r"(?<![\d.,:])([01]?\d|2[0-4]) ?h\.? ?([0-5]\d)(?!\d)")
#: A clock time ("20.00", "14:30"), whose digits :func:`_clock_digits` gives.
_CLOCK = re.compile(r"([01]?\d|2[0-4])[.:]([0-5]\d)")
#: Turkish writes a thousand and more without the one: "bin 238" is 1238.
_TURKISH_THOUSAND = re.compile(r"(?<![\d.,][ \u00a0])(?<!\w)(bin|BİN|Bin)(?=[ \u00a0]\d)")
#: What may stand between the parts of a number written with scale words: "3 bin 500", "7 thousand, 750".
_NUMBER_JOIN = re.compile(r"[ \u00a0]*,?[ \u00a0]*(?:and[ \u00a0]+)?")
WORD = re.compile(r"\w+")
#: A decimal mark with no digit before it (".179", a blood-alcohol level), by whether the
#: language's mark is a comma: the digits are a fraction, not a whole number.
_LEADING_DECIMAL = {comma: re.compile(rf"(?<![\w.,])(?={re.escape(',' if comma else '.')}\d)") for comma in (False, True)}


#: Languages that write a month as its number and a month sign: "9月" (zh, ja), "9월" (ko).
_NUMBERED_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*[月월]")
NUMBERED_MONTH_LANGUAGES = frozenset({"zh", "ja", "ko"})
#: A date in digits with a four-digit year: "01.02.2020", "1/2/2020", "2020-02-01".
_DIGIT_DATE = re.compile(r"(?<![\d.,/-])(?:(\d{1,2})([./-])(\d{1,2})\2(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?![\d]|[.,/-]\d)")
#: A range of years whose second year keeps its last two digits: "1914-18", "2020/21", "1999–00".
_SHORT_YEAR_RANGE = re.compile(r"(?<![\d.,/-])((?:1[5-9]|20)\d\d)(\s?[-–/]\s?)(\d\d)(?![\d]|[.,/-]\d)")
#: How many years a range of :data:`_SHORT_YEAR_RANGE` may span ("2019-05" is May 2019, no range).
_SHORT_YEAR_SPAN = 20


def _full_year_ranges(text: str) -> str:
    """``text`` with the second year of each range written in full ("1914-18" as "1914-1918"), as
    the other side may write it ("de 1914 à 1918")."""

    def full(match: re.Match[str]) -> str:
        first = int(match.group(1))
        second = first // 100 * 100 + int(match.group(3))
        if second <= first:
            second += 100
        return f"{match.group(1)}{match.group(2)}{second}" if second - first <= _SHORT_YEAR_SPAN else match.group(0)

    return _SHORT_YEAR_RANGE.sub(full, text)


#: Languages that write a date in digits month first ("2/1/2020" is February 1).
MONTH_FIRST_LANGUAGES = frozenset({"en"})


def _digit_dates(text: str, language: str, months: set[int]) -> str:
    """``text`` with each date in digits as its day and year (the month added to ``months``), so
    that "01.02.2020" meets "1 February 2020" and "1.2.2020": day first but in
    ``MONTH_FIRST_LANGUAGES`` with "/", either way where one part is no month."""

    def day_and_year(match: re.Match[str]) -> str:
        if match.group(5):
            year, month, day = int(match.group(5)), int(match.group(6)), int(match.group(7))
        else:
            first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
            month_first = match.group(2) == "/" and language in MONTH_FIRST_LANGUAGES
            day, month = (second, first) if month_first else (first, second)
            if month > 12 >= day:
                day, month = month, day
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return match.group(0)
        months.add(month)
        return f" {day} {year} "

    return _DIGIT_DATE.sub(day_and_year, text)


def has_month_names(language: str) -> bool:
    """Whether the numbers check knows the language's month names (dates are compared)."""
    return bool(month_names(language)) or language in NUMBERED_MONTH_LANGUAGES


@cache
def month_keys(language: str) -> dict[str, int]:
    """Folded month names by number (none for the languages that number their months: "10月")."""
    if language in NUMBERED_MONTH_LANGUAGES:
        return {}
    return {fold_word(form): k + 1 for k, forms in enumerate(month_names(language)) for form in forms}


@cache
def _months_by_opening(language: str) -> dict[str, list[tuple[str, int]]]:
    """The folded month names by their first three letters, which any inflected form keeps."""
    found: dict[str, list[tuple[str, int]]] = {}
    for name, month in month_keys(language).items():
        found.setdefault(name[:3], []).append((name, month))
    return found


#: Numbers for the check: like the anchors' but also clock times and scores ("3:51.659",
#: "20:00") and numbers with letters after them: ordinals and decades ("33rd", "1990s") and
#: units ("£1.35bn", "6GB", "5am"), and numbers after letters ("A320", "iOS9"): a changed digit
#: anywhere is a changed number.
_CHECK_NUMBER = re.compile(rf"(?<!\d)(?<!\d[.,])%?\d+(?:[.,:]\d+)*%?(?=[^\W\d_]*(?!{SPACED_WORD_CHAR}))")


@dataclass(frozen=True)
class Quantities:
    """What a sentence says in numbers: each number as its normalised value (Turkish "1.000,5" and
    English "1,000.5" both "1000.5", "%50" and "50%" both "50"; None for clock times and scores)
    with its bare digits (so that "20.00" meets "20:00" and an ambiguous "51.659" meets itself);
    the values read with a scale word ("1,5 milyon"); month names as their number; numbers spelled
    out in words and Roman numerals."""

    numbers: frozenset[tuple[str | None, str]]
    months: frozenset[int]
    spelled: frozenset[str]
    scaled: frozenset[str] = frozenset()
    #: digits another way: a number read with a scale word by its parts ("39 bin 287": "39",
    #: "287"), a twelve-hour time by the hour as written ("6pm" is "18", also "6")
    aliases: frozenset[tuple[str, tuple[str, ...]]] = frozenset()
    #: the values read as written, with no scale word or letter after them and in one part
    plain: frozenset[str] = frozenset()
    #: the numbers from two up spelled in words, cardinal or ordinal ("üç", "third", "two
    #: thousand"): unlike :attr:`spelled` no Roman numerals, which are as often letters
    words: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.numbers) + len(self.months)

    def _digit_forms(self, scaled: bool) -> set[str]:
        """Every way this side's numbers (only those read without a scale word, unless ``scaled``)
        may meet another's by their digits."""
        written = {d for value, d in self.numbers if scaled or value not in self.scaled}
        return written | self._alias_parts(written)

    def _alias_parts(self, written: set[str] | None = None) -> set[str]:
        """The digits of the numbers' other readings (of those with ``written`` digits)."""
        return {part for d, parts in self.aliases if written is None or d in written for part in parts}

    def _differs_as_written(self, value: str | None, digits: str, other: Quantities) -> bool:
        """Each number of ``other`` with these digits was read as written, as this one was, to
        another value: "1,5" is not "15", though "20.00" is "20" and "2.5bn" may be "2,5 milyar"."""
        if value not in self.plain or digits in other._alias_parts():
            return False
        return all(
            theirs in other.plain and _decimal(theirs) != _decimal(value)
            for theirs, their_digits in other.numbers
            if their_digits == digits
        )

    def words_unmatched_by(self, other: Quantities) -> frozenset[str]:
        """The numbers this side spells in words that ``other`` has in no form."""
        values = {value for value, _ in other.numbers} | other.spelled | other._digit_forms(scaled=True)
        return frozenset(word for word in self.words if word not in values)

    def missing_from(self, other: Quantities) -> int:
        """How many of these numbers and months ``other`` does not have. Bare digits meet where a
        scale word is read on one side at most: "1,5 milyon" is not "1.5 billion", and where one
        side's reading may be wrong (a scale word this reader does not know: "$2.5bn"); a number
        of parts meets by its parts when the other side has them all."""
        values = {value for value, _ in other.numbers if value is not None} | other.spelled  # None: a time, by digits
        forms = {scaled: other._digit_forms(scaled) for scaled in (False, True)}

        def found(value: str | None, digits: str) -> bool:
            pool = forms[value not in self.scaled]
            return (
                value in values
                or (digits in pool and not self._differs_as_written(value, digits, other))
                or any(d == digits and set(parts) <= pool for d, parts in self.aliases)
            )

        return sum(1 for value, d in self.numbers if not found(value, d)) + len(self.months - other.months)


def _inflected(word: str, month: str) -> bool:
    """A folded word is a month name with a suffix (Turkish "eylulde", Finnish "lokakuussa") or
    with its last letters changed by a case ending (Estonian "oktoobris" of "oktoober", Georgian
    "ოქტომბერს" of "ოქტომბერი")."""
    if len(month) >= 4 and word.startswith(month):
        return True
    shared = len(commonprefix([word, month]))
    return shared >= max(5, len(month) - 2) and len(word) <= len(month) + 3


def _clock_digits(hour: str, minutes: str) -> str:
    """A clock time's digits as a number's are read (no leading zeros); on the hour, the hour's
    alone: "20.00" and "20:00" meet "8 p.m." and "saat 20'de"."""
    return (hour + ("" if minutes == "00" else minutes)).lstrip("0") or "0"


def _twenty_four_hour(text: str, aliases: set[tuple[str, tuple[str, ...]]]) -> str:
    """``text`` with its twelve-hour times written as 24-hour ones; each one's digits as written
    become an alias of the new ones ("6pm" is "18:00" and may meet "akşam 6")."""

    def rewrite(match: re.Match[str]) -> str:
        hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
        minutes = match.group(2) or "00"
        aliases.add((_clock_digits(str(hour), minutes), (_clock_digits(match.group(1), minutes),)))
        return f" {hour}:{minutes} "

    return _TWELVE_HOUR.sub(rewrite, text)


@cache
def _number_words(language: str) -> dict[str, int]:
    """Folded number words of the language, by value; "hundred" and "thousand" alone (not a
    million: "$ million" is a number lost) and, in German and Dutch, after a number word
    ("Achttausender")."""
    words = {fold_word(word): k for k, word in enumerate(_NUMBER_WORDS.get(language, "").split())}
    multipliers = {
        fold_word(word): value for word, value in scale_words(language).items() if len(word) > 1 and word.isalpha() and value <= 1000
    }
    if language in _HUNDRED:
        multipliers[fold_word(_HUNDRED[language])] = 100
    for ending in _COMPOUND_ENDINGS.get(language, ()):
        words.update(
            {f"{unit}{word}{ending}": k * value for unit, k in list(words.items()) if 1 < k < 10 for word, value in multipliers.items()}
        )
    return {**multipliers, **words}


@cache
def _ordinal_words(language: str) -> dict[str, int]:
    """Folded ordinal words of the language (:data:`_ORDINAL_WORDS`), by value."""
    return {fold_word(form): k + 1 for k, forms in enumerate(_ORDINAL_WORDS.get(language, "").split()) for form in forms.split("/")}


def _ordinal_value(folded: str, language: str) -> int | None:
    """The value of a folded ordinal word, with an ending of up to ``ORDINAL_ENDING`` letters."""
    for ordinal, value in _ordinal_words(language).items():
        if folded.startswith(ordinal) and len(folded) - len(ordinal) <= ORDINAL_ENDING:
            return value
    return None


@cache
def _tens(language: str) -> dict[str, int]:
    """Folded tens of the language (:data:`_TENS`), by value."""
    return {fold_word(word): value for word, value in _TENS.get(language, {}).items()}


@cache
def _cardinal_words(language: str) -> dict[str, int]:
    """Folded number words and tens of the language, by value."""
    return {**_number_words(language), **_tens(language)}


#: Turkish's third-person possessive after a number word, folded ("si" after a vowel, "i"
#: after a consonant): "elli beşi" (fifty-five of them), "ikisi", "altısı"; only this ending,
#: so that "altında" (under) is no six, and after three letters or more ("onu" is "him").
_TURKISH_POSSESSIVE = {True: ("si", "su"), False: ("i", "u")}


def _number_word_value(folded: str, language: str) -> int | None:
    """The value of a folded number word (:data:`_NUMBER_WORDS`, :data:`_TENS`), in Turkish also
    with a possessive ending; None for any other word."""
    values = _cardinal_words(language)
    if folded in values:
        return values[folded]
    if language == "tr":
        for after_vowel, endings in _TURKISH_POSSESSIVE.items():
            for ending in endings:
                base = folded.removesuffix(ending)
                if base != folded and len(base) >= 3 and (base[-1] in "aeiou") == after_vowel and base in values:
                    return values[base]
    return None


def _spelled_numbers(text: str, language: str) -> tuple[set[str], set[str]]:
    """The values a sentence spells out, each also times a scale word after it ("one million"),
    and the numbers from two up among them in words (no Roman numerals)."""
    tens = _tens(language)
    spelled: set[str] = set()
    words: set[str] = set()
    matches = list(WORD.finditer(text))
    k = 0
    while k < len(matches):
        word_match = matches[k]
        folded = fold_word(word_match.group(0))
        value = _number_word_value(folded, language)
        if value is None:
            value = _ordinal_value(folded, language)
        end = word_match.end()
        if folded in tens and k + 1 < len(matches) and text[end : matches[k + 1].start()] in (" ", "-"):
            unit = _number_word_value(fold_word(matches[k + 1].group(0)), language)
            if unit and unit < 10:
                value, end, k = tens[folded] + unit, matches[k + 1].end(), k + 1
        if value is not None:
            spelled.add(str(value))
            if scale := _scale_after(text, end, language):
                value *= scale[0]
                spelled.add(str(value))
            if value >= 2:
                words.add(str(value))
        roman = roman_value(word_match.group(0))
        if roman is not None:
            spelled.add(str(roman))
        k += 1
    if language in CJK_NUMERAL_LANGUAGES:
        spelled.update(str(cjk_numeral_value(numeral)) for numeral in _CJK_NUMERAL.findall(text))
    return spelled, words


def quantities(sentence: str, language: str, dates: bool = True) -> Quantities:
    """The sentence's quantities; month names only with ``dates`` (the other side's language must
    have month names too, or "October 3" would miss the "3" of a date it cannot read). Roman
    numerals ("camp IV") and numbers in words stand for a number of the other side, but are not
    numbers that side must have. A number before a scale word of the language is its product
    ("1.2万" 12000, "3,5 Mio." 3500000; its digits stay as written, so "$1.35bn" still meets
    "1,35 milyar"), and a smaller number after the scale word adds to it ("3 bin 500" 3500)."""
    text = written_numbers(URL.sub(" ", sentence), language)
    aliases: set[tuple[str, tuple[str, ...]]] = set()
    text = _HOUR_MARK.sub(r" \1:\2 ", text)
    if language == "tr":
        text = _TURKISH_THOUSAND.sub(r"1 \1", text)
    if language in _TWELVE_HOUR_LANGUAGES:
        text = _twenty_four_hour(text, aliases)
    found_months: set[int] = set()
    if dates and language in NUMBERED_MONTH_LANGUAGES:
        found_months.update(int(month) for month in _NUMBERED_MONTH.findall(text))
        text = _NUMBERED_MONTH.sub(" ", text)
    if dates:
        text = _digit_dates(text, language, found_months)
    text = _full_year_ranges(text)
    text = _LEADING_DECIMAL[decimal_comma(language)].sub("0", text)
    numbers = set()
    scaled = set()
    plain = set()
    matches = list(_CHECK_NUMBER.finditer(text))
    k = 0
    while k < len(matches):
        token = matches[k].group(0)
        value = None if ":" in token else normalise_number(token, language)
        clock = _CLOCK.fullmatch(token)
        digits = _clock_digits(*clock.groups()) if clock else re.sub(r"\D", "", token).lstrip("0") or "0"
        parts = [digits]
        number = _decimal(value)  # None for a time, or digits that are no number ("5,1" in English)
        scale = _scale_after(text, matches[k].end(), language) if number is not None else None
        if number is not None and scale:
            number *= scale[0]
            while (larger := _scale_after(text, scale[1], language)) and larger[0] > scale[0]:  # "2천만", "2千万": 2000 ten-thousands
                number, scale = number * larger[0], larger
            if len(text[matches[k].end() : scale[1]].strip()) > 1:  # a word: one letter ("60 B&Q") may be no scale
                scaled.add(_written(number))
        while number is not None and scale:  # "3 bin 500", "8 million 734 thousand and 19": a smaller number adds
            following = matches[k + 1] if k + 1 < len(matches) else None
            if not following or not _NUMBER_JOIN.fullmatch(text[scale[1] : following.start()]):
                break
            addend = _decimal(normalise_number(following.group(0), language)) if ":" not in following.group(0) else None
            next_scale = _scale_after(text, following.end(), language)
            if addend is None or (next_scale[0] >= scale[0] if next_scale else addend >= scale[0]):
                break
            number += addend * (next_scale[0] if next_scale else 1)
            parts.append(re.sub(r"\D", "", following.group(0)))
            scaled.add(_written(number))
            scale, k = next_scale, k + 1
        if number is not None and number != _decimal(value):
            value = _written(number)
        if len(parts) > 1:  # the parts may also be written apart: "7 thousand, 750"
            digits = "".join(parts)
            aliases.add((digits, tuple(parts)))
        elif number is not None and not scale and value is not None:
            plain.add(value)
        numbers.add((value, digits))
        k += 1
    months = month_keys(language) if dates else {}
    openings = _months_by_opening(language) if dates else {}
    for word_match in WORD.finditer(text):
        word = word_match.group(0)
        folded = fold_word(word)
        # Turkish suffixes: "Eylül'de" is split at the apostrophe by \w+; "Eylülde" starts with it
        month = months.get(folded) or next((m for name, m in openings.get(folded[:3], ()) if _inflected(folded, name)), None)
        if month and (word[0].isupper() or language not in ("en", "de")):  # "may" the verb is not May
            found_months.add(month)
    spelled, words = _spelled_numbers(text, language)
    return Quantities(
        frozenset(numbers),
        frozenset(found_months),
        frozenset(spelled),
        frozenset(scaled),
        frozenset(aliases),
        frozenset(plain),
        frozenset(words),
    )


@cache
def _scale_words(language: str) -> tuple[re.Pattern[str] | None, dict[str, int]]:
    """A scale word (:func:`.cldr.scale_words`) right after a number, as a match from the
    number's end: multi-letter words in any case ("Millionen", "BİN"), single letters as written
    ("M" a million, "m" a metre), a word of a spaced script whole ("5 bin", not "5 bina"); and
    each word's multiplier by its :func:`_scale_key`."""
    words = {**scale_words(language), **_THOUSAND_SIGN.get(language, {}), **_NEWS_SCALE_ABBREVIATIONS.get(language, {})}
    if not words:
        return None, {}
    forms = []
    for word in sorted(words, key=lambda w: (-len(w), w)):
        form = re.escape(word) if len(word) == 1 else f"(?i:{re.escape(word)})"
        forms.append(form + (rf"(?!{SPACED_WORD_CHAR})" if re.match(SPACED_WORD_CHAR, word[-1]) else ""))
    return re.compile(rf"[ \u00a0]?({'|'.join(forms)})"), {_scale_key(word): multiplier for word, multiplier in words.items()}


def _scale_key(word: str) -> str:
    return word if len(word) == 1 else fold_word(word)


def _scale_after(text: str, position: int, language: str) -> tuple[int, int] | None:
    """The multiplier of the scale word at ``position`` of ``text`` (right after a number), if
    any, and where the word ends."""
    scale, multipliers = _scale_words(language)
    found = scale.match(text, position) if scale else None
    return (multipliers[_scale_key(found.group(1))], found.end()) if found else None


def _decimal(value: str | None) -> Decimal | None:
    """``value`` as a number, or None where it is none (a time, "5,1" that no grouping explains)."""
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _written(number: Decimal) -> str:
    """A number as :func:`.anchors.normalise_number` writes one: no exponent, no trailing zeros."""
    return format(number.normalize(), "f")
