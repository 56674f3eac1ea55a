"""Coopnews bot package."""
