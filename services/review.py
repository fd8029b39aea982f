"""Post-show review (复盘): KPIs, the night's timeline, questions, promises, comparison.

Every figure is an SQL aggregate or a tally column; nothing here loads a whole table.

Rules behind the numbers (kpis):
- viewers = Show.viewers_cumulative (累计观看), peak_online = Show.viewers_peak.
- questions = question groups of the show that are not chatter and not merged into another
  group (one group = one question, however many viewers asked it). answered_rate =
  answered groups / (questions − dismissed groups): a dismissed group (已忽略) was judged
  not to need an answer. median_response_s = median of answered_at − first_seen over the
  answered groups, in seconds.
- buyers = distinct names with at least one valid entry in the show (Show.buyers, kept
  by the jielong service through ShowBuyer); order_rate = buyers / viewers.
- entries / units = Σ Deal.entries_valid / Deal.units_valid.
- gmv = Σ over valid entries of ChainEntry.amount when an order import provided it,
  else qty × Deal.group_price. avg_order_value = gmv / buyers (客单价 per buyer).
- promises = every promise logged for the show; kept rate and overdue count come from
  services.promises.
- A rate with a zero (or missing) denominator is None.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.models import (
    ChainEntry,
    Deal,
    Event,
    Operator,
    Promise,
    QuestionGroup,
    Show,
    ShowMinute,
)
from services import capture, shows

KPI_KEYS = (
    "community_size", "viewers", "peak_online", "watch_rate", "commenters",
    "questions", "answered_rate", "median_response_s",
    "buyers", "order_rate", "entries", "units", "gmv", "avg_order_value",
    "promises", "promises_kept_rate", "promises_overdue",
    "deals",
)

KPI_LABELS = {
    "community_size": "社群成员数",
    "viewers": "累计观看",
    "peak_online": "最高在线",
    "watch_rate": "观看率",
    "commenters": "评论人数",
    "questions": "提问数",
    "answered_rate": "回复率",
    "median_response_s": "回复用时中位数（秒）",
    "buyers": "下单人数",
    "order_rate": "下单转化率",
    "entries": "有效接龙单数",
    "units": "有效份数",
    "gmv": "成交额（元）",
    "avg_order_value": "客单价（元）",
    "promises": "承诺数",
    "promises_kept_rate": "承诺兑现率",
    "promises_overdue": "逾期履约项",
}

OUTCOME_LABELS = {
    "draft": "草稿",
    "released": "已发布",
    "reached": "已成团",
    "sold_out": "已售罄",
    "failed": "未成团",
}

QUESTION_STATUS_LABELS = {"new": "待处理", "to_host": "已转主播", "answered": "已回复", "dismissed": "已忽略"}
PROMISE_STATUS_LABELS = {"open": "待履约", "kept": "已兑现", "broken": "未兑现", "waived": "已豁免"}

# Glossary names; services.triage / services.promises own the lists, these are fallbacks
# for a category or kind they do not (yet) know.
_CATEGORY_FALLBACK = {
    "authenticity": "真伪资质", "price": "价格优惠", "delivery": "配送自提", "after_sales": "售后",
    "product": "商品详情", "order": "下单接龙", "other_question": "其他提问", "chatter": "闲聊",
}
_KIND_FALLBACK = {
    "refund": "包退", "compensation": "赔付", "gift": "赠品", "price": "价格",
    "delivery": "送达", "quality": "品质", "service": "服务",
}


def category_label(code: str) -> str:
    from services.triage import CATEGORY_LABELS

    return CATEGORY_LABELS.get(code) or _CATEGORY_FALLBACK.get(code, code)


def kind_label(code: str) -> str:
    from services.promises import KIND_LABELS

    return KIND_LABELS.get(code) or _KIND_FALLBACK.get(code, code)


def rate(num: float | int | None, den: float | int | None) -> float | None:
    """num / den, or None when the denominator is zero or missing."""
    if num is None or not den:
        return None
    return float(num) / float(den)


def money(value: Decimal | float | int | None) -> float:
    return float(round(Decimal(value or 0), 2))


def seconds_between(session: Session, later, earlier) -> ColumnElement:
    """later − earlier in seconds, as an SQL expression for SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def median(session: Session, expr: ColumnElement, *where) -> float | None:
    """Median of an SQL expression over the rows matching `where`, portably.

    PostgreSQL has percentile_cont, SQLite does not: count the rows, then read the one or
    two middle values with ORDER BY … LIMIT/OFFSET.
    """
    n = session.scalar(select(func.count()).where(*where)) or 0
    if n == 0:
        return None
    middle = list(
        session.scalars(select(expr).where(*where).order_by(expr).offset((n - 1) // 2).limit(2 - n % 2))
    )
    return float(sum(middle)) / len(middle)


def entry_amount() -> ColumnElement:
    """The money one valid entry brings: the imported amount, else qty × group price."""
    return func.coalesce(ChainEntry.amount, ChainEntry.qty * Deal.group_price)


def _question_filter(show_id: int) -> tuple:
    return (
        QuestionGroup.show_id == show_id,
        QuestionGroup.merged_into_id.is_(None),
        QuestionGroup.category != "chatter",
    )


def minutes_between(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 60, 1)


def deal_outcome(deal: Deal) -> str:
    """The deal's status as the jielong service keeps it in line with its tallies (a sold-out
    deal whose entries were cancelled is 'reached' again); derived from the milestones only
    when the status is not one of OUTCOME_LABELS."""
    if deal.status in OUTCOME_LABELS:
        return deal.status
    if deal.sold_out_at is not None:
        return "sold_out"
    if deal.failed_at is not None:
        return "failed"
    if deal.reached_at is not None:
        return "reached"
    return "released" if deal.released_at is not None else "draft"


def deal_rows(session: Session, show_id: int) -> list[dict[str, Any]]:
    """One dict per deal with its tallies, milestones, GMV and speed."""
    gmv_by_deal = dict(
        session.execute(
            select(ChainEntry.deal_id, func.sum(entry_amount()))
            .join(Deal, Deal.id == ChainEntry.deal_id)
            .where(Deal.show_id == show_id, ChainEntry.status == "valid")
            .group_by(ChainEntry.deal_id)
        ).all()
    )
    rows = []
    for d in session.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)):
        outcome = deal_outcome(d)
        rows.append(
            {
                "deal_id": d.id,
                "product": d.product,
                "group_price": money(d.group_price),
                "threshold": d.threshold,
                "threshold_unit": d.threshold_unit,
                "stock": d.stock,
                "released_at": d.released_at,
                "reached_at": d.reached_at,
                "sold_out_at": d.sold_out_at,
                "failed_at": d.failed_at,
                "entries": d.entries_valid,
                "units": d.units_valid,
                "buyers": d.buyers_valid,
                "waitlisted": d.units_waitlisted,
                "gmv": money(gmv_by_deal.get(d.id)),
                "minutes_release_to_threshold": minutes_between(d.reached_at, d.released_at),
                "minutes_to_sellout": minutes_between(d.sold_out_at, d.released_at),
                "outcome": outcome,
                "outcome_label": OUTCOME_LABELS[outcome],
            }
        )
    return rows


