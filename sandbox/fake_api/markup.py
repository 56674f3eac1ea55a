"""Reply markup checks (the ones Telegram enforces) and flattening of keyboards for tests."""

from __future__ import annotations

from typing import Any

from sandbox.fake_api.errors import bad_request

CALLBACK_DATA_MAX_BYTES = 64
# Fields that give an inline button something to do; exactly one is required.
INLINE_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "web_app",
    "callback_game",
    "pay",
)


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Return the markup if Telegram would accept it, else raise a 400 ApiError."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_rows(markup["inline_keyboard"], _validate_inline_button)
    elif "keyboard" in markup:
        _validate_rows(markup["keyboard"], _validate_reply_button)
    elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _validate_rows(rows: Any, validate_button: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            validate_button(button)


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text is not specified")
    actions = [name for name in INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")


def _validate_reply_button(button: Any) -> None:
    text = button.get("text") if isinstance(button, dict) else button
    if not isinstance(text, str) or not text:
        raise bad_request("can't parse keyboard button: Text is not specified")


def flatten_buttons(markup: dict[str, Any] | None) -> list[tuple[str, str | None]]:
    """(text, callback_data or url) for every button, row by row; reply-keyboard buttons carry None."""
    if not markup:
        return []
    buttons: list[tuple[str, str | None]] = []
    for row in markup.get("inline_keyboard", []):
        for button in row:
            buttons.append((button["text"], button.get("callback_data", button.get("url"))))
    for row in markup.get("keyboard", []):
        for button in row:
            buttons.append((button["text"] if isinstance(button, dict) else str(button), None))
    return buttons


def is_inline(markup: dict[str, Any] | None) -> bool:
    """Only inline keyboards are echoed back inside Message objects."""
    return bool(markup) and "inline_keyboard" in (markup or {})
