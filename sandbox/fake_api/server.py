"""FakeTelegram: a wire-level Bot API server on 127.0.0.1 for tests and the offline demo."""

from __future__ import annotations

import asyncio
import logging
import secrets
import socket
import time
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from sandbox.fake_api.errors import METHOD_NOT_FOUND, UNAUTHORIZED, ApiError
from sandbox.fake_api.groups import FakeChannel, FakeGroup
from sandbox.fake_api.hold import SendGate
from sandbox.fake_api.member_methods import MEMBER_METHODS
from sandbox.fake_api.message_methods import MESSAGE_METHODS, Handler
from sandbox.fake_api.params import Params
from sandbox.fake_api.rate_limits import Clock, FloodViolation, RateLimits, SendRecord
from sandbox.fake_api.records import CallbackQueryRecord, Rejection, SentFile, SentMessage, TranscriptEvent
from sandbox.fake_api.service_methods import SERVICE_METHODS, commands_key
from sandbox.fake_api.state import TelegramState, TranscriptListener
from sandbox.fake_api.users import FakeUser
from sandbox.fake_api.webhook import WebhookConfig, WebhookPost

logger = logging.getLogger(__name__)

DEFAULT_BOT_ID = 7000000001
UPLOAD_LIMIT = 50 * 1024 * 1024  # Telegram's cap on files a bot uploads
# Method names are case-insensitive in the Bot API.
HANDLERS: dict[str, Handler] = {
    name.lower(): handler for name, handler in {**MESSAGE_METHODS, **SERVICE_METHODS, **MEMBER_METHODS}.items()
}


