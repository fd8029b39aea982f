"""Exports of a night (action "export"): entries for packing, questions, promises, report.

- Entries (接龙明细) are the valid chain entries, each assigned to a packing group
  (取货点/楼栋) by services.pickup.pickup_group, the one rule the pickup lists,
  delivery runs and the counter use too.
- CSV: one row per entry, sorted by group, UTF-8 with BOM so Excel opens it in Chinese.
  XLSX: 汇总 (per group: buyers, entries, units, amount, units per product; then 合计),
  分拣明细 (sorted by group with a 小计 row after each group and 合计 at the end),
  one sheet per group (up to MAX_GROUP_SHEETS), 候补（不打包） (waitlisted entries, when
  there are any) and 复盘指标 (the page's KPIs).
- Money per entry follows services.review.metrics: the imported amount, else qty × group price.
- Text a spreadsheet would run as a formula (= + - @ at the start) is kept as text: in
  XLSX the cell is typed as a string; in CSV it gets a leading apostrophe.
- Every export requires the "export" permission and logs one event ("review.exported").
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ChainEntry, Deal
from services import events, jielong, shows
from services.authz import Actor, require
from services.pickup import NO_ADDRESS, pickup_group
from services.review import metrics, report, tables
from services.text import strip_controls

MAX_GROUP_SHEETS = 30
RESERVED_SHEETS = ("汇总", "分拣明细", "复盘指标", "候补（不打包）")

ENTRY_COLUMNS = ["取货点/楼栋", "团品", "跟团号", "下单人", "数量", "规格", "备注", "地址", "电话", "金额（元）"]


def entry_rows(session: Session, show_id: int, status: str = jielong.EntryStatus.VALID) -> list[dict[str, Any]]:
    """The entries of a show with one status (valid: what gets packed), with their packing
    group, sorted for packing."""
    shows.get_show(session, show_id)
    q = (
        select(
            ChainEntry.seq, ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.spec, ChainEntry.note,
            ChainEntry.address, ChainEntry.phone, metrics.entry_amount(), Deal.product, Deal.id,
        )
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(Deal.show_id == show_id, ChainEntry.status == status)
        .order_by(Deal.id, ChainEntry.seq, ChainEntry.id)
    )
    rows = []
    for seq, name, qty, spec, note, address, phone, amount, product, deal_id in session.execute(q):
        rows.append(
            {
                "取货点/楼栋": pickup_group(address, note),
                "团品": product,
                "跟团号": seq,
                "下单人": name,
                "数量": qty,
                "规格": spec or "",
                "备注": note or "",
                "地址": address or "",
                "电话": phone or "",
                "金额（元）": metrics.money(amount),
                "_deal": deal_id,
            }
        )
    rows.sort(key=lambda r: (r["取货点/楼栋"] == NO_ADDRESS, r["取货点/楼栋"], r["_deal"], r["跟团号"] or 0))
    for r in rows:
        del r["_deal"]
    return rows


def entries_frame(session: Session, show_id: int, status: str = jielong.EntryStatus.VALID) -> pd.DataFrame:
    return _whole_seq(pd.DataFrame(entry_rows(session, show_id, status), columns=ENTRY_COLUMNS))


def _whole_seq(df: pd.DataFrame) -> pd.DataFrame:
    """跟团号 as a whole number: one entry without a number (a manual add) used to turn the
    column into floats, exported as "101.0"."""
    df["跟团号"] = pd.array([None if pd.isna(v) else int(v) for v in df["跟团号"]], dtype="Int64")
    return df


def group_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per packing group: buyers, entries, units, amount and units per product, then 合计."""
    products = list(dict.fromkeys(df["团品"]))
    cols = ["取货点/楼栋", "下单人数", "单数", "份数", "金额（元）"] + products
    out = []
    for group, g in df.groupby("取货点/楼栋", sort=False):
        row = {
            "取货点/楼栋": group,
            "下单人数": g["下单人"].nunique(),
            "单数": len(g),
            "份数": int(g["数量"].sum()),
            "金额（元）": round(float(g["金额（元）"].sum()), 2),
        }
        for p in products:
            row[p] = int(g.loc[g["团品"] == p, "数量"].sum())
        out.append(row)
    total = {
        "取货点/楼栋": "合计",
        "下单人数": df["下单人"].nunique(),
        "单数": len(df),
        "份数": int(df["数量"].sum()) if len(df) else 0,
        "金额（元）": round(float(df["金额（元）"].sum()), 2) if len(df) else 0.0,
    }
    for p in products:
        total[p] = int(df.loc[df["团品"] == p, "数量"].sum())
    out.append(total)
    return pd.DataFrame(out, columns=cols)


