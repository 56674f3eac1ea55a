"""Site-agnostic guesses: which links are articles, which lines are the text; trafilatura as last resort."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from scrapers.parsers import extract
from scrapers.parsers.clean import clean_lines
from scrapers.urls import canonicalize_url

NON_ARTICLE_EXT = re.compile(r"(?i)\.(jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|zip|rar|mp[34]|avi)$")
ARTICLE_HINTS = re.compile(r"(?i)(\d{3,}|news|novost|article|press|[a-z0-9]+[-_][a-z0-9]+[-_][a-z0-9]+)")
CHROME = "nav, header, footer, aside, menu, [role=navigation], [class*=menu], [class*=breadcrumb]"
MIN_LINK_TEXT = 20


def _bare_host(url: str) -> str:
    host = (urlsplit(url).netloc or "").lower()
    return host.removeprefix("www.")


def _looks_like_article(url: str, base_url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path
    if parts.scheme not in ("http", "https") or NON_ARTICLE_EXT.search(path):
        return False
    if _bare_host(url) != _bare_host(base_url) or path.rstrip("/") in ("", urlsplit(base_url).path.rstrip("/")):
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(ARTICLE_HINTS.search(last) or (parts.query and ARTICLE_HINTS.search(parts.query)))


def article_links(tree: LexborHTMLParser, base_url: str) -> list[tuple[str, str]]:
    """(canonical URL, anchor text) of links that look like articles, outside page chrome."""
    for chrome in tree.css(CHROME):
        chrome.decompose()
    links = []
    for anchor in tree.css("a[href]"):
        text = " ".join(anchor.text(separator=" ").split())
        href = anchor.attributes.get("href") or ""
        if len(text) < MIN_LINK_TEXT or len(text.split()) < 3 or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = canonicalize_url(href, base_url)
        if _looks_like_article(url, base_url):
            links.append((url, text))
    return links


def main_text(tree: LexborHTMLParser) -> list[str]:
    """Lines of the page's article by block scoring (scrapers.parsers.extract); [] when there is none."""
    return extract.main_text(tree)


def trafilatura_paragraphs(html: str, url: str) -> list[str]:
    """Main text by trafilatura (CPU-heavy: callers run parsing in a worker thread)."""
    import trafilatura  # imported lazily: it is slow to load and only a fallback

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        return []
    return clean_lines([line.strip() for line in text.splitlines() if line.strip()])
