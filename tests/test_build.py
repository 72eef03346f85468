"""Builds: deterministic bytes from Oxigraph's serialisers, incremental and parallel builds equal
to a full one, publishing as a whole (lock, clean-up, kill -9 at random moments), and read
commands that open the store read-only, run side by side and never import spaCy."""
from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from kg.build.driver import build
from kg.cli import main
from kg.graph.publish import build_lock, current_build, read_build
from tests.servers import child_processes

ARTICLES = {  # invented reports, one event or two each
    "a_talks": "Title: Talks in Moscow\nDate: 2023-03-22\n\nVladimir Putin met Xi Jinping in Moscow on Tuesday.\n",
    "b_letter": "Title: A letter\nDate: 2019-01-24\n\nDonald Trump sent a letter to Kim Jong-un on Thursday.\n",
    "c_praise": "Title: Praise\nDate: 2021-06-02\n\nAngela Merkel praised Emmanuel Macron on Wednesday.\n",
    "d_warning": "Title: Warning\nDate: 2022-02-10\n\nJoe Biden warned Vladimir Putin on Thursday.\n",
}
OUTPUTS = ("graph.ttl", "graph.trig", "events.csv")


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def write_articles(folder: Path, names: list[str], **changed: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.txt").write_text(changed.get(name, ARTICLES[name]), encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


def test_same_input_gives_byte_identical_files(tmp_path):
    src = write_articles(tmp_path / "in", ["a_talks", "b_letter"])
    build([str(src)], tmp_path / "one")
    build([str(src)], tmp_path / "two")
    first = outputs(tmp_path / "one")
    assert first == outputs(tmp_path / "two")
    assert b"Xi Jinping" in first["graph.ttl"] and b"GRAPH" not in first["graph.ttl"]
    ds = Dataset()
    ds.parse(data=first["graph.trig"].decode(), format="trig")
    assert {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)} >= {"a_talks", "b_letter"}


def test_incremental_build_equals_a_full_build(tmp_path):
    src = write_articles(tmp_path / "in", ["a_talks", "b_letter"])
    out = tmp_path / "out"
    build([str(src)], out)
    write_articles(src, ["c_praise"])
    res = build([str(src)], out)
    assert (res.worked, res.reused) == (1, 2)
    build([str(src)], tmp_path / "full")
    assert outputs(out) == outputs(tmp_path / "full")
    # a changed article is redone, and only it
    write_articles(src, ["b_letter"], b_letter=ARTICLES["b_letter"].replace("Thursday", "Friday"))
    res = build([str(src)], out)
    assert (res.worked, res.reused) == (1, 2)
    build([str(src)], tmp_path / "full2")
    assert outputs(out) == outputs(tmp_path / "full2")


def test_missing_articles_stay_unless_pruned(tmp_path):
    src = write_articles(tmp_path / "in", ["a_talks", "b_letter"])
    out = tmp_path / "out"
    build([str(src)], out)
    (src / "b_letter.txt").unlink()
    res = build([str(src)], out)
    assert res.articles == 2 and res.worked == 0
    assert "Donald Trump" in (out / "events.csv").read_text(encoding="utf-8")
    res = build([str(src)], out, prune=True)
    assert res.articles == 1 and res.removed == 1
    build([str(src)], tmp_path / "full")
    assert outputs(out) == outputs(tmp_path / "full")


def test_an_article_is_its_id_and_content_not_the_path_it_was_read_from(tmp_path, monkeypatch):
    from dataclasses import replace

    from kg.build.incremental import article_hash
    from kg.records import Article

    article = Article("a", "Talks", "2023-03-22", "", "", "Putin met Xi.", "in/a.txt")
    assert article_hash(replace(article, path="./moved/a.txt")) == article_hash(article)
    assert article_hash(replace(article, text="Putin met Modi.")) != article_hash(article)
    assert article_hash(replace(article, id="b")) != article_hash(article)
    # a moved corpus, and the same folder named otherwise, are reused, not parsed again
    monkeypatch.chdir(tmp_path)
    write_articles(tmp_path / "in", ["a_talks", "b_letter"])
    out = tmp_path / "out"
    build(["in/"], out)
    before = outputs(out)
    (tmp_path / "in").rename(tmp_path / "moved")
    for spelling in ("./moved/", "moved", str(tmp_path / "moved" / "*.txt")):
        res = build([spelling], out)
        assert (res.worked, res.reused) == (0, 2), spelling
    assert outputs(out) == before


