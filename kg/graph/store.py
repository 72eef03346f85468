"""The graph store of a build: Oxigraph on disk.

A build writes one named graph per article (replacing it when the article changed) and the
default graph of actors and provenance; readers query it with SPARQL and serialise it. Quads go
in with Oxigraph's (`pyoxigraph`) bulk loader, and every RDF file is written by Oxigraph's own
serialisers straight from the store, so no copy of the graph is ever held in Python. Oxigraph
iterates its indexes in key order, so the same quads always give the same bytes.

Read commands open a store read-only (`OxigraphStore.open`, through `kg.graph.publish.open_build`,
which also holds the build from deletion): they write nothing into it (no lock, no log) and run
side by side with each other and with `kg serve`. This module imports neither spaCy nor rdflib,
so a query starts fast.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import KGError, QueryError

PREFIXES = {
    "dip": "https://w3id.org/kg-dip/ontology#", "id": "https://w3id.org/kg-dip/id/",
    "actor": "https://w3id.org/kg-dip/id/actor/", "article": "https://w3id.org/kg-dip/id/article/",
    "rel": "https://w3id.org/kg-dip/rel/", "cameo": "https://w3id.org/kg-dip/cameo/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/", "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
#: `kg export --format` name -> Oxigraph format. TriG and N-Quads keep the graphs, the rest merge them.
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}
#: Formats that keep one graph per article; the others get the union of all graphs.
_DATASET_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)
#: Subjects whose triples more than one graph may hold (an actor described in the default graph and
#: in an article's graph, an edge two articles report); every other subject lives in one graph.
SHARED_SUBJECTS = ("https://w3id.org/kg-dip/id/actor/",)


class StoreDamaged(KGError):
    """A store folder that Oxigraph cannot read: damaged, foreign, or half copied (`reason`: what
    is wrong with it, without the folder's name)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is damaged: {reason}; rebuild it with kg build")
        self.reason = reason


class OxigraphStore:
    """An Oxigraph store on disk. `create` for a build, `open` (read-only) for readers.

    >>> store = OxigraphStore.open(Path("output/store"))  # doctest: +SKIP
    >>> bool(store.query("ASK { ?s ?p ?o }"))  # doctest: +SKIP
    True
    """

    def __init__(self, store: ox.Store, path: Path, *, read_only: bool) -> None:
        self.store: ox.Store | None = store
        self.path = path
        self.read_only = read_only

    @classmethod
    def create(cls, path: Path) -> OxigraphStore:
        """A new, empty store at `path` (the folder must not hold another store)."""
        try:
            return cls(ox.Store(str(path)), path, read_only=False)
        except OSError as exc:
            raise KGError(f"{path}: cannot create the graph store ({_first_line(exc)})") from None

    @classmethod
    def open(cls, path: Path, *, read_only: bool = True) -> OxigraphStore:
        """Open the store a build wrote. Read-only by default: nothing is written into the folder."""
        if not path.exists():
            raise KGError(f"{path}: no graph store here; run `kg build` first or pass --out")
        if not path.is_dir() or not (path / "CURRENT").is_file():
            raise StoreDamaged(path, "not an Oxigraph store (no CURRENT file)")
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreDamaged(path, _first_line(exc)) from None
        return cls(store, path, read_only=read_only)

    @property
    def _store(self) -> ox.Store:
        if self.store is None:
            raise KGError(f"{self.path}: the graph store is closed")
        return self.store

    def put_graphs(self, graphs: dict[str, list[ox.Quad]]) -> None:
        self.remove_graphs(name for name in graphs if self._store.contains_named_graph(ox.NamedNode(name)))
        self._store.bulk_extend(q for quads in graphs.values() for q in quads)

    def remove_graphs(self, names: Iterable[str]) -> None:
        for name in names:
            self._store.remove_graph(ox.NamedNode(name))

    def put_default(self, quads: list[ox.Quad]) -> None:
        self._store.clear_graph(ox.DefaultGraph())
        self._store.bulk_extend(quads)

    def has_graph(self, name: str) -> bool:
        """Whether the store holds the named graph `name` (an IRI)."""
        try:
            return bool(self._store.contains_named_graph(ox.NamedNode(name)))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreDamaged(self.path, _first_line(exc)) from None

    def graph_names(self) -> Iterator[str]:
        return (g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of the default graph (`None`)."""
        name = ox.NamedNode(graph) if graph is not None else ox.DefaultGraph()
        return iter(self._store.quads_for_pattern(None, None, None, name))

    def query(self, sparql: str, *, union: bool = True) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """SPARQL over the union of all graphs (with `union=False`: over the graphs the query's FROM
        and FROM NAMED choose); errors are KGErrors naming what went wrong."""
        try:
            if not union:
                return self._store.query(sparql, prefixes=None)
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=None)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {_first_line(exc)}") from None
        except OSError as exc:
            raise StoreDamaged(self.path, _first_line(exc)) from None
        except Exception as exc:  # evaluation errors (a bad SERVICE, a type error) have their own types
            raise QueryError(f"the SPARQL query failed: {_first_line(exc) or type(exc).__name__}") from None

    def union_triples(self) -> Iterator[ox.Triple]:
        """Every triple of every graph once (what Turtle and N-Triples can hold), in the store's
        order. Only triples of shared subjects can repeat, so only they are remembered: memory
        grows with the actors, not with the graph (a SPARQL CONSTRUCT remembers every triple)."""
        seen: set[ox.Triple] = set()
        for quad in self._store.quads_for_pattern(None, None, None, None):
            triple = quad.triple
            subject = triple.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(SHARED_SUBJECTS):
                if triple in seen:
                    continue
                seen.add(triple)
            yield triple

    def write(self, target: Path | IO[bytes], fmt: str) -> None:
        rdf_format = RDF_FORMATS[fmt]
        output = str(target) if isinstance(target, Path) else target
        try:
            if rdf_format in _DATASET_FORMATS:
                self._store.dump(output, rdf_format, prefixes=PREFIXES)
            else:
                ox.serialize(self.union_triples(), output, rdf_format, prefixes=PREFIXES)
        except OSError as exc:
            raise KGError(f"{target}: cannot write ({_first_line(exc)})") from None

    def serialize(self, fmt: str) -> bytes:
        import io

        buf = io.BytesIO()
        self.write(buf, fmt)
        return buf.getvalue()

    def finish(self, *, compact: bool = True) -> None:
        """Flush what a build wrote and, when much changed, compact the store so readers open few
        files (a small incremental change is left to RocksDB's own background compaction)."""
        self._store.flush()
        if compact:
            self._store.optimize()

    def close(self) -> None:
        """Release the store. Oxigraph closes it when the last reference goes, and rdflib views of
        it sit in reference cycles: collect them, so a writer has closed its files (and written its
        last bytes) before the build is published."""
        import gc

        self.store = None
        gc.collect()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
