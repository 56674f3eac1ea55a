"""Articles the demo's Vologda site "publishes" while it runs, composed for the demo, in Bitrix markup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape

from bot.i18n import N_
from sandbox.site_server import SiteServer


@dataclass(frozen=True)
class DemoArticle:
    source_id: str  # "vologda-ru" (Bitrix list page) or "lenobl" (RSS feed)
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    why: str  # what the demo shows with it (a msgid, translated when printed)


DEMO_ARTICLES = (
    DemoArticle(
        "vologda-ru",
        "memorandum_vologda_almaty_agro",
        "Вологодская и Алматинская области подписали меморандум о сотрудничестве в агропромышленном комплексе",
        (
            "Вологда. Губернатор Вологодской области и аким Алматинской области Республики Казахстан подписали "
            "меморандум о сотрудничестве в сфере агропромышленного комплекса.",
            "Документ предусматривает поставки вологодской молочной продукции и племенного скота в Алматинскую "
            "область, обмен технологиями кормопроизводства и стажировки казахстанских зоотехников в хозяйствах "
            "Вологодчины.",
            "Стороны договорились в первом квартале провести бизнес-миссию аграриев Алматинской области в Вологду.",
        ),
        N_("a region subscriber's instant alert"),
    ),
    DemoArticle(
        "lenobl",
        "lenoblast-gomel-lesopromyshlennoe-soglashenie",
        "Ленинградская и Гомельская области подписали соглашение о сотрудничестве в лесопромышленном комплексе",
        (
            "Правительство Ленинградской области и Гомельский областной исполнительный комитет Республики Беларусь "
            "подписали соглашение о сотрудничестве в лесопромышленном комплексе.",
            "Стороны договорились о совместном производстве клеёного бруса, поставках лесозаготовительной техники "
            "белорусского производства и обмене опытом лесовосстановления.",
            "Соглашение рассчитано на пять лет; рабочая группа соберётся в Гомеле весной.",
        ),
        N_("matches only her forestry subscription, which she set to the daily digest"),
    ),
    DemoArticle(
        "vologda-ru",
        "remont_mosta_sokol",
        "В Сокольском округе отремонтируют мост через реку Сухону",
        (
            "Сокол. Подрядчик приступил к ремонту моста через Сухону. Работы планируется завершить к концу года.",
            "Ремонт ведётся по национальному проекту. Движение организовано по одной полосе.",
        ),
        N_("domestic news: nobody is alerted"),
    ),
)


def _bitrix_item(article: DemoArticle, moment: datetime) -> str:
    link = f"/novosti/novosti_organov_vlasti/{article.slug}/"
    return (
        f'<div class="item">\n  <div class="date">{moment:%d.%m.%Y %H:%M}</div>\n'
        f'  <a href="{link}"><div class="title">{escape(article.title)}</div></a>\n</div>\n'
    )


def _bitrix_page(article: DemoArticle, moment: datetime) -> str:
    body = "<br>\n<br>\n".join(escape(p) for p in article.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="UTF-8">'
        f"<title>{escape(article.title)}</title></head><body>\n"
        '<div class="workarea"><div class="news-detail">\n'
        f'<h1>{escape(article.title)}</h1>\n<div class="date">{moment:%d.%m.%Y %H:%M}</div>\n'
        f'<div class="news-detail__text">\n{body}\n</div>\n'
        '<a class="back" href="/novosti/">Возврат к списку</a>\n'
        "</div></div></body></html>\n"
    )


def _rss_item(article: DemoArticle, moment: datetime) -> str:
    link = f"https://lenobl.ru/news/{article.slug}/"
    return (
        f"<item>\n<title>{escape(article.title)}</title>\n<link>{link}</link>\n"
        f"<description>{escape(article.paragraphs[0])}</description>\n"
        f"<pubDate>{format_datetime(moment)}</pubDate>\n<guid>{link}</guid>\n</item>\n"
    )


def _article_page(article: DemoArticle, moment: datetime) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in article.paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">'
        f"<title>{escape(article.title)}</title></head><body>\n"
        f'<article class="news-page">\n<h1>{escape(article.title)}</h1>\n'
        f'<time datetime="{moment.isoformat()}">{moment:%d.%m.%Y}</time>\n{paragraphs}</article>\n'
        "</body></html>\n"
    )


def publish(sites: SiteServer, article: DemoArticle, moment: datetime) -> None:
    """Put the article on its site: a page, and an entry on top of the list page or feed."""
    if article.source_id == "lenobl":
        sites.publish("lenobl", f"news/{article.slug}", _article_page(article, moment), _rss_item(article, moment))
    else:
        path = f"novosti/novosti_organov_vlasti/{article.slug}"
        sites.publish(article.source_id, path, _bitrix_page(article, moment), _bitrix_item(article, moment))
