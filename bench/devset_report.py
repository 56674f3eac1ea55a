"""The development-set table of bench_parsing.py: our generic profile vs trafilatura, same run, per split.

Run alone: .venv/bin/python bench/devset_report.py [DIR] [--split tune|holdout] [--worst N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from extraction_scoring import (  # noqa: E402
    Case,
    Extractor,
    load_devset,
    pages_per_second,
    prf,
    snippet_report,
    text_report,
)

from scrapers.sources import SourceConfig  # noqa: E402

DEFAULT_DEVSET = Path.home() / ".cache" / "coopnews" / "extraction-devset"
GENERIC_SOURCE = SourceConfig(id="devset", name="devset", url="https://devset.test/", lang="en", parser="generic")


def ours(html: str, url: str) -> str:
    """Our generic profile, the path every new source gets; trafilatura is not called behind it."""
    profile = GENERIC_SOURCE.profile()
    try:
        article = profile.parse_article(html, url, GENERIC_SOURCE)
    except Exception:
        return ""
    return article.body if article else ""


def trafilatura_default(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=False) or ""


def trafilatura_precision(html: str, url: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    return text or ""


EXTRACTORS: dict[str, Extractor] = {
    "coopnews": ours,
    "trafilatura": trafilatura_default,
    "trafil.prec": trafilatura_precision,
}


def _table(cases: list[Case], label: str, speeds: dict[str, float]) -> None:
    print(f"\n{label}")
    head = f"{'extractor':<13}{'pages':>6}{'P':>7}{'R':>7}{'F1':>7}{'median':>8}{'<0.5':>7}"
    print(head + f"{'snipP':>7}{'snipR':>7}{'snipF1':>8}{'pages/s':>9}{'× ours':>8}")
    for name, extract in EXTRACTORS.items():
        text = text_report(extract, cases)
        snip = snippet_report(extract, cases)
        row = f"{name:<13}"
        row += (f"{text.pages:>6}{text.mean_p:>7.3f}{text.mean_r:>7.3f}{text.mean_f1:>7.3f}{text.median_f1:>8.3f}"
                f"{text.below_half:>7.1%}") if text else f"{'-':>42}"  # fmt: skip
        row += f"{snip[1]:>7.3f}{snip[2]:>7.3f}{snip[3]:>8.3f}" if snip else f"{'-':>22}"
        speed = speeds.get(name, 0.0)
        ratio = speeds.get("coopnews", 0.0) / speed if speed else 0.0
        print(row + f"{speed:>9.1f}{ratio:>7.1f}×")


def run(folder: Path, seconds: float = 5.0, worst: int = 0, split: str = "") -> None:
    """Print the tables, or a note on how to build the set when it is absent."""
    if not (folder / "index.json").is_file():
        print(f"development set not found at {folder}: run bench/fetch_extraction_devset.py (F1 on real pages skipped)")
        return
    cases = load_devset(folder)
    timed = [c for c in cases if c.expected is not None] or cases
    speeds = {name: pages_per_second(extract, timed, seconds) for name, extract in EXTRACTORS.items()}
    print(f"development set: {len(cases)} pages ({folder})")
    print(f"pages/s: pages per CPU-second on one core over the {len(timed)} full-text pages")
    print("'× ours': how many times that extractor's pages/s ours is, measured in this same run")
    for part in ("tune", "holdout") if not split else (split,):
        _table([c for c in cases if c.split == part], f"split: {part}", speeds)
    if worst:
        scored = sorted((prf(ours(c.html, c.url), c.expected)[2], c.name) for c in cases
                        if c.expected is not None and (not split or c.split == split))  # fmt: skip
        print(f"\nworst {worst} full-text pages (ours):")
        for score, name in scored[:worst]:
            print(f"  {score:.3f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("devset", type=Path, nargs="?", default=DEFAULT_DEVSET)
    parser.add_argument("--split", choices=["tune", "holdout"], default="")
    parser.add_argument("--worst", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    run(args.devset, args.seconds, args.worst, args.split)


if __name__ == "__main__":
    main()
