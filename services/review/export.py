"""Exports of a night (action "export"): entries for packing, questions, promises, report.

- Entries (接龙明细) are the valid chain entries, each assigned to a packing group
  (取货点/楼栋) by services.pickup.pickup_group, the one rule the pickup lists,
  delivery runs and the counter use too.
- CSV: one row per entry, sorted by group, UTF-8 with BOM so Excel opens it in Chinese; phones
  and other long numbers written as ="…" so Excel keeps every digit (see _NUMBER_AS_TEXT).
  XLSX: 汇总 (per group: buyers, entries, units, amount, units per product; then 合计),
  分拣明细 (sorted by group with a 小计 row after each group and 合计 at the end),
  one sheet per group (up to MAX_GROUP_SHEETS), 候补（不打包） (waitlisted entries, when
  there are any) and 复盘指标 (the page's KPIs, rates as 62.7%). Both stream with bounded
  memory (services.review.packing reads the entries in two passes; services.review.workbook
  writes a write-only workbook); 跟团号 is an integer on every row (manual entries numbered
  after the deal's last one).
- Money per entry follows services.review.metrics: the imported amount, else qty × group price.
- Text a spreadsheet would run as a formula (= + - @ at the start) is kept as text: in
  XLSX the cell is typed as a string; in CSV it gets a leading apostrophe.
- Every export requires the "export" permission and logs one event ("review.exported").
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from services import events, jielong, shows
from services.authz import Actor, require
from services.formats import pct
from services.pickup import NO_ADDRESS, pickup_group  # noqa: F401  (re-exported: services.export)
from services.review import metrics, report, tables, workbook
from services.review.packing import ENTRY_COLUMNS
from services.review.packing import plan as packing_plan
from services.review.packing import rows as packing_rows
from services.text import strip_controls

MAX_GROUP_SHEETS = workbook.MAX_GROUP_SHEETS
RESERVED_SHEETS = workbook.RESERVED_SHEETS
sheet_name = workbook.sheet_name


def entry_rows(session: Session, show_id: int, status: str = jielong.EntryStatus.VALID) -> list[dict[str, Any]]:
    """The entries of a show with one status (valid: what gets packed), with their packing
    group, in packing order (small reads and tests; the file exports stream instead)."""
    shows.get_show(session, show_id)
    packing = packing_plan(session, show_id, status)
    return [dict(zip(ENTRY_COLUMNS, cells)) for _, cells in packing_rows(session, packing)]


def entries_frame(session: Session, show_id: int, status: str = jielong.EntryStatus.VALID) -> pd.DataFrame:
    return _whole_seq(pd.DataFrame(entry_rows(session, show_id, status), columns=ENTRY_COLUMNS))


def _whole_seq(df: pd.DataFrame) -> pd.DataFrame:
    """跟团号 as a whole number: one entry without a number (a manual add) used to turn the
    column into floats, exported as "101.0"."""
    df["跟团号"] = pd.array([None if pd.isna(v) else int(v) for v in df["跟团号"]], dtype="Int64")
    return df


def kpi_cells(k: dict[str, Any]) -> list[list[Any]]:
    """指标, 数值, 代码 rows: rates as people read them (62.7%), counts and money as numbers."""
    out = []
    for key, label in metrics.KPI_LABELS.items():
        v = k[key]
        if v is None:
            shown: Any = ""
        elif key in metrics.RATE_KEYS:
            shown = pct(v)
        else:
            shown = v
        out.append([label, shown, key])
    return out


def kpi_frame(k: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(kpi_cells(k), columns=["指标", "数值", "代码"])


def question_frame(session: Session, show_id: int) -> pd.DataFrame:
    rows = [
        {
            "类别": r["category_label"],
            "问题": r["text"],
            "状态": r["status_label"],
            "提问人数": r["askers"],
            "评论条数": r["comments"],
            "首次出现": r["first_seen"],
            "回复时间": r["answered_at"],
            "回复用时（秒）": None if r["response_s"] is None else round(r["response_s"]),
            "回复内容": r["answer"],
        }
        for r in tables.question_rows(session, show_id, limit=100_000)
    ]
    return pd.DataFrame(
        rows, columns=["类别", "问题", "状态", "提问人数", "评论条数", "首次出现", "回复时间", "回复用时（秒）", "回复内容"]
    )


def promise_frame(session: Session, show_id: int) -> pd.DataFrame:
    rows = [
        {
            "承诺时间": r["said_at"],
            "承诺原话": r["text"],
            "类型": r["kind_label"],
            "团品": r["deal"],
            "截止时间": r["due_at"],
            "状态": r["status_label"],
            "履约进度": f"{r['items_done']}/{r['items_total']}" if r["items_total"] else "",
            "范围": r["scope_label"],
            "逾期项": r["overdue"],
        }
        for r in tables.promise_rows(session, show_id)
    ]
    return pd.DataFrame(rows, columns=["承诺时间", "承诺原话", "类型", "范围", "团品", "截止时间", "状态", "履约进度", "逾期项"])


# ---------------------------------------------------------------- file writers


# Long digit strings (phones, 快团团 order numbers) and numbers with a leading zero: Excel, opening a
# CSV, guesses each cell's type and ignores CSV quoting, so 13800005678 shows as 1.38E+10 and 0755
# loses its zero. A CSV cannot type a column, so the cell must carry the hint itself. We write it
# as ="13800005678": Excel and WPS (the spreadsheets our staff open it in) show exactly the digits,
# left as text, and copy them without a stray character; a leading tab (the other usual trick)
# stays in the cell and comes along when the number is pasted into a phone. Only cells made of
# digits alone (optional leading +) are wrapped, so no user text can ride in as a formula.
# `from_csv_text` undoes it for anything reading the file back.
_NUMBER_AS_TEXT = re.compile(r"\+?\d{11,}|0\d+")
_WRAPPED = re.compile(r'="(\+?\d+)"')


def _excel_text(v: str) -> str:
    return f'="{v}"'


def from_csv_text(v: str) -> str:
    """A cell read back from our CSV as it was stored (="13800005678" → 13800005678)."""
    m = _WRAPPED.fullmatch(v)
    return m.group(1) if m else v


def _csv_safe(v: Any) -> Any:
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**11:  # a long id stored as a number
        return _excel_text(str(v))
    if not isinstance(v, str):
        return v
    v = strip_controls(v)  # rows stored before intake cleaned them: no bidi override reaches a file
    if _NUMBER_AS_TEXT.fullmatch(v):
        return _excel_text(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel reads it as Chinese), formula-looking text neutralised."""
    safe = df.copy()
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(_csv_safe)
    return safe.to_csv(index=False, quoting=csv.QUOTE_MINIMAL, date_format="%Y-%m-%d %H:%M:%S").encode("utf-8-sig")


