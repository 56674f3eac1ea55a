"""The daily digest as Telegram messages: grouped by partner, split between items, never inside one."""

from __future__ import annotations

from alerts.digest import OTHER_GROUP, DigestContent, DigestItem
from bot.alert_render import card_extras
from bot.formatting import article_card, escape, place_label, split_blocks
from bot.i18n import t
from bot.surge_render import surge_line


def _item_block(item: DigestItem, lang: str, tz: str) -> str:
    article = item.article
    lines = [article_card(article, lang, tz, source_name=item.source_name)]
    lines += card_extras(article, item.subscription, lang)
    if item.also_reported_by:
        names = ", ".join(escape(n) for n in item.also_reported_by)
        lines.append(f"<i>{escape(t('Also reported by:', lang))} {names}</i>")
    return "\n".join(lines)


def digest_messages(content: DigestContent) -> list[str]:
    """Header, then one block per item; a group's heading travels with its first item."""
    user = content.user
    lang, tz = user.language, user.timezone
    n = content.item_count
    header = "<b>{}</b>".format(
        escape(t("Digest for {day}: {n} item", lang, plural="Digest for {day}: {n} items", n=n,
                 day=content.day.strftime("%d.%m.%Y")))
    )
    blocks: list[str] = []
    for key, items in content.groups.items():
        if key == OTHER_GROUP:
            heading = escape(t("Other news on your keywords", lang))
        else:
            heading = t("Partner: {place}", lang, place=place_label(key, lang))
        for i, item in enumerate(items):
            block = _item_block(item, lang, tz)
            blocks.append(f"<b>— {heading} —</b>\n{block}" if i == 0 else block)
    # surges the user follows head the digest, before any item
    surges = "".join(surge_line(s.key, s.count, s.usual, s.day, lang) + "\n" for s in content.surges)
    if not blocks:
        return [f"{header}\n{surges}{escape(t('No cooperation news for you in the last 24 hours.', lang))}"]
    # the headings name the foreign side, whatever the subscription was (a topic, a region, a word)
    explained = f"<i>{escape(t('Grouped by the partner country of each item.', lang))}</i>"
    head = f"{header}\n{surges}\n" if surges else f"{header}\n"
    blocks[0] = f"{head}{explained}\n\n{blocks[0]}"
    return split_blocks(blocks)
