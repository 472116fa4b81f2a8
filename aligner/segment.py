"""Sentence segmentation: a maintained library does the cutting, a repair pass fixes its misses.

Segmenters are registered in :data:`aligner.registry.SEGMENTERS`. Whichever library runs,
:func:`repair_boundaries` then cuts after sentence ends the library missed (quoted ends in German
„…“ and »…«, a dialogue turn opened by a dash, the ellipsis character "…" before a capital, a
one-letter unit after a number ("à 8 h. Il pleut."), Greek questions ending in ";", the Khmer and
Tibetan sentence marks, the spaces that end Thai and Lao sentences) and re-joins cuts that are wrong: after abbreviations ("Dr.", "vb.",
"Av.", "No.", "Mr.", and the Moses lists' in any case: "Vgl."), titles of a script without case
(Arabic "د.") and month abbreviations before a number ("3 gen. 2020"), after Turkish ordinals
("29. madde", "3. Havalimanı") and a list item's number alone ("5. Une expédition"), before a
lower-case continuation ('"..." dedi.'), a Japanese particle after a quotation ("「…」と彼は言った"),
inside a short bracket ("( Fr. 2.70 )"), after marks alone (a leading "..."), and before a
byline such as "(PT/VK)", which belongs to the sentence it closes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Protocol

from .cldr import month_abbreviations
from .errors import ConfigError
from .languages import UPPER, join_text

#: Abbreviations that end with a period but rarely end a sentence, per language (lower case).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "tr": frozenset(
        """dr prof doç yrd av alb org gen korg tuğg ora yzb bşk sn sy no nr vb vs vd bkz örn
        st mah cad sok sk blv apt kat daire tel fax ltd şti aş a.ş inc co yy çev haz ed s ss c
        m.ö m.s mr mrs ms öğr gör arş uzm op hz müh mim ecz tic gn md müd kom başk yay san tur""".split()
    ),
    "ru": frozenset("проф акад доц ул пер просп корп".split()),
    "en": frozenset(
        """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres
        no nos vol pp fig approx est dept univ inc ltd co corp bros jan feb mar apr jun jul aug
        sep sept oct nov dec vs etc al e.g i.e u.s u.k u.n""".split()
    ),
    # beyond the Moses lists (:func:`nonbreaking_prefixes`), common in books and yearbooks
    "de": frozenset("abb bd dipl ebd geb gest hrsg inkl jh jhd jg jahrg med tel verh zit zzgl".split()),
    "fr": frozenset("capt mgr mlle mme ste".split()),
    "es": frozenset(["ee"]),  # "EE. UU." (the United States)
    "it": frozenset("pag cfr".split()),
}
_BYLINE = re.compile(rf"^\(\s*[{UPPER}]{{1,5}}(\s*/\s*[{UPPER}]{{1,5}})+\s*\)$")
_LAST_WORD = re.compile(r"(?:^|[\s(\"'“‘«])([^\s(\"'“‘«]+)\.$")
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,3}\.$")
#: A list item's number or letter alone ("5.", "12)", "b)", "IV."): it opens the sentence after it.
_LIST_MARKER = re.compile(r"^\(?(?:\d{1,3}|[a-z]|[IVXLC]{1,5})[.)]$")
_INITIAL_END = re.compile(rf"(?:^|\s)[{UPPER}]\.$")
#: A letter alone before a period: in a script without case (Arabic "د." for doctor, "م." for
#: engineer) a title or an initial, never the end of a sentence.
_LONE_LETTER_END = re.compile(r"(?:^|[\s(])([^\W\d_])\.$")
#: A time of day written with "a.m."/"p.m.", and the words that go on after it in a sentence: a
#: day of the week or a time zone ("at 9 a.m. Friday", "at 1 p.m. Eastern time").
_CLOCK_END = re.compile(r"\d\s?[ap]\.m\.$", re.IGNORECASE)
_AFTER_CLOCK = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Eastern Pacific Central Mountain "
    "ET EST EDT CT CST CDT PT PST PDT GMT UTC BST CET CEST local".split()
)
#: A piece that is a number in brackets and its sentence's end ("(2021 г.)."): a cut before it
#: is false.
_NUMBER_IN_BRACKETS = re.compile(r"^\(\s*\d[^()]*\)[.!?…]*$")
#: Japanese goes on after a quotation with a particle ("「行こう。」と彼は言った。"): a piece that
#: opens with one after a closing bracket or quote is the same sentence.
_QUOTE_CLOSED = re.compile(r"[」』”\"]$")
_JAPANESE_PARTICLE = re.compile(r"^(?:と|って|を|に|は|も)")


@cache
def nonbreaking_prefixes(language: str) -> frozenset[str]:
    """The Moses splitter's non-breaking prefixes of the language, lower-cased (but for the
    upper-case initials, and those it honours before a number only): it matches them in their
    case only, so that a sentence opening with "Vgl." or a title written "sig." was cut after
    it, and it cuts after any of them before an opening quote ("(s. «Die Alpen» 1956)")."""
    import sentence_splitter

    path = Path(sentence_splitter.__file__).parent / "non_breaking_prefixes" / f"{language}.txt"
    if not path.is_file():
        return frozenset()
    entries = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    listed = [entry for entry in entries if entry and not entry.startswith("#") and "#" not in entry]
    return frozenset(entry.lower() for entry in listed if len(entry) > 1 or entry.islower())


class Segmenter(Protocol):
    """Cuts one paragraph into sentences."""

    def segment(self, paragraph: str) -> list[str]: ...


class SentencexSegmenter:
    """Wikimedia's sentencex: rule-based, many languages, maintained."""

    def __init__(self, language: str) -> None:
        import sentencex

        self._segment = sentencex.segment
        self.language = language

    def segment(self, paragraph: str) -> list[str]:
        return list(self._segment(self.language, paragraph))


