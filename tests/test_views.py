"""The HTML view in a real browser: Debian's chromium driven by Playwright, with every request
that is not the page's own file refused (the page must work offline)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.query.export import events_table
from kg.views.analysis import aggregate, events_from_rows, goldstein_colour
from kg.views.page import edge_width, label_size, node_size


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Page:
    """One page of the view, opened offline, with what it tried to fetch and any script errors."""

    def __init__(self, browser, path: Path):
        self.ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                self.remote.append(r.request.url)
                r.abort()
        self.ctx.route("**/*", route)
        self.page = self.ctx.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.kgReady === true", timeout=30_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def node_point(self, node_id: int) -> tuple[float, float]:
        return self._dom(f"network.getPosition({node_id})")

    def edge_point(self, edge_id: str) -> tuple[float, float]:
        return self._dom(f"network.body.edges[{edge_id!r}].edgeType.getPoint(0.5)")

    def _dom(self, canvas_point: str) -> tuple[float, float]:
        xy = self.js("(() => { const p = network.canvasToDOM(" + canvas_point + ");"
                     " const r = document.getElementById('mynetwork').getBoundingClientRect();"
                     " return [r.left + p.x, r.top + p.y]; })()")
        return xy[0], xy[1]

    def hover(self, xy: tuple[float, float]) -> str:
        self.page.mouse.move(xy[0] + 40, xy[1] + 40)
        self.page.mouse.move(*xy, steps=3)
        self.page.wait_for_function("!document.getElementById('kg-tip').hidden", timeout=5_000)
        return self.page.text_content("#kg-tip") or ""

    def click(self, xy: tuple[float, float]) -> str:
        self.page.mouse.click(*xy)
        self.page.wait_for_function("!document.getElementById('panel').hidden", timeout=5_000)
        return self.page.text_content("#panel") or ""

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture()
def open_page(browser):
    pages: list[Page] = []

    def opener(path: Path) -> Page:
        pages.append(Page(browser, path))
        return pages[-1]
    yield opener
    for p in pages:
        p.close()


def test_page_has_no_remote_resources(seed_build):
    html = (seed_build / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "vis.Network" in html and "innerHTML" not in html.split("<script id=\"kg-data\"")[1]


def test_seed_view_draws_one_edge_per_pair(seed_build, open_page):
    events = events_from_rows(events_table(seed_build))
    pairs = aggregate(events)
    page = open_page(seed_build / "graph.html")
    assert page.remote == [] and page.errors == []
    drawn = page.js("({nodes: nodes.get(), edges: edges.get(), canvas: document.querySelectorAll('canvas').length})")
    assert drawn["canvas"] == 1
    labels = {n["id"]: n["label"] for n in drawn["nodes"]}
    assert len(drawn["edges"]) == len(pairs)
    by_labels = {(p.events[0].agent, p.events[0].target): p for p in pairs.values()}
    for e in drawn["edges"]:
        pair = by_labels[(labels[e["from"]], labels[e["to"]])]
        assert e["width"] == edge_width(pair.count) and e["color"] == goldstein_colour(pair.mean_goldstein)
    assert page.js("kg.state.shown") == len(labels)


def test_script_formulas_are_the_python_ones(seed_build, open_page):
    page = open_page(seed_build / "graph.html")
    scores = [x / 4 for x in range(-44, 45)]
    assert page.js("s => s.map(kg.goldsteinColour)", scores) == [goldstein_colour(s) for s in scores]
    counts = list(range(0, 400, 7))
    assert page.js("c => c.map(kg.nodeSize)", counts) == [node_size(c) for c in counts]
    assert page.js("c => c.map(kg.labelSize)", counts) == [label_size(c) for c in counts]
    assert page.js("c => c.map(kg.edgeWidth)", counts[1:]) == [edge_width(c) for c in counts[1:]]


def test_a_filter_changes_what_is_visible(seed_build, open_page):
    events = events_from_rows(events_table(seed_build))
    # the root whose events make the most pairs
    root = min(sorted({ev.root for ev in events}), key=lambda r: len(aggregate(ev for ev in events if ev.root != r)))
    keep = [ev for ev in events if ev.root != root]
    page = open_page(seed_build / "graph.html")
    page.page.click("summary")  # open the CAMEO roots
    page.page.uncheck(f"#kg-roots input[value='{root}']")
    page.page.wait_for_function(f"kg.state.filters.roots[{root!r}] === undefined")
    visible = page.js("kg.visibleEdges().length")
    assert visible == len(aggregate(keep)) < len(aggregate(events))
    page.page.click("#kg-reset")
    assert page.js("kg.visibleEdges().length") == len(aggregate(events))
    page.page.fill("#kg-min", "3")
    page.page.dispatch_event("#kg-min", "change")
    page.page.wait_for_function("kg.state.filters.min === 3")
    assert page.js("kg.visibleEdges().length") == sum(
        1 for p in aggregate(events).values() if p.count >= 3)


def test_click_on_an_edge_lists_its_sentences(seed_build, open_page):
    events = events_from_rows(events_table(seed_build))
    pair = max(aggregate(events).values(), key=lambda p: p.count)
    page = open_page(seed_build / "graph.html")
    ids = {n["label"]: n["id"] for n in page.js("nodes.get()")}
    edge = f"{ids[pair.events[0].agent]}>{ids[pair.events[0].target]}"
    tip = page.hover(page.edge_point(edge))
    assert f"{pair.count} events" in tip
    text = page.click(page.edge_point(edge))
    assert page.js("document.querySelectorAll('#panel-events > li').length") == pair.count
    for ev in pair.events:
        assert ev.sentences[0] in text and ev.article_id in text


def test_the_graph_is_in_place_as_soon_as_the_panel_opens_or_closes(seed_build, open_page):
    """Opening the panel narrows the canvas; the next point read must already be where the node is
    drawn, not where it will be once the browser's resize callback has run."""
    page = open_page(seed_build / "graph.html")
    nodes = page.js("nodes.get().map(n => n.id)")
    page.page.mouse.click(*page.node_point(nodes[0]))
    before = page.node_point(nodes[1])
    page.page.wait_for_timeout(300)
    assert page.js("document.getElementById('panel').hidden") is False
    assert page.node_point(nodes[1]) == pytest.approx(before, abs=0.5)
    page.page.click("#kg-close")
    before = page.node_point(nodes[1])
    page.page.wait_for_timeout(300)
    assert page.js("document.getElementById('panel').hidden") is True
    assert page.node_point(nodes[1]) == pytest.approx(before, abs=0.5)


