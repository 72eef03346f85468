"""One long article against the length of its text: each stage of the per-article work timed on a
generated paragraph of invented clauses with no sentence end, at several lengths, to find what
grows faster than the text. spaCy's own components (tok2vec, tagger, parser, ner ...) are timed
apart from kg's (the components `kg.nlp` adds, actor resolution, extraction and the coder).

    python benchmarks/long_article.py                       # 50k, 100k, 200k characters
    python benchmarks/long_article.py --sizes 100000 400000 --profile   # and cProfile the largest
    python benchmarks/long_article.py --build 140000        # `kg build` of one such article, then
                                                            # kg viz, analyze, export read its rows
    python benchmarks/long_article.py --versus 400000 --pieces 40   # ordinary sentences: one report of
                                                            # 400k characters against the same text as 40

Prints seconds per stage and size, and each stage's growth from the smallest size to the largest
against the growth of the text (1.0: linear; 2.0 for twice the text: quadratic).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["Japan", "India", "Brazil", "Kenya", "Norway", "Chile", "Egypt", "Canada", "Peru", "Ghana",
             "Mexico", "Spain", "Vietnam", "Poland", "Morocco", "Sweden", "Nigeria", "Turkey", "Greece", "Jordan"]
VERBS = ["praised", "met", "urged", "warned", "thanked", "criticized", "visited", "called on", "accused",
         "welcomed"]
TOPICS = ["fisheries", "the river dam", "grain shipments", "the border talks", "a rail link", "port fees"]


def paragraph(chars: int, seed: int = 17) -> str:
    """Invented clauses joined by commas and "and", with no full stop, of about `chars` characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        a, b = rng.sample(COUNTRIES, 2)
        clause = (f"the envoy of {a} {rng.choice(VERBS)} {b} over {rng.choice(TOPICS)} on "
                  f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}")
        parts.append(clause)
        size += len(clause) + 6
    return ("The " + ", and ".join(parts)[4:])[:chars]


