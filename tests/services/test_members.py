"""Members across shows: identity (exact links, fuzzy proposals, confirm / reject / undo),
segments, LTV, badges and the community KPIs, on both databases."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func

from db.models import ChainEntry, Member, MemberShow
from services import jielong, members, shows, triage
from services.errors import Forbidden, InvalidState

T0 = datetime(2026, 1, 2, 20, 0)
COMMUNITY = "源味集·测试群"


def weekly_show(session, admin, week: int, start: datetime, community: str, hours: int):
    """The 第N周 show of `community`, started at `start`, with one deal (有机上海青) released at minute 50."""
    show = shows.create_show(session, admin, shows.ShowForm(f"第{week}周", community, 300, "老李", start,
                                                            start + timedelta(hours=hours)))
    shows.start_show(session, admin, show.id, at=start)
    deal = jielong.create_deal(session, admin, show.id, jielong.DealForm(
        product="有机上海青", group_price=Decimal("10.00"), threshold=5, delivery_text="次日中午前送达",
        deadline=start + timedelta(hours=3)), at=start)
    jielong.release(session, deal.id, admin, at=start + timedelta(minutes=50))
    return show, deal


def night(session, admin, week: int, orders: list[tuple], community: str = COMMUNITY, end: bool = True,
          sync: bool = True) -> int:
    """One weekly show with one deal; orders are (name, qty, amount[, address[, phone]])."""
    start = T0 + timedelta(weeks=week)
    show, deal = weekly_show(session, admin, week, start, community, hours=1)
    for i, (name, qty, amount, *rest) in enumerate(orders):
        jielong.add_entry(session, admin, deal.id, name, qty, address=rest[0] if rest else "",
                          phone=rest[1] if len(rest) > 1 else "", amount=None if amount is None else Decimal(amount),
                          at=start + timedelta(minutes=51, seconds=i))
    if end:
        shows.end_show(session, admin, show.id, at=start + timedelta(hours=1))
    if end and sync:
        members.sync_show(session, admin, show.id, at=start + timedelta(hours=2))
    return show.id


def member_of(session, name: str) -> Member:
    return session.query(Member).filter(Member.name == name, Member.merged_into_id.is_(None)).one()


def test_exact_names_link_across_shows_and_ltv_sums_valid_amounts(session, admin):
    night(session, admin, 0, [("王芳", 2, "20.00", "5栋"), ("李娜", 1, "10.00")])
    s2 = night(session, admin, 1, [("王芳", 1, "12.50"), ("赵敏", 1, None)])
    wang = member_of(session, "王芳")
    assert wang.shows_bought == 2 and wang.orders == 2 and wang.building == "5栋"
    assert members.ltv(session, wang.id) == Decimal("32.50")
    assert wang.spend == Decimal("32.50")
    # an entry without an amount counts qty × 专享价; a cancelled entry counts nothing
    zhao = member_of(session, "赵敏")
    assert members.ltv(session, zhao.id) == Decimal("10.00")
    deal_id = jielong.list_deals(session, s2)[0].id
    entry = next(e for e in jielong.list_entries(session, deal_id) if e["团员"] == "赵敏")
    jielong.cancel_entry(session, admin, entry["编号"])
    assert members.ltv(session, zhao.id) == Decimal("0.00")
    assert session.query(Member).count() == 3


def orange_night(session, admin, title: str, week: int, price: str, **specs):
    """A started show with one released 赣南脐橙 deal (5斤装 / 10斤装, 限购 2); `specs`: spec_prices / spec_stock."""
    start = T0 + timedelta(weeks=week)
    show = shows.create_show(session, admin, shows.ShowForm(title, COMMUNITY, 300, "老李", start,
                                                            start + timedelta(hours=1)))
    shows.start_show(session, admin, show.id, at=start)
    deal = jielong.create_deal(session, admin, show.id, jielong.DealForm(
        product="赣南脐橙", group_price=Decimal(price), threshold=5, per_person_limit=2, delivery_text="次日中午前送达",
        spec_options="5斤装,10斤装", deadline=start + timedelta(hours=3), **specs), at=start)
    jielong.release(session, deal.id, admin, at=start + timedelta(minutes=5))
    return start, show, deal


def test_the_board_gmv_and_a_members_spend_count_spec_prices_as_the_review_does(session, admin):
    """核心看板 read 单场 GMV ¥478.20 beside the review's 成交额 ¥538.20: it priced 10斤装 entries at
    the 专享价 and counted an entry over the 限购 that the review keeps apart."""
    from services import review

    start, show, deal = orange_night(session, admin, "规格价场", 5, "29.90", spec_prices="10斤装=49.9")
    for i, (name, qty, spec) in enumerate([("王芳", 2, "10斤装"), ("李娜", 1, ""), ("李娜", 2, "")]):
        jielong.add_entry(session, admin, deal.id, name, qty, spec=spec, at=start + timedelta(minutes=6, seconds=i))
    shows.end_show(session, admin, show.id, at=start + timedelta(hours=1))
    members.sync_show(session, admin, show.id, at=start + timedelta(hours=2))
    gmv = Decimal(str(review.kpis(session, show.id)["gmv"])).quantize(Decimal("0.01"))
    assert gmv == Decimal("129.70")  # 2 × 49.9 + 29.9; 李娜's third unit is over the 限购 (shown apart)
    k = members.community_kpis(session, show.community_id)
    assert (k["show_id"], Decimal(k["gmv"]).quantize(Decimal("0.01"))) == (show.id, gmv)
    assert k["aov"] == Decimal("64.85")
    wang = member_of(session, "王芳")
    assert members.ltv(session, wang.id) == wang.spend == Decimal("99.80")


def test_fuzzy_names_are_proposals_never_merged_silently(session, admin):
    night(session, admin, 0, [("王芳", 1, "10")])
    night(session, admin, 1, [("王芳5栋", 1, "10"), ("小鱼儿", 1, "10", "", "13800001234")])
    night(session, admin, 2, [("鱼儿", 1, "10", "", "13900001234")])
    open_ = members.proposals(session, member_of(session, "王芳").community_id)
    pairs = {(p["reason"], p["member"].split("（")[0], p["other"].split("（")[0]) for p in open_}
    assert ("building", "王芳", "王芳5栋") in pairs
    assert ("phone", "小鱼儿", "鱼儿") in pairs
    assert session.query(Member).filter(Member.merged_into_id.is_not(None)).count() == 0
    assert member_of(session, "王芳").shows_bought == 1


def test_confirm_merges_reject_sticks_and_undo_restores(session, admin, reviewer):
    night(session, admin, 0, [("王芳", 1, "10")])
    night(session, admin, 1, [("王芳5栋", 2, "30")])
    cid = member_of(session, "王芳").community_id
    (p,) = members.proposals(session, cid)
    with pytest.raises(Forbidden):
        members.confirm(session, reviewer, p["id"])
    members.confirm(session, admin, p["id"])
    wang = member_of(session, "王芳")
    assert wang.shows_bought == 2 and wang.spend == Decimal("40.00")
    assert members.ltv(session, wang.id) == Decimal("40.00")
    assert members.badges(session, wang_show := _show_id(session, "第1周"), ["王芳5栋"])["王芳5栋"] == ["returning"]
    with pytest.raises(InvalidState):
        members.confirm(session, admin, p["id"])
    members.undo(session, admin, p["id"])
    assert member_of(session, "王芳").shows_bought == 1 and member_of(session, "王芳5栋").spend == Decimal("30.00")
    assert members.badges(session, wang_show, ["王芳5栋"])["王芳5栋"] == ["new"]
    members.reject(session, admin, p["id"])
    night(session, admin, 2, [("王芳5栋", 1, "10"), ("王芳", 1, "10")])
    assert members.proposals(session, cid) == []  # a rejected pair is not proposed again


def _show_id(session, title: str) -> int:
    return shows.find_show(session, title).id


def test_badges_follow_the_segment_rules(session, admin):
    night(session, admin, 0, [("老客", 1, "10"), ("沉默姐", 1, "10"), ("售后妈", 1, "10")])
    for w in (1, 2, 3):
        night(session, admin, w, [("老客", 1, "10")])
    tonight = night(session, admin, 4, [("老客", 1, "10"), ("新人", 1, "10")], end=False)
    koc = member_of(session, "老客")
    members.set_koc(session, admin, koc.id)
    got = members.badges(session, tonight, ["老客", "新人", "沉默姐", "路人", ""])
    assert got["老客"] == ["returning", "koc"]
    assert got["新人"] == ["new"] and got["路人"] == ["new"]
    assert got["沉默姐"] == ["silent"]  # bought in week 0, nothing in the last 3 shows
    assert "" not in got
    counts = members.chain_counts(session, tonight)
    assert counts == {"kocs": 1, "returning": 1}
    assert [k["name"] for k in members.koc_list(session, tonight) if k["entered"]] == ["老客"]
    assert members.at_list(["老客", "王芳"]) == "@老客 @王芳"
    badge = members.member_badges(session, tonight, ["老客"])["老客"]
    assert badge.text == "复购5场 · KOC"


def test_claims_mark_after_sales_watch(session, admin):
    from services import promises

    sid = night(session, admin, 0, [("售后妈", 1, "10")], end=False)
    p = promises.log_promise(session, admin, sid, "鸡蛋磕破了，拍照发群里，破一个赔一个", kind="compensation")
    promises.confirm(session, admin, p.id)
    promises.add_claim(session, admin, p.id, "售后妈", "磕破两个")
    shows.end_show(session, admin, sid, at=T0 + timedelta(hours=1))
    members.sync_show(session, admin, sid)
    assert "after_sales_watch" in members.badges(session, sid, ["售后妈"])["售后妈"]
    cid = member_of(session, "售后妈").community_id
    assert [m["name"] for m in members.members(session, cid, segment="after_sales_watch")] == ["售后妈"]


def test_community_kpis_of_the_latest_ended_show(session, admin):
    night(session, admin, 0, [("A", 1, "10"), ("B", 1, "10"), ("C", 1, "10"), ("D", 1, "10")])
    sid = night(session, admin, 1, [("A", 1, "10"), ("B", 1, "10"), ("E", 2, "30")])
    night(session, admin, 2, [("Z", 1, "10")], community="亲亲宝贝·别的群")  # another brand: not counted
    cid = member_of(session, "A").community_id
    k = members.community_kpis(session, cid)
    assert k["show_id"] == sid and k["members"] == 5
    assert k["repeat_buyer_share"] == pytest.approx(2 / 3)
    assert k["new_buyer_share"] == pytest.approx(1 / 3)
    assert k["retention"] == pytest.approx(2 / 4)
    b = members.board(session, cid)
    assert [s["buyers"] for s in b["series"]] == [4, 3]
    assert b["series"][-1]["avg_ltv"] == pytest.approx(90 / 5)
    assert b["series"][0]["avg_ltv"] == pytest.approx(40 / 4)
    assert {(c["cohort"], c["buyers"], c["size"]) for c in b["cohorts"]} == {("2026-01", 4, 5), ("2026-01", 3, 5)}


def test_koc_suggestions_are_early_in_two_of_their_last_three_shows(session, admin):
    for w in range(3):
        night(session, admin, w, [("快手姐", 1, "10")] + [(f"路人{w}{i}", 1, "10") for i in range(12)]
              + ([("慢慢", 1, "10")] if w else []))
    cid = member_of(session, "快手姐").community_id
    assert [s["name"] for s in members.suggest_kocs(session, cid)] == ["快手姐"]


def test_viewer_ids_link_and_count_as_watched(session, admin):
    from db.models import CaptureViewer

    sid = night(session, admin, 0, [("王芳", 1, "10")], end=False)
    session.add_all([
        CaptureViewer(show_id=sid, platform="wx", user_id="openid-1", nickname="王芳", first_seen=T0),
        CaptureViewer(show_id=sid, platform="wx", user_id="openid-2", nickname="路过的", first_seen=T0),
    ])
    triage.ingest(session, admin, sid, [triage.CommentIn("路过的", "多少钱？", at=T0)])
    session.flush()
    members.sync_show(session, admin, sid)
    assert member_of(session, "王芳").shows_watched == 1
    assert member_of(session, "路过的").shows_watched == 1 and member_of(session, "路过的").orders == 0
    members.sync_show(session, admin, sid)  # idempotent
    assert session.query(Member).count() == 2


def test_a_night_ordered_in_counts_among_the_nights_watched_in_the_table_and_the_csv(session, admin):
    """王芳 ordered in two nights' chains and no tool saw her watch: 观看场次 2 beside 下单场次 2, not 0
    (a night a member ordered in is a night they took part in), in the table, the CSV and her detail."""
    night(session, admin, 0, [("王芳", 1, "10")])
    night(session, admin, 1, [("王芳", 2, "20")])
    row = next(r for r in members.members(session, member_of(session, "王芳").community_id) if r["name"] == "王芳")
    assert (row["shows_watched"], row["shows_bought"]) == (2, 2)
    text = members.export_members(session, member_of(session, "王芳").community_id).decode("utf-8-sig")
    header, line = text.splitlines()[0].split(","), next(ln for ln in text.splitlines() if ln.startswith("王芳,")).split(",")
    assert (line[header.index("观看场次")], line[header.index("下单场次")]) == ("2", "2")
    assert [r["watched"] for r in members.member_detail(session, member_of(session, "王芳").id)["shows"]] == [True, True]


def test_csv_import_links_exact_names_and_export_round_trips(session, admin):
    night(session, admin, 0, [("王芳", 1, "10")])
    cid = member_of(session, "王芳").community_id
    data = "昵称,楼栋,手机尾号\n王芳,5栋,1234\n李娜,3栋,5678\n李娜3栋,,\n".encode("utf-8")
    res = members.import_members(session, admin, cid, data, "m.csv")
    assert res == {"rows": 3, "created": 2, "linked": 1, "proposals": 1}
    assert member_of(session, "王芳").phone_tail == "1234"
    text = members.export_members(session, cid).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("昵称,楼栋,手机尾号")
    assert "王芳,5栋,1234" in text
    assert "份数,累计消费（元）" in text.splitlines()[0]  # the 份 of every other page, and its unit


def test_member_detail_lists_aliases_shows_and_promises_owed(session, admin):
    from services import promises

    sid = night(session, admin, 0, [("王芳", 2, "20", "5栋", "13800001234")], end=False)
    p = promises.log_promise(session, admin, sid, "前50名送老李亲笔签名手札", kind="gift")
    promises.confirm(session, admin, p.id, scope="show")  # one item per valid order of the night
    shows.end_show(session, admin, sid, at=T0 + timedelta(hours=1))
    members.sync_show(session, admin, sid)
    d = members.member_detail(session, member_of(session, "王芳").id)
    assert ("昵称", "王芳") in d["aliases"] and ("下单人+尾号", "王芳#1234") in d["aliases"]
    assert [(r["orders"], r["units"]) for r in d["shows"]] == [(1, 2)]
    assert d["promises_owed"] == 1


def test_badges_kpis_and_chain_counts_read_the_chains_before_any_sync(session, admin):
    night(session, admin, 0, [("王芳", 1, "10"), ("李娜", 1, "10")], sync=False)
    s1 = night(session, admin, 1, [("王芳", 1, "10"), ("赵敏", 2, "25")], sync=False)
    k = members.community_kpis(session, shows.get_show(session, s1).community_id)
    assert (k["show_id"], k["buyers"], k["repeat_buyer_share"], k["new_buyer_share"], k["retention"]) == (s1, 2, 0.5, 0.5, 0.5)
    assert k["gmv"] == Decimal("35.00")
    tonight = night(session, admin, 2, [("王芳", 1, "10"), ("新人", 1, "10")], end=False)
    got = members.badges(session, tonight, ["王芳", "李娜", "新人"])
    assert got == {"王芳": ["returning"], "李娜": [], "新人": ["new"]}
    assert members.member_badges(session, tonight, ["王芳"])["王芳"].shows_bought == 3
    assert members.chain_counts(session, tonight)["returning"] == 1


@pytest.mark.parametrize("chart", ["ltv_chart", "buyers_chart"])
def test_the_boards_show_axis_reads_month_day_at_each_show(chart):
    """With one show (or a few close together) Vega's own time ticks fell on hours: 「09 AM」."""
    series = [{"show_id": i, "title": f"第{i}周", "at": T0 + timedelta(days=d), "avg_ltv": 59.8, "buyers": 8,
               "new_buyers": 8 - i, "returning_buyers": i} for i, d in enumerate((0, 1))]
    spec = getattr(members, chart)(series).to_dict()
    axis = spec["encoding"]["x"]["axis"]
    assert axis["format"] == "%m-%d" and len(axis["values"]) == 2
    assert getattr(members, chart)(series[:1]).to_dict()["encoding"]["x"]["axis"]["values"][0]["date"] == T0.day


