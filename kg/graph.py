"""The RDF store: events as nodes under the `dip:` ontology, one named graph per article,
actors in the default graph, and direct relation edges (`rel:met`) derived from the events.

rdflib is the API; the default store is Oxigraph (through oxrdflib), on disk, so queries stay
fast as the corpus grows. `open_store` opens a built store for querying and exporting.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.errors import KGError
from kg.iris import iri_segment
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
    """The actor's IRI: its id, percent-encoded where an IRI needs it (`kg.iris`); the label keeps the name."""
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
    """An empty dataset: Oxigraph on disk at `path`, or in memory when `path` is None."""
    ds = Dataset(store=store)
    if path is not None:
        ds.open(str(path), create=True)
    bind_prefixes(ds)
    return ds


def open_store(path: Path, *, store: str = DEFAULT_STORE) -> Dataset:
    """Open a store written by `kg build` (read it with SPARQL, export it)."""
    if not path.exists():
        raise KGError(f"{path}: no graph store here; run `kg build` first or pass --store")
    ds = Dataset(store=store)
    try:
        ds.open(str(path), create=False)
    except Exception as exc:  # the store's own error types vary by backend
        raise KGError(f"{path}: cannot open the graph store ({exc})") from None
    bind_prefixes(ds)
    return ds


def add_actor(g: Graph, actor: Actor, surface_forms: Iterable[str] = ()) -> None:
    node = actor_iri(actor)
    g.add((node, RDF.type, DIP[ACTOR_CLASSES.get(actor.type, "Actor")]))
    g.add((node, RDFS.label, Literal(actor.label)))
    for alias in sorted(set(actor.aliases) | set(surface_forms)):
        if alias and alias != actor.label:
            g.add((node, SKOS.altLabel, Literal(alias)))
    if actor.country:
        g.add((node, DIP.country, Literal(actor.country)))
        if actor.type != "country":
            g.add((node, DIP.countryActor, ID[f"actor/country-{iri_segment(actor.country.lower())}"]))
    if actor.role:
        g.add((node, DIP.role, Literal(actor.role)))
    if actor.office:
        g.add((node, DIP.office, Literal(actor.office)))


def add_article(ds: Dataset, article: Article, events: list[Event], build: URIRef) -> None:
    """Write one article's events into its own named graph (provenance by graph)."""
    g = ds.graph(article_iri(article.id))
    art = article_iri(article.id)
    g.add((art, RDF.type, DIP.Article))
    g.add((art, RDFS.label, Literal(article.title or article.id)))
    g.add((art, DCTERMS.identifier, Literal(article.id)))
    if article.title:
        g.add((art, DCTERMS.title, Literal(article.title)))
    if article.published and (lit := date_literal(article.published)) is not None:
        g.add((art, DCTERMS.issued, lit))
    if article.source:
        g.add((art, DCTERMS.publisher, Literal(article.source)))
    if article.url:
        g.add((art, DIP.url, Literal(article.url)))
    g.add((art, PROV.wasGeneratedBy, build))
    for ev in events:
        _add_event(g, ev, art, build)


def _add_event(g: Graph, ev: Event, art: URIRef, build: URIRef) -> None:
    main = ev.main
    node = event_iri(ev)
    code = cameo(main.cameo)
    g.add((node, RDF.type, DIP.Event))
    g.add((node, RDF.type, DIP[ROOT_CLASSES[main.cameo[:2]]]))
    target = main.target.actor if main.target else None
    label = f"{main.agent.actor.label} {main.relation} {target.label if target else main.theme}".strip()
    g.add((node, RDFS.label, Literal(label)))
    g.add((node, DIP.agent, actor_iri(main.agent.actor)))
    if target is not None:
        g.add((node, DIP.target, actor_iri(target)))
    if main.theme:
        g.add((node, DIP.theme, Literal(main.theme)))
    if main.theme_actor is not None:
        g.add((node, DIP.themeEntity, actor_iri(main.theme_actor)))
        add_actor(g, main.theme_actor)
    g.add((node, DIP.relation, Literal(main.relation)))
    g.add((node, DIP.cameoCode, Literal(main.cameo)))
    g.add((node, DIP.cameoConcept, CAMEO[main.cameo]))
    g.add((node, DIP.eventType, Literal(code.name)))
    g.add((node, DIP.goldstein, Literal(f"{code.goldstein:.1f}", datatype=XSD.decimal)))
    g.add((node, DIP.quadClass, Literal(code.quad_class, datatype=XSD.integer)))
    if main.date and (lit := date_literal(main.date)) is not None:
        g.add((node, DIP.date, lit))
    if main.date_text:
        g.add((node, DIP.dateText, Literal(main.date_text)))
    if main.place:
        g.add((node, DIP.place, Literal(main.place)))
    if main.reported_by:
        g.add((node, DIP.reportedBy, Literal(main.reported_by)))
    g.add((node, DIP.modality, Literal(main.modality)))
    g.add((node, DIP.confidence, Literal(f"{max(m.confidence for m in ev.mentions):.2f}", datatype=XSD.decimal)))
    g.add((node, PROV.wasDerivedFrom, art))
    g.add((node, PROV.wasGeneratedBy, build))
    for i, m in enumerate(sorted(ev.mentions, key=lambda m: m.trigger_start)):
        mention = ID[f"mention/{iri_segment(ev.article_id)}/{iri_segment(ev.id)}/{i}"]
        g.add((node, DIP.mention, mention))
        g.add((mention, RDF.type, DIP.EventMention))
        g.add((mention, DIP.sentence, Literal(m.sentence)))
        g.add((mention, DIP.sentenceStart, Literal(m.sentence_start, datatype=XSD.integer)))
        g.add((mention, DIP.sentenceEnd, Literal(m.sentence_end, datatype=XSD.integer)))
        g.add((mention, DIP.trigger, Literal(m.trigger)))
        g.add((mention, DIP.triggerStart, Literal(m.trigger_start, datatype=XSD.integer)))
        g.add((mention, DIP.triggerEnd, Literal(m.trigger_end, datatype=XSD.integer)))
        g.add((mention, DIP.method, Literal(m.method)))
        g.add((mention, PROV.wasDerivedFrom, art))
    # the simple triples of the design card, derived from the event
    if main.modality != "negated":
        edge = REL[main.relation]
        if target is not None:
            g.add((actor_iri(main.agent.actor), edge, actor_iri(target)))
        if main.theme_actor is not None:
            g.add((actor_iri(main.agent.actor), edge, actor_iri(main.theme_actor)))


def add_build(ds: Dataset, build: URIRef, *, kg_version: str, extractor: str, model: str, lexicon: str,
              articles: int) -> None:
    g = ds.default_graph
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDFS.label, Literal(f"kg build ({articles} articles)")))
    g.add((build, DIP.kgVersion, Literal(kg_version)))
    g.add((build, DIP.extractor, Literal(extractor)))
    g.add((build, DIP.nlpModel, Literal(model)))
    g.add((build, DIP.lexiconVersion, Literal(lexicon)))
