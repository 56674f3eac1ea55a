"""Coopnews storage package."""
