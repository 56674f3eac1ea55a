"""Sentences of an article (title first) with the weight each carries as evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from razdel import sentenize

# razdel is tuned for Russian: it splits after English abbreviations ("St. Petersburg") and datelines.
_ABBREVIATION_END_RE = re.compile(
    r"(?:\b(?:St|Mr|Mrs|Ms|Dr|Gen|Jr|Sr|No|Co|Inc|Ltd|vs|etc|Lt|Col|Prof|Gov|Sen|Rep|Jan|Feb|Aug|Sept|Oct|Nov|Dec"
    r"|г|гг|ул|им|т|д|ст)\.|\b[A-ZА-Я]\.)$"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence; weight is higher for the title and the lead."""

    text: str
    weight: float
    paragraph: int


def sentences_of(text: str) -> list[tuple[str, int]]:
    """(sentence, paragraph number) pairs, paragraphs being lines."""
    found: list[tuple[str, int]] = []
    for number, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        merged: list[str] = []
        for piece in (s.text for s in sentenize(paragraph) if s.text.strip()):
            if merged and (_ABBREVIATION_END_RE.search(merged[-1]) or piece[:1].islower()):
                merged[-1] = f"{merged[-1]} {piece}"
            else:
                merged.append(piece)
        found.extend((m, number) for m in merged)
    return found


def split_sentences(
    title: str, body: str, *, title_weight: float, lead_weight: float, lead_sentences: int
) -> list[Sentence]:
    """Title as sentence 0 (possibly empty), then the body's sentences; the first few count as the lead."""
    result = [Sentence(title.strip(), title_weight, -1)]
    for i, (text, paragraph) in enumerate(sentences_of(body)):
        result.append(Sentence(text, lead_weight if i < lead_sentences else 1.0, paragraph))
    return result
