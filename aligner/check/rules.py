"""Checks by rule: numbers, names, length, language, untranslated text, empty sides."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from difflib import get_close_matches
from functools import cache, lru_cache
from os.path import commonprefix
from typing import Any

import numpy as np

from ..cldr import month_names, scale_words, weekday_names
from ..languages import SPACED_WORD_CHAR, UPPER
from ..score import NUMBER, URL, fold, normalise_number, roman_value, written_numbers
from ..segment import ABBREVIATIONS
from .base import MIN_BATCH, BaseCheck, PairBatch, sentence_chrf
from .lexicon import name_equivalents

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
#: A clock time on the hour: its digits are the hour's ("20.00" and "20:00" meet "8 p.m." and "saat 20'de").
_ON_THE_HOUR = re.compile(r"([01]?\d|2[0-4])[.:]00")
#: Turkish writes a thousand and more without the one: "bin 238" is 1238.
_TURKISH_THOUSAND = re.compile(r"(?<![\d.,][ \u00a0])(?<!\w)(bin|BİN|Bin)(?=[ \u00a0]\d)")
#: What may stand between the parts of a number written with scale words: "3 bin 500", "7 thousand, 750".
_NUMBER_JOIN = re.compile(r"[ \u00a0]*,?[ \u00a0]*(?:and[ \u00a0]+)?")
_WORD = re.compile(r"\w+")


#: Languages that write a month as its number and a month sign: "9月" (zh, ja), "9월" (ko).
_NUMBERED_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*[月월]")
NUMBERED_MONTH_LANGUAGES = frozenset({"zh", "ja", "ko"})


def has_month_names(language: str) -> bool:
    """Whether the numbers check knows the language's month names (dates are compared)."""
    return bool(month_names(language)) or language in NUMBERED_MONTH_LANGUAGES


@cache
def _month_keys(language: str) -> dict[str, int]:
    """Folded month names by number (none for the languages that number their months: "10月")."""
    if language in NUMBERED_MONTH_LANGUAGES:
        return {}
    return {fold(form): k + 1 for k, forms in enumerate(month_names(language)) for form in forms}


@cache
def _months_by_opening(language: str) -> dict[str, list[tuple[str, int]]]:
    """The folded month names by their first three letters, which any inflected form keeps."""
    found: dict[str, list[tuple[str, int]]] = {}
    for name, month in _month_keys(language).items():
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

    def __len__(self) -> int:
        return len(self.numbers) + len(self.months)

    def _digit_forms(self, scaled: bool) -> set[str]:
        """Every way this side's numbers (only those read without a scale word, unless ``scaled``)
        may meet another's by their digits."""
        written = {d for value, d in self.numbers if scaled or value not in self.scaled}
        return written | {part for d, parts in self.aliases if d in written for part in parts}

    def missing_from(self, other: Quantities) -> int:
        """How many of these numbers and months ``other`` does not have. Bare digits meet where a
        scale word is read on one side at most: "1,5 milyon" is not "1.5 billion"; a number of
        parts meets by its parts when the other side has them all."""
        values = {value for value, _ in other.numbers if value is not None} | other.spelled  # None: a time, by digits
        forms = {scaled: other._digit_forms(scaled) for scaled in (False, True)}

        def found(value: str | None, digits: str) -> bool:
            pool = forms[value not in self.scaled]
            return value in values or digits in pool or any(d == digits and set(parts) <= pool for d, parts in self.aliases)

        return sum(1 for value, d in self.numbers if not found(value, d)) + len(self.months - other.months)


def _inflected(word: str, month: str) -> bool:
    """A folded word is a month name with a suffix (Turkish "eylulde", Finnish "lokakuussa") or
    with its last letters changed by a case ending (Estonian "oktoobris" of "oktoober", Georgian
    "ოქტომბერს" of "ოქტომბერი")."""
    if len(month) >= 4 and word.startswith(month):
        return True
    shared = len(commonprefix([word, month]))
    return shared >= max(5, len(month) - 2) and len(word) <= len(month) + 3


def _twenty_four_hour(text: str, aliases: set[tuple[str, tuple[str, ...]]]) -> str:
    """``text`` with its twelve-hour times written as 24-hour ones; each one's digits as written
    become an alias of the new ones ("6pm" is "18:00" and may meet "akşam 6")."""

    def rewrite(match: re.Match[str]) -> str:
        hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
        minutes = match.group(2) or "00"
        aliases.add(
            (str(hour) if minutes == "00" else f"{hour}{minutes}", (match.group(1).lstrip("0") + (minutes if minutes != "00" else ""),))
        )
        return f" {hour}:{minutes} "

    return _TWELVE_HOUR.sub(rewrite, text)


