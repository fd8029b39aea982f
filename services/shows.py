"""Shows (场次) and their communities: create, edit, start, end, list."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import Community, Deal, Show
from services import clock, events, text
from services.authz import Actor, require
from services.errors import FieldErrors, InvalidInput, InvalidState, count_error
from services.sql import get_or_not_found

class ShowStatus(StrEnum):
    PLANNED = "planned"
    LIVE = "live"
    ENDED = "ended"


STATUS_LABELS: dict[str, str] = {ShowStatus.PLANNED: "未开播", ShowStatus.LIVE: "直播中", ShowStatus.ENDED: "已结束"}


@dataclass(frozen=True)
class ShowForm:
    title: str
    community_name: str
    member_count: int
    host_name: str
    scheduled_start: datetime
    scheduled_end: datetime


EVENING_HOUR = 20  # community live nights start in the evening (both demo nights: 20:00–21:00)


def default_slot(now: datetime) -> tuple[datetime, datetime]:
    """The new-show form's start and end: the next 20:00 at least an hour away, for an hour.
    (It offered tomorrow at the current hour: 08:00 for a show planned in the morning.)"""
    start = now.replace(hour=EVENING_HOUR, minute=0, second=0, microsecond=0)
    if start - now < timedelta(hours=1):
        start += timedelta(days=1)
    return start, start + timedelta(hours=1)


def cleaned(form: ShowForm) -> ShowForm:
    """The form's texts without control or bidi-override characters (services.text.clean)."""
    return replace(form, title=text.clean(form.title), community_name=text.clean(form.community_name),
                   host_name=text.clean(form.host_name))


def validate(form: ShowForm) -> None:
    errors: dict[str, str] = {}
    text.check_fields(errors, {"标题": (text.clean(form.title), Show.title),
                               "社群名称": (text.clean(form.community_name), Community.name),
                               "主播": (text.clean(form.host_name), Show.host_name)})
    if not text.clean(form.title):
        errors["标题"] = "不能为空"
    if not text.clean(form.community_name):
        errors["社群名称"] = "不能为空"
    if (problem := count_error(form.member_count)) is not None:
        errors["社群成员数"] = problem
    if not text.clean(form.host_name):
        errors["主播"] = "不能为空"
    if form.scheduled_end <= form.scheduled_start:
        errors["计划结束"] = "须晚于计划开始"
    if errors:
        raise FieldErrors(errors)


def check_unique(session: Session, form: ShowForm, exclude_id: int | None = None) -> None:
    """One show per title and start time: a second click on 保存场次 must not make a twin."""
    q = select(Show.id).where(Show.title == form.title.strip(), Show.scheduled_start == form.scheduled_start)
    if exclude_id is not None:
        q = q.where(Show.id != exclude_id)
    if session.scalar(q.limit(1)) is not None:
        raise _twin(form)


def _twin(form: ShowForm) -> InvalidInput:
    return InvalidInput(
        f"已有同名场次「{form.title.strip()}」（{form.scheduled_start:%m-%d %H:%M} 开始），请勿重复创建；"
        "如需修改请到「编辑当前场次」。", "标题",
    )


def _flush_unique(session: Session, form: ShowForm) -> None:
    """Write the show in a savepoint: two saves at one instant both pass check_unique, and the
    unique index (title, start) refuses the second; it gets the same message as a later twin."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise _twin(form) from None


def create_show(session: Session, actor: Actor, form: ShowForm) -> Show:
    require(actor, "show.edit")
    validate(form)
    form = cleaned(form)
    check_unique(session, form)
    community = community_named(session, form.community_name, form.member_count)
    show = Show(
        title=form.title.strip(),
        community=community,
        host_name=form.host_name.strip(),
        scheduled_start=form.scheduled_start,
        scheduled_end=form.scheduled_end,
        status=ShowStatus.PLANNED,
        created_at=clock.now(),
    )
    session.add(show)
    _flush_unique(session, form)
    events.record(session, "show.created", show.id, actor, title=show.title)
    return show


def community_names(session: Session) -> list[str]:
    """The communities shows were planned for, most recently used first (the setup form names them:
    a name typed differently makes a new community, whose members, 复购 and KOC count apart)."""
    last = func.max(Show.scheduled_start)
    q = select(Community.name).outerjoin(Show, Show.community_id == Community.id).group_by(Community.id, Community.name)
    return list(session.scalars(q.order_by(last.desc().nulls_last(), Community.id)))


def community_named(session: Session, name: str, member_count: int) -> Community:
    """The community of that name (its shows share it, and so do their members: services.members),
    created on first use; its member count is the one the latest form gave."""
    name = name.strip()
    community = session.scalar(select(Community).where(Community.name == name).order_by(Community.id).limit(1))
    if community is None:
        community = Community(name=name, member_count=member_count)
        session.add(community)
    community.member_count = member_count
    return community


DEADLINE_AFTER_END = timedelta(minutes=30)  # orders still come in after the host says goodnight


def default_deadline(scheduled_end: datetime) -> datetime:
    """The 截止 the deal form proposes: half an hour after the show's planned end."""
    return scheduled_end + DEADLINE_AFTER_END


