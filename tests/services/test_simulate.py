"""The replay simulator: a bounded run feeds the night in order, scaled by the speed."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import db
from db.models import ChainEntry, Comment, Deal, Event, FulfilmentItem, Promise, Show, ViewerSample
from services import clock, shows, simulate
from services.demo import nights as dn
from services.errors import InvalidState


class FakeTime:
    """monotonic() and sleep() that only move when slept: a night replays in no time."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += s
        self.slept += s


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _assert_in_order(s, show_id: int) -> None:
    """Rows arrive in time order: ids and timestamps rise together."""
    times = list(s.scalars(select(Comment.received_at).where(Comment.show_id == show_id).order_by(Comment.id)))
    assert times == sorted(times)
    samples = s.execute(
        select(ViewerSample.at, ViewerSample.cumulative).where(ViewerSample.show_id == show_id).order_by(ViewerSample.id)
    ).all()
    assert [a for a, _ in samples] == sorted(a for a, _ in samples)
    assert [c for _, c in samples] == sorted(c for _, c in samples)
    for deal_id in s.scalars(select(Deal.id).where(Deal.show_id == show_id)):
        rows = s.execute(
            select(ChainEntry.seq, ChainEntry.created_at).where(ChainEntry.deal_id == deal_id).order_by(ChainEntry.id)
        ).all()
        assert [q for q, _ in rows] == sorted(q for q, _ in rows)
        assert [c for _, c in rows] == sorted(c for _, c in rows)
    evs = list(
        s.scalars(select(Event.at).where(Event.show_id == show_id, Event.kind != "show.created").order_by(Event.id))
    )
    assert evs == sorted(evs)


def test_the_night_replays_compressed_by_the_speed(clean_engine):
    """The whole night (the show hour and the chain after it) at 120x: under a minute of (fake) time."""
    clock_ = FakeTime()
    lines: list[str] = []
    start = clock.now()
    show_id = simulate.run(clean_engine, speed=120, out=lines.append, sleep=clock_.sleep,
                           monotonic=clock_.monotonic)
    assert dn.yuanweiji().last_t / 120 - 1 <= clock_.t <= dn.yuanweiji().last_t / 120 + 1
    with db.session(clean_engine) as s:
        show = s.get(Show, show_id)
        assert show.title.startswith("源味集《农场主来了》（模拟")
        assert show.status == "ended" and show.community.member_count == 300
        assert show.actual_start - start < timedelta(seconds=5)
        assert show.actual_end - show.actual_start == timedelta(seconds=3600 / 120)
        assert show.viewers_cumulative == 270 and 50 < show.buyers <= 210  # the whole chain
        assert show.comments_total > 200
        main = s.scalar(select(Deal).where(Deal.show_id == show_id, Deal.product == "有机上海青 尝鲜价"))
        assert main.reached_at - main.released_at == timedelta(seconds=8 * 60 / 120)
        gift = s.scalar(select(Promise).where(Promise.show_id == show_id, Promise.kind == "gift"))
        assert (gift.scope, gift.first_n, gift.confirmed) == ("first_n", 50, True)
        items = s.scalar(select(func.count()).select_from(FulfilmentItem).where(FulfilmentItem.promise_id == gift.id))
        cancelled = s.scalar(select(func.count()).select_from(FulfilmentItem).join(ChainEntry)
                             .where(FulfilmentItem.promise_id == gift.id, ChainEntry.status == "cancelled"))
        # the first 50 valid entries of the chain, synced as it grew; an entry cancelled later in
        # the night (江凯, 13th) keeps its item for the record and the next one moves up
        assert (items, cancelled) == (51, 1)
        sources = set(s.scalars(select(ChainEntry.source).join(Deal).where(Deal.show_id == show_id)))
        assert sources == {"simulator"}
        assert set(s.scalars(select(Comment.source).where(Comment.show_id == show_id))) == {"simulator"}
        _assert_in_order(s, show_id)
    assert lines[0].startswith("模拟开始") and lines[-1].startswith("模拟完成")
    assert any("发布接龙：有机上海青 尝鲜价" in ln for ln in lines)
    assert any("（已成团）" in ln for ln in lines)


