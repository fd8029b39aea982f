"""The design, guarded: import layers (import-linter, config in .importlinter), module and
function sizes, and configuration read in one place and documented in README."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from importlinter import cli

from services import config

ROOT = Path(__file__).resolve().parent.parent
CODE = [*sorted((ROOT / "services").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py")),
        *sorted((ROOT / "views").rglob("*.py")), *sorted((ROOT / "db").rglob("*.py")), ROOT / "dashboard.py"]
DEMO_DATA = {ROOT / "services" / "demo" / "nights.py"}  # the scripted nights: data, not logic
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_import_layers_hold():
    """views → ui → services → db; no Streamlit below ui; capabilities only downward, no
    cycles; views and ui import a capability's package, never its internals."""
    assert cli.lint_imports(config_filename=str(ROOT / ".importlinter")) == cli.EXIT_STATUS_SUCCESS


def test_no_pages_folder_beside_the_entry_point():
    """Streamlit runs a `pages/` folder beside the main script as its own multipage app until the
    first st.navigation call of the process: right after a restart a visitor to /operators ran that
    page without a login. The page scripts live in views/, which only dashboard.py's st.navigation runs."""
    assert not (ROOT / "pages").exists()
    assert sorted(p.stem for p in (ROOT / "views").glob("*.py"))


def test_the_entry_point_reaches_the_database_only_through_services():
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in imported if m == "db" or m.startswith(("db.", "sqlalchemy"))}


def test_live_panels_use_the_guarded_fragment():
    """A fragment's exception never reaches dashboard.py's Chinese notice: live panels use
    ui.context.fragment, which catches it, never st.fragment directly."""
    raw = [
        _rel(path) for path in CODE
        if path != ROOT / "ui" / "context.py" and "st.fragment" in path.read_text(encoding="utf-8")
    ]
    assert not raw, f"st.fragment used directly (use ui.context.fragment): {raw}"


def test_no_service_module_is_over_600_lines():
    long = {
        _rel(p): n for p in (ROOT / "services").rglob("*.py")
        if p not in DEMO_DATA and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_80_lines():
    long = {}
    for path in CODE:
        if path in DEMO_DATA or "versions" in path.parts:  # demo data; Alembic's generated schema script
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{_rel(path)}:{node.name}"] = lines
    assert long == {}


def _readme_keys() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    keys: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            keys |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return keys


def test_readme_documents_exactly_the_configuration_keys():
    assert _readme_keys() == set(config.KEYS)


def test_configuration_is_read_through_services_config():
    """Only services/config.py reads the environment for a documented key (db/ reads
    DATABASE_URL for callers that reach it directly: it cannot import services)."""
    readers = {}
    for path in CODE:
        if path == ROOT / "services" / "config.py":
            continue
        text = path.read_text(encoding="utf-8")
        for key in config.KEYS:
            if re.search(rf"environ(?:\.get)?[\[(]\s*[\"']{key}[\"']", text):
                readers.setdefault(_rel(path), []).append(key)
    assert readers == {"db/__init__.py": ["DATABASE_URL"]}
