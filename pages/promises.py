"""承诺履约 (placeholder until its issue lands)."""
import streamlit as st

from services import shows
from ui import context as ctx

show_id = ctx.show_id()
if show_id is None:
    st.info("请先选择场次。")
    st.stop()
show = ctx.read(shows.get_show, show_id)
st.title(f"承诺履约 · {show.title}")
