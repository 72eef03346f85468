"""The events table of DESIGN.md (`events.csv`): one row per event mention, its columns a contract
that `kg query`, `kg export`, the views and the scorer read."""
from __future__ import annotations

from collections.abc import Iterable

from kg.knowledge import cameo
from kg.records import Event

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
