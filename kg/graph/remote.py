"""A SPARQL 1.1 server as the store: `kg build --store URL` writes there (`RemoteUpload`, an output of
the build), and `kg query`, `export`, `viz`, `analyze` and `validate --store URL` read from there.

Writes use the standard protocols: SPARQL 1.1 Update by default (each request replaces a batch of
article graphs: `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`), or the Graph Store
HTTP Protocol when a graph store endpoint is given (`PUT` of each article's graph). Either way a
rebuilt article replaces its graph, so a build can be re-run. What a local store keeps in its
default graph goes into two named graphs, since a server such as Virtuoso has no unnamed default
graph: the actors (`id:graph/actors`, merged across builds) and the build's provenance
(`id:graph/build`, replaced). Reading maps both back to the default graph, so an export from a
server is the same dataset as one from a local build.

Plain HTTP from the standard library: Basic or Digest authentication (Virtuoso's `/sparql-auth`
asks for Digest) with credentials from `KG_STORE_USER`/`KG_STORE_PASSWORD` or a netrc file
(`$NETRC`, else `~/.netrc`), never from the command line.

>>> store = connect("http://localhost:7878/query")            # doctest: +SKIP
>>> for row in store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3"):  # doctest: +SKIP
...     print(row)
"""
from __future__ import annotations

import io
import netrc
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from kg.errors import KGError, QueryError
from kg.graph.publish import open_build
from kg.graph.rdf import ACTOR_CLASSES, DIP, ID, bind_prefixes
from kg.graph.store import OxigraphStore

#: Named graphs holding, on a server, what a local store keeps in its default graph.
ACTORS_GRAPH = ID["graph/actors"]
BUILD_GRAPH = ID["graph/build"]
#: Every graph a build writes starts with this (article graphs are id:article/...).
GRAPH_PREFIX = str(ID)
#: The triples of a build on any SPARQL 1.1 endpoint: those of its named graphs (?g bound), and
#: those of a true default graph (`kg serve`, a server loaded with graph.trig) about its own
#: subjects, which no named graph holds (on a server whose default graph is the union: none).
_BUILD_TRIPLES = (f'{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH_PREFIX}")) }} UNION '
                  f'{{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{GRAPH_PREFIX}")) '
                  f'FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} }} }}')
_PREFIXES = ("PREFIX dip: <https://w3id.org/kg-dip/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> ")
#: The actors of a build with their label, class and country (for the events table).
_ACTORS = (f'?a rdfs:label ?label . OPTIONAL {{ ?a a ?kind }} OPTIONAL {{ ?a <{DIP.country}> ?country }} '
           f'FILTER(STRSTARTS(STR(?a), "{ID["actor/"]}"))')
_ACTOR_TYPES = {str(DIP[cls]): name for name, cls in ACTOR_CLASSES.items()}
#: One row per mention of an event, with what the graph keeps of the event.
_EVENT_VARIABLES = ("?article_id ?ev ?start ?sentence ?agent ?relation ?target ?theme ?thing ?cameo ?event_type "
                    "?quad ?goldstein ?date ?date_text ?place ?reported ?modality ?confidence")
_EVENTS = ("?ev a dip:Event ; dip:agent ?agent ; dip:relation ?relation ; dip:cameoCode ?cameo ; "
           "dip:eventType ?event_type ; dip:quadClass ?quad ; dip:goldstein ?goldstein ; dip:modality ?modality ; "
           "dip:confidence ?confidence ; prov:wasDerivedFrom ?art ; dip:mention ?m . "
           "?m dip:sentence ?sentence ; dip:triggerStart ?start . ?art dcterms:identifier ?article_id . "
           "OPTIONAL { ?ev dip:target ?target } OPTIONAL { ?ev dip:theme ?theme } "
           "OPTIONAL { ?ev dip:themeEntity ?thing } OPTIONAL { ?ev dip:date ?date } "
           "OPTIONAL { ?ev dip:dateText ?date_text } OPTIONAL { ?ev dip:place ?place } "
           "OPTIONAL { ?ev dip:reportedBy ?reported }")
#: Triples per INSERT DATA: Virtuoso turns each into SQL and refuses very long ones.
INSERT_CHUNK = 1000
ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
          "application/sparql-results+xml;q=0.7, application/rdf+xml;q=0.6")
