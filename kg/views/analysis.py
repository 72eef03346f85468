"""Events as a network of actors: the events of a build read from its events table, focused
selections (an actor's neighbourhood, a period, CAMEO roots, one article), one aggregated edge per
directed pair of actors, and the analyses users ask for first (centrality, communities, brokers,
the most active actors per period, and the cooperation/conflict balance of a dyad over time).

Nothing here imports spaCy or opens the store: a view or an analysis reads the events table
(`events.csv`, the contract of DESIGN.md), so it runs in parallel with anything else.

>>> events = events_from_rows(events_table(Path("output")))  # doctest: +SKIP
>>> pairs = aggregate(select(events, actor="Kim Jong-un", hops=1))  # doctest: +SKIP
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import networkx as nx

from kg.errors import KGError

#: CAMEO quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class ViewEvent:
    """One event as the views see it: its actors, its code and its evidence (all its sentences)."""

    article_id: str
    event_id: str
    agent_id: str
    agent: str
    agent_type: str
    agent_country: str
    target_id: str  # "" when the event has no other party ("KCNA said Kim ordered preparations")
    target: str
    target_type: str
    target_country: str
    relation: str
    cameo: str
    event_type: str
    quad_class: int
    goldstein: float
    date: str  # "2019-01-23", "2019-01", "2019" or "" when undated
    modality: str
    reported_by: str
    sentences: tuple[str, ...]

    @property
    def root(self) -> str:
        return self.cameo[:2]


def events_from_rows(rows: Iterable[Mapping[str, str]]) -> list[ViewEvent]:
    """Events from rows of the events table (one row per mention), in the table's order.

    Rows are not kept: an event keeps its first row's fields and its sentences, and the few values
    that repeat across events (actors, codes, dates) are shared, so a 10,000-article table is read
    in a fraction of the memory its rows would take."""
    first: dict[tuple[str, str], ViewEvent] = {}
    sentences: dict[tuple[str, str], dict[str, None]] = {}
    shared: dict[str, str] = {}

    def one(value: str) -> str:
        return shared.setdefault(value, value)

    for row in rows:
        key = (row["article_id"], row["event_id"])
        if key in first:
            sentences[key][row["sentence"]] = None
            continue
        try:
            quad, goldstein = int(row["quad_class"]), float(row["goldstein"])
        except (KeyError, ValueError):
            raise KGError(f"event {key[1]} of article {key[0]}: quad_class and goldstein must be numbers "
                          "(is this an events table written by kg build?)") from None
        first[key] = ViewEvent(
            article_id=one(key[0]), event_id=key[1], agent_id=one(row["agent_id"]), agent=one(row["agent"]),
            agent_type=one(row["agent_type"]), agent_country=one(row["agent_country"]),
            target_id=one(row["target_id"]), target=one(row["target"]), target_type=one(row["target_type"]),
            target_country=one(row["target_country"]), relation=one(row["relation"]), cameo=one(row["cameo"]),
            event_type=one(row["event_type"]), quad_class=quad, goldstein=goldstein, date=one(row["date"]),
            modality=one(row["modality"]), reported_by=one(row["reported_by"]), sentences=())
        sentences[key] = {row["sentence"]: None}
    return [replace(ev, sentences=tuple(sentences[key])) for key, ev in first.items()]


@dataclass(frozen=True)
class ActorInfo:
    id: str
    label: str
    type: str
    country: str


def actors_of(events: Iterable[ViewEvent]) -> dict[str, ActorInfo]:
    """Every actor that takes part in an event, by id, in order of first appearance."""
    actors: dict[str, ActorInfo] = {}
    for ev in events:
        actors.setdefault(ev.agent_id, ActorInfo(ev.agent_id, ev.agent, ev.agent_type, ev.agent_country))
        if ev.target_id:
            actors.setdefault(ev.target_id, ActorInfo(ev.target_id, ev.target, ev.target_type, ev.target_country))
    return actors


def find_actor(events: Iterable[ViewEvent], name: str) -> str:
    """The id of the actor called `name` (its id, or its label in any case); a clear error if none."""
    actors = actors_of(events)
    if name in actors:
        return name
    wanted = name.casefold().strip()
    exact = [a.id for a in actors.values() if a.label.casefold() == wanted]
    if exact:
        return exact[0]
    partial = sorted(a.label for a in actors.values() if wanted and wanted in a.label.casefold())
    if len(partial) == 1:
        return next(a.id for a in actors.values() if a.label == partial[0])
    hint = f"; did you mean {', '.join(partial[:5])}?" if partial else "; `kg analyze` lists the most active ones"
    raise KGError(f"actor {name!r}: no actor of that name takes part in an event of this build{hint}")


def _date_bounds(value: str, *, option: str) -> str:
    import datetime as dt

    try:
        if not _DATE.match(value):
            raise ValueError
        dt.date.fromisoformat((value + "-01-01")[:10] if len(value) < 10 else value)
    except ValueError:
        raise KGError(f"{option} {value!r}: not a date; write YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


def select(events: Iterable[ViewEvent], *, actor: str | None = None, hops: int = 1, since: str | None = None,
           until: str | None = None, roots: Iterable[str] | None = None, article: str | None = None,
           min_events: int = 1) -> list[ViewEvent]:
    """The events of a focused view.

    `actor` keeps the actors within `hops` pairs of it and the events among them (`hops=0`: only
    the events it takes part in); `since`/`until`
    keep dated events that overlap the period (an event dated "2019" overlaps "2019-03");
    `roots` keeps CAMEO roots ("04", "05"); `article` one article's events; `min_events` drops
    the pairs of actors with fewer events (events with no target are kept with their actor).
    """
    chosen = list(events)
    if hops < 0:
        raise KGError(f"--hops {hops}: must be 0 or more")
    if min_events < 1:
        raise KGError(f"--min-events {min_events}: must be 1 or more")
    if actor is None and hops != 1:
        raise KGError(f"--hops {hops}: goes with --actor NAME (the actor to start from)")
    if article is not None:
        if not any(ev.article_id == article for ev in chosen):
            raise KGError(f"article {article!r}: no event of this build comes from an article of that id")
        chosen = [ev for ev in chosen if ev.article_id == article]
    if roots is not None:
        wanted = {r.strip().zfill(2) for r in roots if r.strip()}
        bad = sorted(r for r in wanted if not (r.isdigit() and 1 <= int(r) <= 20))
        if bad:
            raise KGError(f"--root {','.join(bad)}: CAMEO roots are two digits from 01 to 20")
        chosen = [ev for ev in chosen if ev.root in wanted]
    if since is not None:
        start = _date_bounds(since, option="--since")
        chosen = [ev for ev in chosen if ev.date and ev.date >= start[:len(ev.date)]]
    if until is not None:
        end = _date_bounds(until, option="--until")
        chosen = [ev for ev in chosen if ev.date and ev.date[:len(end)] <= end]
    if min_events > 1:
        counts = Counter((ev.agent_id, ev.target_id) for ev in chosen if ev.target_id)
        chosen = [ev for ev in chosen if not ev.target_id or counts[(ev.agent_id, ev.target_id)] >= min_events]
    if actor is not None:
        centre = find_actor(chosen, actor) if chosen else find_actor([], actor)
        graph = nx.Graph()
        graph.add_node(centre)
        graph.add_edges_from((ev.agent_id, ev.target_id) for ev in chosen if ev.target_id)
        near = set(nx.single_source_shortest_path_length(graph, centre, cutoff=max(hops, 1)))
        chosen = [ev for ev in chosen if ev.agent_id in near and (not ev.target_id or ev.target_id in near)
                  and (hops > 0 or centre in (ev.agent_id, ev.target_id))]
    return chosen


def goldstein_colour(score: float) -> str:
    """Conflict red (-10) through neutral grey (0) to cooperation green (+10), as #rrggbb."""
    grey, red, green = (158, 158, 158), (214, 39, 40), (44, 160, 44)
    t = max(-1.0, min(1.0, score / 10.0))
    # A little Goldstein already reads as a colour: the scale is stretched near zero.
    t = (abs(t) ** 0.6) * (1 if t >= 0 else -1)
    end = green if t >= 0 else red
    rgb = [round(g + (e - g) * abs(t)) for g, e in zip(grey, end, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@dataclass
class Pair:
    """All events from one actor to another: one edge of the aggregated view."""

    source: str
    target: str
    events: list[ViewEvent] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def mean_goldstein(self) -> float:
        return sum(ev.goldstein for ev in self.events) / len(self.events)

    def top_relations(self, n: int = 3) -> list[tuple[str, int]]:
        return Counter(ev.relation for ev in self.events).most_common(n)


def aggregate(events: Iterable[ViewEvent]) -> dict[tuple[str, str], Pair]:
    """One Pair per directed (agent, target), in order of first event."""
    pairs: dict[tuple[str, str], Pair] = {}
    for ev in events:
        if ev.target_id:
            key = (ev.agent_id, ev.target_id)
            if key not in pairs:
                pairs[key] = Pair(*key)
            pairs[key].events.append(ev)
    return pairs


def pair_graph(events: Iterable[ViewEvent]) -> nx.DiGraph:
    """Actors as nodes (label, type, country, activity), one weighted edge per directed pair."""
    events = list(events)
    graph = nx.DiGraph()
    for a in actors_of(events).values():
        graph.add_node(a.id, label=a.label, type=a.type, country=a.country, activity=0)
    for ev in events:
        graph.nodes[ev.agent_id]["activity"] += 1
        if ev.target_id and ev.target_id != ev.agent_id:
            graph.nodes[ev.target_id]["activity"] += 1
    for (s, t), pair in aggregate(events).items():
        graph.add_edge(s, t, weight=pair.count, goldstein=pair.mean_goldstein)
    return graph


def undirected(graph: nx.DiGraph) -> nx.Graph:
    """The pairs without direction, weighted by the events both ways (self-loops dropped)."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes)
    for s, t, w in graph.edges(data="weight", default=1):
        if s != t:
            out.add_edge(s, t, weight=out.get_edge_data(s, t, {"weight": 0})["weight"] + w)
    return out


def month(date: str) -> str:
    """The month of an ISO date to the precision known ("2019-01"), or the year alone ("2019")."""
    return date[:7]


def analyze(events: Iterable[ViewEvent], *, top: int = 10, seed: int = 7,
            sample_above: int = 1000, edge_budget: int = 1_000_000) -> dict[str, list[tuple[str, float]]]:
    """Who is central, who acts most, who is acted upon most, the brokers, the strongest ties.

    Betweenness is exact up to `sample_above` actors; beyond, it is estimated from sampled sources
    (networkx's `k`): as many as `edge_budget` edge visits allow (each source is one pass over the
    graph), from 20 to 200, so a large build stays quick; `seed` makes it repeatable.
    """
    events = list(events)
    graph = pair_graph(events)
    if graph.number_of_edges() == 0:
        return {}
    label = nx.get_node_attributes(graph, "label")

    def ranked(scores: Mapping[str, float]) -> list[tuple[str, float]]:
        return sorted(((label[n], round(v, 3)) for n, v in scores.items()), key=lambda x: (-x[1], x[0]))[:top]

    out_events = Counter(ev.agent_id for ev in events)
    in_events = Counter(ev.target_id for ev in events if ev.target_id)
    k = (max(20, min(200, edge_budget // max(1, graph.number_of_edges())))
         if graph.number_of_nodes() > sample_above else None)
    ties: Counter[tuple[str, str]] = Counter()
    for (s, t), pair in aggregate(events).items():
        ties[tuple(sorted((label[s], label[t])))] += pair.count  # type: ignore[index]
    return {
        "degree centrality": ranked(nx.degree_centrality(graph)),
        "events as agent": ranked(out_events),
        "events as target": ranked(in_events),
        "brokers (betweenness" + (f", {k} sampled sources)" if k else ")"):
            ranked(nx.betweenness_centrality(undirected(graph), k=k, seed=seed)),
        "strongest ties": sorted(((f"{a} — {b}", float(n)) for (a, b), n in ties.items()),
                                 key=lambda x: (-x[1], x[0]))[:top],
    }


def communities(events: Iterable[ViewEvent], *, seed: int = 7) -> list[list[str]]:
    """Groups of actors that deal more with each other than with the rest (networkx's Louvain on
    the undirected pairs weighted by events), largest first, each by activity."""
    graph = pair_graph(events)
    both = undirected(graph)
    groups = nx.community.louvain_communities(both, weight="weight", seed=seed) if both.number_of_edges() else []
    ordered = []
    for group in groups:
        members = sorted(group, key=lambda n: (-graph.nodes[n]["activity"], graph.nodes[n]["label"]))
        ordered.append([graph.nodes[n]["label"] for n in members])
    return sorted(ordered, key=lambda g: (-len(g), g[0]))


def most_active(events: Iterable[ViewEvent], *, period: str = "month",
                top: int = 3) -> list[tuple[str, list[tuple[str, int]]]]:
    """The `top` actors by events taken part in, per month (or per year); undated events aside."""
    if period not in ("month", "year"):
        raise KGError(f"period {period!r}: use month or year")
    width = 7 if period == "month" else 4
    by_period: dict[str, Counter[str]] = {}
    for ev in events:
        if len(ev.date) < width:
            continue
        counter = by_period.setdefault(ev.date[:width], Counter())
        counter[ev.agent] += 1
        if ev.target_id and ev.target != ev.agent:
            counter[ev.target] += 1
    return [(p, sorted(c.items(), key=lambda x: (-x[1], x[0]))[:top]) for p, c in sorted(by_period.items())]


DYAD_COLUMNS = ("dyad", "month", "events", "a_to_b", "b_to_a", "goldstein_sum", "goldstein_mean",
                "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")


def dyad(events: Iterable[ViewEvent], a: str, b: str, *, since: str | None = None,
         until: str | None = None) -> list[dict[str, str | int | float]]:
    """The relationship of A and B month by month (both directions): events, Goldstein sum and mean,
    and counts by quad class. Events dated only to the year count under "YYYY"; undated ones under
    "undated", last. `since`/`until` keep the events that overlap a period, as `select` does."""
    events = list(events)
    a_id, b_id = find_actor(events, a), find_actor(events, b)
    if a_id == b_id:
        raise KGError(f"dyad {a!r} {b!r}: name two different actors")
    label = {k: v.label for k, v in actors_of(events).items()}
    name = f"{label[a_id]} — {label[b_id]}"
    theirs = [ev for ev in events if {ev.agent_id, ev.target_id} == {a_id, b_id}]
    if since is not None or until is not None:
        theirs = select(theirs, since=since, until=until)
    months: dict[str, list[ViewEvent]] = {}
    for ev in theirs:
        months.setdefault(month(ev.date) or "undated", []).append(ev)
    rows: list[dict[str, str | int | float]] = []
    for m in sorted(months, key=lambda m: (m == "undated", m)):
        evs = months[m]
        quads = Counter(ev.quad_class for ev in evs)
        total = sum(ev.goldstein for ev in evs)
        rows.append({
            "dyad": name, "month": m, "events": len(evs),
            "a_to_b": sum(1 for ev in evs if ev.agent_id == a_id),
            "b_to_a": sum(1 for ev in evs if ev.agent_id == b_id),
            "goldstein_sum": round(total, 1), "goldstein_mean": round(total / len(evs), 2),
            "verbal_cooperation": quads[1], "material_cooperation": quads[2],
            "verbal_conflict": quads[3], "material_conflict": quads[4],
        })
    return rows


def top_dyads(events: Iterable[ViewEvent], n: int) -> list[tuple[str, str]]:
    """The `n` pairs of actors (either direction) with the most events, as (id, id)."""
    counts: Counter[tuple[str, str]] = Counter()
    for ev in events:
        if ev.target_id and ev.target_id != ev.agent_id:
            counts[tuple(sorted((ev.agent_id, ev.target_id)))] += 1  # type: ignore[index]
    return [pair for pair, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:n]]


def trend(rows: list[dict[str, str | int | float]]) -> str:
    """"better", "worse" or "steady": mean Goldstein of the later dated months against the earlier."""
    dated = [r for r in rows if r["month"] != "undated" and len(str(r["month"])) == 7]
    if len(dated) < 2:
        return "too few dated months to tell"
    half = len(dated) // 2

    def mean(rs: list[dict[str, str | int | float]]) -> float:
        return sum(float(r["goldstein_sum"]) for r in rs) / sum(int(r["events"]) for r in rs)

    before, after = mean(dated[:half]), mean(dated[half:])
    word = "better" if after > before + 0.5 else "worse" if after < before - 0.5 else "steady"
    return (f"{word}: mean Goldstein {after:+.2f} over {dated[half]['month']}..{dated[-1]['month']} "
            f"against {before:+.2f} over {dated[0]['month']}..{dated[half - 1]['month']}")


def report(events: Iterable[ViewEvent], *, top: int = 10, period: str = "month") -> str:
    """`kg analyze` as text: the measures of `analyze`, the communities and the most active per period."""
    events = list(events)
    measures = analyze(events, top=top)
    if not measures:
        return "no events between actors in this graph"
    lines = []
    for measure, rows in measures.items():
        lines.append(f"{measure}:")
        lines.extend(f"  {value:>8g}  {name}" for name, value in rows)
    groups = communities(events)
    lines.append(f"communities (Louvain, {len(groups)} in all; the largest {min(top, len(groups))}, busiest first):")
    for i, members in enumerate(groups[:top], 1):
        shown = ", ".join(members[:8]) + (f" and {len(members) - 8} more" if len(members) > 8 else "")
        lines.append(f"  {i:>3}. ({len(members)}) {shown}")
    active = most_active(events, period=period, top=3)
    lines.append(f"most active actors per {period} (events taken part in):")
    for when, ranked in active[-top:] if top else active:
        lines.append(f"  {when:<8} " + "; ".join(f"{name} {n}" for name, n in ranked))
    if len(active) > top:
        lines.append(f"  (the last {top} of {len(active)} periods; --top shows more)")
    return "\n".join(lines)


def dyad_report(events: Iterable[ViewEvent], actors: tuple[str, ...] | None, *, top: int | None = None,
                fmt: str = "table") -> str:
    """`kg analyze dyad`: the months of one pair (A, B), or of the `top` busiest pairs, as a table, CSV
    or JSON; the table ends each pair with its trend ("better", "worse" or "steady")."""
    import csv
    import io
    import json

    events = list(events)
    if actors is not None:
        pairs = [(actors[0], actors[1])]
    else:
        if top is None or top < 1:
            raise KGError(f"--top {top}: must be 1 or more")
        pairs = top_dyads(events, top)
    tables = [dyad(events, a, b) for a, b in pairs]
    if actors is not None and not tables[0]:
        raise KGError(f"{actors[0]!r} and {actors[1]!r}: no event between these two actors in this build")
    rows = [r for t in tables for r in t]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=DYAD_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    out = []
    cols = DYAD_COLUMNS[1:]
    heads = ("month", "events", "A>B", "B>A", "G sum", "G mean", "v.coop", "m.coop", "v.confl", "m.confl")
    for table in tables:
        out.append(f"{table[0]['dyad']}  (A>B: events from the first to the second)")
        out.append("  ".join(f"{h:>8}" for h in heads))
        out.extend("  ".join(f"{r[c]!s:>8}" for c in cols) for r in table)
        out.append(f"trend: {trend(table)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
