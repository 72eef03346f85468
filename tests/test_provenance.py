"""Versions recorded in a build's provenance come from content, never from a number typed by hand."""
from __future__ import annotations

from kg import extractor_version
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


def test_build_records_derived_versions(seed_build):
    trig = (seed_build / "graph.trig").read_text(encoding="utf-8")
    assert lexicon_version() in trig and extractor_version() in trig
