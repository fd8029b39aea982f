"""Operator decisions on identity: confirm or reject a proposal in one click, undo a merge,
merge two members by hand, mark a KOC. Each writes one event (community-level: no show)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Member, MemberAlias, MemberProposal, MemberShow, Show
from services import clock, events, locking
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState
from services.members.identity import open_proposal
from services.members.labels import ProposalStatus
from services.members.tally import rebuild, refresh


def _proposal(session: Session, proposal_id: int) -> MemberProposal:
    return locking.lock(session, MemberProposal, proposal_id, missing=f"找不到编号为 {proposal_id} 的合并建议。")


def _member(session: Session, member_id: int) -> Member:
    return locking.lock(session, Member, member_id, missing=f"找不到编号为 {member_id} 的社群成员。")


def _rebuild_shows_of(session: Session, member_ids: list[int]) -> None:
    show_ids = set(session.scalars(select(MemberShow.show_id).where(MemberShow.member_id.in_(member_ids))))
    for show in session.scalars(select(Show).where(Show.id.in_(show_ids)).order_by(Show.id)):
        rebuild(session, show)
    refresh(session, set(member_ids))


def confirm(session: Session, actor: Actor, proposal_id: int, at: datetime | None = None) -> MemberProposal:
    """Merge the proposal's other member into its member: aliases move, tallies follow."""
    require(actor, "members.write")
    p = _proposal(session, proposal_id)
    if p.status != ProposalStatus.OPEN:
        raise InvalidState("这条合并建议已经处理过了。")
    keep, other = _member(session, p.member_id), _member(session, p.other_id)
    if keep.merged_into_id or other.merged_into_id:
        raise InvalidState(f"「{other.name}」或「{keep.name}」已并入其他成员，请先撤销那次合并。")
    at = at or clock.now()
    moved = list(session.scalars(select(MemberAlias.id).where(MemberAlias.member_id == other.id)))
    session.execute(update(MemberAlias).where(MemberAlias.id.in_(moved)).values(member_id=keep.id))
    other.merged_into_id, other.koc, keep.koc = keep.id, False, keep.koc or other.koc
    p.status, p.moved, p.decided_at, p.decided_by = ProposalStatus.CONFIRMED, moved, at, actor.id
    events.record(session, "members.merged", None, actor, at=at, proposal_id=p.id, keep=keep.id, other=other.id)
    session.flush()
    _rebuild_shows_of(session, [keep.id, other.id])
    return p


def reject(session: Session, actor: Actor, proposal_id: int, at: datetime | None = None) -> MemberProposal:
    """Not the same person: the pair is never proposed again."""
    require(actor, "members.write")
    p = _proposal(session, proposal_id)
    if p.status != ProposalStatus.OPEN:
        raise InvalidState("这条合并建议已经处理过了。")
    at = at or clock.now()
    p.status, p.decided_at, p.decided_by = ProposalStatus.REJECTED, at, actor.id
    events.record(session, "members.rejected", None, actor, at=at, proposal_id=p.id)
    return p


def undo(session: Session, actor: Actor, proposal_id: int, at: datetime | None = None) -> MemberProposal:
    """Undo a confirmed merge (the aliases it moved go back) or a rejection; the proposal is open again."""
    require(actor, "members.write")
    p = _proposal(session, proposal_id)
    if p.status == ProposalStatus.OPEN:
        raise InvalidState("这条合并建议还没有处理，无需撤销。")
    at = at or clock.now()
    if p.status == ProposalStatus.CONFIRMED:
        other = _member(session, p.other_id)
        if p.moved:
            session.execute(update(MemberAlias).where(MemberAlias.id.in_(p.moved)).values(member_id=other.id))
        other.merged_into_id = None
        session.flush()
        _rebuild_shows_of(session, [p.member_id, p.other_id])
    p.status, p.moved, p.decided_at, p.decided_by = ProposalStatus.OPEN, [], None, None
    events.record(session, "members.undone", None, actor, at=at, proposal_id=p.id)
    return p


def merge(session: Session, actor: Actor, keep_id: int, other_id: int, at: datetime | None = None) -> MemberProposal:
    """Merge two members by hand (recorded as a confirmed proposal, so it can be undone)."""
    require(actor, "members.write")
    if keep_id == other_id:
        raise InvalidInput("请选择两个不同的成员。", "成员")
    keep, other = _member(session, keep_id), _member(session, other_id)
    if keep.community_id != other.community_id:
        raise InvalidInput("只能合并同一社群的成员。", "成员")
    at = at or clock.now()
    open_proposal(session, keep.community_id, keep.id, other.id, "manual", at)
    session.flush()
    p = session.scalar(select(MemberProposal).where(
        ((MemberProposal.member_id == keep.id) & (MemberProposal.other_id == other.id))
        | ((MemberProposal.member_id == other.id) & (MemberProposal.other_id == keep.id))))
    if p.status != ProposalStatus.OPEN:
        raise InvalidState("这两位成员之间已有处理过的合并建议，请先撤销它。")
    p.member_id, p.other_id = keep.id, other.id
    return confirm(session, actor, p.id, at=at)


def set_koc(session: Session, actor: Actor, member_id: int, koc: bool = True, at: datetime | None = None) -> Member:
    """Mark (or unmark) a member as KOC."""
    require(actor, "members.write")
    m = _member(session, member_id)
    if m.merged_into_id:
        raise InvalidState(f"「{m.name}」已并入其他成员。")
    m.koc = bool(koc)
    events.record(session, "members.koc", None, actor, at=at or clock.now(), member_id=m.id, koc=m.koc)
    return m
