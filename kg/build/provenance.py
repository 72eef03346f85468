"""What a build records of how it was made, and what decides whether an incremental build may keep
an article: the extractor's name with a digest of the code of its rules, the lexicon's version
(a digest of `kg/data/`), the spaCy model, the user's actor files, the coder and its threshold.
Versions are derived from content, never typed by hand."""
from __future__ import annotations

from pathlib import Path

from kg import __version__
from kg.build.incremental import STATE_VERSION
from kg.extract.coder import load_coder
from kg.knowledge import content_hash, lexicon_version
from kg.nlp import choose_model
from kg.util.cache import files_digest

EXTRACTOR_NAME = "rules.v1"


def rule_files() -> list[Path]:
    """The code whose change changes what an article yields: reading articles and dates, the NLP
    pipeline, resolution, extraction and CAMEO re-coding, the reading of the lexicon and gazetteer,
    events, records."""
    kg = Path(__file__).parent.parent
    patterns = ("extract/*.py", "resolve/*.py", "knowledge/*.py", "ingest/*.py", "nlp/*.py", "events/*.py",
                "records.py")
    return sorted(path for pattern in patterns for path in kg.glob(pattern))


def extractor_version() -> str:
    """The extractor's name with a digest of the code of its rules (`rule_files`), so provenance
    tells apart builds whose rules differ, and an incremental build redoes its articles when they
    change: "rules.v1+3f2a9c1b0d4e"."""
    return f"{EXTRACTOR_NAME}+{content_hash(rule_files())}"


def build_key(model: str | None, actor_files: list[Path] | None,
              min_confidence: float | None = None) -> dict[str, str]:
    """What else decides an article's events: when any of it changes, every article is redone."""
    return {"state": str(STATE_VERSION), "kg": __version__, "extractor": extractor_version(),
            "lexicon": lexicon_version(), "model": choose_model(model),
            "actors": files_digest(list(actor_files)) if actor_files else "", "coder": load_coder().version,
            "min_confidence": "" if min_confidence is None else f"{min_confidence:g}"}
