"""getChatMember, and the ChatMember objects Telegram uses in it and in my_chat_member updates."""

from __future__ import annotations

from typing import Any

from sandbox.fake_api.errors import bad_request
from sandbox.fake_api.message_methods import Handler
from sandbox.fake_api.params import Params
from sandbox.fake_api.state import TelegramState

# Rights an administrator object must carry (aiogram's ChatMemberAdministrator requires them all).
ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
)


def member_object(status: str, user: dict[str, Any]) -> dict[str, Any]:
    """A ChatMember of `status` (creator, administrator, member, left, kicked) for `user`."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status in ("creator", "administrator"):
        member["is_anonymous"] = False
    if status == "administrator":
        member.update(dict.fromkeys(ADMIN_RIGHTS, False))
        member["can_manage_chat"] = True
    if status == "kicked":
        member["until_date"] = 0  # 0 = forever
    return member


async def get_chat_member(state: TelegramState, params: Params) -> Any:
    """getChatMember: the person's status in a group or channel ("left" when not in it)."""
    record = state.reachable_chat(params.chat_id())
    user_id = params.integer("user_id")
    if user_id is None:
        raise bad_request("user_id is required")
    if user_id == state.bot_user["id"]:
        return member_object(record.bot_status, state.bot_user)
    if record.is_private:
        if user_id != record.chat_id:
            raise bad_request("user not found")
        return member_object("member", record.user)
    status, profile = record.members.get(user_id, ("left", {"id": user_id, "is_bot": False, "first_name": "?"}))
    return member_object(status, profile)


MEMBER_METHODS: dict[str, Handler] = {"getChatMember": get_chat_member}
