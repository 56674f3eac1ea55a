"""Topics from a controlled vocabulary of lemmatised cue words (data/topics.json)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.cues import PAST_RE, PAST_WORDS, STRONG_CUES
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
# Real releases list every field a cooperation covers ("торговля, сельское хозяйство, туризм и образование"):
# each field a sentence names next to a word like "сфера", "cooperation", "сала" is a topic even when named once.
_MAX_TOPICS = 7
_FIELD_WORDS_TEXT = """
    сотрудничество взаимодействие партнерство обсудить cooperation discussed discuss ынтымақтастық талқыла
"""
# "в сфере образования", "in the field of education", "білім беру саласында": one field is enough.
_FIELD_NOUNS_TEXT = """
    сфера направление отрасль field fields area areas sector sectors sphere spheres сала салас салалар салалары бағыт
"""
_FIELD_NOUNS = frozenset(_FIELD_NOUNS_TEXT.split())
_FIELD_WORDS = frozenset(_FIELD_WORDS_TEXT.split()) | _FIELD_NOUNS
# "trade, logistics and energy": cue words this close, joined by commas or "и/and/және", form a list.
_LIST_GAP_TOKENS = 4
_LIST_MIN = 3
# Once a sentence lists three or more fields, that list is the release's own summary of what the
# cooperation covers: another field needs a good share of the strongest score to join it.
_AFTER_LIST_SHARE = 0.3
_LIST_JOIN_RE = re.compile(r",|\b(?:и|and|және|мен|а также)\b", re.IGNORECASE)
# The topic's own name ("инвестиции", "energy", "туризм": each language's first cue) names the field outright and
# counts twice, so one sentence saying it is enough; a passing word ("поставки", "порт") still needs company.
# Except first cues that are also everyday words ("ауыл" is a village before it is agriculture).
_NOT_HEADS = frozenset({("kk", "ауыл"), ("en", "power"), ("kk", "мұнай")})
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class _Vocabulary:
    names: dict[str, dict[str, str]]
    words: dict[str, frozenset[str]]  # lemma -> topics
    bigrams: dict[tuple[str, str], frozenset[str]]
    prefixes: tuple[tuple[str, str], ...]  # (prefix, topic)
    heads: dict[str, frozenset[str]]  # lemma -> topics it names outright (each language's first cue)


def _lemma_seq(text: str) -> list[str]:
    return [lemma(t.text) for t in tokens(text)]


@cache
def _word_forms(word: str) -> tuple[str, frozenset[str]]:
    """The lemma for bigrams, and every form a cue may match: lemma, surface, Kazakh stems (one or two endings)."""
    low = word.lower().replace("ё", "е")
    main = lemma(word)
    forms = {main, low}
    for stem in kazakh_stems(low):
        forms.add(stem)
        forms.update(kazakh_stems(stem))
    return main, frozenset(forms)


@cache
def _vocabulary() -> _Vocabulary:
    data = json.loads(_TOPICS_FILE.read_text(encoding="utf-8"))
    names: dict[str, dict[str, str]] = {}
    words: dict[str, set[str]] = {}
    bigrams: dict[tuple[str, str], set[str]] = {}
    prefixes: list[tuple[str, str]] = []
    heads: dict[str, set[str]] = {}
    for topic in data["topics"]:
        tid = topic["id"]
        names[tid] = topic["name"]
        for lang, cues in topic["cues"].items():
            head = cues[0] if cues else ""
            if head and not head.endswith("*") and " " not in head and (lang, head) not in _NOT_HEADS:
                heads.setdefault(_lemma_seq(head)[0], set()).add(tid)
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
        heads={k: frozenset(v) for k, v in heads.items()},
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


@dataclass(frozen=True)
class _SentenceTopics:
    counts: Counter[str]
    listing: bool  # it lists fields (several topics named as its subject)
    past: bool  # it tells history ("в прошлом году", "earlier this year", "былтыр")


def _sentence_hits(text: str) -> _SentenceTopics:
    """Topic cue counts of one sentence, whether it lists fields, whether it looks back."""
    vocab = _vocabulary()
    counts: Counter[str] = Counter()
    toks = tokens(text)
    forms = [_word_forms(t.text) for t in toks]
    field_word = field_noun = strong = past = False
    chain: set[str] = set()
    longest = 0
    last = -100
    for i, (main, keys) in enumerate(forms):
        found: set[str] = set()
        for key in keys:
            found.update(vocab.words.get(key, ()))
            found |= _prefix_topics(key)
        if i + 1 < len(forms):
            found |= vocab.bigrams.get((main, forms[i + 1][0]), frozenset())
        counts.update(found)
        for key in keys:
            counts.update(vocab.heads.get(key, frozenset()) & found)
        if found:
            joined = i - last <= _LIST_GAP_TOKENS and _LIST_JOIN_RE.search(text[toks[last].end : toks[i].start])
            chain = chain | found if joined else set(found)
            longest = max(longest, len(chain))
            last = i
        field_word = field_word or bool(keys & _FIELD_WORDS)
        strong = strong or bool(keys & STRONG_CUES)
        field_noun = field_noun or bool(keys & _FIELD_NOUNS)
        past = past or not keys.isdisjoint(PAST_WORDS)
    listed_fields = (len(counts) >= 2 and field_word) or (len(counts) >= 1 and field_noun)
    listing = listed_fields or (longest >= _LIST_MIN and strong)
    return _SentenceTopics(counts, listing, past or PAST_RE.search(text) is not None)


@dataclass
class _TopicEvidence:
    scores: dict[str, float]
    listed: set[str]  # fields some sentence lists
    long_list: bool  # some sentence lists _LIST_MIN or more fields


def _evidence(title: str, text: str) -> _TopicEvidence:
    found = _TopicEvidence({}, set(), False)
    for weight, part in ((_TITLE_WEIGHT, title), *((1.0, s) for s in _SENTENCE_END_RE.split(text))):
        sentence = _sentence_hits(part)
        if sentence.past and weight == 1.0:
            continue  # a background paragraph names what was done before, not what this story covers
        for tid, n in sentence.counts.items():
            found.scores[tid] = found.scores.get(tid, 0.0) + weight * n
        if sentence.listing:
            found.listed.update(sentence.counts)
            found.long_list = found.long_list or len(sentence.counts) >= _LIST_MIN
    return found


def topic_scores(title: str, text: str) -> dict[str, float]:
    """Weighted cue counts per topic (title words count more)."""
    return _evidence(title, text).scores


def detect_topics(title: str, text: str) -> list[str]:
    """Topics of the article, strongest first: frequent ones, and every field a sentence lists."""
    found = _evidence(title, text)
    scores, listed = found.scores, found.listed
    if not scores:
        return []
    floor = max(_MIN_SCORE, (_AFTER_LIST_SHARE if found.long_list else _MIN_SHARE) * max(scores.values()))
    ranked = sorted(
        (t for t, s in scores.items() if s >= floor or t in listed), key=lambda t: (-scores[t], TOPIC_IDS.index(t))
    )
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
