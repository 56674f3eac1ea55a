"""Logging set-up: text or JSON lines, with secrets scrubbed from every record."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime

from bot.i18n import t

# Bot tokens look like 123456789:AA…; they also hide inside Bot API URLs (/bot<token>/method).
_TOKEN_PATTERN = re.compile(r"\b\d{5,12}:[A-Za-z0-9_-]{20,}\b")


class SecretScrubber(logging.Filter):
    """Replaces configured secrets and anything shaped like a bot token with '***'."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if s]

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _TOKEN_PATTERN.sub("***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = self.scrub(message), None
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True


class OperatorLanguage(logging.Filter):
    """Our own log templates (marked with N_) in the operator's language; other libraries' stay as they are.

    Templates are translated before the %-arguments are filled, so values are never re-parsed.
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.name.startswith(OWN_LOGGERS):
            record.msg = t(record.msg, self.lang) if "{" not in record.msg else record.msg
        return True


OWN_LOGGERS = ("app", "bot", "alerts", "storage", "scrapers", "analysis")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_text:
            payload["exc"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(
    level: str = "INFO", fmt: str = "text", secrets: list[str] | None = None, lang: str = "ru"
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(OperatorLanguage(lang))  # first: the scrubber then sees the final wording
    handler.addFilter(SecretScrubber(secrets))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiohttp's access log and aiogram's per-update lines are noise at INFO.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("pymorphy3").setLevel(logging.WARNING)
