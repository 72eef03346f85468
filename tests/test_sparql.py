"""What a SPARQL text asks for, read from its tokens (kg.sparql): the keyword, not the word."""
from __future__ import annotations

import pytest

from kg.errors import QueryRefused
from kg.sparql import check_query, in_order_of_appearance, star_projection


@pytest.mark.parametrize("query,form,dataset", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
    ("PREFIX ex: <urn:x#> BASE <http://b/> select ?s from <urn:g> where { ?s ?p ?o }", "SELECT", True),
    ("ASK FROM NAMED <urn:g> { GRAPH ?g { ?s ?p ?o } }", "ASK", True),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("DESCRIBE <urn:x>", "DESCRIBE", False),
    # the words as strings, IRIs, comments, variables, prefixed names and blank nodes are no keywords
    ("SELECT ?service ?from WHERE { ?service ?p 'SERVICE <http://x/> FROM <urn:y>' }", "SELECT", False),
    ('SELECT * WHERE { ?s ?p """\nINSERT DATA { <a:b> <a:b> <a:b> }\n""" }', "SELECT", False),
    ("SELECT * WHERE { ?s <http://x/SERVICE/from> ?o } # SERVICE <http://x/>", "SELECT", False),
    ("PREFIX service: <urn:s#> PREFIX from: <urn:f#> SELECT * { ?s service:load from:x }", "SELECT", False),
    ("SELECT * { _:service ?p ?o FILTER(?p<?o&&?o>1) }", "SELECT", False),
])
def test_query_shape(query, form, dataset):
    shape = check_query(query)
    assert (shape.form, shape.has_dataset, shape.federated) == (form, dataset, False)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://127.0.0.1/> } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE<http://127.0.0.1/>{ ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1/> { ?s ?p ?o } } } }",
])
def test_service_anywhere_is_refused_unless_federation(query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(query)
    assert check_query(query, federation=True).federated


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1/x>",
    "CLEAR ALL", "DROP GRAPH <urn:g>", "CREATE GRAPH <urn:g>", "COPY DEFAULT TO <urn:g>", "MOVE <urn:a> TO <urn:b>",
    "ADD <urn:a> TO <urn:b>", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:x#>\n# a comment\ninsert data { ex:a ex:b ex:c }",
])
def test_updates_are_refused_by_name(update):
    word = update.split("\n")[-1].split()[0].upper()
    with pytest.raises(QueryRefused, match=f"SPARQL updates \\({word}\\) are refused"):
        check_query(update, federation=True)


@pytest.mark.parametrize("query,span_text,names,order", [
    ("SELECT * WHERE { ?s ?p ?o }", "*", ["o", "p", "s"], ["s", "p", "o"]),
    ("SELECT DISTINCT * { ?b ?a ?c . BIND(1 AS ?z) }", "*", ["a", "b", "c", "z"], ["b", "a", "c", "z"]),
    ("SELECT ?x WHERE { { SELECT * { ?y ?p ?x } } }", None, ["x"], ["x"]),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None, ["n"], ["n"]),
])
def test_select_star(query, span_text, names, order):
    span = star_projection(query)
    assert (query[span[0]:span[1]] if span else None) == span_text
    assert in_order_of_appearance(query, names) == order
