"""Settings → the bot's own config value: the one place the bot's needs meet the environment."""

from __future__ import annotations

from app.settings import Settings
from bot.config import BotConfig


def bot_config(settings: Settings) -> BotConfig:
    return BotConfig(
        token=settings.bot_token.get_secret_value() if settings.bot_token else None,
        api_url=settings.telegram_api_url,
        admin_ids=frozenset(settings.admin_ids),
        default_language=settings.default_language,
        default_timezone=settings.default_timezone,
        send_rate_global=settings.send_rate_global,
        send_rate_per_chat=settings.send_rate_per_chat,
        send_rate_group=settings.send_rate_group,
        send_group_window=settings.send_group_window,
    )
