"""A throw-away PostgreSQL cluster on a free port (initdb + pg_ctl), for tests that restart
the server itself. As root, the binaries run as the `postgres` user (initdb refuses root)."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir: Path, data: Path, port: int):
        self.bin_dir, self.data, self.port = bin_dir, data, port

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def pg_ctl(self, action: str, *extra: str) -> None:
        opts = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", action, "-D", str(self.data / "db"), "-w", "-l", str(self.data / "log"), "-o", opts, *extra)

    def restart(self) -> None:
        """Stop (fast: every open connection is cut) and start again; returns once it answers."""
        self.pg_ctl("restart", "-m", "fast")


def available() -> str | None:
    """Why a cluster cannot be made here, or None."""
    if _bin_dir() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser"
    return None


@contextmanager
def cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    assert bin_dir is not None
    data = Path(tempfile.mkdtemp(prefix="pgrestart-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    c = Cluster(bin_dir, data, _free_port())
    try:
        c._run("initdb", "-D", str(data / "db"), "-A", "trust", "-U", "postgres", "--no-sync")
        c.pg_ctl("start")
        yield c
    finally:
        try:
            c.pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(data, ignore_errors=True)
