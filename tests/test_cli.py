"""The `kg` command end to end on the seed article, through click's CliRunner, on real stores."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, Namespace
from rdflib.compare import isomorphic

from kg.cli import main
from kg.events import EVENT_COLUMNS
from kg.graph.shapes import validate_graph

from .conftest import SEEDS

DIP = Namespace("https://w3id.org/kg-dip/ontology#")
REL = Namespace("https://w3id.org/kg-dip/rel/")
ACTOR = "https://w3id.org/kg-dip/id/actor/"
PREFIXES = """PREFIX dip: <https://w3id.org/kg-dip/ontology#>
PREFIX rel: <https://w3id.org/kg-dip/rel/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def kg(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_build_writes_every_output(seed_build):
    for name in ("store", "graph.ttl", "graph.trig", "events.csv", "graph.html"):
        assert (seed_build / name).exists(), name


def test_events_table_contract(seed_build):
    with (seed_build / "events.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == EVENT_COLUMNS
        rows = list(reader)
    assert rows
    assert all(len(r["cameo"]) in (3, 4) and r["cameo"].isdigit() for r in rows)  # leading zeros kept
    assert all(r["agent"].lower() not in ("he", "she", "they", "it") for r in rows)
    offered = [r for r in rows if r["relation"] == "offered_dismantle"]
    assert offered and offered[0]["agent"] == "Kim Jong-un" and "Sohae" in offered[0]["theme"]
    assert offered[0]["date"] == "2018-09" and offered[0]["date_text"] == "September last year"


@pytest.mark.parametrize("agent,relation,other", [
    ("kim-jong-un", "met", "group-prk-official"),
    ("donald-trump", "sent", "kim-jong-un"),
    ("kim-jong-un", "offered_dismantle", "facility-sohae-space-center"),
    ("kim-jong-un", "spoke_highly_of", "donald-trump"),
])
def test_design_card_edges(seed_build, agent, relation, other):
    out = kg("query", "--out", str(seed_build), "--format", "json",
             f"ASK {{ <{ACTOR}{agent}> <{REL[relation]}> <{ACTOR}{other}> }}")
    assert out.exit_code == 0, out.output
    assert out.output.strip() == "true"


def test_event_nodes_carry_code_date_evidence_and_provenance(seed_build):
    q = PREFIXES + """SELECT ?code ?g ?date ?sentence ?start ?end ?art WHERE {
      GRAPH ?art { ?e a dip:Event ; dip:agent ?a ; dip:relation "sent" ; dip:cameoCode ?code ; dip:goldstein ?g ;
                      dip:date ?date ; dip:mention ?m ; prov:wasDerivedFrom ?art ; dip:themeEntity ?letter .
                   ?m dip:sentence ?sentence ; dip:sentenceStart ?start ; dip:sentenceEnd ?end . }
      ?a rdfs:label "Donald Trump" }"""
    out = kg("query", "--out", str(seed_build), "--format", "json", q)
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.output)
    assert row["code"] == "040" and float(row["g"]) == 1.0 and row["date"] == "2019-01-24"
    assert "Trump's \"good\" personal letter" in row["sentence"]
    assert row["art"].endswith("/article/000_fd245a2f0af1f295")
    text = (SEEDS / "000_fd245a2f0af1f295.txt").read_text(encoding="utf-8")
    assert row["sentence"] in text and int(row["end"]) > int(row["start"])


README_QUERIES = {
    "who met whom": PREFIXES + """SELECT ?a ?b WHERE { ?x rel:met ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }""",
    "everything Kim did": PREFIXES + """SELECT ?relation ?target WHERE { ?e dip:agent ?k ; dip:relation ?relation .
        ?k rdfs:label "Kim Jong-un" . OPTIONAL { ?e dip:target/rdfs:label ?target } }""",
    "by CAMEO root": PREFIXES + """SELECT ?root (COUNT(?e) AS ?n) WHERE { ?e a dip:Event ; dip:cameoCode ?c .
        BIND(SUBSTR(?c, 1, 2) AS ?root) } GROUP BY ?root ORDER BY ?root""",
    "KCNA reported": PREFIXES + """SELECT ?agent ?relation WHERE { ?e dip:reportedBy "KCNA" ;
        dip:agent/rdfs:label ?agent ;
        dip:relation ?relation }""",
    "January 2019": PREFIXES + """SELECT ?label ?date WHERE { ?e a dip:Event ; rdfs:label ?label ; dip:date ?date .
        FILTER(STRSTARTS(STR(?date), "2019-01")) }""",
}


