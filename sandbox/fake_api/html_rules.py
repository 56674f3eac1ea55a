"""Telegram's HTML parse mode: which markup it accepts, and the visible text it leaves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tag → entity type; `span` and `blockquote` are decided by their attributes.
TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")


class EntityParseError(ValueError):
    """Markup Telegram refuses; the message is the tail of "can't parse entities: ..."."""


@dataclass
class ParsedText:
    """Visible text plus Bot API entities (offsets and lengths in UTF-16 code units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # index into the visible text, in code points
    byte_offset: int


def _byte_offset(source: str, index: int) -> int:
    # Telegram reports positions in UTF-8 bytes of the source.
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, index: int) -> tuple[str, int]:
    """Decode the `&...;` at index into (character, length consumed), or raise."""
    match = _ENTITY.match(source, index)
    if match is None:
        raise EntityParseError(f'Unescaped "&" at byte offset {_byte_offset(source, index)}: write it as &amp;')
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in NAMED_ENTITIES:
            raise EntityParseError(f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(source, index)}')
        return NAMED_ENTITIES[name], match.end() - index
    code_point = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code_point == 0 or code_point > 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
        raise EntityParseError(f"Invalid character reference at byte offset {_byte_offset(source, index)}")
    return chr(code_point), match.end() - index


def _parse_attributes(source: str, index: int, tag_offset: int) -> tuple[dict[str, str], int]:
    """Read `name="value"` pairs up to the closing `>`; returns them and the index after `>`."""
    attrs: dict[str, str] = {}
    length = len(source)
    while True:
        while index < length and source[index].isspace():
            index += 1
        if index >= length:
            raise EntityParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if source[index] == ">":
            return attrs, index + 1
        name_match = _ATTR_NAME.match(source, index)
        if name_match is None:
            raise EntityParseError(f"Empty attribute name in the tag at byte offset {tag_offset}")
        name = name_match.group().lower()
        index = name_match.end()
        value = ""
        if index < length and source[index] == "=":
            value, index = _parse_attribute_value(source, index + 1, tag_offset)
        attrs[name] = value


def _parse_attribute_value(source: str, index: int, tag_offset: int) -> tuple[str, int]:
    """Read a quoted or bare attribute value; entities inside it are decoded."""
    length = len(source)
    if index < length and source[index] in "\"'":
        quote = source[index]
        end = source.find(quote, index + 1)
        if end < 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {tag_offset}")
        raw, after = source[index + 1 : end], end + 1
    else:
        end = index
        while end < length and not source[end].isspace() and source[end] != ">":
            end += 1
        raw, after = source[index:end], end
    return _decode_text(raw, tag_offset), after


def _decode_text(raw: str, tag_offset: int) -> str:
    parts: list[str] = []
    position = 0
    while position < len(raw):
        if raw[position] == "&":
            character, consumed = _decode_entity(raw, position)
            parts.append(character)
            position += consumed
        else:
            parts.append(raw[position])
            position += 1
    return "".join(parts)


def _entity_for(tag: _OpenTag, end: int) -> dict[str, Any] | None:
    """The Bot API entity a closed tag stands for (still in code-point offsets)."""
    if end <= tag.start:
        return None  # Telegram drops empty entities
    entity: dict[str, Any] = {"type": TAG_ENTITY[tag.name], "offset": tag.start, "length": end - tag.start}
    if tag.name == "a":
        href = tag.attrs.get("href")
        if not href:
            return None
        entity["url"] = href
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "pre" and "language" in tag.attrs:
        entity["language"] = tag.attrs["language"]
    return entity


def _check_start_tag(name: str, attrs: dict[str, str], byte_offset: int) -> None:
    if name not in TAG_ENTITY:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}')
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {byte_offset}')


def parse_html(source: str) -> ParsedText:
    """Parse `source` the way Telegram does in HTML mode; raise EntityParseError on what it refuses."""
    visible: list[str] = []
    stack: list[_OpenTag] = []
    raw_entities: list[dict[str, Any]] = []
    index, length = 0, len(source)
    while index < length:
        character = source[index]
        if character == "&":
            decoded, consumed = _decode_entity(source, index)
            visible.append(decoded)
            index += consumed
        elif character == "<":
            index = _read_tag(source, index, visible, stack, raw_entities)
        else:
            visible.append(character)
            index += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return _finish("".join(visible), raw_entities)


def _read_tag(
    source: str, index: int, visible: list[str], stack: list[_OpenTag], entities: list[dict[str, Any]]
) -> int:
    """Consume one start or end tag at `index`; returns the index after it."""
    byte_offset = _byte_offset(source, index)
    closing = source.startswith("</", index)
    name_match = _TAG_NAME.match(source, index + (2 if closing else 1))
    if name_match is None:
        kind = "end" if closing else "start"
        raise EntityParseError(f'Unsupported {kind} tag "" at byte offset {byte_offset}')
    name = name_match.group().lower()
    if closing:
        end = source.find(">", name_match.end())
        if end < 0 or source[name_match.end() : end].strip():
            raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset}")
        if not stack:
            raise EntityParseError(f'Unexpected end tag "{name}" at byte offset {byte_offset}')
        if stack[-1].name != name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {byte_offset}, expected "</{stack[-1].name}>", found "</{name}>"'
            )
        tag = stack.pop()
        _close(tag, len(visible), stack, entities)
        return end + 1
    attrs, after = _parse_attributes(source, name_match.end(), byte_offset)
    _check_start_tag(name, attrs, byte_offset)
    stack.append(_OpenTag(name, attrs, len(visible), byte_offset))
    return after


def _close(tag: _OpenTag, end: int, stack: list[_OpenTag], entities: list[dict[str, Any]]) -> None:
    # <pre><code class="language-x"> is one pre entity carrying the language.
    css_class = tag.attrs.get("class", "")
    if tag.name == "code" and stack and stack[-1].name == "pre":
        if css_class.startswith("language-"):
            stack[-1].attrs["language"] = css_class.removeprefix("language-")
        return
    entity = _entity_for(tag, end)
    if entity is not None:
        entities.append(entity)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _finish(text: str, entities: list[dict[str, Any]]) -> ParsedText:
    """Trim outer whitespace as Telegram does, then convert offsets to UTF-16 units."""
    stripped = text.strip()
    shift = len(text) - len(text.lstrip())
    converted: list[dict[str, Any]] = []
    for entity in sorted(entities, key=lambda item: (item["offset"], -item["length"])):
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, len(stripped))
        if end <= start:
            continue
        offset = _utf16_length(stripped[:start])
        converted.append({**entity, "offset": offset, "length": _utf16_length(stripped[:end]) - offset})
    return ParsedText(stripped, converted)


def plain_text(source: str) -> ParsedText:
    """Text sent without a parse mode: taken literally, outer whitespace trimmed."""
    return ParsedText(source.strip(), [])
