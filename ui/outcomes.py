"""未成团 recorded before a page reads a show's deals (services.jielong.settle_outcomes).

A deal whose deadline passed below its threshold is refunded: out of the review's 成交额, the
packing lists, the pickup counter and the promises' items. The status was only written while
the deal was picked on the console (night 19: 黑猪五花肉 5/15 份 stayed 已发布 and its ¥164.00 in
成交额). A read first: a page that has nothing to record writes nothing.
"""
from __future__ import annotations

from services import jielong
from ui import context as ctx


def settle(show_id: int) -> None:
    if ctx.read(jielong.due_failures, show_id):
        ctx.act(jielong.settle_outcomes, show_id, show_error=False)
