"""The intakes issue 14 left out of services.text.clean: a claim's buyer and reason, an item's
note, a follow-up's claim, a delivery run's name, a pickup link's 使用人, a 分类词库 term, and
the counter's, the members' and the items' search boxes. A NUL pasted into any of them was an
untyped DataError on PostgreSQL (SQLite stored it) and a bidi override stored as typed; now
they are cleaned like every other intake. Each test's twin: ordinary text is kept as typed."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import DeliveryRun, FulfilmentItem, LexiconTerm, PickupLink
from services import clock, jielong, members, pickup, promises, shows, triage
from services.authz import SYSTEM

DIRTY = "坏了\x00两个\u202e"  # a NUL from a broken paste, a right-to-left override


@pytest.fixture
def world(session):
    start = clock.now()
    show = shows.create_show(session, SYSTEM, shows.ShowForm("源味集", "阳光花园群", 300, "老李",
                                                             start, start + timedelta(hours=1)))
    shows.start_show(session, SYSTEM, show.id)
    deal = jielong.create_deal(session, SYSTEM, show.id, jielong.DealForm(
        product="上海青", group_price="9.9", threshold=2, delivery_text="明天送到",
        deadline=start + timedelta(hours=3)))
    jielong.release(session, deal.id, SYSTEM)
    entry = jielong.add_entry(session, SYSTEM, deal.id, "王芳", 2, address="5栋")
    claims = promises.log_promise(session, SYSTEM, show.id, "坏了包赔", deal_id=deal.id)
    promises.confirm(session, SYSTEM, claims.id, scope="claims")
    return show.id, deal.id, entry.id, claims.id


def _items(session, promise_id):
    return session.scalars(select(FulfilmentItem).where(FulfilmentItem.promise_id == promise_id)).all()


def test_a_claims_buyer_reason_and_note_are_cleaned(session, assistant, world):
    _, _, _, claims = world
    promises.add_claim(session, assistant, claims, "王\x00芳\u202e", DIRTY)
    item = _items(session, claims)[-1]
    assert "王芳" in item.label and "坏了两个" in item.label and "\x00" not in item.label
    promises.update_items(session, assistant, claims, [promises.ItemChange(item.id, note="已退\x00款")])
    assert session.get(FulfilmentItem, item.id).note == "已退款"
    promises.update_items(session, assistant, claims, [promises.ItemChange(item.id, note="已退款 5 元")])  # twin
    assert session.get(FulfilmentItem, item.id).note == "已退款 5 元"


def test_a_follow_up_claim_is_cleaned(session, assistant, world):
    _, _, entry, claims = world
    pickup.log_claim(session, assistant, entry, DIRTY, claims)
    label = _items(session, claims)[-1].label
    assert "坏了两个" in label and "\x00" not in label and "\u202e" not in label


def test_a_delivery_run_name_is_cleaned(session, assistant, world):
    show, _, _, _ = world
    groups = [g.group for g in pickup.group_choices(session, show)]
    pickup.deliver(session, assistant, show, groups[:1], label="A\x00线\u202e")
    assert session.scalar(select(DeliveryRun.label)) == "A线"


def test_a_pickup_link_label_is_cleaned(session, assistant, world):
    show, _, _, _ = world
    pickup.create_link(session, assistant, show, "前台\x00小周", 12)
    assert session.scalar(select(PickupLink.label)) == "前台小周"


def test_a_lexicon_term_is_cleaned(session, assistant, world):
    triage.set_term(session, assistant, triage.EDITABLE_CATEGORIES[0], "包\x00邮\u202e", 2.0)
    assert session.scalar(select(LexiconTerm.term).where(LexiconTerm.term.like("包%"))) == "包邮"


def test_the_search_boxes_read_a_dirty_query_as_cleaned(session, world):
    show, _, entry, claims = world
    assert [r.entry_id for r in pickup.find(session, show, "王\x00芳")] == [entry]
    assert pickup.find(session, show, "王芳")[0].entry_id == entry  # twin
    assert members.members(session, 1, search="王\x00") == []
    rows, total = promises.items_page(session, claims, promises.ItemQuery(place="5\x00栋"))
    assert total == 0


def test_a_drafts_due_hint_is_cleaned(session, assistant, world):
    show, _, _, _ = world
    [p] = promises.log_drafts(session, assistant, show, [promises.DraftIn("明天送到", "delivery", due_hint="明天\x00中午\u202e")])
    assert p.due_hint == "明天中午"
    [q] = promises.log_drafts(session, assistant, show, [promises.DraftIn("后天送到", "delivery", due_hint="后天 12:00")])
    assert q.due_hint == "后天 12:00"  # twin


def test_a_member_list_is_cleaned(session, admin, world):
    from db.models import Member

    community = shows.get_show(session, world[0]).community_id
    data = "昵称,楼栋,手机尾号\n王\x00小芳,5\x00栋,1234\n\u2060,6栋,\n李四,7栋,5678\n".encode()
    assert members.import_members(session, admin, community, data, "m.csv")["rows"] == 2  # the blank name is no member
    names = set(session.scalars(select(Member.name).where(Member.community_id == community)))
    assert {"王小芳", "李四"} <= names and not [n for n in names if "\x00" in n]


def test_an_order_export_is_cleaned(session, assistant, world):
    from db.models import ChainEntry

    _, deal, _, _ = world
    data = "跟团号,下单人,商品,数量\n4,孙\x00八\u202e,上海青,1\n5,周九,上海青,2\n".encode()
    jielong.import_orders(session, assistant, deal, data, "o.csv")
    rows = session.scalars(select(ChainEntry).where(ChainEntry.deal_id == deal, ChainEntry.seq.in_([4, 5]))).all()
    assert sorted(r.buyer_name for r in rows) == ["周九", "孙八"]
    assert not [r for r in rows if "\x00" in (r.raw_line or "")]
