"""Sentence segmentation: a maintained library does the cutting, a repair pass fixes news text.

Segmenters are registered in :data:`aligner.registry.SEGMENTERS`. Whichever library runs,
:func:`repair_boundaries` then re-joins cuts that are wrong in news text: after abbreviations
("Dr.", "vb.", "Av.", "No.", "Mr."), after Turkish ordinals ("29. madde", "3. Havalimanı"), before a
lower-case continuation ('"..." dedi.'), and before a byline such as "(PT/VK)", which belongs to
the sentence it closes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

#: Abbreviations that end with a period but rarely end a sentence, per language (lower case).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "tr": frozenset(
        """dr prof doç yrd av alb org gen korg tuğg ora yzb bşk sn sy no nr vb vs vd bkz örn
        st mah cad sok sk blv apt kat daire tel fax ltd şti aş a.ş inc co yy çev haz ed s ss c
        m.ö m.s mr mrs ms""".split()
    ),
    "en": frozenset(
        """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres
        no nos vol pp fig approx est dept univ inc ltd co corp bros jan feb mar apr jun jul aug
        sep sept oct nov dec vs etc al e.g i.e u.s u.k u.n""".split()
    ),
}
_BYLINE = re.compile(r"^\(\s*[A-ZÇĞİÖŞÜ]{1,5}(\s*/\s*[A-ZÇĞİÖŞÜ]{1,5})+\s*\)$")
_LAST_WORD = re.compile(r"(?:^|[\s(\"'“‘«])([^\s(\"'“‘«]+)\.$")
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,3}\.$")
_INITIAL_END = re.compile(r"(?:^|\s)\p{Lu}\.$".replace(r"\p{Lu}", "[A-ZÇĞİÖŞÜÂÎÛ]"))


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
        from sentence_splitter import SentenceSplitter

        self._splitter = SentenceSplitter(language=language)

    def segment(self, paragraph: str) -> list[str]:
        return list(self._splitter.split(paragraph))


def _joins_next(sentence: str, following: str, language: str) -> bool:
    """True when the cut between ``sentence`` and ``following`` is a false boundary."""
    first = following.lstrip("\"'“‘«(")[:1]
    if not first:
        return True
    if first.islower():
        return True
    if _BYLINE.match(following):
        return True
    word = _LAST_WORD.search(sentence)
    if word and word.group(1).lower() in ABBREVIATIONS.get(language, frozenset()):
        return True
    if _INITIAL_END.search(sentence) and first.isupper():
        return True
    if language == "tr" and _ORDINAL_END.search(sentence):
        return True
    return False


def repair_boundaries(sentences: Iterable[str], language: str) -> list[str]:
    """Strip sentences, drop empty ones, and re-join the false cuts described in the module doc."""
    repaired: list[str] = []
    for sentence in (s.strip() for s in sentences):
        if not sentence:
            continue
        if repaired and _joins_next(repaired[-1], sentence, language):
            repaired[-1] = f"{repaired[-1]} {sentence}"
        else:
            repaired.append(sentence)
    return repaired


def segment_paragraphs(paragraphs: Iterable[str], segmenter: Segmenter, language: str) -> list[str]:
    """Segment each paragraph and repair its boundaries; sentences never cross paragraphs."""
    sentences: list[str] = []
    for paragraph in paragraphs:
        sentences.extend(repair_boundaries(segmenter.segment(paragraph), language))
    return sentences
