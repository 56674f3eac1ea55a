"""Pure parsing pieces: charset order, dates, feeds, generic profile and its trafilatura fallback."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from scrapers.charset import decode_body, detect_charset
from scrapers.dates import parse_date
from scrapers.feeds import parse_feed
from scrapers.parsers import get_profile
from scrapers.parsers.clean import clean_lines
from scrapers.sources import SourceConfig

RU_TEXT = "<p>Вологодская область и Казахстан подписали соглашение о сотрудничестве</p>"


def test_charset_header_wins_over_meta() -> None:
    page = ('<meta charset="windows-1251">' + RU_TEXT).encode("utf-8")
    assert detect_charset(page, "utf-8") == "utf-8"


def test_charset_meta_then_detection_then_cp1251() -> None:
    assert (
        detect_charset((b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'), None)
        == "cp1251"
    )
    text, codec = decode_body(("<html>" + RU_TEXT * 5).encode("cp1251"), None)
    assert "Вологодская" in text and codec in ("cp1251", "windows-1251")
    assert detect_charset(b"", "no-such-codec") in ("cp1251", "utf-8", "ascii")


@pytest.mark.parametrize(
    ("raw", "zone", "expected"),
    [
        ("10.12.2025 18:08", "Europe/Moscow", "2025-12-10T18:08:00+03:00"),
        ("13:51, 15 Август 2025", "Asia/Almaty", "2025-08-15T13:51:00+05:00"),
        ("5 November 2019, 11:49", "Asia/Almaty", "2019-11-05T11:49:00+06:00"),
        ("Опубликовано: 23 апреля 2024", "Europe/Moscow", "2024-04-23T00:00:00+03:00"),
        ("2025-10-13T11:19:00+03:00", "Asia/Bishkek", "2025-10-13T11:19:00+03:00"),
    ],
)
def test_dates_are_zone_aware(raw: str, zone: str, expected: str) -> None:
    parsed = parse_date(raw, zone)
    assert parsed == datetime.fromisoformat(expected)
    assert parsed is not None and parsed.utcoffset() == datetime.fromisoformat(expected).utcoffset()


def test_unparseable_date_is_none() -> None:
    assert parse_date("нет даты", "Europe/Moscow") is None
    assert parse_date("", "Europe/Moscow") is None


def test_feed_with_russian_dates_falls_back_to_dateparser() -> None:
    feed = """<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>t</title>
    <item><title>Новость</title><link>https://lenobl.ru/news/a/?utm_source=rss#x</link>
    <pubDate>19 ноября 2025 14:20</pubDate></item></channel></rss>""".encode("cp1251")
    (item,) = parse_feed(feed, "https://lenobl.ru/rss/", "Europe/Moscow")
    assert item.url == "https://lenobl.ru/news/a/" and item.title == "Новость"
    assert item.published == datetime.fromisoformat("2025-11-19T14:20:00+03:00")


def test_clean_lines_stops_at_related_block_and_drops_furniture() -> None:
    lines = [
        "Array ( [0] => Array ( [TEXT] => Все новости ) ) 1", "Пн Вт Ср Чт Пт Сб Вс", "1 2 3 4 5 6 7",
        "Body paragraph one.", "Читайте также: другая новость", "Body paragraph two.", "Back to the list",
        "Read also", "Unrelated headline",
    ]  # fmt: skip
    assert clean_lines(lines) == ["Body paragraph one.", "Body paragraph two."]


UNKNOWN_SITE = """<html><head><title>Region news</title></head><body>
<nav><a href="/news/">News</a> <a href="/about-the-region-administration/">About the region administration</a></nav>
<div class="wrap"><div class="col">
<a href="/news/2025/11/almaty-region-signs-dairy-deal-12345">Almaty region signs a dairy supply deal with Vologda</a>
<a href="/contacts">Contacts and phone numbers of the office</a>
</div></div>
<h1>Almaty region signs a dairy supply deal with Vologda</h1>
<div class="x1"><div class="x2">
<p>The Almaty region akimat signed a contract with Vologda dairy producers on Tuesday.</p>
<p>Deliveries of butter and cheese will start in January and reach two thousand tonnes a year.</p>
</div><div class="x3">Subscribe to our channel</div></div>
</body></html>"""


def test_generic_profile_on_an_unknown_site() -> None:
    generic = get_profile("generic")
    items = generic.parse_list(UNKNOWN_SITE, "https://region.example/news/")
    assert [i.url for i in items] == ["https://region.example/news/2025/11/almaty-region-signs-dairy-deal-12345"]
    source = SourceConfig(id="unknown", name="U", url="https://region.example/news/", lang="en")
    article = generic.parse_article(UNKNOWN_SITE, items[0].url, source)
    assert article is not None
    assert article.title == "Almaty region signs a dairy supply deal with Vologda"
    assert article.body.startswith("The Almaty region akimat signed") and "Subscribe" not in article.body


def test_trafilatura_fallback_when_selectors_find_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from scrapers.parsers import heuristics

    page = (
        "<html><body><h1>Forest forum</h1><article><p>"
        + "The Vologda and Almaty regions agreed on a joint forestry programme at the forum in Vologda. " * 3
        + "</p></article></body></html>"
    )
    monkeypatch.setattr(heuristics, "main_text", lambda tree: [])
    profile = get_profile("bitrix").with_overrides({"body": "div.missing"})
    source = SourceConfig(id="t", name="T", url="https://t.ru/", parser="bitrix")
    article = profile.parse_article(page, "https://t.ru/a", source)
    assert article is not None and article.body.startswith("The Vologda and Almaty regions agreed")
    no_fallback = dataclasses.replace(profile, use_trafilatura=False)
    assert no_fallback.parse_article(page, "https://t.ru/a", source) is None


def test_page_without_text_is_none() -> None:
    source = SourceConfig(id="t", name="T", url="https://t.ru/")
    assert get_profile("generic").parse_article("<html><body></body></html>", "https://t.ru/a", source) is None
    assert get_profile("generic").parse_article("\x00\x01garbage<<<", "https://t.ru/a", source) is None
