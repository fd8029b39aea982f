"""Replay a scripted night into the database in real time, for rehearsals and for watching
the live pages move.

    python -m services.simulate --speed 10 [--show ID] [--database-url URL] [--minutes N] [--no-demo]

Without --show it creates a new live show copying the 源味集《农场主来了》 night (its community,
host and deals) and feeds it: viewer samples, comments (source "simulator"), chain entries one
by one (source "simulator"), the host's promises, the question queue, and the releases at the
scripted moments. At --speed 10 the night's hour takes six minutes. Every row is timestamped
at its scripted moment scaled by the speed (start + t / speed), so the compressed night keeps
its shape: the main deal reaches its threshold 8 minutes / speed after its release.
--minutes N fits the whole night (releases, chain, end) into N minutes of show time, so a short
rehearsal still has its chain and ends; the run is always bounded. On an empty database the two
demo nights are loaded first, as the app's first start does (--no-demo: not).

The simulator writes only into a show it created (marked rehearsal) or one marked rehearsal
(彩排) by hand: never into a real night's show. Rehearsals stay out of the review's comparison.
Writes go through the retried unit of work (a database restart or a busy SQLite file is waited
out). Exit status: 0 done, 2 the configuration, the show or the database is unusable, 130 stopped.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from db.models import Deal, Show
from services import clock, demo, jielong, shows, store
from services.authz import Actor
from services.demo import nights as dn
from services.errors import DomainError, InvalidState

SIMULATOR = Actor(id=None, name="模拟器", role="admin")
MIN_TICK_S = 0.2  # real seconds between two writes at least: beats due meanwhile go in one transaction


def prepare(
    engine: Engine, night: dn.Night, show_id: int | None, start: datetime, speed: float
) -> tuple[int, dict[str, int]]:
    """The show to feed (a new copy of the night, or the given one) and its deal ids by key."""
    scale = 1.0 / speed
    with store.session(engine) as s:
        if show_id is None:
            copy = dataclasses.replace(night, duration_min=max(1.0, night.duration_min * scale))
            show = demo.create_show(s, SIMULATOR, copy, start, title=f"{night.title}（模拟 {start:%m-%d %H:%M}）",
                                    created_at=start)
            show.rehearsal = True
            show_id = show.id
        else:
            show = shows.get_show(s, show_id)
            if not show.rehearsal:
                raise InvalidState(
                    f"场次「{show.title}」不是彩排场：模拟数据不会写入真实场次。请不带 --show 运行（新建一场模拟），"
                    "或先在「场次准备」把它标记为彩排。"
                )
            if show.status == shows.ShowStatus.ENDED:
                raise InvalidState(f"场次「{show.title}」已结束，不能再模拟；请不带 --show 运行以新建一场。")
        existing = {d.product: d.id for d in s.scalars(select(Deal).where(Deal.show_id == show_id))}
        missing = [d for d in night.deals if d.product not in existing]
        deadline_base = max(start, show.scheduled_start)
        sub = dataclasses.replace(night, deals=tuple(missing))
        created = demo.create_deals(s, SIMULATOR, sub, show_id, deadline_base, created_at=start, scale=scale)
        ids = {d.key: existing[d.product] for d in night.deals if d.product in existing} | created
    return show_id, ids


def run(
    engine: Engine,
    speed: float = 10.0,
    show_id: int | None = None,
    minutes: float | None = None,
    night: dn.Night | None = None,
    out: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    start: datetime | None = None,
) -> int:
    """Feed the night into the database, scaled by `speed`; returns the show id."""
    if not speed or speed <= 0:
        raise ValueError("speed must be > 0")
    night = night or dn.yuanweiji()
    if minutes is not None and minutes * 60 < night.last_t:
        # The whole night in N minutes: the same as playing it faster by last_t / (N·60).
        speed = speed * night.last_t / (minutes * 60)
    limit = night.last_t
    beats = list(night.beats)
    start = start or clock.now()
    show_id, deal_ids = prepare(engine, night, show_id, start, speed)
    writer = demo.NightWriter(night, show_id, deal_ids, actor=SIMULATOR, start=start, chain="entry",
                              source="simulator", scale=1.0 / speed)
    out(f"模拟开始：场次 {show_id}，{speed:g} 倍速，剧本 {limit / 60:.0f} 分钟，约需 {limit / speed:.0f} 秒。")
    m0 = monotonic()
    i = 0
    reported_minute = -1
    while i < len(beats):
        night_now = (monotonic() - m0) * speed
        due = []
        while i < len(beats) and beats[i][0] <= night_now:
            due.append(beats[i])
            i += 1
        if due:
            _write(engine, writer, due, start, speed, out)
            minute = int(due[-1][0] // 60)
            if minute != reported_minute:
                reported_minute = minute
                out(_progress(engine, night, show_id, minute))
        if i < len(beats):
            wait = (beats[i][0] - (monotonic() - m0) * speed) / speed
            sleep(max(MIN_TICK_S, wait))
    with store.session(engine) as s:
        writer.finish(s, now=_at(start, limit, speed))
        status = shows.get_show(s, show_id).status
    if beats and int(beats[-1][0] // 60) != reported_minute:
        out(_progress(engine, night, show_id, int(beats[-1][0] // 60)))
    tail = "直播已结束" if status == "ended" else "场次仍在直播中（剧本未播完）"
    out(f"模拟完成：场次 {show_id}，{tail}。")
    return show_id


def _at(start: datetime, t: int, speed: float) -> datetime:
    return start + timedelta(seconds=t / speed)


def _write(engine: Engine, writer: demo.NightWriter, due: list, start: datetime, speed: float, out) -> None:
    """The beats due now in one retried unit of work; if one is refused, the rest go in one by one."""
    try:
        _unit(engine, writer, due, start, speed, sync=True)
    except DomainError:
        pass
    else:
        for _, thing in due:
            _announce(thing, writer, out)
        return
    for t, thing in due:
        try:
            _unit(engine, writer, [(t, thing)], start, speed, sync=False)
        except DomainError as exc:
            out(f"跳过一步（{type(thing).__name__}）：{exc}")
        else:
            _announce(thing, writer, out)


def _unit(engine: Engine, writer: demo.NightWriter, due: list, start: datetime, speed: float, sync: bool) -> None:
    """store.unit_of_work over the beats: a database blink (a restart, a lock) retries the
    whole unit, the writer's in-memory state put back first, so nothing is applied twice."""
    saved = _writer_state(writer)

    def unit(s) -> None:
        _restore(writer, saved)
        for t, thing in due:
            writer.apply(s, thing, _at(start, t, speed))
        writer.flush(s)
        if sync:
            _sync_promises(s, writer, due, start, speed)

    def notice(exc: BaseException, attempt: int) -> None:
        print(f"数据库连接中断或正忙，正在重试（第 {attempt} 次）……", file=sys.stderr)

    try:
        store.unit_of_work(engine, unit, on_retry=notice)
    except BaseException:
        _restore(writer, saved)
        raise


