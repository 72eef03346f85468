"""The parse of a build on a Dask distributed cluster: `kg build --scheduler tcp://HOST:PORT`.

The driver reads the articles and sends them in batches to the workers; each worker process loads
the spaCy pipeline and the gazetteer once (on its first batch) and returns plain event records
(`ArticleResult`), never a Doc; the driver puts them back in input order and writes the store,
so the graph is the same as a local build's. Extra actor files travel with the tasks (their text),
so workers need no shared file system; they do need `kg` installed (`pip install 'kg[scale]'`).

>>> list(cluster_results("tcp://10.0.0.5:8786", iter_articles(["articles/"])))  # doctest: +SKIP
[ArticleResult(article=Article(id=...), events=[...], ...), ...]
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.build.worker import ArticleResult, ArticleWorker, batches
from kg.errors import KGError
from kg.ingest import MAX_ARTICLE_CHARS
from kg.records import Article

#: Articles per task: large enough to amortise a round trip, small enough to spread a corpus.
BATCH_SIZE = 8
#: How long the driver waits for the scheduler before giving up.
CONNECT_TIMEOUT = "10s"

_lock = threading.Lock()
#: In each worker process: (model, actor files' digest) -> the per-article work (pipeline, gazetteer).
_loaded: dict[tuple[str | None, str], ArticleWorker] = {}


def _worker(model: str | None, actor_csvs: tuple[tuple[str, str], ...], max_chars: int) -> ArticleWorker:
    """The per-article work of this worker process, its pipeline loaded on first use and kept."""
    digest = hashlib.sha1(repr((actor_csvs, max_chars)).encode()).hexdigest()
    with _lock:
        if (model, digest) not in _loaded:
            files = []
            if actor_csvs:
                folder = Path(tempfile.mkdtemp(prefix=f"kg-actors-{digest[:12]}-"))
                for i, (name, text) in enumerate(actor_csvs):
                    files.append(folder / f"{i}-{name}")
                    files[-1].write_text(text, encoding="utf-8")
            _loaded[(model, digest)] = ArticleWorker(model, files or None, max_chars)
        return _loaded[(model, digest)]


def extract_batch(articles: list[Article], model: str | None = None, actor_csvs: tuple[tuple[str, str], ...] = (),
                  max_chars: int = MAX_ARTICLE_CHARS) -> tuple[str, list[ArticleResult]]:
    """One Dask task: (model version, the batch's `ArticleResult`s in order)."""
    worker = _worker(model, actor_csvs, max_chars)
    with _lock:  # a worker's threads share one pipeline: one batch at a time
        return worker.model, worker(articles)


def worker_state() -> dict[str, int]:
    """This worker process's pid and how many pipelines it has loaded (run with `client.run`)."""
    return {"pid": os.getpid(), "pipelines": len(_loaded)}


def cluster_results(scheduler: str, articles: Iterable[Article], *, model: str | None = None,
                    actor_files: list[Path] | None = None, batch_size: int = BATCH_SIZE,
                    max_chars: int = MAX_ARTICLE_CHARS) -> Iterator[ArticleResult]:
    """The per-article work of a build (`kg.build.worker.ArticleWorker`) done on the Dask cluster at
    `scheduler`, the results in input order, as a local build's `process_articles` gives them."""
    for _, batch in extract_stream(scheduler, articles, model=model, actor_files=actor_files,
                                   batch_size=batch_size, max_chars=max_chars):
        yield from batch


def extract_stream(scheduler: str, articles: Iterable[Article], *, model: str | None = None,
                   actor_files: list[Path] | None = None, batch_size: int = BATCH_SIZE,
                   max_chars: int = MAX_ARTICLE_CHARS) -> Iterator[tuple[str, list[ArticleResult]]]:
    """(model version, the batch's extractions) for each batch of `articles`, in input order, as
    the cluster at `scheduler` returns them. A window of batches is in flight (three per worker
    thread), so neither the scheduler nor the driver ever holds a whole corpus of tasks."""
    try:
        from distributed import Client
    except ImportError:
        raise KGError("--scheduler needs Dask distributed: pip install 'kg[scale]'") from None
    csvs = tuple((p.name, p.read_text(encoding="utf-8")) for p in actor_files or [])
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise KGError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from None
    versions: set[str] = set()

    def result(future: Any) -> tuple[str, list[ArticleResult]]:
        version, batch = future.result()
        future.release()
        versions.add(version)
        if len(versions) > 1:
            raise KGError(f"{scheduler}: the workers run different spaCy models ({', '.join(sorted(versions))}); "
                          "install the same one on every worker")
        return version, batch

    with client:
        window = max(4, 3 * sum(client.nthreads().values()))
        pending: deque[Any] = deque()
        for batch in batches(articles, batch_size):
            pending.append(client.submit(extract_batch, batch, model=model, actor_csvs=csvs,
                                         max_chars=max_chars, pure=False))
            if len(pending) >= window:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())

