"""Pickup links for store staff: expiring, revocable, one show; who uses one may only hand over."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuthToken, Event
from services import auth, pickup
from services.errors import Forbidden, InvalidInput
from tests.services.pickup_support import DUE, make_night


def test_a_link_opens_one_shows_counter_as_its_label(session, assistant):
    night = make_night(session, assistant)
    token = pickup.create_link(session, assistant, night.show_id, "前台小周", hours=48, now=DUE)
    grant = pickup.resolve_link(session, token, now=DUE + timedelta(hours=47))
    assert (grant.show_id, grant.label) == (night.show_id, "前台小周")
    staff = pickup.link_actor(grant)
    assert (staff.id, staff.name, staff.role) == (None, "前台小周", "staff")
    row = pickup.mark(session, staff, night.entries[1], at=DUE)
    assert row.picked_by == "前台小周"
    with pytest.raises(Forbidden):
        pickup.deliver(session, staff, night.show_id, ["5栋"])
    with pytest.raises(Forbidden):
        pickup.create_link(session, staff, night.show_id, "小王")
    assert session.scalar(select(AuthToken.token_hash).where(AuthToken.id == grant.link_id)) != token


def test_a_link_expires_and_can_be_revoked(session, assistant):
    night = make_night(session, assistant)
    token = pickup.create_link(session, assistant, night.show_id, "前台小周", hours=2, now=DUE)
    assert pickup.resolve_link(session, token, now=DUE + timedelta(hours=2)) is None
    token = pickup.create_link(session, assistant, night.show_id, "店长", now=DUE)
    grant = pickup.resolve_link(session, token, now=DUE)
    assert [(r.label, r.status) for r in pickup.list_links(session, night.show_id, now=DUE + timedelta(hours=3))] == [
        ("店长", "有效"), ("前台小周", "已过期")]
    pickup.revoke_link(session, assistant, grant.link_id)
    pickup.revoke_link(session, assistant, grant.link_id)  # twice changes nothing
    assert pickup.resolve_link(session, token) is None
    assert pickup.resolve_link(session, "not-a-token") is None
    kinds = session.scalars(select(Event.kind).where(Event.kind.like("pickuplink.%"))).all()
    assert sorted(kinds) == ["pickuplink.created", "pickuplink.created", "pickuplink.revoked"]


def test_a_host_link_is_no_pickup_link(session, assistant):
    night = make_night(session, assistant)
    token = auth.create_host_link(session, assistant, night.show_id)
    assert pickup.resolve_link(session, token) is None


@pytest.mark.parametrize("label, hours, field", [("", 1, "使用人"), ("x" * 21, 1, "使用人"), ("小周", 0, "有效时长"),
                                                 ("小周", 24 * 15, "有效时长")])
def test_bad_link_input_names_the_field(session, assistant, label, hours, field):
    night = make_night(session, assistant)
    with pytest.raises(InvalidInput) as info:
        pickup.create_link(session, assistant, night.show_id, label, hours=hours)
    assert info.value.field == field
