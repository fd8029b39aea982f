"""Start and stop a real Streamlit server of the app on a free port (tests and benchmarks)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    database_url: str
    process: subprocess.Popen
    log: Path


def start_server(database_url: str, log: Path, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    full_env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    out = log.open("w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
            "--server.headless", "true", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return Server(url, database_url, proc, log)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not answer on {url}:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


def log_tracebacks(server: Server, text: str | None = None) -> list[str]:
    """The tracebacks the server logged (each as its last line), e.g. a dataframe Arrow could not send.
    `text`: a snapshot of the log taken earlier (default: the whole log now)."""
    lines = (server.log.read_text(errors="replace") if text is None else text).splitlines()
    out, inside = [], False
    for line in lines:
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line.startswith((" ", "\t")):
            out.append(line)
            inside = False
    return out