@cache
def _number_words(language: str) -> dict[str, int]:
    """Folded number words of the language, by value; "hundred" and "thousand" alone (not a
    million: "$ million" is a number lost) and, in German and Dutch, after a number word
    ("Achttausender")."""
    words = {fold(word): k for k, word in enumerate(_NUMBER_WORDS.get(language, "").split())}
    multipliers = {fold(word): value for word, value in scale_words(language).items() if len(word) > 1 and word.isalpha() and value <= 1000}
    if language in _HUNDRED:
        multipliers[fold(_HUNDRED[language])] = 100
    for ending in _COMPOUND_ENDINGS.get(language, ()):
        words.update(
            {f"{unit}{word}{ending}": k * value for unit, k in list(words.items()) if 1 < k < 10 for word, value in multipliers.items()}
        )
    return {**multipliers, **words}


def _spelled_numbers(text: str, language: str) -> set[str]:
    """The values a sentence spells out, each also times a scale word after it ("one million")."""
    number_words = _number_words(language)
    tens = _TENS.get(language, {})
    spelled: set[str] = set()
    matches = list(_WORD.finditer(text))
    k = 0
    while k < len(matches):
        word_match = matches[k]
        folded = fold(word_match.group(0))
        value = number_words.get(folded, tens.get(folded))
        end = word_match.end()
        if folded in tens and k + 1 < len(matches) and text[end : matches[k + 1].start()] in (" ", "-"):
            unit = number_words.get(fold(matches[k + 1].group(0)))
            if unit and unit < 10:
                value, end, k = tens[folded] + unit, matches[k + 1].end(), k + 1
        if value is not None:
            spelled.add(str(value))
            if scale := _scale_after(text, end, language):
                spelled.add(_scaled(str(value), scale[0]))
        roman = roman_value(word_match.group(0))
        if roman is not None:
            spelled.add(str(roman))
        k += 1
    return spelled


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
    numbers = set()
    scaled = set()
    matches = list(_CHECK_NUMBER.finditer(text))
    k = 0
    while k < len(matches):
        token = matches[k].group(0)
        value = None if ":" in token else normalise_number(token, language)
        digits = re.sub(r"\D", "", token).lstrip("0") or "0"
        if _ON_THE_HOUR.fullmatch(token):
            digits = token[:-3].lstrip("0") or "0"
        parts = [digits]
        scale = _scale_after(text, matches[k].end(), language) if value is not None else None
        if value is not None and scale:
            value = _scaled(value, scale[0])
            if len(text[matches[k].end() : scale[1]].strip()) > 1:  # a word: one letter ("60 B&Q") may be no scale
                scaled.add(value)
        while value is not None and scale:  # "3 bin 500", "8 million 734 thousand and 19": a smaller number adds
            following = matches[k + 1] if k + 1 < len(matches) else None
            if not following or not _NUMBER_JOIN.fullmatch(text[scale[1] : following.start()]) or ":" in following.group(0):
                break
            addend = normalise_number(following.group(0), language)
            next_scale = _scale_after(text, following.end(), language)
            if next_scale and next_scale[0] >= scale[0] or not next_scale and Decimal(addend) >= scale[0]:
                break
            value = _scaled(str(Decimal(value) + Decimal(addend) * (next_scale[0] if next_scale else 1)), 1)
            parts.append(re.sub(r"\D", "", following.group(0)))
            scaled.add(value)
            scale, k = next_scale, k + 1
        if len(parts) > 1:  # the parts may also be written apart: "7 thousand, 750"
            digits = "".join(parts)
            aliases.add((digits, tuple(parts)))
        numbers.add((value, digits))
        k += 1
    months = _month_keys(language) if dates else {}
    openings = _months_by_opening(language) if dates else {}
    for word_match in _WORD.finditer(text):
        word = word_match.group(0)
        folded = fold(word)
        # Turkish suffixes: "Eylül'de" is split at the apostrophe by \w+; "Eylülde" starts with it
        month = months.get(folded) or next((m for name, m in openings.get(folded[:3], ()) if _inflected(folded, name)), None)
        if month and (word[0].isupper() or language not in ("en", "de")):  # "may" the verb is not May
            found_months.add(month)
    return Quantities(
        frozenset(numbers), frozenset(found_months), frozenset(_spelled_numbers(text, language)), frozenset(scaled), frozenset(aliases)
    )


