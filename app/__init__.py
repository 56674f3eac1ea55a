"""Coopnews app package."""
