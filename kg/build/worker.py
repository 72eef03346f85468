"""The per-article work of a build: parse, resolve the actors, extract and code the events, group
them into the article's events. One `ArticleWorker` per process holds the loaded state (the
gazetteer, the spaCy pipeline, the coder); the local pool (`kg.build.pool`) and the Dask workers
(`kg.build.cluster`) both run it, on batches of articles (`batches`)."""
from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.events import group_events
from kg.extract import code_events, document_text
from kg.extract.coder import load_coder
from kg.ingest import MAX_ARTICLE_CHARS
from kg.knowledge import load_gazetteer, word_list
from kg.nlp import load_pipeline, model_version, parse_texts, reparse_headlines
from kg.records import Actor, Article, Event
from kg.resolve import actor_annotations, relabel, resolve_actors


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
        self.coder = load_coder()
        self.min_confidence = min_confidence
        self.gazetteer = load_gazetteer(actor_files)
        self.nlp = load_pipeline(model, self.gazetteer)
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 2)  # the title and a blank line come too
        self.model = model_version(self.nlp)
        self.pronouns = word_list("pipeline_pronouns")
        # What was just loaded (~10^5 objects: the lexicons, the gazetteer, the pipeline) lives as long as
        # the process: out of the garbage collector's view, its passes no longer walk it, and no pass
        # writes into its pages, which the workers forked from this process share (the use gc.freeze is
        # documented for). Garbage is collected first, so that none is frozen with it.
        gc.collect()
        gc.freeze()

    def __call__(self, articles: list[Article]) -> list[ArticleResult]:
        out = []
        parsed = parse_texts(self.nlp, [document_text(a) for a in articles])
        docs = reparse_headlines(self.nlp, parsed, [len(a.title) for a in articles])
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