@cache
def _scale_words(language: str) -> tuple[re.Pattern[str] | None, dict[str, int]]:
    """A scale word (:func:`.cldr.scale_words`) right after a number, as a match from the
    number's end: multi-letter words in any case ("Millionen", "BİN"), single letters as written
    ("M" a million, "m" a metre), a word of a spaced script whole ("5 bin", not "5 bina"); and
    each word's multiplier by its :func:`_scale_key`."""
    words = scale_words(language)
    if not words:
        return None, {}
    forms = []
    for word in sorted(words, key=lambda w: (-len(w), w)):
        form = re.escape(word) if len(word) == 1 else f"(?i:{re.escape(word)})"
        forms.append(form + (rf"(?!{SPACED_WORD_CHAR})" if re.match(SPACED_WORD_CHAR, word[-1]) else ""))
    return re.compile(rf"[ \u00a0]?({'|'.join(forms)})"), {_scale_key(word): multiplier for word, multiplier in words.items()}


def _scale_key(word: str) -> str:
    return word if len(word) == 1 else fold(word)


def _scale_after(text: str, position: int, language: str) -> tuple[int, int] | None:
    """The multiplier of the scale word at ``position`` of ``text`` (right after a number), if
    any, and where the word ends."""
    scale, multipliers = _scale_words(language)
    found = scale.match(text, position) if scale else None
    return (multipliers[_scale_key(found.group(1))], found.end()) if found else None


def _scaled(value: str, multiplier: int) -> str:
    """A normalised number times a scale word's multiplier, normalised ("1.2" × 10**4 = "12000")."""
    return format((Decimal(value) * multiplier).normalize(), "f")


class NumbersCheck(BaseCheck):
    """Numbers, percentages, amounts and dates must agree: the share of numbers found on both
    sides (a digit on one side may be spelled out on the other)."""

    name = "numbers"
    reason = "numbers differ"
    threshold = 0.99
    weight = 2.0

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        dates = has_month_names(pairs.src_lang) and has_month_names(pairs.tgt_lang)
        for k, (src, tgt) in enumerate(zip(pairs.src, pairs.tgt)):
            src_quantities, tgt_quantities = quantities(src, pairs.src_lang, dates), quantities(tgt, pairs.tgt_lang, dates)
            if not (src_quantities.months and tgt_quantities.months):
                # a month that only one side names is more often a case form this reader misses
                # ("v říjnu") than a date the translation dropped: months are compared when both have one
                src_quantities, tgt_quantities = replace(src_quantities, months=frozenset()), replace(tgt_quantities, months=frozenset())
            total = len(src_quantities) + len(tgt_quantities)
            missing = src_quantities.missing_from(tgt_quantities) + tgt_quantities.missing_from(src_quantities)
            if total:
                out[k] = 1 - missing / total
        return out


_NAME_PREFIX_SHARE = 0.5
#: Spelling variants of one name ("mclness"/"mcinnes" 0.71, "tsipras"/"cipras" 0.77) are this
#: alike (difflib's ratio); at 0.6 two short words that share three letters already met
#: ("rusya"/"royal"), which hid a swapped-in "Russia" (tr-en name of another document, 6,000
#: pairs: 0.861 → 0.870, the other recipes within 0.002).
_NAME_SPELLING_SIMILARITY = 0.7
#: How much a source name missing from the target counts against one the target brings in: a
#: translation may turn a name into a pronoun, but a name the source lacks is a real error sign.
SOURCE_NAME_WEIGHT = 0.25
#: How much a target name nothing in the source document resembles counts: such names are
#: hallucinated or swapped in, but also names the translation renders in its own words
#: ("Germany" for "Almanya"), so alone they lower the score without flagging the pair.
UNSEEN_NAME_WEIGHT = 0.5
#: How much a target name counts that the source document has only by a looser likeness than
#: the checkable names' (:func:`_batch_names`) and the source sentence lacks. In a batch of many
#: documents a name swapped in from another document is seldom unseen: something in the batch
#: resembles it.
RESEMBLING_NAME_WEIGHT = 0.5


HEADLINE_SHARE = 0.6
_SOUND_ALIKE = str.maketrans({"w": "v", "c": "k", "q": "k", "x": "ks", "z": "s", "j": "y"})


