"""`kg build --store URL` and the reading commands against real SPARQL servers: Oxigraph's server
and Virtuoso Open Source, each started for the session on a loopback port (tests/servers.py)."""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.compare import isomorphic

import kg.graph.remote
from kg.cli import main
from kg.errors import KGError
from kg.graph.remote import RemoteStore, connect
from kg.query.run import run_query
from tests.conftest import ROOT, SEEDS
from tests.servers import SERVERS, credentials_env, free_port

#: Invented reports (two articles beside the seed) with meetings, an appeal on KCNA's word and dates.
ARTICLES = {
    "100_invented_tokyo.txt": """Title: Abe and Moon meet in Tokyo
Date: 2019-01-16
Source: Invented Wire

TOKYO -- Japanese Prime Minister Shinzo Abe met South Korean President Moon Jae-in in Tokyo on Monday. Abe \
praised Moon for his efforts, and the two leaders agreed to hold further talks in March.

China urged Japan and South Korea to resume trade negotiations, KCNA reported on Tuesday.
""",
    "101_invented_geneva.txt": """Title: Envoys gather in Geneva
Date: 2018-11-02
Source: Invented Wire

GENEVA -- Russian Foreign Minister Sergei Lavrov met U.S. Secretary of State Mike Pompeo in Geneva on Thursday. \
Pompeo warned Russia against new sanctions violations. Lavrov rejected the accusation.
""",
}


ARTICLE_IRI = "https://w3id.org/kg-dip/id/article/000_fd245a2f0af1f295"


def readme_queries() -> list[str]:
    """The example questions of the documentation's "Querying" page (five or more; the README's first
    query is among them), with their prefixes."""
    text = (ROOT / "docs" / "querying.md").read_text(encoding="utf-8")
    prefixes = re.search(r"^P='(.*?)'$", text, re.M | re.S)
    assert prefixes is not None
    queries = re.findall(r'^kg query "\$P (.*?)"$', text, re.M | re.S)
    assert len(queries) >= 5
    return [prefixes.group(1) + "\n" + q for q in queries]


