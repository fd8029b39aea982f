"""A chain line naming two of the deal's specs reads as one entry per spec, each with its
quantity (night 9: `12. 王芳 大果2斤 小果1斤 5栋` read as the first spec's quantity with a ⚠,
the other spec left in the note)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from db.models import ChainEntry as EntryRow
from services import jielong
from services.jielong.parser import parse_chain
from services.jielong.spec_lines import spec_quantities
from tests.services.test_jielong import START, T0, form, make_show

SPECS = ["大果", "小果"]


def read(line: str, specs=SPECS) -> list[tuple]:
    return [(e.seq, e.name, e.spec, e.qty, e.address, e.hints) for e in parse_chain(line, specs)]


def test_two_specs_each_with_its_quantity_are_two_entries():
    assert read("12. 王芳 大果2斤 小果1斤 5栋") == [(12, "王芳", "大果", 2, "5栋", []), (12, "王芳", "小果", 1, "5栋", [])]


def test_counts_written_before_their_specs():
    assert read("3. 李四 2份小果 1份大果") == [(3, "李四", "小果", 2, "", []), (3, "李四", "大果", 1, "", [])]


def test_specs_with_counts_after_a_times_sign_and_a_phone():
    rows = read("5. 小王 小箱约5斤 x2 大箱约8斤 1箱 13812345678", ["小箱约5斤", "大箱约8斤"])
    assert [(r[2], r[3], r[5]) for r in rows] == [("小箱约5斤", 2, []), ("大箱约8斤", 1, [])]
    assert all(e.phone == "13812345678" and e.note == "" for e in parse_chain("5. 小王 小箱约5斤 x2 大箱约8斤 1箱 13812345678",
                                                                          ["小箱约5斤", "大箱约8斤"]))


def test_one_of_each_when_no_spec_has_a_count():
    assert [(r[2], r[3], r[5]) for r in read("8. 孙八 大果 小果 3栋")] == [("大果", 1, []), ("小果", 1, [])]


def test_a_spec_without_its_own_count_beside_one_with_a_count_keeps_the_warning():
    """`大果 小果2份`: the 2份 may be for both; 大果 read as 1, said with ⚠."""
    rows = read("4. 张三 大果 小果2份")
    assert [(r[2], r[3]) for r in rows] == [("大果", 1), ("小果", 2)]
    assert rows[0][5] == ["「大果」没写数量，按 1 份读取，请核对"] and rows[1][5] == []


def test_one_spec_a_cancel_or_specs_the_deal_lacks_are_read_as_before():
    assert read("7. 钱七 大果2斤") == [(7, "钱七", "大果", 2, "", [])]
    assert len(parse_chain("7. 钱七 大果2斤 小果1斤 取消", SPECS)) == 1  # a cancel splits nothing
    assert spec_quantities("王芳 大果2斤 大果1斤", SPECS) is None  # one spec twice: nothing to split
    only = parse_chain("12. 王芳 大果2斤 小果1斤 5栋", ["10斤装", "5斤装"])
    assert len(only) == 1 and only[0].qty == 3  # not the deal's specs: two products as before


def test_a_pasted_two_spec_line_stores_one_entry_per_spec_at_its_price(session, assistant):
    show = make_show(session, assistant, title="两个规格")
    deal = jielong.create_deal(session, assistant, show.id, form(
        product="丹东草莓", spec_options="大果,小果", spec_prices="大果=39.9；小果=19.9",
        group_price=Decimal("29.9"), original_price=Decimal("49.9"), per_person_limit=10), at=START)
    jielong.release(session, deal.id, assistant, at=T0)
    chain = "#接龙 丹东草莓\n例 张三 1份 3栋\n1. 李四 大果1份\n2. 王芳 大果2斤 小果1斤 5栋"
    jielong.apply_paste(session, assistant, deal.id, chain, at=T0)
    again = jielong.apply_paste(session, assistant, deal.id, chain, at=T0)  # the same chain again: no change
    assert (again.added, again.updated, again.missing) == (0, 0, 0)
    rows = session.execute(select(EntryRow.buyer_name, EntryRow.spec, EntryRow.qty, EntryRow.unit_price)
                           .where(EntryRow.deal_id == deal.id).order_by(EntryRow.id)).all()
    assert [(n, s, q, p) for n, s, q, p in rows] == [
        ("李四", "大果", 1, Decimal("39.90")), ("王芳", "大果", 2, Decimal("39.90")), ("王芳", "小果", 1, Decimal("19.90"))]


def test_a_later_part_of_the_chain_and_a_longer_chain_keep_the_two_spec_entries(session, assistant):
    """The two entries of one line are the member's successive lines: a paste of the chain's later part
    and the chain with a new line after it change nothing of them."""
    show = make_show(session, assistant, title="两个规格部分粘贴")
    deal = jielong.create_deal(session, assistant, show.id, form(product="丹东草莓", spec_options="大果,小果",
                                                              per_person_limit=10), at=START)
    jielong.release(session, deal.id, assistant, at=T0)
    lines = ["1. 李四 大果1份", "2. 王芳 大果2斤 小果1斤 5栋", "3. 赵六 小果1份", "4. 王芳 小果2份"]
    jielong.apply_paste(session, assistant, deal.id, "#接龙\n" + "\n".join(lines), at=T0)
    tail = jielong.apply_paste(session, assistant, deal.id, "\n".join(lines[2:]), at=T0)
    assert (tail.added, tail.updated, tail.missing) == (0, 0, 0)
    longer = jielong.apply_paste(session, assistant, deal.id, "#接龙\n" + "\n".join([*lines, "5. 钱七 1份"]), at=T0)
    assert (longer.added, longer.updated, longer.missing, longer.entries_valid, longer.units_valid) == (1, 0, 0, 6, 8)


def test_the_review_says_why_there_are_more_orders_than_chain_lines(session, assistant):
    """3 chain lines, 4 有效单: the review says one line became an entry per spec; the HTML report too."""
    from services import review

    show = make_show(session, assistant, title="两个规格复盘")
    deal = jielong.create_deal(session, assistant, show.id, form(
        product="丹东草莓", spec_options="大果,小果", group_price=Decimal("29.9"), original_price=Decimal("49.9"),
        per_person_limit=10), at=START)
    jielong.release(session, deal.id, assistant, at=T0)
    chain = "#接龙 丹东草莓\n1. 李四 大果1份\n2. 王芳 大果2斤 小果1斤 5栋\n3. 赵六 小果1份"
    jielong.apply_paste(session, assistant, deal.id, chain, at=T0)
    assert review.split_lines(session, show.id) == {deal.id: (1, 2)}
    deals = review.kpis(session, show.id)["deals"]
    assert (deals[0]["entries"], deals[0]["split_lines"], deals[0]["split_entries"]) == (4, 1, 2)
    note = "有效单数含 1 行接龙拆为多个规格（每个规格计 1 单，这 1 行共计 2 单）。"
    assert review.split_note(deals) == note
    assert note in review.render(session, show.id)
    # Without such a line nothing is said.
    plain = make_show(session, assistant, title="一个规格一行")
    other = jielong.create_deal(session, assistant, plain.id, form(
        product="丹东草莓", spec_options="大果,小果", group_price=Decimal("29.9"), original_price=Decimal("49.9"),
        per_person_limit=10), at=START)
    jielong.release(session, other.id, assistant, at=T0)
    jielong.apply_paste(session, assistant, other.id, "#接龙 丹东草莓\n1. 李四 大果1份\n2. 李四 小果1份", at=T0)
    assert review.split_lines(session, plain.id) == {}
    assert review.split_note(review.kpis(session, plain.id)["deals"]) == ""
    assert "拆为多个规格" not in review.render(session, plain.id)
