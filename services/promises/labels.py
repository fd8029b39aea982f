"""Promise codes and their Chinese labels: statuses (open → kept / broken / waived) and the
scopes a promise's fulfilment items are drawn from."""
from __future__ import annotations

from enum import StrEnum


class PromiseStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"
    WAIVED = "waived"


STATUSES = tuple(PromiseStatus)
STATUS_LABELS: dict[str, str] = {
    PromiseStatus.OPEN: "待履约",
    PromiseStatus.KEPT: "已兑现",
    PromiseStatus.BROKEN: "未兑现",
    PromiseStatus.WAIVED: "已豁免",
}
UNSETTLED = (PromiseStatus.OPEN, PromiseStatus.BROKEN)  # items still owed (kept and waived are settled)


class Scope(StrEnum):
    DEAL = "deal"
    FIRST_N = "first_n"
    SHOW = "show"
    CLAIMS = "claims"
    MIN_QTY = "min_qty"  # buyers who take at least N (满两份送): one item per such buyer


SCOPES = tuple(Scope)
SCOPE_LABELS: dict[str, str] = {
    Scope.DEAL: "本团品全部跟团",
    Scope.FIRST_N: "前 N 名",
    Scope.SHOW: "本场全部跟团",
    Scope.CLAIMS: "按申请登记",
    Scope.MIN_QTY: "满 N 份的跟团人",
}
EXPANDED_SCOPES = (Scope.DEAL, Scope.FIRST_N, Scope.SHOW, Scope.MIN_QTY)  # items drawn from the chain
CLAIM_KINDS = ("refund", "compensation")  # kinds whose promise is kept claim by claim
# fulfilment_item.fulfilled_via of an item ticked by hand; services.pickup writes the other
# codes (kept by a pickup or a delivery run) and owns their labels (pickup.FulfilledVia).
FULFILLED_BY_HAND = "hand"


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)
