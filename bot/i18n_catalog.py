"""Which msgids the code uses: read from the source with `ast`, so tests can check both catalogs cover them."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

BOT_DIR = Path(__file__).resolve().parent
REPORTS_DIR = BOT_DIR.parent / "reports"  # reports mark their labels with N_ and translate with the t they are given
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
    roots: tuple[Path, ...] = (BOT_DIR, REPORTS_DIR), skip: tuple[str, ...] = ("fake_api",)
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
