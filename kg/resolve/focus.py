"""Pronouns and plural phrases: the actors in focus ("he", "they", "the two leaders", "both
sides") chosen at the right granularity from what the article has named so far."""
from __future__ import annotations

from spacy.tokens import Token

from kg.records import Actor, Mention
from kg.resolve.spans import entity_of
from kg.resolve.state import ResolverState
from kg.resolve.words import (
    PLURAL_COUNTRY,
    PLURAL_PERSON,
    PRONOUNS_PERSON,
    PRONOUNS_PLURAL,
    PRONOUNS_THING,
    SUBJECT_DEPS,
)


class Focus(ResolverState):
    """Pronouns and plural phrases: the actors in focus ("he", "they", "the two leaders", "both"""

    def _plural_phrase(self, tok: Token) -> list[Actor]:
        """"the two leaders", "both sides", "the two countries": the last pair in focus."""
        lemma = tok.lemma_.lower()
        counted = any(c.lower_ in ("two", "both", "2") for c in tok.children) or tok.lower_ in ("koreas",)
        if not counted:
            return []
        if lemma in PLURAL_PERSON:
            return self._recent_pair(tok, lambda a: a.type == "person")
        if lemma in PLURAL_COUNTRY or tok.lower_ == "koreas":
            return self._recent_pair(tok, lambda a: a.type == "country", via_country=True)
        if lemma in ("side", "party"):
            return self._recent_pair(tok, lambda a: a.type == "country", via_country=True)
        return []

    def _recent_pair(self, tok: Token, ok, *, via_country: bool = False) -> list[Actor]:
        """The last two actors in focus, leaving out news agencies and the subject of the clause
        the phrase is an object in ("Xi called on both sides": not Xi)."""
        found: list[Actor] = []
        exclude = set()
        if tok.dep_ in ("pobj", "dobj"):
            verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
            if subj is not None:
                exclude = {m.actor.id for m in self.by_head.get(subj.i, [])}
        together = self._recent_conjoined_pair(tok, ok, via_country, exclude)
        if together:
            return together
        for seen in self._looking_back():
            actor = seen.actor
            if via_country and actor.type != "country" and actor.country:
                actor = self.gazetteer.country(actor.country) or actor  # the leaders' countries
            if seen.token_i >= tok.i or not ok(actor) or actor.role == "MED" or seen.actor.id in exclude:
                continue
            if actor not in found:
                found.append(actor)
            if len(found) == 2:
                return list(reversed(found))
        return []

    def _recent_conjoined_pair(self, tok: Token, ok, via_country: bool, exclude: set[str]) -> list[Actor]:
        """Two actors named together ("Pashinyan and Aliyev met"), in this or the last two
        sentences: the pair "the two leaders" most likely means."""
        sent_i = self._sent_of[tok.i]
        for seen in self._looking_back():
            if seen.token_i >= tok.i or sent_i - seen.sent_i > 4:
                continue
            head = self.doc[seen.token_i]
            for conj in head.conjuncts:
                others = self.by_head.get(conj.i, [])
                pair = [seen.actor] + [m.actor for m in others]
                if via_country:
                    pair = [self.gazetteer.country(a.country) or a if a.type != "country" and a.country else a
                            for a in pair]
                pair = list(dict.fromkeys(a for a in pair if ok(a) and a.id not in exclude))
                if len(pair) == 2:
                    return pair
        return []

    def _recent_subject(self, tok: Token, ok) -> Actor | None:
        sent_i = self._sent_of[tok.i]
        for seen in self._looking_back():
            if seen.token_i < tok.i and seen.subject and sent_i - seen.sent_i <= 3 and ok(seen.actor):
                return seen.actor
        return None

    def _recent(self, tok: Token, ok) -> Actor | None:
        for seen in self._looking_back():
            if seen.token_i < tok.i and ok(seen.actor):
                return seen.actor
        return None

    def _pronoun(self, tok: Token) -> list[Mention]:
        low = tok.lower_
        span = (tok.idx, tok.idx + len(tok.text), tok.text)
        if low in PRONOUNS_PERSON:
            gender = PRONOUNS_PERSON[low]
            actor = self._antecedent(tok, lambda a: a.type == "person"
                                     and self.gazetteer.genders.get(a.id, gender) == gender)
            return [self._mention(*span, actor)] if actor else []
        if low in PRONOUNS_THING:
            if self._thing_in_focus(tok):
                return []  # "The agreement provides ... It also calls for ...": it is the agreement
            actor = self._antecedent(tok, lambda a: a.type in ("country", "organization") or (
                a.type == "group" and not a.id.startswith("group-")))  # a named armed group: "Hamas said it"
            return [self._mention(*span, actor)] if actor else []
        if low in PRONOUNS_PLURAL:
            group = self._plural_focus(tok)
            if group:
                return [self._mention(*span, a) for a in group]
            actor = self._antecedent(tok, lambda a: a.type in ("group",))
            return [self._mention(*span, actor)] if actor else []
        return []

    def _thing_in_focus(self, tok: Token) -> bool:
        """True when the last subject before `tok` (this or the previous sentence) names no actor."""
        sent_i = self._sent_of[tok.i]
        for t in reversed(self.doc[max(0, tok.sent.start - 60):tok.i]):
            if self._sent_of[t.i] < sent_i - 1:
                break
            if t.dep_ in SUBJECT_DEPS and t.pos_ in ("NOUN", "PROPN"):
                return t.i not in self.by_head
        return False

    def _plural_focus(self, tok: Token) -> list[Actor]:
        """"their", "they": two people named earlier in the same sentence ("he might strike a deal
        with Xi during their meeting"), else the last phrase naming several actors, in this or the
        last two sentences."""
        sent_i = self._sent_of[tok.i]
        window = list(self._looking_back())[::-1]  # in reading order
        same = list(dict.fromkeys(s.actor for s in window
                                  if s.sent_i == sent_i and s.token_i < tok.i and s.actor.type == "person"))
        if len(same) >= 2:
            return same[-2:]
        by_token: dict[int, list[Actor]] = {}
        for seen in window:
            if seen.token_i < tok.i and sent_i - seen.sent_i <= 2:
                by_token.setdefault(seen.token_i, []).append(seen.actor)
        for i in sorted(by_token, reverse=True):
            actors = list(dict.fromkeys(by_token[i]))
            if len(actors) >= 2:
                return actors
        return []

    def _antecedent(self, tok: Token, ok) -> Actor | None:
        """The actor in focus: a subject of this or the last two sentences, else the latest."""
        sent_i = self._sent_of[tok.i]
        sent = tok.sent
        if tok.dep_ == "poss" and not any(s.token_i < tok.i and s.sent_i == sent_i for s in self.history):
            # "In her opening speech, Merkel said ...": a possessive before the subject points ahead.
            for t in sent:
                if t.i > tok.i and t.dep_ in SUBJECT_DEPS:
                    ms = [m for m in self._resolve_ahead(t) if ok(m)]
                    if ms:
                        return ms[0]
        bound = self._clause_subject_ids(tok) if tok.dep_ in ("dobj", "pobj", "dative", "iobj") else set()
        for seen in self._looking_back():
            if (seen.token_i < tok.i and seen.subject and sent_i - seen.sent_i <= 2 and ok(seen.actor)
                    and seen.actor.id not in bound):
                return seen.actor
        for seen in self._looking_back():
            if seen.token_i < tok.i and ok(seen.actor) and seen.actor.id not in bound:
                return seen.actor
        return None

    def _clause_subject_ids(self, tok: Token) -> set[str]:
        """A pronoun object never means its own clause's subject ("Moon told him": not Moon)."""
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            return set()
        while verb.dep_ == "conj" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            verb = verb.head  # "X congratulated Y and thanked him": X's clause
        subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        return {m.actor.id for m in self.by_head.get(subj.i, [])} if subj is not None else set()

    def _resolve_ahead(self, tok: Token) -> list[Actor]:
        ent = entity_of(tok)
        if ent is not None:
            actor = self._named_actor(ent)
            return [actor] if actor else []
        return []

    def _mentions_ahead(self, tok: Token) -> list[Mention]:
        """Mentions of a phrase later in the sentence than the one being resolved."""
        return self.by_head[tok.i] if tok.i in self.by_head else self._resolve_head(tok)

