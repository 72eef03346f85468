"""`build`: articles in, a graph out. Articles are read lazily and worked on in batches (parse,
resolve, extract: the whole per-article work, in N processes when asked); each batch's graphs go
into the store and its rows into the events table before the next batch is read, so memory does
not grow with the corpus. Every output is written into a new build folder, which is published
at once when complete (`kg.graph.publish`); a failed or killed build leaves the last good one intact.

Building into an existing output is incremental: an article whose content (and the extractor,
lexicon, model and actor files) is unchanged keeps its graph and rows; new and changed articles
are worked on; `prune=True` removes the articles no longer in the input. The result is the same
as a full build of the same inputs.
"""
from __future__ import annotations

import csv
import gc
import hashlib
import json
import logging
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__, extractor_version
from kg.errors import KGError
from kg.events import (
    EVENT_COLUMNS,
    MergeIndex,
    cross_key,
    event_rows,
    report_source,
)
from kg.graph.publish import STORE_DIR, build_lock, clean, current_build, new_build_dir, publish
from kg.graph.rdf import EVENTS_GRAPH, ID, add_actor, add_build, article_graph, article_iri, default_graph, events_graph
from kg.graph.store import OxigraphStore, StoreDamaged
from kg.ingest import MAX_ARTICLE_CHARS, Skipped, count_articles, iter_articles
from kg.knowledge import lexicon_version
from kg.records import Actor, Article, Event, actor_from_record, event_from_record, plain
from kg.util.files import csv_records, csv_rows, write_failure

#: Warnings of a build (`kind` in `extra`); the CLI prints them one line each and counts them.
log = logging.getLogger("kg.pipeline")

#: Articles worked on together: one `nlp.pipe` call, one store write, one events-table write.
BATCH = 32
#: The per-article record of a build, read back by the next (incremental) build.
STATE_FILE = "articles.jsonl"
#: The inputs a build passed over and why (path, reason), beside the events table.
SKIPPED_FILE = "skipped.csv"
STATE_VERSION = 3


@dataclass
class ArticleResult:
    """What the per-article work gives: the article's events, the actors they name, and the
    surface forms by which the article named each actor (pronouns excluded)."""

    article: Article
    events: list[Event]
    actors: dict[str, Actor]
    surface: dict[str, list[str]]
    model: str


class ArticleWorker:
    """The per-article work with its state (gazetteer, spaCy pipeline), loaded once per process."""

    def __init__(self, model: str | None, actor_files: list[Path] | None,
                 max_chars: int = MAX_ARTICLE_CHARS, min_confidence: float | None = None) -> None:
        from kg.extract.coder import load_coder
        from kg.knowledge import load_gazetteer, word_list
        from kg.nlp import load_pipeline, model_version

        self.coder = load_coder()
        self.min_confidence = min_confidence
        self.gazetteer = load_gazetteer(actor_files)
        self.nlp = load_pipeline(model, self.gazetteer)
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 2)  # the title and a blank line come too
        self.model = model_version(self.nlp)
        self.pronouns = word_list("pipeline_pronouns")

    def __call__(self, articles: list[Article]) -> list[ArticleResult]:
        from kg.events import group_events
        from kg.extract import code_events, document_text
        from kg.nlp import reparse_headlines
        from kg.resolve import actor_annotations, relabel, resolve_actors

        out = []
        parsed = self.nlp.pipe((document_text(a) for a in articles), batch_size=len(articles) or 1)
        docs = reparse_headlines(self.nlp, list(parsed), [len(a.title) for a in articles])
        for article, doc in zip(articles, docs, strict=True):
            named = actor_annotations(resolve_actors(doc, self.gazetteer, article.published))
            mentions = relabel(code_events(doc, article, self.coder, threshold=self.min_confidence),
                               named.preferred_labels)
            actors: dict[str, Actor] = {}
            for m in (x for e in mentions for x in (e.agent, e.target) if x is not None):
                actors.setdefault(m.actor.id, m.actor)
            surface: dict[str, set[str]] = {}
            for ms in named.by_head.values():
                for m in ms:
                    if m.text.lower() not in self.pronouns:
                        surface.setdefault(m.actor.id, set()).add(m.text)
            out.append(ArticleResult(article, group_events(mentions), actors,
                                     {k: sorted(v) for k, v in surface.items()}, self.model))
        return out


