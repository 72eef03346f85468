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

DEFAULT_OUT = Path("output")


def _fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KGError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
    return wrapper


store_option = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
                            show_default=True, help="Folder of a build (holds store/ and events.csv).")


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
@click.option("--no-html", is_flag=True, help="Skip the HTML view (the last one stays).")
@_fail_cleanly
def build(inputs: tuple[str, ...], out_dir: Path, model: str | None, actor_files: tuple[Path, ...],
          encoding: str, processes: int | None, prune: bool, no_html: bool) -> None:
    """Read articles (.txt, .html, .jsonl files, folders, globs, or - for stdin) and build the graph.

    Building into an existing output adds new articles and redoes changed ones only; the new
    output replaces the old one at once when it is complete.

    \b
    Example:
      kg build seeds/ ../more_articles/*.html --out output/
      kg build new_article.txt --out output/      # add one article to the build
    """
    from kg.pipeline import build as run_build

    started = time.perf_counter()
    for path in actor_files:
        if not path.exists():
            raise KGError(f"{path}: no such actors file")
    res = run_build(list(inputs), out_dir, model=model, actor_files=list(actor_files) or None,
                    encoding=encoding, n_process=os.cpu_count() or 1 if processes is None else processes,
                    html=not no_html, prune=prune)
    click.echo(f"{res.articles} article(s), {res.events} event(s) from {res.mentions} mention(s), "
               f"{res.actors} actor(s) in {time.perf_counter() - started:.1f}s with {res.model}")
    if res.reused or res.removed:
        click.echo(f"{res.worked} article(s) parsed, {res.reused} unchanged kept, {res.removed} removed")
    click.echo(f"wrote {res.out_dir}/: store/ graph.ttl graph.trig events.csv" + ("" if no_html else " graph.html"))


@main.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@store_option
@_fail_cleanly
def query(sparql: str | None, query_file: Path | None, fmt: str, out_dir: Path) -> None:
    """Run a SPARQL 1.1 query over the built graph (all article graphs and the actors).

    \b
    Example:
      kg query 'PREFIX rel: <https://w3id.org/kg-dip/rel/>
                PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                SELECT ?a ?b WHERE { ?x rel:met ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }'
    """
    from kg.query import query_build, read_query

    click.echo(query_build(out_dir, read_query(sparql, query_file), fmt))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "nt", "nquads", "jsonld", "xml",
                                                    "events-csv", "events-jsonl"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@store_option
@_fail_cleanly
def export(fmt: str, output: Path | None, out_dir: Path) -> None:
    """Export the graph as RDF, or the events table as CSV / JSON Lines.

    \b
    Example:
      kg export --format trig -o graph.trig
      kg export --format events-jsonl > events.jsonl
    """
    from kg.query import export_build

    export_build(out_dir, fmt, output if output is not None else sys.stdout.buffer)
    sys.stdout.flush()


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="HTML file (default: OUT/graph.html).")
@store_option
@_fail_cleanly
def viz(output: Path | None, out_dir: Path) -> None:
    """Write the interactive HTML view: actors as nodes, events as labelled edges.

    \b
    Example:
      kg viz -o korea.html && xdg-open korea.html
    """
    from kg.query import graph_view, open_build
    from kg.views import write_html

    target = output or out_dir / "graph.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open_build(out_dir) as store:
        write_html(graph_view(store), target)
    click.echo(f"wrote {target}")


@main.command()
@click.option("--top", default=10, show_default=True, help="How many rows per measure.")
@store_option
@_fail_cleanly
def analyze(top: int, out_dir: Path) -> None:
    """Network analysis of the actors (networkx): centrality, most active, strongest ties.

    \b
    Example:
      kg analyze --top 5
    """
    from kg.query import graph_view, open_build
    from kg.views import analyze as run_analysis

    with open_build(out_dir) as store:
        report = run_analysis(graph_view(store), top=top)
    if not report:
        click.echo("no events between actors in this graph")
    for measure, rows in report.items():
        click.echo(f"{measure}:")
        for name, value in rows:
            click.echo(f"  {value:>8g}  {name}")


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True)
@click.option("--events", "events_file", type=click.Path(path_type=Path),
              help="Events table to score (CSV or JSONL; default: OUT/events.csv).")
@click.option("--by-root", is_flag=True, help="Also print totals by CAMEO root: gold core events, how many were "
              "found, events produced, how many are correct.")
@click.option("-v", "--verbose", is_flag=True, help="Also print the totals by CAMEO root and the produced events "
              "that match no gold event.")
@store_option
@_fail_cleanly
def eval_(gold: tuple[str, ...], events_file: Path | None, by_root: bool, verbose: bool, out_dir: Path) -> None:
    """Score the events table against gold files (precision, recall, F1) and list the missed core events.

    \b
    Example:
      kg build ../shared/seeds ../shared/articles && kg eval ../shared/gold/
      kg eval ../shared/gold/ --by-root     # which kinds of events are missed
    """
    from kg.evaluate import gold_files, report, score
    from kg.query import events_table, read_events_file

    rows = read_events_file(events_file) if events_file else events_table(out_dir)
    click.echo(report(score(rows, gold_files(list(gold))), by_root=by_root, verbose=verbose))


@main.command()
@store_option
@_fail_cleanly
def validate(out_dir: Path) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl.

    \b
    Example:
      kg validate --out output
    """
    from kg.query import built_graph
    from kg.shapes import validate_graph

    conforms, report = validate_graph(built_graph(out_dir))
    if not conforms:
        click.echo(report, err=True)
        raise click.ClickException("the graph does not conform to the SHACL shapes (report above)")
    click.echo("the graph conforms to the SHACL shapes")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, help="Port to listen on.")
@store_option
@_fail_cleanly
def serve(host: str, port: int, out_dir: Path) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    \b
    Example:
      kg serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
           http://127.0.0.1:7878/sparql
    """
    from kg.publish import read_build
    from kg.serve import make_server

    build = read_build(out_dir)  # held while serving, so that a rebuild does not delete it
    try:
        server = make_server(build.path("store"), host, port)
    except OSError as exc:
        raise KGError(f"{host}:{port}: cannot listen ({exc.strerror})") from None
    click.echo(f"SPARQL endpoint on http://{host}:{server.server_address[1]}/sparql (Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        build.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