class PysbdSegmenter:
    """pysbd (Golden Rules); languages it lacks, Turkish among them, use its English rules."""

    def __init__(self, language: str) -> None:
        import pysbd
        from pysbd.languages import LANGUAGE_CODES

        code = language if language in LANGUAGE_CODES else "en"
        self._segmenter = pysbd.Segmenter(language=code, clean=False)

    def segment(self, paragraph: str) -> list[str]:
        return list(self._segmenter.segment(paragraph))


class MosesSegmenter:
    """The Moses splitter (Koehn and Schroeder) with its non-breaking prefix lists."""

    def __init__(self, language: str) -> None:
        from sentence_splitter import SentenceSplitter, SentenceSplitterException

        try:
            self._splitter = SentenceSplitter(language=language)
        except SentenceSplitterException:
            raise ConfigError(f"the moses segmenter has no rules for {language!r}: use --segmenter auto or sentencex") from None

    def segment(self, paragraph: str) -> list[str]:
        return list(self._splitter.split(paragraph))


def moses_has_rules(language: str) -> bool:
    """Whether the Moses splitter has non-breaking prefix rules for the language."""
    try:
        MosesSegmenter(language)
    except ConfigError:
        return False
    return True


class AutoSegmenter:
    """Moses where it has rules for the language (the best on Turkish and English news, see
    ``scripts/evaluate_segmentation.py``), else sentencex, which covers the rest: Arabic, Chinese,
    Hindi, Japanese, Korean, Persian, Ukrainian …"""

    def __init__(self, language: str) -> None:
        self._segmenter: Segmenter
        try:
            self._segmenter = MosesSegmenter(language)
        except ConfigError:
            self._segmenter = SentencexSegmenter(language)

    def segment(self, paragraph: str) -> list[str]:
        return self._segmenter.segment(paragraph)