def consonant_skeleton(word: str) -> str:
    """A folded word's consonants, with letters that transliterations swap made one and doubles
    collapsed, after a ``-`` where the word opens with a vowel: "suriye" and "syria" both give
    "sr", "moskova" and "moscow" "mskv", "esad" and "assad" "-sd" (but "edirne" "-drn", not
    "duran"'s "drn")."""
    letters = [c for c in word.replace("ph", "f").translate(_SOUND_ALIKE) if c.isalpha()]
    consonants = [c for c in letters if c not in "aeiouy"]
    opening = "-" if letters and letters[0] in "aeiouy" else ""
    return opening + "".join(c for k, c in enumerate(consonants) if k == 0 or c != consonants[k - 1])


def _consonants(skeleton: str) -> int:
    """How many consonants a :func:`consonant_skeleton` holds (its vowel mark left out)."""
    return len(skeleton) - skeleton.startswith("-")


def _shares_prefix(name: str, words: set[str]) -> bool:
    """A folded name and a folded word share a long enough prefix (suffixes and spelling:
    "putin'in", "rusya"/"russia", "turkiye"/"turkey"): four letters, or three letters and half
    the shorter word."""
    for word in words:
        shared = len(commonprefix([name, word]))
        if shared >= 4 or (shared >= 3 and shared >= _NAME_PREFIX_SHARE * min(len(name), len(word))):
            return True
    return False


def _name_matches(name: str, words: set[str]) -> bool:
    """A folded name matches a folded word of the other side that shares a long enough prefix,
    is spelled alike, or sounds alike ("suriye"/"syria", "moskova"/"moscow", "esad"/"assad":
    :func:`consonant_skeleton`)."""
    if _shares_prefix(name, words):
        return True
    skeleton = consonant_skeleton(name)
    for word in words:
        other = consonant_skeleton(word)
        if (
            _consonants(skeleton) >= 2
            and _consonants(other) >= 2
            and (
                skeleton == other
                or min(_consonants(skeleton), _consonants(other)) >= 3
                and commonprefix([skeleton, other]) in (skeleton, other)
            )
        ):
            return True
    return bool(get_close_matches(name, [w for w in words if len(w) >= 4], n=1, cutoff=_NAME_SPELLING_SIMILARITY))


#: A capitalised word; in text without spaces, the Latin word amid the other script's letters
#: ("小池知事はNHKの番組で" holds "NHK").
_CAPITALISED = re.compile(rf"(?<!{SPACED_WORD_CHAR})[{UPPER}](?:{SPACED_WORD_CHAR}|['’])*")


_LAST_TOKEN = re.compile(r"(\S+)\.$")
#: A quotation closed after a comma or a letter: the sentence goes on ('"…," Putin said'), so
#: the capitalised word after it opens nothing.
_CLOSED_MID_SENTENCE = re.compile(r"[\w,;]['\"”’»]$")
#: An elided article or preposition before a word ("l'", "d'", "qu'", "dell'"): its apostrophe is
#: not a quotation mark, and the capitalised word after it does not open anything ("l'Europe").
_ELIDED = re.compile(r"(?<!\w)[^\W\d_]{1,4}['’]$")
#: Languages that capitalise every noun: there a capitalised word the source document lacks is
#: mostly a translated noun, not a name brought in, so such words are not counted as unseen names.
NOUN_CAPITALISING_LANGUAGES = frozenset({"de", "lb"})
#: Languages that set a suffix off a proper noun, and only a proper noun, by an apostrophe
#: (Turkish "Putin'in", "Charlotte'daki"): such a word is a name even where it opens a sentence.
APOSTROPHE_SUFFIX_LANGUAGES = frozenset({"tr"})
_SUFFIXED = re.compile(r"\w+['’]\w")
_SUFFIXED_WORD = re.compile(r"(?<![\w'’])(\w+)['’]\w")


