"""Checks by rule: numbers (read by :mod:`.quantities`), names, length, language, untranslated
text, empty sides."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from difflib import get_close_matches
from functools import cache, lru_cache
from os.path import commonprefix
from typing import Any

import numpy as np

from ..anchors import NUMBER, URL, fold_word
from ..cldr import weekday_names
from ..languages import (
    CLOSING_MARKS,
    NOUN_CAPITALISING_LANGUAGES,
    SENTENCE_MARKS,
    SPACED_WORD_CHAR,
    UPPER,
    accepted_languages,
    language_identifier,
    spelled_length,
)
from ..segment import ABBREVIATIONS
from .base import MIN_BATCH, BaseCheck, PairBatch, sentence_chrf
from .lexicon import name_equivalents
from .quantities import WORD, has_month_names, month_keys, quantities


class NumbersCheck(BaseCheck):
    """Numbers, percentages, amounts and dates must agree: the share of numbers found on both
    sides (a digit on one side may be spelled out on the other)."""

    name = "numbers"
    reason = "numbers differ"
    threshold = 0.99
    #: 2 with the worst check alone deciding; 2.5 with the two rarest multiplied, so that a
    #: number that differs still ranks below a good pair that two checks find a little unusual
    weight = 2.5

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
            src_words, tgt_words = src_quantities.words_unmatched_by(tgt_quantities), tgt_quantities.words_unmatched_by(src_quantities)
            if src_words and tgt_words:
                # each side spells a number the other lacks ("üç" and "five"): one was changed. A
                # number word only one side has is as often an idiom ("one of", "bir" is also "a")
                total += len(src_words) + len(tgt_words)
                missing += len(src_words) + len(tgt_words)
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
#: A quotation (or quotations, one within another) closed after a comma or a letter: the
#: sentence goes on ('"…," Putin said', '"… 'no,'" Putin said'), so the capitalised word after
#: it opens nothing.
_CLOSED_MID_SENTENCE = re.compile(r"[\w,;]['\"”’»]+$")
#: An elided article or preposition before a word ("l'", "d'", "qu'", "dell'"): its apostrophe is
#: not a quotation mark, and the capitalised word after it does not open anything ("l'Europe").
_ELIDED = re.compile(r"(?<!\w)[^\W\d_]{1,4}['’]$")
#: Languages that set a suffix off a proper noun, and only a proper noun, by an apostrophe
#: (Turkish "Putin'in", "Charlotte'daki"): such a word is a name even where it opens a sentence.
APOSTROPHE_SUFFIX_LANGUAGES = frozenset({"tr"})
_SUFFIXED = re.compile(r"\w+['’]\w")
_SUFFIXED_WORD = re.compile(r"(?<![\w'’])(\w+)['’]\w")


def name_words(
    sentence: str,
    language: str,
    calendar_words: bool = False,
    lower_words: frozenset[str] | None = None,
    openings: set[str] | None = None,
) -> set[str]:
    """Folded names and acronyms of a sentence: capitalised words that do not open it (or a
    quotation) and are not month or day names (unless ``calendar_words``). A word after a title
    or an initial ("St. Petersburg", "H. Kaya"), an elided article ("l'Europe") or a colon
    ("IAEA: Iran complies …"; a common word there is told by the batch's lower case) opens nothing; a
    Turkish word with an apostrophe suffix is a name even where it opens the sentence; other
    words that open it, and that no capitalised word follows, go into ``openings`` where given
    (:func:`candidate_names`). Turkish
    suffixes stay on ("putin'in"): matching is by prefix. A headline in title case has no names
    to tell apart: most of its words capitalised or, given the batch's ``lower_words``
    (:func:`lower_case_words`), most of the words the batch writes in lower case elsewhere (so
    that a sentence full of names, "President Recep Tayyip Erdoğan approved the International
    Workforce Law", is not one)."""
    words = [w for w in WORD.findall(sentence) if w[0].isalpha()]
    if lower_words is not None:
        words = [w for w in words if fold_word(w) in lower_words]
    if words and sum(w[0].isupper() for w in words) > HEADLINE_SHARE * len(words):
        return set()
    calendar = frozenset() if calendar_words else _calendar_words(language)
    found = set()
    first_letter = next((k for k, c in enumerate(sentence) if c.isalpha()), len(sentence))
    for match in _CAPITALISED.finditer(URL.sub(" ", sentence)):
        # what comes just before the word (the whole text before it made a long sentence's
        # names cost its length squared: 43 s for 160 KB)
        before = sentence[max(0, match.start() - BEFORE_WINDOW) : match.start()].rstrip()
        opening = match.start() <= first_letter or (
            before[-1] in "\"“”'‘«(.!?-–—"
            and not _after_abbreviation(before, language)
            and not _ELIDED.search(before)
            and not _CLOSED_MID_SENTENCE.search(before)
        )
        word = _name_key(match.group(0))
        if len(word) <= 2 or word in calendar:
            continue
        if opening and not (language in APOSTROPHE_SUFFIX_LANGUAGES and _SUFFIXED.match(match.group(0))):
            if openings is not None and not _BEFORE_CAPITAL.match(sentence, match.end()):
                openings.add(word)
            continue
        found.add(word)
    return found


#: How much of the text before a capitalised word tells whether it opens something: a title,
#: initials, an elided article or a closing quote is far shorter.
BEFORE_WINDOW = 100

#: A capitalised word next: the word before it is a title or a first name ("Bay Trump").
_BEFORE_CAPITAL = re.compile(rf"\s+[{UPPER}]")

#: An initial or initials before their last full stop: "H", "A.J", "J.R.R".
_INITIALS = re.compile(rf"^(?:[{UPPER}]\.)*[{UPPER}]$")


def _after_abbreviation(before: str, language: str) -> bool:
    """Whether text ends in a title or initials, not a sentence end ("St.", "Mr.", "H.", "A.J."):
    the capitalised word after it is a name."""
    token = _LAST_TOKEN.search(before)
    if not token:
        return False
    word = token.group(1).lstrip("\"“'‘«(")
    return bool(_INITIALS.match(word)) or word.lower() in ABBREVIATIONS.get(language, frozenset())


def capitalised_words(sentence: str) -> set[str]:
    """Folded capitalised words of a sentence, the first one included: what a name on the other
    side can be matched against."""
    return {_name_key(m.group(0)) for m in _CAPITALISED.finditer(sentence)}


def _name_key(word: str) -> str:
    """A capitalised word as names are matched: folded, a suffix set off by an apostrophe left
    off ("putin" of "Putin'in")."""
    return fold_word(re.split(r"['’]", word)[0])


class NamesCheck(BaseCheck):
    """Names and acronyms on one side only.

    A name the other side's document (the batch) has somewhere among its capitalised words
    ("Putin", "NATO") must be in the other sentence: a target name missing from the source
    counts 1, a source name missing from the target ``SOURCE_NAME_WEIGHT`` (matching:
    :func:`_matches_any_form`: suffixes, spelling, sound-alike exonyms, and the other language's
    form of a country, language or city: "German" in a sentence that says "Almanya"). A target
    name that nothing in the source document resembles counts ``UNSEEN_NAME_WEIGHT``: a name
    brought in from elsewhere, or a translated one ("Department of Defense" for "Savunma
    Bakanlığı"), so such names alone lower the quality no further than the flag threshold (not
    counted for a target language that capitalises every noun, nor for a source in a script without case:
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
        tgt_candidates = candidate_names(pairs.tgt, pairs.tgt_lang, openings=True)
        src_names = _batch_names(candidate_names(pairs.src, pairs.src_lang, openings=True), set().union(*tgt_words))
        tgt_names = _batch_names(tgt_candidates, set().union(*src_words))
        if pairs.src_lang in APOSTROPHE_SUFFIX_LANGUAGES:
            src_names = [names | _suffixed_names(s) for names, s in zip(src_names, pairs.src)]
        source_names = set().union(*src_words)
        source_lower = {fold_word(w) for s in pairs.src for w in WORD.findall(s)} - source_names
        equivalents = name_equivalents(pairs.tgt_lang, pairs.src_lang)
        source_equivalents = name_equivalents(pairs.src_lang, pairs.tgt_lang)
        judged = pairs.tgt_lang not in NOUN_CAPITALISING_LANGUAGES and written_in_case(pairs.src)
        unseen = _unseen_names(tgt_candidates, source_names, source_lower, equivalents) if judged else [set() for _ in pairs.tgt]
        for k in range(len(pairs)):
            # a name the source document has only by a looser likeness ("Laden" and "Ladin" of
            # another sentence, in a batch of many documents) but this source sentence lacks
            resembling = tgt_candidates[k] - tgt_names[k] - unseen[k] if judged else set()
            if resembling:
                source_words = {fold_word(w) for w in WORD.findall(pairs.src[k])}
                resembling = {n for n in resembling if not _matches_any_form(n, source_words, equivalents)}
            if tgt_names[k] or src_names[k] or unseen[k] or resembling:
                missing: float = sum(not _matches_any_form(n, src_words[k], equivalents) for n in tgt_names[k])
                missing += SOURCE_NAME_WEIGHT * sum(not _matches_any_form(n, tgt_words[k], source_equivalents) for n in src_names[k])
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
    return {word for m in _SUFFIXED_WORD.finditer(sentence) if m.group(1)[0].isupper() and len(word := fold_word(m.group(1))) > 2}


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
            name = fold_word(word)
            if name in names and not _matches_any_form(name, partner, equivalents):
                spans.append((match.start(), match.start() + len(word), word))
        found.append(spans)
    return found


def capitalised_candidates(sentences: list[str], language: str, others: list[str], other_language: str) -> list[set[str]]:
    """Each sentence's capitalised words that open nothing (:func:`name_words`), but for those
    the batch also writes exactly so in lower case where a capitalised word stands next to them
    ("Galatasaray President Dursun Özbek", "president"); month and day names too where the
    partner sentence names none. In a corpus of many documents a name swapped in may be a common
    word elsewhere ("Brandis" and "brand"), a weekday ("Frank July") or a common word alone in
    the middle of a sentence ("meet Federal in Sochi"). Measured (``scripts/evaluate_checks.py
    --mixed --seeds 2017,11,12,13,14,15``, a batch of many documents): tr-en names of another
    document 0.940 → 0.947, of the document 0.943 → 0.949, words replaced 0.886 → 0.890, proper
    names 0.964 → 0.963; documents within 0.001."""
    lower = lower_case_words(sentences, language)
    found = []
    for sentence, other in zip(sentences, others):
        words = name_words(sentence, language, calendar_words=not _names_a_date(other, other_language), lower_words=lower)
        common = words & lower
        found.append(words - common | (common & _lone_capitalised_words(sentence) if common else set()))
    return found


#: What :func:`_lone_capitalised_words` strips from a word's two ends: punctuation and quotes.
_WORD_EDGE = "\"“”'‘’«»()[]{},.;:!?-–—…"


def _lone_capitalised_words(sentence: str) -> set[str]:
    """Folded capitalised words with no capitalised word before or after them (a Turkish suffix
    left off: "Putin" of "Putin'in")."""
    words = [word.strip(_WORD_EDGE) for word in sentence.split()]
    lone = set()
    for k, word in enumerate(words):
        before = words[k - 1] if k else ""
        after = words[k + 1] if k + 1 < len(words) else ""
        if word[:1].isupper() and not before[:1].isupper() and not after[:1].isupper():
            lone.add(_name_key(word))
    return lone


def _names_a_date(sentence: str, language: str) -> bool:
    """Whether a sentence names a month or a weekday (in any case or inflection CLDR gives)."""
    calendar = _calendar_words(language)
    return any(fold_word(word) in calendar for word in WORD.findall(sentence))


@cache
def _calendar_words(language: str) -> frozenset[str]:
    return frozenset(month_keys(language)) | {fold_word(day) for day in weekday_names(language)}


def candidate_names(sentences: list[str], language: str, openings: bool = False) -> list[set[str]]:
    """Each sentence's names (:func:`name_words`) that are not common words of the batch: a
    capitalised word whose first five letters the batch also writes in lower case is a common
    noun or a title ("Devlet Başkanı", "President"), not a name. With ``openings``, a word that
    opens its sentence is a name too where the batch has it as a name elsewhere ("Wagner, Salı
    günkü …" of a batch that says "… dedi Wagner"), unless a capitalised word follows (a title or
    a first name: "Bay Trump", "Recep Tayyip": the rest of the name is checked). Measured
    (``scripts/evaluate_checks.py``, names of another document / of the document): a batch of
    many documents tr-en 0.935 → 0.937 and 0.936 → 0.939, de-fr 0.795 → 0.816 and 0.838 → 0.851;
    documents tr-en within 0.001, de-fr name of the document 0.819 → 0.881 (four draws)."""
    lower = lower_case_words(sentences, language)
    common = {word[:5] for word in lower}
    opening_words: list[set[str]] = [set() for _ in sentences]
    found = [
        {n for n in name_words(s, language, lower_words=lower, openings=opened if openings else None) if n[:5] not in common}
        for s, opened in zip(sentences, opening_words)
    ]
    if openings:
        known = set().union(*found)
        found = [names | {n for n in opened if n in known} for names, opened in zip(found, opening_words)]
    return found


#: A sentence whose ``language`` is less than this share of its most probable language's
#: probability (:func:`language_shares`) lends no words to :func:`lower_case_words`.
WORDS_LANGUAGE_SHARE = 0.5


def lower_case_words(sentences: Sequence[str], language: str) -> frozenset[str]:
    """Folded words written in lower case somewhere in ``sentences``, of the sentences in
    ``language``: in a noisy corpus a source copied into the target ("kabul", "zarif") would
    make the target's names "Kabul" and "Zarif" common words. The names and untranslated checks
    both ask it of the same batch: it is read once."""
    return _lower_case_words(tuple(sentences), language)


@lru_cache(maxsize=4)
def _lower_case_words(sentences: tuple[str, ...], language: str) -> frozenset[str]:
    shares = language_shares(list(sentences), language)
    return frozenset(
        fold_word(word)
        for sentence, share in zip(sentences, shares)
        if share >= WORDS_LANGUAGE_SHARE
        for word in WORD.findall(sentence)
        if word[0].islower()
    )


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
        src = np.array([spelled_length(s) for s in pairs.src], dtype=np.float64)
        tgt = np.array([spelled_length(t) for t in pairs.tgt], dtype=np.float64)
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
        return np.minimum(
            language_shares(pairs.src, pairs.src_lang), language_shares(pairs.tgt, pairs.tgt_lang, pieces_against=pairs.src_lang)
        )


#: Letters (names, numbers and URLs left out) below which a sentence is not identified.
LEAST_LETTERS = 20


def language_shares(sentences: list[str], language: str, pieces_against: str | None = None) -> np.ndarray:
    """Each sentence's probability of being in ``language`` relative to its most probable
    language (py3langid): 1 where it is the most probable, or where the sentence is too short to
    tell or the identifier does not know the language. With ``pieces_against`` (the source's
    language), the lowest of that and of each piece's (:func:`sentence_pieces`) probability
    relative to the source language's: a piece left in the source language shows, a short piece
    the identifier reads as a language near the target (Walloon for French, Latin for "calcium
    and magnesium") does not. The checks ask it of the same batch more than once: it is
    identified once (a read-only array), and the pieces reuse the whole sentences' shares."""
    if pieces_against is None:
        return _language_shares(tuple(sentences), language)
    return _lowest_piece_shares(tuple(sentences), language, pieces_against)


#: Letters each piece of a sentence needs to be identified on its own (:func:`sentence_pieces`).
LEAST_PIECE_LETTERS = 30


def sentence_pieces(text: str) -> list[str]:
    """The text cut by words into halves, and into thirds, where every piece has
    ``LEAST_PIECE_LETTERS`` letters: a translation left partly undone ("… to visitors this
    weekend, ve etkinlikler ay sonuna kadar sürecek.") reads as the target language whole.
    Measured (``scripts/evaluate_checks.py``, the second half of the target the source's words):
    tr-en 0.954 → 0.980, de-fr 0.866 → 0.978 ROC-AUC; good pairs flagged: none more."""
    words = text.split()
    pieces: list[str] = []
    for count in (2, 3):
        cuts = [round(i * len(words) / count) for i in range(count + 1)]
        cut = [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:])]
        if all(sum(c.isalpha() for c in piece) >= LEAST_PIECE_LETTERS for piece in cut):
            pieces += cut
    return pieces


def _identifiable_text(sentence: str) -> str | None:
    """The sentence without names, numbers and URLs, which say nothing of the language, or None
    where too little else is left: the identifier then guesses ("Erdoğan dün Ankara'da
    konuştu." reads as Azerbaijani)."""
    words = NUMBER.sub(" ", URL.sub(" ", sentence)).split()
    text = " ".join(w for w in words if not w.lstrip("(\"'“‘«[")[:1].isupper())
    return text if sum(c.isalpha() for c in text) >= LEAST_LETTERS else None


@lru_cache(maxsize=4)
def _language_shares(sentences: tuple[str, ...], language: str) -> np.ndarray:
    identifier = language_identifier()
    out = np.ones(len(sentences))
    if language in identifier.nb_classes:
        accepted = accepted_languages(language)
        for k, sentence in enumerate(sentences):
            text = _identifiable_text(sentence)
            if text is not None:
                out[k] = _share(identifier, text, accepted)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=4)
