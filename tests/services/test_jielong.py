"""Deals, release, chain intake, stock, tallies, milestones and progress text (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import ChainEntry as EntryRow
from db.models import Deal, DealBuyer, DealMinute, Event, QuestionGroup, Show, ShowBuyer, ShowMinute
from services import jielong, shows
from services.errors import FieldErrors, Forbidden, InvalidInput, InvalidState, TooLarge

START = datetime(2026, 11, 20, 20, 0)
END = START + timedelta(hours=1)
T0 = END - timedelta(minutes=5)  # release time used by most tests


def make_show(session, actor, title="源味集《农场主来了》") -> Show:
    return shows.create_show(session, actor, shows.ShowForm(title, "源味集·阳光花园群", 300, "老李", START, END))


def form(**kw) -> jielong.DealForm:
    base = dict(
        product="有机上海青",
        selling_points="老李大棚现摘\n农残检测未检出",
        spec_options="500g,1kg",
        group_price=Decimal("19.9"),
        original_price=Decimal("29.9"),
        threshold=50,
        threshold_unit="份",
        stock=100,
        per_person_limit=5,
        perk_first_n=50,
        perk_text="老李亲笔签名《有机生活手札》",
        delivery_text="次日中午送达，阳光花园东门自提",
        deadline=END + timedelta(minutes=30),
    )
    base.update(kw)
    return jielong.DealForm(**base)


def released_deal(session, actor, **kw) -> Deal:
    show = make_show(session, actor)
    deal = jielong.create_deal(session, actor, show.id, form(**kw), at=START)
    return jielong.release(session, deal.id, actor, at=T0)


def recount(session, deal_id) -> dict:
    """The tallies recomputed from the rows, in SQL, to compare with the tally columns."""
    def agg(status, what, *where):
        return session.scalar(
            select(what).select_from(EntryRow).join(Deal, Deal.id == EntryRow.deal_id)
            .where(EntryRow.deal_id == deal_id, EntryRow.status == status, *where)
        ) or 0

    flagged = EntryRow.over_limit | EntryRow.missing | EntryRow.over_stock
    money = func.sum(func.coalesce(EntryRow.amount, EntryRow.qty * func.coalesce(EntryRow.unit_price, Deal.group_price)))
    return {
        "entries_valid": agg("valid", func.count()),
        "units_valid": agg("valid", func.sum(EntryRow.qty)),
        "entries_waitlisted": agg("waitlisted", func.count()),
        "units_waitlisted": agg("waitlisted", func.sum(EntryRow.qty)),
        "buyers_valid": agg("valid", func.count(func.distinct(EntryRow.buyer_name))),
        "entries_flagged": agg("valid", func.count(), flagged),
        "units_flagged": agg("valid", func.sum(EntryRow.qty), flagged),
        "gmv_valid": Decimal(agg("valid", money, ~flagged)).quantize(Decimal("0.01")),
        "gmv_flagged": Decimal(agg("valid", money, flagged)).quantize(Decimal("0.01")),
    }


TALLIES = ("entries_valid", "units_valid", "entries_waitlisted", "units_waitlisted", "buyers_valid",
           "entries_flagged", "units_flagged", "gmv_valid", "gmv_flagged")


def tallies(deal: Deal) -> dict:
    return {k: Decimal(getattr(deal, k)).quantize(Decimal("0.01")) if k.startswith("gmv") else getattr(deal, k)
            for k in TALLIES}


def assert_consistent(session, deal_id):
    session.flush()
    deal = session.scalars(select(Deal).where(Deal.id == deal_id).execution_options(populate_existing=True)).one()
    assert tallies(deal) == recount(session, deal_id)
    # DealBuyer and ShowBuyer agree with the entries.
    db_rows = {n: (e, u) for n, e, u in session.execute(
        select(DealBuyer.name, DealBuyer.valid_entries, DealBuyer.valid_units).where(DealBuyer.deal_id == deal_id))}
    per = {n: (e, u) for n, e, u in session.execute(
        select(EntryRow.buyer_name, func.count(), func.sum(EntryRow.qty))
        .where(EntryRow.deal_id == deal_id, EntryRow.status == "valid").group_by(EntryRow.buyer_name))}
    assert {n: v for n, v in db_rows.items() if v != (0, 0)} == per
    show = session.get(Show, deal.show_id)
    session.refresh(show)
    # ShowBuyer: one row per person (name, building: jielong.buyers.person), grouped in SQL here
    # per (name, address) and read into buildings as the intake does.
    from collections import Counter

    from services.jielong.buyers import people_of, person
    valid, kept = Counter(), Counter()
    for name, address, status, n in session.execute(
        select(EntryRow.buyer_name, EntryRow.address, Deal.status, func.count())
        .join(Deal, Deal.id == EntryRow.deal_id).where(Deal.show_id == deal.show_id, EntryRow.status == "valid")
        .group_by(EntryRow.buyer_name, EntryRow.address, Deal.status)):
        valid[person(name, address)] += n
        if status != "failed":
            kept[person(name, address)] += n
    assert session.scalar(select(func.count()).select_from(ShowBuyer).where(
        ShowBuyer.show_id == deal.show_id, ShowBuyer.valid_entries > 0)) == len(valid)
    # kept_entries: the valid entries in deals that did not fail; Show.buyers counts the people with one.
    assert {(n, b): k for n, b, k in session.execute(select(ShowBuyer.name, ShowBuyer.building, ShowBuyer.kept_entries)
            .where(ShowBuyer.show_id == deal.show_id, ShowBuyer.kept_entries != 0))} == dict(kept)
    buildings: dict[str, set[str]] = {}
    for name, b in kept:
        buildings.setdefault(name, set()).add(b)
    assert show.buyers == sum(people_of(bs) for bs in buildings.values())
    return deal


# ---------------------------------------------------------------- deal form


def test_create_deal_and_list(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    assert deal.status == "draft" and deal.group_price == Decimal("19.90")
    assert [d.id for d in jielong.list_deals(session, show.id)] == [deal.id]
    assert jielong.get_deal(session, deal.id).product == "有机上海青"


def test_validation_names_each_failing_field_in_chinese(session, assistant):
    show = make_show(session, assistant)
    with pytest.raises(FieldErrors) as exc:
        jielong.create_deal(
            session, assistant, show.id,
            form(product=" ", group_price=0, threshold=0, stock=0, deadline=START - timedelta(minutes=1)),
        )
    errors = exc.value.errors
    assert set(errors) >= {"商品名称", "专享价", "成团数", "限量", "截止时间"}
    assert "大于 0" in errors["专享价"] and "不小于 1" in errors["成团数"]
    assert "晚于直播开始" in errors["截止时间"]
    assert "专享价" in str(exc.value)


@pytest.mark.parametrize("price", ["-1", "abc", None])
def test_price_must_be_positive(session, assistant, price):
    show = make_show(session, assistant)
    with pytest.raises(FieldErrors) as exc:
        jielong.create_deal(session, assistant, show.id, form(group_price=price))
    assert "专享价" in exc.value.errors


def test_stock_empty_means_unlimited(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form(stock=None, per_person_limit=""))
    assert deal.stock is None and deal.per_person_limit is None


def test_host_cannot_create_deals(session, assistant, host):
    show = make_show(session, assistant)
    with pytest.raises(Forbidden):
        jielong.create_deal(session, host, show.id, form())


def test_update_deal(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    jielong.update_deal(session, assistant, deal.id, form(product="有机菠菜", stock=80))
    assert jielong.get_deal(session, deal.id).product == "有机菠菜"


# ---------------------------------------------------------------- jielong text, readiness, release


def test_jielong_text_has_every_part(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    text = jielong.jielong_text(session, deal.id)
    lines = text.splitlines()
    assert lines[0] == "#接龙"
    for part in ("有机上海青", "老李大棚现摘", "专享价 ¥19.9", "原价 ¥29.9", "成团条件", "满 50 份成团",
                 "限量 100 份", "前 50 名", "亲笔签名", "预计送达", "次日中午送达", "截止时间", "例 张三 1份"):
        assert part in text, part
    # Pasting the jielong text itself back gives no entries.
    assert jielong.parse_chain(text) == []


def test_readiness_names_each_problem(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form(delivery_text="", deadline=None, stock=10))
    problems = jielong.readiness(session, deal.id, now=T0)
    assert any("送达" in p for p in problems)
    assert any("截止时间" in p for p in problems)
    assert any("限量 10 份少于成团数" in p for p in problems)
    with pytest.raises(InvalidState) as exc:
        jielong.release(session, deal.id, assistant, at=T0)
    assert "送达" in str(exc.value) and "截止时间" in str(exc.value)
    assert jielong.get_deal(session, deal.id).status == "draft"


def test_release_once_records_who_and_when(session, assistant, admin):
    deal = released_deal(session, assistant)
    assert deal.status == "released" and deal.released_at == T0 and deal.released_by == assistant.id
    with pytest.raises(InvalidState) as exc:
        jielong.release(session, deal.id, admin, at=T0 + timedelta(seconds=1))
    assert "不能重复发布" in str(exc.value) and "小美" in str(exc.value)
    kinds = session.scalars(select(Event.kind).where(Event.kind == "deal.released")).all()
    assert kinds == ["deal.released"]


def test_host_cannot_release(session, assistant, host):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    with pytest.raises(Forbidden):
        jielong.release(session, deal.id, host, at=T0)


def test_released_deal_keeps_price_but_stock_can_change(session, assistant):
    deal = released_deal(session, assistant, stock=3, threshold=2)
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 2份\n2. 乙 2份", at=T0)
    assert jielong.get_deal(session, deal.id).entries_waitlisted == 1
    with pytest.raises(InvalidState):
        jielong.update_deal(session, assistant, deal.id, form(stock=3, threshold=2, group_price=9))
    jielong.update_deal(session, assistant, deal.id, form(stock=4, threshold=2))
    deal = assert_consistent(session, deal.id)
    assert deal.entries_valid == 2 and deal.entries_waitlisted == 0


# ---------------------------------------------------------------- release advice


def test_advice_wait_when_not_ready(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form(delivery_text=""))
    advice = jielong.release_advice(session, deal.id, now=START + timedelta(minutes=20))
    assert advice.status == "wait" and any("送达" in r for r in advice.reasons)


def test_advice_now_in_the_last_five_minutes(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    assert jielong.release_advice(session, deal.id, now=START + timedelta(minutes=20)).status == "wait"
    assert jielong.release_advice(session, deal.id, now=END - timedelta(minutes=12)).status == "soon"
    advice = jielong.release_advice(session, deal.id, now=END - timedelta(minutes=4))
    assert advice.status == "now" and "结束前 5 分钟" in advice.reasons[0]


def test_advice_order_intent_surge_and_cooling_peak(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    now = START + timedelta(minutes=30)
    for i, (c, oi) in enumerate([(3, 0), (8, 0), (12, 0), (15, 1), (9, 2), (6, 3), (5, 2)]):
        session.add(ShowMinute(show_id=show.id, minute=now - timedelta(minutes=6 - i), comments=c, questions=0,
                               order_intent=oi, entries=0))
    session.flush()
    advice = jielong.release_advice(session, deal.id, now=now)
    assert advice.status == "now"
    text = " ".join(advice.reasons)
    assert "在哪接龙" in text and "高峰" in text


def test_advice_trust_first_with_open_authenticity_questions(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    session.add(QuestionGroup(show_id=show.id, category="authenticity", text="有机认证是真的吗？", status="new",
                              comments=3, askers=3, first_seen=START, last_seen=START))
    session.flush()
    advice = jielong.release_advice(session, deal.id, now=END - timedelta(minutes=3))
    assert advice.status == "soon" and "真伪资质" in advice.reasons[0]


def test_advice_after_release(session, assistant):
    deal = released_deal(session, assistant)
    assert "已于" in jielong.release_advice(session, deal.id, now=T0).reasons[0]


# ---------------------------------------------------------------- intake


CHAIN = """#接龙
有机上海青 19.9元 满50份成团
例 张三 1份 3栋

