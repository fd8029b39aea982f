"""A small streaming XLSX writer: rows go straight to each sheet's temporary file as XML, and
the files are zipped at the end, so memory stays flat however many rows there are.

Why not openpyxl here: its write-only mode builds a cell object and an XML element per cell
(tens of µs each); a 100k-entry night writes about two million cells. This writer formats a
row as one string (about 1 µs a cell) and supports only what the exports use: text (inline
strings, so user text is never a formula), numbers, bold rows, column widths and a frozen
header row. Dates and times are written as text. Files open in Excel, WPS and openpyxl.
"""
from __future__ import annotations

import re
import tempfile
import zipfile
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def column_letter(i: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


_LETTERS = [column_letter(i) for i in range(1, 200)]


_PLAIN = re.compile(r"[&<>\x00-\x1f\ufffe\uffff]|^\s|\s$")  # text that needs escaping or preserved space


def _cell(ref: str, v: Any, style: str) -> str:
    t = type(v)
    if t is str:
        if not v:
            return ""
        if _PLAIN.search(v):
            text = escape(_ILLEGAL.sub("", v))
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'
        return f'<c r="{ref}" t="inlineStr"{style}><is><t>{v}</t></is></c>'
    if v is None:
        return ""
    if t is bool:
        return f'<c r="{ref}" t="b"{style}><v>{int(v)}</v></c>'
    if t is int or t is float or isinstance(v, (int, float, Decimal)):
        return f'<c r="{ref}"{style}><v>{v}</v></c>'
    return _cell(ref, str(v), style)


class Sheet:
    """One worksheet being written; rows are appended in order."""

    def __init__(self, name: str, widths: list[float], freeze_header: bool = True):
        self.name = name
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.rows = 0
        pane = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>') if freeze_header else ""
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>' for i, w in enumerate(widths, 1)
        )
        self.file.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_RNS}>'
                        f'{pane}<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
                        "<sheetData>")

    def append(self, values: list[Any], bold: bool = False) -> None:
        self.rows += 1
        n, style = self.rows, ' s="1"' if bold else ""
        cells = "".join(_cell(f"{_LETTERS[i]}{n}", v, style) for i, v in enumerate(values))
        self.file.write(f'<row r="{n}">{cells}</row>')

    def finish(self) -> IO[str]:
        self.file.write("</sheetData></worksheet>")
        self.file.seek(0)
        return self.file


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet {_NS}><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def save(sheets: list[Sheet], out: IO[bytes]) -> None:
    """Zip the sheets (in order) into an .xlsx written to `out`."""
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    entries = "".join(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, 1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_RNS}>'
                f"<sheets>{entries}</sheets></workbook>")
    wb_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)
    )
    wb_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{wb_rels}<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/styles.xml", _STYLES)
        for i, s in enumerate(sheets, 1):
            src = s.finish()
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk.encode("utf-8"))
            src.close()


def discard(sheets: list[Sheet]) -> None:
    for s in sheets:
        s.file.close()

