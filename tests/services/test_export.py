"""Exports: packing groups, XLSX/CSV totals equal the KPIs, user text stays text, report escapes."""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest

from db.models import ChainEntry, Deal, Event, Promise, QuestionGroup, ShowBuyer
from services import review, shows
from services.review import export
from services.errors import Forbidden

T0 = datetime(2026, 2, 6, 20, 0)


@pytest.mark.parametrize(
    "address,note,group",
    [
        ("363弄12号1201", "", "363弄12号"),
        ("3号楼1201", "", "3栋"),
        ("阳光花园 5栋2单元 302", "", "阳光花园5栋"),
        ("3-1201", "", "3栋"),
        ("自提点：东门驿站", "", "东门驿站"),
        ("", "7号楼 放门口", "7栋"),
        ("", "要嫩一点的", export.NO_ADDRESS),
        ("小区南门水果店", "", "小区南门水果店"),
    ],
)
def test_pickup_group(address, note, group):
    assert export.pickup_group(address, note) == group


HOSTILE = "=HYPERLINK(\"http://x\",\"点我\")"


def _night(session, admin):
    show = shows.create_show(
        session, admin, shows.ShowForm("<script>alert(1)</script>源味集", "源味集·阳光花园群", 300, "老李", T0, T0 + timedelta(hours=1))
    )
    deals = [
        Deal(show_id=show.id, product="有机上海青", group_price=Decimal("19.90"), threshold=3, created_at=T0,
             status="reached", released_at=T0 + timedelta(minutes=55), reached_at=T0 + timedelta(minutes=58)),
        Deal(show_id=show.id, product="散养土鸡蛋", group_price=Decimal("36.00"), threshold=10, created_at=T0,
             status="released", released_at=T0 + timedelta(minutes=56)),
    ]
    session.add_all(deals)
    session.flush()
    lines = [  # deal, name, qty, address, amount, status
        (0, "张三", 2, "3号楼1201", None, "valid"),
        (0, "李四", 1, "363弄12号1201", None, "valid"),
        (0, HOSTILE, 1, "3号楼502", None, "valid"),
        (1, "张三", 1, "3号楼1201", Decimal("30.00"), "valid"),
        (1, "王五", 3, "", None, "valid"),
        (1, "赵六", 9, "3号楼", None, "cancelled"),
        (1, "孙八", 2, "5号楼", None, "waitlisted"),
    ]
    buyers = {}
    for i, (d, name, qty, addr, amount, status) in enumerate(lines):
        deal = deals[d]
        session.add(ChainEntry(deal_id=deal.id, line_key=f"k{i}", seq=i + 1, buyer_name=name, qty=qty, address=addr,
                               amount=amount, status=status, created_at=T0, updated_at=T0))
        if status == "valid":
            deal.entries_valid += 1
            deal.units_valid += qty
            deal.gmv_valid = (deal.gmv_valid or 0) + (amount if amount is not None else qty * deal.group_price)
            buyers[name] = buyers.get(name, 0) + 1
    for name, n in buyers.items():
        session.add(ShowBuyer(show_id=show.id, name=name, valid_entries=n, kept_entries=n))
    show.buyers, show.viewers_cumulative, show.viewers_peak = len(buyers), 270, 180
    session.add(QuestionGroup(show_id=show.id, category="authenticity", text="<img src=x onerror=alert(1)>有机认证是真的吗？",
                              status="new", comments=5, askers=4, first_seen=T0 + timedelta(minutes=10),
                              last_seen=T0 + timedelta(minutes=12)))
    session.add(Promise(show_id=show.id, text="前50名送《有机生活手札》&签名", kind="gift", said_at=T0 + timedelta(minutes=30)))
    session.flush()
    return show


