"""Promise log and fulfilment: logging, scopes, idempotent expansion, ticking, claims, figures."""
from __future__ import annotations

import importlib.util
import itertools
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import ChainEntry, Deal, Event, FulfilmentItem, Promise
from services import promises, shows
from services.errors import Forbidden, InvalidInput, InvalidState

NIGHT = datetime(2026, 3, 10, 20, 0)
_keys = itertools.count(1)


# ---------------------------------------------------------------- helpers (rows written directly,
# so these tests do not depend on the jielong service; see test_with_the_jielong_service below)


def make_show(session, actor, title="源味集《农场主来了》") -> int:
    form = shows.ShowForm(title, "源味集·阳光花园群", 300, "老李", NIGHT, NIGHT + timedelta(hours=1))
    return shows.create_show(session, actor, form).id


def make_deal(session, show_id, product="有机上海青", released_at=None, status=None) -> int:
    deal = Deal(
        show_id=show_id, product=product, group_price=Decimal("19.9"), threshold=50, created_at=NIGHT,
        status=status or ("released" if released_at else "draft"), released_at=released_at,
    )
    session.add(deal)
    session.flush()
    return deal.id


def entry(session, deal_id, seq, name=None, status="valid", at=None) -> int:
    row = ChainEntry(
        deal_id=deal_id, line_key=f"k{next(_keys)}", seq=seq, buyer_name=name or f"团员{seq}", qty=1,
        status=status, created_at=at or NIGHT + timedelta(minutes=seq or 0), updated_at=NIGHT,
    )
    session.add(row)
    session.flush()
    return row.id


def set_entry(session, entry_id, status):
    session.get(ChainEntry, entry_id).status = status
    session.flush()


def item_map(session, promise_id) -> dict[int, tuple[bool, bool]]:
    """chain_entry_id → (active, done) for the promise's entry items; asserts no doubles."""
    rows = session.execute(
        select(FulfilmentItem.chain_entry_id, FulfilmentItem.active, FulfilmentItem.done).where(
            FulfilmentItem.promise_id == promise_id, FulfilmentItem.kind == "item"
        )
    ).all()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "an entry has two items"
    return {e: (a, d) for e, a, d in rows}


def active_ids(session, promise_id) -> set[int]:
    return {e for e, (a, _) in item_map(session, promise_id).items() if a}


@pytest.fixture
def night(session, admin):
    show_id = make_show(session, admin)
    deal_id = make_deal(session, show_id, released_at=NIGHT + timedelta(minutes=5))
    return show_id, deal_id


# ---------------------------------------------------------------- logging


def test_log_promise_stores_words_time_guessed_kind_and_the_deal_being_shown(session, assistant, night):
    show_id, deal_id = night
    later = make_deal(session, show_id, "土鸡蛋", released_at=NIGHT + timedelta(minutes=30))
    make_deal(session, show_id, "小米")  # a newer draft: a released deal wins
    at = NIGHT + timedelta(minutes=40)
    p = promises.log_promise(session, assistant, show_id, "  前50名送手札  ", at=at)
    assert (p.text, p.kind, p.first_n, p.scope, p.said_at) == ("前50名送手札", "gift", 50, "first_n", at)
    assert p.deal_id == later and p.status == "open" and not p.confirmed
    assert p.created_by == assistant.id
    ev = session.scalars(select(Event).where(Event.kind == "promise.logged")).one()
    assert ev.payload["promise_id"] == p.id and ev.at == at


def test_deal_guess_falls_back_to_the_first_deal_then_none(session, assistant, admin):
    """Before any release the night is on its first deal (services.shows.deal_in_focus)."""
    show_id = make_show(session, admin)
    assert promises.log_promise(session, assistant, show_id, "不好吃包退").deal_id is None
    a = make_deal(session, show_id, "A")
    make_deal(session, show_id, "B")
    p = promises.log_promise(session, assistant, show_id, "不好吃包退")
    assert p.deal_id == a and p.kind == "refund" and p.scope == "claims"


