"""Mutation testing (issue 15, "tests that can fail"): how many deliberate small changes to the code
the tests notice, per module and overall.

mutmut (the `dev` extra) makes the mutants: an operator flipped, a constant changed, a call's
argument dropped, a return value replaced ... in every function of the modules below. For each
mutant it runs the tests that call the mutated function (learnt in one run of the test selection
in `[tool.mutmut]` of pyproject.toml); a mutant is killed when one of them fails. A survivor is a
change no test notices: `mutmut show NAME` prints its diff.

The full run (about 2,500 mutants, the resolution ones each running up to 300 parsed sentences) is
too slow for a 2-core machine, so by default a fixed, seeded sample of each module's mutants is
tried, and the output says so; `--all` tries every one.

    nice -n 10 python benchmarks/mutation.py                  # 60 mutants per module, seed 15
    nice -n 10 python benchmarks/mutation.py --per-module 150 --seed 7 --max-children 1
    nice -n 10 python benchmarks/mutation.py --all
    nice -n 10 python benchmarks/mutation.py --retry-survivors   # after adding tests: the survivors again
    python benchmarks/mutation.py --survivors                 # also list the mutants that survived

mutmut works in `mutants/` (a copy of kg/ and tests/, ignored by git) and keeps its results there:
a second run of the same sample only tries the mutants of functions that changed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Module -> its source files, as the issue names them.
MODULES = {
    "kg/graph/publish": ["kg/graph/publish.py"],
    "kg/events": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "kg" / "events").glob("*.py")),
    "kg/ingest/dates": ["kg/ingest/dates.py"],
    "kg/evaluation/scoring": ["kg/evaluation/scoring.py"],
    "kg/query/guard": ["kg/query/guard.py"],
    "kg/graph/iris": ["kg/graph/iris.py"],
    "kg/resolve": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "kg" / "resolve").glob("*.py")),
}

#: mutmut's exit codes of a tried mutant, as its `stats.status_by_exit_code` reads them.
KILLED = {1, 3, 36, -24, 24, 152, 255}  # a test failed, pytest broke, or the tests ran out of time
SURVIVED = {0}
NO_TESTS = {5, 33}  # no selected test calls the function: counted as survived


def mutant_names(path: str) -> list[str]:
    """The names mutmut gives the mutants of one source file (`kg.ingest.dates.x_resolve_date__mutmut_3`)."""
    from mutmut.mutation.file_mutation import mutate_file_contents
    from mutmut.utils.format_utils import get_mutant_name

    mutated = mutate_file_contents(path, (ROOT / path).read_text(encoding="utf-8"))
    return [get_mutant_name(Path(path), name) for name in mutated.mutant_names]


def sample(every: dict[str, list[str]], per_module: int | None, seed: int) -> dict[str, list[str]]:
    """Module -> the mutants to try: all of them, or `per_module` drawn with `seed` (the same draw
    for the same code)."""
    chosen = {}
    for module, names in every.items():
        if per_module is not None and len(names) > per_module:
            names = sorted(random.Random(f"{seed}:{module}").sample(names, per_module))
        chosen[module] = names
    return chosen


def results(paths: list[str]) -> dict[str, int | None]:
    """Mutant name -> mutmut's exit code for it, from the `.meta` files mutmut keeps in mutants/."""
    out: dict[str, int | None] = {}
    for path in paths:
        meta = ROOT / "mutants" / f"{path}.meta"
        if meta.exists():
            out.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-module", type=int, default=60, help="mutants tried per module (default 60)")
    parser.add_argument("--seed", type=int, default=15, help="seed of the sample (default 15)")
    parser.add_argument("--all", action="store_true", help="try every mutant (slow)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tried at once (default 2)")
    parser.add_argument("--survivors", action="store_true", help="list the mutants no test killed")
    parser.add_argument("--retry-survivors", action="store_true",
                        help="try again only the sample's mutants that survived the last run (after adding tests)")
    parser.add_argument("--report-only", action="store_true", help="print the figures of the last run, run nothing")
    parser.add_argument("--modules", nargs="+", choices=list(MODULES), default=list(MODULES), metavar="MODULE",
                        help="only these modules (default: all of " + ", ".join(MODULES) + ")")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # mutmut reads [tool.mutmut] of ./pyproject.toml and works in ./mutants

    per_module = None if args.all else args.per_module
    every = {module: sorted(n for p in MODULES[module] for n in mutant_names(p)) for module in args.modules}
    chosen = sample(every, per_module, args.seed)
    names = [n for ns in chosen.values() for n in ns]
    if args.retry_survivors:
        last = {n: c for m in MODULES for n, c in results(MODULES[m]).items()}
        names = [n for n in names if last.get(n) is None or last[n] not in KILLED]
    started = time.monotonic()
    if not args.report_only:
        log = ROOT / "mutants" / "mutation-run.log"
        log.parent.mkdir(exist_ok=True)
        print(f"trying {len(names)} mutants with mutmut (log: {log.relative_to(ROOT)}) ...", flush=True)
        with log.open("w", encoding="utf-8") as fh:
            run = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children),
                                  *names], stdout=fh, stderr=subprocess.STDOUT)
        if run.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            print("\n".join(line[:300] for line in tail), file=sys.stderr)
            print(f"mutmut failed (exit {run.returncode}); its output is in {log}", file=sys.stderr)
            return run.returncode
    elapsed = time.monotonic() - started

    if per_module is None:
        print("all mutants of each module")
    else:
        print(f"a seeded sample (seed {args.seed}) of at most {per_module} mutants per module, of "
              + ", ".join(f"{m} {len(ns)}" for m, ns in every.items()))
    print(f"{'module':<14}{'killed':>8}{'tried':>7}{'score':>8}   survived (no test calls it)")
    all_killed = all_tried = 0
    survivors: list[str] = []
    for module, ns in chosen.items():
        codes = results(MODULES[module])
        tried = [n for n in ns if codes.get(n) is not None]
        killed = [n for n in tried if codes[n] in KILLED]
        lost = [n for n in tried if codes[n] not in KILLED]
        untested = [n for n in lost if codes[n] in NO_TESTS]
        survivors += lost
        all_killed += len(killed)
        all_tried += len(tried)
        score = f"{100 * len(killed) / len(tried):.1f}%" if tried else "-"
        print(f"{module:<14}{len(killed):>8}{len(tried):>7}{score:>8}   {len(lost)} ({len(untested)})")
    overall = f"{100 * all_killed / all_tried:.1f}%" if all_tried else "-"
    print(f"{'overall':<14}{all_killed:>8}{all_tried:>7}{overall:>8}")
    if not args.report_only:
        print(f"mutation run: {elapsed / 60:.1f} min")
    if args.survivors and survivors:
        print("survivors (mutmut show NAME):")
        print("\n".join(f"  {n}" for n in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