def answers(result) -> list[tuple[str, ...]]:
    return sorted(tuple("" if v is None else str(v) for v in row) for row in result)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("invented")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def local_build(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "output"
    result = CliRunner().invoke(main, ["build", str(SEEDS), str(corpus), "--out", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session", params=sorted(SERVERS))
def server(request):
    start, binary = SERVERS[request.param]
    if binary() is None:
        if os.environ.get("CI"):
            pytest.fail(f"{request.param} is missing in CI (.ci/run installs it)")
        pytest.skip(f"{request.param} server not installed (see tests/servers.py)")
    with start() as srv, credentials_env(srv.login):
        yield srv


@pytest.fixture()
def empty(server):
    """The session's server with no `kg` graphs in it."""
    connect(server.query, update=server.update).clear()
    return server


def build_into(server, inputs, out: Path, *extra: str):
    result = CliRunner().invoke(main, ["build", *map(str, inputs), "--store", server.query, "--update-endpoint",
                                       server.update, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result


def local_dataset(out: Path) -> Dataset:
    from kg.graph.publish import open_build

    with open_build(out) as store:
        data = store.serialize("nquads")
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    return ds


@contextmanager
def rdflib_view(out: Path) -> Iterator[Dataset]:
    """The build in `out` as an rdflib dataset that its store answers, held as every reader holds it."""
    from oxrdflib import OxigraphStore as RdflibOxigraph

    from kg.graph.publish import open_build
    from kg.graph.rdf import bind_prefixes

    with open_build(out) as store:
        ds = Dataset(store=RdflibOxigraph(store=store.store))
        bind_prefixes(ds)
        yield ds


def same_dataset(a: Dataset, b: Dataset) -> bool:
    graphs = {str(g.identifier): g for g in a.graphs() if len(g)}
    others = {str(g.identifier): g for g in b.graphs() if len(g)}
    return graphs.keys() == others.keys() and all(isomorphic(graphs[k], others[k]) for k in graphs)


@pytest.mark.parametrize("protocol, write_batch, processes", [("update", 64, 1), ("update", 1, 1),
                                                                ("graph-store", 1, 2)])
def test_a_build_into_the_server_answers_the_readme_queries_as_a_local_build(empty, corpus, local_build, tmp_path,
                                                                             protocol, write_batch, processes,
                                                                             monkeypatch):
    server = empty
    monkeypatch.setattr(kg.graph.remote, "BATCH_TRIPLES", write_batch)  # 1: a graph a request
    extra = ["--graph-store", server.graph_store] if protocol == "graph-store" else []
    extra += ["--processes", str(processes)]
    result = build_into(server, [SEEDS, corpus], tmp_path / "out", *extra)
    assert "3 article(s)" in result.output and "wrote " in result.output
    assert (tmp_path / "out" / "events.csv").read_bytes() == (local_build / "events.csv").read_bytes()
    remote = connect(server.query)
    with rdflib_view(local_build) as ds:
        for q in readme_queries():
            local = answers(run_query(ds, q))
            assert local, f"the example query finds nothing in the local build: {q}"
            assert answers(remote.query(q)) == local, q
    # and the dataset read back is the local one, graph for graph (actors in the default graph)
    assert same_dataset(remote.dataset(), local_dataset(local_build))


def test_a_build_into_the_server_with_the_default_output(empty, tmp_path, monkeypatch):
    """`kg build seeds/ --store URL` as a user types it: the build goes to the relative output/."""
    server = empty
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    result = CliRunner().invoke(main, ["build", "seeds/", "--store", server.query, "--update-endpoint", server.update])
    assert result.exit_code == 0, result.output
    assert "and the build to output/" in result.output
    assert same_dataset(connect(server.query).dataset(), local_dataset(tmp_path / "output"))
    assert connect(server.query).query(f"ASK {{ GRAPH <{ARTICLE_IRI}> {{ ?s ?p ?o }} }}").askAnswer is True


def test_a_rebuilt_article_replaces_its_graph(empty, corpus, tmp_path):
    server = empty
    store = connect(server.query)
    build_into(server, [SEEDS, corpus], tmp_path / "a")
    before = store.dataset()
    build_into(server, [SEEDS, corpus], tmp_path / "a")  # the same input again: nothing changes
    assert same_dataset(store.dataset(), before)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "101_invented_geneva.txt").write_text(
        "Title: Envoys gather in Geneva\nDate: 2018-11-02\n\nMike Pompeo praised Sergei Lavrov on Friday.\n",
        encoding="utf-8")
    build_into(server, [changed], tmp_path / "b")
    q = ("PREFIX dip: <https://w3id.org/kg-dip/ontology#> SELECT ?rel WHERE { GRAPH "
         "<https://w3id.org/kg-dip/id/article/101_invented_geneva> { ?e a dip:Event ; dip:relation ?rel } }")
    assert answers(store.query(q)) == [("praised",)]
    # the other articles stay, and the actors of the first build are still there
    tokyo = "ASK { GRAPH <https://w3id.org/kg-dip/id/article/100_invented_tokyo> { ?s ?p ?o } }"
    assert store.query(tokyo).askAnswer is True
    assert store.query("ASK { ?a <http://www.w3.org/2000/01/rdf-schema#label> 'Shinzo Abe' }").askAnswer is True


def test_small_batches_and_small_pages_carry_the_whole_build(empty, local_build):
    """Writing in many small requests and reading in many small pages keep every triple."""
    server = empty
    build = local_dataset(local_build)
    store = RemoteStore(connect(server.query, update=server.update).endpoints, page_size=97, batch_triples=100)
    written = store.write(build)
    assert written.requests > 3 and written.triples == sum(len(g) for g in build.graphs())
    assert same_dataset(store.dataset(), build)


def test_export_analyze_validate_and_viz_read_the_server(empty, corpus, local_build, tmp_path):
    server = empty
    build_into(server, [SEEDS, corpus], tmp_path / "out")
    runner = CliRunner()
    for args, after in ((["analyze", "--top", "5"], []), (["validate"], []),
                        (["analyze"], ["dyad", "Shinzo Abe", "Moon Jae-in"])):
        remote = runner.invoke(main, [*args, "--store", server.query, *after])
        local = runner.invoke(main, [*args, "--out", str(local_build), *after])
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output
    page = tmp_path / "view.html"
    result = runner.invoke(main, ["viz", "--endpoint", server.query, "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "Shinzo Abe" in page.read_text(encoding="utf-8")
    timelines = []
    for source in (["--store", server.query], ["--out", str(local_build)]):
        target = tmp_path / f"timeline-{len(timelines)}.html"
        result = runner.invoke(main, ["viz", "--timeline", "Shinzo Abe", "Moon Jae-in", *source, "-o", str(target)])
        assert result.exit_code == 0, result.output
        timelines.append(target.read_text(encoding="utf-8"))
    assert timelines[0] == timelines[1]
    result = runner.invoke(main, ["export", "--store", server.query, "--format", "nquads", "-o",
                                  str(tmp_path / "g.nq")])
    assert result.exit_code == 0, result.output
    exported = Dataset().parse(tmp_path / "g.nq", format="nquads")
    assert same_dataset(exported, local_dataset(local_build))


def test_a_bad_query_is_one_line_from_the_server(server):
    result = CliRunner().invoke(main, ["query", "--store", server.query, "SELEC nothing"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_the_events_table_is_not_in_the_server(server):
    result = CliRunner().invoke(main, ["export", "--store", server.query, "--format", "events-csv"])
    assert result.exit_code == 1 and "OUT/events.csv" in result.output


def test_credentials_come_from_the_environment_or_netrc(server, tmp_path, monkeypatch):
    """Virtuoso's write endpoints ask for Digest credentials: a netrc entry with the wrong password
    is refused with one line, the right one is used; Oxigraph asks for none and ignores them."""
    update = "INSERT DATA { GRAPH <https://w3id.org/kg-dip/id/article/netrc-test> { <urn:a> <urn:b> 'c' } }"
    user, password = server.login or ("someone", "secret")
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    (tmp_path / "netrc").write_text(f"machine 127.0.0.1 login {user} password wrong\n")
    if server.login is not None:
        with pytest.raises(KGError, match="answered 401"):
            connect(server.query, update=server.update).update(update)
        # a build stops before it parses anything, with one line
        result = CliRunner().invoke(main, ["build", str(tmp_path / "none.txt"), "--store", server.query,
                                           "--update-endpoint", server.update, "--out", str(tmp_path / "out")])
        assert result.exit_code == 1 and "answered 401" in result.output and result.output.count("\n") == 1
    (tmp_path / "netrc").write_text(f"machine 127.0.0.1 login {user} password {password}\n")
    connect(server.query, update=server.update).update(update)
    ask = "ASK { GRAPH <https://w3id.org/kg-dip/id/article/netrc-test> { <urn:a> <urn:b> 'c' } }"
    assert connect(server.query).query(ask).askAnswer is True
    connect(server.query, update=server.update).update(
        "DROP SILENT GRAPH <https://w3id.org/kg-dip/id/article/netrc-test>")  # Virtuoso: DROP needs SILENT


@pytest.mark.parametrize("args, message", [
    (["query", "--store", "ftp://example.org/sparql", "ASK {}"], "not an http(s) URL"),
    (["query", "--store", "http://127.0.0.1:{port}/query", "ASK {}"], "cannot reach the SPARQL server"),
    (["query", "--store", "http://dba:secret@127.0.0.1:{port}/sparql", "ASK {}"], "do not go in the URL"),
    (["build", str(SEEDS), "--store", "http://127.0.0.1:{port}/query"], "cannot reach the SPARQL server"),
    (["build", str(SEEDS), "--graph-store", "http://127.0.0.1:{port}/store"], "go with --store URL"),
])
def test_an_unusable_store_url_is_one_line(args, message, tmp_path):
    port = free_port()  # nothing listens there
    out = tmp_path / "new-output"
    args = [a.replace("{port}", str(port)) for a in args] + (["--out", str(out)] if args[0] == "build" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert message in result.output and result.output.count("\n") == 1
    assert "secret" not in result.output  # a password given in a URL is not echoed
    assert not out.exists()  # no events table, not even an empty folder


def test_any_sparql_endpoint_reads_as_a_local_build_here_kg_serve(local_build, tmp_path):
    """A read-only endpoint with a true default graph (`kg serve` over a local build)."""
    import shutil
    import threading

    from kg.query.serve import ServeOptions, make_server

    build = tmp_path / "output"
    shutil.copytree(local_build, build)
    expected = local_dataset(build)
    with rdflib_view(build) as ds:
        local = [answers(run_query(ds, q)) for q in readme_queries()]
    server = make_server(build / "store", "127.0.0.1", 0, options=ServeOptions(workers=1))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        assert same_dataset(connect(url).dataset(), expected)
        assert [answers(connect(url).query(q)) for q in readme_queries()] == local
    finally:
        server.shutdown()
        server.server_close()