1. 王芳 2份 5栋
2、李四 两份
3. Lqz13Th x3
4. 295-909 1份
5. 🍓草莓妈妈 (不要黄叶)
"""


def test_paste_stores_entries_and_tallies(session, assistant):
    deal = released_deal(session, assistant)
    res = jielong.apply_paste(session, assistant, deal.id, CHAIN, at=T0 + timedelta(minutes=1))
    assert (res.added, res.updated, res.missing) == (5, 0, 0)
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.units_valid, deal.buyers_valid) == (5, 9, 5)
    rows = session.scalars(select(EntryRow).where(EntryRow.deal_id == deal.id).order_by(EntryRow.id)).all()
    assert [(r.seq, r.buyer_name, r.qty) for r in rows] == [
        (1, "王芳", 2), (2, "李四", 2), (3, "Lqz13Th", 3), (4, "295-909", 1), (5, "🍓草莓妈妈", 1)]
    assert rows[0].address == "5栋" and rows[4].note == "不要黄叶"
    assert all(r.created_at == T0 + timedelta(minutes=1) for r in rows)
    minute = session.scalar(select(DealMinute).where(DealMinute.deal_id == deal.id))
    assert (minute.minute, minute.entries, minute.units) == (T0 + timedelta(minutes=1), 5, 9)
    sm = session.scalar(select(ShowMinute).where(ShowMinute.show_id == deal.show_id))
    assert sm.entries == 5
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "chain.pasted")) == 1


def test_paste_is_idempotent_and_longer_chain_adds(session, assistant):
    deal = released_deal(session, assistant)
    jielong.apply_paste(session, assistant, deal.id, CHAIN, at=T0)
    again = jielong.apply_paste(session, assistant, deal.id, CHAIN, at=T0 + timedelta(minutes=1))
    assert (again.added, again.updated, again.missing, again.unchanged) == (0, 0, 0, 5)
    longer = CHAIN + "6. 赵六 3盒\n7. 王芳 1份\n"
    res = jielong.apply_paste(session, assistant, deal.id, longer, at=T0 + timedelta(minutes=2))
    assert (res.added, res.updated) == (2, 0)
    assert session.scalar(select(func.count()).select_from(EntryRow)) == 7
    deal = assert_consistent(session, deal.id)
    assert deal.units_valid == 9 + 3 + 1 and deal.buyers_valid == 6


def test_changed_and_renumbered_lines_update_missing_lines_are_flagged(session, assistant):
    deal = released_deal(session, assistant)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 李四 1份\n3. 赵六 1份", at=T0)
    # 李四 vanished (deleted in the group), the chain was renumbered, 赵六 changed quantity.
    plan = jielong.preview_paste(session, deal.id, "1. 王芳 2份\n2. 赵六 3份\n3. 钱七 1份")
    assert (len(plan.added), len(plan.updated), len(plan.missing)) == (1, 1, 1)
    assert "数量 1→3" in plan.updated[0]["变化说明"]
    assert session.scalar(select(func.count()).select_from(EntryRow)) == 3  # preview writes nothing
    res = jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 赵六 3份\n3. 钱七 1份", at=T0)
    assert (res.added, res.updated, res.missing) == (1, 1, 1)
    li = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "李四"))
    assert li.missing and li.status == "valid"  # flagged, not deleted
    zhao = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "赵六"))
    assert (zhao.seq, zhao.qty) == (2, 3)
    assert_consistent(session, deal.id)


def test_cancel_line_in_chain_cancels_that_buyers_entry(session, assistant):
    deal = released_deal(session, assistant)
    res = jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 李四 1份\n3. 王芳 不要了", at=T0)
    assert res.added == 1 and res.cancelled == 1
    deal = assert_consistent(session, deal.id)
    assert deal.entries_valid == 1 and deal.buyers_valid == 1


def test_stock_waitlist_never_oversold_and_cancel_promotes(session, assistant):
    deal = released_deal(session, assistant, stock=5, threshold=3, per_person_limit=2)
    res = jielong.apply_paste(
        session, assistant, deal.id, "1. 甲 2份\n2. 乙 2份\n3. 丙 2份\n4. 丁 1份\n5. 戊 1份", at=T0)
    deal = assert_consistent(session, deal.id)
    # 甲 2 + 乙 2 = 4; 丙 2 does not fit (waitlisted); 丁 1 fits (5); 戊 waits.
    assert (deal.units_valid, deal.entries_waitlisted) == (5, 2)
    assert deal.status == "sold_out" and deal.sold_out_at == T0 and deal.reached_at == T0
    assert res.waitlisted == 2
    assert jielong.progress_text(session, deal.id).startswith("已售罄")
    bing = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "丙"))
    jia = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "甲"))
    promoted = jielong.cancel_entry(session, assistant, jia.id, at=T0 + timedelta(minutes=1))
    assert promoted == [bing.id]
    deal = assert_consistent(session, deal.id)
    assert deal.units_valid == 5 and deal.entries_waitlisted == 1
    with pytest.raises(InvalidState):
        jielong.cancel_entry(session, assistant, jia.id)


def test_per_person_limit_is_flagged(session, assistant):
    deal = released_deal(session, assistant, per_person_limit=2)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 王芳 1份", at=T0)
    rows = session.scalars(select(EntryRow).order_by(EntryRow.id)).all()
    assert [r.over_limit for r in rows] == [False, True]
    assert all(r.status == "valid" for r in rows)
    row = jielong.add_entry(session, assistant, deal.id, "王芳", 1, at=T0)
    assert row.over_limit


def test_add_entry_threshold_crossing_at_the_entry_time(session, assistant):
    deal = released_deal(session, assistant, threshold=3, stock=4, threshold_unit="份")
    for i, name in enumerate(["甲", "乙", "丙", "丁", "戊"]):
        jielong.add_entry(session, assistant, deal.id, name, 1, at=T0 + timedelta(minutes=i), seq=i + 1, source="simulator")
    deal = assert_consistent(session, deal.id)
    assert deal.reached_at == T0 + timedelta(minutes=2)
    assert deal.sold_out_at == T0 + timedelta(minutes=3)
    assert (deal.entries_valid, deal.entries_waitlisted) == (4, 1)
    evs = session.execute(select(Event.kind, Event.at).where(Event.kind.in_(("deal.reached", "deal.sold_out"))).order_by(Event.id)).all()
    assert evs == [("deal.reached", T0 + timedelta(minutes=2)), ("deal.sold_out", T0 + timedelta(minutes=3))]
    assert session.scalar(select(func.sum(DealMinute.entries))) == 5


def test_threshold_in_people_counts_buyers(session, assistant):
    deal = released_deal(session, assistant, threshold=2, threshold_unit="人", stock=None)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 5份", at=T0)
    assert jielong.get_deal(session, deal.id).reached_at is None
    assert jielong.progress_text(session, deal.id) == "已接龙1人！还差1人成团！"
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 5份\n2. 李四 1份", at=T0 + timedelta(minutes=1))
    assert jielong.get_deal(session, deal.id).reached_at == T0 + timedelta(minutes=1)


def test_show_buyers_across_deals(session, assistant):
    deal = released_deal(session, assistant)
    deal2 = jielong.create_deal(session, assistant, deal.show_id, form(product="土鸡蛋"), at=START)
    jielong.release(session, deal2.id, assistant, at=T0)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 1份\n2. 李四 1份", at=T0)
    jielong.apply_paste(session, assistant, deal2.id, "1. 王芳 1份\n2. 赵六 1份", at=T0)
    assert session.get(Show, deal.show_id).buyers == 3
    li = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "李四"))
    jielong.cancel_entry(session, assistant, li.id, at=T0)
    assert_consistent(session, deal.id)
    assert_consistent(session, deal2.id)
    session.expire_all()
    assert session.get(Show, deal.show_id).buyers == 2


def test_paste_on_a_draft_deal_is_refused(session, assistant):
    show = make_show(session, assistant)
    deal = jielong.create_deal(session, assistant, show.id, form())
    with pytest.raises(InvalidState) as exc:
        jielong.apply_paste(session, assistant, deal.id, "1. 王芳 1份")
    assert "还未发布" in str(exc.value)


def test_host_cannot_paste(session, assistant, host):
    deal = released_deal(session, assistant)
    with pytest.raises(Forbidden):
        jielong.apply_paste(session, host, deal.id, "1. 王芳 1份")


def test_paste_over_one_megabyte_gets_the_size_message(session, assistant):
    deal = released_deal(session, assistant)
    with pytest.raises(TooLarge) as exc:
        jielong.apply_paste(session, assistant, deal.id, "1. 王芳 1份\n" * 120_000)
    assert "单次最多 1 MB" in str(exc.value)


def test_add_entry_validates(session, assistant):
    deal = released_deal(session, assistant)
    with pytest.raises(InvalidInput):
        jielong.add_entry(session, assistant, deal.id, "  ")
    with pytest.raises(InvalidInput):
        jielong.add_entry(session, assistant, deal.id, "王芳", qty=0)


def test_manual_entry_then_paste_does_not_duplicate(session, assistant):
    deal = released_deal(session, assistant)
    jielong.add_entry(session, assistant, deal.id, "王芳", 2, at=T0)
    res = jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份\n2. 李四 1份", at=T0)
    assert (res.added, res.unchanged) == (1, 0) or (res.added, res.updated) == (1, 1)
    assert session.scalar(select(func.count()).select_from(EntryRow)) == 2
    assert_consistent(session, deal.id)


# ---------------------------------------------------------------- progress text and outcomes


def test_progress_texts(session, assistant):
    deal = released_deal(session, assistant, threshold=50, stock=58, per_person_limit=None)
    assert jielong.progress_text(session, deal.id) == "已接龙0单！还差50单成团！"
    jielong.apply_paste(session, assistant, deal.id, "\n".join(f"{i}. 团员{i}" for i in range(1, 31)), at=T0)
    assert jielong.progress_text(session, deal.id) == "已接龙30单！还差20单成团！"
    jielong.apply_paste(session, assistant, deal.id, "\n".join(f"{i}. 团员{i}" for i in range(1, 51)), at=T0)
    assert jielong.progress_text(session, deal.id) == "已成团！还剩8份"
    jielong.apply_paste(session, assistant, deal.id, "\n".join(f"{i}. 团员{i}" for i in range(1, 54)), at=T0)
    assert jielong.progress_text(session, deal.id) == "最后5份！"


def test_progress_text_with_multi_unit_entries(session, assistant):
    deal = released_deal(session, assistant, threshold=10, stock=None)
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 3份\n2. 乙 2份", at=T0)
    assert jielong.progress_text(session, deal.id) == "已接龙2单！还差5份成团！"


def test_deadline_passed_without_threshold_fails(session, assistant):
    deal = released_deal(session, assistant, threshold=50)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份", at=T0)
    assert jielong.check_outcomes(session, deal.id, now=deal.deadline - timedelta(minutes=1)) == []
    msgs = jielong.check_outcomes(session, deal.id, now=deal.deadline + timedelta(minutes=1))
    assert msgs and "未成团" in msgs[0]
    deal = jielong.get_deal(session, deal.id)
    assert deal.status == "failed" and deal.failed_at == deal.deadline
    assert jielong.check_outcomes(session, deal.id, now=deal.deadline + timedelta(minutes=2)) == []
    ev = session.scalar(select(Event).where(Event.kind == "deal.failed"))
    assert ev.at == deal.deadline
    assert "未能成团" in jielong.progress_text(session, deal.id)


def test_reached_deal_does_not_fail_at_deadline(session, assistant):
    deal = released_deal(session, assistant, threshold=2)
    jielong.apply_paste(session, assistant, deal.id, "1. 王芳 2份", at=T0)
    assert jielong.check_outcomes(session, deal.id, now=deal.deadline + timedelta(minutes=1)) == []
    assert jielong.get_deal(session, deal.id).status == "reached"


# ---------------------------------------------------------------- issue 13 #8, issue 19 #4


def test_a_manual_entry_then_its_chain_line_is_one_order(session, assistant):
    """Typed by hand as "7栋小王", then "22. 7栋小王 2份" in the chain: one order, not a new
    buyer plus a 缺失 flag."""
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    jielong.add_entry(session, assistant, deal.id, "7栋小王", 1, at=T0)
    chain = "21. 王芳 1份\n22. 7栋小王 2份"
    preview = jielong.preview_paste(session, deal.id, chain)
    assert (len(preview.added), len(preview.updated), len(preview.missing)) == (1, 1, 0)
    res = jielong.apply_paste(session, assistant, deal.id, chain, at=T0 + timedelta(minutes=1))
    assert (res.added, res.updated, res.missing) == (1, 1, 0)
    rows = session.scalars(select(EntryRow).where(EntryRow.deal_id == deal.id).order_by(EntryRow.id)).all()
    assert len(rows) == 2 and not any(r.missing for r in rows)
    wang = rows[0]
    assert (wang.seq, wang.qty, wang.source) == (22, 2, "manual")
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.units_valid, deal.buyers_valid) == (2, 3, 2)
    again = jielong.apply_paste(session, assistant, deal.id, chain, at=T0 + timedelta(minutes=2))
    assert (again.added, again.updated, again.missing, again.unchanged) == (0, 0, 0, 2)


def test_a_paste_of_the_later_part_of_a_chain_flags_nothing_missing(session, assistant):
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    first = "\n".join(f"{i}. 团员{i} 1份" for i in range(1, 11)) + "\n11. 团员1 2份"
    jielong.apply_paste(session, assistant, deal.id, first, at=T0)
    # The later part only (lines 9–11), plus two new lines; 团员1's second line is line 11.
    tail = "9. 团员9 1份\n10. 团员10 1份\n11. 团员1 2份\n12. 团员12 1份\n13. 团员1 1份"
    preview = jielong.preview_paste(session, deal.id, tail)
    assert (len(preview.added), len(preview.updated), len(preview.missing)) == (2, 0, 0)
    res = jielong.apply_paste(session, assistant, deal.id, tail, at=T0 + timedelta(minutes=1))
    assert (res.added, res.updated, res.missing, res.unchanged) == (2, 0, 0, 3)
    assert session.scalar(select(func.count()).select_from(EntryRow).where(EntryRow.missing.is_(True))) == 0
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.units_valid) == (13, 14)
    # a line deleted from the later part is still flagged
    res = jielong.apply_paste(session, assistant, deal.id, "9. 团员9 1份\n10. 团员1 2份\n11. 团员12 1份\n12. 团员1 1份",
                              at=T0 + timedelta(minutes=2))
    assert res.missing == 1
    gone = session.scalar(select(EntryRow).where(EntryRow.missing.is_(True)))
    assert gone.buyer_name == "团员10"


def test_a_later_part_keys_a_line_as_a_full_chain_would_after_a_line_went_missing(session, assistant):
    # Property-test example: 李四's line 5 goes missing, she joins again at line 6 of the chain;
    # her line 6 is her first line of the chain (李四#1), in a paste of line 6 as in one of lines 2–6,
    # so the later paste flags nothing missing.
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)

    def chain(names, first=1):
        return "\n".join(f"{i}. {n} 1份" for i, n in enumerate(names, first))

    jielong.apply_paste(session, assistant, deal.id, chain(["王芳"] * 4 + ["李四"]), at=T0)
    res = jielong.apply_paste(session, assistant, deal.id, chain(["王芳"] * 5), at=T0 + timedelta(minutes=1))
    assert (res.added, res.missing) == (1, 1)  # 李四's line 5 is gone from the chain
    res = jielong.apply_paste(session, assistant, deal.id, chain(["李四"], 6), at=T0 + timedelta(minutes=2))
    assert (res.added, res.updated, res.missing) == (0, 1, 0)  # her line stands again, now as line 6
    res = jielong.apply_paste(session, assistant, deal.id, chain(["王芳"] * 4 + ["李四"], 2), at=T0 + timedelta(minutes=3))
    assert (res.added, res.updated, res.missing, res.unchanged) == (0, 0, 0, 5)
    # the full chain agrees: nothing changes, and only one of 李四's lines stands
    full = jielong.apply_paste(session, assistant, deal.id, chain(["王芳"] * 5 + ["李四"]), at=T0 + timedelta(minutes=4))
    assert (full.added, full.updated, full.missing, full.unchanged) == (0, 0, 0, 6)
    li = session.execute(select(EntryRow.seq, EntryRow.missing).where(
        EntryRow.deal_id == deal.id, EntryRow.buyer_name == "李四").order_by(EntryRow.seq)).all()
    assert [tuple(r) for r in li] == [(6, False)]
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.units_valid, deal.entries_flagged) == (6, 6, 0)


def test_a_later_part_after_a_cancelled_line_left_the_chain_flags_nothing_missing(session, assistant):
    # Property-test example: 李四's cancelled line 2 is gone from the next chain, where she is line 3.
    deal = released_deal(session, assistant, stock=None, per_person_limit=None)
    jielong.apply_paste(session, assistant, deal.id, "1. 李四 1份\n2. 李四 1份 取消", at=T0)
    res = jielong.apply_paste(session, assistant, deal.id, "1. 王芳 1份\n2. 王芳 1份\n3. 李四 1份",
                              at=T0 + timedelta(minutes=1))
    assert (res.added, res.missing) == (2, 0)  # the cancelled line leaving is not news
    res = jielong.apply_paste(session, assistant, deal.id, "3. 李四 1份", at=T0 + timedelta(minutes=2))
    assert (res.added, res.updated, res.missing, res.unchanged) == (0, 0, 0, 1)
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.units_valid, deal.entries_flagged) == (3, 3, 0)


def test_a_new_line_on_a_full_stock_waits_and_a_cancel_promotes_it(session, assistant):
    deal = released_deal(session, assistant, stock=4, threshold=2, per_person_limit=None)
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 2份\n2. 乙 2份", at=T0)
    res = jielong.apply_paste(session, assistant, deal.id, "3. 丙 1份", at=T0 + timedelta(minutes=1))
    assert (res.added, res.waitlisted, res.missing) == (1, 1, 0)
    jia = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "甲"))
    promoted = jielong.cancel_entry(session, assistant, jia.id, at=T0 + timedelta(minutes=2))
    bing = session.scalar(select(EntryRow).where(EntryRow.buyer_name == "丙"))
    assert promoted == [bing.id] and bing.status == "valid"
    deal = assert_consistent(session, deal.id)
    assert (deal.units_valid, deal.entries_waitlisted) == (3, 0)


# ---------------------------------------------------------------- issue 13 #9, #10


def test_each_spec_is_billed_at_its_own_price(session, assistant):
    from services import review

    deal = released_deal(session, assistant, spec_options="5斤装,10斤装", spec_prices="10斤装=69.9",
                         group_price=Decimal("39.9"), original_price=Decimal("79.9"), stock=None, per_person_limit=None)
    assert "10斤装 ¥69.9" in jielong.jielong_text(session, deal.id)
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 1份 10斤装\n2. 乙 2份 5斤装", at=T0)
    jielong.add_entry(session, assistant, deal.id, "丙", 1, spec="10斤装", at=T0)
    deal = assert_consistent(session, deal.id)
    assert deal.gmv_valid == Decimal("69.90") * 2 + Decimal("39.90") * 2
    k = review.kpis(session, deal.show_id)
    assert k["gmv"] == pytest.approx(2 * 69.9 + 2 * 39.9)
    assert k["deals"][0]["gmv"] == k["gmv"]


def test_spec_prices_are_checked_and_frozen_after_release(session, assistant):
    show = make_show(session, assistant)
    with pytest.raises(FieldErrors) as err:
        jielong.create_deal(session, assistant, show.id, form(spec_options="5斤装", spec_prices="10斤装=69.9"))
    assert "规格价格" in err.value.errors
    with pytest.raises(FieldErrors):
        jielong.create_deal(session, assistant, show.id, form(spec_options="5斤装", spec_prices="5斤装=0"))
    deal = jielong.create_deal(session, assistant, show.id, form(spec_options="5斤装,10斤装", spec_prices={"10斤装": 69.9}))
    assert deal.spec_prices == {"10斤装": "69.90"}
    jielong.release(session, deal.id, assistant, at=T0)
    with pytest.raises(InvalidState):
        jielong.update_deal(session, assistant, deal.id, form(spec_options="5斤装,10斤装", spec_prices={"10斤装": 59.9}))


def test_flagged_entries_are_counted_apart_not_in_the_gmv(session, assistant):
    """Over the per-person limit, or missing from the latest chain: still valid (they hold
    stock until someone checks), counted apart, and their money is not in the GMV."""
    from services import review

    deal = released_deal(session, assistant, stock=None, per_person_limit=2, group_price=Decimal("10"),
                         original_price=Decimal("20"))
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 1份\n2. 乙 1份\n3. 甲 2份", at=T0)
    deal = assert_consistent(session, deal.id)
    assert (deal.entries_valid, deal.entries_flagged, deal.units_flagged) == (3, 1, 2)  # 甲's second line: 3 > 2
    assert deal.gmv_valid == Decimal("20.00") and deal.gmv_flagged == Decimal("20.00")
    jielong.apply_paste(session, assistant, deal.id, "1. 甲 1份\n2. 甲 2份", at=T0 + timedelta(minutes=1))
    deal = assert_consistent(session, deal.id)  # 乙 missing from the latest chain
    assert (deal.entries_flagged, deal.gmv_valid) == (2, Decimal("10.00"))
    row = review.kpis(session, deal.show_id)["deals"][0]
    assert (row["gmv"], row["gmv_flagged"], row["entries_flagged"]) == (10.0, 30.0, 2)
    hints = {r["团员"] + str(r["数量"]): r["提示"] for r in jielong.list_entries(session, deal.id)}
    assert hints == {"甲1": "", "乙1": "最新接龙中缺失", "甲2": "超出限购"}
