"""From mentions to events: one `Event` per real-world event in an article (`grouping`), the
events table of DESIGN.md, one row per mention, written and read back (`table`), and the reports of one event by several
articles merged under one id (`merging`)."""
from __future__ import annotations

from kg.events.grouping import event_id, event_key, group_events
from kg.events.merging import MergeIndex, cross_key, merge_reports, merged_id, report_source
from kg.events.table import EVENT_COLUMNS, SCORED_COLUMNS, event_rows, iter_events, read_events

__all__ = ["EVENT_COLUMNS", "SCORED_COLUMNS", "MergeIndex", "cross_key", "event_id", "event_key", "event_rows",
           "group_events", "iter_events", "merge_reports", "merged_id", "read_events", "report_source"]
