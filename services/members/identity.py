"""Who is who: aliases (exact matches link), new members, fuzzy proposals.

A member is known by what a night gives: the name as written in the chain (plus the building
where written), the 快团团 下单人 with the phone tail, the platform viewer id of the live capture.
An exact alias match links; anything fuzzy (王芳 vs 王芳5栋, a new nickname with a known phone
tail) becomes a MemberProposal for an operator, never a silent merge (services.members.merging).

A chain line is a name and its building together (同名 is common: 妈妈, 小王, 王姐): `who_is` is the
one rule that decides which member a line is, and each line of a show keeps its decision as a
LINE alias (show id|name|address), which the tallies join on.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Member, MemberAlias, MemberProposal
from services.buildings import home_building
from services.members.labels import AliasKind, ProposalStatus
from services.sql import chunks

_SUFFIX = re.compile(r"[\s\-_·#（(]*\d.*$")


@dataclass(frozen=True)
class Person:
    """One identity a night gives: a name, and where known a building and a phone tail."""

    name: str
    building: str = ""
    phone_tail: str = ""
    address: str = ""  # the chain line's address as written (its LINE alias); '' for a viewer or a CSV row


def building_of(address: str) -> str:
    """'5栋' from '5栋 东门自提' (or '五栋', '5号楼302', '5-1201'), '' when no building is written:
    the pickup list's reading (services.buildings), so 王芳 五栋 and 王芳 5栋 are one member."""
    return home_building(address)


def base_name(name: str) -> str:
    """The name without a trailing building / room ('王芳5栋' → '王芳'); the name itself otherwise."""
    base = _SUFFIX.sub("", name).strip()
    return base or name


