"""A chain re-posted in the paste: in a WeChat group every member who joins posts the whole
接龙 again, so a copied stretch of chat holds the chain several times, each copy the earlier
one plus the newcomers (and any line its member changed). A person reads the last copy only.
A member may also re-post just their own line to change it (`3. 张三 3份` after the list):
that line replaces theirs.

A copy is a run of numbered entries; a new run starts where the numbers go back. Its title is
the header text above it (chat sender lines `张三 12:01` left out). A later run supersedes an
earlier one when it starts with the same numbers and the same people in the same order and is
at least as long, and either both have the same title (one's lines all in the other's: chat
replies copied above a re-post add lines), or neither title tells (one is empty)
and the earlier run has two entries at least (two chains that merely open with the same 团长
stay apart). Runs under two different titles (lunch and dinner, two routes) are two chains and
keep all their entries. Under the same title a later run also supersedes an earlier one that
shares most of its people in any order: a member who withdrew is gone from the re-post and
WeChat numbers the rest anew. A shorter later run with no title of its own, not starting at 1, whose
every (number, person) is in an earlier run, edits those lines when it changes their quantity
or cancels them; a line repeated as it was changes nothing and both stay as read."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from services.jielong import chat

if TYPE_CHECKING:
    from services.jielong.parser import ChainEntry


NEAR = 30  # how many runs back a later run is compared with


def title(header_lines: list[str]) -> tuple[str, ...]:
    """The header text above a run of entries, as compared between copies."""
    return tuple(s for line in header_lines if (s := line.strip()) and not chat.is_sender_line(s))


def _runs(entries: list[ChainEntry]) -> list[list[int]]:
    """Indexes of the numbered entries, split where the numbers go back."""
    runs: list[list[int]] = []
    last = None
    for i, e in enumerate(entries):
        if e.seq is None:
            continue
        if last is None or e.seq <= last:
            runs.append([])
        runs[-1].append(i)
        last = e.seq
    return runs


def drop_superseded(entries: list[ChainEntry], key: Callable[[str], str],
                    titles: list[tuple[str, ...]]) -> list[ChainEntry]:
    """The entries without those a later copy of the chain (or a re-posted line) replaces.
    `key` reads a name as the same person (parser.key_name); `titles[i]` is entry i's title."""
    runs = _runs(entries)
    if len(runs) < 2:
        return entries
    ids = [[(entries[i].seq, key(entries[i].name)) for i in run] for run in runs]
    heads = [titles[run[0]] for run in runs]
    dropped: set[int] = set()
    for j in range(1, len(runs)):
        later = ids[j]
        for k in range(max(0, j - NEAR), j):  # a re-post follows its copy closely; bounded work
            earlier = [p for p, i in zip(ids[k], runs[k]) if i not in dropped]
            same = _same_title(heads[k], heads[j])
            copied = same is not False and len(later) >= len(earlier) and later[: len(earlier)] == earlier
            if earlier and ((copied and (same or len(earlier) >= 2)) or (same and _most_kept(earlier, later))):
                dropped.update(i for i in runs[k] if i not in dropped)  # the whole copy, re-posted
            elif not heads[j] and later[0][0] != 1 and len(later) < len(ids[k]) and set(later) <= set(ids[k]):
                dropped.update(_edited(entries, runs[k], runs[j], key))  # a line re-posted
    return [e for i, e in enumerate(entries) if i not in dropped] if dropped else entries


def _most_kept(earlier: list[tuple], later: list[tuple]) -> bool:
    """Whether most people of the earlier copy are in the later one (a member who withdrew is
    gone from it and WeChat numbers the rest anew)."""
    names = {name for _, name in later}
    return sum(1 for _, name in earlier if name in names) * 2 > len(earlier)


def _same_title(a: tuple[str, ...], b: tuple[str, ...]) -> bool | None:
    """Whether two runs are under one title (one's header lines all in the other's: chat
    replies copied above a re-post add lines), None when either has none."""
    if not a or not b:
        return None
    return set(a) <= set(b) or set(b) <= set(a)


def _edited(entries: list[ChainEntry], earlier: list[int], later: list[int], key: Callable[[str], str]) -> list[int]:
    """The earlier lines a re-posted line changes (its quantity or a cancel)."""
    again = {(entries[j].seq, key(entries[j].name)): entries[j] for j in later}
    out = []
    for i in earlier:
        new = again.get((entries[i].seq, key(entries[i].name)))
        if new is not None and (new.qty, new.cancelled) != (entries[i].qty, entries[i].cancelled):
            out.append(i)
    return out
