"""The SPARQL endpoint, served for real on a loopback port and queried over HTTP."""
from __future__ import annotations

import csv
import http.client
import io
import json
import shutil
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph

from kg.errors import KGError
from kg.query.serve import ServeOptions, make_server

from .conftest import SEEDS

ARTICLE = "https://w3id.org/kg-dip/id/article/000_fd245a2f0af1f295"


def start(store, **options):
    server = make_server(store, "127.0.0.1", 0, options=ServeOptions(**{"workers": 2, **options}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/sparql"


def stop(server):
    server.shutdown()
    server.server_close()


@pytest.fixture()
def endpoint(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", timeout=5)
    yield url
    stop(server)


QUERY = """PREFIX rel: <https://w3id.org/kg-dip/rel/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a ?b WHERE { ?x rel:spoke_highly_of ?y . ?x rdfs:label ?a . ?y rdfs:label ?b FILTER(?b = "Donald Trump") }"""
#: Six free variables over every triple: far past any time limit of a test.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def ask(url, query, accept=None, method="POST", headers=None):
    """(status, headers, body) of one request; error statuses are returned, not raised."""
    hdrs = {"Accept": accept} if accept else {}
    hdrs.update(headers or {})
    if method == "GET":
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers=hdrs)
    else:
        hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
        req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(), headers=hdrs,
                                     method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_get_returns_sparql_json_with_no_cors_header(endpoint):
    status, headers, body = ask(endpoint, QUERY, method="GET")
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert "Access-Control-Allow-Origin" not in headers
    assert parse_select("application/sparql-results+json", body) == [("Kim Jong-un", "Donald Trump")]


def parse_select(ctype, body):
    """Rows of (a, b) from any SELECT format, read with a parser of that format."""
    text = body.decode()
    if ctype == "application/sparql-results+json":
        return [(b["a"]["value"], b["b"]["value"]) for b in json.loads(text)["results"]["bindings"]]
    if ctype == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        return [tuple(r.find(f"r:binding[@name='{v}']/r:literal", ns).text for v in "ab")
                for r in ET.fromstring(text).iterfind(".//r:result", ns)]
    rows = list(csv.reader(io.StringIO(text), delimiter="," if ctype == "text/csv" else "\t"))
    assert rows[0] == (["a", "b"] if ctype == "text/csv" else ["?a", "?b"])
    return [tuple(c.strip('"') for c in r) for r in rows[1:]]


@pytest.mark.parametrize("ctype", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_every_select_and_ask_format(endpoint, ctype):
    status, headers, body = ask(endpoint, QUERY, accept=ctype)
    assert status == 200 and headers["Content-Type"].split(";")[0] == ctype
    assert parse_select(ctype, body) == [("Kim Jong-un", "Donald Trump")]
    status, headers, body = ask(endpoint, "ASK { ?s ?p ?o }", accept=ctype)
    assert status == 200 and headers["Content-Type"].split(";")[0] == ctype
    assert "true" in body.decode()


@pytest.mark.parametrize("ctype,rdflib_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                 ("application/ld+json", "json-ld")])
def test_every_construct_format(endpoint, ctype, rdflib_format):
    q = f"CONSTRUCT {{ <{ARTICLE}> ?p ?o }} WHERE {{ <{ARTICLE}> ?p ?o }}"
    status, headers, body = ask(endpoint, q, accept=ctype)
    assert status == 200 and headers["Content-Type"].split(";")[0] == ctype
    graph = Graph().parse(data=body.decode(), format=rdflib_format)
    assert len(graph) >= 3


STAR = 'SELECT * WHERE { ?s ?p ?o . BIND("a,b\\n\\"c\\"\\td" AS ?z) OPTIONAL { ?s <urn:none> ?b } } LIMIT 1'


@pytest.mark.parametrize("ctype", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_select_star_columns_in_order_of_appearance(endpoint, ctype):
    status, _, body = ask(endpoint, STAR, accept=ctype)
    assert status == 200
    text = body.decode()
    if ctype.endswith("json"):
        data = json.loads(text)
        assert data["head"]["vars"] == ["s", "p", "o", "z", "b"]
        assert data["results"]["bindings"][0]["z"]["value"] == 'a,b\n"c"\td'
    elif ctype.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(text)
        assert [v.get("name") for v in root.iterfind(".//r:variable", ns)] == ["s", "p", "o", "z", "b"]
    else:
        rows = (list(csv.reader(io.StringIO(text, newline=""))) if ctype == "text/csv"
                else [line.split("\t") for line in text.splitlines()])
        assert [c.lstrip("?") for c in rows[0]] == ["s", "p", "o", "z", "b"]
        assert rows[1][0].strip("<>").startswith("https://w3id.org/kg-dip/id/")
        assert rows[1][3] == ('a,b\n"c"\td' if ctype == "text/csv" else '"a,b\\n\\"c\\"\\td"')
        assert rows[1][4] == ""


def test_select_columns_in_projection_order(endpoint):
    status, _, body = ask(endpoint, "SELECT ?o ?s WHERE { ?s ?p ?o } LIMIT 1", accept="text/csv")
    assert body.decode().splitlines()[0] == "o,s"


def test_from_and_from_named_are_honoured(endpoint):
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    union = int(parse_rows(ask(endpoint, count.format(""), accept="text/csv"))[0][0])
    article = int(parse_rows(ask(endpoint, count.format(f"FROM <{ARTICLE}>"), accept="text/csv"))[0][0])
    nothing = int(parse_rows(ask(endpoint, count.format("FROM <urn:kg:no-such-graph>"), accept="text/csv"))[0][0])
    assert union > article > 0 and nothing == 0
    named = parse_rows(ask(endpoint, "SELECT DISTINCT ?g FROM NAMED <urn:kg:none> WHERE { GRAPH ?g { ?s ?p ?o } }",
                           accept="text/csv"))
    assert named == []


def parse_rows(reply):
    status, _, body = reply
    assert status == 200, body
    return list(csv.reader(io.StringIO(body.decode())))[1:]


@pytest.mark.parametrize("query,word", [
    ("SELECT * WHERE { SERVICE <{target}> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { SERVICE SILENT <{target}> { ?s ?p ?o } }", "SERVICE"),
    ("LOAD <{target}>", "LOAD"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("PREFIX ex: <urn:x#> DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("DROP ALL", "DROP"),
])
def test_service_load_and_updates_are_refused_without_a_request_out(endpoint, internal_address, query, word):
    address, hits = internal_address
    status, _, body = ask(endpoint, query.replace("{target}", address + "/internal"))
    assert status == 403 and word in body.decode() and "refused" in body.decode()
    assert hits == []


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p 'SERVICE <http://x/>' } LIMIT 1",  # a variable and a string
    "PREFIX service: <urn:s#> SELECT * WHERE { ?s service:load ?o } # SERVICE <http://x/>",
])
def test_the_word_service_in_a_name_string_or_comment_is_no_service(endpoint, query):
    status, _, body = ask(endpoint, query)
    assert status == 200, body


def test_a_timed_out_query_is_cancelled_and_others_are_answered(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", timeout=1.5)
    try:
        slow: dict[str, object] = {}
        thread = threading.Thread(target=lambda: slow.update(reply=ask(url, SLOW)))
        started = time.monotonic()
        thread.start()
        time.sleep(0.2)
        assert ask(url, QUERY)[0] == 200  # answered while the slow one runs
        thread.join(30)
        status, _, body = slow["reply"]  # type: ignore[misc]
        assert status == 503 and b"was cancelled" in body
        assert time.monotonic() - started < 10
        for _ in range(3):  # the killed worker is replaced
            assert ask(url, QUERY)[0] == 200
        assert len(server.pool._all) <= 2
    finally:
        stop(server)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS as on Linux")
def test_a_query_that_needs_too_much_memory_fails_alone(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", max_memory=700, timeout=60)
    try:
        hungry = "SELECT ?a ?b ?c ?d ?e ?f ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
        status, _, body = ask(url, hungry)
        assert status == 500 and b"700 MiB" in body
        assert ask(url, QUERY)[0] == 200
    finally:
        stop(server)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS as on Linux")
def test_the_memory_cap_counts_from_the_opened_store(copy_of_seed_build):
    """The engine maps about half a GiB when it opens a store (more on machines with more cores); a
    cap far below that still leaves the worker able to open it and answer small queries."""
    server, url = start(copy_of_seed_build / "store", max_memory=100, timeout=60)
    try:
        for _ in range(3):
            assert ask(url, QUERY)[0] == 200
    finally:
        stop(server)


def read_all(sock) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def raw(url, request: bytes) -> bytes:
    host, port = urllib.parse.urlparse(url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("request_bytes,status", [
    (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\n", 400),
    (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
     b"Content-Length: 999999999\r\n\r\nSELECT", 413),
    (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n\r\n", 411),
    (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi", 415),
    (b"GET /sparql HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n", 404),
])
def test_bad_requests_get_a_status_and_a_message(endpoint, request_bytes, status):
    reply = raw(endpoint, request_bytes)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split()[1] == str(status).encode() and body.strip()


def test_federation_when_asked_and_evaluation_errors_are_500_with_a_message(copy_of_seed_build, internal_address):
    address, hits = internal_address
    server, url = start(copy_of_seed_build / "store", federation=True)
    try:
        status, _, body = ask(url, f"SELECT * WHERE {{ SERVICE <{address}/in> {{ ?s ?p ?o }} }}")
    finally:
        stop(server)
    assert hits == ["/in"]  # federation on: the address was asked; it failed, and so did the query
    assert status == 500 and body.decode().startswith("the SPARQL query failed") and "500" in body.decode()


def test_malformed_query_is_400_with_a_message(endpoint):
    status, _, body = ask(endpoint, "SELEC nothing")
    assert status == 400 and b"malformed SPARQL query" in body


def test_options_and_cors_only_when_asked(copy_of_seed_build, endpoint):
    conn = http.client.HTTPConnection(urllib.parse.urlparse(endpoint).netloc, timeout=10)
    conn.request("OPTIONS", "/sparql", headers={"Origin": "https://evil.example"})
    resp = conn.getresponse()
    assert resp.status == 204 and "POST" in resp.headers["Allow"]
    assert resp.headers["Access-Control-Allow-Origin"] is None
    server, url = start(copy_of_seed_build / "store", cors="https://yasgui.example.org")
    try:
        status, headers, _ = ask(url, QUERY, headers={"Origin": "https://yasgui.example.org"})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example.org"
    finally:
        stop(server)


def test_silent_and_slow_clients_cost_no_answer_and_are_dropped(copy_of_seed_build):
    server, url = start(copy_of_seed_build / "store", socket_timeout=1.0, max_connections=8)
    host, port = urllib.parse.urlparse(url).netloc.split(":")
    try:
        threads_before = threading.active_count()
        silent = [socket.create_connection((host, int(port)), timeout=5) for _ in range(300)]
        slow = [socket.create_connection((host, int(port)), timeout=5) for _ in range(4)]
        for sock in slow:
            sock.sendall(b"GET /sparql?query=ASK")  # a request line that never ends
        time.sleep(0.3)
        assert threading.active_count() - threads_before <= 8  # silent connections hold no thread
        started = time.monotonic()
        assert ask(url, QUERY)[0] == 200
        assert time.monotonic() - started < 1.0  # answered at once, beside 300 silent and 4 slow clients
        for sock in silent[:3] + slow[:1]:  # answered 408 and closed once 1 s has passed
            assert read_all(sock).startswith(b"HTTP/1.0 408 ")
        for sock in silent + slow:
            sock.close()
    finally:
        stop(server)


def test_a_rebuild_is_served(copy_of_seed_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    # a small cap: the worker frees the old store before it opens the new one
    server, url = start(copy_of_seed_build / "store", max_memory=100)
    try:
        assert ask(url, f"ASK {{ GRAPH <{ARTICLE}> {{ ?s ?p ?o }} }}", accept="text/csv")[2] == b"true"
        other = tmp_path / "other"
        other.mkdir()
        (other / "talks.txt").write_text("Title: Talks\nDate: 2021-06-02\n\nJapan praised India on Monday.\n",
                                         encoding="utf-8")
        result = CliRunner().invoke(main, ["build", str(other), "--out", str(copy_of_seed_build), "--no-html"])
        assert result.exit_code == 0, result.output
        ids = "SELECT ?id WHERE { ?a <http://purl.org/dc/terms/identifier> ?id }"
        status, _, body = ask(url, ids, accept="text/csv")
        assert status == 200 and body.decode().split() == ["id", "talks"]
    finally:
        stop(server)


def test_missing_store_and_bad_port_are_one_line(tmp_path):
    with pytest.raises(KGError, match="no graph store here"):
        make_server(tmp_path / "store", "127.0.0.1", 0)
    with pytest.raises(KGError, match="--port 99999"):
        make_server(SEEDS, "127.0.0.1", 99999)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("garbage\n")
    with pytest.raises(KGError, match="cannot open the graph store"):
        make_server(damaged, "127.0.0.1", 0, options=ServeOptions(workers=1))
    shutil.rmtree(damaged)
