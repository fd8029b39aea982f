"""The demo nights: the numbers of the seeds, loaded through the services, once."""
from __future__ import annotations

import time

from datetime import timedelta

from sqlalchemy import func, select

from db.models import ChainEntry, Comment, Deal, Event, Promise, QuestionGroup, Show, ViewerSample
from services import clock, demo, pickup, promises, shows
from services.demo import nights as dn
from services.authz import SYSTEM
from tests.support import reference_cpu_s


def _deal(session, show_id: int, product: str) -> Deal:
    return session.scalar(select(Deal).where(Deal.show_id == show_id, Deal.product == product))


def test_the_yuanweiji_night_has_the_numbers_of_the_article(session):
    show_id = demo.load_demo_night(session)
    show = session.get(Show, show_id)
    assert (show.title, show.host_name, show.status) == ("源味集《农场主来了》", "老李", "ended")
    assert (show.community.name, show.community.member_count) == ("源味集·阳光花园群", 300)
    yesterday_8pm = clock.now().replace(hour=20, minute=0, second=0) - timedelta(days=1)
    assert show.scheduled_start == yesterday_8pm
    assert show.scheduled_end == yesterday_8pm + timedelta(hours=1)

    # 300 members → 270 watched → 210 took part in the chain.
    assert show.viewers_cumulative == 270
    assert show.buyers == 210
    distinct = session.scalar(
        select(func.count(func.distinct(ChainEntry.buyer_name)))
        .join(Deal, Deal.id == ChainEntry.deal_id)
        .where(Deal.show_id == show_id, ChainEntry.status == "valid")
    )
    assert distinct == 210

    # The main deal: released 5 minutes before the end, 50份 reached 8 minutes later.
    main = _deal(session, show_id, "有机上海青 尝鲜价")
    assert (main.threshold, main.threshold_unit, main.perk_first_n) == (50, "units", 50)
    assert "8折" in main.perk_text and "《有机生活手札》" in main.perk_text
    assert main.released_at == show.scheduled_end - timedelta(minutes=5)
    assert main.reached_at - main.released_at == timedelta(minutes=8)
    assert main.status == "reached"
    before = session.scalar(
        select(func.sum(ChainEntry.qty)).where(
            ChainEntry.deal_id == main.id, ChainEntry.status == "valid", ChainEntry.created_at < main.reached_at
        )
    )
    assert before < 50  # the threshold is crossed by the entries pasted at that very moment
    others = {d.product for d in show.deals} - {main.product}
    assert others == {"散养土鸡蛋 30枚", "有机蔬菜家庭箱"}
    assert all(d.status == "reached" for d in show.deals)

    # Viewers rise through the hour; the peak online is below the cumulative count.
    samples = session.execute(
        select(ViewerSample.at, ViewerSample.online, ViewerSample.cumulative)
        .where(ViewerSample.show_id == show_id).order_by(ViewerSample.at)
    ).all()
    assert len(samples) >= 30
    cumulative = [c for _, _, c in samples]
    assert cumulative == sorted(cumulative) and cumulative[-1] == 270 and cumulative[0] < 100
    assert 150 < show.viewers_peak < 270
    assert samples[0].at == show.scheduled_start and samples[-1].at == show.scheduled_end

    # Chain lines look like a real chain: `12. 王芳 2份 5栋`, entries pasted in order.
    sample = session.scalar(select(ChainEntry.raw_line).where(ChainEntry.deal_id == main.id, ChainEntry.seq == 12))
    assert sample.startswith("12. ") and "份" in sample
    rows = session.execute(
        select(ChainEntry.seq, ChainEntry.created_at).where(ChainEntry.deal_id == main.id).order_by(ChainEntry.seq)
    ).all()
    assert [c for _, c in rows] == sorted(c for _, c in rows)
    assert session.scalar(
        select(func.count()).select_from(ChainEntry).where(ChainEntry.deal_id == main.id, ChainEntry.status == "cancelled")
    ) == 1

    # The timeline holds the milestones at their moments.
    kinds = dict(
        session.execute(
            select(Event.kind, func.min(Event.at)).where(Event.show_id == show_id).group_by(Event.kind)
        ).all()
    )
    assert kinds["show.started"] == show.scheduled_start
    assert kinds["show.ended"] == show.scheduled_end
    assert kinds["deal.reached"] <= main.reached_at


