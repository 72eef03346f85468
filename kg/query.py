"""SPARQL over a built store, and the serialisations users take away."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import pyoxigraph as ox

from kg.errors import KGError, QueryError
from kg.events import EVENT_COLUMNS
from kg.graph.publish import STORE_DIR, read_build
from kg.graph.store import PREFIXES, OxigraphStore, StoreDamaged
from kg.sparql import check_query, on_deep_stack, refusing_service
from kg.util.display import printable
from kg.util.files import atomic_file, csv_records

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
        try:
            store = OxigraphStore.open(build.path(STORE_DIR))
        except StoreDamaged as exc:  # named as the user knows it, not by the build's own folder
            raise StoreDamaged(out_dir / STORE_DIR, exc.reason) from None
        try:
            yield store
        finally:
            store.close()


class TextOut(Protocol):
    """Where an answer is written: a text file, standard output, a StringIO."""

    def write(self, text: str, /) -> int: ...


#: Rows `kg query` writes at most unless told (`--max-rows`); past them it stops with a message.
MAX_ROWS = 1_000_000
#: Longest query text `kg query` reads, in bytes: rdflib's parser, which checks every query, takes
#: seconds per megabyte, and the engine can take minutes to plan a query of thousands of patterns.
MAX_QUERY_BYTES = 1_000_000


def query_build(out_dir: Path, sparql: str, fmt: str = "table", *, federation: bool = False,
                max_rows: int = MAX_ROWS) -> str:
    """Run `sparql` over the build in `out_dir` and format the answer (see `write_query`)."""
    buf = io.StringIO()
    write_query(out_dir, sparql, fmt, buf, federation=federation, max_rows=max_rows)
    return buf.getvalue()


def write_query(out_dir: Path, sparql: str, fmt: str, out: TextOut, *, federation: bool = False,
                max_rows: int = MAX_ROWS) -> int:
    """Run `sparql` over the build in `out_dir` and write the answer to `out` row by row, as the
    engine gives it (the library side of `kg query`); the number of rows.

    Updates are refused, and so is SERVICE unless `federation` (see `kg.sparql.check_query`); the
    default graph is the union of all graphs unless the query names its own with FROM / FROM NAMED;
    `SELECT *` lists its columns in the order the query first names the variables. Past `max_rows`
    rows (0: no limit) it stops with a QueryError, the rows before written. The engine runs on a
    deep stack (`kg.sparql.on_deep_stack`), so no query can crash the process."""
    check_size(sparql)
    shape = check_query(sparql, federation=federation)

    def run() -> int:
        with open_build(out_dir) as store:
            result = store.query(shape.text, union=not shape.has_dataset)
            order = None
            if isinstance(result, ox.QuerySolutions) and shape.star:
                order = shape.in_order([v.value for v in result.variables])
            return write_solutions(result, fmt, out, order=order, max_rows=max_rows)
    return on_deep_stack(run)


def check_size(sparql: str) -> None:
    """Refuse, in one line, a query longer than `MAX_QUERY_BYTES`."""
    size = len(sparql.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryError(f"the SPARQL query has {size:,} bytes; the limit is {MAX_QUERY_BYTES:,}")


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


def _engine_error(exc: BaseException) -> QueryError:
    return QueryError(f"the SPARQL query failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")


def format_solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str, *,
                     order: list[str] | None = None, max_rows: int = MAX_ROWS) -> str:
    """An Oxigraph answer as a text table, CSV or JSON (see `write_solutions`), as one string."""
    buf = io.StringIO()
    write_solutions(result, fmt, buf, order=order, max_rows=max_rows)
    return buf.getvalue()


def write_solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str, out: TextOut, *,
                    order: list[str] | None = None, max_rows: int = MAX_ROWS) -> int:
    """Write an Oxigraph answer as a text table, CSV or JSON (columns in `order` when given); ASK as
    true/false; CONSTRUCT as Turtle; the number of rows (triples). The engine evaluates as rows are
    read: an error then is a QueryError, and so is a row past `max_rows` (0: no limit)."""
    if isinstance(result, ox.QueryBoolean):
        out.write("true\n" if bool(result) else "false\n")
        return 1
    if isinstance(result, ox.QueryTriples):
        return _write_turtle(result, out, max_rows)
    names = order or [v.value for v in result.variables]

    def rows() -> Iterator[list[str]]:
        try:
            for sol in result:
                yield [_term(sol[n]) for n in names]
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise _engine_error(exc) from None
    return write_rows(names, rows(), fmt, out, max_rows=max_rows)


class _TextOut(io.RawIOBase):
    """Bytes written by the engine's serialiser, passed on to a text stream as they come."""

    def __init__(self, out: TextOut) -> None:
        import codecs

        self.out = out
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.out.write(self.decoder.decode(bytes(data)))
        return len(data)


