"""The queue's one-click actions on a question group (给主播, 已回复, 忽略, 改类别, 合并), each
logged as one event carrying what it changed, so 撤销上一步 can revert it exactly."""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Comment, Event, QuestionGroup, Show
from services import clock, events, locking, tallies
from services.authz import Actor, require
from services.errors import InvalidInput, InvalidState
from services.sql import chunks
from services.triage.labels import CATEGORIES, CATEGORY_LABELS, Category, QuestionStatus
from services.triage.reads import get_group

REPLY_TEMPLATES = {
    "authenticity": "感谢关心！有机认证证书和检测报告已发在群公告，证书编号可在认证机构官网查询，主播稍后在镜头前再展示一次。",
    "after_sales": "收到有问题的商品请拍照发群里@助手，我们核实后补发或退款，不用寄回。",
    "delivery": "成团后次日统一配送到小区自提点，到货后群里通知取货时间。",
    "price": "今晚直播间团购价以接龙文案为准，前面下单的还有额外福利哦～",
    "order": "接龙已发在群里，复制后在最后一行加上 序号+昵称+份数 即可下单。",
    "product": "规格、保质期和吃法都写在接龙文案里，主播马上再讲一遍。",
    "other_question": "感谢提问，助手稍后在群里单独回复您～",
    "chatter": "谢谢支持！",
}

ACTION_KINDS = (
    "question.to_host",
    "question.answered",
    "question.dismissed",
    "question.merged",
    "question.recategorized",
)
UNDO_KIND = "question.undone"


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(sep=" ") if dt else None


