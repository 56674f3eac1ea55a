"""The gazetteer: codes, countries, regions and free-text resolution."""

from __future__ import annotations

import pytest

from analysis.gazetteer import load_gazetteer


def test_places_and_countries() -> None:
    gaz = load_gazetteer()
    vologda = gaz.get("RU-VLG")
    assert vologda is not None and vologda.country == "RU" and vologda.name("en").startswith("Vologda")
    assert vologda.name("xx") == vologda.name("ru")
    assert gaz.get("NOPE") is None
    assert {"RU", "KZ", "KG", "UZ", "CN"} <= {p.code for p in gaz.countries()}
    regions = gaz.regions_of("KZ")
    assert [p.name("ru") for p in regions] == sorted(p.name("ru") for p in regions)
    assert {"KZ-19", "KZ-75"} <= {p.code for p in regions}
    assert len(gaz.regions_of("RU")) >= 80


def test_covers() -> None:
    gaz = load_gazetteer()
    assert gaz.covers("KZ", "KZ-19")
    assert gaz.covers("KZ-19", "KZ-19")
    assert not gaz.covers("KZ-19", "KZ")
    assert not gaz.covers("RU", "KZ-19")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Вологодская область", "RU-VLG"),
        ("вологодской области", "RU-VLG"),
        ("Vologda", "RU-VLG"),
        ("Казахстан", "KZ"),
        ("Almaty region", "KZ-19"),
        ("Алматы", "KZ-75"),
        ("Вологодска", "RU-VLG"),
    ],
)
def test_resolve(query: str, first: str) -> None:
    assert load_gazetteer().resolve(query)[0].code == first


def test_resolve_ambiguous_almaty_gives_both_city_first() -> None:
    assert [p.code for p in load_gazetteer().resolve("Алматы")][:2] == ["KZ-75", "KZ-19"]


def test_resolve_nothing() -> None:
    assert load_gazetteer().resolve("") == []
    assert load_gazetteer().resolve("qqqzzzxx") == []
