"""`build`: articles in, a graph out. Articles are read lazily and worked on in batches (parse,
resolve, extract: the whole per-article work, in N processes when asked); each batch's graphs go
into the store and its rows into the events table before the next batch is read, so memory does
not grow with the corpus. Every output is written into a new build folder, which is published
at once when complete (`kg.publish`); a failed or killed build leaves the last good one intact.

Building into an existing output is incremental: an article whose content (and the extractor,
lexicon, model and actor files) is unchanged keeps its graph and rows; new and changed articles
are worked on; `prune=True` removes the articles no longer in the input. The result is the same
as a full build of the same inputs.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg import __version__, extractor_version
from kg.errors import KGError
from kg.events import (
    EVENT_COLUMNS,
    actor_from_record,
    cross_key,
    event_from_record,
    event_rows,
    merge_reports,
    report_source,
)
from kg.graph import EVENTS_GRAPH, ID, add_actor, add_build, article_graph, article_iri, default_graph, events_graph
from kg.ingest import MAX_ARTICLE_CHARS, count_articles, iter_articles
from kg.knowledge import lexicon_version
from kg.publish import STORE_DIR, build_lock, clean, current_build, new_build_dir, publish
from kg.records import Actor, Article, Event
from kg.store import OxigraphStore

#: Articles worked on together: one `nlp.pipe` call, one store write, one events-table write.
BATCH = 32
#: The per-article record of a build, read back by the next (incremental) build.
STATE_FILE = "articles.jsonl"
STATE_VERSION = 2


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
                 max_chars: int = MAX_ARTICLE_CHARS) -> None:
        from kg.knowledge import load_gazetteer, word_list
        from kg.nlp import load_pipeline, model_version

        self.gazetteer = load_gazetteer(actor_files)
        self.nlp = load_pipeline(model, self.gazetteer)
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 2)  # the title and a blank line come too
        self.model = model_version(self.nlp)
        self.pronouns = word_list("pipeline_pronouns")

    def __call__(self, articles: list[Article]) -> list[ArticleResult]:
        from kg.events import group_events
        from kg.extract import document_text, extract_events
        from kg.nlp import reparse_headlines
        from kg.resolve import actor_annotations, relabel, resolve_actors

        out = []
        parsed = self.nlp.pipe((document_text(a) for a in articles), batch_size=len(articles) or 1)
        docs = reparse_headlines(self.nlp, list(parsed), [len(a.title) for a in articles])
        for article, doc in zip(articles, docs, strict=True):
            named = actor_annotations(resolve_actors(doc, self.gazetteer, article.published))
            mentions = relabel(extract_events(doc, article), named.preferred_labels)
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


_WORKER: ArticleWorker | None = None
_WORKER_ARGS: tuple[str | None, list[Path] | None, int] = (None, None, MAX_ARTICLE_CHARS)


def _init_worker(model: str | None, actor_files: list[Path] | None, max_chars: int, parent: int) -> None:
    global _WORKER_ARGS
    _WORKER_ARGS = (model, actor_files, max_chars)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """A worker ends when its build does, even a build killed with kill -9: an orphan would go on
    parsing and hold the build lock it inherited (Linux's parent-death signal)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the build died before the signal was set
        os._exit(1)


def _work(articles: list[Article]) -> list[ArticleResult]:
    global _WORKER
    if _WORKER is None:  # loaded on the first batch: a worker that gets none costs nothing
        _WORKER = ArticleWorker(*_WORKER_ARGS)
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
                     batch_size: int = BATCH, max_chars: int = MAX_ARTICLE_CHARS) -> Iterator[ArticleResult]:
    """The per-article work over `articles`, lazily, results in input order.

    An input of one batch or less is worked on here. A longer one goes to `n_process` worker
    processes (one with `n_process=1`, so this process writes the graph while it parses), each
    loading the model once, and each replaced by a fresh one after `RECYCLE` batches, so memory
    stays flat however long the corpus. Workers are forked: a script that calls `build` needs no
    `if __name__ == "__main__"` guard (spawn and forkserver would re-import it)."""
    chunks = batches(articles, batch_size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:
        yield from ArticleWorker(model, actor_files, max_chars)(first)
        return
    import itertools
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    pending: deque[Future[list[ArticleResult]]] = deque()
    pool: ProcessPoolExecutor | None = None
    submitted = 0
    try:
        for batch in itertools.chain((first, second), chunks):
            if pool is None or submitted == RECYCLE * n_process:
                while pending:  # the old workers finish their batches before fresh ones start
                    yield from pending.popleft().result()
                if pool is not None:
                    pool.shutdown()
                pool = ProcessPoolExecutor(n_process, mp_context=context, initializer=_init_worker,
                                           initargs=(model, actor_files, max_chars, os.getpid()))
                submitted = 0
            while len(pending) >= 2 * n_process:  # in flight: enough to keep every process busy
                yield from pending.popleft().result()
            pending.append(pool.submit(_work, batch))
            submitted += 1
        while pending:
            yield from pending.popleft().result()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def article_hash(article: Article) -> str:
    """The content of an article as the build sees it (every field), for incremental builds."""
    data = json.dumps(asdict(article), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def build_key(model: str | None, actor_files: list[Path] | None) -> dict[str, str]:
    """What else decides an article's events: when any of it changes, every article is redone."""
    from kg.cache import files_digest
    from kg.nlp import choose_model

    return {"state": str(STATE_VERSION), "kg": __version__, "extractor": extractor_version(),
            "lexicon": lexicon_version(), "model": choose_model(model),
            "actors": files_digest(list(actor_files)) if actor_files else ""}


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


class _Previous:
    """The state of the published build: article id -> (content hash, where its line is)."""

    def __init__(self, folder: Path | None, key: dict[str, str]) -> None:
        self.index: dict[str, tuple[str, int]] = {}
        self.model = ""
        self.folder = folder
        self._fh = None
        path = folder / STATE_FILE if folder else None
        if path is None or not path.is_file() or not (folder / STORE_DIR).is_dir():  # type: ignore[operator]
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
        self._fh = fh

    def record(self, article_id: str) -> dict[str, Any]:
        assert self._fh is not None
        self._fh.seek(self.index[article_id][1])
        return dict(json.loads(self._fh.readline()))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def _record(res: ArticleResult, digest: str, rows: list[dict[str, str]]) -> dict[str, Any]:
    """An article's line in the state file: enough to write its graph and rows again without
    parsing it (when another article's report of one of its events comes or goes)."""
    return {"id": res.article.id, "hash": digest, "events": len(res.events), "rows": rows,
            "actors": {k: asdict(a) for k, a in res.actors.items()}, "surface": res.surface,
            "article": {**asdict(res.article), "text": ""}, "event_records": [asdict(e) for e in res.events],
            "reports": [[*cross_key(e), e.main.date, e.id] for e in res.events], "merged": {}}


def build(inputs: list[str], out_dir: Path, *, model: str | None = None, actor_files: list[Path] | None = None,
          encoding: str = "utf-8", n_process: int = 1, html: bool = True, prune: bool = False,
          batch_size: int = BATCH, max_chars: int = MAX_ARTICLE_CHARS,
          progress: Callable[[int, int], None] | None = None, scheduler: str | None = None) -> BuildResult:
    """Build the graph of `inputs` into `out_dir`: store, graph.ttl, graph.trig, events.csv, graph.html.
    `progress(done, total)` is called as articles are done (`total` is 0 when it cannot be known
    beforehand, as for stdin); with `scheduler` (a Dask scheduler's address) the per-article work runs
    on that cluster (`kg.distributed`).

    >>> build(["seeds/"], Path("output"))  # doctest: +SKIP
    BuildResult(out_dir=PosixPath('output'), articles=1, ...)
    """
    if n_process < 1:
        raise KGError(f"--processes {n_process}: give 1 or more processes")
    key = build_key(model, actor_files)
    if out_dir.exists() and not out_dir.is_dir():
        raise KGError(f"{out_dir}: not a folder; pass --out a folder for the build")
    with build_lock(out_dir):
        clean(out_dir)
        folder = new_build_dir(out_dir)
        try:
            result = _build_into(folder, inputs, out_dir, key, model=model, actor_files=actor_files,
                                 encoding=encoding, n_process=n_process, html=html, prune=prune,
                                 batch_size=batch_size, max_chars=max_chars, progress=progress,
                                 scheduler=scheduler)
            publish(folder, out_dir)
        except OSError as exc:  # a full disk, a folder made read-only under the build
            shutil.rmtree(folder, ignore_errors=True)
            raise KGError(f"{out_dir}: cannot write the build ({exc.strerror or exc}); the last build is "
                          "unchanged") from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        clean(out_dir)
    return result


def _build_into(folder: Path, inputs: list[str], out_dir: Path, key: dict[str, str], *, model: str | None,
                actor_files: list[Path] | None, encoding: str, n_process: int, html: bool, prune: bool,
                batch_size: int, max_chars: int, progress: Callable[[int, int], None] | None,
                scheduler: str | None) -> BuildResult:
    previous = _Previous(current_build(out_dir), key)
    try:
        if previous.folder is not None:
            _link_copy(previous.folder / STORE_DIR, folder / STORE_DIR)
            store = OxigraphStore.open(folder / STORE_DIR, read_only=False)
        else:
            store = OxigraphStore.create(folder / STORE_DIR)
        return _fill(store, previous, folder, inputs, out_dir, key, model=model, actor_files=actor_files,
                     encoding=encoding, n_process=n_process, html=html, prune=prune, batch_size=batch_size,
                     max_chars=max_chars, progress=progress, scheduler=scheduler)
    finally:
        previous.close()


def _fill(store: OxigraphStore, previous: _Previous, folder: Path, inputs: list[str], out_dir: Path,
          key: dict[str, str], *, model: str | None, actor_files: list[Path] | None, encoding: str,
          n_process: int, html: bool, prune: bool, batch_size: int, max_chars: int = MAX_ARTICLE_CHARS,
          progress: Callable[[int, int], None] | None = None, scheduler: str | None = None) -> BuildResult:
    build_node = ID["build/kg"]
    order: deque[tuple[Article, str, bool]] = deque()  # input order: (article, hash, reused?)

    def to_work() -> Iterator[Article]:
        for article in iter_articles(inputs, encoding=encoding, max_chars=max_chars):
            digest = article_hash(article)
            reuse = previous.index.get(article.id, ("",))[0] == digest
            order.append((article, digest, reuse))
            if not reuse:
                yield article

    results: Iterator[ArticleResult]
    if scheduler:
        from kg.distributed import cluster_results

        results = cluster_results(scheduler, to_work(), model=model, actor_files=actor_files, max_chars=max_chars)
    else:
        results = process_articles(to_work(), model=model, actor_files=actor_files, n_process=n_process,
                                   batch_size=batch_size, max_chars=max_chars)
    total = count_articles(inputs) if progress else 0  # for the bar's ETA only: no reading otherwise
    if progress:
        progress(0, total)
    actors: dict[str, Actor] = {}
    surface: dict[str, set[str]] = {}
    used: set[str] = set()
    seen: set[str] = set()
    counts = BuildResult(out_dir, 0, 0, 0, 0, "")
    model_name = previous.model
    state_tmp = folder / f".{STATE_FILE}.tmp"
    with state_tmp.open("w", encoding="utf-8") as state_fh:
        state_fh.write(json.dumps({"key": key, "model": ""}) + "\n")  # the model is filled in below
        graphs: dict[str, list[Any]] = {}

        def flush() -> None:
            store.put_graphs(graphs)
            graphs.clear()

        def take(rec: dict[str, Any]) -> None:
            state_fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if progress:
                progress(len(seen), max(total, len(seen)))
            counts.events += rec["events"]
            counts.mentions += len(rec["rows"])
            for actor_id, data in rec["actors"].items():
                actors.setdefault(actor_id, actor_from_record(data))
            used.update(r["agent_id"] for r in rec["rows"])
            used.update(r["target_id"] for r in rec["rows"] if r["target_id"])
            for actor_id, forms in rec["surface"].items():
                surface.setdefault(actor_id, set()).update(forms)

        ready: deque[ArticleResult] = deque()
        while True:
            if not order:  # read on: the work pulls articles (and fills `order`) until one needs work
                res = next(results, None)
                if res is not None:
                    ready.append(res)
                if not order:
                    break
            article, digest, reuse = order.popleft()
            seen.add(article.id)
            if reuse:
                counts.reused += 1
                take(previous.record(article.id))
                continue
            res = ready.popleft() if ready else next(results)
            counts.worked += 1
            model_name = res.model
            rows = event_rows(res.events)
            graphs[str(article_iri(article.id))] = article_graph(article, res.events, build_node).quads
            take(_record(res, digest, rows))
            if len(graphs) >= batch_size:
                flush()
        flush()
        gone = [a for a in previous.index if a not in seen]
        if prune:
            store.remove_graphs(str(article_iri(a)) for a in gone)
            counts.removed = len(gone)
        else:
            for article_id in gone:
                take(previous.record(article_id))
                seen.add(article_id)
    if not seen:
        raise KGError(f"{', '.join(inputs) or '(no input)'}: no articles found")
    counts.events -= _merge_reports(store, state_tmp, folder, model_name, build_node, batch_size)
    default = default_graph()
    add_build(default, build_node, kg_version=__version__, extractor=key["extractor"], model=model_name,
              lexicon=key["lexicon"], articles=len(seen))
    for actor_id in sorted(used):
        add_actor(default, actors[actor_id], surface.get(actor_id, ()))
    store.put_default(default.quads)
    store.finish(compact=counts.worked + counts.removed > len(seen) // 4)
    store.write(folder / "graph.trig", "trig")
    store.write(folder / "graph.ttl", "turtle")
    if html:
        _write_html(folder / "events.csv", folder / "graph.html")
    elif (old := current_build(out_dir)) is not None and (old / "graph.html").exists():
        shutil.copyfile(old / "graph.html", folder / "graph.html")  # --no-html keeps the last view
    store.close()
    counts.articles, counts.actors, counts.model = len(seen), len(used), model_name
    return counts


def _merge_reports(store: OxigraphStore, state_tmp: Path, folder: Path, model: str, build: Any,
                   batch_size: int) -> int:
    """One real-world event, many reports: find the events that several articles report, write the
    graphs of the articles whose share in such events changed (and the events graph), the events
    table with the shared event ids, and the final state file. Returns how many events merged away."""
    reports: list[tuple[tuple[str, ...], str, str, str]] = []
    with state_tmp.open(encoding="utf-8") as fh:
        fh.readline()
        for line in fh:
            rec = json.loads(line)
            reports.extend((tuple(r[:4]), r[4], rec["id"], r[5]) for r in rec["reports"])
    merged = merge_reports(reports)
    del reports
    by_article: dict[str, dict[str, str]] = {}
    for (article_id, ev_id), merged_id in merged.items():
        by_article.setdefault(article_id, {})[ev_id] = merged_id
    best: dict[str, tuple[tuple[float, str, str], Event]] = {}
    confidence: dict[str, float] = {}
    sources: dict[str, set[str]] = {}
    graphs: dict[str, list[Any]] = {}
    with state_tmp.open(encoding="utf-8") as src, (folder / STATE_FILE).open("w", encoding="utf-8") as dst, \
            (folder / "events.csv").open("w", encoding="utf-8", newline="") as table:
        header = json.loads(src.readline())
        header["model"] = model  # known only once an article was worked on
        dst.write(json.dumps(header) + "\n")
        writer = csv.DictWriter(table, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for line in src:
            rec = json.loads(line)
            want = by_article.get(rec["id"], {})
            if want != rec["merged"] or want:
                article = Article(**rec["article"])
                events = [event_from_record(e) for e in rec["event_records"]]
                if want != rec["merged"]:  # its graph was written with other merges: write it again
                    graphs[str(article_iri(article.id))] = article_graph(article, events, build, merged=want).quads
                    rec["merged"] = want
                    if len(graphs) >= batch_size:
                        store.put_graphs(graphs)
                        graphs.clear()
                for ev in (e for e in events if e.id in want):
                    merged_id = want[ev.id]
                    rank = (-ev.main.confidence, article.id, ev.id)
                    if merged_id not in best or rank < best[merged_id][0]:
                        best[merged_id] = (rank, ev)
                    confidence[merged_id] = max(confidence.get(merged_id, 0.0), *(m.confidence for m in ev.mentions))
                    sources.setdefault(merged_id, set()).add(report_source(ev, article.source, article.id))
            writer.writerows({**row, "event_id": want.get(row["event_id"], row["event_id"])} for row in rec["rows"])
            dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
    store.put_graphs(graphs)
    store.put_graphs({str(EVENTS_GRAPH): events_graph(
        ((m, best[m][1], confidence[m], sorted(sources[m])) for m in sorted(best)), build).quads})
    state_tmp.unlink()
    return len(merged) - len(best)


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


def _write_html(events_csv: Path, path: Path) -> None:
    """The view of a build, from its events table (views never need the store)."""
    from kg.analysis import events_from_rows
    from kg.views import write_html

    with events_csv.open(encoding="utf-8", newline="") as fh:
        write_html(events_from_rows(csv.DictReader(fh)), path)
