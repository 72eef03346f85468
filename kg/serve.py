"""A read-only SPARQL 1.1 Protocol endpoint over a built store, for tools that speak SPARQL
(YASGUI, SPARQLWrapper, a notebook): GET or POST `/sparql` with `query=...`."""
from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from rdflib import Dataset

from kg.errors import QueryError
from kg.graph import open_store
from kg.query import run_query

#: Accept header -> (rdflib result format, content type) for SELECT and ASK results.
RESULT_TYPES = {
    "application/sparql-results+json": ("json", "application/sparql-results+json"),
    "application/json": ("json", "application/sparql-results+json"),
    "application/sparql-results+xml": ("xml", "application/sparql-results+xml"),
    "text/csv": ("csv", "text/csv; charset=utf-8"),
    "text/tab-separated-values": ("tsv", "text/tab-separated-values; charset=utf-8"),
}
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


class SparqlServer(ThreadingHTTPServer):
    """HTTP server holding one open store; queries are serialised by a lock (the store is shared)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], dataset: Dataset) -> None:
        super().__init__(address, _Handler)
        self.dataset = dataset
        self.lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass  # quiet by default; errors still reach the client

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"only /sparql is served\n")
            return
        self._answer(parse_qs(url.query).get("query", [""])[0])

    def do_POST(self) -> None:
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if url.path != "/sparql":
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"only /sparql is served\n")
        elif kind == "application/sparql-query":
            self._answer(body)
        elif kind == "application/x-www-form-urlencoded":
            self._answer(parse_qs(body).get("query", [""])[0])
        else:
            self._send(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "text/plain",
                       b"POST application/sparql-query or a form with query=\n")

    def _answer(self, query: str) -> None:
        if not query.strip():
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", b"missing query parameter\n")
            return
        try:
            with self.server.lock:
                result = run_query(self.server.dataset, query)
                accept = [a.split(";")[0].strip() for a in (self.headers.get("Accept") or "").split(",")]
                if result.type in ("CONSTRUCT", "DESCRIBE"):
                    mime = next((a for a in accept if a in GRAPH_TYPES), "text/turtle")
                    body = result.serialize(format=GRAPH_TYPES[mime]) or b""
                    ctype = mime
                else:
                    fmt, ctype = next((RESULT_TYPES[a] for a in accept if a in RESULT_TYPES),
                                      RESULT_TYPES["application/sparql-results+json"])
                    body = result.serialize(format=fmt) or b""
        except QueryError as exc:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain", f"{exc}\n".encode())
            return
        self._send(HTTPStatus.OK, ctype, body if isinstance(body, bytes) else body.encode())

    def _send(self, status: HTTPStatus, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)


def make_server(store: Path, host: str = "127.0.0.1", port: int = 7878) -> SparqlServer:
    """A server on `host:port` (port 0 picks a free one) over the store at `store`."""
    return SparqlServer((host, port), open_store(store))
