"""A chain re-posted in the paste: in a WeChat group every member who joins posts the whole
接龙 again, so a copied stretch of chat holds the chain several times, each copy the earlier
one plus the newcomers (and any line its member changed). A person reads the last copy only.
A member may also re-post just their own line to change it (`3. 张三 3份` after the list):
that line replaces theirs.

A copy is a run of numbered entries; a new run starts where the numbers go back. A later run
supersedes an earlier one when it starts with the same numbers and the same people in the
same order and is at least as long (two entries at least, so two chains that merely open
with the same 团长 stay apart); a shorter later run not starting at 1 whose every (number,
person) is in an earlier run edits those lines. Two different chains (lunch and dinner, two
routes) list other people and keep all their entries."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.jielong.parser import ChainEntry


def _runs(entries: list[ChainEntry]) -> list[list[int]]:
    """Indexes of the numbered entries, split where the numbers go back."""
    runs: list[list[int]] = []
    last = None
    for i, e in enumerate(entries):
        if e.seq is None:
            continue
        if last is None or e.seq <= last or not runs:
            runs.append([])
        runs[-1].append(i)
        last = e.seq
    return runs


def drop_superseded(entries: list[ChainEntry], key) -> list[ChainEntry]:
    """The entries without those a later copy of the chain (or a re-posted line) replaces.
    `key` reads a name as the same person (parser.key_name)."""
    runs = _runs(entries)
    if len(runs) < 2:
        return entries
    ids = [[(entries[i].seq, key(entries[i].name)) for i in run] for run in runs]
    dropped: set[int] = set()
    for j in range(1, len(runs)):
        later = ids[j]
        for k in range(j):
            earlier = [p for p, i in zip(ids[k], runs[k]) if i not in dropped]
            if len(earlier) >= 2 and len(later) >= len(earlier) and later[: len(earlier)] == earlier:
                dropped.update(i for i in runs[k] if i not in dropped)  # the whole copy, re-posted
            elif later[0][0] != 1 and len(later) < len(ids[k]) and set(later) <= set(ids[k]):
                dropped.update(_edited(entries, runs[k], runs[j], key))  # a line re-posted
    return [e for i, e in enumerate(entries) if i not in dropped] if dropped else entries


def _edited(entries: list[ChainEntry], earlier: list[int], later: list[int], key) -> list[int]:
    """The earlier lines a re-posted line changes (its quantity or a cancel); a line repeated
    as it was changes nothing and both stay as read."""
    again = {(entries[j].seq, key(entries[j].name)): entries[j] for j in later}
    out = []
    for i in earlier:
        new = again.get((entries[i].seq, key(entries[i].name)))
        if new is not None and (new.qty, new.cancelled) != (entries[i].qty, entries[i].cancelled):
            out.append(i)
    return out
