"""Node positions for the HTML view, computed in Python so the browser draws with physics off.

Up to `FORCE_LIMIT` actors: each group of connected actors by networkx's spring layout, the groups
packed in rows (ForceAtlas2, tried first, collapsed each group into a clump and flung the small
ones far apart). Above it a force layout costs too much (networkx's ForceAtlas2 is quadratic:
0.7 s at 500 nodes; its spring layout needs scipy past 500 nodes and then loops in Python), so
large graphs are laid out by community: label
propagation (FLPA) finds the groups, a spring layout places the groups, and each group is a disc of its
actors with the busiest at the centre (a sunflower spiral). At that scale a viewer reads groups
and hubs, not single edges.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx

from kg.views.analysis import undirected

FORCE_LIMIT = 400
#: canvas pixels per actor: room for a large node and its label
UNIT = 170.0
_GOLDEN = math.pi * (3 - math.sqrt(5))


def positions(graph: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Canvas coordinates (vis-network pixels) for every node of `graph` (pairs of actors weighted
    by events; a directed graph is read without direction); deterministic for a seed."""
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    both = undirected(graph) if graph.is_directed() else graph
    if n <= FORCE_LIMIT:
        return _centred(_by_component(both, seed))
    return _scaled(_by_community(both, seed), spread=140.0 * math.sqrt(n))


def _by_component(graph: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    """Each group of connected actors laid out by networkx's spring layout (Fruchterman-Reingold,
    unweighted: one pair with 300 events must not crush the rest into a point), sized by its
    number of actors, and the groups packed in rows, largest first, so none is flung far away."""
    blocks = []
    for part in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c)))):
        nodes = sorted(part, key=str)
        if len(nodes) <= 2:
            local = {n: (float(i) * 2 - 1 if len(nodes) == 2 else 0.0, 0.0) for i, n in enumerate(nodes)}
        else:
            sub = graph.subgraph(nodes)
            spring = nx.spring_layout(sub, seed=seed, weight=None, iterations=200, k=1.6 / math.sqrt(len(nodes)))
            local = {n: (float(x), float(y)) for n, (x, y) in spring.items()}
        radius = UNIT * (0.5 if len(nodes) == 1 else (0.8 if len(nodes) == 2 else 1.1) * math.sqrt(len(nodes)))
        placed = {n: (x * radius, y * radius) for n, (x, y) in local.items()}
        if len(nodes) > 2:  # a spring layout pulls hubs together: push apart actors closer than UNIT
            placed = _apart(placed, UNIT)
            radius = max(radius, max(math.hypot(x, y) for x, y in placed.values()) + UNIT / 2)
        blocks.append((placed, radius))
    gap = UNIT * 0.6
    row_width = max(2 * blocks[0][1] + gap, 1.3 * math.sqrt(sum((2 * r + gap) ** 2 for _, r in blocks)))
    pos: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, r in blocks:
        side = 2 * r + gap
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (dx, dy) in local.items():
            pos[n] = (x + side / 2 + dx, y + side / 2 + dy)
        x += side
        row_height = max(row_height, side)
    return pos


def _by_community(graph: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    # unweighted: the weighted variant reads every edge's data on each visit, ten times slower.
    # networkx's fast label propagation (FLPA, networkx 3.4) revisits only the actors whose
    # neighbours changed: a third of the time of the asynchronous variant on 10,000 actors, with
    # groups as good (the synthetic benchmark's communities of 60 come out as groups of 60)
    find = getattr(nx.community, "fast_label_propagation_communities", nx.community.asyn_lpa_communities)
    groups = [list(g) for g in find(graph, seed=seed)]
    groups.sort(key=len, reverse=True)
    of = {n: i for i, g in enumerate(groups) for n in g}
    # the groups as nodes, weighted by the events between them, laid out by a spring layout
    meta = summed_pairs(len(groups), ((of[s], of[t], w) for s, t, w in graph.edges(data="weight", default=1)))
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


def _apart(pos: Mapping[Hashable, tuple[float, float]], gap: float,
           rounds: int = 60) -> dict[Hashable, tuple[float, float]]:
    """Move points apart, a little each round, until none is closer than `gap` to another."""
    import numpy as np

    names = list(pos)
    pts = np.array([pos[n] for n in names], dtype=float)
    pts += np.random.default_rng(0).normal(scale=1e-3 * gap, size=pts.shape)  # no two exactly on one spot
    for _ in range(rounds):
        delta = pts[:, None, :] - pts[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        short = np.clip(gap - dist, 0.0, None)
        if not short.any():
            break
        pts += (delta / dist[..., None] * (short / 2)[..., None]).sum(axis=1)
    pts -= pts.mean(axis=0)
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, pts, strict=True)}


def _centred(pos: Mapping[Hashable, tuple[float, float]]) -> dict[Hashable, tuple[float, float]]:
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round(x - cx, 1), round(y - cy, 1)) for n, (x, y) in pos.items()}


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


def summed_pairs(n: int, pairs: Iterable[tuple[int, int, float]]) -> nx.Graph:
    """A graph of the nodes 0..n-1 whose edges weigh what `pairs` (a, b, weight) weigh both ways
    together, pairs of a node with itself left out: summed in a dict, not edge by edge."""
    weights: dict[tuple[int, int], float] = {}
    for a, b, w in pairs:
        if a != b:
            key = (a, b) if a < b else (b, a)
            weights[key] = weights.get(key, 0) + w
    out = nx.Graph()
    out.add_nodes_from(range(n))
    out.add_weighted_edges_from((a, b, w) for (a, b), w in weights.items())
    return out