#: "About" abbreviated before a number, in the languages that write it so ("c. 1850", "ca. 3,6",
#: "env. 20", "aprox. 5", "cca 10"): no sentence ends there.
CIRCA = frozenset("c ca cca approx aprox env".split())
CIRCA_OF_LANGUAGE = {"pl": frozenset(["ok"]), "tr": frozenset(["yakl"])}
#: Abbreviations that stand before a number (an article, section, table, figure, chapter or
#: volume: "Art. 5 para. 2", "Tab. 1", "§ 3 Abs. 2", "TCK md. 5"), which the Moses lists mostly
#: lack: no sentence ends there. Those of every language, and each language's own.
BEFORE_NUMBER = frozenset("art no nr fig tab vol".split())
BEFORE_NUMBER_OF_LANGUAGE = {
    "en": frozenset("nos pp para sec eq ch chap col fn".split()),
    "de": frozenset("abs kap ziff lit bd".split()),
    "fr": frozenset("al chap".split()),
    "es": frozenset("núm pág cap".split()),
    "it": frozenset("pag cap".split()),
    "nl": frozenset(["blz"]),
    "tr": frozenset("md mad".split()),
    "pt": frozenset("pág cap".split()),
    "ru": frozenset("ст гл рис табл разд стр ч т".split()),
    "uk": frozenset("ст гл рис табл розд стор ч т".split()),
    "pl": frozenset("str rozdz ust pkt poz rys tab".split()),
    "cs": frozenset("odst str kap obr tab č".split()),
    "sv": frozenset(["kap"]),
}
#: "And so on", which ends a sentence before an upper-case letter ("…, pears etc. The …") though
#: the Moses lists keep it (German nouns are no exception: "… usw. Kinder …").
ETCETERA = frozenset("etc ecc usw usf".split())
#: The same in one language only (English "vs." is "versus").
ETCETERA_OF_LANGUAGE = {"tr": frozenset("vb vd".split()), "ru": frozenset(["т. д", "т. п", "т.д", "т.п"]), "uk": frozenset(["т. д", "т.д"])}
#: Abbreviations that often end a sentence ("… and so on, etc.", "… Stifel Nicolaus & Co."):
#: no sign that a line goes on.
SENTENCE_FINAL_ABBREVIATIONS = ETCETERA | frozenset("vb vs vd al dgl u.s u.k u.n co inc corp ltd bros".split())
#: A line's last word before a period, which tokenised text parts from it ("capt .").
_LAST_WORD_SPACED = re.compile(r"(?:^|[\s(\"“«])([^\W\d_][^\s(\"“«]+?)\s?\.$")
#: An initial that ends a line after a hyphen or an apostrophe ("J. Marmet-E .", "l' E ."): part
#: of a name cut off. One after a space or another initial may end a sentence ("Ali Y.", "U.S.").
_INITIAL_AT_END = re.compile(rf"[\-'’]\s?[{UPPER}]\s?\.$")
#: A one-letter unit after a number, tokenised or not ("8481 m.", "8481 m .").
_UNIT_AT_LINE_END = re.compile(r"\d\s?[^\W\d_]\s?\.$")


@cache
def before_number(language: str) -> frozenset[str]:
    """Abbreviations no sentence ends with before a number: months, "about", "article" …"""
    return (
        month_abbreviations(language)
        | CIRCA
        | CIRCA_OF_LANGUAGE.get(language, frozenset())
        | BEFORE_NUMBER
        | BEFORE_NUMBER_OF_LANGUAGE.get(language, frozenset())
    )


def ends_in_abbreviation(sentence: str, language: str) -> bool:
    """Whether a line ends in an abbreviation that rarely ends a sentence (a title, a month,
    "capt.", "Nr.") or in an initial: text split into lines there (OCR, a tokenised corpus) goes
    on in the next line. A unit after a number ("8481 m.") is no such sign."""
    text = sentence.rstrip()
    if _UNIT_AT_LINE_END.search(text):
        return False
    if _INITIAL_AT_END.search(text):
        return True
    word = _LAST_WORD_SPACED.search(text)
    if not word:
        return False
    folded = word.group(1).lower()
    if folded in SENTENCE_FINAL_ABBREVIATIONS:
        return False
    return folded in ABBREVIATIONS.get(language, frozenset()) or folded in nonbreaking_prefixes(language)