def _promise_figures(session: Session, show_id: int) -> tuple[float | None, int]:
    from services import promises

    return promises.kept_rate(session, show_id), promises.overdue_count(session, show_id)


def kpis(session: Session, show_id: int) -> dict[str, Any]:
    """The review's KPIs for one show (keys: KPI_KEYS). See the module doc for the rules."""
    show = shows.get_show(session, show_id)
    community_size = show.community.member_count
    viewers = show.viewers_cumulative
    qf = _question_filter(show_id)
    questions, answered, dismissed = session.execute(
        select(
            func.count(),
            func.count().filter(QuestionGroup.status == "answered"),
            func.count().filter(QuestionGroup.status == "dismissed"),
        ).where(*qf)
    ).one()
    response_s = median(
        session,
        seconds_between(session, QuestionGroup.answered_at, QuestionGroup.first_seen),
        *qf,
        QuestionGroup.status == "answered",
        QuestionGroup.answered_at.is_not(None),
    )
    entries, units = session.execute(
        select(func.coalesce(func.sum(Deal.entries_valid), 0), func.coalesce(func.sum(Deal.units_valid), 0)).where(
            Deal.show_id == show_id
        )
    ).one()
    gmv = money(
        session.scalar(
            select(func.sum(entry_amount()))
            .join(Deal, Deal.id == ChainEntry.deal_id)
            .where(Deal.show_id == show_id, ChainEntry.status == "valid")
        )
    )
    buyers = show.buyers
    promise_count = session.scalar(select(func.count()).where(Promise.show_id == show_id)) or 0
    kept_rate, overdue = _promise_figures(session, show_id)
    aov = rate(gmv, buyers)
    return {
        "community_size": community_size,
        "viewers": viewers,
        "peak_online": show.viewers_peak,
        "watch_rate": rate(viewers, community_size),
        "commenters": show.commenters,
        "questions": questions,
        "answered_rate": rate(answered, questions - dismissed),
        "median_response_s": None if response_s is None else round(response_s, 1),
        "buyers": buyers,
        "order_rate": rate(buyers, viewers),
        "entries": int(entries),
        "units": int(units),
        "gmv": gmv,
        "avg_order_value": None if aov is None else round(aov, 2),
        "promises": promise_count,
        "promises_kept_rate": kept_rate,
        "promises_overdue": overdue,
        "deals": deal_rows(session, show_id),
    }


