"""The SPARQL endpoint, served for real on a loopback port and queried over HTTP."""
from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.serve import make_server


@pytest.fixture()
def endpoint(copy_of_seed_build):
    server = make_server(copy_of_seed_build / "store", "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()
    server.dataset.close()


QUERY = """PREFIX rel: <https://w3id.org/kg-dip/rel/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a ?b WHERE { ?x rel:spoke_highly_of ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }"""


def test_get_returns_sparql_json(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": QUERY})
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("application/sparql-results+json")
        data = json.load(resp)
    rows = [(b["a"]["value"], b["b"]["value"]) for b in data["results"]["bindings"]]
    assert rows == [("Kim Jong-un", "Donald Trump")]


def test_post_form_and_csv(endpoint):
    body = urllib.parse.urlencode({"query": QUERY}).encode()
    req = urllib.request.Request(endpoint, data=body, headers={"Accept": "text/csv",
                                                                "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        rows = list(csv.reader(io.StringIO(resp.read().decode())))
    assert rows[0] == ["a", "b"] and rows[1] == ["Kim Jong-un", "Donald Trump"]


def test_construct_as_turtle(endpoint):
    q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    req = urllib.request.Request(endpoint, data=q.encode(), headers={"Content-Type": "application/sparql-query"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"] == "text/turtle"
        assert resp.read().strip()


def test_bad_query_is_400(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": "SELEC nothing"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=10)
    assert err.value.code == 400 and b"malformed SPARQL query" in err.value.read()
