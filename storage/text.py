"""The one place that turns text into the lemmas the full-text index holds and queries use."""

from __future__ import annotations

import re

# Word tokens: letters and digits in any script; everything else (quotes, operators, emoji) is a separator.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_TERMS = 12


def _lowercase_tokens(text: str) -> list[str]:
    return [m.group(0).lower().replace("ё", "е") for m in _WORD.finditer(text)]


def search_lemmas(text: str) -> str:
    """Lemmatised, space-joined form of `text` used both to index and to query."""
    try:
        from analysis.lemmas import lemmatize_text
    except ImportError:  # analysis not built yet: lower-cased words still give exact-form search
        return " ".join(_lowercase_tokens(text))
    return lemmatize_text(text)


def query_terms(query: str) -> list[str]:
    """The distinct lemmas of a user's query, at most MAX_QUERY_TERMS: plain words, never syntax."""
    terms: list[str] = []
    for term in search_lemmas(query).split():
        cleaned = term.replace('"', "")
        if cleaned and cleaned not in terms:
            terms.append(cleaned)
        if len(terms) >= MAX_QUERY_TERMS:
            break
    return terms


def fts_match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH string: every lemma quoted, so no user text is read as syntax.

    Returns None when nothing searchable is left (empty input, only punctuation or emoji).
    """
    terms = query_terms(query)
    if not terms:
        return None
    return " ".join(f'"{t}"' for t in terms)
