"""The per-article work of a local build in worker processes forked from the build's own, the
model loaded once before the fork and shared, each worker recycled after `RECYCLE` batches."""
from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from kg.build.worker import ArticleResult, ArticleWorker, batches
from kg.ingest import MAX_ARTICLE_CHARS
from kg.records import Article
from kg.util.processes import die_with_parent

#: Articles worked on together: one `nlp.pipe` call, one store write, one events-table write.
BATCH = 32
#: Batches a worker process does before a fresh one replaces it: spaCy's memory grows slowly with
#: the documents a process has parsed (explosion/spaCy#3618), so a long build recycles its workers.
RECYCLE = 16

#: The worker of this process: set in the build's process before its workers are forked, so each
#: starts with the model and gazetteer loaded (shared memory, no load time, even when recycled).
_WORKER: ArticleWorker | None = None


def _work(articles: list[Article]) -> list[ArticleResult]:
    assert _WORKER is not None, "workers are forked from a process that loaded one"
    return _WORKER(articles)


def process_articles(articles: Iterable[Article], *, model: str | None = None,
                     actor_files: list[Path] | None = None, n_process: int = 1,
                     batch_size: int = BATCH, max_chars: int = MAX_ARTICLE_CHARS,
                     min_confidence: float | None = None) -> Iterator[ArticleResult]:
    """The per-article work over `articles`, lazily, results in input order.

    The model is loaded here, once. An input of one batch or less is worked on here too. A longer
    one goes to `n_process` worker processes (one with `n_process=1`, so this process writes the
    graph while it parses), forked from this one with the model loaded, and each replaced by a
    fresh fork after `RECYCLE` batches, so memory stays flat however long the corpus; the fresh
    ones start while the old ones finish their last batches, so no core waits. Workers are forked:
    a script that calls `build` needs no `if __name__ == "__main__"` guard (spawn and forkserver
    would re-import it). A worker ends when the build does, even a build killed with kill -9."""
    chunks = batches(articles, batch_size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    worker = ArticleWorker(model, actor_files, max_chars, min_confidence)  # frozen out of the collector's view
    try:
        if second is None:
            yield from worker(first)
        else:
            yield from _forked(worker, itertools.chain((first, second), chunks), n_process)
    finally:
        gc.unfreeze()  # a process that builds again, or goes on with other work, collects it again


def _forked(worker: ArticleWorker, chunks: Iterable[list[Article]], n_process: int) -> Iterator[ArticleResult]:
    """`worker` over the batches in `n_process` processes forked from this one, each pool of them
    replaced after `RECYCLE` batches per process; results in input order."""
    global _WORKER
    context = multiprocessing.get_context("fork")
    pending: deque[Future[list[ArticleResult]]] = deque()
    pools: list[ProcessPoolExecutor] = []
    submitted = 0
    _WORKER = worker
    try:
        for batch in chunks:
            if not pools or submitted == RECYCLE * n_process:
                if pools:
                    pools[-1].shutdown(wait=False)  # its workers end when their batches are done
                pools.append(ProcessPoolExecutor(n_process, mp_context=context, initializer=die_with_parent,
                                                 initargs=(os.getpid(),)))
                submitted = 0
            while len(pending) >= 2 * n_process:  # in flight: enough to keep every process busy
                yield from pending.popleft().result()
            pending.append(pools[-1].submit(_work, batch))
            submitted += 1
        while pending:
            yield from pending.popleft().result()
    finally:
        _WORKER = None
        for pool in pools:
            pool.shutdown(cancel_futures=True)
