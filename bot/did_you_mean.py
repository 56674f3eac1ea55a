"""/subscribe text that names no place or topic: suggest the nearest ones, or following the word itself.

A typo ("Вологодсая") should not silently become a keyword subscription that never matches; a real
word ("зерно") should still be one tap away.
"""

from __future__ import annotations

from functools import cache

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rapidfuzz import fuzz, process

from analysis.gazetteer import Place, load_gazetteer
from analysis.topics import TOPIC_IDS, topic_name
from bot.callbacks import INSTANT, KeywordCb, NewSubCb
from bot.formatting import place_label
from bot.i18n import t

MAX_PLACES = 4
MAX_TOPICS = 2
TOPIC_SCORE = 75  # rapidfuzz WRatio, 0..100


@cache
def _topic_names() -> dict[str, str]:
    return {topic_name(tid, lang).lower(): tid for tid in TOPIC_IDS for lang in ("ru", "en")}


def near_topics(text: str) -> list[str]:
    found: list[str] = []
    names = _topic_names()
    for name, _score, _ in process.extract(text.lower(), list(names), scorer=fuzz.WRatio, limit=6):
        if _score >= TOPIC_SCORE and names[name] not in found:
            found.append(names[name])
    return found[:MAX_TOPICS]


def near_places(text: str) -> list[Place]:
    return load_gazetteer().resolve(text)[:MAX_PLACES]


def suggestions_markup(lang: str, places: list[Place], topics: list[str], keyword: str,
                       keyword_key: int) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(text=place_label(p.code, lang),
                              callback_data=NewSubCb(kind="region", region=p.code, mode=INSTANT).pack())]
        for p in places
    ]
    rows += [
        [InlineKeyboardButton(text=f"🏷 {topic_name(tid, lang)}",
                              callback_data=NewSubCb(kind="topic", topic=tid, mode=INSTANT).pack())]
        for tid in topics
    ]
    shown = keyword if len(keyword) <= 40 else keyword[:39] + "…"
    rows.append([InlineKeyboardButton(text=t("🔤 Follow the word «{word}»", lang, word=shown),
                                      callback_data=KeywordCb(key=keyword_key).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)
