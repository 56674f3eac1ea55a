"""What the fake remembers: messages the bot sent, files, callback answers, the transcript."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sandbox.fake_api.markup import flatten_buttons, is_inline


@dataclass
class SentFile:
    """A photo or document the bot sent (uploaded bytes, or a file_id / URL string)."""

    kind: str  # "photo" or "document"
    file_id: str
    file_name: str | None
    mime_type: str | None
    content: bytes | None
    caption: str | None

    @property
    def size(self) -> int:
        return len(self.content) if self.content is not None else 0


@dataclass
class SentMessage:
    """A message the bot sent to a chat; `text` is the visible text (the caption for files)."""

    chat: dict[str, Any]
    message_id: int
    date: int
    kind: str  # "text", "photo" or "document"
    text: str
    raw_text: str
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    file: SentFile | None = None
    params: dict[str, Any] = field(default_factory=dict)
    thread_id: int | None = None  # message_thread_id: the forum topic it was sent to
    edited: int = 0
    edit_date: int | None = None
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """(text, callback_data or url) of every button, row by row."""
        return flatten_buttons(self.reply_markup)

    def to_api(self, bot_user: dict[str, Any]) -> dict[str, Any]:
        """The Bot API Message object for this message, as Telegram would return it."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": bot_user,
            "chat": self.chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.thread_id is not None:
            message["message_thread_id"] = self.thread_id
            if self.chat.get("is_forum"):
                message["is_topic_message"] = True
        if self.kind == "text":
            message["text"] = self.text
            if self.entities:
                message["entities"] = self.entities
        else:
            if self.file is not None:
                message[self.kind] = _file_payload(self.file)
            if self.text:
                message["caption"] = self.text
                if self.entities:
                    message["caption_entities"] = self.entities
        if is_inline(self.reply_markup):
            message["reply_markup"] = self.reply_markup
        return message


def _file_payload(sent: SentFile) -> Any:
    unique_id = f"u{sent.file_id}"
    if sent.kind == "photo":
        return [
            {"file_id": sent.file_id, "file_unique_id": unique_id, "width": 800, "height": 600, "file_size": sent.size}
        ]
    document: dict[str, Any] = {"file_id": sent.file_id, "file_unique_id": unique_id, "file_size": sent.size}
    if sent.file_name:
        document["file_name"] = sent.file_name
    if sent.mime_type:
        document["mime_type"] = sent.mime_type
    return document


@dataclass
class CallbackQueryRecord:
    """A tap on an inline button, and the bot's answer once it comes."""

    query_id: str
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None


@dataclass(frozen=True)
class TranscriptEvent:
    """One line of the conversation: `direction` is "in" (user → bot) or "out" (bot → user)."""

    seq: int
    direction: str
    chat_id: int
    kind: str
    text: str

    def render(self) -> str:
        arrow = "→ bot" if self.direction == "in" else "bot →"
        return f"[{self.seq:04d}] {arrow} {self.chat_id} {self.kind}: {self.text}"


@dataclass(frozen=True)
class Rejection:
    """A call Telegram refused: which method, for which chat, and the error it answered."""

    method: str
    chat_id: int | str | None
    error_code: int
    description: str


class ChatRecord:
    """One chat: its Chat object, message-id counter, the bot's messages, blocked flag.

    A private chat's `user` is the person; a group's or channel's is its creator, `members` holds
    the ChatMember status of each person ("creator", "administrator", "member"), `blocked` means
    the bot is not in it, and `migrated_to` is the supergroup a group was upgraded to.
    """

    def __init__(self, chat: dict[str, Any], user: dict[str, Any]) -> None:
        self.chat = chat
        self.user = user
        self.messages: list[SentMessage] = []
        self.blocked = False
        self.members: dict[int, tuple[str, dict[str, Any]]] = {}  # user id -> (status, User object)
        self.bot_status = "member"
        self.migrated_to: int | None = None
        self._last_message_id = 0
        self._changed = asyncio.Event()

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def is_private(self) -> bool:
        return self.chat.get("type") == "private"

    def next_message_id(self) -> int:
        # Both sides of a private chat share one message-id sequence.
        self._last_message_id += 1
        return self._last_message_id

    def find(self, message_id: int) -> SentMessage | None:
        """The bot's live (not deleted) message with that id."""
        for message in self.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def notify(self) -> None:
        """Wake everyone waiting for a change in this chat."""
        self._changed.set()
        self._changed = asyncio.Event()

    def change_signal(self) -> asyncio.Event:
        """The event the next change will set; grab it before checking, then await it."""
        return self._changed
