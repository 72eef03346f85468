"""`build`: articles in, a graph out. Articles are read lazily and worked on in batches (parse,
resolve, extract: the whole per-article work, in N processes when asked, `kg.build.pool`, or on a
Dask cluster, `kg.build.cluster`); each batch's graphs go into the store and its rows into the
events table before the next batch is read, so memory does not grow with the corpus
(`kg.build.writer`). Every output is written into a new build folder, which is published at once
when complete (`kg.graph.publish`); a failed or killed build leaves the last good one intact. The
outputs beyond the build's own folder (the HTML view, a SPARQL server) are sinks the caller hands
in (`kg.build.sinks`).

Building into an existing output is incremental (`kg.build.incremental`): an article whose
content (and the extractor, lexicon, model and actor files) is unchanged keeps its graph and rows;
new and changed articles are worked on; `prune=True` removes the articles no longer in the input.
The result is the same as a full build of the same inputs.
"""
from __future__ import annotations

import logging
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.build.cluster import cluster_results
from kg.build.incremental import STATE_FILE, Previous, article_hash, previous_store, state_record
from kg.build.pool import BATCH, process_articles
from kg.build.provenance import build_key
from kg.build.sinks import Sink, finish_all
from kg.build.worker import ArticleResult
from kg.build.writer import SKIPPED_FILE, BuildWriter, write_rdf, write_skipped
from kg.errors import KGError
from kg.events import event_rows
from kg.graph.publish import OUTPUT_NAMES, STORE_DIR, build_lock, clean, current_build, new_build_dir, publish
from kg.graph.rdf import ID, add_actor, add_build, article_iri, default_graph
from kg.graph.store import OxigraphStore
from kg.ingest import MAX_ARTICLE_CHARS, Skipped, count_articles, iter_articles
from kg.records import Article
from kg.util.files import write_failure

#: Warnings of a build (`kind` in `extra`); the CLI prints them one line each and counts them.
log = logging.getLogger("kg.build")
#: The build's node in the provenance of every graph.
BUILD_NODE = ID["build/kg"]


@dataclass
class BuildResult:
    out_dir: Path
    articles: int
    events: int
    mentions: int
    actors: int
    model: str
    reused: int = 0  # articles kept from the previous build unchanged
    worked: int = 0  # articles parsed and extracted by this build
    removed: int = 0  # articles of the previous build dropped by --prune
    skipped: list[Skipped] = field(default_factory=list)  # inputs passed over (OUT/skipped.csv)


@dataclass(frozen=True)
class _Options:
    """The options of one build, as `build` takes them."""

    model: str | None
    actor_files: list[Path] | None
    encoding: str
    n_process: int
    prune: bool
    batch_size: int
    max_chars: int
    progress: Callable[[int, int], None] | None
    scheduler: str | None
    min_confidence: float | None
    strict: bool
    sinks: Sequence[Sink]


