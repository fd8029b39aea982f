"""场次准备: create and edit shows, then the show's deals (团品): create, edit, list with readiness."""
from decimal import Decimal

import pandas as pd
import streamlit as st

from services import clock, jielong, shows
from ui import context as ctx, kept
from ui.markdown import literal
from ui.picks import forget_pick, held_pick


def show_form(prefix: str, show=None) -> shows.ShowForm | None:
    start, end = (show.scheduled_start, show.scheduled_end) if show else shows.default_slot(clock.now())
    with st.form(f"{prefix}_form"):
        title = st.text_input("标题", value=show.title if show else "", key=f"{prefix}_title")
        c1, c2 = st.columns(2)
        known = [] if show else ctx.read(shows.community_names)
        community = c1.text_input("社群名称", value=show.community.name if show else "", key=f"{prefix}_community",
                                  placeholder=f"如 {known[0]}" if known else "如 阳光花园团购群")
        members = c2.number_input("社群成员数", min_value=1, step=1, value=show.community.member_count if show else 300,
                                  key=f"{prefix}_members")
        if known:  # a caption, not a tooltip: the field's label stays the only thing named 社群名称
            st.caption(_community_help(known))
        host = st.text_input("主播", value=show.host_name if show else "", key=f"{prefix}_host")
        c3, c4 = st.columns(2)
        start = c3.datetime_input("计划开始", value=start, key=f"{prefix}_start")
        end = c4.datetime_input("计划结束", value=end, key=f"{prefix}_end")
        if not st.form_submit_button("保存场次", type="primary"):
            return None
    return shows.ShowForm(title, community, int(members), host, start, end)


def _community_help(known: list[str]) -> str:
    return ("已有社群：" + "、".join(known[:8]) + "。名称须与已有的一字不差，否则会新建社群，"
            "成员、复购和 KOC 分开统计。")


def _num(value) -> float | None:
    return None if value is None else float(value)


def deal_form(prefix: str, show, deal=None) -> jielong.DealForm | None:
    """The deal form; empty numbers stay empty (None) so the service names what is missing."""
    deadline = deal.deadline if deal and deal.deadline else shows.default_deadline(show.scheduled_end)
    with st.form(f"{prefix}_form"):
        product = st.text_input("商品名称", value=deal.product if deal else "", key=f"{prefix}_product")
        points = st.text_area("核心卖点（每行一条）", value=deal.selling_points if deal else "", height=90,
                              key=f"{prefix}_points")
        s1, s2 = st.columns(2)
        specs = s1.text_input("规格选项（用逗号分隔，可留空）", value=deal.spec_options if deal else "",
                              key=f"{prefix}_specs")
        spec_prices = s2.text_input(
            "规格价格（可选，不同规格不同价时填）", value=jielong.spec_prices_text(deal.spec_prices) if deal else "",
            placeholder="例：10斤装=69.9；没写的规格按专享价", key=f"{prefix}_spec_prices")
        spec_stock = st.text_input(
            "规格限量（可选，某个规格单独限量时填）", value=jielong.spec_stock_text(deal.spec_stock) if deal else "",
            placeholder="例：10斤装=20；超出的接龙会标记待核实", key=f"{prefix}_spec_stock")
        c1, c2 = st.columns(2)
        price = c1.number_input("专享价（元）", value=_num(deal.group_price) if deal else None, step=0.1, format="%.2f",
                                key=f"{prefix}_price")
        original = c2.number_input("原价（元，可留空）", value=_num(deal.original_price) if deal else None, step=0.1,
                                   format="%.2f", key=f"{prefix}_original")
        c3, c4, c5 = st.columns(3)
        threshold = c3.number_input("成团数", value=deal.threshold if deal else None, step=1, key=f"{prefix}_threshold")
        units = list(jielong.THRESHOLD_UNITS)
        unit = c4.selectbox("成团单位", units, index=units.index(deal.threshold_unit) if deal else 0,
                            format_func=jielong.unit_label, key=f"{prefix}_unit",
                            help="份：按份数成团；人：按接龙人数成团")
        stock = c5.number_input("限量（份，留空为不限量）", value=deal.stock if deal else None, step=1,
                                key=f"{prefix}_stock")
        c6, c7, c8 = st.columns([1, 1, 2])
        limit = c6.number_input("每人限购（留空不限）", value=deal.per_person_limit if deal else None, step=1,
                                key=f"{prefix}_limit")
        perk_n = c7.number_input("前 N 名福利", value=deal.perk_first_n if deal else None, step=1, key=f"{prefix}_perk_n")
        perk = c8.text_input("福利内容", value=deal.perk_text if deal else "", key=f"{prefix}_perk")
        c9, c10 = st.columns([2, 1])
        delivery = c9.text_input("预计送达 / 自提", value=deal.delivery_text if deal else "",
                                 placeholder="例：明天中午 12 点前送达，小区东门自提", key=f"{prefix}_delivery")
        deadline = c10.datetime_input("截止时间", value=deadline, key=f"{prefix}_deadline")
        if not st.form_submit_button("保存团品", type="primary"):
            return None
    return jielong.DealForm(
        product=product,
        selling_points=points,
        spec_options=specs,
        group_price=None if price is None else Decimal(str(round(price, 2))),
        original_price=None if original is None else Decimal(str(round(original, 2))),
        threshold=None if threshold is None else int(threshold),
        threshold_unit=unit,
        stock=None if stock is None else int(stock),
        per_person_limit=None if limit is None else int(limit),
        perk_first_n=None if perk_n is None else int(perk_n),
        perk_text=perk,
        delivery_text=delivery,
        deadline=deadline,
        spec_prices=spec_prices,
        spec_stock=spec_stock,
    )