def _lowest_piece_shares(sentences: tuple[str, ...], language: str, against: str) -> np.ndarray:
    """:func:`_language_shares`, lowered to each sentence's least share among its pieces against
    ``against`` (see :func:`language_shares`)."""
    out = _language_shares(sentences, language)
    identifier = language_identifier()
    accepted = accepted_languages(language)
    if language not in identifier.nb_classes or against not in identifier.nb_classes or against in accepted:
        return out
    out = out.copy()
    for k, sentence in enumerate(sentences):
        text = _identifiable_text(sentence)
        if text is not None:
            out[k] = min([out[k], *(_share(identifier, piece, accepted, against) for piece in sentence_pieces(text))])
    out.setflags(write=False)
    return out


def _share(identifier: Any, text: str, accepted: frozenset[str], rival: str | None = None) -> float:
    """The text's probability of being in an ``accepted`` language relative to the most probable
    one, or to ``rival``'s where given (and lower)."""
    ranked = dict(identifier.rank(text))
    share = max(ranked.get(code, 0.0) for code in accepted)
    return share / max(share, ranked.get(rival, 0.0)) if rival else share / max(ranked.values())


def language_identifiable(language: str) -> bool:
    """Whether the language check's identifier knows the language (else the check passes it)."""
    return language in language_identifier().nb_classes


