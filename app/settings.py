"""Process settings read from the environment and `.env` (pydantic-settings)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.config_errors import describe_setting_error, operator_language
from bot.config import TELEGRAM_DEFAULT_API
from bot.i18n import N_, t

BUNDLED_SOURCES = Path(__file__).resolve().parent.parent / "scrapers" / "sources.toml"
# Telegram's rule for setWebhook's secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(Exception):
    """Settings could not be read; the message names the variable."""


class Settings(BaseSettings):
    """Every knob of the process; names are the environment variables, case-insensitive."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_DEFAULT_API
    database_url: str = "sqlite+aiosqlite:///./data/coopnews.sqlite3"
    sources_file: Path = BUNDLED_SOURCES
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = "Europe/Moscow"
    default_language: Literal["ru", "en"] = "ru"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    backfill_hours: int = Field(default=24, ge=0, le=24 * 30)
    min_poll_interval: int = Field(default=60, ge=1)
    send_rate_global: float = Field(default=25.0, gt=0, le=30)
    send_rate_per_chat: float = Field(default=1.0, gt=0, le=30)
    # Telegram's 20 messages a minute per group; a shorter window only makes sense in tests
    send_rate_group: int = Field(default=20, ge=1, le=20)
    send_group_window: float = Field(default=60.0, gt=0, le=3600)
    digest_grace_hours: int = Field(default=6, ge=0, le=23)
    # Webhook mode (app/webhook.py): both set, Telegram posts updates to WEBHOOK_URL instead of long polling
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    webhook_listen: str = "127.0.0.1:8080"
    # /healthz and /metrics (app/health.py); off when unset
    metrics_listen: str | None = None

    # Redis for aiogram's FSM and the send rate shared by several processes (redis://host:6379/0)
    redis_url: str | None = None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            try:
                return [int(p) for p in parts if p]
            except ValueError as exc:
                raise ValueError(N_("must be comma-separated Telegram user ids, e.g. 123,456")) from exc
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url", "metrics_listen", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("https://", "http://")):
            raise ValueError(N_("must be the public https:// address Telegram posts updates to"))
        return value.strip() if value is not None else None

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            if info.data.get("webhook_url"):
                raise ValueError(N_("must be set when WEBHOOK_URL is: Telegram sends it with every update "
                                    "so that nobody else can post to the webhook"))
            return None
        if not WEBHOOK_SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError(N_("must be 1-256 characters: letters A-Z and a-z, digits, _ and -"))
        return value

    @field_validator("webhook_listen", "metrics_listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, sep, port = value.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(N_("must be HOST:PORT, e.g. 127.0.0.1:8080"))
        return value.strip()


    @field_validator("redis_url", mode="before")
    @classmethod
    def _redis_scheme(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(N_("must start with redis://, rediss:// or unix://"))
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(N_("unknown IANA time zone (e.g. Europe/Moscow, Asia/Almaty)")) from exc
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(N_("must start with http:// or https://"))
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    @cached_property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    @property
    def webhook_mode(self) -> bool:
        """Telegram posts updates to WEBHOOK_URL (validation made sure WEBHOOK_SECRET is set too)."""
        return self.webhook_url is not None and self.webhook_secret is not None

    def secrets(self) -> list[str]:
        """Values the logs must never show."""
        return [s.get_secret_value() for s in (self.bot_token, self.webhook_secret) if s is not None]


def split_listen(value: str) -> tuple[str, int]:
    """"127.0.0.1:8080" → ("127.0.0.1", 8080); "[::1]:9090" → ("::1", 9090)."""
    host, _, port = value.rpartition(":")
    return host.strip("[]"), int(port)


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one line that names the variable, in the operator's language."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = dict(exc.errors()[0])
        raise SettingsError(describe_setting_error(first, operator_language())) from None
    except (OSError, UnicodeDecodeError) as exc:  # an unreadable .env
        raise SettingsError(t("cannot read .env: {problem}", operator_language(), problem=exc)) from None
