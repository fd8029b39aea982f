"""The packing workbook (接龙明细.xlsx), streamed: openpyxl's write-only mode writes each row to
its sheet's temporary file as it comes, so memory stays flat however many entries the night has.

Sheets: 汇总 (per group: buyers, entries, units, amount, units per product; then 合计),
分拣明细 (packing order, a 小计 row after each group, 合计 at the end), one sheet per group (up
to MAX_GROUP_SHEETS; written in the same pass as 分拣明细), 候补（不打包） (when anyone waits)
and 复盘指标. Column widths come from the data (services.review.packing measures them);
totals are bold; user text never becomes a formula (a string cell is typed as a string).
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from services.review.packing import ENTRY_COLUMNS, Packing, rows, subtotal_cells

MAX_GROUP_SHEETS = 30
RESERVED_SHEETS = ("汇总", "分拣明细", "复盘指标", "候补（不打包）")
SUMMARY_COLUMNS = ["取货点/楼栋", "下单人数", "单数", "份数", "金额（元）"]
KPI_COLUMNS = ["指标", "数值", "代码"]
MAX_WIDTH = 60

Progress = Callable[[int, int], None]  # (rows written, rows in all)
BOLD = Font(bold=True)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 chars, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Sheet"
    base = base[:31]
    cand, i = base, 2
    while cand.lower() in {t.lower() for t in taken}:
        suffix = f"({i})"
        cand = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(cand)
    return cand


class _Sheet:
    """A write-only sheet: header in bold, frozen, widths set before the first row."""

    def __init__(self, wb: Workbook, title: str, header: list[str], widths: list[int], taken: set[str]):
        self.ws = wb.create_sheet(sheet_name(title, taken))
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = min(max(8, w + 2), MAX_WIDTH)
        self.ws.freeze_panes = "A2"
        self.append(header, bold=True)

    def append(self, cells: list[Any], bold: bool = False) -> None:
        if bold:
            self.ws.append([self._cell(v, bold=True) for v in cells])
        elif any(isinstance(v, str) and v.startswith("=") for v in cells):
            self.ws.append([self._cell(v) if isinstance(v, str) and v.startswith("=") else v for v in cells])
        else:
            self.ws.append(cells)

    def _cell(self, v: Any, bold: bool = False) -> WriteOnlyCell:
        c = WriteOnlyCell(self.ws, value=v)
        if isinstance(v, str) and v.startswith("="):
            c.data_type = "s"  # text that looks like a formula stays text
        if bold:
            c.font = BOLD
        return c


def _summary(wb: Workbook, packing: Packing, taken: set[str]) -> None:
    header = SUMMARY_COLUMNS + packing.products
    widths = [max(packing.widths[0], 10), 8, 8, 8, 10] + [max(8, len(p) * 2) for p in packing.products]
    sheet = _Sheet(wb, "汇总", header, widths, taken)
    for g in packing.groups:
        sheet.append(packing.totals[g].cells(g, packing.products))
    sheet.append(packing.total.cells("合计", packing.products), bold=True)


def _packing_sheets(wb: Workbook, session: Session, packing: Packing, taken: set[str], progress: Progress | None) -> None:
    detail = _Sheet(wb, "分拣明细", ENTRY_COLUMNS, packing.widths, taken)
    per_group: list[_Sheet] = []
    if len(packing.groups) <= MAX_GROUP_SHEETS:
        per_group = [
            _Sheet(wb, f"楼栋 {g}" if g in RESERVED_SHEETS else g, ENTRY_COLUMNS, packing.widths, taken)
            for g in packing.groups
        ]
    current, written, total = None, 0, len(packing)
    for g, cells in rows(session, packing):
        if current is not None and g != current:
            _close_group(detail, per_group, packing, current)
        current = g
        detail.append(cells)
        if per_group:
            per_group[g].append(cells)
        written += 1
        if progress and (written % 5_000 == 0 or written == total):
            progress(written, total)
    if current is not None:
        _close_group(detail, per_group, packing, current)
    detail.append(subtotal_cells("合计", "", packing.total), bold=True)


def _close_group(detail: _Sheet, per_group: list[_Sheet], packing: Packing, g: int) -> None:
    group = packing.groups[g]
    row = subtotal_cells("小计", group, packing.totals[group])
    detail.append(row, bold=True)
    if per_group:
        per_group[g].append(row, bold=True)


def entries_workbook(
    session: Session, packing: Packing, waitlisted: Packing, kpis: list[list[Any]], progress: Progress | None = None
) -> bytes:
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    _summary(wb, packing, taken)
    _packing_sheets(wb, session, packing, taken, progress)
    if len(waitlisted):  # not packed: who to tell if stock frees up (金额 is what they would pay)
        sheet = _Sheet(wb, "候补（不打包）", ENTRY_COLUMNS, waitlisted.widths, taken)
        for _, cells in rows(session, waitlisted):
            sheet.append(cells)
    sheet = _Sheet(wb, "复盘指标", KPI_COLUMNS, [max(len(r[0]) * 2 for r in kpis) if kpis else 8, 14, 20], taken)
    for r in kpis:
        sheet.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