#: Asked for by the form of the query: servers such as Virtuoso answer the first type listed.
ACCEPT_BY_FORM = {"SelectQuery": "application/sparql-results+json, application/sparql-results+xml;q=0.7",
                  "AskQuery": "application/sparql-results+json, application/sparql-results+xml;q=0.7",
                  "ConstructQuery": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.6",
                  "DescribeQuery": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.6"}
#: Response content type -> rdflib format: SPARQL results, then RDF graphs (CONSTRUCT, DESCRIBE).
RESULT_FORMATS = {"application/sparql-results+json": "json", "application/json": "json",
                  "application/sparql-results+xml": "xml"}
GRAPH_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                 "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


@dataclass(frozen=True)
class Endpoints:
    """Where a server answers queries, updates and (optionally) Graph Store Protocol requests."""

    query: str
    update: str
    graph_store: str | None = None

    @classmethod
    def from_url(cls, url: str, *, update: str | None = None, graph_store: str | None = None) -> Endpoints:
        """The query endpoint `url`; updates go to `update`, else to the same URL, except that a URL
        ending in `/query` (Oxigraph, Fuseki) has its updates at `/update` beside it."""
        for value in (url, update, graph_store):
            if value is None:
                continue
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https"):
                raise KGError(f"{value}: not an http(s) URL of a SPARQL endpoint")
            if parts.username is not None or parts.password is not None:
                where = urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
                raise KGError(f"{where}: credentials do not go in the URL (they would show in the shell history "
                              "and the process list); set KG_STORE_USER and KG_STORE_PASSWORD or use ~/.netrc")
        if update is None:
            parts = urlsplit(url)
            path = parts.path[: -len("/query")] + "/update" if parts.path.endswith("/query") else parts.path
            update = urlunsplit(parts._replace(path=path))
        return cls(url, update, graph_store)


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for `url`: `KG_STORE_USER` and `KG_STORE_PASSWORD`, else the netrc entry of
    its host (`$NETRC`, else `~/.netrc`), else None."""
    if os.environ.get("KG_STORE_USER"):
        return os.environ["KG_STORE_USER"], os.environ.get("KG_STORE_PASSWORD", "")
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.exists():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise KGError(f"{path}: cannot read the netrc file ({exc})") from None
    return (entry[0], entry[2] or "") if entry else None


@dataclass
class WriteStats:
    graphs: int = 0
    triples: int = 0
    requests: int = 0

    def __add__(self, other: WriteStats) -> WriteStats:
        return WriteStats(self.graphs + other.graphs, self.triples + other.triples, self.requests + other.requests)


class RemoteStore:
    """A SPARQL 1.1 server holding `kg` builds: query it, read a build back, write one into it."""

    def __init__(self, endpoints: Endpoints, *, timeout: float = 300.0, page_size: int = 5000,
                 batch_triples: int | None = None) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self.page_size = page_size
        self.batch_triples = batch_triples or BATCH_TRIPLES
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in {endpoints.query, endpoints.update, endpoints.graph_store} - {None}:
            assert url is not None
            if (login := credentials(url)) is not None:
                passwords.add_password(None, url, *login)
        self._opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                                   urllib.request.HTTPDigestAuthHandler(passwords))
        self._server: str | None = None  # the query endpoint's Server header, once seen

    # --- HTTP --------------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> tuple[str, bytes]:
        """(content type, body) of the server's answer; failures become one-line KGErrors."""
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                if url == self.endpoints.query:
                    self._server = resp.headers.get("Server", "")
                return resp.headers.get_content_type(), resp.read()
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read().decode("utf-8", "replace")) or exc.reason
            error = QueryError if exc.code == 400 else KGError
            raise error(f"{_where(url)}: the SPARQL server answered {exc.code} ({detail})") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KGError(f"{_where(url)}: cannot reach the SPARQL server ({reason})") from None

    def query(self, sparql: str) -> Result:
        """Run a query on the server (POST, SPARQL 1.1 Protocol); SELECT and ASK come back as
        rows, CONSTRUCT and DESCRIBE as a graph, as from a local store."""
        fields = {"query": sparql}
        if self._union_parameter():
            fields["union-default-graph"] = ""
        ctype, body = self._request("POST", self.endpoints.query, urlencode(fields).encode(),
                                    {"Content-Type": "application/x-www-form-urlencoded",
                                     "Accept": ACCEPT_BY_FORM.get(_query_form(sparql), ACCEPT)})
        if ctype in RESULT_FORMATS:
            return _ask_answer(Result.parse(io.BytesIO(body), format=RESULT_FORMATS[ctype]))
        if ctype in GRAPH_FORMATS:
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=body, format=GRAPH_FORMATS[ctype])
            return result
        raise KGError(f"{_where(self.endpoints.query)}: the SPARQL server answered in {ctype}, "
                      "not SPARQL results or RDF")

    def _union_parameter(self) -> bool:
        """Whether the server is Oxigraph's, whose default graph is the union of the graphs only when
        asked (`union-default-graph`, per query or at start-up): kg asks, as a local store does.
        Other servers are left as they are configured (Virtuoso's default graph is the union)."""
        if self._server is None:
            self._request("POST", self.endpoints.query, urlencode({"query": "ASK {}"}).encode(),
                          {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT_BY_FORM["AskQuery"]})
        return (self._server or "").startswith("Oxigraph")

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update request (POST application/sparql-update)."""
        self._request("POST", self.endpoints.update, sparql.encode("utf-8"),
                      {"Content-Type": "application/sparql-update; charset=utf-8"})

    def _graph_store(self, method: str, graph: URIRef, ntriples: str) -> None:
        assert self.endpoints.graph_store is not None
        sep = "&" if "?" in self.endpoints.graph_store else "?"
        self._request(method, f"{self.endpoints.graph_store}{sep}{urlencode({'graph': str(graph)})}",
                      ntriples.encode("utf-8"), {"Content-Type": "application/n-triples; charset=utf-8"})

    # --- reading -----------------------------------------------------------------------------
    def _select_all(self, variables: str, where: str) -> Iterator[ResultRow]:
        """Every row of `SELECT variables WHERE { where }`, read in pages of `page_size` and checked
        against the server's count. The sort sits in a subquery so that Virtuoso, which refuses to
        sort for a deep OFFSET (MaxSortedTopRows), pages too."""
        counted = next(iter(self.query(f"{_PREFIXES}SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")))
        expected, seen, offset = int(str(counted[0])), 0, 0  # type: ignore[index]
        while True:
            page = [row for row in self.query(
                f"{_PREFIXES}SELECT {variables} WHERE {{ {{ SELECT {variables} WHERE {{ {where} }} "
                f"ORDER BY {variables} }} }} LIMIT {self.page_size} OFFSET {offset}") if isinstance(row, ResultRow)]
            yield from page
            seen += len(page)
            offset += self.page_size
            if len(page) < self.page_size:
                break
        if seen != expected:
            raise KGError(f"{_where(self.endpoints.query)}: the server returned {seen} of its {expected} rows; "
                          "raise its result limit (Virtuoso: ResultSetMaxRows) above the page size")

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        """Every triple of the build, with its article graph (None: the default graph)."""
        for g, s, p, o in self._select_all("?g ?s ?p ?o", _BUILD_TRIPLES):
            if isinstance(o, Literal) and o.datatype == XSD.string:  # RDF 1.1: "x"^^xsd:string is "x"
                o = Literal(str(o))
            yield s, p, o, None if g is None or g in (ACTORS_GRAPH, BUILD_GRAPH) else URIRef(g)

    def event_rows(self) -> list[dict[str, str]]:
        """The events table of the build on the server, one row per mention, as `kg viz` and
        `kg analyze` read it. The graph keeps each event's code, date, theme, place and source once
        (those of its most confident mention), so every row of an event carries those; a local
        build's table keeps each mention's own."""
        actors = {str(a): (str(label), _ACTOR_TYPES.get(str(kind), "actor"), "" if country is None else str(country))
                  for a, label, kind, country in self._select_all("?a ?label ?kind ?country", _ACTORS)}
        rows = []
        for values in self._select_all(_EVENT_VARIABLES, _EVENTS):
            bound = values.asdict()
            v = {name[1:]: str(bound.get(name[1:], "")) for name in _EVENT_VARIABLES.split()}
            agent, target = actors.get(v["agent"], ("", "", "")), actors.get(v["target"], ("", "", ""))
            rows.append({
                "article_id": v["article_id"], "event_id": v["ev"].rsplit("/", 1)[-1], "sentence": v["sentence"],
                "agent": agent[0], "agent_id": v["agent"].rsplit("/actor/", 1)[-1], "agent_type": agent[1],
                "agent_country": agent[2], "relation": v["relation"], "target": target[0],
                "target_id": v["target"].rsplit("/actor/", 1)[-1] if v["target"] else "",
                "target_type": target[1], "target_country": target[2],
                "theme": actors.get(v["thing"], (v["theme"],))[0], "cameo": v["cameo"],
                "event_type": v["event_type"], "quad_class": v["quad"], "goldstein": f"{float(v['goldstein']):g}",
                "date": v["date"], "date_text": v["date_text"], "place": v["place"], "reported_by": v["reported"],
                "modality": v["modality"], "confidence": f"{float(v['confidence']):.2f}", "_start": v["start"]})
        first: dict[tuple[str, str], int] = {}
        for r in rows:
            key = (r["article_id"], r["event_id"])
            first[key] = min(first.get(key, 1 << 62), int(r["_start"]))
        rows.sort(key=lambda r: (r["article_id"], first[(r["article_id"], r["event_id"])], int(r.pop("_start"))))
        return rows

    def dataset(self) -> Dataset:
        """The build on the server as an in-memory dataset: article graphs and the default graph."""
        ds = Dataset()
        bind_prefixes(ds)
        for s, p, o, g in self.quads():
            ds.graph(DATASET_DEFAULT_GRAPH_ID if g is None else g).add((s, p, o))
        return ds

    def graph(self) -> Graph:
        """Every triple of the build on the server as one graph (for views, analysis, SHACL)."""
        g = Graph()
        bind_prefixes(g)
        for s, p, o, _ in self.quads():
            g.add((s, p, o))
        return g

    def graph_names(self) -> list[URIRef]:
        """The graphs of `kg` builds on the server (article graphs, actors, build)."""
        rows = self.query(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                          f'FILTER(STRSTARTS(STR(?g), "{GRAPH_PREFIX}")) }}')
        return sorted(URIRef(str(row[0])) for row in rows)  # type: ignore[index]

    def clear(self) -> int:
        """Drop every graph a `kg` build wrote (and nothing else); how many there were."""
        names = self.graph_names()
        for i in range(0, len(names), 500):
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names[i:i + 500]))
        return len(names)

    # --- writing -----------------------------------------------------------------------------
    def check_writable(self) -> None:
        """Fail now, not after the parse, when the server is unreachable or refuses updates (with
        SPARQL Update: a no-op update with the credentials the write will use)."""
        self.query("ASK {}")
        if not self.endpoints.graph_store:
            self.update(f"DROP SILENT GRAPH <{ID['graph/none']}>")

    def write(self, ds: Dataset, *, default_graph: bool = True) -> WriteStats:
        """Write an in-memory build (or a batch of one) into the server: each article graph and the
        build's provenance replace what the server held under their names, the actors are merged
        into its actors. With `default_graph=False` the actors and provenance are left out."""
        default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
        builds = set(default.subjects(RDF.type, PROV.Activity))
        graphs: list[tuple[URIRef, list[str], bool]] = []  # (name, N-Triples lines, replace)
        for ctx in sorted(ds.graphs(), key=lambda c: str(c.identifier)):
            if ctx.identifier != DATASET_DEFAULT_GRAPH_ID and len(ctx):
                graphs.append((URIRef(ctx.identifier), _ntriples(ctx), True))
        actors, build = Graph(), Graph()
        for s, p, o in default:
            (build if s in builds else actors).add((s, p, o))
        if default_graph:
            graphs += [(ACTORS_GRAPH, _ntriples(actors), False)] if len(actors) else []
            graphs += [(BUILD_GRAPH, _ntriples(build), True)] if len(build) else []
        return self._send(graphs)

    def upload(self, local: OxigraphStore) -> WriteStats:
        """Write a local build's store into the server, graph by graph, as `write` writes a dataset:
        article graphs replaced, actors merged, the build's provenance replaced."""
        stats, batch, size = WriteStats(), [], 0
        for name in sorted(local.graph_names()):
            lines = sorted(_nt_line(q) for q in local.quads(name))
            batch.append((URIRef(name), lines, True))
            size += len(lines)
            if size >= self.batch_triples:
                stats += self._send(batch)
                batch, size = [], 0
        default = list(local.quads(None))
        activity = (f"<{RDF.type}>", f"<{PROV.Activity}>")
        builds = {str(q.subject) for q in default if (str(q.predicate), str(q.object)) == activity}
        actors = sorted(_nt_line(q) for q in default if str(q.subject) not in builds)
        build = sorted(_nt_line(q) for q in default if str(q.subject) in builds)
        batch += [(ACTORS_GRAPH, actors, False)] if actors else []
        batch += [(BUILD_GRAPH, build, True)] if build else []
        return stats + self._send(batch)

    def _send(self, graphs: list[tuple[URIRef, list[str], bool]]) -> WriteStats:
        """(name, N-Triples lines, replace?) graphs into the server, by the protocol it was given."""
        stats = WriteStats()
        if self.endpoints.graph_store:
            for name, lines, replace in graphs:
                self._graph_store("PUT" if replace else "POST", name, "".join(line + "\n" for line in lines))
                stats.requests += 1
        else:
            stats.requests = self._write_updates(graphs)
        stats.graphs = len(graphs)
        stats.triples = sum(len(lines) for _, lines, _ in graphs)
        return stats

    def _write_updates(self, graphs: list[tuple[URIRef, list[str], bool]]) -> int:
        """SPARQL Update requests of about `batch_triples` triples each, several graphs a request and
        each graph whole in one request (a request is one transaction: a graph is never half there)."""
        requests, statements, size = 0, [], 0
        for name, lines, replace in graphs:
            if replace:
                statements.append(f"DROP SILENT GRAPH <{name}>")
            for i in range(0, len(lines), INSERT_CHUNK):
                chunk = lines[i:i + INSERT_CHUNK]
                statements.append(f"INSERT DATA {{ GRAPH <{name}> {{\n" + "\n".join(chunk) + "\n} }")
            size += len(lines)
            if size >= self.batch_triples:
                self.update(" ;\n".join(statements))
                requests, statements, size = requests + 1, [], 0
        if statements:
            self.update(" ;\n".join(statements))
            requests += 1
        return requests