class UntranslatedCheck(BaseCheck):
    """The target copies the source, or a piece of it does (:func:`sentence_pieces`): chrF
    between the two sides once numbers, URLs and names are removed from both (those are rightly
    the same in a translation), and of the source against each piece. Quality is 1 up to
    ``COPY_CHRF`` (unrelated languages stay far below it) and falls to 0 for a copy."""

    name = "untranslated"
    reason = "untranslated (target copies source)"
    threshold = 0.5
    COPY_CHRF = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        common = lower_case_words(pairs.src, pairs.src_lang) | lower_case_words(pairs.tgt, pairs.tgt_lang)
        src = [_strip_shared(s, common) for s in pairs.src]
        tgt = [_strip_shared(t, common) for t in pairs.tgt]
        overlap = np.maximum(sentence_chrf(src, tgt), sentence_chrf(tgt, src))
        # a piece of the target copied: the source holds nearly all of it (chrF leans on recall)
        pieces = [(k, piece) for k, t in enumerate(tgt) for piece in sentence_pieces(t)]
        if pieces:
            owners = np.array([k for k, _ in pieces])
            np.maximum.at(overlap, owners, sentence_chrf([src[k] for k in owners], [piece for _, piece in pieces]))
        quality = np.clip((1 - overlap) / (1 - self.COPY_CHRF), 0.0, 1.0)
        return np.where([_judgeable(s) and _judgeable(t) for s, t in zip(src, tgt)], quality, np.nan)