def tail_of(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else ""


def alias_value(kind: str, name: str = "", tail: str = "", platform: str = "", user_id: str = "") -> str:
    if kind == AliasKind.PHONE:
        return f"{name}#{tail}"[:160]
    if kind == AliasKind.VIEWER:
        return f"{platform}:{user_id}"[:160]
    return name[:160]


def line_value(show_id: int, name: str, address: str) -> str:
    """The LINE alias of a chain line (services.members.tally builds the same key in SQL)."""
    return f"{show_id}|{name}|{address}"[:160]


def owners(session: Session, community_id: int, lines: set[tuple[int, str, str]]) -> dict[tuple[int, str, str], int]:
    """The member of each chain line (show id, name, address): its LINE alias, else (a show not
    synced yet) the member its bare name links to. Lines no one answers to are left out."""
    values = {line_value(*line): line for line in lines}
    out = {values[v]: mid for v, mid in lookup(session, community_id, AliasKind.LINE, list(values)).items()}
    rest = [line for line in lines if line not in out]
    named = lookup(session, community_id, AliasKind.NAME, [name[:160] for _, name, _ in rest])
    out.update({line: named[line[1][:160]] for line in rest if line[1][:160] in named})
    return out


def names_of(session: Session, member_id: int) -> set[str]:
    """Every name a member answers to: its name aliases and the names of its chain lines."""
    rows = session.execute(select(MemberAlias.kind, MemberAlias.value).where(
        MemberAlias.member_id == member_id, MemberAlias.kind.in_((AliasKind.NAME, AliasKind.LINE)))).all()
    return {v if k == AliasKind.NAME else v.split("|", 2)[1] for k, v in rows}


@dataclass(frozen=True)
class Namesake:
    """A member a line's name may mean: its id and its building ('' when it never gave one)."""

    member_id: int
    building: str = ""


@dataclass(frozen=True)
class Verdict:
    """Who a line is: member_id (None: a new member for it), and the namesakes to offer in 身份合并
    beside it (the line's member might be any of them: merge it into the one it is, or reject)."""

    member_id: int | None
    propose: tuple[int, ...] = ()


def who_is(building: str, namesakes: Sequence[Namesake]) -> Verdict:
    """The identity rule for a chain line (its building, '' when not written) among the members
    already known by its name:
    - same name, same building → that member;
    - same name, another building → someone else: a new member (王芳（5栋） beside 王芳（12栋）);
    - no building on one side → the namesake only when exactly one member has the name; else the
      line is not guessed: it goes to the name's unresolved member (one without a building; a new one
      if none), proposed beside each namesake it could be."""
    if building:
        same = sorted(n.member_id for n in namesakes if n.building == building)
        if same:
            return Verdict(same[0])
        if len(namesakes) == 1 and not namesakes[0].building:
            return Verdict(namesakes[0].member_id)
        return Verdict(None, tuple(sorted(n.member_id for n in namesakes if not n.building)))
    if len(namesakes) == 1:
        return Verdict(namesakes[0].member_id)
    unplaced = sorted(n.member_id for n in namesakes if not n.building)
    if unplaced:
        return Verdict(unplaced[0], tuple(sorted(n.member_id for n in namesakes if n.member_id != unplaced[0])))
    return Verdict(None, tuple(sorted(n.member_id for n in namesakes)))


def lookup(session: Session, community_id: int, kind: str, values: list[str]) -> dict[str, int]:
    """value → member id for the aliases of that kind (indexed: the alias's unique key)."""
    found: dict[str, int] = {}
    for part in chunks(sorted(set(values)), 500):
        found.update(session.execute(
            select(MemberAlias.value, MemberAlias.member_id).where(
                MemberAlias.community_id == community_id, MemberAlias.kind == kind, MemberAlias.value.in_(part))
        ).all())
    return found


def add_alias(session: Session, community_id: int, kind: str, value: str, member_id: int, at: datetime) -> None:
    session.add(MemberAlias(community_id=community_id, kind=kind, value=value, member_id=member_id, created_at=at))


def new_member(session: Session, community_id: int, person: Person, at: datetime) -> Member:
    m = Member(community_id=community_id, name=person.name[:100], building=person.building[:50],
               phone_tail=person.phone_tail[:4], koc=False, created_at=at)
    session.add(m)
    session.flush()
    name = alias_value(AliasKind.NAME, person.name)
    # A namesake at another building may hold the bare name already (one member per alias): the
    # new member is then known by its chain lines (LINE aliases), its name stays the other's.
    if not lookup(session, community_id, AliasKind.NAME, [name]):
        add_alias(session, community_id, AliasKind.NAME, name, m.id, at)
    if person.phone_tail:
        add_alias(session, community_id, AliasKind.PHONE, alias_value(AliasKind.PHONE, person.name, person.phone_tail), m.id, at)
    return m


def link_people(session: Session, community_id: int, people: list[Person], at: datetime) -> tuple[dict[str, int], int]:
    """name → member id for people outside a chain (viewers, a CSV member list): a name without a
    building links by its exact alias; a building, or an unknown name, is decided by who_is (with
    proposals for the fuzzy matches). Returns the links and how many proposals were opened."""
    people = [p for p in people if p.name]
    named = lookup(session, community_id, AliasKind.NAME, [p.name for p in people if not p.building])
    _fill_in(session, [(named[p.name], p) for p in people if p.name in named and not p.building])
    todo = [p for p in people if p.building or p.name not in named]
    ids, proposals = _decide(session, community_id, todo, at)
    links = dict(named)
    for p, mid in zip(todo, ids):
        links.setdefault(p.name, mid)
    return links, proposals


def link_lines(session: Session, community_id: int, show_id: int, people: list[Person],
               at: datetime) -> tuple[dict[tuple[str, str], int], int]:
    """(name, address) → member id for a show's chain lines (one Person each): a line decided at an
    earlier sync keeps its member (an operator's merge moved it where it belongs); the others are
    decided by who_is and kept as LINE aliases. Returns the links and the proposals opened."""
    lines = {line_value(show_id, p.name, p.address): p for p in people if p.name}
    known = lookup(session, community_id, AliasKind.LINE, list(lines))
    links = {(lines[v].name, lines[v].address): mid for v, mid in known.items()}
    todo = [v for v in lines if v not in known]
    ids, proposals = _decide(session, community_id, [lines[v] for v in todo], at)
    for value, mid in zip(todo, ids):
        add_alias(session, community_id, AliasKind.LINE, value, mid, at)
        links[(lines[value].name, lines[value].address)] = mid
    return links, proposals


def _namesakes(session: Session, community_id: int, names: set[str]) -> dict[str, dict[int, str]]:
    """name → {member id: building} of the members known by each name: named so, or holding the
    name as an alias (a merged-in nickname). Merged-away members are no one's namesake."""
    out: dict[str, dict[int, str]] = {}
    for part in chunks(sorted(names), 500):
        for mid, name, building in session.execute(select(Member.id, Member.name, Member.building).where(
                Member.community_id == community_id, Member.name.in_(part), Member.merged_into_id.is_(None))):
            out.setdefault(name, {})[mid] = building
        for mid, name, building in session.execute(
            select(Member.id, MemberAlias.value, Member.building).join(MemberAlias, MemberAlias.member_id == Member.id)
            .where(MemberAlias.community_id == community_id, MemberAlias.kind == AliasKind.NAME,
                   MemberAlias.value.in_(part), Member.merged_into_id.is_(None))
        ):
            out.setdefault(name, {}).setdefault(mid, building)
    return out


def _decide(session: Session, community_id: int, people: list[Person], at: datetime) -> tuple[list[int], int]:
    """The member of each person (aligned with `people`): a known 下单人+phone tail links; else who_is
    among the name's members. Lines with a building go first, so a line without one is decided
    knowing every namesake the night gives (王芳 5栋 and 王芳 12栋 before a bare 王芳)."""
    order = sorted(range(len(people)), key=lambda i: (not people[i].building, people[i].name, people[i].building))
    tails = [alias_value(AliasKind.PHONE, p.name, p.phone_tail) for p in people if p.phone_tail]
    by_phone = lookup(session, community_id, AliasKind.PHONE, tails)
    namesakes = _namesakes(session, community_id, {p.name for p in people})
    ids, created, proposals = [0] * len(people), [], 0
    for i in order:
        p = people[i]
        known = namesakes.setdefault(p.name, {})
        phone = alias_value(AliasKind.PHONE, p.name, p.phone_tail) if p.phone_tail else None
        verdict = Verdict(by_phone[phone]) if phone in by_phone else who_is(
            p.building, [Namesake(mid, b) for mid, b in known.items()])
        if verdict.member_id is None:
            m = new_member(session, community_id, p, at)
            created.append(m)
            if phone:
                by_phone[phone] = m.id
        mid = verdict.member_id or created[-1].id
        known[mid] = known.get(mid) or p.building  # a building written tonight fills an empty one (_fill_in)
        for namesake in verdict.propose:
            proposals += open_proposal(session, community_id, namesake, mid, "namesake", at)
        ids[i] = mid
    _fill_in(session, list(zip(ids, people)))
    session.flush()
    for m in created:
        proposals += propose_for(session, m, at)
    return ids, proposals


def _fill_in(session: Session, pairs: list[tuple[int, Person]]) -> None:
    """Where a known member has no building / phone tail yet and tonight gives one, keep it."""
    wanted = {mid: p for mid, p in pairs if p.building or p.phone_tail}
    for part in chunks(sorted(wanted), 500):
        for m in session.scalars(select(Member).where(Member.id.in_(part),
                                                      or_(Member.building == "", Member.phone_tail == ""))):
            p = wanted[m.id]
            m.building = m.building or p.building[:50]
            m.phone_tail = m.phone_tail or p.phone_tail[:4]


def propose_for(session: Session, m: Member, at: datetime) -> int:
    """Open proposals for a new member: same name but a building written into it, or the same
    phone tail under another name. Returns how many were opened."""
    cands: dict[int, str] = {}
    base = base_name(m.name)
    if base != m.name:
        for mid in lookup(session, m.community_id, AliasKind.NAME, [base]).values():
            cands[mid] = "building"
    like = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    for value, mid in session.execute(
        select(MemberAlias.value, MemberAlias.member_id).where(
            MemberAlias.community_id == m.community_id, MemberAlias.kind == AliasKind.NAME,
            MemberAlias.value.like(like, escape="\\"), MemberAlias.value != m.name).limit(20)
    ):
        if base_name(value) == base:
            cands.setdefault(mid, "building")
    if m.phone_tail:
        for mid in session.scalars(select(Member.id).where(
                Member.community_id == m.community_id, Member.phone_tail == m.phone_tail,
                Member.merged_into_id.is_(None), Member.id != m.id).limit(20)):
            cands.setdefault(mid, "phone")
    cands.pop(m.id, None)
    elsewhere = _elsewhere(session, m, [mid for mid, reason in cands.items() if reason == "building"])
    return sum(open_proposal(session, m.community_id, mid, m.id, reason, at) for mid, reason in cands.items()
               if mid not in elsewhere)


def _elsewhere(session: Session, m: Member, ids: list[int]) -> set[int]:
    """The candidates living at another building than m: 王芳5栋 is not 王芳（12栋） (who_is's rule)."""
    if not m.building or not ids:
        return set()
    return set(session.scalars(select(Member.id).where(
        Member.id.in_(ids), Member.building != "", Member.building != m.building)))


def open_proposal(session: Session, community_id: int, keep_id: int, other_id: int, reason: str, at: datetime) -> bool:
    """A proposal to merge other into keep, unless the pair (either way round) was proposed before."""
    pair = or_(
        (MemberProposal.member_id == keep_id) & (MemberProposal.other_id == other_id),
        (MemberProposal.member_id == other_id) & (MemberProposal.other_id == keep_id),
    )
    if session.scalar(select(MemberProposal.id).where(pair).limit(1)) is not None:
        return False
    session.add(MemberProposal(community_id=community_id, member_id=keep_id, other_id=other_id, reason=reason,
                               status=ProposalStatus.OPEN, moved=[], created_at=at))
    return True