def test_due_time_from_the_words(session, assistant, night):
    show_id, _ = night
    at = NIGHT + timedelta(minutes=30)
    p = promises.log_promise(session, assistant, show_id, "明天中午前送到", at=at)
    assert p.due_hint == "明天中午前" and p.due_at == datetime(2026, 3, 11, 12, 0)
    p = promises.log_promise(session, assistant, show_id, "次日达", at=at)
    assert p.due_at == datetime(2026, 3, 11, 12, 0)
    p = promises.log_promise(session, assistant, show_id, "次日下午3点前送到自提点", at=at)
    assert p.due_at == datetime(2026, 3, 11, 15, 0)
    p = promises.log_promise(session, assistant, show_id, "三天后客服主动回访", at=at)
    assert p.due_at == datetime(2026, 3, 13, 12, 0)
    p = promises.log_promise(session, assistant, show_id, "下单后48小时内发货", at=at)
    assert p.due_at == at + timedelta(hours=48)


def test_only_assistants_and_admins_log(session, reviewer, host, night):
    show_id, _ = night
    for who in (reviewer, host):
        with pytest.raises(Forbidden):
            promises.log_promise(session, who, show_id, "不好吃包退")


def test_bad_input_is_refused_in_chinese(session, assistant, admin, night):
    show_id, _ = night
    with pytest.raises(InvalidInput, match="原话"):
        promises.log_promise(session, assistant, show_id, "   ")
    with pytest.raises(InvalidInput):
        promises.log_promise(session, assistant, show_id, "x", kind="bribe")
    other = make_deal(session, make_show(session, admin, "另一场"), "别的")
    with pytest.raises(InvalidInput, match="不属于本场"):
        promises.log_promise(session, assistant, show_id, "送葱", deal_id=other)


def test_correcting_kind_and_deal_in_one_call(session, assistant, night):
    show_id, deal_id = night
    other = make_deal(session, show_id, "土鸡蛋")
    p = promises.log_promise(session, assistant, show_id, "手札 前50", at=NIGHT)
    promises.update_promise(session, assistant, p.id, kind="gift", deal_id=other)
    assert (p.kind, p.deal_id, p.scope, p.first_n) == ("gift", other, "first_n", 50)
    promises.update_promise(session, assistant, p.id, deal_id=None)
    assert p.deal_id is None


def test_discard_only_unconfirmed(session, assistant, night):
    show_id, _ = night
    p = promises.log_promise(session, assistant, show_id, "不好吃包退")
    promises.discard(session, assistant, p.id)
    assert session.get(Promise, p.id) is None
    q = promises.log_promise(session, assistant, show_id, "前5名送葱")
    promises.confirm(session, assistant, q.id)
    with pytest.raises(InvalidState):
        promises.discard(session, assistant, q.id)


# ---------------------------------------------------------------- scopes and expansion


def test_first_n_takes_the_first_valid_entries_in_chain_order(session, assistant, night):
    show_id, deal_id = night
    ids = {seq: entry(session, deal_id, seq) for seq in (3, 1, 2, 5, 4, 6)}
    set_entry(session, ids[2], "cancelled")
    p = promises.log_promise(session, assistant, show_id, "前3名送手札", at=NIGHT)
    r = promises.confirm(session, assistant, p.id)
    assert r.added == 3
    assert active_ids(session, p.id) == {ids[1], ids[3], ids[4]}


def test_first_n_ties_on_seq_break_by_id(session, assistant, night):
    show_id, deal_id = night
    a = entry(session, deal_id, 1, "甲")
    b = entry(session, deal_id, 1, "乙")
    p = promises.log_promise(session, assistant, show_id, "前1名送葱", at=NIGHT)
    promises.confirm(session, assistant, p.id)
    assert active_ids(session, p.id) == {min(a, b)}


