"""Benchmarks: start-up time (cold and warm cache), the extraction stage, builds of a corpus
(bare `nlp.pipe` against `kg build` in words/s, 2 processes against 1, peak memory at two corpus
sizes, adding one article to a build, `kg query` start-up), and SPARQL on Oxigraph against
rdflib's in-memory store. Prints medians and ratios (machines are noisy; quote those).

    python benchmarks/run.py            # the full set (1,000 and 10,000 articles: long)
    python benchmarks/run.py --quick    # fewer repeats, 20 and 60 articles: under a minute
    python benchmarks/run.py --startup  # start-up only
    python benchmarks/run.py --corpus [--articles N --big M]   # the builds only
    python benchmarks/run.py --extraction [--extraction-baseline DIR]   # the post-parse stage, words/s
    python benchmarks/run.py --extraction --instructions [--extraction-baseline DIR]   # its instructions

The extraction stage is what a build does with each article after parsing it (`resolve_actors`,
`extract_events`, `relabel`, `group_events`), timed over the seed and the dev articles parsed once;
it prints words (tokens), median seconds, words/s and the events found. `--extraction-baseline DIR`
(or `--baseline DIR`) measures the same stage with the `kg` package of another checkout
(`git worktree add /tmp/kg-before <commit>`) on the same articles, and prints the ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Literal

# `kg` is imported inside the functions, so that `--extraction-worker` can import it from another checkout.
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DEV = ROOT.parent / "shared" / "articles"
DEV2 = ROOT.parent / "shared" / "dev2" / "articles"


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


#: Bare spaCy over the texts a build parses, with the same pipeline (model and our components).
BARE_PIPE = """
import json, sys, time
from kg.extract import document_text
from kg.ingest import read_articles
from kg.knowledge import load_gazetteer
from kg.nlp import load_pipeline
from kg.build.pool import BATCH
texts = [document_text(a) for a in read_articles([sys.argv[1]])]
nlp = load_pipeline(None, load_gazetteer(None))
start = time.perf_counter()
words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH, n_process=int(sys.argv[2])))
print(json.dumps({"seconds": time.perf_counter() - start, "words": words}))
"""


#: Articles of the build benchmark and of its memory check with --quick (under a minute in all).
QUICK = (20, 60)


def make_corpus(folder: Path, n: int, start: int = 0) -> Path:
    """`n` articles: copies of the seed and the dev articles under new names (new article ids)."""
    sources = sorted(SEEDS.glob("*.txt")) + sorted(DEV.glob("*.txt")) + sorted(DEV2.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        src = sources[i % len(sources)]
        shutil.copy(src, folder / f"{src.stem}-{i:05d}.txt")
    return folder


def wall(cmd: list[str]) -> float:
    """Wall seconds of a command in a fresh process."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def kg_build(corpus: Path, out: Path, processes: int) -> tuple[float, float]:
    """`kg build` in a fresh process: wall seconds and peak memory (MiB) of its largest process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out),
                             "--processes", str(processes)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status:
        raise SystemExit(f"kg build {corpus} failed:\n{proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def bench_corpus(n: int, big: int, repeats: int) -> None:
    """The figures of issue 8 on one corpus in one run: bare `nlp.pipe` against `kg build` (words/s),
    2 processes against 1, peak memory at `n` and `big` articles, adding one article to the
    `n`-article build, and `kg query` start-up."""
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-corpus-"))
    try:
        corpus = make_corpus(tmp / "corpus", n)
        print(f"corpus: {n} articles (copies of the seed and the dev articles), median of {repeats} run(s) each")
        bare, bare2 = [], []
        for _ in range(repeats):
            for n_proc, runs in ((1, bare), (2, bare2)):
                out = subprocess.run([sys.executable, "-c", BARE_PIPE, str(corpus), str(n_proc)], capture_output=True,
                                     text=True, check=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        words = bare[0]["words"]
        bare_s = statistics.median(r["seconds"] for r in bare)
        bare2_s = statistics.median(r["seconds"] for r in bare2)
        one = [kg_build(corpus, tmp / f"one-{i}", 1) for i in range(repeats)]
        two = [kg_build(corpus, tmp / f"two-{i}", 2) for i in range(repeats)]
        one_s, two_s = statistics.median(r[0] for r in one), statistics.median(r[0] for r in two)
        print(f"  words (tokens): {words}")
        print(f"  bare nlp.pipe, 1 process (parse only):  median {bare_s:7.1f} s  {words / bare_s:9,.0f} words/s")
        print(f"  kg build --processes 1 (whole command): median {one_s:7.1f} s  {words / one_s:9,.0f} words/s")
        print(f"  kg build --processes 2 (whole command): median {two_s:7.1f} s  {words / two_s:9,.0f} words/s")
        print(f"  ratio kg build / bare nlp.pipe (1 process): {bare_s / one_s:.2f} (target >= 0.85)")
        print(f"  ratio 2 processes / 1 process: {one_s / two_s:.2f}x (target >= 1.7x; bare nlp.pipe with "
              f"n_process=2 on this machine: {bare_s / bare2_s:.2f}x, {bare2_s:.1f} s)")
        mem_n = statistics.median(r[1] for r in one)
        big_corpus = make_corpus(tmp / "big", big)
        big_s, mem_big = kg_build(big_corpus, tmp / "big-out", 1)
        shutil.rmtree(tmp / "big-out", ignore_errors=True)
        shutil.rmtree(big_corpus, ignore_errors=True)
        print(f"  peak memory of kg build --processes 1: {mem_n:.0f} MiB at {n} articles, {mem_big:.0f} MiB at "
              f"{big} articles ({big_s:.0f} s; target flat, <= 1 GiB)")
        built = tmp / "one-0"
        adds = []
        for i in range(repeats):
            make_corpus(corpus, 1, start=n + i)
            adds.append(kg_build(corpus, built, 1)[0])
        print(f"  add one article to the {n}-article build: median {statistics.median(adds):.1f} s "
              f"(a full build: {one_s:.1f} s)")
        query = [wall([sys.executable, "-m", "kg.cli", "query", "--out", str(built),
                       "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]) for _ in range(5)]
        print(f"  kg query start-up and a simple query: median {statistics.median(query):.2f} s over 5 "
              f"(target < 0.5 s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def synthetic(ds: Dataset, events: int, actors: int) -> None:
    """Events among random actors, shaped like a build's: a node per event and a rel:met edge."""
    from kg.graph.rdf import DIP, ID, REL

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
    from kg.graph.rdf import new_dataset

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


