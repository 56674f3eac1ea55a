"""Coopnews alerts package."""