def stages(sizes: list[int], profile: bool) -> None:
    from kg.events import group_events
    from kg.extract import code_events
    from kg.extract.coder import load_coder
    from kg.knowledge import builtin_gazetteer
    from kg.nlp import load_pipeline
    from kg.records import Article
    from kg.resolve import actor_annotations, relabel, resolve_actors

    gazetteer = builtin_gazetteer()
    nlp = load_pipeline(None, gazetteer)
    nlp.max_length = max(sizes) + 10
    coder = load_coder()
    ours = {"paragraph_breaks", "actor_ruler", "name_guard", "common_nouns"}
    table: dict[str, dict[int, float]] = {}

    def timed(name: str, size: int, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        out = fn(*args, **kwargs)
        table.setdefault(name, {})[size] = time.perf_counter() - started
        return out

    for size in sizes:
        text = paragraph(size)
        article = Article(id=f"long-{size}", title="", published="2021-03-02", source="", url="", text=text,
                          path="<generated>")
        doc = nlp.make_doc(text)
        for name, proc in nlp.pipeline:
            doc = timed(("kg " if name in ours else "spaCy ") + name, size, proc, doc)
        profiler = cProfile.Profile() if profile and size == max(sizes) else None
        if profiler:
            profiler.enable()
        resolved = timed("kg resolve_actors", size, resolve_actors, doc, gazetteer, article.published)
        named = timed("kg actor_annotations", size, actor_annotations, resolved)
        mentions = timed("kg code_events (extract + coder)", size, code_events, doc, article, coder)
        mentions = timed("kg relabel", size, relabel, mentions, named.preferred_labels)
        events = timed("kg group_events", size, group_events, mentions)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        print(f"{size:>9,} characters: {len(doc):,} tokens, {len(list(doc.sents))} sentence(s), "
              f"{len(mentions)} mention(s), {len(events)} event(s)", flush=True)
    lo, hi = min(sizes), max(sizes)
    print(f"\n{'stage':<40}" + "".join(f"{s:>10,}" for s in sizes) + f"   growth {hi // lo}x text")
    for name, times in table.items():
        growth = times[hi] / times[lo] if times[lo] > 0 else float("nan")
        print(f"{name:<40}" + "".join(f"{times[s]:>9.2f}s" for s in sizes) + f"   {growth:>6.1f}x")
    total = {s: sum(t[s] for n, t in table.items() if n.startswith("kg ")) for s in sizes}
    print(f"{'all of kg':<40}" + "".join(f"{total[s]:>9.2f}s" for s in sizes) + f"   {total[hi] / total[lo]:>6.1f}x")


def build(chars: int) -> None:
    """`kg build` of one article whose one paragraph of `chars` characters has no sentence end, then
    the commands that read its events table."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text("Title: Envoys talk\nDate: 2021-03-02\n\n" + paragraph(chars) + ".\n", encoding="utf-8")
        for args in (["build", str(path), "--out", f"{tmp}/out", "--no-html"],
                     ["viz", "--out", f"{tmp}/out", "-o", f"{tmp}/view.html"], ["analyze", "--out", f"{tmp}/out"],
                     ["export", "--out", f"{tmp}/out", "--format", "events-jsonl", "-o", f"{tmp}/events.jsonl"]):
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)
            last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or [""]
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux; the largest so far
            print(f"kg {args[0]}: exit {proc.returncode} in {time.perf_counter() - started:.1f}s, peak memory of "
                  f"the commands so far {peak:,.0f} MiB  {last[0][:150]}")
            if proc.returncode:
                sys.exit(1)


def sentences(chars: int, seed: int = 17) -> list[str]:
    """Ordinary prose: the invented clauses of `paragraph`, each a sentence, six to a paragraph."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        a, b = rng.sample(COUNTRIES, 2)
        sentence = (f"The envoy of {a} {rng.choice(VERBS)} {b} over {rng.choice(TOPICS)} on "
                    f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}.")
        out.append(sentence + ("\n\n" if len(out) % 6 == 5 else " "))
        size += len(out[-1])
    return out


def versus(chars: int, pieces: int, repeats: int) -> None:
    """`kg build` (one process) of one report of `chars` characters of ordinary sentences, against
    the same sentences cut into `pieces` reports: the ratio of the times says whether the cost of
    a report grows faster than its text (1.0: it does not)."""
    text = sentences(chars)
    per = -(-len(text) // pieces)
    with tempfile.TemporaryDirectory() as tmp:
        one, many = Path(tmp) / "one", Path(tmp) / "many"
        one.mkdir()
        many.mkdir()
        header = "Title: Envoys talk\nDate: 2021-03-02\n\n"
        (one / "long.txt").write_text(header + "".join(text), encoding="utf-8")
        for k in range(pieces):
            (many / f"part{k:03d}.txt").write_text(header + "".join(text[k * per:(k + 1) * per]), encoding="utf-8")
        times: dict[str, list[float]] = {"one": [], "many": []}
        for r in range(repeats):
            for name, folder in (("one", one), ("many", many)):
                started = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(folder), "--out",
                                       f"{tmp}/out-{name}-{r}", "--no-html", "--processes", "1", "-q"],
                                      capture_output=True, text=True)
                if proc.returncode:
                    sys.exit(f"kg build {folder}: {proc.stderr.strip()[-300:]}")
                times[name].append(time.perf_counter() - started)
    med = {name: sorted(t)[len(t) // 2] for name, t in times.items()}
    print(f"one report of {chars:,} characters: median {med['one']:.1f}s; the same text as {pieces} reports: "
          f"median {med['many']:.1f}s (of {repeats}); ratio {med['one'] / med['many']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 100_000, 200_000])
    parser.add_argument("--profile", action="store_true", help="cProfile kg's stages at the largest size")
    parser.add_argument("--build", type=int, metavar="CHARS", help="instead: kg build one such article and read it")
    parser.add_argument("--versus", type=int, metavar="CHARS",
                        help="instead: kg build one report of ordinary sentences against the same text in --pieces")
    parser.add_argument("--pieces", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.versus:
        versus(args.versus, args.pieces, args.repeats)
    elif args.build:
        build(args.build)
    else:
        stages(sorted(args.sizes), args.profile)


if __name__ == "__main__":
    main()
