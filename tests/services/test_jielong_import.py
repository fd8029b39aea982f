"""Import of 快团团-style order exports (CSV, XLSX). Headers as in tests/data/export_headers.md (H2, H4)."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, select

from db.models import ChainEntry as EntryRow
from db.models import Event
from services import jielong
from services.errors import InvalidInput, TooLarge
from tests.services.test_jielong import T0, assert_consistent, released_deal

KTT_COLUMNS = ["跟团号", "下单人", "团员备注", "支付时间", "团长备注", "商品", "规格", "数量", "订单金额", "退款金额",
               "订单状态", "自提点", "收货人", "联系电话", "详细地址"]


def ktt_frame(n: int, cancelled: set[int] = frozenset()) -> pd.DataFrame:
    rows = []
    for i in range(1, n + 1):
        rows.append({
            "跟团号": str(i), "下单人": f"团员{i}", "团员备注": "放门口" if i % 5 == 0 else "",
            "支付时间": "2026-11-20 20:56:00", "团长备注": "", "商品": "有机上海青", "规格": "500g",
            "数量": str(i % 3 + 1), "订单金额": f"{(i % 3 + 1) * 19.9:.2f}", "退款金额": "",
            "订单状态": "已取消" if i in cancelled else "已支付", "自提点": "阳光花园东门",
            "收货人": f"收货{i}", "联系电话": f"1380000{i:04d}", "详细地址": f"{i % 9 + 1}栋",
        })
    return pd.DataFrame(rows, columns=KTT_COLUMNS)


def as_csv(df: pd.DataFrame, encoding="utf-8-sig") -> bytes:
    return df.to_csv(index=False).encode(encoding)


def as_xlsx(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["csv", "gbk_csv", "xlsx"])
def test_import_ktt_export_with_default_mapping(session, assistant, kind):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    df = ktt_frame(12, cancelled={4})
    data, name = {
        "csv": (as_csv(df), "订单.csv"),
        "gbk_csv": (as_csv(df, "gbk"), "订单.csv"),
        "xlsx": (as_xlsx(df), "订单.xlsx"),
    }[kind]
    res = jielong.import_orders(session, assistant, deal.id, data, name)
    assert res.added == 11 and res.cancelled == 1
    row = session.scalar(select(EntryRow).where(EntryRow.line_key == "ktt:5"))
    assert (row.seq, row.buyer_name, row.qty, row.spec) == (5, "团员5", 3, "500g")
    assert row.amount == Decimal("59.70") and row.phone == "13800000005"
    assert "阳光花园东门" in row.address and "6栋" in row.address and "放门口" in row.note
    assert row.source == "import"
    assert_consistent(session, deal.id)
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "chain.imported")) == 1


def test_reimport_of_a_newer_export_updates_in_place(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    jielong.import_orders(session, assistant, deal.id, as_csv(ktt_frame(10)), "a.csv", at=T0)
    res = jielong.import_orders(session, assistant, deal.id, as_csv(ktt_frame(15, cancelled={2})), "b.csv",
                                at=T0 + timedelta(minutes=5))
    assert (res.added, res.cancelled, res.updated) == (5, 1, 0)
    again = jielong.import_orders(session, assistant, deal.id, as_csv(ktt_frame(15, cancelled={2})), "b.csv")
    assert (again.added, again.updated, again.cancelled, again.unchanged) == (0, 0, 0, 15)
    assert session.scalar(select(func.count()).select_from(EntryRow)) == 15
    assert_consistent(session, deal.id)


def test_other_mapping_and_progress(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    df = pd.DataFrame({"序号": [str(i) for i in range(1, 1201)], "昵称": [f"群友{i}" for i in range(1, 1201)],
                       "份数": ["2"] * 1200, "楼号": ["3栋"] * 1200})
    seen = []
    res = jielong.import_orders(
        session, assistant, deal.id, as_csv(df), "群接龙.csv",
        mapping={"seq": "序号", "name": "昵称", "qty": "份数", "address": "楼号"},
        progress=lambda done, total: seen.append((done, total)),
    )
    assert res.added == 1200 and res.units_valid == 2400
    assert seen[0] == (500, 1200) and seen[-1] == (1200, 1200)


def test_columns_and_default_mapping_helpers():
    data = as_csv(ktt_frame(2))
    cols = jielong.columns(data, "x.csv")
    mapping = jielong.default_mapping(cols)
    assert mapping["name"] == "下单人" and mapping["qty"] == "数量" and mapping["seq"] == "跟团号"
    # H1 (no 数量, no 规格): the rest still maps, and 下单人 is there.
    h1 = ["跟团号", "下单人", "支付时间", "商品", "订单金额", "订单退款", "订单状态", "收货人", "联系电话", "详细地址"]
    assert "qty" not in jielong.default_mapping(h1) and jielong.default_mapping(h1)["name"] == "下单人"
    # H4 (no 下单人): 收货人 is the buyer.
    h4 = ["跟团号", "商品", "规格", "数量", "商品成本价", "收货人", "联系电话", "省", "市", "区", "详细地址"]
    assert jielong.default_mapping(h4)["name"] == "收货人"


def test_quantity_from_product_text_when_there_is_no_quantity_column(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    df = pd.DataFrame({"跟团号": ["1", "2"], "下单人": ["王芳", "李四"], "商品": ["有机上海青 x3", "有机上海青"]})
    jielong.import_orders(session, assistant, deal.id, as_csv(df), "h1.csv")
    assert [r.qty for r in session.scalars(select(EntryRow).order_by(EntryRow.id))] == [3, 1]


def test_bad_files_get_chinese_messages(session, assistant):
    deal = released_deal(session, assistant)
    with pytest.raises(InvalidInput) as exc:
        jielong.import_orders(session, assistant, deal.id, b"whatever", "orders.pdf")
    assert "CSV" in str(exc.value)
    with pytest.raises(InvalidInput) as exc:
        jielong.import_orders(session, assistant, deal.id, b"PK\x03\x04broken", "orders.xlsx")
    assert "文件读取失败" in str(exc.value)
    with pytest.raises(InvalidInput) as exc:
        jielong.import_orders(session, assistant, deal.id, as_csv(ktt_frame(2)), "a.csv", mapping={"name": "不存在的列"})
    assert "不存在的列" in str(exc.value)
    with pytest.raises(TooLarge):
        jielong.import_orders(session, assistant, deal.id, b"x" * 20_000_001, "big.csv")


def test_an_export_of_another_product_is_refused_naming_both(session, assistant):
    """Issue 13 #1: a 快团团 export whose 商品 names another deal goes nowhere, with a message."""
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    df = ktt_frame(3)
    df["商品"] = "丹东红颜草莓【3斤装】"
    with pytest.raises(InvalidInput) as err:
        jielong.import_orders(session, assistant, deal.id, as_csv(df), "草莓.csv")
    assert "丹东红颜草莓【3斤装】" in str(err.value) and "有机上海青" in str(err.value)
    assert session.scalar(select(func.count()).select_from(EntryRow)) == 0


def test_a_mixed_export_imports_only_this_deals_rows(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    df = ktt_frame(4)
    df.loc[df["跟团号"] == "2", "商品"] = "丹东红颜草莓"
    df.loc[df["跟团号"] == "3", "商品"] = "有机上海青 500g x2"  # the same product, written longer
    res = jielong.import_orders(session, assistant, deal.id, as_csv(df), "混合.csv")
    assert res.added == 3 and res.other_products == {"丹东红颜草莓": 1}
    assert "丹东红颜草莓" in res.summary() and "未导入" in res.summary()
    keys = set(session.scalars(select(EntryRow.line_key)))
    assert keys == {"ktt:1", "ktt:3", "ktt:4"}


def test_same_product_reads_through_sizes_and_brackets():
    from services.jielong.orders import same_product

    assert same_product("丹东红颜草莓 3斤装", "丹东红颜草莓")
    assert same_product("丹东红颜草莓", "草莓（丹东红颜）")
    assert not same_product("丹东红颜草莓", "赣南脐橙")
