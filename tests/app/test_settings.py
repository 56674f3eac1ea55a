"""Settings: environment parsing, defaults, and one clear line for each bad value."""

from __future__ import annotations

import pytest

from app.cli import main
from app.settings import TELEGRAM_DEFAULT_API, SettingsError, load_settings

ALL_VARS = [
    "BOT_TOKEN", "TELEGRAM_API_URL", "DATABASE_URL", "SOURCES_FILE", "ADMIN_IDS",
    "DEFAULT_TIMEZONE", "LOG_LEVEL", "LOG_FORMAT", "BACKFILL_HOURS", "MIN_POLL_INTERVAL",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the checkout


def test_defaults_need_no_configuration() -> None:
    s = load_settings()
    assert s.bot_token is None
    assert s.telegram_api_url == TELEGRAM_DEFAULT_API
    assert s.database_url.startswith("sqlite+aiosqlite:///") and "data/" in s.database_url
    assert s.sources_file.name == "sources.toml"
    assert s.admin_ids == []
    assert s.default_timezone == "Europe/Moscow"
    assert (s.log_level, s.log_format) == ("INFO", "text")


def test_values_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    monkeypatch.setenv("ADMIN_IDS", " 1, 22 ,333")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Asia/Almaty")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("LOG_FORMAT", "json")
    s = load_settings()
    assert s.admin_ids == [1, 22, 333]
    assert s.is_admin(22) and not s.is_admin(4)
    assert s.timezone.key == "Asia/Almaty"
    assert s.telegram_api_url == "http://127.0.0.1:8081"
    assert s.log_level == "DEBUG" and s.log_format == "json"
    assert s.bot_token is not None and "ABCDEF" not in repr(s.bot_token)


def test_dotenv_file_is_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("ADMIN_IDS=7\nDEFAULT_TIMEZONE=Asia/Bishkek\n", encoding="utf-8")
    s = load_settings()
    assert s.admin_ids == [7] and s.default_timezone == "Asia/Bishkek"


def test_plain_sqlite_url_gets_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///./x.db")
    assert load_settings().database_url == "sqlite+aiosqlite:///./x.db"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL"),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL"),
        ("BACKFILL_HOURS", "-1", "BACKFILL_HOURS"),
        ("MIN_POLL_INTERVAL", "often", "MIN_POLL_INTERVAL"),
    ],
)
def test_bad_values_fail_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert expected in message and "\n" not in message


def test_cli_reports_bad_setting_and_exits_nonzero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADMIN_IDS", "x")
    assert main(["sources"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ADMIN_IDS" in err[0]


def test_token_never_printed_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:SECRETSECRETSECRETSECRET")
    monkeypatch.setenv("LOG_FORMAT", "bad")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "SECRET" not in str(info.value)


def test_run_without_token_points_to_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "BOT_TOKEN" in err and "coopnews demo" in err


def test_blank_token_from_copied_env_example_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "")
    assert load_settings().bot_token is None


def test_env_example_is_a_valid_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import REPO_ROOT

    (tmp_path / ".env").write_text((REPO_ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    s = load_settings()
    assert s.bot_token is None and s.admin_ids == [] and s.log_format == "text"
