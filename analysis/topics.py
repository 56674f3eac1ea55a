"""Topics from a controlled vocabulary of lemmatised cue words (data/topics.json)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.lemmas import kazakh_stems, lemma, tokens

TOPIC_IDS: tuple[str, ...] = (
    "trade",
    "industry",
    "forestry",
    "agriculture",
    "energy",
    "transport",
    "education",
    "science",
    "healthcare",
    "culture",
    "tourism",
    "sport",
    "youth",
    "ecology",
    "investment",
    "humanitarian",
)
_TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.json"
_TITLE_WEIGHT = 3.0
_MIN_SCORE = 2.0
# A topic also needs this share of the strongest topic's score: passing words do not make a topic.
_MIN_SHARE = 0.15
_MAX_TOPICS = 4


@dataclass(frozen=True)
class _Vocabulary:
    names: dict[str, dict[str, str]]
    words: dict[str, frozenset[str]]  # lemma -> topics
    bigrams: dict[tuple[str, str], frozenset[str]]
    prefixes: tuple[tuple[str, str], ...]  # (prefix, topic)


_KAZAKH_LETTERS = frozenset("әғқңөұүһі")


def _lemma_seq(text: str) -> list[str]:
    return [lemma(t.text) for t in tokens(text)]


def _kazakh_stem(word: str) -> str:
    """The shortest known-ending stem of a Kazakh word (Russian morphology does not apply)."""
    stems = kazakh_stems(word.lower())
    return min(stems, key=len) if stems else word.lower()


def _text_lemmas(text: str) -> list[str]:
    return [_kazakh_stem(t.text) if _KAZAKH_LETTERS & set(t.text.lower()) else lemma(t.text) for t in tokens(text)]


@cache
def _vocabulary() -> _Vocabulary:
    data = json.loads(_TOPICS_FILE.read_text(encoding="utf-8"))
    names: dict[str, dict[str, str]] = {}
    words: dict[str, set[str]] = {}
    bigrams: dict[tuple[str, str], set[str]] = {}
    prefixes: list[tuple[str, str]] = []
    for topic in data["topics"]:
        tid = topic["id"]
        names[tid] = topic["name"]
        for cues in topic["cues"].values():
            for cue in cues:
                if cue.endswith("*"):
                    prefixes.append((cue[:-1].lower().replace("ё", "е"), tid))
                    continue
                seq = _lemma_seq(cue)
                if len(seq) == 1:
                    words.setdefault(seq[0], set()).add(tid)
                elif len(seq) == 2:
                    bigrams.setdefault((seq[0], seq[1]), set()).add(tid)
    return _Vocabulary(
        names=names,
        words={k: frozenset(v) for k, v in words.items()},
        bigrams={k: frozenset(v) for k, v in bigrams.items()},
        prefixes=tuple(prefixes),
    )


@cache
def _prefix_topics(word: str) -> frozenset[str]:
    return frozenset(tid for prefix, tid in _vocabulary().prefixes if word.startswith(prefix))


def _hits(lemmas: list[str]) -> Counter[str]:
    vocab = _vocabulary()
    counts: Counter[str] = Counter()
    for i, word in enumerate(lemmas):
        found = set(vocab.words.get(word, ())) | _prefix_topics(word)
        if i + 1 < len(lemmas):
            found |= vocab.bigrams.get((word, lemmas[i + 1]), frozenset())
        counts.update(found)
    return counts


def topic_scores(title: str, text: str) -> dict[str, float]:
    """Weighted cue counts per topic (title words count more)."""
    scores: dict[str, float] = {}
    for tid, n in _hits(_text_lemmas(title)).items():
        scores[tid] = scores.get(tid, 0.0) + _TITLE_WEIGHT * n
    for tid, n in _hits(_text_lemmas(text)).items():
        scores[tid] = scores.get(tid, 0.0) + n
    return scores


def detect_topics(title: str, text: str) -> list[str]:
    """Topics of the article, strongest first."""
    scores = topic_scores(title, text)
    if not scores:
        return []
    floor = max(_MIN_SCORE, _MIN_SHARE * max(scores.values()))
    ranked = sorted((t for t, s in scores.items() if s >= floor), key=lambda t: (-scores[t], TOPIC_IDS.index(t)))
    return ranked[:_MAX_TOPICS]


def topic_name(topic_id: str, lang: str = "ru") -> str:
    """Display name of a topic in ru or en."""
    names = _vocabulary().names.get(topic_id, {})
    return names.get(lang) or names.get("ru") or topic_id


def resolve_topic(user_text: str) -> str | None:
    """The topic a user means ("лес", "forestry", "образование"), or None."""
    low = user_text.strip().lower()
    if not low:
        return None
    for tid, names in _vocabulary().names.items():
        if low == tid or any(low == n.lower() for n in names.values()):
            return tid
    counts = _hits(_lemma_seq(user_text))
    if not counts:
        return None
    return max(counts, key=lambda t: (counts[t], -TOPIC_IDS.index(t)))
