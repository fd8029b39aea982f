"""提货核销: the counter page, one-handed on a phone. Opens from a pickup link (store staff: 核销
and 提货清单) or from the sidebar (assistants: also 配送, 跟进 and 提货链接). Each tab lives in
ui/pickup_*.py; only the open tab's body runs. Perks owed follow the chain as it commits
(services.promises.follow_chain): the page never re-expands promises while it draws."""
import streamlit as st

from services import shows
from services.authz import Actor, can
from ui import context as ctx
from ui import outcomes, pickup_access, pickup_counter, pickup_delivery, pickup_followups, pickup_links, pickup_lists
from ui.markdown import literal


def render_head(show, actor: Actor) -> None:
    st.title("提货核销")  # short: on a phone the search box stays near the top
    st.caption(literal(f"{show.title} · {actor.name}（提货链接）" if pickup_access.on_link() else show.title))


def render_tabs(show, actor: Actor) -> None:
    names = ["核销", "提货清单"]
    if not pickup_access.on_link() and can(actor, "pickup.deliver"):
        names += ["配送", "跟进", "提货链接"]
    tabs = dict(zip(names, st.tabs(names, key="pickup_tab", on_change="rerun")))
    with tabs["核销"]:
        if tabs["核销"].open is not False:
            pickup_counter.render(show.id, actor, show.title)
    for name, draw in (
        ("提货清单", lambda: pickup_lists.render(show.id)),
        ("配送", lambda: pickup_delivery.render(show.id, actor)),
        ("跟进", lambda: pickup_followups.render(show.id, actor, show.title)),
        ("提货链接", lambda: pickup_links.render(show.id, actor)),
    ):
        if name in tabs:
            with tabs[name]:
                if tabs[name].open:
                    draw()


def main() -> None:
    show_id = ctx.selected_show()
    actor = ctx.actor()
    outcomes.settle(show_id)
    show = ctx.read(shows.get_show, show_id)
    render_head(show, actor)
    render_tabs(show, actor)


main()