def test_reexpanding_after_more_entries_and_cancellations_is_exact(session, assistant, reviewer, night):
    """The issue's must-hold: none doubled, none lost, ticks kept."""
    show_id, deal_id = night
    ids = {seq: entry(session, deal_id, seq) for seq in range(1, 5)}
    p = promises.log_promise(session, assistant, show_id, "前5名赠手札", at=NIGHT)
    promises.confirm(session, assistant, p.id)
    assert active_ids(session, p.id) == set(ids.values())

    # Expanding again with nothing new changes nothing.
    assert not promises.expand(session, p.id).changed
    # More entries: only the 5th gets in.
    for seq in range(5, 9):
        ids[seq] = entry(session, deal_id, seq)
    r = promises.expand(session, p.id)
    assert (r.added, r.deactivated) == (1, 0)
    assert active_ids(session, p.id) == {ids[s] for s in range(1, 6)}

    # Tick #2, then #2 and #3 cancel: they drop out, #6 and #7 come in; #2 keeps its tick.
    promises.tick_range(session, reviewer, p.id, 2, 2)
    set_entry(session, ids[2], "cancelled")
    set_entry(session, ids[3], "cancelled")
    r = promises.expand(session, p.id)
    assert (r.added, r.deactivated, r.reactivated) == (2, 2, 0)
    assert active_ids(session, p.id) == {ids[s] for s in (1, 4, 5, 6, 7)}
    assert item_map(session, p.id)[ids[2]] == (False, True)

    # #3 comes back (re-entered): it is in again, #7 drops out; no new row for #3.
    set_entry(session, ids[3], "valid")
    r = promises.expand(session, p.id)
    assert (r.added, r.deactivated, r.reactivated) == (0, 1, 1)
    assert active_ids(session, p.id) == {ids[s] for s in (1, 3, 4, 5, 6)}

    # A waitlisted entry does not count; once it moves up it does.
    extra = entry(session, deal_id, 0, status="waitlisted")
    promises.expand(session, p.id)
    assert extra not in active_ids(session, p.id)
    set_entry(session, extra, "valid")
    promises.expand(session, p.id)
    assert extra in active_ids(session, p.id) and ids[6] not in active_ids(session, p.id)

    for _ in range(3):
        assert not promises.expand(session, p.id).changed
    total = session.scalar(select(func.count()).where(FulfilmentItem.promise_id == p.id))
    assert total == len(item_map(session, p.id)) == 8  # every entry ever in scope, once
    row = promises.promise_row(session, p.id, now=NIGHT)
    assert (row.total, row.done) == (5, 0)


def test_deal_scope_covers_every_valid_entry_and_follows_the_chain(session, assistant, night):
    show_id, deal_id = night
    a, b, c = (entry(session, deal_id, s) for s in (1, 2, 3))
    w = entry(session, deal_id, 4, status="waitlisted")
    p = promises.log_promise(session, assistant, show_id, "我会亲自监督采摘和打包，保证新鲜", at=NIGHT)
    assert (p.kind, p.scope) == ("quality", "deal")
    promises.confirm(session, assistant, p.id)
    assert active_ids(session, p.id) == {a, b, c}
    set_entry(session, b, "cancelled")
    set_entry(session, w, "valid")
    d = entry(session, deal_id, 5)
    promises.sync_show(session, show_id, actor=assistant)
    assert active_ids(session, p.id) == {a, c, w, d}


def test_show_scope_covers_tonights_entries_of_every_deal_but_failed_ones(session, assistant, night):
    show_id, deal_id = night
    other = make_deal(session, show_id, "土鸡蛋", released_at=NIGHT)
    failed = make_deal(session, show_id, "小米", released_at=NIGHT, status="failed")
    mine = {entry(session, deal_id, 1), entry(session, other, 1)}
    entry(session, failed, 1)
    entry(session, make_deal(session, make_show(session, assistant, "别的夜"), "x"), 1)
    p = promises.log_promise(session, assistant, show_id, "今晚所有订单附赠冲泡指南", at=NIGHT)
    assert p.scope == "show"
    promises.confirm(session, assistant, p.id)
    assert active_ids(session, p.id) == mine


def test_reconfirming_with_another_scope_keeps_history(session, assistant, reviewer, night):
    show_id, deal_id = night
    ids = [entry(session, deal_id, s) for s in range(1, 6)]
    p = promises.log_promise(session, assistant, show_id, "前2名送葱", at=NIGHT)
    promises.confirm(session, assistant, p.id)
    promises.tick_range(session, reviewer, p.id, 1, 1)
    promises.confirm(session, assistant, p.id, scope="first_n", first_n=4)
    assert active_ids(session, p.id) == set(ids[:4])
    promises.confirm(session, assistant, p.id, scope="first_n", first_n=1)
    assert active_ids(session, p.id) == {ids[0]}
    assert item_map(session, p.id)[ids[0]] == (True, True)


