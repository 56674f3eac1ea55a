"""The `coopnews` command's own behaviour: eval, search, clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import REPO_ROOT

DEVSET = REPO_ROOT / "tests" / "data" / "devset.jsonl"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("BOT_TOKEN", raising=False)


def test_eval_prints_scores_for_the_dev_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(DEVSET)]) == 0
    out = capsys.readouterr().out
    for metric in ("cooperation", "party pairs", "topics"):
        assert metric in out
    assert "items: 96" in out


def test_eval_rejects_unreadable_or_malformed_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "ok"}\nnot json at all\n', encoding="utf-8")
    assert main(["eval", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "missing.jsonl" in err and "bad.jsonl:2" in err


def test_search_on_an_empty_database_says_nothing_found_in_the_operators_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--", "меморандум", '"NEAR(', "-*"]) == 0
    assert "ничего не найдено" in capsys.readouterr().out  # Russian by default
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    assert main(["search", "меморандум"]) == 0
    assert "nothing found" in capsys.readouterr().out


def test_search_says_more_than_when_the_total_is_capped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import asyncio

    from storage import Database
    from storage.repositories import NewArticle
    from storage.repositories.sources import SourceSpec
    from storage.search import common

    async def fill() -> None:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
        try:
            await db.upgrade()
            async with db.write() as uow:
                await uow.sources.sync([SourceSpec("s", "S", "https://s.example/")])
                for i in range(6):
                    await uow.articles.add(NewArticle(source_id="s", url=f"https://s.example/{i}",
                                                      title=f"Меморандум {i}", body="Текст."))
                await uow.commit()
        finally:
            await db.dispose()

    asyncio.run(fill())
    monkeypatch.setattr(common, "TOTAL_CAP", 4)
    monkeypatch.setattr(common, "RANK_WINDOW", 2)
    assert main(["search", "--limit", "2", "меморандум"]) == 0
    assert "найдено более 4 по запросу 'меморандум'; показано 2:" in capsys.readouterr().out
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    assert main(["search", "--limit", "2", "меморандум"]) == 0
    assert "more than 4 found for 'меморандум'; showing 2:" in capsys.readouterr().out
    monkeypatch.setattr(common, "TOTAL_CAP", 6)
    assert main(["search", "--limit", "2", "меморандум"]) == 0
    out = capsys.readouterr().out
    assert "6 found for 'меморандум'; showing 2:" in out and "more than" not in out  # exactly the cap: exact


def test_unknown_source_for_scrape_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scrape", "--once", "--source", "no-such-source"]) == 2
    assert "no-such-source" in capsys.readouterr().err


def test_help_speaks_the_operators_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DEFAULT_LANGUAGE", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    ru = capsys.readouterr().out
    assert "использование: coopnews" in ru and "показать эту справку" in ru and "демо без сети" in ru
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    with pytest.raises(SystemExit):
        main(["scrape", "--help"])
    en = capsys.readouterr().out
    assert "usage: coopnews scrape" in en and "poll every source once" in en
    with pytest.raises(SystemExit) as bad:
        main(["frobnicate"])
    assert bad.value.code == 2 and "invalid choice" in capsys.readouterr().err
