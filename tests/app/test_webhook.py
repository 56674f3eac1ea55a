"""Webhook mode through the real App: setWebhook on start, only Telegram's secret gets in, deleteWebhook on stop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from app.config_errors import ConfigError
from app.runner import App
from app.settings import SettingsError, load_settings
from sandbox.fake_api import FakeTelegram
from storage.models import User
from tests.e2e.conftest import e2e_settings

SECRET = "s3cret-Token_for-tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
INTRUDER = 6_100_001
COOPNEWS = Path(sys.executable).with_name("coopnews")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_update(update_id: int, user_id: int) -> dict[str, object]:
    """A /start message as Telegram would post it."""
    person = {"id": user_id, "is_bot": False, "first_name": "Чужой", "language_code": "ru"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1, "date": 1_765_000_000, "text": "/start", "from": person,
            "chat": {"id": user_id, "type": "private", "first_name": "Чужой"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_only_requests_with_the_secret_are_dispatched(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    caplog.set_level(logging.WARNING, logger="app.webhook")
    async with FakeTelegram() as tg:
        settings = e2e_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}", webhook_url=url,
                                webhook_secret=SecretStr(SECRET), webhook_listen=f"127.0.0.1:{port}")
        app = App(settings, [])
        try:
            await app.start()
            hook = await tg.wait_for_webhook()
            assert (hook.url, hook.secret_token) == (url, SECRET)
            assert hook.allowed_updates is not None and "message" in hook.allowed_updates
            assert tg.method_calls["setWebhook"] == 1 and tg.method_calls.get("getUpdates", 0) == 0

            async with aiohttp.ClientSession() as http:
                proxied = {"X-Forwarded-For": "203.0.113.7, 10.0.0.1"}
                for headers in ({}, {HEADER: "wrong-token"}, {HEADER: SECRET + "x"}, {HEADER: ""}, proxied):
                    async with http.post(url, json=_start_update(900, INTRUDER), headers=headers) as response:
                        assert response.status == 401, headers
                async with http.post(url, data=b"{not json", headers={HEADER: SECRET}) as response:
                    assert response.status == 400  # a clear answer; the server keeps serving
                async with http.post(url, json={"update_id": "x"}, headers={HEADER: SECRET}) as response:
                    assert response.status == 400

            # a real user writes: the fake posts the update to the webhook with the secret, the bot answers
            anna = tg.user(6_100_002, "Анна")
            anna.send("/start")
            (welcome,) = await anna.wait_for(1, timeout=10)
            assert "Здравствуйте, Анна" in welcome.text
            assert tg.webhook_posts and all(p.status == 200 and p.secret_sent for p in tg.webhook_posts)

            await asyncio.sleep(0.3)  # the rejected /start would have been answered by now
            assert tg.messages(INTRUDER) == []
            async with app.db.read() as uow:
                ids = set(await uow.session.scalars(select(User.id)))
            assert INTRUDER not in ids and 6_100_002 in ids  # the rejected update never reached a handler
        finally:
            await app.stop()
        assert tg.method_calls["deleteWebhook"] == 1 and tg.webhook is None

    # in English, or in Russian when an earlier test in this process set up the operator's (ru) logging
    rejections = [m for m in (r.getMessage() for r in caplog.records) if "rejected" in m or "отклонён" in m]
    assert len(rejections) == 5, rejections
    assert any("203.0.113.7 (via 127.0.0.1)" in line for line in rejections)  # the client behind the proxy
    logged = caplog.text
    assert SECRET not in logged and "wrong-token" not in logged  # neither the secret nor what was presented


async def test_updates_sent_while_down_are_delivered_after_restart(tmp_path: Path) -> None:
    """drop_pending_updates=false: what users wrote while the bot was stopped is answered on the next start."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    async with FakeTelegram() as tg:
        settings = e2e_settings(tg, f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}", webhook_url=url,
                                webhook_secret=SecretStr(SECRET), webhook_listen=f"127.0.0.1:{port}")
        first = App(settings, [])
        await first.start()
        await first.stop()
        olga = tg.user(6_100_003, "Ольга")
        olga.send("/start")  # nobody listens: Telegram keeps it
        second = App(settings, [])
        try:
            await second.start()
            (welcome,) = await olga.wait_for(1, timeout=10)
            assert "Ольга" in welcome.text
        finally:
            await second.stop()


