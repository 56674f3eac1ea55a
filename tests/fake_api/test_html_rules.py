"""Telegram's HTML parse mode, as the fake applies it."""

from __future__ import annotations

import pytest

from sandbox.fake_api.html_rules import EntityParseError, parse_html


def test_supported_tags_become_entities_and_leave_visible_text() -> None:
    parsed = parse_html('<b>Вологда</b> и <a href="https://x.ru/?a=1&amp;b=2">Алматы</a>')
    assert parsed.text == "Вологда и Алматы"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 7},
        {"type": "text_link", "offset": 10, "length": 6, "url": "https://x.ru/?a=1&b=2"},
    ]


@pytest.mark.parametrize(
    ("markup", "visible"),
    [
        ("<strong>a</strong><em>b</em><ins>c</ins><del>d</del><strike>e</strike>", "abcde"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ("<blockquote expandable>long</blockquote>", "long"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("&lt;tag&gt; &amp; &quot;q&quot; &#1071; &#x42;", '<tag> & "q" Я B'),
        ("a > b", "a > b"),
        ("<B>upper</B>", "upper"),
    ],
)
def test_accepted_markup(markup: str, visible: str) -> None:
    assert parse_html(markup).text == visible


@pytest.mark.parametrize(
    ("markup", "complaint"),
    [
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<br>", 'Unsupported start tag "br"'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ("AT&T", 'Unescaped "&"'),
        ("a &nbsp; b", 'Unsupported HTML entity "&nbsp;"'),
        ("1 < 2", 'Unsupported start tag ""'),
        ("<b", "Unclosed start tag"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
        ("<tg-emoji>x</tg-emoji>", 'must have attribute "emoji-id"'),
        ('<a href="x>y', "Unclosed start tag"),
    ],
)
def test_refused_markup(markup: str, complaint: str) -> None:
    with pytest.raises(EntityParseError, match=complaint.replace("(", r"\(")):
        parse_html(markup)


def test_error_positions_are_utf8_byte_offsets() -> None:
    # Four Cyrillic letters take eight bytes in UTF-8, so the tag starts at byte 8, not 4.
    with pytest.raises(EntityParseError, match="byte offset 8"):
        parse_html("Омск<p>")


def test_offsets_count_utf16_units_and_outer_whitespace_is_trimmed() -> None:
    parsed = parse_html("  👍 <i>ok</i>\n")
    assert parsed.text == "👍 ok"
    # The emoji is two UTF-16 code units, so "ok" starts at 3.
    assert parsed.entities == [{"type": "italic", "offset": 3, "length": 2}]


def test_empty_tags_produce_no_entities() -> None:
    assert parse_html("<b></b>x").entities == []
