"""One router per feature; `all_routers()` builds fresh ones so several dispatchers can coexist (tests, restarts)."""

from __future__ import annotations

from aiogram import Router

from bot.routers import (
    admin,
    admin_sources,
    alerts,
    chats,
    digest,
    fallback,
    report,
    search,
    settings,
    sources,
    start,
    subscribe,
    subscriptions,
)


def all_routers() -> list[Router]:
    """Feature routers in priority order; the fallback (unknown commands, stale buttons) comes last."""
    return [
        chats.build_router(),
        start.build_router(),
        admin.build_router(),
        admin_sources.build_router(),
        subscribe.build_router(),
        subscriptions.build_router(),
        search.build_router(),
        alerts.build_router(),
        settings.build_router(),
        sources.build_router(),
        digest.build_router(),
        report.build_router(),
        fallback.build_router(),
    ]
