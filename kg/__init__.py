"""kg: build a knowledge graph of diplomatic events from news articles.

An article travels down the packages, each importing only those before it:
`ingest` (articles in) -> `nlp` (spaCy) -> `resolve` (actors annotated on the Doc) -> `extract`
(events in sentences) -> `events` (events of an article, merged across articles, the events
table) -> `graph` (RDF, the stores, publishing). `build` runs them end to end and hands its
results to the outputs (the HTML view, a SPARQL server); `query` and `views` read a build;
`evaluation` scores and trains against gold; `knowledge` holds the data every stage reads, and
`errors`, `records` and `util` what they all share. The `kg` command (`cli`) is a thin layer
over the library (`tests/test_layers.py` holds the order).
"""
from __future__ import annotations

__version__ = "0.1.0"