def _lose(store: Path) -> None:
    shutil.rmtree(store)


def _garble(store: Path) -> None:
    (store / "CURRENT").write_text("garbage\n")


def _swap_for_a_smaller_one(store: Path) -> None:
    """The store of another build, holding only some of the articles the state file lists."""
    other = store.parents[4] / "other"  # beside the output: OUT/.kg/builds/<id>/store
    build([str(write_articles(other / "in", ["a_talks"]))], other / "out")
    shutil.rmtree(store)
    shutil.copytree((other / "out" / "store").resolve(), store)
    shutil.rmtree(other)


@pytest.mark.parametrize("damage, said", [(_lose, "is missing"), (_garble, "is damaged"),
                                          (_swap_for_a_smaller_one, "lacks 1 of the 2 article(s)")])
def test_a_build_that_cannot_add_to_the_last_builds_its_inputs_whole(tmp_path, caplog, damage, said):
    """The previous store missing, damaged, or short of articles: one warning, and the output is a
    full build of the inputs given (never the table of the old build over a part of its graph)."""
    src = write_articles(tmp_path / "in", ["a_talks", "b_letter"])
    out = tmp_path / "out"
    build([str(src)], out)
    damage((out / "store").resolve())
    more = write_articles(tmp_path / "more", ["c_praise"])
    with caplog.at_level("WARNING", logger="kg"):
        res = build([str(more)], out)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and warnings[0].startswith(f"{out / 'store'} {said}"), warnings
    assert "every input given is parsed afresh" in warnings[0]
    assert (res.articles, res.worked, res.reused) == (1, 1, 0)
    build([str(more)], tmp_path / "full")
    assert outputs(out) == outputs(tmp_path / "full")
    caplog.clear()
    with caplog.at_level("WARNING", logger="kg"):  # and the next build adds to this one again
        res = build([str(src), str(more)], out)
    assert not caplog.records and (res.worked, res.reused) == (2, 1)


def test_parallel_build_equals_a_serial_one_in_input_order(tmp_path):
    src = write_articles(tmp_path / "in", list(ARTICLES))
    build([str(src)], tmp_path / "serial")
    res = build([str(src)], tmp_path / "par", n_process=2, batch_size=1)
    assert res.worked == len(ARTICLES)
    assert outputs(tmp_path / "par") == outputs(tmp_path / "serial")
    with (tmp_path / "par" / "events.csv").open(encoding="utf-8") as fh:
        ids = [r["article_id"] for r in csv.DictReader(fh)]
    assert ids == sorted(ids) and set(ids) == set(ARTICLES)


def test_a_second_build_into_the_same_output_stops_with_a_message(tmp_path):
    src = write_articles(tmp_path / "in", ["a_talks"])
    out = tmp_path / "out"
    with build_lock(out):
        result = kg("build", str(src), "--out", str(out), "--processes", "1")
    assert result.exit_code == 1 and "another kg build" in result.output and result.output.count("\n") == 1
    assert kg("build", str(src), "--out", str(out), "--processes", "1").exit_code == 0


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(tmp_path):
    src = write_articles(tmp_path / "in", ["a_talks"])
    out = tmp_path / "out"
    build([str(src)], out)
    stale = out / ".kg" / "builds" / "0-1"
    (stale / "store").mkdir(parents=True)
    (out / ".kg-build-abc").mkdir()  # the older layout's temporary folders
    (out / ".kg-old-store-1").mkdir()
    build([str(src)], out)
    assert not stale.exists() and not (out / ".kg-build-abc").exists() and not (out / ".kg-old-store-1").exists()
    assert len(list((out / ".kg" / "builds").iterdir())) == 1


