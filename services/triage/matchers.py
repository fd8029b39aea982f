"""The matcher a comment batch groups with: a show's open question groups held in memory
(services.triage.rules.Matcher), reused across batches of the same process while valid."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Event, QuestionGroup
from services.triage import lexicon
from services.triage.labels import OPEN_STATUSES, QuestionStatus
from services.shows import deal_in_focus
from services.triage.rules import Matcher

OPEN_GROUPS_IN_MEMORY = 5000  # newest open (and answered) groups a batch matches against
_MAX_CACHED_SHOWS = 8


class GroupRef:
    """One question group as the matcher knows it (id None until inserted)."""

    __slots__ = ("id", "category", "signature", "text", "status", "tentative")

    def __init__(self, gid: int | None, category: str, sig: str, text: str = "", status: str = "new",
                 tentative: bool | None = None) -> None:
        self.id, self.category, self.signature, self.text = gid, category, sig, text
        self.status = status  # "answered": a comment that joins it reopens it (intake)
        self.tentative = tentative  # an unsure reading a sure question may replace (intake); None: not known yet


@dataclass
class MatcherCache:
    """A show's open groups in a Matcher. It stays valid while the show's newest event is the
    one this process logged for its own last batch (identified by a random nonce): any queue
    action, any other writer, a rolled-back batch or a wiped database all make it stale, and
    the next batch rebuilds it from the database."""

    key: tuple
    matcher: Matcher
    fingerprint: tuple = ()
    lexicon_version: tuple = ()
    focus: str = ""


_MATCHERS: dict[tuple, MatcherCache] = {}
_MATCHERS_LOCK = threading.Lock()


def _fingerprint(session: Session, show_id: int) -> tuple:
    row = session.execute(
        select(Event.id, Event.kind, Event.payload).where(Event.show_id == show_id).order_by(Event.id.desc()).limit(1)
    ).first()
    if row is None or row.kind != "comments.ingested":
        return ()
    return (row.id, (row.payload or {}).get("batch"))


def take(session: Session, show_id: int) -> MatcherCache:
    """The show's cached matcher if still valid, else one rebuilt from the open groups.

    The entry is taken out of the cache for the duration of the batch (and put back by
    `give_back` once the batch is logged), so two concurrent batches in one process never
    share a matcher: the second one simply rebuilds its own from the database."""
    key = (str(session.get_bind().url), show_id)
    lex_version = lexicon.active().version
    with _MATCHERS_LOCK:
        cache = _MATCHERS.pop(key, None)
    focus = focus_product(session, show_id)
    if cache is not None and cache.fingerprint and cache.lexicon_version == lex_version and cache.focus == focus:
        if cache.fingerprint == _fingerprint(session, show_id):
            return cache
    matcher = Matcher(focus)
    # open groups, and answered ones: a question asked again after its answer reopens its group
    groups = session.execute(
        select(QuestionGroup.id, QuestionGroup.category, QuestionGroup.signature, QuestionGroup.status, QuestionGroup.text)
        .where(
            QuestionGroup.show_id == show_id,
            QuestionGroup.status.in_((*OPEN_STATUSES, QuestionStatus.ANSWERED)),
            QuestionGroup.merged_into_id.is_(None),
        )
        .order_by(QuestionGroup.last_seen.desc(), QuestionGroup.id.desc())
        .limit(OPEN_GROUPS_IN_MEMORY)
    ).all()
    for gid, cat, sig, status, text in reversed(groups):
        matcher.add(cat, sig, GroupRef(gid, cat, sig, text, status=status))
    return MatcherCache(key, matcher, lexicon_version=lex_version, focus=focus)


def focus_product(session: Session, show_id: int) -> str:
    """The product of the deal in focus, once released (the host is selling it now): before any
    release a bare 多少钱 stays apart from every product's group."""
    deal = deal_in_focus(session, show_id, released_only=True)
    return deal.product if deal is not None else ""


def give_back(cache: MatcherCache) -> None:
    with _MATCHERS_LOCK:
        if len(_MATCHERS) >= _MAX_CACHED_SHOWS:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        _MATCHERS[cache.key] = cache
