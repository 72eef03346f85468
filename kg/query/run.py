"""SPARQL over a built store, the library side of `kg query`: the query read and checked
(`kg.query.guard`), run on the engine's deep stack over the build held for reading, and the answer
written as it comes (`kg.query.answers`)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import KGError, QueryError
from kg.graph.publish import open_build
from kg.query.answers import MAX_ROWS, TextOut, engine_error, write_solutions
from kg.query.guard import check_query, on_deep_stack, refusing_service

if TYPE_CHECKING:
    from rdflib import Dataset, Graph
    from rdflib.query import Result


#: Longest query text `kg query` reads, in bytes: rdflib's parser, which checks every query, takes
#: seconds per megabyte, and the engine can take minutes to plan a query of thousands of patterns.
MAX_QUERY_BYTES = 1_000_000


def write_query(out_dir: Path, sparql: str, fmt: str, out: TextOut, *, federation: bool = False,
                max_rows: int = MAX_ROWS) -> int:
    """Run `sparql` over the build in `out_dir` and write the answer to `out` row by row, as the
    engine gives it (the library side of `kg query`); the number of rows.

    Updates are refused, and so is SERVICE unless `federation` (see `kg.query.guard.check_query`); the
    default graph is the union of all graphs unless the query names its own with FROM / FROM NAMED;
    `SELECT *` lists its columns in the order the query first names the variables. Past `max_rows`
    rows (0: no limit) it stops with a QueryError, the rows before written. The engine runs on a
    deep stack (`kg.query.guard.on_deep_stack`), so no query can crash the process."""
    check_size(sparql)
    shape = check_query(sparql, federation=federation)

    def run() -> int:
        with open_build(out_dir) as store:
            result = store.query(shape.text, union=not shape.has_dataset)
            order = None
            if isinstance(result, ox.QuerySolutions):
                order = shape.star_order([v.value for v in result.variables])
            return write_solutions(result, fmt, out, order=order, max_rows=max_rows)
    return on_deep_stack(run)


def check_size(sparql: str) -> None:
    """Refuse, in one line, a query longer than `MAX_QUERY_BYTES`."""
    size = len(sparql.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryError(f"the SPARQL query has {size:,} bytes; the limit is {MAX_QUERY_BYTES:,}")


def built_graph(out_dir: Path) -> Graph:
    """Every triple of a build as one in-memory rdflib graph (for SHACL, which copies it anyway)."""
    from rdflib import Graph

    with open_build(out_dir) as store:
        data = store.serialize("nt")
    return Graph().parse(data=data, format="nt")


def run_query(ds: Dataset, sparql: str, *, federation: bool = False) -> Result:
    """Run SPARQL 1.1 over an rdflib dataset (the union of its graphs) with the checks of `kg query`:
    updates refused, and SERVICE unless `federation` (see `kg.query.guard.check_query`). When rdflib
    evaluates (a dataset in memory), its SERVICE is shut too, and the answer is read here, inside."""
    shape = check_query(sparql, federation=federation)
    ds.default_union = True
    try:
        with refusing_service(federation=federation):
            result = ds.query(shape.text)
            if result.type == "SELECT":
                result.bindings  # noqa: B018 - evaluation is lazy: read the rows while SERVICE is shut
        if result.type == "SELECT" and result.vars:
            by_name = {str(v): v for v in result.vars}
            if order := shape.star_order(list(by_name)):
                result.vars = [by_name[n] for n in order]
        return result
    except QueryError:
        raise
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL query: {str(exc).splitlines()[0]}") from None
    except Exception as exc:  # pyoxigraph raises its own errors for evaluation failures
        raise engine_error(exc) from None


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


def read_graph(out_dir: Path, url: str | None) -> Graph:
    """The whole graph of a build, from the SPARQL server at `url` or else from `out_dir/store`
    (what `kg viz`, `analyze` and `validate` read)."""
    if url:
        from kg.graph.remote import connect  # rdflib's client, loaded only when a server is read

        return connect(url).graph()
    return built_graph(out_dir)
