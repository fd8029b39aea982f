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
