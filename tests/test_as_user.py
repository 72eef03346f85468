"""`kg` run as its users run it: the installed `kg` command, in a copy of the project with the
working directory at its root, relative paths, and the commands of the README and of the
documentation pages word for word (the blocks of shell are read from them and run by bash). Each
test checks what the user gets (the rows a query returns, files that open and parse, what a second
build reuses), never only the exit status.

The builds here go through the command line and the file system only: a relative `--out` (the
default `output/`), `--out ../elsewhere`, a symbolic link, a build from a subfolder, a corpus
moved to another folder, a changed actors file, a lost store, and `kg serve` across a rebuild.
"""
from __future__ import annotations

import csv
import fcntl
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from kg.events import EVENT_COLUMNS

from .conftest import ROOT, SEEDS

README = (ROOT / "README.md").read_text(encoding="utf-8")
QUERYING = (ROOT / "docs" / "querying.md").read_text(encoding="utf-8")
VIEWS = (ROOT / "docs" / "views.md").read_text(encoding="utf-8")
SEED_ID = "000_fd245a2f0af1f295"
DIP = "https://w3id.org/kg-dip/ontology#"
OUTPUTS = ("store", "graph.ttl", "graph.trig", "events.csv", "graph.html")
#: An invented report of one event, for the builds that add an article.
EXTRA = "Title: Talks in Jakarta\nDate: 2021-06-02\n\nJapan praised India on Monday.\n"
IDS = "SELECT ?id WHERE { ?a a <https://w3id.org/kg-dip/ontology#Article> ; <http://purl.org/dc/terms/identifier> ?id }"
EVENTS = f"SELECT ?e WHERE {{ ?e a <{DIP}Event> }}"


def _installed_kg() -> Path:
    """The `kg` console script the README's `pip install -e .` put beside this Python."""
    script = Path(sys.executable).with_name("kg")
    found = script if script.is_file() else Path(shutil.which("kg") or "")
    if not found.name:
        pytest.fail("the kg command is not installed (run the README's first command)")
    return found


