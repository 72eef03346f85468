"""SPARQL over a built store, and the serialisations users take away."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from oxrdflib import OxigraphStore
from rdflib import Dataset
from rdflib.query import Result, ResultRow

from kg.errors import KGError, QueryError
from kg.events import EVENT_COLUMNS
from kg.sparql import check_query, in_order_of_appearance, star_projection

RDF_FORMATS = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "nt": "nt", "ntriples": "nt",
               "nquads": "nquads", "jsonld": "json-ld", "json-ld": "json-ld", "xml": "xml"}


def run_query(ds: Dataset, sparql: str, *, federation: bool = False) -> Result:
    """Run a SPARQL 1.1 query over the union of all article graphs and the actor graph.

    Updates are refused, and so is SERVICE unless `federation` (see `kg.sparql.check_query`).
    """
    shape = check_query(sparql, federation=federation)
    ds.default_union = True
    try:
        if shape.has_dataset and isinstance(ds.store, OxigraphStore):
            # FROM / FROM NAMED choose the graphs: rdflib would name the default graph (or the union)
            # itself and so override them; through the store API with no graph named, Oxigraph obeys them
            result = ds.store.query(sparql, dict(ds.namespaces()), {}, "")
        else:
            result = ds.query(sparql)
        if result.type == "SELECT" and result.vars and star_projection(sparql) is not None:
            by_name = {str(v): v for v in result.vars}  # SELECT *: the order the query names them
            result.vars = [by_name[n] for n in in_order_of_appearance(sparql, list(by_name))]
        return result
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
    names = [str(v) for v in (result.vars or [])]
    rows = [[_cell(row[v]) for v in (result.vars or [])] for row in result if isinstance(row, ResultRow)]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([dict(zip(names, r, strict=True)) for r in rows], ensure_ascii=False, indent=2)
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
    path = out_dir / "events.csv"
    if not path.exists():
        raise KGError(f"{path}: no events table; run `kg build` first")
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


def serialize(ds: Dataset, fmt: str) -> str:
    """The whole graph as RDF: TriG/N-Quads keep the per-article graphs, the rest merge them."""
    from kg.pipeline import memory_copy, union_graph

    rdf_format = RDF_FORMATS[fmt]
    if rdf_format in ("trig", "nquads"):
        return memory_copy(ds).serialize(format=rdf_format)
    return union_graph(ds).serialize(format=rdf_format)


def rows_as(rows: list[dict[str, str]], fmt: str) -> str:
    if fmt == "events-jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EVENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
