"""Typed SQLAlchemy models for one live-stream night and everything around it.

Datetimes are naive and mean wall-clock time in the app's time zone (services.clock),
which is what every operator and every article in this domain speaks in.
Tally columns (deal.units_valid, show.buyers, ...) are kept up to date in the same
transaction as the writes they count, so the live pages never scan big tables.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


# Valid SQL on SQLite and PostgreSQL alike: the last 4 characters of chain_entry.phone.
PHONE_TAIL_SQL = "substr(phone, length(phone) - 3)"


class Operator(Base):
    __tablename__ = "operator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # admin / assistant / host / reviewer
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuthToken(Base):
    """A login session (kind 'session') or a read-only host link (kind 'host_link').

    Only the SHA-256 of the token is stored; the token itself lives in the browser.
    """

    __tablename__ = "auth_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    operator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    show_id: Mapped[Optional[int]] = mapped_column(ForeignKey("show.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # A session's last activity (written at most once a minute): the idle timeout counts from it.
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class LoginThrottle(Base):
    """Failed-login counts per key (a name from one source, or a source), shared by every server
    process; see services/throttle.py. Keys are SHA-256 digests: no typed name is stored."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_hash: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Community(Base):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    member_count: Mapped[int] = mapped_column(Integer)


class Show(Base):
    __tablename__ = "show"
    # One show per title and start (services.shows.check_unique); the index decides when two
    # clicks on 保存场次 arrive at the same instant.
    __table_args__ = (Index("uq_show_title_start", "title", "scheduled_start", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    host_name: Mapped[str] = mapped_column(String(64))
    scheduled_start: Mapped[datetime] = mapped_column(DateTime)
    scheduled_end: Mapped[datetime] = mapped_column(DateTime)
    actual_start: Mapped[Optional[datetime]] = mapped_column(DateTime)
    actual_end: Mapped[Optional[datetime]] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="planned")  # planned / live / ended
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Running tallies, written with the rows they count.
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The deal the assistant put on the host screen (None: the last released one). No foreign
    # key: a deal deleted later leaves a stale id, which the snapshot ignores.
    host_deal_id: Mapped[Optional[int]] = mapped_column(Integer)
    viewers_online: Mapped[int] = mapped_column(Integer, default=0)
    viewers_peak: Mapped[int] = mapped_column(Integer, default=0)
    viewers_cumulative: Mapped[int] = mapped_column(Integer, default=0)
    comments_total: Mapped[int] = mapped_column(Integer, default=0)
    chatter_total: Mapped[int] = mapped_column(Integer, default=0)
    commenters: Mapped[int] = mapped_column(Integer, default=0)
    buyers: Mapped[int] = mapped_column(Integer, default=0)
    # A rehearsal (彩排): the simulator may write into it; the review's comparison leaves it out.
    rehearsal: Mapped[bool] = mapped_column(Boolean, default=False)

    community: Mapped[Community] = relationship(lazy="joined")
    deals: Mapped[list["Deal"]] = relationship(back_populates="show", order_by="Deal.id")


class Deal(Base):
    __tablename__ = "deal"

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), index=True)
    product: Mapped[str] = mapped_column(String(200))
    selling_points: Mapped[str] = mapped_column(Text, default="")
    spec_options: Mapped[str] = mapped_column(String(500), default="")  # comma separated
    group_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    original_price: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2))
    threshold: Mapped[int] = mapped_column(Integer)
    # "units" (份) or "people" (人): services.jielong.ThresholdUnit. Migration 0002 widened the
    # column on PostgreSQL; SQLite ignores VARCHAR lengths, and widening there would rebuild the
    # table every chain entry references, so its declared type stays VARCHAR(4).
    threshold_unit: Mapped[str] = mapped_column(String(16).with_variant(String(4), "sqlite"), default="units")
    stock: Mapped[Optional[int]] = mapped_column(Integer)  # None: unlimited
    per_person_limit: Mapped[Optional[int]] = mapped_column(Integer)
    perk_first_n: Mapped[Optional[int]] = mapped_column(Integer)
    perk_text: Mapped[str] = mapped_column(String(200), default="")
    delivery_text: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[Optional[datetime]] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    released_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    released_by: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    reached_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    sold_out_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    failed_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    # Running tallies over chain entries.
    entries_valid: Mapped[int] = mapped_column(Integer, default=0)
    units_valid: Mapped[int] = mapped_column(Integer, default=0)
    entries_waitlisted: Mapped[int] = mapped_column(Integer, default=0)
    units_waitlisted: Mapped[int] = mapped_column(Integer, default=0)
    buyers_valid: Mapped[int] = mapped_column(Integer, default=0)
    # Valid entries flagged 超出限购 or 最新接龙中缺失 (counted above, shown apart: to be checked),
    # and the money of the valid entries: unflagged in gmv_valid, flagged in gmv_flagged.
    entries_flagged: Mapped[int] = mapped_column(Integer, default=0)
    units_flagged: Mapped[int] = mapped_column(Integer, default=0)
    gmv_valid: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    gmv_flagged: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=0)
    # A price per spec where the specs differ ({"10斤装": "69.90"}); a spec not named: group_price.
    spec_prices: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    # 限量 per spec where the seller has it ({"10斤装": 20}); entries beyond it are flagged over_stock.
    spec_stock: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)

    show: Mapped[Show] = relationship(back_populates="deals")


