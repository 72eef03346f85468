"""The RDF of a build: events as nodes under the `dip:` ontology, one named graph per article,
actors in the default graph, and direct relation edges (`rel:met`) derived from the events.

Quads are made as Oxigraph terms and go to the store (`kg.graph.store`) in bulk.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.events import report_source
from kg.graph.iris import iri_segment
from kg.knowledge import cameo
from kg.records import Actor, Article, Event

DIP = Namespace("https://w3id.org/kg-dip/ontology#")
ID = Namespace("https://w3id.org/kg-dip/id/")
REL = Namespace("https://w3id.org/kg-dip/rel/")
CAMEO = Namespace("https://w3id.org/kg-dip/cameo/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
DEFAULT_STORE = "Oxigraph"

ROOT_CLASSES = {
    "01": "MakePublicStatement", "02": "Appeal", "03": "ExpressIntentToCooperate", "04": "Consult",
    "05": "EngageInDiplomaticCooperation", "06": "EngageInMaterialCooperation", "07": "ProvideAid",
    "08": "Yield", "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "ExhibitForcePosture", "16": "ReduceRelations", "17": "Coerce", "18": "Assault",
    "19": "Fight", "20": "UseUnconventionalMassViolence",
}
ACTOR_CLASSES = {"person": "Person", "country": "Country", "organization": "Organization", "group": "Group",
                 "facility": "Facility", "document": "Document"}


def bind_prefixes(g: Graph | Dataset) -> None:
    for prefix, ns in (("dip", DIP), ("id", ID), ("rel", REL), ("cameo", CAMEO), ("sem", SEM), ("prov", PROV),
                       ("skos", SKOS), ("dcterms", DCTERMS)):
        g.bind(prefix, ns)


def actor_iri(actor: Actor) -> URIRef:
    """The actor's IRI: its id, percent-encoded where an IRI needs it (`kg.graph.iris`); the label keeps the name."""
    return ID[f"actor/{iri_segment(actor.id)}"]


def article_iri(article_id: str) -> URIRef:
    """The article's IRI: any id or file name, percent-encoded where needed; `dcterms:identifier` keeps it."""
    return ID[f"article/{iri_segment(article_id)}"]


def event_iri(event: Event) -> URIRef:
    return ID[f"event/{iri_segment(event.article_id)}/{iri_segment(event.id)}"]


def date_literal(value: str) -> Literal | None:
    """xsd:date, xsd:gYearMonth or xsd:gYear, by the precision the text gave."""
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        if len(value) == 7:
            return Literal(value, datatype=XSD.gYearMonth)
        if len(value) == 4:
            return Literal(value, datatype=XSD.gYear)
    except ValueError:
        return None
    return None


def new_dataset(path: Path | None, *, store: str = DEFAULT_STORE) -> Dataset:
    """An empty rdflib dataset: Oxigraph on disk at `path`, or in memory when `path` is None."""
    ds = Dataset(store=store)
    if path is not None:
        ds.open(str(path), create=True)
    bind_prefixes(ds)
    return ds


_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_LABEL = ox.NamedNode(str(RDFS.label))
_ALT_LABEL = ox.NamedNode(str(SKOS.altLabel))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_GENERATED = ox.NamedNode(str(PROV.wasGeneratedBy))
_INTEGER = ox.NamedNode(_XSD + "integer")
_DECIMAL = ox.NamedNode(_XSD + "decimal")


_DIP_NODES: dict[str, ox.NamedNode] = {}


def _dip(name: str) -> ox.NamedNode:
    """The ontology term `name` (made once: a build asks for them hundreds of times per article)."""
    node = _DIP_NODES.get(name)
    if node is None:
        node = _DIP_NODES[name] = ox.NamedNode(DIP + name)
    return node


def _iri(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


def _typed(value: Literal) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_INTEGER)


class QuadSink:
    """Quads of one graph, collected as Oxigraph terms (the store's bulk loader takes them as they are)."""

    def __init__(self, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        self.graph = graph
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))


def default_graph() -> QuadSink:
    return QuadSink(ox.DefaultGraph())


