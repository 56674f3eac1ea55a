"""Articles composed for the ingest tests, and how to put them on a Bitrix snapshot site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from sandbox.site_server import SiteServer

SITE_ZONE = ZoneInfo("Europe/Moscow")  # the bitrix profile reads dates in this zone
LIST_PREFIX = {"vologda-ru": "novosti/novosti_organov_vlasti", "vologda-en": "en/news"}


@dataclass(frozen=True)
class Composed:
    slug: str
    title: str
    paragraphs: tuple[str, ...]


DAIRY = Composed(
    "vologda_kostanay_dairy",
    "Вологодская и Костанайская области подписали соглашение о поставках молочной продукции",
    (
        "Губернатор Вологодской области и аким Костанайской области Республики Казахстан подписали соглашение "
        "о сотрудничестве в сфере агропромышленного комплекса.",
        "Документ предусматривает поставки вологодского сливочного масла и сыров в Костанай, а также обмен "
        "опытом в племенном животноводстве.",
        "Первая партия продукции будет отправлена в январе.",
    ),
)
# The same event retold by another outlet: a few words changed, one clause added.
DAIRY_RETOLD = Composed(
    "kostanay_vologda_dairy_agreement",
    "Вологодская и Костанайская области подписали соглашение о поставках молочной продукции и сыров",
    (
        "Губернатор Вологодской области и аким Костанайской области Республики Казахстан в среду подписали "
        "соглашение о сотрудничестве в сфере агропромышленного комплекса.",
        "Документ предусматривает поставки вологодского сливочного масла и сыров в Костанай, а также обмен "
        "опытом в племенном животноводстве.",
        "Первая партия продукции будет отправлена в январе, сообщает пресс-служба губернатора.",
    ),
)
# Site furniture inside the article block that the parser keeps and the analysis cleans away.
DAIRY_WITH_FURNITURE = Composed(
    "vologda_kostanay_dairy_furniture",
    DAIRY.title,
    ("Главная / Новости / Новости органов власти", *DAIRY.paragraphs, "Комментарии (0)"),
)
ENERGY = Composed(
    "vologda_pavlodar_energy_internships",
    "Вологодская область и Павлодарская область договорились о стажировках энергетиков",
    (
        "Правительство Вологодской области и акимат Павлодарской области Казахстана заключили меморандум "
        "о сотрудничестве в энергетике.",
        "Молодые энергетики Павлодара пройдут стажировки на предприятиях Череповца, а вологодские специалисты "
        "познакомятся с опытом угольной генерации.",
        "Рабочая группа соберётся весной в Павлодаре.",
    ),
)
ARCHIVE = Composed(
    "vologda_kostanay_trade_mission_2024",
    "Вологодская торговая миссия побывала в Костанайской области",
    (
        "Делегация предпринимателей Вологодской области провела в Костанае переговоры о сотрудничестве "
        "с аграриями Костанайской области Казахстана.",
        "Стороны подписали протоколы о намерениях по поставкам льна и молочной продукции.",
    ),
)


def hours_ago(hours: float) -> datetime:
    """A moment in the site's zone, whole minutes (the list shows HH:MM)."""
    moment = datetime.now(SITE_ZONE) - timedelta(hours=hours)
    return moment.replace(second=0, microsecond=0)


def article_page(article: Composed, moment: datetime) -> str:
    body = "".join(f"<p>{escape(p)}</p>\n" for p in article.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="UTF-8">'
        f"<title>{escape(article.title)}</title></head><body>\n"
        '<div class="workarea"><div class="news-detail">\n'
        f'<h1>{escape(article.title)}</h1>\n<div class="date">{moment:%d.%m.%Y %H:%M}</div>\n'
        f'<div class="news-detail__text">\n{body}</div>\n'
        "</div></div></body></html>\n"
    )


def list_item(href: str, title: str, moment: datetime) -> str:
    return (
        f'<div class="item">\n  <div class="date">{moment:%d.%m.%Y %H:%M}</div>\n'
        f'  <a href="{href}"><div class="title">{escape(title)}</div></a>\n</div>\n'
    )


def publish(
    server: SiteServer, source_id: str, article: Composed, moment: datetime, *, slug: str | None = None,
    link_suffix: str = "",
) -> str:
    """Put an article on a Bitrix snapshot site (page plus list entry); returns the page's path."""
    path = f"{LIST_PREFIX[source_id]}/{slug or article.slug}"
    entry = list_item(f"/{path}/{link_suffix}", article.title, moment)
    server.publish(source_id, path, article_page(article, moment), entry)
    return f"/{source_id}/{path}/"