class ChainEntry(Base):
    __tablename__ = "chain_entry"
    __table_args__ = (
        UniqueConstraint("deal_id", "line_key", name="uq_chain_entry_line"),
        Index("ix_chain_entry_deal_status_seq", "deal_id", "status", "seq"),
        Index("ix_chain_entry_deal_created", "deal_id", "created_at"),
        Index("ix_chain_entry_deal_buyer", "deal_id", "buyer_name"),
        Index("ix_chain_entry_deal_updated", "deal_id", "updated_at"),  # what changed since (services.promises)
        Index("ix_chain_entry_deal_point", "deal_id", "pickup_point"),  # the counter's 「西门菜站」 (services.pickup)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"))
    line_key: Mapped[str] = mapped_column(String(64))  # natural key: makes a re-paste idempotent
    seq: Mapped[Optional[int]] = mapped_column(Integer)
    buyer_name: Mapped[str] = mapped_column(String(100))
    qty: Mapped[int] = mapped_column(Integer, default=1)
    spec: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(String(200), default="")  # building / room / pickup point
    # The pickup point the address or note names (services.places.pickup_point: 西门菜站, 东门自提点,
    # 到店自提), NULL when none; written with the address and note by every chain writer
    # (services.jielong.intake), so the counter matches it in SQL instead of reading the chain.
    pickup_point: Mapped[Optional[str]] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(32), default="")
    amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2))
    unit_price: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2))  # its spec's price, when it has one
    # The phone's last 4 characters, computed by the database and indexed (see the end of this file):
    # the counter finds an order by 手机尾号 without scanning the chain.
    phone_tail: Mapped[Optional[str]] = mapped_column(String(4), Computed(PHONE_TAIL_SQL))
    source: Mapped[str] = mapped_column(String(16), default="paste")  # paste / import / manual / simulator
    status: Mapped[str] = mapped_column(String(16), default="valid")  # valid / cancelled / waitlisted
    over_limit: Mapped[bool] = mapped_column(Boolean, default=False)
    missing: Mapped[bool] = mapped_column(Boolean, default=False)  # absent from the latest paste
    over_stock: Mapped[bool] = mapped_column(Boolean, default=False)  # beyond its spec's 限量 (Deal.spec_stock)
    raw_line: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ShowBuyer(Base):
    """One row per (show, buyer name, building): keeps show.buyers exact without DISTINCT scans.
    A person on the night is a name and the building the chain line names ('' when none): 王芳 5栋
    and 王芳 12栋 are two rows. kept_entries: the valid entries in deals that did not fail (未成团
    is refunded); show.buyers counts the people with one (services.jielong.buyers.people_of)."""

    __tablename__ = "show_buyer"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    building: Mapped[str] = mapped_column(String(50), primary_key=True, default="", server_default="")
    valid_entries: Mapped[int] = mapped_column(Integer, default=0)
    kept_entries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DealBuyer(Base):
    """One row per (deal, buyer name): per-person limits and deal.buyers_valid."""

    __tablename__ = "deal_buyer"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    valid_entries: Mapped[int] = mapped_column(Integer, default=0)
    valid_units: Mapped[int] = mapped_column(Integer, default=0)


