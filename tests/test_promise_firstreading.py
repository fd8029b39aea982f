"""First readings (bench promise_firstreading): each real host-line file is read by the detector at
the parent of the commit that added it, so by rules and a model that never saw it."""
import subprocess

import pytest

from bench import promise_firstreading as fr


def _full_history() -> bool:
    """The bench needs the commits that added each file: a clone, not an export or a shallow clone."""
    done = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=fr.ROOT, capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == "false"


@pytest.mark.skipif(not _full_history(), reason="needs the full git history (a shallow clone or an export has none)")
def test_every_host_line_file_is_read_by_a_detector_from_before_it():
    found = fr.points()
    names = [name for name, _, _ in found]
    assert sorted(names) == sorted(p.name for p in fr.REAL.glob("host_lines*.tsv"))
    assert [when for _, _, when in found] == sorted(when for _, _, when in found)  # oldest first
    for name, parent, _ in found:
        # the parent's tree does not hold the file: its detector never read it
        missing = subprocess.run(["git", "cat-file", "-e", f"{parent}:tests/data/real/{name}"], cwd=fr.ROOT,
                                 capture_output=True).returncode
        assert missing != 0


def test_score_counts_promises_found_missed_and_drafted_wrong():
    rows = [[1, "gift", "gift", "gift", "a"], [1, "price", "gift", "", "b"], [1, "refund", "", "", "c"],
            [0, "", "price", "price", "d"], [0, "", "", "", "e"]]
    assert fr.score(rows, 2) == (3, 2 / 3, 2 / 3, 1 / 2)  # shipped then: 2 of 3 found, 1 wrong draft, 1 kind right
    assert fr.score(rows, 3) == (3, 1 / 3, 1 / 2, 1.0)  # rules alone
