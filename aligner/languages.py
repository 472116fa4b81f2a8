"""Language codes the toolkit accepts (every ISO 639-1 code, ISO 639-3 for the others), and their names.

``LANGUAGE_NAMES`` lists the languages the toolkit has been tried on; the others fall back to
generic per-language parts (see :func:`aligner.pipeline.language_fallbacks`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from .errors import ConfigError, InputError

log = logging.getLogger(__name__)

#: Every upper-case letter of the Basic Multilingual Plane (Latin with its accents, Turkish İ,
#: Cyrillic, Greek …), escaped for a regular-expression character class: names, acronyms and
#: initials are found in any alphabet that has case.
UPPER = re.escape("".join(chr(code) for code in range(0x10000) if chr(code).isupper()))

#: A word character of a script written with spaces between words, for number boundaries: "A320"
#: holds no number, but Chinese and Japanese "上升了2.5%" and Korean "2.5%가" do.
SPACED_WORD_CHAR = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"

#: Languages that capitalise every noun (German, Luxembourgish): a capitalised word there is
#: mostly a noun, not a name, and a compound keeps its noun's capital after a hyphen.
NOUN_CAPITALISING_LANGUAGES = frozenset({"de", "lb"})

#: Marks that end a sentence in any script: Latin, Greek and Cyrillic; Chinese and Japanese full
#: stops (full- and half-width); Arabic and Urdu; Devanagari and Bengali danda; Ethiopic,
#: Armenian, Burmese and Tibetan.
SENTENCE_MARKS = ".!?…。！？．｡؟۔।॥።։။།"
#: Closing quotes and brackets, which may follow a sentence's mark.
CLOSING_MARKS = "\"'”’»)]）」』"

#: Characters of scripts written without spaces between words (Chinese characters, kana).
UNSPACED_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: A Chinese character, kana, or the punctuation of their scripts (full-width "，", "。", "」").
UNSPACED_TEXT = re.compile(rf"(?:{UNSPACED_CHARACTER.pattern}|[\u3000-\u303f\uff00-\uffef])")


def join_text(left: str, right: str) -> str:
    """Two pieces of one text as one: with a space, but none between two pieces of a script
    written without spaces (Chinese, Japanese)."""
    unspaced = UNSPACED_TEXT.search(left[-1:]) and UNSPACED_TEXT.match(right)
    return f"{left}{right}" if unspaced else f"{left} {right}"


_HANGUL = re.compile(r"[\uac00-\ud7af]")


def spelled_length(text: str) -> int:
    """``text``'s length in about Latin letters: a Chinese character or a kana counts as three
    (Chinese text runs to about a third of its English's letters), a Hangul syllable as two. In
    these units two languages' translations are about as long (within a quarter for most
    pairs), where their characters are not."""
    return len(text) + 2 * len(UNSPACED_CHARACTER.findall(text)) + len(_HANGUL.findall(text))


LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "ko": "Korean",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def _iso_language(code: str) -> Any:
    """The ISO 639 entry for a 2-letter (639-1) or 3-letter (639-3 or 639-2/B) code, or None."""
    import pycountry

    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    return None


def tag_language(tag: str) -> str:
    """The language part of a language tag as written, in lower case: "pt-BR", "PT_br" and "pt"
    give "pt" (a TMX's ``xml:lang``, a dataset's or a JSONL's language keys, a TSV header)."""
    return tag.replace("_", "-").split("-")[0].lower()


#: A BCP 47 tag or a locale name after its language: script ("Latn", "Hant"), region ("BR",
#: "419") and variant subtags, joined by "-" or "_" ("pt-BR", "pt_BR", "zh-Hant-TW").
_SUBTAGS = re.compile(r"(?:[-_](?:[a-z]{4}|[a-z]{2}|[0-9]{3}|[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))+")


def check_language(code: str) -> str:
    """The code the toolkit uses for a language: ISO 639-1 where the language has one ("deu" and
    "ger" give "de"), else ISO 639-3 ("ast"). A language tag with a region or script ("pt-BR",
    "zh_Hant") gives its language, said once (:func:`_tag_read_as`): the per-language parts and
    the output labels are the language's. Anything that is not a language code is a ConfigError."""
    normalised = code.strip().lower()
    if normalised in LANGUAGE_NAMES:
        return normalised
    language_part = normalised
    subtags = _SUBTAGS.search(normalised)
    if subtags and subtags.end() == len(normalised) and subtags.start() in (2, 3):
        language_part = normalised[: subtags.start()]
    language = _iso_language(language_part) if language_part.isascii() and language_part.isalpha() else None
    if language is None:
        raise ConfigError(
            f"unknown language code {code!r}: use an ISO 639-1 code such as tr, en, de, is, "
            f"or an ISO 639-3 code for a language that has none, such as ast"
        )
    checked: str = getattr(language, "alpha_2", None) or language.alpha_3
    if language_part != normalised:
        _tag_read_as(code.strip(), checked)
    return checked


@cache
def _tag_read_as(tag: str, code: str) -> None:
    log.warning("language %r read as %r: its region and script are not used (outputs are labelled %r)", tag, code, code)


def language_name(code: str) -> str:
    """English name of a code that :func:`check_language` returned."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    language = _iso_language(code)
    return str(language.name) if language is not None else code


@cache
def language_identifier() -> Any:
    """py3langid's identifier, with probabilities."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


#: Languages a sentence-level identifier cannot tell apart reliably: one counts for another.
CLOSE_LANGUAGES = (frozenset({"hr", "sr", "bs"}), frozenset({"no", "nb", "nn", "da"}), frozenset({"id", "ms"}))


def accepted_languages(language: str) -> frozenset[str]:
    """The language and those the identifier cannot tell from it (:data:`CLOSE_LANGUAGES`)."""
    return next((group for group in CLOSE_LANGUAGES if language in group), frozenset({language}))


#: Characters of a document the identifier reads (sentences spread over the whole of it), and
#: the letters it needs at least to say anything of a document's language.
DOCUMENT_SAMPLE = 5000
LEAST_DOCUMENT_LETTERS = 200
#: The identifier's probability above which a document's language is taken as known.
CONFIDENT = 0.95


def document_language(sentences: Sequence[str]) -> str | None:
    """The language a document reads as, where the identifier is sure of it (``CONFIDENT``),
    from sentences spread over the whole document up to ``DOCUMENT_SAMPLE`` characters."""
    total = sum(map(len, sentences))
    step = max(1, round(total / DOCUMENT_SAMPLE))
    text = " ".join(sentences[::step])[: 2 * DOCUMENT_SAMPLE]
    if sum(c.isalpha() for c in text) < LEAST_DOCUMENT_LETTERS:
        return None
    language, probability = language_identifier().classify(text)
    return str(language) if probability >= CONFIDENT else None


def check_declared_languages(
    src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str, labels: tuple[str, str], remedy: str
) -> list[tuple[int, str]]:
    """Stop (``ConfigError``: "``labels[0]`` reads as … and ``labels[1]`` as …: ``remedy``") where
    the two sides read surely as each other's declared language: every pair would be flagged, and
    the corpus would label each side with the other's language. Else the sides (0 source, 1
    target) that read surely as another language than declared, with that language, for the
    caller to warn of. A language the identifier does not know is not judged."""
    known = language_identifier().nb_classes
    declared = (src_lang, tgt_lang)
    wrong = [
        (side, language)
        for side, language in enumerate((document_language(src), document_language(tgt)))
        if language is not None and declared[side] in known and language not in accepted_languages(declared[side])
    ]
    if len(wrong) == 2 and all(language in accepted_languages(declared[1 - side]) for side, language in wrong):
        raise ConfigError(f"{labels[0]} reads as {language_name(tgt_lang)} and {labels[1]} as {language_name(src_lang)}: {remedy}")
    return wrong


def check_translation_language(lines: Sequence[str], source: str, target: str, label: str) -> None:
    """Stop (``InputError``) where translations into ``target`` read surely as the ``source``
    language (the document itself, or the other direction's file, given by mistake: every pair
    would be flagged by the chrf check); warn where they read as a third language."""
    known = language_identifier().nb_classes
    language = document_language([line for line in lines if line])
    if language is None or target not in known or language in accepted_languages(target):
        return
    if language in accepted_languages(source):
        raise InputError(
            f"{label}: reads as {language_name(language)}, not {language_name(target)}: translations into {language_name(target)} "
            f"are needed (is it the document itself, or the other direction's translation?)"
        )
    log.warning(
        "%s reads as %s, not %s: are these translations into %s?",
        label,
        language_name(language),
        language_name(target),
        language_name(target),
    )
