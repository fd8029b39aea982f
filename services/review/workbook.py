"""The packing workbook (接龙明细.xlsx), streamed: services.review.xlsx writes each row to its
sheet's temporary file as it comes, so memory stays flat however many entries the night has.

Sheets: 汇总 (per group: buyers, entries, units, amount, units per product; then 合计),
分拣明细 (packing order, a 小计 row after each group, 合计 at the end), one sheet per group (up
to MAX_GROUP_SHEETS groups and MAX_GROUP_SHEET_ROWS entries; written in the same pass as
分拣明细), 候补（不打包） (when anyone waits)
and 复盘指标. Column widths come from the data (services.review.packing measures them);
totals are bold; user text never becomes a formula (a string cell is typed as a string).
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from services.review import xlsx
from services.review.metrics import money
from services.review.packing import ENTRY_COLUMNS, Packing, rows, subtotal_cells

MAX_GROUP_SHEETS = 30
# Per-group sheets repeat every row of 分拣明细 (which has them grouped with a 小计 each): on a
# night bigger than this they would double the file and its writing time, so only 分拣明细 is kept.
MAX_GROUP_SHEET_ROWS = 30_000
RESERVED_SHEETS = ("汇总", "分拣明细", "复盘指标", "候补（不打包）")
SUMMARY_COLUMNS = ["取货点/楼栋", "下单人数", "单数", "份数", "金额（元）"]
KPI_COLUMNS = ["指标", "数值", "代码"]
MAX_WIDTH = 60

Progress = Callable[[int, int], None]  # (rows written, rows in all)


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


def _sheet(sheets: list[xlsx.Sheet], title: str, header: list[str], widths: list[int], taken: set[str]) -> xlsx.Sheet:
    """A new sheet: widths from the data (8 to 60 characters), header in bold, frozen."""
    sheet = xlsx.Sheet(sheet_name(title, taken), [min(max(8, w + 2), MAX_WIDTH) for w in widths])
    sheet.append(header, bold=True)
    sheets.append(sheet)
    return sheet


def _summary(wb: list[xlsx.Sheet], packing: Packing, taken: set[str]) -> None:
    header = SUMMARY_COLUMNS + packing.products
    widths = [max(packing.widths[0], 10), 8, 8, 8, 10] + [max(8, len(p) * 2) for p in packing.products]
    sheet = _sheet(wb, "汇总", header, widths, taken)
    for g in packing.groups:
        sheet.append(packing.totals[g].cells(g, packing.products))
    sheet.append(packing.total.cells("合计", packing.products), bold=True)
    if packing.total.flagged_entries:  # night 17: 合计 ¥1,067.60 beside the review's 成交额 ¥997.70
        sheet.append([f"其中待核实 {packing.total.flagged_entries} 单（未计入复盘成交额 "
                      f"¥{money(packing.total.flagged_amount):,.2f}）", "", packing.total.flagged_entries, "",
                      money(packing.total.flagged_amount)])


def _packing_sheets(wb: list[xlsx.Sheet], session: Session, packing: Packing, taken: set[str], progress: Progress | None) -> None:
    detail = _sheet(wb, "分拣明细", ENTRY_COLUMNS, packing.widths, taken)
    per_group: list[xlsx.Sheet] = []
    if len(packing.groups) <= MAX_GROUP_SHEETS and len(packing) <= MAX_GROUP_SHEET_ROWS:
        per_group = [
            _sheet(wb, f"楼栋 {g}" if g in RESERVED_SHEETS else g, ENTRY_COLUMNS, packing.widths, taken)
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


def _close_group(detail: xlsx.Sheet, per_group: list[xlsx.Sheet], packing: Packing, g: int) -> None:
    group = packing.groups[g]
    row = subtotal_cells("小计", group, packing.totals[group])
    detail.append(row, bold=True)
    if per_group:
        per_group[g].append(row, bold=True)


def entries_workbook(
    session: Session, packing: Packing, waitlisted: Packing, kpis: list[list[Any]], progress: Progress | None = None
) -> bytes:
    wb: list[xlsx.Sheet] = []
    taken: set[str] = set()
    try:
        _summary(wb, packing, taken)
        _packing_sheets(wb, session, packing, taken, progress)
        if len(waitlisted):  # not packed: who to tell if stock frees up (金额 is what they would pay)
            sheet = _sheet(wb, "候补（不打包）", ENTRY_COLUMNS, waitlisted.widths, taken)
            for _, cells in rows(session, waitlisted):
                sheet.append(cells)
        sheet = _sheet(wb, "复盘指标", KPI_COLUMNS, [max(len(r[0]) * 2 for r in kpis) if kpis else 8, 14, 20], taken)
        for r in kpis:
            sheet.append(r)
        buf = io.BytesIO()
        xlsx.save(wb, buf)
    finally:
        xlsx.discard(wb)
    return buf.getvalue()
