"""Source errors in the reader's words: the fetcher records them in English, people read them in theirs.

The stored text stays the fetcher's (operators grep logs for it); this only rewords the known shapes
for /sources, admin notices and `coopnews sources`. Anything unknown is shown as it is.
"""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import N_, t

_GAVE_UP = re.compile(r"\s*\(gave up after (\d+) attempts\b[^)]*\)$")  # "…: the next would pass the deadline"
_SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^timeout$"), N_("the site did not answer in time")),
    (re.compile(r"^timeout \(the host did not answer a moment ago"),
     N_("the site did not answer in time a moment ago")),
    (re.compile(r"^network error: (?:ClientConnectorError|ClientConnectorDNSError|ClientOSError)\b"),
     N_("cannot connect to the site")),
    (re.compile(r"^network error: ServerDisconnectedError\b"), N_("the site closed the connection")),
    (re.compile(r"^network error: (?P<detail>.+)$"), N_("network error: {detail}")),
    (re.compile(r"^HTTP (?P<status>404|410)$"), N_("page not found (HTTP {status})")),
    (re.compile(r"^HTTP (?P<status>401|403)$"), N_("access denied (HTTP {status})")),
    (re.compile(r"^HTTP (?P<status>429)$"), N_("the site asks us to slow down (HTTP {status})")),
    (re.compile(r"^HTTP (?P<status>5\d\d)$"), N_("the site has a server error (HTTP {status})")),
    (re.compile(r"^HTTP (?P<status>\d+)$"), N_("the site answered HTTP {status}")),
    (re.compile(r"^blocked by robots\.txt$"), N_("the site's robots.txt does not allow reading this page")),
    (re.compile(r"^not a text document \((?P<kind>[^)]*)\)$"), N_("not a web page ({kind})")),
    (re.compile(r"^binary content$"), N_("not a web page (binary content)")),
    (re.compile(r"^too many redirects"), N_("too many redirects")),
    (re.compile(r"^redirect loop"), N_("the site redirects in a loop")),
    (re.compile(r"^needs JavaScript\b"),
     N_("the page is built by JavaScript in the browser: without it there is nothing to read")),
]
_WHERE = re.compile(r"^(?:list|article) \S+: ")  # the poller's "list <url>: " before the fetcher's words


def describe_fetch_error(error: str, lang: str) -> str:
    """The stored error as a reader's sentence: "сайт не ответил вовремя (3 попытки)"."""
    text = _WHERE.sub("", error.strip(), count=1)
    tries = ""
    if gave_up := _GAVE_UP.search(text):
        n = int(gave_up.group(1))
        tries = " " + t("({n} attempt)", lang, plural="({n} attempts)", n=n)
        text = text[: gave_up.start()]
    for pattern, msgid in _SHAPES:
        if match := pattern.match(text):
            values: dict[str, Any] = dict(match.groupdict())
            return t(msgid, lang, **values) + tries
    return error
