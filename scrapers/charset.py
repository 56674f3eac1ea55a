"""Decode downloaded bytes: header charset, then <meta>, then charset-normalizer, then cp1251."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""", re.IGNORECASE)
META_WINDOW = 4096
LAST_RESORT = "cp1251"  # the legacy encoding of the Russian-language sites we poll


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KB (<meta charset>, http-equiv or XML prolog)."""
    head = data[:META_WINDOW]
    for pattern in (META_CHARSET, XML_ENCODING):
        match = pattern.search(head)
        if match:
            codec = _known_codec(match.group(1).decode("ascii", "ignore"))
            if codec:
                return codec
    return None


def detect_charset(data: bytes, header_charset: str | None) -> str:
    """Pick the encoding in the order header → <meta> → charset-normalizer → cp1251."""
    codec = _known_codec(header_charset) or declared_charset(data)
    if codec:
        return codec
    best = from_bytes(data[:65536]).best()
    return _known_codec(best.encoding if best else None) or LAST_RESORT


def decode_body(data: bytes, header_charset: str | None) -> tuple[str, str]:
    """Text and the codec used; undecodable bytes become U+FFFD rather than failing the page."""
    codec = detect_charset(data, header_charset)
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return data.decode(codec, errors="replace"), codec


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not a text document (NULs or mostly control bytes)."""
    sample = data[:2048]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control / len(sample) > 0.1