def test_confirm_checks_scope(session, assistant, admin):
    show_id = make_show(session, admin)
    p = promises.log_promise(session, assistant, show_id, "保证新鲜")
    assert p.deal_id is None and p.scope == "show"
    with pytest.raises(InvalidInput, match="团品"):
        promises.confirm(session, assistant, p.id, scope="deal")
    with pytest.raises(InvalidInput, match="N"):
        promises.confirm(session, assistant, p.id, scope="first_n")
    with pytest.raises(Forbidden):
        promises.confirm(session, make_reviewer(session), p.id)


def test_a_promises_n_is_checked_by_one_rule_with_the_same_words(session, assistant, admin):
    """前N名 / 满N份, when logged and when confirmed: the same Chinese sentence for the same mistake
    (a 0 given beside another scope used to read 「前N名须为不小于 1 的整数」 on confirm)."""
    show_id = make_show(session, admin)
    for n in ("first_n", "min_qty"):
        field, words = {"first_n": ("前N名", "前 N 名"), "min_qty": ("满N份", "满 N 份")}[n]
        with pytest.raises(InvalidInput) as logged:
            promises.log_promise(session, assistant, show_id, f"送葱{n}", **{n: 0})
        assert (str(logged.value), logged.value.field) == (f"{words}须为正整数。", field)
        p = promises.log_promise(session, assistant, show_id, f"保证新鲜{n}")
        with pytest.raises(InvalidInput) as confirmed:
            promises.confirm(session, assistant, p.id, scope="show", **{n: 0})
        assert str(confirmed.value) == f"{words}须为正整数。"
        with pytest.raises(InvalidInput) as missing:
            promises.confirm(session, assistant, p.id, scope=n)
        assert str(missing.value) == f"范围为「{words}」时须填写 N（正整数）。"
        with pytest.raises(InvalidInput) as big:
            promises.confirm(session, assistant, p.id, scope=n, **{n: 1_000_001})
        assert str(big.value) == f"{field}不能超过 1000000。"


def make_reviewer(session):
    from tests.support import make_actor

    return make_actor(session, "reviewer", "复盘二号")


def test_confirm_due_time_goes_to_the_items(session, assistant, night):
    show_id, deal_id = night
    entry(session, deal_id, 1)
    p = promises.log_promise(session, assistant, show_id, "次日达", at=NIGHT)
    promises.confirm(session, assistant, p.id)
    due = session.scalars(select(FulfilmentItem.due_at).where(FulfilmentItem.promise_id == p.id)).one()
    assert due == datetime(2026, 3, 11, 12, 0)
    promises.confirm(session, assistant, p.id, due_at=datetime(2026, 3, 11, 18, 0))
    due = session.scalars(select(FulfilmentItem.due_at).where(FulfilmentItem.promise_id == p.id)).one()
    assert due == datetime(2026, 3, 11, 18, 0)


# ---------------------------------------------------------------- ticking, claims, status


def test_items_tick_with_notes_and_reviewers_may_tick(session, assistant, reviewer, host, night):
    show_id, deal_id = night
    for s in range(1, 4):
        entry(session, deal_id, s)
    p = promises.log_promise(session, assistant, show_id, "前3名送手札", at=NIGHT)
    promises.confirm(session, assistant, p.id)
    rows = promises.items(session, p.id)
    assert [r.seq for r in rows] == [1, 2, 3]
    changed = promises.update_items(
        session, reviewer, p.id,
        [promises.ItemChange(rows[0].id, done=True, note="已随单寄出"), promises.ItemChange(rows[1].id, note="缺货")],
        at=NIGHT + timedelta(hours=1),
    )
    assert changed == 2
    rows = promises.items(session, p.id)
    assert (rows[0].done, rows[0].note, rows[1].done, rows[1].note) == (True, "已随单寄出", False, "缺货")
    assert promises.promise_row(session, p.id).progress_text == "1/3"
    with pytest.raises(Forbidden):
        promises.update_items(session, host, p.id, [promises.ItemChange(rows[2].id, done=True)])
    # bulk ticking by chain range logs one event
    before = session.scalar(select(func.count()).select_from(Event))
    assert promises.tick_range(session, reviewer, p.id, 1, 50) == 2
    assert session.scalar(select(func.count()).select_from(Event)) == before + 1
    row = promises.promise_row(session, p.id)
    assert row.progress_text == "3/3" and row.suggest_kept
    assert promises.tick_range(session, reviewer, p.id, 2, 3, done=False) == 2
    assert promises.promise_row(session, p.id).done == 1