def test_the_yuanweiji_night_has_comments_questions_and_promises(session):
    show_id = demo.load_demo_night(session)
    show = session.get(Show, show_id)
    texts = set(session.scalars(select(Comment.text).where(Comment.show_id == show_id)))
    assert 300 <= show.comments_total <= 700
    for asked in ("有机认证是真的吗？", "价格为什么这么贵？", "什么时候到？", "在哪接龙？", "能自提吗？", "不好吃能退吗？"):
        assert asked in texts
    assert {"来了", "666", "打卡", "已下单"} <= texts
    assert 0 < show.chatter_total < show.comments_total
    assert show.commenters > 50
    statuses = dict(
        session.execute(
            select(QuestionGroup.status, func.count()).where(QuestionGroup.show_id == show_id).group_by(QuestionGroup.status)
        ).all()
    )
    assert statuses.get("answered", 0) >= 5 and statuses.get("to_host", 0) >= 1 and statuses.get("new", 0) >= 3
    said = {p.text: p for p in session.scalars(select(Promise).where(Promise.show_id == show_id))}
    assert any("前50名" in t and "8折" in t for t in said)
    assert any("《有机生活手札》" in t for t in said)
    assert any("我会亲自监督采摘和打包" in t and "吃得放心" in t for t in said)
    delivery = next(p for t, p in said.items() if "次日中午前" in t)
    assert delivery.due_at == show.scheduled_start + timedelta(hours=16)  # next day, noon
    assert all(p.confirmed for p in said.values())


def _night_promises(session, show_id: int) -> tuple[Promise, Promise]:
    said = list(session.scalars(select(Promise).where(Promise.show_id == show_id)))
    return next(p for p in said if "次日中午前" in p.text), next(p for p in said if "《有机生活手札》" in p.text)


def test_the_demo_night_s_next_noon_delivery_is_not_late_when_the_demo_is_opened_in_the_afternoon(session):
    """night 19's note: the 源味集 night's 次日中午前送到 (and the 手札 handed over with it) read 逾期
    whenever the demo was opened after next-day noon: no item was ever ticked. The team's next
    morning (nights.yuanweiji follow_ups) is played up to the moment the demo is opened: handed
    over 08:30-10:30, both 已兑现 at 11:00."""
    now = clock.now().replace(hour=15, minute=0, second=0)
    show_id = demo.load_demo_night(session, now=now)
    delivery, notebook = _night_promises(session, show_id)
    assert delivery.due_at == now.replace(hour=12)
    assert promises.overdue_count(session, show_id, now=now) == 0
    assert (delivery.status, notebook.status) == ("kept", "kept")
    for p in (delivery, notebook):
        rows = promises.items(session, p.id, now=now)
        assert rows and all(r.done and r.done_at <= p.due_at for r in rows)
    assert len(promises.items(session, notebook.id)) == 50


def test_opened_the_next_morning_the_delivery_is_under_way_and_due_at_noon(session):
    """Twin: at 09:30 the van is out: half the greens (and half the 手札) handed over, the promise still
    待履约 and not late (due at noon); nothing the team does later is in the data yet."""
    now = clock.now().replace(hour=9, minute=30, second=0)
    show_id = demo.load_demo_night(session, now=now)
    delivery, notebook = _night_promises(session, show_id)
    assert (delivery.status, notebook.status) == ("open", "open")
    assert promises.overdue_count(session, show_id, now=now) == 0
    for p in (delivery, notebook):
        done = [r.done for r in promises.items(session, p.id, now=now)]
        assert 0 < sum(done) < len(done)
    assert session.scalar(select(func.max(Event.at)).where(Event.show_id == show_id)) <= now


def _handed_over(session, show_id: int) -> tuple[dict, int, int]:
    """(the counter's counts, orders handed over in full per the 提货清单, delivery items ticked)."""
    counts = pickup.status_counts(session, show_id)
    listed = sum(r.status == pickup.PickupStatus.PICKED_UP for g in pickup.pickup_list(session, show_id) for r in g.rows)
    delivery, _ = _night_promises(session, show_id)
    ticked = sum(r.done for r in promises.items(session, delivery.id))
    return counts, listed, ticked


