"""Is this page an empty shell that only a browser running its scripts would fill (gov.kz, SPA sites)?

Such a page arrives with HTTP 200 and parses to nothing: without this check a source built that way
looks healthy and never yields an article. The verdict is read from the served HTML alone: almost no
visible text, and a sign of client-side rendering (a script bundle, an empty mount point such as
`<div id="app">`, a `__NEXT_DATA__` blob, a noscript "enable JavaScript" notice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

# Below this much visible text (outside scripts, styles and noscript) a page says nothing by itself.
MAX_SHELL_TEXT_CHARS = 300
MOUNT_IDS = ("app", "root", "__next", "__nuxt", "q-app", "___gatsby", "main-app", "application")
STATE_BLOBS = re.compile(r"__NEXT_DATA__|__NUXT__|__INITIAL_STATE__|__APOLLO_STATE__|ng-version|data-reactroot")
ENABLE_JS = re.compile(
    r"(?i)(enable\s+javascript|javascript\s+(is\s+)?(required|disabled)|включите\s+javascript|"
    r"javascript\s+қосыңыз|javascript.{0,20}(отключен|выключен|қосу)|поддержк\w*\s+javascript)"
)
INVISIBLE = "script, style, noscript, template, svg"


@dataclass(frozen=True)
class ShellVerdict:
    """Whether the page needs JavaScript, the signs seen, and how much text it shows without scripts."""

    needs_javascript: bool
    text_chars: int
    signs: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """The health record's wording: "needs JavaScript (empty <div id="app">, 3 script bundles)"."""
        return "needs JavaScript (" + ", ".join(self.signs) + ")" if self.signs else "needs JavaScript"


def _visible_chars(tree: LexborHTMLParser) -> int:
    body = tree.body
    if body is None:
        return 0
    for node in body.css(INVISIBLE):
        node.decompose()
    return len("".join(body.text(separator=" ").split()))


def _signs(tree: LexborHTMLParser, html: str) -> list[str]:
    signs: list[str] = []
    for mount in MOUNT_IDS:
        node = tree.css_first(f"#{mount}")
        if node is not None and len(" ".join(node.text(separator=" ").split())) < 40:
            signs.append(f'empty <div id="{mount}">')
            break
    bundles = [n for n in tree.css("script[src]") if (n.attributes.get("src") or "").strip()]
    modules = tree.css('script[type="module"]')
    if len(bundles) + len(modules) >= 1:
        signs.append(f"{len(bundles) + len(modules)} script bundle(s)")
    blob = STATE_BLOBS.search(html)
    if blob is not None:
        signs.append(blob.group(0))
    for notice in tree.css("noscript"):
        if ENABLE_JS.search(notice.text(separator=" ") or "") or ENABLE_JS.search(notice.html or ""):
            signs.append('noscript "enable JavaScript"')
            break
    return signs


def detect_js_shell(html: str) -> ShellVerdict:
    """A page needs JavaScript when it shows under MAX_SHELL_TEXT_CHARS of text and carries a sign of
    client-side rendering; a short but plain page (a stub, an error text) is not called a shell."""
    if not html.strip():
        return ShellVerdict(False, 0)
    signs = _signs(LexborHTMLParser(html), html)
    chars = _visible_chars(LexborHTMLParser(html))
    return ShellVerdict(chars < MAX_SHELL_TEXT_CHARS and bool(signs), chars, tuple(signs))
