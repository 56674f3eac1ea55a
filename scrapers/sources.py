"""The sources registry: sources.toml → validated SourceConfig values; bad entries reported, rest kept."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scrapers.parsers import PROFILE_NAMES, SELECTOR_FIELDS, Profile, get_profile

DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")
ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


class SourceConfig(BaseModel):
    """One site section or feed to poll."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    url: str
    kind: Literal["html", "rss"] = "html"
    lang: Literal["ru", "en", "kk"] = "ru"
    home_region: str | None = None
    interval: int = Field(default=600, ge=10, le=7 * 24 * 3600)
    parser: str = "generic"
    selectors: dict[str, str] = Field(default_factory=dict)
    timezone: str | None = None
    render: bool = False  # pages built by JavaScript: fetched through headless Chromium (scrapers/render.py)
    enabled: bool = True  # false: kept in the catalogue (e.g. a URL not verified yet), not polled
    doc: str | None = None  # where the site documents this URL or feed (its RSS page, its footer)
    country: str | None = None  # ISO 3166-1 alpha-2 of the state whose official source this is

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"must be an ISO 3166-1 code like KZ or RU, got {value!r}")
        return value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not SOURCE_ID.match(value):
            raise ValueError("use lowercase letters, digits, '-' or '_' (max 63)")
        return value

    @field_validator("url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an absolute http(s) URL, got {value!r}")
        return value

    @field_validator("home_region")
    @classmethod
    def _iso_region(cls, value: str | None) -> str | None:
        if value is not None and not ISO_3166_2.match(value):
            raise ValueError(f"must be an ISO 3166-2 code like RU-VLG or KZ-19, got {value!r}")
        return value

    @field_validator("parser")
    @classmethod
    def _known_parser(cls, value: str) -> str:
        if value not in PROFILE_NAMES:
            raise ValueError(f"unknown parser {value!r}; known: {', '.join(sorted(PROFILE_NAMES))}")
        return value

    @field_validator("selectors")
    @classmethod
    def _known_selectors(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - SELECTOR_FIELDS)
        if unknown:
            raise ValueError(f"unknown selector(s) {', '.join(unknown)}; known: {', '.join(sorted(SELECTOR_FIELDS))}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @model_validator(mode="before")
    @classmethod
    def _zone_from_profile(cls, data: Any) -> Any:
        """Without an explicit timezone a source keeps the zone its profile's sites use."""
        if isinstance(data, dict) and data.get("timezone") is None and data.get("parser", "generic") in PROFILE_NAMES:
            data = {**data, "timezone": get_profile(data.get("parser", "generic")).timezone}
        return data

    def profile(self) -> Profile:
        """The parser profile with this source's selector overrides and time zone applied."""
        return get_profile(self.parser).with_overrides(self.selectors, self.timezone)


@dataclass
class SourcesLoad:
    """Sources that loaded, and one readable line per entry that did not."""

    sources: list[SourceConfig] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    disabled: list[SourceConfig] = field(default_factory=list)  # valid, `enabled = false`: not polled


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "entry"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"field {where}: {message}"


def parse_sources(data: dict[str, Any], origin: str) -> SourcesLoad:
    """Validate the `[[sources]]` array of an already-parsed TOML document."""
    result = SourcesLoad()
    entries = data.get("sources", [])
    if not isinstance(entries, list):
        result.errors.append(f"{origin}: 'sources' must be an array of tables ([[sources]])")
        return result
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        entry_id = entry.get("id", "?") if isinstance(entry, dict) else "?"
        prefix = f"{origin}: entry {number} (id={entry_id})"
        if not isinstance(entry, dict):
            result.errors.append(f"{prefix}: must be a table")
            continue
        try:
            source = SourceConfig.model_validate(entry)
        except ValidationError as exc:
            result.errors.extend(f"{prefix}: {_describe(err)}" for err in exc.errors())  # type: ignore[arg-type]
            continue
        if source.id in seen:
            result.errors.append(f"{prefix}: field id: duplicate id, first used by entry {seen[source.id]}")
            continue
        seen[source.id] = number
        (result.sources if source.enabled else result.disabled).append(source)
    return result


def load_sources(path: str | Path | None = None) -> SourcesLoad:
    """Read a sources file (the bundled default when no path is given); never raises for bad content."""
    file = Path(path) if path else DEFAULT_SOURCES_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        return SourcesLoad(errors=[f"{file}: cannot read: {exc.strerror or exc}"])
    except tomllib.TOMLDecodeError as exc:
        return SourcesLoad(errors=[f"{file}: not valid TOML: {exc}"])
    return parse_sources(data, str(file))