@pytest.mark.parametrize("name", list(README_QUERIES))
def test_readme_queries_answer(seed_build, name):
    out = kg("query", "--out", str(seed_build), "--format", "csv", README_QUERIES[name])
    assert out.exit_code == 0, out.output
    rows = list(csv.reader(io.StringIO(out.output)))
    assert len(rows) > 1, f"{name}: no answer"


def test_query_from_file_and_table_format(seed_build, tmp_path):
    qfile = tmp_path / "q.rq"
    qfile.write_text(README_QUERIES["who met whom"], encoding="utf-8")
    out = kg("query", "--out", str(seed_build), "-f", str(qfile))
    assert out.exit_code == 0, out.output
    assert "Kim Jong-un" in out.output and "row" in out.output.splitlines()[-1]


def test_malformed_query_is_one_line(seed_build):
    out = kg("query", "--out", str(seed_build), "SELEC ?x WHERE {")
    assert out.exit_code != 0
    assert out.output.startswith("Error: malformed SPARQL query") and out.output.count("\n") == 1


def test_turtle_round_trip_is_isomorphic(seed_build, tmp_path):
    target = tmp_path / "g.ttl"
    assert kg("export", "--out", str(seed_build), "--format", "turtle", "-o", str(target)).exit_code == 0
    exported = Graph().parse(target)
    built = Graph().parse(seed_build / "graph.ttl")
    assert len(exported) > 100
    assert isomorphic(exported, built)


