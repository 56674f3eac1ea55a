"""Composed news the local sites publish during end-to-end tests (Kazinform markup)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from sandbox.site_server import SiteServer

_MONTHS = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь",
           "Ноябрь", "Декабрь")
KZ_UZ_TITLE = "Казахстан и Узбекистан договорились расширить приграничную торговлю"
KZ_UZ_PARAGRAPHS = (
    "ТАШКЕНТ. КАЗИНФОРМ — Премьер-министры Казахстана и Узбекистана провели переговоры и подписали соглашение "
    "о расширении взаимной торговли и строительстве приграничного торгового центра.",
    "Стороны договорились увеличить товарооборот между двумя странами до десяти миллиардов долларов.",
)


def _kazinform_time(moment: datetime) -> str:
    """"13:51, 15 Август 2025" in Kazakhstan's time, as the site prints it."""
    local = moment.astimezone(ZoneInfo("Asia/Almaty"))
    return f"{local:%H:%M}, {local.day} {_MONTHS[local.month - 1]} {local.year}"


def publish_kazinform(sites: SiteServer, slug: str, title: str, paragraphs: tuple[str, ...], moment: datetime) -> str:
    """Put an article on the local Kazinform (ru) site; returns its URL."""
    path = f"ru/{slug}_a{abs(hash(slug)) % 10_000_000}"
    when = _kazinform_time(moment)
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    page = (
        f'<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>\n'
        f'<div class="article"><h1 class="article__title">{escape(title)}</h1>\n'
        f'<div class="article__info"><span class="article__time">{when}</span></div>\n'
        f'<div class="article__body-text">\n{body}</div></div>\n</body></html>\n'
    )
    item = (
        f'<div class="allNewsCard">\n  <a href="/{path}">\n    <div class="allNewsCard_time">{when}</div>\n'
        f'    <div class="allNewsCard_title">{escape(title)}</div>\n  </a>\n</div>\n'
    )
    return sites.publish("kazinform-ru", path, page, item)
