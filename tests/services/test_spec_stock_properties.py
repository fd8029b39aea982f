"""Per-spec 限量 judged incrementally (services.jielong.spec_stock) equals a judge of the whole
chain: after any sequence of pastes (new lines at the end, an earlier line's quantity or spec
changed, a line cancelled by 取消 / 退), manual entries and cancels, every stored over_stock
flag is what plan.flag_spec_stock gives over every entry in chain order, and the statuses and
限购 flags are those of a twin deal without spec stock (spec stock flags, it never refuses)."""
from __future__ import annotations

import copy
import itertools
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db.models import ChainEntry as EntryRow
from db.models import Deal
from services import jielong
from services.errors import InvalidState
from services.jielong.plan import flag_spec_stock, load
from tests.services.test_jielong import START, T0, assert_consistent, form, make_show

_SHOWS = itertools.count(1)
NAMES = ["王芳", "李四", "赵六", "钱七", "孙八"]
SPECS = ["10斤装", "5斤装", "20斤装", ""]  # 20斤装 has no 限量 of its own; "" no spec
CANCELS = ["", " 取消", " 退"]
# Lines mostly of the specs with a 限量, rarely cancelled.
LINE = st.tuples(st.sampled_from(NAMES), st.integers(1, 4), st.sampled_from(SPECS[:1] * 3 + SPECS),
                 st.sampled_from(CANCELS[:1] * 4 + CANCELS[1:]))
OP = st.one_of(
    st.tuples(st.just("paste"), st.lists(LINE, min_size=1, max_size=10)),
    st.tuples(st.just("tail"), st.lists(LINE, min_size=1, max_size=6), st.integers(0, 8)),
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from([1, 2]), st.integers(1, 4)),
    st.tuples(st.just("add"), LINE),
    st.tuples(st.just("cancel"), st.integers(0, 30)),  # a valid entry
    st.tuples(st.just("cancel"), st.integers(0, 30)),
)


def chain_text(lines, first: int = 1) -> str:
    out = ["#接龙", "例 张三 1份 3栋"]
    for i, (name, qty, spec, cancel) in enumerate(lines, first):
        out.append(f"{i}. {name} {qty}份" + (f" {spec}" if spec else "") + cancel)
    return "\n".join(out)


def _deal(session, assistant, stock, limit, spec_stock):
    show = make_show(session, assistant, title=f"规格限量性质{next(_SHOWS)}")
    deal = jielong.create_deal(session, assistant, show.id, form(
        spec_options="10斤装,5斤装,20斤装", spec_stock=spec_stock, group_price=Decimal("10"), original_price=Decimal("20"),
        stock=stock, threshold=min(5, stock or 5), per_person_limit=limit), at=START)
    jielong.release(session, deal.id, assistant, at=T0)
    return deal.id


def _apply(session, assistant, deal_id: int, op, last: list, at) -> list:
    """One step on one deal; returns the chain as last pasted."""
    if op[0] == "paste":
        last = list(op[1])
        jielong.apply_paste(session, assistant, deal_id, chain_text(last), at=at)
    elif op[0] == "edit" and last:  # one field of an earlier line changed, the whole chain pasted again
        last, line = list(last), list(last[op[1] % len(last)])
        line[op[2]] = op[3] if op[2] == 1 else SPECS[op[3] % len(SPECS)]
        if op[3] == 4:  # or the line cancelled
            line[3] = CANCELS[1 + op[1] % 2]
        last[op[1] % len(last)] = tuple(line)
        jielong.apply_paste(session, assistant, deal_id, chain_text(last), at=at)
    elif op[0] == "tail":  # the later part of the chain, with the lines added since
        k = min(op[2], len(last))
        last = last + list(op[1])
        jielong.apply_paste(session, assistant, deal_id, chain_text(last[k:], k + 1), at=at)
    elif op[0] == "add":
        name, qty, spec, _ = op[1]
        jielong.add_entry(session, assistant, deal_id, name, qty, spec=spec, at=at)
    elif op[0] == "cancel":
        ids = session.scalars(select(EntryRow.id).where(EntryRow.deal_id == deal_id, EntryRow.status == "valid")
                              .order_by(EntryRow.id)).all()
        if ids:
            try:
                jielong.cancel_entry(session, assistant, ids[op[1] % len(ids)], at=at)
            except InvalidState:
                pass
    return last


