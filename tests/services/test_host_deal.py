"""The deal on the host screen (issue 13 #15): the last released by default, or the assistant's pick."""
from __future__ import annotations

from datetime import timedelta

import pytest

from db.models import Event
from services import live
from services.errors import Forbidden, InvalidInput
from tests.services.test_funnel import RELEASE, make_deal, make_show


@pytest.fixture
def night(session, admin):
    show_id = make_show(session, admin)
    first = make_deal(session, show_id, product="丹东红颜草莓", released_at=RELEASE)
    last = make_deal(session, show_id, product="赣南脐橙", released_at=RELEASE + timedelta(minutes=20))
    return show_id, first, last


def test_the_host_screen_shows_the_last_released_deal_until_the_assistant_picks_one(session, assistant, night):
    show_id, first, last = night
    assert live.snapshot(session, show_id).focus.id == last
    version = live.snapshot(session, show_id).version
    live.set_host_deal(session, assistant, show_id, first)
    snap = live.snapshot(session, show_id)
    assert (snap.focus.id, live.host_deal_choice(session, show_id)) == (first, first)
    assert snap.version > version  # the host screen re-reads on its next tick
    assert live.host_view(session, show_id).snapshot.focus.product == "丹东红颜草莓"
    live.set_host_deal(session, assistant, show_id, None)
    assert live.snapshot(session, show_id).focus.id == last
    kinds = [e.kind for e in session.query(Event).filter(Event.show_id == show_id, Event.kind == "host.deal_chosen")]
    assert len(kinds) == 2


def test_only_a_deal_of_the_show_and_only_by_the_assistant(session, assistant, host, admin, night):
    show_id, first, _ = night
    other_show = make_show(session, admin, title="亲亲宝贝《安心之选》")
    stranger = make_deal(session, other_show, product="砂糖橘")
    with pytest.raises(InvalidInput, match="不属于本场"):
        live.set_host_deal(session, assistant, show_id, stranger)
    with pytest.raises(Forbidden):
        live.set_host_deal(session, host, show_id, first)
    assert live.host_deal_choice(session, show_id) is None


def test_the_last_promise_names_its_deal_when_another_deal_is_on_the_host_screen(session, assistant, night):
    """Issue 13: 刚才承诺 showed 草莓's "后天下午到" under 脐橙 without a word. The last promise
    is still shown (it is what the host just said), with its product when it is another deal's;
    a whole-show promise and one for the shown deal are shown as said."""
    from db.models import Promise

    show_id, first, last = night
    session.add(Promise(show_id=show_id, deal_id=first, text="后天下午到", kind="delivery", said_at=RELEASE))
    session.flush()
    snap = live.snapshot(session, show_id)
    assert snap.focus.id == last
    assert snap.promises[0].line(snap.focus.id) == f"{RELEASE:%H:%M}  【丹东红颜草莓】后天下午到"
    assert snap.promises[0].line(first) == f"{RELEASE:%H:%M}  后天下午到"
    session.add(Promise(show_id=show_id, deal_id=None, text="今晚都包邮", kind="shipping",
                        said_at=RELEASE + timedelta(minutes=1)))
    session.flush()
    assert live.snapshot(session, show_id).promises[0].line(last).endswith("  今晚都包邮")


def test_the_host_screen_names_the_other_chains_still_open(session, assistant):
    # Two chains out at once: the host selling 赣南脐橙 still sees 草莓 filling, and the other way
    # round once the assistant puts 草莓 on the screen; a sold-out chain is no longer listed.
    show_id = make_show(session, assistant)
    first = make_deal(session, show_id, product="丹东红颜草莓", released_at=RELEASE, units=36, threshold=30,
                      reached_at=RELEASE + timedelta(minutes=5), status="reached")
    last = make_deal(session, show_id, product="赣南脐橙", released_at=RELEASE + timedelta(minutes=20), units=12, threshold=20)
    make_deal(session, show_id, product="土鸡蛋", released_at=RELEASE + timedelta(minutes=2), units=40, stock=40)
    snap = live.snapshot(session, show_id)
    assert [d.id for d in snap.also_open] == [first]
    assert live.also_open_text(snap.also_open) == "同时接龙中：丹东红颜草莓 36/30 份 已成团"
    live.set_host_deal(session, assistant, show_id, first)
    snap = live.snapshot(session, show_id)
    assert live.also_open_text(snap.also_open) == "同时接龙中：赣南脐橙 12/20 份 还差 8 份"


def test_one_chain_out_gives_no_other_chains_line(session, assistant):
    show_id = make_show(session, assistant)
    make_deal(session, show_id, product="赣南脐橙", released_at=RELEASE, units=12, threshold=20)
    make_deal(session, show_id, product="丹东红颜草莓", released_at=None)  # a draft is not out yet
    snap = live.snapshot(session, show_id)
    assert (snap.focus.product, snap.also_open, live.also_open_text(snap.also_open)) == ("赣南脐橙", (), "")