def extraction_corpus() -> list[str]:
    """The fixed corpus of the extraction benchmark: the seed, then the dev articles when present."""
    paths = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    for folder in (DEV, DEV2):
        paths += [str(p) for p in sorted(folder.glob("*.txt"))]
    return paths


def measure_extraction(checkout: Path, paths: list[str], repeats: int, parsed_file: Path | None = None) -> dict:
    """The stage after parsing, with the `kg` package of `checkout` (put first on `sys.path`: run
    this in a fresh interpreter). The articles are parsed once as a build parses them (`nlp.pipe`,
    then `reparse_headlines` on the titled ones) and kept as bytes. Each pass then gets fresh
    copies of those documents, made before its clock starts (the resolver changes `doc.ents`, so a
    document is not reused), and times what a build does with each one: `resolve_actors`,
    `code_events` (`extract_events` before the trained coder), `relabel` and `group_events`. An
    untimed first pass loads the word lists and lexicons the stage reads lazily; its time is reported apart.
    The gazetteer and the pipeline are loaded by the checkout's build worker where it has one, so that
    the stage runs in the process state a build gives it. With `repeats` 0, only parses (into `parsed_file`)."""
    kg, fresh, stage = _extraction_stage(checkout, paths, parsed_file)
    if not repeats:
        return {"kg": kg.__file__}
    docs = fresh()
    start = time.perf_counter()
    first_mentions, _ = stage(docs)
    first = time.perf_counter() - start
    runs = []
    for _ in range(repeats):
        docs = fresh()
        start = time.perf_counter()
        mentions, events = stage(docs)
        runs.append(time.perf_counter() - start)
    return {"kg": kg.__file__, "articles": len(paths), "words": sum(len(d) for d in docs), "runs": runs,
            "seconds": statistics.median(runs), "first": first, "mentions": len(mentions), "events": len(events),
            "stable": mentions == first_mentions}


