"""Demo nights from the seeds: 源味集《农场主来了》 and 亲亲宝贝《安心之选》.

The nights are data (services.demo.nights); this module replays them THROUGH the services
(shows, jielong, triage, live, promises) with the night's own timestamps (`at=`), so every
tally, per-minute row, milestone and event is the one a real night would have produced.
`NightWriter` is shared with the simulator (services.simulate), which replays the same beats
in real time.

Batching keeps a load quick: one triage.ingest per five minutes of comments (and before each
queue action, so it sees every comment said before it), one apply_paste per
burst of chain lines (the assistant pastes the chain as it stands, as on a real night).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from db.models import ChainEntry, Comment, Event, QuestionGroup, Show
from services import clock, config, jielong, live, members, pickup, promises, shows, triage
from services.demo import nights as dn
from services.demo import weeks
from services.authz import SYSTEM, Actor


_DEMO_LOCK = 0x4C4E4344454D4F  # "LNCDEMO"
BATCH_S = 300  # the loader pastes the comment log every five minutes (each comment keeps its own time)


# ---------------------------------------------------------------- public API


def demo_wanted() -> bool:
    """Whether a first start loads the demo nights: yes unless DEMO_NIGHTS says no (a new store's
    own database: demo members and shows would mix into its members page and 多场对比)."""
    return config.get("DEMO_NIGHTS").lower() not in {"0", "no", "false", "off", "否"}


def ensure_demo(session: Session, now: datetime | None = None) -> int | None:
    """Load the demo nights on the first start of an empty database (no show at all): 亲亲宝贝,
    源味集's earlier weekly nights (services.demo.weeks) and the 源味集 seed night, with their members.
    `now` (default: the clock) is the moment the demo is opened: the seed night's morning after is
    played up to it (load_demo_night); tests pin it so the demo does not depend on the hour they run.

    Returns the 源味集 show id when it loaded them, None when the database already had shows.
    """
    if session.get_bind().dialect.name == "postgresql":
        # Two app processes starting on one empty database: the second waits, then sees the shows.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _DEMO_LOCK})
    if session.scalar(select(func.count()).select_from(Show)):
        return None
    past = load_past_night(session)
    earlier = weeks.load_earlier_weeks(session)
    shown = load_demo_night(session, now=now)
    members.sync_show(session, SYSTEM, past)
    weeks.mark_kocs_and_sync(session, [*earlier, shown])
    return shown


def load_demo_night(session: Session, now: datetime | None = None) -> int:
    """源味集《农场主来了》 yesterday 20:00-21:00, with what the team did after it up to `now`
    (default: the clock); returns the show id."""
    return load_night(session, dn.yuanweiji(), now=now)


def load_past_night(session: Session) -> int:
    """亲亲宝贝《安心之选》 a week before the 源味集 night, with its deliveries and pickups
    (services.pickup); returns the show id."""
    show_id = load_night(session, dn.qinqin())
    pickup.replay_past_pickups(session, show_id)
    return show_id


def night_start(night: dn.Night, today: datetime | None = None) -> datetime:
    """The scheduled start of a night: start_hour o'clock, days_ago days before today."""
    today = today or clock.now()
    return today.replace(hour=night.start_hour, minute=0, second=0, microsecond=0) - timedelta(days=night.days_ago)


def load_night(
    session: Session, night: dn.Night, start: datetime | None = None, actor: Actor = SYSTEM, now: datetime | None = None,
) -> int:
    """Replay a whole night with historical timestamps; the show ends 'ended'. Its follow-ups
    (night.follow_ups) are played up to `now` (default: the clock): what the team had not done
    yet when the demo is opened has not happened."""
    now = now or clock.now()
    start = start or night_start(night, now)
    show = create_show(session, actor, night, start, title=night.title, created_at=start - timedelta(days=1))
    deal_ids = create_deals(session, actor, night, show.id, start, created_at=start - timedelta(hours=3))
    writer = NightWriter(night, show.id, deal_ids, actor=actor, start=start)
    batch = None
    for t, thing in night.beats:
        at = start + timedelta(seconds=t)
        if batch is not None and t // BATCH_S != batch:
            writer.flush(session)  # one ingest per BATCH_S of comments
        batch = t // BATCH_S
        writer.apply(session, thing, at)
    writer.flush(session)
    writer.finish(session, now=start + timedelta(seconds=night.last_t + 60))
    writer.until = now
    for t, thing in night.follow_ups:
        at = start + timedelta(seconds=t)
        if at > now:
            break  # sorted by t: the rest is later still
        writer.apply(session, thing, at)
    return show.id


# ---------------------------------------------------------------- building blocks


def create_show(
    session: Session, actor: Actor, night: dn.Night, start: datetime, title: str | None = None,
    created_at: datetime | None = None,
) -> Show:
    form = shows.ShowForm(
        title or night.title, night.community, night.member_count, night.host,
        start, start + timedelta(minutes=night.duration_min),
    )
    show = shows.create_show(session, actor, form)
    if created_at is not None:
        # The show was set up the day before (预告 D-1): date the row and its creation event so.
        show.created_at = created_at
        session.execute(
            update(Event).where(Event.show_id == show.id, Event.kind == "show.created").values(at=created_at)
        )
    return show