def test_a_members_spend_and_the_boards_sum_leave_out_what_the_review_keeps_apart(session, admin):
    """A member's spend once counted entries the review's 成交额 keeps apart (超出限购, 最新接龙中缺失,
    超出规格限量) and so the members' per-show sum read more than 复盘. One rule now: jielong.gmv_counts."""
    from services import review

    start, show, deal = orange_night(session, admin, "标记场", 6, "10.00", spec_stock="10斤装=1")
    lines = ["1. 王芳 2份 5斤装", "2. 王芳 1份 5斤装", "3. 李娜 1份 10斤装", "4. 李娜 1份 10斤装",
             "5. 赵敏 1份 5斤装", "6. 钱七 1份 5斤装"]
    jielong.apply_paste(session, admin, deal.id, "\n".join(lines), at=start + timedelta(minutes=6))
    jielong.apply_paste(session, admin, deal.id, "\n".join(lines[:4] + lines[5:]), at=start + timedelta(minutes=7))
    qian = next(e for e in jielong.list_entries(session, deal.id) if e["团员"] == "钱七")
    jielong.cancel_entry(session, admin, qian["编号"], at=start + timedelta(minutes=8))
    flags = {(e.buyer_name, e.over_limit, e.missing, e.over_stock, e.status)
             for e in session.query(ChainEntry).filter(ChainEntry.deal_id == deal.id)}
    assert {("王芳", True, False, False, "valid"), ("李娜", False, False, True, "valid"),
            ("赵敏", False, True, False, "valid"), ("钱七", False, False, False, "cancelled")} <= flags
    shows.end_show(session, admin, show.id, at=start + timedelta(hours=1))
    members.sync_show(session, admin, show.id, at=start + timedelta(hours=2))
    gmv = Decimal(str(review.kpis(session, show.id)["gmv"])).quantize(Decimal("0.01"))
    assert gmv == Decimal("30.00")  # 王芳's first 2 + 李娜's first 1
    spend = {n: member_of(session, n) for n in ("王芳", "李娜", "赵敏")}
    assert {n: (m.spend, members.ltv(session, m.id)) for n, m in spend.items()} == {
        "王芳": (Decimal("20.00"), Decimal("20.00")), "李娜": (Decimal("10.00"), Decimal("10.00")),
        "赵敏": (Decimal("0.00"), Decimal("0.00"))}
    per_show = session.query(func.sum(MemberShow.spend)).filter(MemberShow.show_id == show.id).scalar()
    assert Decimal(per_show).quantize(Decimal("0.01")) == gmv
    row = next(r for r in members.series(session, show.community_id) if r["show_id"] == show.id)
    assert Decimal(str(row["gmv"])).quantize(Decimal("0.01")) == gmv
    assert members.ltv_by_cohort(session, show.community_id)[-1]["avg_ltv"] == 10.0  # (20 + 10 + 0) / 3


