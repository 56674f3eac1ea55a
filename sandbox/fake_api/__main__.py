"""`python -m sandbox.fake_api --port 8081`: run the fake Bot API standalone for manual tries."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from sandbox.fake_api.records import TranscriptEvent
from sandbox.fake_api.server import FakeTelegram


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.fake_api", description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--token", help="bot token to accept (default: a fresh random one)")
    parser.add_argument(
        "--user",
        type=int,
        action="append",
        default=[],
        metavar="CHAT_ID",
        help="open a private chat with this user id so the bot may write to it (repeatable)",
    )
    parser.add_argument("--no-limits", action="store_true", help="disable per-chat and global rate limits")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Run until cancelled, printing every event of the conversation."""
    limits = {"per_chat_rate": None, "global_rate": None} if args.no_limits else {}
    async with FakeTelegram(token=args.token, port=args.port, **limits) as telegram:  # type: ignore[arg-type]
        for chat_id in args.user:
            telegram.user(chat_id)

        def show(event: TranscriptEvent) -> None:
            print(event.render(), flush=True)

        telegram.on_event(show)
        print(f"Fake Bot API at {telegram.base_url}", flush=True)
        print(f"token: {telegram.token}", flush=True)
        print("aiogram: AiohttpSession(api=TelegramAPIServer.from_base(<base URL>))", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(_arguments(argv)))


if __name__ == "__main__":
    main()
