"""The report's files read back: the spreadsheet with openpyxl, the chart decoded and its bars checked."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.i18n import t
from reports.build import ReportFiles, build_files, make_report, report_rows
from reports.chart import COLOURS, draw
from reports.period import Period
from reports.scope import Scope
from storage import Database
from tests.reports.seed import Item, store

QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30), "Europe/Moscow")


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00").astimezone(UTC)


ITEMS = [
    Item(at("2026-07-02"), (("RU-VLG", "KZ-75"),), ("forestry", "education")),
    Item(at("2026-07-03"), (("RU-OMS", "KZ-19"),), ("agriculture",)),
    Item(at("2026-07-03"), (("RU-VLG", "KZ"),), ("forestry",), title='=HYPERLINK("http://evil","x")'),
    Item(at("2026-08-20"), (("RU-VLG", "KZ-75"), ("RU-VLG", "BY-MI")), ("forestry",), event="visit"),
    Item(at("2026-09-30", 22), (("RU-VLG", "KZ-75"),)),  # 01:00 on 1 October in Moscow: next quarter
    Item(at("2026-06-30", 20), (("RU-VLG", "KZ-75"),)),  # 23:00 on 30 June in Moscow: last quarter
    Item(at("2026-07-05"), (("RU-VLG", "KZ-75"),), cooperation=False),  # not cooperation news
    Item(at("2026-07-06"), (("RU-VLG", "BY-MI"),), ("education",)),  # another partner
]


@pytest.fixture
async def seeded(db: Database) -> Database:
    await store(db, ITEMS)
    return db


async def _files(db: Database, scope: Scope, lang: str = "ru") -> ReportFiles:
    async with db.read() as uow:
        rows = await report_rows(uow, scope, QUARTER)
    return build_files(rows, QUARTER, scope, lang, t)


async def test_spreadsheet_has_one_typed_row_per_item_and_a_counts_sheet(seeded: Database) -> None:
    files = await _files(seeded, Scope("country", "KZ"))
    book = load_workbook(io.BytesIO(files.xlsx or b""))
    items, counts = book.worksheets
    assert book.sheetnames == ["Материалы", "Итоги"]
    rows = list(items.iter_rows(values_only=True))
    assert rows[0] == ("Дата", "Источник", "Заголовок", "Стороны (коды)", "Стороны", "Тип события", "Темы",
                       "Кратко", "Ссылка")
    assert len(rows) == 1 + 4  # the four KZ cooperation items inside the quarter, by time
    first = rows[1]
    assert first[0] == datetime(2026, 7, 2, 15, 0)  # a real date, in Moscow time
    assert items["A2"].is_date and items["A2"].number_format == "DD.MM.YYYY HH:MM"
    assert first[1:4] == ("Правительство области", "Соглашение номер 0", "RU-VLG ↔ KZ-75")
    assert first[4] == "Вологодская область ↔ Алматы"
    assert first[5:7] == ("Подписано соглашение", "Лесное хозяйство и ЛПК; Образование")
    assert first[7] == "Кратко о соглашении 0." and first[8] == "http://127.0.0.1/rep-src/news/0"
    assert rows[3][2] == '=HYPERLINK("http://evil","x")' and items["C4"].data_type == "s"  # text, not a formula
    assert rows[4][3] == "RU-VLG ↔ BY-MI; RU-VLG ↔ KZ-75" and rows[4][5] == "Визит делегации"
    assert items.freeze_panes == "A2" and items.auto_filter.ref == "A1:I5"
    assert items.column_dimensions["C"].width == 60 and items.column_dimensions["H"].width == 80
    totals = list(counts.iter_rows(values_only=True))
    assert totals[0] == ("Код", "Партнёр", "Количество", None, "Код", "Тема", "Количество")
    # A Kazakhstan report groups by the Russian side; topics once per item
    partners = [r[:3] for r in totals[1:] if r[0]]
    assert partners == [("RU-VLG", "Вологодская область", 3), ("RU-OMS", "Омская область", 1)]
    assert [r[4:] for r in totals[1:] if r[4]] == [
        ("forestry", "Лесное хозяйство и ЛПК", 3), ("education", "Образование", 1),
        ("agriculture", "Сельское хозяйство и АПК", 1),
    ]
    assert counts.freeze_panes == "A2"


async def test_chart_is_a_wide_png_with_the_series_of_the_data(seeded: Database) -> None:
    files = await _files(seeded, Scope("region", "RU-VLG"), "en")
    image = Image.open(io.BytesIO(files.png or b""))
    assert image.format == "PNG" and image.size[0] >= 1000 and image.size[1] >= 1000
    pixels = image.convert("RGB")
    colours = pixels.getcolors(maxcolors=1 << 20) or []
    not_white = sum(n for n, rgb in colours if rgb != (255, 255, 255))
    assert not_white > 0.02 * image.size[0] * image.size[1]  # bars and text, not a blank canvas
    first_series = tuple(int(COLOURS[0][i : i + 2], 16) for i in (1, 3, 5))
    assert any(rgb == first_series for _n, rgb in colours)
    data = files.data
    assert data.total == 4 and data.bucket_days == 7  # a quarter is drawn in weeks
    figure = draw(data, "en", t)
    partners_ax, topics_ax = figure.axes[:2]
    drawn = {}
    for bar in partners_ax.patches:
        drawn.setdefault(bar.get_gid(), []).append(bar.get_height())
    # From the items: KZ in the week of 29 June (2 items) and of 17 August; BY in the weeks of 6 July and 17 August
    week = {b: i for i, b in enumerate(data.buckets)}
    expected_kz = [0.0] * len(data.buckets)
    expected_kz[week[date(2026, 6, 29)]] = 2
    expected_kz[week[date(2026, 8, 17)]] = 1
    expected_by = [0.0] * len(data.buckets)
    expected_by[week[date(2026, 7, 6)]] = 1
    expected_by[week[date(2026, 8, 17)]] = 1
    assert drawn == {"partner:KZ": expected_kz, "partner:BY": expected_by}
    legend = [text.get_text() for text in partners_ax.get_legend().get_texts()]
    assert legend == ["Kazakhstan", "Belarus"]
    topic_totals: dict[str, float] = {}
    for bar in topics_ax.patches:
        topic_totals[bar.get_gid()] = topic_totals.get(bar.get_gid(), 0) + bar.get_height()
    assert topic_totals == {"topic:forestry": 3, "topic:education": 2}
    heading = figure.texts[0].get_text()
    assert "RU-VLG" not in heading and "Vologda Oblast: 4 cooperation items" in heading


def test_the_font_has_cyrillic_and_kazakh_letters() -> None:
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"), fallback_to_default=False)
    cmap = TTFont(path).getBestCmap()
    assert all(ord(ch) in cmap for ch in "ЖжЩщЁё" + "ӘәҒғҚқҢңӨөҰұҮүҺһІі")


async def test_an_empty_period_makes_no_files(seeded: Database) -> None:
    files = await _files(seeded, Scope("country", "CN"))
    assert files.empty and files.png is None and files.xlsx is None


async def test_my_subscriptions_follow_the_alert_rules(seeded: Database) -> None:
    async with seeded.write() as uow:
        await uow.users.register(5, 5, "Анна", "ru", "Europe/Moscow")
        await uow.subscriptions.add(5, "pair", region="RU-OMS", partner="KZ")
        await uow.subscriptions.add(5, "region", region="BY", topic="education")  # Belarus AND education
        await uow.subscriptions.add(5, "keyword", keyword="соглашение")  # words: not part of a report
        await uow.commit()
    files = await _files(seeded, Scope("subscriptions", user_id=5))
    titles = [row.title for row in files.data.rows]
    assert titles == ["Соглашение номер 1", "Соглашение номер 7"]


async def test_spreadsheet_text_loses_control_characters_and_keeps_the_rest(db: Database) -> None:
    await store(db, [
        Item(at("2026-07-02"), (("RU-VLG", "KZ-75"),), title="Визит\u200b в Алматы\x07 & <форум>  "),
        Item(at("2026-07-03"), (("RU-OMS", "KZ-19"),), title=" Отступ слева"),
    ])
    files = await _files(db, Scope("country", "KZ"))
    items = load_workbook(io.BytesIO(files.xlsx or b"")).worksheets[0]
    assert items["C2"].value == "Визит  в Алматы  & <форум>  "  # zero-width mark and bell become spaces
    assert items["C3"].value == " Отступ слева"
    assert items.auto_filter.ref == "A1:I3"


async def test_make_report_builds_only_the_files_asked_for(seeded: Database) -> None:
    sheet_only = await make_report(seeded, Scope("country", "KZ"), QUARTER, "ru", t, png=False)
    assert sheet_only.png is None and sheet_only.data.total == 4
    assert load_workbook(io.BytesIO(sheet_only.xlsx or b"")).worksheets[0].max_row == 1 + 4
    chart_only = await make_report(seeded, Scope("country", "KZ"), QUARTER, "ru", t, xlsx=False)
    assert chart_only.xlsx is None and (chart_only.png or b"").startswith(b"\x89PNG")
