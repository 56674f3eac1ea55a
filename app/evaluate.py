"""`coopnews eval`: score the analysis on labelled JSONL files (and the seed articles)."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.evaluation import LabelledItem, evaluate, load_jsonl, seed_items


def run_eval(paths: list[Path], seeds_dir: Path | None = None, verbose: bool = False) -> int:
    """Print precision/recall/F1 for the labelled items; returns the process exit code."""
    items: list[LabelledItem] = []
    try:
        for path in paths:
            items.extend(load_jsonl(path))
        if seeds_dir is not None:
            items.extend(seed_items(seeds_dir))
    except (OSError, ValueError) as exc:
        print(f"coopnews eval: {exc}", file=sys.stderr)
        return 2
    if not items:
        print("no labelled items found")
        return 0
    print(evaluate(items).format(verbose=verbose))
    return 0
