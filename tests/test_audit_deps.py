"""Issue 14 #15: the offline dependency audit flags a pinned version an advisory covers and
passes one it does not (on a small OSV database made here; README says how to run it on the
real PyPA advisory database)."""
from __future__ import annotations

from pathlib import Path

from tools import audit_deps

RECORD = """id: PYSEC-2099-1
details: test advisory
affected:
- package:
    name: openpyxl
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 3.1.6
"""


def _db(tmp_path: Path) -> Path:
    folder = tmp_path / "db" / "vulns" / "openpyxl"
    folder.mkdir(parents=True)
    (folder / "PYSEC-2099-1.yaml").write_text(RECORD, encoding="utf-8")
    return tmp_path / "db"


def test_an_affected_pin_is_reported_and_a_fixed_one_passes(tmp_path, capsys):
    db = _db(tmp_path)
    req = tmp_path / "requirements.txt"
    req.write_text("openpyxl==3.1.5\npsycopg[binary]==3.3.9\n", encoding="utf-8")
    assert audit_deps.main(["--db", str(db), "--requirements", str(req)]) == 1
    assert "openpyxl==3.1.5: PYSEC-2099-1 (fixed in 3.1.6)" in capsys.readouterr().out
    req.write_text("openpyxl==3.1.6\n", encoding="utf-8")
    assert audit_deps.main(["--db", str(db), "--requirements", str(req)]) == 0
    assert audit_deps.main(["--db", str(tmp_path / "missing"), "--requirements", str(req)]) == 2


def test_the_pins_are_read_with_extras():
    pins = audit_deps.pins(Path(audit_deps.ROOT / "requirements.txt"))
    assert pins["psycopg"] and pins["streamlit"] and pins["openpyxl"]
