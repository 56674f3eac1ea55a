"""A small XLSX (SpreadsheetML) writer: text, numbers and dates in rows, a styled header, frozen panes,
filters and column widths; nothing else.

Why not openpyxl: it builds a Python object per cell and writes it through lxml (15–40 µs a cell here), so
a quarter's 20,000 items (180,000 cells) took most of the report's time. Here a row is one formatted
string and the sheet streams into the zip as it is produced. openpyxl still reads the files back in tests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr
from zipfile import ZIP_DEFLATED, ZipFile

Value = str | int | float | datetime | None

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADER_STYLE, DATE_STYLE = 1, 2  # indexes into cellXfs below (0 is the default style)
HEADER_FILL = "FFDDEBF7"
EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system, for dates after February 1900
FLUSH_ROWS = 500  # rows joined into one write: few zlib calls, little text held at once
# Short texts (sources, parties, labels) repeat from row to row: their XML is kept and reused;
# long, unique ones (summaries) are escaped each time rather than held.
REUSED_TEXT_CHARS, REUSED_TEXT_LIMIT = 120, 10_000
# Characters XML 1.0 cannot carry at all (the caller decides what else to drop, e.g. zero-width marks).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Beyond & < > (escaped always): a bare CR would be read back as LF, so it is written as a reference.
TEXT_ESCAPES = {"\r": "&#13;"}


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters, none of []:*?/\ (Excel's rules)
    widths: Sequence[float]  # in characters, one per column from A
    header: Sequence[str | None]  # the first row, bold on a fill; frozen
    rows: Iterable[Sequence[Value]]  # consumed once, as the sheet is written
    auto_filter: bool = False  # filter buttons on the header over every row written


def column_letter(index: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_serial(moment: datetime) -> float:
    """A naive datetime as Excel's day number with the time of day as the fraction."""
    if moment.tzinfo is not None:
        raise ValueError("Excel has no time zones: give local naive datetimes")
    delta = moment - EXCEL_EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


def xml_text(value: str) -> str:
    if XML_ILLEGAL.search(value):
        value = XML_ILLEGAL.sub(" ", value)
    return escape(value, TEXT_ESCAPES) if ("&" in value or "<" in value or ">" in value or "\r" in value) else value


def _inline_text(value: str) -> str:
    """The cell's type and content after its reference's closing quote: inline text, never t="str"
    or <f>, so a text that starts with "=" stays text."""
    # Without xml:space="preserve" readers may trim the spaces at either end.
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f'" t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>'


def _text_cell(ref: str, value: str, style: int = 0) -> str:
    styled = f'" s="{style}' if style else ""
    return f'<c r="{ref}{styled}{_inline_text(value)}'


class _Rows:
    """Rows as XML, with the XML of short repeated texts kept for reuse (the hot loop of a report)."""

    def __init__(self, columns: int) -> None:
        self.letters: list[str] = []
        self._openings: list[str] = []  # '<c r="A' for column A: the row number follows
        self._texts: dict[str, str] = {}
        self._widen(columns)

    def _widen(self, columns: int) -> None:
        self.letters += [column_letter(i) for i in range(len(self.letters) + 1, columns + 1)]
        self._openings = [f'<c r="{letter}' for letter in self.letters]

    def __call__(self, number: int, values: Sequence[Value]) -> str:
        if len(values) > len(self.letters):
            self._widen(len(values))
        texts, cells, row = self._texts, [], str(number)
        # A short row leaves the rest empty. Strings and dates are most cells: they skip _cell's checks.
        for opening, value in zip(self._openings, values, strict=False):
            kind = value.__class__
            if kind is str:
                cells.append(opening + row + (texts.get(value) or self._remember(value)))  # type: ignore[arg-type]
            elif kind is datetime:
                cells.append(f'{opening}{row}" s="{DATE_STYLE}"><v>{excel_serial(value)!r}</v></c>')  # type: ignore[arg-type]
            elif value is not None:
                cells.append(_cell(opening[6:] + row, value))
        return f'<row r="{row}">{"".join(cells)}</row>'

    def _remember(self, value: str) -> str:
        fragment = _inline_text(value)
        if len(value) <= REUSED_TEXT_CHARS and len(self._texts) < REUSED_TEXT_LIMIT:
            self._texts[value] = fragment
        return fragment


