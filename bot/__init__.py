"""Coopnews bot package: aiogram routers, keyboards, callback data, i18n, formatting and the sender.

Importing it has no side effects. Entry points call `bot.lazy_schemas.import_aiogram_lazily()` before
anything imports aiogram (app.cli.main, the benches, the tests' conftest).
"""
