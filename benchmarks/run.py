"""Benchmarks: start-up time (cold and warm cache), build time of the seed and of a corpus,
memory, and SPARQL on Oxigraph against rdflib's in-memory store. Prints medians and ratios
(machines are noisy; quote those).

    python benchmarks/run.py            # the full set (a few minutes)
    python benchmarks/run.py --quick    # fewer repeats and a smaller synthetic graph
    python benchmarks/run.py --startup  # start-up only
    python benchmarks/run.py --extraction [--baseline DIR]   # the post-parse stage, words/s

`--baseline DIR` measures the same extraction stage with the `kg` package of another checkout
(`git worktree add /tmp/kg-before <commit>`) on the same corpus, and prints the ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Literal

from kg.graph import DIP, ID, REL, new_dataset
from kg.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV = ROOT.parent / "shared" / "articles"


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


#: What a build does before it reads its first article, timed inside a fresh interpreter.
STARTUP = """
import json, time
start = time.perf_counter()
from kg.knowledge import builtin_gazetteer
from kg.nlp import load_pipeline
gazetteer = builtin_gazetteer()
load_pipeline(None, gazetteer)
print(json.dumps({"seconds": time.perf_counter() - start, "actors": len(gazetteer.actors)}))
"""


def _startup_once(cache_dir: Path) -> tuple[float, int]:
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], result["actors"]


def bench_startup(repeats: int) -> None:
    """Imports, gazetteer and pipeline with its actor ruler, in fresh processes: cold (an empty
    cache: everything is read, tokenised and then cached) and warm (the cache of a first run)."""
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-cache-"))
    try:
        cold, actors = [], 0
        for i in range(repeats):
            seconds, actors = _startup_once(tmp / f"cold-{i}")
            cold.append(seconds)
        _startup_once(tmp / "warm")
        warm = [_startup_once(tmp / "warm")[0] for _ in range(repeats)]
        print(f"start-up with {actors} actors (imports, gazetteer, pipeline), {repeats} fresh processes each:")
        for name, times in (("cold (no cache)", cold), ("warm (cache present)", warm)):
            print(f"  {name:21} median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")
        print(f"  ratio cold/warm: {statistics.median(cold) / statistics.median(warm):.1f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_builds(repeats: int, copies: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        start = time.perf_counter()
        build([str(SEEDS)], tmp / "first", html=True)
        first = time.perf_counter() - start
        warm = timed(lambda: build([str(SEEDS)], tmp / "seed", html=True), repeats)
        print(f"seed build, first in process (loads the model): {first:.2f} s")
        print(f"seed build, warm: median {statistics.median(warm):.3f} s over {repeats} runs "
              f"(min {min(warm):.3f}, max {max(warm):.3f})")
        if DEV.exists():
            corpus = tmp / "corpus"
            corpus.mkdir()
            sources = sorted(DEV.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
            for i in range(copies):
                for src in sources:
                    shutil.copy(src, corpus / f"{src.stem}-{i:03d}.txt")
            n = copies * len(sources)
            small = timed(lambda: build([str(SEEDS)], tmp / "s", html=False), repeats)
            big = timed(lambda: build([str(corpus)], tmp / "c", html=False), max(1, repeats // 2))
            per_article = statistics.median(big) / n
            print(f"corpus of {n} articles: median {statistics.median(big):.2f} s, "
                  f"{per_article * 1000:.0f} ms/article, {n / statistics.median(big):.1f} articles/s")
            print(f"  ratio corpus/seed time: {statistics.median(big) / statistics.median(small):.1f}x "
                  f"for {n}x the articles")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of this process: {rss:.0f} MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def synthetic(ds: Dataset, events: int, actors: int) -> None:
    """Events among random actors, shaped like a build's: a node per event and a rel:met edge."""
    rnd = random.Random(7)
    g = ds.graph(ID["article/synthetic"])
    for i in range(actors):
        g.add((ID[f"actor/a{i}"], RDFS.label, Literal(f"Actor {i}")))
    for e in range(events):
        ev, a, b = ID[f"event/s/{e}"], ID[f"actor/a{rnd.randrange(actors)}"], ID[f"actor/a{rnd.randrange(actors)}"]
        g.add((ev, RDF.type, DIP.Event))
        g.add((ev, DIP.agent, a))
        g.add((ev, DIP.target, b))
        g.add((ev, DIP.cameoCode, Literal("040")))
        g.add((a, REL.met, b))


