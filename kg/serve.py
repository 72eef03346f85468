"""A read-only SPARQL 1.1 Protocol endpoint over a built store, for tools that speak SPARQL
(YASGUI, SPARQLWrapper, a notebook): GET or POST `/sparql` with `query=...`.

Safe by default:

- queries only: updates and `LOAD` are refused, and so is `SERVICE` (it would make this machine
  send requests to any address a client names) unless the server runs with `federation=True`.
  The worker decides on the parsed query (`kg.sparql.check_query`), so a slow parse is cut off by
  the time limit like a slow query;
- no `Access-Control-Allow-Origin` header unless an origin is given (`cors=`): a web page open in
  the user's browser cannot read answers from this server otherwise;
- every query runs in a worker process with a time limit: past it the worker is killed (the
  query is cancelled, not just abandoned), the client gets a 503 with a message, and a fresh
  worker takes its place. Workers run queries in parallel; the HTTP side holds no global lock;
- bounded: a memory cap per worker, a request body limit, socket timeouts, connections that hold
  no thread until their client has spoken, a cap on requests read at once, a listen backlog that
  holds bursts;
- without federation, each worker gives up the network when it starts (`kg.sandbox`, Linux): a
  query the check misreads still cannot make it connect anywhere;
- each worker opens the store read-only (`pyoxigraph.Store.read_only`) and holds the build it
  belongs to for reading (`kg.publish.read_build`), so a rebuild never deletes the files it answers
  from; when a rebuild has published a newer build, the worker opens that one and lets the old one
  go (at its next query, or within `IDLE_CHECK` seconds when idle), so answers always come from the
  current build and the next build can remove the old one.
"""
from __future__ import annotations