#: The worker of this process: set in the build's process before its workers are forked, so each
#: starts with the model and gazetteer loaded (shared memory, no load time, even when recycled).
_WORKER: ArticleWorker | None = None


def _init_worker(parent: int) -> None:
    """A worker ends when its build does, even a build killed with kill -9: an orphan would go on
    parsing for nothing (Linux's parent-death signal)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the build died before the signal was set
        os._exit(1)


def _work(articles: list[Article]) -> list[ArticleResult]:
    assert _WORKER is not None, "workers are forked from a process that loaded one"
    return _WORKER(articles)


def batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """`items` in lists of `size` (the last one shorter), lazily."""
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


#: Batches a worker process does before a fresh one replaces it: spaCy's memory grows slowly with
#: the documents a process has parsed (explosion/spaCy#3618), so a long build recycles its workers.
RECYCLE = 16


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
    would re-import it)."""
    global _WORKER
    chunks = batches(articles, batch_size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    worker = ArticleWorker(model, actor_files, max_chars, min_confidence)
    if second is None:
        yield from worker(first)
        return
    import itertools
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    pending: deque[Future[list[ArticleResult]]] = deque()
    pools: list[ProcessPoolExecutor] = []
    submitted = 0
    _WORKER = worker
    # The loaded model and gazetteer (~10^5 objects) leave the garbage collector's view: its full
    # passes no longer walk them, and no pass writes into their pages, which the forked workers
    # share with this process (the use gc.freeze is documented for).
    gc.freeze()
    try:
        for batch in itertools.chain((first, second), chunks):
            if not pools or submitted == RECYCLE * n_process:
                if pools:
                    pools[-1].shutdown(wait=False)  # its workers end when their batches are done
                pools.append(ProcessPoolExecutor(n_process, mp_context=context, initializer=_init_worker,
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
        gc.unfreeze()
        for pool in pools:
            pool.shutdown(cancel_futures=True)


def article_hash(article: Article) -> str:
    """The content of an article as the build sees it, for incremental builds: every field but the
    path it was read from, which only names it in messages. The same article read from a moved or
    renamed folder, or as `./a/` instead of `a/`, is the same article and is not parsed again."""
    fields = asdict(article)
    del fields["path"]
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def build_key(model: str | None, actor_files: list[Path] | None,
              min_confidence: float | None = None) -> dict[str, str]:
    """What else decides an article's events: when any of it changes, every article is redone."""
    from kg.extract.coder import load_coder
    from kg.nlp import choose_model
    from kg.util.cache import files_digest

    return {"state": str(STATE_VERSION), "kg": __version__, "extractor": extractor_version(),
            "lexicon": lexicon_version(), "model": choose_model(model),
            "actors": files_digest(list(actor_files)) if actor_files else "", "coder": load_coder().version,
            "min_confidence": "" if min_confidence is None else f"{min_confidence:g}"}


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


class _Previous:
    """The state of the published build: article id -> (content hash, where its line is)."""

    def __init__(self, folder: Path | None, key: dict[str, str]) -> None:
        self.index: dict[str, tuple[str, int]] = {}
        self.merges = MergeIndex()
        self.model = ""
        self.folder = folder
        self._fh = None
        path = folder / STATE_FILE if folder else None
        if path is None or not path.is_file():  # a first build (or one whose state file is gone)
            self.folder = None
            return
        fh = path.open("rb")
        header = json.loads(fh.readline() or b"{}")
        if header.get("key") != key:  # another extractor, lexicon, model or actor file: redo all
            fh.close()
            self.folder = None
            return
        self.model = header.get("model", "")
        while True:
            offset = fh.tell()
            line = fh.readline()
            if not line:
                break
            rec = json.loads(line)
            self.index[rec["id"]] = (rec["hash"], offset)
            self.merges.add(_report_keys(rec, {}))  # the merges its graph in the store was written with
        self._fh = fh

    def forget(self) -> None:
        """Build as if there were no previous build (its store cannot be added to)."""
        self.close()
        self.index, self.merges, self.model, self.folder, self._fh = {}, MergeIndex(), "", None, None

    def record(self, article_id: str) -> dict[str, Any]:
        assert self._fh is not None
        self._fh.seek(self.index[article_id][1])
        return dict(json.loads(self._fh.readline()))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _record(res: ArticleResult, digest: str, rows: list[dict[str, str]]) -> dict[str, Any]:
    """An article's line in the state file: enough to write its graph and rows again without
    parsing it (when another article's report of one of its events comes or goes). Each report
    is [*cross key, date, event id, confidence of its main mention, highest confidence, source]."""
    article = res.article
    return {"id": article.id, "hash": digest, "events": len(res.events), "rows": rows,
            "actors": {k: plain(a) for k, a in res.actors.items()}, "surface": res.surface,
            "article": {**plain(article), "text": ""}, "event_records": [plain(e) for e in res.events],
            "reports": [[*cross_key(e), e.main.date, e.id, e.main.confidence, max(m.confidence for m in e.mentions),
                         report_source(e, article.source, article.id)] for e in res.events]}


def build(inputs: list[str], out_dir: Path, *, model: str | None = None, actor_files: list[Path] | None = None,
          encoding: str = "utf-8", n_process: int = 1, html: bool = True, prune: bool = False,
          batch_size: int = BATCH, max_chars: int = MAX_ARTICLE_CHARS,
          progress: Callable[[int, int], None] | None = None, scheduler: str | None = None,
          min_confidence: float | None = None, strict: bool = False) -> BuildResult:
    """Build the graph of `inputs` into `out_dir`: store, graph.ttl, graph.trig, events.csv, graph.html,
    skipped.csv. `progress(done, total)` is called as articles are done (`total` is 0 when it cannot
    be known beforehand, as for stdin); with `scheduler` (a Dask scheduler's address) the per-article
    work runs on that cluster (`kg.distributed`).

    An input that holds no article that can be read (empty, binary, undecodable, a headline alone
    ...) is skipped with a warning (kind "skipped") and listed in skipped.csv and in the build's
    provenance; the build fails only when no article at all can be read. `strict=True` stops at
    the first such input instead. Files of `out_dir` are never read as input, a file reached twice
    is read once, and `n_process` is capped at the cores and the batches of articles there are.

    >>> build(["seeds/"], Path("output"))  # doctest: +SKIP
    BuildResult(out_dir=PosixPath('output'), articles=1, ...)
    """
    if n_process < 1:
        raise KGError(f"--processes {n_process}: give 1 or more processes")
    n_process = min(n_process, os.cpu_count() or 1)  # more processes than cores only share them
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise KGError(f"--min-confidence {min_confidence:g}: give a probability between 0 and 1")
    key = build_key(model, actor_files, min_confidence)
    if out_dir.exists() and not out_dir.is_dir():
        raise KGError(f"{out_dir}: not a folder; pass --out a folder for the build")
    with build_lock(out_dir):
        clean(out_dir)
        folder = new_build_dir(out_dir)
        try:
            result = _build_into(folder, inputs, out_dir, key, model=model, actor_files=actor_files,
                                 encoding=encoding, n_process=n_process, html=html, prune=prune,
                                 batch_size=batch_size, max_chars=max_chars, progress=progress,
                                 scheduler=scheduler, min_confidence=min_confidence, strict=strict)
            publish(folder, out_dir)
        except OSError as exc:  # a full disk, a folder made read-only under the build
            shutil.rmtree(folder, ignore_errors=True)
            raise KGError(write_failure(exc, out_dir)) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        clean(out_dir)
    return result


def _build_into(folder: Path, inputs: list[str], out_dir: Path, key: dict[str, str], *, model: str | None,
                actor_files: list[Path] | None, encoding: str, n_process: int, html: bool, prune: bool,
                batch_size: int, max_chars: int, progress: Callable[[int, int], None] | None,
                scheduler: str | None, min_confidence: float | None = None, strict: bool = False) -> BuildResult:
    previous = _Previous(current_build(out_dir), key)
    try:
        store = _previous_store(previous, folder, out_dir) if previous.folder is not None else None
        if store is None:
            store = OxigraphStore.create(folder / STORE_DIR)
        return _fill(store, previous, folder, inputs, out_dir, key, model=model, actor_files=actor_files,
                     encoding=encoding, n_process=n_process, html=html, prune=prune, batch_size=batch_size,
                     max_chars=max_chars, progress=progress, scheduler=scheduler, min_confidence=min_confidence,
                     strict=strict)
    finally:
        previous.close()


def _previous_store(previous: _Previous, folder: Path, out_dir: Path) -> OxigraphStore | None:
    """A copy of the previous build's store in `folder`, to add to; None (with a warning, after
    which the previous build is forgotten) when that store is missing, damaged, or lacks an article
    the previous build holds: every input given is then parsed again, and nothing is kept that the
    store cannot show whole."""
    assert previous.folder is not None
    old = previous.folder / STORE_DIR
    where = out_dir / STORE_DIR
    if not old.is_dir():
        problem = f"{where} is missing"
    else:
        try:
            _link_copy(old, folder / STORE_DIR)
            store = OxigraphStore.open(folder / STORE_DIR, read_only=False)
            lost = [a for a in previous.index if not store.has_graph(str(article_iri(a)))]
            if not lost:
                return store
            store.close()
            problem = (f"{where} lacks {len(lost)} of the {len(previous.index)} article(s) of the last build "
                       f"({lost[0]}{', ...' if len(lost) > 1 else ''})")
        except StoreDamaged as exc:
            problem = f"{where} is damaged ({exc.reason})"
        shutil.rmtree(folder / STORE_DIR, ignore_errors=True)
    log.warning(f"{problem}; the last build ({len(previous.index)} article(s)) cannot be added to: every input "
                "given is parsed afresh, and articles of the last build not given again are not kept",
                extra={"kind": "store"})
    previous.forget()
    return None


def _fill(store: OxigraphStore, previous: _Previous, folder: Path, inputs: list[str], out_dir: Path,
          key: dict[str, str], *, model: str | None, actor_files: list[Path] | None, encoding: str,
          n_process: int, html: bool, prune: bool, batch_size: int, max_chars: int = MAX_ARTICLE_CHARS,
          progress: Callable[[int, int], None] | None = None, scheduler: str | None = None,
          min_confidence: float | None = None, strict: bool = False) -> BuildResult:
    build_node = ID["build/kg"]
    order: deque[tuple[Article, str, bool]] = deque()  # input order: (article, hash, reused?)
    skipped: list[Skipped] = []

    def skip(item: Skipped) -> None:
        skipped.append(item)
        log.warning(f"{item}; skipped", extra={"kind": "skipped"})

    def to_work() -> Iterator[Article]:
        for article in iter_articles(inputs, encoding=encoding, max_chars=max_chars, exclude=[out_dir],
                                     on_skip=None if strict else skip):
            digest = article_hash(article)
            reuse = previous.index.get(article.id, ("",))[0] == digest
            order.append((article, digest, reuse))
            if not reuse:
                yield article

    total = count_articles(inputs, [out_dir])  # files, not read: for the bar's ETA and the processes worth starting
    if total:  # a process per batch at most (0: not known beforehand, as for stdin)
        n_process = min(n_process, -(-total // batch_size))
    results: Iterator[ArticleResult]
    if scheduler:
        from kg.distributed import cluster_results

        if min_confidence is not None:
            raise KGError("--min-confidence does not reach Dask workers yet: build with --scheduler at the default")
        results = cluster_results(scheduler, to_work(), model=model, actor_files=actor_files, max_chars=max_chars)
    else:
        results = process_articles(to_work(), model=model, actor_files=actor_files, n_process=n_process,
                                   batch_size=batch_size, max_chars=max_chars, min_confidence=min_confidence)
    if progress:
        progress(0, total)
    writer = _BuildWriter(store, folder, previous.merges, build_node, batch_size)
    counts = BuildResult(out_dir, 0, 0, 0, 0, "")
    model_name = previous.model
    try:
        ready: deque[ArticleResult] = deque()
        while True:
            if not order:  # read on: the work pulls articles (and fills `order`) until one needs work
                res = next(results, None)
                if res is not None:
                    ready.append(res)
                if not order:
                    break
            article, digest, reuse = order.popleft()
            if reuse:
                counts.reused += 1
                writer.add(previous.record(article.id))
            else:
                res = ready.popleft() if ready else next(results)
                counts.worked += 1
                model_name = res.model
                writer.add(_record(res, digest, event_rows(res.events)), res)
            if progress:
                progress(len(writer.seen) + len(skipped), max(total, len(writer.seen) + len(skipped)))
        gone = [a for a in previous.index if a not in writer.seen]
        if prune:
            store.remove_graphs(str(article_iri(a)) for a in gone)
            counts.removed = len(gone)
        else:
            for article_id in gone:
                writer.add(previous.record(article_id))
        if not writer.seen:
            raise KGError(f"{', '.join(inputs) or '(no input)'}: no articles found")
        counts.events = writer.events - writer.finish(folder / STATE_FILE, folder / "events.csv",
                                                      {"key": key, "model": model_name})
        _write_skipped(folder / SKIPPED_FILE, skipped)
    finally:
        writer.close()
    html_job = _HtmlJob(folder / "events.csv", folder / "graph.html") if html else None
    try:
        default = default_graph()
        add_build(default, build_node, kg_version=__version__, extractor=f"{key['extractor']} {key['coder']}",
                  model=model_name, lexicon=key["lexicon"], articles=len(writer.seen),
                  skipped=[str(item) for item in skipped])
        for actor_id in sorted(writer.used):
            add_actor(default, writer.actors[actor_id], writer.surface.get(actor_id, ()))
        store.put_default(default.quads)
        store.finish(compact=counts.worked + counts.removed > len(writer.seen) // 4)
        _write_rdf(store, folder)
    finally:
        if html_job is not None:  # never leave it writing into a folder the build may be removing
            html_job.wait()
    if html_job is not None:
        html_job.result()
    elif (old := current_build(out_dir)) is not None and (old / "graph.html").exists():
        shutil.copyfile(old / "graph.html", folder / "graph.html")  # --no-html keeps the last view
    store.close()
    counts.articles, counts.actors, counts.model = len(writer.seen), len(writer.used), model_name
    counts.mentions, counts.skipped = writer.mentions, skipped
    return counts


def _write_skipped(path: Path, skipped: list[Skipped]) -> None:
    """skipped.csv: one row (path, reason) per input passed over; the header alone when none was."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["path", "reason"])
        writer.writerows([item.path, item.reason] for item in skipped)


def _report_keys(rec: dict[str, Any], shared: dict[Any, Any]) -> Iterator[tuple[Any, ...]]:
    """The reports of a state-file line as `MergeIndex.add` takes them: key, date, article id,
    event id, and kept with each, its confidences and source (one object per value in `shared`)."""
    one = shared.setdefault
    return ((tuple(r[:4]), r[4], rec["id"], r[5], one(r[6], r[6]), one(r[7], r[7]), one(r[8], r[8]))
            for r in rec["reports"])


class _BuildWriter:
    """What a build writes as articles come, in input order: each article's graph (into the store,
    a batch at a time), its line in the state file and its rows of the events table.

    Reports of one real-world event are merged as they come (`MergeIndex`): an article's graph is
    written with the merges known when it comes, and an earlier article whose share in a merged
    event changes is written again at once, while the parser works on. So the end of a build has
    only the events graph and the shared event ids of the table left to write."""

    def __init__(self, store: OxigraphStore, folder: Path, stored: MergeIndex, build: Any,
                 batch_size: int) -> None:
        self.store, self.build, self.batch_size = store, build, batch_size
        self.stored = stored  # article id -> the merges its graph in the store has (an incremental build)
        self.state_path = folder / f".{STATE_FILE}.tmp"
        self.rows_path = folder / ".events.csv.tmp"
        self.state = self.state_path.open("w+b")
        self.rows_fh = self.rows_path.open("w", encoding="utf-8", newline="")
        self.rows = csv.DictWriter(self.rows_fh, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        self.rows.writeheader()
        self.offsets: dict[str, int] = {}
        self.merges = MergeIndex()
        self.shared: dict[Any, Any] = {}  # one object per source and confidence, however many reports have it
        self.graphs: dict[str, list[Any]] = {}
        self.actors: dict[str, Actor] = {}
        self.surface: dict[str, set[str]] = {}
        self.used: set[str] = set()
        self.seen: set[str] = set()
        self.events = self.mentions = 0

    def add(self, rec: dict[str, Any], res: ArticleResult | None = None) -> None:
        """Take one article's line (`res`: its fresh result, whose graph is to be written; None: an
        article whose graph is in the store already)."""
        article_id = rec["id"]
        self.seen.add(article_id)
        self.offsets[article_id] = self.state.tell()
        self.state.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
        self.rows.writerows(rec["rows"])
        self.events += rec["events"]
        self.mentions += len(rec["rows"])
        for actor_id, data in rec["actors"].items():
            if actor_id not in self.actors:
                self.actors[actor_id] = actor_from_record(data)
        self.used.update(r["agent_id"] for r in rec["rows"])
        self.used.update(r["target_id"] for r in rec["rows"] if r["target_id"])
        for actor_id, forms in rec["surface"].items():
            self.surface.setdefault(actor_id, set()).update(forms)
        changed = self.merges.add(_report_keys(rec, self.shared))
        if res is not None:
            self.graphs[str(article_iri(article_id))] = article_graph(
                res.article, res.events, self.build, merged=self.merges.of(article_id)).quads
        elif self.merges.of(article_id) != self.stored.of(article_id):
            self._rewrite(rec)
        for other in sorted(changed - {article_id}):
            self._rewrite(self._read(other))
        if len(self.graphs) >= self.batch_size:
            self.flush()

    def _read(self, article_id: str) -> dict[str, Any]:
        """An article's line, read back from the state file being written."""
        end = self.state.tell()
        self.state.seek(self.offsets[article_id])
        line = self.state.readline()
        self.state.seek(end)
        return dict(json.loads(line))

    def _rewrite(self, rec: dict[str, Any]) -> None:
        """Write an article's graph again, with the merges its events have now."""
        article = Article(**rec["article"])
        events = [event_from_record(e) for e in rec["event_records"]]
        self.graphs[str(article_iri(article.id))] = article_graph(
            article, events, self.build, merged=self.merges.of(article.id)).quads

    def flush(self) -> None:
        self.store.put_graphs(self.graphs)
        self.graphs.clear()

    def finish(self, state_file: Path, table: Path, header: dict[str, Any]) -> int:
        """Write the last graphs, the events graph, the events table with the shared event ids and
        the state file. Returns how many events merged away."""
        self.flush()
        best: dict[str, tuple[float, str, str]] = {}  # merged id -> its most confident report's rank
        confidence: dict[str, float] = {}
        sources: dict[str, set[str]] = {}
        reports = 0
        for article_id, ev_id, merged_id, main, top, source in self.merges.members():
            reports += 1
            rank = (-main, article_id, ev_id)
            if merged_id not in best or rank < best[merged_id]:
                best[merged_id] = rank
            confidence[merged_id] = max(confidence.get(merged_id, 0.0), top)
            sources.setdefault(merged_id, set()).add(source)
        events = []
        for merged_id in sorted(best):
            _, article_id, ev_id = best[merged_id]
            ev = next(e for e in self._read(article_id)["event_records"] if e["id"] == ev_id)
            events.append((merged_id, event_from_record(ev), confidence[merged_id], sorted(sources[merged_id])))
        self.store.put_graphs({str(EVENTS_GRAPH): events_graph(events, self.build).quads})
        self.rows_fh.close()
        _share_event_ids(self.rows_path, table, self.merges)
        self.state.flush()
        self.state.seek(0)
        with state_file.open("wb") as dst:
            dst.write(json.dumps(header).encode("utf-8") + b"\n")
            shutil.copyfileobj(self.state, dst)
        return reports - len(best)

    def close(self) -> None:
        self.state.close()
        self.rows_fh.close()
        self.state_path.unlink(missing_ok=True)
        self.rows_path.unlink(missing_ok=True)


def _share_event_ids(rows: Path, table: Path, merges: MergeIndex) -> None:
    """The events table, from rows written with each article's own event ids: the events several
    articles report get their shared id."""
    if next(merges.members(), None) is None:
        os.replace(rows, table)
        return
    with rows.open(encoding="utf-8", newline="") as src, table.open("w", encoding="utf-8", newline="") as dst:
        reader = csv_rows(src)
        writer = csv.writer(dst, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        article, event = header.index("article_id"), header.index("event_id")
        shared: dict[str, str] = {}
        article_id = None
        for row in reader:
            if row[article] != article_id:  # an article's rows are together: look its merges up once
                article_id = row[article]
                shared = merges.of(article_id)
            row[event] = shared.get(row[event], row[event])
            writer.writerow(row)


def _write_rdf(store: OxigraphStore, folder: Path) -> None:
    """graph.trig and graph.ttl side by side: Oxigraph's TriG dump runs outside Python's lock,
    while this thread feeds the Turtle writer."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        trig = pool.submit(store.write, folder / "graph.trig", "trig")
        store.write(folder / "graph.ttl", "turtle")
        trig.result()


def _link_copy(src: Path, dst: Path) -> None:
    """A copy of a store whose table files (immutable in RocksDB) are hard links: an incremental
    build starts from the last one in about no time and never writes into it."""
    def link_or_copy(a: str, b: str) -> None:
        if a.endswith(".sst"):
            try:
                os.link(a, b)
                return
            except OSError:
                pass
        shutil.copy2(a, b)
    shutil.copytree(src, dst, copy_function=link_or_copy, ignore=shutil.ignore_patterns("LOCK"))


class _HtmlJob:
    """The view, written by a fresh interpreter while the build writes the RDF files (the parse's
    cores are free by then, and both take seconds on a large build). Not a fork of the build: the
    view of a whole large graph needs a few hundred MB of its own, which should not come on top of
    everything the build's process holds."""

    CODE = ("import sys\nfrom pathlib import Path\nfrom kg.errors import KGError\n"
            "from kg.pipeline import _init_worker, _write_html\n_init_worker(int(sys.argv[3]))\n"
            "try:\n    _write_html(Path(sys.argv[1]), Path(sys.argv[2]))\n"
            "except KGError as exc:\n    sys.exit(str(exc))\n")

    def __init__(self, events_csv: Path, path: Path) -> None:
        import subprocess
        import sys

        self.path = path
        self.err: bytes | None = None
        self.proc = subprocess.Popen([sys.executable, "-c", self.CODE, str(events_csv), str(path), str(os.getpid())],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self) -> None:
        """Wait for the view to end, reading what it writes to stderr (a plain wait could block for
        ever on a full pipe)."""
        if self.err is None:
            self.err = self.proc.communicate()[1]

    def result(self) -> None:
        """Wait for the view; its error, if any, as a KGError."""
        self.wait()
        if self.proc.returncode:
            lines = (self.err or b"").decode(errors="replace").strip().splitlines() or ["it ended with no message"]
            raise KGError(f"{self.path}: the HTML view was not written: {lines[-1]}")


def _write_html(events_csv: Path, path: Path) -> None:
    """The view of a build, from its events table (views never need the store)."""
    from kg.views.analysis import events_from_rows
    from kg.views.page import write_html

    with events_csv.open(encoding="utf-8", newline="") as fh:
        write_html(events_from_rows(csv_records(fh)), path)
