"""Badges off the night's usual path (services.members.badging): an older show looked at after
later ones, a member answering to two names, and a show whose earlier nights are not synced."""
from __future__ import annotations

from services import members
from tests.services.test_members import member_of, night


def test_an_older_show_shows_the_badges_as_they_were_that_night(session, admin):
    s0 = night(session, admin, 0, [("王芳", 1, "10"), ("售后妈", 1, "10")])
    s1 = night(session, admin, 1, [("王芳", 1, "10")])
    night(session, admin, 2, [("王芳", 1, "10"), ("李娜", 1, "10")])
    got = members.member_badges(session, s1, ["王芳", "李娜", "售后妈"])
    assert (got["王芳"].codes, got["王芳"].shows_bought) == (["returning"], 2)  # not 3: week 2 came later
    assert got["李娜"].codes == ["new"]  # her first order was after that night
    assert got["售后妈"].codes == []
    assert members.badges(session, s0, ["王芳"]) == {"王芳": ["new"]}


def test_two_names_of_one_member_buying_in_one_show_count_that_show_once(session, admin):
    night(session, admin, 0, [("王芳", 1, "10")])
    night(session, admin, 1, [("王芳5栋", 1, "10")])
    night(session, admin, 2, [("王芳", 1, "10"), ("王芳5栋", 1, "10")], sync=False)  # not synced: read live
    cid = member_of(session, "王芳").community_id
    (p,) = members.proposals(session, cid)
    members.confirm(session, admin, p["id"])
    tonight = night(session, admin, 3, [("路人", 1, "10")], end=False)
    b = members.member_badges(session, tonight, ["王芳5栋"])["王芳5栋"]
    assert (b.codes, b.shows_bought) == (["returning"], 3)
