"""Common nouns to actors: role phrases, state nouns, group nouns with their owner (a country
or an organisation), groups of states, counted members, unowned groups."""
from __future__ import annotations

from spacy.tokens import Token

from kg.knowledge import GroupNoun, group_nouns
from kg.records import Actor, Mention
from kg.resolve.spans import entity_of, group_label, plural_form, slug, span_text
from kg.resolve.state import ResolverState
from kg.resolve.words import (
    ARMED_ROLES,
    COLLECTIVE,
    COUNTABLE_BODIES,
    DEFINITE_DETERMINERS,
    ENFORCEMENT_NOUNS,
    OFFICIAL_KINDS,
    OFFICIAL_PLURALS,
    ONE_OF_THEM,
    ORG_BACK_NOUNS,
    ORG_HEAD_NOUNS,
    PEOPLE_ROLES,
    PLACE_LABELS,
    QUANTITY_NOUNS,
    ROLE_OFFICES,
    STATE_BACK_NOUNS,
    STATE_GROUP_NOUNS,
    STATE_NOUNS,
    SUBJECT_DEPS,
)


class Groups(ResolverState):
    """Common nouns to actors: role phrases, state nouns, group nouns with their owner (a country"""

    def _co_owners(self, tok: Token, owner: Actor) -> list[tuple[Actor, str]]:
        """Countries conjoined with the owner's demonym ("Indian and Chinese troops"), with the word
        that names each."""
        out = []
        for mod in (c for c in tok.children if c.dep_ in ("amod", "compound")):
            for conj in mod.conjuncts:
                country = self.gazetteer.demonym(conj.text) or self.gazetteer.lookup(conj.text)
                if country is not None and country.type == "country" and country.id != owner.id:
                    out.append((country, conj.text))
        return out

    def _owner_word(self, tok: Token, owner: Actor) -> str:
        return next((c.text for c in tok.children if c.dep_ in ("amod", "compound") and c.conjuncts), owner.label)

    def _group(self, tok: Token, owner: Actor, role: str, *, label: str = "") -> Actor:
        """A group actor named by its owner (a country or an organisation) and its kind, so that
        "23 Russian diplomats" and "Russian diplomat 'spies'", or "Sudan's army" and "the Sudanese
        army", are one node; its label is the words of its first mention."""
        kind = [t.lemma_.lower() for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod")
                and not t.ent_type_ and t.pos_ not in ("NUM", "DET", "PUNCT") and not t.is_stop
                and not self.gazetteer.demonym(t.text)]
        owner_key = owner.country.lower() if owner.type == "country" else owner.id
        actor_id = "group-" + slug(" ".join([owner_key, *kind, tok.lemma_.lower()]))
        if actor_id not in self.local:
            label = label or group_label(tok) or f"{owner.label} {plural_form(tok)}"
            self.local[actor_id] = Actor(id=actor_id, label=label, type="group",
                                         country=owner.country, role=owner.role if owner.type == "group" else role)
        return self.local[actor_id]

    def _owner_modifier(self, tok: Token) -> Actor | None:
        """A group or organisation a common noun belongs to: "Taliban negotiators"."""
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                ent = entity_of(child)
                actor = self._named_actor(ent) if ent is not None else None
                if actor is not None and actor.type in ("group", "organization"):
                    return actor
        return None

    def _country_modifier(self, tok: Token) -> Actor | None:
        """The country a common noun belongs to: "U.S. officials", "the North's leader",
        "foreign minister of New Zealand", "Ukraine's Dmytro Kuleba"."""
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                ent = entity_of(child)
                if ent is not None and ent.label_ in PLACE_LABELS:
                    actor = self._named_actor(ent)
                    if actor is not None and actor.type == "country":
                        return actor
                if (ent is None or len(ent) == 1) and child.dep_ in ("amod", "compound") and child.text[:1].isupper():
                    actor = self.gazetteer.demonym(child.text)  # a demonym the NER left untagged or mistook
                    if actor is not None:
                        return actor
                if child.dep_ == "compound" and child.i < tok.i:
                    inner = self._country_modifier(child)
                    if inner is not None:
                        return inner
                if child.dep_ == "poss" and child.pos_ == "PRON":
                    # "its troops killed ...": the state "its" stands for; as an object ("recalled its
                    # ambassador") a state's own people are its means, not a party
                    ms = self.by_head.get(child.i, []) if tok.dep_ in SUBJECT_DEPS else []
                    if len(ms) == 1 and ms[0].actor.type == "country":
                        return ms[0].actor
                    if len(ms) == 1 and ms[0].actor.country and tok.lemma_.lower() in STATE_NOUNS:
                        return self.gazetteer.country(ms[0].actor.country)  # "his government": the leader's
                    continue
                if child.dep_ == "poss":
                    ms = self.by_head.get(child.i, [])
                    if ms and ms[0].actor.type == "country":
                        return ms[0].actor
            if child.dep_ == "prep" and child.lower_ in ("of", "in"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        ent = entity_of(pobj)
                        if ent is not None and ent.label_ in PLACE_LABELS:
                            actor = self._named_actor(ent)
                            if actor is None or actor.type != "country":
                                actor = self.gazetteer.place_country(span_text(ent))  # "police in Lagos"
                            if actor is not None and actor.type == "country":
                                return actor
                        if ent is None and child.lower_ == "of" and self._role_phrase(tok):
                            inner = self._country_modifier(pobj)  # "Head of State of Kazakhstan"
                            if inner is not None:
                                return inner
        return None

    def _common_noun(self, tok: Token) -> list[Mention]:
        """The actors a common noun names, by the first of the cases below that decides it (a case
        answers None to pass the noun on, a list, empty or not, to settle it); else its counted
        members ("two of the ministers")."""
        noun = _Noun(self, tok)
        for case in (self._named_in_apposition, self._definite_in_context, self._counterpart_of,
                     self._head_of_organisation, self._organisation_back, self._role_holders, self._role_holder,
                     self._group_of_states, self._states, self._state, self._plural, self._group_noun):
            found = case(noun)
            if found is not None:
                return found
        return self._counted_members(tok)

    def _named_in_apposition(self, noun: _Noun) -> list[Mention] | None:
        """"Iran's foreign minister, Hossein ...", "President of <country> <name>" (the name parsed
        as "of"'s object): the person named."""
        named_in = [c for c in noun.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
        if noun.role:
            named_in += [g for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                         for g in p.children if g.dep_ == "pobj" and g.ent_type_ == "PERSON"]
        for appos in named_in:
            ent = entity_of(appos)
            person = self._named_actor(ent) if ent is not None else None
            if person is not None and person.type == "person":
                return [noun.mention(person)]
        return None

    def _definite_in_context(self, noun: _Noun) -> list[Mention] | None:
        """"the agency", "the alliance": the actor the article calls so."""
        contextual = self._contextual(noun.tok.text, noun.tok.i) if noun.the else None
        return [noun.mention(contextual)] if contextual is not None else None

    def _counterpart_of(self, noun: _Noun) -> list[Mention] | None:
        if noun.lemma != "counterpart":
            return None
        other = self._counterpart(noun.tok)
        return [noun.mention(other)] if other is not None else []

    def _head_of_organisation(self, noun: _Noun) -> list[Mention] | None:
        """"the agency's chief", "Pakistan's army chief" (a country's holder of that kind, unnamed)."""
        tok = noun.tok
        if noun.lemma not in ORG_HEAD_NOUNS or tok.tag_ not in ("NN", "NNP"):
            return None
        head = self._org_head(tok)
        country = self._country_modifier(tok) if head is None else None
        if head is None and country is not None and country.type == "country" and not noun.role:
            kind = " ".join(t.lemma_.lower() for t in tok.lefts if t.dep_ == "compound" and not t.ent_type_)
            head = self._unnamed_holder(country, f"{kind} {noun.lemma}".strip(), noun.span()[2])
        return [noun.mention(head)] if head is not None else None

    def _organisation_back(self, noun: _Noun) -> list[Mention] | None:
        """"the body", "the bloc": the intergovernmental organisation named before."""
        if noun.lemma not in ORG_BACK_NOUNS or not noun.the:
            return None
        org = self._recent(noun.tok, lambda a: a.type == "organization" and a.role == "IGO")
        return [noun.mention(org)] if org is not None else []

    def _role_holders(self, noun: _Noun) -> list[Mention] | None:
        """"the leaders of Ethiopia and Eritrea", "the foreign ministers of Chile, Peru and Bolivia",
        "Japan, China foreign ministers": each country's holder of the office; a country whose
        holder the gazetteer lacks stands for itself."""
        tok = noun.tok
        if not noun.role or tok.tag_ not in ("NNS", "NNPS"):
            return None
        countries = self._of_countries(tok)
        if tok.dep_ == "conj" and tok.head.ent_type_ in PLACE_LABELS:
            ent = entity_of(tok.head)
            head_country = self._named_actor(ent) if ent is not None else None
            if head_country is not None and head_country.type == "country" and head_country not in countries:
                countries.insert(0, head_country)
        if len(countries) < 2:
            return None
        people = [self._holder(c, ROLE_OFFICES[noun.role], tok) or c for c in countries]
        return [noun.mention(h) for h in dict.fromkeys(people)]

    def _role_holder(self, noun: _Noun) -> list[Mention] | None:
        """"Chile's foreign minister", "the president": the holder of the office at the date (or the
        one the article named), else an unnamed holder of the country's; "a senior Hamas
        commander" is one of Hamas."""
        tok = noun.tok
        if not noun.role or tok.tag_ not in ("NN", "NNP"):
            return None
        country = self._country_modifier(tok)
        office = ROLE_OFFICES[noun.role]
        holder = None
        if country is not None:
            holder = self._holder(country, office, tok)
        elif noun.the or tok.i == tok.sent.start:
            holder = self._recent_office_holder(tok, office)
        if holder is None and country is not None and country.type == "country":
            holder = self._unnamed_holder(country, office, noun.span()[2])
        if holder is not None:
            return [noun.mention(holder)]
        owner = self._owner_modifier(tok) if country is None else None
        return [noun.mention(owner)] if owner is not None and owner.type == "group" else []

    def _group_of_states(self, noun: _Noun) -> list[Mention] | None:
        """"Pacific island nations", "Western countries", "Arab states": a group of states."""
        tok = noun.tok
        if (noun.lemma in STATE_GROUP_NOUNS and tok.tag_ == "NNS" and self._country_modifier(tok) is None
                and not self._of_countries(tok) and not self._plural_phrase(tok)
                and any(t.dep_ in ("amod", "compound") and not t.is_stop and not t.like_num for t in tok.lefts)):
            return [noun.mention(self._unowned_group(tok, "GOV"))]
        return None

    def _states(self, noun: _Noun) -> list[Mention] | None:
        """"the governments of X and Y", "the two governments": each country."""
        if noun.lemma not in STATE_NOUNS or noun.tok.tag_ != "NNS":
            return None
        countries = self._of_countries(noun.tok) or self._plural_phrase(noun.tok)
        return [noun.mention(c) for c in countries] if len(countries) >= 2 else None

    def _state(self, noun: _Noun) -> list[Mention] | None:
        """"Kenya's government", "the Sudanese army"'s state; "the government", "the kingdom" (a
        monarchy): the country in focus, as a subject first, else the state in view."""
        tok, lemma = noun.tok, noun.lemma
        if lemma not in STATE_NOUNS or tok.tag_ not in ("NN", "NNS", "NNP"):
            return None
        country = self._country_modifier(tok)
        if country is None and lemma in STATE_BACK_NOUNS and noun.the:
            fits = (lambda a: a.type == "country" and self._is_monarchy(a)) if lemma == "kingdom" else (
                lambda a: a.type == "country")
            country = self._recent_subject(tok, fits) or self._recent(tok, fits)
            if country is None and lemma != "kingdom":
                country = self._state_in_view(tok)  # "Serbian students protested against the government"
        return [noun.mention(country)] if country is not None else []

    def _plural(self, noun: _Noun) -> list[Mention] | None:
        """A plural (or a body counted in members) whose phrase names its actors: "the two sides"."""
        if noun.tok.tag_ in ("NNS", "NNPS") or noun.lemma in COUNTABLE_BODIES:
            plural = self._plural_phrase(noun.tok)
            if plural:
                return [noun.mention(a) for a in plural]
        return None

    def _group_noun(self, noun: _Noun) -> list[Mention] | None:
        """A group noun ("troops", "police", "armed men", "officials"): whom its members act for, the
        group named before, the group of its owner, or a group of its own."""
        tok, lemma = noun.tok, noun.lemma
        group = next((group_nouns()[f"{m.lemma_.lower()} {lemma}"] for m in tok.lefts
                      if m.dep_ in ("amod", "compound") and f"{m.lemma_.lower()} {lemma}" in group_nouns()),
                     None) or group_nouns().get(lemma) or group_nouns().get(tok.lower_)  # "armed men"
        group_role = group.role if group else ""
        if group_role or lemma in ("representative", "member"):
            acting_for = [m for p in noun.children if p.dep_ == "prep" and p.lower_ == "of"
                          for pobj in p.children if pobj.dep_ == "pobj"
                          for t in (pobj, *pobj.conjuncts) for m in self._mentions_ahead(t)]
            if acting_for and not self._country_modifier(tok):
                return acting_for  # "representatives of Sudan's army and the RSF" act for them
        if group is None or not group_role:
            return None
        owner = self._country_modifier(tok) or self._owner_modifier(tok)
        definite = any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in noun.children)
        found = self._owned_group(noun, owner, group_role, definite)
        if found is not None:
            return found
        bare = not any(c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in noun.children)
        if noun.the or bare:  # "the police", or "Police said" after "Kenyan police": the group named before
            prior = self._recent(tok, lambda a: a.type == "group" and a.label.lower().endswith(tok.lower_))
            if prior is not None:
                return [noun.mention(prior)]
        if self._stands_alone(tok, group):
            # "Gunmen stormed ...", "police arrested ...", "freed the prisoners": a group of its
            # own, known by its words
            return [noun.mention(self._unowned_group(tok, group.role))]
        return None

    def _owned_group(self, noun: _Noun, owner: Actor | None, group_role: str, definite: bool
                     ) -> list[Mention] | None:
        """A group noun with an owner, or a definite one that takes up a group named before."""
        tok, lemma = noun.tok, noun.lemma
        if definite and lemma in OFFICIAL_KINDS:
            prior = self._recent(tok, lambda a: a.type == "group" and a.role == "GOV"
                                 and (owner is None or a.country == owner.country)
                                 and a.label.split()[-1].lower() in OFFICIAL_PLURALS)
            if prior is not None:
                # "North Korean officials who came back ..." then "the delegation's visit" and
                # "the North Korean delegation": one group, best named by its collective noun
                if lemma in COLLECTIVE and prior.label.split()[-1].lower() not in COLLECTIVE:
                    modifiers = " ".join(prior.label.split()[:-1])
                    self.preferred_labels[prior.id] = f"{modifiers} {tok.lemma_.lower()}".strip()
                return [noun.mention(prior)]
        if owner is None:
            return None
        if definite and lemma in ONE_OF_THEM:
            # "the Ukrainian and Russian ministers": the ministers of those countries named so far
            named = [self._recent(tok, lambda a, c=o.country: a.type == "person" and a.country == c)
                     for o in [owner, *(o for o, _ in self._co_owners(tok, owner))]]
            if all(named):
                return [noun.mention(p) for p in dict.fromkeys(named) if p is not None]
        others = self._co_owners(tok, owner)
        if others:  # "Indian and Chinese troops": two groups, one of each country
            pairs = [(owner, self._owner_word(tok, owner)), *others]
            return [noun.mention(self._group(tok, o, group_role, label=f"{w} {plural_form(tok)}")) for o, w in pairs]
        return [noun.mention(self._group(tok, owner, group_role))]

    @staticmethod
    def _stands_alone(tok: Token, group: GroupNoun) -> bool:
        """Whether a group noun with no owner names a group of its own: a standalone kind, armed men
        as a subject, an agent or a raid's doer, people acted upon."""
        # a subject, or one of several ("the government and Tigrayan forces signed")
        as_subject = tok.dep_ in SUBJECT_DEPS or tok.dep_ == "conj" and tok.head.dep_ in SUBJECT_DEPS
        return bool(group.standalone or group.role in ARMED_ROLES and (
            as_subject or tok.dep_ == "pobj" and tok.head.lower_ == "by"
            or tok.dep_ == "compound" and tok.head.lemma_.lower() in ENFORCEMENT_NOUNS)  # "a police raid"
            or group.role in PEOPLE_ROLES and (tok.dep_ in ("dobj", "nsubjpass") or (
                tok.dep_ == "pobj" and tok.head.lower_ in ("with", "against")) or (
                tok.dep_ == "pobj" and tok.head.lower_ == "of"  # "killing dozens of civilians"
                and (tok.head.head.lower_ in QUANTITY_NOUNS or tok.head.head.pos_ == "NUM"))))

    def _state_in_view(self, tok: Token) -> Actor | None:
        """The state "the government" means when no state was named: that of the last actor told
        with a country ("Serbian students"), else of the place named before it in its sentence
        ("marched in Belgrade")."""
        owned = self._recent(tok, lambda a: bool(a.country))
        if owned is not None:
            return self.gazetteer.country(owned.country)
        for place in reversed(tok.sent[:tok.i - tok.sent.start]):
            if place.ent_type_ in PLACE_LABELS and place.ent_iob_ == "B":
                ent = entity_of(place)
                country = self.gazetteer.place_country(span_text(ent)) if ent is not None else None
                if country is not None and country.type == "country":
                    return country
        return None

    def _counted_members(self, tok: Token) -> list[Mention]:
        """"thousands of protesters", "six of them": the members counted are the actors."""
        if tok.lower_ in QUANTITY_NOUNS or tok.pos_ == "NUM":
            for pobj in (g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                         for g in p.children if g.dep_ == "pobj"):
                start, end, text = self._np_span(tok)
                return [self._mention(start, end, text, m.actor) for m in self._mentions_ahead(pobj)]
        return []

    def _unowned_group(self, tok: Token, role: str) -> Actor:
        """A group that no country or organisation owns in the text: one per kind, labelled with
        its plain words ("gunmen", "opposition supporters")."""
        mods = sorted((t for m in tok.lefts if m.dep_ in ("amod", "compound") for t in m.subtree
                       if t.dep_ in ("amod", "compound") and not t.is_stop and t.pos_ in ("NOUN", "ADJ", "PROPN")
                       and not t.like_num), key=lambda t: t.i)  # "Pacific island nations"
        words = [m.text if m.text[:1].isupper() and (not m.is_sent_start or m.ent_type_ or m.pos_ == "PROPN")
                 else m.lower_ for m in mods]  # "Arab states", but "armed men" at a sentence's start
        key = f"group:unowned:{' '.join([*(m.lower_ for m in mods), tok.lemma_.lower()])}"
        if key not in self.local:  # one actor per kind; named by the words of its first mention
            label = " ".join([*words, tok.lower_])
            self.local[key] = Actor(id="group-" + slug(label), label=label, type="group", country="", role=role)
        return self.local[key]



class _Noun:
    """A common noun being resolved, and what every case of `Groups._common_noun` asks of it, read
    once: its lemma, children, whether "the" determines it, the role it names; its phrase's
    offsets and words only when a case names an actor with it."""

    def __init__(self, groups: Groups, tok: Token) -> None:
        self.groups = groups
        self.tok = tok
        self.lemma = tok.lemma_.lower()
        self.children = list(tok.children)
        self.the = any(c.dep_ == "det" and c.lower_ == "the" for c in self.children)
        self.role = groups._role_phrase(tok)
        self._span: tuple[int, int, str] | None = None

    def span(self) -> tuple[int, int, str]:
        if self._span is None:
            self._span = self.groups._np_span(self.tok)
        return self._span

    def mention(self, actor: Actor) -> Mention:
        return self.groups._mention(*self.span(), actor)