def name_words(sentence: str, language: str, calendar_words: bool = False, lower_words: frozenset[str] | None = None) -> set[str]:
    """Folded names and acronyms of a sentence: capitalised words that do not open it (or a
    quotation) and are not month or day names (unless ``calendar_words``). A word after a title
    or an initial ("St. Petersburg", "H. Kaya") or an elided article ("l'Europe") opens nothing; a
    Turkish word with an apostrophe suffix is a name even where it opens the sentence. Turkish
    suffixes stay on ("putin'in"): matching is by prefix. A headline in title case has no names
    to tell apart: most of its words capitalised or, given the batch's ``lower_words``
    (:func:`lower_case_words`), most of the words the batch writes in lower case elsewhere (so
    that a sentence full of names, "President Recep Tayyip Erdoğan approved the International
    Workforce Law", is not one)."""
    words = [w for w in _WORD.findall(sentence) if w[0].isalpha()]
    if lower_words is not None:
        words = [w for w in words if fold(w) in lower_words]
    if words and sum(w[0].isupper() for w in words) > HEADLINE_SHARE * len(words):
        return set()
    calendar = frozenset() if calendar_words else _calendar_words(language)
    found = set()
    for match in _CAPITALISED.finditer(URL.sub(" ", sentence)):
        before = sentence[: match.start()].rstrip()
        opening = not any(c.isalpha() for c in before) or (
            before[-1] in "\"“”'‘«(.:!?-–—"
            and not _after_abbreviation(before, language)
            and not _ELIDED.search(before)
            and not _CLOSED_MID_SENTENCE.search(before)
        )
        if opening and not (language in APOSTROPHE_SUFFIX_LANGUAGES and _SUFFIXED.match(match.group(0))):
            continue
        word = fold(re.split(r"['’]", match.group(0))[0])
        if len(word) > 2 and word not in calendar:
            found.add(word)
    return found


def _after_abbreviation(before: str, language: str) -> bool:
    """Whether text ends in a title or an initial, not a sentence end ("St.", "Mr.", "H."): the
    capitalised word after it is a name."""
    token = _LAST_TOKEN.search(before)
    if not token:
        return False
    word = token.group(1).lstrip("\"“'‘«(")
    return (len(word) == 1 and word.isupper()) or word.lower() in ABBREVIATIONS.get(language, frozenset())


def capitalised_words(sentence: str) -> set[str]:
    """Folded capitalised words of a sentence, the first one included: what a name on the other
    side can be matched against."""
    return {fold(re.split(r"['’]", m.group(0))[0]) for m in _CAPITALISED.finditer(sentence)}


class NamesCheck(BaseCheck):
    """Names and acronyms on one side only.

    A name the other side's document (the batch) has somewhere among its capitalised words
    ("Putin", "NATO") must be in the other sentence: a target name missing from the source
    counts 1, a source name missing from the target ``SOURCE_NAME_WEIGHT`` (matching:
    :func:`_name_matches`: suffixes, spelling, sound-alike exonyms). A target name that nothing
    in the source document resembles counts ``UNSEEN_NAME_WEIGHT``: a name brought in from
    elsewhere, or a translated one ("Department of Defense" for "Savunma Bakanlığı"), so such
    names alone lower the quality no further than the flag threshold (not counted for a target
    language that capitalises every noun, nor for a source in a script without case:
    :func:`written_in_case`). A target name between the two, that the source document has
    only by a looser likeness and the source sentence lacks, counts ``RESEMBLING_NAME_WEIGHT``
    as missing; a Turkish source word with an apostrophe suffix is a name to check wherever it
    stands. The quality is ``1 - missing / counted``. Capitalised words that the batch also
    writes in lower case are not names.
    """

    name = "names"
    reason = "names differ"
    threshold = 0.5
    weight = 0.75

    def quality(self, pairs: PairBatch) -> np.ndarray:
        out = np.full(len(pairs), np.nan)
        src_words = [capitalised_words(s) for s in pairs.src]
        tgt_words = [capitalised_words(t) for t in pairs.tgt]
        tgt_candidates = candidate_names(pairs.tgt, pairs.tgt_lang)
        src_names = _batch_names(candidate_names(pairs.src, pairs.src_lang), set().union(*tgt_words))
        tgt_names = _batch_names(tgt_candidates, set().union(*src_words))
        if pairs.src_lang in APOSTROPHE_SUFFIX_LANGUAGES:
            src_names = [names | _suffixed_names(s) for names, s in zip(src_names, pairs.src)]
        source_names = set().union(*src_words)
        source_lower = {fold(w) for s in pairs.src for w in _WORD.findall(s)} - source_names
        equivalents = name_equivalents(pairs.tgt_lang, pairs.src_lang)
        judged = pairs.tgt_lang not in NOUN_CAPITALISING_LANGUAGES and written_in_case(pairs.src)
        unseen = _unseen_names(tgt_candidates, source_names, source_lower, equivalents) if judged else [set() for _ in pairs.tgt]
        for k in range(len(pairs)):
            # a name the source document has only by a looser likeness ("Laden" and "Ladin" of
            # another sentence, in a batch of many documents) but this source sentence lacks
            resembling = tgt_candidates[k] - tgt_names[k] - unseen[k] if judged else set()
            if resembling:
                source_words = {fold(w) for w in _WORD.findall(pairs.src[k])}
                resembling = {n for n in resembling if not _matches_any_form(n, source_words, equivalents)}
            if tgt_names[k] or src_names[k] or unseen[k] or resembling:
                missing: float = sum(not _name_matches(n, src_words[k]) for n in tgt_names[k])
                missing += SOURCE_NAME_WEIGHT * sum(not _name_matches(n, tgt_words[k]) for n in src_names[k])
                missing += RESEMBLING_NAME_WEIGHT * len(resembling)
                counted = (
                    len(tgt_names[k])
                    + SOURCE_NAME_WEIGHT * len(src_names[k])
                    + UNSEEN_NAME_WEIGHT * len(unseen[k])
                    + RESEMBLING_NAME_WEIGHT * len(resembling)
                )
                quality = 1 - (missing + UNSEEN_NAME_WEIGHT * len(unseen[k])) / max(counted, 1.0)
                # unseen names alone lower the score, but never flag: they may be translated names
                out[k] = quality if missing else max(quality, self.threshold)
        return out