def follow_planned_end(session: Session, actor: Actor, show: Show, old_end: datetime, at: datetime) -> list[Deal]:
    """When the planned end moves, the deals that close with the show move with it. Night 19: the show
    was moved from 20:00–21:00 to 18:30–19:10 and the two deals created before kept 21:30 (the form's
    default, the old end + 30 min); the host screen counted down 2:57:36. The rule:
    - a deal whose deadline is the old end, or the default the form proposed for it (old end + 30 min),
      moves by as much as the end did (21:30 → 19:40);
    - a deadline set apart (黑猪五花肉 截止 18:43, a pre-order closing tomorrow) is the deal's own: kept;
    - a deadline already passed is kept: it decided its deal (未成团 recorded, or due on the next read).
    Each move is logged (deal.deadline_followed) with the old and the new deadline."""
    shift = show.scheduled_end - old_end
    if not shift:
        return []
    moved = list(session.scalars(select(Deal).where(
        Deal.show_id == show.id, Deal.deadline.in_((old_end, default_deadline(old_end))), Deal.deadline > at,
        Deal.failed_at.is_(None),
    ).order_by(Deal.id)))
    for deal in moved:
        old, deal.deadline = deal.deadline, deal.deadline + shift
        events.record(session, "deal.deadline_followed", show.id, actor, at=at, deal_id=deal.id,
                      product=deal.product, old=old, new=deal.deadline)
    return moved


def update_show(session: Session, actor: Actor, show_id: int, form: ShowForm, at: datetime | None = None) -> Show:
    """Save the show's form; deals closing with the show follow a new planned end (follow_planned_end)."""
    require(actor, "show.edit")
    validate(form)
    form = cleaned(form)
    show = get_show(session, show_id)
    check_unique(session, form, exclude_id=show_id)
    old_end = show.scheduled_end
    show.title = form.title.strip()
    show.community = community_named(session, form.community_name, form.member_count)
    show.host_name = form.host_name.strip()
    show.scheduled_start = form.scheduled_start
    show.scheduled_end = form.scheduled_end
    _flush_unique(session, form)
    at = at or clock.now()
    events.record(session, "show.updated", show.id, actor, at=at, title=show.title)
    follow_planned_end(session, actor, show, old_end, at)
    return show


def _transition(session: Session, actor: Actor, show_id: int, expected: ShowStatus, refusal: str) -> Show:
    """The one checked step of a show's lifecycle: who may, which show, and from which status."""
    require(actor, "show.edit")
    show = get_show(session, show_id)
    if show.status != expected:
        raise InvalidState(f"场次当前为「{STATUS_LABELS[show.status]}」，{refusal}。")
    return show


def start_show(session: Session, actor: Actor, show_id: int, at: datetime | None = None) -> Show:
    show = _transition(session, actor, show_id, ShowStatus.PLANNED, "不能开播")
    show.status, show.actual_start = ShowStatus.LIVE, at or clock.now()
    events.record(session, "show.started", show.id, actor, at=show.actual_start)
    return show


SCHEDULE_DRIFT = timedelta(hours=3)


def schedule_warning(show: Show) -> str:
    """A live show that started far from its planned time (the new-show form proposes tomorrow):
    the release advice, the end reminders and the deals' default deadline all follow the plan, so
    say so in Chinese; "" when the plan fits (night 8: live today, 接龙截止 in 1天1小时)."""
    if show.status != ShowStatus.LIVE or show.actual_start is None:
        return ""
    if abs(show.actual_start - show.scheduled_start) <= SCHEDULE_DRIFT:
        return ""
    return (f"计划时间是 {show.scheduled_start:%m-%d %H:%M}–{show.scheduled_end:%H:%M}，实际 "
            f"{show.actual_start:%m-%d %H:%M} 开播：发布时机和下播提醒按计划时间算，团品截止时间也可能不对。"
            "请到「场次准备」把计划时间改成实际时间，并核对各团品的截止时间。")


def end_show(session: Session, actor: Actor, show_id: int, at: datetime | None = None) -> Show:
    show = _transition(session, actor, show_id, ShowStatus.LIVE, "不能结束直播")
    show.status, show.actual_end = ShowStatus.ENDED, at or clock.now()
    events.record(session, "show.ended", show.id, actor, at=show.actual_end)
    return show


def set_rehearsal(session: Session, actor: Actor, show_id: int, rehearsal: bool = True) -> Show:
    """Mark a show as a rehearsal (彩排: the simulator may feed it; comparisons leave it out)."""
    require(actor, "show.edit")
    show = get_show(session, show_id)
    show.rehearsal = bool(rehearsal)
    events.record(session, "show.updated", show.id, actor, rehearsal=show.rehearsal)
    return show


def reopen_show(session: Session, actor: Actor, show_id: int, at: datetime | None = None) -> Show:
    """Undo 结束直播 (ended by mistake, or the host went on): live again, the end time cleared."""
    show = _transition(session, actor, show_id, ShowStatus.ENDED, "不需要恢复直播")
    show.status, show.actual_end = ShowStatus.LIVE, None
    events.record(session, "show.reopened", show.id, actor, at=at or clock.now())
    return show


def get_show(session: Session, show_id: int) -> Show:
    return get_or_not_found(session, Show, show_id, "找不到编号为 {key} 的场次，请从左侧重新选择。")


def list_shows(session: Session) -> list[Show]:
    """All shows, the most recent first."""
    return list(session.scalars(select(Show).order_by(Show.scheduled_start.desc(), Show.id.desc())))


def find_show(session: Session, title: str) -> Show | None:
    return session.scalar(select(Show).where(Show.title == title).order_by(Show.id.desc()))


def deal_in_focus(session: Session, show_id: int, released_only: bool = False) -> Deal | None:
    """The deal the room is talking about: the one released last (the host is selling it now);
    before any release, the show's first deal (a night opens with its first product), or None
    with `released_only`. The one rule behind the promise log's deal, the reply templates, the
    question grouping's focus and the console's deal picker."""
    released = session.scalar(
        select(Deal).where(Deal.show_id == show_id, Deal.released_at.is_not(None))
        .order_by(Deal.released_at.desc(), Deal.id.desc()).limit(1)
    )
    if released is not None or released_only:
        return released
    return session.scalar(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id).limit(1))