# ---------------------------------------------------------------- timeline


def minute_series(session: Session, show_id: int) -> list[dict[str, Any]]:
    """Per minute: entries, comments, questions (ShowMinute, written by the live services)."""
    q = (
        select(ShowMinute.minute, ShowMinute.entries, ShowMinute.comments, ShowMinute.questions)
        .where(ShowMinute.show_id == show_id)
        .order_by(ShowMinute.minute)
    )
    return [{"minute": m, "entries": e, "comments": c, "questions": qn} for m, e, c, qn in session.execute(q)]


def markers(session: Session, show_id: int, question_peaks: int = 3) -> list[dict[str, Any]]:
    """The night's milestones for the timeline: start/end, each deal's release, threshold,
    sell-out or failure, each promise, and the minutes with the most questions."""
    show = shows.get_show(session, show_id)
    out: list[dict[str, Any]] = []
    if show.actual_start:
        out.append({"at": show.actual_start, "kind": "start", "label": "开播", "short": "开播"})
    if show.actual_end:
        out.append({"at": show.actual_end, "kind": "end", "label": "下播", "short": "下播"})
    for d in session.scalars(select(Deal).where(Deal.show_id == show_id).order_by(Deal.id)):
        for at, kind, label in (
            (d.released_at, "release", "发布接龙"),
            (d.reached_at, "threshold", "成团"),
            (d.sold_out_at, "sold_out", "售罄"),
            (d.failed_at, "failed", "未成团"),
        ):
            if at is not None:
                out.append({"at": at, "kind": kind, "label": f"{label}·{_short(d.product, 12)}",
                            "short": f"{label}·{_short(d.product, 5)}"})
    for said_at, text, kind in session.execute(
        select(Promise.said_at, Promise.text, Promise.kind).where(Promise.show_id == show_id).order_by(Promise.said_at)
    ):
        out.append({"at": said_at, "kind": "promise", "label": f"承诺·{_short(text, 16)}", "short": "承诺"})
    peaks = session.execute(
        select(ShowMinute.minute, ShowMinute.questions)
        .where(ShowMinute.show_id == show_id, ShowMinute.questions > 0)
        .order_by(ShowMinute.questions.desc(), ShowMinute.minute)
        .limit(question_peaks)
    ).all()
    for minute, n in peaks:
        out.append({"at": minute, "kind": "question_peak", "label": f"提问高峰·{n}条", "short": f"提问{n}"})
    out.extend(capture.gap_markers(session, show_id))  # a quiet stretch with no feed is not a cold room
    out.sort(key=lambda m: m["at"])
    return out


