"""Console panel: 主播链接. Choose the deal the host screen shows (default: the last released),
generate a read-only, expiring link to this show's host screen (with a QR code for the host's
phone), list the links, revoke one."""
from __future__ import annotations

import io
import ipaddress
from urllib.parse import urlencode, urlsplit

import qrcode
import streamlit as st

from services import auth, config, live, promises
from services.authz import Actor, can
from ui import context as ctx

NEW_KEY = "console_hostlink_new"
AUTO = 0  # the host screen follows the last released deal
PAGE_PATHS = {"console", "host", "promises", "review", "setup", "operators", "pickup", "login"}


def base_url(context_url: str | None, host_header: str | None, public_url: str | None) -> str:
    """The app's root URL for links: the browser's URL (minus the page), else the Host
    header, else PUBLIC_URL. PUBLIC_URL also wins over a loopback address, which a phone
    cannot open."""
    public = (public_url or "").strip().rstrip("/")
    base = ""
    if context_url:
        parts = urlsplit(context_url)
        segments = [p for p in parts.path.split("/") if p]
        if segments and segments[-1] in PAGE_PATHS:
            segments.pop()
        base = f"{parts.scheme}://{parts.netloc}" + "".join(f"/{p}" for p in segments)
    elif host_header:
        base = f"http://{host_header.strip()}"
    if public and (not base or is_loopback(base)):
        return public
    return base or "http://localhost:8501"


def host_link_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/?{urlencode({'host': token})}"


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_png(text: str) -> bytes:
    buf = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buf, format="PNG")
    return buf.getvalue()


def _current_base() -> str:
    headers = st.context.headers
    return base_url(st.context.url, headers.get("Host") if headers else None, config.get("PUBLIC_URL"))


def _links(session, show_id: int) -> list[dict]:
    return [
        {"id": r.id, "created": r.created_at, "expires": r.expires_at, "status": auth.host_link_status(r)}
        for r in auth.list_host_links(session, show_id)
    ]


def render(show_id: int, actor: Actor) -> None:
    with st.container(border=True):
        st.subheader("主播链接")
        if not can(actor, "hostlink.manage"):
            st.caption("主播链接由直播助手生成。")
            return
        _deal_pick(show_id, actor)
        _create(show_id, actor)
        _show_new(show_id)
        _list(show_id, actor)


def _deal_pick(show_id: int, actor: Actor) -> None:
    """Which deal the host screen shows; one pick, applied on the host's next refresh."""
    deals = ctx.read(promises.deal_choices, show_id)
    if not deals:
        return
    names = {AUTO: "自动：最新发布的团品", **dict(deals)}
    chosen = ctx.read(live.host_deal_choice, show_id)
    st.selectbox(
        "主播副屏显示的团品",
        list(names),
        index=list(names).index(chosen) if chosen in names else 0,
        format_func=names.get,
        key=f"console_hostlink_deal_{show_id}",  # one per show: a pick never carries to another show
        on_change=_set_deal,
        args=(actor, show_id),
    )


def _set_deal(actor: Actor, show_id: int) -> None:
    deal = st.session_state.get(f"console_hostlink_deal_{show_id}")
    ctx.act(live.set_host_deal, actor, show_id, deal or None, success="主播副屏已切换团品")


def _create(show_id: int, actor: Actor) -> None:
    c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
    hours = c1.number_input(
        "有效时长（小时）", min_value=1, max_value=auth.MAX_HOST_LINK_HOURS,
        value=min(int(auth.host_link_hours()), auth.MAX_HOST_LINK_HOURS), step=1, key="console_hostlink_hours",
    )
    if c2.button("生成主播链接", key="console_hostlink_create", type="primary"):
        done = ctx.act(auth.create_host_link, actor, show_id, hours=float(hours))
        if done:
            # Kept before anything is drawn: the second click of a double click stops this run at
            # its next element, and the link, shown only once, must outlive that run. The next run
            # (the second click, refused as a twin) shows it from here.
            st.session_state[NEW_KEY] = {"show_id": show_id, "token": done.value}
            st.toast("主播链接已生成")


def _show_new(show_id: int) -> None:
    new = st.session_state.get(NEW_KEY)
    if not new or new["show_id"] != show_id:
        return
    if "url" not in new:  # first drawn: its address, QR code and row
        url = host_link_url(_current_base(), new["token"])
        new = {"show_id": show_id, "token": new["token"], "id": ctx.read(auth.host_link_id, new["token"]),
               "url": url, "png": qr_png(url)}
        st.session_state[NEW_KEY] = new
    st.caption("把链接发给主播，或让主播用手机扫码；链接只在此处显示，关掉后请重新生成。")
    st.code(new["url"], language=None, wrap_lines=True)
    if is_loopback(new["url"]):
        st.warning("这是本机地址，手机打不开：请用局域网地址打开中控台，或设置 PUBLIC_URL。")
    st.image(new["png"], width=200, caption="手机扫码打开主播副屏")
    if st.button("隐藏链接", key="console_hostlink_hide"):
        st.session_state.pop(NEW_KEY, None)
        st.rerun()


def _list(show_id: int, actor: Actor) -> None:
    links = ctx.read(_links, show_id)
    if not links:
        st.caption("还没有生成过主播链接。")
        return
    for link in links[:5]:
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.text(f"{link['created']:%m-%d %H:%M} 生成 · {link['expires']:%m-%d %H:%M} 到期 · {link['status']}")
        if link["status"] == "有效":
            with c2.popover("撤销…"):  # the host's screen goes blank at once: ask first
                st.caption("撤销后主播手里的链接立即失效，主播屏会显示「链接无效」。")
                if st.button("确认撤销", key=f"console_hostlink_revoke_{link['id']}", type="primary"):
                    if ctx.act(auth.revoke_host_link, actor, link["id"], success="主播链接已撤销"):
                        if (st.session_state.get(NEW_KEY) or {}).get("id") == link["id"]:
                            st.session_state.pop(NEW_KEY, None)
                        st.rerun()
