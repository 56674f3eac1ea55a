"""aiogram's Telegram types compile on first use, and still validate whichever model reaches them first.

Each case runs in a fresh interpreter: which types are compiled is process-wide state.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"child failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def test_types_the_bot_never_touches_stay_uncompiled_but_resolved() -> None:
    out = _run(
        """
        from bot.lazy_schemas import import_aiogram_lazily; import_aiogram_lazily()
        from aiogram import types
        models = [getattr(types, n) for n in types.__all__ if hasattr(getattr(types, n), "model_rebuild")]
        compiled = sum(1 for m in models if m.__pydantic_complete__)
        unresolved = [m.__name__ for m in models if not m.__pydantic_fields_complete__]
        print(len(models), compiled, types.Invoice.__pydantic_complete__, unresolved)
        """
    )
    total, compiled, invoice_compiled, unresolved = out.split(" ", 3)
    assert int(total) > 300
    assert int(compiled) < int(total) // 10, out
    assert invoice_compiled == "False"
    assert unresolved == "[]", out


def test_bot_api_methods_compile_when_first_called() -> None:
    out = _run(
        """
        from bot.lazy_schemas import import_aiogram_lazily; import_aiogram_lazily()
        from aiogram import methods
        models = [getattr(methods, n) for n in methods.__all__ if hasattr(getattr(methods, n), "model_rebuild")]
        compiled = sum(1 for m in models if m.__pydantic_complete__)
        before = methods.SendMessage.__pydantic_complete__
        methods.SendMessage(chat_id=1, text="t")
        print(len(models), compiled, before, methods.SendMessage.__pydantic_complete__)
        """
    )
    total, compiled, before, after = out.split()
    assert int(total) > 100
    assert int(compiled) < int(total) // 10, out
    assert (before, after) == ("False", "True")


def test_a_method_response_reaches_nested_types_first_and_validates() -> None:
    # Response[Message] is the first model to need Message, User, MessageEntity and the keyboard types:
    # their forward references must already be resolved, because this root has no namespace to offer.
    out = _run(
        """
        from bot.lazy_schemas import import_aiogram_lazily; import_aiogram_lazily()
        from aiogram.methods import SendMessage
        from aiogram.methods.base import Response
        from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

        reply = Response[Message].model_validate({"ok": True, "result": {
            "message_id": 7, "date": 1700000000, "chat": {"id": 42, "type": "private"},
            "from": {"id": 1, "is_bot": True, "first_name": "Coopnews"},
            "text": "Вологда", "entities": [{"type": "bold", "offset": 0, "length": 7}],
            "reply_markup": {"inline_keyboard": [[{"text": "ещё", "callback_data": "m:1"}]]}}})
        msg = reply.result
        print(msg.from_user.first_name, msg.entities[0].type, msg.reply_markup.inline_keyboard[0][0].callback_data)

        update = Update.model_validate({"update_id": 5, "callback_query": {
            "id": "q", "chat_instance": "c", "data": "m:1", "from": {"id": 9, "is_bot": False, "first_name": "A"}}})
        print(update.callback_query.from_user.id)

        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="y")]])
        dumped = SendMessage(chat_id=42, text="t", reply_markup=markup).model_dump(exclude_none=True)
        print(dumped["reply_markup"])
        """
    )
    lines = out.splitlines()
    assert lines[0] == "Coopnews bold m:1"
    assert lines[1] == "9"
    assert lines[2] == "{'inline_keyboard': [[{'text': 'x', 'callback_data': 'y'}]]}"


def test_every_telegram_type_and_method_can_still_compile_on_demand() -> None:
    out = _run(
        """
        from bot.lazy_schemas import import_aiogram_lazily; import_aiogram_lazily()
        from aiogram import methods, types
        failed = []
        for name in [*types.__all__, *methods.__all__]:
            model = getattr(types, name, None) or getattr(methods, name)
            if hasattr(model, "model_rebuild"):
                try:
                    model.model_rebuild(raise_errors=True)  # no namespace offered: fields must be resolved
                    validator = type(model.__pydantic_validator__).__name__
                except Exception as exc:
                    failed.append(f"{name}: {exc}")
                else:
                    if validator != "SchemaValidator" or not model.__pydantic_complete__:
                        failed.append(f"{name}: {validator}")
        print(failed)
        """
    )
    assert out == "[]"


def test_aiogram_imported_first_keeps_the_eager_behaviour() -> None:
    out = _run(
        """
        import aiogram
        from bot.lazy_schemas import import_aiogram_lazily
        from aiogram import types
        print(import_aiogram_lazily(), types.Invoice.__pydantic_complete__)
        """
    )
    assert out == "False True"


def test_importing_the_packages_has_no_side_effects() -> None:
    out = _run(
        """
        import sys
        import alerts, analysis, app, app.cli, bot, bot.lazy_schemas, scrapers, storage
        print("aiogram" in sys.modules)
        """
    )
    assert out == "False"


def test_the_cli_entry_point_imports_aiogram_lazily() -> None:
    out = _run(
        """
        from app.cli import main
        try:
            main(["--help"])
        except SystemExit:
            pass
        from aiogram import types
        print(types.Invoice.__pydantic_complete__, types.Message.__pydantic_fields_complete__)
        """
    )
    assert out.splitlines()[-1] == "False True"
