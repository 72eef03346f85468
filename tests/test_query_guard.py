"""SERVICE reaches no network unless asked: legal but tricky queries run for real through `kg query`
(the CLI over a real build) and `kg serve` (a real server, over HTTP), with a canary listening on
loopback that counts every connection made to it. A refused query must leave it untouched; the
same query run by the bare engine (no kg in between) reaches it, which shows that each row is a real
SERVICE and that the canary counts."""
from __future__ import annotations

import platform
import socket
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from kg.cli import main
from kg.errors import QueryRefused
from kg.query.serve import ServeOptions, make_server

#: `{c}` is the canary's SPARQL URL, `{base}` the same without its path. Each row fetches the canary
#: when the bare engine runs it; `kg` must refuse it (SERVICE) and contact nothing.
REACHING = [
    # an escaped quote in a prefixed name, then a quote: the keyword scanner read a string in between
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { BIND(ex:a\\' AS ?x) SERVICE <{c}> { ?s ?p 'o' } }",
                 id="escaped-quote-in-pname"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { OPTIONAL { ?s ex:a\\' ?o } SERVICE <{c}> { ?s ?p 'o' } }",
                 id="escaped-quote-in-pname-optional"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { BIND(ex:a\\' AS ?x) "
                 "{ SELECT * WHERE { SERVICE SILENT <{c}> { ?s ?p 'o' } } } }", id="escaped-quote-in-pname-subquery"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { BIND(ex:it\\'s AS ?x) FILTER EXISTS { SERVICE <{c}> "
                 "{ ?s ?p '?' } } }", id="escaped-quote-in-pname-exists"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { BIND(ex:a\\# AS ?x)\n SERVICE <{c}> { ?s ?p ?o } }",
                 id="escaped-hash-in-pname"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { BIND(ex:a\\.b AS ?x) SERVICE <{c}> { ?s ?p ?o } }",
                 id="escaped-dot-in-pname"),
    pytest.param("SELECT * WHERE { # it's a \"comment\n SERVICE <{c}> { ?s ?p ?o } }", id="quotes-in-a-comment"),
    pytest.param("SELECT * WHERE { BIND(\"a \\\" b\" AS ?q) SERVICE <{c}> { ?s ?p ?o } }",
                 id="escaped-quote-in-string"),
    pytest.param("SELECT * WHERE { BIND('''it's '' ''' AS ?q) SERVICE <{c}> { ?s ?p ?o } }", id="long-string-single"),
    pytest.param('SELECT * WHERE { BIND("""a " "" b""" AS ?q) SERVICE <{c}> { ?s ?p ?o } }', id="long-string-double"),
    pytest.param("SELECT * WHERE { BIND(<urn:a'b> AS ?q) SERVICE <{c}> { ?s ?p ?o } }", id="quote-in-iri"),
    pytest.param("SELECT * WHERE { BIND(<urn:a'b#c> AS ?q)\n SERVICE <{c}> { ?s ?p ?o } }", id="quote-and-hash-in-iri"),
    pytest.param("SELECT * WHERE { { { { SERVICE <{c}> { ?s ?p ?o } } } } }", id="nested-groups"),
    pytest.param("SELECT * WHERE { OPTIONAL { SERVICE <{c}> { ?s ?p ?o } } }", id="optional"),
    pytest.param("SELECT * WHERE { { BIND(1 AS ?x) } UNION { SERVICE <{c}> { ?s ?p ?o } } }", id="union"),
    pytest.param("SELECT * WHERE { BIND(1 AS ?x) MINUS { SERVICE <{c}> { ?s ?p ?o } } }", id="minus"),
    pytest.param("SELECT * WHERE { BIND(1 AS ?x) FILTER EXISTS { SERVICE <{c}> { ?s ?p ?o } } }", id="filter-exists"),
    pytest.param("SELECT * WHERE { BIND(1 AS ?x) FILTER NOT EXISTS { SERVICE <{c}> { ?s ?p ?o } } }",
                 id="filter-not-exists"),
    pytest.param("SELECT * WHERE { BIND(EXISTS { SERVICE <{c}> { ?s ?p ?o } } AS ?x) }", id="bind-exists"),
    pytest.param("SELECT * WHERE { GRAPH ?g { ?a ?b ?c } SERVICE <{c}> { ?s ?p ?o } }", id="beside-graph"),
    pytest.param("SELECT * WHERE { { SELECT * WHERE { SERVICE <{c}> { ?s ?p ?o } } } }", id="subquery"),
    pytest.param("ASK { SERVICE <{c}> { ?s ?p ?o } }", id="ask"),
    pytest.param("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{c}> { ?s ?p ?o } }", id="construct"),
    pytest.param("DESCRIBE ?s WHERE { SERVICE <{c}> { ?s ?p ?o } }", id="describe"),
    pytest.param("select * where { service <{c}> { ?s ?p ?o } }", id="lower-case"),
    pytest.param("SELECT * WHERE { SeRvIcE <{c}> { ?s ?p ?o } }", id="mixed-case"),
    pytest.param("SELECT * WHERE { SERVICE SILENT <{c}> { ?s ?p ?o } }", id="silent"),
    pytest.param("SELECT * WHERE { service silent <{c}> { ?s ?p ?o } }", id="silent-lower-case"),
    pytest.param("SELECT * WHERE { SERVICE<{c}>{?s ?p ?o} }", id="no-spaces"),
    pytest.param("SELECT * WHERE { SERVICE # a comment\n <{c}> { ?s ?p ?o } }", id="comment-inside"),
    pytest.param("PREFIX c: <{base}> SELECT * WHERE { SERVICE c:sparql { ?s ?p ?o } }", id="prefixed-endpoint"),
    pytest.param("BASE <{base}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", id="relative-endpoint"),
]
#: Refused too, though the bare engine would not fetch them (it reads them otherwise, or fails):
#: (query, what the refusal says).
REFUSED_ANYWAY = [
    pytest.param("SELECT * WHERE { VALUES ?e { <{c}> } SERVICE ?e { ?s ?p ?o } }", "SERVICE", id="variable"),
    pytest.param("SELECT * WHERE { SERVICE $e { ?s ?p ?o } } VALUES $e { <{c}> }", "SERVICE", id="dollar-variable"),
    pytest.param("SELECT * WHERE { \\u0053ERVICE <{c}> { ?s ?p ?o } }", "SERVICE", id="codepoint-escaped-keyword"),
    pytest.param("SELECT * WHERE { ?s ?p '\\u0027 . SERVICE <{c}> { ?s ?p ?o } }", "SERVICE",
                 id="codepoint-escaped-quote"),
    # a lone carriage return ends a comment for Oxigraph, not for rdflib: the bare engine fetches this
    pytest.param("SELECT * WHERE { # a comment\rSERVICE <{c}> { ?s ?p ?o } #\n}", "malformed", id="lone-cr"),
    # rdflib's parser cannot read a SERVICE after a '#' on its line: refused as unreadable
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { BIND(ex:a\\# AS ?x) SERVICE <{c}> { ?s ?p ?o } }",
                 "malformed", id="escaped-hash-same-line"),
    pytest.param("PREFIX ex: <urn:x#> SELECT * WHERE { SERVICE <{c}> { ?s ex:p ?o } }", "malformed",
                 id="hash-in-prefix-same-line"),
]
#: The word in a string, a comment, an IRI, a variable or a prefixed name: these run.
LOOKALIKES = [
    pytest.param("SELECT ?service WHERE { ?service ?p ?o } LIMIT 1", id="variable"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { ?s ex:service ?o } LIMIT 1", id="pname"),
    pytest.param("PREFIX service: <urn:s/> SELECT * WHERE { ?s service:SERVICE ?o } LIMIT 1", id="prefix"),
    pytest.param('SELECT * WHERE { ?s ?p "SERVICE <{c}> { ?s ?p ?o }" }', id="string"),
    pytest.param("SELECT * WHERE { ?s ?p 'it\\'s SERVICE <{c}> { }' }", id="string-with-escaped-quote"),
    pytest.param("SELECT * WHERE { ?s ?p '''it's \"SERVICE\" <{c}> { }''' }", id="long-string"),
    pytest.param("SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <{c}> { ?s ?p ?o }", id="comment"),
    pytest.param("SELECT * WHERE { ?s <{c}/SERVICE> ?o }", id="iri"),
    pytest.param("PREFIX ex: <urn:x/> SELECT * WHERE { ?s ex:a\\' 'SERVICE <{c}> { }' }",
                 id="escaped-pname-and-string"),
    pytest.param("SELECT * WHERE { ?s ?p ?o FILTER(?o != 'SERVICE') } LIMIT 1", id="filter-string"),
]


class Canary:
    """A listener on loopback that counts connections and answers each with one SPARQL JSON row."""

    ANSWER = (b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[{"s":{"type":"literal","value":"canary"},'
              b'"p":{"type":"literal","value":"canary"},"o":{"type":"literal","value":"canary"}}]}}')

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.url = self.base + "sparql"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(2)
                try:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        head += chunk
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                                 b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(self.ANSWER) + self.ANSWER)
                except OSError:
                    pass

    def fill(self, query: str) -> str:
        return query.replace("{c}", self.url).replace("{base}", self.base)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def canary():
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def endpoint(seed_build):
    server = make_server(seed_build / "store", "127.0.0.1", 0, options=ServeOptions(workers=2, timeout=30))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def kg_query(build, query, *extra):
    return CliRunner().invoke(main, ["query", query, "--out", str(build), *extra])


def ask(url, query):
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                          "Accept": "text/csv"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def refusal(kind: str) -> str:
    return "SERVICE (federated query) is refused" if kind == "SERVICE" else "malformed SPARQL query"


@pytest.mark.parametrize("query", REACHING + [pytest.param(p.values[0], id=p.id) for p in REFUSED_ANYWAY
                                              if p.id == "lone-cr"])
def test_the_bare_engine_does_fetch_each_row(canary, query):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode("urn:g")))
    before = canary.connections
    result = store.query(canary.fill(query), use_default_graph_as_union=True)
    if not isinstance(result, ox.QueryBoolean):
        list(result)
    assert canary.connections > before


@pytest.mark.parametrize("query,kind", [pytest.param(p.values[0], "SERVICE", id=p.id) for p in REACHING]
                         + REFUSED_ANYWAY)
def test_kg_query_refuses_and_contacts_nothing(seed_build, canary, query, kind):
    before = canary.connections
    result = kg_query(seed_build, canary.fill(query))
    assert result.exit_code == 1, result.output
    assert refusal(kind) in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "canary" not in result.stdout
    assert canary.connections == before


@pytest.mark.parametrize("query,kind", [pytest.param(p.values[0], "SERVICE", id=p.id) for p in REACHING]
                         + REFUSED_ANYWAY)
def test_kg_serve_refuses_and_contacts_nothing(endpoint, canary, query, kind):
    before = canary.connections
    status, body = ask(endpoint, canary.fill(query))
    assert (status, refusal(kind) in body) == (403 if kind == "SERVICE" else 400, True), body
    assert canary.connections == before


@pytest.mark.parametrize("query", LOOKALIKES)
def test_lookalikes_run_in_kg_query_and_kg_serve(seed_build, endpoint, canary, query):
    before = canary.connections
    result = kg_query(seed_build, canary.fill(query), "--format", "csv")
    assert result.exit_code == 0, result.output
    status, body = ask(endpoint, canary.fill(query))
    assert status == 200, body
    assert canary.connections == before


def test_federation_when_asked_reaches_the_canary(seed_build, canary):
    """The control: with --federation the same guard lets SERVICE through, and the canary counts it."""
    query = canary.fill("SELECT ?o WHERE { SERVICE <{c}> { ?s ?p ?o } }")
    before = canary.connections
    result = kg_query(seed_build, query, "--federation", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["o", "canary"] and canary.connections == before + 1
    server = make_server(seed_build / "store", "127.0.0.1", 0, options=ServeOptions(workers=1, federation=True))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, body = ask(f"http://127.0.0.1:{server.server_address[1]}/sparql", query)
    finally:
        server.shutdown()
        server.server_close()
    assert (status, body.split()) == (200, ["o", "canary"]) and canary.connections == before + 2


def test_rdflib_evaluation_runs_no_service_unless_federation(canary):
    """rdflib's own evaluator is shut as well, so a miss of the guard cannot reach the network."""
    from kg.query.guard import refusing_service

    query = canary.fill("SELECT ?o WHERE { SERVICE <{c}> { ?s ?p ?o } }")
    before = canary.connections
    with refusing_service(federation=False), pytest.raises(QueryRefused, match="SERVICE"):
        list(Dataset().query(query))
    assert canary.connections == before
    with refusing_service(federation=True):
        rows = [str(row[0]) for row in Dataset().query(query)]
    assert rows == ["canary"] and canary.connections == before + 1
    rows = [str(row[0]) for row in Dataset().query(query)]  # outside kg's guard: rdflib as it is
    assert rows == ["canary"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.machine().lower() not in
                    ("x86_64", "amd64", "aarch64", "arm64"), reason="the network sandbox is Linux x86-64/AArch64")
def test_a_serve_worker_cannot_connect_even_past_the_check(seed_build, canary):
    """The second lock (kg.query.sandbox): a request handed to kg serve's workers as if the check had let
    its SERVICE through still reaches nothing, because a worker without --federation has no network."""
    from kg.query.serve import QueryPool

    request = {"query": canary.fill("SELECT ?o WHERE { SERVICE <{c}> { ?s ?p ?o } }"), "federation": True,
               "default_graphs": [], "named_graphs": [], "result_type": "text/csv", "graph_type": "text/turtle"}
    before = canary.connections
    pool = QueryPool(seed_build / "store", ServeOptions(workers=1, timeout=30))
    try:
        reply = pool.run(request)
        assert reply.status == 500 and b"Permission denied" in reply.body, reply
        assert pool.run({**request, "query": "ASK { ?s ?p ?o }"}).body.strip() == b"true"  # the worker goes on
    finally:
        pool.close()
    assert canary.connections == before
