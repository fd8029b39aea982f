"""Members on the demo data: the 源味集 night's repeat / new buyer shares equal a hand count,
and the two brands' members never mix."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import ChainEntry, Deal, Member, Show
from services import demo, members, shows


def _buyers(session, show_ids, status="valid") -> set[str]:
    q = select(ChainEntry.buyer_name).join(Deal, Deal.id == ChainEntry.deal_id).where(Deal.show_id.in_(show_ids))
    return set(session.scalars(q.where(ChainEntry.status == status) if status else q))


def test_the_yuanweiji_nights_shares_equal_a_hand_count(session):
    seed_id = demo.ensure_demo(session)
    seed = shows.get_show(session, seed_id)
    earlier = list(session.scalars(select(Show.id).where(
        Show.community_id == seed.community_id, Show.scheduled_start < seed.scheduled_start)))
    assert len(earlier) == 8
    tonight = _buyers(session, [seed_id])
    before = _buyers(session, earlier)
    assert len(tonight) == 210  # the seed night's own figure
    returning = len(tonight & before)
    assert 0 < returning < 210
    k = members.community_kpis(session, seed.community_id)
    assert k["show_id"] == seed_id and k["buyers"] == 210
    assert k["repeat_buyer_share"] == pytest.approx(returning / 210)
    assert k["new_buyer_share"] == pytest.approx((210 - returning) / 210)
    last_week = max(earlier, key=lambda i: shows.get_show(session, i).scheduled_start)
    prev = _buyers(session, [last_week])
    assert k["retention"] == pytest.approx(len(prev & tonight) / len(prev))
    assert members.show_kpis(session, seed_id)["repeat_buyer_share"] == k["repeat_buyer_share"]
    # the night's KOCs are marked, and all ten entered the chain
    kocs = members.koc_list(session, seed_id)
    assert len(kocs) == 10 and all(x["entered"] for x in kocs)


def test_the_two_brands_members_do_not_mix(session):
    seed_id = demo.ensure_demo(session)
    qq = shows.find_show(session, "亲亲宝贝《安心之选》")
    ywj = shows.get_show(session, seed_id)
    assert qq.community_id != ywj.community_id
    qq_names = _buyers(session, [qq.id], status=None)  # waitlisted and cancelled people are members too
    ywj_members = set(session.scalars(select(Member.name).where(Member.community_id == ywj.community_id)))
    qq_members = set(session.scalars(select(Member.name).where(Member.community_id == qq.community_id)))
    assert qq_members == qq_names  # 亲亲宝贝's members are its own chain's people only
    assert members.community_kpis(session, qq.community_id)["repeat_buyer_share"] == 0
    assert len(ywj_members) < 300
