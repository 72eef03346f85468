"""Answers written as users take them away: a SPARQL answer (Oxigraph's, or rdflib's from a
server) as a text table, CSV or JSON, row by row as the engine gives them; ASK as true/false;
CONSTRUCT as Turtle."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import pyoxigraph as ox

from kg.errors import QueryError
from kg.graph.store import PREFIXES
from kg.util.display import printable

if TYPE_CHECKING:
    from rdflib.query import Result


class TextOut(Protocol):
    """Where an answer is written: a text file, standard output, a StringIO."""

    def write(self, text: str, /) -> int: ...


#: Rows `kg query` writes at most unless told (`--max-rows`); past them it stops with a message.
MAX_ROWS = 1_000_000


def _term(value: Any) -> str:
    return "" if value is None else str(value.value)


def engine_error(exc: BaseException) -> QueryError:
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
            raise engine_error(exc) from None
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
                raise too_many(max_rows, "triples")
            yield triple
    try:
        ox.serialize(triples(), cast(IO[bytes], _TextOut(out)), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    except QueryError:
        raise
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise engine_error(exc) from None
    return count


def too_many(max_rows: int, what: str = "rows") -> QueryError:
    return QueryError(f"the answer has more than {max_rows:,} {what}: stopped there (--max-rows); add a LIMIT, "
                      "or pass --max-rows 0 for no limit")



def _cell(value: object) -> str:
    return "" if value is None else str(value)


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
                raise too_many(max_rows, "triples")
            out.write(graph.serialize(format="turtle") if graph is not None else "")
            return len(graph) if graph is not None else 0
        from rdflib.query import ResultRow

        names = [str(v) for v in (result.vars or [])]
        rows = ([_cell(row[v]) for v in (result.vars or [])] for row in result if isinstance(row, ResultRow))
        return write_rows(names, rows, fmt, out, max_rows=max_rows)
    except (OSError, ValueError, TypeError) as exc:
        raise engine_error(exc) from None


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
                raise too_many(max_rows)
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
