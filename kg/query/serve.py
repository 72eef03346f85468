"""A read-only SPARQL 1.1 Protocol endpoint over a built store, for tools that speak SPARQL
(YASGUI, SPARQLWrapper, a notebook): GET or POST `/sparql` with `query=...`.

Safe by default:

- queries only: updates and `LOAD` are refused, and so is `SERVICE` (it would make this machine
  send requests to any address a client names) unless the server runs with `federation=True`.
  The worker decides on the parsed query (`kg.query.guard.check_query`), so a slow parse is cut off by
  the time limit like a slow query;
- no `Access-Control-Allow-Origin` header unless an origin is given (`cors=`): a web page open in
  the user's browser cannot read answers from this server otherwise;
- every query runs in a worker process with a time limit: past it the worker is killed (the
  query is cancelled, not just abandoned), the client gets a 503 with a message, and a fresh
  worker takes its place. Workers run queries in parallel; the HTTP side holds no global lock;
- bounded: a memory cap per worker, a request body limit, a deadline for the whole request (read
  by one selector thread, so a slow or silent client holds no thread), a cap on requests handled at
  once, a listen backlog that holds bursts, answers streamed and cut at a byte limit, queries nested
  past `kg.query.guard.MAX_NESTING` refused, the engine on a deep stack; a worker that dies is replaced;
- without federation, each worker gives up the network when it starts (`kg.query.sandbox`, Linux): a
  query the check misreads still cannot make it connect anywhere;
- each worker opens the store read-only (`pyoxigraph.Store.read_only`) and holds the build it
  belongs to for reading (`kg.graph.publish.read_build`), so a rebuild never deletes the files it answers
  from; when a rebuild has published a newer build, the worker opens that one and lets the old one
  go (at its next query, or within `IDLE_CHECK` seconds when idle), so answers always come from the
  current build and the next build can remove the old one.
"""
from __future__ import annotations

import collections
import csv
import gc
import io
import json
import math
import os
import queue
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, Protocol, cast
from urllib.parse import parse_qs, urlparse

from kg.errors import KGError, QueryError
from kg.graph.publish import STORE_DIR, BuildReader, current_build, read_build
from kg.graph.store import OxigraphStore, StoreDamaged
from kg.query.guard import QueryRefused, QueryShape, check_query, on_deep_stack
from kg.query.sandbox import deny_network
from kg.util.files import csv_rows

#: Media types answered for SELECT and ASK (the first is the default).
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
#: Media types answered for CONSTRUCT and DESCRIBE (the first is the default).
GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/ld+json")
#: Other names clients use for the same formats.
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
           "text/plain": "application/n-triples", "application/x-turtle": "text/turtle",
           "application/json+ld": "application/ld+json"}
TEXT_TYPES = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples", "text/plain"}


