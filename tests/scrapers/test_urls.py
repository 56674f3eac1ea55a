"""URL canonicalisation: one spelling per article."""

from __future__ import annotations

import pytest

from scrapers.urls import canonicalize_url, host_of


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Vologda-Oblast.RU/novosti/", "https://vologda-oblast.ru/novosti/"),
        ("https://x.ru/a/b/#comments", "https://x.ru/a/b/"),
        ("https://x.ru/a?utm_source=tg&utm_medium=post&id=5", "https://x.ru/a?id=5"),
        ("https://akipress.org/news:2210455?from=portal", "https://akipress.org/news:2210455"),
        ("https://x.ru/a?fbclid=1&yclid=2&gclid=3", "https://x.ru/a"),
        ("https://x.ru/a?b=2&a=1", "https://x.ru/a?a=1&b=2"),
        ("https://x.ru/novosti/?PAGEN_1=2", "https://x.ru/novosti/?PAGEN_1=2"),
        ("https://x.ru", "https://x.ru/"),
        ("https://x.ru:443/a//b/../c/", "https://x.ru/a/c/"),
        ("http://x.ru:8080/a", "http://x.ru:8080/a"),
        ("https://x.ru/a/", "https://x.ru/a/"),
        ("https://x.ru/a", "https://x.ru/a"),
    ],
)
def test_canonical_form(raw: str, expected: str) -> None:
    assert canonicalize_url(raw) == expected


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("/en/news/x/", "https://vologda-oblast.ru/en/news/", "https://vologda-oblast.ru/en/news/x/"),
        ("slug_a42", "https://www.inform.kz/en/lenta/", "https://www.inform.kz/en/lenta/slug_a42"),
        ("//cdn.kz/p.jpg", "https://inform.kz/", "https://cdn.kz/p.jpg"),
    ],
)
def test_relative_links_become_absolute(href: str, base: str, expected: str) -> None:
    assert canonicalize_url(href, base) == expected


def test_site_specific_tracking_parameters() -> None:
    url = "https://akipress.org/news:1?from=portal&place=last"
    assert canonicalize_url(url, None, frozenset({"place"})) == "https://akipress.org/news:1"
    assert canonicalize_url(url) == "https://akipress.org/news:1?place=last"


def test_host_keeps_port() -> None:
    assert host_of("http://127.0.0.1:8081/a") == "127.0.0.1:8081"
    assert host_of("https://WWW.Gov.SPB.ru/x") == "www.gov.spb.ru"