def test_at_noon_the_counter_the_pickup_list_and_the_promise_items_agree(session):
    """Browser walks (night 22's brief): at noon the promise items read 已兑现 while every greens order still
    read 待提货 at the counter: the follow-ups ticked items and handed nothing over. They now hand the orders
    over through services.pickup (A线 / B线 delivery runs, the 东门 / 到店自提 neighbours at the counter),
    so the counter's 已提 is the 提货清单's, and every greens order handed over is its delivery item ticked.
    A few pickup-point neighbours (eggs / box only, no 次日中午前 promise) have not come: 未提 is real."""
    now = clock.now().replace(hour=12, minute=0, second=0)
    show_id = demo.load_demo_night(session, now=now)
    counts, listed, ticked = _handed_over(session, show_id)
    greens = _deal(session, show_id, "有机上海青 尝鲜价")
    greens_done = sum(r.status == pickup.PickupStatus.PICKED_UP for g in pickup.pickup_list(session, show_id, deal_id=greens.id)
                      for r in g.rows)
    assert counts[pickup.PickupStatus.PICKED_UP] == listed > 200
    assert ticked == greens_done == greens.entries_valid
    assert counts[pickup.PickupStatus.PENDING] == 3 and counts[pickup.PickupStatus.PARTIAL] == 0
    assert [r.label for r in pickup.list_runs(session, show_id)] == ["B线", "A线"]
    delivery, notebook = _night_promises(session, show_id)
    assert (delivery.status, notebook.status) == ("kept", "kept")
    assert all(r.done for r in promises.items(session, notebook.id))  # the 手札 went with the greens


def test_at_seven_nothing_is_handed_over_yet(session):
    """Twin: at 07:00 (the page and browser tests' demo_morning) the counter still has every order and
    every perk to hand over, and no item is ticked."""
    now = clock.now().replace(hour=7, minute=0, second=0)
    show_id = demo.load_demo_night(session, now=now)
    counts, listed, ticked = _handed_over(session, show_id)
    assert counts[pickup.PickupStatus.PICKED_UP] == listed == ticked == 0
    assert counts[pickup.PickupStatus.PENDING] > 200
    assert not pickup.list_runs(session, show_id)
    _, notebook = _night_promises(session, show_id)
    assert not any(r.done for r in promises.items(session, notebook.id))


def test_the_past_night_sold_100_cans_in_12_minutes_a_week_earlier(session):
    past_id = demo.load_past_night(session)
    show = session.get(Show, past_id)
    assert (show.title, show.host_name, show.community.name) == ("亲亲宝贝《安心之选》", "林薇", "亲亲宝贝·安心妈妈群")
    assert show.status == "ended"
    assert show.scheduled_start == clock.now().replace(hour=20, minute=0, second=0) - timedelta(days=8)
    (deal,) = show.deals
    assert (deal.stock, deal.units_valid, deal.status) == (100, 100, "sold_out")
    assert deal.sold_out_at - deal.released_at == timedelta(minutes=12)
    assert deal.entries_waitlisted > 0  # late members wait (候补)
    assert show.buyers == dn.qinqin().expected["buyers"]
    said = list(session.scalars(select(Promise).where(Promise.show_id == past_id)))
    words = " ".join(p.text for p in said)
    assert "保证是最新鲜批次" in words and "开罐不满意，未使用可退" in words
    assert {p.status for p in said} == {"kept"}  # a week on, every promise was honoured
    assert show.viewers_cumulative <= show.community.member_count


def test_ensure_demo_loads_both_nights_once_on_an_empty_database(session):
    t0 = time.process_time()  # CPU time: on SQLite all the work is in this process, and a busy
    shown = demo.ensure_demo(session)  # machine does not make it flaky the way wall time is
    elapsed = time.process_time() - t0
    titles = [s.title for s in shows.list_shows(session)]
    # most recent first; 源味集's earlier weekly nights (issue 17) sit between and before them
    assert titles[0] == "源味集《农场主来了》" and "亲亲宝贝《安心之选》" in titles
    assert [t for t in titles[1:] if t.startswith("源味集")] == [f"源味集《农场主来了》第{n}期" for n in range(8, 0, -1)]
    assert shown == shows.find_show(session, "源味集《农场主来了》").id
    assert demo.ensure_demo(session) is None
    assert session.scalar(select(func.count()).select_from(Show)) == 10
    if session.get_bind().dialect.name == "sqlite":
        # measured at 25-40 reference workloads (10-13 s of CPU on a slow 2-core machine); twice that fails
        budget = 80 * reference_cpu_s()
        assert elapsed < budget, f"loading the demo took {elapsed:.1f} s of CPU (budget {budget:.1f} s)"


def test_ensure_demo_leaves_a_database_with_shows_alone(session, admin):
    start = clock.now().replace(second=0)
    shows.create_show(session, admin, shows.ShowForm("自己的场次", "阳光花园群", 120, "小王", start, start + timedelta(hours=1)))
    assert demo.ensure_demo(session) is None
    assert [s.title for s in shows.list_shows(session)] == ["自己的场次"]


