"""Per-language facts from the Unicode CLDR (through babel), for every language the toolkit
accepts: month and weekday names, the decimal separator, and the locale itself for the names
lexicon (:mod:`aligner.check.lexicon`). A language CLDR does not know gets none of them (dates
not compared, a decimal point)."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol

#: Forms CLDR does not list, by month number: Russian and Ukrainian months in the prepositional
#: case ("в октябре"), the Spanish spelling "setiembre".
_EXTRA_MONTH_FORMS: dict[str, dict[int, str]] = {
    "ru": dict(enumerate("январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре".split(), 1)),
    "uk": dict(enumerate("січні лютому березні квітні травні червні липні серпні вересні жовтні листопаді грудні".split(), 1)),
    "es": {9: "setiembre"},
}
#: What a Catalan month name has before it in CLDR ("d’octubre", "de maig").
_NAME_PREFIX = re.compile(r"^.*[\s’']")


@cache
def locale(language: str) -> Locale | None:
    """The CLDR locale of a language code, or None where CLDR has none."""
    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return None


@cache
def month_names(language: str) -> tuple[frozenset[str], ...]:
    """The twelve months' full names in every form CLDR gives (as in a date and standing alone:
    Russian "октября" and "октябрь"), January first; empty where CLDR has none. Abbreviations
    are left out: Turkish "Ara" and "Kas" are words too."""
    data = locale(language)
    if data is None:
        return ()
    forms: list[set[str]] = [set() for _ in range(12)]
    for context in ("format", "stand-alone"):
        for number, name in data.months[context]["wide"].items():
            forms[number - 1].add(_NAME_PREFIX.sub("", name))
    for number, name in _EXTRA_MONTH_FORMS.get(language, {}).items():
        forms[number - 1].add(name)
    return tuple(frozenset(f) for f in forms)


@cache
def weekday_names(language: str) -> frozenset[str]:
    """The seven weekdays' full names (the last word of each: Hebrew "יום שני")."""
    data = locale(language)
    if data is None:
        return frozenset()
    return frozenset(_NAME_PREFIX.sub("", name) for context in ("format", "stand-alone") for name in data.days[context]["wide"].values())


@cache
def decimal_comma(language: str) -> bool:
    """Whether the language writes decimals with a comma ("1,75"; its thousands then with a dot)."""
    data = locale(language)
    return data is not None and get_decimal_symbol(data) == ","


@cache
def scale_words(language: str) -> dict[str, int]:
    """Words and abbreviations that multiply the number before them, by CLDR's compact number
    formats: English "thousand" 1000 and "M" 10**6, German "Mio." 10**6, Chinese "万" 10**4 and
    "亿" 10**8, Korean "만", Hindi "लाख" 10**5. Keys are folded to lower case but for single
    letters ("M" is a million, "m" a metre)."""
    data = locale(language)
    if data is None:
        return {}
    words: dict[str, int] = {}
    for width in ("long", "short"):
        for patterns in data.compact_decimal_formats.get(width, {}).values():
            for magnitude, pattern in patterns.items():
                word = pattern.suffix[0].replace("'", "").strip()
                zeros = pattern.pattern.count("0")
                if not word or not zeros or any(c.isdigit() for c in word):
                    continue
                words[word if len(word) == 1 else word.lower()] = int(magnitude) // 10 ** (zeros - 1)
    return words


@cache
def month_abbreviations(language: str) -> frozenset[str]:
    """The months' abbreviations CLDR gives (lower case, without their period: Italian "gen",
    French "janv", German "okt"), where they are not the full name too (French "mai")."""
    data = locale(language)
    if data is None:
        return frozenset()
    full = {name.lower() for forms in month_names(language) for name in forms}
    abbreviated = {
        name.lower().rstrip(".") for context in ("format", "stand-alone") for name in data.months[context]["abbreviated"].values()
    }
    return frozenset(abbreviated - full)
