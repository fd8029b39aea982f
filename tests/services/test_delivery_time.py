"""A delivery run's time (配送 → 送达日期 / 送达时间, picked by hand) is not before the show began
and not in the future: a date picked a day off closed delivery promises as kept on time (or
marked them late) by a time that never was. Refused with InvalidInput, nothing written."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import DeliveryRun, Event
from services import clock, pickup
from services.errors import InvalidInput
from tests.services.test_intake_cleaning import world  # noqa: F401  (the fixture)


def _written(session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(DeliveryRun)),
            session.scalar(select(func.count()).select_from(Event)))


@pytest.mark.parametrize("shift, words", [(timedelta(days=1), "还没到"), (timedelta(days=-3), "不能早于直播开始")])
def test_a_delivery_time_a_day_off_is_refused(session, assistant, world, shift, words):  # noqa: F811
    show = world[0]
    before = _written(session)
    with pytest.raises(InvalidInput, match=words) as err:
        pickup.deliver(session, assistant, show, ["5栋"], at=clock.now() + shift)
    assert err.value.field == "送达时间"
    assert _written(session) == before


def test_twin_a_delivery_just_now_is_kept(session, assistant, world):  # noqa: F811
    run = pickup.deliver(session, assistant, world[0], ["5栋"], at=clock.now() + timedelta(minutes=5))
    assert run.entries == 1


def test_a_run_replayed_as_of_a_later_moment_is_judged_against_that_moment(session, assistant, world):  # noqa: F811
    """The demo replays the seed night's morning as of the moment it is opened (`now`, which tests pin to
    an hour the wall clock may not have reached): a run is in the future only against that moment."""
    later = clock.now() + timedelta(days=1)
    run = pickup.deliver(session, assistant, world[0], ["5栋"], at=later - timedelta(minutes=30), now=later)
    assert run.entries == 1 and run.created_at == later
    with pytest.raises(InvalidInput, match="还没到"):  # twin: still refused beyond that moment
        pickup.deliver(session, assistant, world[0], ["5栋"], at=later + timedelta(days=1), now=later)
