"""Main-text extraction from scraped page text: drops menus, PHP dumps, calendars, related-news and tag blocks."""

from __future__ import annotations

import html
import re

from analysis.normalize import CONTROL_CHARS, PHP_DUMP

_TAG_RE = re.compile(r"<[^>]{0,500}>")
_CONTROL_RE = CONTROL_CHARS
_SPACES_RE = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_PHP_DUMP_RE = PHP_DUMP
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END_RE = re.compile(r"[.!?…;:»\"“”)]\s*$")

# A line starting with one of these opens a block that is not the article (lists of other news, comments).
_TAIL_MARKERS = (
    "читайте также",
    "читайте еще",
    "читайте ещё",
    "рекомендуем",
    "последние новости",
    "популярное",
    "похожие новости",
    "похожие материалы",
    "новости по теме",
    "другие новости",
    "комментарии",
    "добавить комментарий",
    "оставить комментарий",
    "возврат к списку",
    "вернуться к списку",
    "больше новостей",
    "поделиться",
    "теги:",
    "метки:",
    "подписывайтесь",
    "read also",
    "read more",
    "related news",
    "related",
    "popular",
    "more news",
    "back to the list",
    "share this",
    "tags:",
    "comments",
    "leave a comment",
    "тағы оқыңыз",
    "оқи отырыңыз",
)
# Lines starting with these are navigation, wherever they appear.
_NAV_PREFIXES = ("главная", "main page", "home >", "home page", "меню", "menu", "басты бет")

# Prose needs this much kept text before a marker is trusted to end the article.
_MIN_BODY_BEFORE_TAIL = 200
_LONG_LINE_WORDS = 16
_MAX_INPUT_CHARS = 200_000


def normalize_text(text: str) -> str:
    """Strip HTML tags and entities, control characters and runs of spaces; keep line breaks."""
    text = text[:_MAX_INPUT_CHARS]
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = _CONTROL_RE.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))


def _word_count(line: str) -> int:
    return len(_WORD_RE.findall(line))


def _is_prose(line: str) -> bool:
    words = _word_count(line)
    return words >= _LONG_LINE_WORDS or (words >= 3 and _SENTENCE_END_RE.search(line) is not None)


def _is_tail_marker(line: str) -> bool:
    low = line.lower().lstrip("•-–— ")
    return _word_count(line) <= 6 and any(low.startswith(m) for m in _TAIL_MARKERS)


def _is_navigation(line: str) -> bool:
    low = line.lower()
    return any(low.startswith(p) for p in _NAV_PREFIXES) and not _SENTENCE_END_RE.search(line)


def main_text(text: str, title: str = "") -> str:
    """The article body: prose lines before the first related-news/comments block, deduplicated."""
    lines = normalize_text(text).split("\n")
    title_key = title.strip().lower()
    kept: list[str] = []
    seen: set[str] = set()
    body_chars = 0
    for line in lines:
        if not line:
            continue
        if _is_tail_marker(line):
            if body_chars >= _MIN_BODY_BEFORE_TAIL:
                break
            continue
        if _PHP_DUMP_RE.search(line) or _is_navigation(line) or not _is_prose(line):
            continue
        key = line.lower()
        if key in seen or key == title_key:
            continue
        seen.add(key)
        kept.append(line)
        body_chars += len(line)
    if not kept:
        # Text without sentence punctuation (a bare feed summary): keep its wordy lines.
        kept = [ln for ln in lines if _word_count(ln) >= 5 and not _PHP_DUMP_RE.search(ln)]
    return "\n".join(kept)

