"""`coopnews run --role …`: what each role starts, SQLite's refusal, the one long-polling bot on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.cli import _parser, main
from app.config_errors import EXIT_CONFIG
from app.runner import App, RoleNeedsPostgres
from sandbox.fake_api import FakeTelegram
from scrapers.sources import SourceConfig
from storage import locks
from tests.e2e.conftest import e2e_settings

SOURCES = [SourceConfig(id="site-0", name="Site 0", url="http://127.0.0.1:9/news/")]


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(per_chat_rate=None) as fake:
        yield fake


def test_role_is_a_choice_of_four_and_defaults_to_all() -> None:
    assert _parser("en").parse_args(["run"]).role == "all"
    assert _parser("en").parse_args(["run", "--role", "scraper"]).role == "scraper"
    with pytest.raises(SystemExit) as bad:
        _parser("en").parse_args(["run", "--role", "everything"])
    assert bad.value.code == 2


@pytest.mark.parametrize(("lang", "words"), [("en", "a single role needs PostgreSQL"),
                                             ("ru", "отдельная роль требует PostgreSQL")])
def test_role_help_in_both_languages(lang: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parser(lang).parse_args(["run", "--help"])
    assert words in " ".join(capsys.readouterr().out.split())


def test_a_single_role_on_sqlite_is_refused_before_telegram_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:9")  # nothing listens: must not be reached
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'one.sqlite3'}")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    assert main(["run", "--role", "sender"]) == EXIT_CONFIG
    err = capsys.readouterr().err
    assert "--role sender needs PostgreSQL" in err and "--role all" in err
    assert "Traceback" not in err


async def test_sqlite_app_refuses_a_role_and_keeps_the_instance_lock(tg: FakeTelegram, tmp_path: Path) -> None:
    settings = e2e_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'one.sqlite3'}")
    app = App(settings, SOURCES, poll_bot=False, role="scraper")
    with pytest.raises(RoleNeedsPostgres):
        await app.start()
    await app.stop()
    whole = App(settings, SOURCES, poll_bot=False)
    assert whole.lock_name() == locks.LOCK_NAME
    await whole.db.dispose()
    await whole.bot.session.close()


async def _started(app: App) -> App:
    await app.start()
    return app


async def test_each_role_starts_only_its_part_on_postgresql(tg: FakeTelegram, postgres_db_url: str) -> None:
    settings = e2e_settings(tg, postgres_db_url)
    apps = [App(settings, SOURCES, poll_bot=False, role=role) for role in ("sender", "scraper", "bot")]
    try:
        sender, scraper, bot = [await _started(app) for app in apps]
        assert {task.get_name() for task in sender._tasks} == {"sender"}
        # every role beats (the health check reads the scheduler's life from it); a sender has no other job
        assert {job.id for job in sender.scheduler.scheduler.get_jobs()} == {"heartbeat"}
        assert "sender" not in {task.get_name() for task in scraper._tasks}
        jobs = {job.id for job in scraper.scheduler.scheduler.get_jobs()}
        assert {"poll:site-0", "digests", "weekly summaries", "surges"} <= jobs
        assert bot._tasks == []  # polling is off in this test
        # the bot follows source changes (/sources answers from them) but polls nothing
        assert {job.id for job in bot.scheduler.scheduler.get_jobs()} == {"heartbeat", "sources"}
        assert all(app.lock is None for app in apps)  # no instance lock: leases and claims coordinate
        assert scraper.leases is not None and sender.shared_rate is not None
    finally:
        for app in apps:
            await app.stop()


async def test_only_one_long_polling_bot_per_database_on_postgresql(tg: FakeTelegram, postgres_db_url: str) -> None:
    settings = e2e_settings(tg, postgres_db_url)
    first = App(settings, SOURCES, role="bot")
    second = App(settings, SOURCES, role="all")
    second.owner = locks.owner_name(os.getppid())  # as if another live process on this host: ours is its parent
    sender = App(settings, SOURCES, role="sender")  # a sender beside them takes no lock
    try:
        await first.start()
        await tg.wait_for_poller(timeout=10)
        assert first.lock == locks.POLLING_LOCK
        with pytest.raises(locks.AlreadyRunning):
            await second.start()
        await sender.start()
        assert sender.lock is None
    finally:
        for app in (sender, second, first):
            await app.stop()
