"""`coopnews eval`: score the analysis on labelled JSONL files (and the seed articles)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis.evaluation import LabelledItem, evaluate, load_jsonl, seed_items
from bot.i18n import DEFAULT_LANGUAGE, t


def run_eval(paths: list[Path], seeds_dir: Path | None = None, verbose: bool = False, *, as_json: bool = False) -> int:
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
        print(t("no labelled items found", DEFAULT_LANGUAGE))
        return 0
    report = evaluate(items)
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=1) if as_json else report.format(verbose=verbose))
    return 0
