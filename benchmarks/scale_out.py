"""Scaling out, measured: build throughput of a local build against the same build parsed by two
Dask workers (a LocalCluster on this machine), and bulk write throughput (triples/s) into
Oxigraph's server and Virtuoso (SPARQL Update and Graph Store Protocol) against the embedded
on-disk Oxigraph store a local build writes. Prints medians and ratios.

    python benchmarks/scale_out.py            # 3 repeats, the dev set copied 4 times
    python benchmarks/scale_out.py --quick    # 2 repeats, 2 copies

The corpus is the seed and the dev articles (../shared/articles, ../shared/dev2/articles) copied
under new names; without them, the seed alone. Servers are started as the tests start them
(tests/servers.py) and skipped, with a note, when not installed.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.servers starts the servers

SOURCES = [ROOT / "seeds", ROOT.parent / "shared" / "articles", ROOT.parent / "shared" / "dev2" / "articles"]


def corpus(folder: Path, copies: int) -> tuple[int, int]:
    """`copies` copies of every source article under new names; (articles, words)."""
    files = sorted(p for src in SOURCES if src.exists() for p in src.glob("*.txt"))
    words = 0
    for i in range(copies):
        for path in files:
            text = path.read_text(encoding="utf-8")
            (folder / f"c{i}_{path.name}").write_text(text, encoding="utf-8")
            words += len(text.split())
    return copies * len(files), words


def median_of(fn: Callable[[], object], repeats: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def bench_builds(folder: Path, articles: int, words: int, repeats: int) -> None:
    from distributed import LocalCluster

    from kg.build.driver import build as build_only
    from kg.views.sink import HtmlView

    def build(inputs: list[str], out: Path, **options: Any) -> None:
        """A whole build, as `kg build` makes it: graph.html too."""
        build_only(inputs, out, sinks=[HtmlView()], **options)

    out = folder.parent / "out"
    build([str(folder)], out)  # warm: the pipeline and gazetteer are loaded in this process
    local_runs: list[float] = []
    dask_runs: list[float] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        start = time.perf_counter()
        build([str(folder)], out, scheduler=cluster.scheduler_address)
        cold = time.perf_counter() - start  # each worker loads the pipeline on its first batch
        for _ in range(repeats):  # interleaved, so that both see the same load on a shared machine
            local_runs.append(median_of(lambda: build([str(folder)], out), 1)[0])
            dask_runs.append(median_of(lambda: build([str(folder)], out,
                                                     scheduler=cluster.scheduler_address), 1)[0])
    local, dask = statistics.median(local_runs), statistics.median(dask_runs)
    pairs = statistics.median(a / b for a, b in zip(local_runs, dask_runs, strict=True))
    print(f"build of {articles} articles ({words:,} words), whole build (parse, extract, store, files), "
          f"median of {repeats}, runs interleaved:")
    print(f"  local, 1 process          {local:7.2f} s  {articles / local:6.1f} articles/s  "
          f"{words / local:8,.0f} words/s   runs {', '.join(f'{t:.2f}' for t in local_runs)}")
    print(f"  Dask, 2 workers (warm)    {dask:7.2f} s  {articles / dask:6.1f} articles/s  "
          f"{words / dask:8,.0f} words/s   runs {', '.join(f'{t:.2f}' for t in dask_runs)}")
    print(f"  Dask, first run (workers load the model): {cold:.2f} s")
    print(f"  speed-up of 2 workers over 1 process: {local / dask:.2f}x (median of the paired ratios {pairs:.2f}x)")


def bench_writes(folder: Path, repeats: int) -> None:
    from rdflib import Dataset

    from kg.build.driver import build
    from kg.graph.publish import open_build
    from kg.graph.rdf import new_dataset
    from kg.graph.remote import RemoteStore, connect
    from tests.servers import SERVERS, credentials_env

    built = Path(tempfile.mkdtemp(prefix="kg-bench-built-"))
    build([str(folder)], built / "out")
    with open_build(built / "out") as local:
        data = local.serialize("nquads")
    shutil.rmtree(built, ignore_errors=True)
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    quads = list(ds.quads((None, None, None, None)))
    triples = len(quads)

    def embedded() -> None:
        target = Path(tempfile.mkdtemp(prefix="kg-bench-embedded-"))
        try:
            store = new_dataset(target / "store")
            store.addN((s, p, o, store.graph(getattr(g, "identifier", g))) for s, p, o, g in quads)
            store.close()
        finally:
            shutil.rmtree(target, ignore_errors=True)

    base, runs = median_of(embedded, repeats)
    print(f"\nbulk write of {triples:,} triples ({len(list(ds.graphs()))} graphs), median of {repeats}:")
    print(f"  {'embedded Oxigraph (disk)':34s} {base:7.3f} s  {triples / base:9,.0f} triples/s  1.00x   "
          f"runs {', '.join(f'{t:.3f}' for t in runs)}")
    for name, (start, binary) in sorted(SERVERS.items()):
        if binary() is None:
            print(f"  {name}: not installed, skipped")
            continue
        with start() as server, credentials_env(server.login):
            for protocol, store in (("SPARQL Update", connect(server.query, update=server.update)),
                                    ("Graph Store Protocol", connect(server.query, update=server.update,
                                                                     graph_store=server.graph_store))):
                assert isinstance(store, RemoteStore)

                def write(store: RemoteStore = store) -> None:
                    store.clear()
                    store.write(ds)

                secs, runs = median_of(write, repeats)
                print(f"  {name + ', ' + protocol:34s} {secs:7.3f} s  {triples / secs:9,.0f} triples/s  "
                      f"{base / secs:.2f}x   runs {', '.join(f'{t:.3f}' for t in runs)}")
    print("  (server runs include dropping the previous copy first; ratio = embedded time / this time)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 repeats, 2 copies of the corpus")
    parser.add_argument("--copies", type=int, help="copies of the dev set in the corpus (default 4)")
    parser.add_argument("--repeats", type=int, help="timed runs of each measure (default 3)")
    args = parser.parse_args()
    copies = args.copies or (2 if args.quick else 4)
    repeats = args.repeats or (2 if args.quick else 3)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    try:
        folder = work / "corpus"
        folder.mkdir()
        articles, words = corpus(folder, copies)
        bench_builds(folder, articles, words, repeats)
        bench_writes(folder, repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
