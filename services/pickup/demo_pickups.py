"""The past demo night's hand-overs (亲亲宝贝《安心之选》, "保税仓直发，3天内送达"), replayed
through the services with their own times so the review shows a pickup rate on a fresh start
(and `replay_week_pickups`: the 源味集 weekly nights' next-morning hand-overs; `deliver_share` and
`counter_morning`: the 源味集 seed night's morning after, played by services.demo up to the moment
the demo is opened).

Two days after the show two delivery runs cover most buildings (A线 before noon, B线 in the
afternoon); on the third day the rest come to the shop: most take everything, two take part
of their cans, and three never come (they stay on the follow-up list). Deterministic: every
choice follows the chain order, so each load gives the same figures."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Promise
from services import shows
from services.authz import Actor
from services.pickup import counter, delivery, lists, rows
from services.pickup.points import COURIER as BY_COURIER
from services.pickup.points import pickup_point
from services.pickup.states import PickupStatus

COURIER = Actor(id=None, name="配送员老陈", role="assistant")
CLERK = Actor(id=None, name="店员小周", role="staff")
RUN_SHARE = (0.45, 0.8)  # the first 45 % of the groups on A线, up to 80 % on B线; the rest at the shop
NEVER_CAME, PARTIAL = 3, 2


def replay_past_pickups(session: Session, show_id: int) -> None:
    start = shows.get_show(session, show_id).scheduled_start
    day2 = datetime.combine(start.date() + timedelta(days=2), datetime.min.time())
    groups = [g.group for g in lists.group_choices(session, show_id)]
    a, b = (round(len(groups) * s) for s in RUN_SHARE)
    if groups[:a]:
        delivery.deliver(session, COURIER, show_id, groups[:a], at=day2 + timedelta(hours=11, minutes=20), label="A线")
    if groups[a:b]:
        delivery.deliver(session, COURIER, show_id, groups[a:b], at=day2 + timedelta(hours=17, minutes=40), label="B线")
    shop = [r for g in lists.pickup_list(session, show_id) if g.group in groups[b:] for r in g.rows
            if r.status != PickupStatus.PICKED_UP]
    came = shop[: max(len(shop) - NEVER_CAME, 0)]
    partial = [r for r in came if r.qty > 1][:PARTIAL]
    at = day2 + timedelta(days=1, hours=9, minutes=5)
    for i, r in enumerate(came):
        qty = 1 if r in partial else None
        counter.mark(session, CLERK, r.entry_id, qty=qty, at=at + timedelta(minutes=17 * i))


def replay_week_pickups(session: Session, show_id: int, never_came: int = 0) -> None:
    """An earlier weekly demo night: its neighbours take their orders at the shop the next
    morning, in chain order, but the last `never_came` orders (still open: the counter then
    tells a neighbour of last week's orders, and 跟进 lists them)."""
    start = shows.get_show(session, show_id).scheduled_start
    at = datetime.combine(start.date() + timedelta(days=1), datetime.min.time()) + timedelta(hours=9)
    orders = [r for g in lists.pickup_list(session, show_id) for r in g.rows]
    for i, r in enumerate(orders[: max(len(orders) - never_came, 0)]):
        counter.mark(session, CLERK, r.entry_id, at=at + timedelta(minutes=i))


def _at_points(group: str) -> bool:
    """Whether a packing group is a pickup point (collected at the counter, not on a van's route)."""
    return pickup_point(group) is not None


def deliver_share(
    session: Session, show_id: int, label: str, first: float, last: float, at: datetime, now: datetime | None = None,
) -> None:
    """The van delivers the buildings in the share [first, last) of the show's buildings (packing
    order) at `at`, through `delivery.deliver`; the driver hands out the perks the delivered orders
    are owed (`counter.hand_gifts`), so the gift promise's items close with them."""
    buildings = [g.group for g in lists.group_choices(session, show_id) if not _at_points(g.group) and g.group != BY_COURIER]
    route = buildings[round(len(buildings) * first): round(len(buildings) * last)]
    if not route:
        return
    delivery.deliver(session, COURIER, show_id, route, at=at, label=label, now=now)
    for r in (r for g in lists.pickup_list(session, show_id) if g.group in route for r in g.rows):
        if r.open_perks and r.status == PickupStatus.PICKED_UP:
            counter.hand_gifts(session, COURIER, r.entry_id, [p.item_id for p in r.open_perks], at=at)


def counter_morning(
    session: Session, show_id: int, at: datetime, every: timedelta, never_came: int, until: datetime | None = None,
) -> None:
    """The neighbours who chose a pickup point come to the counter from `at`, one every `every`, in
    chain order, each taking all their orders with the perks owed (`counter.mark`), up to `until`.
    The last `never_came` of those whose orders carry no delivery promise do not come (a few 未提)."""
    promised = set(session.scalars(select(Promise.deal_id).where(Promise.show_id == show_id, Promise.kind == "delivery")))
    people: dict[str, list[rows.PickupRow]] = {}
    for g in lists.pickup_list(session, show_id):
        if _at_points(g.group):
            for r in g.rows:
                if r.status != PickupStatus.PICKED_UP:
                    people.setdefault(r.name, []).append(r)
    order = sorted(people, key=lambda n: min((r.seq or 0, r.entry_id) for r in people[n]))
    unpromised = [] if None in promised else [n for n in order if all(r.deal_id not in promised for r in people[n])]
    stay = set(unpromised[len(unpromised) - min(never_came, len(unpromised)):])
    for i, name in enumerate(n for n in order if n not in stay):
        t = at + every * i
        if until is not None and t > until:
            return
        for r in people[name]:
            counter.mark(session, CLERK, r.entry_id, at=t, gifts=[p.item_id for p in r.open_perks])
