"""The interactive pyvis page of a build (one aggregated edge per directed pair of actors,
filters, a side panel with the sentences behind every edge), and what the page and the timeline
share: their assets under `templates/` and how a page is written.

The page opens with no network: vis-network, the page's script and its styles are inlined. Every
string that comes from an article, the gazetteer or a user's actor file reaches the page as JSON
data (with `<`, `>` and `&` escaped) and the page's script puts it into the document with
`textContent` only, never as markup: no `title` is given to vis-network (whose tooltips pyvis
renders with `innerHTML`), tooltips and the panel are built by our script.

>>> write_view(Path("output"), Path("korea.html"), actor="Kim Jong-un", hops=1)  # doctest: +SKIP
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import KGError
from kg.knowledge import cameo
from kg.util.files import write_text_atomic
from kg.views.analysis import QUAD_NAMES, ViewEvent, select
from kg.views.events import load_events
from kg.views.layout import positions as layout
from kg.views.layout import summed_pairs

#: actor type -> (vis-network shape, colour); the legend of the page is drawn from this table
NODE_STYLE = {
    "person": ("dot", "#4e79a7"), "country": ("diamond", "#e15759"), "organization": ("square", "#59a14f"),
    "group": ("triangle", "#f28e2b"), "facility": ("star", "#b07aa1"), "document": ("triangleDown", "#9c755f"),
}
OTHER_STYLE = ("dot", "#bab0ac")
#: above this many pairs the page draws straight edges and hides them while panning (vis-network
#: redraws every edge on every frame)
LARGE = 3000


def node_size(activity: int) -> float:
    """Node size by events taken part in (the page's script uses the same formula)."""
    return round(min(60.0, 8.0 + 5.0 * math.log2(1 + activity)), 2)


def label_size(activity: int) -> int:
    """Label size by events: zoomed out, vis-network leaves out labels under 5 px, so the busiest
    actors stay named and the rest appear as one zooms in."""
    return round(min(40.0, 16.0 + 3.0 * math.log2(1 + activity)))


def edge_width(count: int) -> float:
    """Edge width by events in the pair (the page's script uses the same formula)."""
    return round(min(14.0, 1.0 + 1.6 * math.log2(count)), 2)



def _json_for_script(value: object) -> str:
    """JSON that cannot end a <script> element or open a comment inside it."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def asset(name: str) -> str:
    """A file of the pages' templates (`kg/views/templates/`)."""
    return resources.files("kg.views").joinpath("templates", name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ViewStats:
    actors: int
    pairs: int
    events: int


@dataclass
class _Tables:
    """The page's data in one pass over the events: actors in order of appearance (their index
    by id), pair counts (for the layout), and the page's rows, with relations, articles and event
    types numbered as they come."""

    index: dict[str, int] = field(default_factory=dict)
    actors: list[list[str]] = field(default_factory=list)
    pairs: dict[tuple[int, int], int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    articles: dict[str, int] = field(default_factory=dict)
    event_types: dict[str, int] = field(default_factory=dict)
    rows: list[list[object]] = field(default_factory=list)

    def actor(self, actor_id: str, label: str, kind: str, country: str) -> int:
        i = self.index.get(actor_id)
        if i is None:
            i = self.index[actor_id] = len(self.actors)
            self.actors.append([label, kind, country])
        return i

    def add(self, ev: ViewEvent) -> None:
        a = self.actor(ev.agent_id, ev.agent, ev.agent_type, ev.agent_country)
        t = -1
        if ev.target_id:
            t = self.actor(ev.target_id, ev.target, ev.target_type, ev.target_country)
            self.pairs[(a, t)] = self.pairs.get((a, t), 0) + 1
        relation = self.relations.setdefault(ev.relation, len(self.relations))
        event_type = self.event_types.setdefault(ev.event_type, len(self.event_types))
        article = self.articles.setdefault(ev.article_id, len(self.articles))
        self.rows.append([a, t, relation, ev.cameo, event_type, ev.quad_class, ev.goldstein, ev.date, ev.modality,
                          article, ev.reported_by, ev.sentences])


def _vis_options(large: bool) -> dict[str, object]:
    """vis-network's options: physics off (the layout is computed), straight edges hidden while
    panning on a `large` page."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "nodes": {"font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": not large, "scaleFactor": 0.45}},
                  "smooth": False if large else {"type": "curvedCW", "roundness": 0.12},
                  "color": {"inherit": False}, "selectionWidth": 2, "hoverWidth": 1.5},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "multiselect": False},
    }


def render_html(events: Sequence[ViewEvent], *, title: str = "kg: diplomatic events",
                positions: Mapping[str, tuple[float, float]] | None = None) -> tuple[str, ViewStats]:
    """The page as text: the actors with their positions (laid out in Python by `kg.views.layout`, so
    the browser draws with physics off), the events, and vis-network's options, as one JSON
    document. The page's script aggregates the events into one edge per pair and builds
    vis-network's node and edge lists from it, as it does again for every filter: the page carries
    no list of 60,000 option objects for the browser to parse (a third of its size at 50,000
    pairs) and Python does not write one."""
    import jinja2
    import pyvis
    from markupsafe import Markup

    tables = _Tables()
    for ev in events:
        tables.add(ev)
    actors, pairs = tables.actors, tables.pairs
    if positions is None:
        at = layout(summed_pairs(len(actors), ((a, t, n) for (a, t), n in pairs.items())))
    else:
        at = {i: positions[node_id] for node_id, i in tables.index.items()}
    large = len(pairs) > LARGE
    # x, y of actor i at 2i, 2i + 1; whole pixels are finer than anyone sees
    xy = [round(v) for i in range(len(actors)) for v in at[i]]
    roots = sorted({ev.root for ev in events})
    data = {"title": title, "actors": actors, "xy": xy, "relations": list(tables.relations),
            "articles": list(tables.articles), "eventTypes": list(tables.event_types), "events": tables.rows,
            "large": large, "options": _vis_options(large),
            "roots": [[r, cameo(r).name.capitalize()] for r in roots],
            "quads": [[q, name] for q, name in QUAD_NAMES.items()],
            "styles": {t: list(s) for t, s in NODE_STYLE.items()}, "otherStyle": list(OTHER_STYLE)}
    # vis-network itself, inlined from the build pyvis ships
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(
        [str(resources.files("kg.views").joinpath("templates")), str(Path(pyvis.__file__).parent / "templates")]),
        autoescape=True)
    page = env.get_template("view.html").render(
        heading=title, kg_data=Markup(_json_for_script(data)), kg_js=Markup(asset("view.js")),
        kg_css=Markup(asset("view.css")))
    return page, ViewStats(actors=len(actors), pairs=len(pairs), events=len(tables.rows))


def write_html(events: Sequence[ViewEvent], path: Path, *, title: str = "kg: diplomatic events") -> ViewStats:
    """Write the interactive view of `events` to `path` (atomically)."""
    page, stats = render_html(events, title=title)
    write_page(path, page)
    return stats


def write_page(path: Path, text: str) -> None:
    if path.is_dir():
        raise KGError(f"{path}: is a folder; give a file name for the HTML page (-o view.html)")
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise KGError(f"{path}: cannot write the page ({exc.strerror})") from None


def write_view(out_dir: Path, output: Path, *, actor: str | None = None, hops: int = 1, since: str | None = None,
               until: str | None = None, roots: Sequence[str] | None = None, article: str | None = None,
               min_events: int = 1, store_url: str | None = None) -> ViewStats:
    """`kg viz`: the view of a build, focused by the options of `kg.views.analysis.select`."""
    events = select(load_events(out_dir, store_url), actor=actor, hops=hops, since=since, until=until, roots=roots,
                    article=article, min_events=min_events)
    if not events:
        raise KGError("no event matches these options; widen them (kg analyze lists the actors and periods)")
    focus = [f"{name} {value}" for name, value in (("actor", actor), ("since", since), ("until", until),
                                                    ("roots", ",".join(roots) if roots else None),
                                                    ("article", article)) if value]
    title = "kg: diplomatic events" + (f" ({'; '.join(focus)})" if focus else "")
    return write_html(events, output, title=title)