def _nt_line(q: Any) -> str:
    """A quad of the local store as an N-Triples line (Oxigraph's terms print as N-Triples)."""
    return f"{q.subject} {q.predicate} {q.object} ."


def _ntriples(g: Graph) -> list[str]:
    return sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())


def _ask_answer(result: Result) -> Result:
    """Virtuoso answers ASK in JSON as a one-cell table (`__ASK_RETVAL`, 1 or 0): make it a boolean."""
    if result.type == "SELECT" and [str(v) for v in result.vars or []] == ["__ASK_RETVAL"]:
        answer = Result("ASK")
        answer.askAnswer = any(str(row[0]) not in ("0", "false") for row in result)  # type: ignore[index]
        return answer
    return result


def _query_form(sparql: str) -> str:
    """"SelectQuery", "ConstructQuery", ... by rdflib's parser; "" for what it cannot parse (a
    server's own extensions), which the server then judges alone."""
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return str(parseQuery(sparql)[1].name)
    except Exception:  # pyparsing's ParseException and whatever a vendor extension trips
        return ""


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else ""


def _where(url: str) -> str:
    """The URL without its query string (which may hold a whole SPARQL request)."""
    return url.split("?", 1)[0]


def connect(url: str, *, update: str | None = None, graph_store: str | None = None) -> RemoteStore:
    """The SPARQL server whose query endpoint is `url` (see `Endpoints.from_url` for the others)."""
    return RemoteStore(Endpoints.from_url(url, update=update, graph_store=graph_store))


