"""Any sequence of pastes, single entries and cancellations keeps the tallies exact and never oversells."""
from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import ChainEntry as EntryRow
from services import jielong
from services.errors import InvalidState
from tests.services.test_jielong import START, T0, assert_consistent, form, make_show

NAMES = ["王芳", "李四", "赵六", "钱七", "Amy Wang", "🍓草莓妈妈", "295-909"]
LINE = st.tuples(st.sampled_from(NAMES), st.integers(1, 4), st.booleans())
OP = st.one_of(
    st.tuples(st.just("paste"), st.lists(LINE, max_size=12)),
    st.tuples(st.just("add"), LINE),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
)


def chain_text(lines) -> str:
    out = ["#接龙", "例 张三 1份 3栋"]
    for i, (name, qty, cancelled) in enumerate(lines, 1):
        out.append(f"{i}. {name} {qty}份" + (" 取消" if cancelled else ""))
    return "\n".join(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OP, min_size=1, max_size=8), stock=st.one_of(st.none(), st.integers(1, 15)),
       limit=st.one_of(st.none(), st.integers(1, 4)))
def test_any_history_keeps_tallies_exact(session, assistant, ops, stock, limit):
    show = make_show(session, assistant, title=f"性质测试{len(ops)}")
    deal = jielong.create_deal(session, assistant, show.id, form(stock=stock, threshold=min(5, stock or 5), per_person_limit=limit), at=START)
    jielong.release(session, deal.id, assistant, at=T0)
    for i, op in enumerate(ops):
        at = T0 + timedelta(minutes=i)
        if op[0] == "paste":
            jielong.apply_paste(session, assistant, deal.id, chain_text(op[1]), at=at)
            again = jielong.apply_paste(session, assistant, deal.id, chain_text(op[1]), at=at)
            assert (again.added, again.updated, again.cancelled) == (0, 0, 0)  # idempotent
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
        dup = session.execute(select(EntryRow.line_key).where(EntryRow.deal_id == deal.id)
                              .group_by(EntryRow.line_key).having(func.count() > 1)).all()
        assert dup == []
