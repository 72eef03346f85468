"""What a SPARQL text asks for, read from its parse (kg.query.guard): the keyword, not the word.

The queries that must reach no network, run for real against `kg query` and `kg serve`, are in
tests/test_query_guard.py; these rows check the parse alone."""
from __future__ import annotations

import pytest

from kg.errors import QueryError, QueryRefused
from kg.query.guard import check_query


@pytest.mark.parametrize("query,form,dataset", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
    ("PREFIX ex: <urn:x#> BASE <http://b/> select ?s from <urn:g> where { ?s ?p ?o }", "SELECT", True),
    ("ASK FROM NAMED <urn:g> { GRAPH ?g { ?s ?p ?o } }", "ASK", True),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("DESCRIBE <urn:x>", "DESCRIBE", False),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } GRAPH <urn:from> { ?s ?p ?o } }", "SELECT", False),
    # the words as strings, IRIs, comments, variables, prefixed names and blank nodes are no keywords
    ("SELECT ?service ?from WHERE { ?service ?p 'SERVICE <http://x/> FROM <urn:y>' }", "SELECT", False),
    ('SELECT * WHERE { ?s ?p """\nINSERT DATA { <a:b> <a:b> <a:b> }\n""" }', "SELECT", False),
    ("SELECT * WHERE { ?s <http://x/SERVICE/from> ?o } # SERVICE <http://x/>", "SELECT", False),
    ("PREFIX service: <urn:s#> PREFIX from: <urn:f#> SELECT * { ?s service:load from:x }", "SELECT", False),
    ("SELECT * { _:service ?p ?o FILTER(?p<?o&&?o>1) }", "SELECT", False),
    # escapes in prefixed names (the keyword scanner lost track after these)
    ("PREFIX ex: <urn:x/> SELECT * { ?s ex:a\\' ?o } # SERVICE <http://x/> '", "SELECT", False),
    ("PREFIX ex: <urn:x/> SELECT * { ?s ex:a\\#b ?o . ?s ex:a\\.b 'FROM <urn:g>' }", "SELECT", False),
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
    "PREFIX ex: <urn:x/> SELECT * WHERE { ?s ex:a\\' ?o . SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1/> { ?s ?p ?o } }",  # an escape is read before the grammar
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


@pytest.mark.parametrize("text,message", [
    ("SELEC nothing", "malformed SPARQL query: Expected"),
    ("SELECT * WHERE { ?s ?p }", "malformed SPARQL query: Expected"),
    ("", "malformed SPARQL query"),
    ("# only a comment\n", "malformed SPARQL query"),
    # where rdflib and Oxigraph would read one text two ways
    ("SELECT * WHERE { # a comment\rSERVICE <http://127.0.0.1/> { ?s ?p ?o } #\n}",
     "a carriage return without a line feed \\(line 1\\)"),
    ("SELECT * WHERE { BIND('\\U0041' AS ?x) }", "is left once the codepoint escapes are read"),
    ("SELECT * WHERE { BIND('\\u005Cu0022' AS ?x) }", "is left once the codepoint escapes are read"),
    ("SELECT * WHERE { BIND('\\uD800' AS ?x) }", "is no character"),
    # rdflib (7.x) cannot read a SERVICE after a '#' on its line: said so
    ("PREFIX ex: <urn:x#> SELECT * WHERE { SERVICE <http://127.0.0.1/> { ?s ?p ?o } }",
     "start SERVICE on a new line"),
])
def test_what_cannot_be_read_is_one_line_with_the_parsers_message(text, message):
    with pytest.raises(QueryError, match=message) as err:
        check_query(text, federation=True)
    assert not isinstance(err.value, QueryRefused) and "\n" not in str(err.value)


def test_deep_queries_are_read():
    # rdflib's grammar recurses per triple pattern: at Python's default limit 100 patterns failed
    many = "SELECT * WHERE { " + " . ".join(f"?s <urn:p{i}> ?o{i}" for i in range(300)) + " }"
    assert check_query(many).variables[:2] == ("s", "o0")
    nested = "SELECT * WHERE { FILTER(" + "(" * 60 + "1" + ")" * 60 + ") }"
    assert check_query(nested).form == "SELECT"


def test_codepoint_escapes_are_read_once_for_both_parsers():
    shape = check_query("SELECT * WHERE { ?s ?p 'caf\\u00e9' }\r\n")
    assert shape.text == "SELECT * WHERE { ?s ?p 'café' }\r\n"  # what the engine is given


@pytest.mark.parametrize("query,star,names,order", [
    ("SELECT * WHERE { ?s ?p ?o }", True, ["o", "p", "s"], ["s", "p", "o"]),
    ("SELECT DISTINCT * { ?b ?a ?c . BIND(1 AS ?z) }", True, ["a", "b", "c", "z"], ["b", "a", "c", "z"]),
    ("SELECT * { ?b ?a ?c OPTIONAL { ?c ?y ?x } FILTER(?w > 1) } VALUES ?v { 1 }", True,
     ["a", "b", "c", "v", "x", "y"], ["b", "a", "c", "y", "x", "v"]),
    ("SELECT ?x WHERE { { SELECT * { ?y ?p ?x } } }", False, ["x"], ["x"]),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", False, ["n"], ["n"]),
    ("ASK { ?s ?p ?o }", False, [], []),
])
def test_select_star(query, star, names, order):
    shape = check_query(query)
    assert shape.star is star
    assert shape.in_order(names) == order
    assert shape.star_order(names) == (order if star and order != names else None)
