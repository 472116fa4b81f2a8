"""Names that two languages write differently ("Almanya" and "Germany", "Wien" and "Vienne"):
countries, languages and cities from the Unicode CLDR, through babel.

Without them a translated name looks like a name brought in from elsewhere, the error the names
checks look for. CLDR covers every language the aligner accepts (a language it lacks gets an
empty lexicon: the spelling and sound-alike matches still apply).
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from ..anchors import fold
from ..cldr import locale

#: Shorter words of a name ("of", "the", "la") are left out.
SHORTEST_WORD = 3


def _names(data: Locale, zones: set[str]) -> dict[str, str]:
    """Every country, language and time-zone city a locale names, by CLDR key; a city the locale
    leaves unnamed is spelled as in its zone ("Europe/Moscow": "Moscow")."""
    names = {f"territory:{key}": name for key, name in data.territories.items()}
    names.update({f"language:{key}": name for key, name in data.languages.items()})
    for zone in zones:
        names[f"city:{zone}"] = data.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
    return names


def _words(name: str) -> set[str]:
    return {w for w in fold(name).replace("-", " ").split() if len(w) >= SHORTEST_WORD and w.isalpha()}


@cache
def name_equivalents(language: str, other: str) -> dict[str, frozenset[str]]:
    """Each folded word of a country, language or city name in ``language`` → the folded words of
    the same names in ``other`` (only names the two languages write differently; a word is taken
    from the shortest names that hold it)."""
    this, that = locale(language), locale(other)
    if this is None or that is None:
        return {}
    zones = set(this.time_zones) | set(that.time_zones)
    theirs = _names(that, zones)
    found: dict[str, tuple[int, set[str]]] = {}  # word → (fewest words of a name holding it, their equivalents)
    for key, name in _names(this, zones).items():
        other_name = theirs.get(key)
        if other_name is None or fold(other_name) == fold(name):
            continue
        words, other_words = _words(name), _words(other_name)
        for word in words - other_words:
            fewest, equivalents = found.get(word, (len(words), set()))
            if len(words) < fewest:  # "French", not "Cajun French" or "Swiss French"
                fewest, equivalents = len(words), set()
            if len(words) == fewest:
                found[word] = (fewest, equivalents | other_words)
    return {word: frozenset(words) for word, (_, words) in found.items() if words}
