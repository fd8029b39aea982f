"""Review KPIs: aggregation rules on hand-made rows (zero denominators, median, GMV rule)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from db.models import ChainEntry, Deal, Promise, QuestionGroup, ShowBuyer, ShowMinute
from services import review, shows

T0 = datetime(2026, 2, 6, 20, 0)


def _show(session, admin, members=300):
    return shows.create_show(
        session, admin, shows.ShowForm("测试场", "测试群", members, "老李", T0, T0 + timedelta(hours=1))
    )


def test_empty_show_has_every_key_and_no_division_by_zero(session, admin):
    show = _show(session, admin)
    k = review.kpis(session, show.id)
    assert tuple(k) == review.KPI_KEYS
    for key in ("viewers", "peak_online", "watch_rate", "answered_rate", "median_response_s", "order_rate", "avg_order_value", "promises_kept_rate"):
        assert k[key] is None, key
    assert k["gmv"] == 0.0 and k["entries"] == 0 and k["units"] == 0 and k["deals"] == []


def _group(show_id, status, first_seen, answered_after=None, category="price", merged=None):
    return QuestionGroup(
        show_id=show_id, category=category, text="多少钱？", status=status, comments=2, askers=2,
        first_seen=first_seen, last_seen=first_seen,
        answered_at=None if answered_after is None else first_seen + timedelta(seconds=answered_after),
        merged_into_id=merged,
    )


@pytest.mark.parametrize("answers,expected", [([30], 30.0), ([30, 90, 60], 60.0), ([10, 40, 20, 100], 30.0)])
def test_median_response_over_answered_groups(session, admin, answers, expected):
    show = _show(session, admin)
    for i, s in enumerate(answers):
        session.add(_group(show.id, "answered", T0 + timedelta(minutes=i), s))
    session.add(_group(show.id, "new", T0))
    session.add(_group(show.id, "dismissed", T0))
    session.add(_group(show.id, "answered", T0, 9999, category="chatter"))  # chatter is not a question
    session.flush()
    k = review.kpis(session, show.id)
    assert k["median_response_s"] == pytest.approx(expected, abs=0.01)
    assert k["questions"] == len(answers) + 2
    assert k["answered_rate"] == pytest.approx(len(answers) / (len(answers) + 1))


def test_the_reply_rate_says_dismissed_questions_are_left_out(session, admin):
    """Night 17: 提问（问题组）9 beside 回复率 37.5% (3 answered of 8: one dismissed) could not be
    checked by hand (3/9 = 33.3%); the page and the report say how it is counted."""
    show = _show(session, admin)
    for i in range(3):
        session.add(_group(show.id, "answered", T0 + timedelta(minutes=i), 30))
    for status in ("new", "new", "new", "new", "new", "dismissed"):
        session.add(_group(show.id, status, T0))
    session.flush()
    k = review.kpis(session, show.id)
    assert (k["questions"], k["questions_dismissed"]) == (9, 1)
    assert dict(review.kpi_tiles(k))["回复率"] == "37.5%"
    note = "回复率只算需要回复的问题：提问 9 个中已忽略 1 个，按 8 个计。"
    assert review.answered_note(k) == note
    assert note in review.render(session, show.id)
    # twin: nothing dismissed, nothing to explain
    session.add(_group(show.id, "answered", T0, 30))
    session.query(QuestionGroup).filter_by(status="dismissed").update({"status": "new"})
    session.flush()
    assert review.answered_note(review.kpis(session, show.id)) == ""


def test_the_comparison_names_its_reach_time_the_fastest_not_the_first(session, admin):
    """Night 18: 多场对比's 首个成团用时 read 8 分钟 for the demo night, where the deal that reached 成团
    first (散养土鸡蛋, 20:54) took 14.4 分钟 and 8 分钟 was 有机上海青's, reached later: the column holds the
    fastest, as the summary sentence says (最快的…), so it is called 最快成团用时."""
    earlier = _show(session, admin)  # an earlier show: the comparison needs two
    show = shows.create_show(
        session, admin, shows.ShowForm("测试场2", "测试群", 300, "老李", T0 + timedelta(days=7), T0 + timedelta(days=7, hours=1))
    )
    start = T0 + timedelta(days=7)
    for s in (earlier, show):  # both went live: a show that never did is no night to compare
        shows.start_show(session, admin, s.id, at=s.scheduled_start)
    for product, released, reached in (("鸡蛋", 10, 25), ("上海青", 20, 28)):  # 鸡蛋 first by the clock, 15 min
        session.add(Deal(show_id=show.id, product=product, group_price=Decimal("10"), threshold=1, created_at=start,
                         status="reached", released_at=start + timedelta(minutes=released),
                         reached_at=start + timedelta(minutes=reached)))
    session.flush()
    assert [c["reach_minutes"] for c in review.compare(session)] == [None, 8.0]
    assert review.REACH_LABEL == "最快成团用时"
    html = review.render(session, show.id)
    assert ">最快成团用时</th>" in html and "首个成团用时" not in html


def test_the_comparison_holds_the_shows_of_the_reviewed_show_s_community(session, admin):
    """Night 18: 多场对比 and the report's 近 5 场 put 亲亲宝贝's night between two of 源味集's; a reviewer
    compares the nights of one group, named in the heading."""
    def show(title, community, days):
        start = T0 + timedelta(days=days)
        made = shows.create_show(session, admin, shows.ShowForm(title, community, 300, "老李", start, start + timedelta(hours=1)))
        return shows.start_show(session, admin, made.id, at=start)  # live: a night to compare

    first, other, mine, later = show("第1期", "源味集", 0), show("安心之选", "亲亲宝贝", 3), show("第2期", "源味集", 7), show("第3期", "源味集", 9)
    comp = review.compare(session, upto_show_id=mine.id)
    assert [c["show_id"] for c in comp] == [first.id, mine.id]
    assert review.compare_heading(comp) == "源味集 近 2 场对比"
    html = review.render(session, mine.id)
    assert "<h2>源味集 近 2 场对比</h2>" in html and "安心之选" not in html
    # twin: the other community's show compares with nothing (one show: no comparison)
    assert [c["show_id"] for c in review.compare(session, upto_show_id=other.id)] == [other.id]
    assert "近 1 场对比" not in review.render(session, other.id)
    assert [c["show_id"] for c in review.compare(session, upto_show_id=later.id)] == [first.id, mine.id, later.id]


def test_minutes_read_with_one_decimal_whole_or_not(session, admin):
    """Night 18: the deal table's 成团用时 read `8 分钟` beside `14.4 分钟` (whole minutes dropped the
    decimal); one format for every minutes figure of the review."""
    assert [review.minutes_text(v) for v in (8.0, 14.4, 0.0, None)] == ["8.0 分钟", "14.4 分钟", "0.0 分钟", "—"]
    show = _show(session, admin)
    for product, released, reached in (("鸡蛋", 10, 24.4), ("上海青", 20, 28)):
        session.add(Deal(show_id=show.id, product=product, group_price=Decimal("10"), threshold=1, created_at=T0,
                         status="reached", released_at=T0 + timedelta(minutes=released),
                         reached_at=T0 + timedelta(minutes=reached)))
    session.flush()
    html = review.render(session, show.id)
    assert "<td class=k>14.4 分钟</td>" in html and "<td class=k>8.0 分钟</td>" in html
    assert "8 分钟" not in html.replace("8.0 分钟", "")


def test_gmv_uses_imported_amount_else_qty_times_price(session, admin):
    show = _show(session, admin)
    deal = Deal(show_id=show.id, product="有机上海青", group_price=Decimal("19.90"), threshold=2,
                created_at=T0, status="released", released_at=T0, entries_valid=2, units_valid=3, buyers_valid=2,
                gmv_valid=Decimal("54.80"))  # the tallies the jielong service keeps, set by hand here
    session.add(deal)
    session.flush()
    for i, (name, qty, amount, status) in enumerate(
        [("张三", 2, None, "valid"), ("李四", 1, Decimal("15.00"), "valid"), ("王五", 5, None, "cancelled")]
    ):
        session.add(ChainEntry(deal_id=deal.id, line_key=f"k{i}", seq=i + 1, buyer_name=name, qty=qty, amount=amount,
                               status=status, created_at=T0, updated_at=T0))
    show.buyers, show.viewers_cumulative = 2, 4
    session.add_all([ShowBuyer(show_id=show.id, name="张三", valid_entries=1, kept_entries=1),
                     ShowBuyer(show_id=show.id, name="李四", valid_entries=1, kept_entries=1)])
    session.flush()
    k = review.kpis(session, show.id)
    assert k["gmv"] == pytest.approx(2 * 19.90 + 15.00)
    assert k["avg_order_value"] == pytest.approx((2 * 19.90 + 15.00) / 2, abs=0.01)
    assert k["order_rate"] == 0.5
    assert k["deals"][0]["gmv"] == k["gmv"]
    assert k["deals"][0]["outcome"] == "released"


def test_markers_and_minutes(session, admin):
    show = _show(session, admin)
    session.add(Deal(show_id=show.id, product="散养土鸡蛋", group_price=Decimal("30"), threshold=10, created_at=T0,
                     status="sold_out", released_at=T0 + timedelta(minutes=50), reached_at=T0 + timedelta(minutes=53),
                     sold_out_at=T0 + timedelta(minutes=61, seconds=30)))
    session.add(Promise(show_id=show.id, text="前50名送<b>手札</b>", kind="gift", said_at=T0 + timedelta(minutes=20)))
    session.add_all([ShowMinute(show_id=show.id, minute=T0 + timedelta(minutes=m), comments=m, questions=q, entries=0)
                     for m, q in ((1, 0), (2, 5), (3, 2))])
    session.flush()
    deal = review.kpis(session, show.id)["deals"][0]
    assert deal["minutes_release_to_threshold"] == 3
    assert deal["minutes_to_sellout"] == 11.5
    assert deal["outcome"] == "sold_out"
    kinds = [m["kind"] for m in review.markers(session, show.id)]
    assert kinds == ["question_peak", "question_peak", "promise", "release", "threshold", "sold_out"]
    assert len(review.minute_series(session, show.id)) == 3
    assert review.timeline_chart(review.minute_series(session, show.id), review.markers(session, show.id)) is not None


def test_a_rate_reads_one_way_everywhere():
    from services.formats import pct

    assert [pct(0), pct(0.627), pct(1), pct(None)] == ["0.0%", "62.7%", "100.0%", "—"]


def test_the_summary_never_says_more_of_the_group_watched_than_it_has():
    # Night 8: 累计观看 270 in a group of 200 read 「社群 200 人中 270 人观看（135.0%）」.
    k = {"community_size": 200, "viewers": 270, "watch_rate": 1.35, "buyers": 33, "order_rate": 0.122,
         "deals": [], "gmv": Decimal("1735.60")}
    line = review.summary_sentence(k)
    assert line.startswith("累计观看 270 人，多于社群的 200 人（含群外观众）") and "200 人中" not in line
    k.update(viewers=150, watch_rate=0.75)
    assert review.summary_sentence(k).startswith("社群 200 人中 150 人观看（75.0%）")


def test_a_night_without_viewer_numbers_says_so_instead_of_nobody_watched(session, admin, assistant):
    # Night 13: nobody typed the platform's numbers; the review read 累计观看 0 · 观看率 0.0% and
    # 「社群 120 人中 0 人观看（0.0%），5 人下单（观看到下单 —）」 beside 36 commenters.
    from services import live

    show = _show(session, admin, members=120)
    show.buyers = 1
    k = review.kpis(session, show.id)
    assert (k["viewers"], k["peak_online"], k["watch_rate"], k["order_rate"]) == (None, None, None, None)
    tiles = dict(review.kpi_tiles(k))
    assert tiles["累计观看"] == tiles["观看率"] == tiles["最高在线"] == "—"
    line = review.summary_sentence(k)
    assert line.startswith("社群 120 人，本场未录入观看数据，1 人下单，") and "0 人观看" not in line
    # twin: numbers typed in, even a real 0 0 sample, are figures again
    live.record_viewers(session, assistant, show.id, 0, 0, at=T0 + timedelta(minutes=1))
    assert review.kpis(session, show.id)["viewers"] == 0
    live.record_viewers(session, assistant, show.id, 40, 60, at=T0 + timedelta(minutes=2))
    k = review.kpis(session, show.id)
    assert (k["viewers"], k["peak_online"]) == (60, 40)
    assert review.summary_sentence(k).startswith("社群 120 人中 60 人观看（50.0%），1 人下单（观看到下单 1.7%）")


def test_the_summary_says_how_many_deals_reached_their_threshold_not_only_the_fastest():
    # Night 16: two of three deals reached 成团, the summary named only 「草莓」, read as if the others failed.
    def deal(product, minutes):
        return {"product": product, "minutes_release_to_threshold": minutes}

    k = {"community_size": 300, "viewers": 200, "watch_rate": 0.667, "buyers": 40, "order_rate": 0.2,
         "gmv": Decimal("1790.40"), "deals": [deal("丹东红颜草莓", 12.0), deal("砂糖橘", 5.5), deal("车厘子", None)]}
    assert "3 个团品中 2 个成团，最快的「砂糖橘」发布后 5.5 分钟成团" in review.summary_sentence(k)
    k["deals"] = k["deals"][:2]
    assert "2 个团品全部成团，最快的「砂糖橘」" in review.summary_sentence(k)
    k["deals"] = [deal("丹东红颜草莓", 12.0)]
    line = review.summary_sentence(k)
    assert "「丹东红颜草莓」发布后 12.0 分钟成团" in line and "个团品" not in line


def test_orders_to_check_are_said_apart_from_the_gmv():
    deals = [{"entries_flagged": 1, "gmv_flagged": 49.9}, {"entries_flagged": 0, "gmv_flagged": 0.0}]
    assert review.flagged_note(deals) == ("有效单数含 1 单待核实的接龙（超出限购、超出规格限量或最新接龙中缺失），"
                                          "其金额 ¥49.90 未计入成交额。")
    assert review.flagged_note(deals[1:]) == ""


def test_a_spec_with_its_own_price_is_named_beside_the_group_price(session, admin):
    # Night 10: 赣南脐橙 ¥39.90 × 10 份 ≠ ¥219.60 on the review, because 10斤装 costs ¥69.90; the table
    # and the report said only 团购价 ¥39.90.
    show = _show(session, admin)
    session.add(Deal(show_id=show.id, product="赣南脐橙", group_price=Decimal("39.90"), threshold=2,
                     spec_options="5斤装,10斤装", spec_prices={"10斤装": "69.90"}, created_at=T0, status="released",
                     released_at=T0))
    session.add(Deal(show_id=show.id, product="土鸡蛋", group_price=Decimal("29.90"), threshold=2, created_at=T0,
                     status="released", released_at=T0))
    session.flush()
    deals = review.kpis(session, show.id)["deals"]
    assert [d["spec_prices"] for d in deals] == ["10斤装 ¥69.90", ""]
    html = review.render(session, show.id)
    assert "¥39.90（10斤装 ¥69.90）" in html and "¥29.90（" not in html


def test_a_show_that_never_went_live_is_left_out_of_the_comparison(session, admin):
    """Night 19: the empty 第1期 (planned, never live) was a row of 0 / — in 多场对比, read as a night
    nobody bought anything; it is left out (and does not take a place among the last n)."""
    def show(title, days, live=True):
        start = T0 + timedelta(days=days)
        made = shows.create_show(session, admin, shows.ShowForm(title, "绿篮子群", 200, "阿梅", start, start + timedelta(hours=1)))
        return shows.start_show(session, admin, made.id, at=start) if live else made

    first, never, quiet, mine = show("第0期", 0), show("第1期", 1, live=False), show("第2期", 2), show("第3期", 3)
    shows.end_show(session, admin, quiet.id, at=quiet.actual_start + timedelta(minutes=40))
    comp = review.compare(session, upto_show_id=mine.id)
    assert [c["show_id"] for c in comp] == [first.id, quiet.id, mine.id]
    assert review.compare_heading(comp) == "绿篮子群 近 3 场对比"
    assert "第1期" not in review.render(session, mine.id)
    assert [c["show_id"] for c in review.compare(session, n=2, upto_show_id=mine.id)] == [quiet.id, mine.id]
    # twins: a show that went live and sold nothing stays (its zeros are the night's); the show
    # reviewed is compared even before it goes live (the page says 直播尚未结束)
    assert quiet.id in [c["show_id"] for c in comp] and comp[1]["gmv"] == 0
    assert [c["show_id"] for c in review.compare(session, upto_show_id=never.id)] == [first.id, never.id]
