"""Roles and offices: who holds an office in a country at the event's date, offices the article
introduces people with, counterparts, heads of organisations."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.ingest.dates import resolve_date
from kg.knowledge import norm_name
from kg.records import Actor
from kg.resolve.spans import doc_entities, entity_of, span_text, strip_titles
from kg.resolve.state import ResolverState
from kg.resolve.words import (
    EQUIVALENT_OFFICES,
    HEAD_OF_STATE_FALLBACK,
    MONARCH_OFFICES,
    PLACE_LABELS,
    ROLE_OFFICES,
    ROLES_LONGEST_FIRST,
    ROLES_WITH_OF,
)


@lru_cache(maxsize=4096)
def _may_end_a_role(lemma: str) -> bool:
    """Whether a role can end a phrase that ends in `lemma`: most nouns are no title, and their
    modifiers need not be read."""
    return not lemma or any(role.endswith(lemma) or lemma.endswith(role) for role in ROLES_LONGEST_FIRST)


class Offices(ResolverState):
    """Roles and offices: who holds an office in a country at the event's date, offices the article"""

    def _role_phrase(self, tok: Token) -> str:
        """The office a title noun names ("foreign minister", "head of state"), or ""."""
        cached = self._roles.get(tok.i)
        if cached is None:
            cached = self._roles[tok.i] = self._read_role_phrase(tok)
        return cached

    def _read_role_phrase(self, tok: Token) -> str:
        lemma = tok.lemma_.lower()
        if lemma != lemma.strip() or _may_end_a_role(lemma):  # else no role can end "<modifiers> <lemma>"
            compounds = " ".join(t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod") and not t.ent_type_)
            phrase = f"{compounds} {lemma}".strip()
            for role in ROLES_LONGEST_FIRST:
                if phrase.endswith(role):
                    return role
        for role, head, rest in ROLES_WITH_OF:  # "secretary of state", "head of state": "of" completes the title
            if lemma == head and any(c.lower_ == "of" and any(g.lower_ == rest for g in c.children)
                                     for c in tok.children):
                return role
        return ""

    def _counterpart(self, tok: Token) -> Actor | None:
        """"his Chinese counterpart": who holds, in that country, the office of the person meant."""
        country = self._country_modifier(tok)
        poss = next((c for c in tok.children if c.dep_ == "poss"), None)
        if country is None or poss is None:
            return None
        owners = self.by_head.get(poss.i) or self._pronoun(poss)
        if not owners or owners[0].actor.type != "person":
            return None
        for office in self.gazetteer.offices_of(owners[0].actor.id):
            for same in next((g for g in EQUIVALENT_OFFICES if office.office in g), {office.office}):
                holder = self.gazetteer.holder(country.country, same, self._date_at(tok))
                if holder is not None:
                    return holder
        return None

    def _org_head(self, tok: Token) -> Actor | None:
        """"the head of the IAEA", "the UN chief": who leads the organisation on the date."""
        orgs = [m.actor for c in tok.children if c.dep_ in ("compound", "poss")
                for m in self.by_head.get(c.i, [])]
        orgs += [m.actor for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                 for pobj in p.children if pobj.dep_ == "pobj" for m in self.by_head.get(pobj.i, [])]
        for c in tok.children:
            ent = entity_of(c) if c.dep_ in ("compound", "nmod") else None
            actor = self._named_actor(ent) if ent is not None else None
            if actor is not None:
                orgs.append(actor)
        for org in orgs:
            if org.type == "organization":
                head = self.gazetteer.head_of(org, self._date_at(tok))
                if head is not None:
                    return head
        return None

    def _date_at(self, tok: Token) -> str:
        """The date titles are read at: a past date the sentence names ("in 2014, the French
        president ..." is Hollande), else the publication date."""
        si = self._sent_of[tok.i]
        if si not in self._dates:
            sent = tok.sent
            ents = (e for e in doc_entities(self.doc) if e.start >= sent.start and e.end <= sent.end)
            self._dates[si] = next((when for ent in ents if ent.label_ == "DATE"
                                    for when in [resolve_date(span_text(ent), self.published)]
                                    if when and (not self.published or when < self.published[:len(when)])),
                                   self.published)
        return self._dates[si]

    def _holder(self, country: Actor, office: str, at: Token | None = None) -> Actor | None:
        """Who holds `office` in `country`: as the article itself introduced them ("Kazakh President
        Kassym-Jomart Tokayev"), else as the gazetteer knows on the publication date."""
        holders = [self.local_offices.get((country.country, name)) or self.gazetteer.holder(
                       country.country, name, self._date_at(at) if at is not None else self.published)
                   for name in (office, *(HEAD_OF_STATE_FALLBACK if office == "leader" else ()))]
        named = {seen.actor.id for seen in self.history} | {actor.id for _, actor in self._persons_named}
        # "the Ethiopian leader": of the state's heads, one the article has named (its prime minister,
        # where it names no president), else the first in the order of `head_of_state_fallback`
        return next((h for h in holders if h is not None and h.id in named), None) or next(
            (h for h in holders if h is not None), None)

    def _unnamed_holder(self, country: Actor, office: str, text: str) -> Actor:
        """The holder of an office the article names only by title ("Chile's foreign minister"), as
        a person of that country known by those words, one per country and office."""
        known = self.local_offices.get((country.country, office))
        if known is None:
            label = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
            known = self.local_actor("person", label, country=country.country, role="GOV")
            self.local_offices[(country.country, office)] = known
        return known

    def _with_office_learnt(self, ent: Span, actor: Actor) -> Actor:
        """A known person whose offices the gazetteer does not hold (a role, not an office: the
        generated actors) takes the office the article introduces them with, and the article's
        spelling of their full name (where the source transliterates or accents it otherwise)."""
        if actor.type == "person" and actor.country and not self.gazetteer.offices_of(actor.id):
            self._learn_office(ent, actor)
        written = strip_titles(span_text(ent))
        if (actor.id in self.gazetteer.generated and actor.type == "person" and len(written.split()) >= 2
                and written.lower() != actor.label.lower()):  # accents too: "Ivan" where the source has "Iván"
            self.preferred_labels.setdefault(actor.id, written)
        elif actor.type == "person" and not actor.label.isascii():
            spelt = _spelt_as_written(self.preferred_labels.get(actor.id, actor.label), written)
            if spelt != actor.label:
                self.preferred_labels[actor.id] = spelt
        return actor

    def _learn_office(self, ent: Span, actor: Actor) -> None:
        """Remember the office a person the gazetteer does not know is introduced with, so that
        "the presidents of X and Y" later finds them."""
        for tok in (t for t in ent.doc[max(ent.sent.start, ent.start - 4):ent.end] if t.pos_ in ("NOUN", "PROPN")):
            role = self._role_phrase(tok)
            if role and (tok.i < ent.start or tok.head.i in range(ent.start, ent.end)):
                self.local_offices.setdefault((actor.country, ROLE_OFFICES[role]), actor)
                return

    def _of_countries(self, tok: Token) -> list[Actor]:
        """Countries a plural noun is of: "the leaders of Ethiopia and Eritrea", "Armenia,
        Azerbaijan leaders", "the governments of Qatar, Oman and Switzerland"."""
        out: list[Actor] = []
        for mod in (c for c in tok.children if c.dep_ in ("compound", "amod", "nmod")):
            for t in (mod, *mod.conjuncts, *(g for g in mod.children if g.dep_ in ("appos", "npadvmod"))):
                ent = entity_of(t)
                actor = self._named_actor(ent) if ent is not None and ent.label_ in PLACE_LABELS else None
                if actor is not None and actor.type == "country" and actor not in out:
                    out.append(actor)
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        for t in [pobj, *pobj.conjuncts]:
                            ent = entity_of(t)
                            actor = self._named_actor(ent) if ent is not None else None
                            if actor is not None and actor.type == "country":
                                out.append(actor)
        return out

    def _recent_office_holder(self, tok: Token, office: str) -> Actor | None:
        """"the president": of the holders of that office named so far, the one named most
        often (ties: the one named first), as an English report uses the bare title."""
        counts: dict[str, list[int]] = {}
        for seen in self.history:
            if seen.token_i < tok.i and seen.actor.type == "person":
                if any(o.office == office for o in self.gazetteer.offices_of(seen.actor.id)) or (
                        self.local_offices.get((seen.actor.country, office)) == seen.actor):
                    counts.setdefault(seen.actor.id, [0, seen.token_i])[0] += 1
        if not counts:
            return None
        best = min(counts, key=lambda a: (a not in self.bare_titled, -counts[a][0], counts[a][1]))
        return self.gazetteer.actors.get(best) or next((a for a in self.local.values() if a.id == best), None)

    def _is_monarchy(self, country: Actor) -> bool:
        return any(o.country == country.country and o.office in MONARCH_OFFICES for o in self.gazetteer.offices)


def _spelt_as_written(label: str, written: str) -> str:
    """`label` with each word the article writes without its accents spelt as the article does
    ("Nicolás Maduro" in a report that writes "Nicolas Maduro" or "Maduro"): readers and the events
    table then see the name as the report gives it; the actor stays the same."""
    as_written = {norm_name(w): w for w in written.split()}
    words = [as_written.get(norm_name(w), w) if not w.isascii() else w for w in label.split()]
    return " ".join(words)
