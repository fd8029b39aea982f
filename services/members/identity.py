"""Who is who: aliases (exact matches link), new members, fuzzy proposals.

A member is known by what a night gives: the name as written in the chain (plus the building
where written), the 快团团 下单人 with the phone tail, the platform viewer id of the live capture.
An exact alias match links; anything fuzzy (王芳 vs 王芳5栋, a new nickname with a known phone
tail) becomes a MemberProposal for an operator, never a silent merge (services.members.merging).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Member, MemberAlias, MemberProposal
from services.members.labels import AliasKind, ProposalStatus
from services.sql import chunks

_BUILDING = re.compile(r"(\d{1,3})\s*(?:栋|号楼|幢|座)")
_SUFFIX = re.compile(r"[\s\-_·#（(]*\d.*$")


@dataclass(frozen=True)
class Person:
    """One identity a night gives: a name, and where known a building and a phone tail."""

    name: str
    building: str = ""
    phone_tail: str = ""


def building_of(address: str) -> str:
    """'5栋' from '5栋 东门自提', '' when no building is written."""
    m = _BUILDING.search(address or "")
    return f"{m.group(1)}栋" if m else ""


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
    add_alias(session, community_id, AliasKind.NAME, alias_value(AliasKind.NAME, person.name), m.id, at)
    if person.phone_tail:
        add_alias(session, community_id, AliasKind.PHONE, alias_value(AliasKind.PHONE, person.name, person.phone_tail), m.id, at)
    return m


def link_people(session: Session, community_id: int, people: list[Person], at: datetime) -> tuple[dict[str, int], int]:
    """name → member id for each person: linked by an exact alias, else a new member (with
    proposals for the fuzzy matches). Returns the links and how many proposals were opened."""
    by_name = {p.name: p for p in people if p.name}
    links = lookup(session, community_id, AliasKind.NAME, list(by_name))
    phones = {alias_value(AliasKind.PHONE, p.name, p.phone_tail): p for p in by_name.values() if p.phone_tail}
    known_phones = lookup(session, community_id, AliasKind.PHONE, list(phones))
    proposals = 0
    for value, member_id in known_phones.items():
        links.setdefault(phones[value].name, member_id)
    created = []
    for name in sorted(set(by_name) - set(links)):
        m = new_member(session, community_id, by_name[name], at)
        links[name] = m.id
        created.append(m)
    _fill_in(session, [(links[n], p) for n, p in by_name.items() if n in links])
    session.flush()
    for m in created:
        proposals += propose_for(session, m, at)
    return links, proposals


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
    return sum(open_proposal(session, m.community_id, mid, m.id, reason, at) for mid, reason in cands.items())


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
