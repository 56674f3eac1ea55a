"""Bad input never raises and gives an empty, sensible result."""

from __future__ import annotations

import time

import pytest

from analysis.pipeline import analyze

BAD_INPUTS = {
    "empty": "",
    "no letters": "12345 ... !!! 67,89 -- ++",
    "one megabyte": "Вологодская область и Алматинская область. " * 24_000,
    "mixed scripts": "Вологда Almaty Алматы облысы 北京 Ελλάδα مرحبا " * 50,
    "html remnants": "<div class='x'><p>Привет &amp; мир</p><script>var a = 1;</script></div>" * 20,
    "control chars": "Текст\x00 с\x07 управляющими\x1b символами\u200b и\ufeff мусором." * 30,
    "only whitespace": "   \n\n\t  \r\n ",
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_an_empty_result(case: str) -> None:
    started = time.perf_counter()
    result = analyze("", BAD_INPUTS[case])
    assert time.perf_counter() - started < 10
    assert result.language in ("ru", "en", "kk")
    assert not result.cooperation.is_cooperation
    assert result.cooperation.parties == []
    assert len(result.summary) <= 400
    assert len(result.signature) == 64
    assert "\x00" not in result.main_text and "<div" not in result.main_text


def test_bad_title_too() -> None:
    result = analyze("\x00<b>" * 1000, "")
    assert result.summary == ""
    assert result.topics == []
