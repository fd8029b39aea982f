"""Double submits left by input14: a promise logged twice at one instant (承诺速记), a manual chain
entry sent twice (手动录入) and the host-link button double-clicked (主播链接). A double click is
one action: the promise and the entry are no-ops returning the first; a second host link is
refused in Chinese (only the first's hash is kept, so it cannot be handed back). Each check runs
after the parent row is locked (services.locking), so threads at the same instant cannot both
miss it. Twins: the same promise said again later, another neighbour's same line, the same line
again later, a new host link once the old one was revoked or expired, another show's link."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import db
from db.models import AuthToken, ChainEntry, Promise
from services import auth, clock, jielong, promises, shows
from services.authz import SYSTEM
from services.errors import InvalidState
from tests.support import make_actor
from tests.support import race as _race


def _night(session, title="源味集"):
    start = clock.now() - timedelta(minutes=30)
    show = shows.create_show(session, SYSTEM, shows.ShowForm(title, "阳光花园群", 300, "老李", start,
                                                             start + timedelta(hours=2)))
    shows.start_show(session, SYSTEM, show.id)
    deal = jielong.create_deal(session, SYSTEM, show.id, jielong.DealForm(
        product="上海青", group_price="9.9", threshold=2, delivery_text="明天送到",
        deadline=start + timedelta(hours=3)))
    jielong.release(session, deal.id, SYSTEM)
    return show.id, deal.id


def _count(engine, model):
    with db.session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_one_promise_logged_twice_at_one_instant_is_one_promise(clean_engine):
    with db.session(clean_engine) as s:
        actor = make_actor(s, "assistant", "小美")
        show_id, _ = _night(s)
    for i in range(5):
        said = f"前{i + 1}名下单的送鸡蛋"

        def log(text):
            return lambda s: promises.log_promise(s, actor, show_id, text).id

        ids = _race(clean_engine, [log(said), log(said), log(f"满{i + 2}份包邮")])
        assert all(isinstance(x, int) for x in ids), ids
        assert ids[0] == ids[1] and ids[2] != ids[0]  # twin: other words at the same instant are kept
    assert _count(clean_engine, Promise) == 10


def test_the_same_promise_said_again_later_is_a_new_promise(session, assistant):
    show_id, _ = _night(session)
    at = clock.now()
    first = promises.log_promise(session, assistant, show_id, "前10名送鸡蛋", at=at)
    assert promises.log_promise(session, assistant, show_id, "前10名送鸡蛋", at=at + timedelta(seconds=2)).id == first.id
    again = promises.log_promise(session, assistant, show_id, "前10名送鸡蛋", at=at + timedelta(minutes=10))
    assert again.id != first.id  # twin: said again later in the show
    kept = promises.log_promise(session, assistant, show_id, "前10名送鸡蛋", at=at, guess_deal=False)
    assert kept.id != first.id and first.deal_id is not None  # twin: the same words of another deal
    other, _ = _night(session, "果园")
    assert promises.log_promise(session, assistant, other, "前10名送鸡蛋", at=at).id not in (first.id, again.id)


def test_one_pasted_line_twice_with_one_stamp_is_one_promise(session, assistant):
    show_id, _ = _night(session)
    drafts = [promises.DraftIn(text="前10名送鸡蛋", kind="gift")] * 2 + [promises.DraftIn(text="满3份包邮", kind="gift")]
    made = promises.log_drafts(session, assistant, show_id, drafts)
    assert len(made) == 2 == len({p.id for p in made})


def test_one_manual_entry_sent_twice_at_one_instant_is_one_entry(clean_engine):
    with db.session(clean_engine) as s:
        actor = make_actor(s, "assistant", "小美")
        _, deal_id = _night(s)
    for i in range(5):
        def add(name):
            return lambda s: jielong.add_entry(s, actor, deal_id, name, 2, "", f"第{i}次", "5栋").id

        ids = _race(clean_engine, [add("王芳"), add("王芳"), add("李娜")])
        assert all(isinstance(x, int) for x in ids), ids
        assert ids[0] == ids[1] and ids[2] != ids[0]  # twin: another neighbour's same line is kept
    assert _count(clean_engine, ChainEntry) == 10
    with db.session(clean_engine) as s:
        deal = jielong.get_deal(s, deal_id)
        assert (deal.units_valid, deal.buyers_valid) == (20, 2)


def test_the_same_line_added_again_later_is_a_new_entry(session, assistant):
    _, deal_id = _night(session)
    at = clock.now()
    first = jielong.add_entry(session, assistant, deal_id, "王芳", 2, at=at)
    assert jielong.add_entry(session, assistant, deal_id, "王芳", 2, at=at).id == first.id
    assert jielong.add_entry(session, assistant, deal_id, "王芳", 3, at=at).id != first.id  # another 份数
    assert jielong.add_entry(session, assistant, deal_id, "王芳", 2, at=at + timedelta(minutes=1)).id != first.id
    assert jielong.add_entry(session, assistant, deal_id, "王芳", 2, source="sim", at=at).id != first.id
    assert session.scalar(select(func.count()).select_from(ChainEntry)) == 4


def test_the_host_link_button_double_clicked_makes_one_link(clean_engine):
    with db.session(clean_engine) as s:
        actor = make_actor(s, "assistant", "小美")
        show_id, _ = _night(s)
        other, _ = _night(s, "果园")
    for i in range(5):
        with db.session(clean_engine) as s:
            for link in auth.list_host_links(s, show_id) + auth.list_host_links(s, other):
                auth.revoke_host_link(s, actor, link.id)  # a new link after revoking (twin) is made

        def create(show):
            return lambda s: auth.create_host_link(s, actor, show, hours=2)

        got = _race(clean_engine, [create(show_id), create(show_id), create(other)])
        refusals = [g for g in got[:2] if g.startswith("InvalidState")]
        assert len(refusals) == 1 and "刚刚已生成" in refusals[0], got
        assert not got[2].startswith(("InvalidState", "Operational", "Integrity")), got  # twin: another show
    assert _count(clean_engine, AuthToken) == 10


def test_a_new_host_link_once_the_old_one_is_revoked_or_expired(session, assistant):
    show_id, _ = _night(session)
    now = clock.now()
    auth.create_host_link(session, assistant, show_id, hours=2, now=now)
    with pytest.raises(InvalidState, match="刚刚已生成"):
        auth.create_host_link(session, assistant, show_id, hours=2, now=now + timedelta(seconds=1))
    for link in auth.list_host_links(session, show_id):
        auth.revoke_host_link(session, assistant, link.id, at=now)
    auth.create_host_link(session, assistant, show_id, hours=0.0001, now=now + timedelta(seconds=1))  # 0.36 s
    assert auth.create_host_link(session, assistant, show_id, hours=2, now=now + timedelta(seconds=2))
    assert auth.create_host_link(session, assistant, show_id, hours=2, now=now + timedelta(minutes=1))
    assert len(auth.list_host_links(session, show_id)) == 4
