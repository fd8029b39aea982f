"""The one-file HTML review report (复盘报告) a store owner can forward.

Everything lives in one .html file: the CSS inline, each chart rendered to PNG with
vl-convert and embedded as a base64 data URI. Every piece of user text (show title,
product names, questions, promises, operator names) goes through html.escape.
"""
from __future__ import annotations

import base64
import html
import io
from datetime import datetime
from typing import Any

import altair as alt
from sqlalchemy.orm import Session

from services import clock, jielong, shows
from services.formats import pct
from services.review import charts, metrics, tables, timeline

FONT = "Noto Sans CJK SC"
CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei","Source Han Sans SC",sans-serif;
margin:0;background:#f6f7f9;color:#222;line-height:1.55}
main{max-width:980px;margin:0 auto;padding:24px 20px 48px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;border-left:4px solid #e4572e;padding-left:8px}
.sub{color:#666;font-size:14px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
.kpi{border:1px solid #e3e3e3;border-radius:8px;padding:10px 12px}
.kpi .l{color:#666;font-size:13px}.kpi .v{font-size:22px;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e5e5e5;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#fafafa}.n{text-align:right;white-space:nowrap}.k{white-space:nowrap}
img{max-width:100%;height:auto}.muted{color:#888}
footer{margin-top:32px;color:#999;font-size:12px}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}" if v != int(v) else f"{int(v):,}"
    return f"{v:,}"


def hm(at: datetime | None) -> str:
    return "—" if at is None else f"{at:%H:%M}"


def png_data_uri(chart: alt.TopLevelMixin, width: int = 900, scale: float = 1.5) -> str:
    """A chart as a PNG data URI (vl-convert, CJK font set explicitly), reduced to a
    128-colour palette so the report stays small enough to forward in a chat."""
    import vl_convert as vlc

    spec = chart.properties(width=width) if hasattr(chart, "properties") else chart
    spec = (
        spec.configure(font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=13)
        .configure_legend(labelFontSize=13)
        .configure_text(fontSize=12)
    )
    png = _quantize(vlc.vegalite_to_png(spec.to_json(), scale=scale))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _quantize(png: bytes) -> bytes:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with qrcode[pil]
        return png
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128).save(out, "PNG", optimize=True)
    return out.getvalue()


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    return f"{seconds // 60}分{seconds % 60:02d}秒" if seconds >= 60 else f"{seconds}秒"


def kpi_tiles(k: dict[str, Any], community: bool = True) -> list[tuple[str, str]]:
    """(label, formatted value) for the report's and the page's tiles, audience and sales first."""
    tiles = [("社群成员数", num(k["community_size"]))] if community else []
    return tiles + [
        ("累计观看", num(k["viewers"])),
        ("观看率", pct(k["watch_rate"])),
        ("下单人数", num(k["buyers"])),
        ("下单转化率", pct(k["order_rate"])),
        ("成交额", f"¥{k['gmv']:,.2f}"),
        ("客单价", "—" if k["avg_order_value"] is None else f"¥{k['avg_order_value']:,.2f}"),
        ("有效单数", num(k["entries"])),
        ("有效份数", num(k["units"])),
        ("最高在线", num(k["peak_online"])),
        ("评论人数", num(k["commenters"])),
        ("提问（问题组）", num(k["questions"])),
        ("回复率", pct(k["answered_rate"])),
        ("回复用时中位数", duration(k["median_response_s"])),
        ("承诺", num(k["promises"])),
        ("承诺兑现率", pct(k["promises_kept_rate"])),
        ("逾期履约项", num(k["promises_overdue"])),
    ]


def _table(headers: list[str], rows: list[list[Any]], numeric: set[int] = frozenset(), wrap: set[int] = frozenset()) -> str:
    """An HTML table; every cell escaped. Columns in `wrap` may wrap, the others stay on one line."""
    if not rows:
        return '<p class="muted">（无）</p>'

    def cls(i: int) -> str:
        return " class=n" if i in numeric else ("" if i in wrap else " class=k")

    head = "".join(f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{esc(v)}</td>" for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(session: Session, show_id: int, now: datetime | None = None, compare_n: int = 5) -> str:
    """The report as one self-contained HTML string."""
    now = now or clock.now()
    show = shows.get_show(session, show_id)
    k = metrics.kpis(session, show_id)
    parts = _head(show, k)
    parts += _timeline(timeline.minute_series(session, show_id), timeline.markers(session, show_id))
    parts += _deals(k["deals"])
    parts += _questions(
        tables.questions_by_category(session, show_id),
        tables.question_rows(session, show_id, unanswered_only=True, limit=30),
    )
    parts += _promises(tables.promise_rows(session, show_id, now=now))
    parts += _comparison(metrics.compare(session, compare_n, upto_show_id=show_id))
    parts.append(f"<footer>由直播夜中控台生成于 {esc(f'{now:%Y-%m-%d %H:%M}')}。</footer></main></body></html>")
    return "\n".join(parts)


def _head(show, k: dict[str, Any]) -> list[str]:
    return [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>复盘报告 · {esc(show.title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>复盘报告 · {esc(show.title)}</h1>",
        f'<p class="sub">社群：{esc(show.community.name)}　主播：{esc(show.host_name)}　'
        f"直播时间：{esc(f'{(show.actual_start or show.scheduled_start):%Y-%m-%d %H:%M}')}"
        f"{esc(f' – {show.actual_end:%H:%M}') if show.actual_end else ''}　"
        f"状态：{esc(shows.STATUS_LABELS.get(show.status, show.status))}</p>",
        "<h2>核心指标</h2><div class=kpis>",
        *(f'<div class=kpi><div class=l>{esc(l)}</div><div class=v>{esc(v)}</div></div>' for l, v in kpi_tiles(k)),
        "</div>",
        f"<p>{esc(summary_sentence(k))}</p>",
        *([f'<p class="muted">{esc(note)}</p>'] if (note := answered_note(k)) else []),
    ]


def answered_note(k: dict[str, Any]) -> str:
    """How 回复率 is counted when questions were dismissed (提问 9, 回复率 3/8 = 37.5%, not 3/9), or ""."""
    dismissed = k.get("questions_dismissed") or 0
    if not dismissed:
        return ""
    return (f"回复率只算需要回复的问题：提问 {k['questions']} 个中已忽略 {dismissed} 个，"
            f"按 {k['questions'] - dismissed} 个计。")


def _timeline(series: list[dict[str, Any]], marks: list[dict[str, Any]]) -> list[str]:
    parts = ["<h2>直播时间线</h2>"]
    tl = charts.timeline_chart(series, marks, width=900)
    if tl is None:
        return parts + ['<p class="muted">本场还没有按分钟的记录。</p>']
    parts.append(f'<img alt="直播时间线：每分钟接龙与评论" src="{png_data_uri(tl)}">')
    parts.append(_table(["时间", "事件"], [[hm(m["at"]), m["label"]] for m in marks], wrap={1}))
    return parts


def _deals(deals: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            d["product"], f"¥{d['group_price']:,.2f}" + (f"（{d['spec_prices']}）" if d["spec_prices"] else ""),
            f"{d['threshold']}{d['threshold_unit_label']}",
            d["entries"], d["units"], d["buyers"], f"¥{d['gmv']:,.2f}", hm(d["released_at"]),
            minutes_text(d["minutes_release_to_threshold"]), minutes_text(d["minutes_to_sellout"]), d["outcome_label"],
        ]
        for d in deals
    ]
    headers = ["团品", "团购价", "成团数", "有效单数", "份数", "下单人数", "成交额", "发布", "成团用时", "售罄用时", "结果"]
    notes = [n for n in (split_note(deals), flagged_note(deals), refunded_note(deals)) if n]
    return ["<h2>团品</h2>", _table(headers, rows, numeric={1, 3, 4, 5, 6}, wrap={0}),
            *(f'<p class="muted">{esc(n)}</p>' for n in notes)]


def split_note(deals: list[dict[str, Any]]) -> str:
    """Why 有效单数 exceeds the chain's line count: lines naming several specs count one order
    per spec (services.review.metrics.split_lines), or "" when no line was split."""
    lines = sum(d.get("split_lines", 0) for d in deals)
    if not lines:
        return ""
    entries = sum(d.get("split_entries", 0) for d in deals)
    return f"有效单数含 {lines} 行接龙拆为多个规格（每个规格计 1 单，这 {lines} 行共计 {entries} 单）。"


def flagged_note(deals: list[dict[str, Any]]) -> str:
    """Orders counted in 有效单数 whose money 成交额 leaves out (the console's 待核实), or "". A failed
    deal's orders are in no 有效单数 (refunded, see refunded_note): its flagged ones are not said here."""
    deals = [d for d in deals if jielong.deal_counts_toward_gmv(d.get("outcome"))]
    n = sum(d["entries_flagged"] for d in deals)
    if not n:
        return ""
    money_out = sum(d["gmv_flagged"] for d in deals)  # floats, as metrics.money gives them
    return (f"有效单数含 {n} 单待核实的接龙（超出限购、超出规格限量或最新接龙中缺失），"
            f"其金额 ¥{money_out:,.2f} 未计入成交额。")


def refunded_note(deals: list[dict[str, Any]]) -> str:
    """The failed deals (未成团, refunded) shown apart: their orders are no sales, or ""."""
    n = sum(d["refunded_entries"] for d in deals)
    if not n:
        return ""
    money_back = sum(d["refunded"] for d in deals)
    return f"未成团 {n} 单 ¥{money_back:,.2f}（已退款），未计入成交额、有效单数、份数和下单人数。"


def _questions(cats: list[dict[str, Any]], open_q: list[dict[str, Any]]) -> list[str]:
    parts = ["<h2>观众提问</h2>"]
    cc = charts.category_chart(cats, width=700)
    if cc is not None:
        parts.append(f'<img alt="按类别的提问" src="{png_data_uri(cc, width=700)}">')
    parts.append(
        _table(["类别", "问题组", "评论条数", "已回复"], [[c["category_label"], c["groups"], c["comments"], c["answered"]] for c in cats],
               numeric={1, 2, 3})
    )
    parts.append("<h3>未回复的问题</h3>")
    if len(open_q) >= 30:
        parts.append('<p class="muted">仅列出提问人数最多的 30 个，完整列表请导出「问题」。</p>')
    parts.append(
        _table(["类别", "问题", "提问人数", "首次出现", "状态"],
               [[q["category_label"], q["text"], q["askers"], hm(q["first_seen"]), q["status_label"]] for q in open_q],
               numeric={2}, wrap={1})
    )
    return parts


def _promises(prom: list[dict[str, Any]]) -> list[str]:
    return [
        "<h2>承诺履约</h2>",
        _table(["时间", "承诺原话", "类型", "范围", "截止", "状态", "履约进度", "逾期项"],
               [[hm(p["said_at"]), p["text"], p["kind_label"], p["scope_label"], _dt(p["due_at"]), p["status_label"],
                 f"{p['items_done']}/{p['items_total']}" if p["items_total"] else "—", p["overdue"] or ""] for p in prom],
               numeric={7}, wrap={1}),
    ]


# The comparison's 成团 column holds the fastest release → 成团 of the show's deals, which need not be
# the deal that reached 成团 first by the clock (night 18: 鸡蛋 first at 20:54 after 14.4 min, 上海青 8 min).
REACH_LABEL = "最快成团用时"


def _comparison(comp: list[dict[str, Any]]) -> list[str]:
    if len(comp) <= 1:
        return []
    parts = [f"<h2>{esc(compare_heading(comp))}</h2>"]
    ch = charts.compare_chart(comp, width=800)
    if ch is not None:
        parts.append(f'<img alt="近几场对比" src="{png_data_uri(ch, width=800)}">')
    parts.append(
        _table(["日期", "场次", "观看率", "下单转化率", "下单人数", "成交额", "客单价", REACH_LABEL],
               [[f"{c['date']:%m-%d}", c["title"], pct(c["watch_rate"]), pct(c["order_rate"]), c["buyers"],
                 f"¥{c['gmv']:,.2f}", "—" if c["avg_order_value"] is None else f"¥{c['avg_order_value']:,.2f}",
                 minutes_text(c["reach_minutes"])] for c in comp],
               numeric={2, 3, 4, 5, 6}, wrap={1})
    )
    return parts


def compare_heading(comp: list[dict[str, Any]]) -> str:
    """「源味集 近 5 场对比」: the comparison holds one community's shows (metrics.recent_show_ids)."""
    if not comp:
        return "近几场对比"
    return f"{comp[-1]['community']} 近 {len(comp)} 场对比"


def summary_sentence(k: dict[str, Any]) -> str:
    """One Chinese sentence with the night's headline figures."""
    if k["viewers"] is None:  # nobody recorded the platform's numbers: said, never shown as 0 人观看
        bits = [f"社群 {k['community_size']} 人，本场未录入观看数据"]
    elif k["viewers"] > k["community_size"]:  # the platform also counts viewers from outside the group
        bits = [f"累计观看 {k['viewers']} 人，多于社群的 {k['community_size']} 人（含群外观众）"]
    else:
        bits = [f"社群 {k['community_size']} 人中 {k['viewers']} 人观看（{pct(k['watch_rate'])}）"]
    rate = "" if k["order_rate"] is None else f"（观看到下单 {pct(k['order_rate'])}）"
    bits.append(f"{k['buyers']} 人下单{rate}")
    if reach := _reach_text(k["deals"]):
        bits.append(reach)
    bits.append(f"成交额 ¥{k['gmv']:,.2f}")
    if k.get("refunded_entries"):  # a failed deal (未成团): refunded, told apart from the sales
        bits.append(f"另有未成团 {k['refunded_entries']} 单 ¥{k['refunded_gmv']:,.2f} 已退款")
    return "，".join(bits) + "。"


def _reach_text(deals: list[dict[str, Any]]) -> str:
    """成团 in the summary: the one deal's time, or of several how many made it and the fastest
    (naming one deal alone read as if only that one reached its threshold)."""
    reach = [d for d in deals if d["minutes_release_to_threshold"] is not None]
    if not reach:
        return ""
    first = min(reach, key=lambda d: d["minutes_release_to_threshold"])
    fastest = f"「{first['product']}」发布后 {minutes_text(first['minutes_release_to_threshold'])}成团"
    if len(deals) == 1:
        return fastest
    made = "全部成团" if len(reach) == len(deals) else f"中 {len(reach)} 个成团"
    return f"{len(deals)} 个团品{made}，最快的{fastest}"


def minutes_text(v: float | None) -> str:
    """Minutes with one decimal always (night 18: `8 分钟` beside `14.4 分钟` in one column)."""
    if v is None:
        return "—"
    return f"{v:.1f} 分钟"


def _dt(at: datetime | None) -> str:
    return "—" if at is None else f"{at:%m-%d %H:%M}"
