"""Issue 14 #8: operator- and viewer-typed text that reaches a markdown-rendering element
(title, caption, tooltip, toast, error) is shown as typed, never as a live link or a remote
image; a URL parameter is never echoed into markdown."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

import db
from db.models import QuestionGroup
from services import auth, clock, jielong, shows, triage
from services.authz import SYSTEM
from tests.pages.conftest import PASSWORD

LINK = "[点此领券](http://evil.example/q)"
IMAGE = "![x](http://evil.example/i.png)"
TITLE = f"{LINK}{IMAGE}"
LIVE_MARKUP = re.compile(r"(?<!\\)\]\(")  # "](" not escaped: markdown would make a link / image


def _hostile_show(url: str) -> None:
    eng = db.connect(url)
    now = clock.now()
    with db.session(eng) as s:
        show = shows.create_show(s, SYSTEM, shows.ShowForm(TITLE, "测试群", 100, "老李", now - timedelta(minutes=5),
                                                          now + timedelta(hours=1)))
        deal = jielong.create_deal(s, SYSTEM, show.id, jielong.DealForm(
            product=f"上海青{IMAGE}", group_price=Decimal("9.9"), original_price=Decimal("15"), threshold=3, stock=20,
            delivery_text="次日自提", deadline=now + timedelta(hours=2)))
        jielong.release(s, deal.id, SYSTEM)
        triage.ingest(s, SYSTEM, show.id, [triage.CommentIn("张姐", f"多少钱 {IMAGE}")])
        gid = s.scalar(select(QuestionGroup.id).where(QuestionGroup.show_id == show.id))
        assistant = auth.resolve_session(s, auth.login(s, "assistant_user", PASSWORD))
        triage.dismiss(s, assistant, gid)  # the assistant's last action: its tooltip quotes the comment
    eng.dispose()


def _shown(at) -> list[str]:
    parts = [t.value for t in at.title] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [m.value for m in at.markdown] + [t.value for t in at.toast] + [b.help or "" for b in at.button]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    return parts


def test_titles_captions_and_tooltips_show_typed_markup_as_text(app_db, page_as):
    _hostile_show(app_db)
    at = page_as("assistant", "console", show_title=TITLE)
    assert not at.exception
    shown = _shown(at)
    assert any("点此领券" in t for t in shown)  # the title is there …
    assert any("上海青" in t for t in shown)  # … the deal in the 承诺速记 caption …
    assert any("撤销" in t and "多少钱" in t for t in shown)  # … the comment in the undo tooltip
    assert not [t for t in shown if LIVE_MARKUP.search(t)]  # … all as text


def test_a_crafted_show_parameter_is_not_echoed(app_as):
    at = app_as("assistant", query={"show": f"1{LINK}"})
    assert not at.exception
    errors = [e.value for e in at.error] + [e.value for e in at.sidebar.error]
    assert errors and not any("evil" in e for e in errors)
