"""Translations: .po catalogs compiled to .mo on first use, and `t()` for messages sent outside handlers."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

if TYPE_CHECKING:
    from aiogram.utils.i18n import I18n

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"


def _is_fresh(mo_path: Path, po_path: Path) -> bool:
    return mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime


def _write_atomically(po_path: Path, mo_path: Path) -> None:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename: a second process compiling at the same time never reads half a file.
    fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        os.replace(tmp_name, mo_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "coopnews" / "locales"


def compile_catalogs(source: Path = LOCALES_DIR) -> Path:
    """Compile every stale or missing .mo; returns the folder I18n should read.

    The package folder is used when writable; otherwise a per-user cache dir gets the .mo files only.
    """
    po_files = sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    target = source if os.access(source, os.W_OK) else _cache_dir()
    for po_path in po_files:
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if not _is_fresh(mo_path, po_path):
            _write_atomically(po_path, mo_path)
    return target


@cache
def translator() -> I18n:
    """The process-wide aiogram I18n, with freshly compiled catalogs.

    aiogram is imported here, not at the top: the CLI's settings and configuration errors are
    worded through `t()` and must not pull aiogram in before `import_aiogram_lazily()` has run.
    """
    from aiogram.utils.i18n import I18n

    return I18n(path=compile_catalogs(), default_locale=DEFAULT_LANGUAGE, domain=DOMAIN)


def normalize_language(code: str | None, fallback: str = DEFAULT_LANGUAGE) -> str:
    """Map a Telegram language_code ("en-US", "ru") to one we speak."""
    if code:
        short = code.split("-")[0].lower()
        if short in LANGUAGES:
            return short
    return fallback if fallback in LANGUAGES else DEFAULT_LANGUAGE


def t(msgid: str, lang: str, /, *, plural: str | None = None, n: int = 1, **values: Any) -> str:
    """Translate `msgid` into `lang` explicitly (for alerts and digests) and fill `{placeholders}`."""
    text = translator().gettext(msgid, plural, n, locale=normalize_language(lang))
    # Placeholders are filled only after translation; values are never re-parsed, so user text is inert.
    return text.format(n=n, **values) if "{" in text else text


def N_(msgid: str) -> str:
    """Mark a msgid for extraction where it is translated later (tables of labels)."""
    return msgid