def add_actor(g: QuadSink, actor: Actor, surface_forms: Iterable[str] = ()) -> None:
    node = _iri(actor_iri(actor))
    g.add(node, _RDF_TYPE, _dip(ACTOR_CLASSES.get(actor.type, "Actor")))
    g.add(node, _LABEL, _text(actor.label))
    for alias in sorted(set(actor.aliases) | set(surface_forms)):
        if alias and alias != actor.label:
            g.add(node, _ALT_LABEL, _text(alias))
    if actor.country:
        g.add(node, _dip("country"), _text(actor.country))
        if actor.type != "country":
            g.add(node, _dip("countryActor"), _iri(ID[f"actor/country-{iri_segment(actor.country.lower())}"]))
    if actor.role:
        g.add(node, _dip("role"), _text(actor.role))
    if actor.office:
        g.add(node, _dip("office"), _text(actor.office))


def article_graph(article: Article, events: list[Event], build: URIRef, *,
                  merged: Mapping[str, str] | None = None) -> QuadSink:
    """One article's events in its own named graph (provenance by graph).

    An event that other articles report too (`merged`: event id -> the id of the real-world
    event) is written here only through what this article adds to it (its mentions, that it
    derives from this article, the direct edge); the event itself is in `events_graph`. Every
    other event is written whole, with a report count of 1 and its source.
    """
    art = _iri(article_iri(article.id))
    g = QuadSink(art)
    g.add(art, _RDF_TYPE, _dip("Article"))
    g.add(art, _LABEL, _text(article.title or article.id))
    g.add(art, ox.NamedNode(str(DCTERMS.identifier)), _text(article.id))
    if article.title:
        g.add(art, ox.NamedNode(str(DCTERMS.title)), _text(article.title))
    if article.published and (lit := date_literal(article.published)) is not None:
        g.add(art, ox.NamedNode(str(DCTERMS.issued)), _typed(lit))
    if article.source:
        g.add(art, ox.NamedNode(str(DCTERMS.publisher)), _text(article.source))
    if article.url:
        g.add(art, _dip("url"), _text(article.url))
    g.add(art, _GENERATED, _iri(build))
    merged = merged or {}
    for ev in events:
        if ev.id in merged:
            _add_report(g, ev, _iri(ID[f"event/{merged[ev.id]}"]), art)
        else:
            node = _iri(event_iri(ev))
            _add_event(g, ev, node, _iri(build), max(m.confidence for m in ev.mentions))
            g.add(node, _dip("reportCount"), _int(1))
            g.add(node, _dip("source"), _text(report_source(ev, article.source, article.id)))
            _add_report(g, ev, node, art)
    return g


EVENTS_GRAPH = ID["graph/events"]


def events_graph(events: Iterable[tuple[str, Event, float, list[str]]], build: URIRef) -> QuadSink:
    """The events that several articles report, in a graph of their own: for each (merged id, the
    most confident report, the highest confidence of all reports, the independent sources), the
    event as its best report states it, with `dip:reportCount` and each `dip:source`."""
    g = QuadSink(_iri(EVENTS_GRAPH))
    for merged, ev, confidence, sources in events:
        node = _iri(ID[f"event/{merged}"])
        _add_event(g, ev, node, _iri(build), confidence)
        g.add(node, _dip("reportCount"), _int(len(sources)))
        for source in sources:
            g.add(node, _dip("source"), _text(source))
    return g


