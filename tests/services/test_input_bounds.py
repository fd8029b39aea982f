"""Counts people type (community members, 成团数, 前 N 名, 满 N 份, a 接龙序号 or a range of them)
stop at errors.MAX_COUNT: on PostgreSQL an INTEGER column refused 10^12 as a DataError (no
typed error, no field named; SQLite stored it), so the services refuse it with a Chinese
sentence and write nothing. Each refusal has its twin: MAX_COUNT itself is accepted."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Deal, Event, Promise, Show
from services import clock, jielong, promises, shows
from services.authz import SYSTEM
from services.errors import MAX_COUNT, FieldErrors, InvalidInput

HUGE = 10**12


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _show_form(title: str, members: object) -> shows.ShowForm:
    start = clock.now() + timedelta(days=1)
    return shows.ShowForm(title, "阳光花园群", members, "老李", start, start + timedelta(hours=1))


def _deal_form(product: str, threshold: object) -> jielong.DealForm:
    return jielong.DealForm(product=product, group_price="9.9", threshold=threshold, delivery_text="明天送到",
                            deadline=clock.now() + timedelta(days=1, hours=2))


@pytest.fixture
def show(session):
    return shows.create_show(session, SYSTEM, _show_form("源味集", 300))


def test_a_huge_community_size_is_refused_and_names_its_field(session, assistant, show):
    before = (_count(session, Show), _count(session, Event))
    with pytest.raises(FieldErrors) as err:
        shows.create_show(session, assistant, _show_form("另一场", HUGE))
    assert err.value.errors["社群成员数"] == f"不能超过 {MAX_COUNT}"
    assert (_count(session, Show), _count(session, Event)) == before
    with pytest.raises(FieldErrors):
        shows.update_show(session, assistant, show.id, _show_form("源味集", HUGE))
    session.expire_all()
    assert shows.get_show(session, show.id).community.member_count == 300


def test_twin_the_largest_community_size_is_kept(session, assistant):
    made = shows.create_show(session, assistant, _show_form("大社群", MAX_COUNT))
    assert made.community.member_count == MAX_COUNT


def test_a_zero_community_size_keeps_its_message(session, assistant):
    with pytest.raises(FieldErrors) as err:
        shows.create_show(session, assistant, _show_form("零人", 0))
    assert err.value.errors["社群成员数"] == "须为不小于 1 的整数"


def test_a_huge_threshold_is_refused_and_nothing_is_written(session, assistant, show):
    before = (_count(session, Deal), _count(session, Event))
    with pytest.raises(FieldErrors) as err:
        jielong.create_deal(session, assistant, show.id, _deal_form("上海青", HUGE))
    assert err.value.errors["成团数"] == f"不能超过 {MAX_COUNT}"
    assert (_count(session, Deal), _count(session, Event)) == before
    jielong.create_deal(session, assistant, show.id, _deal_form("上海青", MAX_COUNT))  # twin


@pytest.mark.parametrize("said", ["前1000000000000名送小葱", "满1000000000000份送小葱"])
def test_a_promise_naming_a_huge_n_is_refused(session, assistant, show, said):
    before = (_count(session, Promise), _count(session, Event))
    with pytest.raises(InvalidInput, match=f"不能超过 {MAX_COUNT}"):
        promises.log_promise(session, assistant, show.id, said)
    assert (_count(session, Promise), _count(session, Event)) == before


def test_twin_a_promise_naming_the_largest_n_is_logged(session, assistant, show):
    assert promises.log_promise(session, assistant, show.id, f"前{MAX_COUNT}名送小葱").first_n == MAX_COUNT


def test_confirming_a_huge_n_is_refused_and_the_promise_is_unchanged(session, assistant, show):
    p = promises.log_promise(session, assistant, show.id, "前50名送小葱")
    for kw in ({"scope": "first_n", "first_n": HUGE}, {"scope": "min_qty", "min_qty": HUGE}):
        with pytest.raises(InvalidInput, match=f"不能超过 {MAX_COUNT}"):
            promises.confirm(session, assistant, p.id, **kw)
    session.expire_all()
    again = session.get(Promise, p.id)
    assert (again.first_n, again.min_qty, again.confirmed) == (50, None, False)
    promises.confirm(session, assistant, p.id, scope="first_n", first_n=MAX_COUNT)  # twin


def test_a_seq_range_past_the_bound_is_refused(session, assistant, show):
    p = promises.log_promise(session, assistant, show.id, "前50名送小葱")
    events = _count(session, Event)
    for span in (f"1-{HUGE}", f"{HUGE}-{HUGE + 1}"):
        with pytest.raises(InvalidInput, match="序号不能超过"):
            promises.parse_range(span)
    with pytest.raises(InvalidInput, match="序号不能超过"):
        promises.tick_range(session, assistant, p.id, 1, HUGE)
    assert _count(session, Event) == events
    assert promises.parse_range(f"1-{MAX_COUNT}") == (1, MAX_COUNT)  # twin
    assert promises.tick_range(session, assistant, p.id, 1, MAX_COUNT) == 0


def test_the_items_filter_reads_a_huge_seq_as_the_bound(session, assistant, show):
    p = promises.log_promise(session, assistant, show.id, "前50名送小葱")
    rows, total = promises.items_page(session, p.id, promises.ItemQuery(seq_from=1, seq_to=HUGE))
    assert (rows, total) == ([], 0)
    rows, total = promises.items_page(session, p.id, promises.ItemQuery(seq_from=HUGE))
    assert total == 0


def test_an_entry_with_a_huge_seq_is_refused(session, assistant, show):
    deal = jielong.create_deal(session, SYSTEM, show.id, _deal_form("上海青", 10))
    jielong.release(session, deal.id, SYSTEM)
    with pytest.raises(InvalidInput, match="接龙序号"):
        jielong.add_entry(session, assistant, deal.id, "王芳", 1, seq=HUGE)
    assert jielong.list_entries(session, deal.id) == []
    assert jielong.add_entry(session, assistant, deal.id, "王芳", 1, seq=MAX_COUNT).seq == MAX_COUNT  # twin
