"""The events the views and analyses read: a build's events table, or the events of a build in a
SPARQL server, as `ViewEvent`s (`kg.views.analysis`)."""
from __future__ import annotations

from pathlib import Path

from kg.query.export import events_table
from kg.views.analysis import ViewEvent, events_from_rows


def load_events(out_dir: Path, store_url: str | None = None) -> list[ViewEvent]:
    """The events of the build in `out_dir`, read from its events table; with `store_url`, the
    events of the build in that SPARQL server (`kg.graph.remote`)."""
    if store_url:
        from kg.graph.remote import connect  # rdflib, loaded only when a server is read

        return events_from_rows(connect(store_url).event_rows())
    return events_from_rows(events_table(out_dir))
