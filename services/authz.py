"""Roles and what each may do. Services call `require`; pages only hide what it forbids."""
from __future__ import annotations

from dataclasses import dataclass

from services.errors import Forbidden

ROLES = ("admin", "assistant", "host", "reviewer")
ROLE_LABELS = {"admin": "管理员", "assistant": "直播助手", "host": "主播", "reviewer": "复盘人", "staff": "门店店员"}
# "staff" is no operator role (no account, no login): it is who acts through a pickup link.

# action → roles allowed (admin may do everything).
PERMISSIONS: dict[str, frozenset[str]] = {
    "operator.manage": frozenset({"admin"}),
    "show.edit": frozenset({"admin", "assistant"}),
    "deal.edit": frozenset({"admin", "assistant"}),
    "deal.release": frozenset({"admin", "assistant"}),
    "chain.write": frozenset({"admin", "assistant"}),
    "viewers.write": frozenset({"admin", "assistant"}),
    "comment.write": frozenset({"admin", "assistant"}),
    "question.act": frozenset({"admin", "assistant"}),
    "lexicon.edit": frozenset({"admin", "assistant"}),
    "promise.write": frozenset({"admin", "assistant"}),
    "promise.fulfil": frozenset({"admin", "assistant", "reviewer"}),
    # Bringing a show's promise items up to the chain (derived data): whoever sees those items.
    "promise.sync": frozenset({"admin", "assistant", "reviewer", "staff"}),
    "hostlink.manage": frozenset({"admin", "assistant"}),
    "live.read": frozenset({"admin", "assistant", "host"}),
    "review.read": frozenset({"admin", "assistant", "reviewer"}),
    "export": frozenset({"admin", "assistant", "reviewer"}),
    "pickup.mark": frozenset({"admin", "assistant", "staff"}),
    "pickup.deliver": frozenset({"admin", "assistant"}),
    "pickuplink.manage": frozenset({"admin", "assistant"}),
    "members.write": frozenset({"admin", "assistant"}),
    "members.sync": frozenset({"admin", "assistant", "reviewer"}),
}

# page key → roles that see it in their navigation.
PAGES: dict[str, frozenset[str]] = {
    "console": frozenset({"admin", "assistant", "host"}),
    "host": frozenset({"admin", "assistant", "host"}),
    "promises": frozenset({"admin", "assistant", "reviewer"}),
    "review": frozenset({"admin", "assistant", "reviewer"}),
    "setup": frozenset({"admin", "assistant"}),
    "operators": frozenset({"admin"}),
    "pickup": frozenset({"admin", "assistant"}),
    "members": frozenset({"admin", "assistant", "reviewer"}),
}

ACTION_LABELS = {
    "operator.manage": "管理运营人员",
    "show.edit": "编辑场次",
    "deal.edit": "编辑团品",
    "deal.release": "发布接龙",
    "chain.write": "录入接龙",
    "viewers.write": "录入观看数据",
    "comment.write": "录入评论",
    "question.act": "处理问题",
    "lexicon.edit": "编辑分类词库",
    "promise.write": "记录承诺",
    "promise.fulfil": "勾选履约",
    "promise.sync": "同步履约名单",
    "hostlink.manage": "管理主播链接",
    "live.read": "查看实时数据",
    "review.read": "查看复盘",
    "export": "导出数据",
    "pickup.mark": "核销提货",
    "pickup.deliver": "登记配送",
    "pickuplink.manage": "管理提货链接",
    "members.write": "管理社群成员",
    "members.sync": "更新成员数据",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: an operator, or (id None) the system / simulator / a host link."""

    id: int | None
    name: str
    role: str


SYSTEM = Actor(id=None, name="系统", role="admin")


def can(actor: Actor, action: str) -> bool:
    return actor.role == "admin" or actor.role in PERMISSIONS[action]


def require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        role = ROLE_LABELS.get(actor.role, actor.role)
        raise Forbidden(f"{role}「{actor.name}」无权{ACTION_LABELS[action]}。")


def pages_for(role: str) -> list[str]:
    return [p for p, roles in PAGES.items() if role == "admin" or role in roles]
