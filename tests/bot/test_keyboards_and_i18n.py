"""Every keyboard the bot can show keeps callback data within 64 bytes; every msgid is translated."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from aiogram.types import InlineKeyboardMarkup
from babel.messages.pofile import read_po

from analysis.gazetteer import load_gazetteer
from analysis.topics import TOPIC_IDS
from bot.callbacks import CALLBACK_DATA_LIMIT, NewSubCb, PickCb
from bot.i18n import LOCALES_DIR, compile_catalogs, t
from bot.i18n_catalog import used_messages
from bot.keyboards import (
    COUNTRIES_PER_PAGE,
    FEDERAL_DISTRICTS,
    REGIONS_PER_PAGE,
    alert_buttons,
    country_list,
    country_regions,
    mode_question,
    ordered_countries,
    page_count,
    place_choice,
    search_pager,
    settings_choices,
    settings_menu,
    subscribe_menu,
    subscription_buttons,
    topic_list,
)
from storage.models import Subscription

LONGEST_REGION = "RU-YAN"


def _picker_states() -> Iterator[PickCb]:
    gaz = load_gazetteer()
    topic = max(TOPIC_IDS, key=len)
    for goal, first, tp in (("r", "", ""), ("p", "", ""), ("p", LONGEST_REGION, ""), ("x", "", topic)):
        for page in range(page_count(len(ordered_countries()), COUNTRIES_PER_PAGE)):
            yield PickCb(goal=goal, stage="cl", page=page, first=first, topic=tp)
        for country in gaz.countries():
            regions = gaz.regions_of(country.code)
            yield PickCb(goal=goal, stage="co", country=country.code, first=first, topic=tp)
            for district in FEDERAL_DISTRICTS:
                inside = [r for r in regions if r.district == district]
                for page in range(page_count(len(inside), REGIONS_PER_PAGE)):
                    yield PickCb(
                        goal=goal, stage="fd", country=country.code, district=district, page=page, first=first, topic=tp
                    )
            for page in range(page_count(len(regions), REGIONS_PER_PAGE)):
                yield PickCb(goal=goal, stage="co", country=country.code, page=page, first=first, topic=tp)


def _all_keyboards(lang: str) -> Iterator[InlineKeyboardMarkup]:
    gaz = load_gazetteer()
    yield subscribe_menu(lang)
    for state in _picker_states():
        yield country_list(lang, state) if state.stage == "cl" else country_regions(lang, state)
    for goal in ("t", "x"):
        yield topic_list(lang, goal)
    longest = max(TOPIC_IDS, key=len)
    yield mode_question(lang, NewSubCb(kind="pair", region=LONGEST_REGION, partner="KZ-75", topic=longest))
    yield place_choice(lang, gaz.places(), longest)
    subs = [Subscription(id=10**9 + i, kind="keyword", keyword="k", label="k", mode="instant") for i in range(250)]
    for page in range(page_count(len(subs), 8)):
        yield subscription_buttons(lang, subs, page)
    for page in range(50):
        markup = search_pager(2**31 - 1, page, 50)
        assert markup is not None
        yield markup
    yield settings_menu(lang)
    for view in ("tz", "dh", "qh", "main"):
        yield settings_choices(lang, view)
    yield alert_buttons(lang, 2**31 - 1)


def test_every_callback_fits_64_bytes_and_every_region_is_reachable() -> None:
    reachable: set[str] = set()
    count = 0
    for lang in ("ru", "en"):
        for markup in _all_keyboards(lang):
            for row in markup.inline_keyboard:
                assert len(row) <= 8
                for button in row:
                    data = button.callback_data or ""
                    count += 1
                    assert len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT, data
                    if data.startswith("ns:region:"):
                        reachable.add(NewSubCb.unpack(data).region)
    assert count > 1000
    gaz = load_gazetteer()
    assert {p.code for p in gaz.places()} <= reachable  # every place can be subscribed to by tapping


def test_every_msgid_has_ru_and_en_translations() -> None:
    catalogs = {}
    for lang in ("ru", "en"):
        with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalogs[lang] = read_po(handle, locale=lang)
    repo = Path(__file__).resolve().parents[2]
    # The CLI and the demo (app/, sandbox/demo_news.py) speak to the operator in the same two languages.
    used = used_messages((repo / "bot", repo / "app", repo / "sandbox", repo / "reports"))
    assert len(used) > 100
    assert any(m.where.startswith("demo_news.py") for m in used)
    for message in used:
        for lang, catalog in catalogs.items():
            entry = catalog.get(message.msgid)
            assert entry is not None, f"{message.where}: {message.msgid!r} missing in {lang}"
            strings = tuple(entry.string) if isinstance(entry.string, (tuple, list)) else (entry.string or "",)
            assert all(s.strip() for s in strings), f"{message.where}: empty {lang} translation of {message.msgid!r}"
            if message.plural:
                assert isinstance(entry.string, tuple) and len(entry.string) == (3 if lang == "ru" else 2)


def test_russian_plural_forms() -> None:
    forms = {
        n: t("You have {n} subscription.", "ru", plural="You have {n} subscriptions.", n=n)
        for n in (1, 2, 5, 11, 21, 22, 25, 111)
    }
    assert forms == {
        1: "У вас 1 подписка.",
        2: "У вас 2 подписки.",
        5: "У вас 5 подписок.",
        11: "У вас 11 подписок.",
        21: "У вас 21 подписка.",
        22: "У вас 22 подписки.",
        25: "У вас 25 подписок.",
        111: "У вас 111 подписок.",
    }


def test_stale_mo_is_recompiled(tmp_path: Path) -> None:
    shutil.copytree(LOCALES_DIR / "ru", tmp_path / "ru", ignore=shutil.ignore_patterns("*.mo"))
    target = compile_catalogs(tmp_path)
    mo = target / "ru" / "LC_MESSAGES" / "messages.mo"
    assert mo.is_file()
    po = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    os.utime(mo, (1, 1))
    compile_catalogs(tmp_path)
    assert mo.stat().st_mtime >= po.stat().st_mtime


# Language names are shown in their own language on purpose, whatever the reader's language is.
NATIVE_NAMES = frozenset({"🇷🇺 Русский", "🇬🇧 English"})


def test_no_user_visible_text_bypasses_the_catalogs() -> None:
    from bot.i18n_catalog import untranslated_texts

    repo = Path(__file__).resolve().parents[2]
    assert untranslated_texts((repo / "bot", repo / "app"), NATIVE_NAMES) == []


def test_the_bypass_check_catches_a_hard_coded_reply(tmp_path: Path) -> None:
    from bot.i18n_catalog import untranslated_texts

    module = tmp_path / "pkg" / "handler.py"
    module.parent.mkdir()
    module.write_text(
        "async def on_x(message, query, parser, n):\n"
        "    await message.answer(t('Fine', 'ru'))\n"
        "    await message.answer('Done, all sources polled')\n"
        "    await query.answer(f'{n} sources polled')\n"
        "    parser.add_argument('--once', help='poll once')\n"
        "    print(f'coopnews run: {n}')\n",
        encoding="utf-8",
    )
    found = untranslated_texts((module.parent,))
    assert sorted(line.split(": ", 1)[1] for line in found) == [
        "' sources polled'", "'Done, all sources polled'", "'poll once'"  # an f-string: its literal words
    ]


def test_catalogs_hold_no_merge_conflict_markers() -> None:
    # babel reads a .po with "<<<<<<<" lines without complaint and silently drops entries around them
    for po in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"):
        bad = [n for n, line in enumerate(po.read_text(encoding="utf-8").splitlines(), 1)
               if line.startswith(("<<<<<<< ", "=======", ">>>>>>> "))]
        assert bad == [], f"{po}: conflict markers on lines {bad}"
