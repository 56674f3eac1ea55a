"""Text shapes that change who a side is: enumerations of places and agency datelines."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from analysis.mentions import Mention

# Only a comma or a conjunction between two names: "Атырауской, Мангистауской и Западно-Казахстанской
# областей", "Атырау, Маңғыстау және Батыс Қазақстан облыстары", "Omsk and Novosibirsk regions".
_LIST_GAP_RE = re.compile(r"^[\s,;]*(?:и|а также|and|as well as|және|мен|бен|пен)?[\s,]*$", re.IGNORECASE)
# "BISHKEK, Kabar –", "PAVLODAR. KAZINFORM –", "АСТАНА. KAZINFORM –": where the agency writes from.
_DATELINE_RE = re.compile(
    r"^\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ\- ]{2,30}[.,]\s*[\w\- ]{0,30}?\s*[–—-]+\s+"
)


def listed_together(text: str, mentions: list[Mention], country_of: Callable[[str], str | None]) -> list[set[str]]:
    """Groups of places of one country that the sentence enumerates side by side (two or more)."""
    groups: list[set[str]] = []
    current: set[str] = set()
    for before, after in pairwise(mentions):
        joined = (
            _LIST_GAP_RE.match(text[before.end : after.start]) is not None
            and country_of(before.code) == country_of(after.code)
            and before.code != after.code
        )
        if joined:
            current |= {before.code, after.code}
        elif current:
            groups.append(current)
            current = set()
    if current:
        groups.append(current)
    return groups


def strip_dateline(body: str) -> str:
    """The body without a leading agency dateline (its city is where the agency writes from, not a side)."""
    match = _DATELINE_RE.match(body)
    if match is None or not match.group().split()[0].strip(".,").isupper():
        return body
    return body[match.end() :]
