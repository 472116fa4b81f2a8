"""Language codes the toolkit accepts (ISO 639-1), and their names."""

from __future__ import annotations

import re

from .errors import ConfigError

#: Every upper-case letter of the Basic Multilingual Plane (Latin with its accents, Turkish İ,
#: Cyrillic, Greek …), escaped for a regular-expression character class: names, acronyms and
#: initials are found in any alphabet that has case.
UPPER = re.escape("".join(chr(code) for code in range(0x10000) if chr(code).isupper()))

#: A word character of a script written with spaces between words, for number boundaries: "A320"
#: holds no number, but Chinese and Japanese "上升了2.5%" and Korean "2.5%가" do.
SPACED_WORD_CHAR = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh": "Chinese",
}


def check_language(code: str) -> str:
    """Return the normalised code, or raise ConfigError naming the accepted codes."""
    normalised = code.strip().lower()
    if normalised not in LANGUAGE_NAMES:
        raise ConfigError(
            f"unknown language code {code!r}: use an ISO 639-1 code such as "
            f"tr, en, de, fr (accepted: {', '.join(sorted(LANGUAGE_NAMES))})"
        )
    return normalised
