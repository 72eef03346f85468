"""The library behind `kg viz` and `kg analyze`: focused selections, pairs, dyads, communities,
layouts; and the commands on invented events tables (no article text of the dev set)."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KGError
from kg.events import EVENT_COLUMNS
from kg.views.analysis import (
    aggregate,
    communities,
    dyad,
    events_from_rows,
    find_actor,
    goldstein_colour,
    most_active,
    select,
    trend,
)
from kg.views.layout import FORCE_LIMIT, positions

ACTORS = {  # id: (label, type, country) -- an invented world
    "arc": ("Arcadia", "country", "ARC"), "bor": ("Borduria", "country", "BOR"),
    "vale": ("Minister Vale", "person", "ARC"), "kost": ("General Kost", "person", "BOR"),
    "league": ("Northern League of States", "organization", ""), "syl": ("Syldavia", "country", "SYL"),
}
GOLDSTEIN = {"040": ("Consult", 1, 1.0), "057": ("Sign formal agreement", 2, 8.0),
             "111": ("Criticize or denounce", 3, -2.0), "190": ("Use conventional military force", 4, -10.0),
             "010": ("Make statement", 1, 0.0), "051": ("Praise or endorse", 1, 3.4)}


def row(article: str, n: int, agent: str, target: str, cameo: str, date: str, *, modality: str = "asserted",
        relation: str = "", sentence: str = "") -> dict[str, str]:
    name, quad, gold = GOLDSTEIN[cameo]
    a, t = ACTORS[agent], ACTORS.get(target, ("", "", ""))
    return {"article_id": article, "event_id": f"{article}-{n}", "sentence": sentence or f"{a[0]} event {n}.",
            "agent": a[0], "agent_id": agent, "agent_type": a[1], "agent_country": a[2],
            "relation": relation or name.split()[0].lower(), "target": t[0], "target_id": target if t[0] else "",
            "target_type": t[1], "target_country": t[2], "theme": "", "cameo": cameo, "event_type": name,
            "quad_class": str(quad), "goldstein": f"{gold:g}", "date": date, "date_text": "", "place": "",
            "reported_by": "", "modality": modality, "confidence": "0.90"}


ROWS = [
    row("a1", 1, "arc", "bor", "111", "2020-01-05"), row("a1", 2, "bor", "arc", "190", "2020-01-09"),
    row("a2", 1, "arc", "bor", "190", "2020-02-11"), row("a2", 2, "vale", "kost", "040", "2020-02-12"),
    row("a3", 1, "arc", "bor", "057", "2020-05-02"), row("a3", 2, "bor", "arc", "057", "2020-05-02"),
    row("a3", 3, "arc", "bor", "040", "2020-06"), row("a4", 1, "league", "arc", "051", "2020"),
    row("a4", 2, "syl", "league", "040", "", modality="intended"), row("a4", 3, "vale", "", "010", "2020-03-01"),
]
EVENTS = events_from_rows(ROWS)


def test_rows_of_one_event_are_one_event_with_all_sentences():
    two = [ROWS[0], {**ROWS[0], "sentence": "Another report of it."}]
    (ev,) = events_from_rows(two)
    assert ev.sentences == ("Arcadia event 1.", "Another report of it.") and ev.goldstein == -2.0


@pytest.mark.parametrize("options, pairs", [
    ({}, {("arc", "bor"), ("bor", "arc"), ("vale", "kost"), ("league", "arc"), ("syl", "league")}),
    ({"roots": ["04", "5"]}, {("vale", "kost"), ("arc", "bor"), ("bor", "arc"), ("syl", "league"), ("league", "arc")}),
    # an event dated only "2020" overlaps every period of 2020
    ({"since": "2020-05"}, {("arc", "bor"), ("bor", "arc"), ("league", "arc")}),
    ({"until": "2020-01-31"}, {("arc", "bor"), ("bor", "arc"), ("league", "arc")}),
    ({"since": "2020-02", "until": "2020-02"}, {("arc", "bor"), ("vale", "kost"), ("league", "arc")}),
    ({"since": "2021"}, set()),
    ({"since": "2020-03"}, {("arc", "bor"), ("bor", "arc"), ("league", "arc")}),  # "2020" overlaps March
    ({"article": "a2"}, {("arc", "bor"), ("vale", "kost")}),
    ({"min_events": 2}, {("arc", "bor"), ("bor", "arc")}),
    ({"actor": "Syldavia", "hops": 1}, {("syl", "league")}),
    ({"actor": "syldavia", "hops": 2}, {("syl", "league"), ("league", "arc")}),
    ({"actor": "Minister Vale", "hops": 0}, {("vale", "kost")}),
])
def test_focused_selections(options, pairs):
    assert set(aggregate(select(EVENTS, **options))) == pairs


@pytest.mark.parametrize("options, message", [
    ({"actor": "Ruritania"}, "actor 'Ruritania': no actor of that name"),
    ({"actor": "a"}, "did you mean"),
    ({"since": "2020-13"}, "--since '2020-13': not a date"),
    ({"until": "yesterday"}, "--until 'yesterday': not a date"),
    ({"roots": ["21"]}, "--root 21"),
    ({"article": "zz"}, "article 'zz'"),
    ({"hops": -1}, "--hops -1"),
    ({"min_events": 0}, "--min-events 0"),
])
def test_bad_selections_are_clear_errors(options, message):
    with pytest.raises(KGError, match=message.replace("(", r"\(")):
        select(EVENTS, **options)


def test_pair_aggregates_count_and_mean_goldstein():
    pair = aggregate(EVENTS)[("arc", "bor")]
    assert pair.count == 4 and pair.mean_goldstein == pytest.approx((-2 - 10 + 8 + 1) / 4)
    assert pair.top_relations(1)[0][1] == 1


@pytest.mark.parametrize("score, colour", [(-10, "#d62728"), (0, "#9e9e9e"), (10, "#2ca02c"), (-25, "#d62728")])
def test_goldstein_colour_ends(score, colour):
    assert goldstein_colour(score) == colour


def test_colour_moves_monotonically_from_red_to_green():
    greens = [int(goldstein_colour(s)[3:5], 16) for s in range(-10, 11)]
    reds = [int(goldstein_colour(s)[1:3], 16) for s in range(-10, 11)]
    assert greens == sorted(greens) and reds[:11] == sorted(reds[:11], reverse=True)


def test_dyad_by_month_both_directions():
    rows = dyad(EVENTS, "Arcadia", "borduria")
    assert [r["month"] for r in rows] == ["2020-01", "2020-02", "2020-05", "2020-06"]
    jan = rows[0]
    assert (jan["events"], jan["a_to_b"], jan["b_to_a"], jan["verbal_conflict"], jan["material_conflict"]) == (
        2, 1, 1, 1, 1)
    assert jan["goldstein_sum"] == -12.0 and jan["goldstein_mean"] == -6.0
    assert rows[2]["material_cooperation"] == 2
    assert trend(rows).startswith("better")
    assert trend(list(reversed(rows))).startswith("worse")


def test_dyad_within_a_period():
    rows = dyad(EVENTS, "Arcadia", "Borduria", since="2020-02", until="2020-05-31")
    assert [r["month"] for r in rows] == ["2020-02", "2020-05"]


def test_dyad_of_an_actor_with_itself_is_refused():
    with pytest.raises(KGError, match="two different actors"):
        dyad(EVENTS, "Arcadia", "arc")


def test_most_active_per_month_and_year():
    months = dict(most_active(EVENTS, period="month", top=1))
    assert months["2020-01"] == [("Arcadia", 2)] and "2020" not in months
    years = dict(most_active(EVENTS, period="year", top=2))
    assert years["2020"][0] == ("Arcadia", 7)


def test_communities_separate_the_two_camps():
    groups = communities(EVENTS)
    together = {frozenset(g) for g in groups}
    assert any({"Arcadia", "Borduria"} <= g for g in together)
    assert any({"Minister Vale", "General Kost"} == g for g in together)


def test_find_actor_by_id_label_or_unique_part():
    assert find_actor(EVENTS, "vale") == "vale"
    assert find_actor(EVENTS, "northern league") == "league"


@pytest.mark.parametrize("size", [40, FORCE_LIMIT + 200])
def test_layout_gives_every_actor_a_distinct_finite_place(size):
    import networkx as nx

    graph = nx.DiGraph()
    for i in range(size):
        graph.add_node(f"n{i}")
        graph.add_edge(f"n{i}", f"n{(i * 7 + 1) % size}", weight=1 + i % 3)
        graph.add_edge(f"n{i}", f"n{(i + 1) % size}", weight=1)
    pos = positions(graph)
    assert set(pos) == set(graph)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == size
    assert positions(graph) == pos  # deterministic


# --- the commands on an invented build ----------------------------------------------------------

@pytest.fixture()
def invented_build(tmp_path) -> Path:
    out = tmp_path / "build"
    out.mkdir()
    with (out / "events.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(ROWS)
    return out


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def test_analyze_prints_brokers_communities_and_periods(invented_build):
    out = kg("analyze", "--out", str(invented_build), "--top", "5")
    assert out.exit_code == 0, out.output
    for heading in ("degree centrality", "brokers (betweenness)", "communities (Louvain",
                    "most active actors per month"):
        assert heading in out.output
    assert "2020-01  Arcadia 2; Borduria 2" in out.output


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_analyze_dyad_formats(invented_build, fmt):
    out = kg("analyze", "--out", str(invented_build), "dyad", "Arcadia", "Borduria", "--format", fmt)
    assert out.exit_code == 0, out.output
    if fmt == "json":
        assert [r["month"] for r in json.loads(out.output)][:2] == ["2020-01", "2020-02"]
    elif fmt == "csv":
        assert out.output.splitlines()[1].startswith("Arcadia — Borduria,2020-01,2,1,1,-12.0,-6.0,")
    else:
        assert "trend: better" in out.output


def test_analyze_dyad_top_pairs(invented_build, tmp_path):
    target = tmp_path / "dyads.csv"
    out = kg("analyze", "dyad", "--out", str(invented_build), "--top", "2", "--format", "csv", "-o", str(target))
    assert out.exit_code == 0, out.output
    dyads = {r["dyad"] for r in csv.DictReader(target.open(encoding="utf-8"))}
    assert dyads == {"Arcadia — Borduria", "Arcadia — Northern League of States"}


@pytest.mark.parametrize("args, message", [
    (["analyze", "dyad", "Arcadia"], "name two actors"),
    (["analyze", "dyad", "Arcadia", "Ruritania"], "actor 'Ruritania'"),
    (["analyze", "dyad", "Minister Vale", "Syldavia"], "no event between these two actors"),
    (["viz", "--actor", "Ruritania"], "actor 'Ruritania'"),
    (["viz", "--since", "2031", "--until", "2032"], "no event matches these options"),
    (["viz", "--timeline", "Arcadia", "Ruritania"], "actor 'Ruritania'"),
    (["viz", "--timeline", "Arcadia", "Borduria", "--root", "04"], "--timeline takes --since and --until only"),
    (["viz", "--hops", "2"], "--hops 2: goes with --actor"),
])
def test_command_errors_are_one_line(invented_build, args, message):
    out = kg(*args, "--out", str(invented_build))
    assert out.exit_code != 0 and message in out.output, out.output
    assert "Traceback" not in out.output


def test_missing_events_table_is_one_line(tmp_path):
    out = kg("viz", "--out", str(tmp_path))
    assert out.exit_code == 1 and "run `kg build` first" in out.output


def test_viz_focused_writes_only_the_selection(invented_build, tmp_path):
    target = tmp_path / "focus.html"
    out = kg("viz", "--out", str(invented_build), "--actor", "Syldavia", "--hops", "2", "-o", str(target))
    assert out.exit_code == 0, out.output
    assert "(3 actors, 2 pairs, 2 events)" in out.output
    page = target.read_text(encoding="utf-8")
    assert "Northern League of States" in page and "General Kost" not in page


def test_timeline_page_is_self_contained(invented_build, tmp_path):
    target = tmp_path / "t.html"
    out = kg("viz", "--out", str(invented_build), "--timeline", "Arcadia", "Borduria", "-o", str(target))
    assert out.exit_code == 0, out.output
    page = target.read_text(encoding="utf-8")
    assert "<svg" in page and "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count("<rect") == 5  # a bar per month and quad class: Jan 2 kinds, Feb, May and June 1 each


def test_views_and_analyses_never_import_spacy(invented_build, tmp_path):
    """Read commands stay light: `kg viz` and `kg analyze` read the events table, never the NLP."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kg.cli import main\n"
        f"for args in (['viz', '--out', {str(invented_build)!r}, '-o', {str(tmp_path / 'v.html')!r}],\n"
        f"             ['viz', '--out', {str(invented_build)!r}, '--timeline', 'Arcadia', 'Borduria'],\n"
        f"             ['analyze', '--out', {str(invented_build)!r}],\n"
        f"             ['analyze', 'dyad', 'Arcadia', 'Borduria', '--out', {str(invented_build)!r}]):\n"
        "    result = CliRunner().invoke(main, args)\n"
        "    assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
