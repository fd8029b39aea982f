"""Issue 14 #9: a bug never shows its traceback (server paths, SQL, parameters) in the
browser; the operator reads a Chinese sentence and the details go to the server log."""
from __future__ import annotations

import tomllib
from pathlib import Path

from ui import frame

ROOT = Path(__file__).resolve().parents[2]
SECRET = "KeyError at /srv/live_night/ui/console_queue.py: SELECT * FROM operator WHERE name = 'admin'"


def test_the_server_is_configured_to_hide_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_a_bug_on_a_page_shows_a_chinese_notice_not_a_traceback(app_as, monkeypatch, caplog):
    def broken(*_a, **_kw):
        raise KeyError(SECRET)

    monkeypatch.setattr(frame, "sidebar", broken)
    at = app_as("assistant")
    shown = [e.value for e in at.error] + [str(e.value) for e in at.exception] + [m.value for m in at.markdown]
    assert not at.exception, at.exception
    assert any("页面出了点问题" in s for s in shown)
    assert not any("SELECT" in s or "Traceback" in s or "/srv/" in s for s in shown)
    assert SECRET in caplog.text  # the details are in the log


def test_a_bug_inside_a_live_panel_shows_the_chinese_notice_and_the_rest_of_the_console(page_as, monkeypatch, caplog):
    """Live panels are fragments: their exceptions never reach dashboard.py, so the guard is
    ui.context.fragment (before it, Streamlit's redacted English box stood in the panel)."""
    from ui import console_snapshot

    def broken(*_a, **_kw):
        raise KeyError(SECRET)

    monkeypatch.setattr(console_snapshot, "current_snapshot", broken)
    at = page_as("assistant", "console")
    assert not at.exception, at.exception
    assert any("页面出了点问题" in e.value for e in at.error)
    assert any(b.label == "忽略" for b in at.button), "the question queue beside the broken panel is drawn"
    assert SECRET in caplog.text


def test_a_rule_refused_inside_a_live_panel_shows_its_own_message(page_as, monkeypatch):
    from services.errors import NotFound
    from ui import console_snapshot

    def gone(*_a, **_kw):
        raise NotFound("找不到这个场次")

    monkeypatch.setattr(console_snapshot, "current_snapshot", gone)
    at = page_as("assistant", "console")
    assert not at.exception, at.exception
    assert any("找不到这个场次" in e.value for e in at.error)
