"""The circumstances of an event: what it is about (theme), when (date) and where (place)."""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import (
    FACILITY_NOUNS,
    PLACE_HOLDERS,
    REPORT_VERBS,
    THEME_PREPS,
    complement,
)
from kg.ingest.dates import resolve_date
from kg.records import Actor, Article
from kg.resolve import ActorAnnotations, doc_entities, entity_of, is_place, parse_arrays, slug, span_text


def theme_of(verb: Token, actors: ActorAnnotations) -> tuple[str, Actor | None]:
    """What the verb's act is about: its object, else its "for/about/on/over" phrase (not a date), with
    a facility named in it; nothing when that phrase names an actor (a target, not a theme)."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr")), None)
    if obj is None:
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in THEME_PREPS
                     and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is None or actors.by_head.get(obj.i):
        return "", None
    return phrase_text(obj), _facility(verb, actors)


def phrase_text(head: Token, limit: int = 100) -> str:
    """The words of a noun phrase as written, up to any relative clause, at most `limit` chars."""
    end = head.right_edge.i
    for t in head.subtree:
        if t.dep_ in ("relcl", "acl") and t.head.i == head.i or (t.dep_ == "punct" and t.text == "," and t.i > head.i):
            end = min(end, t.left_edge.i - 1)
    span = head.doc[head.left_edge.i:max(end, head.i) + 1]
    text = span_text(span).strip(' "“”,')
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _facility(verb: Token, actors: ActorAnnotations) -> Actor | None:
    """A named facility in the verb's phrase: "facilities ... in the Sohae space center"."""
    for t in verb.subtree:
        if t.lemma_.lower() in FACILITY_NOUNS and any(c.pos_ == "PROPN" or c.ent_type_ for c in t.children
                                                      if c.dep_ in ("compound", "amod")):
            mods = [c for c in t.subtree if (c.i < t.i and c.dep_ in ("compound", "amod") and c.head == t)
                    or (c.head.head == t and c.dep_ == "compound")]
            label = " ".join([c.text for c in sorted(mods, key=lambda x: x.i)] + [t.text])
            return Actor(id="facility-" + slug(label), label=label, type="facility")  # one per name, across articles
    return None


def date_of(verb: Token, sent: Span, article: Article, modality: str) -> tuple[str, str]:
    """When: a date in the verb's own phrase (or its complement's, or the reporting verb's), resolved
    against the publication date (forward for intentions), with the words it was read from; else the
    publication date and ""."""
    # The dates are looked up by the verb that governs them (indexed once per document): scanning
    # every date of the sentence per verb costs the square of a long sentence's length.
    by_verb = _dates_by_governor(sent.doc)

    def governed_by(verbs: Iterable[int]) -> list[Span]:
        found = [e for i in verbs for e in by_verb.get(i, ()) if sent.start <= e.start and e.end <= sent.end]
        return sorted(found, key=lambda e: e.start)

    comp = complement(verb) if verb.pos_ in ("VERB", "AUX") else None
    near = governed_by({verb.i} | ({comp.i} if comp is not None else set()))
    if not near and verb.pos_ not in ("VERB", "AUX"):
        near = governed_by([_governors(sent.doc)[verb.i]])
    if not near:
        # "X met Y on Wednesday, Xinhua reported": the date hangs off the reporting verb
        near = governed_by({a.i for a in verb.ancestors if a.lemma_.lower() in REPORT_VERBS})
    if not near:
        return article.published, ""
    future = modality == "intended"
    dated = [(e, d) for e in near if (d := resolve_date(span_text(e), article.published, future=future))]
    if not dated:
        return article.published, ""  # "a seven-day ceasefire" names a span, not a date
    ent, date = min(dated, key=lambda ed: abs(ed[0].root.i - verb.i))
    return date, span_text(ent)


def _dates_and_times(doc: Doc) -> list[Span]:
    """The document's DATE and TIME entities, listed once: `Span.ents` rebuilds every entity of
    the document on each call, and extraction asks for the dates of a sentence once per event."""
    found = doc.user_data.get("kg.dates")
    if found is None:
        found = doc.user_data["kg.dates"] = [e for e in doc_entities(doc) if e.label_ in ("DATE", "TIME")]
    return found


def _governors(doc: Doc) -> list[int]:
    """For each token, the index of the nearest verb above it (not one used as an adjective), or -1;
    computed once per document, each chain of heads walked once (a long sentence's chains are long)."""
    found: list[int] | None = doc.user_data.get("kg.governors")
    if found is None:
        parse = parse_arrays(doc)
        heads, pos, dep = parse.head, parse.pos, parse.dep
        found = [-2] * len(doc)  # -2: not known yet
        for start in range(len(doc)):
            path, t = [], start
            while found[t] == -2:
                path.append(t)
                head = heads[t]
                if head == t:
                    gov = -1
                    break
                if pos[head] in ("VERB", "AUX") and dep[head] != "amod":
                    gov = head
                    break
                t = head  # not a verb: what governs it governs the tokens below it
            else:
                gov = found[t]
            for i in path:
                found[i] = gov
        doc.user_data["kg.governors"] = found
    return found


def _dates_by_governor(doc: Doc) -> dict[int, list[Span]]:
    """The document's dates and times by the index of the verb that governs each (-1: none)."""
    found: dict[int, list[Span]] | None = doc.user_data.get("kg.dates_by_governor")
    if found is None:
        governors = _governors(doc)
        found = {}
        for ent in _dates_and_times(doc):
            found.setdefault(governors[ent.root.i], []).append(ent)
        doc.user_data["kg.dates_by_governor"] = found
    return found


def place_of(verb: Token, actors: ActorAnnotations) -> str:
    """Where: an "in/at" phrase on the verb or its object ("met Raisi in Tehran", "at the G7
    summit in Hiroshima, Japan"), not one deeper down ("sanctions over its war in Ukraine")."""
    level1 = [c for c in verb.children if c.dep_ in ("dobj", "prep", "npadvmod")]
    preps = [c for c in level1 if c.dep_ == "prep"]
    preps += [g for c in level1 if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"]
    near = [g for p in preps for g in p.children if g.dep_ == "pobj"]
    # "held talks with Xi Jinping in Paris": the place the parser hung on the partner
    near += [g2 for t in near if t.ent_type_ == "PERSON" for p in t.children if p.dep_ == "prep"
             for g2 in p.children if g2.dep_ == "pobj"]
    for tok in near:
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and (
                tok.ent_type_ in ("GPE", "LOC", "FAC") or (tok.ent_type_ == "ORG" and is_place(tok))):
            place = _place_name(tok)
            if place:
                return place
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and tok.lemma_.lower() in PLACE_HOLDERS:
            for t in tok.subtree:  # "at the G7 summit in Hiroshima, Japan"
                if t.dep_ == "pobj" and t.ent_type_ in ("GPE", "LOC") and t.head.lower_ == "in":
                    place = _place_name(t)
                    if place:
                        return place
    return ""


def _place_name(tok: Token) -> str:
    """The place entity at `tok`, with the country after a comma ("Hiroshima, Japan")."""
    ent = entity_of(tok)
    if ent is None:
        return ""
    place, nxt = span_text(ent), ent.end
    if nxt + 1 < len(tok.doc) and tok.doc[nxt].text == "," and tok.doc[nxt + 1].ent_type_ == "GPE":
        follow = entity_of(tok.doc[nxt + 1])
        if follow is not None:
            place = f"{place}, {span_text(follow)}"
    return place
