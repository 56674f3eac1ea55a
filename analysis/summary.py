"""Extractive summary: 1–3 central sentences of the main text, ranked TextRank-style over shared lemmas."""

from __future__ import annotations

import math

from analysis.lemmas import lemma, tokens
from analysis.normalize import SUMMARY_CHARS
from analysis.sentences import sentences_of

_MAX_SENTENCES = 3
_MAX_CANDIDATES = 40
_ITERATIONS = 20
_DAMPING = 0.85
_MIN_WORD_CHARS = 4
_MIN_SENTENCE_WORDS = 5
_SENTENCE_ENDS = frozenset('.!?…»"”')
# Earlier sentences carry the news; the lead gets a head start in the ranking.
_POSITION_BONUS = (0.3, 0.15, 0.05)


def _content_lemmas(sentence: str) -> set[str]:
    return {lemma(t.text) for t in tokens(sentence) if len(t.text) >= _MIN_WORD_CHARS and not t.text.isdigit()}


def _rank(bags: list[set[str]]) -> list[float]:
    n = len(bags)
    weights = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            shared = len(bags[i] & bags[j])
            if shared and len(bags[i]) > 1 and len(bags[j]) > 1:
                w = shared / (math.log(len(bags[i])) + math.log(len(bags[j])))
                weights[i][j] = weights[j][i] = w
    totals = [sum(row) or 1.0 for row in weights]
    scores = [1.0] * n
    for _ in range(_ITERATIONS):
        scores = [
            (1 - _DAMPING) + _DAMPING * sum(weights[j][i] / totals[j] * scores[j] for j in range(n) if weights[j][i])
            for i in range(n)
        ]
    return [s + (_POSITION_BONUS[i] if i < len(_POSITION_BONUS) else 0.0) for i, s in enumerate(scores)]


def _is_summary_sentence(sentence: str) -> bool:
    """A full sentence: enough words, not a list item, not a lead-in to a list."""
    return (
        len(tokens(sentence)) >= _MIN_SENTENCE_WORDS
        and not sentence.startswith(("-", "–", "—", "•", "*"))
        and sentence.rstrip()[-1:] in _SENTENCE_ENDS
    )


def _shorten(sentence: str, max_chars: int) -> str:
    if len(sentence) <= max_chars:
        return sentence
    cut = sentence[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:–—- ")
    return cut + "…"


def summarize(text: str, lang: str = "ru", max_chars: int = SUMMARY_CHARS) -> str:
    """Up to three of the most central sentences, in reading order, within max_chars."""
    del lang  # sentence splitting and lemmas handle ru/en/kk alike; kept for the public signature
    candidates = [s for s, _ in sentences_of(text)[:_MAX_CANDIDATES] if _is_summary_sentence(s)]
    if not candidates:
        return _shorten(" ".join(text.split()), max_chars) if text.strip() else ""
    scores = _rank([_content_lemmas(s) for s in candidates])
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    chosen: list[int] = []
    used = 0
    for i in order:
        extra = len(candidates[i]) + (1 if chosen else 0)
        if used + extra <= max_chars:
            chosen.append(i)
            used += extra
        if len(chosen) == _MAX_SENTENCES:
            break
    if not chosen:
        return _shorten(candidates[order[0]], max_chars)
    return " ".join(candidates[i] for i in sorted(chosen))
