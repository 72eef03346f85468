"""Hostile requests to `kg serve` and `kg query` (issue 17, item 3): each gets a clear, bounded
answer. Real servers on loopback, real worker processes, real builds; the slow measurement (500
trickling connections) is `benchmarks/slow_clients.py`."""
from __future__ import annotations

import csv
import http.client
import io
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KGError
from kg.query.guard import MAX_NESTING, nesting
from kg.query.serve import ServeOptions, make_server

from .conftest import SEEDS
from .test_serve import QUERY, SLOW, ask, read_all, start, stop

KG = [sys.executable, "-c", "from kg.cli import main; main()"]
#: Every triple against every triple: 628 x 628 rows over the seed build, far past any small limit.
PRODUCT = "SELECT * WHERE { ?s ?p ?o . ?x ?y ?z }"


def one_line(result, *needles: str) -> None:
    """A failure told in one line on stderr, with no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    for needle in needles:
        assert needle in lines[0], result.stderr


# ---------------------------------------------------------------- slow clients

def test_trickling_clients_hold_no_thread_and_delay_no_query(copy_of_seed_build):
    """More trickling clients than requests are read at once (100): each sends a byte of a request
    every 0.3 s, which no per-read timeout ever trips. An ordinary query is still answered at once,
    and each trickler gets a 408 when its request has not come whole within the deadline."""
    server, url = start(copy_of_seed_build / "store", socket_timeout=3.0)
    port = server.server_address[1]
    socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(120)]
    stopping = threading.Event()

    def trickle() -> None:
        while not stopping.wait(0.3):
            for sock in socks:
                try:
                    sock.send(b"G")
                except OSError:
                    pass
    thread = threading.Thread(target=trickle, daemon=True)
    try:
        for sock in socks:
            sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nX-Trickle: ")
        thread.start()
        time.sleep(0.5)
        latencies = []
        for _ in range(5):
            started = time.monotonic()
            assert ask(url, QUERY)[0] == 200
            latencies.append(time.monotonic() - started)
        assert statistics.median(latencies) < 1.0, latencies
        for sock in socks[:3]:
            sock.settimeout(10)
            assert read_all(sock).startswith(b"HTTP/1.0 408 ")  # the whole request is late: answered and closed
    finally:
        stopping.set()
        thread.join(5)
        for sock in socks:
            sock.close()
        stop(server)


# ---------------------------------------------------------------- nesting

@pytest.mark.parametrize("text,deepest", [
    ("SELECT * { ?s ?p ?o }", 1),
    ("SELECT * { ?s ?p '{{{((([[[' }", 1),  # in a string
    ('SELECT * { ?s ?p """ \\""" {{{ """ }', 1),  # in a long string, an escaped quote inside
    ("SELECT * { ?s ?p ?o # {{{{\n }", 1),  # in a comment
    ("SELECT * { ?s <urn:x#a> ?o FILTER((1)) }", 3),  # '#' in an IRI starts no comment
    ("SELECT * { ?s ?p ?o FILTER(?o<(((1)))) }", 5),  # '<' as an operator: the brackets after it count
    ("ASK { " + "{" * 70 + "}" * 70 + " }", 71),
])
def test_nesting_is_counted_outside_strings_comments_and_iris(text, deepest):
    assert nesting(text)[0] == deepest


NESTED = {  # each kind of bracket, nested past the limit: Oxigraph's parser crashed or took minutes
    "braces": "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    "parentheses": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "blank nodes": "SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "1" + " ]" * 200 + " }",  # 30 s in Oxigraph
}


@pytest.mark.parametrize("kind", NESTED)
def test_deep_nesting_is_one_line_in_query_and_400_in_serve(seed_build, kind):
    one_line(CliRunner().invoke(main, ["query", "--out", str(seed_build), NESTED[kind]]),
             f"the limit is {MAX_NESTING}")


