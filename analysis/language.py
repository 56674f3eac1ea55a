"""Language of an article (ru, en or kk) from its letters."""

from __future__ import annotations

import re

_LATIN_RE = re.compile(r"[a-zA-Z]")
_CYRILLIC_RE = re.compile(r"[а-яА-ЯёЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KAZAKH_ONLY_RE = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KAZAKH_WORDS_RE = re.compile(r"(?<!\w)(және|бойынша|облысы|мен|бұл|үшін|жылы|туралы|арасындағы)(?!\w)", re.I)

# Judge only a prefix: the share of scripts is stable long before 20,000 characters.
_SAMPLE_CHARS = 20_000


def detect_language(text: str, default: str = "ru") -> str:
    """Return 'ru', 'en' or 'kk'; the default when the text has no letters."""
    sample = text[:_SAMPLE_CHARS]
    latin = len(_LATIN_RE.findall(sample))
    cyrillic = len(_CYRILLIC_RE.findall(sample))
    if latin == 0 and cyrillic == 0:
        return default
    if latin > cyrillic:
        return "en"
    kazakh_letters = len(_KAZAKH_ONLY_RE.findall(sample))
    kazakh_words = len(_KAZAKH_WORDS_RE.findall(sample))
    # Kazakh-only letters appear in most Kazakh words; Russian texts have them only in quoted names.
    if kazakh_letters >= max(2, 0.02 * cyrillic) or kazakh_words >= 3:
        return "kk"
    return "ru"
