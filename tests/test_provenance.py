"""Versions recorded in a build's provenance come from content, never from a number typed by hand."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.build.provenance import extractor_version, rule_files
from kg.knowledge import content_hash, lexicon_version


def test_content_hash_follows_content(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("verb,code\nmeet,040\n")
    b.write_text("word\nx\n")
    first = content_hash([a, b])
    assert content_hash([b, a]) == first  # order of the list does not matter
    a.write_text("verb,code\nmeet,041\n")
    assert content_hash([a, b]) != first


def test_versions_name_their_kind_and_digest():
    assert lexicon_version().startswith("data-") and len(lexicon_version()) == len("data-") + 12
    assert extractor_version().startswith("rules.v1+")


def test_the_extractor_digest_covers_every_module_extraction_runs():
    """A change to any module an article's extraction runs must redo the articles of an
    incremental build: every kg module the worker's stages (NLP, resolution, extraction, event
    grouping) import is in the digest."""
    code = ("import sys, kg.events, kg.extract, kg.nlp, kg.resolve; "
            "print(*(m.__file__ for n, m in sys.modules.items() if n.startswith('kg.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    needed = {Path(f) for f in loaded if Path(f).parent.name != "util" and Path(f).name != "errors.py"}  # no rules
    assert needed and needed <= set(rule_files()), needed - set(rule_files())


def test_build_records_derived_versions(seed_build):
    trig = (seed_build / "graph.trig").read_text(encoding="utf-8")
    assert lexicon_version() in trig and extractor_version() in trig
