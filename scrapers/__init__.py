"""Coopnews scrapers package."""
