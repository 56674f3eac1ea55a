"""Coopnews app package: settings, the `coopnews` CLI and the wiring of every other package."""
