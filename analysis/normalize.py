"""Plain-text normalisation and the one set of length caps every layer uses (scrapers, analysis, ingest)."""

from __future__ import annotations

import re

TITLE_CHARS = 300  # a longer "title" is a heading that swallowed the page
LEAD_CHARS = 400  # the first paragraph shown under a title
SUMMARY_CHARS = 400
MAIN_TEXT_CHARS = 30_000  # what analysis reads and storage keeps of one article

# Control characters, zero-width marks, BOM and U+FFFD (what a broken page decodes to); \t \n \r stay.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff\ufffd]")

# A PHP `print_r` dump some CMS templates leak into the page ("Array ( [ID] => 5 ..."): never article text.
PHP_DUMP = re.compile(r"Array\s*\(|\[[A-Z_]+\]\s*=>")


def printable(text: str) -> str:
    """Control characters out, each line's whitespace collapsed, blank edges trimmed."""
    text = CONTROL_CHARS.sub(" ", text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def short_title(title: str) -> str:
    """The title on one line, cut at a word boundary with "…" when over TITLE_CHARS."""
    title = " ".join(printable(title).split())
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return title
