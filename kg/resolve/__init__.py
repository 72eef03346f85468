"""Actor resolution: which real actor each noun phrase of an article names, written onto the Doc.

Within an article, names are linked to the gazetteer (with offices held at the event's date), short
names to the full name mentioned nearby ("Kim" -> Kim Jong-un), role phrases to office holders
("the North's leader"), group phrases to group actors with their country ("North Korean
officials"), and pronouns and plural phrases ("he", "the two leaders") to the actors in focus.
Across articles the same actor keeps the same stable id.

The parts, one module each: `names` (gazetteer linking, name variants, unknown people),
`offices` (roles and office holders), `groups` (group nouns and their owners), `focus` (pronouns
and plural phrases), put together by `resolver.ArticleResolver`. The facade:

    >>> from kg.knowledge import load_gazetteer
    >>> from kg.nlp import load_pipeline
    >>> gazetteer = load_gazetteer()
    >>> nlp = load_pipeline(None, gazetteer)
    >>> doc = resolve_actors(nlp("Kim Jong-un met Donald Trump in Hanoi. Kim thanked him."), gazetteer,
    ...                      published="2019-02-28")
    >>> [(s.text, s.kb_id_) for s in doc.spans["kg_actors"]]
    [('Kim Jong-un', 'kim-jong-un'), ('Donald Trump', 'donald-trump'), ('Kim', 'kim-jong-un'), ('him', 'donald-trump')]
    >>> him = next(t for t in doc if t.text == "him")
    >>> [m.actor.label for m in actor_annotations(doc).mentions(him)]  # what extraction reads
    ['Donald Trump']

`ActorResolver` is the same step as a spaCy component (`nlp.add_pipe("kg_actor_resolver")`), the
publication date read from `doc.user_data["kg.published"]`.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.knowledge import Gazetteer
from kg.resolve.annotations import ActorAnnotations, actor_annotations, annotate, relabel
from kg.resolve.resolver import ArticleResolver
from kg.resolve.spans import (
    doc_entities,
    doc_text,
    entity_of,
    is_place,
    parse_arrays,
    slug,
    span_text,
    split_entities_at_verbs,
    token_indices,
    tokens_of,
)

__all__ = ["ActorAnnotations", "ActorResolver", "ArticleResolver", "actor_annotations", "doc_entities", "doc_text",
           "entity_of", "is_place", "parse_arrays", "relabel", "resolve_actors", "slug", "span_text",
           "split_entities_at_verbs", "token_indices", "tokens_of"]


def resolve_actors(doc: Doc, gazetteer: Gazetteer, published: str) -> Doc:
    """Resolve every phrase of a parsed article and annotate the Doc with the actors found."""
    return annotate(doc, ArticleResolver(doc, gazetteer, published).annotations())


class ActorResolver:
    """`resolve_actors` as a spaCy pipeline component."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        return resolve_actors(doc, self.gazetteer, doc.user_data.get("kg.published", ""))


@Language.factory("kg_actor_resolver")
def make_actor_resolver(nlp: Language, name: str) -> ActorResolver:
    from kg.knowledge import load_gazetteer

    return ActorResolver(load_gazetteer())