def count_extraction(checkout: Path, paths: list[str], parsed_file: Path) -> dict:
    """One pass of the stage `measure_extraction` times, after an uncounted first one, with
    callgrind's instrumentation switched on around it (run under `valgrind --tool=callgrind
    --instr-atstart=no`): the instructions it executes do not move with the load on the machine."""
    kg, fresh, stage = _extraction_stage(checkout, paths, parsed_file)
    stage(fresh())
    docs = fresh()
    subprocess.run(["callgrind_control", "--instr=on", str(os.getpid())], check=True, capture_output=True)
    mentions, events = stage(docs)
    subprocess.run(["callgrind_control", "--instr=off", str(os.getpid())], check=True, capture_output=True)
    return {"kg": kg.__file__, "words": sum(len(d) for d in docs), "mentions": len(mentions), "events": len(events)}


def _extraction_stage(checkout: Path, paths: list[str], parsed_file: Path | None):  # type: ignore[no-untyped-def]
    """The checkout's `kg`, a maker of fresh parsed documents, and the stage over them. The parse is
    read from `parsed_file` when it exists, else made and written there."""
    sys.path.insert(0, str(checkout))
    import kg

    if not Path(kg.__file__).resolve().is_relative_to(checkout.resolve()):
        raise SystemExit(f"kg imported from {kg.__file__}, not from {checkout}")
    from spacy.tokens import Doc

    import kg.extract as extract
    import kg.resolve as resolve
    from kg.events import group_events
    from kg.extract import document_text, extract_events
    from kg.ingest import read_articles
    from kg.knowledge import load_gazetteer
    from kg.nlp import load_pipeline, reparse_headlines

    try:  # what a build's worker loads, loaded as it loads it (checkouts with kg.build, issue 18 on)
        from kg.build.worker import ArticleWorker
    except ImportError:
        gazetteer = load_gazetteer(None)
        nlp = load_pipeline(None, gazetteer)
    else:
        worker = ArticleWorker(None, None)
        gazetteer, nlp = worker.gazetteer, worker.nlp
    if hasattr(extract, "code_events"):  # the trained coder decides among the candidates (issue 16 on)
        from kg.extract.coder import load_coder

        coder = load_coder()

        def extract_events(doc, article):  # type: ignore[no-untyped-def]  # noqa: F811
            return extract.code_events(doc, article, coder)
    articles = read_articles(paths)
    if parsed_file is not None and parsed_file.exists():
        parsed = json.loads(parsed_file.read_text())
        parsed = [bytes.fromhex(b) for b in parsed]
    else:
        docs = nlp.pipe((document_text(a) for a in articles), batch_size=16)
        parsed = [doc.to_bytes() for doc in reparse_headlines(nlp, list(docs), [len(a.title) for a in articles])]
        if parsed_file is not None:
            parsed_file.write_text(json.dumps([b.hex() for b in parsed]))

    def fresh() -> list:
        return [Doc(nlp.vocab).from_bytes(b) for b in parsed]

    def stage(docs: list) -> tuple[list, list]:
        mentions, events = [], []
        for article, doc in zip(articles, docs, strict=True):
            found = _resolve_and_extract(resolve, extract_events, doc, article, gazetteer)
            mentions.extend(found)
            events.extend(group_events(found))
        return mentions, events

    return kg, fresh, stage


