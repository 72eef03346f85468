"""Resolution as annotation: `resolve_actors` (and the `kg_actor_resolver` component) writes the
actors onto the Doc, and extraction reads only that. Sentences are invented."""
from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.extract import extract_events
from kg.records import Article
from kg.resolve import ActorResolver, actor_annotations, resolve_actors

TEXT = ("German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Monday. "
        "He praised the French leader. Later the two leaders visited Berlin.")


def _article(text: str) -> Article:
    return Article(id="t", title="", published="2023-05-08", source="", url="", text=text, path="")


def test_spans_carry_actor_ids(nlp, gazetteer):
    doc = resolve_actors(nlp(TEXT), gazetteer, "2023-05-08")
    spans = {(s.text, s.kb_id_, s.label_) for s in doc.spans["kg_actors"]}
    ids = {kb for _, kb, _ in spans}
    assert {s for s in spans if s[0] == "He"} and all(label for _, _, label in spans)
    he = next(kb for text, kb, _ in spans if text == "He")
    scholz = next(kb for text, kb, _ in spans if "Scholz" in text)
    assert he == scholz, spans  # the pronoun is annotated with its antecedent's id
    assert len(ids) >= 2


def test_token_extension_and_phrase_reading(nlp, gazetteer):
    doc = resolve_actors(nlp(TEXT), gazetteer, "2023-05-08")
    leaders = next(t for t in doc if t.lower_ == "leaders")
    assert len(leaders._.kg_actors) == 2  # "the two leaders": the pair in focus
    paris = next(t for t in doc if t.text == "Paris")
    assert [m.actor.country for m in actor_annotations(doc).place_mentions(paris)] == ["FRA"]
    assert actor_annotations(doc).mentions(paris) == []  # a place, not an actor


def test_component_reads_publication_date(nlp, gazetteer):
    doc = nlp.make_doc(TEXT)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    doc.user_data["kg.published"] = "2023-05-08"
    doc = ActorResolver(gazetteer)(doc)
    assert actor_annotations(doc).published == "2023-05-08"
    events = extract_events(doc, _article(TEXT))
    assert any(e.cameo.startswith("04") and e.target is not None for e in events)


def test_extraction_needs_annotations(nlp):
    with pytest.raises(KGError, match="no actor annotations"):
        extract_events(nlp("Canada thanked Norway."), _article("Canada thanked Norway."))
