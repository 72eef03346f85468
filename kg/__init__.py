"""kg: build a knowledge graph of diplomatic events from news articles.

The pipeline is ingest -> extract -> resolve -> graph, each a module of its own;
`kg.pipeline.build` runs them end to end and the `kg` command is a thin layer over it.
"""
from __future__ import annotations

__version__ = "0.1.0"
EXTRACTOR_NAME = "rules.v1"