def _suffixed_names(sentence: str) -> set[str]:
    """Folded capitalised words with a suffix set off by an apostrophe ("Hilton'daki"): names in
    the languages of ``APOSTROPHE_SUFFIX_LANGUAGES``, wherever they stand."""
    return {word for m in _SUFFIXED_WORD.finditer(sentence) if m.group(1)[0].isupper() and len(word := fold(m.group(1))) > 2}


def _matches_any_form(name: str, words: set[str], equivalents: dict[str, frozenset[str]]) -> bool:
    """Whether a folded name, or the other language's form of it (``equivalents``), matches one
    of the folded ``words`` (:func:`_name_matches`)."""
    return any(_name_matches(form, words) for form in (name, *equivalents.get(name, ())))


def written_in_case(sentences: Sequence[str]) -> bool:
    """Whether most letters of the sentences have a case (Latin, Cyrillic, Greek, Armenian
    scripts). A script without one (Chinese, Japanese, Arabic, Hindi) writes no name
    capitalised: a target name then has nothing in the source document to be seen in."""
    letters = cased = 0
    for sentence in sentences:
        for c in sentence:
            if c.isalpha():
                letters += 1
                cased += c.isupper() or c.islower()
    return cased > letters / 2


NameSpan = tuple[int, int, str]


def names_without_counterpart(
    sentences: list[str], language: str, others: list[str], other_language: str, capitalised: bool = False
) -> list[list[NameSpan]]:
    """Each sentence's names (:func:`candidate_names`) that nothing in its partner sentence
    matches, even as the other language writes it (:func:`.lexicon.name_equivalents`), as
    ``(start, end, word)`` spans of the sentence (a Turkish suffix left outside: "Putin" of
    "Putin'in"), in order. With ``capitalised``, every capitalised word that opens nothing
    counts (:func:`capitalised_candidates`), not only the names."""
    equivalents = name_equivalents(language, other_language)
    found = []
    candidates = (
        capitalised_candidates(sentences, language, others, other_language) if capitalised else candidate_names(sentences, language)
    )
    for sentence, names, other in zip(sentences, candidates, others):
        partner = capitalised_words(other)
        spans = []
        for match in _CAPITALISED.finditer(sentence):
            word = re.split(r"['’]", match.group(0))[0]
            name = fold(word)
            if name in names and not _matches_any_form(name, partner, equivalents):
                spans.append((match.start(), match.start() + len(word), word))
        found.append(spans)
    return found


def capitalised_candidates(sentences: list[str], language: str, others: list[str], other_language: str) -> list[set[str]]:
    """Each sentence's capitalised words that open nothing (:func:`name_words`), but for those
    the batch also writes exactly so in lower case ("President", "president"); month and day
    names too where the partner sentence names none (in a corpus of many documents a name swapped
    in may be a common word elsewhere, "Brandis" and "brand", or a weekday: "Frank July")."""
    lower = lower_case_words(sentences)
    return [
        {
            n
            for n in name_words(sentence, language, calendar_words=not _names_a_date(other, other_language), lower_words=lower)
            if n not in lower
        }
        for sentence, other in zip(sentences, others)
    ]


def _names_a_date(sentence: str, language: str) -> bool:
    """Whether a sentence names a month or a weekday (in any case or inflection CLDR gives)."""
    calendar = _calendar_words(language)
    return any(fold(word) in calendar for word in _WORD.findall(sentence))