def build(inputs: list[str], out_dir: Path, *, model: str | None = None, actor_files: list[Path] | None = None,
          encoding: str = "utf-8", n_process: int = 1, prune: bool = False, batch_size: int = BATCH,
          max_chars: int = MAX_ARTICLE_CHARS, progress: Callable[[int, int], None] | None = None,
          scheduler: str | None = None, min_confidence: float | None = None, strict: bool = False,
          sinks: Sequence[Sink] = ()) -> BuildResult:
    """Build the graph of `inputs` into `out_dir`: store, graph.ttl, graph.trig, events.csv,
    skipped.csv, and hand the results to `sinks` (`kg.views.sink.HtmlView` writes graph.html into
    the build; without it the last build's view stays). `progress(done, total)` is called as
    articles are done (`total` is 0 when it cannot be known beforehand, as for stdin); with
    `scheduler` (a Dask scheduler's address) the per-article work runs on that cluster
    (`kg.build.cluster`).

    An input that holds no article that can be read (empty, binary, undecodable, a headline alone
    ...) is skipped with a warning (kind "skipped") and listed in skipped.csv and in the build's
    provenance; the build fails only when no article at all can be read. `strict=True` stops at
    the first such input instead. Files of `out_dir` are never read as input, a file reached twice
    is read once, and `n_process` is capped at the cores and the batches of articles there are.

    >>> build(["seeds/"], Path("output"), sinks=[HtmlView()])  # doctest: +SKIP
    BuildResult(out_dir=PosixPath('output'), articles=1, ...)
    """
    if n_process < 1:
        raise KGError(f"--processes {n_process}: give 1 or more processes")
    n_process = min(n_process, os.cpu_count() or 1)  # more processes than cores only share them
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise KGError(f"--min-confidence {min_confidence:g}: give a probability between 0 and 1")
    if scheduler and min_confidence is not None:
        raise KGError("--min-confidence does not reach Dask workers yet: build with --scheduler at the default")
    for sink in sinks:
        sink.check()
    key = build_key(model, actor_files, min_confidence)
    if out_dir.exists() and not out_dir.is_dir():
        raise KGError(f"{out_dir}: not a folder; pass --out a folder for the build")
    options = _Options(model, actor_files, encoding, n_process, prune, batch_size, max_chars, progress, scheduler,
                       min_confidence, strict, sinks)
    with build_lock(out_dir):
        clean(out_dir)
        folder = new_build_dir(out_dir)
        try:
            result = _build_into(folder, inputs, out_dir, key, options)
            publish(folder, out_dir)
        except OSError as exc:  # a full disk, a folder made read-only under the build
            shutil.rmtree(folder, ignore_errors=True)
            raise KGError(write_failure(exc, out_dir)) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        clean(out_dir)
    for sink in sinks:
        sink.published(out_dir)
    return result


def _build_into(folder: Path, inputs: list[str], out_dir: Path, key: dict[str, str],
                options: _Options) -> BuildResult:
    previous = Previous(current_build(out_dir), key)
    try:
        store = previous_store(previous, folder, out_dir) if previous.folder is not None else None
        if store is None:
            store = OxigraphStore.create(folder / STORE_DIR)
        return _fill(store, previous, folder, inputs, out_dir, key, options)
    finally:
        previous.close()


class _Inputs:
    """The articles of a build's inputs, read lazily: `to_work` yields those to be worked on, and
    `order` holds every article read, in input order, with its content hash and whether the last
    build's graph and rows of it are kept; what is passed over goes to `skipped`."""

    def __init__(self, inputs: list[str], out_dir: Path, previous: Previous, options: _Options) -> None:
        self.inputs, self.out_dir, self.previous, self.options = inputs, out_dir, previous, options
        self.order: deque[tuple[Article, str, bool]] = deque()  # (article, hash, reused?)
        self.skipped: list[Skipped] = []
        # files, not read: for the bar's ETA and the processes worth starting (0: not known, as for stdin)
        self.total = count_articles(inputs, [out_dir])

    def skip(self, item: Skipped) -> None:
        self.skipped.append(item)
        log.warning(f"{item}; skipped", extra={"kind": "skipped"})

    def to_work(self) -> Iterator[Article]:
        for article in iter_articles(self.inputs, encoding=self.options.encoding, max_chars=self.options.max_chars,
                                     exclude=[self.out_dir], on_skip=None if self.options.strict else self.skip):
            digest = article_hash(article)
            reuse = self.previous.index.get(article.id, ("",))[0] == digest
            self.order.append((article, digest, reuse))
            if not reuse:
                yield article


