"""The two HTTP endpoints that carry the login in a cookie instead of the URL (served by st.App,
see dashboard.py; a Streamlit page cannot set an HttpOnly cookie itself).

- POST /auth/session (form fields `code`, `next`): exchanges the login form's single-use code
  (services.auth.login_code, valid 30 s) for a fresh session token (the browser's previous
  session ends: rotation), sets it as an HttpOnly, SameSite=Strict cookie and redirects to
  `next` (a path on this site). The code travels in a POST body: never in a URL or the history.
- POST /auth/logout: clears the cookie (the page has already ended the session server-side).

Both answer with `Referrer-Policy: no-referrer` and `Cache-Control: no-store`.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import html
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from services import auth, store

log = logging.getLogger("live_night")
COOKIE = "lnc_session"
SESSION_PATH = "/auth/session"
LOGOUT_PATH = "/auth/logout"
HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@functools.cache
def _engine():
    return store.open_database()


def safe_next(raw: str | None) -> str:
    """A path on this site (never another host: no open redirect), without any login in it."""
    raw = raw or "/"
    if "\\" in raw or any(ord(c) < 32 for c in raw):  # browsers read "/\\evil" as "//evil"
        return "/"
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    query = urlencode([(k, v) for k, vs in parse_qs(parts.query).items() for v in vs if k.isalnum() and k != "s"])
    return parts.path + (f"?{query}" if query else "")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:4096].decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body).items()}


async def open_session(request: Request) -> RedirectResponse:
    form = await _form(request)
    old = request.cookies.get(COOKIE)
    token = await run_in_threadpool(store.unit_of_work, _engine(), lambda s: auth.open_session(s, form.get("code", ""), old))
    response = RedirectResponse(safe_next(form.get("next")), status_code=303, headers=HEADERS)
    if token:
        response.set_cookie(
            COOKIE, token, max_age=int(auth.session_hours() * 3600), path="/", httponly=True,
            samesite="strict", secure=_secure(request),
        )
    return response


async def close_session(request: Request) -> RedirectResponse:
    response = RedirectResponse("/", status_code=303, headers=HEADERS)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


def announce_setup_code() -> None:
    """At server start, on a database without operators (and no ADMIN_PASSWORD): print a one-time
    setup code to this console; the first-run form asks for it, so only someone who can see the
    server's console creates the admin. Never fatal: the pages report a database problem."""
    try:
        engine = _engine()
        store.unit_of_work(engine, auth.ensure_admin_from_env)
        code = store.unit_of_work(engine, auth.issue_setup_code)
    except Exception as exc:  # the page shows the Chinese notice; the server must still start
        log.warning("setup code not issued: %s", type(exc).__name__)
        return
    if code:
        print(f"\n  首次使用：创建管理员时请输入初始化码 {code}（{auth.SETUP_CODE_HOURS} 小时内有效）\n"
              f"  First run: the setup code for the admin is {code}\n", flush=True)


@contextlib.asynccontextmanager
async def lifespan(_app):
    await run_in_threadpool(announce_setup_code)
    yield


ROUTES = [
    Route(SESSION_PATH, open_session, methods=["POST"]),
    Route(LOGOUT_PATH, close_session, methods=["POST"]),
]


def post_form_html(action: str, fields: dict[str, str]) -> str:
    """A page fragment that makes the browser POST `fields` (plus `next`: the page it is on) to
    `action` at once (st.html with JavaScript): how the login form hands its code to the endpoint
    without putting it in a URL."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return (
        f'<form id="lnc_post" method="post" action="{html.escape(action)}">{inputs}'
        '<input type="hidden" name="next" value="/"></form>'
        "<script>const f = document.getElementById('lnc_post');"
        "f.elements.next.value = window.location.pathname + window.location.search; f.submit();</script>"
    )