def _resolve_and_extract(resolve, extract_events, doc, article, gazetteer) -> list:  # type: ignore[no-untyped-def]
    """Resolution then extraction, as the checkout's `extract_corpus` calls them: the Doc annotated
    by `resolve_actors` (now), or a resolver handed to the extractor (checkouts before it)."""
    if hasattr(resolve, "resolve_actors"):
        named = resolve.actor_annotations(resolve.resolve_actors(doc, gazetteer, article.published))
        return resolve.relabel(extract_events(doc, article), named.preferred_labels)
    resolver = resolve.ArticleResolver(doc, gazetteer, article.published)
    return resolve.relabel(extract_events(doc, article, resolver), resolver.preferred_labels)


def _extraction_once(checkout: Path, paths: list[str], repeats: int) -> dict:
    """`measure_extraction` in a fresh interpreter, with a cache folder of its own."""
    cache = tempfile.mkdtemp(prefix="kg-bench-cache-")
    try:
        out = subprocess.run([sys.executable, __file__, "--extraction-worker", str(checkout), json.dumps(paths),
                              str(repeats)], env={**os.environ, "KG_CACHE_DIR": cache},
                             capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"extraction benchmark of {checkout} failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _instructions_once(checkout: Path, paths: list[str]) -> dict:
    """`count_extraction` under callgrind, on a parse made beforehand at full speed (in a fresh
    interpreter, with the checkout's own pipeline); the instructions read from callgrind's totals."""
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-instr-"))
    env = {**os.environ, "KG_CACHE_DIR": str(tmp / "cache")}
    try:
        parsed, out = tmp / "parsed.json", tmp / "callgrind.out"
        worker = [__file__, "--parsed", str(parsed)]
        for command in ([sys.executable, *worker, "--extraction-worker", str(checkout), json.dumps(paths), "0"],
                        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
                         sys.executable, *worker, "--extraction-count", str(checkout), json.dumps(paths)]):
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"instruction count of {checkout} failed:\n{done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        totals = [line for line in out.read_text().splitlines() if line.startswith(("totals:", "summary:"))]
        result["instructions"] = max(int(line.split()[1]) for line in totals)
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_instructions(baseline: Path | None) -> None:
    """The instructions one pass of the extraction stage executes (callgrind), for this checkout and
    optionally a baseline, and their ratio: a figure that does not move with the machine's load,
    for comparing two commits on a noisy machine. Each side takes a few minutes."""
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    paths = extraction_corpus()
    print(f"extraction stage, instructions of one pass after an uncounted one (callgrind): {len(paths)} articles")
    counts = {}
    for name, checkout in [("this checkout", ROOT)] + ([("baseline", baseline)] if baseline is not None else []):
        r = _instructions_once(Path(checkout).resolve(), paths)
        counts[name] = r["instructions"]
        print(f"  {name} (kg from {Path(r['kg']).parent}): {r['instructions'] / 1e9:.3f} G instructions, "
              f"{r['words']} words, {r['mentions']} event mentions, {r['events']} events")
    if len(counts) == 2:
        ratio = counts["baseline"] / counts["this checkout"]
        print(f"  ratio baseline / this checkout (as words/s would be): {ratio:.2f}")