def test_parse_range():
    assert promises.parse_range("1-50") == (1, 50)
    assert promises.parse_range(" 3 到 9 ") == (3, 9)
    assert promises.parse_range("7") == (7, 7)
    for bad in ("", "0-3", "9-2", "a-b"):
        with pytest.raises(InvalidInput):
            promises.parse_range(bad)


def test_a_list_of_ranges_is_told_to_go_one_range_at_a_time():
    """Night 18: 按接龙序号批量勾选 with 「1-10, 12」 said 请输入接龙序号范围, as if the box were empty."""
    for typed in ("1-10, 12", "1-10 12-15", "3，5"):
        with pytest.raises(InvalidInput, match="一次只能填一个序号或一段连续范围"):
            promises.parse_range(typed)
    for typed in ("  ", "五十"):  # twins: nothing typed, no digits
        with pytest.raises(InvalidInput, match="^请输入接龙序号范围"):
            promises.parse_range(typed)


def test_refund_promise_keeps_a_claims_log(session, assistant, reviewer, night):
    show_id, deal_id = night
    e = entry(session, deal_id, 1, "王芳")
    p = promises.log_promise(session, assistant, show_id, "不好吃包退", at=NIGHT)
    assert p.scope == "claims"
    assert promises.confirm(session, assistant, p.id).added == 0
    c1 = promises.add_claim(session, assistant, p.id, "王芳", "菜叶发黄", entry_id=e, at=NIGHT + timedelta(days=1))
    c2 = promises.add_claim(session, assistant, p.id, "李娜", "", at=NIGHT + timedelta(days=1))
    assert c1.due_at == NIGHT + timedelta(days=1, hours=promises.CLAIM_RESOLVE_HOURS)
    with pytest.raises(InvalidState):
        promises.add_claim(session, assistant, p.id, "王芳", "又一次", entry_id=e)
    assert promises.promise_row(session, p.id, now=NIGHT).progress_text == "0/2"
    promises.resolve_claim(session, reviewer, c1.id, "已退款 19.9 元")
    row = promises.promise_row(session, p.id, now=NIGHT + timedelta(days=3))
    assert (row.done, row.total, row.overdue) == (1, 2, 1)
    # expansion never touches claims
    assert not promises.expand(session, p.id).changed
    assert promises.promise_row(session, p.id).total == 2
    gift = promises.log_promise(session, assistant, show_id, "前5名送葱")
    with pytest.raises(InvalidState):
        promises.add_claim(session, assistant, gift.id, "王芳")
    assert c2.label == "李娜"


def test_kept_rate_is_no_figure_while_every_promise_is_still_in_progress(session, assistant, night):
    """Right after the show nothing is kept yet: the review says —, not 0.0% (read as all broken)."""
    show_id, _ = night
    promises.log_promise(session, assistant, show_id, "不好吃包退", at=NIGHT)
    late = promises.log_promise(session, assistant, show_id, "明天中午前送到", at=NIGHT)
    assert late.due_at is not None
    assert promises.kept_rate(session, show_id, now=NIGHT + timedelta(hours=1)) is None
    # once the delivery promise is past due and still open, the rate counts it: 0 of 2 kept
    assert promises.kept_rate(session, show_id, now=late.due_at + timedelta(hours=1)) == 0.0
    promises.set_status(session, assistant, late.id, "kept")
    assert promises.kept_rate(session, show_id, now=NIGHT + timedelta(hours=1)) == pytest.approx(1 / 2)


def test_status_by_operator_and_kept_rate(session, assistant, reviewer, night):
    show_id, _ = night
    assert promises.kept_rate(session, show_id) is None
    ps = [promises.log_promise(session, assistant, show_id, t, at=NIGHT) for t in ("不好吃包退", "前5名送葱", "次日达", "保证新鲜")]
    promises.set_status(session, assistant, ps[0].id, "kept")
    promises.set_status(session, assistant, ps[1].id, "broken")
    promises.set_status(session, assistant, ps[2].id, "waived")
    assert promises.kept_rate(session, show_id) == pytest.approx(1 / 3)  # kept 1 of 3 not waived
    with pytest.raises(Forbidden):
        promises.set_status(session, reviewer, ps[3].id, "kept")
    with pytest.raises(InvalidInput):
        promises.set_status(session, assistant, ps[3].id, "done")
    assert promises.counts(session, show_id)["kept"] == 1