def _short(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------- questions


def questions_by_category(session: Session, show_id: int) -> list[dict[str, Any]]:
    """Per category: question groups, comments in them, answered groups."""
    q = (
        select(
            QuestionGroup.category,
            func.count(),
            func.coalesce(func.sum(QuestionGroup.comments), 0),
            func.count().filter(QuestionGroup.status == "answered"),
        )
        .where(*_question_filter(show_id))
        .group_by(QuestionGroup.category)
        .order_by(func.count().desc(), QuestionGroup.category)
    )
    return [
        {"category": c, "category_label": category_label(c), "groups": g, "comments": int(n), "answered": a}
        for c, g, n, a in session.execute(q)
    ]


def question_rows(session: Session, show_id: int, unanswered_only: bool = False, limit: int = 500) -> list[dict[str, Any]]:
    """Question groups, most asked first. unanswered_only: status new or to_host."""
    where = list(_question_filter(show_id))
    if unanswered_only:
        where.append(QuestionGroup.status.in_(("new", "to_host")))
    q = (
        select(QuestionGroup)
        .where(*where)
        .order_by(QuestionGroup.askers.desc(), QuestionGroup.comments.desc(), QuestionGroup.first_seen)
        .limit(limit)
    )
    return [
        {
            "id": g.id,
            "category": g.category,
            "category_label": category_label(g.category),
            "text": g.text,
            "status": g.status,
            "status_label": QUESTION_STATUS_LABELS.get(g.status, g.status),
            "comments": g.comments,
            "askers": g.askers,
            "first_seen": g.first_seen,
            "answered_at": g.answered_at,
            "answer": g.answer,
            "response_s": None if g.answered_at is None else (g.answered_at - g.first_seen).total_seconds(),
        }
        for g in session.scalars(q)
    ]


# ---------------------------------------------------------------- promises


def promise_rows(session: Session, show_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """Each promise with its status and fulfilment progress, read through services.promises
    (overdue = its active items not done and past due)."""
    from services import promises

    return [
        {
            "id": p.id,
            "said_at": p.said_at,
            "text": p.text,
            "kind": p.kind,
            "kind_label": p.kind_label,
            "scope_label": p.scope_label,
            "deal": p.deal_product or "",
            "due_at": p.due_at,
            "status": p.status,
            "status_label": p.status_label,
            "items_total": p.total,
            "items_done": p.done,
            "overdue": p.overdue,
        }
        for p in promises.list_promises(session, show_id, now=now)
    ]


# ---------------------------------------------------------------- event log


def event_operators(session: Session, show_id: int) -> list[tuple[int, str]]:
    """(operator id, name) of everyone who acted on the show, for the log's filter."""
    q = (
        select(Operator.id, Operator.name)
        .where(Operator.id.in_(select(Event.operator_id).where(Event.show_id == show_id)))
        .order_by(Operator.name)
    )
    return [(i, n) for i, n in session.execute(q)]


def event_kinds(session: Session, show_id: int) -> list[str]:
    """The distinct event kinds logged for the show, for the log's filter."""
    return list(session.scalars(select(Event.kind).where(Event.show_id == show_id).distinct().order_by(Event.kind)))


# ---------------------------------------------------------------- comparison


def recent_show_ids(session: Session, n: int = 5, upto_show_id: int | None = None) -> list[int]:
    """The last n shows (by scheduled start) up to and including `upto_show_id`, oldest first."""
    q = select(Show.id).order_by(Show.scheduled_start.desc(), Show.id.desc())
    if upto_show_id is not None:
        ref = shows.get_show(session, upto_show_id)
        q = q.where(Show.scheduled_start <= ref.scheduled_start)
    return list(reversed(list(session.scalars(q.limit(n)))))


COMPARE_KEYS = ("watch_rate", "order_rate", "buyers", "gmv", "avg_order_value", "answered_rate", "promises_kept_rate")


def compare(session: Session, n: int = 5, upto_show_id: int | None = None) -> list[dict[str, Any]]:
    """The main KPIs of the last n shows, oldest first, one dict per show."""
    out = []
    for sid in recent_show_ids(session, n, upto_show_id):
        show = shows.get_show(session, sid)
        k = kpis(session, sid)
        row = {"show_id": sid, "title": show.title, "date": show.scheduled_start}
        row.update({key: k[key] for key in COMPARE_KEYS})
        row["reach_minutes"] = _first_reach(k["deals"])
        out.append(row)
    return out


def _first_reach(deals: list[dict[str, Any]]) -> float | None:
    times = [d["minutes_release_to_threshold"] for d in deals if d["minutes_release_to_threshold"] is not None]
    return min(times) if times else None


# ---------------------------------------------------------------- charts (Altair, no Streamlit)

MARKER_COLORS = {
    "start": "#888888", "end": "#888888", "release": "#1f77b4", "threshold": "#2ca02c",
    "sold_out": "#d62728", "failed": "#7f7f7f", "promise": "#9467bd", "question_peak": "#ff7f0e",
    "feed_gap": "#bcbd22",
}
MARKER_KIND_LABELS = {
    "start": "开播/下播", "end": "开播/下播", "release": "发布接龙", "threshold": "成团",
    "sold_out": "售罄", "failed": "未成团", "promise": "承诺", "question_peak": "提问高峰",
    "feed_gap": "采集中断",
}


def fill_minutes(series: list[dict[str, Any]], max_minutes: int = 24 * 60) -> list[dict[str, Any]]:
    """The per-minute rows with the quiet minutes in between as zeros, so a line never
    bridges a gap as if something happened there."""
    if len(series) < 2:
        return series
    first, last = series[0]["minute"], series[-1]["minute"]
    span = int((last - first).total_seconds() // 60)
    if span > max_minutes:
        return series
    have = {r["minute"]: r for r in series}
    out = []
    for i in range(span + 1):
        m = first + timedelta(minutes=i)
        out.append(have.get(m) or {"minute": m, "entries": 0, "comments": 0, "questions": 0})
    return out


def timeline_chart(series: list[dict[str, Any]], marks: list[dict[str, Any]], width: int | str = "container",
                   height: int = 320) -> alt.LayerChart | None:
    """Entries and comments per minute, with a dashed rule and a label at each milestone."""
    if not series and not marks:
        return None
    series = fill_minutes(series)
    long = pd.DataFrame(
        [{"时间": r["minute"], "指标": "接龙", "每分钟": r["entries"]} for r in series]
        + [{"时间": r["minute"], "指标": "评论", "每分钟": r["comments"]} for r in series],
        columns=["时间", "指标", "每分钟"],
    )
    x = alt.X("时间:T", title="时间", axis=alt.Axis(format="%H:%M"))
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=x,
            y=alt.Y("每分钟:Q", title="每分钟条数"),
            color=alt.Color("指标:N", title=None, scale=alt.Scale(domain=["接龙", "评论"], range=["#e4572e", "#4c78a8"]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "指标:N", "每分钟:Q"],
        )
    )
    layers: list[alt.Chart] = [lines]
    chart_marks = [m for m in marks if m["kind"] not in ("start", "end")] or marks
    if chart_marks:
        mdf = pd.DataFrame(
            [
                {"时间": m["at"], "事件": m["label"], "标注": m.get("short", m["label"]),
                 "类型": MARKER_KIND_LABELS.get(m["kind"], m["kind"]), "偏移": 55 * (i % 3)}
                for i, m in enumerate(chart_marks)
            ]
        )
        kinds = list(dict.fromkeys(mdf["类型"]))
        by_label = {MARKER_KIND_LABELS[k]: c for k, c in MARKER_COLORS.items()}
        kind_scale = alt.Scale(domain=kinds, range=[by_label.get(k, "#555555") for k in kinds])
        kind_color = alt.Color("类型:N", scale=kind_scale, legend=alt.Legend(title=None, orient="bottom"))
        rules = alt.Chart(mdf).mark_rule(strokeDash=[4, 3], opacity=0.8).encode(
            x="时间:T", color=kind_color, tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "事件:N"]
        )
        labels = alt.Chart(mdf).mark_text(angle=270, align="right", baseline="bottom", dx=-4, fontSize=11).encode(
            x="时间:T",
            y=alt.value(0),
            yOffset=alt.YOffset("偏移:Q", scale=None),
            text="标注:N",
            color=alt.Color("类型:N", scale=kind_scale, legend=None),
            tooltip=[alt.Tooltip("时间:T", format="%H:%M"), "事件:N"],
        )
        layers += [rules, labels]
        return _sized(alt.layer(*layers).resolve_scale(color="independent"), width, height)
    return _sized(alt.layer(*layers), width, height)


def _sized(chart: alt.LayerChart, width: int | str, height: int) -> alt.LayerChart:
    """Fixed plot height; in a page ("container") only the width follows the container, so the
    milestone labels never squeeze the plot (autosize "fit" would shrink it to make room)."""
    if width == "container":
        return chart.properties(width=width, height=height,
                                autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return chart.properties(width=width, height=height)


def category_chart(rows: list[dict[str, Any]], width: int | str = "container") -> alt.Chart | None:
    if not rows:
        return None
    df = pd.DataFrame([{"类别": r["category_label"], "问题组": r["groups"], "评论": r["comments"]} for r in rows])
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("类别:N", sort="-x", title=None),
            x=alt.X("问题组:Q", title="问题组数"),
            tooltip=["类别:N", "问题组:Q", "评论:Q"],
        )
        .properties(width=width, height=max(60, 28 * len(df)))
    )