def test_deep_nesting_gets_400_from_serve(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", timeout=5)
    try:
        for text in NESTED.values():
            status, _, body = ask(url, text)
            assert status == 400 and f"the limit is {MAX_NESTING}".encode() in body, body
        assert ask(url, QUERY)[0] == 200
    finally:
        stop(server)


def test_the_engine_runs_on_a_stack_no_query_overflows():
    """Oxigraph recurses over a query's nesting and its long chains (`1+1+...`, `?s :p :a, :b, ...`):
    on a main thread's 8 MiB, braces nested 5,000 deep (or a chain of 10,000) kill the process with
    SIGSEGV and no message. `kg query` and the workers of `kg serve` run the engine on a deep stack."""
    code = ("import pyoxigraph as ox; from kg.query.guard import on_deep_stack; "
            "print(len(list(on_deep_stack(lambda: list(ox.Store().query('SELECT * ' + '{' * 5000 + '}' * 5000))))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout.strip()) == (0, "1"), proc.stderr


# ---------------------------------------------------------------- big results, big queries

def test_query_writes_rows_as_they_come_and_stops_at_max_rows(seed_build):
    result = CliRunner().invoke(main, ["query", "--out", str(seed_build), "--format", "csv", "--max-rows", "1000",
                                       PRODUCT])
    one_line(result, "more than 1,000 rows", "--max-rows")
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert rows[0] == ["s", "p", "o", "x", "y", "z"] and len(rows) == 1001  # the header, then the rows up to the limit


def test_query_file_over_the_size_limit_is_refused(seed_build, tmp_path):
    big = tmp_path / "big.rq"
    big.write_text("SELECT * WHERE { VALUES ?x { " + " ".join(f"<urn:x:{i}>" for i in range(100_000)) + " } }")
    started = time.monotonic()
    one_line(CliRunner().invoke(main, ["query", "--out", str(seed_build), "-f", str(big)]),
             str(big), "the limit is 1,000,000")
    assert time.monotonic() - started < 2


def test_serve_streams_a_long_answer_and_cuts_it_at_the_limit(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", timeout=30, max_result=3)
    netloc = urllib.parse.urlparse(url).netloc
    form = urllib.parse.urlencode({"query": PRODUCT}).encode()
    try:
        conn = http.client.HTTPConnection(netloc, timeout=30)
        conn.request("POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded",
                                               "Accept": "text/csv"})
        resp = conn.getresponse()
        assert resp.status == 200 and resp.headers["Transfer-Encoding"] == "chunked"
        with pytest.raises(http.client.IncompleteRead) as cut:  # no last chunk: the client sees an error
            resp.read()
        body = cut.value.partial
        assert body.startswith(b"s,p,o,x,y,z\r\n")  # SELECT *: in the query's order, not the engine's
        assert len(body) < 4 << 20 and b"cut short: the result is larger than the 3 MiB" in body[-300:]
        conn.close()
        # under the limit, a streamed answer is whole, its columns in the query's order in every row
        status, headers, whole = ask(url, PRODUCT.replace("}", "} LIMIT 8000"), accept="text/csv")
        assert status == 200 and headers["Transfer-Encoding"] == "chunked" and len(whole) > 1 << 20
        rows = list(csv.reader(io.StringIO(whole.decode(), newline="")))
        assert rows[0] == ["s", "p", "o", "x", "y", "z"] and len(rows) == 8001
        assert all(len(r) == 6 and r[0].startswith(("http", "_:")) and r[3].startswith(("http", "_:"))
                   for r in rows[1:])
        small = ask(url, PRODUCT.replace("}", "} LIMIT 100"), accept="text/csv")[2].decode()
        assert list(csv.reader(io.StringIO(small, newline=""))) == rows[:101]
    finally:
        stop(server)


# ---------------------------------------------------------------- killed workers

def test_a_killed_worker_is_replaced_and_its_query_told(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", timeout=20)
    try:
        assert ask(url, QUERY)[0] == 200
        slow: dict[str, object] = {}
        thread = threading.Thread(target=lambda: slow.update(reply=ask(url, SLOW)))
        thread.start()
        time.sleep(1.0)
        for worker in list(server.pool._all):  # the busy one and the idle one
            os.kill(worker.proc.pid, signal.SIGKILL)
        thread.join(30)
        status, _, body = slow["reply"]  # type: ignore[misc]
        assert status == 500 and b"was killed" in body, body
        replies = [ask(url, QUERY) for _ in range(6)]
        assert [r[0] for r in replies] == [200] * 6, replies
    finally:
        stop(server)


# ---------------------------------------------------------------- option values

@pytest.mark.parametrize("args", [
    ["serve", "--max-memory", "-1"], ["serve", "--timeout", "0"], ["serve", "--timeout", "nan"],
    ["serve", "--timeout", "inf"], ["serve", "--workers", "-2"], ["serve", "--max-body", "0"],
    ["serve", "--max-result", "-1"], ["serve", "--port", "70000"], ["query", "--max-rows", "-5", "ASK {}"],
])
def test_option_values_are_checked(seed_build, args):
    """A usage error (exit 2), before anything starts: `--max-memory -1` used to start serving."""
    proc = subprocess.run([*KG, *args, "--out", str(seed_build)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Invalid value for" in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- damaged stores

@pytest.fixture()
def linked_copy(seed_build, tmp_path):
    """A copy of the seed build as `kg build` lays one out: OUT/store a link into the current build."""
    out = tmp_path / "linked"
    shutil.copytree(seed_build, out, symlinks=True)
    return out


def test_a_damaged_store_is_one_line_and_kg_build_rebuilds_it(linked_copy, capfd):
    out = linked_copy
    store = (out / "store").resolve()
    shutil.rmtree(store)  # gone
    one_line(CliRunner().invoke(main, ["query", "--out", str(out), "ASK {}"]), "store of the current build is missing")
    with pytest.raises(KGError, match="store of the current build is missing"):
        make_server(out / "store", "127.0.0.1", 0, options=ServeOptions(workers=1))
    store.mkdir()
    (store / "CURRENT").write_text("garbage\n")  # damaged
    one_line(CliRunner().invoke(main, ["query", "--out", str(out), "ASK {}"]), f"{out / 'store'} is damaged")
    capfd.readouterr()
    with pytest.raises(KGError, match="cannot open the graph store .*damaged"):
        make_server(out / "store", "127.0.0.1", 0, options=ServeOptions(workers=1))
    assert "Traceback" not in capfd.readouterr().err  # the worker says why, and prints no traceback
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["query", "--out", str(out), "--format", "csv", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0 and result.output == "true\n", result.output


# ---------------------------------------------------------------- a write that fails mid-build

@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as on Linux")
def test_a_file_size_limit_mid_build_is_one_line_and_the_last_build_stays(linked_copy, tmp_path):
    """A stand-in for a full disk: files may not grow past 20 kB, so copying the last build's store
    fails (EFBIG, with SIGXFSZ ignored as a shell's `ulimit -f` does not)."""
    more = tmp_path / "more"
    more.mkdir()
    (more / "talks.txt").write_text("Title: Talks\nDate: 2021-06-02\n\nJapan praised India on Monday.\n")

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    proc = subprocess.run([*KG, "build", str(more), "--out", str(linked_copy), "-q", "--no-html"],
                          capture_output=True, text=True, timeout=300, preexec_fn=limited)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "File too large" in lines[0] and "[(" not in lines[0], lines[0]
    ids = "SELECT ?id WHERE { ?a <http://purl.org/dc/terms/identifier> ?id }"
    result = CliRunner().invoke(main, ["query", "--out", str(linked_copy), "--format", "csv", ids])
    assert result.output.split() == ["id", "000_fd245a2f0af1f295"]  # the last build, whole


# ---------------------------------------------------------------- a remote store

def test_query_sends_no_update_to_a_remote_store(internal_address):
    address, hits = internal_address
    result = CliRunner().invoke(main, ["query", "--store", f"{address}/sparql", "CLEAR ALL"])
    one_line(result, "SPARQL updates (CLEAR) are refused")
    result = CliRunner().invoke(main, ["query", "--store", f"{address}/sparql", NESTED["braces"]])
    one_line(result, f"the limit is {MAX_NESTING}")
    assert hits == []

