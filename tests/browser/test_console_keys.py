"""The console at 1280×800 with the keyboard (issue 13 #16, #17) and how soon a click shows.

- The comment intake floats over the queue: opened, the queue's rows stay where they were.
- Y / X / Z act on the top question only, and never while the cursor is in a text box.
- 忽略 shows its result without a second click: the row is gone within a bound of the end of
  the server's run. The figures go to artifacts/console_latency.txt; the assertion is generous
  (a loaded 2-core machine), the figure is what to watch.
"""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

import db
from services import clock, shows, triage
from services.authz import SYSTEM
from tests.browser.conftest import ARTIFACTS, login, screenshot, wait_for_app

TITLE = "键盘测试场"
QUESTIONS = ["运费多少钱", "什么时候发货", "有机认证是真的吗", "可以开发票吗", "几号到货"]
# Generous on purpose: the target is 300 ms; a loaded CI machine must not turn this red.
BOUND_AFTER_SERVER_MS = 1500
BOUND_CLICK_MS = 10_000


@pytest.fixture(scope="module")
def key_show(server) -> int:
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        now = clock.now()
        show_id = shows.create_show(s, SYSTEM, shows.ShowForm(TITLE, "测试群", 100, "老李", now, now + timedelta(hours=1))).id
        # Fewer askers further down: the first question is the top of the queue.
        comments = [triage.CommentIn(f"观众{i}{k}", q, now - timedelta(minutes=5) + timedelta(seconds=10 * i + k))
                    for i, q in enumerate(QUESTIONS) for k in range(len(QUESTIONS) - i)]
        triage.ingest(s, SYSTEM, show_id, comments)
    eng.dispose()
    return show_id


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    p = context.new_page()
    p.set_default_timeout(20_000)
    yield p
    context.close()


def _console(page, server, show_id: int) -> None:
    login(page, server, "assistant")
    page.goto(f"{server.url}/console?show={show_id}")
    wait_for_app(page)
    page.get_by_text(TITLE).first.wait_for()
    page.get_by_role("button", name="已回复").first.wait_for()


def _row_texts(page) -> list[str]:
    """The questions in the queue, top first."""
    main = page.get_by_test_id("stMain")
    return [q for q in QUESTIONS if main.get_by_text(q, exact=True).count()]


def _expect_rows(page, n: int, timeout_s: float = 15.0) -> None:
    """The queue settles at n questions. Polled: on a loaded machine a rerun may still be
    drawing its rows when the key's rerun is reported done; a second action would stay at n - 1."""
    deadline = time.monotonic() + timeout_s
    while len(_row_texts(page)) != n and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert len(_row_texts(page)) == n, _row_texts(page)


def _top(page) -> str:
    main = page.get_by_test_id("stMain")
    boxes = [(main.get_by_text(q, exact=True).first.bounding_box() or {}).get("y", 1e9) for q in _row_texts(page)]
    return _row_texts(page)[boxes.index(min(boxes))]


def _blur(page) -> None:
    """Leave every text box (a click on the page title), as the assistant does before a key."""
    page.get_by_role("heading", level=1).first.click()


def test_intake_floats_and_shortcuts_act_on_the_top_question_only_outside_text_boxes(server, laptop, key_show):
    page = laptop
    _console(page, server, key_show)
    first_row_y = page.get_by_text(QUESTIONS[0], exact=True).first.bounding_box()["y"]
    page.get_by_text("问题队列 · 录入评论").first.click()
    box = page.get_by_label("评论", exact=True)
    box.wait_for()
    assert page.get_by_text(QUESTIONS[0], exact=True).first.bounding_box()["y"] == pytest.approx(first_row_y, abs=2)
    screenshot(page, "console_keys_intake_open")
    box.click()
    page.keyboard.type("xyz")  # typing: none of X / Y / Z may act on the queue
    page.wait_for_timeout(600)
    assert box.input_value() == "xyz"
    assert set(_row_texts(page)) == set(QUESTIONS)
    box.fill("")
    page.keyboard.press("Escape")
    _blur(page)
    top = _top(page)
    page.keyboard.press("x")  # 忽略 the top question
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_text(top, exact=True)).to_have_count(0)
    _expect_rows(page, len(QUESTIONS) - 1)  # one row only, not every row
    page.keyboard.press("z")  # 撤销上一步
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_text(top, exact=True).first).to_be_visible()
    page.keyboard.press("y")  # 已回复 on the top question
    wait_for_app(page)
    expect(page.get_by_test_id("stMain").get_by_text(top, exact=True)).to_have_count(0)
    _expect_rows(page, len(QUESTIONS) - 1)
    screenshot(page, "console_keys_after_y")


WATCH = """(text) => {
  window.__t = {idle: [], running: [], gone: null};
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => {
    const state = app.getAttribute('data-test-script-state');
    (state === 'notRunning' ? window.__t.idle : window.__t.running).push(performance.now());
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  const seen = () => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stText']")]
    .some(e => e.textContent.trim() === text);
  const poll = () => { if (!seen()) { window.__t.gone = performance.now(); } else { requestAnimationFrame(poll); } };
  window.__t.start = () => { window.__t.clicked = performance.now(); requestAnimationFrame(poll); };
}"""


def test_a_dismissed_question_leaves_the_queue_as_soon_as_the_server_is_done(server, laptop, key_show):
    """忽略 → the row is gone without a second click; measured from the click and from the end of
    the server's run (the app's script state back to notRunning)."""
    page = laptop
    _console(page, server, key_show)
    figures = []
    for _ in range(2):
        page.wait_for_timeout(500)
        top = _top(page)
        page.evaluate(WATCH, top)
        button = page.get_by_test_id("stMain").locator("[data-testid='stVerticalBlock']").filter(
            has=page.get_by_text(top, exact=True)).filter(has=page.get_by_role("button", name="忽略")).last \
            .get_by_role("button", name="忽略")
        button.evaluate("b => b.addEventListener('pointerdown', () => window.__t.start(), {once: true})")
        button.click()
        page.wait_for_function("window.__t.gone !== null && window.__t.idle.length > 0", timeout=20_000)
        t = page.evaluate("window.__t")
        # The run the click started: the first start after the click (a refresh of the queue that
        # was already running when the click came ends earlier and is not the one that acted).
        began = min((r for r in t["running"] if r >= t["clicked"]), default=t["clicked"])
        idle = min((i for i in t["idle"] if i >= began), default=t["idle"][-1])
        figures.append({"question": top, "click_to_gone_ms": round(t["gone"] - t["clicked"]),
                        "server_done_to_gone_ms": round(t["gone"] - idle)})
        wait_for_app(page)
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "console_latency.txt").write_text(
        "\n".join(json.dumps(f, ensure_ascii=False) for f in figures) + "\n", encoding="utf-8")
    print(figures)
    for f in figures:  # gone before the run ended (negative) or within the bound after it
        assert f["server_done_to_gone_ms"] <= BOUND_AFTER_SERVER_MS, figures
        assert f["click_to_gone_ms"] <= BOUND_CLICK_MS, figures  # no second click, no wait for a refresh
