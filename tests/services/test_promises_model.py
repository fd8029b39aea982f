"""The statistical half of promise detection (services.promises.model / train): the rules read
and name the kind, the model decides whether the line promises at all."""
from __future__ import annotations

from services import promises
from services.promises import model as pm
from services.promises import train

ALWAYS = pm.Model({"_bias": 50.0}, keep=0.5, add=0.5)
NEVER = pm.Model({"_bias": -50.0}, keep=0.5, add=0.5)


def test_the_shipped_model_is_there_with_thresholds_chosen_by_cross_validation():
    model = pm.load()
    assert model is not None and model.weights
    assert 0.0 < model.keep <= model.add < 1.0


def test_instructions_and_platform_steps_are_not_read_as_refund_promises():
    # The rules see 退货 / 退款; the model has learnt that a how-to step promises nothing.
    for step in ('在拼多多"我的订单"中申请退货即可', "1. 申请退款"):
        assert promises.detect(step) == [], step
    for offer, kind in (("不满意七天无理由退货", "refund"), ("前20名下单送围裙", "gift"),
                        ("明天中午12点之前一定送到小区东门", "delivery")):
        assert [d.kind for d in promises.detect(offer)] == [kind], offer


def test_the_model_decides_and_the_rules_name_the_kind():
    assert promises.classify_line("前50名送手札", model=NEVER) is None
    kept = promises.classify_line("前50名送手札", model=ALWAYS)
    assert kept is not None and (kept.kind, kept.first_n) == ("gift", 50)
    # A line the rules let pass, taken by the model: a draft marked weak, kind from its best cue.
    assert promises.classify_line("我们的菜都很新鲜", model=NEVER) is None
    added = promises.classify_line("我们的菜都很新鲜", model=ALWAYS)
    assert added is not None and added.kind == "quality" and "线索较弱" in added.hint


def test_training_reads_tune_rows_only():
    heldout = {r.text for name in train.REAL_FILES for r in _rows(name) if r.split == "heldout"}
    tune = {r.text for name in train.REAL_FILES for r in _rows(name) if r.split == "tune"}
    texts = {text for text, *_ in train.training_rows()}
    assert tune <= texts
    assert not (heldout - tune) & texts


def _rows(name):
    from bench import realtext as rt

    return rt.load_host_lines(name)
