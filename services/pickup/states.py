"""Codes and their Chinese labels for pickup, in one place, and the status rule.

- PickupStatus of one order (chain entry): pending 待提货 → partial 部分提货 → picked_up 已提货,
  decided by units handed over against the order's quantity (`status_of`, and `status_sql`
  for the same rule inside a query).
- Via: how an order was handed over, counter 到店自提 or delivery 配送上门.
- FulfilledVia: how a promise's fulfilment item was kept (fulfilment_item.fulfilled_via).
- Action: a line of the hand-over ledger (pickup_action.kind).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, case, func

from services import promises
from services.pickup.points import COURIER


class _Coded(StrEnum):
    """A code with its Chinese label (the labels live beside each enum below)."""

    @property
    def label(self) -> str:
        return _LABELS[type(self)][self]


class PickupStatus(_Coded):
    PENDING = "pending"
    PARTIAL = "partial"
    PICKED_UP = "picked_up"


STATUS_LABELS = {PickupStatus.PENDING: "待提货", PickupStatus.PARTIAL: "部分提货", PickupStatus.PICKED_UP: "已提货"}


class Via(_Coded):
    COUNTER = "counter"
    DELIVERY = "delivery"


VIA_LABELS = {Via.COUNTER: "到店自提", Via.DELIVERY: "配送上门"}


class FulfilledVia(_Coded):
    PICKUP = "pickup"
    DELIVERY = "delivery"
    HAND = promises.FULFILLED_BY_HAND  # ticked on the 承诺履约 page (services.promises writes it)
    LATE_PICKUP = "late_pickup"
    LATE_DELIVERY = "late_delivery"


FULFILLED_LABELS = {
    FulfilledVia.PICKUP: "自提核销",
    FulfilledVia.DELIVERY: "配送送达",
    FulfilledVia.HAND: "手动勾选",
    FulfilledVia.LATE_PICKUP: "逾期自提",
    FulfilledVia.LATE_DELIVERY: "逾期送达",
}
_LABELS = {PickupStatus: STATUS_LABELS, Via: VIA_LABELS, FulfilledVia: FULFILLED_LABELS}

# An order of the 快递 group (points.COURIER) is shipped, not handed over nor delivered to a door: the same
# codes read 待发货 / 部分发货 / 已发货, and a run that covers it 快递发货 (night 21: 配送 said 送达 for them).
SHIPPING_LABELS = {PickupStatus.PENDING: "待发货", PickupStatus.PARTIAL: "部分发货", PickupStatus.PICKED_UP: "已发货"}
SHIPPED_VIA = "快递发货"


def status_label_for(status: PickupStatus, group: str) -> str:
    """The order's status as its group says it: 已提货, or 已发货 for a 快递 order."""
    return SHIPPING_LABELS[status] if group == COURIER else PickupStatus(status).label


def via_label_for(via: str, group: str) -> str:
    """How the order was handed over: 到店自提 / 配送上门, or 快递发货 for a 快递 order a run covered; "" for none."""
    if via not in Via.__members__.values():
        return ""
    return SHIPPED_VIA if via == Via.DELIVERY and group == COURIER else Via(via).label


@dataclass(frozen=True)
class RunWords:
    """The 配送 tab's words for some groups: what their open orders wait for, what a run makes them."""

    waiting: str  # 待送 / 待发货
    done: str  # 送达 / 发货


DOOR_WORDS, SHIP_WORDS = RunWords("待送", "送达"), RunWords("待发货", "发货")


def run_words(groups: Iterable[str]) -> RunWords:
    """待发货 / 发货 when every group is 快递 (a parcel sent), else 待送 / 送达."""
    groups = list(groups)
    return SHIP_WORDS if groups and all(g == COURIER for g in groups) else DOOR_WORDS
LATE = (FulfilledVia.LATE_PICKUP, FulfilledVia.LATE_DELIVERY)
BY_HANDOVER = (FulfilledVia.PICKUP, FulfilledVia.DELIVERY, *LATE)


class Action(StrEnum):
    """pickup_action.kind: one line of the hand-over ledger."""

    MARK = "mark"  # handed over at the counter
    DELIVER = "deliver"  # handed over by a delivery run
    GIFT = "gift"  # perks handed out after the pickup
    UNDO = "undo"


HANDOVERS = (Action.MARK, Action.DELIVER)


def on_time_via(via: Via) -> FulfilledVia:
    return FulfilledVia.DELIVERY if via == Via.DELIVERY else FulfilledVia.PICKUP


def late_via(via: Via) -> FulfilledVia:
    return FulfilledVia.LATE_DELIVERY if via == Via.DELIVERY else FulfilledVia.LATE_PICKUP


def fulfilled_label(code: str | None, done: bool) -> str:
    """How an item was fulfilled, for the 承诺履约 page: a done item ticked before this column
    existed (no code) was ticked by hand; an open item shows only a late hand-over."""
    if code in FULFILLED_LABELS.keys() and (done or code in LATE):
        return FulfilledVia(code).label
    return FulfilledVia.HAND.label if done else ""


def status_of(picked: int, qty: int) -> PickupStatus:
    """All units handed over → picked_up; some → partial; none → pending."""
    if picked >= qty and picked > 0:
        return PickupStatus.PICKED_UP
    return PickupStatus.PARTIAL if picked > 0 else PickupStatus.PENDING


def status_sql(picked: ColumnElement, qty: ColumnElement) -> ColumnElement:
    """status_of as an SQL CASE (picked may be NULL: no hand-over yet)."""
    p = func.coalesce(picked, 0)
    return case(
        ((p >= qty) & (p > 0), PickupStatus.PICKED_UP.value),
        (p > 0, PickupStatus.PARTIAL.value),
        else_=PickupStatus.PENDING.value,
    )


def when_text(at: datetime | None) -> str:
    """5月12日 14:02 (how staff and members say a time)."""
    return f"{at.month}月{at.day}日 {at:%H:%M}" if at else ""