class DealMinute(Base):
    """Entries and units per deal per minute: feeds rates and charts without scans."""

    __tablename__ = "deal_minute"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)


class ShowMinute(Base):
    """Comments, questions and entries per show per minute, for the timeline."""

    __tablename__ = "show_minute"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    order_intent: Mapped[int] = mapped_column(Integer, default=0)
    entries: Mapped[int] = mapped_column(Integer, default=0)


class ViewerSample(Base):
    __tablename__ = "viewer_sample"
    __table_args__ = (Index("ix_viewer_sample_show_at", "show_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    online: Mapped[int] = mapped_column(Integer)
    cumulative: Mapped[int] = mapped_column(Integer)


class ShowCommenter(Base):
    __tablename__ = "show_commenter"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    author: Mapped[str] = mapped_column(String(100), primary_key=True)
    comments: Mapped[int] = mapped_column(Integer, default=0)


class QuestionGroup(Base):
    """Comments asking the same thing; the unit the queue shows and acts on."""

    __tablename__ = "question_group"
    __table_args__ = (Index("ix_question_group_show_status", "show_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    category: Mapped[str] = mapped_column(String(20))
    signature: Mapped[str] = mapped_column(String(200), default="")  # normalised text used to match
    text: Mapped[str] = mapped_column(Text)  # representative comment
    status: Mapped[str] = mapped_column(String(16), default="new")  # new / to_host / answered / dismissed
    comments: Mapped[int] = mapped_column(Integer, default=0)
    askers: Mapped[int] = mapped_column(Integer, default=0)  # distinct authors
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    to_host_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    answered_by: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    merged_into_id: Mapped[Optional[int]] = mapped_column(ForeignKey("question_group.id"))


class Comment(Base):
    """One line a viewer typed (the issue's 'question' record; chatter included)."""

    __tablename__ = "comment"
    __table_args__ = (
        UniqueConstraint("show_id", "client_key", name="uq_comment_client_key"),
        Index("ix_comment_show_received", "show_id", "received_at"),
        Index("ix_comment_group_author", "group_id", "author"),
        Index("ix_comment_show_author_received", "show_id", "author", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    author: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    category: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("question_group.id"))
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual / paste / import / pipe / simulator
    client_key: Mapped[Optional[str]] = mapped_column(String(64))  # idempotency key for retries


class LexiconTerm(Base):
    """Operator-editable triage vocabulary: a term that votes for a category."""

    __tablename__ = "lexicon_term"
    __table_args__ = (UniqueConstraint("category", "term", name="uq_lexicon_term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20))
    term: Mapped[str] = mapped_column(String(50))
    weight: Mapped[float] = mapped_column(default=1.0)


class Promise(Base):
    __tablename__ = "promise"
    __table_args__ = (Index("ix_promise_show_said", "show_id", "said_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    deal_id: Mapped[Optional[int]] = mapped_column(ForeignKey("deal.id"))
    text: Mapped[str] = mapped_column(Text)  # the words as said
    kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16), default="deal")  # deal / first_n / show / claims
    first_n: Mapped[Optional[int]] = mapped_column(Integer)
    min_qty: Mapped[Optional[int]] = mapped_column(Integer)  # scope min_qty: the least a buyer takes (满两份)
    due_hint: Mapped[str] = mapped_column(String(50), default="")
    said_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / kept / broken / waived
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # scope and items set up
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))


class FulfilmentItem(Base):
    __tablename__ = "fulfilment_item"
    __table_args__ = (
        UniqueConstraint("promise_id", "chain_entry_id", name="uq_fulfilment_entry"),
        Index("ix_fulfilment_promise_done", "promise_id", "done"),
        # Progress as index-only counts (services.promises.reads): total, done and overdue of a
        # promise are ranges of this index, never reads of the items.
        Index("ix_fulfilment_promise_active_done_due", "promise_id", "active", "done", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(ForeignKey("promise.id"))
    chain_entry_id: Mapped[Optional[int]] = mapped_column(ForeignKey("chain_entry.id"))
    kind: Mapped[str] = mapped_column(String(16), default="item")  # item / claim
    label: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False once its entry drops out
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    done_by: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # How a done item was fulfilled: pickup / delivery / hand; late_pickup / late_delivery when
    # the order was handed over after the item's due time (the item then stays not done).
    fulfilled_via: Mapped[Optional[str]] = mapped_column(String(16))


class Event(Base):
    """The one log of every operator action and every milestone."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_show_id", "show_id", "id"),
        Index("ix_event_show_at", "show_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[Optional[int]] = mapped_column(ForeignKey("show.id"))
    operator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- live capture (services/capture): messages that capture tools hand over from the live room ---


class CaptureMessage(Base):
    """One message a capture tool delivered: the dedupe key (show, platform, msg_id) and who sent it.

    Comments are stored by triage as Comment rows; `client_key` is that row's key, so a viewer's
    platform user id can be joined to their comments. Gifts, follows and orders are the typed
    events (kind + item/quantity/amount/status); enters and likes are kept for the same dedupe.
    """

    __tablename__ = "capture_message"
    __table_args__ = (
        UniqueConstraint("show_id", "platform", "msg_id", name="uq_capture_message_key"),
        Index("ix_capture_message_show_kind_at", "show_id", "kind", "at"),
        Index("ix_capture_message_user", "platform", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    platform: Mapped[str] = mapped_column(String(24))
    msg_id: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(12))  # comment / enter / like / gift / follow / order
    user_id: Mapped[str] = mapped_column(String(128), default="")  # openid / platform user id
    nickname: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    client_key: Mapped[Optional[str]] = mapped_column(String(64))  # the comment's Comment.client_key
    item: Mapped[str] = mapped_column(String(200), default="")  # gift name / product / follow action
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    amount: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2))  # gift value / order amount
    status: Mapped[str] = mapped_column(String(16), default="")  # order status as the tool gives it
    received_at: Mapped[datetime] = mapped_column(DateTime)


class CaptureMinute(Base):
    """Interactions per show per minute (the funnel's 互动 stage and the review read these)."""

    __tablename__ = "capture_minute"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    enters: Mapped[int] = mapped_column(Integer, default=0)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    gifts: Mapped[int] = mapped_column(Integer, default=0)
    follows: Mapped[int] = mapped_column(Integer, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    interactors: Mapped[int] = mapped_column(Integer, default=0)  # people who interacted first in this minute


class CaptureViewer(Base):
    """One row per (show, platform user): counts each interacting person once."""

    __tablename__ = "capture_viewer"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(24), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    nickname: Mapped[str] = mapped_column(String(100), default="")
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    interacted_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class CaptureFeed(Base):
    """The capture process's heartbeat for a show: is the feed alive, and what it has counted."""

    __tablename__ = "capture_feed"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    connected: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="disconnected")
    per_minute: Mapped[int] = mapped_column(Integer, default=0)  # messages in the last minute
    last_message_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    room_likes: Mapped[Optional[int]] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    malformed: Mapped[int] = mapped_column(Integer, default=0)
    unknown: Mapped[int] = mapped_column(Integer, default=0)
    db_retries: Mapped[int] = mapped_column(Integer, default=0)
    lost: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    stopped_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class CaptureGap(Base):
    """A stretch when the feed was not delivering (disconnected, login needed, tool reported a gap)."""

    __tablename__ = "capture_gap"
    __table_args__ = (Index("ix_capture_gap_show_started", "show_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(24))


# ---------------------------------------------------------------- pickup and delivery (services.pickup)

Index("ix_chain_entry_phone_tail", ChainEntry.phone_tail)
Index("ix_fulfilment_item_entry", FulfilmentItem.chain_entry_id)  # an order's promise items, at the counter


class DeliveryRun(Base):
    """A batch of orders delivered together (one building, a pickup point or a route), with its time."""

    __tablename__ = "delivery_run"
    __table_args__ = (Index("ix_delivery_run_show", "show_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    label: Mapped[str] = mapped_column(String(100), default="")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)  # pickup points / buildings covered
    delivered_at: Mapped[datetime] = mapped_column(DateTime)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    by_name: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[Optional[datetime]] = mapped_column(DateTime)


class Pickup(Base):
    """Where one chain entry stands at the counter: how many units were handed over, when, by whom.

    One row per entry (created on its first hand-over); the row is what a mark locks."""

    __tablename__ = "pickup"
    __table_args__ = (
        UniqueConstraint("chain_entry_id", name="uq_pickup_entry"),
        Index("ix_pickup_show_done", "show_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    chain_entry_id: Mapped[int] = mapped_column(ForeignKey("chain_entry.id"))
    picked_qty: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)  # bumped by every mark / delivery / undo
    via: Mapped[str] = mapped_column(String(16), default="")  # counter / delivery: the last hand-over
    delivery_run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("delivery_run.id"))
    first_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    last_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    done_at: Mapped[Optional[datetime]] = mapped_column(DateTime)  # when the whole order was handed over
    by_operator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    by_name: Mapped[str] = mapped_column(String(64), default="")


class PickupAction(Base):
    """The ledger of hand-overs: every mark, delivery and undo, with who, when and its request key
    (the unique key makes a retried request a no-op)."""

    __tablename__ = "pickup_action"
    __table_args__ = (
        UniqueConstraint("request_key", name="uq_pickup_action_key"),
        Index("ix_pickup_action_pickup", "pickup_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pickup_id: Mapped[int] = mapped_column(ForeignKey("pickup.id"))
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    kind: Mapped[str] = mapped_column(String(16))  # mark / deliver / undo
    qty: Mapped[int] = mapped_column(Integer)  # units handed over (negative for an undo)
    at: Mapped[datetime] = mapped_column(DateTime)
    operator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))
    by_name: Mapped[str] = mapped_column(String(64), default="")
    request_key: Mapped[Optional[str]] = mapped_column(String(64))
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    undoes_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pickup_action.id"))
    delivery_run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("delivery_run.id"))
    gift_item_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # perks handed with this mark


class PickupLink(Base):
    """The label of a pickup link (who holds it, e.g. 前台小周). The token itself is an
    auth_token of kind 'pickup_link': expiring, revocable, limited to one show."""

    __tablename__ = "pickup_link"
    __table_args__ = (UniqueConstraint("token_id", name="uq_pickup_link_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("auth_token.id"))
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"))
    label: Mapped[str] = mapped_column(String(40))


# ---------------------------------------------------------------- members across shows (services.members)

# A name's earlier shows (the night's badges read show_buyer by name, across the community's shows).
Index("ix_show_buyer_name", ShowBuyer.name, ShowBuyer.show_id)
# A community's shows in time order (the badges' earlier / later shows, the board's series).
Index("ix_show_community_start", Show.community_id, Show.scheduled_start)


class Member(Base):
    """A neighbour of a community, known across its shows (社群成员).

    Who they are is in member_alias (the names, 下单人+phone tails and viewer ids that link to
    them); the columns after `created_at` are tallies over member_show, refreshed by
    services.members whenever a show's members are synced or two members are merged."""

    __tablename__ = "member"
    __table_args__ = (
        Index("ix_member_community", "community_id", "merged_into_id"),
        Index("ix_member_community_tail", "community_id", "phone_tail"),
        Index("ix_member_community_name", "community_id", "name"),  # a chain line's namesakes (who_is)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    name: Mapped[str] = mapped_column(String(100))
    building: Mapped[str] = mapped_column(String(50), default="")
    phone_tail: Mapped[str] = mapped_column(String(4), default="")
    koc: Mapped[bool] = mapped_column(Boolean, default=False)  # marked by an operator
    merged_into_id: Mapped[Optional[int]] = mapped_column(ForeignKey("member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    shows_watched: Mapped[int] = mapped_column(Integer, default=0)
    shows_bought: Mapped[int] = mapped_column(Integer, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    spend: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    claims: Mapped[int] = mapped_column(Integer, default=0)
    first_show_at: Mapped[Optional[datetime]] = mapped_column(DateTime)  # first show seen in (watched or bought)
    first_order_at: Mapped[Optional[datetime]] = mapped_column(DateTime)  # scheduled start of the first show bought in
    last_order_at: Mapped[Optional[datetime]] = mapped_column(DateTime)  # ... and of the last one


class MemberAlias(Base):
    """One way a member shows up: kind 'name' (the name as written in the chain or the comments),
    'phone' (快团团 下单人#phone tail) or 'viewer' (platform:user id). Unique per community: an
    exact match is a link."""

    __tablename__ = "member_alias"
    __table_args__ = (
        UniqueConstraint("community_id", "kind", "value", name="uq_member_alias"),
        Index("ix_member_alias_member", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(160))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MemberShow(Base):
    """What one member did in one show (a tally rebuilt when the show is synced)."""

    __tablename__ = "member_show"
    __table_args__ = (Index("ix_member_show_community_show", "community_id", "show_id"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    show_at: Mapped[datetime] = mapped_column(DateTime)  # the show's scheduled start, for ordering
    watched: Mapped[bool] = mapped_column(Boolean, default=False)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    spend: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    claims: Mapped[int] = mapped_column(Integer, default=0)
    early: Mapped[bool] = mapped_column(Boolean, default=False)  # among the first entries after a release
    # Comments that others answered by buying (services.members.labels.KOC_LED_*): how many of the
    # member's comments in this show were followed by a rush of other people's entries.
    led: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class MemberProposal(Base):
    """A fuzzy identity match (王芳 vs 王芳5栋; a new nickname with a known phone tail) for an
    operator to confirm (merge `other` into `member`) or reject. `moved` keeps the alias ids a
    confirmation moved, so the merge can be undone."""

    __tablename__ = "member_proposal"
    __table_args__ = (
        UniqueConstraint("member_id", "other_id", name="uq_member_proposal_pair"),
        Index("ix_member_proposal_community_status", "community_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    other_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    reason: Mapped[str] = mapped_column(String(16))  # building / phone / manual
    status: Mapped[str] = mapped_column(String(12), default="open")  # open / confirmed / rejected
    moved: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime)
    decided_by: Mapped[Optional[int]] = mapped_column(ForeignKey("operator.id"))


class PickupPointTally(Base):
    """The review's per-point pickup counts of a show (services.pickup.stats), valid while the
    show's version is `version`: the 提货 tab reads this one row instead of every order again.
    Kept in the database (same transaction as the counts it was read with), so a rolled-back
    write can never leave counts that outlive it."""

    __tablename__ = "pickup_point_tally"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[address, note, n, picked, partial, delivered, late]]
    delivery: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[due_at iso | None, on time, late, waiting]]


class MemberSync(Base):
    """The show version a show's members were last synced at (the review re-syncs when it moved)."""

    __tablename__ = "member_sync"

    show_id: Mapped[int] = mapped_column(ForeignKey("show.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    synced_at: Mapped[datetime] = mapped_column(DateTime)
