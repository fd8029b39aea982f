"""Leave-one-source-out (services.promises.train, bench promise_loso): the unit left out is a whole
source, so no fold reads a line whose source it was trained on."""
from services.promises import train


def test_a_source_is_left_out_whole_and_project_lines_are_never_scored():
    rows = train.training_rows()
    sources = {train.source_of(r) for r in rows}
    assert "" in sources and len(sources) >= 15
    assert all(train.source_of(r) == "" for r in rows if r[2] == "project")
    # LiveChat streamers fall in five buckets, one streamer never in two
    by_streamer: dict[str, set[str]] = {}
    for r in rows:
        if r[2] == "host_lines.tsv":
            by_streamer.setdefault(r[3], set()).add(train.source_of(r))
    assert all(len(s) == 1 for s in by_streamer.values())
    assert len({s for v in by_streamer.values() for s in v}) == train.FOLDS


def test_a_left_out_source_is_read_by_a_model_that_never_saw_it():
    rows = [("今天下单送一包纸巾", 1, "a.tsv", "A"), ("晴天送给大家", 0, "a.tsv", "A"),
            ("拍一单立减十元", 1, "b.tsv", "B"), ("我今天好困", 0, "b.tsv", "B"),
            ("前十名送小样", 1, "c.tsv", "C"), ("大家晚上好", 0, "c.tsv", "C")]
    seen = []
    real_fit = train.fit

    def spy(feats, y, l2, steps=train.STEPS):
        seen.append(len(y))
        return real_fit(feats, y, l2, steps=20)

    train.fit = spy
    try:
        probs = train.out_of_source(rows, 1e-3)
    finally:
        train.fit = real_fit
    assert seen == [4, 4, 4]  # three sources, each fold trained on the other two
    assert len(probs) == 6 and all(0.0 < p < 1.0 for p in probs)