@dataclass(frozen=True)
class ServeOptions:
    timeout: float = 30.0  # seconds a query may run before it is cancelled
    workers: int = 0  # query processes; 0: one per CPU, at least 2
    federation: bool = False  # allow SERVICE
    cors: str | None = None  # the origin allowed to read answers from a browser
    max_body: int = 1_000_000  # bytes of a POST body
    socket_timeout: float = 15.0  # seconds a client may take to send its request
    max_connections: int = 100  # connections served at once; more wait in the listen queue
    backlog: int = 1024  # listen queue
    max_memory: int = 2048  # MiB of address space per query worker beyond the opened store (0: no limit)
    max_result: int = 256  # MiB an answer may have (0: no limit); past it the answer is cut with a message

    def worker_count(self) -> int:
        return self.workers or max(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Reply:
    status: int
    ctype: str
    body: bytes


def _text(status: HTTPStatus, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode())


# ---------------------------------------------------------------- the worker process

#: Seconds an idle worker waits before it looks whether a newer build was published (and moves to
#: it, releasing the old one, which the next build may then remove).
IDLE_CHECK = 2.0


def _store_identity(path: str) -> tuple[str, int, int]:
    real = os.path.realpath(path)
    st = os.stat(real)
    return real, st.st_dev, st.st_ino


def _hold(path: Path) -> tuple[BuildReader | None, Path]:
    """The build to answer from, held for reading, and its store: `OUT/store` of a build output is
    the store of OUT's current build; any other folder is a store read in place (an output of an
    older layout, a copied one, or a build that the caller holds)."""
    if path.name == STORE_DIR and current_build(path.parent) is not None:
        reader = read_build(path.parent)
        return reader, reader.path(STORE_DIR)
    return None, path


class _Served:
    """What a worker answers from: the store, opened read-only, and the build it belongs to, held
    (`kg.graph.publish.BuildReader`) until the worker moves to a newer build or ends."""

    def __init__(self, path: str, max_memory: int = 0) -> None:
        self.path = path
        self.max_memory = max_memory  # MiB a query may use beyond the opened store (`_limit_memory`)
        self.store: Any = None
        self.reader: BuildReader | None = None
        self.ident: tuple[str, int, int] | None = None

    def open(self) -> None:
        """Open the current store (read-only, as every reader opens it: `OxigraphStore.open`), then
        let the one opened before go."""
        self.store = None  # the old engine's address space is freed first
        gc.collect()  # and not kept by a reference cycle (a traceback that saw it) until a later pass
        if self.max_memory > 0:
            _lift_memory_cap()  # opening maps the engine's half GiB again, and starts its threads
        for attempt in range(20):  # a rebuild swaps the store by renames: it can be absent for an instant
            reader = None
            try:
                reader, store = _hold(Path(self.path))
                ident = _store_identity(str(store))
                opened = OxigraphStore.open(store).store
            except (OSError, KGError) as exc:  # a damaged store is StoreDamaged, a KGError
                if reader is not None:
                    reader.close()
                if attempt == 19:
                    if not isinstance(exc, (OSError, StoreDamaged)):
                        raise
                    first = exc.reason if isinstance(exc, StoreDamaged) else str(exc).strip() or type(exc).__name__
                    raise KGError(f"{self.path}: cannot open the graph store ({first.splitlines()[0]}); it is damaged "
                                  "or not a store: rebuild it with `kg build`") from None
                time.sleep(0.05)
                continue
            if self.reader is not None:
                self.reader.close()
            self.store, self.reader, self.ident = opened, reader, ident
            _limit_memory(self.max_memory)  # counted anew from the store now open
            return

    def moved(self) -> bool:
        """Whether `path` now names another store than the one open (a newer build was published)."""
        try:
            return _store_identity(self.path) != self.ident
        except OSError:  # between the renames of a publish: look again at the next query
            return False


#: Bytes of a result a worker holds before sending any: a result that ends within them is sent
#: whole, with a Content-Length (and, if it fails, an error status); a longer one is streamed.
COMMIT = 1 << 20
#: Bytes per piece of a streamed result.
CHUNK = 1 << 16


class _TooLarge(Exception):
    """Raised into the engine's serialiser when a result passes the byte limit: it stops there."""


class _Sink:
    """The file object a result is serialised into, in a worker: held up to `COMMIT` bytes, then
    sent on to the HTTP side in pieces (`("head", ctype)`, then `("data", bytes)`...), so a result
    of any size costs the worker `COMMIT` bytes; past `limit` bytes it stops the serialiser."""

    def __init__(self, conn: Connection, ctype: str, limit: int, columns: _Columns | None) -> None:
        self.conn, self.ctype, self.limit, self.columns = conn, ctype, limit, columns
        self.held = bytearray()
        self.total = 0
        self.streaming = False

    def write(self, data: bytes) -> int:
        self.total += len(data)
        if self.limit and self.total > self.limit:
            raise _TooLarge
        self.held += data
        if len(self.held) >= (CHUNK if self.streaming else COMMIT):
            if not self.streaming:
                self.conn.send(("head", self.ctype))
                self.streaming = True
            self._send(bytes(self.held))
            self.held.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def _send(self, data: bytes, *, last: bool = False) -> None:
        if self.columns is not None:
            data = self.columns.feed(data) + (self.columns.end() if last else b"")
        if data:
            self.conn.send(("data", data))

    def finish(self) -> Reply | None:
        """The whole answer when it fitted in `COMMIT` bytes; else None, once its end is sent."""
        body = bytes(self.held)
        if not self.streaming:
            if self.columns is not None:
                body = self.columns.feed(body) + self.columns.end()
            return Reply(HTTPStatus.OK, self.ctype, body)
        self._send(body, last=True)
        self.conn.send(("end",))
        return None

    def fail(self, reply: Reply) -> Reply | None:
        """`reply` (an error) when nothing was sent yet; else None, once the stream is cut with its message."""
        if not self.streaming:
            return reply
        self.conn.send(("cut", reply.body.decode("utf-8", "replace").strip()))
        return None


def _evaluate(store: Any, request: dict[str, Any], conn: Connection) -> Reply | None:
    """Check the request (`kg.query.guard.check_query`: here, in the worker, so that the parse counts
    against the time limit) and run it: the answer as a Reply, or None when it was streamed."""
    import pyoxigraph

    try:
        shape = check_query(request["query"], federation=request["federation"])
    except QueryRefused as exc:
        return _text(HTTPStatus.FORBIDDEN, str(exc))
    except QueryError as exc:
        return _text(HTTPStatus.BAD_REQUEST, str(exc))
    kwargs: dict[str, Any] = {}
    if request["default_graphs"]:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in request["default_graphs"]]
    elif not shape.has_dataset:  # the union of all graphs, unless the query names its own (FROM)
        kwargs["use_default_graph_as_union"] = True
    if request["named_graphs"]:
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request["named_graphs"]]
    sink: _Sink | None = None
    limit = request.get("max_result", 0)
    try:
        result = store.query(shape.text, **kwargs)
        if isinstance(result, pyoxigraph.QueryTriples):
            mime = request["graph_type"]
            sink = _Sink(conn, _content_type(mime), limit, None)
            result.serialize(cast(IO[bytes], sink), format=pyoxigraph.RdfFormat.from_media_type(mime))
        else:
            mime = request["result_type"]
            star = _star_order(shape, result)
            sink = _Sink(conn, _content_type(mime), limit, _Columns(mime, *star) if star else None)
            result.serialize(cast(IO[bytes], sink), format=pyoxigraph.QueryResultsFormat.from_media_type(mime))
        return sink.finish()
    except SyntaxError as exc:
        return _text(HTTPStatus.BAD_REQUEST, f"malformed SPARQL query: {exc}")
    except _TooLarge:
        assert sink is not None
        return sink.fail(_text(HTTPStatus.INTERNAL_SERVER_ERROR,
                               f"the result is larger than the {limit >> 20} MiB an answer may have (--max-result); "
                               "add a LIMIT or ask for less"))
    except (OSError, ValueError, TypeError) as exc:  # raised while evaluating, as the results are written
        reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the SPARQL query failed: {exc}")
        return sink.fail(reply) if sink is not None else reply


