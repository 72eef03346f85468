"""Imported by mutmut's fork server (see `[tool.mutmut]` in pyproject.toml) before it forks one worker
per mutant: the spaCy pipeline and the gazetteer are loaded here once, so no worker loads them again.

The workers are forked from a process that has never opened an Oxigraph store: Oxigraph's threads do
not survive a fork, and a build in a worker forked after a store was used waits for ever."""
from __future__ import annotations

import pytest  # noqa: F401  (what every worker runs)

from kg.knowledge import builtin_gazetteer
from kg.nlp import load_pipeline

load_pipeline(None, builtin_gazetteer())