def _judgeable(stripped: str) -> bool:
    """Whether a side, numbers and names removed (:func:`_strip_shared`), has words a translation
    would change: two words with letters, or one in lower case. A list number, a score, a
    dateline or a name alone ("1. 1950 :", "Ankara , 12.03.2016", "NATO") is rightly the same
    on both sides."""
    words = [w for w in stripped.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 or (len(words) == 1 and not words[0].lstrip(_OPENING_MARKS)[:1].isupper())


#: Marks that may open a word before its first letter.
_OPENING_MARKS = "\"'“‘«(["


def _strip_shared(sentence: str, common: frozenset[str]) -> str:
    """The sentence without numbers, URLs and names (rightly the same in a translation): a
    capitalised word is a name unless the batch writes it in lower case somewhere (``common``),
    so that a headline in title case keeps its words ("Son Ağlayışım") and a list of names
    ("Tolga Zengin, Beck, Rhodolfo") has none left."""
    words = NUMBER.sub(" ", URL.sub(" ", sentence)).split()
    return " ".join(w for w in words if not w[:1].isupper() or any(len(part) > 1 and fold_word(part) in common for part in WORD.findall(w)))


class RepetitionCheck(BaseCheck):
    """Words repeated in a loop on one side and not on the other: a machine translation caught in
    a loop ("the talks in the talks in the talks"), or a crawled line whose text repeats. Each
    side's share of characters that repeat the words just before them (a word or a phrase of up
    to ``LONGEST_UNIT`` words said at least ``LEAST_TIMES`` times in a row; a phrase said twice is
    a figure of speech, "stay in the process, stay in the process"). Quality is 1 less the larger
    share beyond twice the smaller, so that repetitions both sides make ("no, no, no", a refrain)
    pass in words of any length. Text without spaces (Chinese, Japanese, Thai) counts characters
    instead of words."""

    name = "repetition"
    reason = "repeated words"
    threshold = 0.75
    weight = 2.0  # see NumbersCheck.weight: a loop of words ranks below two mild oddities
    LONGEST_UNIT = 8
    LEAST_TIMES = 3

    def quality(self, pairs: PairBatch) -> np.ndarray:
        src = np.array([repeated_share(s) for s in pairs.src])
        tgt = np.array([repeated_share(t) for t in pairs.tgt])
        return 1 - np.clip(np.maximum(src, tgt) - 2 * np.minimum(src, tgt), 0.0, 1.0)


def repeated_share(text: str) -> float:
    """The share of ``text``'s characters that repeat the unit just before them (see
    :class:`RepetitionCheck`)."""
    units = text.split() if " " in text.strip() else [c for c in text if not c.isspace()]
    keys = [fold_word(u.strip(".,;:!?\"'()«»“”")) or u for u in units]
    repeated = [False] * len(units)
    for size in range(1, RepetitionCheck.LONGEST_UNIT + 1):
        start = 0
        while start + size * RepetitionCheck.LEAST_TIMES <= len(keys):
            times = 1
            while keys[start + times * size : start + (times + 1) * size] == keys[start : start + size]:
                times += 1
            if times >= RepetitionCheck.LEAST_TIMES and any(any(c.isalnum() for c in u) for u in units[start : start + size]):
                for k in range(start + size, start + times * size):
                    repeated[k] = True
                start += times * size
            else:
                start += 1
    total = sum(len(u) for u in units)
    return sum(len(u) for u, r in zip(units, repeated) if r) / total if total else 0.0


class CutOffCheck(BaseCheck):
    """One side ends a sentence (a full stop, a question or exclamation mark, in any script) and
    the other stops on a word: a translation cut off (a model's length limit, a crawled line
    broken off), or a side that lost its end. Quality 0 then, else 1; closing quotes and brackets
    are looked through (:func:`_cut_off`), and a side ending in a clause mark (":", ";") is no
    sign either way (text split at them). Good translations do this rarely: 6 of 6,007 newstest
    pairs, none of the 381 Text+Berg pairs."""

    name = "cut_off"
    reason = "one side stops mid-sentence"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        if {pairs.src_lang, pairs.tgt_lang} & UNMARKED_SENTENCE_END_LANGUAGES:
            return np.full(len(pairs), np.nan)
        ends = [(_sentence_end(s), _sentence_end(t)) for s, t in zip(pairs.src, pairs.tgt)]
        return np.array([0.0 if _cut_off(src, tgt) else 1.0 for src, tgt in ends])


_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_MARKS)}]$")
#: Languages whose sentences end without a mark (Thai, Lao, Khmer): the cut-off check does not apply.
UNMARKED_SENTENCE_END_LANGUAGES = frozenset({"th", "lo", "km"})


