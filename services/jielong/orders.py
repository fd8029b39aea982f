"""Import orders from jielong-tool exports (快团团 / 群接龙), CSV or XLSX.

The 快团团 columns (跟团号, 下单人, 商品, 规格, 数量, 订单金额, 团员备注, 自提点, 收货人, 联系电话,
详细地址, 订单状态) are mapped by default; any other mapping field → column can be passed.
An order with a 跟团号 is keyed `ktt:<跟团号>`, so importing a newer export again updates in place.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from services.authz import Actor, require
from services.cn_numbers import cn_number
from services.errors import InvalidInput, TooLarge
from services.jielong.deals import get_deal
from services.jielong.intake import apply_entries
from services.jielong.parser import MAX_QTY, ChainEntry, normalize
from services.jielong.plan import PasteResult
from services.text import clean, strip_controls
from services.uploads import MAX_ROWS, check_file_size, decode, xlsx_rows

PROGRESS_EVERY = 500

# field → default column (快团团 export headers)
DEFAULT_MAPPING: dict[str, str] = {
    "seq": "跟团号",
    "name": "下单人",
    "product": "商品",
    "spec": "规格",
    "qty": "数量",
    "amount": "订单金额",
    "note": "团员备注",
    "pickup": "自提点",
    "receiver": "收货人",
    "phone": "联系电话",
    "address": "详细地址",
    "status": "订单状态",
}
FIELD_LABELS: dict[str, str] = {
    "seq": "跟团号（序号）",
    "name": "团员（下单人）",
    "product": "商品",
    "spec": "规格",
    "qty": "数量",
    "amount": "订单金额",
    "note": "备注",
    "pickup": "自提点",
    "receiver": "收货人",
    "phone": "联系电话",
    "address": "详细地址",
    "status": "订单状态",
}
CANCELLED_STATUSES = ("已取消", "已退款", "取消", "退款", "已关闭")
_RE_BRACKETED = re.compile(r"[【\[(（<《][^】\])）>》]*[】\])）>》]")
_RE_NOT_WORD = re.compile(r"[^\w]|[\d_]")
_RE_QTY_IN_PRODUCT = re.compile(r"[xX×*＊]\s*(\d{1,4})\s*$|(\d{1,4})\s*(?:份|件|盒|箱|斤|袋)\s*$")

Progress = Callable[[int, int], None]


def read_table(data: bytes, filename: str, header_only: bool = False):
    """The export as a DataFrame of strings; InvalidInput in Chinese when it cannot be read,
    TooLarge past uploads.MAX_ROWS rows or a spreadsheet that unpacks too big (streamed,
    never loaded whole). header_only: the columns alone (the mapping form)."""
    import pandas as pd

    check_file_size(data)
    name = (filename or "").lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            header, rows = xlsx_rows(data, header_only=header_only)
            df = pd.DataFrame(rows, columns=_unique(header), dtype=str)
        elif name.endswith((".csv", ".txt")):
            text = decode(data, "文件", "无法识别 CSV 文件的编码（支持 UTF-8 和 GBK）。")
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, nrows=0 if header_only else MAX_ROWS + 1)
            if len(df) > MAX_ROWS:
                raise TooLarge(f"表格超过 {MAX_ROWS} 行，请按团品或日期拆分后分批导入。", "文件")
        else:
            raise InvalidInput("只支持 CSV 或 XLSX 文件（快团团、群接龙导出的订单表）。", "文件")
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(f"文件读取失败，请确认是完整的 CSV / XLSX 订单导出：{type(exc).__name__}", "文件") from exc
    df.columns = [normalize(str(c)).strip() for c in df.columns]
    return df


def _unique(header: list[str]) -> list[str]:
    """Column names as pandas would give them: blanks named, repeats numbered."""
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(header):
        h = h or f"Unnamed: {i}"
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}.{n}")
    return out


def columns(data: bytes, filename: str) -> list[str]:
    """The export's column names, from its first row only (the file is not parsed whole)."""
    return list(read_table(data, filename, header_only=True).columns)


def default_mapping(cols: list[str]) -> dict[str, str]:
    """The 快团团 mapping restricted to the columns present (收货人 stands in for a missing 下单人)."""
    mapping = {f: c for f, c in DEFAULT_MAPPING.items() if c in cols}
    if "name" not in mapping and "收货人" in cols:
        mapping["name"] = "收货人"
    return mapping


def _cell(row: dict, mapping: dict[str, str], fld: str) -> str:
    col = mapping.get(fld)
    if not col:
        return ""
    return normalize(clean(row.get(col, ""), multiline=True)).strip()


def _qty(text: str, product: str) -> int:
    if text:
        try:
            n = int(float(text))
        except ValueError:
            n = cn_number(text) or 0
        if 1 <= n <= MAX_QTY:
            return n
    if product and (m := _RE_QTY_IN_PRODUCT.search(product)):
        n = int(m.group(1) or m.group(2))
        if 1 <= n <= MAX_QTY:
            return n
    return 1