import csv
import gc
import io
import json
import os
import queue
import selectors
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.errors import KGError, QueryError
from kg.publish import STORE_DIR, BuildReader, current_build, read_build
from kg.sparql import QueryRefused, QueryShape, check_query

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
    (`kg.publish.BuildReader`) until the worker moves to a newer build or ends."""

    def __init__(self, path: str, max_memory: int = 0) -> None:
        self.path = path
        self.max_memory = max_memory  # MiB a query may use beyond the opened store (`_limit_memory`)
        self.store: Any = None
        self.reader: BuildReader | None = None
        self.ident: tuple[str, int, int] | None = None

    def open(self) -> None:
        """Open the current store, then let the one opened before go."""
        import pyoxigraph

        self.store = None  # the old engine's address space is freed first
        gc.collect()  # and not kept by a reference cycle (a traceback that saw it) until a later pass
        if self.max_memory > 0:
            _lift_memory_cap()  # opening maps the engine's half GiB again, and starts its threads
        for attempt in range(20):  # a rebuild swaps the store by renames: it can be absent for an instant
            reader = None
            try:
                reader, store = _hold(Path(self.path))
                ident = _store_identity(str(store))
                opened = pyoxigraph.Store.read_only(str(store))
            except (OSError, KGError):
                if reader is not None:
                    reader.close()
                if attempt == 19:
                    raise
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


def _evaluate(store: Any, request: dict[str, Any]) -> Reply:
    """Check the request (`kg.sparql.check_query`: here, in the worker, so that the parse counts
    against the time limit) and run it."""
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
    try:
        result = store.query(shape.text, **kwargs)
        star = _star_order(shape, result)
        if isinstance(result, pyoxigraph.QueryTriples):
            mime = request["graph_type"]
            body = result.serialize(format=pyoxigraph.RdfFormat.from_media_type(mime))
        else:
            mime = request["result_type"]
            body = result.serialize(format=pyoxigraph.QueryResultsFormat.from_media_type(mime))
            if star and body:
                body = _reorder_columns(body, mime, *star)
    except SyntaxError as exc:
        return _text(HTTPStatus.BAD_REQUEST, f"malformed SPARQL query: {exc}")
    except (OSError, ValueError, TypeError) as exc:  # raised while evaluating, as the results are written
        return _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the SPARQL query failed: {exc}")
    ctype = mime + ("; charset=utf-8" if mime in TEXT_TYPES else "")
    return Reply(HTTPStatus.OK, ctype, body or b"")


def _star_order(shape: QueryShape, result: Any) -> tuple[list[str], list[str]] | None:
    """For `SELECT *`: (the columns as Oxigraph gives them, sorted by name; the columns in the order
    the query first names the variables), when the two differ."""
    import pyoxigraph

    if not isinstance(result, pyoxigraph.QuerySolutions) or not shape.star:
        return None
    names = [v.value for v in result.variables]
    ordered = shape.in_order(names)
    return (names, ordered) if ordered != names else None


def _reorder_columns(body: bytes, mime: str, names: list[str], ordered: list[str]) -> bytes:
    """Serialised SELECT results with their columns put in `ordered` order (the rows are unchanged)."""
    if mime == "application/sparql-results+json":
        def head(vs: list[str]) -> bytes:
            return ('{"head":{"vars":' + json.dumps(vs, ensure_ascii=False, separators=(",", ":")) + "}").encode()
        return head(ordered) + body[len(head(names)):] if body.startswith(head(names)) else body
    if mime == "application/sparql-results+xml":
        def xml_head(vs: list[str]) -> bytes:
            return ("<head>" + "".join(f'<variable name="{v}"/>' for v in vs) + "</head>").encode()
        return body.replace(xml_head(names), xml_head(ordered), 1)
    where = [names.index(v) for v in ordered]
    text = body.decode("utf-8")
    if mime == "text/csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in csv.reader(io.StringIO(text, newline="")):
            writer.writerow([row[i] for i in where] if len(row) == len(names) else row)
        return out.getvalue().encode("utf-8")
    lines = text.split("\n")  # TSV: tabs and newlines inside values are escaped
    return "\n".join("\t".join(c[i] for i in where) if len(c := ln.split("\t")) == len(names) else ln
                     for ln in lines).encode("utf-8")


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
    gives up the network (`kg.sandbox`), before it starts any thread."""
    if not federation:
        from kg.sandbox import deny_network

        deny_network()
    check_query("ASK { ?s ?p ?o }")  # the query check's parser, loaded and run once before the cap is set
    served = _Served(store_path, max_memory)
    served.open()  # and caps the memory from there
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
            reply = _evaluate(served.store, request)
        except OSError as exc:
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"{store_path}: cannot read the store ({exc})")
        except MemoryError:
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, "the query needed more memory than a worker may use")
        except Exception as exc:  # noqa: BLE001 - the worker must answer, whatever the engine raised
            reply = _text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the SPARQL query failed: {exc}")
        conn.send(reply)


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
                [sys.executable, "-c", "from kg.serve import _worker_main; _worker_main()", str(theirs.fileno()),
                 str(store), str(max_memory), "1" if federation else "0"],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        self.conn = Connection(ours.detach())
        self.ready = False

    def await_ready(self, deadline: float) -> bool:
        """Wait for the worker's "ready" (its store is open); False if it did not come by `deadline`."""
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            return False
        self.conn.recv()  # EOFError when the worker died opening the store
        self.ready = True
        return True

    def kill(self) -> None:
        self.proc.kill()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass  # reaped by the system when this process ends
        self.conn.close()


class QueryPool:
    """Worker processes over one store; `run` answers a request within the time limit or cancels it."""

    def __init__(self, store: Path, options: ServeOptions) -> None:
        self.store = store
        self.options = options
        self._slots = threading.BoundedSemaphore(options.worker_count())
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()  # guards _all only, never held while a query runs
        first = self._spawn()
        try:
            started = first.await_ready(time.monotonic() + 60)
        except EOFError:
            started = False
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
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def run(self, request: dict[str, Any]) -> Reply:
        timeout = self.options.timeout
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            return _text(HTTPStatus.SERVICE_UNAVAILABLE,
                         f"every query worker stayed busy for {timeout:g} s; try again later")
        try:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = self._spawn()
            try:
                if not worker.ready and not worker.await_ready(deadline):
                    self._retire(worker)
                    return _text(HTTPStatus.SERVICE_UNAVAILABLE, "a query worker did not start in time")
                worker.conn.send(request)
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._retire(worker)
                    return _text(HTTPStatus.SERVICE_UNAVAILABLE,
                                 f"the query ran past the {timeout:g} s limit and was cancelled")
                answer: Reply = worker.conn.recv()
            except (EOFError, OSError):
                self._retire(worker)
                limit = self.options.max_memory
                return _text(HTTPStatus.INTERNAL_SERVER_ERROR, "the query worker stopped: the query needed more "
                             + (f"than the {limit} MiB a worker may use" if limit else "memory than there is")
                             + ", or the store is unreadable")
            self._idle.put(worker)
            return answer
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
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


