"""Formatting: escaping, safe splitting and truncation, cards, party lines, tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.formatting import (
    article_card,
    escape,
    event_label,
    party_line,
    split_blocks,
    topic_tags,
    truncate_html,
    visible_length,
)

TAG = re.compile(r"</?([a-z-]+)[^>]*>")


def balanced(html: str) -> bool:
    stack: list[str] = []
    for match in TAG.finditer(html):
        name = match.group(1)
        if match.group(0).startswith("</"):
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack and html.count("<") == len(TAG.findall(html))


@dataclass
class FakeArticle:
    id: int = 1
    title: str = "Вологда & Алматы: <подписан> меморандум"
    url: str = 'http://127.0.0.1/a?x=1&y="2"'
    summary: str = "Стороны договорились о поставках леса."
    source_id: str = "src"
    published_at: datetime | None = datetime(2025, 3, 12, 9, 5, tzinfo=UTC)
    fetched_at: datetime = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)


def test_escape_covers_html_specials() -> None:
    assert escape('<b>&"') == '&lt;b&gt;&amp;"'


def test_split_never_breaks_a_block_and_respects_the_limit() -> None:
    blocks = [f"<b>Заголовок {i}</b>\n" + "слово " * 60 for i in range(100)]
    messages = split_blocks(blocks, limit=1000)
    assert len(messages) > 1
    assert all(visible_length(m) <= 1000 for m in messages)
    assert sum(m.count("<b>Заголовок") for m in messages) == 100
    assert all(balanced(m) for m in messages)


def test_overlong_block_is_cut_at_a_word_with_tags_closed() -> None:
    block = "<b>" + "длинное слово &amp; ещё " * 500 + "</b>"
    [message] = split_blocks([block], limit=300)
    assert visible_length(message) <= 300
    assert message.endswith("…</b>") and balanced(message)
    assert "&amp" not in message.rsplit("&amp;", 1)[-1]  # never cut inside an entity
    assert not message[:-5].endswith(" ")


def test_truncation_inside_a_link_closes_it() -> None:
    cut = truncate_html('<a href="http://x">' + "ab " * 100 + "</a> tail", 20)
    assert cut.endswith("…</a>") and balanced(cut) and visible_length(cut) <= 20


def test_emoji_count_as_telegram_counts_them() -> None:
    messages = split_blocks(["😀" * 3000], limit=4096)
    assert visible_length(messages[0]) <= 4096


def test_article_card_escapes_and_localises() -> None:
    card = article_card(FakeArticle(), "ru", "Asia/Almaty", source_name="Акимат <Алматы>")
    assert "<b>Вологда &amp; Алматы: &lt;подписан&gt; меморандум</b>" in card
    assert "Акимат &lt;Алматы&gt; · 12.03.2025 14:05" in card
    assert 'href="http://127.0.0.1/a?x=1&amp;y=&quot;2&quot;"' in card
    assert "Читать статью" in card and balanced(card)
    assert "Стороны" not in article_card(FakeArticle(), "en", "UTC", with_summary=False)


def test_party_line_event_and_tags() -> None:
    assert party_line([("RU-VLG", "KZ-19")], "ru") == "🇷🇺 Вологодская область ↔ 🇰🇿 Алматинская область"
    assert party_line([("RU-VLG", "KZ")], "en") == "🇷🇺 Vologda Oblast ↔ 🇰🇿 Kazakhstan"
    assert event_label("agreement", "ru") == "Подписано соглашение"
    assert event_label(None, "en") == "Cooperation"
    assert topic_tags(["forestry", "trade"], "ru") == "#лес #торговля"
    assert topic_tags(["agriculture", "forestry"], "en") == "#agriculture #forestry"


def test_every_topic_has_a_one_word_tag_in_both_languages() -> None:
    from analysis.topics import TOPIC_IDS

    for lang in ("ru", "en"):
        tags = [topic_tags([tid], lang) for tid in TOPIC_IDS]
        assert all(tag.startswith("#") and " " not in tag and len(tag) > 3 for tag in tags), tags
        assert len(set(tags)) == len(tags)  # no two topics share a tag
    assert topic_tags(["agriculture"], "ru") == "#сельхоз"  # not "#сельское"


@pytest.mark.parametrize(
    ("event", "title", "ru", "en"),
    [
        ("agreement", "Омская и Павлодарская области подписали меморандум о сотрудничестве", "Подписан меморандум",
         "Memorandum signed"),
        ("agreement", "Vologda Oblast and Kostanay Region sign a cooperation agreement", "Подписано соглашение",
         "Agreement signed"),
        ("forum", "Татарстан представил экспозицию на выставке в Бишкеке", "Выставка или ярмарка",
         "Exhibition or fair"),
        ("forum", "Форум межрегионального сотрудничества России и Казахстана", "Форум", "Forum"),
        ("meeting", "Губернатор провёл переговоры с послом Узбекистана", "Переговоры", "Talks"),
        ("visit", "Делегация Алтайского края прибыла в Монголию", "Визит делегации", "Delegation visit"),
    ],
)
def test_event_labels_match_the_event(event: str, title: str, ru: str, en: str) -> None:
    assert event_label(event, "ru", title) == ru
    assert event_label(event, "en", title) == en
