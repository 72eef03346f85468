"""Load on the SPARQL endpoint: N clients each send M queries over loopback, at once.

    python benchmarks/serve_load.py                      # kg serve on a build of seeds/, 50 x 20
    python benchmarks/serve_load.py --out output         # on an existing build
    python benchmarks/serve_load.py --oxigraph "$(which oxigraph)"   # also Oxigraph's own server
    python benchmarks/serve_load.py --repeat 3           # medians of three rounds

Prints, per server and round: requests, failed requests (connection errors and non-200 replies),
p50 and p99 latency, wall time and requests/s; then the medians over the rounds. The queries are
the example questions of docs/querying.md plus a few small lookups, each sent as a form POST asking
for SPARQL JSON.
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
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P = ("PREFIX dip: <https://w3id.org/kg-dip/ontology#> PREFIX rel: <https://w3id.org/kg-dip/rel/> "
     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
QUERIES = [
    P + "SELECT ?a ?b WHERE { ?x rel:met ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }",
    P + "SELECT ?relation ?target ?date WHERE { ?e dip:agent/rdfs:label 'Kim Jong-un' ; dip:relation ?relation ; "
        "dip:date ?date . OPTIONAL { ?e dip:target/rdfs:label ?target } }",
    P + "SELECT ?root (COUNT(?e) AS ?n) WHERE { ?e a dip:Event ; dip:cameoCode ?c . BIND(SUBSTR(?c, 1, 2) AS ?root) }"
        " GROUP BY ?root ORDER BY ?root",
    P + "SELECT ?label ?date WHERE { ?e a dip:Event ; rdfs:label ?label ; dip:date ?date . "
        "FILTER(STRSTARTS(STR(?date), '2019-01')) }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 50",
    "ASK { ?s ?p ?o }",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"the server stopped (exit {proc.returncode}): {said}")
        try:
            with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up in {seconds:g} s")


def one_round(url: str, clients: int, per_client: int) -> dict[str, float]:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    go = threading.Event()

    def client(n: int) -> None:
        go.wait()
        for i in range(per_client):
            query = QUERIES[(n + i) % len(QUERIES)]
            data = urllib.parse.urlencode({"query": query}).encode()
            req = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    resp.read()
                    ok = resp.status == 200
                    why = str(resp.status)
            except urllib.error.HTTPError as err:
                ok, why = False, f"HTTP {err.code}"
            except OSError as exc:
                ok, why = False, type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    failures.append(why)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    go.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    kinds = sorted(set(failures))
    return {"requests": len(latencies), "failed": len(failures), "p50": latencies[len(latencies) // 2] * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "wall": wall,
            "rps": len(latencies) / wall, "kinds": ", ".join(f"{k} x{failures.count(k)}" for k in kinds)}  # type: ignore[dict-item]


def start_kg(store_out: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--out", str(store_out), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start_oxigraph(binary: str, store_out: Path, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([binary, "serve-read-only", "--location", str(store_out / "store"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "30"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def seed_build(tmp: Path) -> Path:
    """The seed article built into `tmp/output` (no HTML view): what the endpoint benchmarks serve."""
    out = tmp / "output"
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "seeds"), "--out", str(out), "--no-html"],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="an existing build (default: build seeds/ into a temporary folder)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--queries", type=int, default=20, help="queries per client")
    ap.add_argument("--repeat", type=int, default=1, help="rounds per server")
    ap.add_argument("--oxigraph", metavar="BIN", help="also measure Oxigraph's server (`oxigraph` from PyPI)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kg-serve-load-"))
    try:
        out = args.out or seed_build(tmp)
        servers = [("kg serve", start_kg)]
        if args.oxigraph:
            servers.append(("oxigraph serve-read-only", lambda o, p: start_oxigraph(args.oxigraph, o, p)))
        print(f"{args.clients} clients x {args.queries} queries over loopback, {args.repeat} round(s)")
        medians: dict[str, dict[str, float]] = {}
        for name, starter in servers:
            port = free_port()
            proc = starter(out, port)
            url = f"http://127.0.0.1:{port}/query" if name.startswith("oxigraph") else f"http://127.0.0.1:{port}/sparql"
            try:
                wait_until_up(url, proc)
                rounds = [one_round(url, args.clients, args.queries) for _ in range(args.repeat)]
            finally:
                proc.terminate()
                proc.wait(10)
            for r in rounds:
                print(f"  {name:26} {r['requests']:5.0f} requests  {r['failed']:4.0f} failed  p50 {r['p50']:7.1f} ms"
                      f"  p99 {r['p99']:7.1f} ms  {r['wall']:6.2f} s  {r['rps']:7.1f} req/s  {r['kinds']}")
            medians[name] = {k: statistics.median(float(r[k]) for r in rounds)
                             for k in ("failed", "p50", "p99", "rps")}
        print("medians:")
        for name, m in medians.items():
            print(f"  {name:26} failed {m['failed']:.0f}  p50 {m['p50']:.1f} ms  p99 {m['p99']:.1f} ms  "
                  f"{m['rps']:.1f} req/s")
        if len(medians) == 2:
            a, b = (medians[n] for n, _ in servers)
            print(f"  ratio kg/oxigraph: p50 {a['p50'] / b['p50']:.2f}  p99 {a['p99'] / b['p99']:.2f}  "
                  f"req/s {a['rps'] / b['rps']:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
