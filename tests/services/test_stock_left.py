"""剩余 (units left) with 待核实 lines: one rule (services.jielong.stock_left_words) for the console's 接龙 panel,
its deal table and the host screen. Night 21: the panel read 剩余 24 份, silently counting 朵朵妈's 2 待核实 units
as sold. A 待核实 line holds its units until the leader checks it (as the allocation does: a new line beyond the
stock goes to 候补), so 剩余 stays what the chain can take now, and the held units are said apart."""
from __future__ import annotations

from decimal import Decimal

from services import jielong, live
from tests.services.test_jielong import T0, released_deal

NAPPIES = dict(spec_options="S码,M码,L码", spec_stock="L码=5", group_price=Decimal("89"),
               original_price=Decimal("139"), stock=40, threshold=5, per_person_limit=None)


def test_units_held_by_lines_to_check_are_said_beside_what_is_left():
    assert jielong.stock_left_words(40, 16, 2) == ("24 份", "另 2 份待核实")
    assert jielong.stock_left_text(40, 16, 2) == "24 份（另 2 份待核实）"
    assert jielong.stock_left_words(5, 9, 4) == ("0 份", "另 4 份待核实")  # sold out, a check may give some back


def test_no_line_to_check_or_no_stock_says_nothing_more():
    """Twin: nothing flagged → the plain 剩余; an unlimited deal is 不限量 whatever is flagged."""
    assert jielong.stock_left_words(40, 16, 0) == ("24 份", "")
    assert jielong.stock_left_text(40, 16) == "24 份"
    assert jielong.stock_left_words(None, 16, 3) == ("不限量", "")
    assert jielong.stock_left(None, 16) is None and jielong.stock_left(5, 9) == 0


def test_the_host_screens_snapshot_and_the_consoles_deal_agree(session, assistant):
    deal = released_deal(session, assistant, **NAPPIES)
    jielong.apply_paste(session, assistant, deal.id, "1. 朵朵妈 L码1包\n2. 安安 L码2包\n3. 果果 L 3\n4. 小雨 M码1包",
                        at=T0)  # 果果's 3 make L码 6 of 5: 待核实
    deal = jielong.get_deal(session, deal.id)
    snap = next(d for d in live.snapshot(session, deal.show_id, now=T0).deals if d.id == deal.id)
    assert snap.units_flagged == deal.units_flagged == 3
    assert snap.stock_left_words == jielong.stock_left_words(deal.stock, deal.units_valid, deal.units_flagged) \
        == ("33 份", "另 3 份待核实")