def _writer_state(w: demo.NightWriter) -> tuple:
    return (list(w.pending), list(w.promise_ids), dict(w.promise_keys), dict(w.counts), dict(w.headers),
            {k: list(v) for k, v in w.lines.items()}, w.synced_t)


def _restore(w: demo.NightWriter, state: tuple) -> None:
    pending, promise_ids, promise_keys, counts, headers, lines, synced_t = state
    w.pending, w.promise_ids, w.promise_keys, w.synced_t = list(pending), list(promise_ids), dict(promise_keys), synced_t
    w.counts.clear()
    w.counts.update(counts)
    w.headers = dict(headers)
    w.lines.clear()
    w.lines.update({k: list(v) for k, v in lines.items()})


SYNC_EVERY_S = 300  # night seconds between two 「同步名单」 of the promises while the chain grows


def _sync_promises(s, writer: demo.NightWriter, due: list, start: datetime, speed: float) -> None:
    """Now and then, as the assistant would, bring the promises' item lists up to the chain."""
    lines = [t for t, thing in due if isinstance(thing, dn.Line)]
    if not lines or lines[-1] - writer.synced_t < SYNC_EVERY_S:
        return
    writer.synced_t = lines[-1]
    # Stamped after the whole batch (not at its last chain line), so the event log stays in time order.
    writer.sync_promises(s, _at(start, due[-1][0], speed))


def _announce(thing: dn.Thing, writer: demo.NightWriter, out) -> None:
    if isinstance(thing, dn.Release):
        out(f"  发布接龙：{writer.night.deal(thing.deal).product}")
    elif isinstance(thing, dn.Promise):
        out(f"  主播承诺：{thing.text}")
    elif isinstance(thing, dn.Start):
        out("  开播")
    elif isinstance(thing, dn.End):
        out("  下播（接龙继续）")


def _progress(engine: Engine, night: dn.Night, show_id: int, minute: int) -> str:
    with store.session(engine) as s:
        show = s.get(Show, show_id)
        deals = list(s.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)))
        chain = "；".join(
            f"{d.product} {jielong.deal_progress(d)}/{d.threshold}"
            f"{jielong.unit_label(d.threshold_unit)}{'（已成团）' if d.reached_at else ''}"
            for d in deals if d.status != jielong.DealStatus.DRAFT
        )
        line = (
            f"[剧本 {(night.start_hour + minute // 60) % 24:02d}:{minute % 60:02d}] "
            f"在线 {show.viewers_online}，累计观看 {show.viewers_cumulative}，"
            f"评论 {show.comments_total}，接龙 {show.buyers} 人"
        )
    return line + (f"；{chain}" if chain else "")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m services.simulate", description="按剧本实时回放一场直播夜（演练用）。")
    p.add_argument("--speed", type=float, default=10.0, help="倍速，默认 10（一小时的直播约 6 分钟放完）")
    p.add_argument("--show", type=int, default=None, help="灌入已有场次的编号；不填则新建一场")
    p.add_argument("--database-url", default=None, help="数据库地址；不填则用 DATABASE_URL 或 data/ 下的 SQLite")
    p.add_argument("--minutes", type=float, default=None, help="只回放剧本的前 N 分钟")
    p.add_argument("--no-demo", action="store_true", help="空库时不先载入两场示例直播")
    args = p.parse_args(argv)
    if args.speed <= 0:
        p.error("--speed 须大于 0")
    if args.minutes is not None and args.minutes <= 0:
        p.error("--minutes 须大于 0")
    try:
        engine = store.open_database(args.database_url)
        if not args.no_demo:
            # As the app's first start would: an empty database gets the two demo nights first,
            # so the rehearsal has past shows to compare with (and the app still gets them).
            with store.session(engine) as s:
                demo.ensure_demo(s)
    except store.DatabaseConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except store.DATABASE_ERRORS as exc:
        print(f"数据库无法连接：{type(exc).__name__}", file=sys.stderr)
        return 2
    try:
        run(engine, speed=args.speed, show_id=args.show, minutes=args.minutes)
    except DomainError as exc:
        print(f"无法模拟：{exc}", file=sys.stderr)
        return 2
    except store.DATABASE_ERRORS as exc:
        print(f"数据库不可用，模拟已停止（已写入的数据保留）：{type(exc).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已停止：已写入的数据保留。")
        return 130
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
