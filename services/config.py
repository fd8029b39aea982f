"""Configuration: the environment, completed from .streamlit/secrets.toml (git-ignored).

Only root-level scalar keys of the TOML file are used (DATABASE_URL = "…"). A key already
set in the environment is left alone, so a test or a deployment can always override the
file. A missing file is normal; a malformed one is reported and ignored, never fatal.
Values are never logged (ADMIN_PASSWORD, DATABASE_URL may hold secrets).

Note: `streamlit run` itself also copies root-level string/number secrets into os.environ
at start-up, and Streamlit's copy wins over the environment. Set each key in ONE place.
"""
from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import MutableMapping
from pathlib import Path

log = logging.getLogger("live_night.config")

ROOT = Path(__file__).resolve().parent.parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"

# key → (default, meaning). The documented configuration; README's table mirrors it (a test
# checks both ways). Every key is read through get / get_set / get_float / get_int below, except
# DATABASE_URL inside db/ (db sits under services and cannot import it; see db.resolve_url).
KEYS: dict[str, tuple[str, str]] = {
    "DATABASE_URL": ("sqlite:///data/live_night.db", "SQLAlchemy URL of the database"),
    "ADMIN_USER": ("admin", "name of the admin created on the first start"),
    "ADMIN_PASSWORD": ("", "password of that admin; empty: a first-run form asks, with the setup code the server prints"),
    "APP_TZ": ("Asia/Shanghai", "time zone every time is shown and stored in"),
    "SESSION_HOURS": ("12", "how long a login lasts"),
    "SESSION_IDLE_MINUTES": ("120", "a login ends after this many minutes without activity"),
    "HOST_LINK_HOURS": ("12", "how long a host link lasts by default"),
    "PUBLIC_URL": ("", "base URL phones use to open host links, e.g. http://192.168.1.20:8501"),
    "HOST_REFRESH_S": ("2", "seconds between host-screen refreshes"),
    "CONSOLE_REFRESH_S": ("2", "seconds between console snapshot refreshes"),
    "CONSOLE_QUEUE_REFRESH_S": ("3", "seconds between question-queue refreshes"),
    "JIELONG_REFRESH_S": ("5", "seconds between refreshes of the 接龙 panel's numbers"),
    "JIELONG_ADVICE_REFRESH_S": ("15", "seconds between refreshes of the release advice"),
    "PROGRESS_REMINDER_S": ("120", "how often the console reminds the assistant to post progress"),
    "DB_POOL_SIZE": ("5", "PostgreSQL pool size per Streamlit process"),
    "DB_MAX_OVERFLOW": ("5", "PostgreSQL pool overflow per Streamlit process"),
    "CONSOLE_CAPTURE_REFRESH_S": ("2", "seconds between refreshes of the console's capture status line"),
    "CAPTURE_SILENCE_S": ("60", "live capture: seconds without a message (show live) before the console warns"),
    "CAPTURE_TOKEN": ("", "live capture: token the wxlivespy receiver requires (?token= or Bearer); also sent to WebSocket tools"),
    "DEMO_NIGHTS": ("1", "load the demo nights on the first start of an empty database; 0: a new store starts empty"),
    "CAPTURE_VIEWER_EVERY_S": ("10", "live capture: at most one viewer sample per this many seconds (when the numbers change)"),
}

_loaded: dict[str, object] = {}


def load_secrets(path: Path | str | None = None, environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Copy the file's root-level scalar keys into the environment where unset.

    Returns the keys it set. Never raises for a missing or malformed file.
    """
    path = Path(path) if path else SECRETS_FILE
    environ = os.environ if environ is None else environ
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # The parser's message can quote a line of the file, so log only its kind and place.
        log.error("ignoring %s: %s at %s", path, type(exc).__name__, _position(exc))
        _loaded["error"] = str(path)
        return []
    done = []
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            continue  # tables ([auth], [connections]) belong to Streamlit
        if not environ.get(key):
            environ[key] = str(value)
            done.append(key)
    _loaded.pop("error", None)
    return done


def load_once() -> None:
    """load_secrets() for the app process: the file is read on the first call only."""
    if "done" not in _loaded:
        _loaded["done"] = True
        load_secrets()


def secrets_error() -> str | None:
    """The path of a secrets file that could not be read on the last load, if any."""
    return _loaded.get("error")  # type: ignore[return-value]


def get(key: str) -> str:
    """A configuration value: the environment, else the documented default."""
    return os.environ.get(key, "").strip() or KEYS.get(key, ("", ""))[0]


def get_set(key: str) -> str | None:
    """The value when it is set (environment or secrets file), None to let the caller default."""
    return os.environ.get(key, "").strip() or None


def get_int(key: str) -> int:
    """A positive integer from the configuration; a bad value falls back to the default."""
    return int(get_float(key))


def get_float(key: str) -> float:
    """A positive number from the configuration; a bad value falls back to the default."""
    raw = get(key)
    try:
        value = float(raw)
        if value > 0:
            return value
    except ValueError:
        pass
    log.warning("configuration %s is not a positive number, using the default", key)
    return float(KEYS[key][0])


def _position(exc: Exception) -> str:
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    return f"line {line}, column {col}" if line else "unknown position"
