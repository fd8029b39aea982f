"""Reading the question queue: ranked open groups, the handled ones, counts, and the one
definition of a show's questions and of their median response time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Comment, QuestionGroup, Show
from services.sql import get_or_not_found, median, seconds_between
from services.triage.rules import analyse
from services.triage.labels import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Category,
    QuestionStatus,
    category_label,
    status_label,
)

CATEGORY_BOOST = {Category.AUTHENTICITY: 3.0, Category.AFTER_SALES: 3.0, Category.CHATTER: -100.0}


@dataclass(frozen=True)
class GroupRow:
    id: int
    category: str
    category_label: str
    status: str
    status_label: str
    text: str
    comments: int
    askers: int
    first_seen: datetime
    last_seen: datetime
    to_host_at: datetime | None
    answered_at: datetime | None
    answer: str
    response_s: int | None  # first seen → answered, seconds
    score: float
    hint: str = ""  # why the category is uncertain (shown with ⚠), "" when it is not


def _row(g: QuestionGroup, score: float = 0.0) -> GroupRow:
    response = int((g.answered_at - g.first_seen).total_seconds()) if g.answered_at and g.first_seen else None
    return GroupRow(
        id=g.id,
        category=g.category,
        category_label=category_label(g.category),
        status=g.status,
        status_label=status_label(g.status),
        text=g.text,
        comments=g.comments,
        askers=g.askers,
        first_seen=g.first_seen,
        last_seen=g.last_seen,
        to_host_at=g.to_host_at,
        answered_at=g.answered_at,
        answer=g.answer or "",
        response_s=response,
        score=round(score, 2),
        hint=_hint(g.category, g.text),
    )


def _hint(category: str, text: str) -> str:
    """The classifier's doubt about the group's representative comment; none once an operator
    gave the group another category (their reading replaced the machine's)."""
    a = analyse(text)
    return a.hint if a.category == category else ""


def rank(groups: list[QuestionGroup]) -> list[GroupRow]:
    """Distinct askers + recency bonus (asked in the last 2 min: +2, last 10 min: +1) + category
    boost (authenticity and after-sales +3: trust before selling); ties: most recent first."""
    if not groups:
        return []
    ref = max(g.last_seen for g in groups)
    scored = []
    for g in groups:
        age = (ref - g.last_seen).total_seconds()
        recency = 2.0 if age <= 120 else 1.0 if age <= 600 else 0.0
        score = g.askers + recency + CATEGORY_BOOST.get(g.category, 0.0)
        scored.append((score, g))
    scored.sort(key=lambda sg: (-sg[0], -sg[1].last_seen.timestamp(), -sg[1].id))
    return [_row(g, s) for s, g in scored]


def _window(session: Session, show_id: int, statuses: Iterable[str], include_chatter: bool, limit: int):
    q = (
        select(QuestionGroup)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_(tuple(statuses)),
            QuestionGroup.merged_into_id.is_(None),
        )
        .order_by(QuestionGroup.last_seen.desc(), QuestionGroup.id.desc())
        .limit(limit)
    )
    if not include_chatter:
        q = q.where(QuestionGroup.category != Category.CHATTER)
    return list(session.scalars(q))


def queue(
    session: Session,
    show_id: int,
    include_chatter: bool = False,
    limit: int = 50,
    statuses: Iterable[str] = OPEN_STATUSES,
) -> list[GroupRow]:
    """The open question groups of a show, ranked (see `rank`); chatter only when asked for.

    Ranks the 300 (or 4×limit) most recently active groups: a question nobody repeated for that
    long has dropped out of the live conversation anyway."""
    window = _window(session, show_id, statuses, include_chatter, max(300, 4 * limit))
    return rank(window)[:limit]


