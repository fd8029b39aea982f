"""The one-file HTML review report opens in Chromium with Chinese text, charts and a screenshot."""
from __future__ import annotations

from pathlib import Path

import db
from services.review import report
from tests.browser.conftest import ARTIFACTS, login, screenshot, wait_for_app
from tests.support import make_actor


def _check_report(page) -> None:
    heading = page.get_by_role("heading", level=1)
    assert "复盘报告" in heading.inner_text()
    body = page.locator("body").inner_text()
    for text in ("核心指标", "观看率", "下单转化率", "直播时间线", "团品", "承诺履约"):
        assert text in body, text
    # every embedded chart decoded (a broken data URI has naturalWidth 0)
    widths = page.eval_on_selector_all("img", "els => els.map(e => e.complete ? e.naturalWidth : 0)")
    assert widths and all(w > 300 for w in widths), widths
    # the Chinese glyphs come from a CJK font, not the fallback boxes
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '复盘报告')")


def test_report_file_renders_in_chromium(page, tmp_path):
    from tests.services.test_review_yuanweiji import build_yuanweiji

    eng = db.connect(f"sqlite:///{tmp_path / 'report.db'}")
    db.upgrade(eng)
    with db.session(eng) as s:
        assistant = make_actor(s, "assistant", "小美")
        show_id = build_yuanweiji(s, assistant)
        html = report.render(s, show_id)
    eng.dispose()
    path = tmp_path / "复盘报告.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    _check_report(page)
    assert "有机上海青" in page.locator("body").inner_text()
    shot = screenshot(page, "review_report")
    assert shot.stat().st_size > 50_000
    (ARTIFACTS / "review_report.html").write_text(html, encoding="utf-8")


def test_report_downloads_from_the_review_page(server, page, tmp_path):
    login(page, server, "reviewer")
    page.get_by_role("link", name="复盘").click()
    wait_for_app(page)
    page.get_by_test_id("stMetric").first.wait_for()
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for()
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.wait_for_timeout(500)
    screenshot(page, "review_page")
    page.get_by_role("tab", name="导出").click()
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="复盘报告").click()
    download = info.value
    assert download.suggested_filename.startswith("复盘报告_") and download.suggested_filename.endswith(".html")
    saved = tmp_path / "report.html"
    download.save_as(saved)
    page.goto(Path(saved).as_uri())
    page.wait_for_load_state("load")
    _check_report(page)
    screenshot(page, "review_report_download")


def test_markdown_in_a_show_title_is_shown_literally(server, page):
    from datetime import datetime, timedelta
    from urllib.parse import parse_qs, urlencode, urlsplit

    from services import shows
    from services.authz import SYSTEM

    title = "**粗体** :red[红] <b>x</b>"
    eng = db.connect(server.database_url)
    with db.session(eng) as s:
        t0 = datetime(2026, 2, 1, 20, 0)
        sid = shows.create_show(s, SYSTEM, shows.ShowForm(title, "群", 10, "主播", t0, t0 + timedelta(hours=1))).id
    eng.dispose()
    login(page, server, "reviewer")
    page.get_by_role("link", name="复盘").click()
    wait_for_app(page)
    parts = urlsplit(page.url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"show": str(sid)}
    page.goto(f"{server.url}{parts.path}?{urlencode(query)}")
    wait_for_app(page)
    heading = page.get_by_role("heading", level=1).first
    heading.wait_for()
    assert heading.inner_text().strip() == f"复盘 · {title}"
