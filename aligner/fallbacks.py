"""Which generic per-language parts serve a language the toolkit has not been tried on."""

from __future__ import annotations

import logging

from .check import has_month_names, language_identifiable
from .cldr import decimal_comma
from .languages import LANGUAGE_NAMES, language_name
from .segment import moses_has_rules

log = logging.getLogger(__name__)


def language_fallbacks(language: str) -> str | None:
    """For a language the toolkit has not been tried on, which generic per-language parts serve
    it (None for the tried ones, :data:`~aligner.languages.LANGUAGE_NAMES`)."""
    if language in LANGUAGE_NAMES:
        return None
    parts = [
        "segmenter: Moses rules" if moses_has_rules(language) else "segmenter: sentencex (generic rules)",
        "decimal comma" if decimal_comma(language) else "decimal point",
        "month names: yes" if has_month_names(language) else "no month names (dates not compared)",
        "language check: yes" if language_identifiable(language) else "language check: off (the identifier lacks it)",
    ]
    return f"{language_name(language)} ({language}) has no tailored rules here; using {', '.join(parts)}"


def warn_about_fallbacks(*languages: str) -> None:
    """Say once per language, as a warning, which generic parts serve it (nothing for the tried ones)."""
    for language in dict.fromkeys(languages):
        if note := language_fallbacks(language):
            log.warning(note)
