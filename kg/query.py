"""SPARQL over a built store, and the serialisations users take away."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.display import printable
from kg.errors import KGError, QueryError
from kg.events import EVENT_COLUMNS
from kg.files import atomic_file
from kg.publish import STORE_DIR, read_build
from kg.sparql import check_query, refusing_service
from kg.store import PREFIXES, OxigraphStore

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.query import Result


@contextmanager
def open_build(out_dir: Path) -> Iterator[OxigraphStore]:
    """The store of the current build of `out_dir`, read-only, held from deletion while open.

    >>> with open_build(Path("output")) as store:  # doctest: +SKIP
    ...     print(format_solutions(store.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"), "csv"))
    """
    with read_build(out_dir) as build:
        store = OxigraphStore.open(build.path(STORE_DIR))
        try:
            yield store
        finally:
            store.close()


def query_build(out_dir: Path, sparql: str, fmt: str = "table", *, federation: bool = False) -> str:
    """Run `sparql` over the build in `out_dir` and format the answer (the library side of `kg query`).

    Updates are refused, and so is SERVICE unless `federation` (see `kg.sparql.check_query`); the
    default graph is the union of all graphs unless the query names its own with FROM / FROM NAMED;
    `SELECT *` lists its columns in the order the query first names the variables."""
    shape = check_query(sparql, federation=federation)
    with open_build(out_dir) as store:
        result = store.query(shape.text, union=not shape.has_dataset)
        order = None
        if isinstance(result, ox.QuerySolutions) and shape.star:
            order = shape.in_order([v.value for v in result.variables])
        return format_solutions(result, fmt, order=order)


def export_build(out_dir: Path, fmt: str, target: Path | IO[bytes]) -> None:
    """Write the build's graph (`kg export`) or its events table to a file (atomically) or a stream."""
    if fmt.startswith("events-"):
        data = rows_as(events_table(out_dir), fmt).encode("utf-8")
        if isinstance(target, Path):
            with atomic_file(target) as fh:
                fh.write(data)
        else:
            target.write(data)
        return
    with open_build(out_dir) as store:
        if isinstance(target, Path):
            with atomic_file(target) as fh:
                store.write(fh, fmt)
        else:
            store.write(target, fmt)


def graph_view(store: OxigraphStore) -> Graph:
    """All graphs of an open store as one rdflib graph that Oxigraph answers (no copy): for views."""
    from oxrdflib import OxigraphStore as RdflibOxigraph
    from rdflib import Dataset

    return Dataset(store=RdflibOxigraph(store=store.store), default_union=True)


def built_graph(out_dir: Path) -> Graph:
    """Every triple of a build as one in-memory rdflib graph (for SHACL, which copies it anyway)."""
    from rdflib import Graph

    with open_build(out_dir) as store:
        data = store.serialize("nt")
    return Graph().parse(data=data, format="nt")


def _term(value: Any) -> str:
    return "" if value is None else str(value.value)


def format_solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str, *,
                     order: list[str] | None = None) -> str:
    """An Oxigraph answer as a text table, CSV or JSON (columns in `order` when given); ASK as
    true/false; CONSTRUCT as Turtle. The engine evaluates as rows are read: an error then is a QueryError."""
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    try:
        if isinstance(result, ox.QueryTriples):
            return (ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode("utf-8")
        names = order or [v.value for v in result.variables]
        rows = [[_term(sol[n]) for n in names] for sol in result]
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise QueryError(f"the SPARQL query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                         ) from None
    return _table(names, rows, fmt)


def run_query(ds: Dataset, sparql: str, *, federation: bool = False) -> Result:
    """Run SPARQL 1.1 over an rdflib dataset (the union of its graphs) with the checks of `kg query`:
    updates refused, and SERVICE unless `federation` (see `kg.sparql.check_query`). When rdflib
    evaluates (a dataset in memory), its SERVICE is shut too, and the answer is read here, inside."""
    shape = check_query(sparql, federation=federation)
    ds.default_union = True
    try:
        with refusing_service(federation=federation):
            result = ds.query(shape.text)
            if result.type == "SELECT":
                result.bindings  # noqa: B018 - evaluation is lazy: read the rows while SERVICE is shut
        if result.type == "SELECT" and result.vars and shape.star:
            by_name = {str(v): v for v in result.vars}  # SELECT *: the order the query names them
            result.vars = [by_name[n] for n in shape.in_order(list(by_name))]
        return result
    except QueryError:
        raise
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL query: {str(exc).splitlines()[0]}") from None
    except Exception as exc:  # pyoxigraph raises its own errors for evaluation failures
        raise QueryError(f"the SPARQL query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                         ) from None


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def format_result(result: Result, fmt: str) -> str:
    """A SELECT result as a text table, CSV or JSON; ASK as true/false; CONSTRUCT as Turtle.
    The engine evaluates as rows are read: an error then (a SERVICE that fails) is a QueryError."""
    try:
        return _format_result(result, fmt)
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"the SPARQL query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                         ) from None


def _format_result(result: Result, fmt: str) -> str:
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle") if result.graph is not None else ""
    from rdflib.query import ResultRow

    names = [str(v) for v in (result.vars or [])]
    rows = [[_cell(row[v]) for v in (result.vars or [])] for row in result if isinstance(row, ResultRow)]
    return _table(names, rows, fmt)


def _table(names: list[str], rows: list[list[str]], fmt: str) -> str:
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(names, r, strict=True)) for r in rows], ensure_ascii=False, indent=2)
    names = [printable(n) for n in names]  # the table is for people: control characters shown escaped
    rows = [[printable(c) for c in r] for r in rows]
    widths = [min(max([len(n)] + [len(r[i]) for r in rows]), 60) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        fitted = ((c if len(c) <= 60 else c[:57] + "...").ljust(w) for c, w in zip(cells, widths, strict=True))
        return "  ".join(fitted).rstrip()
    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def read_query(text: str | None, file: Path | None) -> str:
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KGError(f"{file}: cannot read the query ({exc})") from None
    if not text or not text.strip():
        raise QueryError("no SPARQL query given: pass it as an argument or with -f FILE")
    return text


def events_table(out_dir: Path) -> list[dict[str, str]]:
    """The events table written by the last build (`events.csv` beside the store)."""
    with read_build(out_dir) as build:
        path = build.path("events.csv")
        if not path.exists():
            raise KGError(f"{out_dir / 'events.csv'}: no events table; run `kg build` first")
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    if rows and list(rows[0]) != list(EVENT_COLUMNS):
        raise KGError(f"{path}: not an events table (columns differ from the events contract)")
    return rows


def read_events_file(path: Path) -> list[dict[str, str]]:
    """An events table as CSV or JSON Lines (for `kg eval`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KGError(f"{path}: cannot read the events table ({exc})") from None
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise KGError(f"{path}: not JSON Lines ({exc.msg} on line {exc.lineno})") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    missing = {"article_id", "agent", "target", "cameo"} - set(rows[0] if rows else EVENT_COLUMNS)
    if missing:
        raise KGError(f"{path}: not an events table (missing columns: {', '.join(sorted(missing))})")
    return rows


#: `kg export --format` -> rdflib's name of the format (for a dataset read from a SPARQL server).
_RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld",
                   "xml": "xml"}


def serialize(ds: Dataset, fmt: str) -> str:
    """A dataset read from a SPARQL server as RDF: TriG/N-Quads keep its graphs, the rest merge them."""
    from rdflib import Dataset as RdflibDataset
    from rdflib import Graph

    from kg.graph import bind_prefixes

    rdf_format = _RDFLIB_FORMATS[fmt]
    if rdf_format in ("trig", "nquads"):
        copy = RdflibDataset()
        bind_prefixes(copy)
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        for s, p_, o, g in ds.quads((None, None, None, None)):
            named = g is not None and g != DATASET_DEFAULT_GRAPH_ID
            (copy.graph(g) if named else copy.default_graph).add((s, p_, o))
        return copy.serialize(format=rdf_format)
    union = Graph()
    bind_prefixes(union)
    for s, p_, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p_, o))
    return union.serialize(format=rdf_format)


def rows_as(rows: list[dict[str, str]], fmt: str) -> str:
    if fmt == "events-jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EVENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
