"""运营人员: the admin adds operators with a role, deactivates them, resets a password."""
import streamlit as st

from services import auth, passwords
from services.authz import ROLE_LABELS, ROLES, can
from ui import context as ctx
from ui.picks import held_pick


def operator_rows(session) -> list[dict]:
    return [
        {"id": o.id, "active": o.active, "用户名": o.name, "角色": ROLE_LABELS.get(o.role, o.role),
         "状态": "启用" if o.active else "已停用", "创建时间": o.created_at}
        for o in auth.list_operators(session)
    ]


def render_add(actor) -> None:
    with st.form("operators_add_form", clear_on_submit=True):
        st.subheader("添加运营人员")
        c1, c2 = st.columns(2)
        name = c1.text_input("用户名", max_chars=64)
        role = c2.selectbox("角色", ROLES, index=ROLES.index("assistant"), format_func=ROLE_LABELS.get)
        password = st.text_input(f"初始密码（至少 {auth.MIN_PASSWORD} 位）", type="password", help=passwords.HINT)
        if st.form_submit_button("添加", type="primary"):
            if ctx.act(auth.create_operator, actor, name, role, password, success=f"已添加「{name.strip()}」"):
                st.rerun()


def _set_active(actor, operator_id: int, active: bool) -> None:
    ctx.act(auth.set_active, actor, operator_id, active, success="已更新")


def render_manage(actor, rows: list[dict]) -> None:
    st.subheader("停用 / 启用 / 重置密码")
    by_id = {r["id"]: r for r in rows}
    labels = {i: f"{r['用户名']}（{r['角色']}，{r['状态']}）" for i, r in by_id.items()}
    # held_pick: a label that changed (another admin deactivated this operator) keeps the choice
    # instead of falling to the first operator, who would then be the one deactivated.
    picked = held_pick(st, "运营人员", labels, key="operators_pick")
    if picked not in by_id:
        return
    active = by_id[picked]["active"]
    label = "停用（立即退出登录）" if active else "重新启用"
    # The operator and the state the button showed travel with the click (a stale page never
    # flips someone else, nor the opposite way).
    st.button(label, key="operators_toggle", on_click=_set_active, args=(actor, picked, not active))
    with st.form("operators_reset_form", clear_on_submit=True):
        new_password = st.text_input("新密码", type="password", help=passwords.HINT)
        if st.form_submit_button("重置密码"):
            ctx.act(auth.reset_password, actor, picked, new_password, success="密码已重置")


def main() -> None:
    st.title("运营人员")
    actor = ctx.actor()
    if not can(actor, "operator.manage"):
        st.error("只有管理员可以管理运营人员。")
        st.stop()
    rows = ctx.read(operator_rows)
    st.dataframe([{k: v for k, v in r.items() if k not in ("id", "active")} for r in rows], hide_index=True, width="stretch")
    render_add(actor)
    render_manage(actor, rows)


main()
