"""The `kg` command: a thin layer over the library. Each command parses its options, calls one
library function and prints; known failures are one line on stderr and a non-zero exit."""
from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg import __version__
from kg.errors import KGError
from kg.util.display import printable
from kg.util.files import check_out_file, write_failure, write_text_atomic

DEFAULT_OUT = Path("output")


def _fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KGError as exc:  # the message may quote a file name, a title, a query: shown, never obeyed
            raise click.ClickException(printable(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
    return wrapper


def _say(text: str, *, err: bool = False) -> None:
    """Print a message or a report for people: control characters from the data are shown escaped
    (`kg.util.display.printable`); the report's own line breaks stay."""
    click.echo(printable(text, keep="\n"), err=err)


def _data(text: str) -> None:
    """Print a result as it is: CSV and JSON keep the data exact (a table is made printable where it
    is made). `color=True`: else click strips what looks like a colour sequence from text sent to a
    pipe, and `kg query --format csv > file` lost part of a value; and no blank line is added."""
    click.echo(text, nl=not text.endswith("\n"), color=True)


def _write(text: str, out: Path | None) -> None:
    """Write to a file atomically (temp file + rename), or to stdout."""
    if out is None:
        click.echo(text, nl=not text.endswith("\n"), color=True)  # see _data
        return
    check_out_file(out)
    try:
        write_text_atomic(out, text)
    except OSError as exc:
        raise KGError(f"{out}: cannot write ({exc.strerror or exc})") from None


store_option = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
                            show_default=True, help="Folder of a build (holds store/ and events.csv).")
endpoint_option = click.option("--store", "--endpoint", "store_url", metavar="URL", default=None,
                               help="Read the graph from this SPARQL 1.1 endpoint instead of OUT/store "
                               "(credentials from KG_STORE_USER/KG_STORE_PASSWORD or ~/.netrc).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: a knowledge graph of diplomatic events (who met, wrote to, praised, urged, warned,
    offered to or sanctioned whom, when, and on whose word) built from news articles.

    \b
    Start here:
      kg build seeds/                      # articles in, output/ out
      kg query 'SELECT ?s ?o WHERE { ?s <https://w3id.org/kg-dip/rel/met> ?o }'
      kg export --format events-csv
    """


def _remove_if_unbuilt(out_dir: Path) -> None:
    """A failed first build leaves no folder behind: the `--out` it made holds no published build."""
    import shutil

    from kg.graph.publish import current_build

    if out_dir.is_dir() and current_build(out_dir) is None:
        shutil.rmtree(out_dir, ignore_errors=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Where to write the store, graph.ttl, graph.trig, events.csv and graph.html.")
@click.option("--model", default=None, help="spaCy pipeline to use (default: $KG_SPACY_MODEL, else the best "
              "installed English pipeline).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(path_type=Path),
              help="Extra actors CSV (same columns as kg/data/actors.csv); may be repeated.")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the input files.")
@click.option("--processes", type=int, default=None, help="Processes for the per-article work (parse and "
              "extraction). [default: the number of cores]")
@click.option("--prune", is_flag=True, help="Remove the articles of the last build that are not in INPUTS "
              "(otherwise they stay).")
@click.option("--max-chars", default=1_000_000, show_default=True,
              help="Longest article accepted, in characters; a longer one stops the build with a message.")
@click.option("--no-html", is_flag=True, help="Skip the HTML view (the last one stays).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (it is drawn only on a terminal anyway).")
@click.option("--store", "store_url", metavar="URL", help="Also write the graph into this SPARQL 1.1 server (its "
              "query endpoint), graph by graph, after the local build into OUT. Credentials from KG_STORE_USER/"
              "KG_STORE_PASSWORD or ~/.netrc.")
@click.option("--update-endpoint", metavar="URL", help="With --store: where SPARQL Update goes (default: the "
              "store URL, or .../update beside a .../query URL).")
@click.option("--graph-store", metavar="URL", help="With --store: write each graph with the Graph Store HTTP "
              "Protocol at this URL instead of SPARQL Update.")
@click.option("--scheduler", metavar="ADDRESS", help="Parse on the Dask cluster whose scheduler is at ADDRESS "
              "(tcp://HOST:PORT); needs pip install 'kg[scale]'.")
@click.option("--min-confidence", type=float, default=None, metavar="P",
              help="Keep the events the trained coder gives at least this probability (default: the threshold "
              "chosen on held-out folds when it was trained; lower finds more, higher is surer).")
@click.option("--strict", is_flag=True, help="Stop at the first input that holds no article that can be read "
              "(by default it is skipped with a warning and listed in OUT/skipped.csv).")
@_fail_cleanly
def build(inputs: tuple[str, ...], out_dir: Path, model: str | None, actor_files: tuple[Path, ...],
          encoding: str, processes: int | None, prune: bool, max_chars: int, no_html: bool, quiet: bool,
          store_url: str | None, update_endpoint: str | None, graph_store: str | None,
          scheduler: str | None, min_confidence: float | None, strict: bool) -> None:
    """Read articles (.txt, .html, .jsonl files, folders, globs, or - for stdin) and build the graph.

    Building into an existing output adds new articles and redoes changed ones only; the new
    output replaces the old one at once when it is complete. An input that holds no article that
    can be read (empty, binary, not text, a headline alone) is skipped with a warning and listed in
    OUT/skipped.csv; the build fails only when no article can be read (or at the first such input
    with --strict).

    \b
    Example:
      kg build seeds/ ../more_articles/*.html --out output/
      kg build articles/ --store http://localhost:7878/query --scheduler tcp://10.0.0.5:8786
      kg build new_article.txt --out output/      # add one article to the build
    """
    from kg.build.driver import build as run_build
    from kg.build.progress import BuildReporter
    from kg.graph.remote import RemoteUpload, connect
    from kg.util.files import check_out_dir
    from kg.views.sink import HtmlView

    started = time.perf_counter()
    if processes is not None and processes < 1:
        raise KGError(f"--processes {processes}: give 1 or more processes")
    for path in actor_files:
        if not path.exists():
            raise KGError(f"{path}: no such actors file")
    if (update_endpoint or graph_store) and not store_url:
        raise KGError("--update-endpoint and --graph-store go with --store URL (the server's query endpoint)")
    n_process = (os.cpu_count() or 1) if processes is None else processes
    new_folder = not out_dir.exists()
    check_out_dir(out_dir)
    remote = RemoteUpload(connect(store_url, update=update_endpoint, graph_store=graph_store)) if store_url else None
    sinks = ([] if no_html else [HtmlView()]) + ([remote] if remote else [])
    with BuildReporter(enabled=False if quiet else None) as reporter:
        try:
            res = run_build(list(inputs), out_dir, model=model, actor_files=list(actor_files) or None,
                            encoding=encoding, n_process=n_process, prune=prune, max_chars=max_chars,
                            progress=reporter.progress, scheduler=scheduler, min_confidence=min_confidence,
                            strict=strict, sinks=sinks)
        except OSError as exc:  # a full disk, a folder made read-only during the build
            raise KGError(write_failure(exc, out_dir)) from None
        finally:
            if new_folder:
                _remove_if_unbuilt(out_dir)
    _say(f"{res.articles} article(s), {res.events} event(s) from {res.mentions} mention(s), "
         f"{res.actors} actor(s) in {time.perf_counter() - started:.1f}s with {res.model}; "
         f"{_skips(len(res.skipped), out_dir)}{reporter.summary()}")
    if remote is not None:
        _say(f"wrote {remote.written.triples} triples in {remote.written.graphs} graphs to {store_url} "
             f"({remote.written.requests} requests) and the build to {out_dir}/")
        return
    if res.reused or res.removed:
        _say(f"{res.worked} article(s) parsed, {res.reused} unchanged kept, {res.removed} removed")
    _say(f"wrote {res.out_dir}/: store/ graph.ttl graph.trig events.csv skipped.csv"
         + ("" if no_html else " graph.html"))


def _skips(count: int, out_dir: Path) -> str:
    """The summary's word on skipped inputs: "" when none was."""
    return f"{count} input(s) skipped (listed in {out_dir / 'skipped.csv'}); " if count else ""


class _Stdout:
    """Standard output for a result written piece by piece; remembers whether it ends a line."""

    def __init__(self) -> None:
        self.stream = sys.stdout
        self.last = ""

    def write(self, text: str) -> int:
        if text:
            self.stream.write(text)
            self.last = text[-1]
        return len(text)

    def end_line(self) -> None:
        if self.last != "\n":
            self.write("\n")
        self.stream.flush()


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a file "
              "(at most 1 MB).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--federation", is_flag=True, help="Allow SERVICE (the query then fetches the addresses it names).")
@click.option("--max-rows", default=1_000_000, show_default=True, type=click.IntRange(min=0),
              help="Stop with a message past this many rows (0: no limit); rows are written as they come.")
@store_option
@endpoint_option
@_fail_cleanly
def query(sparql: str | None, query_file: Path | None, fmt: str, federation: bool, max_rows: int, out_dir: Path,
          store_url: str | None) -> None:
    """Run a SPARQL 1.1 query over the built graph (all article graphs and the actors).

    \b
    Example:
      kg query 'PREFIX rel: <https://w3id.org/kg-dip/rel/>
                PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                SELECT ?a ?b WHERE { ?x rel:met ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }'
    """
    from kg.query.answers import write_result
    from kg.query.run import read_query, write_query

    text = read_query(sparql, query_file)
    out = _Stdout()
    try:
        if store_url:  # the server runs the query (SERVICE included, as it allows)
            from kg.graph.remote import connect
            from kg.query.guard import check_remote_query

            check_remote_query(text)
            write_result(connect(store_url).query(text), fmt, out, max_rows=max_rows)
        else:
            write_query(out_dir, text, fmt, out, federation=federation, max_rows=max_rows)
        out.end_line()
    except BrokenPipeError:  # `kg query ... | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nt", "nquads", "jsonld", "xml",
                                                    "events-csv", "events-jsonl"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@store_option
@endpoint_option
@_fail_cleanly
def export(fmt: str, output: Path | None, out_dir: Path, store_url: str | None) -> None:
    """Export the graph as RDF, or the events table as CSV / JSON Lines.

    \b
    Example:
      kg export --format trig -o graph.trig
      kg export --format events-jsonl > events.jsonl
    """
    from kg.query.export import export_build

    if fmt.startswith("events-") and store_url:
        raise KGError(f"{store_url}: the events table is not kept in the server; `kg build --store` wrote it "
                      "to OUT/events.csv (pass --out)")
    if store_url:
        from kg.graph.remote import connect
        from kg.query.export import serialize

        _write(serialize(connect(store_url).dataset(), fmt), output)
        return
    if output is not None:
        check_out_file(output)
    export_build(out_dir, fmt, output if output is not None else sys.stdout.buffer)
    sys.stdout.flush()


def _roots(value: str | None) -> list[str] | None:
    return [r for r in value.split(",") if r.strip()] if value else None


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="HTML file (default: OUT/graph.html).")
@click.option("--actor", help="Focus on this actor (label or id) and its neighbours.")
@click.option("--hops", default=1, show_default=True, help="With --actor: how many pairs away to reach.")
@click.option("--since", help="Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Only events on or before this date.")
@click.option("--root", "roots", help="Only these CAMEO roots, comma-separated (04,05).")
@click.option("--article", help="Only the events of this article id.")
@click.option("--min-events", default=1, show_default=True, help="Drop pairs of actors with fewer events.")
@click.option("--timeline", nargs=2, metavar="A B", help="Instead: the relationship of A and B over time, "
              "as a chart (default file: OUT/timeline.html); with --since/--until only.")
@store_option
@endpoint_option
@_fail_cleanly
def viz(output: Path | None, actor: str | None, hops: int, since: str | None, until: str | None,
        roots: str | None, article: str | None, min_events: int, timeline: tuple[str, str] | None,
        out_dir: Path, store_url: str | None) -> None:
    """Write the interactive HTML view: one edge per pair of actors (width by events, colour from
    conflict red to cooperation green), filters, and the sentences behind every edge on a click.

    \b
    Example:
      kg viz -o korea.html && xdg-open korea.html
      kg viz --actor "Kim Jong-un" --hops 2 --since 2019-01 --root 04,05 -o kim.html
      kg viz --timeline "North Korea" "United States"
    """
    from kg.views.page import write_view
    from kg.views.timeline import write_timeline

    if timeline:
        if actor or roots or article or min_events != 1 or hops != 1:
            raise click.UsageError("--timeline takes --since and --until only")
        target = output or out_dir / "timeline.html"
        check_out_file(target)
        months = write_timeline(out_dir, timeline[0], timeline[1], target, since=since, until=until,
                                store_url=store_url)
        _say(f"wrote {target} ({months} month(s))")
        return
    target = output or out_dir / "graph.html"
    check_out_file(target)
    stats = write_view(out_dir, target, actor=actor, hops=hops, since=since, until=until, roots=_roots(roots),
                       article=article, min_events=min_events, store_url=store_url)
    _say(f"wrote {target} ({stats.actors} actors, {stats.pairs} pairs, {stats.events} events)")


@main.group(invoke_without_command=True)
@click.option("--top", default=10, show_default=True, help="How many rows per measure.")
@click.option("--period", type=click.Choice(["month", "year"]), default="month", show_default=True,
              help="Period for the most active actors.")
@store_option
@endpoint_option
@click.pass_context
@_fail_cleanly
def analyze(ctx: click.Context, top: int, period: str, out_dir: Path, store_url: str | None) -> None:
    """Network analysis of the actors (networkx): centrality, most active, brokers, strongest ties,
    communities, and the most active actors per period. `kg analyze dyad A B`: a relationship over time.

    \b
    Example:
      kg analyze --top 5
      kg analyze dyad "North Korea" "United States"
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = out_dir
        ctx.meta["kg.store_url"] = store_url  # `kg analyze --store URL dyad A B` reads the server
        return
    from kg.views.analysis import report
    from kg.views.events import load_events

    _say(report(load_events(out_dir, store_url), top=top, period=period))


@analyze.command()
@click.argument("actors", nargs=-1)
@click.option("--top", "top_pairs", type=int, help="Instead of A B: the N pairs with the most events.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of a build (default: the --out given to analyze, else output).")
@click.pass_context
@_fail_cleanly
def dyad(ctx: click.Context, actors: tuple[str, ...], top_pairs: int | None, fmt: str, output: Path | None,
         out_dir: Path | None) -> None:
    """The relationship of two actors month by month: events, Goldstein sum and mean, cooperation
    and conflict by quad class, and whether it got better or worse.

    \b
    Example:
      kg analyze dyad "Kim Jong-un" "Donald Trump"
      kg analyze dyad --top 5 --format csv -o dyads.csv
    """
    from kg.views.analysis import dyad_report
    from kg.views.events import load_events

    if (len(actors) == 2) == (top_pairs is not None):
        raise click.UsageError("name two actors (A B) or give --top N")
    folder = out_dir or ctx.obj or DEFAULT_OUT
    events = load_events(folder, ctx.meta.get("kg.store_url"))
    text = dyad_report(events, actors if len(actors) == 2 else None, top=top_pairs, fmt=fmt)
    _write(printable(text, keep="\n") if fmt == "table" else text, output)  # CSV and JSON keep the data exact


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True)
@click.option("--events", "events_file", type=click.Path(path_type=Path),
              help="Events table to score (CSV or JSONL; default: OUT/events.csv).")
@click.option("--by-root", is_flag=True, help="Also print totals by CAMEO root: gold core events, how many were "
              "found, events produced, how many are correct.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the totals by CAMEO root and the produced events "
              "that match no gold event.")
@click.option("--folds", type=int, default=0, help="Instead: cross-validate the coder by article over the reports "
              "of GOLD (folders whose articles lie in ../articles or ../seeds): train on all folds but one, score "
              "the one it did not see, and say at which stage of the pipeline each missed core event was lost.")
@click.option("--learning-curve", "curve", is_flag=True, help="With --folds: also train on a quarter, half and "
              "three quarters of each model's folds and score the same held-out folds, to see whether annotating "
              "more reports would pay.")
@store_option
@_fail_cleanly
def eval_(gold: tuple[str, ...], events_file: Path | None, by_root: bool, verbose: bool, folds: int, curve: bool,
          out_dir: Path) -> None:
    """Score the events table against gold files (precision, recall, F1) and list the missed core events.

    \b
    Example:
      kg build ../shared/seeds ../shared/articles && kg eval ../shared/gold/
      kg eval ../shared/gold/ --by-root     # which kinds of events are missed
      kg eval --folds 5 ../shared/gold ../shared/dev2/gold   # the coder on reports it was not trained on
      kg eval --folds 5 --learning-curve ../shared/gold ../shared/dev2/gold   # would more reports help?
    """
    from kg.evaluation.scoring import gold_files, report, root_table, score
    from kg.events import read_events
    from kg.query.export import events_table

    if curve and not folds:
        raise KGError("--learning-curve needs --folds (the held-out folds it scores on)")
    if folds:
        if folds < 2:
            raise KGError(f"--folds {folds}: give 2 or more folds")
        from kg.evaluation.training import (
            cross_validate,
            curve_table,
            find_reports,
            learning_curve,
            miss_table,
            oracle_recall,
            prepare,
        )

        reports = prepare(find_reports([Path(g) for g in gold]))
        reachable, core = oracle_recall(reports)
        click.echo(f"candidates: {sum(len(r.pairs) for r in reports)} pairs from {len(reports)} reports; "
                   f"oracle recall {reachable / max(core, 1):.3f} ({reachable}/{core} core events reachable)")
        result = cross_validate(reports, folds=folds)
        click.echo(f"{folds}-fold cross-validation by article, threshold {result.threshold:g} (best pooled F1):")
        for k, fold in enumerate(result.folds):
            click.echo(f"  fold {k + 1}: precision {fold.precision:.3f}  recall {fold.recall:.3f}  F1 {fold.f1:.3f}")
        click.echo(f"mean: precision {result.mean('precision'):.3f}  recall {result.mean('recall'):.3f}  "
                   f"F1 {result.mean('f1'):.3f}")
        click.echo("\n".join(root_table(result.pooled)))
        click.echo("\n".join(miss_table(reports, result.pooled.misses)))
        if curve:
            click.echo("\n".join(curve_table(learning_curve(reports, result, folds=folds))))
        return

    rows = read_events(events_file) if events_file else events_table(out_dir)
    _say(report(score(rows, gold_files(list(gold))), by_root=by_root, verbose=verbose))


@main.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Model file to write (default: the one kg ships, kg/data/coder.json).")
@click.option("--folds", type=int, default=5, show_default=True,
              help="Held-out folds by article on which the threshold is chosen (0: keep 0.5).")
@_fail_cleanly
def train(gold: tuple[Path, ...], output: Path | None, folds: int) -> None:
    """Train the event coder on annotated reports: folders of gold files whose articles lie beside
    them (../articles, ../seeds), labelled by the scoring rules of the gold README.

    \b
    Example:
      kg train ../shared/gold ../shared/dev2/gold ../shared/dev3/gold ../shared/dev4/gold
    """
    from kg.evaluation.training import train as run_train
    from kg.extract.coder import default_model_path

    out = output or default_model_path()
    model, result = run_train(list(gold), out, folds=folds)
    click.echo(f"trained on {model['trained_on']['reports']} reports ({model['trained_on']['pairs']} candidate "
               f"pairs); threshold {model['threshold']:g}")
    if result is not None:
        click.echo(f"held-out {folds}-fold mean: precision {result.mean('precision'):.3f}  "
                   f"recall {result.mean('recall'):.3f}  F1 {result.mean('f1'):.3f}")
    click.echo(f"wrote {out}")


@main.command()
@store_option
@endpoint_option
@_fail_cleanly
def validate(out_dir: Path, store_url: str | None) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl.

    \b
    Example:
      kg validate --out output
    """
    from kg.graph.shapes import validate_graph
    from kg.query.run import read_graph

    conforms, report = validate_graph(read_graph(out_dir, store_url))
    if not conforms:
        _say(report, err=True)
        raise click.ClickException("the graph does not conform to the SHACL shapes (report above)")
    _say("the graph conforms to the SHACL shapes")


class _Seconds(click.FloatRange):
    """A number of seconds: above 0 and finite (nan and inf would be no time limit)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if seconds != seconds:  # nan passes every comparison of FloatRange
            self.fail(f"{value} is not a number of seconds", param, ctx)
        return seconds


_SECONDS = _Seconds(min=0, min_open=True, max=1e9)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep the loopback "
              "address unless others must reach it).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=30.0, show_default=True, type=_SECONDS, help="Seconds a query may run; then it "
              "is cancelled and the client gets an error.")
@click.option("--workers", default=0, show_default=True, type=click.IntRange(min=0),
              help="Query processes (0: one per CPU, at least 2).")
@click.option("--cors", "cors", metavar="ORIGIN", default=None, help="Let web pages from ORIGIN (e.g. "
              "https://yasgui.example.org) read answers; none by default.")
@click.option("--federation", is_flag=True, help="Allow SERVICE: queries then make this machine fetch any "
              "address they name.")
@click.option("--max-body", default=1_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest POST body accepted, in bytes.")
@click.option("--max-memory", default=2048, show_default=True, type=click.IntRange(min=0), help="MiB of memory a "
              "query process may use beyond the opened store (0: no limit); a query that needs more fails alone.")
@click.option("--max-result", default=256, show_default=True, type=click.IntRange(min=0), help="MiB an answer may "
              "have (0: no limit); a longer one is cut short with a message.")
@store_option
@_fail_cleanly
def serve(host: str, port: int, timeout: float, workers: int, cors: str | None, federation: bool, max_body: int,
          max_memory: int, max_result: int, out_dir: Path) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    \b
    Example:
      kg serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
           http://127.0.0.1:7878/sparql
    """
    from kg.query.serve import ServeOptions, make_server

    options = ServeOptions(timeout=timeout, workers=workers, federation=federation, cors=cors, max_body=max_body,
                           max_memory=max_memory, max_result=max_result)
    server = make_server(out_dir / "store", host, port, options=options)
    if host not in ("127.0.0.1", "localhost", "::1"):
        _say(f"warning: listening on {host}: anyone who can reach this machine can query the graph "
             "(no authentication)", err=True)
    _say(f"SPARQL endpoint on http://{host}:{server.server_address[1]}/sparql (Ctrl-C stops it); "
         f"queries time out after {timeout:g} s; SERVICE {'allowed' if federation else 'refused'}; "
         f"CORS {'for ' + cors if cors else 'off'}; a rebuild of {out_dir} is served as soon as it is done")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