def bench_extraction(repeats: int, baseline: Path | None, rounds: int = 3) -> None:
    """Words per second of what a build does after parsing (actor resolution and event extraction),
    on the seed and the dev articles, for this checkout and optionally a baseline checkout. With a
    baseline the two are measured in turns, `rounds` times, each in a fresh interpreter, and the
    ratio is the median of the rounds' ratios: a busy machine slows both sides of a round alike."""
    paths = extraction_corpus()
    print(f"extraction stage (resolution + extraction, parsing excluded): {len(paths)} articles, "
          f"median of {repeats} passes after an untimed first pass" + (f", {rounds} rounds" if baseline else ""))
    sides = [("this checkout", ROOT)] + ([("baseline", baseline)] if baseline is not None else [])
    ratios, best_ratios = [], []
    for n in range(rounds if baseline is not None else 1):
        figures, best = {}, {}
        for name, checkout in sides:
            r = _extraction_once(Path(checkout).resolve(), paths, repeats)
            figures[name] = r["words"] / r["seconds"]
            best[name] = r["words"] / min(r["runs"])
            print(f"  {name} (kg from {Path(r['kg']).parent}), round {n + 1}:")
            print(f"    {r['words']} words (tokens) in {r['articles']} articles: median {r['seconds'] * 1000:.0f} ms "
                  f"(min {min(r['runs']) * 1000:.0f}, max {max(r['runs']) * 1000:.0f}; first pass "
                  f"{r['first'] * 1000:.0f}), {figures[name]:,.0f} words/s")
            print(f"    {r['mentions']} event mentions, {r['events']} events"
                  + ("" if r["stable"] else " (WARNING: the first pass found other mentions)"))
        if len(figures) == 2:
            ratios.append(figures["this checkout"] / figures["baseline"])
            best_ratios.append(best["this checkout"] / best["baseline"])
    if ratios:
        ratio = statistics.median(ratios)
        print(f"  ratio words/s this checkout / baseline: {ratio:.2f} ({(ratio - 1) * 100:+.0f} %), median of "
              f"{len(ratios)} rounds ({', '.join(f'{r:.2f}' for r in ratios)})")
        best_ratio = statistics.median(best_ratios)
        print(f"  the same from each side's fastest pass (least disturbed by other work on the machine): "
              f"{best_ratio:.2f} ({', '.join(f'{r:.2f}' for r in best_ratios)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, a smaller corpus and graph")
    parser.add_argument("--startup", action="store_true", help="measure start-up only")
    parser.add_argument("--extraction", action="store_true", help="measure the extraction stage only")
    parser.add_argument("--extraction-baseline", "--baseline", type=Path, metavar="DIR", dest="baseline",
                        help="also measure the extraction stage with the kg package of another checkout "
                             "(a git worktree) on the same articles, and print the ratio")
    parser.add_argument("--articles", type=int, default=1000, help="articles of the build benchmark (default 1000)")
    parser.add_argument("--big", type=int, default=10000, help="articles of the memory check (default 10000)")
    parser.add_argument("--corpus", action="store_true", help="run the build benchmark only")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each build of the build benchmark (default 3)")
    parser.add_argument("--instructions", action="store_true",
                        help="with --extraction: count the instructions of one pass under callgrind (valgrind) "
                             "instead of timing, for this checkout and the baseline")
    parser.add_argument("--extraction-worker", nargs=3, metavar=("CHECKOUT", "PATHS", "REPEATS"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--extraction-count", nargs=2, metavar=("CHECKOUT", "PATHS"), help=argparse.SUPPRESS)
    parser.add_argument("--parsed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.extraction_worker:
        checkout, paths, n = args.extraction_worker
        print(json.dumps(measure_extraction(Path(checkout), json.loads(paths), int(n), args.parsed)))
        return
    if args.extraction_count:
        checkout, paths = args.extraction_count
        print(json.dumps(count_extraction(Path(checkout), json.loads(paths), args.parsed)))
        return
    repeats = 3 if args.quick else 7
    if args.extraction and args.instructions:
        bench_instructions(args.baseline)
        return
    if args.extraction:
        bench_extraction(repeats, args.baseline, rounds=1 if args.quick else 3)
        return
    if args.corpus:
        bench_corpus(QUICK[0] if args.quick else args.articles, QUICK[1] if args.quick else args.big,
                     1 if args.quick else args.repeats)
        return
    bench_startup(2 if args.quick else 5)
    if args.startup:
        return
    bench_extraction(repeats, args.baseline)
    if args.quick:
        bench_corpus(*QUICK, 1)
    else:
        bench_corpus(args.articles, args.big, args.repeats)
    bench_queries(events=2000 if args.quick else 20000, repeats=3 if args.quick else 5)


if __name__ == "__main__":
    main()
