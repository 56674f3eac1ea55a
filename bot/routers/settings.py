"""/settings: language, time zone (buttons or any IANA name as text), digest, instant alerts, quiet hours,
surge alerts and the weekly summary."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks import SettingKey, SettingsCb
from bot.formatting import escape
from bot.i18n import LANGUAGES, t
from bot.keyboards import settings_choices, settings_menu
from bot.routers.common import edit_or_send, stale_button
from storage import Database
from storage.models import User

IANA_LIKE = r"^[A-Za-z][A-Za-z_\-]*(/[A-Za-z0-9_+\-]+){1,2}$"
TOGGLES = {
    SettingKey.DIGEST_ON: "digest_enabled",
    SettingKey.INSTANT_ON: "instant_enabled",
    SettingKey.NO_NEWS_NOTE: "no_news_notes",
    SettingKey.SURGE_ALERTS: "surge_alerts",
    SettingKey.WEEKLY_SUMMARY: "weekly_summary",
}


def _on_off(value: bool, lang: str) -> str:
    return t("on", lang) if value else t("off", lang)


def settings_text(user: User, lang: str) -> str:
    now = datetime.now(UTC).astimezone(ZoneInfo(user.timezone)).strftime("%H:%M")
    quiet = (
        f"{user.quiet_start:02d}:00–{user.quiet_end:02d}:00"
        if user.quiet_start is not None and user.quiet_end is not None
        else t("off", lang)
    )
    return t(
        "<b>Settings</b>\n"
        "Language: {language}\n"
        "Time zone: {tz} (now {now})\n"
        "Daily digest: {digest}, at {hour:02d}:00\n"
        "Instant alerts: {instant}\n"
        "Quiet hours: {quiet}\n"
        '"No news today" note in the digest: {no_news}\n'
        "Surge alerts (a partner far above its usual level): {surges}\n"
        "Weekly summary (Mondays at the digest hour): {weekly}\n\n"
        "Any time zone can be set by sending its name, e.g. <code>Asia/Almaty</code>.",
        lang,
        language="Русский" if user.language == "ru" else "English",
        tz=escape(user.timezone),
        now=now,
        digest=_on_off(user.digest_enabled, lang),
        hour=user.digest_hour,
        instant=_on_off(user.instant_enabled, lang),
        quiet=quiet,
        no_news=_on_off(user.no_news_notes, lang),
        surges=_on_off(user.surge_alerts, lang),
        weekly=_on_off(user.weekly_summary, lang),
    )


def valid_timezone(name: str) -> str | None:
    """The canonical IANA name, or None (case-insensitive: "asia/almaty" works)."""
    try:
        ZoneInfo(name)
        if name in available_timezones():
            return name
    except (ZoneInfoNotFoundError, ValueError):
        pass
    lowered = name.lower()
    return next((z for z in available_timezones() if z.lower() == lowered), None)


def _change(data: SettingsCb, user: User) -> dict[str, Any] | None:
    """The settings change a button asks for, or None when the data is malformed."""
    key, value = data.key, data.value
    if key == SettingKey.LANGUAGE and value in LANGUAGES:
        return {"language": value}
    if key == SettingKey.TIMEZONE and valid_timezone(value):
        return {"timezone": valid_timezone(value)}
    if key == SettingKey.DIGEST_HOUR and value.isdigit() and 0 <= int(value) <= 23:
        return {"digest_hour": int(value)}
    if key in TOGGLES and not value:
        return {TOGGLES[key]: not getattr(user, TOGGLES[key])}
    if key == SettingKey.QUIET_HOURS and value == "off":
        return {"quiet_start": None, "quiet_end": None}
    if key == SettingKey.QUIET_HOURS:
        start, _, end = value.partition("-")
        if start.isdigit() and end.isdigit() and 0 <= int(start) <= 23 and 0 <= int(end) <= 23 and start != end:
            return {"quiet_start": int(start), "quiet_end": int(end)}
    return None


async def _save(db: Database, user_id: int, changes: dict[str, Any]) -> User:
    async with db.write() as uow:
        user = await uow.users.update_settings(user_id, **changes)
        await uow.commit()
    assert user is not None
    return user


async def on_settings(message: Message, db_user: User, lang: str) -> None:
    await message.answer(settings_text(db_user, lang), reply_markup=settings_menu(lang))


async def on_button(query: CallbackQuery, callback_data: SettingsCb, db: Database, db_user: User, lang: str) -> None:
    if callback_data.key == SettingKey.VIEW:
        if callback_data.value == "main":
            await edit_or_send(query, settings_text(db_user, lang), settings_menu(lang))
        elif callback_data.value in ("tz", "dh", "qh"):
            await edit_or_send(query, settings_text(db_user, lang), settings_choices(lang, callback_data.value))
        else:
            await stale_button(query, lang)
            return
        await query.answer()
        return
    changes = _change(callback_data, db_user)
    if changes is None:
        await stale_button(query, lang)
        return
    user = await _save(db, db_user.id, changes)
    lang = user.language  # a language change answers in the new language at once
    await edit_or_send(query, settings_text(user, lang), settings_menu(lang))
    await query.answer(t("Saved", lang))


async def _set_timezone_from_text(message: Message, text: str, db: Database, db_user: User, lang: str) -> None:
    zone = valid_timezone(text.strip())
    if zone is None:
        await message.answer(
            t(
                "«{name}» is not a time zone I know. Use an IANA name like Europe/Moscow or Asia/Almaty.",
                lang,
                name=escape(text.strip()[:60]),
            )
        )
        return
    user = await _save(db, db_user.id, {"timezone": zone})
    await message.answer(settings_text(user, lang), reply_markup=settings_menu(lang))


async def on_timezone_command(message: Message, command: CommandObject, db: Database, db_user: User, lang: str) -> None:
    if not command.args:
        await message.answer(t("Send /timezone and an IANA name, e.g. <code>/timezone Asia/Almaty</code>.", lang))
        return
    await _set_timezone_from_text(message, command.args, db, db_user, lang)


async def on_timezone_text(message: Message, db: Database, db_user: User, lang: str) -> None:
    await _set_timezone_from_text(message, message.text or "", db, db_user, lang)


def build_router() -> Router:
    router = Router(name="settings")
    for observer in (router.message, router.channel_post):  # a channel's admins post its commands
        observer.register(on_settings, Command("settings"))
        observer.register(on_timezone_command, Command("timezone"))
    # a bare zone name answers a prompt in a private chat; in a group it is just someone talking
    router.message.register(on_timezone_text, F.chat.type == "private", F.text.regexp(IANA_LIKE))
    router.callback_query.register(on_button, SettingsCb.filter())
    return router
