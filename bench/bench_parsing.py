"""Parsing benchmark: our profiles vs trafilatura — pages/s on one core and token F1 on the seed bodies.

Run: .venv/bin/python bench/bench_parsing.py [--devset DIR]
Seed pages are built at run time from ../shared/seeds/*.txt (skipped with a message when absent).
The development set of real pages (bench/fetch_extraction_devset.py, default ~/.cache/coopnews/extraction-devset)
is scored side by side with trafilatura, per split (tune / holdout), when present.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import devset_report  # noqa: E402  (bench/ sits first on sys.path when run as a script)

from sandbox.site_server import DEFAULT_SITES_DIR  # noqa: E402
from scrapers.charset import decode_body  # noqa: E402
from scrapers.sources import SourceConfig, load_sources  # noqa: E402

SITES = DEFAULT_SITES_DIR
SEEDS = REPO.parent / "shared" / "seeds"
# Generic markers where a page's article ends; the seeds' clutter starts at one of them.
END_MARKERS = ("комментарии", "рекомендуем", "последние новости", "read also", "news", "back to the list",
               "возврат к списку", "больше новостей в")  # fmt: skip
SENTENCE_END = tuple('.!?»"…;:)')
WORD = re.compile(r"\w+")

Page = tuple[str, str, SourceConfig]  # html, url, source


def snapshot_pages() -> list[Page]:
    """Every article page of the site snapshots, with the source it belongs to."""
    sources = {s.id: s for s in load_sources().sources}
    pages = []
    for file in sorted(SITES.rglob("*.html")):
        source_id = file.relative_to(SITES).parts[0]
        if file.name == "list.html" or source_id not in sources:
            continue
        text, _ = decode_body(file.read_bytes(), None)
        pages.append((text, f"https://example.test/{file.relative_to(SITES)}", sources[source_id]))
    return pages


def split_seed(text: str, title: str) -> tuple[list[str], list[str], list[str]]:
    """Seed text → (clutter before, article body paragraphs, clutter after), by generic markers."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title_lines = [i for i, line in enumerate(lines) if line == title.strip()]
    start = (title_lines[-1] + 1) if title_lines else 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i].casefold().rstrip(": ").startswith(END_MARKERS)),
        len(lines),
    )
    while end > start and not lines[end - 1].endswith(SENTENCE_END):
        end -= 1  # a tag line sits between the text and the marker
    body = [line for line in lines[start:end] if not line.startswith(("Фото ", "Photo "))]
    return lines[:start], body, lines[end:]


def seed_page(prefix: list[str], title: str, body: list[str], suffix: list[str], bitrix: bool) -> str:
    """Plausible markup around a seed: Bitrix news-detail or a generic news site with sidebars."""
    esc = html.escape
    before = "\n".join(f"<div>{esc(line)}</div>" for line in prefix)
    after = "\n".join(f'<div class="item"><a href="/n/{i}">{esc(line)}</a></div>' for i, line in enumerate(suffix))
    if bitrix:
        text = "<br>\n".join(esc(p) for p in body)
        return (f'<html><body><div class="news-detail">{before}<h1>{esc(title)}</h1>'
                f'<div class="news-detail__text">{text}</div>{after}</div></body></html>')  # fmt: skip
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in body)
    return (f'<html><body><header><nav>{before}</nav></header><div class="page"><h1>{esc(title)}</h1>'
            f'<div class="post-text">{paragraphs}</div>'
            f'<div class="after-post">{after}</div></div></body></html>')  # fmt: skip


def seed_pages() -> list[tuple[Page, str]]:
    """(page, reference body) for each seed article."""
    import json

    labels = json.loads((SEEDS / "labels.json").read_text(encoding="utf-8"))
    built = []
    for name, label in labels.items():
        if name.startswith("_"):
            continue
        text = (SEEDS / name).read_text(encoding="utf-8")
        prefix, body, suffix = split_seed(text, label["title"])
        bitrix = name.startswith("vologda-oblast")
        page = seed_page(prefix, label["title"], body, suffix, bitrix)
        source = SourceConfig(id="seed", name=name, url="https://seed.test/", lang=label["lang"],
                              parser="bitrix" if bitrix else "generic")  # fmt: skip
        built.append(((page, f"https://seed.test/{name}", source), "\n".join(body)))
    return built


def ours(page: Page) -> str:
    html_text, url, source = page
    article = source.profile().parse_article(html_text, url, source)
    return article.body if article else ""


def ours_generic(page: Page) -> str:
    """Our generic profile only (no site selectors): how far the heuristics go on an unknown site."""
    html_text, url, source = page
    generic = source.model_copy(update={"parser": "generic", "timezone": None})
    article = generic.profile().parse_article(html_text, url, generic)
    return article.body if article else ""


def theirs(page: Page) -> str:
    return trafilatura.extract(page[0], url=page[1], include_comments=False, include_tables=False) or ""


def f1(predicted: str, reference: str) -> float:
    """Token-overlap F1 (multiset of lowercase words)."""
    pred, ref = Counter(WORD.findall(predicted.lower())), Counter(WORD.findall(reference.lower()))
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def throughput(extract: Callable[[Page], str], pages: list[Page], seconds: float = 3.0) -> float:
    """Pages per second in this (single) thread."""
    for page in pages:
        extract(page)  # warm-up: lazy imports, caches
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for page in pages:
            extract(page)
        done += len(pages)
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", type=Path, default=devset_report.DEFAULT_DEVSET)
    parser.add_argument("--seconds", type=float, default=5.0, help="timing window per extractor")
    args = parser.parse_args()
    pages = snapshot_pages()
    seeds = seed_pages() if (SEEDS / "labels.json").is_file() else []
    if not seeds:
        print(f"seed texts not found at {SEEDS}: F1 part skipped")
    all_pages = pages + [page for page, _ in seeds]
    print(f"pages: {len(pages)} snapshots + {len(seeds)} seed-built\n")
    print(f"{'extractor':<14}{'pages/s':>10}")
    for name, extract in (("coopnews", ours), ("trafilatura", theirs)):
        print(f"{name:<14}{throughput(extract, all_pages):>10.1f}")
    if seeds:
        print(f"\n{'seed':<62}{'ours':>9}{'generic':>9}{'trafil.':>9}   (token F1)")
        totals = [0.0, 0.0, 0.0]
        for page, reference in seeds:
            scores = [f1(extract(page), reference) for extract in (ours, ours_generic, theirs)]
            totals = [t + s for t, s in zip(totals, scores, strict=True)]
            print(f"{page[2].name:<62}" + "".join(f"{s:>9.3f}" for s in scores))
        print(f"{'mean':<62}" + "".join(f"{t / len(seeds):>9.3f}" for t in totals))
    print()
    devset_report.run(args.devset, args.seconds)


if __name__ == "__main__":
    main()
