"""From mentions to events within an article: the mentions of one article with the same actors,
relation, CAMEO root and modality state one event, whose id comes from that content."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

from kg.records import Event, EventMention


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