def test_a_short_run_fits_the_whole_night_and_ends_it(clean_engine):
    """Issue 13 #21: `--speed 30 --minutes 20` left a live show with no entries; now the night
    (releases, chain, end) is fitted into the 20 minutes."""
    t0 = time.monotonic()
    show_id = simulate.run(clean_engine, speed=3000, minutes=20, out=lambda _: None)
    elapsed = time.monotonic() - t0
    assert elapsed >= 20 * 60 / 3000  # real time, scaled
    assert elapsed < 30  # and bounded
    with db.session(clean_engine) as s:
        show = s.get(Show, show_id)
        assert show.status == "ended" and show.rehearsal
        assert show.actual_end - show.actual_start <= timedelta(seconds=20 * 60 / 3000 + 1)
        deals = list(s.scalars(select(Deal).where(Deal.show_id == show_id)))
        assert all(d.status != "draft" for d in deals) and sum(d.entries_valid for d in deals) > 0
        _assert_in_order(s, show_id)


def test_feeding_a_given_show_starts_it_and_adds_the_deals(clean_engine):
    start = clock.now().replace(second=0)
    with db.session(clean_engine) as s:
        from services.authz import SYSTEM

        show_id = shows.create_show(
            s, SYSTEM, shows.ShowForm("彩排场", "阳光花园群", 150, "老李", start, start + timedelta(hours=1))
        ).id
    clock_ = FakeTime()
    with pytest.raises(InvalidState):  # a real show: the simulator never writes into it
        simulate.run(clean_engine, speed=60, show_id=show_id, minutes=5, out=lambda _: None,
                     sleep=clock_.sleep, monotonic=clock_.monotonic)
    with db.session(clean_engine) as s:
        assert s.get(Show, show_id).comments_total == 0
        shows.set_rehearsal(s, SYSTEM, show_id)
    assert simulate.run(clean_engine, speed=60, show_id=show_id, minutes=5, out=lambda _: None,
                        sleep=clock_.sleep, monotonic=clock_.monotonic) == show_id
    with db.session(clean_engine) as s:
        show = s.get(Show, show_id)
        assert show.status == "ended" and show.title == "彩排场"
        assert {d.product for d in show.deals} == {d.product for d in dn.yuanweiji().deals}
        assert all(d.status != "draft" for d in show.deals)
        assert show.viewers_cumulative > 0 and show.comments_total > 0


def test_the_command_line(clean_engine, capsys):
    argv = ["--speed", "6000", "--minutes", "2", "--database-url", _url(clean_engine)]
    assert simulate.main(argv + ["--no-demo"]) == 0
    out = capsys.readouterr().out
    assert "模拟开始" in out and "[剧本 20:00]" in out and "模拟完成" in out
    with db.session(clean_engine) as s:
        assert s.scalar(select(func.count()).select_from(Show)) == 1  # no demo nights asked for
        show_id = s.scalar(select(Show.id).order_by(Show.id.desc()))
        assert s.get(Show, show_id).status == "ended"  # the whole night in 2 minutes
    assert simulate.main(["--show", str(show_id), "--database-url", _url(clean_engine), "--minutes", "1"]) == 2
    assert "已结束" in capsys.readouterr().err


def test_on_an_empty_database_the_command_line_loads_the_demo_nights_first(clean_engine):
    assert simulate.main(["--speed", "6000", "--minutes", "1", "--database-url", _url(clean_engine)]) == 0
    with db.session(clean_engine) as s:
        titles = [sh.title for sh in shows.list_shows(s)]
    assert titles[0].startswith("源味集《农场主来了》（模拟")
    assert titles[1] == "源味集《农场主来了》" and "亲亲宝贝《安心之选》" in titles[2:]  # + 源味集's earlier weeks


def test_a_bad_database_url_gets_a_chinese_message(capsys):
    assert simulate.main(["--database-url", "nosuchdb://x"]) == 2
    assert "DATABASE_URL" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--speed", "0"], ["--minutes", "-1"]])
def test_bad_arguments_are_refused(argv):
    with pytest.raises(SystemExit):
        simulate.main(argv)
