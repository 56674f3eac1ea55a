"""Topics, summary, language, main-text cleaning and lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.clean import main_text
from analysis.language import detect_language
from analysis.lemmas import lemmatize_text, tokens
from analysis.summary import summarize
from analysis.topics import TOPIC_IDS, detect_topics, resolve_topic, topic_name

FOREST_TEXT = (
    "Вологодские лесопромышленники увеличили поставки пиломатериалов в Казахстан. Деревообрабатывающие "
    "предприятия отгрузили более 40 тысяч кубометров древесины. Экспорт продукции ЛПК вырос на треть."
)


def test_topics_ranked_and_from_vocabulary() -> None:
    found = detect_topics("Вологодский лес едет в Казахстан", FOREST_TEXT)
    assert found[0] == "forestry"
    assert "trade" in found
    assert set(found) <= set(TOPIC_IDS)


def test_topics_of_text_without_cues_are_empty() -> None:
    assert detect_topics("Погода", "Завтра ожидается облачная погода без осадков.") == []


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("лес", "forestry"),
        ("лесопромышленный комплекс", "forestry"),
        ("forestry", "forestry"),
        ("образование", "education"),
        ("Туризм", "tourism"),
        ("абракадабра", None),
    ],
)
def test_resolve_topic(query: str, topic: str | None) -> None:
    assert resolve_topic(query) == topic


def test_topic_names() -> None:
    assert topic_name("forestry", "en").startswith("Forestry")
    assert topic_name("education", "ru") == "Образование"
    assert topic_name("education", "kk") == "Образование"


def test_summary_is_short_and_free_of_clutter(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        page = path.read_text(encoding="utf-8")
        summary = summarize(main_text(page), detect_language(page))
        assert 0 < len(summary) <= 400, path.name
        for clutter in ("Array", "Читайте", "Рекомендуем", "Read also", "Storm alert", "Комментари", "Возврат"):
            assert clutter not in summary, (path.name, clutter)


def test_summary_respects_max_chars() -> None:
    text = " ".join(f"Предложение номер {i} рассказывает о сотрудничестве регионов." for i in range(30))
    assert len(summarize(text, "ru", max_chars=120)) <= 120
    assert summarize("", "ru") == ""


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Губернатор Вологодской области встретился с делегацией.", "ru"),
        ("The delegation of Saint Petersburg arrived in Almaty.", "en"),
        ("Алматы облысының делегациясы Санкт-Петербордағы университеттерге барды және кездесті.", "kk"),
        ("", "ru"),
        ("12345 !!!", "ru"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_main_text_drops_clutter() -> None:
    page = (
        "Главная Новости Регион\nArray ( [0] => Array ( [TEXT] => Все новости ) )\nПн\nВт\n12\n13\n"
        "Делегация Вологодской области посетила Алматы и подписала соглашение о сотрудничестве в сфере туризма.\n"
        "Стороны договорились о новых встречах и обмене делегациями уже в следующем году.\n"
        "Новости органов власти, Международные отношения, Общество\n"
        "Читайте также:\nШторм в Казахстане.\nВозврат к списку"
    )
    body = main_text(page)
    assert body.startswith("Делегация Вологодской области")
    for clutter in ("Array", "Пн", "Шторм", "Возврат", "Международные отношения"):
        assert clutter not in body


def test_lemmas_deterministic_and_lowercase() -> None:
    assert lemmatize_text("Вологодской области") == "вологодский область"
    assert lemmatize_text("Вологодская область") == lemmatize_text("вологодскую область")
    assert lemmatize_text("Alma-Ata Chüy") == "alma ata chuy"
    assert [(t.text, t.start, t.end) for t in tokens("ЛО, 47 регион")] == [
        ("ЛО", 0, 2),
        ("47", 4, 6),
        ("регион", 7, 13),
    ]


def test_the_pronoun_it_is_not_information_technology() -> None:
    from analysis.topics import detect_topics

    text = "It was agreed to expand grain supplies. It will help farmers, and it will cut prices for it all."
    assert "science" not in detect_topics("Grain supplies grow", text)


def test_a_topic_named_outright_once_is_a_topic_but_a_passing_word_is_not() -> None:
    from analysis.topics import detect_topics

    text = (
        "Делегация Омской области провела переговоры в Павлодаре о поставках зерна и муки. "
        "Стороны обсудили поставки зерна нового урожая. Отдельно губернатор говорил об инвестициях."
    )
    title = "Омская область наращивает поставки зерна"
    assert "investment" in detect_topics(title, text)
    assert "investment" not in detect_topics(title, text.replace("об инвестициях", "о ценах"))
