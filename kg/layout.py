"""Node positions for the HTML view, computed in Python so the browser draws with physics off.

Up to `FORCE_LIMIT` actors: networkx's ForceAtlas2 (LinLog mode, which pulls groups of actors that
deal with each other together), then spread so labels have room. Above it a force layout costs
too much (networkx's ForceAtlas2 is quadratic: 0.7 s at 500 nodes; its spring layout needs scipy
past 500 nodes and then loops in Python), so large graphs are laid out by community: label
propagation finds the groups, a spring layout places the groups, and each group is a disc of its
actors with the busiest at the centre (a sunflower spiral). At that scale a viewer reads groups
and hubs, not single edges.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx

from kg.analysis import undirected

FORCE_LIMIT = 400
_GOLDEN = math.pi * (3 - math.sqrt(5))


def positions(graph: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Canvas coordinates (vis-network pixels) for every node of `graph` (pairs of actors weighted
    by events; a directed graph is read without direction); deterministic for a seed."""
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    both = undirected(graph) if graph.is_directed() else graph
    if n <= FORCE_LIMIT:
        pos = _force(both, seed)
    else:
        pos = _by_community(both, seed)
    return _scaled(pos, spread=140.0 * math.sqrt(n))


def _force(graph: nx.Graph, seed: int) -> Mapping[Hashable, tuple[float, float]]:
    if graph.number_of_nodes() <= 2:
        return nx.circular_layout(graph)
    # log weights: one pair with 300 events must not crush the rest into a point
    for _, _, data in graph.edges(data=True):
        data["w"] = 1.0 + math.log(data["weight"])
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):  # networkx divides by each node's zero self-distance
        pos = nx.forceatlas2_layout(graph, seed=seed, max_iter=200, weight="w", linlog=True, scaling_ratio=2.0,
                                    gravity=1.0, strong_gravity=False, distributed_action=True)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _by_community(graph: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    # unweighted: the weighted variant reads every edge's data on each visit, ten times slower
    groups = [list(g) for g in nx.community.asyn_lpa_communities(graph, seed=seed)]
    groups.sort(key=len, reverse=True)
    of = {n: i for i, g in enumerate(groups) for n in g}
    # the groups as nodes, weighted by the events between them, laid out by a spring layout
    meta = nx.Graph()
    meta.add_nodes_from(range(len(groups)))
    for s, t, w in graph.edges(data="weight"):
        a, b = of[s], of[t]
        if a != b:
            meta.add_edge(a, b, weight=meta.get_edge_data(a, b, {"weight": 0})["weight"] + w)
    radius = [math.sqrt(len(g)) for g in groups]
    if len(groups) <= FORCE_LIMIT:
        centres = nx.spring_layout(meta, seed=seed, weight=None, k=None, iterations=80)
    else:  # thousands of tiny groups (isolated pairs): a spiral of groups, largest first
        centres = {i: _spiral(i) for i in range(len(groups))}
    scale = 4.0 * math.sqrt(sum(r * r for r in radius))
    degree = dict(graph.degree(weight="weight"))
    pos: dict[Hashable, tuple[float, float]] = {}
    for i, group in enumerate(groups):
        cx, cy = centres[i][0] * scale, centres[i][1] * scale
        for rank, node in enumerate(sorted(group, key=lambda n: (-degree[n], str(n)))):
            dx, dy = _spiral(rank)
            pos[node] = (cx + dx, cy + dy)
    return pos


def _spiral(rank: int) -> tuple[float, float]:
    """The rank-th point of a sunflower spiral of unit spacing (Vogel's model)."""
    r, a = math.sqrt(rank + 0.5), rank * _GOLDEN
    return r * math.cos(a), r * math.sin(a)


def _scaled(pos: Mapping[Hashable, tuple[float, float]], *, spread: float) -> dict[Hashable, tuple[float, float]]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: (round((x - cx) / half * spread, 1), round((y - cy) / half * spread, 1)) for n, (x, y) in pos.items()}
