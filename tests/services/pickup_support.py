"""A small night for the pickup tests: one show, two deals, entries with phones and buildings,
written through the jielong and promises services (shared by tests/services/test_pickup_*.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from services import jielong, promises, shows
from services.authz import Actor

START = datetime(2026, 11, 20, 20, 0)
END = START + timedelta(hours=1)
RELEASE = START + timedelta(minutes=10)
DUE = datetime(2026, 11, 21, 12, 0)  # 次日中午前送到

# (seq, name, qty, address, phone) of the greens chain
GREENS = [
    (1, "王芳", 2, "5栋", "13800005678"),
    (2, "李娜", 1, "自提点：东门驿站", "139-0000-1234"),
    (3, "果果妈", 3, "3-1201", ""),
    (4, "Amy", 1, "12栋2单元", "13611112222"),
    (5, "王芳芳", 1, "5栋", "13755556666"),
]


@dataclass
class Night:
    show_id: int
    greens: int
    eggs: int
    entries: dict[int, int]  # greens seq → entry id
    egg_entry: int


def deal_form(product: str, **kw) -> jielong.DealForm:
    base = dict(
        product=product, selling_points="老李大棚现摘", spec_options="", group_price=Decimal("19.9"),
        original_price=None, threshold=1, threshold_unit=jielong.ThresholdUnit.UNITS, stock=None, per_person_limit=None,
        perk_first_n=None, perk_text="", delivery_text="次日中午前送达，可东门驿站自提",
        deadline=END + timedelta(minutes=30),
    )
    base.update(kw)
    return jielong.DealForm(**base)


def make_night(session, actor: Actor, title: str = "源味集《农场主来了》") -> Night:
    show = shows.create_show(session, actor, shows.ShowForm(title, "源味集·阳光花园群", 300, "老李", START, END))
    greens = jielong.create_deal(session, actor, show.id, deal_form("有机上海青"), at=START)
    eggs = jielong.create_deal(session, actor, show.id, deal_form("土鸡蛋"), at=START)
    for d in (greens, eggs):
        jielong.release(session, d.id, actor, at=RELEASE)
    entries = {}
    for i, (seq, name, qty, address, phone) in enumerate(GREENS):
        e = jielong.add_entry(session, actor, greens.id, name, qty=qty, address=address, phone=phone,
                              seq=seq, at=RELEASE + timedelta(minutes=i + 1))
        entries[seq] = e.id
    egg = jielong.add_entry(session, actor, eggs.id, "王芳", qty=1, address="5栋", phone="13800005678", seq=1,
                            at=RELEASE + timedelta(minutes=9))
    return Night(show.id, greens.id, eggs.id, entries, egg.id)


def promise(session, actor: Actor, night: Night, text: str, kind: str, scope: str = "deal",
            first_n: int | None = None, due_at: datetime | None = None) -> int:
    p = promises.log_promise(session, actor, night.show_id, text, at=START + timedelta(minutes=30),
                             deal_id=night.greens, kind=kind)
    promises.confirm(session, actor, p.id, scope=scope, first_n=first_n, due_at=due_at)
    return p.id
