"""The 源味集 community's earlier weekly 《农场主来了》 nights (第1期 … 第8期, one a week before the
seed night), so that returning buyers, KOCs and cohorts show real numbers on a fresh start.

Each earlier night is written compactly through the services (show, deals, release, one pasted
chain per deal, two viewer samples, end, the next morning's hand-overs): no comments, no promises. The people are the seed
night's own community (the same 300 names; its 10 KOCs enter first every week); 亲亲宝贝's
members are another community and never appear here. The seed night itself is untouched.
"""
from __future__ import annotations

import random
import zlib
from datetime import timedelta

from sqlalchemy.orm import Session

from services import jielong, live, members, pickup, shows
from services.authz import SYSTEM
from services.demo import nights as dn

WEEKS = 8
KOCS = 10
NEVER_CAME = 3  # last week's orders still waiting at the counter
_SEED = 20260206  # the seed night's rng seed: community_names(Random(_SEED), 300) are its members


def seed_people(night: dn.Night) -> tuple[list[str], list[str], set[str]]:
    """(the community's names, its KOCs: the first entries of the main chain, the night's buyers)."""
    names = dn.community_names(random.Random(_SEED), night.member_count)
    lines = [b for _, b in night.beats if isinstance(b, dn.Line)]
    main = sorted((ln for ln in lines if ln.deal == night.main_deal.key), key=lambda ln: ln.seq)
    kocs = [ln.name for ln in main[:KOCS]]
    assert set(kocs) <= set(names), "the seed night's names changed: update services.demo.weeks"
    return names, kocs, {ln.name for ln in lines}


def week_buyers(night: dn.Night) -> dict[int, list[str]]:
    """weeks ago → buyers that week (KOCs first). Pure: the same lists on every start."""
    names, kocs, tonight = seed_people(night)
    rng = random.Random(20260130)
    first, last = {}, {}
    for n in names:
        if n in kocs:
            first[n], last[n] = WEEKS, 1
        elif n in tonight:  # 3 in 10 of tonight's buyers order for the first time tonight
            first[n] = 0 if rng.random() < 0.3 else rng.randint(1, WEEKS)
            last[n] = 1
        else:  # the others: some bought for a while and went quiet, some never bought
            first[n] = rng.randint(2, WEEKS) if rng.random() < 0.5 else 0
            last[n] = rng.randint(1, first[n]) if first[n] else 0
    out: dict[int, list[str]] = {}
    for week in range(WEEKS, 0, -1):
        regular = [n for n in names if n not in kocs and first[n] >= week >= last[n] > 0
                   and (week == first[n] or rng.random() < (0.6 if n in tonight else 0.45))]
        out[week] = list(kocs) + regular
    return out


def load_earlier_weeks(session: Session, night: dn.Night | None = None) -> list[int]:
    """Write the earlier weekly nights (oldest first); returns their show ids."""
    night = night or dn.yuanweiji()
    seed_start = dn_start(night)
    rng = random.Random(20260131)
    home = homes(night)
    ids = []
    for week, buyers in sorted(week_buyers(night).items(), reverse=True):
        start = seed_start - timedelta(weeks=week)
        ids.append(_write_week(session, night, WEEKS - week + 1, start, buyers, rng, home))
    for show_id in ids:  # handed over the next morning; last week's last few never came (yet)
        pickup.replay_week_pickups(session, show_id, never_came=NEVER_CAME if show_id == ids[-1] else 0)
    return ids


def dn_start(night: dn.Night):
    from services.demo.writer import night_start  # writer imports this module

    return night_start(night)


def _write_week(session: Session, night: dn.Night, n: int, start, buyers: list[str], rng: random.Random,
                home: dict[str, str]) -> int:
    from services.demo.writer import chain_line, create_deals

    form = shows.ShowForm(f"{night.title}第{n}期", night.community, night.member_count, night.host,
                          start, start + timedelta(minutes=night.duration_min))
    show = shows.create_show(session, SYSTEM, form)
    show.created_at = start - timedelta(days=1)
    shows.start_show(session, SYSTEM, show.id, at=start)
    deal_ids = create_deals(session, SYSTEM, night, show.id, start, created_at=start - timedelta(hours=3))
    viewers = min(night.member_count - 10, len(buyers) + rng.randint(50, 80))
    live.record_viewers(session, SYSTEM, show.id, viewers // 3, viewers // 2, at=start + timedelta(minutes=20))
    live.record_viewers(session, SYSTEM, show.id, viewers // 2, viewers, at=start + timedelta(minutes=50))
    main, eggs = night.main_deal, night.deal("eggs")
    for plan, who in ((main, buyers), (eggs, [b for b in buyers if rng.random() < 0.25])):
        released = start + timedelta(seconds=plan.release_s)
        jielong.release(session, deal_ids[plan.key], SYSTEM, at=released)
        if who:
            lines = [dn.Line(plan.key, i, name, 2 if rng.random() < 0.2 else 1, "", *_address(rng, name, home))
                     for i, name in enumerate(who, 1)]
            jielong.apply_paste(session, SYSTEM, deal_ids[plan.key], "\n".join(chain_line(ln) for ln in lines),
                                at=released + timedelta(minutes=8))
    for deal_id in deal_ids.values():
        jielong.check_outcomes(session, deal_id, now=start + timedelta(hours=2))
    shows.end_show(session, SYSTEM, show.id, at=start + timedelta(minutes=night.duration_min))
    return show.id


def homes(night: dn.Night) -> dict[str, str]:
    """name → the building the seed night's chain gives them (a neighbour does not move each week)."""
    lines = (b for _, b in night.beats if isinstance(b, dn.Line))
    return {ln.name: members.building_of(ln.address) for ln in lines if members.building_of(ln.address)}


def _address(rng: random.Random, name: str, home: dict[str, str]) -> tuple[str, str]:
    rng.randint(1, 18)  # drawn all the same: the weeks' other choices stay as they were
    return home.get(name) or f"{zlib.crc32(name.encode()) % 18 + 1}栋", ""


def mark_kocs_and_sync(session: Session, show_ids: list[int], night: dn.Night | None = None) -> None:
    """Link every demo night's people to members (oldest first) and mark the seed night's KOCs."""
    for show_id in show_ids:
        members.sync_show(session, SYSTEM, show_id)
    night = night or dn.yuanweiji()
    _, kocs, _ = seed_people(night)
    home = homes(night)
    for row in members.members(session, shows.get_show(session, show_ids[-1]).community_id, limit=1000):
        # a KOC's namesake at another building is someone else (members.who_is): the KOC is the one at home
        if row["name"] in kocs and row["building"] == home.get(row["name"], row["building"]):
            members.set_koc(session, SYSTEM, row["id"])
