"""The HTML view in a real browser (Debian's chromium, headless, with the network cut off)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph

from kg.views import to_networkx


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI (.ci/run installs it)")
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


def render(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}",
           # no network at all: a page that needs a CDN shows nothing
           "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
           "--virtual-time-budget=8000", *args, page.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_page_has_no_remote_resources(seed_build):
    html = (seed_build / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "vis.Network" in html


def test_graph_renders_offline_with_nodes_edges_and_tooltips(seed_build, tmp_path):
    page = tmp_path / "graph.html"
    # Probe the live vis-network instance after it has drawn: counts and one tooltip.
    probe = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
             "var d = document.createElement('pre'); d.id = 'probe';"
             "var e = network.body.data.edges.get();"
             "d.textContent = JSON.stringify({nodes: network.body.data.nodes.length, edges: e.length,"
             " canvas: document.querySelectorAll('canvas').length,"
             " titles: e.map(function (x) { return x.title; })});"
             "document.body.appendChild(d); }, 500); });</script></body>")
    page.write_text((seed_build / "graph.html").read_text(encoding="utf-8").replace("</body>", probe, 1),
                    encoding="utf-8")
    result = render(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    match = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert match, result.stdout[-2000:]
    import html as html_lib
    import json
    data = json.loads(html_lib.unescape(match.group(1)))
    graph = to_networkx(Graph().parse(seed_build / "graph.ttl"))
    assert data["canvas"] >= 1
    assert data["nodes"] == graph.number_of_nodes() and data["edges"] == graph.number_of_edges()
    assert any("CAMEO 051" in t and "spoke highly of Trump" in t for t in data["titles"])


def test_screenshot_is_not_blank(seed_build, tmp_path):
    shot = tmp_path / "shot.png"
    result = render(seed_build / "graph.html", tmp_path, f"--screenshot={shot}", "--window-size=1200,900")
    assert result.returncode == 0, result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a drawn graph, not an empty page