#: Triples a SPARQL Update request carries at most (several graphs a request, each graph whole).
BATCH_TRIPLES = 5000


class RemoteUpload:
    """A SPARQL server as an output of a build (a sink of `kg.build`, `kg build --store URL`): the
    server is asked before the parse whether it can be written (an unreachable one fails then),
    and once the build is published its graphs are written into it, graph by graph: each article
    graph and the build's provenance replace what the server held under their names, the actors
    are merged into its actors. The server then holds exactly the local build's graph.

    >>> upload = RemoteUpload(connect("http://localhost:7878/query"))  # doctest: +SKIP
    >>> build(["seeds/"], Path("output"), sinks=[upload]).articles, upload.written.graphs  # doctest: +SKIP
    (1, 3)
    """

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self.written = WriteStats()

    def check(self) -> None:
        self.store.check_writable()

    def table_written(self, folder: Path) -> None:
        """Nothing goes from the server into the build."""

    def finish(self, folder: Path, *, failed: bool) -> None:
        """Nothing to wait for: the server is written once the build is published."""

    def published(self, out_dir: Path) -> None:
        """Write the build now current in `out_dir` (held: a build into the same folder meanwhile
        does not delete it) into the server."""
        with open_build(out_dir) as local:
            self.written = self.store.upload(local)