def _content_type(mime: str) -> str:
    return mime + ("; charset=utf-8" if mime in TEXT_TYPES else "")


def _star_order(shape: QueryShape, result: Any) -> tuple[list[str], list[str]] | None:
    """For `SELECT *`: (the columns as Oxigraph gives them, sorted by name; the columns in the order
    the query first names the variables), when the two differ."""
    import pyoxigraph

    if not isinstance(result, pyoxigraph.QuerySolutions):
        return None
    names = [v.value for v in result.variables]
    ordered = shape.star_order(names)
    return (names, ordered) if ordered else None


class _Columns:
    """Serialised SELECT results with their columns put in `ordered` order (the rows are unchanged),
    piece by piece as the engine writes them: JSON and XML name the columns once, in the head (in
    the first piece); CSV and TSV rows are reordered as each one is complete."""

    def __init__(self, mime: str, names: list[str], ordered: list[str]) -> None:
        self.mime, self.names, self.ordered = mime, names, ordered
        self.where = [names.index(v) for v in ordered]
        self.first = True
        self.tail = b""  # CSV/TSV: the start of a row whose end has not come yet

    def feed(self, data: bytes) -> bytes:
        first, self.first = self.first, False
        if self.mime == "application/sparql-results+json":
            return self._json_head(data) if first else data
        if self.mime == "application/sparql-results+xml":
            return self._xml_head(data) if first else data
        data = self.tail + data
        cut = self._row_end(data)
        done, self.tail = data[:cut], data[cut:]
        return self._rows(done)

    def end(self) -> bytes:
        rest, self.tail = self.tail, b""
        return self._rows(rest) if self.mime in ("text/csv", "text/tab-separated-values") else b""

    def _json_head(self, body: bytes) -> bytes:
        def head(vs: list[str]) -> bytes:
            return ('{"head":{"vars":' + json.dumps(vs, ensure_ascii=False, separators=(",", ":")) + "}").encode()
        old = head(self.names)
        return head(self.ordered) + body[len(old):] if body.startswith(old) else body

    def _xml_head(self, body: bytes) -> bytes:
        def head(vs: list[str]) -> bytes:
            return ("<head>" + "".join(f'<variable name="{v}"/>' for v in vs) + "</head>").encode()
        return body.replace(head(self.names), head(self.ordered), 1)

    def _row_end(self, data: bytes) -> int:
        """Where the complete rows of `data` end (TSV: at the last line end; CSV: at the last CRLF
        outside a quoted field, which may hold line ends)."""
        if self.mime != "text/csv":
            return data.rfind(b"\n") + 1
        cut = pos = 0
        quoted = False  # inside a quoted field: an odd number of quotes since the last row end
        for line in data.split(b"\r\n")[:-1]:
            pos += len(line) + 2
            quoted ^= line.count(b'"') % 2 == 1
            if not quoted:
                cut = pos
        return cut

    def _rows(self, done: bytes) -> bytes:
        if not done:
            return b""
        text = done.decode("utf-8")
        if self.mime == "text/csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            for row in csv_rows(io.StringIO(text, newline="")):
                writer.writerow([row[i] for i in self.where] if len(row) == len(self.names) else row)
            return out.getvalue().encode("utf-8")
        lines = text.split("\n")  # TSV: tabs and newlines inside values are escaped
        return "\n".join("\t".join(c[i] for i in self.where) if len(c := ln.split("\t")) == len(self.names) else ln
                         for ln in lines).encode("utf-8")


