"""Secrets never reach the logs, in text or JSON format, in messages, arguments or tracebacks."""

from __future__ import annotations

import json
import logging

import pytest

from app.logs import setup_logging

TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture(autouse=True)
def restore_logging():  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_is_scrubbed_everywhere(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", fmt, secrets=[TOKEN])
    log = logging.getLogger("coopnews.test")
    log.info("calling https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.warning("token in message " + TOKEN)
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/getMe failed")
    except RuntimeError:
        log.exception("network trouble")
    err = capsys.readouterr().err
    assert TOKEN not in err and "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in err
    assert err.count("***") >= 3
    if fmt == "json":
        lines = [json.loads(line) for line in err.strip().splitlines()]
        assert {line["level"] for line in lines} == {"INFO", "WARNING", "ERROR"}


def test_token_shaped_strings_are_scrubbed_even_if_not_configured(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", "text", secrets=[])
    logging.getLogger("x").error("leaked %s", "123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")
    assert "ABCDEFGHIJ" not in capsys.readouterr().err


def test_our_log_lines_speak_the_operators_language(capsys) -> None:  # type: ignore[no-untyped-def]
    import logging

    from app.logs import setup_logging

    setup_logging("INFO", "text", [], "ru")
    logging.getLogger("app.scheduler").info("source %s: polling every %s s (failures in a row: %s)", "vologda", 600, 3)
    logging.getLogger("aiohttp.client").warning("source %s: polling every %s s (failures in a row: %s)", "x", 1, 1)
    err = capsys.readouterr().err
    assert "источник vologda: опрос каждые 600 с (сбоев подряд: 3)" in err
    assert "source x: polling every 1 s" in err  # another library's line is left alone
    setup_logging("INFO", "text", [], "en")
    logging.getLogger("app.scheduler").info("source %s: polling every %s s (failures in a row: %s)", "vologda", 600, 3)
    assert "source vologda: polling every 600 s" in capsys.readouterr().err