#: Languages whose sentences open with a letter Unicode calls lower case: Georgian's Mkhedruli
#: letters have capitals (Mtavruli) that text does not use to open a sentence, so a cut before a
#: lower-case letter is no false boundary there.
UNCAPITALISED_OPENING_LANGUAGES = frozenset({"ka", "xmf", "sva"})


def _joins_next(sentence: str, following: str, language: str) -> bool:
    """True when the cut between ``sentence`` and ``following`` is a false boundary."""
    first = following.lstrip("\"'“‘«(")[:1]
    if not first:
        return True
    if first.islower() and language not in UNCAPITALISED_OPENING_LANGUAGES:
        return True
    if not any(c.isalnum() for c in sentence):  # "…" or "–" alone opens what follows
        return True
    if language == "ja" and _QUOTE_CLOSED.search(sentence) and _JAPANESE_PARTICLE.match(following):
        return True
    if _closes_short_bracket(sentence, following):
        return True
    if _BYLINE.match(following):
        return True
    if _NUMBER_IN_BRACKETS.match(following):  # "… 12,6 млн чел." / "(2021 г.)."
        return True
    word = _LAST_WORD.search(sentence)
    if first.isupper() and _etcetera(language)[1].search(sentence):
        return False
    if word and word.group(1).lower() in ABBREVIATIONS.get(language, frozenset()):
        return True
    if word and word.group(1).lower() in nonbreaking_prefixes(language) and not _UNIT_BEFORE_END.search(sentence):
        return True
    if _INITIAL_END.search(sentence) and first.isupper():
        return True
    lone = _LONE_LETTER_END.search(sentence)
    if lone and not (lone.group(1).isupper() or lone.group(1).islower()) and first.isalpha():  # Arabic "د. أحمد" (Dr. Ahmed)
        return True
    if word and first.isdigit() and word.group(1).lower() in before_number(language):
        return True  # "3 gen. 2020", "c. 1850", "Tab. 1"
    if lone and lone.group(1).islower() and first.isdigit():  # "(b. 1950, d. 2010)", "s. 12", "p. 3"
        return True
    if _CLOCK_END.search(sentence) and following.split(maxsplit=1)[0].strip(",;.") in _AFTER_CLOCK:
        return True  # "at 9 a.m. Friday", "at 1 p.m. Eastern time"
    if language == "tr" and _ORDINAL_END.search(sentence):
        return True
    return bool(_LIST_MARKER.match(sentence))


#: How long the text in an open bracket before a cut and the text up to its closing bracket
#: after it may be (characters) for the cut to be a false one: "( Fr. 2.70 )", "( Österr.
#: Touristenzeitung , 70. Jahrgang )".
SHORT_BRACKET = 60


def _closes_short_bracket(sentence: str, following: str) -> bool:
    """Whether the cut falls inside a short bracket: ``sentence`` leaves "(" open a few words
    before its end and ``following`` closes it a few words after its start (an abbreviation the
    segmenter took for a sentence end: "3 Rupies ( Fr." / "2.70 ) pro Tag")."""
    opened = sentence.rfind("(")
    if opened < 0 or ")" in sentence[opened:] or len(sentence) - opened > SHORT_BRACKET:
        return False
    closed = following.find(")")
    return 0 <= closed <= SHORT_BRACKET and "(" not in following[:closed]


#: Sentence-final punctuation, then closing quotes (French puts a space before »), then space: a
#: boundary when an upper-case letter follows. The Moses lists miss it for German quotes
#: („…“ and »…«), which close with what other languages open with.
_QUOTED_END = re.compile(r"[.!?…]+(?:\s?[»«]|[”“\"'’»«])+\s+")
#: A sentence end before a dash that opens the next speaker's turn, as novels in French, Spanish,
#: Italian or Russian write dialogue: "Vous venez ? — Oui, dit-elle."
_DIALOGUE_TURN = re.compile(r"[.!?…]+\s+(?=[—–―])")
#: A sentence end before an opening quote that the Moses lists do not know as one: German „…“
#: ("…, fragte sie. „Nach Hause.“"), and the guillemet that opens in the language: » in German,
#: Danish, Czech …, which close with «; « elsewhere (French), which close with ».
_QUOTE_OPENS = re.compile(r"[.!?…]+\s+(?=[„‚])")
_GUILLEMET_OPENS = {True: re.compile(r"[.!?…]+\s+(?=»)"), False: re.compile(r"[.!?…]+\s+(?=«)")}
REVERSED_GUILLEMET_LANGUAGES = frozenset({"de", "da", "cs", "sk", "hr", "sl", "hu"})