def _dt(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def _state(g: QuestionGroup) -> dict[str, Any]:
    return {
        "status": g.status,
        "to_host_at": _iso(g.to_host_at),
        "answer": g.answer or "",
        "answered_at": _iso(g.answered_at),
        "answered_by": g.answered_by,
        "category": g.category,
    }


def _restore(g: QuestionGroup, state: dict[str, Any]) -> None:
    g.status = state["status"]
    g.to_host_at = _dt(state["to_host_at"])
    g.answer = state["answer"]
    g.answered_at = _dt(state["answered_at"])
    g.answered_by = state["answered_by"]


def _actionable(session: Session, group_id: int) -> QuestionGroup:
    """The group, locked so that two consoles acting at once see each other's action."""
    locking.lock(session, QuestionGroup, group_id)
    g = get_group(session, group_id)
    if g.merged_into_id is not None:
        raise InvalidState(f"该问题已合并到问题组 {g.merged_into_id}，请在那一组上操作。")
    return g


def to_host(session: Session, actor: Actor, group_id: int, at: datetime | None = None) -> QuestionGroup:
    """给主播: pass the question to the host's screen."""
    require(actor, "question.act")
    g = _actionable(session, group_id)
    if g.status == QuestionStatus.TO_HOST:
        raise InvalidState("该问题已转给主播。")
    if g.status == QuestionStatus.ANSWERED:
        raise InvalidState("该问题已回复，无需再转给主播。")
    at = at or clock.now()
    prev = _state(g)
    g.status, g.to_host_at = QuestionStatus.TO_HOST, at
    events.record(session, "question.to_host", g.show_id, actor, at=at, group_id=g.id, prev=prev, text=g.text[:100])
    return g


def answer(session: Session, actor: Actor, group_id: int, text: str = "", at: datetime | None = None) -> QuestionGroup:
    """已回复: mark answered (optional reply text); response time = answered_at − first_seen."""
    require(actor, "question.act")
    g = _actionable(session, group_id)
    if g.status == QuestionStatus.ANSWERED:
        raise InvalidState("该问题已回复。")
    text = (text or "").strip()
    if len(text) > 1000:
        raise InvalidInput("回复内容不超过 1000 字。", "回复内容")
    at = at or clock.now()
    prev = _state(g)
    g.status, g.answer, g.answered_at, g.answered_by = QuestionStatus.ANSWERED, text, at, actor.id
    response = max(0, int((at - g.first_seen).total_seconds()))
    events.record(
        session, "question.answered", g.show_id, actor, at=at, group_id=g.id, prev=prev,
        answer=text, response_s=response, text=g.text[:100],
    )
    return g


def dismiss(session: Session, actor: Actor, group_id: int, at: datetime | None = None) -> QuestionGroup:
    """忽略: take the group off the queue (undo brings it back)."""
    require(actor, "question.act")
    g = _actionable(session, group_id)
    if g.status == QuestionStatus.DISMISSED:
        raise InvalidState("该问题已忽略。")
    at = at or clock.now()
    prev = _state(g)
    g.status = QuestionStatus.DISMISSED
    events.record(session, "question.dismissed", g.show_id, actor, at=at, group_id=g.id, prev=prev, text=g.text[:100])
    return g


def _shift_questions(session: Session, show_id: int, times: list[datetime], to_chatter: bool) -> None:
    """Comments moved between chatter and a question category: fix chatter_total and the
    per-minute question counts (the comments' times are few: one group's)."""
    if not times:
        return
    sign = 1 if to_chatter else -1
    session.execute(update(Show).where(Show.id == show_id).values(chatter_total=Show.chatter_total + sign * len(times)))
    for minute, n in Counter(clock.minute(t) for t in times).items():
        tallies.bump_show_minute(session, show_id, minute, questions=-sign * n)


def _set_comment_category(session: Session, show_id: int, where, old: str, new: str) -> None:
    if old == new:
        return
    if (old == Category.CHATTER) != (new == Category.CHATTER):
        times = list(session.scalars(select(Comment.received_at).where(where)))
        _shift_questions(session, show_id, times, to_chatter=new == Category.CHATTER)
    session.execute(update(Comment).where(where).values(category=new))


def recategorize(
    session: Session, actor: Actor, group_id: int, category: str, at: datetime | None = None
) -> QuestionGroup:
    """改类别: move the group (and its comments) to another category."""
    require(actor, "question.act")
    if category not in CATEGORIES:
        raise InvalidInput(f"未知类别：{category}", "类别")
    g = _actionable(session, group_id)
    if g.category == category:
        raise InvalidInput(f"该问题已是「{CATEGORY_LABELS[category]}」。", "类别")
    prev = _state(g)
    _set_comment_category(session, g.show_id, Comment.group_id == g.id, g.category, category)
    g.category = category
    events.record(
        session, "question.recategorized", g.show_id, actor, at=at or clock.now(), group_id=g.id,
        prev=prev, category=category, text=g.text[:100],
    )
    return g


def _recount(session: Session, g: QuestionGroup) -> None:
    """comments / askers / first_seen / last_seen of one group, recomputed in SQL (after a merge)."""
    session.flush()
    n, first, last = session.execute(
        select(func.count(), func.min(Comment.received_at), func.max(Comment.received_at)).where(Comment.group_id == g.id)
    ).one()
    named = session.scalar(
        select(func.count(func.distinct(Comment.author))).where(Comment.group_id == g.id, Comment.author != "")
    ) or 0
    anonymous = session.scalar(
        select(func.count()).select_from(Comment).where(Comment.group_id == g.id, Comment.author == "")
    ) or 0
    g.comments, g.askers = n or 0, named + anonymous
    if first is not None:
        g.first_seen, g.last_seen = first, last


def merge(session: Session, actor: Actor, keep_id: int, other_id: int, at: datetime | None = None) -> QuestionGroup:
    """合并: fold group `other_id` into `keep_id` (its comments move; keep's category wins)."""
    require(actor, "question.act")
    if keep_id == other_id:
        raise InvalidInput("请选择两个不同的问题组。", "合并")
    keep = _actionable(session, keep_id)
    other = _actionable(session, other_id)
    if keep.show_id != other.show_id:
        raise InvalidInput("只能合并同一场次的问题。", "合并")
    moved = list(session.scalars(select(Comment.id).where(Comment.group_id == other.id)))
    prev_keep = {"comments": keep.comments, "askers": keep.askers}
    where = Comment.group_id == other.id
    _set_comment_category(session, keep.show_id, where, other.category, keep.category)
    session.execute(update(Comment).where(where).values(group_id=keep.id))
    other.merged_into_id = keep.id
    _recount(session, keep)
    events.record(
        session, "question.merged", keep.show_id, actor, at=at or clock.now(), group_id=keep.id,
        other_id=other.id, moved=moved, prev_keep=prev_keep, other_category=other.category,
        text=keep.text[:100], other_text=other.text[:100],
    )
    return keep


def _last_action(session: Session, actor: Actor, show_id: int) -> Event | None:
    q = (
        select(Event)
        .where(Event.show_id == show_id, Event.kind.in_(ACTION_KINDS + (UNDO_KIND,)))
        .order_by(Event.id.desc())
        .limit(200)
    )
    if actor.id is not None:
        q = q.where(Event.operator_id == actor.id)
    else:
        q = q.where(Event.operator_id.is_(None))
    undone: set[int] = set()
    for ev in session.scalars(q):
        if ev.kind == UNDO_KIND:
            undone.add(int(ev.payload.get("undone_event_id", 0)))
        elif ev.id not in undone:
            return ev
    return None


def last_action_label(session: Session, actor: Actor, show_id: int) -> str | None:
    """What undo would revert, in Chinese (None: nothing to undo)."""
    ev = _last_action(session, actor, show_id)
    if ev is None:
        return None
    return f"{ACTION_LABELS[ev.kind]}「{(ev.payload.get('text') or '')[:20]}」"


ACTION_LABELS = {
    "question.to_host": "给主播",
    "question.answered": "已回复",
    "question.dismissed": "忽略",
    "question.merged": "合并",
    "question.recategorized": "改类别",
}
_RESULT_STATUS = {
    "question.to_host": QuestionStatus.TO_HOST,
    "question.answered": QuestionStatus.ANSWERED,
    "question.dismissed": QuestionStatus.DISMISSED,
}


def undo(session: Session, actor: Actor, show_id: int, at: datetime | None = None) -> str:
    """Revert this operator's last queue action on the show (repeatable: goes further back).

    Refuses (InvalidState) when someone changed the group since, so an undo never overwrites
    a colleague's later action. Returns a Chinese description of what was undone."""
    require(actor, "question.act")
    ev = _last_action(session, actor, show_id)
    if ev is None:
        raise InvalidState("没有可撤销的操作。")
    p = ev.payload
    g = get_group(session, int(p["group_id"]))
    label = f"已撤销：{ACTION_LABELS[ev.kind]}「{(p.get('text') or '')[:20]}」"
    if ev.kind in _RESULT_STATUS:
        if g.status != _RESULT_STATUS[ev.kind] or g.merged_into_id is not None:
            raise InvalidState("该问题之后又被处理过，无法撤销这一步。")
        _restore(g, p["prev"])
    elif ev.kind == "question.recategorized":
        if g.category != p["category"] or g.merged_into_id is not None:
            raise InvalidState("该问题之后又被处理过，无法撤销这一步。")
        old = p["prev"]["category"]
        _set_comment_category(session, g.show_id, Comment.group_id == g.id, g.category, old)
        g.category = old
    elif ev.kind == "question.merged":
        other = get_group(session, int(p["other_id"]))
        if other.merged_into_id != g.id or g.merged_into_id is not None:
            raise InvalidState("合并之后问题组又有变动，无法撤销这一步。")
        moved = [int(i) for i in p.get("moved") or []]
        for chunk in chunks(moved, 500):
            where = Comment.id.in_(chunk)
            _set_comment_category(session, g.show_id, where, g.category, p["other_category"])
            session.execute(update(Comment).where(where).values(group_id=other.id))
        other.merged_into_id = None
        # comments that joined `keep` after the merge stay there; both groups are recounted
        _recount(session, g)
        _recount(session, other)
    events.record(session, UNDO_KIND, show_id, actor, at=at or clock.now(), undone_event_id=ev.id, undone_kind=ev.kind, group_id=g.id)
    return label