def _write_turtle(result: ox.QueryTriples, out: TextOut, max_rows: int) -> int:
    count = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal count
        for triple in result:
            count += 1
            if max_rows and count > max_rows:
                raise _too_many(max_rows, "triples")
            yield triple
    try:
        ox.serialize(triples(), cast(IO[bytes], _TextOut(out)), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    except QueryError:
        raise
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise _engine_error(exc) from None
    return count


def _too_many(max_rows: int, what: str = "rows") -> QueryError:
    return QueryError(f"the answer has more than {max_rows:,} {what}: stopped there (--max-rows); add a LIMIT, "
                      "or pass --max-rows 0 for no limit")


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
        raise _engine_error(exc) from None


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def format_result(result: Result, fmt: str, *, max_rows: int = MAX_ROWS) -> str:
    """An rdflib answer (from a SPARQL server) as one string (see `write_result`)."""
    buf = io.StringIO()
    write_result(result, fmt, buf, max_rows=max_rows)
    return buf.getvalue()


def write_result(result: Result, fmt: str, out: TextOut, *, max_rows: int = MAX_ROWS) -> int:
    """Write a SELECT result as a text table, CSV or JSON; ASK as true/false; CONSTRUCT as Turtle.
    The engine evaluates as rows are read: an error then (a SERVICE that fails) is a QueryError."""
    try:
        if result.type == "ASK":
            out.write("true\n" if result.askAnswer else "false\n")
            return 1
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = result.graph
            if graph is not None and max_rows and len(graph) > max_rows:
                raise _too_many(max_rows, "triples")
            out.write(graph.serialize(format="turtle") if graph is not None else "")
            return len(graph) if graph is not None else 0
        from rdflib.query import ResultRow

        names = [str(v) for v in (result.vars or [])]
        rows = ([_cell(row[v]) for v in (result.vars or [])] for row in result if isinstance(row, ResultRow))
        return write_rows(names, rows, fmt, out, max_rows=max_rows)
    except (OSError, ValueError, TypeError) as exc:
        raise _engine_error(exc) from None


#: Rows a table is measured on before it is written: later rows are cut to the same widths.
_TABLE_SAMPLE = 1000
_CELL_WIDTH = 60


def write_rows(names: list[str], rows: Iterator[list[str]], fmt: str, out: TextOut, *,
               max_rows: int = MAX_ROWS) -> int:
    """Write rows as CSV, JSON (a list of objects) or a text table, one by one; the number written.
    Past `max_rows` (0: no limit) a QueryError, the rows before written."""
    def limited() -> Iterator[list[str]]:
        for n, row in enumerate(rows, 1):
            if max_rows and n > max_rows:
                raise _too_many(max_rows)
            yield row
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        count = 0
        for row in limited():
            writer.writerow(row)
            count += 1
        return count
    if fmt == "json":
        return _write_json(names, limited(), out)
    return _write_table(names, limited(), out)


def _write_json(names: list[str], rows: Iterator[list[str]], out: TextOut) -> int:
    """The rows as `json.dumps([...], indent=2)` writes them, written one by one."""
    count = 0
    for row in rows:
        item = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, indent=2)
        out.write(("[\n" if count == 0 else ",\n") + "\n".join("  " + line for line in item.split("\n")))
        count += 1
    out.write("[]\n" if count == 0 else "\n]\n")
    return count


def _write_table(names: list[str], rows: Iterator[list[str]], out: TextOut) -> int:
    names = [printable(n) for n in names]  # the table is for people: control characters shown escaped
    sample = []
    for row in rows:
        sample.append([printable(c) for c in row])
        if len(sample) == _TABLE_SAMPLE:
            break
    widths = [min(max([len(n)] + [len(r[i]) for r in sample]), _CELL_WIDTH) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        fitted = ((c if len(c) <= w else c[:max(w - 3, 0)] + "..."[:w]).ljust(w)
                  for c, w in zip(cells, widths, strict=True))
        return "  ".join(fitted).rstrip()
    out.write(line(names) + "\n" + line(["-" * w for w in widths]) + "\n")
    count = 0
    for row in sample:
        out.write(line(row) + "\n")
        count += 1
    for row in rows:
        out.write(line([printable(c) for c in row]) + "\n")
        count += 1
    out.write(f"({count} row{'s' if count != 1 else ''})\n")
    return count


def read_query(text: str | None, file: Path | None) -> str:
    """The query text of `kg query`: the argument, or the file's content (refused past `MAX_QUERY_BYTES`)."""
    if file is not None:
        try:
            size = file.stat().st_size
            if size > MAX_QUERY_BYTES:
                raise KGError(f"{file}: the query file has {size:,} bytes; the limit is {MAX_QUERY_BYTES:,}")
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KGError(f"{file}: cannot read the query ({exc})") from None
        check_size(text)
        return text
    if not text or not text.strip():
        raise QueryError("no SPARQL query given: pass it as an argument or with -f FILE")
    check_size(text)
    return text


def events_table(out_dir: Path) -> list[dict[str, str]]:
    """The events table written by the last build (`events.csv` beside the store)."""
    with read_build(out_dir) as build:
        path = build.path("events.csv")
        if not path.exists():
            raise KGError(f"{out_dir / 'events.csv'}: no events table; run `kg build` first")
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv_records(fh))
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
    rows = list(csv_records(io.StringIO(text, newline="")))
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

    from kg.graph.rdf import bind_prefixes

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
