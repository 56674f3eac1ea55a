"""Everything the fake Telegram knows, shared by the method handlers and the user players."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from sandbox.fake_api.errors import (
    BLOCKED_REASON,
    CHAT_NOT_FOUND_REASON,
    KICKED_REASONS,
    bad_request,
    forbidden,
    upgraded_to,
)
from sandbox.fake_api.rate_limits import Clock, FloodGuard, RateLimits
from sandbox.fake_api.records import (
    CallbackQueryRecord,
    ChatRecord,
    Rejection,
    SentFile,
    TranscriptEvent,
)
from sandbox.fake_api.updates import UpdateQueue
from sandbox.fake_api.webhook import WebhookPusher

TranscriptListener = Callable[[TranscriptEvent], None]


class TelegramState:
    """Chats, updates, flood control and every record tests and the demo read."""

    def __init__(
        self,
        bot_user: dict[str, Any],
        limits: RateLimits,
        clock: Clock,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot_user = bot_user
        self.chats: dict[int, ChatRecord] = {}
        self.updates = UpdateQueue()
        self.webhook = WebhookPusher(self.updates)
        self.flood = FloodGuard(limits, clock)
        self.transcript: list[TranscriptEvent] = []
        self.listeners: list[TranscriptListener] = []
        self.rejections: list[Rejection] = []
        self.files: list[SentFile] = []
        self.callbacks: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int, dict[str, Any]] = {}
        self.method_calls: Counter[str] = Counter()
        self._wall_clock = wall_clock
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    def now(self) -> int:
        """Unix time for `date` fields."""
        return int(self._wall_clock())

    def open_chat(self, user: dict[str, Any]) -> ChatRecord:
        """The private chat with `user`, created on first contact (as when a user presses Start)."""
        chat_id = int(user["id"])
        if chat_id not in self.chats:
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for optional in ("last_name", "username"):
                if user.get(optional):
                    chat[optional] = user[optional]
            self.chats[chat_id] = ChatRecord(chat, user)
        return self.chats[chat_id]

    def open_group(
        self, chat_id: int, kind: str, title: str, creator: dict[str, Any], *, forum: bool = False
    ) -> ChatRecord:
        """A group, supergroup or channel; its creator is its first member."""
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        if forum:
            chat["is_forum"] = True
        record = ChatRecord(chat, creator)
        record.members[int(creator["id"])] = ("creator", creator)
        self.chats[chat_id] = record
        return record

    def resolve_chat(self, chat_id: int | str) -> ChatRecord:
        """The chat a method addresses; 400 "chat not found" when the bot has never met it."""
        if isinstance(chat_id, str):
            username = chat_id.removeprefix("@").lower()
            for record in self.chats.values():
                if str(record.chat.get("username", "")).lower() == username:
                    return record
            raise bad_request(CHAT_NOT_FOUND_REASON)
        found = self.chats.get(chat_id)
        if found is None:
            raise bad_request(CHAT_NOT_FOUND_REASON)
        return found

    def reachable_chat(self, chat_id: int | str) -> ChatRecord:
        """resolve_chat; 403 when the user blocked the bot or it is not in the group; 400 for an upgraded group."""
        record = self.resolve_chat(chat_id)
        if record.migrated_to is not None:
            raise upgraded_to(record.migrated_to)
        if record.blocked:
            raise forbidden(BLOCKED_REASON if record.is_private else KICKED_REASONS[str(record.chat["type"])])
        return record

    def record(self, direction: str, chat_id: int, kind: str, text: str) -> TranscriptEvent:
        """Append to the transcript and tell listeners (the demo prints from here)."""
        event = TranscriptEvent(len(self.transcript) + 1, direction, chat_id, kind, text)
        self.transcript.append(event)
        for listener in self.listeners:
            listener(event)
        return event

    def new_file_id(self) -> str:
        return f"FAKEFILE{next(self._file_ids):06d}"

    def new_callback_id(self) -> str:
        return f"{next(self._callback_ids) + 4_000_000_000_000_000}"

    def set_blocked(self, chat_id: int, blocked: bool) -> None:
        """Block or unblock the bot; Telegram tells the bot through a my_chat_member update."""
        record = self.resolve_chat(chat_id)
        if record.blocked == blocked:
            return
        record.blocked = blocked
        statuses = ("member", "kicked") if blocked else ("kicked", "member")
        members: list[dict[str, Any]] = [{"status": status, "user": self.bot_user} for status in statuses]
        for member in members:
            if member["status"] == "kicked":
                member["until_date"] = 0  # aiogram's ChatMemberBanned requires it; 0 = forever
        self.updates.push(
            "my_chat_member",
            {
                "chat": record.chat,
                "from": record.user,
                "date": self.now(),
                "old_chat_member": members[0],
                "new_chat_member": members[1],
            },
        )
        self.record("in", chat_id, "blocked" if blocked else "unblocked", "")
        record.notify()
