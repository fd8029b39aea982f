"""The live snapshot, the funnel and the viewer counts (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import ChainEntry, Deal, DealBuyer, DealMinute, Event, Promise, QuestionGroup, Show, ViewerSample
from services import events, live, shows
from services.errors import Forbidden, InvalidInput

START = datetime(2026, 6, 1, 20, 0)
RELEASE = START + timedelta(minutes=10)


def make_show(session, admin, members=300, title: str = "源味集《农场主来了》") -> int:
    form = shows.ShowForm(title, "源味集·阳光花园群", members, "老李", START, START + timedelta(hours=1))
    return shows.create_show(session, admin, form).id


def make_deal(session, show_id, *, product="有机上海青", threshold=50, unit="units", stock=None, released_at=RELEASE,
              units=0, entries=0, buyers=0, status=None, deadline=None, minutes=(), reached_at=None) -> int:
    """A deal with its tallies and per-minute rows set as the jielong writers leave them."""
    deal = Deal(
        show_id=show_id, product=product, group_price=Decimal("9.9"), threshold=threshold, threshold_unit=unit,
        stock=stock, created_at=START, released_at=released_at, deadline=deadline, reached_at=reached_at,
        status=status or ("released" if released_at else "draft"),
        units_valid=units, entries_valid=entries, buyers_valid=buyers,
    )
    session.add(deal)
    session.flush()
    for minute, e, u in minutes:
        session.add(DealMinute(deal_id=deal.id, minute=minute, entries=e, units=u))
    session.flush()
    return deal.id


def set_show(session, show_id, **values) -> None:
    show = session.get(Show, show_id)
    for k, v in values.items():
        setattr(show, k, v)
    session.flush()


# ---------------------------------------------------------------- viewer counts


def test_record_viewers_stores_a_sample_and_moves_the_show_tallies(session, assistant, admin):
    show_id = make_show(session, admin)
    live.record_viewers(session, assistant, show_id, 186, 240, at=START + timedelta(minutes=5))
    live.record_viewers(session, assistant, show_id, 150, 270, at=START + timedelta(minutes=9))
    show = session.get(Show, show_id)
    assert (show.viewers_online, show.viewers_peak, show.viewers_cumulative) == (150, 186, 270)
    assert session.scalar(select(func.count()).select_from(ViewerSample)) == 2


def test_record_viewers_logs_one_event_and_bumps_the_version(session, assistant, admin):
    show_id = make_show(session, admin)
    before = events.version(session, show_id)
    live.record_viewers(session, assistant, show_id, 10, 20)
    assert events.version(session, show_id) == before + 1
    kinds = session.scalars(select(Event.kind).where(Event.show_id == show_id)).all()
    assert kinds.count("viewers.recorded") == 1


def test_an_older_sample_does_not_replace_the_latest_numbers(session, assistant, admin):
    show_id = make_show(session, admin)
    live.record_viewers(session, assistant, show_id, 150, 270, at=START + timedelta(minutes=9))
    live.record_viewers(session, assistant, show_id, 200, 210, at=START + timedelta(minutes=3))
    show = session.get(Show, show_id)
    assert (show.viewers_online, show.viewers_peak, show.viewers_cumulative) == (150, 200, 270)


def test_host_may_not_record_viewers(session, host, admin):
    show_id = make_show(session, admin)
    with pytest.raises(Forbidden):
        live.record_viewers(session, host, show_id, 10, 20)


@pytest.mark.parametrize("online,cumulative", [(-1, 5), (10, 5), (1, 10**9)])
def test_impossible_viewer_counts_are_refused(session, assistant, admin, online, cumulative):
    show_id = make_show(session, admin)
    with pytest.raises(InvalidInput):
        live.record_viewers(session, assistant, show_id, online, cumulative)


@pytest.mark.parametrize("text", ["186 270", "186/270", "186，270", "在线186 累计270", "１８６ ２７０"])
def test_two_numbers_in_one_line_are_online_then_cumulative(text):
    assert live.parse_viewers(text) == (186, 270)


@pytest.mark.parametrize("text,expected", [("186 1.2万", (186, 12000)), ("1862 3.4w", (1862, 34000)),
                                           ("186-270", (186, 270)), ("在线 9000 累计 2万", (9000, 20000))])
def test_counts_as_the_platform_writes_them(text, expected):
    """视频号 shows 累计观看 from ten thousand on as 1.2万: typed as shown, it was read as three numbers."""
    assert live.parse_viewers(text) == expected


@pytest.mark.parametrize("text", ["-5 10", "186 -270", "1.5 3", "186 2.71"])
def test_a_negative_or_a_fraction_is_refused_not_read_as_a_count(text):
    """「-5 10」 was stored as 5 online and 10 viewers: the minus sign was dropped without a word."""
    with pytest.raises(InvalidInput, match="不是人数"):
        live.parse_viewers(text)


@pytest.mark.parametrize("text", ["", "186", "1 2 3", "abc"])
def test_anything_but_two_numbers_gets_a_chinese_message(text):
    with pytest.raises(InvalidInput, match="两个数字"):
        live.parse_viewers(text)


def test_csv_import_stores_every_row_with_one_event(session, assistant, admin):
    show_id = make_show(session, admin)
    data = "时间,在线,累计观看\n20:01,50,60\n20:05,186,240\n2026-06-01 20:09:30,150,270\n".encode()
    assert live.import_viewers(session, assistant, show_id, data, "v.csv") == 3
    show = session.get(Show, show_id)
    assert (show.viewers_online, show.viewers_peak, show.viewers_cumulative) == (150, 186, 270)
    ats = session.scalars(select(ViewerSample.at).order_by(ViewerSample.at)).all()
    assert ats[0] == START + timedelta(minutes=1) and ats[-1] == START + timedelta(minutes=9, seconds=30)
    kinds = session.scalars(select(Event.kind).where(Event.show_id == show_id)).all()
    assert kinds.count("viewers.imported") == 1


def test_csv_import_names_the_bad_line_and_writes_nothing(session, assistant, admin):
    show_id = make_show(session, admin)
    with pytest.raises(InvalidInput, match="第 3 行"):
        live.import_viewers(session, assistant, show_id, "时间,在线,累计观看\n20:01,50,60\n20:02,abc,70\n".encode())
    assert session.scalar(select(func.count()).select_from(ViewerSample)) == 0


# ---------------------------------------------------------------- snapshot


def test_snapshot_reads_audience_numbers_from_the_tallies(session, admin):
    show_id = make_show(session, admin)
    set_show(session, show_id, viewers_online=150, viewers_peak=186, viewers_cumulative=270, commenters=85,
             comments_total=400, buyers=210)
    snap = live.snapshot(session, show_id, now=START + timedelta(minutes=30))
    assert (snap.community_size, snap.viewers_online, snap.viewers_peak, snap.viewers_cumulative) == (300, 150, 186, 270)
    assert (snap.commenters, snap.buyers, snap.comments_total) == (85, 210, 400)
    assert snap.minutes_to_end == 30


def test_snapshot_gives_progress_remaining_and_stock_left(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, threshold=50, stock=100, units=32, entries=28, buyers=27)
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=4)).deals[0]
    assert (d.progress, d.remaining, d.stock_left, d.reached) == (32, 18, 68, False)
    assert d.minutes_since_release == 4


def test_threshold_in_people_counts_buyers(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, threshold=30, unit="people", units=40, entries=25, buyers=22)
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=4)).deals[0]
    assert (d.progress, d.remaining) == (22, 8)


def test_rate_counts_only_the_last_five_minutes(session, admin):
    show_id = make_show(session, admin)
    minutes = [(RELEASE + timedelta(minutes=i), 2, 3) for i in range(10)]  # 3 units a minute for 10 minutes
    make_deal(session, show_id, threshold=100, units=30, entries=20, buyers=20, minutes=minutes)
    now = RELEASE + timedelta(minutes=9, seconds=59)
    d = live.snapshot(session, show_id, now=now).deals[0]
    # buckets 20:15 … 20:19 (5 × 3 units) over the 4 min 59 s since 20:15:00
    assert d.units_per_min == pytest.approx(15 / (4 + 59 / 60))
    assert d.entries_per_min == pytest.approx(10 / (4 + 59 / 60))
    assert d.rate_label == "近5分钟"


def test_rate_right_after_release_uses_the_time_since_release(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, threshold=50, units=12, entries=10, buyers=10, minutes=[(RELEASE, 6, 7), (RELEASE + timedelta(minutes=1), 4, 5)])
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=2)).deals[0]
    assert d.units_per_min == pytest.approx(6.0)
    assert d.rate_label == "发布以来"  # the host reads 6 份/分 over 2 minutes, not "the last 5"


def test_rate_since_release_needs_the_release_minute_in_the_window(session, admin):
    """Night 17: released at 15:24:41, 8 份 that minute, read at 15:29:00 (4.3 min later): the
    5-minute window starts at 15:25 and the host screen read 「发布以来 0.0 份/分」."""
    show_id = make_show(session, admin)
    released = RELEASE + timedelta(seconds=41)
    make_deal(session, show_id, threshold=5, units=8, entries=4, buyers=4, released_at=released, minutes=[(RELEASE, 4, 8)])
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=5)).deals[0]
    assert d.minutes_since_release < 5 and d.units_per_min == 0
    assert d.rate_label == "近5分钟"
    # twin: a minute earlier the window still holds the release minute
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=4)).deals[0]
    assert d.units_per_min > 0 and d.rate_label == "发布以来"


def test_projection_to_threshold_has_a_point_and_a_range(session, admin):
    show_id = make_show(session, admin)
    minutes = [(RELEASE + timedelta(minutes=i), 5, 5) for i in range(5)]
    make_deal(session, show_id, threshold=50, stock=100, units=25, entries=25, buyers=25, minutes=minutes)
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=5)).deals[0]
    assert d.units_per_min == pytest.approx(5.0)
    assert d.to_threshold.minutes == pytest.approx(5.0)  # 25 left at 5/min
    assert d.to_threshold.low < 5.0 < d.to_threshold.high
    assert d.to_sellout.minutes == pytest.approx(15.0)  # 75 left at 5/min
    assert d.to_sellout.low < 15.0 < d.to_sellout.high


def test_no_projection_without_entries_in_the_window(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, threshold=50, stock=100, units=10, entries=10, buyers=10, minutes=[(RELEASE, 10, 10)])
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=20)).deals[0]
    assert d.units_per_min == 0 and d.to_threshold is None and d.to_sellout is None


def test_reached_deal_projects_sell_out_only(session, admin):
    show_id = make_show(session, admin)
    minutes = [(RELEASE + timedelta(minutes=i), 10, 10) for i in range(5)]
    make_deal(session, show_id, threshold=20, stock=80, units=50, entries=50, buyers=45, status="reached",
              reached_at=RELEASE + timedelta(minutes=2), minutes=minutes)
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=5)).deals[0]
    assert d.reached and d.remaining == 0 and d.to_threshold is None
    assert d.to_sellout.minutes == pytest.approx(3.0)


def test_sold_out_and_draft_deals_have_no_projection(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, product="草稿", released_at=None)
    make_deal(session, show_id, product="售罄", threshold=10, stock=20, units=20, entries=20, buyers=20, status="sold_out",
              minutes=[(RELEASE, 20, 20)])
    snap = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=1))
    draft, sold = snap.deals
    assert draft.minutes_since_release is None and draft.to_threshold is None
    assert sold.stock_left == 0 and sold.to_sellout is None and not sold.open


def test_minutes_to_deadline_and_the_countdown(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, deadline=RELEASE + timedelta(minutes=30), units=1, entries=1, buyers=1)
    now = RELEASE + timedelta(minutes=12, seconds=30)
    snap = live.snapshot(session, show_id, now=now)
    assert snap.deals[0].minutes_to_deadline == pytest.approx(17.5)
    assert snap.countdown(now) == ("接龙截止", pytest.approx(17.5))
    assert live.countdown_text(17.5) == "17:30"
    assert live.countdown_text(62.1) == "1:02:06"
    assert live.countdown_text(25 * 60 + 10.7) == "1天1小时"  # never "25:10:42", which reads like a clock time
    assert live.countdown_text(13 * 60 + 5) == "13小时5分"


def test_the_countdown_tile_says_the_show_has_ended_instead_of_a_passed_end(session, admin):
    # Night 17: after 结束直播 the host's tile read 距下播 已截止; a chain still open to its deadline keeps its countdown.
    show_id = make_show(session, admin)
    now = RELEASE + timedelta(minutes=5)
    assert live.countdown_tile(live.snapshot(session, show_id, now=now), now)[0] == "距下播"
    shows.start_show(session, admin, show_id, at=RELEASE)
    shows.end_show(session, admin, show_id, at=now)
    assert live.countdown_tile(live.snapshot(session, show_id, now=now), now) == ("直播", "已下播")
    make_deal(session, show_id, deadline=now + timedelta(minutes=30), units=1, entries=1, buyers=1)
    assert live.countdown_tile(live.snapshot(session, show_id, now=now), now) == ("接龙截止", "30:00")


def test_focus_is_the_open_deal_released_last(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, product="早的", released_at=RELEASE)
    make_deal(session, show_id, product="晚的", released_at=RELEASE + timedelta(minutes=20))
    make_deal(session, show_id, product="没发", released_at=None)
    snap = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=25))
    assert snap.focus.product == "晚的"


def test_snapshot_lists_the_top_three_to_host_groups(session, admin):
    show_id = make_show(session, admin)
    for i, (text, status, askers) in enumerate(
        [("有机认证是真的吗", "to_host", 9), ("几点送到", "to_host", 3), ("能退吗", "to_host", 5),
         ("多少钱", "to_host", 1), ("来了", "new", 50), ("坏了怎么办", "answered", 20)]
    ):
        session.add(QuestionGroup(show_id=show_id, category="other_question", text=text, status=status, askers=askers,
                                  comments=askers, first_seen=START, last_seen=START, to_host_at=START + timedelta(seconds=i)))
    session.flush()
    snap = live.snapshot(session, show_id, now=START)
    assert [q.text for q in snap.questions] == ["有机认证是真的吗", "能退吗", "几点送到"]


def test_snapshot_lists_the_last_promises_newest_first(session, admin):
    show_id = make_show(session, admin)
    for i, text in enumerate(["不好吃包退", "前50名送手札", "明天中午前送到", "亲自监督采摘"]):
        session.add(Promise(show_id=show_id, text=text, kind="refund", said_at=START + timedelta(minutes=i)))
    session.flush()
    snap = live.snapshot(session, show_id, now=START + timedelta(minutes=5))
    assert [p.text for p in snap.promises] == ["亲自监督采摘", "明天中午前送到", "前50名送手札"]


def test_snapshot_of_a_missing_show_is_not_found(session):
    from services.errors import NotFound

    with pytest.raises(NotFound):
        live.snapshot(session, 12345)


# ---------------------------------------------------------------- series and funnel


def test_series_is_cumulative_from_release_to_now(session, admin):
    show_id = make_show(session, admin)
    minutes = [(RELEASE, 3, 4), (RELEASE + timedelta(minutes=2), 2, 2), (RELEASE + timedelta(minutes=9), 5, 5)]
    deal_id = make_deal(session, show_id, units=11, entries=10, buyers=10, minutes=minutes)
    now = RELEASE + timedelta(minutes=5, seconds=30)
    points = live.deal_series(session, deal_id, RELEASE, now)
    assert [(p.at, p.units, p.entries) for p in points] == [
        (RELEASE, 0, 0),
        (RELEASE + timedelta(minutes=1), 4, 3),
        (RELEASE + timedelta(minutes=3), 6, 5),
        (now, 6, 5),
    ]


def test_host_view_carries_the_focus_series(session, admin):
    show_id = make_show(session, admin)
    make_deal(session, show_id, units=4, entries=3, buyers=3, minutes=[(RELEASE, 3, 4)])
    view = live.host_view(session, show_id, now=RELEASE + timedelta(minutes=3))
    assert view.snapshot.focus is not None and view.series[-1].units == 4


def add_buyers(session, deal_id, names):
    """The deal's buyer tallies and their chain lines (the 成团 step groups a subset of deals' lines)."""
    for i, n in enumerate(names):
        session.add(DealBuyer(deal_id=deal_id, name=n, valid_entries=1, valid_units=1))
        session.add(ChainEntry(deal_id=deal_id, line_key=f"{n}#{i}", buyer_name=n, created_at=RELEASE, updated_at=RELEASE))
    session.flush()


def test_funnel_steps_in_people_with_conversion(session, admin):
    show_id = make_show(session, admin)
    set_show(session, show_id, viewers_cumulative=270, commenters=90, buyers=5)
    a = make_deal(session, show_id, product="A", threshold=2, buyers=3, reached_at=RELEASE, status="reached")
    b = make_deal(session, show_id, product="B", threshold=2, buyers=2, reached_at=RELEASE, status="reached")
    c = make_deal(session, show_id, product="C", threshold=50, buyers=2)
    add_buyers(session, a, ["张三", "李四", "王五"])
    add_buyers(session, b, ["张三", "赵六"])
    add_buyers(session, c, ["钱七", "王五"])
    steps = live.funnel(session, show_id)
    assert [(s.label, s.count) for s in steps] == [("社群成员", 300), ("观看", 270), ("互动", 90), ("接龙", 5), ("成团", 4)]
    assert steps[0].rate is None and steps[1].rate == pytest.approx(0.9)
    assert steps[0].share is None and steps[3].share == pytest.approx(5 / 300)
    assert steps[3].text == "5 人 · 占社群 2% · 为上一步的 6%"


def test_one_reached_deal_gives_its_buyers_as_reached(session, admin):
    show_id = make_show(session, admin)
    a = make_deal(session, show_id, product="A", threshold=2, buyers=7, reached_at=RELEASE, status="reached")
    make_deal(session, show_id, product="B", threshold=50, buyers=3)
    add_buyers(session, a, [f"团员{i}" for i in range(7)])  # counted from its lines, as people (live22)
    assert live.buyers_reached(session, show_id) == 7


def test_eta_text_reads_as_minutes_with_a_range():
    assert live.eta_text(live.Projection(4.2, 3.1, 6.0)) == "约 5 分钟（4–6）"
    assert live.eta_text(live.Projection(4.2, 3.1, None)) == "约 5 分钟（4以上）"
    assert live.eta_text(None) == "—"
    assert live.forecast_text(None, 0.0) == "—"  # nobody yet: nothing to say
    assert live.forecast_text(live.Projection(4.2, 3.1, 6.0), 3.0) == "约 5 分钟（4–6）"


# ---------------------------------------------------------------- through the writers


def test_snapshot_follows_the_jielong_and_triage_writers(session, assistant, admin):
    from services import jielong, triage

    show_id = make_show(session, admin)
    form = jielong.DealForm(product="有机上海青", group_price="9.9", original_price="15", threshold=5, stock=8,
                            delivery_text="明天中午前送到", deadline=START + timedelta(minutes=50))
    deal_id = jielong.create_deal(session, assistant, show_id, form).id
    jielong.release(session, deal_id, assistant, at=RELEASE)
    chain = "#接龙\n1. 王芳 2份 5栋\n2. 李四 1份\n3. 王芳 1份\n"
    jielong.apply_paste(session, assistant, deal_id, chain.rsplit("3.", 1)[0], at=RELEASE)
    jielong.apply_paste(session, assistant, deal_id, chain, at=RELEASE + timedelta(minutes=1))
    result = triage.ingest(session, assistant, show_id, [
        triage.CommentIn("张三", "有机认证是真的吗", at=RELEASE),
        triage.CommentIn("李四", "有机认证真的假的", at=RELEASE),
        triage.CommentIn("王五", "来了来了", at=RELEASE),
    ])
    group_id = next(g.id for g in triage.queue(session, show_id))
    triage.to_host(session, assistant, group_id, at=RELEASE)
    snap = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=2))
    d = snap.deals[0]
    assert (d.entries, d.units, d.buyers, d.remaining, d.stock_left) == (3, 4, 2, 1, 4)
    assert d.units_per_min == pytest.approx(2.0)  # 4 units in the 2 minutes since release
    assert d.to_threshold.minutes == pytest.approx(0.5)
    assert snap.buyers == 2 and snap.commenters == 3
    assert [q.id for q in snap.questions] == [group_id]
    assert result is not None


def test_one_burst_gives_no_forecast_until_people_keep_coming(session, assistant, admin):
    """A single paste or 快团团 import lands all its rows in one minute: no pace, so the host
    reads 预计售罄 —, not "约 1 分钟" drawn from one burst. A second minute of arrivals gives one."""
    from services import jielong

    show_id = make_show(session, admin)
    form = jielong.DealForm(product="丹东草莓", group_price="39.9", threshold=3, stock=100,
                            delivery_text="明天中午前送到", deadline=START + timedelta(minutes=50))
    deal_id = jielong.create_deal(session, assistant, show_id, form).id
    jielong.release(session, deal_id, assistant, at=RELEASE)
    burst = "#接龙\n" + "".join(f"{n}. 邻居{n} 2份\n" for n in range(1, 31))
    jielong.apply_paste(session, assistant, deal_id, burst, at=RELEASE + timedelta(minutes=1))
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=2)).deals[0]
    assert d.units == 60 and d.to_sellout is None and live.eta_text(d.to_sellout) == "—"
    assert "看不出节奏" in live.forecast_text(d.to_sellout, d.units_per_min)  # the host reads why there is none
    jielong.apply_paste(session, assistant, deal_id, burst + "31. 邻居31 2份\n", at=RELEASE + timedelta(minutes=2))
    d = live.snapshot(session, show_id, now=RELEASE + timedelta(minutes=3)).deals[0]
    assert d.to_sellout is not None and d.to_sellout.minutes > 0


def test_series_of_a_closed_deal_ends_when_it_closed(session, admin):
    show_id = make_show(session, admin)
    sold_out = RELEASE + timedelta(minutes=3, seconds=10)
    deal_id = make_deal(session, show_id, threshold=5, stock=10, units=10, entries=10, buyers=10, status="sold_out",
                        minutes=[(RELEASE, 6, 6), (RELEASE + timedelta(minutes=3), 4, 4)])
    session.get(Deal, deal_id).sold_out_at = sold_out
    session.flush()
    view = live.host_view(session, show_id, now=RELEASE + timedelta(hours=12))
    assert view.series[-1].at == sold_out and view.series[-1].units == 10


def test_viewer_series_keeps_the_highest_sample_of_each_minute(session, assistant, admin):
    show_id = make_show(session, admin)
    for sec, online, cumulative in [(5, 10, 20), (40, 14, 25), (70, 12, 30)]:
        live.record_viewers(session, assistant, show_id, online, cumulative, at=START + timedelta(seconds=sec))
    assert live.viewer_series(session, show_id) == [
        (START, 14, 25),
        (START + timedelta(minutes=1), 12, 30),
    ]
