"""Coopnews analysis package."""
