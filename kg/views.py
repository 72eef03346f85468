"""What users look at: a networkx view of the graph (actors as nodes, events as edges), its
analysis, and an interactive pyvis HTML page that opens with no network (JavaScript inlined)."""
from __future__ import annotations

import html
import re
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.query import ResultRow

from kg.files import write_text_atomic
from kg.graph import DIP

NODE_STYLE = {  # type -> (shape, colour)
    "Person": ("dot", "#4e79a7"), "Country": ("diamond", "#e15759"), "Organization": ("square", "#59a14f"),
    "Group": ("triangle", "#f28e2b"), "Facility": ("star", "#b07aa1"), "Document": ("box", "#9c755f"),
}
QUAD_COLOURS = {1: "#76b7b2", 2: "#59a14f", 3: "#edc948", 4: "#e15759"}
_EVENTS_QUERY = """
PREFIX dip: <https://w3id.org/kg-dip/ontology#>
SELECT ?ev ?agent ?target ?thing ?relation ?code ?etype ?quad ?date ?sentence ?modality ?reported WHERE {
  ?ev a dip:Event ; dip:agent ?agent ; dip:relation ?relation ; dip:cameoCode ?code ;
      dip:eventType ?etype ; dip:quadClass ?quad ; dip:modality ?modality ; dip:mention ?m .
  ?m dip:sentence ?sentence .
  OPTIONAL { ?ev dip:target ?target }
  OPTIONAL { ?ev dip:themeEntity ?thing }
  OPTIONAL { ?ev dip:date ?date }
  OPTIONAL { ?ev dip:reportedBy ?reported }
}"""


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Actors (and named things: letters, facilities) as nodes; one edge per event."""
    graph = nx.MultiDiGraph()

    def node(iri: URIRef) -> str:
        key = str(iri)
        if key not in graph:
            label = str(g.value(iri, RDFS.label) or key.rsplit("/", 1)[-1])
            kinds = [str(t).rsplit("#", 1)[-1] for t in g.objects(iri, RDF.type)]
            kind = next((k for k in kinds if k in NODE_STYLE), "Actor")
            graph.add_node(key, label=label, type=kind, country=str(g.value(iri, DIP.country) or ""))
        return key

    seen: set[str] = set()
    rows = [r for r in g.query(_EVENTS_QUERY) if isinstance(r, ResultRow)]
    for row in sorted(rows, key=lambda r: (str(r.ev), str(r.sentence))):
        if str(row.ev) in seen:
            continue
        seen.add(str(row.ev))
        attrs = dict(cameo=str(row.code), event_type=str(row.etype), quad_class=int(row.quad),
                     date=str(row.date or ""), sentence=str(row.sentence), modality=str(row.modality),
                     reported_by=str(row.reported or ""))
        agent = node(URIRef(row.agent))
        if row.thing is not None:
            # a named letter or facility is a node of its own: Trump -sent-> letter -to-> Kim
            graph.add_edge(agent, node(URIRef(row.thing)), key=str(row.ev), relation=str(row.relation), **attrs)
            if row.target is not None:
                graph.add_edge(node(URIRef(row.thing)), node(URIRef(row.target)), key=f"{row.ev}/to",
                               relation="to", **attrs)
        elif row.target is not None:
            graph.add_edge(agent, node(URIRef(row.target)), key=str(row.ev), relation=str(row.relation), **attrs)
        else:
            # an event with no other party ("KCNA said Kim ordered preparations") is listed on the actor
            graph.nodes[agent].setdefault("solo", []).append(
                f"{row.relation} (CAMEO {row.code}, {row.date or 'undated'}): {row.sentence}")
    return graph


def analyze(g: Graph, *, top: int = 10) -> dict[str, list[tuple[str, float]]]:
    """Who is central, who acts most, who is acted upon most, and the strongest ties."""
    graph = to_networkx(g)
    if graph.number_of_nodes() == 0:
        return {}
    label = nx.get_node_attributes(graph, "label")
    simple = nx.DiGraph(graph)

    def ranked(scores: dict[str, float]) -> list[tuple[str, float]]:
        return sorted(((label[n], round(v, 3)) for n, v in scores.items()), key=lambda x: (-x[1], x[0]))[:top]

    ties: dict[tuple[str, str], int] = {}
    for u, v in graph.edges():
        key = tuple(sorted((label[u], label[v])))
        ties[key] = ties.get(key, 0) + 1  # type: ignore[index]
    return {
        "degree centrality": ranked(nx.degree_centrality(graph)),
        "events as agent": ranked(dict(graph.out_degree())),
        "events as target": ranked(dict(graph.in_degree())),
        "betweenness": ranked(nx.betweenness_centrality(simple)),
        "strongest ties": sorted(((f"{a} — {b}", float(n)) for (a, b), n in ties.items()),
                                 key=lambda x: (-x[1], x[0]))[:top],
    }


def write_html(g: Graph, path: Path, *, title: str = "kg: diplomatic events") -> None:
    """An interactive pyvis page with vis-network inlined, so it opens without a network."""
    from pyvis.network import Network

    graph = to_networkx(g)
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for n, data in graph.nodes(data=True):
        shape, colour = NODE_STYLE.get(data["type"], ("dot", "#bab0ac"))
        tip = f"{data['label']}\n{data['type']}" + (f" ({data['country']})" if data["country"] else "")
        solo = data.get("solo", [])
        if solo:
            tip += "\n\n" + "\n".join(f"• {line[:160]}" for line in solo[:8]) + (
                f"\n… and {len(solo) - 8} more" if len(solo) > 8 else "")
        net.add_node(n, label=data["label"], shape=shape, color=colour, title=tip)
    parallel: dict[tuple[str, str], int] = {}
    for u, v, data in graph.edges(data=True):
        k = parallel[(u, v)] = parallel.get((u, v), -1) + 1  # fan out edges between one pair
        tip = (f"{data['relation']} — CAMEO {data['cameo']} {data['event_type']}\n"
               f"date: {data['date'] or 'unknown'}   modality: {data['modality']}"
               + (f"   reported by: {data['reported_by']}" if data["reported_by"] else "")
               + f"\n“{data['sentence']}”")
        net.add_edge(u, v, label=data["relation"], title=tip, color=QUAD_COLOURS.get(data["quad_class"], "#888"),
                     dashes=data["modality"] != "asserted", arrows="to",
                     smooth={"type": "curvedCW", "roundness": 0.1 + 0.18 * k})
    net.set_options('{"physics": {"barnesHut": {"springLength": 180}}, '
                    '"edges": {"font": {"size": 11, "align": "middle"}, '
                    '"smooth": {"type": "curvedCW", "roundness": 0.15}},'
                    '"interaction": {"hover": true, "tooltipDelay": 100}}')
    page = net.generate_html(notebook=False)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    # pyvis links Bootstrap from a CDN for its card layout; the page works without it offline.
    page = re.sub(r'<link[^>]*cdn\.jsdelivr\.net[^>]*>\s*', "", page)
    page = re.sub(r'<script[^>]*cdn\.jsdelivr\.net[^>]*>\s*</script>\s*', "", page)
    write_text_atomic(path, page)