def _add_event(g: QuadSink, ev: Event, node: ox.NamedNode, build: ox.NamedNode, confidence: float) -> None:
    """What an event is: type, actors, CAMEO code, date, modality, confidence."""
    main = ev.main
    code = cameo(main.cameo)
    g.add(node, _RDF_TYPE, _dip("Event"))
    g.add(node, _RDF_TYPE, _dip(ROOT_CLASSES[main.cameo[:2]]))
    target = main.target.actor if main.target else None
    label = f"{main.agent.actor.label} {main.relation} {target.label if target else main.theme}".strip()
    g.add(node, _LABEL, _text(label))
    g.add(node, _dip("agent"), _iri(actor_iri(main.agent.actor)))
    if target is not None:
        g.add(node, _dip("target"), _iri(actor_iri(target)))
    if main.theme:
        g.add(node, _dip("theme"), _text(main.theme))
    if main.theme_actor is not None:
        g.add(node, _dip("themeEntity"), _iri(actor_iri(main.theme_actor)))
        add_actor(g, main.theme_actor)
    g.add(node, _dip("relation"), _text(main.relation))
    g.add(node, _dip("cameoCode"), _text(main.cameo))
    g.add(node, _dip("cameoConcept"), _iri(CAMEO[main.cameo]))
    g.add(node, _dip("eventType"), _text(code.name))
    g.add(node, _dip("goldstein"), ox.Literal(f"{code.goldstein:.1f}", datatype=_DECIMAL))
    g.add(node, _dip("quadClass"), _int(code.quad_class))
    if main.date and (lit := date_literal(main.date)) is not None:
        g.add(node, _dip("date"), _typed(lit))
    if main.date_text:
        g.add(node, _dip("dateText"), _text(main.date_text))
    if main.place:
        g.add(node, _dip("place"), _text(main.place))
    if main.reported_by:
        g.add(node, _dip("reportedBy"), _text(main.reported_by))
    g.add(node, _dip("modality"), _text(main.modality))
    g.add(node, _dip("confidence"), ox.Literal(f"{confidence:.2f}", datatype=_DECIMAL))
    g.add(node, _GENERATED, build)


def _add_report(g: QuadSink, ev: Event, node: ox.NamedNode, art: ox.NamedNode) -> None:
    """What one article says of an event: its mentions (evidence sentences), and the direct edge."""
    main = ev.main
    g.add(node, _DERIVED, art)
    for i, m in enumerate(sorted(ev.mentions, key=lambda m: m.trigger_start)):
        mention = _iri(ID[f"mention/{iri_segment(ev.article_id)}/{iri_segment(ev.id)}/{i}"])
        g.add(node, _dip("mention"), mention)
        g.add(mention, _RDF_TYPE, _dip("EventMention"))
        g.add(mention, _dip("sentence"), _text(m.sentence))
        g.add(mention, _dip("sentenceStart"), _int(m.sentence_start))
        g.add(mention, _dip("sentenceEnd"), _int(m.sentence_end))
        g.add(mention, _dip("trigger"), _text(m.trigger))
        g.add(mention, _dip("triggerStart"), _int(m.trigger_start))
        g.add(mention, _dip("triggerEnd"), _int(m.trigger_end))
        g.add(mention, _dip("method"), _text(m.method))
        g.add(mention, _DERIVED, art)
    # the simple triples of the design card, derived from the event
    if main.modality != "negated":
        agent = _iri(actor_iri(main.agent.actor))
        edge = _iri(REL[main.relation])
        if main.target is not None:
            g.add(agent, edge, _iri(actor_iri(main.target.actor)))
        if main.theme_actor is not None:
            g.add(agent, edge, _iri(actor_iri(main.theme_actor)))


def add_build(g: QuadSink, build: URIRef, *, kg_version: str, extractor: str, model: str, lexicon: str,
              articles: int, skipped: Sequence[str] = ()) -> None:
    """The build activity: what made the graph, and the inputs it passed over ("path: reason")."""
    node = _iri(build)
    g.add(node, _RDF_TYPE, _iri(PROV.Activity))
    g.add(node, _LABEL, _text(f"kg build ({articles} articles" + (f", {len(skipped)} inputs skipped)" if skipped
                                                                   else ")")))
    g.add(node, _dip("skippedInputs"), _int(len(skipped)))
    for item in skipped:
        g.add(node, _dip("skippedInput"), _text(item))
    g.add(node, _dip("kgVersion"), _text(kg_version))
    g.add(node, _dip("extractor"), _text(extractor))
    g.add(node, _dip("nlpModel"), _text(model))
    g.add(node, _dip("lexiconVersion"), _text(lexicon))