class SparqlServer(ThreadingHTTPServer):
    """The HTTP side. An accepted connection waits, costing no thread, until its client has sent
    something (or is dropped after `socket_timeout`); then it gets a thread of its own, at most
    `max_connections` at once. Queries run in the pool."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Path, options: ServeOptions) -> None:
        self.request_queue_size = options.backlog
        self.options = options
        self._connections = threading.BoundedSemaphore(options.max_connections)
        self._arrivals: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._closing = threading.Event()
        super().__init__(address, _Handler)
        try:
            self.pool = QueryPool(store, options)
        except BaseException:
            self.server_close()
            raise
        self._gate = threading.Thread(target=self._watch, daemon=True, name="kg-serve-gate")
        self._gate.start()

    def process_request(self, request: Any, client_address: Any) -> None:
        self._arrivals.put((request, client_address))  # to the gate: a thread once the client speaks
        self._wake_w.send(b"\0")

    def _watch(self) -> None:
        """The gate: hands each connection to a thread once its request has begun to arrive."""
        waiting: dict[Any, tuple[Any, float]] = {}
        with selectors.DefaultSelector() as selector:
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._closing.is_set():
                ready = selector.select(timeout=0.5)
                now = time.monotonic()
                for key, _ in ready:
                    if key.fileobj is self._wake_r:
                        self._wake_r.recv(4096)
                        while not self._arrivals.empty():
                            request, address = self._arrivals.get()
                            waiting[request] = (address, now)
                            selector.register(request, selectors.EVENT_READ)
                        continue
                    request = key.fileobj
                    address, _ = waiting.pop(request)
                    selector.unregister(request)
                    self._connections.acquire()  # past the cap, the gate waits for a free thread
                    threading.Thread(target=self.process_request_thread, args=(request, address),
                                     daemon=True).start()
                for request, (_, since) in list(waiting.items()):
                    if now - since > self.options.socket_timeout:  # connected, never spoke
                        del waiting[request]
                        selector.unregister(request)
                        self.shutdown_request(request)
            for request in waiting:
                self.shutdown_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()
        if hasattr(self, "_gate"):
            self._wake_w.send(b"\0")
            self._gate.join(5)
        self._wake_r.close()
        self._wake_w.close()
        if hasattr(self, "pool"):
            self.pool.close()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive holds a thread

    def setup(self) -> None:
        self.request.settimeout(self.server.options.socket_timeout)  # a slow or silent client is dropped
        super().setup()

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
        except OSError:
            return  # the client went away or was too slow (socket timeout)
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
        self._send(self.server.pool.run(request))

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


def make_server(store: Path, host: str = "127.0.0.1", port: int = 7878, *,
                options: ServeOptions | None = None) -> SparqlServer:
    """A server on `host:port` (port 0 picks a free one) over the store at `store`.

    >>> server = make_server(Path("output/store"), port=0)  # doctest: +SKIP
    >>> server.serve_forever()  # doctest: +SKIP
    """
    options = options or ServeOptions()
    if not 0 <= port <= 65535:
        raise KGError(f"--port {port}: a port is a number from 0 to 65535")
    if options.timeout <= 0 or options.max_body <= 0 or options.workers < 0:
        raise KGError(f"--timeout {options.timeout:g}, --max-body {options.max_body}, --workers {options.workers}: "
                      "the time limit and the body limit must be positive, the workers 0 (one per CPU) or more")
    if not store.is_dir():
        raise KGError(f"{store}: no graph store here; run `kg build` first")
    try:
        return SparqlServer((host, port), store, options)
    except OSError as exc:
        raise KGError(f"{host}:{port}: cannot listen ({exc.strerror or exc})") from None
