"""Articles in: which files the inputs name (`inputs`), the article in each (`formats`: plain
text, HTML, JSON Lines), read lazily one file at a time with what is skipped and why
(`articles`), and the dates that sentences write relative to the day of publication (`dates`).

>>> [a.id for a in read_articles(["seeds/"])]  # doctest: +SKIP
['000_fd245a2f0af1f295']
"""
from __future__ import annotations

from kg.ingest.articles import MAX_ARTICLE_CHARS, iter_articles, read_articles, read_file
from kg.ingest.dates import resolve_date
from kg.ingest.formats import Skipped, normalize_date, parse_html, parse_jsonl, parse_text
from kg.ingest.inputs import ARTICLE_SUFFIXES, KG_OUTPUT_FILES, count_articles

__all__ = ["ARTICLE_SUFFIXES", "KG_OUTPUT_FILES", "MAX_ARTICLE_CHARS", "Skipped", "count_articles", "iter_articles",
           "normalize_date", "parse_html", "parse_jsonl", "parse_text", "read_articles", "read_file", "resolve_date"]
