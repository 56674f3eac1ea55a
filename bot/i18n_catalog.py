"""Which msgids the code uses: read from the source with `ast`, so tests can check both catalogs cover them."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

BOT_DIR = Path(__file__).resolve().parent
TRANSLATING_CALLS = frozenset({"t", "_", "gettext", "ngettext", "N_"})


@dataclass(frozen=True)
class UsedMessage:
    msgid: str
    plural: str | None
    where: str


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def used_messages(
    roots: tuple[Path, ...] = (BOT_DIR,), skip: tuple[str, ...] = ("fake_api",)
) -> list[UsedMessage]:
    """Every literal msgid (and plural) passed to t/_/gettext/ngettext/N_ under the `roots`."""
    found: list[UsedMessage] = []
    for root, path in sorted((folder, file) for folder in roots for file in folder.rglob("*.py")):
        if any(part in skip for part in path.relative_to(root).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in TRANSLATING_CALLS or not node.args:
                continue
            msgid = _literal(node.args[0])
            if msgid is None:
                continue
            plural = (
                _literal(node.args[1])
                if _call_name(node) in ("ngettext", "_", "gettext") and len(node.args) > 1
                else None
            )
            plural = plural or next((_literal(k.value) for k in node.keywords if k.arg == "plural"), None)
            found.append(UsedMessage(msgid, plural, f"{path.relative_to(root)}:{node.lineno}"))
    return found


# Calls whose text reaches a person: Telegram sends, answers, buttons, CLI output and help.
SHOWING_CALLS = frozenset({"answer", "send_message", "edit_text", "edit_or_send", "reply", "print",
                           "InlineKeyboardButton", "add_parser", "add_argument", "ArgumentParser", "button"})
SHOWING_KEYWORDS = frozenset({"text", "help", "description"})
NAMING_CALLS = frozenset({"add_parser", "add_argument", "ArgumentParser"})  # first argument: a name, not prose
_PROGRAM_PREFIX = re.compile(r"^coopnews(?: [a-z]+)?: $")  # "coopnews run: " before a translated line
_WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word someone has to read


def _literal_words(node: ast.AST) -> str | None:
    """The wording of a literal (or an f-string's literal parts) if it has words in it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return None
    stripped = re.sub(r"<[^>]+>|&\w+;|\{[^}]*\}", " ", text)  # markup and placeholders are not words
    return text if _WORDS.search(stripped) else None


def untranslated_texts(roots: tuple[Path, ...], allowed: frozenset[str] = frozenset()) -> list[str]:
    """Literal words shown to a person without going through t()/N_(): each one bypasses the catalogs."""
    found: list[str] = []
    for root, path in sorted((folder, file) for folder in roots for file in folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _call_name(node) not in SHOWING_CALLS:
                continue
            first = [] if _call_name(node) in NAMING_CALLS else list(node.args[:1])
            shown = first + [k.value for k in node.keywords if k.arg in SHOWING_KEYWORDS]
            for arg in shown:
                words = _literal_words(arg)
                if words is not None and words not in allowed and not _PROGRAM_PREFIX.match(words):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {words!r}")
    return found
