"""限量 per spec (issue 13 #9: "each spec can carry its own price, and stock where the seller has
it"): entries beyond a spec's stock are flagged like 超出限购 (counted apart, money out of the
GMV, named in 提示), on every path that checks the stock: paste, re-paste, manual add, cancel,
and a stock changed after the release."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from services import jielong
from services.errors import FieldErrors
from services.jielong.parser import parse_chain
from tests.services.test_jielong import T0, assert_consistent, form, make_show, released_deal

SPECS = dict(spec_options="5斤装,10斤装", spec_stock="10斤装=3", group_price=Decimal("10"),
             original_price=Decimal("20"), stock=None, per_person_limit=None)


def _hints(session, deal_id) -> dict[str, str]:
    return {r["团员"]: r["提示"] for r in jielong.list_entries(session, deal_id)}


def test_entries_beyond_a_specs_stock_are_flagged_and_kept_out_of_the_gmv(session, assistant):
    deal = released_deal(session, assistant, **SPECS)
    plan = jielong.preview_paste(session, deal.id, "1. 甲 2份 10斤装\n2. 乙 2份 10斤装\n3. 丙 5份 5斤装\n4. 丁 1份 10斤装")
    assert "超出规格限量 1 条" in plan.summary()
    assert [r["超规格限量"] for r in plan.rows()] == ["", "是", "", ""]
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 2份 10斤装\n2. 乙 2份 10斤装\n3. 丙 5份 5斤装\n4. 丁 1份 10斤装", at=T0)
    deal = assert_consistent(session, deal.id)
    # 乙's 2 would make 4 of 3; 丁's 1 still fits (first fit, as the deal's own 限量); 5斤装 has none.
    assert (deal.entries_valid, deal.entries_flagged, deal.units_flagged) == (4, 1, 2)
    assert deal.gmv_valid == Decimal("80.00") and deal.gmv_flagged == Decimal("20.00")
    assert _hints(session, deal.id) == {"甲": "", "乙": "超出规格限量", "丙": "", "丁": ""}


def test_a_manual_entry_and_a_cancel_follow_the_specs_stock(session, assistant):
    deal = released_deal(session, assistant, **SPECS)
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 3份 10斤装", at=T0)
    late = jielong.add_entry(session, assistant, deal.id, "戊", 1, spec="10斤装", at=T0 + timedelta(minutes=1))
    assert late.over_stock and _hints(session, deal.id)["戊"] == "超出规格限量"
    assert_consistent(session, deal.id)
    first = next(r["编号"] for r in jielong.list_entries(session, deal.id) if r["团员"] == "甲")
    jielong.cancel_entry(session, assistant, first, at=T0 + timedelta(minutes=2))
    deal = assert_consistent(session, deal.id)
    assert _hints(session, deal.id)["戊"] == "" and deal.entries_flagged == 0


def test_a_larger_spec_stock_after_the_release_unflags_the_entries(session, assistant):
    deal = released_deal(session, assistant, **SPECS)
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 2份 10斤装\n2. 乙 2份 10斤装", at=T0)
    assert assert_consistent(session, deal.id).entries_flagged == 1
    jielong.update_deal(session, assistant, deal.id, form(**{**SPECS, "spec_stock": "10斤装=10"}))
    deal = assert_consistent(session, deal.id)
    assert deal.entries_flagged == 0 and deal.spec_stock == {"10斤装": 10}
    # A re-paste of a longer chain (the incremental path) still checks the spec's stock.
    jielong.update_deal(session, assistant, deal.id, form(**{**SPECS, "spec_stock": "10斤装=5"}))
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 2份 10斤装\n2. 乙 2份 10斤装\n3. 己 2份 10斤装",
                        at=T0 + timedelta(minutes=1))
    assert _hints(session, deal.id)["己"] == "超出规格限量"
    assert_consistent(session, deal.id)


def test_spec_stock_is_checked_on_the_form(session, assistant):
    show = make_show(session, assistant)
    for bad in ("20斤装=3", "10斤装=0", "10斤装=2.5", "10斤装三份"):
        with pytest.raises(FieldErrors) as err:
            jielong.create_deal(session, assistant, show.id, form(spec_options="5斤装,10斤装", spec_stock=bad))
        assert "规格限量" in err.value.errors, bad
    deal = jielong.create_deal(session, assistant, show.id, form(spec_options="5斤装,10斤装", spec_stock="10斤装=20份"))
    assert deal.spec_stock == {"10斤装": 20} and jielong.spec_stock_text(deal.spec_stock) == "10斤装=20"


def test_the_jielong_post_names_each_specs_own_stock(session, assistant):
    deal = released_deal(session, assistant, **SPECS)
    assert "规格：5斤装 / 10斤装 限3份" in jielong.jielong_text(session, deal.id)


def test_the_jielong_post_prices_every_spec_when_one_has_its_own_price(session, assistant):
    """Night 17: `规格：5斤装 / 10斤装 ¥69.9 限8份` reads as both specs at ¥69.9; a spec without a
    price of its own is named at the group price once another spec has one."""
    deal = released_deal(session, assistant, **{**SPECS, "spec_prices": "10斤装=69.9", "group_price": Decimal("39.9"),
                                                    "original_price": None})
    assert "规格：5斤装 ¥39.9 / 10斤装 ¥69.9 限3份" in jielong.jielong_text(session, deal.id)


NAPPIES = dict(spec_options="S码,M码,L码", spec_prices="S码=89；M码=99；L码=109", spec_stock="L码=5",
               group_price=Decimal("89"), original_price=Decimal("139"), stock=None, per_person_limit=None)
NAPPY_CHAIN = ("1. 朵朵妈 L码1包 快递\n4. 安安 L码2包 自提\n6. 果果 L 1 快递\n8. 朵朵妈 L码2包 快递\n"
               "9. 小雨 M 1\n10. 糖糖妈咪 l码1包 快递")


def test_a_letter_size_written_without_its_ma_is_that_spec_at_its_price_and_stock(session, assistant):
    """Night 21: `6. 果果 L 1` and `9. 小雨 M 1` on 纸尿裤 S码/M码/L码 were read with no spec: ¥89
    each, and 果果's L left out of L码's 限量 5, so the next L line was flagged instead of 朵朵妈's
    second order, the one that made 6 of 5."""
    deal = released_deal(session, assistant, **NAPPIES)
    jielong.apply_paste(session, assistant, deal.id, NAPPY_CHAIN, at=T0)
    deal = assert_consistent(session, deal.id)
    specs = {(r["团员"], r["数量"]): r["规格"] for r in jielong.list_entries(session, deal.id)}
    assert specs[("果果", 1)] == "L码" and specs[("小雨", 1)] == "M码"
    # L码 in chain order: 1, 3, 4, then 朵朵妈's 2 make 6 of 5 (flagged), 糖糖妈咪's 1 still fits.
    assert (deal.entries_flagged, deal.units_flagged, deal.gmv_flagged) == (1, 2, Decimal("218.00"))
    assert deal.gmv_valid == Decimal("109") * 5 + Decimal("99")


def test_a_letter_inside_a_word_or_a_name_is_no_size(session, assistant):
    """Twin: XL is not L, 阿May holds no M, `小M 2` is a member named 小M; a spec the deal lacks is a note."""
    deal = released_deal(session, assistant, **NAPPIES)
    jielong.apply_paste(session, assistant, deal.id, "1. 豆豆 XL 1\n2. 阿May 2包\n3. 小M 2", at=T0)
    rows = {r["团员"]: r["规格"] for r in jielong.list_entries(session, deal.id)}
    assert rows == {"豆豆": "", "阿May": "", "小M": ""}


def test_a_size_the_deal_does_not_sell_is_read_with_a_warning_not_silently():
    """Night 21 (left by night21): `XL 1` on 纸尿裤 S码/M码/L码 was kept with XL in the note and priced at the
    base ¥89 with no word. The preview's ⚠ now says the deal has no XL码 (the line is still read, never dropped)."""
    specs = ["S码", "M码", "L码"]
    for line, size in (("1. 豆豆 XL 1 快递", "XL码"), ("2. 朵朵妈 xxl码2包", "XXL码"), ("3. 果果 2XL 1", "2XL码")):
        (e,) = parse_chain(line, specs)
        assert e.spec == "" and e.hints == [f"该团没有 {size}（只有 S码、M码、L码），未按规格读取和计价，请核对"], line


def test_a_sold_size_a_name_with_a_letter_or_a_deal_not_sold_in_sizes_gets_no_size_warning():
    """Twin: L / M码 are sold sizes; 阿May, 小M and Lily are names; a deal sold as 5斤装 / 10斤装 has no sizes to miss."""
    specs = ["S码", "M码", "L码"]
    for line in ("1. 果果 L 1", "2. 小雨 m码 2", "3. 阿May 2包", "4. 小M 2", "5. Lily 1", "6. 王芳 S码1 M码1"):
        assert all(not e.hints for e in parse_chain(line, specs)), line
    assert parse_chain("7. 豆豆 XL 1", ["5斤装", "10斤装"])[0].hints == []


def test_the_paste_preview_flags_a_size_the_deal_does_not_sell(session, assistant):
    deal = released_deal(session, assistant, **NAPPIES)
    plan = jielong.preview_paste(session, deal.id, "1. 豆豆 XL 1\n2. 小雨 M 1")
    hints = {r["团员"]: r["提示"] for r in plan.added}
    assert hints["豆豆"].startswith("⚠ 该团没有 XL码") and hints["小雨"] == ""
