"""Offline dependency audit: the pinned (and the installed) package versions against a local
copy of the PyPA advisory database (OSV records, vulns/<package>/*.yaml).

    git clone --depth 1 https://github.com/pypa/advisory-database /opt/advisory-database   # once, online
    python -m tools.audit_deps --db /opt/advisory-database [--installed]

Exit status 0: no known vulnerability; 1: some (listed); 2: the database is missing.
pip-audit cannot read a local database (it asks PyPI's JSON API or OSV online, and neither
is reachable from the shop's or this machine); this reads the same OSV records offline.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: Path) -> dict[str, str]:
    """name → version of every `name==version` line (extras dropped)."""
    out = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*==\s*([^\s;#]+)", line)
        if m:
            out[canonical(m.group(1))] = m.group(3)
    return out


def installed() -> dict[str, str]:
    return {canonical(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}


def _in_range(version: Version, events: list[dict]) -> bool:
    affected = False
    for ev in sorted(events, key=lambda e: _v(next(iter(e.values())))):
        kind, value = next(iter(ev.items()))
        if kind == "introduced" and version >= _v(value):
            affected = True
        elif kind == "fixed" and version >= _v(value):
            affected = False
        elif kind == "last_affected" and version > _v(value):
            affected = False
    return affected


def _v(text: str) -> Version:
    try:
        return Version(str(text))
    except InvalidVersion:
        return Version("0")


def advisories(db: Path, name: str) -> Iterator[dict]:
    folder = db / "vulns" / name
    if not folder.is_dir():
        folder = next((p for p in (db / "vulns").iterdir() if canonical(p.name) == name), None)
    for path in sorted(folder.glob("*.yaml")) if folder else []:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not record.get("withdrawn"):
            yield record


def hits(db: Path, name: str, version: str) -> list[tuple[str, str]]:
    """(advisory id, fixed-in) for each advisory that affects name==version."""
    v = _v(version)
    found = []
    for record in advisories(db, name):
        for aff in record.get("affected", []):
            if canonical(aff.get("package", {}).get("name", "")) != name:
                continue
            ranges = [r for r in aff.get("ranges", []) if r.get("type") in ("ECOSYSTEM", "SEMVER")]
            listed = version in {str(x) for x in aff.get("versions", [])}
            if listed or any(_in_range(v, r.get("events", [])) for r in ranges):
                fixed = [e["fixed"] for r in ranges for e in r.get("events", []) if "fixed" in e]
                found.append((record["id"], ", ".join(map(str, fixed)) or "无修复版本"))
    return found


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.audit_deps", description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True, help="a checkout of github.com/pypa/advisory-database")
    p.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    p.add_argument("--installed", action="store_true", help="also every installed distribution (transitive deps)")
    args = p.parse_args(argv)
    if not (args.db / "vulns").is_dir():
        print(f"no advisory database at {args.db} (expected {args.db}/vulns/<package>/*.yaml)", file=sys.stderr)
        return 2
    packages = pins(args.requirements)
    if args.installed:
        packages = {**installed(), **packages}
    bad = 0
    for name, version in sorted(packages.items()):
        for vid, fixed in hits(args.db, name, version):
            bad += 1
            print(f"{name}=={version}: {vid} (fixed in {fixed})")
    print(f"audit: {bad} known vulnerabilities in {len(packages)} packages")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
