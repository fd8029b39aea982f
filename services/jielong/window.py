"""Which entries a chain intake touches (issue 19 #4): a paste is diffed against the entries it
names, not against the whole deal, so its cost follows the lines pasted.

Loaded for a paste: the entries of the buyers it names (their keys derive from the names, and a
cancel line needs the buyer's latest entry), the entries of its explicit keys (an export's
跟团号), the manual entries of the same people (see plan.identity), and, when it flags missing
lines, the entries numbered from its first line on. A paste without line numbers cannot say
where it starts, so it is compared with every entry, as a full chain.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ChainEntry as EntryRow
from db.models import Deal, DealBuyer
from services.jielong.parser import key_name
from services.jielong.plan import TALLY_KEYS, Incoming, Scope, Tallies, Work, identity, load
from services.sql import chunks

CHUNK = 500  # bound parameters per IN list, far below SQLite's and PostgreSQL's limits


def deal_tallies(deal: Deal) -> dict:
    return {k: getattr(deal, k) or 0 for k in TALLY_KEYS}


def buyer_tallies(session: Session, deal_id: int, names: set[str]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for chunk in chunks(sorted(names), CHUNK):
        q = select(DealBuyer.name, DealBuyer.valid_entries, DealBuyer.valid_units).where(
            DealBuyer.deal_id == deal_id, DealBuyer.name.in_(chunk)
        )
        out.update({n: (e or 0, u or 0) for n, e, u in session.execute(q)})
    return out


def _load_touched(session: Session, deal_id: int, names: set[str], keys: set[str], from_seq: int | None,
                  sources) -> list[Work]:
    found: dict[int, Work] = {}
    for chunk in chunks(sorted(names), CHUNK):
        found.update((w.id, w) for w in load(session, deal_id, EntryRow.buyer_name.in_(chunk)))
    for chunk in chunks(sorted(keys), CHUNK):
        found.update((w.id, w) for w in load(session, deal_id, EntryRow.line_key.in_(chunk)))
    if sources and from_seq is not None:
        window = load(session, deal_id, EntryRow.seq >= from_seq, EntryRow.source.in_(sorted(sources)),
                      EntryRow.missing.is_(False))
        found.update((w.id, w) for w in window)
    return sorted(found.values(), key=lambda w: w.id)


def _offsets(existing: list[Work], from_seq: int | None) -> dict[str, int]:
    """Each buyer's lines in the current chain numbered before the paste's first line, so a line
    gets the key a paste of the whole chain would give it. An entry flagged missing (cancelled
    or not, see plan.flag_missing) is in no current chain, its seq that of an older one:
    counting it would key her later line `#2` here and `#1` in a full paste or a paste starting
    before it, which then flags one of the two as missing. A cancelled line still in the chain
    ("3. 王芳 1份 取消", or cancelled in the console) counts, as it does in a full paste."""
    if not from_seq or from_seq <= 1:
        return {}
    return dict(Counter(
        w.buyer_name for w in existing
        if w.seq is not None and w.seq < from_seq and not w.missing and w.key.startswith(w.buyer_name + "#")
    ))


def scope_of(session: Session, deal: Deal, incoming: Incoming, sources) -> tuple[list[Work], Scope]:
    """(the entries the paste touches, its Scope), or every entry when it cannot be narrowed."""
    seqs = [e.seq for _, e in incoming if e.seq is not None]
    from_seq = min(seqs) if seqs else None
    if from_seq is None and sources:
        return load(session, deal.id), Scope()
    names = {key_name(e.name)[:100] for _, e in incoming} - {""}
    people = names | {identity(key_name(e.name), e.address)[:100] for _, e in incoming if e.name}
    keys = {k for k, _ in incoming if k}
    existing = _load_touched(session, deal.id, people, keys, from_seq, sources)
    tallies = Tallies(deal_tallies(deal), buyer_tallies(session, deal.id, names))
    return existing, Scope(offsets=_offsets(existing, from_seq), from_seq=from_seq, tallies=tallies)
