"""The article resolver: the parts of resolution put together, run once over a parsed article in
reading order, its findings written onto the Doc as `ActorAnnotations` for extraction to read."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import ENT_TYPE, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from kg.knowledge import Gazetteer
from kg.records import Actor, Mention
from kg.resolve.annotations import ActorAnnotations
from kg.resolve.focus import Focus
from kg.resolve.groups import Groups
from kg.resolve.names import NameLinking
from kg.resolve.offices import Offices
from kg.resolve.spans import (
    bare_title,
    doc_entities,
    entity_of,
    is_place,
    np_head,
    span_text,
    split_entities_at_verbs,
    tokens_of,
)
from kg.resolve.state import Seen
from kg.resolve.words import NAME_LABELS, ROLE_OFFICES, SUBJECT_DEPS

#: The parts of speech a phrase naming an actor can be headed by, when it is not a named entity.
_NOMINAL = {POS_IDS[p] for p in ("PROPN", "NOUN", "ADJ", "PRON", "NUM")}


@dataclass
class ArticleResolver(NameLinking, Offices, Groups, Focus):
    """Resolves the noun phrases of one parsed article to actors, in reading order."""

    doc: Doc
    gazetteer: Gazetteer
    published: str
    by_head: dict[int, list[Mention]] = field(default_factory=dict)
    history: list[Seen] = field(default_factory=list)
    local: dict[str, Actor] = field(default_factory=dict)  # actors first met in this article
    bare_titled: set[str] = field(default_factory=set)  # "President Trump", not "Chinese President Xi"
    preferred_labels: dict[str, str] = field(default_factory=dict)  # group id -> its collective name
    local_offices: dict[tuple[str, str], Actor] = field(default_factory=dict)  # (ISO3, office) -> holder

    def __post_init__(self) -> None:
        self._roles: dict[int, str] = {}  # token index -> the office its title names
        self._dates: dict[int, str] = {}  # sentence index -> the date its titles are read at
        split_entities_at_verbs(self.doc)
        self._extend_names_to_their_head()
        self._tag_known_people()
        doc = self.doc
        self._sent_of = {i: si for si, sent in enumerate(doc.sents) for i in range(sent.start, sent.end)}
        self._acronyms = self._defined_acronyms()
        self._persons_named: list[tuple[Span, Actor]] = []
        self._persons_named = self._collect_person_names()
        self._tag_bare_surnames()
        for ent, _ in self._persons_named:
            self._named_actor(ent)  # offices the article introduces people with, before titles are read
        # Only a name or a nominal word can name an actor: the others are skipped from the attribute
        # arrays, without building their tokens.
        pos, ent_types = doc.to_array(POS).tolist(), doc.to_array(ENT_TYPE).tolist()
        for i in range(len(doc)):
            if not ent_types[i] and pos[i] not in _NOMINAL:
                continue
            tok = doc[i]
            mentions = self._resolve_head(tok)
            if mentions:
                self.by_head[i] = mentions
                for m in mentions:
                    self.history.append(Seen(i, self._sent_of[i], m.actor, tok.dep_ in SUBJECT_DEPS))

    def annotations(self) -> ActorAnnotations:
        """What resolution found, as the read-only annotations extraction reads: the actors by
        phrase head, the countries places and demonyms stand for, and the labels settled on."""
        places: dict[int, Mention] = {}
        for ent in doc_entities(self.doc):
            text = span_text(ent)
            actor = self.gazetteer.lookup(text)
            if actor is None or actor.type != "country":
                actor = self.gazetteer.place_country(text)  # "in Aleppo": in Syria
            if actor is not None and actor.type == "country":
                for i in range(ent.start, ent.end):
                    places[i] = self._mention(ent.start_char, ent.end_char, text, actor)
        demonyms: dict[int, Mention] = {}
        for c in tokens_of(self.doc[:], dep=("amod", "compound")):
            if c.ent_type_ == "NORP" or c.text[:1].isupper():
                actor = self.gazetteer.demonym(c.text)
                if actor is not None:
                    demonyms[c.i] = self._mention(c.idx, c.idx + len(c.text), c.text, actor)
        named = [m.actor for ms in (*self.by_head.values(), [*places.values(), *demonyms.values()]) for m in ms]
        countries = {iso: country for iso in sorted({a.country for a in named if a.country})
                     for country in [self.gazetteer.country(iso)] if country is not None}
        return ActorAnnotations(by_head=self.by_head, places=places, demonyms=demonyms, countries=countries,
                                preferred_labels=self.preferred_labels, published=self.published)

    # ---- per-token resolution -----------------------------------------------------------
    def _resolve_head(self, tok: Token) -> list[Mention]:
        dep, pos, ent_type = tok.dep_, tok.pos_, tok.ent_type_  # each a string lookup: read once
        if is_place(tok):
            return []  # "signed in Doha", "at the G7 summit in Hiroshima, Japan": where, not who
        if dep == "appos" and tok.head.i in self.by_head and pos == "NOUN":
            return []  # "<name>, America's special envoy": the same person
        if dep in ("compound", "amod") and tok.head.i > tok.i and (
                tok.head.ent_type_ == "PERSON" or self._role_phrase(tok.head)):
            return []  # "U.S." and "President" in "U.S. President Donald Trump": parts of one name
        if ent_type in NAME_LABELS and tok.ent_iob_ in ("B", "I"):
            ent = entity_of(tok)
            if ent is not None and np_head(ent) == tok:
                actor = self._named_actor(ent)
                if actor is not None:
                    if actor.type == "country" and ent.label_ == "NORP" and dep in ("amod", "compound"):
                        return []  # "North Korean" in "North Korean officials": a modifier
                    if dep == "poss" and actor.type == "country" and tok.head.lemma_.lower() in ROLE_OFFICES:
                        return []  # "the North's leader": the leader is the mention
                    if actor.type == "person" and bare_title(ent):
                        self.bare_titled.add(actor.id)
                    return [self._mention(ent.start_char, ent.end_char, span_text(ent), actor)]
            if pos == "PROPN":
                return []
        if (pos in ("PROPN", "NOUN", "ADJ") and not ent_type and tok.text[:1].isupper()
                and dep != "compound" and len(tok.text) > 2):
            # a known name the statistical NER missed ("Modi arrived ...")
            actor = self.gazetteer.lookup(tok.text)
            if actor is not None and actor.type in ("person", "organization", "group"):
                return [self._mention(tok.idx, tok.idx + len(tok.text), tok.text, actor)]
            if not (pos == "NOUN" and tok.is_sent_start or self._role_phrase(tok)):
                return []  # read on: a noun opening a sentence ("Police said") or a title ("the Kazakh President")
        if pos == "PRON":
            return self._pronoun(tok)
        if pos in ("NOUN", "PROPN"):
            return self._common_noun(tok)
        if pos == "NUM" and dep in ("dobj", "nsubj", "nsubjpass", "pobj"):
            return self._counted_members(tok)
        return []
