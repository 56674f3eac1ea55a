"""The XLSX writer read back by openpyxl (an independent reader) and by a plain XML parser."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook

from reports.xlsx import Sheet, column_letter, write_xlsx

MOMENTS = [
    datetime(2026, 7, 2, 15, 0),
    datetime(2026, 7, 2, 15, 37),
    datetime(2026, 9, 30, 23, 59, 59),
    datetime(2026, 1, 1, 0, 0, 1),
]


def _book(*sheets: Sheet) -> Any:
    return load_workbook(io.BytesIO(write_xlsx(list(sheets), date_format="DD.MM.YYYY HH:MM")))


def test_values_come_back_typed_and_in_their_columns() -> None:
    rows = [
        [MOMENTS[0], "plain", 3, None, 2.5],
        [MOMENTS[1], "a & b < c > d", -7, "after a gap"],
        [MOMENTS[2], "  spaced  ", 0, None, None, "beyond the header"],
        [MOMENTS[3], "=HYPERLINK(\"http://evil\",\"x\")", 10**12],
    ]
    book = _book(Sheet("Items", [17, 24, 8], ["When", "What", "N"], rows))
    ws = book.worksheets[0]
    got = list(ws.iter_rows(values_only=True))
    assert got[0] == ("When", "What", "N", None, None, None)
    assert got[1] == (MOMENTS[0], "plain", 3, None, 2.5, None)
    assert got[2] == (MOMENTS[1], "a & b < c > d", -7, "after a gap", None, None)
    assert got[3] == (MOMENTS[2], "  spaced  ", 0, None, None, "beyond the header")
    assert got[4] == (MOMENTS[3], '=HYPERLINK("http://evil","x")', 10**12, None, None, None)
    assert ws["B5"].data_type == "s"  # text that looks like a formula stays text
    assert all(ws[f"A{n}"].is_date and ws[f"A{n}"].number_format == "DD.MM.YYYY HH:MM" for n in range(2, 6))


def test_header_is_styled_frozen_filtered_and_columns_have_widths() -> None:
    rows = [["x", 1], ["y", 2]]
    book = _book(
        Sheet("Items", [60, 12.5], ["Title", "Count"], rows, auto_filter=True),
        Sheet("Counts", [10], ["Code", None, "Count"], [["KZ", None, 5]]),
    )
    items, counts = book.worksheets
    assert book.sheetnames == ["Items", "Counts"]
    assert items.freeze_panes == "A2" and counts.freeze_panes == "A2"
    assert items.auto_filter.ref == "A1:B3" and counts.auto_filter.ref is None
    assert items.column_dimensions["A"].width == 60 and items.column_dimensions["B"].width == 12.5
    header = items["A1"]
    assert header.font.b and header.fill.fill_type == "solid" and header.fill.fgColor.rgb.endswith("DDEBF7")
    assert not items["A2"].font.b and items["A2"].fill.fill_type is None
    assert counts["B1"].value is None and counts["C1"].value == "Count" and counts["C2"].value == 5


def test_text_xml_cannot_carry_is_replaced_and_carriage_returns_survive() -> None:
    rows = [["bell\x07 nul\x00 \ufffe end", "line one\r\nline two"]]
    book = _book(Sheet("Items", [10, 10], ["A", "B"], rows))
    ws = book.worksheets[0]
    assert ws["A2"].value == "bell  nul    end"
    assert ws["B2"].value == "line one\r\nline two"


def test_every_part_is_well_formed_xml_and_the_package_lists_them() -> None:
    data = write_xlsx([Sheet("Кавычка ' & <знаки>", [10], ["A"], [["x"]], auto_filter=True)], date_format="YYYY")
    with ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        parts = {name: ET.fromstring(archive.read(name)) for name in names}
    overrides = {o.get("PartName") for o in parts["[Content_Types].xml"] if o.tag.endswith("Override")}
    assert overrides == {"/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml"}
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    workbook = parts["xl/workbook.xml"]
    sheet = workbook.find(f"{main}sheets/{main}sheet")
    assert sheet is not None and sheet.get("name") == "Кавычка ' & <знаки>"
    defined = workbook.find(f"{main}definedNames/{main}definedName")
    assert defined is not None and defined.text == "'Кавычка '' & <знаки>'!$A$1:$A$2"


def test_dates_must_be_local_and_unknown_values_are_refused() -> None:
    with pytest.raises(ValueError, match="time zones"):
        write_xlsx([Sheet("S", [1], ["A"], [[datetime(2026, 7, 1, tzinfo=UTC)]])], date_format="YYYY")
    with pytest.raises(TypeError, match="bool"):
        write_xlsx([Sheet("S", [1], ["A"], [[True]])], date_format="YYYY")


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 9, 26, 27, 52, 702, 703)] == ["A", "I", "Z", "AA", "AZ", "ZZ", "AAA"]
