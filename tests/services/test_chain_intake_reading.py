"""What the chain reading changes in intake (SQLite and PostgreSQL): issue 13 #6 (an unsure
quantity is flagged in the preview, not guessed silently), #7 (`5号楼刘` and `8号楼刘` are two
buyers), and issue 15 (a multi-product chain is read for the deal's product; header lines are
never orders)."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from db.models import ChainEntry as EntryRow
from services import jielong
from tests.services.test_jielong import T0, assert_consistent, released_deal


def test_an_unsure_quantity_is_read_and_flagged_in_the_preview(session, assistant):
    deal = released_deal(session, assistant)
    text = "#接龙\n78. 王芳 2份 3栋\n79. 蒋奶奶36 2 4栋\n"
    plan = jielong.preview_paste(session, deal.id, text)
    rows = {r["团员"]: r for r in plan.rows()}
    assert rows["蒋奶奶36"]["数量"] == 2
    assert rows["蒋奶奶36"]["提示"].startswith("⚠") and "36" in rows["蒋奶奶36"]["提示"]
    assert rows["王芳"]["提示"] == ""
    assert plan.unsure() == 1 and "⚠ 1 条读取不确定" in plan.summary()
    res = jielong.apply_paste(session, assistant, deal.id, text, at=T0 + timedelta(minutes=1))
    assert res.units_valid == 4  # 2 + 2, not 2 + 1


def test_neighbours_glued_to_their_building_stay_two_buyers(session, assistant):
    deal = released_deal(session, assistant)
    jielong.apply_paste(session, assistant, deal.id, "1. 5号楼刘 1份\n2. 8号楼刘 2份\n", at=T0)
    deal = assert_consistent(session, deal.id)
    assert deal.buyers_valid == 2
    rows = session.execute(select(EntryRow.buyer_name, EntryRow.address).where(EntryRow.deal_id == deal.id)
                           .order_by(EntryRow.id)).all()
    assert [tuple(r) for r in rows] == [("5号楼刘", "5号楼"), ("8号楼刘", "8号楼")]


def test_a_multi_product_chain_is_read_for_the_deals_product(session, assistant):
    deal = released_deal(session, assistant, product="砂糖橘", stock=None, per_person_limit=None)
    text = "#接龙\n1. 任化东 红富士冰糖心4斤，砂糖橘2斤\n2. 李四 砂糖橘3斤\n3. 王五 红富士冰糖心1斤\n"
    plan = jielong.preview_paste(session, deal.id, text)
    assert [(r["团员"], r["数量"]) for r in plan.rows()] == [("任化东", 2), ("李四", 3)]
    assert any("其他商品" in line and "王五" in line for line in plan.ignored)  # said, not dropped silently
    res = jielong.apply_paste(session, assistant, deal.id, text, at=T0)
    assert (res.added, res.units_valid, res.buyers_valid) == (2, 5, 2)
    assert_consistent(session, deal.id)


def test_a_menu_header_is_never_an_order(session, assistant):
    deal = released_deal(session, assistant)
    text = ("#接龙\n6.18号星期四午餐预定接龙（30元）\n   1.红烧鲈鱼\n   2.红烧肉\n例 桃子 1份午餐晚餐\n\n"
            "1. 桃子 5份晚餐\n2. 秀 午餐一份\n")
    plan = jielong.preview_paste(session, deal.id, text)
    assert [r["团员"] for r in plan.rows()] == ["桃子", "秀"]


def test_a_two_meal_chain_is_read_for_the_meal_the_deal_sells(session, assistant):
    # Night 15: the real lunch-box chain tests/data/real/chains/tune/taozi_0609-tue-lunch-dinner.txt
    # (source in its first line) pasted into a deal 午餐 counted `桃子 6份晚餐` as six lunches.
    lines = (Path(__file__).parents[1] / "data/real/chains/tune/taozi_0609-tue-lunch-dinner.txt"
             ).read_text(encoding="utf-8").splitlines()[1:]
    text = "\n".join(lines)
    lunch = released_deal(session, assistant, product="午餐", stock=None, per_person_limit=None)
    plan = jielong.preview_paste(session, lunch.id, text)
    assert [(r["团员"], r["数量"]) for r in plan.rows()] == [
        ("王燕萍", 1), ("小柠檬", 1), ("桃子", 1), ("reni", 1), ("李湘", 1), ("大龙猫", 1)]
    assert any("其他餐" in line and "6份晚餐" in line for line in plan.ignored)  # said, not dropped silently
    res = jielong.apply_paste(session, assistant, lunch.id, text, at=T0)
    assert (res.added, res.units_valid, res.buyers_valid) == (6, 6, 6)
    assert_consistent(session, lunch.id)
    # the twin: a deal naming no meal (the lunch-box business as one deal) takes every portion
    boxes = jielong.parse_chain(text)
    assert sum(e.qty for e in jielong.for_product(boxes, "桃子盒饭")) == 13
    both = jielong.for_product(jielong.parse_chain("#接龙\n1. 张三 午餐1份 晚餐2份\n2. 李四 晚饭一份"), "晚餐")
    assert [(e.name, e.qty) for e in both] == [("张三", 2), ("李四", 1)]