def stream_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """CSV written row by row (no frame in memory), UTF-8 with BOM, formula-looking text neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow([_csv_safe(v) for v in r])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: dict[str, pd.DataFrame], bold_first_col: tuple[str, ...] = ("小计", "合计")) -> bytes:
    """Write DataFrames to one workbook; user text never becomes a formula; totals in bold."""
    from openpyxl.styles import Font

    buf = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for title, df in sheets.items():
            name = sheet_name(title, taken)
            df = df.map(lambda v: strip_controls(v) if isinstance(v, str) else v)  # openpyxl refuses controls
            df.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            bold = Font(bold=True)
            for row in ws.iter_rows():
                is_total = any(isinstance(c.value, str) and c.value.startswith(bold_first_col) for c in row[:4])
                for cell in row:
                    if cell.data_type == "f":  # openpyxl reads "=…" as a formula: keep it as text
                        cell.data_type = "s"
                    if is_total:
                        cell.font = bold
            for col in ws.columns:
                width = max((_display_width(c.value) for c in col), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(max(8, width + 2), 60)
            ws.freeze_panes = "A2"
    return buf.getvalue()


def _display_width(v: Any) -> int:
    s = "" if v is None else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


# ---------------------------------------------------------------- actions (permission + audit)


Progress = workbook.Progress


def _reporting(rows: Iterator, total: int, progress: Progress | None, every: int = 5_000) -> Iterator:
    for i, r in enumerate(rows, 1):
        if progress and (i % every == 0 or i == total):
            progress(i, total)
        yield r


def _exported(session: Session, actor: Actor, show_id: int, what: str, rows: int | None = None) -> None:
    require(actor, "export")
    shows.get_show(session, show_id)
    events.record(session, "review.exported", show_id, actor, what=what, rows=rows)


def entries_csv(session: Session, actor: Actor, show_id: int, progress: Progress | None = None) -> bytes:
    """The packing CSV, streamed: one row per valid entry in packing order."""
    require(actor, "export")
    shows.get_show(session, show_id)
    packing = packing_plan(session, show_id, jielong.EntryStatus.VALID)
    _exported(session, actor, show_id, "entries_csv", len(packing))
    return stream_csv(ENTRY_COLUMNS, (cells for _, cells in _reporting(packing_rows(session, packing), len(packing), progress)))


def entries_xlsx(session: Session, actor: Actor, show_id: int, progress: Progress | None = None) -> bytes:
    """The packing workbook, streamed (services.review.workbook)."""
    require(actor, "export")
    shows.get_show(session, show_id)
    packing = packing_plan(session, show_id, jielong.EntryStatus.VALID)
    waitlisted = packing_plan(session, show_id, jielong.EntryStatus.WAITLISTED)
    _exported(session, actor, show_id, "entries_xlsx", len(packing))
    kpis = kpi_cells(metrics.kpis(session, show_id))
    return workbook.entries_workbook(session, packing, waitlisted, kpis, progress)


def questions_csv(session: Session, actor: Actor, show_id: int) -> bytes:
    require(actor, "export")
    df = question_frame(session, show_id)
    _exported(session, actor, show_id, "questions_csv", len(df))
    return to_csv(df)


def promises_csv(session: Session, actor: Actor, show_id: int) -> bytes:
    require(actor, "export")
    df = promise_frame(session, show_id)
    _exported(session, actor, show_id, "promises_csv", len(df))
    return to_csv(df)


def questions_promises_xlsx(session: Session, actor: Actor, show_id: int) -> bytes:
    require(actor, "export")
    q, p = question_frame(session, show_id), promise_frame(session, show_id)
    _exported(session, actor, show_id, "questions_promises_xlsx", len(q) + len(p))
    return to_xlsx({"问题": q, "承诺": p})


def report_html(session: Session, actor: Actor, show_id: int) -> bytes:
    """The one-file HTML report (services.review.report), UTF-8."""
    require(actor, "export")
    html = report.render(session, show_id)
    _exported(session, actor, show_id, "report_html")
    return html.encode("utf-8")