def _amount(text: str) -> Decimal | None:
    text = text.replace("¥", "").replace("￥", "").replace(",", "").strip()
    if not text:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d.quantize(Decimal("0.01")) if d.is_finite() and abs(d) < Decimal("1e10") else None


def _cores(text: str) -> set[str]:
    """A product name's letters (digits, sizes and punctuation dropped), with and without
    what is in brackets: "丹东红颜草莓【3斤装】" → {"丹东红颜草莓斤装", "丹东红颜草莓"}."""
    text = normalize(text)
    return {c for c in (_RE_NOT_WORD.sub("", text), _RE_NOT_WORD.sub("", _RE_BRACKETED.sub("", text))) if c}


def same_product(cell: str, product: str) -> bool:
    """True when an export's 商品 cell names the deal's product (one contains the other)."""
    return any(a in b or b in a for a in _cores(cell) for b in _cores(product))


def split_by_product(df, mapping: dict[str, str], product: str):
    """(rows of this product, {other product: rows}). Rows with an empty 商品 cell stay: there
    is nothing to check them against. Without a 商品 column every row stays."""
    col = mapping.get("product")
    if not col or col not in df.columns:
        return df, {}
    cells = df[col].map(lambda v: normalize(str(v)).strip())
    ours = cells.map(lambda c: not c or same_product(c, product))
    others = cells[~ours].value_counts()
    return df[ours], {name: int(n) for name, n in others.items()}


def _address(pickup: str, address: str) -> str:
    """快团团's 自提点 kept apart from the address: "自提点：东门自提点｜幸福里1栋", so every order of one
    point packs into one group (services.pickup.pickup_group reads the point before ｜)."""
    return f"自提点：{pickup}｜{address}".rstrip("｜") if pickup else address


def rows_to_entries(df, mapping: dict[str, str], progress: Progress | None = None) -> list[tuple[str | None, ChainEntry]]:
    unknown = [c for c in mapping.values() if c and c not in df.columns]
    if unknown:
        raise InvalidInput(f"文件中没有这些列：{'、'.join(unknown)}。", "列对应")
    if not mapping.get("name") and not mapping.get("receiver"):
        raise InvalidInput("请指定哪一列是团员（下单人或收货人）。", "列对应")
    records = df.to_dict("records")
    total = len(records)
    out: list[tuple[str | None, ChainEntry]] = []
    for i, row in enumerate(records, 1):
        name = _cell(row, mapping, "name") or _cell(row, mapping, "receiver")
        if name:
            seq_text = _cell(row, mapping, "seq")
            product = _cell(row, mapping, "product")
            notes = [x for x in (_cell(row, mapping, "note"),) if x]
            if product:
                notes.insert(0, product)
            address = _address(_cell(row, mapping, "pickup"), _cell(row, mapping, "address"))
            status = _cell(row, mapping, "status")
            entry = ChainEntry(
                seq=int(seq_text) if seq_text.isdigit() and len(seq_text) < 9 else None,
                name=name,
                qty=_qty(_cell(row, mapping, "qty"), product),
                spec=_cell(row, mapping, "spec"),
                note=" ".join(notes),
                cancelled=any(s in status for s in CANCELLED_STATUSES) if status else False,
                address=address,
                phone=_cell(row, mapping, "phone"),
                raw=strip_controls(" | ".join(f"{k}={v}" for k, v in row.items() if v))[:1000],
                qty_explicit=True,
                amount=_amount(_cell(row, mapping, "amount")),
            )
            key = f"ktt:{seq_text}"[:64] if seq_text else None
            out.append((key, entry))
        if progress and (i % PROGRESS_EVERY == 0 or i == total):
            progress(i, total)
    return out


def import_orders(
    session: Session,
    actor: Actor,
    deal_id: int,
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    at: datetime | None = None,
) -> PasteResult:
    """Import an export file into the deal. `progress(done_rows, total_rows)` is called as rows are read."""
    require(actor, "chain.write")
    deal = get_deal(session, deal_id)
    df = read_table(data, filename)
    mapping = {k: v for k, v in (mapping or default_mapping(list(df.columns))).items() if v}
    rows, others = split_by_product(df, mapping, deal.product)
    if others and rows.empty:
        names = "、".join(f"「{n}」" for n in list(others)[:3])
        raise InvalidInput(
            f"订单表的商品是{names}，与当前团品「{deal.product}」不一致，没有导入。"
            "请先在上方选择对应的团品再导入。", "商品",
        )
    incoming = rows_to_entries(rows, mapping, progress)
    if not incoming:
        raise InvalidInput("文件中没有可导入的订单（团员一列为空）。", "文件")
    result = apply_entries(
        session, actor, deal_id, incoming, source="import", at=at, flag_missing={"import"},
        event_kind="chain.imported", filename=(filename or "")[:100], rows=len(df),
    )
    result.other_products = others
    return result