TWO_HOP = """PREFIX rel: <https://w3id.org/kg-dip/rel/>
SELECT DISTINCT ?x WHERE { GRAPH ?g { ?x rel:met ?y . ?y rel:met <https://w3id.org/kg-dip/id/actor/a1> } }"""
COUNT = """PREFIX dip: <https://w3id.org/kg-dip/ontology#>
SELECT ?c (COUNT(?e) AS ?n) WHERE { GRAPH ?g { ?e a dip:Event ; dip:cameoCode ?c } } GROUP BY ?c"""


def bench_queries(events: int, repeats: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-q-"))
    try:
        stores = {"oxigraph (on disk)": new_dataset(tmp / "store"), "rdflib memory": Dataset()}
        for ds in stores.values():
            synthetic(ds, events, max(50, events // 50))
        triples = sum(1 for _ in stores["rdflib memory"].quads((None, None, None, None)))
        print(f"synthetic graph: {events} events, {triples} triples")
        medians: dict[str, dict[str, float]] = {}
        for name, ds in stores.items():
            medians[name] = {}
            for qname, q in (("two-hop 'met someone who met X'", TWO_HOP), ("count events by code", COUNT)):
                times = timed(lambda q=q, ds=ds: list(ds.query(q)), repeats)
                medians[name][qname] = statistics.median(times)
                print(f"  {name:20} {qname:32} median {statistics.median(times) * 1000:9.1f} ms")
        for qname in medians["rdflib memory"]:
            ratio = medians["rdflib memory"][qname] / medians["oxigraph (on disk)"][qname]
            print(f"  ratio rdflib/oxigraph for {qname}: {ratio:.0f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: The stage after parsing: actor resolution and event extraction over parsed documents, timed in a
#: fresh interpreter whose `kg` comes from the checkout named on the command line.
EXTRACTION = """
import glob, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import kg
from kg.extract import document_text, extract_events
from kg.ingest import read_articles
from kg.knowledge import builtin_gazetteer
from kg.nlp import load_pipeline
from kg.resolve import ArticleResolver
articles = read_articles(json.loads(sys.argv[2]))
gazetteer = builtin_gazetteer()
nlp = load_pipeline(None, gazetteer)
docs = [(a, nlp(document_text(a))) for a in articles]
runs, events = [], 0
for _ in range(int(sys.argv[3])):
    start, events = time.perf_counter(), 0
    for article, doc in docs:
        doc.user_data.clear()  # what the resolver and extractor cached on the Doc
        events += len(extract_events(doc, article, ArticleResolver(doc, gazetteer, article.published)))
    runs.append(time.perf_counter() - start)
print(json.dumps({"kg": kg.__file__, "words": sum(len(d) for _, d in docs), "seconds": statistics.median(runs),
                  "events": events}))
"""


def _extraction_once(checkout: Path, paths: list[str], repeats: int) -> dict:
    env = {**os.environ, "KG_CACHE_DIR": tempfile.mkdtemp(prefix="kg-bench-cache-")}
    out = subprocess.run([sys.executable, "-c", EXTRACTION, str(checkout), json.dumps(paths), str(repeats)],
                         env=env, capture_output=True, text=True, check=True)
    shutil.rmtree(env["KG_CACHE_DIR"], ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_extraction(repeats: int, baseline: Path | None) -> None:
    """Words per second of resolution and extraction on the dev articles (parsing excluded)."""
    paths = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    for folder in (DEV, ROOT.parent / "shared" / "dev2" / "articles"):
        paths += [str(p) for p in sorted(folder.glob("*.txt"))]
    print(f"extraction stage ({len(paths)} articles, median of {repeats} passes)")
    figures = {}
    for name, checkout in (("this checkout", ROOT), ("baseline", baseline)):
        if checkout is None:
            continue
        r = _extraction_once(Path(checkout), paths, repeats)
        figures[name] = r["words"] / r["seconds"]
        print(f"  {name}: {r['words']} words in {r['seconds'] * 1000:.0f} ms, {figures[name]:,.0f} words/s, "
              f"{r['events']} event mentions")
    if len(figures) == 2:
        print(f"  ratio this/baseline: {figures['this checkout'] / figures['baseline']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--startup", action="store_true", help="measure start-up only")
    parser.add_argument("--extraction", action="store_true", help="measure the extraction stage only")
    parser.add_argument("--baseline", type=Path, help="another checkout whose extraction stage to compare")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    if args.extraction:
        bench_extraction(repeats, args.baseline)
        return
    bench_startup(3 if args.quick else 5)
    if args.startup:
        return
    bench_extraction(repeats, args.baseline)
    bench_builds(repeats, copies=2 if args.quick else 10)
    bench_queries(events=2000 if args.quick else 20000, repeats=3 if args.quick else 5)


if __name__ == "__main__":
    main()
