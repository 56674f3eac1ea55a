"""The CLI's own words (argparse's "usage:", "options", its errors) in the operator's language.

argparse words its texts through a module-level gettext `_`, which is the documented hook for
translating it; we point that hook at our catalogs so `--help` and usage errors are Russian by
default and English with DEFAULT_LANGUAGE=en, like everything else the CLI prints.
"""

from __future__ import annotations

import argparse

from bot.i18n import N_, t

# argparse's msgids we translate (the exact strings it passes to `_`)
ARGPARSE_MSGIDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def localize_argparse(lang: str) -> None:
    """Make argparse speak `lang` for the rest of this process (only the CLI entry point calls this)."""
    known = frozenset(ARGPARSE_MSGIDS)

    def translate(message: str) -> str:
        # t() fills {placeholders}; argparse's use %-style, so there are none to fill here
        return t(message, lang) if message in known else message

    argparse._ = translate  # type: ignore[attr-defined]
