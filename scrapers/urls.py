"""URL canonicalisation: one spelling per article so "is it known?" is a string lookup."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Tracking parameters that never change the page a link points at.
TRACKING_PARAMS = frozenset({"from", "fbclid", "yclid", "gclid", "_openstat", "ref_src"})
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str, extra: frozenset[str]) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered in extra or lowered.startswith(TRACKING_PREFIXES)


def _normalise_path(path: str) -> str:
    """Resolve dot segments and repeated slashes; an empty path becomes "/".

    A single trailing slash is kept exactly as the site wrote it: servers treat "/a" and "/a/" as
    different resources, so rewriting it either way costs a redirect or a 404 on real sites.
    """
    if not path:
        return "/"
    had_trailing = path.endswith("/")
    cleaned = posixpath.normpath(re.sub(r"/{2,}", "/", path))
    if cleaned in (".", "/"):
        return "/"
    return cleaned + "/" if had_trailing else cleaned


def canonicalize_url(url: str, base: str | None = None, extra_tracking: frozenset[str] = frozenset()) -> str:
    """Absolute URL, lowercase scheme/host, no default port, fragment or tracking params; sorted query.

    `extra_tracking` names site-specific tracking parameters (lowercase) to drop as well.
    """
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port is not None and DEFAULT_PORTS.get(scheme) != parts.port:
        netloc = f"{host}:{parts.port}"
    query_pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k, extra_tracking)
    ]
    query = urlencode(sorted(query_pairs))
    return urlunsplit((scheme, netloc, _normalise_path(parts.path), query, ""))


def host_of(url: str) -> str:
    """The host:port a URL points at, the key for per-host politeness."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host
