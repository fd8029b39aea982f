"""Exports people pack by (issue 13 #14): one building one group, pickup points from notes and
from 快团团's 自提点, 跟团号 as integers on every row, rates formatted in the 复盘指标 sheet."""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
from sqlalchemy import select

from db.models import ChainEntry, Deal
from services import jielong, shows
from services.review import export
from tests.services.test_export import T0
from tests.services.test_jielong import released_deal
from tests.services.test_jielong_import import as_csv, ktt_frame


def _show(session, admin, lines):
    """A show with one deal; lines: (seq, name, qty, address, note)."""
    show = shows.create_show(session, admin, shows.ShowForm("打包之夜", "阳光花园群", 300, "老李", T0, T0 + timedelta(hours=1)))
    deal = Deal(show_id=show.id, product="有机上海青", group_price=Decimal("10.00"), threshold=3, created_at=T0,
                status="released", released_at=T0)
    session.add(deal)
    session.flush()
    for i, (seq, name, qty, address, note) in enumerate(lines):
        session.add(ChainEntry(deal_id=deal.id, line_key=f"k{i}", seq=seq, buyer_name=name, qty=qty, address=address,
                               note=note, status="valid", created_at=T0, updated_at=T0))
        deal.entries_valid += 1
        deal.units_valid += qty
    session.flush()
    return show


def _summary(session, reviewer, show_id) -> dict[str, list]:
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show_id)))
    ws = wb["汇总"]
    return {r[0]: list(r[1:]) for r in ws.iter_rows(min_row=2, values_only=True)}


def _csv_rows(session, reviewer, show_id) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export.entries_csv(session, reviewer, show_id).decode("utf-8-sig"))))


def test_5_hao_lou_and_5_dong_are_one_group(session, admin, reviewer):
    show = _show(session, admin, [(1, "王芳", 1, "5号楼1201", ""), (2, "李静", 2, "5栋302", ""), (3, "张强", 1, "五栋", "")])
    groups = _summary(session, reviewer, show.id)
    assert groups["5栋"][:3] == [3, 3, 4] and set(groups) == {"5栋", "合计"}


def test_a_pickup_point_in_the_note_is_that_point(session, admin, reviewer):
    show = _show(session, admin, [(1, "王芳", 1, "", "东门自提"), (2, "李静", 1, "东门自提", "")])
    rows = _csv_rows(session, reviewer, show.id)
    assert {r["取货点/楼栋"] for r in rows} == {"东门自提点"}  # not 未填地址


def test_kuaituantuan_pickup_point_is_one_group_whatever_the_address(session, assistant, reviewer):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    df = ktt_frame(6)
    df["自提点"] = "东门自提点"  # the 详细地址 column differs per row (1栋 … 7栋)
    jielong.import_orders(session, assistant, deal.id, as_csv(df), "订单.csv")
    rows = _csv_rows(session, reviewer, deal.show_id)
    assert len(rows) == 6 and {r["取货点/楼栋"] for r in rows} == {"东门自提点"}
    assert all(r["地址"].endswith("栋") for r in rows)  # the address itself is kept


def test_gen_tuan_hao_is_an_integer_and_manual_entries_get_one(session, admin, reviewer):
    show = _show(session, admin, [(1, "王芳", 1, "3栋", ""), (2, "李静", 1, "3栋", ""), (None, "手动加的", 1, "3栋", "")])
    rows = _csv_rows(session, reviewer, show.id)
    assert [r["跟团号"] for r in rows] == ["1", "2", "3"]
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show.id)))
    seqs = [r[2] for r in wb["分拣明细"].iter_rows(min_row=2, values_only=True) if r[2] is not None]
    assert seqs == [1, 2, 3] and all(isinstance(s, int) for s in seqs)


def test_kpi_sheet_shows_rates_as_percentages(session, admin, reviewer):
    show = _show(session, admin, [(1, "王芳", 1, "3栋", "")])
    show.viewers_cumulative, show.buyers = 188, 1
    session.flush()
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show.id)))
    kpis = {r[2]: r[1] for r in wb["复盘指标"].iter_rows(min_row=2, values_only=True)}
    assert kpis["watch_rate"] == "62.7%"  # 188 of 300 members
    assert kpis["order_rate"] == "0.5%"


def test_phones_and_long_numbers_stay_text_in_excel(session, admin, reviewer):
    """Excel read 13800005678 from the CSV as 1.38E+10: phones and long numbers are written ="…"."""
    show = _show(session, admin, [(1, "王芳", 1, "5栋", "订单号 260112093015887"), (2, "李静", 1, "3栋", "")])
    entries = session.scalars(select(ChainEntry).where(ChainEntry.buyer_name.in_(["王芳", "李静"]))
                              .order_by(ChainEntry.seq)).all()
    entries[0].phone, entries[1].phone = "13800005678", "139-0000-1234"
    entries[1].note = "260112093015887"
    session.flush()
    text = export.entries_csv(session, reviewer, show.id).decode("utf-8-sig")
    rows = {r["下单人"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["王芳"]["电话"] == '="13800005678"' and rows["李静"]["备注"] == '="260112093015887"'
    assert export.from_csv_text(rows["王芳"]["电话"]) == "13800005678"
    assert rows["李静"]["电话"] == "139-0000-1234"  # Excel keeps it as text already
    assert rows["王芳"]["备注"] == "订单号 260112093015887" and rows["王芳"]["跟团号"] == "1"


def test_the_summary_says_what_of_its_total_the_review_leaves_out(session, admin, reviewer):
    """Night 17: 汇总's 合计 ¥1,067.60 beside the review's 成交额 ¥997.70 (one 10斤装 over its own
    限量, 待核实, packed after a check): the sheet says which part the review leaves out."""
    show = _show(session, admin, [(1, "王阿姨", 2, "3栋", ""), (2, "老周", 1, "6栋", "")])
    session.query(ChainEntry).filter_by(buyer_name="老周").update({"over_stock": True})
    session.flush()
    groups = _summary(session, reviewer, show.id)
    assert groups["合计"][:4] == [2, 2, 3, 30]
    assert groups["其中待核实 1 单（未计入复盘成交额 ¥10.00）"][1:4] == [1, None, 10]
    # twin: nothing flagged, no such row
    session.query(ChainEntry).update({"over_stock": False})
    session.flush()
    assert not [k for k in _summary(session, reviewer, show.id) if str(k).startswith("其中待核实")]
