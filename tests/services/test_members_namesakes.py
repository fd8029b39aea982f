"""Namesakes (同名): a chain line is its name and its building together. 王芳 2份 5栋 and 王芳 1份 12栋
are two neighbours (one chain, or two nights); a line without a building joins a namesake only when
the name has exactly one member, else it is offered in 身份合并 beside each namesake, never guessed.
The rule (identity.who_is) pure, then the service on both databases, then the migration."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from db.models import Member, MemberAlias
from services import jielong, members, shows
from services.members.identity import Namesake, Verdict, line_value, who_is
from tests.services.test_members import T0, night, weekly_show

A5, B12, U = Namesake(1, "5栋"), Namesake(2, "12栋"), Namesake(3, "")


# ---------------------------------------------------------------- the rule, no database

def test_same_name_same_building_is_that_member_another_building_is_someone_new():
    assert who_is("5栋", [A5]) == Verdict(1)
    assert who_is("12栋", [A5]) == Verdict(None)  # twin: a new member, and no proposal (two neighbours)
    assert who_is("5栋", [A5, B12]) == Verdict(1)


def test_a_line_without_a_building_joins_the_only_member_of_its_name():
    assert who_is("", [A5]) == Verdict(1)
    assert who_is("", []) == Verdict(None)


def test_a_line_without_a_building_among_namesakes_is_not_guessed_but_proposed():
    """Twin of the above: two members share the name, so a bare 王芳 could be either."""
    assert who_is("", [A5, B12]) == Verdict(None, (1, 2))
    # the name's unresolved member (no building) already holds such lines: it takes this one too,
    # still proposed beside each namesake
    assert who_is("", [A5, B12, U]) == Verdict(3, (1, 2))


def test_a_line_with_a_building_fills_the_only_member_of_its_name_that_has_none():
    assert who_is("5栋", [U]) == Verdict(3)
    # twin: the name has another member too, so the unplaced one is offered, not assumed
    assert who_is("7栋", [A5, U]) == Verdict(None, (3,))


def test_the_label_tells_namesakes_apart_in_one_place():
    assert members.member_label("王芳", "5栋") == "王芳（5栋）"
    assert members.member_label("王芳", "") == "王芳"


def test_a_lines_alias_is_its_show_name_and_address():
    assert line_value(7, "王芳", "5栋1201") == "7|王芳|5栋1201"
    assert len(line_value(7, "王" * 100, "地" * 200)) == 160


# ---------------------------------------------------------------- the service, SQLite and PostgreSQL

def _wang(session) -> dict[str, Member]:
    rows = session.query(Member).filter(Member.name == "王芳", Member.merged_into_id.is_(None)).all()
    return {m.building: m for m in rows}


def test_one_chain_two_buildings_two_members_apart(session, admin):
    """The pasted chain `王芳 2份 5栋` / `王芳 1份 12栋`: two members, each her own order and spend."""
    start = T0
    show, deal = weekly_show(session, admin, 0, start, "源味集·同名群", hours=1)
    jielong.apply_paste(session, admin, deal.id, "1. 王芳 2份 5栋\n2. 李娜 1份\n3. 王芳 1份 12栋\n",
                        at=start + timedelta(minutes=55))
    shows.end_show(session, admin, show.id, at=start + timedelta(hours=1))
    res = members.sync_show(session, admin, show.id, at=start + timedelta(hours=2))
    wang = _wang(session)
    assert set(wang) == {"5栋", "12栋"}
    assert (wang["5栋"].units, wang["5栋"].spend, wang["12栋"].units, wang["12栋"].spend) == (
        2, Decimal("20.00"), 1, Decimal("10.00"))
    assert members.ltv(session, wang["5栋"].id) == Decimal("20.00")
    assert res["proposals"] == 0 and members.proposals(session, show.community_id) == []
    labels = {r["label"] for r in members.members(session, show.community_id)}
    assert {"王芳（5栋）", "王芳（12栋）", "李娜"} <= labels
    members.sync_show(session, admin, show.id)  # idempotent
    assert session.query(Member).filter(Member.name == "王芳").count() == 2


def test_two_nights_two_buildings_then_a_bare_name_is_proposed_not_added(session, admin):
    night(session, admin, 0, [("王芳", 2, "20", "5栋")])
    night(session, admin, 1, [("王芳", 1, "12", "12栋1201")])
    wang = _wang(session)
    assert (wang["5栋"].spend, wang["12栋"].spend) == (Decimal("20.00"), Decimal("12.00"))
    cid = wang["5栋"].community_id
    assert members.proposals(session, cid) == []
    night(session, admin, 2, [("王芳", 1, "30")])  # no building: which 王芳?
    wang = _wang(session)
    assert (wang["5栋"].spend, wang["12栋"].spend, wang[""].spend) == (Decimal("20.00"), Decimal("12.00"), Decimal("30.00"))
    open_ = members.proposals(session, cid)
    assert {(p["reason"], p["member"], p["other"]) for p in open_} == {
        ("namesake", "王芳（5栋）", "王芳"), ("namesake", "王芳（12栋）", "王芳")}
    # the operator says it was the 12栋 one: her spend follows, the event is logged
    members.confirm(session, admin, next(p["id"] for p in open_ if p["member"] == "王芳（12栋）"))
    wang = _wang(session)
    assert (wang["5栋"].spend, wang["12栋"].spend, wang["12栋"].shows_bought) == (Decimal("20.00"), Decimal("42.00"), 2)
    assert "" not in wang
    # a later bare 王芳 is still not guessed (two members have the name): a new unresolved one
    night(session, admin, 3, [("王芳", 1, "10")])
    assert _wang(session)[""].spend == Decimal("10.00")


def test_a_bare_name_joins_the_only_member_of_it_and_a_building_later_is_hers(session, admin):
    """Twin: one 王芳 only, so 王芳 without a building is her, and a first building is filled in."""
    night(session, admin, 0, [("王芳", 1, "10")])
    night(session, admin, 1, [("王芳", 2, "20", "5号楼302")])
    night(session, admin, 2, [("王芳", 1, "10", "5栋")])
    (m,) = _wang(session).values()
    assert (m.building, m.shows_bought, m.spend) == ("5栋", 3, Decimal("40.00"))
    assert members.proposals(session, m.community_id) == []


def test_a_name_with_a_building_written_in_is_not_proposed_beside_a_namesake_elsewhere(session, admin):
    """王芳5栋 vs 王芳（12栋）: another building, no proposal; vs 王芳 at no building: proposed (as before)."""
    night(session, admin, 0, [("王芳", 1, "10", "12栋")])
    night(session, admin, 1, [("王芳5栋", 1, "10", "5栋")])
    assert members.proposals(session, _wang(session)["12栋"].community_id) == []


def test_the_detail_lists_no_line_aliases(session, admin):
    night(session, admin, 0, [("王芳", 2, "20", "5栋"), ("王芳", 1, "10", "12栋")])
    wang = _wang(session)
    details = [members.member_detail(session, wang[b].id) for b in ("5栋", "12栋")]
    assert [d["label"] for d in details] == ["王芳（5栋）", "王芳（12栋）"]
    # the bare name (a comment's, a viewer's) is one member's alias: the first namesake's
    assert sorted(len(d["aliases"]) for d in details) == [0, 1]
    assert session.query(MemberAlias).filter(MemberAlias.kind == "line").count() == 2


# ---------------------------------------------------------------- the migration

def _migrated_relinks(url: str) -> None:
    import db
    from tests.support import make_actor

    eng = db.connect(url)
    db.upgrade(eng)
    with db.session(eng) as s:
        admin = make_actor(s, "admin", "管理员")
        sid = night(s, admin, 0, [("王芳", 2, "20", "5栋"), ("王芳", 1, "10", "12栋")])
        assert not members.needs_sync(s, sid)
    db.downgrade(eng, "polish_1")  # before members_5: no LINE aliases
    with db.session(eng) as s:
        assert s.query(MemberAlias).filter(MemberAlias.kind == "line").count() == 0
    db.upgrade(eng)
    with db.session(eng) as s:
        assert members.needs_sync(s, sid)  # every synced show is recounted under the line rule
        members.sync_show(s, make_actor(s, "admin", "管理员2"), sid)
        assert {m.building: m.spend for m in _wang(s).values()} == {"5栋": Decimal("20.00"), "12栋": Decimal("10.00")}
    eng.dispose()


def test_members_5_marks_synced_shows_stale_and_a_resync_links_the_lines_sqlite(tmp_path):
    _migrated_relinks(f"sqlite:///{tmp_path / 'm5.db'}")


def test_members_5_marks_synced_shows_stale_and_a_resync_links_the_lines_postgresql():
    from tests.support import postgres_database

    with postgres_database() as url:
        _migrated_relinks(url)
