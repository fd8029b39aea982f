"""提货链接 tab: a link (with a QR code) for a person at the counter without an account: it opens
only this show's 提货核销, expires, and can be revoked at once."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from services import config, pickup
from services.authz import Actor, can
from ui import console_hostlink as hostlink
from ui import context as ctx, kept

NEW_KEY = "pickup_link_new"
FORM = "pickup_newlink"  # the form's key prefix (ui.kept.fresh); no other key starts with it


def link_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/?{urlencode({'pickup': token})}"


def render(show_id: int, actor: Actor) -> None:
    if not can(actor, "pickuplink.manage"):
        st.caption("提货链接由直播助手生成。")
        return
    st.caption("发给门店店员：无需账号，只能核销本场订单，到期或撤销后立即失效。")
    form = kept.fresh(FORM)  # emptied after a link is made: a second click makes no twin link
    with st.form(f"{form}_form", border=True):
        label = st.text_input("使用人", key=f"{form}_label", placeholder="如 前台小周")
        hours = st.number_input("有效时长（小时）", min_value=1, max_value=pickup.MAX_LINK_HOURS,
                                value=pickup.DEFAULT_LINK_HOURS, step=1, key=f"{form}_hours")
        submitted = st.form_submit_button("生成提货链接", type="primary", width="stretch")
    if submitted:
        done = ctx.act(pickup.create_link, actor, show_id, label, float(hours), success="提货链接已生成")
        if done:
            token = done.value
            headers = st.context.headers
            base = hostlink.base_url(st.context.url, headers.get("Host") if headers else None, config.get("PUBLIC_URL"))
            url = link_url(base, token)
            grant = ctx.read(pickup.resolve_link, token)
            st.session_state[NEW_KEY] = {"show_id": show_id, "id": grant.link_id, "url": url, "png": hostlink.qr_png(url)}
            kept.renew(FORM)
            st.rerun()
    _show_new(show_id)
    _list(show_id, actor)


def _show_new(show_id: int) -> None:
    new = st.session_state.get(NEW_KEY)
    if not new or new["show_id"] != show_id:
        return
    st.code(new["url"], language=None, wrap_lines=True)
    if hostlink.is_loopback(new["url"]):
        st.warning("这是本机地址，手机打不开：请用局域网地址打开本页，或设置 PUBLIC_URL。")
    st.image(new["png"], width=200, caption="店员手机扫码打开提货核销")


def _list(show_id: int, actor: Actor) -> None:
    links = ctx.read(pickup.list_links, show_id)
    for link in links[:8]:
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.text(f"{link.label} · {pickup.when_text(link.expires_at)} 到期 · {link.status}")
        if link.live and c2.button("撤销", key=f"pickup_link_revoke_{link.id}"):
            ctx.act(pickup.revoke_link, actor, link.id, success="提货链接已撤销")
            if (st.session_state.get(NEW_KEY) or {}).get("id") == link.id:
                st.session_state.pop(NEW_KEY, None)
            st.rerun()
