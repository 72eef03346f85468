"""The ontology documents itself, and the CAMEO concept scheme is what the script generates."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
DIP = Namespace("https://w3id.org/kg-dip/ontology#")


def test_every_class_and_property_has_label_and_comment():
    g = Graph().parse(ONTOLOGY / "dip.ttl")
    terms = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms |= {s for s in g.subjects(RDF.type, kind) if str(s).startswith(str(DIP))}
    assert len(terms) > 40
    for term in terms:
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, RDFS.comment) is not None, term


def test_event_aligns_with_sem_and_prov():
    g = Graph().parse(ONTOLOGY / "dip.ttl")
    supers = set(g.objects(DIP.Event, RDFS.subClassOf))
    assert {"http://semanticweb.cs.vu.nl/2009/11/sem/Event", "http://www.w3.org/ns/prov#Entity"} <= {
        str(s) for s in supers}


def test_cameo_scheme_is_generated_from_the_data(tmp_path):
    out = tmp_path / "cameo.ttl"
    subprocess.run([sys.executable, str(ONTOLOGY.parent / "scripts" / "build_cameo_skos.py"), str(out)],
                   check=True, capture_output=True)
    assert isomorphic(Graph().parse(out), Graph().parse(ONTOLOGY / "cameo.ttl"))
    g = Graph().parse(out)
    codes = {str(n) for n in g.objects(None, SKOS.notation)}
    assert len(codes) == 312 and "010" in codes and "10" in codes  # "010" and "10" are different codes
    assert (None, SKOS.prefLabel, Literal("Sign formal agreement", lang="en")) in g
