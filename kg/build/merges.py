"""The events several articles report, at the end of a build: each merged event told by its most
confident report, with the highest confidence and every source of its reports (the events graph),
and the rows of the events table given the merged event's id."""
from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.events import MergeIndex
from kg.records import Event, event_from_record
from kg.util.files import csv_rows


def merged_events(merges: MergeIndex, event_records: Callable[[str], list[dict[str, Any]]]
                  ) -> tuple[list[tuple[str, Event, float, list[str]]], int]:
    """(merged id, the event of its most confident report, the highest confidence of its reports,
    their sources) for each event that several articles report, in id order, and how many reports
    merged away; `event_records(article_id)` reads an article's event records back."""
    best: dict[str, tuple[float, str, str]] = {}  # merged id -> its most confident report's rank
    confidence: dict[str, float] = {}
    sources: dict[str, set[str]] = {}
    reports = 0
    for article_id, ev_id, merged_id, main, top, source in merges.members():
        reports += 1
        rank = (-main, article_id, ev_id)
        if merged_id not in best or rank < best[merged_id]:
            best[merged_id] = rank
        confidence[merged_id] = max(confidence.get(merged_id, 0.0), top)
        sources.setdefault(merged_id, set()).add(source)
    events = []
    for merged_id in sorted(best):
        _, article_id, ev_id = best[merged_id]
        ev = next(e for e in event_records(article_id) if e["id"] == ev_id)
        events.append((merged_id, event_from_record(ev), confidence[merged_id], sorted(sources[merged_id])))
    return events, reports - len(best)


def share_event_ids(rows: Path, table: Path, merges: MergeIndex) -> None:
    """The events table, from rows written with each article's own event ids: the events several
    articles report get their shared id."""
    if next(merges.members(), None) is None:
        os.replace(rows, table)
        return
    with rows.open(encoding="utf-8", newline="") as src, table.open("w", encoding="utf-8", newline="") as dst:
        reader = csv_rows(src)
        writer = csv.writer(dst, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        article, event = header.index("article_id"), header.index("event_id")
        shared: dict[str, str] = {}
        article_id = None
        for row in reader:
            if row[article] != article_id:  # an article's rows are together: look its merges up once
                article_id = row[article]
                shared = merges.of(article_id)
            row[event] = shared.get(row[event], row[event])
            writer.writerow(row)