@cache
def _etcetera(language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "etc." (:data:`ETCETERA`, and the language's own) with the space after it, where a
    sentence is cut, and at the end of a sentence."""
    words = "|".join(re.escape(word) for word in sorted(ETCETERA | ETCETERA_OF_LANGUAGE.get(language, frozenset())))
    return re.compile(rf"(?:^|\s)(?:{words})\.\s+", re.IGNORECASE), re.compile(rf"(?:^|\s)(?:{words})\.$", re.IGNORECASE)


#: A compass point after a coordinate ("… 28°58′48″E. It was …"): the Moses lists read the
#: letter as an initial.
_COORDINATE_END = re.compile(r"(?<=[\d°′″])[NSEW]\.\s+")
#: An encyclopedia's reference marks after a sentence's end ("… in Turkey.[1][2] It …"): the
#: sentence ends there, before an upper-case letter or a number ("….[1] 2019'da …").
_CITED_END = re.compile(r"[.!?…][\"”’»]?(?:\[(?:\d{1,3}|[a-z])\])+\s+")
#: A unit of one letter after a number ends a sentence where an upper-case word follows ("…
#: 8222 m. Über …", "… à 8 h. Il pleut."): the Moses lists read the letter as an initial.
_UNIT_END = re.compile(r"(?<=\d)\s?[mhgl]\.\s+")
_UNIT_BEFORE_END = re.compile(r"\d\s?[mhgl]\.$")
#: Greek ends a question with ";" (or the Greek question mark U+037E), which the Moses lists
#: read as a semicolon: "Είναι αρκετό; Οι ειδικοί λένε όχι." is two sentences.
_GREEK_QUESTION_END = re.compile(r"[;\u037e](?:[”\"'’»])*\s+")
#: The ellipsis character ends a sentence before an upper-case start ("Il était trois heures…
#: Personne ne vint."), as three full stops do for the segmenters, which read it as no mark at all;
#: not the mark of words left out of a quotation ("[…]", "(…)").
_ELLIPSIS_END = re.compile(r"(?<![\[(])…(?:[”\"'’»)\]])*\s+")
#: What may stand before the first letter of a sentence: quotes, brackets, dialogue dashes,
#: Spanish opening marks.
_OPENING = "\"'„“‘«»([‚—–―¿¡ "


#: Sentence marks of scripts without case, which no upper-case letter follows: the Khmer khan
#: and bariyosan ("។", "៕") and the Tibetan shad before a space ("། "); the segmenters leave
#: them uncut, so a paragraph was one sentence.
_CASELESS_END = re.compile(r"[\u17d4\u17d5](?:[”\"'’»])*\s*|[\u0f0d\u0f0e](?:[”\"'’»])*\s+")
#: Thai and Lao write no sentence mark: a space ends a sentence (or a clause). A space between
#: two letters of the script is cut ("…ประเทศไทย มีประชากร…"), not one beside a number or a
#: Latin word ("ประมาณ 10 ล้านคน").
_SPACED_SCRIPT_END = {
    "th": re.compile(r"(?<=[\u0e01-\u0e4e])\s+(?=[\u0e01-\u0e4e])"),
    "lo": re.compile(r"(?<=[\u0e81-\u0ecd\u0edc-\u0edf])\s+(?=[\u0e81-\u0ecd\u0edc-\u0edf])"),
}
#: A Thai or Lao piece shorter than this (characters) is not cut off: a space also sets off a
#: short phrase ("ครับ", a name), and a clause that short is no sentence.
SPACED_SCRIPT_MIN_PIECE = 15


def split_missed_ends(sentence: str, language: str) -> list[str]:
    """Cut ``sentence`` after each sentence end segmenters miss: quoted ends, an opening quote, a
    dialogue turn, "etc.", a coordinate's compass point, a one-letter unit after a number, an
    ellipsis character, a Greek question, where an upper-case start follows; reference marks
    before a number too; the sentence marks of scripts without case (Khmer, Tibetan); the spaces
    that end Thai and Lao sentences."""
    guillemet = _GUILLEMET_OPENS[language in REVERSED_GUILLEMET_LANGUAGES]
    patterns = [
        _QUOTED_END,
        _QUOTE_OPENS,
        guillemet,
        _etcetera(language)[0],
        _COORDINATE_END,
        _DIALOGUE_TURN,
        _UNIT_END,
        _ELLIPSIS_END,
        *([_GREEK_QUESTION_END] if language == "el" else []),
    ]
    cuts = {
        match.end()
        for pattern in patterns
        for match in pattern.finditer(sentence)
        if sentence[match.end() :].lstrip(_OPENING)[:1].isupper()
    }
    cuts |= {match.end() for match in _CITED_END.finditer(sentence) if _opens_sentence_or_number(sentence[match.end() :])}
    cuts |= {match.end() for match in _CASELESS_END.finditer(sentence) if match.end() < len(sentence)}
    spaced = _SPACED_SCRIPT_END.get(language)
    if spaced:
        cuts |= _long_enough({match.end() for match in spaced.finditer(sentence)}, len(sentence))
    pieces, start = [], 0
    for end in sorted(cuts):
        pieces.append(sentence[start:end].strip())
        start = end
    return pieces + [sentence[start:].strip()]


def _opens_sentence_or_number(text: str) -> bool:
    first = text.lstrip(_OPENING)[:1]
    return first.isupper() or first.isdigit()


def _long_enough(cuts: set[int], length: int) -> set[int]:
    """The cuts that leave no piece shorter than ``SPACED_SCRIPT_MIN_PIECE``: a short piece joins
    the one after it, a short last piece the one before."""
    kept: list[int] = []
    for cut in sorted(cuts):
        if cut - (kept[-1] if kept else 0) >= SPACED_SCRIPT_MIN_PIECE:
            kept.append(cut)
    while kept and length - kept[-1] < SPACED_SCRIPT_MIN_PIECE:
        kept.pop()
    return set(kept)


#: Each closing quote mark, with the opening mark it closes (German „…“ and »…«, English “…”, French «…»).
_OPENER_OF = {"“": "„", "”": "“", "«": "»", "»": "«", "‘": "‚", "’": "‘"}


def _closes_quote_of(previous: str, sentence: str) -> bool:
    """True when ``sentence`` starts with the closing quote of a quote ``previous`` left open
    (a segmenter cut before it)."""
    opener = _OPENER_OF.get(sentence[:1])
    return opener is not None and previous.count(opener) > previous.count(sentence[0]) and sentence[1:2] in ("", " ")


def repair_boundaries(sentences: Iterable[str], language: str) -> list[str]:
    """Strip sentences, drop empty ones, cut where a segmenter missed a sentence end, give a
    closing quote back to the sentence it closes, and re-join the false cuts described in the
    module doc."""
    repaired: list[str] = []
    for sentence in (piece for s in sentences for piece in split_missed_ends(s.strip(), language)):
        if repaired and _closes_quote_of(repaired[-1], sentence):
            repaired[-1] += sentence[0]
            sentence = sentence[1:].strip()
        if not sentence:
            continue
        if repaired and _joins_next(repaired[-1], sentence, language):
            repaired[-1] = join_text(repaired[-1], sentence)
        else:
            repaired.append(sentence)
    return repaired


def segment_paragraphs(paragraphs: Iterable[str], segmenter: Segmenter, language: str) -> list[str]:
    """Segment each paragraph and repair its boundaries; sentences never cross paragraphs."""
    sentences: list[str] = []
    for paragraph in paragraphs:
        sentences.extend(repair_boundaries(segmenter.segment(paragraph), language))
    return sentences