def _cell(ref: str, value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value)
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{excel_serial(value)!r}</v></c>'
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"no cell for {type(value).__name__}")
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def _sheet_head(sheet: Sheet) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>' for i, width in enumerate(sheet.widths, 1)
    )
    return (
        f'{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


def _write_sheet(archive: ZipFile, path: str, sheet: Sheet) -> str | None:
    """Stream the sheet into the archive; the filtered range ("A1:I20001") when it has filters."""
    row = _Rows(max(len(sheet.widths), len(sheet.header)))
    with archive.open(path, "w") as out:
        out.write(_sheet_head(sheet).encode())
        names = zip(row.letters, sheet.header, strict=False)
        header = "".join(_text_cell(f"{letter}1", name, HEADER_STYLE) for letter, name in names if name)
        chunk = [f'<row r="1">{header}</row>']
        number = 1
        for number, values in enumerate(sheet.rows, start=2):
            chunk.append(row(number, values))
            if len(chunk) >= FLUSH_ROWS:
                out.write("".join(chunk).encode())
                chunk = []
        filtered = f"A1:{row.letters[-1]}{number}" if sheet.auto_filter and row.letters else None
        tail = f'<autoFilter ref="{filtered}"/>' if filtered else ""
        chunk.append(f"</sheetData>{tail}</worksheet>")
        out.write("".join(chunk).encode())
    return filtered


def _styles(date_format: str) -> str:
    return (
        f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode={quoteattr(date_format)}/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        f'<fill><patternFill patternType="solid"><fgColor rgb="{HEADER_FILL}"/><bgColor indexed="64"/></patternFill>'
        "</fill></fills>"
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _workbook(names: Sequence[str], filters: Sequence[str | None]) -> str:
    sheets = "".join(
        f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>" for i, name in enumerate(names, 1)
    )
    # Excel keeps each sheet's filter range under this hidden name; without it the buttons show but
    # "reapply" loses the range.
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_absolute(names[i], ref))}</definedName>"
        for i, ref in enumerate(filters)
        if ref
    )
    return (
        f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets>'
        f"{f'<definedNames>{defined}</definedNames>' if defined else ''}</workbook>"
    )


def _absolute(sheet: str, ref: str) -> str:
    """'Items'!$A$1:$I$5 for Items and A1:I5."""
    corners = [re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", corner) for corner in ref.split(":")]
    return "'{}'!{}".format(sheet.replace("'", "''"), ":".join(corners))


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, 1)
    )
    return f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>'


def _content_types(sheet_count: int) -> str:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
        for i in range(1, sheet_count + 1)
    )
    return (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )


def write_xlsx(sheets: Sequence[Sheet], *, date_format: str) -> bytes:
    """The workbook as bytes; dates in every sheet take `date_format` (an Excel number format)."""
    buffer = io.BytesIO()
    # zlib level 1: a third of the default level's time for a file about 15% larger, which matters
    # more for a reply in a chat than the bytes do.
    with ZipFile(buffer, "w", ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))  # first, as readers expect
        archive.writestr("_rels/.rels", _relationships([("officeDocument", "xl/workbook.xml")]))
        filters = [_write_sheet(archive, f"xl/worksheets/sheet{i}.xml", s) for i, s in enumerate(sheets, 1)]
        names = [s.name for s in sheets]
        archive.writestr("xl/workbook.xml", _workbook(names, filters))
        archive.writestr("xl/styles.xml", _styles(date_format))
        targets = [("worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)]
        archive.writestr("xl/_rels/workbook.xml.rels", _relationships([*targets, ("styles", "styles.xml")]))
    return buffer.getvalue()