def test_what_counts_toward_the_gmv_is_one_rule():
    """Valid and not flagged counts; a flag of any kind, a cancel or a 候补 keeps the money apart."""
    assert jielong.counts_toward_gmv("valid", False, False, False)
    assert not any(jielong.counts_toward_gmv("valid", *flags)
                   for flags in [(True, False, False), (False, True, False), (False, False, True)])
    assert not jielong.counts_toward_gmv("cancelled", False, False, False)
    assert not jielong.counts_toward_gmv("waitlisted", False, False, False)


def test_shows_synced_before_the_gmv_rule_are_recounted_after_the_upgrade(tmp_path):
    """Spend is stored at sync time: the migration members_3 marks every synced show stale, so a
    database upgraded from members_2 recounts its members with the 成交额 rule on first open."""
    import db
    from tests.support import make_actor

    eng = db.connect(f"sqlite:///{tmp_path / 'upgraded.db'}")
    db.upgrade(eng)
    with db.session(eng) as s:
        admin = make_actor(s, "admin", "管理员")
        start, show, deal = orange_night(s, admin, "升级场", 7, "10.00")
        jielong.apply_paste(s, admin, deal.id, "1. 王芳 1份 5斤装", at=start + timedelta(minutes=6))
        shows.end_show(s, admin, show.id, at=start + timedelta(hours=1))
        members.sync_show(s, admin, show.id, at=start + timedelta(hours=2))
        assert not members.needs_sync(s, show.id)
        show_id = show.id
    db.downgrade(eng, "members_2")
    db.upgrade(eng)
    with db.session(eng) as s:
        assert members.needs_sync(s, show_id)
    eng.dispose()
