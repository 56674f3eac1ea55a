"""Evaluation metrics, and the development-set targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cooperation import Cooperation
from analysis.evaluation import LabelledItem, Score, evaluate, load_jsonl, seed_items
from app.evaluate import run_eval

DEVSET = Path(__file__).resolve().parents[1] / "data" / "devset.jsonl"


class FakePrediction:
    def __init__(self, coop: Cooperation, topics: list[str]) -> None:
        self.cooperation = coop
        self.topics = topics


def test_score_arithmetic() -> None:
    score = Score()
    score.add({1, 2}, {2, 3})
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    assert score.precision == score.recall == score.f1 == 0.5


def test_evaluate_counts_mistakes() -> None:
    items = [
        LabelledItem.from_json(
            {
                "id": "a",
                "title": "",
                "text": "x",
                "cooperation": True,
                "parties": [["RU-VLG", "KZ-19"]],
                "topics": ["trade"],
                "event": "visit",
            }
        ),
        LabelledItem.from_json({"id": "b", "title": "", "text": "y", "cooperation": False}),
    ]
    answers = {
        "x": FakePrediction(Cooperation(True, [("RU-VLG", "KZ")], "visit", 0.9), ["trade", "culture"]),
        "y": FakePrediction(Cooperation(False), []),
    }
    report = evaluate(items, lambda title, text, lang: answers[text])
    assert report.cooperation.f1 == 1.0
    assert (report.parties.tp, report.parties.fp, report.parties.fn) == (0, 1, 1)
    assert report.topics.precision == 0.5 and report.topics.recall == 1.0
    assert [m[0] for m in report.mistakes] == ["a"]
    assert "party pairs" in report.format(verbose=True) and "- a:" in report.format(verbose=True)


def test_run_eval_prints_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"id": "n1", "title": "Погода", "text": "Завтра дождь.", "cooperation": false, "parties": []}\n',
        encoding="utf-8",
    )
    assert run_eval([path], None, verbose=True) == 0
    assert "cooperation" in capsys.readouterr().out


def test_seed_items(seeds_dir: Path) -> None:
    items = seed_items(seeds_dir)
    assert len(items) == 5 and all(i.title and i.parties for i in items)


def test_devset_meets_targets() -> None:
    if not DEVSET.is_file():
        pytest.skip("tests/data/devset.jsonl is absent")
    report = evaluate(load_jsonl(DEVSET))
    print(report.format(verbose=True))
    assert report.items >= 90
    assert report.cooperation.f1 >= 0.95
    assert report.parties.f1 >= 0.90
    assert report.topics.f1 >= 0.80


def test_side_error_classes() -> None:
    from analysis.eval_classes import side_errors

    # KZ-19 for KZ-75 is a level error; a missing second partner is missed; a venue city is extra.
    gold = {("RU-OMS", "KZ-75"), ("RU-OMS", "KZ-55")}
    predicted = {("RU-OMS", "KZ-19"), ("RU-OMS", "KG-GB")}
    assert side_errors(predicted, gold) == (1, 1, 1)
    assert side_errors({("RU-VLG", "KZ")}, {("RU-VLG", "KZ-19")}) == (1, 0, 0)
    assert side_errors({("RU-VLG", "KZ-19")}, {("RU-VLG", "KZ-19")}) == (0, 0, 0)


def test_report_per_language_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    items = [
        LabelledItem.from_json(
            {
                "id": "r",
                "text": "r",
                "lang": "ru",
                "cooperation": True,
                "parties": [["RU-OMS", "KZ-55"]],
                "event": "agreement",
                "topics": ["trade", "education"],
            }
        ),
        LabelledItem.from_json(
            {
                "id": "k",
                "text": "k",
                "lang": "kk",
                "cooperation": True,
                "parties": [["RU-OMS", "KZ-55"]],
                "event": "visit",
                "topics": ["trade"],
            }
        ),
    ]
    answers = {
        "r": FakePrediction(Cooperation(True, [("RU-OMS", "KZ")], "visit", 0.9), ["trade"]),
        "k": FakePrediction(Cooperation(False), []),
    }
    report = evaluate(items, lambda title, text, lang: answers[text])
    assert report.by_lang["ru"].errors.level_errors == 1 and report.by_lang["ru"].parties.tp == 0
    assert report.by_lang["kk"].errors.missed_cooperation == 1
    assert report.errors.confusions() == [("agreement", "visit", 1)]
    assert report.by_lang["ru"].topics.recall == 0.5
    data = report.to_json()
    assert data["languages"]["kk"]["cooperation"]["fn"] == 1
    assert data["errors"]["event_confusion"] == [{"gold": "agreement", "predicted": "visit", "count": 1}]
    text = report.format()
    assert "kk   cooperation" in text and "agreement→visit 1" in text
    path = tmp_path / "two.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": i.id, "title": "Погода", "text": "Дождь.", "lang": i.lang, "cooperation": False})
            for i in items
        ),
        encoding="utf-8",
    )
    assert run_eval([path], None, as_json=True) == 0
    assert json.loads(capsys.readouterr().out)["languages"]["kk"]["items"] == 1
