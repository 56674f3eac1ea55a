"""Error classes of one item's party pairs and events: level errors, missed sides, extra sides, event confusion."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def _country(code: str) -> str:
    return code.split("-")[0]


def side_errors(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> tuple[int, int, int]:
    """(level errors, missed sides, extra sides) between predicted and gold pairs, side by side.

    A level error is a predicted side of the right country at the wrong level or the wrong unit of it
    (KZ for KZ-19, KZ-19 for KZ-75); what no same-country side explains is missed or extra.
    """
    level = missed = extra = 0
    for position in (0, 1):
        want = {pair[position] for pair in gold}
        got = {pair[position] for pair in predicted}
        lost, added = sorted(want - got), sorted(got - want)
        for code in lost:
            twin = next((a for a in added if _country(a) == _country(code)), None)
            if twin is None:
                missed += 1
            else:
                added.remove(twin)
                level += 1
        extra += len(added)
    return level, missed, extra


@dataclass
class ErrorClasses:
    """Counts of each kind of mistake over a set of items."""

    missed_cooperation: int = 0
    false_cooperation: int = 0
    level_errors: int = 0
    missed_sides: int = 0
    extra_sides: int = 0
    events: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, predicted)

    def add_sides(self, predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> None:
        """Classify the side mistakes of one item judged cooperation by both the labels and the detector."""
        level, missed, extra = side_errors(predicted, gold)
        self.level_errors += level
        self.missed_sides += missed
        self.extra_sides += extra

    def confusions(self) -> list[tuple[str, str, int]]:
        """Wrong event types as (gold, predicted, count), most frequent first."""
        return sorted(((g, p, n) for (g, p), n in self.events.items() if g != p), key=lambda x: (-x[2], x[0], x[1]))

    def to_json(self) -> dict[str, Any]:
        return {
            "missed_cooperation": self.missed_cooperation,
            "false_cooperation": self.false_cooperation,
            "level_errors": self.level_errors,
            "missed_sides": self.missed_sides,
            "extra_sides": self.extra_sides,
            "event_confusion": [{"gold": g, "predicted": p, "count": n} for g, p, n in self.confusions()],
        }

    def format(self) -> str:
        confusion = ", ".join(f"{g}→{p} {n}" for g, p, n in self.confusions()) or "none"
        return (
            f"cooperation missed {self.missed_cooperation}, false {self.false_cooperation}; "
            f"sides: level {self.level_errors}, missed {self.missed_sides}, extra {self.extra_sides}; "
            f"events wrong: {confusion}"
        )
