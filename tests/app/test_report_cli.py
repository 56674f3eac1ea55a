"""`coopnews report`: files written for a scope and a period, clear errors, an empty period said in words."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from app.cli import _parser, main
from storage import Database
from tests.reports.seed import Item, store


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.delenv("DEFAULT_LANGUAGE", raising=False)

    async def seed() -> None:
        db = Database(url)
        await db.upgrade()
        await store(db, [
            Item(datetime(2026, 8, 3, 9, tzinfo=UTC), (("RU-VLG", "KZ-75"),), ("forestry",)),
            Item(datetime(2026, 8, 4, 9, tzinfo=UTC), (("RU-OMS", "KZ-19"),), ("agriculture",)),
            Item(datetime(2026, 8, 5, 9, tzinfo=UTC), (("RU-VLG", "BY-MI"),), ("forestry",)),
        ])
        await db.dispose()

    asyncio.run(seed())
    return url


def test_report_writes_both_files(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, png = tmp_path / "q3.xlsx", tmp_path / "q3.png"
    args = ["report", "--period", "2026-07-01..2026-09-30", "--scope", "pair:RU-VLG-KZ", "--xlsx", str(xlsx)]
    assert main([*args, "--png", str(png)]) == 0
    out = capsys.readouterr().out
    assert "1 материал о сотрудничестве" in out and str(xlsx) in out
    rows = list(load_workbook(xlsx).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["RU-VLG ↔ KZ-75"]
    assert Image.open(io.BytesIO(png.read_bytes())).size[0] >= 1000
    assert main(["report", "--period", "2026-07-01..2026-09-30", "--scope", "country:KZ", "--xlsx", str(xlsx)]) == 0
    assert len(list(load_workbook(xlsx).worksheets[0].iter_rows(min_row=2))) == 2


def test_report_errors_and_empty_periods_are_clear(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "x.xlsx"
    assert main(["report", "--period", "2026-01-01..2026-01-31", "--scope", "country:KZ", "--xlsx", str(out_file)]) == 0
    assert "ничего нет" in capsys.readouterr().out and not out_file.exists()
    assert main(["report", "--scope", "planet:Mars", "--xlsx", str(out_file)]) == 2
    assert "planet:Mars" in capsys.readouterr().err
    assert main(["report", "--period", "fortnight", "--scope", "country:KZ", "--xlsx", str(out_file)]) == 2
    assert "fortnight" in capsys.readouterr().err
    assert main(["report", "--scope", "country:KZ"]) == 2
    assert "--xlsx" in capsys.readouterr().err
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    assert main(["report", "--period", "2026-01-01..2026-01-31", "--scope", "region:RU-VLG", "--png", "p.png"]) == 0
    assert "nothing in this period" in capsys.readouterr().out


def test_report_help_is_in_the_operators_language() -> None:
    assert "таблица" in _parser("ru").format_help()
    assert "spreadsheet" in _parser("en").format_help()
