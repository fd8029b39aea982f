"""parse_chain on 37 chain samples (tests/data/chains), edge cases and a Hypothesis fuzz."""
from __future__ import annotations

import gc
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.errors import DomainError, InvalidInput, TooLarge
from services.jielong import ChainEntry, parse_chain

DATA = Path(__file__).resolve().parents[1] / "data" / "chains"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
SAMPLES = sorted(p.name for p in DATA.glob("*.txt"))


def _specs(text: str) -> list[str]:
    m = re.search(r"^# specs: (.*)$", text, re.M)
    return m.group(1).split(",") if m else []


def _as_dicts(entries: list[ChainEntry]) -> list[dict]:
    out = []
    for e in entries:
        d = {"seq": e.seq, "name": e.name, "qty": e.qty, "cancelled": e.cancelled}
        for k in ("spec", "address", "note", "phone"):
            if getattr(e, k):
                d[k] = getattr(e, k)
        out.append(d)
    return out


def test_there_are_at_least_30_samples_each_with_a_source_line_and_an_expectation():
    assert len(SAMPLES) >= 30
    assert set(SAMPLES) == {k for k in EXPECTED if not k.startswith("_")}
    for name in SAMPLES:
        first = (DATA / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# source:"), name
    assert {f"ks_{n}.txt" for n in ("003", "006", "008", "012", "014")} <= set(SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_parses_as_expected(name):
    text = (DATA / name).read_text(encoding="utf-8")
    assert _as_dicts(parse_chain(text, _specs(text))) == EXPECTED[name]["entries"]


SHARED = json.loads((DATA / "shared_expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["003.txt", "006.txt", "008.txt", "012.txt", "014.txt"])
def test_agrees_with_the_collectors_reading_of_the_shared_samples(name):
    """Same seq, name and quantity as ../shared/examples/jielong/expected.json, where the
    collector was sure. Judgment calls: an empty slot (`1.`) is not an order; no written
    quantity means 1; the chain's title written as item 1 (`1. A材料学院水果美食团购`) is not an
    order (the reading of tests/data/real, issue 15)."""
    got = parse_chain((DATA / f"ks_{name}").read_text(encoding="utf-8"))
    want = [e for e in SHARED[name]["entries"] if e["name"] and e["name"] != "A材料学院水果美食团购"]
    assert [(e.seq, e.name) for e in got] == [(e["seq"], e["name"]) for e in want]
    for g, w in zip(got, want):
        assert g.qty == (w["qty"] if w["qty"] is not None else 1)
    if "totals" in SHARED[name] and "qty" in SHARED[name]["totals"]:
        assert sum(e.qty for e in got) == SHARED[name]["totals"]["qty"]


@pytest.mark.parametrize(
    "line,seq,name,qty",
    [
        ("12. 王芳 2份 5栋", 12, "王芳", 2),
        ("12、王芳 两份", 12, "王芳", 2),
        ("１２．王芳 二份", 12, "王芳", 2),
        ("3. 李四 十二份", 3, "李四", 12),
        ("3. 李四 x2", 3, "李四", 2),
        ("3. 李四*2", 3, "李四", 2),
        ("3. 李四 2盒", 3, "李四", 2),
        ("3. 李四 2斤", 3, "李四", 2),
        ("3. 李四 1箱", 3, "李四", 1),
        ("3. 李四", 3, "李四", 1),
        ("4. 王芳 295-909", 4, "王芳", 1),
        ("5. Lqz13Th", 5, "Lqz13Th", 1),
        ("6. Amy Wang 3份", 6, "Amy Wang", 3),
        ("7. 🍓草莓妈妈 2盒", 7, "🍓草莓妈妈", 2),
        ("王芳 +1", None, "王芳", 1),
        ("8. 钱七 5号楼 2份", 8, "钱七", 2),
    ],
)
def test_line_formats(line, seq, name, qty):
    [e] = parse_chain(line)
    assert (e.seq, e.name, e.qty) == (seq, name, qty)


def test_cancellations_and_notes():
    a, b, c = parse_chain("1. 王芳 2份（不要辣）\n2. 李四 取消\n3. 赵六 不要了")
    assert a.note == "不要辣" and not a.cancelled
    assert b.cancelled and c.cancelled


def test_single_line_chain():
    got = parse_chain("1. 2. 倪彩霞 gt7 3. 莓心 4. 王燕燕 512 白色")
    assert [(e.seq, e.name, e.qty) for e in got] == [(2, "倪彩霞", 1), (3, "莓心", 1), (4, "王燕燕", 1)]
    assert got[0].note == "gt7" and got[2].note == "512 白色"


def test_header_and_footer_lines_are_not_entries():
    text = "#接龙\n下午5.30左右到\n12:30前截单\n例 张三 1份 3栋\n格式：姓名+份数\n还差 3 份成团\n"
    assert parse_chain(text) == []


def test_over_one_megabyte_gets_a_clear_size_message():
    with pytest.raises(TooLarge) as exc:
        parse_chain("1. 王芳 1份\n" * 100_000)
    assert "1 MB" in str(exc.value) and "接龙内容" in str(exc.value)


def test_non_text_is_a_typed_error():
    with pytest.raises(InvalidInput):
        parse_chain(b"1. x")  # type: ignore[arg-type]


def test_2000_lines_parse_fast():
    text = "#接龙\n" + "\n".join(f"{i}. 团员{i} {i % 3 + 1}份 {i % 9 + 1}栋" for i in range(1, 2001))
    # CPU time, best of three: on a loaded 2-core CI machine one run's CPU time has read 0.98 s
    # for a parse that takes 0.2–0.3 s alone; a parser slow on every run still fails.
    best = None
    for _ in range(3):
        t0 = time.process_time()
        entries = parse_chain(text)
        spent = time.process_time() - t0
        best = spent if best is None else min(best, spent)
    assert best < 0.5
    assert len(entries) == 2000


def test_hostile_single_line_stays_linear():
    text = " ".join(f"{i}." for i in range(1, 40_000))
    # This thread's CPU time with the collector paused: wall time read 2.2 s under a load of 7, and
    # process time 2.5 s once other threads of the test process were busy (the work is ~0.5 s).
    gc.collect()
    gc.disable()
    try:
        t0 = time.thread_time()
        parse_chain(text)
        spent = time.thread_time() - t0
    finally:
        gc.enable()
    assert spent < 2


CHAIN_ALPHABET = st.sampled_from(
    list("0123456789０１２３.．、,，:：)）(（【】[]+*xX×# \n\t-—/")
    + list("王芳李四份盒斤箱个两二十一百例取消不要了栋号楼单元室大小成人儿童")
    + ["🍓", "😊", "\u200b", "\x00", "\r", "1.", " 2. ", "13812345678", "295-909"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), st.lists(CHAIN_ALPHABET, max_size=200).map("".join)))
def test_fuzz_any_text_parses_or_raises_a_typed_error(text):
    try:
        entries = parse_chain(text)
    except DomainError:
        return
    for e in entries:
        assert isinstance(e, ChainEntry)
        assert e.name and len(e.name) <= 100 and "\x00" not in e.name
        assert 1 <= e.qty <= 999
        assert e.seq is None or e.seq >= 0
        assert len(e.note) <= 500 and len(e.spec) <= 100 and len(e.address) <= 200


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_small_text_never_errors(text):
    """Under 1 MB the parser never gives up: every text yields a (possibly empty) list."""
    assert isinstance(parse_chain(text), list)