def _deal_rows(session, show_id: int) -> list[dict]:
    rows = []
    for d in jielong.list_deals(session, show_id):
        draft = d.status == jielong.DealStatus.DRAFT
        problems = jielong.readiness(session, d.id) if draft else []
        rows.append({
            "编号": d.id,
            "团品": d.product,
            "状态": jielong.status_label(d.status),
            "专享价": f"¥{d.group_price}",
            "成团": f"{d.threshold}{jielong.unit_label(d.threshold_unit)}",
            "限量": ("不限" if d.stock is None else f"{d.stock} 份")  # one type: a mixed column trips pyarrow
                    + (f"（{jielong.spec_stock_text(d.spec_stock)}）" if d.spec_stock else ""),
            "截止": d.deadline,
            "发布检查": ("可发布" if not problems else "；".join(problems)) if draft else "已发布",
        })
    return rows


_fresh, _clear = kept.fresh, kept.renew  # a saved form comes back empty: no twin on a second click


def render_shows(actor) -> None:
    tab_new, tab_edit = st.tabs(["新建场次", "编辑当前场次"])
    with tab_new:
        form = show_form(_fresh("setup_new"))
        fresh = form is not None and form.community_name.strip() not in ctx.read(shows.community_names)
        done = f"场次已创建（新社群「{form.community_name.strip()}」）" if fresh else "场次已创建"  # act escapes it
        if form and (created := ctx.act(shows.create_show, actor, form, success=done)):
            _clear("setup_new")
            ctx.select_show(created.value.id)  # in the sidebar picker at once, and its deals below
            st.rerun()
    with tab_edit:
        show_id = ctx.show_id()
        if show_id is not None:
            current = ctx.read(shows.get_show, show_id)
            form = show_form(f"setup_edit_{show_id}", current)
            if form and ctx.act(shows.update_show, actor, show_id, form, success="已保存"):
                st.rerun()  # the sidebar label follows a new title
            rehearsal = st.toggle("彩排场（模拟器可写入；复盘的多场对比不计入）", value=current.rehearsal,
                                  key=f"setup_rehearsal_{show_id}")
            if rehearsal != current.rehearsal:
                if ctx.act(shows.set_rehearsal, actor, show_id, rehearsal, success="已更新"):
                    st.rerun()


def render_deals(actor, show_id: int) -> None:
    show = ctx.read(shows.get_show, show_id)
    st.header(f"团品 · {literal(show.title)}")
    rows = ctx.read(_deal_rows, show_id)
    if rows:
        st.dataframe(
            pd.DataFrame(rows).drop(columns=["编号"]), hide_index=True,
            column_config={"截止": st.column_config.DatetimeColumn("截止", format="MM-DD HH:mm")},
        )
    else:
        st.caption("这一场还没有团品。")
    tab_deal_new, tab_deal_edit = st.tabs(["新建团品", "编辑团品"])
    with tab_deal_new:
        _new_deal(actor, show)
    with tab_deal_edit:
        _edit_deal(actor, show, rows)


def _new_deal(actor, show) -> None:
    prefix = f"setup_deal_new_{show.id}"  # per show: its default deadline follows the show
    form = deal_form(_fresh(prefix), show)
    if form and ctx.act(jielong.create_deal, actor, show.id, form, success="团品已创建"):
        _clear(prefix)
        st.rerun()


def _edit_deal(actor, show, rows: list[dict]) -> None:
    if not rows:
        st.caption("先新建团品。")
        return
    labels = {r["编号"]: f"{r['团品']}（{r['状态']}）" for r in rows}
    deal_id = held_pick(st, "选择团品", labels, key="setup_deal_pick")  # a deal released meanwhile stays chosen
    deal = ctx.read(jielong.get_deal, deal_id)
    if deal.status != jielong.DealStatus.DRAFT:
        st.caption("接龙已发布：商品、专享价和成团条件不能再改；限量、福利、配送和截止时间可以改。")
    form = deal_form(f"setup_deal_edit_{deal_id}", show, deal)
    if form and ctx.act(jielong.update_deal, actor, deal_id, form, success="团品已保存"):
        st.rerun()
    if deal.status == jielong.DealStatus.DRAFT:
        _delete_deal(actor, deal)


def _delete_deal(actor, deal) -> None:
    """Deleting a draft: the button opens a confirmation naming the deal."""
    with st.popover("删除这个团品（草稿）"):
        st.warning(f"确定删除团品「{literal(deal.product)}」？删除后不能恢复（只有未发布的草稿可以删除）。")
        if st.button(f"确认删除「{literal(deal.product)}」", key=f"setup_deal_delete_{deal.id}", type="primary"):
            if ctx.act(jielong.delete_deal, actor, deal.id, success=f"已删除团品「{deal.product}」"):
                forget_pick("setup_deal_pick")
                st.rerun()


def main() -> None:
    st.title("场次准备")
    actor = ctx.actor()
    render_shows(actor)
    st.divider()
    show_id = ctx.show_id()
    if show_id is None:
        st.info("请先创建或在左侧选择场次，再添加团品。")
        st.stop()
    render_deals(actor, show_id)


main()
