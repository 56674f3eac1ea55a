"""Methods about the bot itself: identity, updates, webhook, commands, menu button."""

from __future__ import annotations

import json
import re
from typing import Any

from sandbox.fake_api.errors import WEBHOOK_CONFLICT, bad_request
from sandbox.fake_api.message_methods import Handler
from sandbox.fake_api.params import Params
from sandbox.fake_api.state import TelegramState
from sandbox.fake_api.webhook import parse_config

COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
MAX_COMMANDS = 100
LONG_POLL_CAP = 50.0  # Telegram's own ceiling on a getUpdates wait


async def get_me(state: TelegramState, params: Params) -> Any:
    """getMe."""
    return state.bot_user


async def get_updates(state: TelegramState, params: Params) -> Any:
    """getUpdates with real long polling; refused while a webhook is set, as Telegram does."""
    if state.webhook.config is not None:
        raise WEBHOOK_CONFLICT
    allowed = params.structured("allowed_updates")
    if allowed is not None and not isinstance(allowed, list):
        raise bad_request("can't parse allowed_updates JSON array")
    timeout = float(params.integer("timeout", 0) or 0)
    return await state.updates.fetch(
        offset=params.integer("offset"),
        limit=params.integer("limit", 100) or 100,
        wait_seconds=min(max(timeout, 0.0), LONG_POLL_CAP),
        allowed=allowed,
    )


async def set_webhook(state: TelegramState, params: Params) -> bool:
    """setWebhook: from now on updates are POSTed to `url`; an empty url removes the webhook."""
    url = params.text("url") or ""
    if params.flag("drop_pending_updates"):
        state.updates.drop_pending()
    if not url:
        await state.webhook.configure(None)
        return True
    config = parse_config(
        url, params.text("secret_token"), params.structured("allowed_updates"), params.integer("max_connections")
    )
    await state.webhook.configure(config)
    return True


async def delete_webhook(state: TelegramState, params: Params) -> bool:
    """deleteWebhook: back to getUpdates; pending updates stay unless dropped."""
    if params.flag("drop_pending_updates"):
        state.updates.drop_pending()
    await state.webhook.configure(None)
    return True


async def get_webhook_info(state: TelegramState, params: Params) -> Any:
    """getWebhookInfo: the webhook's url (empty in polling mode), pending count and last delivery error."""
    config = state.webhook.config
    info: dict[str, Any] = {
        "url": config.url if config else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }
    if config is not None:
        info["max_connections"] = config.max_connections
        if config.allowed_updates is not None:
            info["allowed_updates"] = config.allowed_updates
    if state.webhook.last_error is not None:
        info["last_error_date"], info["last_error_message"] = state.webhook.last_error
    return info


def commands_key(params: Params) -> str:
    """Where setMyCommands keeps a list: per scope and language."""
    scope = params.structured("scope") or {"type": "default"}
    return json.dumps([scope, params.text("language_code") or ""], sort_keys=True)


async def set_my_commands(state: TelegramState, params: Params) -> bool:
    """setMyCommands, validating names and descriptions as Telegram does."""
    commands = params.structured("commands")
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise bad_request("can't parse commands JSON array")
    cleaned: list[dict[str, Any]] = []
    for command in commands:
        name = str(command.get("command", "")) if isinstance(command, dict) else ""
        description = str(command.get("description", "")) if isinstance(command, dict) else ""
        if not COMMAND_NAME.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    state.commands[commands_key(params)] = cleaned
    return True


async def get_my_commands(state: TelegramState, params: Params) -> Any:
    """getMyCommands for one scope and language."""
    return state.commands.get(commands_key(params), [])


async def delete_my_commands(state: TelegramState, params: Params) -> bool:
    """deleteMyCommands."""
    state.commands.pop(commands_key(params), None)
    return True


async def set_chat_menu_button(state: TelegramState, params: Params) -> bool:
    """setChatMenuButton; remembered per chat (0 = the default button)."""
    button = params.structured("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in {"commands", "web_app", "default"}:
        raise bad_request("can't parse menu button JSON object")
    chat_id = params.integer("chat_id", 0) or 0
    if chat_id:
        state.resolve_chat(chat_id)
    state.menu_buttons[chat_id] = button
    return True


async def get_chat_menu_button(state: TelegramState, params: Params) -> Any:
    """getChatMenuButton."""
    chat_id = params.integer("chat_id", 0) or 0
    return state.menu_buttons.get(chat_id, state.menu_buttons.get(0, {"type": "commands"}))


SERVICE_METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
}