def test_trig_keeps_one_graph_per_article(seed_build):
    out = kg("export", "--out", str(seed_build), "--format", "trig")
    assert out.exit_code == 0, out.output
    ds = Dataset()
    ds.parse(data=out.output, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://w3id.org/kg-dip/id/article/000_fd245a2f0af1f295" in names


@pytest.mark.parametrize("fmt,check", [
    ("nt", lambda s: "<https://w3id.org/kg-dip/rel/met>" in s),
    ("jsonld", lambda s: isinstance(json.loads(s), (list, dict))),
    ("events-jsonl", lambda s: json.loads(s.splitlines()[0])["article_id"] == "000_fd245a2f0af1f295"),
    ("events-csv", lambda s: s.startswith(",".join(EVENT_COLUMNS))),
])
def test_export_formats(seed_build, fmt, check):
    out = kg("export", "--out", str(seed_build), "--format", fmt)
    assert out.exit_code == 0, out.output
    assert check(out.output)


def test_graph_conforms_to_shacl(seed_build):
    conforms, report = validate_graph(Graph().parse(seed_build / "graph.ttl"))
    assert conforms, report
    assert kg("validate", "--out", str(seed_build)).exit_code == 0


def test_shacl_catches_a_bad_event(seed_build):
    g = Graph().parse(seed_build / "graph.ttl")
    event = next(g.subjects(DIP.relation, Literal("met")))
    g.set((event, DIP.cameoCode, Literal("40")))  # a code that lost its leading zero
    conforms, _ = validate_graph(g)
    assert not conforms


def test_rebuild_gives_an_isomorphic_graph(seed_build, tmp_path):
    again = tmp_path / "again"
    assert kg("build", str(SEEDS), "--out", str(again), "--no-html").exit_code == 0
    assert isomorphic(Graph().parse(again / "graph.ttl"), Graph().parse(seed_build / "graph.ttl"))


def test_stdin_input(tmp_path):
    out_dir = tmp_path / "o"
    text = "Title: Talks\nDate: 2023-03-22\n\nPutin met Xi Jinping in Moscow on Tuesday.\n"
    out = kg("build", "-", "--out", str(out_dir), "--no-html", input=text)
    assert out.exit_code == 0, out.output
    assert "Vladimir Putin" in (out_dir / "events.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("make,message", [
    (lambda p: None, "no such file or directory"),
    (lambda p: p.write_bytes(b""), "the file is empty"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00"), "binary file"),
    (lambda p: p.write_bytes(b"Title: x\n\nS\xe3o Paulo talks."), "not utf-8 text"),
])
def test_bad_input_fails_cleanly_and_keeps_the_last_build(copy_of_seed_build, tmp_path, make, message):
    bad = tmp_path / "bad.txt"
    make(bad)
    before = {p.name: p.read_bytes() for p in copy_of_seed_build.iterdir() if p.is_file()}
    out = kg("build", str(bad), "--out", str(copy_of_seed_build))
    assert out.exit_code == 1
    assert out.output.startswith("Error: ") and message in out.output and str(bad) in out.output
    assert out.output.count("\n") == 1 and "Traceback" not in out.output
    after = {p.name: p.read_bytes() for p in copy_of_seed_build.iterdir() if p.is_file()}
    assert after == before
    ok = kg("query", "--out", str(copy_of_seed_build), "ASK { ?s ?p ?o }")
    assert ok.exit_code == 0 and ok.output.strip() == "true"


def test_every_command_has_help_with_an_example():
    top = kg("--help")
    assert top.exit_code == 0
    for cmd in ("build", "query", "export", "viz", "analyze", "eval", "validate", "serve"):
        assert cmd in top.output
        out = kg(cmd, "--help")
        assert out.exit_code == 0 and "Example" in out.output, cmd


def test_analyze_and_viz(copy_of_seed_build, tmp_path):
    out = kg("analyze", "--out", str(copy_of_seed_build), "--top", "3")
    assert out.exit_code == 0, out.output
    assert "degree centrality" in out.output and "Kim Jong-un" in out.output
    html = tmp_path / "v.html"
    out = kg("viz", "--out", str(copy_of_seed_build), "-o", str(html))
    assert out.exit_code == 0, out.output
    assert "vis.Network" in html.read_text(encoding="utf-8")


def test_missing_store_is_one_line(tmp_path):
    out = kg("query", "--out", str(tmp_path), "ASK { ?s ?p ?o }")
    assert out.exit_code == 1 and "run `kg build` first" in out.output


def test_user_actor_file(tmp_path):
    actors = tmp_path / "actors.csv"
    actors.write_text("id,label,type,country,role,aliases,office,start,end,gender\n"
                      "jane-roe,Jane Roe,person,NZL,GOV,Roe,foreign minister,2024-01-01,,f\n", encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("Title: t\nDate: 2025-02-01\n\nNew Zealand's foreign minister met Wang Yi in Beijing.\n",
                   encoding="utf-8")
    out = kg("build", str(art), "--out", str(tmp_path / "o"), "--no-html", "--actors", str(actors))
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader((tmp_path / "o" / "events.csv").open(encoding="utf-8")))
    assert any(r["agent"] == "Jane Roe" and r["target"] == "Wang Yi" for r in rows), rows


def test_model_choice_by_option_and_environment(tmp_path, monkeypatch):
    out = kg("build", str(SEEDS), "--out", str(tmp_path / "o"), "--model", "no_such_pipeline")
    assert out.exit_code == 1 and "spaCy pipeline 'no_such_pipeline' is not installed" in out.output
    monkeypatch.setenv("KG_SPACY_MODEL", "another_missing_pipeline")
    out = kg("build", str(SEEDS), "--out", str(tmp_path / "o"))
    assert out.exit_code == 1 and "'another_missing_pipeline'" in out.output
    assert not (tmp_path / "o" / "events.csv").exists()


def test_build_records_the_model_in_provenance(seed_build):
    out = kg("query", "--out", str(seed_build), "--format", "csv",
             PREFIXES + "SELECT ?m ?x WHERE { ?b dip:nlpModel ?m ; dip:extractor ?x }")
    assert out.exit_code == 0, out.output
    assert "==3.8.0" in out.output and "rules.v1" in out.output


def test_query_honours_from_and_lists_select_star_columns_in_order(seed_build):
    article = "https://w3id.org/kg-dip/id/article/000_fd245a2f0af1f295"
    counts = {}
    for name, clause in (("union", ""), ("article", f"FROM <{article}>"), ("none", "FROM <urn:kg:none>")):
        out = kg("query", "--out", str(seed_build), "--format", "csv",
                 f"SELECT (COUNT(*) AS ?n) {clause} WHERE {{ ?s ?p ?o }}")
        assert out.exit_code == 0, out.output
        counts[name] = int(out.output.split()[1])
    assert counts["union"] > counts["article"] > 0 and counts["none"] == 0
    out = kg("query", "--out", str(seed_build), "--format", "csv", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert out.exit_code == 0 and out.output.splitlines()[0] == "s,p,o", out.output
