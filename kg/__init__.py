"""kg: build a knowledge graph of diplomatic events from news articles.

The pipeline is ingest -> NLP -> resolve (actors annotated on the Doc) -> extract -> graph, a
module or package each;
`kg.pipeline.build` runs them end to end and the `kg` command is a thin layer over it.
"""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"
EXTRACTOR_NAME = "rules.v1"


def rule_files() -> list[Path]:
    """The code whose change changes what an article yields: extraction, resolution, CAMEO
    re-coding, the NLP pipeline, the reading of the lexicon and gazetteer, dates, events, records."""
    here = Path(__file__).parent
    patterns = ("extract/*.py", "resolve/*.py", "knowledge/*.py", "ingest/*.py", "nlp/*.py", "events/*.py",
                "records.py")
    return sorted(path for pattern in patterns for path in here.glob(pattern))


def extractor_version() -> str:
    """The extractor's name with a digest of the code of its rules (`rule_files`), so provenance
    tells apart builds whose rules differ, and an incremental build redoes its articles when they
    change: "rules.v1+3f2a9c1b0d4e"."""
    from kg.knowledge import content_hash

    return f"{EXTRACTOR_NAME}+{content_hash(rule_files())}"
