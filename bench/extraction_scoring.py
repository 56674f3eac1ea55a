"""Scoring an extractor on the development set: bag-of-tokens precision/recall/F1 and snippet checks.

The token scores follow the usual article-extraction benchmarks: both texts are lower-cased and cut into
word tokens, and the overlap of the two multisets gives precision and recall. Snippet cases (trafilatura's
evaluation data) only say what the text must and must not contain; they are scored apart.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")

Extractor = Callable[[str, str], str]  # (html, url) -> plain text


@dataclass(frozen=True)
class Case:
    name: str
    split: str
    html: str
    url: str
    expected: str | None = None  # full text
    must: tuple[str, ...] = ()  # snippets that must appear
    must_not: tuple[str, ...] = ()  # snippets that must not


def tokens(text: str) -> Counter[str]:
    return Counter(WORD.findall(text.lower()))


def prf(predicted: str, reference: str) -> tuple[float, float, float]:
    """Token precision, recall, F1; an empty prediction of an empty reference counts as perfect."""
    pred, ref = tokens(predicted), tokens(reference)
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def _norm(text: str) -> str:
    return SPACES.sub(" ", text).strip().casefold()


def snippet_counts(predicted: str, case: Case) -> tuple[int, int, int]:
    """(true positives, false negatives, false positives) of a snippet case, like trafilatura's evaluation."""
    text = _norm(predicted)
    found = sum(1 for s in case.must if _norm(s) in text)
    leaked = sum(1 for s in case.must_not if _norm(s) in text)
    return found, len(case.must) - found, leaked


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def load_devset(folder: Path) -> list[Case]:
    """Every case of a folder written by fetch_extraction_devset.py."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    cases = []
    for entry in index:
        case_dir = folder / entry["case"]
        html = _decode((case_dir / "source.html").read_bytes())
        url = entry.get("url") or f"https://devset.test/{entry['case']}"
        if entry["kind"] == "text":
            expected = (case_dir / "expected.txt").read_text(encoding="utf-8")
            cases.append(Case(entry["case"], entry["split"], html, url, expected=expected))
        else:
            snippets = json.loads((case_dir / "snippets.json").read_text(encoding="utf-8"))
            cases.append(Case(entry["case"], entry["split"], html, url, must=tuple(snippets["with"]),
                              must_not=tuple(snippets["without"])))  # fmt: skip
    return cases


@dataclass(frozen=True)
class Report:
    pages: int
    mean_p: float
    mean_r: float
    mean_f1: float
    median_f1: float
    below_half: float  # share of pages with F1 < 0.5


def text_report(extract: Extractor, cases: list[Case]) -> Report | None:
    scores = [prf(extract(c.html, c.url), c.expected or "") for c in cases if c.expected is not None]
    if not scores:
        return None
    f1s = [s[2] for s in scores]
    return Report(len(scores), statistics.fmean(s[0] for s in scores), statistics.fmean(s[1] for s in scores),
                  statistics.fmean(f1s), statistics.median(f1s), sum(f < 0.5 for f in f1s) / len(f1s))  # fmt: skip


def snippet_report(extract: Extractor, cases: list[Case]) -> tuple[int, float, float, float] | None:
    """(pages, precision, recall, F1) over all snippets, as trafilatura's own evaluation counts them."""
    tp = fn = fp = 0
    pages = 0
    for case in cases:
        if case.expected is None:
            pages += 1
            found, missed, leaked = snippet_counts(extract(case.html, case.url), case)
            tp, fn, fp = tp + found, fn + missed, fp + leaked
    if not pages:
        return None
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return pages, precision, recall, f1


def pages_per_second(extract: Extractor, cases: list[Case], seconds: float = 5.0) -> float:
    """Pages per CPU-second in this one thread (one core), after a warm-up pass over a few pages.

    CPU time of this process, not wall time: on a shared machine other work's load then moves both
    extractors' figures alike instead of whichever ran during a busy moment."""
    for case in cases[:5]:
        extract(case.html, case.url)
    done, started = 0, time.process_time()
    while True:
        for case in cases:
            extract(case.html, case.url)
            done += 1
            if time.process_time() - started >= seconds:
                return done / (time.process_time() - started)
