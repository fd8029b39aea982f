"""chain_entry.pickup_point: the point each order names, recorded when the chain writes the entry
(paste, import, manual add, a re-paste that edits the line) so the counter matches it in SQL. The
rule (services.places.pickup_point) pure, then the writers on both databases, then the migration
that adds the column and backfills it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import ChainEntry
from services import jielong, pickup, places
from tests.services.pickup_support import RELEASE, make_night


def names(rows):
    return sorted(r.name for r in rows)


def point_of(session, entry_id: int) -> str | None:
    return session.scalar(select(ChainEntry.pickup_point).where(ChainEntry.id == entry_id))


def points_by_name(session, deal_id: int) -> dict[str, str | None]:
    return dict(session.execute(
        select(ChainEntry.buyer_name, ChainEntry.pickup_point).where(ChainEntry.deal_id == deal_id)).all())


# ---------------------------------------------------------------- the rule, no database

@pytest.mark.parametrize(
    "address, note, point",
    [
        ("", "西门菜站", "西门菜站"),
        ("自提点：东门驿站｜幸福里1栋", "", "东门驿站"),
        ("", "东门自提", "东门自提点"),
        ("9栋 自提", "", "到店自提"),
        ("5栋", "西门菜站", "西门菜站"),  # a station in the note beside a building: the station
        # twins: a building, a remark, 不要自提 and nothing at all name no point
        ("5栋", "", None),
        ("", "不要葱", None),
        ("", "不要自提 送到5栋", None),
        ("", "", None),
    ],
)
def test_the_point_an_address_or_note_names(address, note, point):
    assert places.pickup_point(address, note) == point


def test_the_point_rule_lives_in_one_place():
    # the packing rule and the counter's column read the same function, not a copy of it
    assert pickup.pickup_point is places.pickup_point
    assert pickup.pickup_group("", "西门菜站") == places.pickup_point("", "西门菜站")


# ---------------------------------------------------------------- the writers

def test_a_manual_entry_records_its_point_and_an_entry_naming_none_records_null(session, assistant):
    night = make_night(session, assistant)  # 李娜's address is 自提点：东门驿站, the others buildings
    assert points_by_name(session, night.greens) == {
        "王芳": None, "李娜": "东门驿站", "果果妈": None, "Amy": None, "王芳芳": None}
    e = jielong.add_entry(session, assistant, night.greens, "李姐", qty=2, note="西门菜站", seq=6,
                          at=RELEASE + timedelta(minutes=20))
    assert point_of(session, e.id) == "西门菜站"


def test_a_paste_records_each_lines_point_and_a_repaste_that_edits_the_line_moves_it(session, assistant):
    night = make_night(session, assistant)
    chain = "#接龙\n1. 李姐 2份 西门菜站\n2. 老陈家 1份 东门自提\n3. 钱老师 1份 不要葱\n"
    jielong.apply_paste(session, assistant, night.eggs, chain, at=RELEASE + timedelta(minutes=30))
    assert points_by_name(session, night.eggs) | {"王芳": None} == {
        "王芳": None, "李姐": "西门菜站", "老陈家": "东门自提点", "钱老师": None}
    assert names(pickup.find(session, night.show_id, "东门自提点")) == ["老陈家"]
    # the same lines pasted again, edited: 李姐 moves to 南门驿站, 老陈家 (东门自提 in his address) now
    # names his building, 钱老师 names a point
    edited = "#接龙\n1. 李姐 2份 南门驿站\n2. 老陈家 1份 5栋 不要葱\n3. 钱老师 1份 西门菜站\n"
    result = jielong.apply_paste(session, assistant, night.eggs, edited, at=RELEASE + timedelta(minutes=40))
    assert result.updated == 3
    assert points_by_name(session, night.eggs) | {"王芳": None} == {
        "王芳": None, "李姐": "南门驿站", "老陈家": None, "钱老师": "西门菜站"}
    assert names(pickup.find(session, night.show_id, "东门自提点")) == []
    assert names(pickup.find(session, night.show_id, "西门菜站")) == ["钱老师"]
    assert names(pickup.find(session, night.show_id, "南门")) == ["李姐"]


def test_an_import_records_the_point_of_its_pickup_column(session, assistant):
    night = make_night(session, assistant)
    data = "跟团号,下单人,商品,数量,自提点,详细地址\n1,周阿姨,土鸡蛋,1,东门驿站,幸福里3栋\n2,孙叔,土鸡蛋,1,,7栋\n"
    jielong.import_orders(session, assistant, night.eggs, data.encode("utf-8"), "orders.csv",
                          at=RELEASE + timedelta(minutes=30))
    points = points_by_name(session, night.eggs)
    assert points["周阿姨"] == "东门驿站" and points["孙叔"] is None


# ---------------------------------------------------------------- the counter

def test_the_counter_finds_a_points_orders_by_the_column_and_a_name_search_still_finds_names(session, assistant):
    night = make_night(session, assistant)
    for seq, name, note in ((6, "李姐", "西门菜站"), (7, "6栋小吴", "西门菜站"), (8, "西门大爷", "")):
        jielong.add_entry(session, assistant, night.greens, name, qty=1, note=note, seq=seq,
                          at=RELEASE + timedelta(minutes=20 + seq))
    assert names(pickup.find(session, night.show_id, "西门菜站")) == ["6栋小吴", "李姐"]
    # twin: a name that matches no point is found by its name (西门大爷 has no point), and a
    # station nobody named finds nobody
    assert names(pickup.find(session, night.show_id, "西门大爷")) == ["西门大爷"]
    assert names(pickup.find(session, night.show_id, "西门")) == ["6栋小吴", "李姐", "西门大爷"]
    assert names(pickup.find(session, night.show_id, "王芳")) == ["王芳", "王芳", "王芳芳"]
    assert pickup.find(session, night.show_id, "北门菜站") == []


def test_the_counter_reads_the_recorded_point_not_the_rule_again(session, assistant):
    # 东门自提点 is only in the column (the note says 东门自提): blank the column and the counter
    # no longer finds the order by the point, so the search reads what the writer recorded
    night = make_night(session, assistant)
    e = jielong.add_entry(session, assistant, night.greens, "老陈家", qty=1, note="东门自提", seq=8,
                          at=RELEASE + timedelta(minutes=28))
    assert names(pickup.find(session, night.show_id, "东门自提点")) == ["老陈家"]
    session.execute(ChainEntry.__table__.update().where(ChainEntry.id == e.id).values(pickup_point=None))
    assert pickup.find(session, night.show_id, "东门自提点") == []
    assert names(pickup.find(session, night.show_id, "东门自提")) == ["老陈家"]  # the note itself


# ---------------------------------------------------------------- the migration

def _backfilled(url: str) -> None:
    import db
    from tests.support import make_actor

    eng = db.connect(url)
    db.upgrade(eng)
    with db.session(eng) as s:
        night = make_night(s, make_actor(s, "assistant", "运营小王"))
        for seq, name, address, note in ((6, "李姐", "", "西门菜站"), (7, "老陈家", "9栋", "东门自提"),
                                         (8, "钱老师", "8栋", "不要葱")):
            jielong.add_entry(s, make_actor(s, "assistant", f"运营{seq}"), night.greens, name, qty=1,
                              address=address, note=note, seq=seq, at=RELEASE + timedelta(minutes=20 + seq))
    db.downgrade(eng, "buyerid_1")  # before pickup_2: no column
    with eng.connect() as conn:
        assert "pickup_point" not in {c["name"] for c in db_columns(conn)}
    db.upgrade(eng)
    with db.session(eng) as s:
        assert points_by_name(s, night.greens) == {
            "王芳": None, "李娜": "东门驿站", "果果妈": None, "Amy": None, "王芳芳": None,
            "李姐": "西门菜站", "老陈家": "东门自提点", "钱老师": None}
        assert names(pickup.find(s, night.show_id, "东门自提点")) == ["老陈家"]
    eng.dispose()


def db_columns(conn):
    from sqlalchemy import inspect

    return inspect(conn).get_columns("chain_entry")


def test_pickup_2_backfills_the_point_of_existing_entries_sqlite(tmp_path):
    _backfilled(f"sqlite:///{tmp_path / 'p2.db'}")


def test_pickup_2_backfills_the_point_of_existing_entries_postgresql():
    from tests.support import postgres_database

    with postgres_database() as url:
        _backfilled(url)