def _results(articles: Iterator[Article], total: int, options: _Options) -> Iterator[ArticleResult]:
    """The per-article work over `articles`, on the Dask cluster or in local processes (a process
    per batch at most)."""
    if options.scheduler:
        return cluster_results(options.scheduler, articles, model=options.model, actor_files=options.actor_files,
                               max_chars=options.max_chars)
    n_process = min(options.n_process, -(-total // options.batch_size)) if total else options.n_process
    return process_articles(articles, model=options.model, actor_files=options.actor_files, n_process=n_process,
                            batch_size=options.batch_size, max_chars=options.max_chars,
                            min_confidence=options.min_confidence)


def _fill(store: OxigraphStore, previous: Previous, folder: Path, inputs: list[str], out_dir: Path,
          key: dict[str, str], options: _Options) -> BuildResult:
    """Write the build into `folder` (its store already there: empty, or the last build's copy)."""
    articles = _Inputs(inputs, out_dir, previous, options)
    results = _results(articles.to_work(), articles.total, options)
    if options.progress:
        options.progress(0, articles.total)
    writer = BuildWriter(store, folder, previous.merges, BUILD_NODE, options.batch_size)
    counts = BuildResult(out_dir, 0, 0, 0, 0, "")
    try:
        model_name = _write_articles(articles, results, writer, previous, counts)
        _keep_or_prune(store, previous, writer, counts, prune=options.prune)
        if not writer.seen:
            raise KGError(f"{', '.join(inputs) or '(no input)'}: no articles found")
        counts.events = writer.events - writer.finish(folder / STATE_FILE, folder / "events.csv",
                                                      {"key": key, "model": model_name})
        write_skipped(folder / SKIPPED_FILE, articles.skipped)
    finally:
        writer.close()
    _write_outputs(store, folder, writer, key, model_name, articles.skipped, counts, options.sinks)
    _keep_last_outputs(out_dir, folder)
    store.close()
    counts.articles, counts.actors, counts.model = len(writer.seen), len(writer.used), model_name
    counts.mentions, counts.skipped = writer.mentions, articles.skipped
    return counts


def _write_articles(articles: _Inputs, results: Iterator[ArticleResult], writer: BuildWriter, previous: Previous,
                    counts: BuildResult) -> str:
    """Each article in input order into the writer: the last build's record of it when it is
    kept, else its fresh result; the model the results were made with (the last build's when none
    was made)."""
    model_name = previous.model
    progress = articles.options.progress
    ready: deque[ArticleResult] = deque()
    while True:
        if not articles.order:  # read on: the work pulls articles (and fills `order`) until one needs work
            res = next(results, None)
            if res is not None:
                ready.append(res)
            if not articles.order:
                break
        article, digest, reuse = articles.order.popleft()
        if reuse:
            counts.reused += 1
            writer.add(previous.record(article.id))
        else:
            res = ready.popleft() if ready else next(results)
            counts.worked += 1
            model_name = res.model
            writer.add(state_record(res, digest, event_rows(res.events)), res)
        if progress:
            done = len(writer.seen) + len(articles.skipped)
            progress(done, max(articles.total, done))
    return model_name


def _keep_or_prune(store: OxigraphStore, previous: Previous, writer: BuildWriter, counts: BuildResult, *,
                   prune: bool) -> None:
    """The articles of the last build that the inputs no longer hold: removed (`prune`), else kept."""
    gone = [a for a in previous.index if a not in writer.seen]
    if prune:
        store.remove_graphs(str(article_iri(a)) for a in gone)
        counts.removed = len(gone)
    else:
        for article_id in gone:
            writer.add(previous.record(article_id))


def _write_outputs(store: OxigraphStore, folder: Path, writer: BuildWriter, key: dict[str, str], model_name: str,
                   skipped: list[Skipped], counts: BuildResult, sinks: Sequence[Sink]) -> None:
    """Once the events table is written: the sinks start on it while the default graph (the
    build's provenance, the actors) goes into the store and graph.trig and graph.ttl are written."""
    for sink in sinks:
        sink.table_written(folder)
    try:
        default = default_graph()
        add_build(default, BUILD_NODE, kg_version=__version__, extractor=f"{key['extractor']} {key['coder']}",
                  model=model_name, lexicon=key["lexicon"], articles=len(writer.seen),
                  skipped=[str(item) for item in skipped])
        for actor_id in sorted(writer.used):
            add_actor(default, writer.actors[actor_id], writer.surface.get(actor_id, ()))
        store.put_default(default.quads)
        store.finish(compact=counts.worked + counts.removed > len(writer.seen) // 4)
        write_rdf(store, folder)
    except BaseException:
        finish_all(sinks, folder, failed=True)  # never leave a sink writing into a folder about to go
        raise
    finish_all(sinks, folder, failed=False)


def _keep_last_outputs(out_dir: Path, folder: Path) -> None:
    """An output no sink wrote this time (graph.html without the view) stays as the last build had it."""
    old = current_build(out_dir)
    if old is None:
        return
    for name in OUTPUT_NAMES:
        if not (folder / name).exists() and (old / name).is_file():
            shutil.copyfile(old / name, folder / name)
