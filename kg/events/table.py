"""The events table of DESIGN.md (`events.csv`): one row per event mention, its columns a contract
that `kg query`, `kg export`, the views and the scorer read; written from events (`event_rows`)
and read back, from a build or from elsewhere, by `iter_events` alone."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import KGError
from kg.knowledge import cameo
from kg.records import Event
from kg.util.files import csv_records

EVENT_COLUMNS = ("article_id", "event_id", "sentence", "agent", "agent_id", "agent_type", "agent_country",
                 "relation", "target", "target_id", "target_type", "target_country", "theme", "cameo",
                 "event_type", "quad_class", "goldstein", "date", "date_text", "place", "reported_by",
                 "modality", "confidence")


def event_rows(events: Iterable[Event]) -> list[dict[str, str]]:
    """The events table: one row per mention, labels canonical, empty cells empty strings."""
    rows = []
    for ev in events:
        for m in ev.mentions:
            code = cameo(m.cameo)
            tgt = m.target.actor if m.target else None
            rows.append({
                "article_id": m.article_id, "event_id": ev.id, "sentence": m.sentence,
                "agent": m.agent.actor.label, "agent_id": m.agent.actor.id, "agent_type": m.agent.actor.type,
                "agent_country": m.agent.actor.country, "relation": m.relation,
                "target": tgt.label if tgt else "", "target_id": tgt.id if tgt else "",
                "target_type": tgt.type if tgt else "", "target_country": tgt.country if tgt else "",
                "theme": m.theme_actor.label if m.theme_actor else m.theme, "cameo": m.cameo,
                "event_type": code.name, "quad_class": str(code.quad_class), "goldstein": f"{code.goldstein:g}",
                "date": m.date, "date_text": m.date_text, "place": m.place, "reported_by": m.reported_by,
                "modality": m.modality, "confidence": f"{m.confidence:.2f}",
            })
    return rows


#: The columns the scorer reads: a table from elsewhere (`kg eval --events FILE`) needs these at least.
SCORED_COLUMNS = ("article_id", "agent", "target", "cameo")
_JSON_LINES = (".jsonl", ".ndjson")


def iter_events(path: Path, *, contract: bool = False) -> Iterator[dict[str, str]]:
    """The rows of an events table, read as they are asked for: CSV, or JSON Lines (`.jsonl`,
    `.ndjson`, as `kg export --format events-jsonl` writes it). A CSV table must have the columns
    the scorer reads; with `contract`, exactly the columns of the contract in its order (a build's
    own table). Every failure is a KGError naming the file."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            if path.suffix.lower() in _JSON_LINES:
                yield from _json_lines(path, fh)
                return
            rows = csv_records(fh)
            first = next(rows, None)
            if first is None:
                return
            _check_columns(path, list(first), contract=contract)
            yield first
            yield from rows
    except (OSError, UnicodeDecodeError) as exc:
        raise KGError(f"{path}: cannot read the events table ({exc})") from None


def read_events(path: Path, *, contract: bool = False) -> list[dict[str, str]]:
    """Every row of an events table (see `iter_events`)."""
    return list(iter_events(path, contract=contract))


def _json_lines(path: Path, lines: Iterable[str]) -> Iterator[dict[str, str]]:
    for line in lines:
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise KGError(f"{path}: not JSON Lines ({exc.msg} on line {exc.lineno})") from None


def _check_columns(path: Path, columns: list[str], *, contract: bool) -> None:
    if contract and columns != list(EVENT_COLUMNS):
        raise KGError(f"{path}: not an events table (columns differ from the events contract)")
    missing = set(SCORED_COLUMNS) - set(columns)
    if missing:
        raise KGError(f"{path}: not an events table (missing columns: {', '.join(sorted(missing))})")