@cache
def _calendar_words(language: str) -> frozenset[str]:
    return frozenset(_month_keys(language)) | {fold(day) for day in weekday_names(language)}


def candidate_names(sentences: list[str], language: str) -> list[set[str]]:
    """Each sentence's names (:func:`name_words`) that are not common words of the batch: a
    capitalised word whose first five letters the batch also writes in lower case is a common
    noun or a title ("Devlet Başkanı", "President"), not a name."""
    lower = lower_case_words(sentences)
    common = {word[:5] for word in lower}
    return [{n for n in name_words(s, language, lower_words=lower) if n[:5] not in common} for s in sentences]


def lower_case_words(sentences: Sequence[str]) -> frozenset[str]:
    """Folded words written in lower case somewhere in ``sentences``."""
    return frozenset(fold(word) for sentence in sentences for word in _WORD.findall(sentence) if word[0].islower())


def _unseen_names(
    candidates: list[set[str]], other_document: set[str], other_lower: set[str], equivalents: dict[str, frozenset[str]]
) -> list[set[str]]:
    """Each sentence's names that nothing among the other side's document words resembles, even
    as the other language writes it (``equivalents``: "almanya" for "germany"): a name brought in
    from elsewhere, or one the translation rendered in its own words ("Department of Defense"
    for "Savunma Bakanlığı"). ``other_document`` (capitalised words) is matched as names are
    (:class:`NameIndex`); ``other_lower`` (the other words) only by the first four letters, or
    the whole of a shorter word: three letters and a short word let "Edirne" meet "ediyor"."""
    other = NameIndex(other_document)
    lower = {word[:4] for word in other_lower}

    def seen(form: str) -> bool:
        return other.matches(form) or form[:4] in lower

    return [{n for n in names if not any(seen(form) for form in (n, *equivalents.get(n, ())))} for names in candidates]


class NameIndex:
    """:func:`_name_matches` against one large set of folded words (a whole document's, where
    checking each name against every word would cost seconds per thousand pairs), indexed once by
    prefix, consonant skeleton and first letter: the same prefix and skeleton rules, and the
    spelling similarity tried among the words of the name's first letter only."""

    def __init__(self, words: set[str]) -> None:
        self.words = words
        self.prefix4 = {w[:4] for w in words if len(w) >= 4}
        self.prefix3_shortest: dict[str, int] = {}
        for w in words:
            if len(w) >= 3:
                self.prefix3_shortest[w[:3]] = min(self.prefix3_shortest.get(w[:3], len(w)), len(w))
        skeletons = {consonant_skeleton(w) for w in words}
        self.skeletons = {k for k in skeletons if _consonants(k) >= 2}
        self.skeleton_prefixes = {k[:n] for k in self.skeletons if _consonants(k) >= 3 for n in range(3 + k.startswith("-"), len(k) + 1)}
        self.by_letter: dict[str, list[str]] = {}
        for w in sorted(words):
            if len(w) >= 4:
                self.by_letter.setdefault(w[0], []).append(w)

    def matches(self, name: str) -> bool:
        if name in self.words or (len(name) >= 4 and name[:4] in self.prefix4):
            return True
        shortest = self.prefix3_shortest.get(name[:3])
        if len(name) >= 3 and shortest is not None and min(len(name), shortest) <= 6:  # three letters, half the shorter word
            return True
        skeleton = consonant_skeleton(name)
        if _consonants(skeleton) >= 2 and skeleton in self.skeletons:
            return True
        mark = skeleton.startswith("-")
        if _consonants(skeleton) >= 3 and (
            skeleton in self.skeleton_prefixes or any(skeleton[:n] in self.skeletons for n in range(3 + mark, len(skeleton)))
        ):
            return True
        return bool(get_close_matches(name, self.by_letter.get(name[:1], []), n=1, cutoff=_NAME_SPELLING_SIMILARITY))


def _batch_names(candidates: list[set[str]], other_document: set[str]) -> list[set[str]]:
    """Each sentence's checkable names (of its :func:`candidate_names`): found among the other
    side's capitalised words (by prefix only: a looser match would let translated words such as
    "Olympic"/"Olimpiyat" in)."""
    prefixes = {word[:4] for word in other_document if len(word) >= 4}  # four letters shared, no shorter prefix
    checkable = {name: name in other_document or (len(name) >= 4 and name[:4] in prefixes) for name in set().union(*candidates)}
    return [{n for n in names if checkable[n]} for names in candidates]


