"""What users take away from a build: its graph in an RDF format (`kg export`), from the store or
from a SPARQL server, and its events table as CSV or JSON Lines."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.errors import KGError
from kg.events import EVENT_COLUMNS, read_events
from kg.graph.publish import open_build, read_build
from kg.util.files import atomic_file

if TYPE_CHECKING:
    from rdflib import Dataset


def export_build(out_dir: Path, fmt: str, target: Path | IO[bytes]) -> None:
    """Write the build's graph (`kg export`) or its events table to a file (atomically) or a stream."""
    if fmt.startswith("events-"):
        data = rows_as(events_table(out_dir), fmt).encode("utf-8")
        if isinstance(target, Path):
            with atomic_file(target) as fh:
                fh.write(data)
        else:
            target.write(data)
        return
    with open_build(out_dir) as store:
        if isinstance(target, Path):
            with atomic_file(target) as fh:
                store.write(fh, fmt)
        else:
            store.write(target, fmt)


def events_table(out_dir: Path) -> list[dict[str, str]]:
    """The events table written by the last build (`events.csv` beside the store), held while read."""
    with read_build(out_dir) as build:
        path = build.path("events.csv")
        if not path.exists():
            raise KGError(f"{out_dir / 'events.csv'}: no events table; run `kg build` first")
        return read_events(path, contract=True)


#: `kg export --format` -> rdflib's name of the format (for a dataset read from a SPARQL server).
_RDFLIB_FORMATS = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld",
                   "xml": "xml"}


def serialize(ds: Dataset, fmt: str) -> str:
    """A dataset read from a SPARQL server as RDF: TriG/N-Quads keep its graphs, the rest merge them."""
    from rdflib import Dataset as RdflibDataset
    from rdflib import Graph

    from kg.graph.rdf import bind_prefixes  # rdflib's terms: loaded only for a dataset read from a server

    rdf_format = _RDFLIB_FORMATS[fmt]
    if rdf_format in ("trig", "nquads"):
        copy = RdflibDataset()
        bind_prefixes(copy)
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        for s, p_, o, g in ds.quads((None, None, None, None)):
            named = g is not None and g != DATASET_DEFAULT_GRAPH_ID
            (copy.graph(g) if named else copy.default_graph).add((s, p_, o))
        return copy.serialize(format=rdf_format)
    union = Graph()
    bind_prefixes(union)
    for s, p_, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p_, o))
    return union.serialize(format=rdf_format)


def rows_as(rows: list[dict[str, str]], fmt: str) -> str:
    if fmt == "events-jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EVENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