def test_overdue_count_and_recent(session, assistant, reviewer, night):
    show_id, deal_id = night
    for s in range(1, 4):
        entry(session, deal_id, s)
    p = promises.log_promise(session, assistant, show_id, "次日达", at=NIGHT)
    promises.confirm(session, assistant, p.id)
    q = promises.log_promise(session, assistant, show_id, "前2名明天中午前送葱", at=NIGHT + timedelta(minutes=1))
    promises.confirm(session, assistant, q.id)
    before, after = datetime(2026, 3, 11, 11, 0), datetime(2026, 3, 11, 13, 0)
    assert promises.overdue_count(session, show_id, now=before) == 0
    assert promises.overdue_count(session, show_id, now=after) == 5
    promises.tick_range(session, reviewer, p.id, 1, 1)
    assert promises.overdue_count(session, show_id, now=after) == 4
    promises.set_status(session, assistant, q.id, "waived")
    assert promises.overdue_count(session, show_id, now=after) == 2
    row = promises.promise_row(session, p.id, now=after)
    assert (row.overdue, row.progress_text) == (2, "1/3")
    r = promises.recent(session, show_id, n=1)
    assert [x.id for x in r] == [q.id]
    assert [x.id for x in promises.recent(session, show_id)] == [q.id, p.id]


def test_list_filters(session, assistant, admin, night):
    show_id, _ = night
    other = make_show(session, admin, "另一场")
    promises.log_promise(session, assistant, show_id, "不好吃包退", at=NIGHT)
    g = promises.log_promise(session, assistant, show_id, "前5名送葱", at=NIGHT)
    promises.log_promise(session, assistant, other, "前5名送葱", at=NIGHT)
    promises.set_status(session, assistant, g.id, "kept")
    assert len(promises.list_promises(session, show_id)) == 2
    assert len(promises.list_promises(session)) == 3
    assert [r.id for r in promises.list_promises(session, show_id, kind="gift")] == [g.id]
    assert [r.kind for r in promises.list_promises(session, show_id, status="open")] == ["refund"]


def test_contract_names_are_exposed():
    for name in ("KINDS", "KIND_LABELS", "PromiseDraft", "detect", "log_promise", "confirm", "expand",
                 "recent", "kept_rate", "overdue_count"):
        assert hasattr(promises, name), name
    assert set(promises.KINDS) == set(promises.KIND_LABELS) == {
        "refund", "compensation", "gift", "price", "delivery", "quality", "service"}


# ---------------------------------------------------------------- with the real chain service

_JIELONG = importlib.util.find_spec("services.jielong") is not None


@pytest.mark.skipif(not _JIELONG, reason="services.jielong not merged yet")
def test_with_the_jielong_service(session, admin, assistant):
    """Entries written by services.jielong: cancellations and waitlist moves are followed."""
    from services import jielong

    show_id = make_show(session, admin)
    form = jielong.DealForm(
        product="有机上海青", group_price=Decimal("19.9"), threshold=2, stock=3, perk_first_n=2,
        perk_text="手札", delivery_text="次日达", deadline=NIGHT + timedelta(days=1),
    )
    deal = jielong.create_deal(session, admin, show_id, form)
    jielong.release(session, deal.id, admin, at=NIGHT)
    e = [jielong.add_entry(session, admin, deal.id, f"团员{i}", seq=i, at=NIGHT) for i in range(1, 6)]
    assert [x.status for x in e] == ["valid"] * 3 + ["waitlisted"] * 2
    p = promises.log_promise(session, assistant, show_id, "今晚的订单次日达", at=NIGHT)
    assert p.deal_id == deal.id
    promises.confirm(session, assistant, p.id, scope="deal")
    assert active_ids(session, p.id) == {x.id for x in e[:3]}
    jielong.cancel_entry(session, admin, e[1].id, at=NIGHT)
    promises.expand(session, p.id)
    assert active_ids(session, p.id) == {e[0].id, e[2].id, e[3].id}


