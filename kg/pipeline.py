"""`build`: articles in, a graph out. Runs ingest -> NLP -> extract -> resolve -> store and writes
every output into a temporary folder first, so a failed build leaves the last good one intact."""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import XSD, Dataset, Graph, Literal
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg import __version__, extractor_version
from kg.events import EVENT_COLUMNS, event_rows, group_events
from kg.extract import document_text, extract_events
from kg.graph import ID, add_actor, add_article, add_build, bind_prefixes, new_dataset, open_store
from kg.ingest import MAX_ARTICLE_CHARS, read_articles
from kg.knowledge import lexicon_version, load_gazetteer, word_list
from kg.nlp import load_pipeline, model_version, reparse_headline
from kg.records import Actor, Article, Event
from kg.resolve import actor_annotations, relabel, resolve_actors

STORE_DIR = "store"
OUTPUT_FILES = ("graph.ttl", "graph.trig", "events.csv", "graph.html")
#: Pronouns refer to an actor without naming it: they are not among its surface forms.
_PRONOUNS = word_list("pipeline_pronouns")


@dataclass
class Extraction:
    articles: list[Article]
    events: list[Event]
    actors: dict[str, Actor]
    surface_forms: dict[str, set[str]]
    model: str


def extract_corpus(inputs: list[str], *, model: str | None = None, actor_files: list[Path] | None = None,
                   encoding: str = "utf-8", n_process: int = 1, batch_size: int = 16,
                   max_chars: int = MAX_ARTICLE_CHARS, progress: Callable[[int, int], None] | None = None
                   ) -> Extraction:
    """Read and extract every article: the library entry point behind `kg build`.
    `progress(done, total)` is called as articles are done (the CLI draws its progress bar with it)."""
    articles = read_articles(inputs, encoding=encoding, max_chars=max_chars)
    gazetteer = load_gazetteer(actor_files)
    nlp = load_pipeline(model, gazetteer)
    nlp.max_length = max(nlp.max_length, max_chars + 2)  # the title and a blank line come with the text
    events: list[Event] = []
    actors: dict[str, Actor] = {}
    surface: dict[str, set[str]] = {}
    texts = (document_text(a) for a in articles)
    if progress:
        progress(0, len(articles))
    for done, (article, doc) in enumerate(
            zip(articles, nlp.pipe(texts, batch_size=batch_size, n_process=n_process), strict=True), 1):
        if article.title:
            doc = reparse_headline(nlp, doc, len(article.title))
        named = actor_annotations(resolve_actors(doc, gazetteer, article.published))
        mentions = relabel(extract_events(doc, article), named.preferred_labels)
        events.extend(group_events(mentions))
        for m in (x for e in mentions for x in (e.agent, e.target) if x is not None):
            actors.setdefault(m.actor.id, m.actor)
        for ms in named.by_head.values():
            for m in ms:
                if m.text.lower() not in _PRONOUNS:
                    surface.setdefault(m.actor.id, set()).add(m.text)
        if progress:
            progress(done, len(articles))
    return Extraction(articles, events, actors, surface, model_version(nlp))


def fill_dataset(ds: Dataset, ex: Extraction) -> None:
    """Write an extraction into a dataset: actors in the default graph, a graph per article."""
    build = ID["build/kg"]
    add_build(ds, build, kg_version=__version__, extractor=extractor_version(), model=ex.model,
              lexicon=lexicon_version(), articles=len(ex.articles))
    used = {m.agent.actor.id for e in ex.events for m in e.mentions} | {
        m.target.actor.id for e in ex.events for m in e.mentions if m.target}
    for actor_id in sorted(used):
        add_actor(ds.default_graph, ex.actors[actor_id], ex.surface_forms.get(actor_id, ()))
    by_article: dict[str, list[Event]] = {}
    for ev in ex.events:
        by_article.setdefault(ev.article_id, []).append(ev)
    for article in ex.articles:
        add_article(ds, article, by_article.get(article.id, []), build)


def _plain(term):  # type: ignore[no-untyped-def]
    """"x"^^xsd:string is "x" (RDF 1.1); Oxigraph returns the typed form, rdflib compares by form."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def union_graph(ds: Dataset) -> Graph:
    """All triples of all graphs in one graph (what Turtle and N-Triples can hold)."""
    g = Graph()
    bind_prefixes(g)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, _plain(o)))
    return g


def built_graph(store: Path) -> Graph:
    """Every triple of a built store as one in-memory graph (for views, analysis, SHACL)."""
    ds = open_store(store)
    try:
        return union_graph(ds)
    finally:
        ds.close()


def memory_copy(ds: Dataset) -> Dataset:
    """An in-memory copy of a store's dataset, graph by graph (for TriG and N-Quads output)."""
    out = Dataset()
    bind_prefixes(out)
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        name = getattr(ctx, "identifier", ctx)
        graph = out.default_graph if name is None or name == DATASET_DEFAULT_GRAPH_ID else out.graph(name)
        graph.add((s, p, _plain(o)))
    return out


def write_events_csv(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class BuildResult:
    out_dir: Path
    articles: int
    events: int
    mentions: int
    actors: int
    model: str


def build(inputs: list[str], out_dir: Path, *, model: str | None = None, actor_files: list[Path] | None = None,
          encoding: str = "utf-8", n_process: int = 1, html: bool = True, max_chars: int = MAX_ARTICLE_CHARS,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the graph of `inputs` into `out_dir`: store, graph.ttl, graph.trig, events.csv, graph.html.

    >>> build(["seeds/"], Path("output"))  # doctest: +SKIP
    BuildResult(out_dir=PosixPath('output'), articles=1, ...)
    """
    ex = extract_corpus(inputs, model=model, actor_files=actor_files, encoding=encoding, n_process=n_process,
                        max_chars=max_chars, progress=progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=out_dir))
    try:
        ds = new_dataset(tmp / STORE_DIR)
        fill_dataset(ds, ex)
        (tmp / "graph.trig").write_text(memory_copy(ds).serialize(format="trig"), encoding="utf-8")
        union = union_graph(ds)
        (tmp / "graph.ttl").write_text(union.serialize(format="turtle"), encoding="utf-8")
        rows = event_rows(ex.events)
        write_events_csv(rows, tmp / "events.csv")
        if html:
            from kg.analysis import events_from_rows
            from kg.views import write_html
            write_html(events_from_rows(rows), tmp / "graph.html")
        ds.close()
        _publish(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildResult(out_dir, len(ex.articles), len(ex.events), len(rows), len(ex.actors), ex.model)


def _publish(tmp: Path, out_dir: Path) -> None:
    """Move the new outputs into place; each file replace is atomic, the store swaps by rename."""
    old_store = out_dir / STORE_DIR
    if old_store.exists():
        trash = out_dir / f".kg-old-store-{os.getpid()}"
        os.replace(old_store, trash)
        os.replace(tmp / STORE_DIR, old_store)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(tmp / STORE_DIR, old_store)
    for name in OUTPUT_FILES:
        if (tmp / name).exists():  # graph.html is absent with --no-html: the old one stays
            os.replace(tmp / name, out_dir / name)
