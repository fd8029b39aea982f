"""Editing a deal. Before the release everything may change; once the jielong is posted, the
product, the group price and the 成团 condition are what members signed up for, and a new
stock re-serves the chain (entries move between valid and 候补)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from db.models import Deal
from services import clock, events, locking
from services.authz import Actor, require
from services.errors import InvalidState
from services.jielong.deals import DealForm, check_unique, validate
from services.jielong.intake import reallocate
from services.jielong.lifecycle import DealStatus

FROZEN_AFTER_RELEASE = ("product", "group_price", "spec_prices", "threshold", "threshold_unit")


def update_deal(session: Session, actor: Actor, deal_id: int, form: DealForm, at: datetime | None = None) -> Deal:
    require(actor, "deal.edit")
    deal = locking.lock(session, Deal, deal_id, missing=f"找不到编号为 {deal_id} 的团品。")
    values = validate(form, deal.show)
    check_unique(session, deal.show_id, values["product"], exclude_id=deal.id)
    released = deal.status != DealStatus.DRAFT
    if released and any(values[k] != getattr(deal, k) for k in FROZEN_AFTER_RELEASE):
        raise InvalidState("接龙已发布，不能再修改商品、专享价、规格价格和成团条件；可修改限量、福利、配送和截止时间。")
    at = at or clock.now()
    for k, v in values.items():
        setattr(deal, k, v)
    session.flush()
    events.record(session, "deal.updated", deal.show_id, actor, at=at, deal_id=deal.id, product=deal.product)
    if released:
        reallocate(session, actor, deal, at)  # a new stock may promote or waitlist
    return deal