class LengthCheck(BaseCheck):
    """Character length ratio against the batch's own typical ratio (its median): the ratio of
    the two, below 1 either way (0.5 at twice or half the typical ratio, where it flags). There is
    no band of ratios read as equally fine: the calibration reads how rare a ratio is among good
    translations, and a target a clause short is only a little shorter."""

    name = "length"
    reason = "lengths differ"
    threshold = 0.5
    weight = 0.0625

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = np.array([len(s) for s in pairs.src], dtype=np.float64)
        tgt = np.array([len(t) for t in pairs.tgt], dtype=np.float64)
        ratio = np.maximum(tgt, 1) / np.maximum(src, 1)
        typical = float(np.median(ratio)) if len(pairs) >= MIN_BATCH else 1.0
        relative = ratio / typical
        return np.minimum(relative, 1 / relative)


class LanguageCheck(BaseCheck):
    """Language identification (py3langid) of each side: the probability of the expected
    language relative to the most probable one, the lower of the two sides."""

    name = "language"
    reason = "wrong language"
    threshold = 0.2
    weight = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        return np.minimum(language_shares(pairs.src, pairs.src_lang), language_shares(pairs.tgt, pairs.tgt_lang))


@cache
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


#: Letters (names, numbers and URLs left out) below which a sentence is not identified.
LEAST_LETTERS = 20
#: Languages a sentence-level identifier cannot tell apart reliably: one counts for another.
CLOSE_LANGUAGES = (frozenset({"hr", "sr", "bs"}), frozenset({"no", "nb", "nn", "da"}), frozenset({"id", "ms"}))


def language_shares(sentences: list[str], language: str) -> np.ndarray:
    """Each sentence's probability of being in ``language`` relative to its most probable
    language (py3langid): 1 where it is the most probable, or where the sentence is too short to
    tell or the identifier does not know the language. The language and neighbours checks both
    ask it of the same batch: it is identified once (a read-only array)."""
    return _language_shares(tuple(sentences), language)


@lru_cache(maxsize=4)
def _language_shares(sentences: tuple[str, ...], language: str) -> np.ndarray:
    identifier = _language_identifier()
    out = np.ones(len(sentences))
    if language in identifier.nb_classes:
        accepted = next((group for group in CLOSE_LANGUAGES if language in group), frozenset({language}))
        for k, sentence in enumerate(sentences):
            # names, numbers and URLs say nothing of the language; too little else, and the
            # identifier guesses ("Erdoğan dün Ankara'da konuştu." reads as Azerbaijani)
            words = NUMBER.sub(" ", URL.sub(" ", sentence)).split()
            text = " ".join(w for w in words if not w.lstrip("(\"'“‘«[")[:1].isupper())
            if sum(c.isalpha() for c in text) < LEAST_LETTERS:
                continue
            ranked = dict(identifier.rank(text))
            out[k] = max(ranked.get(code, 0.0) for code in accepted) / max(ranked.values())
    out.setflags(write=False)
    return out


def language_identifiable(language: str) -> bool:
    """Whether the language check's identifier knows the language (else the check passes it)."""
    return language in _language_identifier().nb_classes


class UntranslatedCheck(BaseCheck):
    """The target copies the source: chrF between the two sides once numbers, URLs and names are
    removed from both (those are rightly the same in a translation). Quality is 1 up to
    ``COPY_CHRF`` (unrelated languages stay far below it) and falls to 0 for a copy."""

    name = "untranslated"
    reason = "untranslated (target copies source)"
    threshold = 0.5
    COPY_CHRF = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = [_strip_shared(s, pairs.src_lang) for s in pairs.src]
        tgt = [_strip_shared(t, pairs.tgt_lang) for t in pairs.tgt]
        overlap = np.maximum(sentence_chrf(src, tgt), sentence_chrf(tgt, src))
        quality = np.clip((1 - overlap) / (1 - self.COPY_CHRF), 0.0, 1.0)
        return np.where([bool(s.strip()) and bool(t.strip()) for s, t in zip(src, tgt)], quality, np.nan)


def _strip_shared(sentence: str, language: str) -> str:
    text = NUMBER.sub(" ", URL.sub(" ", sentence))
    return " ".join(w for k, w in enumerate(text.split()) if k == 0 or not w[:1].isupper())


class EmptyCheck(BaseCheck):
    """A side with no letters or digits (empty, punctuation or symbols only)."""

    name = "empty"
    reason = "empty or punctuation only"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        return np.array([float(_has_content(s) and _has_content(t)) for s, t in zip(pairs.src, pairs.tgt)])


def _has_content(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)