def create_deals(
    session: Session, actor: Actor, night: dn.Night, show_id: int, start: datetime,
    created_at: datetime | None = None, scale: float = 1.0,
) -> dict[str, int]:
    """The night's deals as drafts; `scale` shrinks the deadline offset (the simulator's speed)."""
    ids = {}
    for d in night.deals:
        form = jielong.DealForm(
            product=d.product,
            selling_points=d.selling_points,
            spec_options=d.spec_options,
            group_price=d.group_price,
            original_price=d.original_price,
            threshold=d.threshold,
            threshold_unit=d.threshold_unit,
            stock=d.stock,
            per_person_limit=d.per_person_limit,
            perk_first_n=d.perk_first_n,
            perk_text=d.perk_text,
            delivery_text=d.delivery_text,
            deadline=start + timedelta(minutes=d.deadline_min * scale),
        )
        ids[d.key] = jielong.create_deal(session, actor, show_id, form, at=created_at).id
    return ids


def chain_line(line: dn.Line) -> str:
    """One line as members type it in the group: `12. 王芳 2份 5栋`."""
    parts = [f"{line.seq}.", line.name, f"{line.qty}份"]
    parts += [p for p in (line.spec, line.address, line.note) if p]
    return " ".join(parts)


class NightWriter:
    """Applies beats of a night to one show through the services.

    chain="paste": lines accumulate and each Paste beat pastes the whole chain as it stands
    (the loader); chain="entry": each Line is one add_entry (the simulator, live).
    """

    def __init__(
        self, night: dn.Night, show_id: int, deal_ids: dict[str, int], actor: Actor = SYSTEM,
        start: datetime | None = None, chain: str = "paste", source: str = "paste", scale: float = 1.0,
    ):
        self.night, self.show_id, self.deal_ids, self.actor = night, show_id, deal_ids, actor
        self.start, self.chain, self.source, self.scale = start, chain, source, scale
        self.lines: dict[str, list[dn.Line]] = defaultdict(list)
        self.headers: dict[str, str] = {}
        self.pending: list[triage.CommentIn] = []
        self.promise_ids: list[int] = []
        self.promise_keys: dict[str, int] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.synced_t = 0  # script second of the last promise sync (used by the simulator)
        self.until: datetime | None = None  # the moment the demo is opened: follow-ups happen up to it

    # -- dispatch
    def apply(self, session: Session, thing: dn.Thing, at: datetime) -> None:
        if isinstance(thing, dn.Said):
            self.comment(thing, at)
            return
        if isinstance(thing, (dn.Queue, dn.Sweep, dn.End)) or self.chain == "entry":
            # The queue acts on every comment said before; live (the simulator), rows go in in time order.
            self.flush(session)
        handler = getattr(self, "on_" + type(thing).__name__.lower())
        handler(session, thing, at)
        self.counts[type(thing).__name__] += 1

    def comment(self, said: dn.Said, at: datetime) -> None:
        self.pending.append(triage.CommentIn(said.author, said.text, at=at))
        self.counts["Said"] += 1

    def flush(self, session: Session) -> None:
        if self.pending:
            # The batch is logged when its last comment came in (the assistant pastes after it).
            last = max(c.at for c in self.pending)
            triage.ingest(session, self.actor, self.show_id, self.pending, source=self.source, at=last)
        self.pending = []

    # -- handlers
    def on_start(self, session: Session, _thing: dn.Start, at: datetime) -> None:
        if shows.get_show(session, self.show_id).status == shows.ShowStatus.PLANNED:
            shows.start_show(session, self.actor, self.show_id, at=at)

    def on_end(self, session: Session, _thing: dn.End, at: datetime) -> None:
        if shows.get_show(session, self.show_id).status == shows.ShowStatus.LIVE:
            shows.end_show(session, self.actor, self.show_id, at=at)

    def on_viewers(self, session: Session, v: dn.Viewers, at: datetime) -> None:
        live.record_viewers(session, self.actor, self.show_id, v.online, v.cumulative, at=at)

    def on_release(self, session: Session, r: dn.Release, at: datetime) -> None:
        if r.deal not in self.deal_ids:
            return
        deal_id = self.deal_ids[r.deal]
        jielong.release(session, deal_id, self.actor, at=at)
        # The pasted chain starts with the posted jielong text, without its empty "1." slot.
        text = jielong.jielong_text(session, deal_id)
        self.headers[r.deal] = text.rstrip().removesuffix("1.").rstrip()

    def on_line(self, session: Session, line: dn.Line, at: datetime) -> None:
        if line.deal not in self.deal_ids:
            return
        if self.chain == "paste":
            self.lines[line.deal].append(line)
            return
        jielong.add_entry(
            session, self.actor, self.deal_ids[line.deal], line.name, qty=line.qty, spec=line.spec,
            note=line.note, address=line.address, source=self.source, at=at, seq=line.seq,
        )

    def on_paste(self, session: Session, p: dn.Paste, at: datetime) -> None:
        if self.chain != "paste" or p.deal not in self.deal_ids:
            return
        text = "\n".join([self.headers.get(p.deal, "#接龙"), ""] + [chain_line(ln) for ln in self.lines[p.deal]])
        jielong.apply_paste(session, self.actor, self.deal_ids[p.deal], text, source=self.source, at=at)

    def on_cancel(self, session: Session, c: dn.Cancel, at: datetime) -> None:
        if c.deal not in self.deal_ids:
            return
        entry_id = session.scalar(
            select(ChainEntry.id)
            .where(
                ChainEntry.deal_id == self.deal_ids[c.deal],
                ChainEntry.seq == c.seq,
                ChainEntry.status != jielong.EntryStatus.CANCELLED,
            )
            .order_by(ChainEntry.id)
        )
        if entry_id is not None:
            jielong.cancel_entry(session, self.actor, entry_id, at=at)

    def on_promise(self, session: Session, p: dn.Promise, at: datetime) -> None:
        row = promises.log_promise(
            session, self.actor, self.show_id, p.text, at=at, deal_id=self.deal_ids.get(p.deal or ""), kind=p.kind
        )
        self.promise_ids.append(row.id)
        if p.key:
            self.promise_keys[p.key] = row.id
        due = None
        if p.due_min is not None and self.start is not None:
            due = self.start + timedelta(minutes=p.due_min * self.scale)
        promises.confirm(session, self.actor, row.id, scope=p.scope, first_n=p.first_n, due_at=due, at=at)

    def on_tick(self, session: Session, tk: dn.Tick, at: datetime) -> None:
        if tk.promise not in self.promise_keys:
            return
        pid = self.promise_keys[tk.promise]
        promises.expand(session, pid, actor=self.actor, at=at)  # the chain as it stands by then
        promises.tick_range(session, self.actor, pid, tk.first, tk.last, at=at)

    def on_settle(self, session: Session, st: dn.Settle, at: datetime) -> None:
        pid = self.promise_keys.get(st.promise)
        if pid is not None and promises.get_promise(session, pid).status == promises.PromiseStatus.OPEN:
            # (a promise the hand-overs already kept is left as they settled it)
            promises.set_status(session, self.actor, pid, st.status, at=at, open_ok=True)

    def on_vanrun(self, session: Session, run: dn.VanRun, at: datetime) -> None:
        pickup.deliver_share(session, self.show_id, run.label, run.first, run.last, at, now=self.until)

    def on_shoppickups(self, session: Session, sp: dn.ShopPickups, at: datetime) -> None:
        pickup.counter_morning(session, self.show_id, at, timedelta(seconds=sp.every_s), sp.never_came, until=self.until)

    def on_queue(self, session: Session, q: dn.Queue, at: datetime) -> None:
        group_id = self.group_of(session, q.text)
        if group_id is not None:
            self._act(session, group_id, q.action, q.answer, at)

    def on_sweep(self, session: Session, sw: dn.Sweep, at: datetime) -> None:
        answers = dict(sw.answers)
        rows = [r for r in triage.queue(session, self.show_id, limit=100) if r.status == triage.QuestionStatus.NEW][: sw.n]
        for row in rows:
            if row.category in answers:
                self._act(session, row.id, "answer", answers[row.category], at)
            elif row.category in sw.to_host:
                self._act(session, row.id, "to_host", "", at)

    _FROM = {"answer": triage.OPEN_STATUSES, "to_host": (triage.QuestionStatus.NEW,), "dismiss": triage.OPEN_STATUSES}

    def _act(self, session: Session, group_id: int, action: str, answer: str, at: datetime) -> None:
        status = session.scalar(select(QuestionGroup.status).where(QuestionGroup.id == group_id))
        if status not in self._FROM[action]:
            return  # already handled (a sweep got there first)
        if action == "answer":
            triage.answer(session, self.actor, group_id, text=answer, at=at)
        else:
            getattr(triage, action)(session, self.actor, group_id, at=at)

    def group_of(self, session: Session, text: str) -> int | None:
        """The question group holding the latest comment with this text (the one still open)."""
        group_id = session.scalar(
            select(Comment.group_id)
            .where(Comment.show_id == self.show_id, Comment.text == text, Comment.group_id.is_not(None))
            .order_by(Comment.received_at.desc(), Comment.id.desc())
        )
        for _ in range(10):  # follow merges
            if group_id is None:
                return None
            into = session.scalar(select(QuestionGroup.merged_into_id).where(QuestionGroup.id == group_id))
            if into is None:
                return group_id
            group_id = into
        return group_id

    def sync_promises(self, session: Session, at: datetime | None = None) -> None:
        """「同步名单」: every promise's items brought up to the chain as it stands."""
        for pid in self.promise_ids:
            promises.expand(session, pid, actor=self.actor, at=at)

    def finish(self, session: Session, now: datetime | None = None) -> None:
        """After the last beat: outcomes settled, promise items expanded over the final chain."""
        for deal_id in self.deal_ids.values():
            jielong.check_outcomes(session, deal_id, now=now)
        self.sync_promises(session, now)
