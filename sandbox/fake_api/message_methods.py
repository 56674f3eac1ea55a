"""Methods that send, edit and delete messages, with Telegram's validation rules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.fake_api.errors import NOT_MODIFIED_REASON, STALE_QUERY_REASON, bad_request
from sandbox.fake_api.html_rules import EntityParseError, ParsedText, parse_html, plain_text
from sandbox.fake_api.markup import is_inline, validate_reply_markup
from sandbox.fake_api.params import Params, Upload
from sandbox.fake_api.records import ChatRecord, SentFile, SentMessage
from sandbox.fake_api.state import TelegramState

Handler = Callable[[TelegramState, Params], Awaitable[Any]]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def render(raw: str, parse_mode: str | None, explicit_entities: Any = None) -> ParsedText:
    """Visible text and entities of `raw` under `parse_mode`; 400 when Telegram cannot parse it."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return parse_html(raw)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if mode in {"", "markdown", "markdownv2"}:
        # Markdown modes are accepted unchecked: the product formats in HTML only.
        parsed = plain_text(raw)
        if isinstance(explicit_entities, list):
            parsed.entities = explicit_entities
        return parsed
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def _message_text(params: Params) -> ParsedText:
    raw = params.text("text") or ""
    parsed = render(raw, params.text("parse_mode"), params.structured("entities"))
    if not parsed.text:
        raise bad_request("message text is empty")
    if len(parsed.text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return parsed


def _caption(params: Params) -> tuple[str, ParsedText]:
    raw = params.text("caption") or ""
    parsed = render(raw, params.text("parse_mode"), params.structured("caption_entities"))
    if len(parsed.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return raw, parsed


def _target(state: TelegramState, params: Params, missing: str) -> tuple[ChatRecord, SentMessage]:
    """The chat and the bot's message an edit or delete addresses."""
    if params.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the fake Bot API")
    record = state.reachable_chat(params.chat_id())
    message_id = params.integer("message_id")
    message = record.find(message_id) if message_id is not None else None
    if message is None:
        raise bad_request(missing)
    return record, message


def _deliver(state: TelegramState, record: ChatRecord, message: SentMessage, kind: str, text: str) -> Any:
    record.messages.append(message)
    state.record("out", record.chat_id, kind, text)
    record.notify()
    return message.to_api(state.bot_user)


async def send_message(state: TelegramState, params: Params) -> Any:
    """sendMessage."""
    record = state.reachable_chat(params.chat_id())
    parsed = _message_text(params)
    markup = validate_reply_markup(params.structured("reply_markup"))
    thread_id = params.integer("message_thread_id")
    if thread_id is not None and record.is_private:
        raise bad_request("message thread not found")
    state.flood.admit(record.chat_id, "sendMessage")
    message = SentMessage(
        chat=record.chat,
        message_id=record.next_message_id(),
        date=state.now(),
        kind="text",
        text=parsed.text,
        raw_text=params.text("text") or "",
        parse_mode=params.text("parse_mode"),
        entities=parsed.entities,
        reply_markup=markup,
        params=params.echo(),
        thread_id=thread_id,
    )
    return _deliver(state, record, message, "message", parsed.text)


async def edit_message_text(state: TelegramState, params: Params) -> Any:
    """editMessageText; without reply_markup the inline keyboard is removed, as in Telegram."""
    record, message = _target(state, params, "message to edit not found")
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    parsed = _message_text(params)
    markup = validate_reply_markup(params.structured("reply_markup"))
    new_markup = markup if is_inline(markup) else None
    if (parsed.text, parsed.entities, new_markup) == (message.text, message.entities, message.reply_markup):
        raise bad_request(NOT_MODIFIED_REASON)
    message.text, message.entities, message.reply_markup = parsed.text, parsed.entities, new_markup
    message.raw_text, message.parse_mode = params.text("text") or "", params.text("parse_mode")
    return _edited(state, record, message, "edit", parsed.text)


async def edit_message_reply_markup(state: TelegramState, params: Params) -> Any:
    """editMessageReplyMarkup."""
    record, message = _target(state, params, "message to edit not found")
    markup = validate_reply_markup(params.structured("reply_markup"))
    new_markup = markup if is_inline(markup) else None
    if new_markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED_REASON)
    message.reply_markup = new_markup
    labels = ", ".join(text for text, _ in message.buttons) or "(keyboard removed)"
    return _edited(state, record, message, "markup", labels)


def _edited(state: TelegramState, record: ChatRecord, message: SentMessage, kind: str, text: str) -> Any:
    message.edited += 1
    message.edit_date = state.now()
    state.record("out", record.chat_id, kind, text)
    record.notify()
    return message.to_api(state.bot_user)


async def delete_message(state: TelegramState, params: Params) -> bool:
    """deleteMessage (only the bot's own messages are known to the fake)."""
    record, message = _target(state, params, "message to delete not found")
    message.deleted = True
    state.record("out", record.chat_id, "delete", f"#{message.message_id}")
    record.notify()
    return True


async def answer_callback_query(state: TelegramState, params: Params) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    query = state.callbacks.get(params.text("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(STALE_QUERY_REASON)
    query.answered = True
    query.text = params.text("text")
    query.show_alert = params.flag("show_alert")
    query.url = params.text("url")
    state.record("out", query.chat_id, "answer", query.text or "")
    record = state.chats.get(query.chat_id)
    if record is not None:
        record.notify()
    return True


async def send_chat_action(state: TelegramState, params: Params) -> bool:
    """sendChatAction."""
    state.reachable_chat(params.chat_id())
    if params.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def send_photo(state: TelegramState, params: Params) -> Any:
    """sendPhoto."""
    return await _send_file(state, params, "photo")


async def send_document(state: TelegramState, params: Params) -> Any:
    """sendDocument."""
    return await _send_file(state, params, "document")


async def _send_file(state: TelegramState, params: Params, kind: str) -> Any:
    record = state.reachable_chat(params.chat_id())
    source = params.input_file(kind)
    if source is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(source, Upload):
        if not source.content:
            raise bad_request("file must be non-empty")
        name, mime, content = source.file_name, source.content_type, source.content
    else:
        name, mime, content = source.rstrip("/").rsplit("/", 1)[-1] if "://" in source else None, None, None
    raw_caption, caption = _caption(params)
    markup = validate_reply_markup(params.structured("reply_markup"))
    state.flood.admit(record.chat_id, f"send{kind.capitalize()}")
    sent_file = SentFile(kind, state.new_file_id(), name, mime, content, caption.text or None)
    state.files.append(sent_file)
    message = SentMessage(
        chat=record.chat,
        message_id=record.next_message_id(),
        date=state.now(),
        kind=kind,
        text=caption.text,
        raw_text=raw_caption,
        parse_mode=params.text("parse_mode"),
        entities=caption.entities,
        reply_markup=markup,
        file=sent_file,
        params=params.echo(),
    )
    label = " — ".join(part for part in (name or sent_file.file_id, caption.text) if part)
    return _deliver(state, record, message, kind, label)


MESSAGE_METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
}
