"""A parsing profile: CSS selectors for one site family, with generic heuristics when they find nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scrapers.dates import parse_date
from scrapers.models import ListItem, ParsedArticle
from scrapers.parsers import heuristics
from scrapers.parsers.clean import clean_lines, drop_clutter_nodes, lead_of, node_lines, to_body
from scrapers.urls import canonicalize_url

MIN_BODY_CHARS = 80  # below this a selector "found" a caption, not an article
TITLE_FALLBACK_CHARS = 120


class SourceLike(Protocol):
    """What a parser needs to know about the source (SourceConfig satisfies it)."""

    @property
    def id(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def timezone(self) -> str | None: ...


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of a site; empty means "use the generic heuristic"."""

    list_item: str = ""
    list_link: str = "a"
    list_title: str = ""
    list_date: str = ""
    title: str = "h1"
    date: str = ""
    body: str = ""
    image: str = ""
    drop: str = ""


SELECTOR_FIELDS = frozenset(f.name for f in dataclasses.fields(Selectors))


def _first(tree: LexborHTMLParser | LexborNode, selector: str) -> LexborNode | None:
    """First match of the first alternative that matches: "a, b" means "a, else b", not document order."""
    for alternative in selector.split(","):
        if alternative.strip():
            node = tree.css_first(alternative.strip())
            if node is not None:
                return node
    return None


def _text(node: LexborNode | None) -> str:
    return " ".join(node.text(separator=" ").split()) if node is not None else ""


def _meta(tree: LexborHTMLParser, *names: str) -> str:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"], meta[itemprop="{name}"]')
        if node is not None and node.attributes.get("content"):
            return (node.attributes.get("content") or "").strip()
    return ""


@dataclass(frozen=True)
class Profile:
    """Turns list pages into ListItems and article pages into ParsedArticles."""

    name: str
    timezone: str = "Europe/Moscow"
    selectors: Selectors = field(default_factory=Selectors)
    use_trafilatura: bool = True
    tracking_params: frozenset[str] = frozenset()  # site-specific query parameters that only track clicks

    def with_overrides(self, overrides: Mapping[str, str] | None, timezone: str | None = None) -> Profile:
        """A copy with some selectors (and maybe the time zone) replaced, e.g. from sources.toml."""
        known = {k: v for k, v in (overrides or {}).items() if k in SELECTOR_FIELDS}
        return dataclasses.replace(
            self, selectors=dataclasses.replace(self.selectors, **known), timezone=timezone or self.timezone
        )

    # -- list pages -------------------------------------------------------------------------------
    def parse_list(self, html: str, base_url: str, tz: str | None = None) -> list[ListItem]:
        """Article links of a list page, canonical and in page order, without duplicates."""
        tree = LexborHTMLParser(html)
        sel = self.selectors
        items = self._selected_items(tree, base_url, tz or self.timezone) if sel.list_item else []
        if not items:
            items = [
                ListItem(canonicalize_url(url, None, self.tracking_params), title)
                for url, title in heuristics.article_links(tree, base_url)
            ]
        seen: set[str] = set()
        unique = []
        for item in items:
            if item.url not in seen:
                seen.add(item.url)
                unique.append(item)
        return unique

    def _selected_items(self, tree: LexborHTMLParser, base_url: str, tz: str) -> list[ListItem]:
        sel = self.selectors
        found = []
        for node in tree.css(sel.list_item):
            link = node if node.tag == "a" else _first(node, sel.list_link or "a")
            href = link.attributes.get("href") if link is not None else None
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            title = _text(_first(node, sel.list_title)) or _text(link)
            published = parse_date(_text(_first(node, sel.list_date)), tz) if sel.list_date else None
            found.append(ListItem(canonicalize_url(href, base_url, self.tracking_params), title, published))
        return found

    # -- article pages ----------------------------------------------------------------------------
    def parse_article(self, html: str, url: str, source: SourceLike) -> ParsedArticle | None:
        """Title, time, clean body, lead and image of an article page; None when there is no article."""
        tree = LexborHTMLParser(html)
        tz = source.timezone or self.timezone
        title = self._title(tree)
        published = self._published(tree, tz)
        image = self._image(tree, url)
        paragraphs = self._paragraphs(tree, title)
        if sum(len(p) for p in paragraphs) < MIN_BODY_CHARS and self.use_trafilatura:
            paragraphs = heuristics.trafilatura_paragraphs(html, url) or paragraphs
        if not paragraphs:
            return None
        # A page with no heading, no <title> and no og:title: its first line stands in for the headline.
        title = title or lead_of(paragraphs, TITLE_FALLBACK_CHARS)
        body = to_body(paragraphs)
        return ParsedArticle(
            url=canonicalize_url(url, None, self.tracking_params),
            title=title,
            body=body,
            lead=lead_of(paragraphs),
            published=published,
            image_url=image,
            lang=source.lang,
            source_id=source.id,
        )

    def _title(self, tree: LexborHTMLParser) -> str:
        title = _text(_first(tree, self.selectors.title)) or _text(tree.css_first("h1"))
        return title or _meta(tree, "og:title") or _text(tree.css_first("title"))

    def _published(self, tree: LexborHTMLParser, tz: str) -> datetime | None:
        node = _first(tree, self.selectors.date)
        # Machine-readable values first (attributes and meta tags, nearly always ISO 8601, parsed without
        # dateparser), the node's visible text last: dateparser on a text that is no date costs milliseconds.
        candidates = []
        if node is not None:
            candidates += [node.attributes.get("datetime") or "", node.attributes.get("content") or ""]
        candidates.append(_meta(tree, "article:published_time", "datePublished", "pubdate"))
        time_node = tree.css_first("time[datetime]")
        if time_node is not None:
            candidates.append(time_node.attributes.get("datetime") or "")
        if node is not None:
            candidates.append(_text(node))
        for candidate in candidates:
            parsed = parse_date(candidate, tz)
            if parsed is not None:
                return parsed
        return None

    def _image(self, tree: LexborHTMLParser, url: str) -> str | None:
        node = _first(tree, self.selectors.image)
        src = (node.attributes.get("src") or node.attributes.get("data-src")) if node is not None else None
        src = src or _meta(tree, "og:image")
        return canonicalize_url(src, url) if src else None

    def _paragraphs(self, tree: LexborHTMLParser, title: str) -> list[str]:
        sel, lines = self.selectors, []
        if tree.root is not None and sel.drop:
            for junk in tree.root.css(sel.drop):
                junk.decompose()
        if sel.body and tree.root is not None:
            # A site's own body selector: its clutter goes by tag and class name first.
            drop_clutter_nodes(tree.root, keep=sel.body)
            body_node = _first(tree, sel.body)
            lines = clean_lines(node_lines(body_node), title) if body_node is not None else []
            if sum(len(line) for line in lines) >= MIN_BODY_CHARS:
                return lines
        found = heuristics.main_text(tree)
        return clean_lines(found, title) if found else lines
