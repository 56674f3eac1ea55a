"""Alert and notice messages as the user sees them, in the user's own language and time zone."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from analysis.topics import topic_name
from bot.callbacks import MoreLikeCb, MuteSourceCb
from bot.fetch_errors import describe_fetch_error
from bot.formatting import (
    article_card,
    escape,
    event_label,
    party_line,
    place_label,
    split_blocks,
    topic_tags,
)
from bot.i18n import t
from storage.models import Article, Subscription, User


@dataclass(frozen=True)
class Rendered:
    text: str
    markup: InlineKeyboardMarkup | None = None


def subscription_label(sub: Subscription, lang: str) -> str:
    """How a rule reads to its owner: "Вологодская область", "Вологодская область ↔ Казахстан + лес"."""
    if sub.kind == "keyword":
        base = f"«{escape(sub.keyword or sub.label)}»"
    elif sub.kind == "topic":
        base = escape(topic_name(sub.topic or "", lang))
    elif sub.kind == "pair":
        base = f"{place_label(sub.region or '', lang)} ↔ {place_label(sub.partner or '', lang)}"
    else:
        base = place_label(sub.region or "", lang)
    if sub.topic and sub.kind != "topic":
        base += f" + {escape(topic_name(sub.topic, lang))}"
    return base


def card_extras(article: Article, sub: Subscription | None, lang: str) -> list[str]:
    """The lines under a card in alerts and digests: who with whom, event and tags, why it reached you."""
    lines = []
    parties = [(p.ru_code, p.partner_code) for p in article.parties]
    if article.is_cooperation and parties:
        lines.append(party_line(parties, lang))
    event = event_label(article.event_type, lang, article.title, article.summary) if article.is_cooperation else ""
    tags = " · ".join(part for part in (escape(event), topic_tags([tp.topic for tp in article.topics], lang)) if part)
    if tags:
        lines.append(tags)
    if sub is not None:
        lines.append(f"<i>{escape(t('Matched your subscription:', lang))} {subscription_label(sub, lang)}</i>")
    return lines


def alert_message(
    article: Article, user: User, sub: Subscription | None, source_name: str | None
) -> Rendered:
    """Card + party line + event and topic tags + why it matched, with the two alert buttons."""
    lang = user.language
    blocks = [article_card(article, lang, user.timezone, source_name=source_name), *card_extras(article, sub, lang)]
    text = split_blocks(["\n".join(blocks)])[0]  # one alert is one message: truncated safely if huge
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("More like this", lang), callback_data=MoreLikeCb(article_id=article.id).pack()
                ),
                InlineKeyboardButton(
                    text=t("Mute this source", lang), callback_data=MuteSourceCb(article_id=article.id).pack()
                ),
            ]
        ]
    )
    return Rendered(text, markup)


def notice_message(payload: str, lang: str) -> Rendered:
    """Admin notices (source down / recovered), stored as JSON and worded at send time."""
    try:
        data = json.loads(payload)
    except (TypeError, ValueError):
        return Rendered(escape(str(payload)))
    name = escape(str(data.get("name") or data.get("source") or "?"))
    if data.get("type") == "source_down":
        error = escape(describe_fetch_error(str(data.get("error") or ""), lang))
        text = t("⚠️ Source is down: {name}", lang, name=name)
        return Rendered(f"{text}\n<code>{error}</code>" if error else text)
    if data.get("type") == "source_recovered":
        return Rendered(t("✅ Source is back: {name}", lang, name=name))
    return Rendered(escape(str(data.get("text") or payload)))
