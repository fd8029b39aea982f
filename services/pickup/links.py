"""Pickup links (提货链接) for store staff without an operator account.

Like the host link: an assistant creates one for a show and a person at the counter (the label,
e.g. 前台小周); it opens only that show's pickup page, expires (default DEFAULT_HOURS, at most
MAX_HOURS: pickups run for days after a show) and can be revoked at once. The token is an
auth_token of kind "pickup_link" (only its SHA-256 is stored, services.auth); the label lives
in pickup_link. Whoever uses the link acts as `link_actor`: role "staff", who may only hand
orders over (permission pickup.mark); every hand-over names the label as who did it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuthToken, PickupLink
from services import auth, clock, events, shows
from services.authz import Actor, require
from services.errors import InvalidInput, NotFound
from services.text import clean

KIND = "pickup_link"
DEFAULT_HOURS = 72
MAX_HOURS = 24 * 14
MAX_LABEL = 20


@dataclass(frozen=True)
class LinkGrant:
    link_id: int  # the auth_token id
    show_id: int
    label: str


@dataclass(frozen=True)
class LinkRow:
    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    status: str  # 有效 / 已过期 / 已撤销 (a label, for display)
    live: bool  # neither expired nor revoked: may still be revoked


def link_actor(grant: LinkGrant) -> Actor:
    """Who acts through the link: no operator, role staff, named by the link's label."""
    return Actor(id=None, name=grant.label, role="staff")


def create_link(
    session: Session, actor: Actor, show_id: int, label: str, hours: float | None = None, now: datetime | None = None
) -> str:
    """A token that opens only this show's pickup page, for the person named by `label`."""
    require(actor, "pickuplink.manage")
    shows.get_show(session, show_id)
    label = " ".join(clean(label).split())
    if not label or len(label) > MAX_LABEL:
        raise InvalidInput(f"请填写使用人（如：前台小周），不超过 {MAX_LABEL} 个字。", field="使用人")
    hours = DEFAULT_HOURS if hours is None else hours
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= MAX_HOURS:
        raise InvalidInput(f"有效时长须在 0 到 {MAX_HOURS} 小时之间。", field="有效时长")
    now = now or clock.now()
    token = auth.issue_token(session, KIND, now, hours, show_id=show_id, operator_id=actor.id)
    row = auth.live_token(session, token, KIND, now)
    session.add(PickupLink(token_id=row.id, show_id=show_id, label=label))
    events.record(session, "pickuplink.created", show_id, actor, at=now, label=label, hours=hours)
    return token


def resolve_link(session: Session, token: str, now: datetime | None = None) -> LinkGrant | None:
    """What a live link grants, or None when it is unknown, expired or revoked."""
    row = auth.live_token(session, token, KIND, now or clock.now())
    if row is None:
        return None
    label = session.scalar(select(PickupLink.label).where(PickupLink.token_id == row.id))
    return LinkGrant(row.id, row.show_id, label or "提货链接")


def list_links(session: Session, show_id: int, now: datetime | None = None) -> list[LinkRow]:
    now = now or clock.now()
    q = (
        select(AuthToken, PickupLink.label)
        .join(PickupLink, PickupLink.token_id == AuthToken.id)
        .where(AuthToken.kind == KIND, AuthToken.show_id == show_id)
        .order_by(AuthToken.id.desc())
    )
    return [
        LinkRow(t.id, label, t.created_at, t.expires_at, auth.host_link_status(t, now), auth.is_live(t, now))
        for t, label in session.execute(q)
    ]


def revoke_link(session: Session, actor: Actor, link_id: int, at: datetime | None = None) -> None:
    """End a pickup link now; the counter page using it is refused on its next action."""
    require(actor, "pickuplink.manage")
    row = session.get(AuthToken, link_id)
    if row is None or row.kind != KIND:
        raise NotFound("找不到该提货链接。")
    if row.revoked_at is not None:
        return  # idempotent
    at = at or clock.now()
    row.revoked_at = at
    events.record(session, "pickuplink.revoked", row.show_id, actor, at=at, link_id=link_id)

