"""From mentions to events: one `Event` per real-world event in an article (`grouping`), the
events table of DESIGN.md, one row per mention (`table`), and the reports of one event by several
articles merged under one id (`merging`)."""
from __future__ import annotations

from kg.events.grouping import event_id, event_key, group_events
from kg.events.merging import MergeIndex, cross_key, merge_reports, merged_id, report_source
from kg.events.table import EVENT_COLUMNS, event_rows

__all__ = ["EVENT_COLUMNS", "MergeIndex", "cross_key", "event_id", "event_key", "event_rows", "group_events",
           "merge_reports", "merged_id", "report_source"]
