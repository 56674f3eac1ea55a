"""Every message the bot writes is shaped here: HTML escaping, cards, party lines, safe splitting."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from analysis.event_kind import event_kind
from analysis.gazetteer import load_gazetteer
from analysis.topics import topic_name
from bot.i18n import N_, t
from reports.labels import EVENT_MSGIDS

TELEGRAM_TEXT_LIMIT = 4096
ELLIPSIS = "…"
BLOCK_SEPARATOR = "\n\n"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z-]+)")
_HASHTAG_UNSAFE = re.compile(r"[^\w]+", re.UNICODE)


class CardArticle(Protocol):
    """What `article_card` reads from an article (storage.models.Article fits)."""

    id: int
    title: str
    url: str
    summary: str
    source_id: str
    published_at: datetime | None
    fetched_at: datetime


def escape(text: str) -> str:
    """Escape user or scraped text for HTML parse mode."""
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_length(html_text: str) -> int:
    """Length Telegram counts: tags removed, entities decoded, in UTF-16 code units (never less than chars)."""
    return _utf16_len(html.unescape(_TAG_OR_TEXT.sub("", html_text)))


def _cut_words(text: str, budget: int) -> str:
    """The longest prefix of plain `text` within `budget` UTF-16 units, preferring a word boundary."""
    out, used = [], 0
    for ch in text:
        size = _utf16_len(ch)
        if used + size > budget:
            break
        out.append(ch)
        used += size
    cut = "".join(out)
    if len(cut) < len(text):
        space = cut.rfind(" ")
        if space > len(cut) // 2:  # a word boundary not too far back; otherwise cut mid-word
            cut = cut[:space]
    return cut.rstrip()


def truncate_html(block: str, limit: int) -> str:
    """Shorten one HTML block to `limit` visible units, ending with "…" and closing every open tag."""
    if visible_length(block) <= limit:
        return block
    budget = max(0, limit - 1)
    parts: list[str] = []
    open_tags: list[str] = []
    for piece in _TAG_OR_TEXT.split(block):
        if not piece:
            continue
        if piece.startswith("<"):
            name_match = _TAG_NAME.match(piece)
            name = name_match.group(1).lower() if name_match else ""
            if piece.startswith("</"):
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
            else:
                open_tags.append(name)
            parts.append(piece)
            continue
        plain = html.unescape(piece)
        size = _utf16_len(plain)
        if size <= budget:
            parts.append(piece)
            budget -= size
            continue
        parts.append(escape(_cut_words(plain, budget)))
        break
    parts.append(ELLIPSIS)
    parts.extend(f"</{name}>" for name in reversed(open_tags))
    return "".join(parts)


def split_blocks(
    blocks: Sequence[str], limit: int = TELEGRAM_TEXT_LIMIT, separator: str = BLOCK_SEPARATOR
) -> list[str]:
    """Pack blocks into as few messages as fit `limit`; never split a block, truncate one that is too long."""
    messages: list[str] = []
    current: list[str] = []
    current_len = 0
    sep_len = _utf16_len(separator)
    for raw in blocks:
        block = truncate_html(raw, limit)
        size = visible_length(block)
        extra = size + (sep_len if current else 0)
        if current and current_len + extra > limit:
            messages.append(separator.join(current))
            current, current_len = [], 0
            extra = size
        current.append(block)
        current_len += extra
    if current:
        messages.append(separator.join(current))
    return messages


def place_label(code: str, lang: str, *, with_flag: bool = True) -> str:
    """ "🇷🇺 Вологодская область" for a code, escaped; unknown codes show as themselves."""
    place = load_gazetteer().get(code)
    if place is None:
        return escape(code)
    name = escape(place.name(lang))
    return f"{place.flag} {name}" if with_flag and place.flag else name


def party_line(parties: Iterable[tuple[str, str]], lang: str) -> str:
    """One line per cooperating pair: "🇷🇺 Вологодская область ↔ 🇰🇿 Алматинская область"."""
    return "\n".join(f"{place_label(a, lang)} ↔ {place_label(b, lang)}" for a, b in parties)


# A topic's short tag: one word that reads as the topic ("#сельхоз", not "#сельское").
_TOPIC_TAG_MSGIDS = {
    "trade": N_("#trade"),
    "industry": N_("#industry"),
    "forestry": N_("#forestry"),
    "agriculture": N_("#agriculture"),
    "energy": N_("#energy"),
    "transport": N_("#transport"),
    "education": N_("#education"),
    "science": N_("#science"),
    "healthcare": N_("#healthcare"),
    "culture": N_("#culture"),
    "tourism": N_("#tourism"),
    "sport": N_("#sport"),
    "youth": N_("#youth"),
    "ecology": N_("#ecology"),
    "investment": N_("#investment"),
    "humanitarian": N_("#humanitarian"),
}


def topic_tag(topic: str, lang: str) -> str:
    """The topic's hashtag in the reader's language; an unknown topic gets its name run together."""
    msgid = _TOPIC_TAG_MSGIDS.get(topic)
    if msgid is not None:
        return t(msgid, lang)
    return "#" + "".join(w for w in _HASHTAG_UNSAFE.split(topic_name(topic, lang).lower()) if w)


def topic_tags(topics: Iterable[str], lang: str) -> str:
    """Hashtags for topics, e.g. "#лес #торговля"."""
    tags: list[str] = []
    for topic in topics:
        tag = topic_tag(topic, lang)
        if len(tag) > 1 and tag not in tags:
            tags.append(tag)
    return " ".join(tags)


_EVENT_MSGIDS = EVENT_MSGIDS  # one table of event names, shared with the reports' sheets


def event_label(event: str | None, lang: str, *texts: str) -> str:
    """A short human name for the event, refined by the headline and lead ("Подписан меморандум")."""
    return t(_EVENT_MSGIDS[event_kind(event, *texts)], lang)


def local_time(moment: datetime, tz: tzinfo | str) -> str:
    """ "dd.mm.yyyy hh:mm" in the reader's time zone."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def first_line(text: str, limit: int = 300) -> str:
    """The first sentence-ish line of a summary, shortened at a word boundary."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return _cut_words(line, limit - 1) + ELLIPSIS


def article_card(
    article: CardArticle,
    lang: str,
    tz: tzinfo | str,
    *,
    with_summary: bool = True,
    source_name: str | None = None,
) -> str:
    """Title (bold) · source · local date · one-line summary · link, all escaped."""
    title = escape(" ".join(article.title.split()) or article.url)
    shown = article.published_at or article.fetched_at
    lines = [f"<b>{title}</b>", f"{escape(source_name or article.source_id)} · {local_time(shown, tz)}"]
    if with_summary and article.summary.strip():
        lines.append(escape(first_line(article.summary)))
    lines.append(f'<a href="{_attr(article.url)}">{escape(t("Read the article", lang))}</a>')
    return "\n".join(lines)


class TitledSubscription(Protocol):
    """What `subscription_title` reads (storage.models.Subscription fits)."""

    kind: str
    region: str | None
    partner: str | None
    topic: str | None
    keyword: str | None
    label: str
    mode: str


def subscription_title(sub: TitledSubscription, lang: str) -> str:
    """A subscription in words, in the reader's language, escaped: "🇷🇺 Вологодская область · Лесное хозяйство"."""
    if sub.kind == "pair" and sub.region and sub.partner:
        text = f"{place_label(sub.region, lang)} ↔ {place_label(sub.partner, lang)}"
    elif sub.kind == "region" and sub.region:
        text = place_label(sub.region, lang)
    elif sub.kind == "topic" and sub.topic:
        return f"🏷 {escape(topic_name(sub.topic, lang))}"
    else:
        return f"🔤 «{escape(sub.label or sub.keyword or '')}»"
    if sub.topic:
        text += f" · 🏷 {escape(topic_name(sub.topic, lang))}"
    return text


def mode_label(mode: str, lang: str) -> str:
    return t("🔔 instant", lang) if mode == "instant" else t("📰 digest", lang)
