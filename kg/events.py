"""From mentions to events: one Event per real-world event in an article, with all its mentions,
and the events table of DESIGN.md (one row per event mention)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from kg.knowledge import cameo
from kg.records import Event, EventMention

EVENT_COLUMNS = ("article_id", "event_id", "sentence", "agent", "agent_id", "agent_type", "agent_country",
                 "relation", "target", "target_id", "target_type", "target_country", "theme", "cameo",
                 "event_type", "quad_class", "goldstein", "date", "date_text", "place", "reported_by",
                 "modality", "confidence")


def event_key(m: EventMention) -> tuple[str, ...]:
    """Mentions with the same key state the same event: same actors, relation and CAMEO root."""
    return (m.article_id, m.agent.actor.id, m.relation, m.cameo[:2], m.target.actor.id if m.target else "",
            m.modality)


def event_id(key: tuple[str, ...]) -> str:
    """A stable id from the event's content, so re-running a build gives the same graph."""
    return hashlib.sha1("\x1f".join(key).encode()).hexdigest()[:16]


def group_events(mentions: Iterable[EventMention]) -> list[Event]:
    """Merge the mentions of each article into events, in order of first mention."""
    groups: dict[tuple[str, ...], list[EventMention]] = {}
    for m in mentions:
        groups.setdefault(event_key(m), []).append(m)
    return [Event(id=event_id(k), article_id=k[0], mentions=tuple(ms)) for k, ms in groups.items()]


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
