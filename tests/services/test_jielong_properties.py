"""Any sequence of pastes, single entries and cancellations keeps the tallies exact and never oversells."""
from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import ChainEntry as EntryRow
from services import jielong
from services.errors import InvalidState
from services.jielong.plan import load
from tests.services.test_jielong import START, T0, assert_consistent, form, make_show

_SHOWS = itertools.count(1)
NAMES = ["王芳", "李四", "赵六", "钱七", "Amy Wang", "🍓草莓妈妈", "295-909"]
LINE = st.tuples(st.sampled_from(NAMES), st.integers(1, 4), st.booleans())
OP = st.one_of(
    st.tuples(st.just("paste"), st.lists(LINE, max_size=12)),
    st.tuples(st.just("tail"), st.lists(LINE, max_size=6), st.integers(0, 8)),
    st.tuples(st.just("add"), LINE),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
)


def chain_text(lines, first: int = 1) -> str:
    out = ["#接龙", "例 张三 1份 3栋"]
    for i, (name, qty, cancelled) in enumerate(lines, first):
        out.append(f"{i}. {name} {qty}份" + (" 取消" if cancelled else ""))
    return "\n".join(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=8), stock=st.one_of(st.none(), st.integers(1, 15)),
       limit=st.one_of(st.none(), st.integers(1, 4)))
def test_any_history_keeps_tallies_exact(session, assistant, ops, stock, limit):
    show = make_show(session, assistant, title=f"性质测试{next(_SHOWS)}")  # one show per example
    deal = jielong.create_deal(session, assistant, show.id, form(stock=stock, threshold=min(5, stock or 5), per_person_limit=limit), at=START)
    jielong.release(session, deal.id, assistant, at=T0)
    last: list = []
    for i, op in enumerate(ops):
        at = T0 + timedelta(minutes=i)
        if op[0] == "paste":
            last = op[1]
            jielong.apply_paste(session, assistant, deal.id, chain_text(op[1]), at=at)
            again = jielong.apply_paste(session, assistant, deal.id, chain_text(op[1]), at=at)
            assert (again.added, again.updated, again.cancelled) == (0, 0, 0)  # idempotent
        elif op[0] == "tail":  # the later part of the last chain, and lines added since
            k = min(op[2], len(last))
            last = last + op[1]
            res = jielong.apply_paste(session, assistant, deal.id, chain_text(last[k:], k + 1), at=at)
            assert res.missing == 0 or k == 0 or not last[k:]
        elif op[0] == "add":
            name, qty, _ = op[1]
            jielong.add_entry(session, assistant, deal.id, name, qty, at=at)
        else:
            ids = session.scalars(select(EntryRow.id).where(EntryRow.deal_id == deal.id).order_by(EntryRow.id)).all()
            if ids:
                try:
                    jielong.cancel_entry(session, assistant, ids[op[1] % len(ids)], at=at)
                except InvalidState:
                    pass
        d = assert_consistent(session, deal.id)
        if stock is not None:
            assert d.units_valid <= stock
            # never a waitlisted entry that would still fit
            smallest = session.scalar(select(func.min(EntryRow.qty)).where(
                EntryRow.deal_id == deal.id, EntryRow.status == "waitlisted"))
            if smallest is not None:
                assert d.units_valid + smallest > stock
        # 限购 flags are exact: a valid entry is flagged once its buyer's valid units, in chain
        # order, pass the limit (written incrementally, checked over the whole chain)
        per_name: dict = {}
        for w in load(session, deal.id):
            if w.status == "valid":
                per_name[w.buyer_name] = per_name.get(w.buyer_name, 0) + w.qty
            assert w.over_limit == (w.status == "valid" and bool(limit) and per_name[w.buyer_name] > limit)
        dup = session.execute(select(EntryRow.line_key).where(EntryRow.deal_id == deal.id)
                              .group_by(EntryRow.line_key).having(func.count() > 1)).all()
        assert dup == []
