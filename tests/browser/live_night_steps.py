"""Small moves shared by the live-night browser test: navigation, pickers, screenshots with a
red-error check, numbers read off the screen, gaps (checks the product does not pass yet) and
what the database holds per show."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import text

import db
from tests.browser.conftest import ARTIFACTS, wait_for_app

expect.set_options(timeout=30_000)  # a shared 2-core machine: Streamlit reruns can take seconds


@dataclass
class Night:
    server: object
    page: object
    browser: object
    gaps: list[str] = field(default_factory=list)
    shots: int = 0
    host_url: str = ""

    def gap(self, ok: bool, what: str) -> bool:
        """A check the product may not pass yet: recorded (and reported), not raised."""
        if not ok:
            self.gaps.append(what)
        return ok

    def shot(self, name: str, page=None) -> Path:
        self.shots += 1
        return shot(page or self.page, f"{self.shots:02d}_{name}")

    def write_gaps(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"- {g}\n" for g in self.gaps) or "none\n", encoding="utf-8")


def shot(page, name: str) -> Path:
    """Two screenshots after checking no red exception box is on screen: what the window shows
    (`<name>.png`, the first screen a person sees) and the whole page (`<name>_full.png`: the
    window made as tall as the app's scrolling main area, then put back)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"live_night_{name}.png"
    page.screenshot(path=str(path))
    size = page.viewport_size
    tall = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    if size and tall > size["height"] + 20:
        page.set_viewport_size({"width": size["width"], "height": min(int(tall), 8000)})
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"live_night_{name}_full.png"))
        page.set_viewport_size(size)
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, f"a traceback is shown on screen at {name}: {errors.first.inner_text()[:300]}"
    return path


def nav(page, title: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1).first).to_contain_text(title)
    wait_for_app(page)


def choose(page, label, option_text: str, scope=None) -> None:
    """Pick the option containing option_text in the selectbox with this label."""
    box = (scope or page).get_by_label(label, exact=isinstance(label, str)).first
    option = page.get_by_role("option").filter(has_text=option_text).first
    for _ in range(4):  # a click during a rerun can land on a list that closes again
        wait_for_app(page)
        # Scrolled into view first: a click that scrolls the page itself opens the list while the
        # page still moves, and the list closes on that scroll (night 9: the first click on the
        # manual entry's 规格, below the fold at 1280×800, never opened it).
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box.click()
        try:
            option.wait_for(state="visible", timeout=8_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    option.click()
    wait_for_app(page)


def selected(page, label: str, scope=None) -> str:
    """The text a selectbox shows as chosen (the value of its combobox)."""
    return (scope or page).get_by_role("combobox", name=label, exact=True).first.input_value()


def console_panel(page, name: str) -> None:
    """Open one of the console's right-hand tabs (接龙 / 承诺速记 / 主播链接), when it has them."""
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.count():
        tab.first.click()
        wait_for_app(page)


def metric_text(scope, label: str) -> str:
    return scope.get_by_test_id("stMetric").filter(has_text=label).first.inner_text()


def number(text: str) -> Decimal:
    """The first number in a text such as "¥1,234.50" or "12 人"."""
    m = re.search(r"-?\d[\d,]*(?:\.\d+)?", text)
    assert m, f"no number in {text!r}"
    return Decimal(m.group(0).replace(",", ""))


def db_counts(database_url: str, exclude_title: str) -> dict[str, tuple]:
    """Per show (all but the one acted out): entries, units, comments, question groups,
    promises, fulfilment items. Any change means input landed in the wrong show."""
    eng = db.connect(database_url)
    sql = text(
        """
        SELECT s.id, s.title,
          (SELECT count(*) FROM chain_entry e JOIN deal d ON d.id = e.deal_id WHERE d.show_id = s.id),
          (SELECT coalesce(sum(e.qty), 0) FROM chain_entry e JOIN deal d ON d.id = e.deal_id WHERE d.show_id = s.id),
          (SELECT count(*) FROM comment c WHERE c.show_id = s.id),
          (SELECT count(*) FROM question_group q WHERE q.show_id = s.id),
          (SELECT count(*) FROM promise p WHERE p.show_id = s.id),
          (SELECT count(*) FROM fulfilment_item f JOIN promise p ON p.id = f.promise_id WHERE p.show_id = s.id)
        FROM show s WHERE s.title != :title ORDER BY s.id
        """
    )
    try:
        with eng.connect() as c:
            return {f"{r[0]} {r[1]}": tuple(r[2:]) for r in c.execute(sql, {"title": exclude_title})}
    finally:
        eng.dispose()


def deal_figures(database_url: str, show_title: str) -> dict[str, tuple[int, int, int]]:
    """product → (valid entries, valid 份, distinct valid buyers) of the show acted out."""
    eng = db.connect(database_url)
    sql = text(
        """
        SELECT d.product, count(e.id), coalesce(sum(e.qty), 0), count(DISTINCT e.buyer_name)
        FROM deal d JOIN show s ON s.id = d.show_id
        LEFT JOIN chain_entry e ON e.deal_id = d.id AND e.status = 'valid'
        WHERE s.title = :title GROUP BY d.product
        """
    )
    try:
        with eng.connect() as c:
            return {r[0]: (r[1], int(r[2]), r[3]) for r in c.execute(sql, {"title": show_title})}
    finally:
        eng.dispose()


def promise_readings(database_url: str, show_title: str) -> dict[str, tuple]:
    """promise text → (kind, product or None, first N, 满 N 份) for the show acted out."""
    eng = db.connect(database_url)
    sql = text(
        """
        SELECT p.text, p.kind, d.product, p.first_n, p.min_qty
        FROM promise p JOIN show s ON s.id = p.show_id LEFT JOIN deal d ON d.id = p.deal_id
        WHERE s.title = :title
        """
    )
    try:
        with eng.connect() as c:
            return {r[0]: tuple(r[1:]) for r in c.execute(sql, {"title": show_title})}
    finally:
        eng.dispose()


def event_count(database_url: str, kind: str) -> int:
    """How many events of `kind` the app has recorded (to tell a lost click from a wrong result)."""
    eng = db.connect(database_url)
    try:
        with eng.connect() as c:
            return c.execute(text("SELECT count(*) FROM event WHERE kind = :kind"), {"kind": kind}).scalar_one()
    finally:
        eng.dispose()