def with_subtotals(df: pd.DataFrame) -> pd.DataFrame:
    """The entries sorted by group, a 小计 row after each group and 合计 at the end."""
    parts = []
    for group, g in df.groupby("取货点/楼栋", sort=False):
        parts.append(g)
        parts.append(_subtotal_row(g, group, "小计"))
    parts.append(_subtotal_row(df, "", "合计"))
    return _whole_seq(pd.concat([p for p in parts if len(p)], ignore_index=True)) if parts else df


def _subtotal_row(g: pd.DataFrame, group: str, label: str) -> pd.DataFrame:
    row = {c: "" for c in ENTRY_COLUMNS}
    row.update(
        {
            "取货点/楼栋": group,
            "下单人": f"{label}（{g['下单人'].nunique()}人，{len(g)}单）",
            "数量": int(g["数量"].sum()) if len(g) else 0,
            "金额（元）": round(float(g["金额（元）"].sum()), 2) if len(g) else 0.0,
            "跟团号": None,
        }
    )
    return pd.DataFrame([row], columns=ENTRY_COLUMNS)


def kpi_frame(k: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for key, label in metrics.KPI_LABELS.items():
        v = k[key]
        rows.append({"指标": label, "数值": "" if v is None else v, "代码": key})
    return pd.DataFrame(rows, columns=["指标", "数值", "代码"])


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


def _csv_safe(v: Any) -> Any:
    if not isinstance(v, str):
        return v
    v = strip_controls(v)  # rows stored before intake cleaned them: no bidi override reaches a file
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel reads it as Chinese), formula-looking text neutralised."""
    safe = df.copy()
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(_csv_safe)
    return safe.to_csv(index=False, quoting=csv.QUOTE_MINIMAL, date_format="%Y-%m-%d %H:%M:%S").encode("utf-8-sig")


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


def entries_workbook(session: Session, show_id: int) -> dict[str, pd.DataFrame]:
    df = entries_frame(session, show_id)
    sheets = {
        "汇总": group_summary(df),
        "分拣明细": with_subtotals(df),
    }
    groups = list(dict.fromkeys(df["取货点/楼栋"]))
    if len(groups) <= MAX_GROUP_SHEETS:
        for group in groups:
            g = df[df["取货点/楼栋"] == group]
            name = f"楼栋 {group}" if group in RESERVED_SHEETS else group
            sheets[name] = with_subtotals(g).iloc[:-1]
    waitlisted = entries_frame(session, show_id, jielong.EntryStatus.WAITLISTED)
    if len(waitlisted):  # not packed: who to tell if stock frees up (金额 is what they would pay)
        sheets["候补（不打包）"] = waitlisted
    sheets["复盘指标"] = kpi_frame(metrics.kpis(session, show_id))
    return sheets


# ---------------------------------------------------------------- actions (permission + audit)


def _exported(session: Session, actor: Actor, show_id: int, what: str, rows: int | None = None) -> None:
    require(actor, "export")
    shows.get_show(session, show_id)
    events.record(session, "review.exported", show_id, actor, what=what, rows=rows)


def entries_csv(session: Session, actor: Actor, show_id: int) -> bytes:
    require(actor, "export")
    df = entries_frame(session, show_id)
    _exported(session, actor, show_id, "entries_csv", len(df))
    return to_csv(df)


def entries_xlsx(session: Session, actor: Actor, show_id: int) -> bytes:
    require(actor, "export")
    sheets = entries_workbook(session, show_id)
    _exported(session, actor, show_id, "entries_xlsx", int(sheets["汇总"]["单数"].iloc[-1]))
    return to_xlsx(sheets)


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
