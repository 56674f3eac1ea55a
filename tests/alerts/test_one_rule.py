"""Alerts (ingest-time facts, the matcher, the real database) and /latest (stored articles) agree, cell by cell.

The table crosses composed articles with one subscription per user. Cells that the old /latest got
wrong are in it on purpose: a region only mentioned beside the parties, a keyword only in the body,
a keyword in domestic news.
"""

from __future__ import annotations

from alerts.facts import ArticleFacts
from alerts.matcher import match_article
from analysis.pipeline import analyze
from app.ingest import Ingestor
from bot.latest import matching_articles
from scrapers.models import ParsedArticle
from scrapers.sources import SourceConfig
from storage import Database
from storage.repositories.sources import SourceSpec

ARTICLES = {
    "memo": (
        "Вологодская и Алматинская области подписали меморандум о сотрудничестве в лесной отрасли",
        "Губернатор Вологодской области и аким Алматинской области подписали меморандум о сотрудничестве "
        "в лесной отрасли. На церемонии в Москве присутствовали представители федерального министерства. "
        "Стороны договорились о поставках пиломатериалов и обмене опытом лесовосстановления.",
    ),
    "bridge": (
        "В Сокольском округе отремонтируют мост через Сухону",
        "Подрядчик приступил к ремонту моста в Вологодской области. Пиломатериалы для настила уже завезли. "
        "Работы планируется завершить к концу года, движение организовано по одной полосе.",
    ),
    "forum": (
        "Делегация Ленинградской области посетила Гомель",
        "Делегация Ленинградской области провела переговоры с Гомельским облисполкомом Республики Беларусь "
        "о поставках сельскохозяйственной техники и сотрудничестве в сфере образования.",
    ),
}
SUBSCRIPTIONS: list[dict[str, object]] = [
    {"kind": "region", "region": "RU-VLG"},
    {"kind": "region", "region": "RU-MOW"},  # only mentioned where the memorandum was signed
    {"kind": "region", "region": "KZ"},
    {"kind": "pair", "region": "RU-VLG", "partner": "KZ"},
    {"kind": "pair", "region": "RU-LEN", "partner": "BY"},
    {"kind": "region", "region": "RU-VLG", "topic": "forestry"},
    {"kind": "topic", "topic": "forestry"},
    {"kind": "keyword", "keyword": "пиломатериал"},  # in the bodies only
    {"kind": "keyword", "keyword": "меморандум лесной"},
    {"kind": "keyword", "keyword": "мост"},  # domestic news
]


async def test_alerts_and_latest_agree_on_every_cell(db: Database) -> None:
    source = SourceConfig(id="site", name="Site", url="http://127.0.0.1/site/")
    async with db.write() as uow:
        await uow.sources.sync([SourceSpec(source.id, source.name, source.url)])
        for user_id, sub in enumerate(SUBSCRIPTIONS, start=1):
            await uow.users.register(user_id, user_id, "", "ru", "Europe/Moscow")
            await uow.subscriptions.add(user_id, **sub)  # type: ignore[arg-type]
        await uow.commit()

    by_alerts: set[tuple[str, int]] = set()
    ids: dict[int, str] = {}
    for name, (title, text) in ARTICLES.items():
        parsed = ParsedArticle(f"http://127.0.0.1/site/{name}", title, text, "", None, None, "ru", source.id)
        analysis = analyze(title, text, "ru")
        async with db.write() as uow:  # what the ingest step does with a new article
            article = await uow.articles.add(Ingestor._new_article(source, parsed, analysis))
            story = (await uow.articles.new_story(title)).id
            await uow.articles.join_story(article, story)
            facts = ArticleFacts.of_analysis(article.id, source.id, story, analysis, story_has_earlier=False)
            result = await match_article(uow, facts)
            await uow.commit()
        ids[article.id] = name
        by_alerts |= {(name, user) for user in result.instant + result.digest + result.held}

    by_latest: set[tuple[str, int]] = set()
    async with db.read() as uow:
        stored = await uow.articles.latest(50, cooperation_only=False)
        for user_id in range(1, len(SUBSCRIPTIONS) + 1):
            subs = await uow.subscriptions.for_user(user_id)
            by_latest |= {(ids[a.id], user_id) for a in matching_articles(stored, subs, limit=50)}

    assert by_latest == by_alerts
    # The table is not trivially empty or full, and holds the cells the old /latest disagreed on.
    assert 0 < len(by_alerts) < len(ARTICLES) * len(SUBSCRIPTIONS)
    assert ("memo", 2) not in by_alerts  # a mentioned region is not a party
    assert {("memo", 8), ("bridge", 8), ("bridge", 10)} <= by_alerts  # keywords anywhere in the text
    assert ("bridge", 1) not in by_alerts  # a region's domestic news is not cooperation news
