"""classify / group on the project's own labelled sets (pure functions: no database)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from services import triage

DATA = Path(__file__).resolve().parents[1] / "data"


def _tsv(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def test_contract_names_are_exposed():
    for name in (
        "CATEGORIES", "CATEGORY_LABELS", "classify", "group", "CommentIn", "parse_comment_lines", "ingest",
        "queue", "open_count", "to_host", "answer", "dismiss", "merge", "recategorize", "undo", "top_to_host",
    ):
        assert hasattr(triage, name), name
    assert triage.CATEGORIES == (
        "authenticity", "after_sales", "delivery", "price", "order", "product", "other_question", "chatter",
    )
    assert set(triage.CATEGORY_LABELS) == set(triage.CATEGORIES)


def test_labelled_set_is_big_enough_and_covers_every_category():
    rows = _tsv("comments_labelled.tsv")
    assert len(rows) >= 150
    assert {c for c, _ in rows} == set(triage.CATEGORIES)


def test_classify_accuracy_on_the_labelled_set():
    rows = _tsv("comments_labelled.tsv")
    got = [triage.classify(text) for _, text in rows]
    category = sum(g == c for g, (c, _) in zip(got, rows)) / len(rows)
    chatter = sum((g == "chatter") == (c == "chatter") for g, (c, _) in zip(got, rows)) / len(rows)
    misses = [(c, g, t) for g, (c, t) in zip(got, rows) if g != c]
    assert category >= 0.90, misses
    assert chatter >= 0.95, misses


@pytest.mark.parametrize(
    "text,expected",
    [
        ("有机认证是真的吗", "authenticity"),
        ("有检测报告吗？", "authenticity"),
        ("坏了能退吗", "after_sales"),
        ("退货运费谁出", "after_sales"),  # tie → after_sales before delivery
        ("什么时候发货", "delivery"),
        ("可以自提吗", "delivery"),
        ("多少钱一斤", "price"),
        ("有优惠吗", "price"),
        ("在哪接龙", "order"),
        ("还有库存吗", "order"),
        ("保质期多久", "product"),
        ("产地是哪里", "product"),
        ("下次直播什么时候", "other_question"),
        ("来了", "chatter"),
        ("666", "chatter"),
        ("打卡", "chatter"),
        ("已下单", "chatter"),
        ("好看", "chatter"),
        ("👍👍👍", "chatter"),
        ("[玫瑰][玫瑰]", "chatter"),
        ("", "chatter"),
        ("怎末买", "order"),  # typo
        ("多少前", "price"),  # typo
        ("求链接", "order"),  # no question mark
        ("上次买的还没退款😤", "after_sales"),  # a complaint without a question mark
        ("价格真实惠", "chatter"),  # a topic word in praise is not a question
    ],
)
def test_classify_examples(text, expected):
    assert triage.classify(text) == expected


def test_classify_ignores_full_width_and_spacing():
    assert triage.classify("ＳＦ  顺丰吗？？") == triage.classify("顺丰吗")


def _pairs(labels, ids):
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        same, together = labels[i] == labels[j], ids[i] == ids[j]
        tp += same and together
        fp += together and not same
        fn += same and not together
    return tp / (tp + fp), tp / (tp + fn)


def test_group_pairwise_precision_and_recall_on_the_paraphrase_set():
    rows = _tsv("paraphrases.tsv")
    assert len({label for label, _ in rows}) >= 20
    ids = triage.group([t for _, t in rows])
    assert len(ids) == len(rows)
    precision, recall = _pairs([label for label, _ in rows], ids)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


def test_group_generalises_to_the_held_out_paraphrases():
    """Both sets grouped together, as they would arrive in one night: same label = same question."""
    rows = _tsv("paraphrases.tsv") + _tsv("paraphrases_heldout.tsv")
    precision, recall = _pairs([label for label, _ in rows], triage.group([t for _, t in rows]))
    # the misses are objectless questions ("多少钱") joining a product's group, which on a live
    # night is usually right; recall stays high so a repeated question never scatters
    assert precision >= 0.8 and recall >= 0.9, (precision, recall)


def test_group_issue_example():
    ids = triage.group(["有机认证是真的吗", "有机认证真的假的", "认证是真的有机吗", "运费多少", "鸡蛋保质期多久", "奶粉保质期多久"])
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids)) == 4


def test_group_is_order_independent_for_exact_repeats():
    texts = ["运费多少", "来了", "运费多少？", "来了！", "运费 多少"]
    ids = triage.group(texts)
    assert ids[0] == ids[2] == ids[4] and ids[1] == ids[3] and ids[0] != ids[1]