def test_entries_xlsx_totals_match_the_kpis(session, admin, reviewer):
    show = _night(session, admin)
    data = export.entries_xlsx(session, reviewer, show.id)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["汇总", "分拣明细"]
    summary = wb["汇总"]
    header = [c.value for c in summary[1]]
    total = {h: c.value for h, c in zip(header, summary[summary.max_row])}
    k = review.kpis(session, show.id)
    assert total["取货点/楼栋"] == "合计"
    assert (total["下单人数"], total["单数"], total["份数"]) == (k["buyers"], k["entries"], k["units"]) == (4, 5, 8)
    assert total["金额（元）"] == pytest.approx(k["gmv"]) == pytest.approx(4 * 19.90 + 30 + 3 * 36)
    groups = [summary.cell(row=r, column=1).value for r in range(2, summary.max_row)]
    assert groups == ["3栋", "363弄12号", export.NO_ADDRESS]  # buildings by number (services.pickup)
    assert {"3栋", "363弄12号", export.NO_ADDRESS} <= set(wb.sheetnames)
    assert [r[3] for r in wb["候补（不打包）"].iter_rows(min_row=2, values_only=True)] == ["孙八"]
    # the hostile name is a string cell, not a formula
    detail = wb["分拣明细"]
    cells = [c for row in detail.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    kpi_sheet = {r[2]: r[1] for r in wb["复盘指标"].iter_rows(min_row=2, values_only=True)}
    assert kpi_sheet["units"] == k["units"] and kpi_sheet["gmv"] == pytest.approx(k["gmv"])
    ev = session.query(Event).filter_by(show_id=show.id, kind="review.exported").one()
    assert ev.payload["what"] == "entries_xlsx" and ev.operator_id == reviewer.id


def test_csv_exports(session, admin, reviewer):
    show = _night(session, admin)
    text = export.entries_csv(session, reviewer, show.id).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("取货点/楼栋,团品,跟团号,下单人")
    assert len(lines) == 1 + 5
    assert "'=HYPERLINK" in text  # neutralised for spreadsheets
    q = export.questions_csv(session, reviewer, show.id).decode("utf-8-sig")
    assert "真伪资质" in q and "有机认证是真的吗" in q
    p = export.promises_csv(session, reviewer, show.id).decode("utf-8-sig")
    assert "有机生活手札" in p and "赠品" in p
    wb = openpyxl.load_workbook(io.BytesIO(export.questions_promises_xlsx(session, reviewer, show.id)))
    assert wb.sheetnames == ["问题", "承诺"]


def test_export_needs_permission(session, admin, host):
    show = _night(session, admin)
    with pytest.raises(Forbidden):
        export.entries_csv(session, host, show.id)


def test_report_is_one_escaped_file(session, admin, reviewer):
    show = _night(session, admin)
    html = export.report_html(session, reviewer, show.id).decode("utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert "复盘报告" in html and "有机上海青" in html and "观看率" in html
    assert "data:image/png;base64," in html
    assert "http://" not in html.replace('http://x', '')  # nothing fetched from elsewhere


def test_empty_show_exports_open(session, admin, reviewer):
    show = shows.create_show(session, admin, shows.ShowForm("空场", "群", 10, "主播", T0, T0 + timedelta(hours=1)))
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show.id)))
    total = [c.value for c in wb["汇总"][wb["汇总"].max_row]]
    assert total[:5] == ["合计", 0, 0, 0, 0]
    assert export.entries_csv(session, reviewer, show.id).decode("utf-8-sig").strip() == ",".join(export.ENTRY_COLUMNS)
    assert "复盘报告" in export.report_html(session, reviewer, show.id).decode()


def test_group_named_like_a_sheet_keeps_its_own_sheet(session, admin, reviewer):
    show = _night(session, admin)
    deal = session.query(Deal).filter_by(show_id=show.id).first()
    session.add(ChainEntry(deal_id=deal.id, line_key="x", seq=99, buyer_name="钱七", qty=1, address="自提点：复盘指标",
                           status="valid", created_at=T0, updated_at=T0))
    session.flush()
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show.id)))
    assert "楼栋 复盘指标" in wb.sheetnames and wb["复盘指标"]["A1"].value == "指标"


def test_flagged_entries_say_why_in_the_packing_exports(session, admin, reviewer):
    """Staff packing from the sheet see which lines to check before packing them (issue 13)."""
    show = _night(session, admin)
    deal = session.query(Deal).filter_by(show_id=show.id).first()
    session.add_all([
        ChainEntry(deal_id=deal.id, line_key="f1", seq=50, buyer_name="周九", qty=6, address="3号楼", over_limit=True,
                   status="valid", created_at=T0, updated_at=T0),
        ChainEntry(deal_id=deal.id, line_key="f2", seq=51, buyer_name="吴十", qty=1, address="3号楼", over_stock=True,
                   missing=True, status="valid", created_at=T0, updated_at=T0),
    ])
    session.flush()
    wb = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show.id)))
    detail = wb["分拣明细"]
    header = [c.value for c in detail[1]]
    assert header[-1] == "提示"
    hints = {r[3]: r[-1] for r in detail.iter_rows(min_row=2, values_only=True) if r[2] is not None}
    assert hints["周九"] == "超出限购" and hints["吴十"] == "超出规格限量；最新接龙中缺失"
    assert not hints["张三"] and not hints["李四"]
    text = export.entries_csv(session, reviewer, show.id).decode("utf-8-sig")
    assert "周九" in text and "超出限购" in text
