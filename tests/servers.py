"""Real SPARQL servers for the tests and the benchmark: Oxigraph's server (PyPI `oxigraph`) and
Virtuoso Open Source (Debian `virtuoso-opensource-7-bin`), each started in a temporary folder on
a free loopback port and stopped afterwards."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: Virtuoso's built-in administrator (a fresh database's default password).
VIRTUOSO_USER = ("dba", "dba")


@dataclass(frozen=True)
class Server:
    name: str
    query: str  # SPARQL query endpoint
    update: str  # SPARQL Update endpoint
    graph_store: str  # Graph Store HTTP Protocol endpoint
    login: tuple[str, str] | None = None  # what the write endpoints ask for


def child_processes(pid: int) -> set[int]:
    """The ids of the processes whose parent is `pid` (the `ps` that lists them left out)."""
    with subprocess.Popen(["ps", "--ppid", str(pid), "-o", "pid="], stdout=subprocess.PIPE, text=True) as ps:
        listed, _ = ps.communicate()
    return {int(x) for x in listed.split()} - {ps.pid}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The `oxigraph` command beside this interpreter (pip install oxigraph), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {seconds:.0f}s")


@contextmanager
def _running(cmd: list[str], folder: Path, ready_url: str) -> Iterator[None]:
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    try:
        _wait(ready_url, proc, log)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def oxigraph_server() -> Iterator[Server]:
    """`oxigraph serve` on disk in a temporary folder, as it starts by default (kg asks for the
    union default graph per query)."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("oxigraph (pip install oxigraph)")
    folder = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
    base = f"http://127.0.0.1:{free_port()}"
    try:
        with _running([binary, "serve", "--location", str(folder / "db"), "--bind", base[len("http://"):]],
                      folder, f"{base}/query"):
            yield Server("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server() -> Iterator[Server]:
    """Virtuoso Open Source with a fresh database in a temporary folder (Debian's stock settings
    for results: at most 10,000 rows an answer). Writes go to the Digest-authenticated endpoints."""
    binary = virtuoso_binary()
    if binary is None:
        raise FileNotFoundError("virtuoso-t (apt-get install virtuoso-opensource-7-bin)")
    folder = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    port = free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=folder, sql_port=free_port(), http_port=port))
    base = f"http://127.0.0.1:{port}"
    try:
        with _running([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")], folder,
                      f"{base}/sparql"):
            yield Server("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                         VIRTUOSO_USER)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


SERVERS = {"oxigraph": (oxigraph_server, oxigraph_binary), "virtuoso": (virtuoso_server, virtuoso_binary)}


@contextmanager
def credentials_env(login: tuple[str, str] | None) -> Iterator[None]:
    """KG_STORE_USER/KG_STORE_PASSWORD set to `login` for the block (or left as they were)."""
    saved = {k: os.environ.get(k) for k in ("KG_STORE_USER", "KG_STORE_PASSWORD")}
    if login:
        os.environ["KG_STORE_USER"], os.environ["KG_STORE_PASSWORD"] = login
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
