"""Coopnews bot package."""

from bot.lazy_schemas import import_aiogram_lazily

# Before any module of this package imports aiogram: its Telegram types then compile on first use
# rather than all at import (about 80 MB less resident memory; see bot/lazy_schemas.py).
import_aiogram_lazily()
