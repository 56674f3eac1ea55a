"""Place mentions: Russian cases, English spellings, Kazakh endings, offsets, look-alike places."""

from __future__ import annotations

import pytest

from analysis.mentions import find_mentions


def codes(text: str) -> list[str]:
    return [m.code for m in find_mentions(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Делегация Вологодской области прибыла",
        "Гости посетили Вологодскую область",
        "Вологодская область открыта для партнёров",
        "вологжане приняли гостей",
        "Вологодчина заинтересована в поставках",
    ],
)
def test_russian_forms_of_vologda_oblast(text: str) -> None:
    assert codes(text) == ["RU-VLG"]


@pytest.mark.parametrize("text", ["Chuy region", "Chui Region", "Chüy oblast", "Чуйской области"])
def test_spellings_of_chuy(text: str) -> None:
    assert codes(text) == ["KG-C"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Алматы облысының әкімі", "KZ-19"),
        ("Омбыда өткен кездесу", "RU-OMS"),
        ("Ресейдің өңірлері", "RU"),
    ],
)
def test_kazakh_endings(text: str, code: str) -> None:
    assert codes(text)[0] == code


def test_offsets_point_at_the_surface() -> None:
    text = "В Бишкеке делегация Ленинградской области подписала соглашение"
    for m in find_mentions(text):
        assert text[m.start : m.end] == m.surface
    assert [(m.code, m.surface) for m in find_mentions(text)] == [
        ("KG-GB", "Бишкеке"),
        ("RU-LEN", "Ленинградской области"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Almaty hosted the forum", ["KZ-75"]),
        ("Alma-Ata hosted the forum", ["KZ-75"]),
        ("Almaty Region akimat", ["KZ-19"]),
        ("between the Vologda and Almaty regions", ["RU-VLG", "KZ-19"]),
        ("город Алматы", ["KZ-75"]),
        ("Алматинской области", ["KZ-19"]),
    ],
)
def test_almaty_city_is_not_almaty_region(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Санкт-Петербург и Ленинградская область", ["RU-SPE", "RU-LEN"]),
        ("в Петербурге", ["RU-SPE"]),
        ("Ленобласть", ["RU-LEN"]),
        ("делегация 47 региона", ["RU-LEN"]),
    ],
)
def test_saint_petersburg_is_not_leningrad_oblast(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_surnames_and_common_words_are_not_places() -> None:
    assert codes("Посол Даурен Абаев отметил рост поставок") == []


def test_ambiguous_name_needs_capital() -> None:
    assert codes("орёл летит над полем") == []
