"""`coopnews sources check`: poll every catalogue source live once, store nothing, print a table.

For an operator on a machine with internet: does each URL answer, how many items its list or feed
has, how much text the extraction gets from a few of its articles, and how long it took.
Disabled entries (`enabled = false`, e.g. URLs not verified yet) are checked too, and marked.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import dataclass

from app.scrape_command import load_catalogue
from app.settings import Settings
from bot.fetch_errors import describe_fetch_error
from bot.i18n import N_, t
from scrapers.fetcher import Fetcher, FetchPolicy
from scrapers.poller import PollResult, poll_source
from scrapers.sources import SourceConfig

SAMPLE_ARTICLES = 3  # articles fetched per source to measure the extraction
COLUMNS = (N_("result"), N_("items"), N_("median chars"), N_("seconds"))
SUMMARY = N_(
    "Checked {n} sources in {seconds} s: {ok} ok, {failed} failed, {empty} without items, "
    "{no_text} without article text"
)
OK, FAILED, EMPTY, NO_TEXT = N_("ok"), N_("FAILED"), N_("no items"), N_("no text")


@dataclass
class Checked:
    source: SourceConfig
    result: PollResult
    seconds: float

    @property
    def status(self) -> str:
        if self.result.failed:
            return FAILED
        if not self.result.list_count:
            return EMPTY
        return OK if self.result.articles else NO_TEXT

    @property
    def median_chars(self) -> int | None:
        lengths = [len(article.body) for article in self.result.articles]
        return int(statistics.median(lengths)) if lengths else None


async def _nothing_known(urls: list[str]) -> set[str]:
    return set()  # every item counts as new: the check reads a few articles whatever is stored


async def _check(source: SourceConfig, fetcher: Fetcher) -> Checked:
    started = time.monotonic()
    try:
        result = await poll_source(source, fetcher, _nothing_known, max_articles=SAMPLE_ARTICLES)
    except Exception as exc:  # a parser bug on one site is that site's row, not the end of the check
        crash = f"list {source.url}: {type(exc).__name__}: {exc}"
        result = PollResult(source.id, errors=[crash], list_error=crash)
    return Checked(source, result, time.monotonic() - started)


def _row(checked: Checked, lang: str) -> str:
    chars = checked.median_chars
    note = checked.source.name
    if not checked.source.enabled:
        note = f"({t('disabled in the file', lang)}) {note}"
    line = (f"{checked.source.id:<28} {t(checked.status, lang):<10} {checked.result.list_count:>5} "
            f"{'—' if chars is None else chars:>12} {checked.seconds:>7.1f}  {note}")
    problems = [checked.result.list_error] if checked.result.list_error else checked.result.errors[:1]
    return line + "".join(f"\n{'':<28} ! {_reworded(problem, lang)[:200]}" for problem in problems if problem)


def _reworded(problem: str, lang: str) -> str:
    """"list URL: HTTP 404" with the error part in the operator's words (URLs hold no ': ')."""
    where, _, error = problem.partition(": ")
    return f"{where}: {describe_fetch_error(error, lang)}" if error else problem


async def sources_check_command(settings: Settings, source_id: str | None, policy: FetchPolicy | None = None) -> int:
    """Exit 0 when every enabled source checked is ok, 1 otherwise (and 2 for an unknown --source)."""
    lang = settings.default_language
    loaded = load_catalogue(settings)
    catalogue = [s for s in [*loaded.sources, *loaded.disabled] if source_id is None or s.id == source_id]
    if not catalogue:
        message = t("no source with id {id} (see `coopnews sources`)", lang, id=repr(source_id))
        print(f"coopnews sources: {message}", file=sys.stderr)
        return 2
    header = [t(label, lang) for label in COLUMNS]
    print(f"{'id':<28} {header[0]:<10} {header[1]:>5} {header[2]:>12} {header[3]:>7}  {t('source name', lang)}")
    started = time.monotonic()
    rows: list[Checked] = []
    async with Fetcher(policy) as fetcher:
        for finished in asyncio.as_completed([_check(s, fetcher) for s in catalogue]):
            rows.append(await finished)
            print(_row(rows[-1], lang), flush=True)
    counts = {status: sum(r.status == status for r in rows) for status in (OK, FAILED, EMPTY, NO_TEXT)}
    print(t(SUMMARY, lang, n=len(rows), seconds=f"{time.monotonic() - started:.1f}", ok=counts[OK],
            failed=counts[FAILED], empty=counts[EMPTY], no_text=counts[NO_TEXT]))
    return 0 if all(r.status == OK for r in rows if r.source.enabled) else 1