def _check(session, deal_id: int, twin_id: int) -> None:
    assert_consistent(session, deal_id)
    stored = load(session, deal_id)
    judged = copy.deepcopy(stored)
    flag_spec_stock(session.get(Deal, deal_id), judged)  # from scratch, over the whole chain
    assert [(w.key, w.over_stock) for w in stored] == [(w.key, w.over_stock) for w in judged]
    same = [(w.key, w.qty, w.spec, w.status, w.over_limit) for w in load(session, twin_id)]
    assert [(w.key, w.qty, w.spec, w.status, w.over_limit) for w in stored] == same


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(base=st.lists(LINE, min_size=6, max_size=14), ops=st.lists(OP, min_size=3, max_size=10), stock=st.one_of(st.none(), st.integers(4, 20)),
       limit=st.one_of(st.none(), st.integers(2, 6)), small=st.integers(1, 6), big=st.integers(2, 9))
def test_incremental_spec_stock_equals_a_whole_chain_judge(session, assistant, base, ops, stock, limit, small, big):
    deal_id = _deal(session, assistant, stock, limit, f"10斤装={small}；5斤装={big}")
    twin_id = _deal(session, assistant, stock, limit, None)
    lasts: dict[int, list] = {deal_id: [], twin_id: []}
    for i, op in enumerate([("paste", base)] + ops):  # a chain to start from, then the steps
        for d in (deal_id, twin_id):
            lasts[d] = _apply(session, assistant, d, op, lasts[d], T0 + timedelta(minutes=i))
        session.expire_all()
        _check(session, deal_id, twin_id)


def test_freed_units_can_push_a_later_smaller_entry_out(session, assistant):
    """限量 3: 甲 1, 乙 3 (flagged), 丙 2 (fits); cancelling 甲 lets 乙 in and puts 丙 out."""
    deal_id = _deal(session, assistant, None, None, "10斤装=3")
    jielong.apply_paste(session, assistant, deal_id, "1. 甲 1份 10斤装\n2. 乙 3份 10斤装\n3. 丙 2份 10斤装", at=T0)
    flags = {w.buyer_name: w.over_stock for w in load(session, deal_id)}
    assert flags == {"甲": False, "乙": True, "丙": False}
    first = next(w.id for w in load(session, deal_id) if w.buyer_name == "甲")
    jielong.cancel_entry(session, assistant, first, at=T0 + timedelta(minutes=1))
    session.expire_all()
    flags = {w.buyer_name: w.over_stock for w in load(session, deal_id)}
    assert flags == {"甲": False, "乙": False, "丙": True}
    assert_consistent(session, deal_id)


def test_a_spec_changed_on_an_earlier_line_rejudges_both_specs(session, assistant):
    deal_id = _deal(session, assistant, None, None, "10斤装=3；5斤装=2")
    text = "1. 甲 2份 10斤装\n2. 乙 2份 5斤装\n3. 丙 2份 10斤装\n4. 丁 1份 5斤装"
    jielong.apply_paste(session, assistant, deal_id, text, at=T0)
    assert {w.buyer_name: w.over_stock for w in load(session, deal_id)} == {"甲": False, "乙": False, "丙": True, "丁": True}
    jielong.apply_paste(session, assistant, deal_id, text.replace("1. 甲 2份 10斤装", "1. 甲 2份 5斤装"), at=T0)
    session.expire_all()
    assert {w.buyer_name: w.over_stock for w in load(session, deal_id)} == {"甲": False, "乙": True, "丙": False, "丁": True}
    assert_consistent(session, deal_id)
