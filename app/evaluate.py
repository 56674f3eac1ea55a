"""`coopnews eval`: score the analysis on labelled JSONL files (and the seed articles)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from analysis.evaluation import LabelledItem, evaluate, load_jsonl, seed_items
from app.config_errors import operator_language
from bot.i18n import t


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
        print(t("no labelled items found", operator_language()))
        return 0
    report = evaluate(items, on_item=_progress())
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=1) if as_json else report.format(verbose=verbose))
    return 0


def _progress() -> Callable[[int, int], None] | None:
    """A one-line counter on a terminal's stderr; nothing when piped (the report itself is the output)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r{t('scoring', operator_language())} {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show