def compare_chart(rows: list[dict[str, Any]], width: int | str = "container") -> alt.Chart | None:
    """Watch rate, order rate, answered rate and kept rate per show, side by side."""
    if not rows:
        return None
    names = {"watch_rate": "观看率", "order_rate": "下单转化率", "answered_rate": "回复率", "promises_kept_rate": "承诺兑现率"}
    recs = []
    for r in rows:
        label = f"{r['date']:%m-%d} {_short(r['title'], 12)}"
        for key, name in names.items():
            if r.get(key) is not None:
                recs.append({"场次": label, "指标": name, "比例": r[key]})
    if not recs:
        return None
    df = pd.DataFrame(recs)
    order = list(dict.fromkeys(df["场次"]))
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("场次:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("指标:N", sort=list(names.values())),
            y=alt.Y("比例:Q", axis=alt.Axis(format="%"), title=None),
            color=alt.Color("指标:N", sort=list(names.values()), legend=alt.Legend(orient="top", title=None)),
            tooltip=["场次:N", "指标:N", alt.Tooltip("比例:Q", format=".1%")],
        )
        .properties(width=width, height=260)
    )


# ---------------------------------------------------------------- event log labels

EVENT_LABELS = {
    "show.created": "创建场次", "show.updated": "修改场次", "show.started": "开播", "show.ended": "下播",
    "deal.created": "创建团品", "deal.updated": "修改团品", "deal.released": "发布接龙",
    "deal.reached": "成团", "deal.sold_out": "售罄", "deal.failed": "未成团",
    "viewers.recorded": "录入观看数据", "viewers.imported": "导入观看数据",
    "hostlink.created": "生成主播链接", "hostlink.revoked": "撤销主播链接",
    "review.exported": "导出数据",
    "chain.entry_added": "录入接龙", "chain.entry_cancelled": "取消接龙", "chain.pasted": "粘贴接龙",
    "chain.imported": "导入订单", "comments.ingested": "录入评论",
    "question.answered": "回复问题", "question.dismissed": "忽略问题", "question.to_host": "转给主播",
    "question.merged": "合并问题", "question.recategorized": "修改问题类别", "question.undone": "撤销问题操作",
    "promise.logged": "记录承诺", "promise.batch_logged": "批量记录承诺", "promise.confirmed": "确认承诺",
    "promise.expanded": "生成履约项", "promise.updated": "修改承诺", "promise.status": "更新承诺状态",
    "promise.discarded": "删除承诺", "promise.items": "勾选履约项", "promise.claim": "登记申请",
    "lexicon.seeded": "初始化词库", "lexicon.term_set": "修改词库", "lexicon.term_deleted": "删除词条",
}
EVENT_PREFIX_LABELS = {
    "show": "场次", "deal": "团品", "chain": "接龙", "jielong": "接龙", "entry": "接龙", "orders": "接龙",
    "comment": "评论", "comments": "评论", "question": "问题", "triage": "问题", "lexicon": "分类词库",
    "promise": "承诺", "fulfilment": "履约", "viewers": "观看数据", "hostlink": "主播链接",
    "auth": "登录", "operator": "运营人员", "review": "复盘",
}


def event_label(kind: str) -> str:
    if kind in EVENT_LABELS:
        return EVENT_LABELS[kind]
    prefix, _, rest = kind.partition(".")
    return f"{EVENT_PREFIX_LABELS[prefix]}·{rest}" if prefix in EVENT_PREFIX_LABELS and rest else kind


def event_detail(payload: dict[str, Any], max_len: int = 120) -> str:
    """A payload as one short line of key=value pairs (shown as plain text, never HTML)."""
    text = "，".join(f"{k}={v}" for k, v in (payload or {}).items() if v not in (None, "", [], {}))
    return text if len(text) <= max_len else text[: max_len - 1] + "…"
