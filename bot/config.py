"""What the bot needs from the process settings, as one plain value that app builds (bot never imports app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

TELEGRAM_DEFAULT_API = "https://api.telegram.org"


@dataclass(frozen=True)
class BotConfig:
    """The Telegram connection, the operators, and the defaults a new user starts with."""

    token: str | None = field(default=None, repr=False)  # never in a repr, so never in a log line
    api_url: str = TELEGRAM_DEFAULT_API
    admin_ids: frozenset[int] = frozenset()
    default_language: str = "ru"
    default_timezone: str = "Europe/Moscow"
    send_rate_global: float = 25.0  # messages per second for the whole bot
    send_rate_per_chat: float = 1.0
    send_rate_group: int = 20  # messages per `send_group_window` seconds in one group or channel
    send_group_window: float = 60.0

    @cached_property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    @property
    def uses_own_api_server(self) -> bool:
        return self.api_url.rstrip("/") != TELEGRAM_DEFAULT_API

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids
