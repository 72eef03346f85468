"""What a build writes as articles come, in input order: each article's graph into the store (a
batch at a time), its line of the state file and its rows of the events table; at the end the
events graph, the table with the merged events' ids, the state file, skipped.csv, graph.trig and
graph.ttl."""
from __future__ import annotations

import csv
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kg.build.incremental import STATE_FILE, report_keys
from kg.build.merges import merged_events, share_event_ids
from kg.build.worker import ArticleResult
from kg.events import EVENT_COLUMNS, MergeIndex
from kg.graph.rdf import EVENTS_GRAPH, article_graph, article_iri, events_graph
from kg.graph.store import OxigraphStore
from kg.ingest import Skipped
from kg.records import Actor, Article, actor_from_record, event_from_record

#: The inputs a build passed over and why (path, reason), beside the events table.
SKIPPED_FILE = "skipped.csv"


class BuildWriter:
    """What a build writes as articles come, in input order: each article's graph (into the store,
    a batch at a time), its line in the state file and its rows of the events table.

    Reports of one real-world event are merged as they come (`MergeIndex`): an article's graph is
    written with the merges known when it comes, and an earlier article whose share in a merged
    event changes is written again at once, while the parser works on. So the end of a build has
    only the events graph and the shared event ids of the table left to write."""

    def __init__(self, store: OxigraphStore, folder: Path, stored: MergeIndex, build: Any,
                 batch_size: int) -> None:
        self.store, self.build, self.batch_size = store, build, batch_size
        self.stored = stored  # article id -> the merges its graph in the store has (an incremental build)
        self.state_path = folder / f".{STATE_FILE}.tmp"
        self.rows_path = folder / ".events.csv.tmp"
        self.state = self.state_path.open("w+b")
        self.rows_fh = self.rows_path.open("w", encoding="utf-8", newline="")
        self.rows = csv.DictWriter(self.rows_fh, fieldnames=EVENT_COLUMNS, lineterminator="\n")
        self.rows.writeheader()
        self.offsets: dict[str, int] = {}
        self.merges = MergeIndex()
        self.shared: dict[Any, Any] = {}  # one object per source and confidence, however many reports have it
        self.graphs: dict[str, list[Any]] = {}
        self.actors: dict[str, Actor] = {}
        self.surface: dict[str, set[str]] = {}
        self.used: set[str] = set()
        self.seen: set[str] = set()
        self.events = self.mentions = 0

    def add(self, rec: dict[str, Any], res: ArticleResult | None = None) -> None:
        """Take one article's line (`res`: its fresh result, whose graph is to be written; None: an
        article whose graph is in the store already)."""
        article_id = rec["id"]
        self.seen.add(article_id)
        self.offsets[article_id] = self.state.tell()
        self.state.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
        self.rows.writerows(rec["rows"])
        self.events += rec["events"]
        self.mentions += len(rec["rows"])
        for actor_id, data in rec["actors"].items():
            if actor_id not in self.actors:
                self.actors[actor_id] = actor_from_record(data)
        self.used.update(r["agent_id"] for r in rec["rows"])
        self.used.update(r["target_id"] for r in rec["rows"] if r["target_id"])
        for actor_id, forms in rec["surface"].items():
            self.surface.setdefault(actor_id, set()).update(forms)
        changed = self.merges.add(report_keys(rec, self.shared))
        if res is not None:
            self.graphs[str(article_iri(article_id))] = article_graph(
                res.article, res.events, self.build, merged=self.merges.of(article_id)).quads
        elif self.merges.of(article_id) != self.stored.of(article_id):
            self._rewrite(rec)
        for other in sorted(changed - {article_id}):
            self._rewrite(self._read(other))
        if len(self.graphs) >= self.batch_size:
            self.flush()

    def _read(self, article_id: str) -> dict[str, Any]:
        """An article's line, read back from the state file being written."""
        end = self.state.tell()
        self.state.seek(self.offsets[article_id])
        line = self.state.readline()
        self.state.seek(end)
        return dict(json.loads(line))

    def _rewrite(self, rec: dict[str, Any]) -> None:
        """Write an article's graph again, with the merges its events have now."""
        article = Article(**rec["article"])
        events = [event_from_record(e) for e in rec["event_records"]]
        self.graphs[str(article_iri(article.id))] = article_graph(
            article, events, self.build, merged=self.merges.of(article.id)).quads

    def flush(self) -> None:
        self.store.put_graphs(self.graphs)
        self.graphs.clear()

    def finish(self, state_file: Path, table: Path, header: dict[str, Any]) -> int:
        """Write the last graphs, the events graph, the events table with the shared event ids and
        the state file. Returns how many events merged away."""
        self.flush()
        events, merged_away = merged_events(self.merges, lambda article_id: self._read(article_id)["event_records"])
        self.store.put_graphs({str(EVENTS_GRAPH): events_graph(events, self.build).quads})
        self.rows_fh.close()
        share_event_ids(self.rows_path, table, self.merges)
        self.state.flush()
        self.state.seek(0)
        with state_file.open("wb") as dst:
            dst.write(json.dumps(header).encode("utf-8") + b"\n")
            shutil.copyfileobj(self.state, dst)
        return merged_away

    def close(self) -> None:
        self.state.close()
        self.rows_fh.close()
        self.state_path.unlink(missing_ok=True)
        self.rows_path.unlink(missing_ok=True)


def write_skipped(path: Path, skipped: list[Skipped]) -> None:
    """skipped.csv: one row (path, reason) per input passed over; the header alone when none was."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["path", "reason"])
        writer.writerows([item.path, item.reason] for item in skipped)


def write_rdf(store: OxigraphStore, folder: Path) -> None:
    """graph.trig and graph.ttl side by side: Oxigraph's TriG dump runs outside Python's lock,
    while this thread feeds the Turtle writer."""
    with ThreadPoolExecutor(1) as pool:
        trig = pool.submit(store.write, folder / "graph.trig", "trig")
        store.write(folder / "graph.ttl", "turtle")
        trig.result()
