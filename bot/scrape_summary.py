"""What admin /scrape reports: the app polls, the bot words the result in the admin's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.formatting import escape
from bot.i18n import t


@dataclass(frozen=True)
class ScrapeSummary:
    polled: int
    new: int
    failed: list[str] = field(default_factory=list)  # source ids

    def text(self, lang: str) -> str:
        line = t("Polled {polled} sources: {n} new article", lang, plural="Polled {polled} sources: {n} new articles",
                 n=self.new, polled=self.polled)
        if self.failed:
            line += "\n⚠️ " + t("failed: {sources}", lang, sources=escape(", ".join(self.failed)))
        return line