class FakeTelegram:
    """Serve the Bot API for one bot token; `async with FakeTelegram() as tg: ... tg.base_url`."""

    def __init__(
        self,
        *,
        token: str | None = None,
        port: int = 0,
        per_chat_rate: float | None = 1.0,
        per_chat_burst: int = 3,
        global_rate: int | None = 30,
        group_rate: int | None = 20,
        group_window: float = 60.0,
        clock: Clock = time.monotonic,
        bot_username: str = "coopnews_test_bot",
        bot_name: str = "Coopnews",
    ) -> None:
        self.token = token or f"{DEFAULT_BOT_ID}:{secrets.token_urlsafe(26)}"
        self.bot_user: dict[str, Any] = {
            "id": int(self.token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        limits = RateLimits(
            per_chat_rate=per_chat_rate,
            per_chat_burst=per_chat_burst,
            global_rate=global_rate,
            group_rate=group_rate,
            group_window=group_window,
        )
        self.state = TelegramState(self.bot_user, limits, clock)
        self.gate = SendGate(lambda: len(self.state.flood.send_log))
        self.users: dict[int, FakeUser] = {}
        self.groups: dict[int, FakeGroup] = {}
        self._port = port
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    # ----- lifecycle -----

    async def start(self) -> None:
        """Bind 127.0.0.1 (a free port unless one was given) and start serving."""
        app = web.Application(client_max_size=UPLOAD_LIMIT)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # A short grace: a long poll left waiting is released by close() anyway.
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        host, port = sock.getsockname()[:2]
        await web.SockSite(self._runner, sock).start()
        self._base_url = f"http://{host}:{port}"

    async def close(self) -> None:
        """Release any waiting getUpdates and stop the server."""
        self.state.updates.close()
        await self.state.webhook.stop()
        self.gate.cancel_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """Root URL for `TelegramAPIServer.from_base(...)`."""
        if self._base_url is None:
            raise RuntimeError("FakeTelegram is not started; use `async with FakeTelegram() as tg`")
        return self._base_url

    # ----- the wire -----

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: Params | None = None
        try:
            if request.match_info["token"] != self.token:
                raise UNAUTHORIZED
            handler = HANDLERS.get(method.lower())
            if handler is None:
                raise METHOD_NOT_FOUND
            params = await Params.from_request(request)
            # nothing may await between the gate and the handler's flood check: the count stays exact
            await self.gate.wait_turn(method)
            self.state.method_calls[method] += 1
            result = await handler(self.state, params)
        except ApiError as error:
            self._remember_rejection(method, params, error)
            return web.json_response(error.payload(), status=error.error_code)
        except Exception as error:
            # A bug in the fake must surface in the test as itself, not as an undecodable 500 page.
            logger.exception("fake Telegram crashed in %s", method)
            crash = ApiError(500, f"Internal Server Error: fake crashed in {method}: {error!r}")
            return web.json_response(crash.payload(), status=500)
        return web.json_response({"ok": True, "result": result})

    def _remember_rejection(self, method: str, params: Params | None, error: ApiError) -> None:
        chat_id: int | str | None = None
        if params is not None and params.has("chat_id"):
            raw = str(params.values["chat_id"])
            chat_id = int(raw) if raw.lstrip("-").isdigit() else raw
        self.state.rejections.append(Rejection(method, chat_id, error.error_code, error.description))
        logger.debug("fake Telegram refused %s for %s: %s", method, chat_id, error.description)

    # ----- the people -----

    def user(
        self,
        chat_id: int,
        first_name: str = "Test",
        *,
        language_code: str | None = "ru",
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """The person in private chat `chat_id` (created on first call; the chat then exists)."""
        if chat_id not in self.users:
            profile: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": first_name}
            for key, value in (("last_name", last_name), ("username", username), ("language_code", language_code)):
                if value:
                    profile[key] = value
            self.users[chat_id] = FakeUser(self.state, self.state.open_chat(profile))
        return self.users[chat_id]

    def group(
        self,
        chat_id: int,
        title: str,
        *,
        creator: FakeUser,
        supergroup: bool = False,
        forum: bool = False,
        with_bot: bool = True,
    ) -> FakeGroup:
        """A group (or supergroup, or forum supergroup) `creator` made; ids of groups are negative.

        With `with_bot` the bot is a member from the start (no my_chat_member update is sent);
        otherwise add it with `group.add_bot(by=...)`, which tells the bot as Telegram does.
        """
        if chat_id >= 0:
            raise ValueError("group and channel ids are negative")
        if chat_id not in self.groups:
            kind = "supergroup" if supergroup or forum else "group"
            record = self.state.open_group(chat_id, kind, title, creator.profile, forum=forum)
            record.blocked = not with_bot
            record.bot_status = "member" if with_bot else "left"
            self.groups[chat_id] = FakeGroup(self.state, record, self.groups)
        return self.groups[chat_id]

    def channel(self, chat_id: int, title: str, *, creator: FakeUser) -> FakeChannel:
        """A channel `creator` owns; the bot is not in it until `channel.add_bot(by=..., admin=True)`."""
        if chat_id >= 0:
            raise ValueError("group and channel ids are negative")
        if chat_id not in self.groups:
            record = self.state.open_group(chat_id, "channel", title, creator.profile)
            record.blocked, record.bot_status = True, "left"
            self.groups[chat_id] = FakeChannel(self.state, record, self.groups)
        found = self.groups[chat_id]
        assert isinstance(found, FakeChannel)
        return found

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends get 403 and the bot gets a my_chat_member update."""
        self.state.set_blocked(chat_id, True)

    def unblock(self, chat_id: int) -> None:
        self.state.set_blocked(chat_id, False)

    async def wait_for_poller(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Return once the bot has a getUpdates call waiting: it is polling and idle."""
        async with asyncio.timeout(timeout):
            await self.state.updates.wait_parked()

    def hold_sends_after(self, count: int) -> None:
        """Accept `count` sends in all, then leave further sends unanswered (a sender can be killed mid-broadcast)."""
        self.gate.hold_after(count)

    def release_held(self) -> None:
        """Held sends proceed as if nothing happened; no more holding."""
        self.gate.release()

    def abandon_held(self) -> None:
        """Held sends are never answered nor delivered (their client died); new sends pass again."""
        self.gate.abandon()

    @property
    def held_sends(self) -> int:
        return self.gate.held

    async def wait_held(self, count: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until at least `count` sends are being held."""
        await self.gate.wait_held(count, timeout)

    @property
    def webhook(self) -> WebhookConfig | None:
        """What setWebhook set (None in polling mode)."""
        return self.state.webhook.config

    @property
    def webhook_posts(self) -> list[WebhookPost]:
        """Every POST of an update to the webhook, with the HTTP status it got."""
        return list(self.state.webhook.posts)

    async def wait_for_webhook(self, timeout: float = 5.0) -> WebhookConfig:  # noqa: ASYNC109
        """Return once the bot has set a webhook."""
        async with asyncio.timeout(timeout):
            await self.state.webhook.is_set.wait()
        assert self.state.webhook.config is not None
        return self.state.webhook.config

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self.state.updates.pending)

    # ----- what happened -----

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Everything the bot sent to `chat_id`."""
        record = self.state.chats.get(chat_id)
        return list(record.messages) if record else []

    @property
    def transcript(self) -> list[TranscriptEvent]:
        """All user and bot events, in order."""
        return list(self.state.transcript)

    def on_event(self, listener: TranscriptListener) -> None:
        """Call `listener` for every new transcript event (the demo prints live)."""
        self.state.listeners.append(listener)

    def render_transcript(self) -> str:
        return "\n".join(event.render() for event in self.state.transcript)

    @property
    def flood_violations(self) -> int:
        """How many 429s were handed out."""
        return len(self.state.flood.violations)

    @property
    def flood_log(self) -> list[FloodViolation]:
        return list(self.state.flood.violations)

    @property
    def send_log(self) -> list[SendRecord]:
        """Accepted sends with their limiter-clock timestamps."""
        return list(self.state.flood.send_log)

    def max_sends_in_window(self, window: float = 1.0, chat_id: int | None = None) -> int:
        return self.state.flood.max_in_window(window, chat_id)

    @property
    def rejections(self) -> list[Rejection]:
        """Every error answer given, in order."""
        return list(self.state.rejections)

    @property
    def files(self) -> list[SentFile]:
        """Photos and documents sent, in order."""
        return list(self.state.files)

    @property
    def callback_queries(self) -> list[CallbackQueryRecord]:
        return list(self.state.callbacks.values())

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, Any]]:
        """Commands last set with setMyCommands for that scope and language."""
        params = Params({"scope": scope or {"type": "default"}, "language_code": language_code})
        return self.state.commands.get(commands_key(params), [])

    @property
    def method_calls(self) -> dict[str, int]:
        return dict(self.state.method_calls)
