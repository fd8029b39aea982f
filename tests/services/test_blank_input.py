"""A value that shows nothing (zero-width joiners, the word joiner, variation selectors, the
Hangul filler and braille blank of "empty" WeChat nicknames) is empty for every intake
(services.text.clean): a required title, name or product made of them is refused like an
empty one, and nothing is written. Twins: emoji sequences that use the same characters are kept."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from db.models import Event
from services import auth, clock, jielong, promises, shows, text
from services.authz import SYSTEM
from services.errors import FieldErrors, InvalidInput

BLANKS = ["\u200d", "\u2060", "\ufe0f", "\u3164", "\u2800", " \u200c\u3000\u034f ", "\u00ad", "\U000e0101"]


@pytest.mark.parametrize("blank", BLANKS)
def test_a_value_that_shows_nothing_is_empty(blank):
    assert text.clean(blank) == "" and text.clean(blank, multiline=True) == ""
    assert text.is_blank(blank)


@pytest.mark.parametrize("shown", ["👨\u200d👩\u200d👧", "❤\ufe0f", "王\u200d芳", "ㅤ王芳", "1\ufe0f\u20e3", "🇨🇳", "**x**"])
def test_twin_text_that_shows_something_is_kept(shown):
    assert text.clean(shown) == shown and not text.is_blank(shown)


def _events(session) -> int:
    return session.scalar(select(func.count(Event.id)))


@pytest.mark.parametrize("blank", ["\u2060", "\u3164", "\ufe0f"])
def test_required_fields_made_of_blanks_are_refused(session, admin, assistant, blank):
    start = clock.now() + timedelta(days=1)
    show = shows.create_show(session, SYSTEM, shows.ShowForm("源味集", "阳光花园群", 300, "老李",
                                                             start, start + timedelta(hours=1)))
    shows.start_show(session, SYSTEM, show.id)
    deal = jielong.create_deal(session, SYSTEM, show.id, jielong.DealForm(
        product="上海青", group_price="9.9", threshold=2, delivery_text="明天送到", deadline=start + timedelta(hours=3)))
    jielong.release(session, deal.id, SYSTEM)
    before = _events(session)
    with pytest.raises(FieldErrors) as err:
        shows.create_show(session, assistant, shows.ShowForm(blank, "群", 3, blank, start, start + timedelta(hours=1)))
    assert set(err.value.errors) >= {"标题", "主播"}
    with pytest.raises(FieldErrors) as err:
        jielong.create_deal(session, assistant, show.id, jielong.DealForm(product=blank, group_price="9.9", threshold=2))
    assert "商品名称" in err.value.errors
    with pytest.raises(InvalidInput, match="团员昵称不能为空"):
        jielong.add_entry(session, assistant, deal.id, blank, 1)
    with pytest.raises(InvalidInput, match="原话"):
        promises.log_promise(session, assistant, show.id, blank)
    with pytest.raises(InvalidInput, match="用户名"):
        auth.create_operator(session, admin, blank, "assistant", "a long pass phrase 1")
    assert _events(session) == before
    assert jielong.add_entry(session, assistant, deal.id, "ㅤ王芳", 1).buyer_name.endswith("王芳")  # twin: a name is kept
