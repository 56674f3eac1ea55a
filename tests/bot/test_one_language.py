"""One language throughout: English readers get English examples, /help lists every command, no "0 minutes ago"."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.routers.sources import _ago
from bot.routers.start import help_text, welcome_text
from storage.clock import utcnow

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def test_english_start_and_help_have_english_examples_and_russian_ones_russian() -> None:
    for text in (welcome_text("en", "Olga"), help_text("en")):
        assert not CYRILLIC.search(text), text
    assert "/subscribe Вологодская область" in help_text("ru")
    assert "/subscribe Vologda Oblast" in help_text("en")


def test_help_lists_every_user_command() -> None:
    for lang in ("ru", "en"):
        text = help_text(lang)
        for command in ("/subscribe", "/subscriptions", "/unsubscribe", "/search", "/latest", "/digest",
                        "/settings", "/timezone", "/sources"):
            assert command in text, (lang, command)


def test_a_source_read_a_moment_ago_was_read_just_now() -> None:
    assert _ago(utcnow() - timedelta(seconds=20), "ru") == "только что"
    assert _ago(utcnow() - timedelta(seconds=20), "en") == "just now"
    assert _ago(utcnow() - timedelta(minutes=5), "ru") == "5 минут назад"
