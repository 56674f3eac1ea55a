"""Configuration problems told to the operator in one line, in their language, with exit code 2.

Settings, the database and the sources file are the three things an operator configures; each
failure names the variable or file to fix. Messages are msgids in bot/locales (ru and en).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.i18n import LANGUAGES, N_, t
from storage import DatabaseSetupError

EXIT_CONFIG = 2
SECRET_SETTINGS = frozenset({"BOT_TOKEN", "WEBHOOK_SECRET"})  # an invalid value is never echoed back


class ConfigError(Exception):
    """A configuration problem, already worded for the operator."""


def operator_language() -> str:
    """DEFAULT_LANGUAGE from the environment or .env even when the rest of the settings are broken."""
    value = os.environ.get("DEFAULT_LANGUAGE")
    if value is None and Path(".env").is_file():
        try:
            value = dotenv_values(".env").get("DEFAULT_LANGUAGE")
        except (OSError, UnicodeDecodeError):
            value = None
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else "ru"


# pydantic's error types we word ourselves; the rest keep pydantic's (English) words
_PYDANTIC_WORDS = {
    "literal_error": N_("must be one of: {expected}"),
    "int_parsing": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than_equal": N_("must be at most {le}"),
    "bool_parsing": N_("must be true or false"),
}


def describe_setting_error(error: dict[str, Any], lang: str) -> str:
    """One line for the first invalid setting: which variable, what is wrong, what was given."""
    field = str(error["loc"][0]).upper() if error.get("loc") else "?"
    words = _PYDANTIC_WORDS.get(str(error.get("type")))
    ctx = dict(error.get("ctx") or {})
    if words is not None:
        ctx = {k: (str(v).replace("'", "") if k == "expected" else v) for k, v in ctx.items()}
        problem = t(words, lang, **ctx)
    else:  # our own validators raise ValueError with a msgid
        problem = t(str(error.get("msg", "")).removeprefix("Value error, "), lang)
    given = error.get("input")
    shown = "" if field in SECRET_SETTINGS or isinstance(given, dict) else f" ({t('got', lang)} {given!r})"
    return t("invalid setting {name}: {problem}", lang, name=field, problem=problem) + shown


def describe_database_error(exc: DatabaseSetupError, lang: str) -> str:
    hints = {
        "url": N_("DATABASE_URL is not a database URL: {url} (e.g. sqlite:///./data/coopnews.sqlite3 "
                  "or postgresql://user@host/db)"),
        "driver": N_("DATABASE_URL names a database driver that is not installed: {url} ({detail})"),
        "unwritable": N_("cannot create or write the database {url}: {detail}. Check DATABASE_URL and "
                         "the folder's permissions"),
        "unreachable": N_("cannot connect to the database {url}: {detail}. Check DATABASE_URL and that "
                          "the server is running"),
    }
    return t(hints[exc.reason], lang, url=exc.url, detail=exc.detail)
