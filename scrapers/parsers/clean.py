"""Main text out of an HTML node: paragraphs kept, page clutter (menus, dumps, calendars, "Read also") dropped."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from analysis.normalize import LEAD_CHARS, PHP_DUMP

# Elements that never carry article text.
CLUTTER_TAGS = (
    "script, style, noscript, template, iframe, nav, aside, button, svg, select, input, textarea, footer, menu"
)
# Class/id words of clutter. A word matches a whole part of a class or id ("news-share", "shareBox",
# "advertisement"), never the middle of one: "subType-unsubscribed" is not "subscribe".
CLUTTER_WORDS = ("share", "social", "breadcrumb", "calendar", "tags", "related", "read-also", "readalso", "popular",
                 "comment", "advert", "banner", "reklama", "pagination", "subscribe", "slider", "carousel", "popup",
                 "modal", "cookie", "newsletter", "sidebar", "widget")  # fmt: skip
# A part naming the content wins over a clutter part: "article-body pagination-first" is the article.
CONTENT_WORDS = frozenset(["article", "body", "content", "main", "text", "post", "entry", "story", "news", "detail"])
CLUTTER_PREFIXES = tuple(word.replace("-", "") for word in CLUTTER_WORDS)
CLUTTER_CANDIDATES = ", ".join(f"[class*={w} i], [id*={w} i]" for w in CLUTTER_WORDS)
CLASS_PARTS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
BIG_SHARE = 0.3  # an element holding this share of the page's text is never clutter, whatever its name
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "header",
        "pre",
        "dd",
        "dt",
        "dl",
        "hr",
        "main",
        "address",
        "center",
    ]
)

# Headings that start a block of unrelated links: everything after them is not the article.
STOP_HEADINGS = frozenset(
    s.casefold()
    for s in [
        "Читайте также",
        "Читайте еще",
        "Рекомендуем",
        "Популярное",
        "Последние новости",
        "Другие новости",
        "Похожие новости",
        "Новости по теме",
        "Смотрите также",
        "Read also",
        "Read more",
        "See also",
        "Popular",
        "Latest news",
        "Related news",
        "More news",
        "Сондай-ақ оқыңыз",
        "Соңғы жаңалықтар",
        # more of the same in the languages of the sources and of public test pages
        "Материалы по теме",
        "Ещё по теме",
        "Еще по теме",
        "Самое читаемое",
        "Новости партнеров",
        "Новости партнёров",
        "Главное за день",
        "Тақырыпқа қатысты",
        "Ұқсас жаңалықтар",
        "Тағы оқыңыз",
        "Окшош жаңылыктар",
        "Дагы окуңуз",
        "Акыркы жаңылыктар",
        "Related",
        "Related articles",
        "Related stories",
        "Related posts",
        "Related content",
        "Related topics",
        "More stories",
        "More from",
        "You may also like",
        "You might also like",
        "Recommended",
        "Recommended for you",
        "Most read",
        "Most popular",
        "Trending",
        "Also read",
        "Das könnte dich auch interessieren",
        "Das könnte Sie auch interessieren",
        "Weitere Artikel",
        "Ähnliche Artikel",
        "Zum Weiterlesen",
        "Weiterführende Informationen",
        "Temas relacionados",
        "Noticias relacionadas",
        "Te puede interesar",
        "À lire aussi",
        "Lire aussi",
        "Sur le même sujet",
        "Leggi anche",
        "Czytaj także",
    ]
)
# Headings after which only comments follow: the text always ends there.
COMMENT_HEADINGS = frozenset(
    s.casefold()
    for s in ["Комментарии", "Добавить комментарий", "Comments", "Пікірлер", "Пікір қалдыру", "Комментарийлер",
              "Leave a comment", "Leave a reply", "Post a comment", "Kommentare", "Kommentar schreiben",
              "Comentarios", "Commentaires"]
)  # fmt: skip
PROSE_END = tuple('.!?…»"”)')
LOOKAHEAD = 6  # lines after a "Read more" heading that tell a link block from more of the article
# Single lines that are navigation or furniture, wherever they appear.
DROP_LINES = frozenset(
    s.casefold()
    for s in [
        "Возврат к списку",
        "Вернуться к списку",
        "Back to the list",
        "Back to list",
        "Меню",
        "Menu",
        "Версия для печати",
        "Print",
        "Поделиться",
        "Share",
        "Реклама",
        "Advertisement",
        "Подписаться",
        "Архив новостей",
        "News Archive",
        "Все новости",
        "All News",
        "Рубрики",
        "Rubrics",
        "Share this article",
        "Share this",
        "Share this story",
        "Print this article",
        "Поделиться новостью",
        "Бөлісу",
        "Diesen Artikel teilen",
        "Artikel teilen",
        "Teilen",
        "Drucken",
        "Anzeige",
        "Werbung",
        "Publicidad",
        "Publicité",
    ]
)
LINE_PREFIX_DROP = re.compile(
    r"(?i)^((теги|tags|метки|тэги|читайте также|read also|рекомендуем|поделиться|share|автор|авторы|author)\s*[:\-—]"
    r"|(follow us on|follow .{1,40} on (twitter|facebook|instagram|telegram)|подписывайтесь на наш|подпишитесь на наш)"
    r".{0,120}$)"
)
# Photo credits and bare datelines are furniture, not text.
CREDIT_OR_DATE = re.compile(
    r"(?i)^((фото|photo|фотографии|источник фото)\b.{0,150}"
    r"|\d{1,2}[./ ]\s?[\w]+[./ ]\s?\d{4}(,?\s*\d{1,2}:\d{2})?"
    r"|\d{1,2}:\d{2},?\s+\d{1,2}\s+\w+\s+\d{4})$"
)
# Copyright notices and reading-time labels: page furniture in any language.
FURNITURE_LINE = re.compile(
    r"(?i)^(©|\(c\)\s|copyright\s*(©|\(c\))?\s*\d{4}|все права защищены|барлық құқықтар қорғалған|all rights reserved"
    r"|\d{1,3}\s*(min|mins|minutes?|minute read|минут[аы]?|мин\.?|минут чтения|minut|minuten)\b.{0,20}$"
    r"|(время|время чтения|reading time|lesezeit)\s*[:\-—]?\s*\d{1,3}\s*\w{0,10}$)"
)
FURNITURE_CHARS = 200
CALENDAR_TOKEN = re.compile(r"(?i)^(\d{1,2}|пн|вт|ср|чт|пт|сб|вс|mon|tue|wed|thu|fri|sat|sun|дс|сс|ср|бс|жм|сн|жс)$")
SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def _walk(node: LexborNode, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.append(child.text(deep=False) or "")
        elif tag == "br":
            out.append("\n")
        elif tag in BLOCK_TAGS:
            out.append("\n")
            _walk(child, out)
            out.append("\n")
        elif tag and not tag.startswith("-"):
            _walk(child, out)


def node_lines(node: LexborNode) -> list[str]:
    """Text of a node as lines, one per block or <br>, whitespace collapsed."""
    parts: list[str] = []
    _walk(node, parts)
    lines = (SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def is_clutter_class(names: str) -> bool:
    """Whether class and id words name clutter. Each class (or id) is cut into words ("news-share",
    "shareBox" → news/share, share/box); a class with a word starting with a clutter word is clutter
    ("news-share", "related-posts"), unless another class of the element names content and nothing else
    ("article-body pagination-first" is the article). "subType-unsubscribed" has no clutter word."""
    clutter = content = False
    for token in names.replace("-also", "also").replace("_also", "also").split():
        parts = [part.lower() for part in CLASS_PARTS.findall(token)]
        if any(part.startswith(word) for part in parts for word in CLUTTER_PREFIXES):
            clutter = True
        elif any(part in CONTENT_WORDS for part in parts):
            content = True
    return clutter and not content


def is_clutter_name(node: LexborNode) -> bool:
    return is_clutter_class(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}")


def _ancestor_ids(node: LexborNode, keep: str) -> set[int]:
    """Ids of the first match of each alternative of `keep` and of all their ancestors."""
    ids: set[int] = set()
    for alternative in keep.split(","):
        found = node.css_first(alternative.strip()) if alternative.strip() else None
        while found is not None and found.mem_id not in ids:
            ids.add(found.mem_id)
            found = found.parent
    return ids


def drop_clutter_nodes(node: LexborNode, extra: str = "", keep: str = "") -> None:
    """Remove elements that never hold article text (in place); a site's own `extra` selectors are trusted.
    Nothing that holds a `keep` match (the site's body selector) goes, whatever its tag or name."""
    kept = _ancestor_ids(node, keep) if keep else set()
    for junk in node.css(CLUTTER_TAGS):
        if junk.mem_id not in kept:
            junk.decompose()
    for junk in node.css("[role=navigation], [aria-hidden=true]"):
        if junk.mem_id not in kept:
            junk.decompose()
    page_chars = len(node.text(strip=True)) or 1
    for junk in node.css(CLUTTER_CANDIDATES):
        if junk.tag in ("html", "body", "main") or junk.mem_id in kept or not is_clutter_name(junk):
            continue
        if len(junk.text(strip=True)) < BIG_SHARE * page_chars:
            junk.decompose()
    if extra:
        for junk in node.css(extra):
            junk.decompose()
    for form in node.css("form"):
        # ASP.NET wraps the whole page in one <form>: only small forms (search, comments, login) go.
        if form.mem_id not in kept and len(form.text(strip=True)) < 300:
            form.decompose()


def _is_calendar_run(line: str) -> bool:
    tokens = line.split()
    return bool(tokens) and all(CALENDAR_TOKEN.match(t) for t in tokens)


def _is_prose(line: str) -> bool:
    return len(line) >= 80 and line.rstrip().endswith(PROSE_END)


def _prose_follows(lines: list[str], index: int) -> bool:
    """Whether article paragraphs go on after line `index`, rather than a list of headlines."""
    return sum(_is_prose(line) for line in lines[index + 1 : index + 1 + LOOKAHEAD]) >= 2


def clean_lines(lines: list[str], title: str = "") -> list[str]:
    """Keep article paragraphs: drop dumps, calendars, furniture; stop at "Read also"-style blocks."""
    kept: list[str] = []
    title_key = title.casefold().strip()
    for index, line in enumerate(lines):
        key = line.casefold().rstrip(" :.")
        if key in COMMENT_HEADINGS or (key in STOP_HEADINGS and not _prose_follows(lines, index)):
            if kept:
                break
            continue
        if key in STOP_HEADINGS:
            continue  # a "Read more" line inside the article: the article goes on after it
        if key in DROP_LINES or LINE_PREFIX_DROP.match(line) or PHP_DUMP.search(line):
            continue
        if CREDIT_OR_DATE.match(line) or _is_calendar_run(line) or (title_key and key == title_key.rstrip(" :.")):
            continue
        if len(line) <= FURNITURE_CHARS and FURNITURE_LINE.match(line):
            continue
        kept.append(line)
    return kept


def to_body(lines: list[str]) -> str:
    """Paragraphs joined by blank lines."""
    return "\n\n".join(lines)


def lead_of(paragraphs: list[str], limit: int = LEAD_CHARS) -> str:
    """The first real paragraph (skipping datelines and captions), cut at a word boundary."""
    for paragraph in paragraphs:
        if len(paragraph) >= 40:
            if len(paragraph) <= limit:
                return paragraph
            return paragraph[:limit].rsplit(" ", 1)[0] + "…"
    return paragraphs[0][:limit] if paragraphs else ""
