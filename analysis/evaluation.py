"""Evaluation metrics over labelled articles: cooperation, party pairs, topics, event type."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from analysis.cooperation import Cooperation
from analysis.eval_classes import ErrorClasses


class Prediction(Protocol):
    """The parts of an analysis the metrics read."""

    cooperation: Cooperation
    topics: list[str]


Predictor = Callable[[str, str, str | None], Prediction]


@dataclass(frozen=True)
class LabelledItem:
    """One hand-labelled article."""

    id: str
    title: str
    text: str
    lang: str | None
    cooperation: bool
    parties: frozenset[tuple[str, str]]
    event: str | None
    topics: frozenset[str]

    @classmethod
    def from_json(cls, data: dict[str, Any], fallback_id: str = "") -> LabelledItem:
        """Build from one JSONL object (fields: id, title, text, lang, cooperation, parties, event, topics)."""
        return cls(
            id=str(data.get("id") or fallback_id),
            title=str(data.get("title") or ""),
            text=str(data.get("text") or ""),
            lang=data.get("lang"),
            cooperation=bool(data.get("cooperation")),
            parties=frozenset((str(p[0]), str(p[1])) for p in data.get("parties") or [] if len(p) == 2),
            event=data.get("event"),
            topics=frozenset(str(t) for t in data.get("topics") or []),
        )


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }

    def add(self, predicted: Iterable[Any], gold: Iterable[Any]) -> None:
        """Add one item's predicted and gold sets."""
        p, g = set(predicted), set(gold)
        self.tp += len(p & g)
        self.fp += len(p - g)
        self.fn += len(g - p)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Metrics over a labelled set, with the per-item mistakes."""

    items: int = 0
    cooperation: Score = field(default_factory=Score)
    parties: Score = field(default_factory=Score)
    topics: Score = field(default_factory=Score)
    events_right: int = 0
    events_judged: int = 0
    mistakes: list[tuple[str, list[str]]] = field(default_factory=list)
    errors: ErrorClasses = field(default_factory=ErrorClasses)
    by_lang: dict[str, Report] = field(default_factory=dict)

    @property
    def event_accuracy(self) -> float:
        return self.events_right / self.events_judged if self.events_judged else 1.0

    def _rows(self, label: str) -> list[str]:
        rows = []
        for name, score in (("cooperation", self.cooperation), ("party pairs", self.parties), ("topics", self.topics)):
            rows.append(
                f"{label:<5}{name:<14}{score.precision:>10.3f}{score.recall:>10.3f}{score.f1:>10.3f}"
                f"{score.tp:>6}{score.fp:>6}{score.fn:>6}"
            )
        rows.append(f"{label:<5}event accuracy {self.event_accuracy:.3f} ({self.events_right}/{self.events_judged})")
        rows.append(f"{label:<5}{self.errors.format()}")
        return rows

    def format(self, verbose: bool = False) -> str:
        """A plain-text table, all items then per language; with verbose, every item's mistakes too."""
        lines = [
            f"items: {self.items}" + "".join(f", {lang} {r.items}" for lang, r in sorted(self.by_lang.items())),
            f"{'set':<5}{'metric':<14}{'precision':>10}{'recall':>10}{'F1':>10}{'tp':>6}{'fp':>6}{'fn':>6}",
        ]
        lines += self._rows("all")
        for lang, sub in sorted(self.by_lang.items()):
            lines += sub._rows(lang)
        lines.append(f"items with mistakes: {len(self.mistakes)}")
        if verbose:
            for item_id, problems in self.mistakes:
                lines.append(f"- {item_id}: " + "; ".join(problems))
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (per language under "languages")."""
        data: dict[str, Any] = {
            "items": self.items,
            "cooperation": self.cooperation.to_json(),
            "party_pairs": self.parties.to_json(),
            "topics": self.topics.to_json(),
            "event_accuracy": round(self.event_accuracy, 4),
            "events_judged": self.events_judged,
            "errors": self.errors.to_json(),
        }
        if self.by_lang:
            data["languages"] = {lang: sub.to_json() for lang, sub in sorted(self.by_lang.items())}
            data["mistakes"] = [{"id": i, "problems": p} for i, p in self.mistakes]
        return data


def _default_predictor(title: str, text: str, lang: str | None) -> Prediction:
    from analysis.pipeline import analyze

    return analyze(title, text, lang)


def _score(report: Report, item: LabelledItem, result: Prediction) -> list[str]:
    """Add one item to the report; returns its mistakes as text."""
    report.items += 1
    coop = result.cooperation
    problems: list[str] = []
    report.cooperation.add({True} if coop.is_cooperation else set(), {True} if item.cooperation else set())
    if coop.is_cooperation != item.cooperation:
        problems.append(f"cooperation {coop.is_cooperation} (gold {item.cooperation})")
        if item.cooperation:
            report.errors.missed_cooperation += 1
        else:
            report.errors.false_cooperation += 1
    predicted_pairs = set(coop.parties) if coop.is_cooperation else set()
    report.parties.add(predicted_pairs, item.parties)
    if predicted_pairs != item.parties:
        problems.append(f"parties {sorted(predicted_pairs)} (gold {sorted(item.parties)})")
        if coop.is_cooperation and item.cooperation:
            report.errors.add_sides(predicted_pairs, set(item.parties))
    if item.topics:
        report.topics.add(result.topics, item.topics)
        missing, extra = item.topics - set(result.topics), set(result.topics) - item.topics
        if missing or extra:
            problems.append(f"topics missing {sorted(missing)} extra {sorted(extra)}")
    if item.cooperation and coop.is_cooperation and item.event:
        report.events_judged += 1
        report.errors.events[(item.event, coop.event or "none")] += 1
        if coop.event == item.event:
            report.events_right += 1
        else:
            problems.append(f"event {coop.event} (gold {item.event})")
    return problems


def evaluate(
    items: list[LabelledItem], predict: Predictor | None = None, on_item: Callable[[int, int], None] | None = None
) -> Report:
    """Run the predictor over the items and score it against their labels, overall and per language.

    `on_item(done, total)` is called after each item (the CLI draws its progress with it).
    """
    predict = predict or _default_predictor
    report = Report()
    for done, item in enumerate(items, 1):
        if on_item is not None:
            on_item(done, len(items))
        result = predict(item.title, item.text, item.lang)
        problems = _score(report, item, result)
        _score(report.by_lang.setdefault(item.lang or "?", Report()), item, result)
        if problems:
            report.mistakes.append((item.id, problems))
    return report


def load_jsonl(path: Path) -> list[LabelledItem]:
    """Labelled items from a JSONL file (blank lines skipped)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(LabelledItem.from_json(json.loads(line), f"{path.name}:{number}"))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}:{number}: not a labelled item ({type(exc).__name__}: {exc})") from None
    return items


def seed_items(seeds_dir: Path) -> list[LabelledItem]:
    """The seed articles (whole page text with clutter) with their labels from labels.json."""
    labels = json.loads((seeds_dir / "labels.json").read_text(encoding="utf-8"))
    items = []
    for name, label in sorted(labels.items()):
        path = seeds_dir / name
        if name.startswith("_") or not isinstance(label, dict) or not path.is_file():
            continue
        items.append(LabelledItem.from_json({**label, "id": name, "text": path.read_text(encoding="utf-8")}))
    return items