def test_webhook_url_without_secret_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET: must be set when WEBHOOK_URL is"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_SECRET", "has spaces and ü")
    with pytest.raises(SettingsError) as bad:
        load_settings()
    assert "WEBHOOK_SECRET" in str(bad.value) and "spaces" not in str(bad.value)  # never echoed back
    monkeypatch.setenv("WEBHOOK_SECRET", "fine_Secret-1")
    monkeypatch.setenv("WEBHOOK_LISTEN", "8080")
    with pytest.raises(SettingsError, match="WEBHOOK_LISTEN: must be HOST:PORT"):
        load_settings()
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0:8443")
    settings = load_settings()
    assert settings.webhook_mode and "fine_Secret-1" in settings.secrets()


async def test_a_busy_port_or_a_refused_url_stops_the_start_with_one_line(tmp_path: Path) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}"
    async with FakeTelegram() as tg:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            settings = e2e_settings(tg, db_url, webhook_url=f"http://127.0.0.1:{port}/hook", default_language="en",
                                    webhook_secret=SecretStr(SECRET), webhook_listen=f"127.0.0.1:{port}")
            app = App(settings, [])
            try:
                with pytest.raises(ConfigError, match=f"cannot listen on WEBHOOK_LISTEN=127.0.0.1:{port}: "):
                    await app.start()
            finally:
                await app.stop()
        # never told Telegram to post where nobody listens, so nothing to delete either
        assert tg.method_calls.get("setWebhook", 0) == 0 and tg.method_calls.get("deleteWebhook", 0) == 0

        port = _free_port()
        settings = settings.model_copy(update={"webhook_url": "http://bot.example.org/hook",
                                               "webhook_listen": f"127.0.0.1:{port}"})
        app = App(settings, [])
        try:
            refused = r"Telegram refused WEBHOOK_URL http://bot\.example\.org/hook: .*HTTPS"
            with pytest.raises(ConfigError, match=refused):
                await app.start()
        finally:
            await app.stop()


async def test_coopnews_run_in_webhook_mode_answers_and_never_logs_the_secret(tmp_path: Path) -> None:
    """The real command: settings from the environment, a webhook instead of getUpdates, a clean SIGTERM."""
    port, metrics_port = _free_port(), _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    log_file = tmp_path / "run.log"
    async with FakeTelegram() as tg:
        env = {
            **os.environ, "BOT_TOKEN": tg.token, "TELEGRAM_API_URL": tg.base_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}",
            "SOURCES_FILE": str(_no_sources(tmp_path)),
            "ADMIN_IDS": "", "LOG_LEVEL": "DEBUG", "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": f"127.0.0.1:{port}", "METRICS_LISTEN": f"127.0.0.1:{metrics_port}",
        }
        with log_file.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                str(COOPNEWS), "run", cwd=tmp_path, env=env, stdout=out, stderr=asyncio.subprocess.STDOUT
            )
        try:
            await tg.wait_for_webhook(timeout=60)
            user = tg.user(6_100_004, "Пётр")
            user.send("/start")
            (welcome,) = await user.wait_for(1, timeout=20)
            assert "Пётр" in welcome.text
            async with aiohttp.ClientSession() as http:
                async with http.post(url, json=_start_update(901, INTRUDER), headers={HEADER: "guess"}) as response:
                    assert response.status == 401
                async with http.get(f"http://127.0.0.1:{metrics_port}/metrics") as response:
                    exposition = await response.text()
            assert 'coopnews_webhook_requests_total{result="rejected"} 1.0' in exposition
            assert 'coopnews_webhook_requests_total{result="accepted"} 1.0' in exposition
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), timeout=15) == 0, log_file.read_text(errors="replace")
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert tg.method_calls.get("deleteWebhook", 0) == 1 and tg.webhook is None
    logged = log_file.read_text(errors="replace")
    assert "отклонён: неверный секретный токен" in logged  # in DEFAULT_LANGUAGE (ru), with the peer's address
    assert SECRET not in logged and "guess" not in logged and tg.token not in logged


def _no_sources(folder: Path) -> Path:
    """A sources file with one source nobody serves: the bot part is what this test is about."""
    path = folder / "sources.toml"
    path.write_text('[[sources]]\nid = "nowhere"\nname = "Nowhere"\nurl = "http://127.0.0.1:9/list.html"\n'
                    'interval = 3600\n', encoding="utf-8")
    return path
