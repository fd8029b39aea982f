"""Release advice as a pure rule: decide(signals) without a database."""
from services.jielong import Signals, decide

QUIET = (0,) * 15


def signals(**kw) -> Signals:
    base = dict(blockers=(), minutes_left=30.0, show_status="live", before_start=False,
                comments=QUIET, intents=QUIET, open_authenticity=0)
    base.update(kw)
    return Signals(**base)


def test_mid_show_with_nothing_happening_waits():
    advice = decide(signals())
    assert advice.status == "wait" and "先讲透卖点" in advice.reasons[0]


def test_the_last_five_minutes_say_now():
    assert decide(signals(minutes_left=4)).status == "now"


def test_an_order_intent_surge_says_now():
    advice = decide(signals(intents=(0,) * 12 + (2, 2, 2)))
    assert advice.status == "now" and any("在哪接龙" in r for r in advice.reasons)


def test_a_cooled_peak_says_now_and_a_running_peak_says_soon():
    cooled = (0,) * 8 + (20, 12, 10, 8, 6, 4, 4)
    assert decide(signals(comments=cooled)).status == "now"
    assert decide(signals(comments=(0,) * 14 + (20,))).status == "soon"


def test_open_authenticity_questions_hold_a_release_back_to_soon():
    advice = decide(signals(minutes_left=4, open_authenticity=2))
    assert advice.status == "soon" and "真伪资质" in advice.reasons[0]


def test_a_deal_that_is_not_ready_waits_whatever_the_moment():
    advice = decide(signals(minutes_left=2, blockers=("未设置截止时间",)))
    assert advice.status == "wait" and advice.reasons[0] == "未就绪：未设置截止时间"


def test_before_the_show_starts_it_says_warm_up_first():
    advice = decide(signals(show_status="planned", before_start=True, minutes_left=90))
    assert advice.status == "wait" and "还没开始" in advice.reasons[0]


def test_the_heading_never_contradicts_its_reasons():
    """Issue 13 #18: "再等等" above "请立即发布接龙" read as two opposite orders."""
    blocked = decide(signals(show_status="ended", minutes_left=-3, blockers=("未设置截止时间",)))
    assert blocked.label == "先补齐，再发布"
    assert all(r.startswith(("未就绪", "补齐后即可发布")) for r in blocked.reasons)
    held = decide(signals(minutes_left=-1, open_authenticity=1))
    assert held.label == "准备发布"
    assert all("立即发布" not in r or r.startswith("回答后即可发布") for r in held.reasons)