def history(session: Session, show_id: int, limit: int = 50) -> list[GroupRow]:
    """Answered and dismissed groups, most recent first (the console's 已处理 list)."""
    q = (
        select(QuestionGroup)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_(DONE_STATUSES),
            QuestionGroup.merged_into_id.is_(None),
        )
        .order_by(func.coalesce(QuestionGroup.answered_at, QuestionGroup.last_seen).desc(), QuestionGroup.id.desc())
        .limit(limit)
    )
    return [_row(g) for g in session.scalars(q)]


def open_count(session: Session, show_id: int, category: str | None = None) -> int:
    """Questions still waiting (待处理 + 已转主播), chatter excluded; of one category if given."""
    where = [*question_filter(show_id), QuestionGroup.status.in_(OPEN_STATUSES)]
    if category is not None:
        where.append(QuestionGroup.category == category)
    return session.scalar(select(func.count()).select_from(QuestionGroup).where(*where)) or 0


def chatter_count(session: Session, show_id: int) -> int:
    """Chatter comments of the show (a tally column)."""
    return session.scalar(select(Show.chatter_total).where(Show.id == show_id)) or 0


def top_to_host(session: Session, show_id: int, n: int = 3) -> list[GroupRow]:
    """The n highest-ranked groups passed to the host (read by the host screen)."""
    return rank(_window(session, show_id, (QuestionStatus.TO_HOST,), True, max(100, 4 * n)))[:n]


def get_group(session: Session, group_id: int) -> QuestionGroup:
    return get_or_not_found(session, QuestionGroup, group_id, "找不到编号为 {key} 的问题组。")


def question_filter(show_id: int) -> tuple:
    """The show's questions: groups not merged into another and not chatter (one group = one
    question, however many viewers asked it). The review counts and times these too."""
    return (
        QuestionGroup.show_id == show_id,
        QuestionGroup.merged_into_id.is_(None),
        QuestionGroup.category != Category.CHATTER,
    )


def median_response_s(session: Session, show_id: int) -> float | None:
    """The median response time of the show's answered questions (first seen → answered), in
    seconds, computed in SQL; None before the first answer. The console tile and the review's
    KPI both read this one definition (chatter excluded). Rounded to 0.1 s: SQLite's julianday
    arithmetic is a float."""
    found = median(
        session,
        seconds_between(session, QuestionGroup.answered_at, QuestionGroup.first_seen),
        *question_filter(show_id),
        QuestionGroup.status == QuestionStatus.ANSWERED,
        QuestionGroup.answered_at.is_not(None),
    )
    return None if found is None else round(found, 1)


def response_stats(session: Session, show_id: int) -> dict[str, Any]:
    """Answered questions and their median response time in seconds (see median_response_s)."""
    answered = session.scalar(
        select(func.count()).where(*question_filter(show_id), QuestionGroup.status == QuestionStatus.ANSWERED)
    ) or 0
    return {"answered": answered, "median_s": median_response_s(session, show_id)}


@dataclass(frozen=True)
class GroupVoices:
    """Who asked a question and how they put it: names to @ in the group, their own words."""

    askers: list[str]
    comments: list[tuple[str, str, datetime]]  # (author, text, received_at), newest first


def voices(session: Session, group_ids: list[int], per_group: int = 5) -> dict[int, GroupVoices]:
    """The latest `per_group` comments of each group (one query, a window per group)."""
    if not group_ids:
        return {}
    ranked = (
        select(
            Comment.group_id, Comment.author, Comment.text, Comment.received_at,
            func.row_number().over(partition_by=Comment.group_id,
                                   order_by=(Comment.received_at.desc(), Comment.id.desc())).label("n"),
        )
        .where(Comment.group_id.in_(group_ids))
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.n <= per_group)
                           .order_by(ranked.c.group_id, ranked.c.n)).all()
    out: dict[int, GroupVoices] = {gid: GroupVoices([], []) for gid in group_ids}
    for r in rows:
        v = out[r.group_id]
        v.comments.append((r.author, r.text, r.received_at))
        if r.author and r.author not in v.askers:
            v.askers.append(r.author)
    return out
