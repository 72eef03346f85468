"""Typed records passed between the stages of the pipeline.

Every record is a frozen dataclass, so a stage cannot change what an earlier stage produced,
and records carry character offsets so every fact can be traced back to its sentence. A build
keeps them as JSON in its state file (`plain`, and back with `actor_from_record`,
`event_from_record`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news report as read from disk: metadata plus the cleaned body text."""

    id: str
    title: str
    published: str  # ISO date (YYYY-MM-DD) or "" when unknown
    source: str
    url: str
    text: str  # cleaned body; all offsets of later stages point into it
    path: str
    dateline: str = ""  # place named in a dateline ("SEOUL --"), if any


@dataclass(frozen=True)
class Actor:
    """A real-world actor: one node in the graph however many names it goes by."""

    id: str  # stable slug, e.g. "kim-jong-un" or "country-usa"
    label: str
    type: str  # person | country | organization | group | facility
    country: str = ""  # ISO 3166 alpha-3 ("" for international organisations)
    role: str = ""  # CAMEO actor role code: GOV, MIL, IGO, MED, REB, ...
    office: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """Words in an article that name an actor, with the actor they were resolved to."""

    text: str
    start: int
    end: int
    actor: Actor


@dataclass(frozen=True)
class EventMention:
    """One statement of an event in one sentence: who did what to whom, when, on whose word."""

    article_id: str
    agent: Mention
    relation: str  # verb-phrase relation name, e.g. "met", "offered_dismantle"
    cameo: str  # CAMEO code as a string: "010" is not "10"
    target: Mention | None
    theme: str  # what the event is about, as words of the text ("" if none)
    theme_actor: Actor | None  # a named thing the theme is (a facility, a letter), if any
    date: str  # ISO date to the precision known: "2019-01-23", "2018-09", "2019"
    date_text: str
    place: str
    reported_by: str  # actor label of the source ("KCNA"), "" when told directly
    modality: str  # asserted | intended | negated | hypothetical
    confidence: float
    sentence: str
    sentence_start: int
    sentence_end: int
    trigger: str  # the words that carry the event ("offered to dismantle")
    trigger_start: int
    trigger_end: int
    method: str = ""  # how it was found: "verb", "nominal", "symmetric", ...


@dataclass(frozen=True)
class Event:
    """One real-world event with every mention that states it (within one article)."""

    id: str
    article_id: str
    mentions: tuple[EventMention, ...] = field(default_factory=tuple)

    @property
    def main(self) -> EventMention:
        """The mention the event is described by: the most confident one."""
        return max(self.mentions, key=lambda m: (m.confidence, -m.sentence_start))


def plain(value: Any) -> Any:
    """A record as JSON-ready data: `dataclasses.asdict` without its deep copies (records are
    frozen, so nothing needs copying), several times faster on a build's hot path."""
    if hasattr(value, "__dataclass_fields__"):
        return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def actor_from_record(data: dict) -> Actor:
    """An `Actor` from `dataclasses.asdict` of one (as a build's state file keeps it)."""
    return Actor(**{**data, "aliases": tuple(data.get("aliases", ()))})


def event_from_record(data: dict) -> Event:
    """An `Event` from `dataclasses.asdict` of one, read back from JSON."""
    def mention(m: dict | None) -> Mention | None:
        return None if m is None else Mention(m["text"], m["start"], m["end"], actor_from_record(m["actor"]))

    mentions = []
    for m in data["mentions"]:
        agent = mention(m["agent"])
        assert agent is not None
        theme_actor = actor_from_record(m["theme_actor"]) if m["theme_actor"] else None
        mentions.append(EventMention(**{**m, "agent": agent, "target": mention(m["target"]),
                                        "theme_actor": theme_actor}))
    return Event(data["id"], data["article_id"], tuple(mentions))