KG = _installed_kg()
ENV = {**os.environ, "PATH": f"{KG.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def sh_block(heading: str, index: int = 0, *, page: str = README) -> str:
    """The `index`-th ```sh block of the README (or of a documentation page) after the line `heading`."""
    rest = page[page.index(f"\n{heading}\n"):]
    return re.findall(r"```sh\n(.*?)```", rest, flags=re.S)[index]


def kg(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` run in `cwd`, as a user types it."""
    done = subprocess.run([str(KG), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    if ok:
        assert done.returncode == 0, f"kg {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def bash(cwd: Path, script: str) -> subprocess.CompletedProcess[str]:
    """A shell block of the README, run as it is written."""
    done = subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=ENV, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
    return done


def rows(cwd: Path, sparql: str, *out: str) -> list[dict[str, str]]:
    """The rows `kg query --format csv` prints."""
    return list(csv.DictReader(io.StringIO(kg(cwd, "query", "--format", "csv", *out, sparql).stdout)))


def article_ids(cwd: Path, *out: str) -> list[str]:
    return sorted(r["id"] for r in rows(cwd, IDS, *out))


def reuse(done: subprocess.CompletedProcess[str]) -> tuple[int, int] | None:
    """(articles parsed, input articles kept unchanged) from a build's summary; None when it printed
    none (it kept no input article and removed none)."""
    found = re.search(r"(\d+) article\(s\) parsed, (\d+) unchanged kept", done.stdout)
    return (int(found[1]), int(found[2])) if found else None


def check_build(out: Path, ids: list[str]) -> None:
    """A whole build in `out`: every output there, the graph parses and holds the events of the
    table, the table has the contract's columns, the view has content, and only one build is kept."""
    for name in OUTPUTS:
        assert (out / name).exists(), f"{out / name} is missing or a dangling link"
    with (out / "events.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        table = list(reader)
    assert reader.fieldnames == list(EVENT_COLUMNS)
    assert table and sorted({r["article_id"] for r in table}) == ids
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    events = {str(e).rsplit("/", 1)[-1] for e in graph.subjects(RDF.type, URIRef(DIP + "Event"))}
    assert events == {r["event_id"] for r in table}
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    assert {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)} >= set(ids)
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert len(html) > 10_000 and 'id="mynetwork"' in html and "kg-data" in html
    builds = [p.resolve() for p in (out / ".kg" / "builds").iterdir()]
    assert builds == [(out / "store").resolve().parent], builds


def new_project(where: Path) -> Path:
    """A copy of the project as a user has it: the seed articles, the README."""
    where.mkdir(parents=True)
    shutil.copytree(SEEDS, where / "seeds")
    shutil.copy(ROOT / "README.md", where / "README.md")
    return where


@pytest.fixture(scope="module")
def quick_start(tmp_path_factory) -> Path:
    """The project after the README's first command: `kg build seeds/`, word for word."""
    project = new_project(tmp_path_factory.mktemp("as-user") / "project")
    command = sh_block("## Quick start").strip()
    assert command.endswith("&& kg build seeds/"), command
    done = bash(project, command.rsplit("&& ", 1)[1])
    assert "wrote output/" in done.stdout
    return project


@pytest.fixture()
def built(quick_start, tmp_path) -> Path:
    """A project of its own with the quick start's build (copied as it is, links and all)."""
    project = tmp_path / "project"
    shutil.copytree(quick_start, project, symlinks=True)
    return project


def test_the_quick_start_leaves_a_build_that_every_read_command_answers_from(quick_start):
    project = quick_start
    check_build(project / "output", [SEED_ID])
    # README, "A first query": run as written, it answers with the pairs the README shows
    first = bash(project, sh_block("## A first query")).stdout
    shown = re.search(r"```text\n(.*?)```", README[README.index("\n## A first query\n"):], flags=re.S)
    assert shown, "the README shows no answer to its first query"
    pairs = [line.split() for line in shown[1].splitlines()[2:-1]]
    answered = [line.split() for line in first.splitlines()]
    assert pairs and all(pair in answered for pair in pairs), first
    # docs/querying.md, "Six questions": run as written; each answers with rows from the seed
    answers = bash(project, sh_block("## Six questions", page=QUERYING)).stdout
    counts = [int(n) for n in re.findall(r"^\((\d+) rows?\)$", answers, flags=re.M)]
    assert len(counts) == 6 and all(counts), answers
    assert "Kim Jong-un" in answers and "Donald Trump" in answers
    events = rows(project, EVENTS)
    with (project / "output" / "events.csv").open(encoding="utf-8") as fh:
        assert len(events) == len({r["event_id"] for r in csv.DictReader(fh)}) > 0
    # README, "Exporting, viewing, analysing": each command as written, its result opened
    commands = [line.split("#")[0].strip() for line in sh_block("## Exporting, viewing, analysing").splitlines()]
    export = next(c for c in commands if c.startswith("kg export"))
    assert export.startswith("kg export --format turtle|trig|") and export.endswith("[-o FILE]")
    bash(project, "kg export --format turtle -o exported.ttl && kg export --format trig -o exported.trig")
    assert len(Graph().parse(project / "exported.ttl", format="turtle")) > 100
    ds = Dataset()
    ds.parse(project / "exported.trig", format="trig")
    assert f"https://w3id.org/kg-dip/id/article/{SEED_ID}" in {str(g.identifier) for g in ds.graphs()}
    table = list(csv.DictReader(io.StringIO(bash(project, "kg export --format events-csv").stdout)))
    assert len(table) >= len(events) and {r["article_id"] for r in table} == {SEED_ID}
    assert "kg viz -o graph.html" in commands
    assert "wrote graph.html" in bash(project, "kg viz -o graph.html").stdout
    html = (project / "graph.html").read_text(encoding="utf-8")
    assert len(html) > 10_000 and "Kim Jong-un" in html
    assert "kg analyze --top 10" in commands
    report = bash(project, "kg analyze --top 10").stdout
    assert "degree centrality" in report and "Kim Jong-un" in report
    assert "kg validate" in commands
    assert "conforms" in bash(project, "kg validate").stdout
    # README, "A first view": each focused view as written, its page opened
    bash(project, sh_block("## A first view"))
    html = (project / "kim.html").read_text(encoding="utf-8")
    assert len(html) > 10_000 and "Kim Jong-un" in html and "kg-data" in html
    chart = (project / "kim-trump.html").read_text(encoding="utf-8")
    assert "Kim Jong-un" in chart and "Donald Trump" in chart and "2019-01" in chart
    # docs/views.md, "Analysis": the dyad as written
    dyad = sh_block("## Analysis", page=VIEWS).splitlines()[0]
    assert dyad == 'kg analyze dyad "Kim Jong-un" "Donald Trump"'
    assert "2019-01" in bash(project, dyad).stdout


def test_a_second_build_into_the_same_relative_folder_reuses_the_first(built):
    done = kg(built, "build", "seeds/")
    assert reuse(done) == (0, 1), done.stdout
    check_build(built / "output", [SEED_ID])
    assert article_ids(built) == [SEED_ID] and rows(built, EVENTS)


def test_a_build_into_a_folder_beside_the_project(tmp_path):
    project = new_project(tmp_path / "project")
    kg(project, "build", "seeds/", "--out", "../elsewhere")
    check_build(tmp_path / "elsewhere", [SEED_ID])
    assert article_ids(project, "--out", "../elsewhere") == [SEED_ID]
    (project / "more").mkdir()
    (project / "more" / "talks.txt").write_text(EXTRA, encoding="utf-8")
    done = kg(project, "build", "more/", "--out", "../elsewhere")
    assert done.stdout.startswith("2 article(s)"), done.stdout  # the seed's stays
    check_build(tmp_path / "elsewhere", [SEED_ID, "talks"])
    assert article_ids(project, "--out", "../elsewhere") == [SEED_ID, "talks"]
    assert not (project / "output").exists()


@pytest.mark.parametrize("layout", ["a link to the folder", "a folder inside a linked one"])
def test_a_build_through_a_symbolic_link(tmp_path, layout):
    """macOS's /tmp is a link: --out reached through one must keep its build."""
    project = new_project(tmp_path / "project")
    real = tmp_path / "real"
    real.mkdir()
    if layout == "a link to the folder":
        (project / "linked").symlink_to(real)  # absolute target
        out, real_out = "linked", real
    else:
        (project / "disk").symlink_to("../real")  # relative target
        out, real_out = "disk/output", real / "output"
    kg(project, "build", "seeds/", "--out", out)
    check_build(project / out, [SEED_ID])
    check_build(real_out, [SEED_ID])
    done = kg(project, "build", "seeds/", "--out", out)
    assert reuse(done) == (0, 1), done.stdout
    check_build(project / out, [SEED_ID])
    assert article_ids(project, "--out", out) == [SEED_ID]
    assert article_ids(tmp_path, "--out", str(real_out)) == [SEED_ID]


def test_a_build_from_a_subfolder(tmp_path):
    project = new_project(tmp_path / "project")
    (project / "sub").mkdir()
    kg(project / "sub", "build", "../seeds", "--out", "../output")
    check_build(project / "output", [SEED_ID])
    assert article_ids(project) == [SEED_ID]  # the default output/, from the project's root
    done = kg(project, "build", "seeds/")  # the same articles, named from elsewhere
    assert reuse(done) == (0, 1), done.stdout


def test_a_moved_corpus_is_reused_not_parsed_again(built):
    (built / "seeds").rename(built / "corpus")
    for spelling in ("corpus/", "./corpus/", str((built / "corpus").resolve())):
        done = kg(built, "build", spelling)
        assert reuse(done) == (0, 1), (spelling, done.stdout)
    check_build(built / "output", [SEED_ID])
    assert article_ids(built) == [SEED_ID]


def test_a_changed_actors_file_parses_again(tmp_path):
    project = new_project(tmp_path / "project")
    header = "id,label,type,country,role,aliases,office,start,end,gender\n"
    actors = project / "my_actors.csv"
    actors.write_text(header + "jane-roe,Jane Roe,person,NZL,GOV,Roe;Minister Roe,foreign minister,2024-01-01,,f\n",
                      encoding="utf-8")
    kg(project, "build", "--actors", "my_actors.csv", "seeds/")
    agents = f"SELECT DISTINCT ?label WHERE {{ ?e <{DIP}agent>/<http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    assert "Donald Trump" in {r["label"] for r in rows(project, agents)}
    actors.write_text(header + "donald-trump,The Forty-Fifth,person,USA,GOV,Trump;Donald Trump;President Trump,"
                      "president,2017-01-20,2021-01-20,m\n", encoding="utf-8")
    done = kg(project, "build", "--actors", "my_actors.csv", "seeds/")
    assert reuse(done) is None and done.stdout.startswith("1 article(s)"), done.stdout  # parsed, none kept
    labels = {r["label"] for r in rows(project, agents)}
    assert "The Forty-Fifth" in labels and "Donald Trump" not in labels
    check_build(project / "output", [SEED_ID])


def _lose_store(store: Path) -> None:
    shutil.rmtree(store)


def _garble_store(store: Path) -> None:
    (store / "CURRENT").write_text("garbage\n")


@pytest.mark.parametrize("damage", [_lose_store, _garble_store])
def test_a_lost_store_is_said_and_the_inputs_are_built_whole(built, damage):
    """A build that cannot add to the last one says so in one line and builds every input given:
    the output never shows some articles in the table and others in the graph."""
    damage((built / "output" / "store").resolve())
    (built / "talks.txt").write_text(EXTRA, encoding="utf-8")
    done = kg(built, "build", "talks.txt")
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "output/store is" in warnings[0], done.stderr
    assert "Traceback" not in done.stderr
    check_build(built / "output", ["talks"])
    assert article_ids(built) == ["talks"]
    done = kg(built, "build", "seeds/", "talks.txt")  # the whole picture again, from the inputs
    assert reuse(done) == (1, 1) and "warning" not in done.stderr, done.stdout + done.stderr
    check_build(built / "output", [SEED_ID, "talks"])
    assert article_ids(built) == [SEED_ID, "talks"]


def _open_deleted(pid: int) -> list[str]:
    """Files of builds that the process has open and that were deleted under it."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if "/.kg/builds/" in target and target.endswith(" (deleted)"):
            found.append(target)
    return found


def _released(folder: Path) -> bool:
    """Whether no reader holds the build `folder` (its readers' lock can be taken exclusively)."""
    fd = os.open(folder / ".readers", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def test_kg_serve_keeps_the_build_it_answers_from_across_rebuilds(built):
    serve = subprocess.Popen([str(KG), "serve", "--port", "0"], cwd=built, env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        banner = serve.stdout.readline()  # type: ignore[union-attr]
        url = re.search(r"http://\S+/sparql", banner)
        assert url, banner + serve.stderr.read()  # type: ignore[union-attr]

        def served_ids() -> list[str]:
            request = url[0] + "?" + urllib.parse.urlencode({"query": IDS})  # type: ignore[index]
            with urllib.request.urlopen(urllib.request.Request(request, headers={"Accept": "text/csv"}),
                                        timeout=60) as resp:
                return sorted(resp.read().decode().split()[1:])

        assert served_ids() == [SEED_ID]
        first = (built / "output" / "store").resolve().parent
        (built / "talks.txt").write_text(EXTRA, encoding="utf-8")
        kg(built, "build", "talks.txt")
        assert (first / "store").is_dir(), "the rebuild deleted the build kg serve answers from"
        assert served_ids() == [SEED_ID, "talks"]  # answered from the new build
        deadline = time.monotonic() + 30
        while not _released(first) and time.monotonic() < deadline:  # idle workers move on too
            time.sleep(0.2)
        assert _released(first), "kg serve still holds the build it no longer answers from"
        kg(built, "build", "talks.txt")
        assert not first.exists()  # the next build removed it
        assert served_ids() == [SEED_ID, "talks"]
        workers = subprocess.run(["ps", "--ppid", str(serve.pid), "-o", "pid="], capture_output=True, text=True)
        for pid in [serve.pid, *map(int, workers.stdout.split())]:
            assert _open_deleted(pid) == [], pid
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        for stream in (serve.stdout, serve.stderr):
            if stream is not None:
                stream.close()