def test_a_held_build_is_not_deleted_under_its_reader(tmp_path):
    src = write_articles(tmp_path / "in", ["a_talks"])
    out = tmp_path / "out"
    build([str(src)], out)
    first = current_build(out)
    with read_build(out) as held:
        write_articles(src, ["b_letter"])
        build([str(src)], out)
        assert current_build(out) != first and held.folder == first and (first / "store").is_dir()
    build([str(src)], out)
    assert not first.exists()


@pytest.mark.parametrize("layout", ["relative", "linked", "relative through a link"])
def test_publishing_keeps_the_build_just_published(tmp_path, monkeypatch, layout):
    """OUT relative (the default output/) or reached through a symbolic link (macOS's /tmp is one):
    the clean-up after publishing compares real paths, so it removes the superseded build only."""
    from kg.graph.publish import clean, new_build_dir, publish

    monkeypatch.chdir(tmp_path)
    (tmp_path / "disk").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "disk")
    out = {"relative": Path("output"), "linked": tmp_path / "link",
           "relative through a link": Path("link") / "output"}[layout]
    published = []
    for text in ("first", "second"):
        with build_lock(out):
            clean(out)
            folder = new_build_dir(out)
            (folder / "store").mkdir()
            (folder / "graph.ttl").write_text(text)
            publish(folder, out)
            clean(out)
        published.append(current_build(out))
        assert published[-1] is not None and published[-1].is_dir() and (out / "graph.ttl").read_text() == text
        assert [p.resolve() for p in (out / ".kg" / "builds").iterdir()] == [published[-1]]
        with read_build(out) as held:
            assert held.folder == published[-1] and held.path("graph.ttl").read_text() == text


@pytest.mark.parametrize("options", [["--processes", "0"], ["--out", "IS_A_FILE"]])
def test_bad_build_options_are_one_line(tmp_path, options):
    src = write_articles(tmp_path / "in", ["a_talks"])
    afile = tmp_path / "file"
    afile.write_text("x")
    args = ["build", str(src), *(str(afile) if o == "IS_A_FILE" else o for o in options)]
    result = kg(*args)
    assert result.exit_code == 1 and result.output.startswith("Error: ") and result.output.count("\n") == 1


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_read_commands_write_nothing_into_the_store(seed_build, tmp_path):
    store = (seed_build / "store").resolve()
    before = _snapshot(store)
    time.sleep(0.05)
    for args in (["query", "ASK { ?s ?p ?o }"], ["export", "--format", "nquads", "-o", str(tmp_path / "g.nq")],
                 ["analyze"], ["viz", "-o", str(tmp_path / "v.html")], ["validate"]):
        result = kg(*args, "--out", str(seed_build))
        assert result.exit_code == 0, (args, result.output)
    assert _snapshot(store) == before


