"""下单人数 counts people, not names (live22): a chain line is its name AND the building it names,
as services.members' who_is decides when the show is synced, so the live snapshot (console tile,
host screen, funnel) and the review say the same number the members do. Twin: the same 王芳 5栋
ordering twice (or writing 五栋 once) is one buyer."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from db.models import MemberShow, ShowBuyer
from services import jielong, live, members, review, shows, triage
from services.jielong.buyers import people_of
from services.members.identity import Namesake, who_is

START = datetime(2026, 11, 20, 20, 0)
END = START + timedelta(hours=1)


def night(session, actor, *chains: str, thresholds: tuple[int, ...] = ()):
    """A live show with one released deal per chain (成团 at 1 份 unless `thresholds` says), each
    chain pasted; returns the show and deals."""
    show = shows.create_show(session, actor, shows.ShowForm("同名之夜", "阳光花园群", 300, "老李", START, END))
    shows.start_show(session, actor, show.id, at=START)
    deals = []
    for i, chain in enumerate(chains):
        deal = jielong.create_deal(session, actor, show.id, jielong.DealForm(
            product=f"团品{i}", group_price=Decimal("10.00"), threshold=(thresholds[i:i + 1] or (1,))[0], delivery_text="次日中午前送达", deadline=END + timedelta(minutes=30)), at=START)
        jielong.release(session, deal.id, actor, at=START + timedelta(minutes=1))
        jielong.apply_paste(session, actor, deal.id, chain, at=START + timedelta(minutes=2 + i))
        deals.append(deal)
    return show, deals


def counted(session, show_id: int) -> tuple[int, int]:
    """(live 下单人数, the review's buyers), read as a new page would."""
    session.expire_all()
    snap = live.snapshot(session, show_id, now=START + timedelta(minutes=30))
    return snap.buyers, review.kpis(session, show_id)["buyers"]


# ---------------------------------------------------------------- the rule, pure


@pytest.mark.parametrize("buildings, people", [
    (["5栋", "12栋"], 2),            # two namesakes at two buildings
    (["5栋", "5栋"], 1),             # twin: the same one twice
    ([""], 1),                        # a name alone
    (["5栋", ""], 1),                 # no building on one side: the one namesake
    (["5栋", "12栋", ""], 3),         # ... unless there are several: not guessed, one more
    ([], 0),
])
def test_people_of_counts_a_name_per_building(buildings, people):
    assert people_of(buildings) == people


@pytest.mark.parametrize("lines", [["5栋", "12栋"], ["5栋", "5栋"], ["5栋", ""], ["", ""], ["5栋", "12栋", ""],
                                   ["", "5栋", "12栋", "5栋"]])
def test_people_of_agrees_with_who_is_on_a_first_night(lines):
    """who_is, applied as the sync applies it (lines with a building first) in a community that
    does not know the name yet, makes as many members as people_of counts."""
    known: list[Namesake] = []
    ids = set()
    for building in sorted(lines, key=lambda b: not b):
        verdict = who_is(building, known)
        mid = verdict.member_id or len(known) + 1
        if verdict.member_id is None:
            known.append(Namesake(mid, building))
        ids.add(mid)
    assert len(ids) == people_of(lines)


# ---------------------------------------------------------------- the tally, live and in the review


def test_two_wang_fang_at_two_buildings_are_two_buyers_live_and_in_the_review(session, admin):
    show, _ = night(session, admin, "1. 王芳 2份 5栋\n2. 王芳 1份 12栋")
    assert counted(session, show.id) == (2, 2)
    members.sync_show(session, admin, show.id, at=END)
    synced = session.scalar(select(func.count()).select_from(MemberShow).where(
        MemberShow.show_id == show.id, MemberShow.orders > 0))
    assert synced == 2  # the members say the same


def test_the_same_wang_fang_ordering_twice_is_one_buyer(session, admin):
    show, _ = night(session, admin, "1. 王芳 2份 5栋\n2. 王芳 1份 五栋", "1. 王芳 1份 5号楼1201")
    assert counted(session, show.id) == (1, 1)
    members.sync_show(session, admin, show.id, at=END)
    assert session.scalar(select(func.count()).select_from(MemberShow).where(
        MemberShow.show_id == show.id, MemberShow.orders > 0)) == 1


def test_a_line_without_a_building_is_the_lone_namesake_or_one_more(session, admin):
    show, (deal,) = night(session, admin, "1. 王芳 2份 5栋\n2. 王芳 1份")
    assert counted(session, show.id) == (1, 1)
    jielong.apply_paste(session, admin, deal.id, "1. 王芳 2份 5栋\n2. 王芳 1份\n3. 王芳 1份 12栋",
                        at=START + timedelta(minutes=9))
    assert counted(session, show.id) == (3, 3)  # which 王芳 the bare line is cannot be told: not guessed


def test_a_cancelled_namesake_leaves_the_count(session, admin):
    show, (deal,) = night(session, admin, "1. 王芳 2份 5栋\n2. 王芳 1份 12栋\n3. 李四 1份")
    assert counted(session, show.id) == (3, 3)
    twelve = next(e for e in jielong.list_entries(session, deal.id) if "12" in e["楼栋/地址"])
    jielong.cancel_entry(session, admin, twelve["编号"], at=START + timedelta(minutes=9))
    assert counted(session, show.id) == (2, 2)
    rows = session.execute(select(ShowBuyer.name, ShowBuyer.building, ShowBuyer.kept_entries)
                           .where(ShowBuyer.show_id == show.id).order_by(ShowBuyer.building)).all()
    assert [tuple(r) for r in rows] == [("李四", "", 1), ("王芳", "12栋", 0), ("王芳", "5栋", 1)]


def test_a_failed_deal_takes_out_only_the_namesake_who_ordered_in_it(session, admin):
    show, (oranges, apples) = night(session, admin, "1. 王芳 1份 5栋\n2. 王芳 1份 12栋", "1. 王芳 1份 5栋")
    session.get(type(oranges), oranges.id).threshold = 50
    jielong.check_outcomes(session, oranges.id, now=END + timedelta(hours=2))
    assert jielong.get_deal(session, oranges.id).status == "failed"
    assert counted(session, show.id) == (1, 1)  # 王芳（12栋） bought only the refunded oranges


def test_the_migration_rebuilds_show_buyer_per_person_and_downgrades(tmp_path):
    import db
    from tests.support import make_actor

    eng = db.connect(f"sqlite:///{tmp_path / 'buyerid.db'}")
    db.upgrade(eng)
    with db.session(eng) as s:
        show, _ = night(s, make_actor(s, "admin", "管理员"), "1. 王芳 2份 5栋\n2. 王芳 1份 12栋\n3. 王芳 1份 五栋")
        show_id = show.id
    buyers = 'SELECT buyers FROM "show" WHERE id = :id'
    db.downgrade(eng, "members_5")
    with eng.connect() as conn:
        assert conn.execute(text(buyers), {"id": show_id}).scalar() == 1  # by name, as before
    db.upgrade(eng)
    with eng.connect() as conn:
        assert conn.execute(text(buyers), {"id": show_id}).scalar() == 2
        rows = conn.execute(text("SELECT building, valid_entries FROM show_buyer WHERE show_id = :id ORDER BY building"),
                            {"id": show_id}).all()
    assert [tuple(r) for r in rows] == [("12栋", 1), ("5栋", 2)]
    eng.dispose()


# ---------------------------------------------------------------- comment links: a name that is two people


def _week(session, admin, week: int, orders: list[tuple[str, str]], end: bool = True) -> int:
    from tests.services.test_members import night as weekly

    return weekly(session, admin, week, [(name, 1, "10", address) for name, address in orders], end=end)


def test_a_comment_by_a_name_two_neighbours_share_is_not_linked_to_either(session, admin):
    """Last week 王芳（5栋） bought; tonight 王芳 12栋 orders. A comment by 王芳 cannot tell which: its
    badge says so (同名2人) instead of 王芳（5栋）'s 复购 and carries no member."""
    _week(session, admin, 0, [("王芳", "5栋"), ("李娜", "3栋")])
    tonight = _week(session, admin, 1, [("王芳", "12栋"), ("李娜", "3栋")], end=False)
    triage.ingest(session, admin, tonight, [triage.CommentIn("王芳", "有没有农残检测报告？"),
                                            triage.CommentIn("李娜", "有没有农残检测报告呀")])
    group = triage.queue(session, tonight)[0]
    askers = dict(members.asker_badges(session, tonight, [group.id])[group.id])
    assert askers["王芳"].ambiguous and askers["王芳"].member_id is None and askers["王芳"].codes == []
    assert askers["王芳"].text == "同名2人·未关联"
    assert askers["李娜"].codes == ["returning"] and askers["李娜"].member_id is not None  # one person: linked
    assert askers["李娜"].text == "复购2场"


def test_a_comment_by_a_name_that_is_one_person_links(session, admin):
    """The twin: 王芳 5栋 again tonight (and once more without a building): one person, linked."""
    _week(session, admin, 0, [("王芳", "5栋")])
    tonight = _week(session, admin, 1, [("王芳", "五栋"), ("王芳", "")], end=False)
    badge = members.member_badges(session, tonight, ["王芳"])["王芳"]
    assert not badge.ambiguous and badge.member_id is not None and badge.codes == ["returning"]


def test_two_namesakes_in_tonights_chain_make_the_name_ambiguous_before_any_sync(session, admin):
    show, _ = night(session, admin, "1. 王芳 2份 5栋\n2. 王芳 1份 12栋")
    badge = members.member_badges(session, show.id, ["王芳"])["王芳"]
    assert (badge.namesakes, badge.member_id, badge.codes) == (2, None, [])


def test_the_host_screens_returning_count_does_not_take_a_namesake_for_a_regular(session, admin):
    _week(session, admin, 0, [("王芳", "5栋")])
    tonight = _week(session, admin, 1, [("王芳", "12栋")], end=False)
    assert members.chain_counts(session, tonight)["returning"] == 0  # 王芳（12栋） is new here
    twin = _week(session, admin, 2, [("王芳", "5栋"), ("王芳", "")], end=False)
    assert members.chain_counts(session, twin)["returning"] == 1  # one 王芳, back again


@pytest.mark.parametrize("chain, people", [("1. 王芳 2份 5栋\n2. 王芳 1份 12栋", 2), ("1. 王芳 2份 5栋\n2. 王芳 1份 五栋", 1)])
def test_the_funnels_chengtuan_step_counts_people_too(session, admin, chain, people):
    """成团 (buyers in reached deals) while another deal, short of its threshold, has a buyer of its own."""
    show, (reached, short) = night(session, admin, chain, "1. 李四 1份", thresholds=(1, 50))
    assert (reached.reached_at is not None, short.reached_at) == (True, None)
    steps = {s.label: s.count for s in live.funnel(session, show.id, live.snapshot(session, show.id, now=START + timedelta(minutes=30)))}
    assert (steps["接龙"], steps["成团"]) == (people + 1, people)


@pytest.mark.parametrize("chain, people", [("1. 王芳 2份 5栋\n2. 王芳 1份 12栋", 2), ("1. 王芳 2份 5栋\n2. 王芳 1份 五栋", 1)])
def test_the_packing_workbooks_total_counts_the_same_people(session, admin, reviewer, chain, people):
    """The 汇总 sheet's 合计 下单人数, which a reviewer checks against the review's figure by hand."""
    import io

    import openpyxl

    from services.review import export

    show, _ = night(session, admin, chain)
    summary = openpyxl.load_workbook(io.BytesIO(export.entries_xlsx(session, reviewer, show.id)))["汇总"]
    header = [c.value for c in summary[1]]
    total = {h: c.value for h, c in zip(header, summary[summary.max_row])}
    assert total["下单人数"] == counted(session, show.id)[1] == people