def _reorder_columns(body: bytes, mime: str, names: list[str], ordered: list[str]) -> bytes:
    """A whole serialised SELECT result with its columns put in `ordered` order."""
    columns = _Columns(mime, names, ordered)
    return columns.feed(body) + columns.end()


def _limit_memory(mib: int) -> None:
    """Cap this process's address space, so that one query (an ORDER BY over a cartesian product)
    cannot take the machine's memory: past the cap the worker fails, and only that query with it.
    The cap is `mib` beyond what the process maps now, with the store open: the engine reserves
    half a GiB of address space at opening, more with more cores, and a cap below that made the
    store's own threads fail to start. Only the soft limit is set, so that `_lift_memory_cap` can
    take it off while a rebuilt store is opened (the engine maps its half GiB again)."""
    if mib <= 0:
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        limit = mapped + (mib << 20)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ImportError, ValueError, OSError):  # no such limit on this system
        pass


def _lift_memory_cap() -> None:
    """Raise the soft address-space limit back to the hard one (see `_limit_memory`)."""
    try:
        import resource

        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass


def _work(conn: Connection, store_path: str, max_memory: int = 0, *, federation: bool = False) -> None:
    """A worker: answers one request at a time from the store, and moves to a newer build when a
    rebuild has published one (at the next request, or when idle). Without `federation` it first
    gives up the network (`kg.query.sandbox`), before it starts any thread. The engine runs on a thread
    with a deep stack (`kg.graph.store.on_deep_stack`): a query of long chains cannot overflow it."""
    if not federation:
        deny_network()
    check_query("ASK { ?s ?p ?o }")  # the query check's parser, loaded and run once before the cap is set
    on_deep_stack(lambda: _answer_requests(conn, store_path, max_memory))


def _answer_requests(conn: Connection, store_path: str, max_memory: int) -> None:
    served = _Served(store_path, max_memory)
    try:
        served.open()  # and caps the memory from there
    except KGError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send("ready")
    while True:
        try:
            if not conn.poll(IDLE_CHECK):
                if served.moved():
                    try:
                        served.open()
                    except Exception:  # noqa: BLE001 - the next request reopens and reports it
                        pass
                continue
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            if served.moved() or served.store is None:
                served.open()
            reply = _evaluate(served.store, request, conn)
        except KGError as exc:
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
        except OSError as exc:
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"{store_path}: cannot read the store ({exc})")
        except MemoryError:
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, "the query needed more memory than a worker may use")
        except Exception as exc:  # noqa: BLE001 - the worker must answer, whatever the engine raised
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the SPARQL query failed: {exc}")
        try:
            if reply is not None:
                conn.send(reply)
        except (OSError, ValueError):  # the server went away
            return


def _worker_main() -> None:
    """Entry point of a worker process: `python -c ... FD STORE MAX_MEMORY FEDERATION` (see `_Worker`)."""
    _work(Connection(int(sys.argv[1])), sys.argv[2], int(sys.argv[3]), federation=sys.argv[4] == "1")


