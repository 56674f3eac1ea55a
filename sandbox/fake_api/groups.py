"""Groups, supergroups (forums too) and channels the bot can be in, with their members and admins.

    team = tg.group(-100123, "Vologda office", creator=olga, forum=True)
    team.add_member(ivan)                        # a member, not an administrator
    team.post(ivan, "/subscribe Kazakhstan", thread_id=7)
    (reply,) = await team.wait_for(1)
    news = tg.channel(-100777, "News", creator=olga)
    news.add_bot(by=olga, admin=True)            # a my_chat_member update
    news.publish("/subscribe Kazakhstan")        # a channel_post update (no `from`)
"""

from __future__ import annotations

from typing import Any

from sandbox.fake_api.member_methods import member_object
from sandbox.fake_api.records import CallbackQueryRecord, ChatRecord, SentMessage
from sandbox.fake_api.state import TelegramState
from sandbox.fake_api.users import ChatView, FakeUser


def _text_message(record: ChatRecord, state: TelegramState, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": record.next_message_id(),
        "chat": record.chat,
        "date": state.now(),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return message


class FakeGroup(ChatView):
    """A group or supergroup: members post and tap, the creator adds or removes the bot, upgrades it."""

    def __init__(self, state: TelegramState, record: ChatRecord, registry: dict[int, FakeGroup]) -> None:
        super().__init__(state, record)
        self._registry = registry

    @property
    def kind(self) -> str:
        return str(self._chat.chat["type"])

    @property
    def chat(self) -> dict[str, Any]:
        return dict(self._chat.chat)

    @property
    def bot_present(self) -> bool:
        return not self._chat.blocked

    def add_member(self, user: FakeUser, *, admin: bool = False) -> None:
        self._chat.members[user.chat_id] = ("administrator" if admin else "member", user.profile)

    def set_admin(self, user: FakeUser, admin: bool = True) -> None:
        """Promote or demote (getChatMember answers the new status at once)."""
        self.add_member(user, admin=admin)

    def post(self, user: FakeUser, text: str, *, thread_id: int | None = None) -> int:
        """`user` writes in the group (in forum topic `thread_id`); returns the message_id."""
        if user.chat_id not in self._chat.members:
            raise ValueError(f"user {user.chat_id} is not a member of chat {self.chat_id}")
        message = _text_message(self._chat, self._state, text)
        message["from"] = user.profile
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            if self._chat.chat.get("is_forum"):
                message["is_topic_message"] = True
        self._push_message("message", message, text)
        return int(message["message_id"])

    def tap(self, user: FakeUser, message: SentMessage | int, callback_data: str) -> str:
        """`user` presses the inline button carrying `callback_data` under the bot's `message`."""
        return self._press(user.profile, message, callback_data)

    def tap_button(self, user: FakeUser, message: SentMessage | int, text: str) -> str:
        target = self._live_message(message)
        for label, data in target.buttons:
            if label == text and data is not None:
                return self.tap(user, target, data)
        raise ValueError(f"message #{target.message_id} has no button labelled {text!r}: {target.buttons}")

    def answer_to(self, query_id: str) -> CallbackQueryRecord:
        return self._state.callbacks[query_id]

    def in_topic(self, thread_id: int | None) -> list[SentMessage]:
        """The bot's messages sent to forum topic `thread_id` (None: outside any topic)."""
        return [message for message in self._chat.messages if message.thread_id == thread_id]

    # ----- the bot's membership -----

    def add_bot(self, *, by: FakeUser, admin: bool = False) -> None:
        """`by` adds the bot (as an administrator with `admin`); the bot gets a my_chat_member update."""
        self._set_bot_status("administrator" if admin else "member", by)

    def remove_bot(self, *, by: FakeUser) -> None:
        """`by` removes the bot: sends get 403 from now on; the bot gets a my_chat_member update."""
        self._set_bot_status("kicked", by)

    def _set_bot_status(self, status: str, by: FakeUser) -> None:
        record = self._chat
        old, record.bot_status = record.bot_status, status
        record.blocked = status in ("left", "kicked")
        self._state.updates.push(
            "my_chat_member",
            {
                "chat": record.chat,
                "from": by.profile,
                "date": self._state.now(),
                "old_chat_member": member_object(old, self._state.bot_user),
                "new_chat_member": member_object(status, self._state.bot_user),
            },
        )
        self._state.record("in", self.chat_id, "bot " + status, "")
        record.notify()

    # ----- upgrade -----

    def upgrade(self, supergroup_id: int, *, by: FakeUser) -> FakeGroup:
        """Telegram turns the group into a supergroup with a new id, as Telegram does: the old chat
        gets a service message with migrate_to_chat_id, the new one with migrate_from_chat_id, and
        sending to the old id answers 400 with parameters.migrate_to_chat_id from then on."""
        if self.kind != "group":
            raise ValueError("only a basic group is upgraded to a supergroup")
        old = self._chat
        new = self._state.open_group(supergroup_id, "supergroup", str(old.chat["title"]), old.user)
        new.members = dict(old.members)
        new.bot_status, new.blocked = old.bot_status, old.blocked
        old.migrated_to = supergroup_id
        upgraded = FakeGroup(self._state, new, self._registry)
        self._registry[supergroup_id] = upgraded
        notices = ((old, "migrate_to_chat_id", supergroup_id), (new, "migrate_from_chat_id", self.chat_id))
        for record, field, other in notices:
            if record.blocked:
                continue  # a bot that is not in the group hears nothing of it
            message = {
                "message_id": record.next_message_id(),
                "from": by.profile,
                "chat": record.chat,
                "date": self._state.now(),
                field: other,
            }
            self._push_message("message", message, f"{field}={other}", chat_id=record.chat_id)
        return upgraded

    def _push_message(self, kind: str, message: dict[str, Any], label: str, *, chat_id: int | None = None) -> None:
        self._state.record("in", chat_id if chat_id is not None else self.chat_id, kind, label)
        self._state.updates.push(kind, message)


class FakeChannel(FakeGroup):
    """A channel: only its administrators post, and their posts come as channel_post without `from`."""

    def publish(self, text: str) -> int:
        """An administrator posts `text` in the channel (Telegram does not say who); returns the message_id."""
        message = _text_message(self._chat, self._state, text)
        message["sender_chat"] = self._chat.chat
        self._push_message("channel_post", message, text)
        return int(message["message_id"])
