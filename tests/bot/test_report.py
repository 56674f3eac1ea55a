"""/report end to end: taps or typed text, a real database, the fake Bot API receiving multipart uploads."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from PIL import Image

from reports.period import named_period
from sandbox.fake_api import FakeTelegram
from storage import Database
from tests.bot.conftest import ask, button_data, run_bot, tap
from tests.reports.seed import Item, store

MOSCOW = ZoneInfo("Europe/Moscow")


def _last_month_noon(day: int) -> datetime:
    period = named_period("month", datetime.now(MOSCOW).date(), "Europe/Moscow")
    return datetime.combine(period.first + timedelta(days=day), time(12), tzinfo=MOSCOW).astimezone(UTC)


async def test_tapped_report_arrives_as_photo_and_spreadsheet(tg: FakeTelegram, db: Database) -> None:
    await store(db, [
        Item(_last_month_noon(1), (("RU-VLG", "KZ-75"),), ("forestry",)),
        Item(_last_month_noon(2), (("RU-OMS", "KZ"),), ("education",)),
        Item(_last_month_noon(3), (("RU-VLG", "BY-MI"),), ("forestry",)),  # not followed by this user
    ])
    user = tg.user(610, "Анна")
    async with run_bot(tg, db):
        await ask(user, "/subscribe Казахстан")
        menu = await ask(user, "/report")
        assert "За какой период?" in menu.text
        scopes = await tap(user, menu, button_data(menu, "Прошлый месяц"))
        assert "по чему?" in scopes.text
        assert any(label == "🇰🇿 Казахстан" or label == "Казахстан" for label, _ in scopes.buttons)
        await tap(user, scopes, label="⭐ Мои подписки")
        await user.wait_until(lambda: len(tg.files) >= 2, timeout=30)
    photo, document = tg.files[-2:]
    assert (photo.kind, document.kind) == ("photo", "document")
    assert photo.content is not None and document.content is not None
    assert Image.open(io.BytesIO(photo.content)).size[0] >= 1000
    assert photo.caption is not None and "Мои подписки" in photo.caption and "2 материала" in photo.caption
    assert document.file_name is not None and document.file_name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(document.content)).worksheets[0]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Соглашение номер 0", "Соглашение номер 1"]
    assert not tg.rejections


async def test_typed_report_picker_and_empty_period(tg: FakeTelegram, db: Database) -> None:
    await store(db, [Item(datetime(2026, 3, 10, 9, tzinfo=UTC), (("RU-VLG", "KZ-75"),), ("forestry",))])
    user = tg.user(611, "Ann", language_code="en")
    async with run_bot(tg, db):
        empty = await ask(user, "/report 2026-01-01..2026-01-31 Kazakhstan")
        assert "nothing in this period" in empty.text and not tg.files
        wrong = await ask(user, "/report month Atlantis")
        assert "Atlantis" in wrong.text and "Examples" in wrong.text
        bad = await ask(user, "/report 2026-03-01..2026-02-01")
        assert "ends before it begins" in bad.text
        user.send("/report 2026-03-01..2026-03-31 Vologda Oblast — Almaty")
        photo, document = await user.wait_for(2, timeout=30)
        assert (photo.kind, document.kind) == ("photo", "document")
        assert "Vologda Oblast ↔ Almaty" in (tg.files[0].caption or "")
        # the picker: a country with regions, then the whole of it
        menu = await ask(user, "/report")
        custom = await tap(user, menu, label="📅 Other dates…")
        assert "/report 2026-01-01..2026-03-31" in custom.text
        menu = await ask(user, "/report")
        scopes = await tap(user, menu, button_data(menu, "Last month"))
        countries = await tap(user, scopes, label="📍 A region or country…")
        kazakhstan = await tap(user, countries, label="🇰🇿 Kazakhstan")
        assert any(label.startswith("🇰🇿 All of Kazakhstan") for label, _ in kazakhstan.buttons)
        await tap(user, kazakhstan, label="🇰🇿 All of Kazakhstan")
        await user.wait_until(lambda: any("nothing in this period" in m.text for m in user.messages()), timeout=30)
    assert not tg.rejections
