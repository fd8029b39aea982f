"""Issue 14 #11: an .xlsx decompression bomb is refused before it is parsed (its unpacked size
is capped), a sheet with too many rows is refused after reading just past the cap (streamed),
and a number cell reads as the 跟团号 a person sees."""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from services import jielong
from services.jielong.orders import read_table
from services.errors import TooLarge
from services.uploads import MAX_ROWS

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def _bomb(unpacked_mb: int = 200) -> bytes:
    """A valid-looking workbook whose one sheet unpacks to `unpacked_mb` MB (~1 MB packed)."""
    wb = Workbook()
    wb.active.append(["跟团号", "下单人", "数量"])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    row = '<row><c t="inlineStr"><is><t>' + "王" * 200 + "</t></is></c></row>"
    body = (XML_HEAD + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + row * (unpacked_mb * 1_000_000 // len(row.encode())) + "</sheetData></worksheet>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = body.encode() if info.filename.endswith("sheet1.xml") else src.read(info.filename)
            z.writestr(info.filename, data)
    return out.getvalue()


def test_a_decompression_bomb_is_refused_before_parsing():
    data = _bomb()
    assert len(data) < 3_000_000
    started = time.process_time()
    with pytest.raises(TooLarge) as exc:
        jielong.columns(data, "orders.xlsx")
    assert "解压后过大" in str(exc.value) and exc.value.field == "文件"
    assert time.process_time() - started < 20  # generous: a parse of it took minutes


def test_too_many_rows_are_refused_and_number_cells_read_as_typed():
    wb = Workbook()
    ws = wb.active
    ws.append(["跟团号", "下单人", "数量"])
    for i in range(1, MAX_ROWS + 5):
        ws.append([i + 100, f"团员{i}", 1])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(TooLarge):
        read_table(buf.getvalue(), "orders.xlsx")
    small = Workbook()
    small.active.append(["跟团号", "下单人", "数量"])
    small.active.append([101.0, "李四", 2])
    buf = io.BytesIO()
    small.save(buf)
    df = read_table(buf.getvalue(), "orders.xlsx")
    assert list(df["跟团号"]) == ["101"] and list(df["下单人"]) == ["李四"]