def test_search_finds_and_centres_an_actor(seed_build, open_page):
    page = open_page(seed_build / "graph.html")
    page.page.fill("#kg-search", "trump")
    page.page.press("#kg-search", "Enter")
    page.page.wait_for_function("!document.getElementById('panel').hidden")
    assert "Donald Trump" in (page.page.text_content("#panel-title") or "")
    assert page.js("network.getSelectedNodes().map(n => nodes.get(n).label)") == ["Donald Trump"]
    centre = page.js("(() => { const v = network.getViewPosition(); const p = network.getPosition("
                     "network.getSelectedNodes()[0]); return Math.hypot(v.x - p.x, v.y - p.y); })()")
    assert centre < 1


# --- issue 7: strings from articles, the gazetteer and actor files are text, never markup --------

PAYLOADS = ('<img src=x onerror="window.kgPwned=1">', "</script><script>window.kgPwned=2</script>",
            '<a href="javascript:window.kgPwned=3">here</a>')


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory) -> Path:
    """A real build of an HTML article whose text carries entity-encoded markup, with a user's actor
    file whose labels are markup: every payload would run if it reached the page as HTML."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "actors.csv").write_text(
        "id,label,type,country,role,aliases,office,start,end,gender\n"
        'quill-morrow,"Quill Morrow <img src=x onerror=""window.kgPwned=4"">",person,NZL,GOV,'
        "Quill Morrow;Morrow,foreign minister,2020-01-01,,\n", encoding="utf-8")
    (root / "art").mkdir()
    (root / "art" / "report.html").write_text(
        "<html><head><title>Envoys meet &lt;script&gt;window.kgPwned=5&lt;/script&gt;</title>"
        '<meta name="date" content="2024-03-05"></head><body><article>'
        "<p>Quill Morrow met Donald Trump in Washington on Monday, and the two "
        "praised each other &lt;img src=x onerror=&quot;window.kgPwned=6&quot;&gt; at length.</p>"
        "<p>Donald Trump praised Quill Morrow for the talks "
        "&lt;a href=&quot;javascript:window.kgPwned=7&quot;&gt;link&lt;/a&gt; on Tuesday.</p>"
        "<p>Quill Morrow criticised Vladimir Putin over the sanctions, she said "
        "&lt;/script&gt;&lt;script&gt;window.kgPwned=8&lt;/script&gt;.</p>"
        "</article></body></html>", encoding="utf-8")
    out = root / "out"
    result = CliRunner().invoke(main, ["build", str(root / "art"), "--actors", str(root / "actors.csv"),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_script_payloads_in_the_data_never_run(hostile_build, open_page):
    events = events_from_rows(events_table(hostile_build))
    sentences = " ".join(s for ev in events for s in ev.sentences)
    labels = {ev.agent for ev in events} | {ev.target for ev in events}
    # the payloads really are in the data the page shows, so this test can fail
    assert "<img src=x onerror=" in sentences and "</script><script>" in sentences and 'href="javascript:' in sentences
    assert any("<img src=x onerror=" in label for label in labels)
    page = open_page(hostile_build / "graph.html")
    pairs = page.js("edges.get().map(e => e.id)")
    assert pairs
    seen = ""
    for node in page.js("nodes.get().map(n => n.id)"):
        seen += page.hover(page.node_point(node)) + page.click(page.node_point(node))
    for edge in pairs:
        seen += page.hover(page.edge_point(edge)) + page.click(page.edge_point(edge))
    page.page.fill("#kg-search", "morrow")
    page.page.press("#kg-search", "Enter")
    page.page.wait_for_timeout(300)
    assert "<img src=x onerror=" in seen and "</script><script>" in seen  # shown as text
    assert page.js("window.kgPwned") is None
    assert page.js("document.querySelectorAll('img, a[href], iframe').length") == 0
    assert page.js("document.querySelectorAll('script').length") == 3  # vis, the data, the lists with ours
    assert page.dialogs == [] and page.errors == [] and page.remote == []


def test_title_and_labels_are_escaped_in_the_html_text(hostile_build):
    html = (hostile_build / "graph.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<script>window" not in html and 'href="javascript' not in html


def test_screenshot_is_not_blank(seed_build, open_page, tmp_path):
    page = open_page(seed_build / "graph.html")
    shot = tmp_path / "shot.png"
    page.page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a drawn graph, not an empty page


def test_a_large_view_draws_and_filters(open_page, tmp_path):
    """Past LARGE pairs the page draws straight edges without arrows and lays out by community."""
    import random

    from kg.views.analysis import ViewEvent
    from kg.views.page import LARGE, write_html

    rng = random.Random(3)
    codes = [("040", "Consult", 1, 1.0), ("057", "Sign formal agreement", 2, 8.0), ("111", "Criticize", 3, -2.0),
             ("190", "Fight", 4, -10.0)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < LARGE + 200:
        a = rng.randrange(1200)
        b = (a - a % 40) + rng.randrange(40) if rng.random() < 0.8 else rng.randrange(1200)
        if a != b:
            pairs.add((a, b))
    events = []
    for n, (a, b) in enumerate(sorted(pairs)):
        code, name, quad, gold = codes[n % 4]
        events.append(ViewEvent(f"art{n % 300}", f"e{n}", f"x{a}", f"Place {a}", "country", "", f"x{b}", f"Place {b}",
                                "country", "", name.lower(), code, name, quad, gold, f"2021-{1 + n % 12:02d}",
                                "asserted", "", (f"Place {a} and Place {b}, invented event {n}.",)))
    write_html(events, tmp_path / "large.html")
    page = open_page(tmp_path / "large.html")
    assert page.errors == [] and page.remote == []
    assert page.js("kg.visibleEdges().length") == len(pairs)
    assert page.js("network.body.edges[kg.visibleEdges()[0]].options.smooth.enabled") is False
    page.page.uncheck("#kg-quads input[value='4']")
    page.page.wait_for_function("kg.state.filters.quads[4] === undefined")
    assert page.js("kg.visibleEdges().length") == sum(1 for n in range(len(pairs)) if n % 4 != 3)
