"""Slow clients against the SPARQL endpoint: N connections trickle their requests, a byte every few
seconds, while an ordinary client asks ordinary queries.

    python benchmarks/slow_clients.py                    # kg serve on a build of seeds/, 500 tricklers
    python benchmarks/slow_clients.py --connections 1000 --interval 5 --queries 20
    python benchmarks/slow_clients.py --out output       # on an existing build

A trickler sends the start of a POST and then one more header byte every `--interval` seconds: a
server whose timeout is per read never drops it. Prints the latency of the ordinary queries
(median, p90, max, failures) without tricklers, then with them all connected, and what the
tricklers got back once `kg serve`'s whole-request deadline (15 s) passed. A trickler that the
server drops reconnects, so all N stay open while the queries are timed.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from serve_load import free_port, seed_build, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"


def ask(url: str) -> float | None:
    """Seconds to answer one ordinary query, None if it failed (a 10 s client timeout)."""
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode({"query": QUERY}).encode()
    started = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as resp:
            resp.read()
            return time.monotonic() - started if resp.status == 200 else None
    except OSError:
        return None


def timings(url: str, count: int) -> list[float | None]:
    out = []
    for _ in range(count):
        out.append(ask(url))
        time.sleep(0.1)
    return out


def report(name: str, times: list[float | None]) -> None:
    ok = sorted(t for t in times if t is not None)
    if not ok:
        print(f"{name}: all {len(times)} queries failed")
        return
    p90 = ok[min(len(ok) - 1, int(0.9 * len(ok)))]
    print(f"{name}: {len(times)} queries, {len(times) - len(ok)} failed; median {statistics.median(ok) * 1000:.1f} ms, "
          f"p90 {p90 * 1000:.1f} ms, max {ok[-1] * 1000:.1f} ms")


class Tricklers:
    """N connections that each send a request a byte at a time, reconnecting when dropped."""

    def __init__(self, port: int, count: int, interval: float) -> None:
        self.port, self.interval = port, interval
        self.socks: list[socket.socket | None] = [None] * count
        self.dropped = 0
        self.answers: dict[str, int] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _connect(self, i: int) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nX-Trickle: ")
        sock.setblocking(False)
        self.socks[i] = sock

    def open(self) -> None:
        for i in range(len(self.socks)):
            self._connect(i)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            for i, sock in enumerate(self.socks):
                try:
                    assert sock is not None
                    reply = sock.recv(200)  # the server answered (408) and closed, or closed
                    first = reply.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
                    self.answers[first] = self.answers.get(first, 0) + 1
                    self.dropped += 1
                    sock.close()
                    self._connect(i)
                except BlockingIOError:
                    try:
                        sock.send(b"x")  # type: ignore[union-attr]
                    except OSError:
                        pass
                except OSError:
                    self.dropped += 1
                    self._connect(i)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(10)
        for sock in self.socks:
            if sock is not None:
                sock.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="an existing build (default: build seeds/ into a temporary folder)")
    ap.add_argument("--connections", type=int, default=500, help="trickling connections (default 500)")
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between a trickler's bytes (default 5)")
    ap.add_argument("--queries", type=int, default=20, help="ordinary queries timed in each phase (default 20)")
    ap.add_argument("--hold", type=float, default=20.0, help="seconds the tricklers stay before the end (default 20)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-slow-clients-"))
    try:
        out = args.out or seed_build(tmp)
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--out", str(out), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until_up(url, server)
            timings(url, 5)  # warm the workers
            report("no tricklers", timings(url, args.queries))
            tricklers = Tricklers(port, args.connections, args.interval)
            tricklers.open()
            time.sleep(1.0)
            report(f"{args.connections} tricklers (a byte every {args.interval:g} s)", timings(url, args.queries))
            time.sleep(max(0.0, args.hold - args.queries * 0.1))
            report(f"{args.connections} tricklers, after {args.hold:g} s", timings(url, args.queries))
            tricklers.close()
            got = tricklers.answers or "nothing"
            print(f"tricklers dropped by the server: {tricklers.dropped}; what they got: {got}")
        finally:
            server.terminate()
            server.wait(30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