def test_the_nights_are_deterministic_and_consistent():
    a, b = dn.yuanweiji.__wrapped__(), dn.yuanweiji.__wrapped__()
    assert a.beats == b.beats
    night = dn.yuanweiji()
    ts = [t for t, _ in night.beats]
    assert ts == sorted(ts)
    said = [x for _, x in night.beats if isinstance(x, dn.Said)]
    assert 300 <= len(said) <= 700
    lines = [x for _, x in night.beats if isinstance(x, dn.Line)]
    for deal in night.deals:
        seqs = [ln.seq for ln in lines if ln.deal == deal.key]
        assert seqs == list(range(1, len(seqs) + 1))
    assert night.expected["buyers"] == 210
    assert SYSTEM.role == "admin"  # the loader writes as the system actor


def test_every_scripted_chain_line_reads_back_as_written():
    """The chain text the loader pastes parses to the very lines of the script (nothing lost)."""
    from services.jielong.parser import parse_chain

    for night in (dn.yuanweiji(), dn.qinqin()):
        for _, line in night.beats:
            if isinstance(line, dn.Line):
                specs = [s for s in night.deal(line.deal).spec_options.split(",") if s]
                (entry,) = parse_chain(demo.chain_line(line), specs)
                assert (entry.seq, entry.name, entry.qty, entry.spec, entry.cancelled) == (
                    line.seq, line.name, line.qty, line.spec, False
                ), demo.chain_line(line)


def test_a_new_store_can_start_empty(monkeypatch):
    # Night 14: a new store's first start always loaded the demo nights into its own database
    # (255 demo members on its 社群成员 page, demo shows in its 多场对比); DEMO_NIGHTS=0 starts empty.
    for off in ("0", "no", "false", "OFF", "否"):
        monkeypatch.setenv("DEMO_NIGHTS", off)
        assert not demo.demo_wanted()
    # twin: by default, and when asked for, the quick start still shows the demo nights
    monkeypatch.delenv("DEMO_NIGHTS", raising=False)
    assert demo.demo_wanted()
    monkeypatch.setenv("DEMO_NIGHTS", "1")
    assert demo.demo_wanted()


def test_the_weekly_nights_were_picked_up_but_last_weeks_last_few(session):
    # Night 14: the reviewer saw 提货率 0% on every earlier weekly night (nobody ever came), and the
    # counter would tell every neighbour of eight weeks of orders waiting.
    from services import pickup
    demo.ensure_demo(session)
    weekly = sorted((s for s in shows.list_shows(session) if "期" in s.title), key=lambda s: s.scheduled_start)
    rates = [pickup.stats(session, s.id) for s in weekly]
    assert all(r.picked_up == r.entries for r in rates[:-1])  # 第1期's deals failed: nothing to take
    assert sum(r.entries for r in rates[:-1]) > 300
    assert rates[-1].pending == 3


def test_a_neighbour_lives_in_one_building_every_week(session):
    # Night 14: Cindy was 15栋, 6栋, 5栋 … week after week and 13栋 tonight; 社群成员 showed her first one.
    from db.models import Deal
    from services import members
    demo.ensure_demo(session)
    weekly = select(ChainEntry.buyer_name, ChainEntry.address).join(Deal).join(Show).where(Show.title.like("%期"))
    seen: dict[str, set[str]] = {}
    for name, address in session.execute(weekly):
        seen.setdefault(name, set()).add(address)
    assert len(seen) > 100 and all(len(a) == 1 for a in seen.values())
    tonight = shows.find_show(session, "源味集《农场主来了》").id
    q = select(ChainEntry.buyer_name, ChainEntry.address).join(Deal).where(Deal.show_id == tonight)
    tonight_at: dict[str, set[str]] = {}
    for n, a in session.execute(q):
        if n in seen and members.building_of(a):
            tonight_at.setdefault(n, set()).add(members.building_of(a))
    assert len(tonight_at) > 100 and all(seen[n] <= b for n, b in tonight_at.items())


def test_the_weekly_nights_failed_deals_are_refunded_not_sales(session):
    # gmv15: 第1期's deals and 第2期's eggs failed (未成团, 将原路退款) yet the review counted their orders
    # in the 成交额; they are shown apart as refunded.
    from services import review
    demo.ensure_demo(session)
    weekly = sorted((s for s in shows.list_shows(session) if "期" in s.title), key=lambda s: s.scheduled_start)
    first, second = review.kpis(session, weekly[0].id), review.kpis(session, weekly[1].id)
    assert (first["gmv"], first["entries"], first["buyers"]) == (0.0, 0, 0)
    assert first["refunded_entries"] > 0 and first["refunded_gmv"] > 0
    eggs = next(d for d in second["deals"] if d["product"].startswith("散养土鸡蛋"))
    assert (eggs["outcome"], eggs["gmv"]) == ("failed", 0.0) and eggs["refunded"] > 0
    assert second["gmv"] == sum(d["gmv"] for d in second["deals"]) > 0