class _Worker:
    """A query process, started afresh (no fork of a threaded server, and unlike multiprocessing's
    spawn it does not re-run the caller's __main__), talking over a socket pair."""

    def __init__(self, store: Path, max_memory: int, federation: bool = False) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from kg.query.serve import _worker_main; _worker_main()", str(theirs.fileno()),
                 str(store), str(max_memory), "1" if federation else "0"],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        self.conn = Connection(ours.detach())
        self.ready = False

    def await_ready(self, deadline: float) -> bool:
        """Wait for the worker's "ready" (its store is open); False if it did not come by `deadline`.
        KGError with the worker's message when it could not open the store; EOFError when it died."""
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            return False
        message = self.conn.recv()
        if isinstance(message, tuple) and message[0] == "failed":
            raise KGError(message[1])
        self.ready = True
        return True

    def alive(self) -> bool:
        return self.proc.poll() is None

    def death(self, max_memory: int) -> str:
        """Why the worker stopped, for the client whose query it was running."""
        try:
            code = self.proc.wait(2)
        except subprocess.TimeoutExpired:
            code = None
        if code == -signal.SIGKILL:
            return ("the query worker was killed (SIGKILL: by hand, or by the system when memory ran short); "
                    "a fresh worker takes its place: send the query again")
        memory = f"more than the {max_memory} MiB a worker may use" if max_memory else "more memory than there is"
        how = f" (signal {-code})" if code is not None and code < 0 else f" (exit status {code})" if code else ""
        return f"the query worker stopped{how}: the query needed {memory}, or the store is unreadable"

    def kill(self) -> None:
        self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass  # reaped by the system when this process ends
        self.conn.close()


class Responder(Protocol):
    """Where `QueryPool.run` sends an answer: whole (`reply`), or streamed (`start`, `chunk`...,
    then `end`, or `cut` with a message when it fails on the way)."""

    def reply(self, reply: Reply) -> None: ...

    def start(self, ctype: str) -> None: ...

    def chunk(self, data: bytes) -> None:
        """Send a piece on; OSError when the client went away."""

    def end(self) -> None: ...

    def cut(self, message: str) -> None: ...


