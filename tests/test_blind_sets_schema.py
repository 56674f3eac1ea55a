"""Schema of the blind held-out sets of issue 12 (tests/data/heldout_*.jsonl).

Checks only each file's shape and label vocabulary; it never runs the detector, so a set that is still
blind stays unseen by anything that is tuned.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = REPO_ROOT / "tests" / "data"
# file -> (id pattern, minimum items, minimum kk, minimum en, minimum positives, minimum negatives)
BLIND_SETS = {
    "heldout_real_style.jsonl": (r"hr-(pos|neg)-\d{3}", 72, 22, 15, 40, 30),
    "heldout_long.jsonl": (r"h[lk]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
    "heldout_final.jsonl": (r"h[fq]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
    "heldout_v4.jsonl": (r"h[vw]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
    "heldout_v5.jsonl": (r"h[xy]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
    "heldout_v6.jsonl": (r"h[st]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
    "heldout_v7.jsonl": (r"h[ab]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
    "heldout_v8.jsonl": (r"h[cd]-(pos|neg)-\d{3}", 120, 40, 25, 60, 50),
}
GAZETTEER = REPO_ROOT / "analysis" / "data" / "gazetteer"

KEYS = {"id", "title", "text", "lang", "cooperation", "parties", "event", "topics", "note"}
EVENTS = {"visit", "agreement", "meeting", "forum", "trade", "other"}
# The topic vocabulary listed in tests/data/README.md (devset.jsonl schema).
TOPICS = {
    "trade", "industry", "forestry", "agriculture", "energy", "transport", "education", "science",
    "healthcare", "culture", "tourism", "sport", "youth", "ecology", "investment", "humanitarian",
}


def region_codes() -> set[str]:
    """ISO 3166-2 codes of the gazetteer's region files (the country file holds ISO 3166-1 codes)."""
    codes = set()
    for path in GAZETTEER.glob("*.json"):
        if path.name != "countries.json":
            codes.update(entry["code"] for entry in json.loads(path.read_text(encoding="utf-8")))
    return codes


@pytest.fixture(scope="module", params=sorted(BLIND_SETS))
def blind_set(request: pytest.FixtureRequest) -> tuple[str, list[dict]]:
    lines = (DATA / request.param).read_text(encoding="utf-8").splitlines()
    return request.param, [json.loads(line) for line in lines if line.strip()]


@pytest.fixture
def items(blind_set: tuple[str, list[dict]]) -> list[dict]:
    return blind_set[1]


def test_every_item_has_the_schema_keys_and_a_consistent_label(blind_set: tuple[str, list[dict]]) -> None:
    name, items = blind_set
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert set(item) == KEYS, item["id"]
        assert re.fullmatch(BLIND_SETS[name][0], item["id"])
        assert item["lang"] in {"ru", "en", "kk"}
        assert ("-pos-" in item["id"]) == item["cooperation"], item["id"]
        assert set(item["topics"]) <= TOPICS, item["id"]
        assert "\n\n" in item["text"] and item["note"], item["id"]
        if item["cooperation"]:
            assert item["parties"] and item["event"] in EVENTS, item["id"]
        else:
            assert item["parties"] == [] and item["event"] is None, item["id"]


def test_sides_are_known_codes_with_the_russian_region_first(items: list[dict]) -> None:
    known = region_codes()
    for item in items:
        for russian, partner in item["parties"]:
            assert russian.startswith("RU-") and russian in known, item["id"]
            is_country = re.fullmatch(r"[A-Z]{2}", partner) is not None
            assert partner != "RU" and not partner.startswith("RU-"), item["id"]
            assert is_country or partner in known, (item["id"], partner)


def test_the_set_has_the_size_and_mix_the_issue_asks_for(blind_set: tuple[str, list[dict]]) -> None:
    name, items = blind_set
    _, size, kk, en, positive, negative = BLIND_SETS[name]
    by_lang = Counter(item["lang"] for item in items)
    positives = sum(item["cooperation"] for item in items)
    assert len(items) >= size and by_lang["kk"] >= kk and by_lang["en"] >= en
    assert positives >= positive and len(items) - positives >= negative
