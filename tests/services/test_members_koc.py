"""The second KOC suggestion rule: comments answered by others buying (带动下单), on both
databases. A comment counts when the deal released last before it had been out KOC_LED_MINUTES
already, and in the KOC_LED_MINUTES after it at least KOC_LED_BUYERS other names entered that
deal's chain, and at least KOC_LED_LIFT times as many as in the KOC_LED_MINUTES before it."""
from __future__ import annotations

from datetime import datetime, timedelta

from db.models import Member, MemberShow
from services import jielong, members, shows, triage
from tests.services.test_members import weekly_show

T0 = datetime(2026, 3, 6, 20, 0)
COMMUNITY = "源味集·带货测试群"


def _night(session, admin, week: int, comments: list[tuple[str, float]], entries: list[tuple[str, float]]) -> int:
    """One weekly show, one deal released at minute 50; comments and entries at minutes after the start."""
    start = T0 + timedelta(weeks=week)
    show, deal = weekly_show(session, admin, week, start, COMMUNITY, hours=3)
    at = lambda m: start + timedelta(minutes=m)  # noqa: E731
    triage.ingest(session, admin, show.id, [triage.CommentIn(a, "上周买的上海青特别嫩，已经下单了", at=at(m)) for a, m in comments])
    for name, m in sorted(entries, key=lambda x: x[1]):
        jielong.add_entry(session, admin, deal.id, name, 1, at=at(m))
    shows.end_show(session, admin, show.id, at=start + timedelta(hours=3))
    members.sync_show(session, admin, show.id, at=start + timedelta(hours=4))
    return show.id


def _week(w: int, leader_leads: bool, once_leads: bool) -> tuple[list, list]:
    rush = [(f"路人{w}-{i}", 51 + i / 60) for i in range(12)]  # the first 10 entries: nobody below is "early"
    comments = [
        ("抢单哥", 50.5),  # the release's own rush follows: not the comment's doing
        ("带货姐", 58),  # (53, 58]: nobody; (58, 63]: three others when she leads
        ("两人姐", 80),  # only two others follow
        ("话痨", 100),  # a chain running by itself: two in the 5 minutes before, three after (not twice as many)
    ]
    entries = rush + [(f"两人跟{w}-{i}", 81 + i) for i in range(2)]
    entries += [(f"自来{w}-{i}", 97 + i) for i in range(2)] + [(f"自来后{w}-{i}", 101 + i) for i in range(3)]
    if leader_leads:
        entries += [(f"带路{w}-{i}", 59 + i) for i in range(3)]
    if once_leads:
        comments.append(("一次姐", 140))
        entries += [(f"一次跟{w}-{i}", 141 + i) for i in range(3)]
    else:
        comments.append(("一次姐", 140.2))  # nobody follows
    entries += [(n, 160 + i) for i, n in enumerate(("抢单哥", "带货姐", "两人姐", "话痨", "一次姐"))]
    return comments, entries


def test_comments_answered_by_others_buying_suggest_a_koc(session, admin):
    for w, (leads, once) in enumerate(((True, False), (False, True), (True, False))):
        _night(session, admin, w, *_week(w, leads, once))
    cid = shows.find_show(session, "第0周").community_id
    got = {s["name"]: s for s in members.suggest_kocs(session, cid)}
    assert list(got) == ["带货姐"]
    assert (got["带货姐"]["led_shows"], got["带货姐"]["early_shows"]) == (2, 0)
    led = sorted(session.query(Member.name, MemberShow.show_at, MemberShow.led)
                 .join(MemberShow, MemberShow.member_id == Member.id).filter(MemberShow.led > 0).all())
    weeks = [(n, (at - T0).days // 7, k) for n, at, k in led]
    assert weeks == [("一次姐", 1, 1), ("带货姐", 0, 1), ("带货姐", 2, 1)]
    members.set_koc(session, admin, got["带货姐"]["id"])
    assert members.suggest_kocs(session, cid) == []  # a marked KOC is not suggested again


def test_a_leader_must_lead_in_two_of_their_last_three_shows(session, admin):
    for w, leads in enumerate((True, True, False, False, False)):  # led long ago, not lately
        _night(session, admin, w, *_week(w, leads, False))
    cid = shows.find_show(session, "第0周").community_id
    assert members.suggest_kocs(session, cid) == []


def test_the_koc_rule_shown_names_both_rules():
    rule = members.SEGMENT_RULES[members.Segment.KOC]
    assert "运营标记" in rule
    assert f"前 {members.KOC_FIRST_N} 个下单" in rule
    assert f"发言后 {members.KOC_LED_MINUTES} 分钟内至少 {members.KOC_LED_BUYERS} 位其他人接龙" in rule
    assert f"的 {members.KOC_LED_LIFT} 倍" in rule