class _Whole:
    """A Responder that keeps the answer whole (`QueryPool.run` without a responder)."""

    def __init__(self) -> None:
        self.result = Reply(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", b"no answer\n")
        self.ctype = ""
        self.parts: list[bytes] = []

    def reply(self, reply: Reply) -> None:
        self.result = reply

    def start(self, ctype: str) -> None:
        self.ctype = ctype

    def chunk(self, data: bytes) -> None:
        self.parts.append(data)

    def end(self) -> None:
        self.result = Reply(HTTPStatus.OK, self.ctype, b"".join(self.parts))

    def cut(self, message: str) -> None:
        self.result = _text(HTTPStatus.INTERNAL_SERVER_ERROR, message)


class QueryPool:
    """Worker processes over one store; `run` answers a request within the time limit or cancels it.
    A worker that dies (killed, out of memory) is replaced at once; one found dead while idle is
    replaced before it is given a query."""

    def __init__(self, store: Path, options: ServeOptions) -> None:
        self.store = store
        self.options = options
        self._slots = threading.BoundedSemaphore(options.worker_count())
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()  # guards _all only, never held while a query runs
        self._closed = False
        first = self._spawn()
        try:
            started = first.await_ready(time.monotonic() + 60)
        except EOFError:
            started = False
        except KGError:
            self.close()
            raise
        if not started:
            self.close()
            raise KGError(f"{store}: cannot open the graph store read-only (damaged or not a store?); "
                          "rebuild it with `kg build`")
        self._idle.put(first)
        for _ in range(options.worker_count() - 1):
            self._idle.put(self._spawn())  # they get ready in the background

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store, self.options.max_memory, self.options.federation)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill `worker` and put a fresh one in its place (it gets ready in the background)."""
        with self._lock:
            self._all.discard(worker)
            closed = self._closed
        worker.kill()
        if not closed:
            self._idle.put(self._spawn())

    def _take(self) -> _Worker:
        """An idle worker that is still alive (a dead one is replaced)."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return self._spawn()
            if worker.alive():
                return worker
            self._retire(worker)

    def run(self, request: dict[str, Any], out: Responder | None = None) -> Reply | None:
        """Answer `request` to `out` as the answer comes; without `out`, return it whole."""
        if out is None:
            whole = _Whole()
            self.run(request, whole)
            return whole.result
        timeout = self.options.timeout
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            out.reply(_text(HTTPStatus.SERVICE_UNAVAILABLE,
                            f"every query worker stayed busy for {timeout:g} s; try again later"))
            return None
        try:
            self._run(self._take(), request, out, deadline)
        finally:
            self._slots.release()
        return None

    def _run(self, worker: _Worker, request: dict[str, Any], out: Responder, deadline: float) -> None:
        streaming = False

        def fail(status: HTTPStatus, message: str) -> None:
            if streaming:
                out.cut(message)
            else:
                out.reply(_text(status, message))

        try:
            if not worker.ready and not worker.await_ready(deadline):
                self._retire(worker)
                out.reply(_text(HTTPStatus.SERVICE_UNAVAILABLE, "a query worker did not start in time"))
                return
            worker.conn.send({**request, "max_result": self.options.max_result << 20})
            while True:
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._retire(worker)
                    fail(HTTPStatus.SERVICE_UNAVAILABLE,
                         f"the query ran past the {self.options.timeout:g} s limit and was cancelled")
                    return
                message = worker.conn.recv()
                if isinstance(message, Reply):
                    out.reply(message)
                    break
                if message[0] == "head":
                    streaming = True
                    out.start(message[1])
                elif message[0] == "data":
                    try:
                        out.chunk(message[1])
                    except OSError:  # the client went away: the worker is stopped mid-result
                        self._retire(worker)
                        return
                else:
                    out.end() if message[0] == "end" else out.cut(message[1])
                    break
        except KGError as exc:  # the worker could not open the store
            self._retire(worker)
            fail(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
            return
        except (EOFError, OSError):
            why = worker.death(self.options.max_memory)
            self._retire(worker)
            fail(HTTPStatus.INTERNAL_SERVER_ERROR, why)
            return
        self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()


# ---------------------------------------------------------------- HTTP

def _choose(accept: str, offered: tuple[str, ...]) -> str:
    """The offered media type the Accept header ranks first (q-values honoured), else the default."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mime = ALIASES.get(fields[0].lower(), fields[0].lower())
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if mime in offered and q > 0:
            ranked.append((-q, i, mime))
    return min(ranked)[2] if ranked else offered[0]


#: Bytes a request's line and headers may have (the standard library's reader allows a line of 64 KiB).
MAX_HEAD = 72 * 1024


def _request_size(data: bytes | bytearray, max_body: int) -> int | None:
    """How many bytes of `data` make a whole request (the head, and the body its Content-Length
    announces when the server will read it), or None while more must come."""
    ends = [(i, n) for i, n in ((data.find(b"\r\n\r\n"), 4), (data.find(b"\n\n"), 2)) if i >= 0]
    if not ends:
        return None
    at, sep = min(ends)
    head_end = at + sep
    length = 0
    for line in bytes(data[:at]).decode("latin-1").split("\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            try:
                length = int(value.strip())
            except ValueError:
                length = 0  # the handler answers 400
    if not 0 <= length <= max_body:
        length = 0  # the handler answers 413 (or 400) without reading the body
    return head_end + length if len(data) >= head_end + length else None


def _status_reply(status: HTTPStatus, message: str) -> bytes:
    body = (message + "\n").encode()
    return (f"HTTP/1.0 {status.value} {status.phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


@dataclass
class _Arriving:
    """A request the gate is reading: who sent it, since when, what has come of it."""
    address: Any
    since: float
    data: bytearray


class SparqlServer(ThreadingHTTPServer):
    """The HTTP side. The gate (one thread, a selector) reads every request whole before any thread
    sees it: a connection that is silent or trickles costs a buffer, never a thread, and is answered
    408 and closed when its request has not come whole within `socket_timeout` seconds of its
    connection. Whole requests are handled by at most `max_connections` threads; queries run in
    the pool."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Path, options: ServeOptions) -> None:
        self.request_queue_size = options.backlog
        self.options = options
        self._arrivals: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._closing = threading.Event()
        self._busy = 0  # threads handling requests
        self._ready: collections.deque[tuple[Any, Any, bytes]] = collections.deque()  # whole, waiting for one
        self._busy_lock = threading.Lock()
        self._max_arriving = max(64, _raise_file_limit() // 2)
        super().__init__(address, _Handler)  # type: ignore[arg-type] # made by _handle_all, with the request read
        try:
            self.pool = QueryPool(store, options)
        except BaseException:
            self.server_close()
            raise
        self._gate = threading.Thread(target=self._watch, daemon=True, name="kg-serve-gate")
        self._gate.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        self._arrivals.put((request, client_address))  # to the gate, which reads the request
        self._wake_w.send(b"\0")

    def _watch(self) -> None:
        """The gate: reads each request whole, without blocking, then hands it to a thread."""
        arriving: dict[Any, _Arriving] = {}  # in the order of connection: the oldest first
        limit = self.options.socket_timeout
        with selectors.DefaultSelector() as selector:
            def drop(sock: Any, status: HTTPStatus | None = None, message: str = "") -> None:
                del arriving[sock]
                selector.unregister(sock)
                if status is not None:
                    try:
                        sock.send(_status_reply(status, message))  # a client that does not read loses it
                    except OSError:
                        pass
                self.shutdown_request(sock)

            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._closing.is_set():
                ready = selector.select(timeout=0.25)
                now = time.monotonic()
                for key, _ in ready:
                    sock: Any = key.fileobj
                    if sock is self._wake_r:
                        self._wake_r.recv(4096)
                        while not self._arrivals.empty():
                            request, address = self._arrivals.get()
                            request.setblocking(False)
                            arriving[request] = _Arriving(address, now, bytearray())
                            selector.register(request, selectors.EVENT_READ)
                            if len(arriving) > self._max_arriving:  # the oldest gives way
                                drop(next(iter(arriving)), HTTPStatus.SERVICE_UNAVAILABLE,
                                     "too many connections are sending requests at once; try again")
                        continue
                    entry = arriving.get(sock)
                    if entry is None:
                        continue
                    try:
                        data = sock.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    if not data:  # the client went away
                        drop(sock)
                        continue
                    entry.data += data
                    size = _request_size(entry.data, self.options.max_body)
                    if size is None and len(entry.data) > MAX_HEAD and b"\n\n" not in entry.data \
                            and b"\r\n\r\n" not in entry.data:
                        drop(sock, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                             f"the request line and headers are over {MAX_HEAD} bytes")
                    elif size is not None:
                        del arriving[sock]
                        selector.unregister(sock)
                        self._dispatch(sock, entry.address, bytes(entry.data[:size]))
                for sock, entry in list(arriving.items()):
                    if now - entry.since <= limit:
                        break  # the rest came later
                    drop(sock, HTTPStatus.REQUEST_TIMEOUT, f"the request did not arrive whole within {limit:g} s")
            for sock in list(arriving):
                self.shutdown_request(sock)

    def _dispatch(self, sock: Any, address: Any, data: bytes) -> None:
        """Give a whole request to a thread: a new one, or, at `max_connections`, the next that is free."""
        with self._busy_lock:
            if self._busy >= self.options.max_connections:
                self._ready.append((sock, address, data))
                return
            self._busy += 1
        threading.Thread(target=self._handle_all, args=((sock, address, data),), daemon=True).start()

    def _handle_all(self, item: tuple[Any, Any, bytes] | None) -> None:
        while item is not None:
            sock, address, data = item
            try:
                sock.setblocking(True)
                sock.settimeout(self.options.socket_timeout)  # a client that does not read the answer is dropped
                _Handler(sock, address, self, data)
            except Exception:  # noqa: BLE001 - as socketserver does: reported, and the server goes on
                self.handle_error(sock, address)
            finally:
                self.shutdown_request(sock)
            with self._busy_lock:
                if self._ready:
                    item = self._ready.popleft()
                else:
                    self._busy -= 1
                    item = None

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()
        if hasattr(self, "_gate"):
            self._wake_w.send(b"\0")
            self._gate.join(5)
        self._wake_r.close()
        self._wake_w.close()
        with self._busy_lock:
            waiting, self._ready = list(self._ready), collections.deque()
        for sock, _, _ in waiting:
            self.shutdown_request(sock)
        if hasattr(self, "pool"):
            self.pool.close()


def _raise_file_limit() -> int:
    """Raise this process's limit of open files to its hard limit (each waiting client holds one);
    the limit now in force."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            soft = want
        return int(soft) if soft != resource.RLIM_INFINITY else 65536
    except (ImportError, ValueError, OSError):
        return 1024


class _SocketWriter(io.BufferedIOBase):
    """The handler's output: every write sent whole (`sendall`), under the socket's timeout."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._sock.sendall(data)
        return len(memoryview(data))


class _Handler(BaseHTTPRequestHandler):
    """One request, read whole by the gate (`data`), answered over its socket."""

    server: SparqlServer
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive holds a thread

    def __init__(self, request: Any, client_address: Any, server: SparqlServer, data: bytes) -> None:
        self._data = data
        self._chunked = False
        super().__init__(request, client_address, server)

    def setup(self) -> None:
        self.connection = self.request
        self.rfile = io.BytesIO(self._data)
        self.wfile = _SocketWriter(self.connection)

    def finish(self) -> None:
        pass  # the server closes the socket

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet; every error reaches the client with a message

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, POST, OPTIONS")
        if self._cors_origin():
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self._cors_headers()
        self.end_headers()

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != "/sparql":
            self._send(_text(HTTPStatus.NOT_FOUND, "only /sparql is served"))
            return
        self._answer(parse_qs(url.query))

    def do_POST(self) -> None:
        url = urlparse(self.path)
        if url.path != "/sparql":
            self._send(_text(HTTPStatus.NOT_FOUND, "only /sparql is served"))
            return
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            self._send(_text(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header"))
            return
        try:
            length = int(raw_length)
            if length < 0:
                raise ValueError
        except ValueError:
            self._send(_text(HTTPStatus.BAD_REQUEST, f"bad Content-Length: {raw_length!r}"))
            return
        if length > self.server.options.max_body:
            self._send(_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                             f"the request body has {length} bytes; the limit is {self.server.options.max_body}"))
            return
        try:
            body = self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError:
            self._send(_text(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8"))
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query)
        if kind == "application/sparql-query":
            params["query"] = [body]
            self._answer(params)
        elif kind == "application/x-www-form-urlencoded":
            params.update(parse_qs(body))
            self._answer(params)
        elif kind == "application/sparql-update" or "update" in parse_qs(body):
            self._send(_text(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this graph is served read-only"))
        else:
            self._send(_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                             "POST application/sparql-query, or a form with query="))

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._send(_text(HTTPStatus.FORBIDDEN, "SPARQL updates are refused: this graph is served read-only"))
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(_text(HTTPStatus.BAD_REQUEST, "give exactly one query parameter"))
            return
        accept = self.headers.get("Accept") or ""
        request = {"query": queries[0], "federation": self.server.options.federation,
                   "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", []),
                   "result_type": _choose(accept, RESULT_TYPES), "graph_type": _choose(accept, GRAPH_TYPES)}
        self.server.pool.run(request, self)

    # the answer, as `QueryPool.run` hands it over (`Responder`)
    def reply(self, reply: Reply) -> None:
        self._send(reply)

    def start(self, ctype: str) -> None:
        """Headers of an answer streamed as it is made: chunked to an HTTP/1.1 client (so a cut is
        seen as an incomplete answer), else ended by closing the connection."""
        self._chunked = self.request_version == "HTTP/1.1"
        if self._chunked:
            self.protocol_version = "HTTP/1.1"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        if self._chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self._cors_headers()
        self.end_headers()

    def chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if self._chunked else data)

    def end(self) -> None:
        if self._chunked:
            try:
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass

    def cut(self, message: str) -> None:
        """End a streamed answer that failed: its message as the last text, and no proper end (no
        last chunk; over HTTP/1.0 the connection is reset), so that a client reports an error."""
        try:
            self.chunk(f"\n\nkg serve: the answer is cut short: {message}\n".encode())
            if not self._chunked:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def _cors_origin(self) -> str | None:
        return self.server.options.cors

    def _cors_headers(self) -> None:
        origin = self._cors_origin()
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.ctype)
            self.send_header("Content-Length", str(len(reply.body)))
            self._cors_headers()
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass  # the client went away


def _check_options(options: ServeOptions) -> None:
    """Refuse, in one line, limits that mean nothing (the CLI's own checks stop them first)."""
    wrong = [f"{name} {value:g}: {must}" for name, value, ok, must in (
        ("--timeout", options.timeout, 0 < options.timeout < math.inf, "give a number of seconds above 0"),
        ("--socket-timeout", options.socket_timeout, 0 < options.socket_timeout < math.inf,
         "give a number of seconds above 0"),
        ("--workers", options.workers, options.workers >= 0, "give 0 (one per CPU) or more"),
        ("--max-body", options.max_body, options.max_body > 0, "give a number of bytes above 0"),
        ("--max-memory", options.max_memory, options.max_memory >= 0, "give 0 (no limit) or a number of MiB"),
        ("--max-result", options.max_result, options.max_result >= 0, "give 0 (no limit) or a number of MiB"),
        ("--max-connections", options.max_connections, options.max_connections > 0, "give 1 or more"),
    ) if not ok]
    if wrong:
        raise KGError("; ".join(wrong))


def make_server(store: Path, host: str = "127.0.0.1", port: int = 7878, *,
                options: ServeOptions | None = None) -> SparqlServer:
    """A server on `host:port` (port 0 picks a free one) over the store at `store`.

    >>> server = make_server(Path("output/store"), port=0)  # doctest: +SKIP
    >>> server.serve_forever()  # doctest: +SKIP
    """
    options = options or ServeOptions()
    if not 0 <= port <= 65535:
        raise KGError(f"--port {port}: a port is a number from 0 to 65535")
    _check_options(options)
    if not store.is_dir():
        if store.is_symlink() or (store.name == STORE_DIR and current_build(store.parent) is not None):
            raise KGError(f"{store}: the store of the current build is missing (damaged); rebuild it with "
                          "`kg build` and the same --out")
        raise KGError(f"{store}: no graph store here; run `kg build` first")
    try:
        return SparqlServer((host, port), store, options)
    except OSError as exc:
        raise KGError(f"{host}:{port}: cannot listen ({exc.strerror or exc})") from None
