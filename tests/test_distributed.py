"""`kg build --scheduler`: the parse on a real Dask cluster (a LocalCluster of two worker processes)
gives the build a local parse gives, in input order, each worker loading the pipeline once."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import SEEDS
from tests.test_remote import ARTICLES

distributed = pytest.importorskip("distributed", reason="Dask distributed not installed (pip install 'kg[scale]')")

#: More invented reports, so that two workers each get several batches.
MORE = {
    f"2{i:02d}_invented_{place.lower()}.txt": f"""Title: Talks in {place}
Date: 2019-0{1 + i % 9}-1{i % 10}
Source: Invented Wire

{place.upper()} -- {agent} met {target} in {place} on Monday. {target} praised {agent} for the visit.
"""
    for i, (place, agent, target) in enumerate([
        ("Oslo", "Prime Minister Shinzo Abe", "President Moon Jae-in"),
        ("Hanoi", "Mike Pompeo", "Sergei Lavrov"),
        ("Vienna", "Sergei Lavrov", "Shinzo Abe"),
        ("Lima", "Moon Jae-in", "Mike Pompeo"),
        ("Accra", "Mike Pompeo", "Shinzo Abe"),
    ])
}


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster-corpus")
    for name, text in {**ARTICLES, **MORE}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_cluster_build_is_the_local_build(cluster, corpus, tmp_path):
    runner = CliRunner()
    local = runner.invoke(main, ["build", str(SEEDS), str(corpus), "--out", str(tmp_path / "local"), "--no-html"])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(main, ["build", str(SEEDS), str(corpus), "--out", str(tmp_path / "dask"), "--no-html",
                                  "--scheduler", cluster.scheduler_address])
    assert remote.exit_code == 0, remote.output
    assert remote.output.splitlines()[0].split(" in ")[0] == local.output.splitlines()[0].split(" in ")[0]
    for name in ("events.csv", "graph.trig", "graph.ttl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_workers_load_the_pipeline_once_and_results_keep_input_order(cluster, corpus):
    from distributed import Client

    from kg.build.cluster import cluster_results, worker_state
    from kg.build.pool import process_articles
    from kg.ingest import read_articles

    articles = read_articles([str(SEEDS), str(corpus)])
    local = list(process_articles(iter(articles)))
    on_cluster = list(cluster_results(cluster.scheduler_address, iter(articles), batch_size=1))  # a task an article
    assert [r.article.id for r in on_cluster] == [a.id for a in articles] == [r.article.id for r in local]
    assert [r.events for r in on_cluster] == [r.events for r in local]
    assert [(r.actors, r.surface) for r in on_cluster] == [(r.actors, r.surface) for r in local]
    with Client(cluster.scheduler_address) as client:
        states = client.run(worker_state)
    assert len(states) == 2
    # both workers did work, and each loaded the pipeline exactly once for its 8 tasks or so
    assert sorted(s["pipelines"] for s in states.values()) == [1, 1]


def test_an_unreachable_scheduler_is_one_line(monkeypatch, tmp_path):
    import kg.build.cluster
    from tests.servers import free_port

    monkeypatch.setattr(kg.build.cluster, "CONNECT_TIMEOUT", "1s")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--scheduler",
                                       f"tcp://127.0.0.1:{free_port()}"])
    assert result.exit_code == 1, result.output
    assert "cannot reach the Dask scheduler" in result.output and result.output.count("\n") == 1
    assert not (tmp_path / "events.csv").exists()


def test_the_readme_commands_start_a_cluster_that_builds(tmp_path):
    """`dask scheduler` and `dask worker` as "Scaling out" starts them (here both on loopback)."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.servers import free_port

    dask = str(Path(sys.executable).parent / "dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        procs.append(subprocess.Popen([dask, "worker", address, "--nworkers", "1", "--nthreads", "1"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--no-html",
                                           "--scheduler", address])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "events.csv").read_text(encoding="utf-8").count("\n") > 10
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)


def test_a_cluster_build_into_a_server_is_the_local_build(cluster, corpus, tmp_path):
    from tests.servers import oxigraph_binary, oxigraph_server
    from tests.test_remote import local_dataset, same_dataset

    if oxigraph_binary() is None:
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    runner = CliRunner()
    local = runner.invoke(main, ["build", str(SEEDS), str(corpus), "--out", str(tmp_path / "local"), "--no-html"])
    assert local.exit_code == 0, local.output
    with oxigraph_server() as server:
        result = runner.invoke(main, ["build", str(SEEDS), str(corpus), "--out", str(tmp_path / "dask"),
                                      "--store", server.query, "--scheduler", cluster.scheduler_address])
        assert result.exit_code == 0, result.output
        from kg.graph.remote import connect

        assert same_dataset(connect(server.query).dataset(), local_dataset(tmp_path / "local"))
    assert (tmp_path / "dask" / "events.csv").read_bytes() == (tmp_path / "local" / "events.csv").read_bytes()
