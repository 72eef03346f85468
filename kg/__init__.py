"""kg: build a knowledge graph of diplomatic events from news articles.

The pipeline is ingest -> NLP -> resolve (actors annotated on the Doc) -> extract -> graph, a
module or package each;
`kg.pipeline.build` runs them end to end and the `kg` command is a thin layer over it.
"""
from __future__ import annotations

__version__ = "0.1.0"
EXTRACTOR_NAME = "rules.v1"


def extractor_version() -> str:
    """The extractor's name with a digest of the code of its rules (extraction, resolution, CAMEO
    re-coding), so provenance tells apart builds whose rules differ: "rules.v1+3f2a9c1b0d4e"."""
    from pathlib import Path

    from kg.knowledge import content_hash

    here = Path(__file__).parent
    rules = [*(here / "extract").glob("*.py"), *(here / "resolve").glob("*.py"),
             *(here / n for n in ("coding.py", "nlp.py"))]
    return f"{EXTRACTOR_NAME}+{content_hash(sorted(rules))}"
