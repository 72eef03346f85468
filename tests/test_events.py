"""From mentions to events and the events table (DESIGN.md's contract), on invented sentences parsed by
the real pipeline: which mentions are one event, the row of each mention, ids that stay the same from
build to build, and events read back from their records."""
from __future__ import annotations

import dataclasses
import json

import pytest

from kg.events import (
    EVENT_COLUMNS,
    cross_key,
    event_id,
    event_key,
    event_rows,
    group_events,
    merged_id,
    report_source,
)
from kg.records import Actor, actor_from_record, event_from_record

from .test_extract import run

#: (text, published, the row of the first mention whose agent is the first value), every column but the
#: sentence, the ids and the confidence, which the other tests check.
ROWS = [
    ("Poland expelled 45 Russian diplomats on Thursday, Reuters reported.", "2023-03-22",
     {"article_id": "t", "agent": "Poland", "agent_type": "country", "agent_country": "POL",
      "relation": "expelled", "target": "Russian diplomats", "target_id": "group-rus-diplomat", "target_type": "group",
      "target_country": "RUS",
      "theme": "", "cameo": "166", "event_type": "Expel or withdraw, not specified below", "quad_class": "4",
      "goldstein": "-7", "date": "2023-03-16", "date_text": "Thursday", "place": "", "reported_by": "Reuters",
      "modality": "asserted"}),
    ("Iran warned Israel against any attack.", "2023-03-22",
     {"agent": "Iran", "agent_type": "country", "agent_country": "IRN", "target": "Israel", "target_type": "country",
      "target_country": "ISR", "cameo": "130", "quad_class": "3", "goldstein": "-4.4", "date": "2023-03-22",
      "date_text": "", "modality": "asserted"}),
    ("Kenya welcomed the decision of Uganda.", "2023-03-22",
     {"agent": "Kenya", "target": "Uganda", "theme": "the decision of Uganda", "cameo": "051", "quad_class": "1",
      "goldstein": "3.4"}),
    # a document the text names is the theme: the letter, named after its sender
    ("Erdogan received Putin's letter on Wednesday.", "2023-03-22",
     {"agent": "Vladimir Putin", "agent_type": "person", "target": "Recep Tayyip Erdoğan", "target_type": "person",
      "target_country": "TUR", "theme": "Vladimir Putin's letter", "date": "2023-03-22", "date_text": "Wednesday"}),
    # no target: empty cells, never None
    ("Moscow vowed to retaliate.", "2023-03-22",
     {"event_id": "2a3b68c274d0e3c7", "agent": "Russia", "agent_id": "country-rus", "target": "", "target_id": "",
      "target_type": "",
      "target_country": "", "modality": "asserted"}),
    ("Macron will visit Beijing in April.", "2023-03-22",
     {"agent": "Emmanuel Macron", "agent_id": "emmanuel-macron", "target": "China", "cameo": "042",
      "date": "2023-04", "date_text": "April", "modality": "intended"}),
]


@pytest.mark.parametrize("text,published,expected", ROWS, ids=[r[0][:40] for r in ROWS])
def test_events_table_rows(nlp, gazetteer, text, published, expected):
    mentions = run(nlp, gazetteer, text, published)
    events = group_events(mentions)
    rows = event_rows(events)
    assert len(rows) == len(mentions) and rows, rows
    assert all(list(row) == list(EVENT_COLUMNS) and all(isinstance(v, str) for v in row.values()) for row in rows)
    row = next((r for r in rows if r["agent"] == expected["agent"]), rows[0])
    assert {k: row[k] for k in expected} == expected
    assert row["sentence"] == text and row["article_id"] == "t"
    event = next(e for e in events if e.id == row["event_id"])
    assert row["event_id"] == event_id(event_key(event.mentions[0]))
    assert row["confidence"] == f"{event.mentions[0].confidence:.2f}" and len(row["confidence"]) == 4


def test_mentions_of_one_event_are_one_event(nlp, gazetteer):
    """The same actors, relation, CAMEO root and modality are one event, its mentions in text order; a
    negated meeting of the same pair is another event; events come in the order of their first mention."""
    text = ("Putin met Xi Jinping in Moscow. Putin met Xi Jinping again later. Putin did not meet Xi Jinping "
            "in Astana.")
    mentions = run(nlp, gazetteer, text)
    events = group_events(mentions)
    direct = [e for e in events if e.main.method != "symmetric"]
    assert [(e.main.agent.actor.id, e.main.target.actor.id, e.main.modality, len(e.mentions)) for e in direct] == [
        ("vladimir-putin", "xi-jinping", "asserted", 2), ("vladimir-putin", "xi-jinping", "negated", 1)]
    assert [m.sentence for m in direct[0].mentions] == ["Putin met Xi Jinping in Moscow.",
                                                       "Putin met Xi Jinping again later."]
    assert len({e.id for e in events}) == len(events)
    first = {e.id: min(m.sentence_start for m in e.mentions) for e in events}
    assert list(first.values()) == sorted(first.values())
    assert sum(len(e.mentions) for e in events) == len(mentions)
    assert {e.article_id for e in events} == {"t"}


def test_event_ids_stay_the_same_from_build_to_build():
    """Ids are digests of the event's content, so the graph of a rebuild is the same graph."""
    key = ("t", "country-pol", "expelled", "16", "group-rus-diplomat", "asserted")
    assert event_id(key) == "d780f52787282025"
    assert event_id(key[:-1] + ("negated",)) != event_id(key)
    assert merged_id(key[1:], "2023-03-16") == event_id(("merged", *key[1:], "2023-03-16"))
    assert merged_id(key[1:], "2023-03-16") != merged_id(key[1:], "2023-03")


def test_events_read_back_from_their_records_are_equal(nlp, gazetteer):
    text = ("Erdogan received Putin's letter on Wednesday. Germany expelled two Russian diplomats, and Moscow "
            "vowed to retaliate.")
    events = group_events(run(nlp, gazetteer, text))
    assert any(m.theme_actor for e in events for m in e.mentions) and any(m.target is None for e in events
                                                                        for m in e.mentions)
    for event in events:
        record = json.loads(json.dumps(dataclasses.asdict(event)))
        assert event_from_record(record) == event


def test_an_actor_record_without_aliases_has_none():
    """State files may hold actors written before aliases were kept."""
    record = {"id": "ola-berg", "label": "Ola Berg", "type": "person", "country": "NOR", "role": "GOV", "office": ""}
    assert actor_from_record(record) == Actor(id="ola-berg", label="Ola Berg", type="person", country="NOR",
                                              role="GOV", office="", aliases=())
    assert actor_from_record({**record, "aliases": ["Berg"]}).aliases == ("Berg",)


def test_reports_of_one_event_across_articles(nlp, gazetteer):
    (putin,) = [e for e in group_events(run(nlp, gazetteer, "Putin met Xi Jinping in Moscow, Xinhua said."))
                if e.main.method != "symmetric"]
    assert cross_key(putin) == ("vladimir-putin", "xi-jinping", "04", "asserted")
    assert report_source(putin, "The Daily", "a1") == "Xinhua"  # the agency cited, whoever repeats it
    (moscow,) = group_events(run(nlp, gazetteer, "Moscow vowed to retaliate."))
    assert cross_key(moscow) == ("country-rus", "", "13", "asserted")
    assert report_source(moscow, "The Daily", "a1") == "The Daily"
    assert report_source(moscow, "", "a1") == "a1"
