"""The composition of the bot: Bot with the right API server, Dispatcher with routers and middlewares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import BotCommand

from bot.chat_admins import AdminCache, ChatAdminMiddleware
from bot.config import BotConfig
from bot.i18n import LANGUAGES, N_, t, translator
from bot.middlewares import StoredLocaleMiddleware, UserMiddleware
from bot.routers import all_routers
from bot.scrape_summary import ScrapeSummary
from bot.search_memory import SearchMemory
from bot.source_admin import PendingSources
from bot.throttle import SharedRate, TelegramThrottle
from bot.undo import PendingKeywords, RemovedSubscriptions
from storage import Database

ScrapeNow = Callable[[], Awaitable[ScrapeSummary]]
DigestNow = Callable[[int], Awaitable[bool]]

# Commands shown in Telegram's menu; admin commands stay out of it on purpose.
MENU_COMMANDS = (
    ("start", N_("Start and subscribe")),
    ("subscribe", N_("Subscribe to a region, pair, topic or keyword")),
    ("subscriptions", N_("My subscriptions")),
    ("search", N_("Search the news")),
    ("latest", N_("Latest news for my subscriptions")),
    ("digest", N_("Send my digest now")),
    ("report", N_("Chart and spreadsheet for a period")),
    ("settings", N_("Language, time zone, digest")),
    ("sources", N_("Sources and their health")),
    ("help", N_("Help")),
)


def build_bot(config: BotConfig, shared_rate: SharedRate | None = None) -> Bot:
    """A Bot speaking HTML, pointed at TELEGRAM_API_URL when it is not Telegram's own.

    `shared_rate`: the global send rate kept outside the process, when several share the token.
    """
    if config.token is None:
        raise ValueError("BOT_TOKEN is not set")
    session = None
    if config.uses_own_api_server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(config.api_url))
    bot = Bot(
        config.token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    bot.session.middleware(
        TelegramThrottle(
            config.send_rate_global,
            config.send_rate_per_chat,
            group_rate=config.send_rate_group,
            group_window=config.send_group_window,
            shared=shared_rate,
        )
    )
    return bot


def build_dispatcher(
    db: Database,
    config: BotConfig,
    *,
    scrape_now: ScrapeNow | None = None,
    digest_now: DigestNow | None = None,
    extra: Mapping[str, Any] | None = None,
    fsm_storage: BaseStorage | None = None,
) -> Dispatcher:
    """Every router, the user/locale/admin middlewares, and dependencies as workflow data."""
    admins = AdminCache()
    dp = Dispatcher(
        storage=fsm_storage,
        db=db,
        config=config,
        scrape_now=scrape_now,
        digest_now=digest_now,
        searches=SearchMemory(),
        removed=RemovedSubscriptions(),
        pending=PendingKeywords(),
        pending_sources=PendingSources(),
        admins=admins,
        **dict(extra or {}),
    )
    user_middleware = UserMiddleware(db, config)
    locale_middleware = StoredLocaleMiddleware(translator())
    for observer in (dp.message, dp.channel_post, dp.callback_query):
        observer.outer_middleware(user_middleware)
        observer.outer_middleware(locale_middleware)
    # inner: it needs the handler chosen (its flags say whether any member may use it)
    admin_middleware = ChatAdminMiddleware(admins)
    dp.message.middleware(admin_middleware)
    dp.callback_query.middleware(admin_middleware)
    dp.include_routers(*all_routers())
    return dp


async def set_my_commands(bot: Bot) -> None:
    """Publish the command menu in Russian (also the default) and English."""
    for lang in LANGUAGES:
        commands = [BotCommand(command=name, description=t(text, lang)) for name, text in MENU_COMMANDS]
        await bot.set_my_commands(commands, language_code=lang)
        if lang == "ru":
            await bot.set_my_commands(commands)
