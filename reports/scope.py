"""What a report covers: my subscriptions, a region, a country, or a region pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analysis.gazetteer import load_gazetteer
from reports.labels import N_, Translate, place_name
from reports.period import ReportInputError

UNKNOWN_SCOPE = N_("Unknown scope «{text}». Use subscriptions:USER_ID, region:CODE, country:CODE or pair:CODE-CODE.")
ScopeKind = Literal["subscriptions", "region", "country", "pair"]


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    code: str = ""  # region or country code; the first side of a pair
    partner: str = ""  # the second side of a pair
    user_id: int = 0  # whose subscriptions

    def title(self, lang: str, t: Translate) -> str:
        if self.kind == "subscriptions":
            return t("My subscriptions", lang)
        if self.kind == "pair":
            return f"{place_name(self.code, lang)} ↔ {place_name(self.partner, lang)}"
        return place_name(self.code, lang)

    def wire(self) -> str:
        """Short form for callback data (no ':' — aiogram's separator): s, r.RU-VLG, p.RU-VLG.KZ-75."""
        if self.kind == "subscriptions":
            return "s"
        if self.kind == "pair":
            return f"p.{self.code}.{self.partner}"
        return f"r.{self.code}"


def _place(code: str) -> str | None:
    place = load_gazetteer().get(code.strip().upper())
    return place.code if place is not None else None


def place_scope(code: str) -> Scope:
    """A region or a country, as the gazetteer knows it."""
    place = load_gazetteer().get(code.strip().upper())
    if place is None:
        raise ReportInputError(N_("Unknown place code «{text}»."), text=code[:40])
    return Scope("country" if place.is_country else "region", place.code)


def pair_scope(first: str, second: str) -> Scope:
    a, b = _place(first), _place(second)
    if a is None or b is None or a == b:
        raise ReportInputError(N_("Unknown place code «{text}»."), text=f"{first}-{second}"[:40])
    return Scope("pair", a, b)


def _split_pair(text: str) -> tuple[str, str] | None:
    """RU-VLG-KZ-75 → (RU-VLG, KZ-75): codes hold '-' themselves, so try each cut for two known codes."""
    for sep in ("~", ",", "/", "."):
        if sep in text:
            left, _, right = text.partition(sep)
            return (left, right) if _place(left) and _place(right) else None
    parts = text.split("-")
    for cut in range(1, len(parts)):
        left, right = "-".join(parts[:cut]), "-".join(parts[cut:])
        if _place(left) and _place(right):
            return left, right
    return None


def parse_scope(text: str) -> Scope:
    """The CLI form: subscriptions:USER_ID | region:CODE | country:CODE | pair:CODE-CODE."""
    kind, _, value = text.strip().partition(":")
    kind, value = kind.lower(), value.strip()
    if kind == "subscriptions" and value.lstrip("-").isdigit():
        return Scope("subscriptions", user_id=int(value))
    if kind in ("region", "country") and value:
        scope = place_scope(value)
        if scope.kind != kind:
            raise ReportInputError(N_("«{text}» is a place code of another kind."), text=value[:40])
        return scope
    if kind == "pair" and (pair := _split_pair(value.upper())) is not None:
        return pair_scope(*pair)
    raise ReportInputError(UNKNOWN_SCOPE, text=text[:60])


def parse_wire(text: str, user_id: int) -> Scope:
    """Back from `Scope.wire()`; raises ReportInputError on forged data."""
    if text == "s":
        return Scope("subscriptions", user_id=user_id)
    kind, _, rest = text.partition(".")
    if kind == "r":
        return place_scope(rest)
    if kind == "p":
        first, _, second = rest.partition(".")
        return pair_scope(first, second)
    raise ReportInputError(UNKNOWN_SCOPE, text=text[:60])