def _sentence_end(text: str) -> tuple[str, bool]:
    """How a text ends, closing quotes and brackets looked through: "sentence" (a
    sentence-ending mark), "word" (a letter or digit) or "other"; and whether it ends by closing
    a quotation or a bracket."""
    text = text.rstrip()
    inner = text.rstrip(CLOSING_MARKS + " ")
    closed = inner != text
    if _SENTENCE_END.search(inner):
        return "sentence", closed
    return ("word" if inner and inner[-1].isalnum() else "other"), closed


def _cut_off(src_end: tuple[str, bool], tgt_end: tuple[str, bool]) -> bool:
    """One side ends a sentence and the other on a word, unless both close a quotation or a
    bracket there ("(Re-released on CD in 1999)" for "(… yeniden basıldı.)": the full stop
    inside or outside is a matter of style)."""
    return {src_end[0], tgt_end[0]} == {"sentence", "word"} and not (src_end[1] and tgt_end[1])


class EmptyCheck(BaseCheck):
    """A side with no letters or digits (empty, punctuation or symbols only)."""

    name = "empty"
    reason = "empty or punctuation only"
    threshold = 0.5

    def quality(self, pairs: PairBatch) -> np.ndarray:
        return np.array([float(_has_content(s) and _has_content(t)) for s, t in zip(pairs.src, pairs.tgt)])


def _has_content(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)
