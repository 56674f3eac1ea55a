"""Coopnews app package."""

# The bot package goes first: importing it brings in aiogram with its Telegram types compiled on first
# use (bot/lazy_schemas.py), which must happen before app.runner or app.digests import aiogram.
import bot  # noqa: F401