def test_pasted_drafts_are_logged_and_confirmed_in_one_batch(session, assistant, night):
    show_id, deal_id = night
    for s in range(1, 4):
        entry(session, deal_id, s)
    text = "这颗上海青刚摘的\n前2名送手札\n不好吃包退\n明天中午前送到"
    drafts = [promises.DraftIn(d.text, d.kind, d.first_n, d.due_hint, deal_id) for d in promises.detect(text)]
    before = session.scalar(select(func.count()).select_from(Event))
    made = promises.log_drafts(session, assistant, show_id, drafts, at=NIGHT)
    assert session.scalar(select(func.count()).select_from(Event)) == before + 1
    assert [(p.kind, p.scope, p.confirmed) for p in made] == [
        ("gift", "first_n", True), ("refund", "claims", True), ("delivery", "deal", True)]
    assert made[2].due_at == datetime(2026, 3, 11, 12, 0)
    assert promises.promise_row(session, made[0].id).total == 2
    assert promises.promise_row(session, made[2].id).total == 3


# ---------------------------------------------------------------- property: any chain history

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(["valid", "waitlisted"])),
        st.tuples(st.just("set"), st.integers(0, 30), st.sampled_from(["valid", "cancelled", "waitlisted"])),
        st.tuples(st.just("expand"), st.just(None)),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS, n=st.integers(1, 6), scope=st.sampled_from(["first_n", "deal"]))
def test_any_chain_history_expands_to_exactly_the_right_items(session, admin, assistant, steps, n, scope):
    show_id = make_show(session, admin, f"夜{next(_keys)}")
    deal_id = make_deal(session, show_id, released_at=NIGHT)
    p = promises.log_promise(session, assistant, show_id, f"前{n}名送葱", at=NIGHT)
    promises.confirm(session, assistant, p.id, scope=scope, first_n=n)
    entries: list[int] = []
    seq = 0
    for step in steps:
        if step[0] == "add":
            seq += 1
            entries.append(entry(session, deal_id, seq, status=step[1]))
        elif step[0] == "set" and entries:
            set_entry(session, entries[step[1] % len(entries)], step[2])
        else:
            promises.expand(session, p.id)
    promises.expand(session, p.id)
    valid = [e for e in entries if session.get(ChainEntry, e).status == "valid"]  # already in chain order
    expected = set(valid[:n]) if scope == "first_n" else set(valid)
    assert active_ids(session, p.id) == expected  # item_map also asserts no doubles
    assert not promises.expand(session, p.id).changed


def test_sync_show_reexpands_open_confirmed_promises_and_logs_only_changes(session, assistant, night):
    show_id, deal_id = night
    entry(session, deal_id, 1)
    a = promises.log_promise(session, assistant, show_id, "次日达", at=NIGHT)
    b = promises.log_promise(session, assistant, show_id, "前1名送葱", at=NIGHT)
    promises.log_promise(session, assistant, show_id, "保证新鲜", at=NIGHT)  # unconfirmed: untouched
    promises.confirm(session, assistant, a.id)
    promises.confirm(session, assistant, b.id)
    promises.set_status(session, assistant, b.id, "kept", open_ok=True)  # settled: frozen
    entry(session, deal_id, 2)

    def expanded_events():
        return session.scalar(select(func.count()).where(Event.kind == "promise.expanded"))

    r = promises.sync_show(session, show_id, actor=assistant)
    assert (r.added, expanded_events()) == (1, 1)
    assert promises.promise_row(session, a.id).total == 2 and promises.promise_row(session, b.id).total == 1
    assert not promises.sync_show(session, show_id, actor=assistant).changed and expanded_events() == 1


def test_pasted_transcript_times_become_said_at_on_the_show_night(session, assistant, night):
    show_id, deal_id = night
    text = "20:31 林薇：次日达\n00:15 老李：不好吃包退\n前5名送葱"
    drafts = [promises.DraftIn(d.text, d.kind, d.first_n, d.due_hint, deal_id) for d in promises.detect(text)]
    made = promises.log_drafts(session, assistant, show_id, drafts, at=datetime(2026, 3, 12, 9, 0))
    assert [p.said_at for p in made] == [datetime(2026, 3, 10, 20, 31), datetime(2026, 3, 11, 0, 15), datetime(2026, 3, 12, 9, 0)]
    assert made[0].due_at == datetime(2026, 3, 11, 12, 0)
