"""Two consoles on two servers (two engines, two pools) acting on one database at once.

The jielong tests cover threads sharing one engine; here each "laptop" has its own engine,
as two Streamlit servers would, and the outcome must be the same.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

import db
from db.models import ChainEntry, Deal, Event, QuestionGroup
from services import jielong, triage
from tests.services.test_jielong import START, T0, form, make_show
from tests.support import make_actor


@pytest.fixture
def two_engines(clean_engine: Engine):
    other = db.connect(clean_engine.url.render_as_string(hide_password=False))
    yield clean_engine, other
    other.dispose()


def together(fns: list[Callable[[], object]]) -> list[object]:
    """Run the callables in threads released at the same instant; exceptions are returned."""
    barrier = threading.Barrier(len(fns))
    out: list[object] = [None] * len(fns)

    def work(i: int) -> None:
        barrier.wait()
        try:
            out[i] = fns[i]()
        except Exception as exc:  # asserted on by the caller
            out[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def _setup_deal(engine: Engine, **kw):
    with db.session(engine) as s:
        a = make_actor(s, "assistant", "小美")
        b = make_actor(s, "assistant", "小丽")
        show = make_show(s, a)
        deal_id = jielong.create_deal(s, a, show.id, form(**kw), at=START).id
    return a, b, show.id, deal_id


def test_same_release_from_two_servers_releases_once(two_engines):
    e1, e2 = two_engines
    a, b, _show, deal_id = _setup_deal(e1)
    results = together([
        lambda: db.transaction(e1, lambda s: jielong.release(s, deal_id, a, at=T0).id),
        lambda: db.transaction(e2, lambda s: jielong.release(s, deal_id, b, at=T0).id),
    ])
    assert sorted(type(r).__name__ for r in results) == ["InvalidState", "int"]
    with db.session(e1) as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "deal.released")) == 1
        assert s.get(Deal, deal_id).status == "released"


def test_overlapping_pastes_from_two_servers_give_exact_totals(two_engines):
    e1, e2 = two_engines
    a, b, _show, deal_id = _setup_deal(e1, stock=60)
    with db.session(e1) as s:
        jielong.release(s, deal_id, a, at=T0)
    lines = [f"{i}. 邻居{i} {1 + i % 2}份 {i % 9 + 1}栋" for i in range(1, 81)]
    first, second = "\n".join(lines[:50]), "\n".join(lines[20:])
    results = together([
        lambda: db.transaction(e1, lambda s: jielong.apply_paste(s, a, deal_id, first, at=T0)),
        lambda: db.transaction(e2, lambda s: jielong.apply_paste(s, b, deal_id, second, at=T0)),
    ])
    assert not [r for r in results if isinstance(r, Exception)]
    with db.session(e1) as s:
        deal = s.get(Deal, deal_id)
        rows = s.execute(select(ChainEntry.buyer_name, ChainEntry.qty, ChainEntry.status).where(ChainEntry.deal_id == deal_id)).all()
        assert len(rows) == 80 and len({r.buyer_name for r in rows}) == 80
        valid_units = sum(r.qty for r in rows if r.status == "valid")
        assert valid_units <= 60 and deal.units_valid == valid_units
        assert deal.units_valid + deal.units_waitlisted == sum(1 + i % 2 for i in range(1, 81))


def test_two_people_answering_one_question_group_end_with_one_answer(two_engines):
    e1, e2 = two_engines
    a, b, show_id, _deal = _setup_deal(e1)
    with db.session(e1) as s:
        triage.ingest(s, a, show_id, [triage.CommentIn("王芳", "有机认证是真的吗"), triage.CommentIn("李姐", "有机认证真的假的")])
        group_id = s.scalar(select(QuestionGroup.id).where(QuestionGroup.show_id == show_id))
    results = together([
        lambda: db.transaction(e1, lambda s: triage.answer(s, a, group_id, "有，证书编号见群公告").id),
        lambda: db.transaction(e2, lambda s: triage.answer(s, b, group_id, "是真的").id),
    ])
    assert sorted(type(r).__name__ for r in results) == ["InvalidState", "int"]
    with db.session(e1) as s:
        answered = s.scalars(select(Event).where(Event.kind == "question.answered")).all()
        assert len(answered) == 1
        g = s.get(QuestionGroup, group_id)
        assert g.status == "answered" and g.answered_by == answered[0].operator_id


def test_two_servers_ingesting_the_same_new_viewers_count_each_commenter_once(two_engines):
    e1, e2 = two_engines
    a, b, show_id, _deal = _setup_deal(e1)
    batch = [triage.CommentIn(f"邻居{i}", f"什么时候发货 {i}") for i in range(200)]
    results = together([
        lambda: db.transaction(e1, lambda s: triage.ingest(s, a, show_id, batch[:150])),
        lambda: db.transaction(e2, lambda s: triage.ingest(s, b, show_id, batch[50:])),
    ])
    assert not [r for r in results if isinstance(r, Exception)]
    with db.session(e1) as s:
        from db.models import Show, ShowCommenter

        distinct = s.scalar(select(func.count()).select_from(ShowCommenter).where(ShowCommenter.show_id == show_id))
        assert distinct == 200
        assert s.get(Show, show_id).commenters == 200