def test_parallel_read_commands_do_not_lock_each_other_out(seed_build):
    procs = [subprocess.Popen([sys.executable, "-m", "kg.cli", "query", "--out", str(seed_build), "--format", "csv",
                               "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    answers = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), answers
    assert len({out for out, _ in answers}) == 1


CHEAP = """
import sys
from kg.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in ("spacy", "thinc", "kg.nlp", "kg.extract", "kg.resolve") if m in sys.modules)
    print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["query", "ASK { ?s ?p ?o }"], ["export", "--format", "turtle"], ["analyze"],
                                  ["validate"], ["viz", "-o", "VIEW"]])
def test_read_commands_never_import_spacy(seed_build, tmp_path, args):
    args = [str(tmp_path / "v.html") if a == "VIEW" else a for a in args]
    done = subprocess.run([sys.executable, "-c", CHEAP, *args, "--out", str(seed_build)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr


def _lose_current(store: Path) -> None:
    (store / "CURRENT").rename(store / "CURRENT.bak")


def _lose_a_table(store: Path) -> None:
    next(store.glob("*.sst")).unlink()


def _garble_current(store: Path) -> None:
    (store / "CURRENT").write_text("garbage\n")


def test_the_endpoint_never_imports_spacy():
    code = "import sys, kg.query.serve, kg.cli; print(sorted(m for m in ('spacy', 'kg.nlp') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr


@pytest.mark.parametrize("damage", [_lose_current, _lose_a_table, _garble_current])
def test_a_damaged_store_is_reported_and_kept(copy_of_seed_build, damage):
    store = (copy_of_seed_build / "store").resolve()
    damage(store)
    files = sorted(p.name for p in store.iterdir())
    result = kg("query", "--out", str(copy_of_seed_build), "ASK { ?s ?p ?o }")
    assert result.exit_code == 1 and "is damaged" in result.output and "rebuild it with kg build" in result.output
    assert result.output.count("\n") == 1
    assert sorted(p.name for p in store.iterdir()) == files  # nothing emptied, nothing added


def test_a_foreign_folder_is_not_taken_for_a_store(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "notes.txt").write_text("mine")
    result = kg("validate", "--out", str(tmp_path))
    assert result.exit_code == 1 and "is damaged" in result.output
    assert (tmp_path / "store" / "notes.txt").read_text() == "mine"


def _kg_build(src: Path, out: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(out), "--processes", "1",
                             *more], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _ok(proc: subprocess.Popen) -> None:
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""


def test_killed_builds_leave_the_old_output_or_the_new_one_whole(tmp_path):
    """kill -9 at random moments of a build: the output is the old build or the new one, entirely,
    and queryable. The new build adds two articles to the old one (an incremental build)."""
    out = tmp_path / "out"
    old_src = write_articles(tmp_path / "old", ["a_talks", "b_letter"])
    new_src = write_articles(tmp_path / "new", ["a_talks", "b_letter", "c_praise", "d_warning"])
    _ok(_kg_build(old_src, out))
    old = outputs(out)
    started = time.perf_counter()
    _ok(_kg_build(new_src, out))
    duration = time.perf_counter() - started
    new = outputs(out)
    assert new != old
    _ok(_kg_build(old_src, out, "--prune"))
    assert outputs(out) == old
    rnd = random.Random(int(os.environ.get("KG_KILL_SEED", "8")))
    seen = set()
    for _ in range(5):
        proc = _kg_build(new_src, out)
        time.sleep(rnd.uniform(0.1, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = outputs(out)
        assert now in (old, new), "the output mixes two builds"
        answer = kg("query", "--out", str(out), "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert answer.exit_code == 0 and int(answer.output.split()[1]) > 10, answer.output
        seen.add("new" if now == new else "old")
        if now == new:  # published before the kill: put the old one back for the next round
            _ok(_kg_build(old_src, out, "--prune"))
    _ok(_kg_build(new_src, out))
    assert outputs(out) == new
    assert len(list((out / ".kg" / "builds").iterdir())) == 1  # the killed builds' folders are gone
    assert "old" in seen


# --- one event, many reports ------------------------------------------------------------------------

K = ("vladimir-putin", "xi-jinping", "04", "asserted")


@pytest.mark.parametrize("reports,groups", [
    ([(K, "2023-03-21", "a", "1"), (K, "2023-03-21", "b", "2")], [{"a", "b"}]),  # same day, two articles
    ([(K, "2023-03-21", "a", "1"), (K, "2023-03-22", "b", "2")], []),  # two days: two meetings
    ([(K, "2023-03", "a", "1"), (K, "2023-03-21", "b", "2")], [{"a", "b"}]),  # the month holds one such day
    ([(K, "2023-03", "a", "1"), (K, "2023-03-21", "b", "2"), (K, "2023-03-25", "c", "3")],
     [{"b"}, {"c"}, {"a"}]),  # which day the month means is unknown: it stays apart, nothing merges
    ([(K, "2023", "a", "1"), (K, "2023-03", "b", "2"), (K, "2023-03-21", "c", "3")], [{"a", "b", "c"}]),
    ([(K, "", "a", "1"), (K, "", "b", "2")], []),  # undated reports are never merged
    ([(K, "2023-03-21", "a", "1"), (K, "2023-03-21", "a", "2")], []),  # one article is one report
    ([(K, "2023-03-21", "a", "1"), (K[:3] + ("negated",), "2023-03-21", "b", "2")], []),  # did / did not
])
def test_which_reports_state_one_event(reports, groups):
    from kg.events import merge_reports

    merged = merge_reports(reports)
    by_id: dict[str, set[str]] = {}
    for (article, _), merged_id in merged.items():
        by_id.setdefault(merged_id, set()).add(article)
    assert sorted(map(sorted, by_id.values())) == sorted(map(sorted, (g for g in groups if len(g) > 1)))


def _merges_at_once(reports):
    """The rule of `merge_reports` written plainly over all reports at once (the specification)."""
    from kg.events import merged_id

    by_key: dict = {}
    for key, date, article, ev in reports:
        if date:
            by_key.setdefault(key, {}).setdefault(date, []).append((article, ev))
    out = {}
    for key, by_date in by_key.items():
        buckets: dict = {}
        for date in sorted(by_date, key=lambda d: (-len(d), d)):
            finer = [d for d in buckets if d.startswith(date) and d != date]
            buckets.setdefault(finer[0] if len(finer) == 1 else date, []).extend(by_date[date])
        for date, members in buckets.items():
            if len({a for a, _ in members}) > 1:
                out.update(dict.fromkeys(members, merged_id(key, date)))
    return out


@pytest.mark.parametrize("seed", range(20))
def test_merges_kept_current_article_by_article(seed):
    """A build adds articles one by one: after each, the index holds the merges of all reports so far,
    and names exactly the articles whose merges changed (their graphs are written again)."""
    import random

    from kg.events import MergeIndex

    rnd = random.Random(seed)
    keys = [K, K[:3] + ("negated",), ("a", "b", "01", "asserted")]
    dates = ["", "2023", "2024", "2023-03", "2023-04", "2023-03-21", "2023-03-25", "2023-04-02", "2024-01-09"]
    index, seen, before = MergeIndex(), [], {}
    for article in range(rnd.randrange(2, 12)):
        reports = [(rnd.choice(keys), rnd.choice(dates), f"art{article}", f"ev{i}") for i in range(rnd.randrange(4))]
        changed = index.add(reports)
        seen += reports
        expected = _merges_at_once(seen)
        assert index.merged == expected
        now = {a: {e: m for (a2, e), m in expected.items() if a2 == a} for a, _ in expected}
        assert index.by_article == now
        assert changed == {a for a in set(now) | set(before) if now.get(a) != before.get(a)}
        before = now


REPORTS = {  # one meeting told by two outlets, and a claim two outlets take from one agency
    "r1": "Title: Talks\nDate: 2023-03-22\nSource: Daily One\n\nVladimir Putin met Xi Jinping in Moscow on Tuesday.\n",
    "r2": "Title: Xi in Moscow\nDate: 2023-03-22\nSource: Evening Two\n\n"
          "On Tuesday Vladimir Putin met Xi Jinping at the Kremlin, officials said.\n",
    "r3": "Title: Letter\nDate: 2019-01-24\nSource: Daily One\n\n"
          "Kim Jong-un praised Donald Trump on Wednesday, KCNA said.\n",
    "r4": "Title: Praise\nDate: 2019-01-24\nSource: Evening Two\n\n"
          "Kim Jong-un praised Donald Trump on Wednesday, according to KCNA.\n",
}
REPORT_QUERY = """PREFIX dip: <https://w3id.org/kg-dip/ontology#>
SELECT ?e (SAMPLE(?n) AS ?count) (COUNT(DISTINCT ?m) AS ?mentions)
       (GROUP_CONCAT(DISTINCT ?s; separator="|") AS ?sources)
WHERE { ?e a dip:Event ; dip:reportCount ?n ; dip:source ?s ; dip:mention ?m } GROUP BY ?e ORDER BY ?e"""


def test_one_event_reported_by_several_articles_is_one_node(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    res = build([str(folder)], out)
    with (out / "events.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # one row per mention, the two reports of one event sharing its id (whether the coder also keeps
    # the mirrored "Xi met Putin" of a report is its decision, not this test's)
    assert len(rows) == res.mentions >= 4
    met = [r for r in rows if r["relation"] == "met" and r["agent"] == "Vladimir Putin"]
    assert [r["article_id"] for r in met] == ["r1", "r2"] and met[0]["event_id"] == met[1]["event_id"]
    praised = [r for r in rows if r["relation"] == "praised"]
    assert [r["article_id"] for r in praised] == ["r3", "r4"] and praised[0]["event_id"] == praised[1]["event_id"]
    answer = kg("query", "--out", str(out), "--format", "csv", REPORT_QUERY)
    assert answer.exit_code == 0, answer.output
    found = sorted(tuple(line.split(",")[1:]) for line in answer.output.splitlines()[1:] if line)
    assert ("1", "2", "KCNA") in found  # two outlets, one agency: one independent source
    assert ("2", "2", "Daily One|Evening Two") in found or ("2", "2", "Evening Two|Daily One") in found
    assert res.events == len(found) and 2 <= res.events <= 3  # the meeting (maybe both ways), and the praise
    assert kg("validate", "--out", str(out)).exit_code == 0


def test_merged_events_follow_incremental_builds(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r1.txt").write_text(REPORTS["r1"], encoding="utf-8")
    out = tmp_path / "out"
    build([str(folder)], out)
    alone = outputs(out)
    (folder / "r2.txt").write_text(REPORTS["r2"], encoding="utf-8")
    res = build([str(folder)], out)  # r1's graph is written again: its event is now shared
    assert res.worked == 1 and res.events == 2  # the meeting, both ways
    build([str(folder)], tmp_path / "full")
    assert outputs(out) == outputs(tmp_path / "full")
    (folder / "r2.txt").unlink()
    build([str(folder)], out, prune=True)
    assert outputs(out) == alone


def test_read_commands_run_while_kg_serve_holds_the_store(copy_of_seed_build, tmp_path):
    import threading
    import urllib.parse
    import urllib.request

    from kg.query.serve import make_server

    with read_build(copy_of_seed_build) as held:
        server = make_server(held.path("store"), "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/sparql?" + urllib.parse.urlencode(
                {"query": "ASK { ?s ?p ?o }"})
            with urllib.request.urlopen(url, timeout=30) as resp:
                assert b"true" in resp.read()
            for args in (["query", "ASK { ?s ?p ?o }"], ["export", "--format", "trig", "-o", str(tmp_path / "g.trig")],
                         ["analyze"]):
                result = kg(*args, "--out", str(copy_of_seed_build))
                assert result.exit_code == 0, (args, result.output)
            with urllib.request.urlopen(url, timeout=30) as resp:
                assert b"true" in resp.read()
        finally:
            server.shutdown()
            server.server_close()


WORKER_BUILD = """
import sys
from pathlib import Path
from kg.build.driver import build
build([sys.argv[1]], Path(sys.argv[2]), n_process=2, batch_size=1)
"""


def test_a_killed_build_takes_its_workers_and_its_lock_along(tmp_path):
    src = write_articles(tmp_path / "in", list(ARTICLES))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", WORKER_BUILD, str(src), str(out)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(workers := child_processes(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) >= 2, "the build never started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{w}").exists() for w in workers), "orphaned workers"
    with build_lock(out):  # nobody holds the lock any more
        pass


def test_the_view_writer_reports_its_error_in_one_line(tmp_path):
    """The HTML view is written by a separate interpreter during the build; its failure reaches the
    build as one KGError naming the page, and no page is left."""
    from kg.errors import KGError
    from kg.events import EVENT_COLUMNS
    from kg.views.sink import HtmlView

    table = tmp_path / "events.csv"
    row = dict.fromkeys(EVENT_COLUMNS, "x")
    table.write_text(",".join(EVENT_COLUMNS) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    view = HtmlView()
    view.table_written(tmp_path)
    with pytest.raises(KGError, match=r"graph.html: the HTML view was not written: .*quad_class and goldstein must be "
                                      r"numbers") as caught:
        view.finish(tmp_path, failed=False)
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "graph.html").exists()
