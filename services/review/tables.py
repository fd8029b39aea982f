"""The review's tables: questions by category and one by one, promises with their progress,
and the event log's filters and labels."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Event, Operator, QuestionGroup
from services import promises, triage


def questions_by_category(session: Session, show_id: int) -> list[dict[str, Any]]:
    """Per category: question groups, comments in them, answered groups."""
    q = (
        select(
            QuestionGroup.category,
            func.count(),
            func.coalesce(func.sum(QuestionGroup.comments), 0),
            func.count().filter(QuestionGroup.status == "answered"),
        )
        .where(*triage.question_filter(show_id))
        .group_by(QuestionGroup.category)
        .order_by(func.count().desc(), QuestionGroup.category)
    )
    return [
        {"category": c, "category_label": triage.category_label(c), "groups": g, "comments": int(n), "answered": a}
        for c, g, n, a in session.execute(q)
    ]


def question_rows(session: Session, show_id: int, unanswered_only: bool = False, limit: int = 500) -> list[dict[str, Any]]:
    """Question groups, most asked first. unanswered_only: status new or to_host."""
    where = list(triage.question_filter(show_id))
    if unanswered_only:
        where.append(QuestionGroup.status.in_(triage.OPEN_STATUSES))
    q = (
        select(QuestionGroup)
        .where(*where)
        .order_by(QuestionGroup.askers.desc(), QuestionGroup.comments.desc(), QuestionGroup.first_seen)
        .limit(limit)
    )
    return [
        {
            "id": g.id,
            "category": g.category,
            "category_label": triage.category_label(g.category),
            "text": g.text,
            "status": g.status,
            "status_label": triage.status_label(g.status),
            "comments": g.comments,
            "askers": g.askers,
            "first_seen": g.first_seen,
            "answered_at": g.answered_at,
            "answer": g.answer,
            "response_s": None if g.answered_at is None else (g.answered_at - g.first_seen).total_seconds(),
        }
        for g in session.scalars(q)
    ]


def promise_rows(session: Session, show_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """Each promise with its status and fulfilment progress, read through services.promises
    (overdue = its active items not done and past due)."""
    return [
        {
            "id": p.id,
            "said_at": p.said_at,
            "text": p.text,
            "kind": p.kind,
            "kind_label": p.kind_label,
            "scope_label": p.scope_label,
            "deal": p.deal_product or "",
            "due_at": p.due_at,
            "status": p.status,
            "status_label": p.status_label,
            "items_total": p.total,
            "items_done": p.done,
            "overdue": p.overdue,
        }
        for p in promises.list_promises(session, show_id, now=now)
    ]


def event_operators(session: Session, show_id: int) -> list[tuple[int, str]]:
    """(operator id, name) of everyone who acted on the show, for the log's filter."""
    q = (
        select(Operator.id, Operator.name)
        .where(Operator.id.in_(select(Event.operator_id).where(Event.show_id == show_id)))
        .order_by(Operator.name)
    )
    return [(i, n) for i, n in session.execute(q)]


def event_kinds(session: Session, show_id: int) -> list[str]:
    """The distinct event kinds logged for the show, for the log's filter."""
    return list(session.scalars(select(Event.kind).where(Event.show_id == show_id).distinct().order_by(Event.kind)))


EVENT_LABELS = {
    "show.created": "创建场次", "show.updated": "修改场次", "show.started": "开播", "show.ended": "下播", "show.reopened": "恢复直播",
    "deal.created": "创建团品", "deal.updated": "修改团品", "deal.deleted": "删除团品", "deal.released": "发布接龙",
    "deal.deadline_followed": "截止随场次调整",
    "deal.reached": "成团", "deal.sold_out": "售罄", "deal.failed": "未成团",
    "viewers.recorded": "录入观看数据", "viewers.imported": "导入观看数据",
    "hostlink.created": "生成主播链接", "hostlink.revoked": "撤销主播链接", "host.deal_chosen": "切换副屏团品",
    "review.exported": "导出数据",
    "chain.entry_added": "录入接龙", "chain.entry_cancelled": "取消接龙", "chain.pasted": "粘贴接龙",
    "chain.imported": "导入订单", "comments.ingested": "录入评论",
    "question.answered": "回复问题", "question.dismissed": "忽略问题", "question.to_host": "转给主播",
    "question.merged": "合并问题", "question.recategorized": "修改问题类别", "question.undone": "撤销问题操作",
    "promise.logged": "记录承诺", "promise.batch_logged": "批量记录承诺", "promise.confirmed": "确认承诺",
    "promise.expanded": "生成履约项", "promise.updated": "修改承诺", "promise.status": "更新承诺状态",
    "promise.discarded": "删除承诺", "promise.items": "勾选履约项", "promise.claim": "登记申请",
    "lexicon.seeded": "初始化词库", "lexicon.term_set": "修改词库", "lexicon.term_deleted": "删除词条",
    "pickup.marked": "核销提货", "pickup.undone": "撤销提货", "pickup.gifts": "发放赠品",
    "pickup.delivered": "登记送达", "pickup.run_undone": "撤销配送",
    "pickuplink.created": "生成提货链接", "pickuplink.revoked": "撤销提货链接",
    "members.synced": "更新成员数据",
}
EVENT_PREFIX_LABELS = {
    "show": "场次", "deal": "团品", "chain": "接龙", "jielong": "接龙", "entry": "接龙", "orders": "接龙",
    "comment": "评论", "comments": "评论", "question": "问题", "triage": "问题", "lexicon": "分类词库",
    "promise": "承诺", "fulfilment": "履约", "viewers": "观看数据", "hostlink": "主播链接",
    "auth": "登录", "operator": "运营人员", "review": "复盘", "pickup": "提货", "pickuplink": "提货链接",
    "members": "社群成员",
}


def event_label(kind: str) -> str:
    if kind in EVENT_LABELS:
        return EVENT_LABELS[kind]
    prefix, _, rest = kind.partition(".")
    return f"{EVENT_PREFIX_LABELS[prefix]}·{rest}" if prefix in EVENT_PREFIX_LABELS and rest else kind


def event_detail(payload: dict[str, Any], max_len: int = 120) -> str:
    """A payload as one short line of key=value pairs (shown as plain text, never HTML)."""
    text = "，".join(f"{k}={v}" for k, v in (payload or {}).items() if v not in (None, "", [], {}))
    return text if len(text) <= max_len else text[: max_len - 1] + "…"
