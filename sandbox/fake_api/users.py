"""A scripted Telegram user: sends messages, taps buttons, and waits for the bot's replies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sandbox.fake_api.records import CallbackQueryRecord, ChatRecord, SentMessage
from sandbox.fake_api.state import TelegramState


class ChatView:
    """One chat as a test sees it: the bot's messages there, waits for new ones, the taps answered."""

    def __init__(self, state: TelegramState, record: ChatRecord) -> None:
        self._state = state
        self._chat = record
        self._seen = 0

    @property
    def chat_id(self) -> int:
        return self._chat.chat_id

    def _live_message(self, message: SentMessage | int) -> SentMessage:
        message_id = message if isinstance(message, int) else message.message_id
        found = self._chat.find(message_id)
        if found is None:
            raise ValueError(f"chat {self.chat_id} has no live bot message #{message_id}")
        return found

    def _press(self, presser: dict[str, Any], message: SentMessage | int, callback_data: str) -> str:
        """`presser` (a user profile) taps the button carrying `callback_data`; the callback_query update
        Telegram would send, recorded and queued; returns the query id."""
        target = self._live_message(message)
        offered = [data for _, data in target.buttons]
        if callback_data not in offered:
            raise ValueError(f"message #{target.message_id} has no button {callback_data!r}; it has {offered}")
        query_id = self._state.new_callback_id()
        self._state.callbacks[query_id] = CallbackQueryRecord(query_id, self.chat_id, target.message_id, callback_data)
        self._state.record("in", self.chat_id, "tap", callback_data)
        self._state.updates.push(
            "callback_query",
            {
                "id": query_id,
                "from": presser,
                "message": target.to_api(self._state.bot_user),
                "chat_instance": f"ci{self.chat_id}",
                "data": callback_data,
            },
        )
        return query_id

    def messages(self) -> list[SentMessage]:
        """Every message the bot sent to this chat, oldest first (deleted ones flagged, not removed)."""
        return list(self._chat.messages)

    @property
    def last(self) -> SentMessage:
        """The bot's latest message to this chat."""
        if not self._chat.messages:
            raise AssertionError(f"the bot has sent nothing to chat {self.chat_id}")
        return self._chat.messages[-1]

    @property
    def callback_answers(self) -> list[CallbackQueryRecord]:
        """This user's taps the bot has answered, in tap order."""
        return [query for query in self._state.callbacks.values() if query.chat_id == self.chat_id and query.answered]

    # A plain `timeout` argument keeps test code short; it bounds the wait with asyncio.timeout inside.
    async def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[SentMessage]:  # noqa: ASYNC109
        """Wait until at least `count` new bot messages arrived since the last wait; return all new ones."""
        target = self._seen + count
        try:
            await self.wait_until(lambda: len(self._chat.messages) >= target, timeout)
        except AssertionError:
            got = [message.text for message in self._chat.messages[self._seen :]]
            raise AssertionError(
                f"chat {self.chat_id}: expected {count} new message(s) within {timeout}s, got {got}"
            ) from None
        new = self._chat.messages[self._seen :]
        self._seen = len(self._chat.messages)
        return new

    async def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until `condition()` holds, re-checking on every change in this chat (edits, answers...)."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._chat.change_signal()
                    if condition():
                        return
                    await changed.wait()
        except TimeoutError:
            raise AssertionError(f"chat {self.chat_id}: condition not met within {timeout}s") from None


class FakeUser(ChatView):
    """One person in a private chat with the bot; every action becomes a real update."""

    @property
    def profile(self) -> dict[str, Any]:
        """The Bot API User object of this person."""
        return self._chat.user

    def send(self, text: str) -> int:
        """Type `text` into the chat; returns the message_id. A leading "/word" is a bot_command."""
        message: dict[str, Any] = {
            "message_id": self._chat.next_message_id(),
            "from": self._chat.user,
            "chat": self._chat.chat,
            "date": self._state.now(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._state.record("in", self.chat_id, "message", text)
        self._state.updates.push("message", message)
        return int(message["message_id"])

    def tap(self, message: SentMessage | int, callback_data: str) -> str:
        """Press the inline button carrying `callback_data` under `message`; returns the query id."""
        return self._press(self._chat.user, message, callback_data)

    def tap_button(self, message: SentMessage | int, text: str) -> str:
        """Press the inline button labelled `text` (its callback_data is looked up)."""
        target = self._live_message(message)
        for label, data in target.buttons:
            if label == text and data is not None:
                return self.tap(target, data)
        raise ValueError(f"message #{target.message_id} has no button labelled {text!r}: {target.buttons}")

    @property
    def blocked(self) -> bool:
        return self._chat.blocked

    def block(self) -> None:
        """Block the bot (its next send to this chat gets 403)."""
        self._state.set_blocked(self.chat_id, True)

    def unblock(self) -> None:
        self._state.set_blocked(self.chat_id, False)
