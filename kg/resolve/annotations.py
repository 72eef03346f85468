"""Actor annotations: what resolution wrote onto a Doc, for extraction to read.

Resolution runs once per article and stores an `ActorAnnotations` in `doc.user_data`; extraction
only reads it (data flows one way: no extractor calls back into the resolver). For users of spaCy
the same findings are on the Doc as `doc.spans["kg_actors"]` (one span per actor mention, its
`kb_id_` the actor id and its label the actor type) and as the `Token._.kg_actors` extension.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from kg.errors import KGError
from kg.records import Actor, Mention
from kg.resolve.spans import token_indices

_KEY = "kg.actors"
#: The dependency paths inside a phrase over which a name is one more of the phrase's actors.
_PHRASE_PATH = ("conj", "dep", "nmod", "appos", "npadvmod")


@dataclass
class ActorAnnotations:
    """The actors a parsed article names, by the token that heads each phrase."""

    by_head: dict[int, list[Mention]]
    #: entity token -> the country a place stands in ("arrived in Washington": the host)
    places: dict[int, Mention] = field(default_factory=dict)
    #: modifier token -> the country a demonym names ("Chinese" in "Chinese imports")
    demonyms: dict[int, Mention] = field(default_factory=dict)
    #: ISO3 -> country actor, for the country of every actor named
    countries: dict[str, Actor] = field(default_factory=dict)
    #: group id -> the collective name the article settled on
    preferred_labels: dict[str, str] = field(default_factory=dict)
    published: str = ""
    _phrases: dict[int, list[Mention]] = field(default_factory=dict, repr=False)

    def named(self, tok: Token) -> list[Mention]:
        """The actors the phrase headed by `tok` itself names (not its conjuncts)."""
        return self.by_head.get(tok.i, [])

    def mentions(self, tok: Token) -> list[Mention]:
        """The actors named by the noun phrase headed by `tok`: the head, its conjuncts, and names
        the parser hung inside the phrase ("President Macron and Chinese President Xi Jinping").
        Extraction asks this of the same phrases many times; the answer is fixed once read."""
        found = self._phrases.get(tok.i)
        if found is None:
            found = self._phrases[tok.i] = self._phrase_mentions(tok)
        return list(found)

    def _phrase_mentions(self, tok: Token) -> list[Mention]:
        by_head = self.by_head
        out = list(by_head.get(tok.i, []))
        for conj in tok.conjuncts:
            if conj.i > tok.i:
                out.extend(m for m in by_head.get(conj.i, []) if m not in out)
        # a name inside the phrase counts when the phrase coordinates ("X and Y"): when no "cc" lies
        # between its edges, its tokens need not be read
        ccs = token_indices(tok.doc, dep=("cc",))
        inside = bisect_left(ccs, tok.left_edge.i) < bisect_right(ccs, tok.right_edge.i)
        subtree = list(tok.subtree) if inside else []
        if any(t.dep_ == "cc" for t in subtree):
            for t in subtree:
                if t.i == tok.i or t.i not in by_head:
                    continue
                path, cur = [], t
                while cur.i != tok.i and cur.head.i != cur.i:
                    path.append(cur.dep_)
                    cur = cur.head
                if cur.i == tok.i and all(d in _PHRASE_PATH for d in path):
                    out.extend(m for m in by_head[t.i] if m not in out)
        # "Armenia, Azerbaijan leaders": the leaders, not also the countries they lead
        led = {m.actor.country for m in out if m.actor.type == "person"}
        return [m for m in out if not (m.actor.type == "country" and m.actor.country in led)]

    def place_mentions(self, tok: Token) -> list[Mention]:
        """The country a place stands in, as the host of a visit ("arrived in Washington")."""
        found = self.places.get(tok.i)
        return [found] if found is not None else []

    def demonym_mentions(self, tok: Token, *, modifier_only: bool = False) -> list[Mention]:
        """The country of a demonym modifier ("Chinese" in "Chinese imports"), as a weak mention."""
        if modifier_only:
            found = self.demonyms.get(tok.i)
            return [found] if found is not None else []
        for c in tok.subtree:
            found = self.demonyms.get(c.i)
            if found is not None:
                return [found]
        return []

    def country(self, iso3: str) -> Actor | None:
        """The country actor of an ISO3 code that some named actor belongs to."""
        return self.countries.get(iso3)


def annotate(doc: Doc, annotations: ActorAnnotations) -> Doc:
    """Write resolution's findings onto the Doc: the annotations and the `kg_actors` span group."""
    doc.user_data[_KEY] = annotations
    spans = []
    for ms in annotations.by_head.values():
        for m in ms:
            span = doc.char_span(m.start, m.end, label=m.actor.type, kb_id=m.actor.id, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.spans["kg_actors"] = spans
    return doc


def actor_annotations(doc: Doc) -> ActorAnnotations:
    """The annotations resolution wrote onto `doc`."""
    found = doc.user_data.get(_KEY)
    if found is None:
        raise KGError("the document has no actor annotations: run kg.resolve.resolve_actors on it first")
    return found


def relabel(mentions: list, labels: dict[str, str]) -> list:
    """Give group actors the name the article settled on (see `preferred_labels`), keeping
    their first name as an alias."""
    if not labels:
        return mentions

    def fix(m: Mention | None) -> Mention | None:
        if m is None or m.actor.id not in labels:
            return m
        aliases = tuple(dict.fromkeys((*m.actor.aliases, m.actor.label)))
        actor = replace(m.actor, label=labels[m.actor.id], aliases=aliases)
        return replace(m, actor=actor)

    return [replace(e, agent=fix(e.agent), target=fix(e.target)) for e in mentions]


if not Token.has_extension("kg_actors"):
    Token.set_extension("kg_actors", getter=lambda tok: actor_annotations(tok.doc).mentions(tok))
