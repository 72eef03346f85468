"""Common nouns to actors: role phrases, state nouns, group nouns with their owner (a country
or an organisation), groups of states, counted members, unowned groups."""
from __future__ import annotations

from spacy.tokens import Token

from kg.knowledge import group_nouns
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
        lemma = tok.lemma_.lower()
        phrase: list[tuple[int, int, str]] = []

        def span() -> tuple[int, int, str]:
            # the phrase's offsets and words, read only for the few nouns that name an actor
            if not phrase:
                phrase.append(self._np_span(tok))
            return phrase[0]

        def mention(actor: Actor) -> Mention:
            return self._mention(*span(), actor)

        children = list(tok.children)  # read once: the checks below come back to them
        the = any(c.dep_ == "det" and c.lower_ == "the" for c in children)
        named_in = [c for c in children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
        if self._role_phrase(tok):  # "President of <country> <name>", the name parsed as "of"'s object
            named_in += [g for p in children if p.dep_ == "prep" and p.lower_ == "of"
                         for g in p.children if g.dep_ == "pobj" and g.ent_type_ == "PERSON"]
        for appos in named_in:
            ent = entity_of(appos)
            person = self._named_actor(ent) if ent is not None else None
            if person is not None and person.type == "person":
                return [mention(person)]  # "Iran's foreign minister, Hossein ..."
        if the:
            contextual = self._contextual(tok.text, tok.i)  # "the agency", "the alliance"
            if contextual is not None:
                return [mention(contextual)]
        role = self._role_phrase(tok)
        if lemma == "counterpart":
            other = self._counterpart(tok)
            return [mention(other)] if other is not None else []
        if lemma in ORG_HEAD_NOUNS and tok.tag_ in ("NN", "NNP"):
            head = self._org_head(tok)
            country = self._country_modifier(tok) if head is None else None
            if head is None and country is not None and country.type == "country" and not role:
                kind = " ".join(t.lemma_.lower() for t in tok.lefts if t.dep_ == "compound" and not t.ent_type_)
                head = self._unnamed_holder(country, f"{kind} {lemma}".strip(), span()[2])  # "Pakistan's army chief"
            if head is not None:
                return [mention(head)]
        if lemma in ORG_BACK_NOUNS and the:
            org = self._recent(tok, lambda a: a.type == "organization" and a.role == "IGO")
            return [mention(org)] if org is not None else []
        if role and tok.tag_ in ("NNS", "NNPS"):
            # "the leaders of Ethiopia and Eritrea", "the foreign ministers of Chile, Peru and Bolivia";
            # a country whose office holder the gazetteer lacks stands for itself
            countries = self._of_countries(tok)
            if tok.dep_ == "conj" and tok.head.ent_type_ in PLACE_LABELS:  # "Japan, China foreign ministers"
                ent = entity_of(tok.head)
                head_country = self._named_actor(ent) if ent is not None else None
                if head_country is not None and head_country.type == "country" and head_country not in countries:
                    countries.insert(0, head_country)
            if len(countries) >= 2:
                people = [self._holder(c, ROLE_OFFICES[role], tok) or c for c in countries]
                return [mention(h) for h in dict.fromkeys(people)]
        if role and tok.tag_ in ("NN", "NNP"):
            country = self._country_modifier(tok)
            office = ROLE_OFFICES[role]
            holder = None
            if country is not None:
                holder = self._holder(country, office, tok)
            elif the or tok.i == tok.sent.start:
                holder = self._recent_office_holder(tok, office)
            if holder is None and country is not None and country.type == "country":
                holder = self._unnamed_holder(country, office, span()[2])  # "Chile's foreign minister"
            if holder is not None:
                return [mention(holder)]
            owner = self._owner_modifier(tok) if country is None else None
            if owner is not None and owner.type == "group":
                return [mention(owner)]  # "a senior Hamas commander": one of Hamas
            return []
        if (lemma in STATE_GROUP_NOUNS and tok.tag_ == "NNS" and self._country_modifier(tok) is None
                and not self._of_countries(tok) and not self._plural_phrase(tok)
                and any(t.dep_ in ("amod", "compound") and not t.is_stop and not t.like_num for t in tok.lefts)):
            # "Pacific island nations", "Western countries", "Arab states": a group of states
            return [mention(self._unowned_group(tok, "GOV"))]
        if lemma in STATE_NOUNS and tok.tag_ == "NNS":
            countries = self._of_countries(tok) or self._plural_phrase(tok)  # "the two governments"
            if len(countries) >= 2:
                return [mention(c) for c in countries]
        if lemma in STATE_NOUNS and tok.tag_ in ("NN", "NNS", "NNP"):
            country = self._country_modifier(tok)
            if country is None and lemma in STATE_BACK_NOUNS:
                if the:
                    # "the kingdom" is a monarchy; the country in focus as a subject first
                    fits = (lambda a: a.type == "country" and self._is_monarchy(a)) if lemma == "kingdom" else (
                        lambda a: a.type == "country")
                    country = self._recent_subject(tok, fits) or self._recent(tok, fits)
                    if country is None and lemma != "kingdom":
                        country = self._state_in_view(tok)  # "Serbian students protested against the government"
            if country is not None:
                return [mention(country)]
            return []
        if tok.tag_ in ("NNS", "NNPS") or lemma in COUNTABLE_BODIES:
            plural = self._plural_phrase(tok)
            if plural:
                return [mention(a) for a in plural]
        group = next((group_nouns()[f"{m.lemma_.lower()} {lemma}"] for m in tok.lefts
                      if m.dep_ in ("amod", "compound") and f"{m.lemma_.lower()} {lemma}" in group_nouns()),
                     None) or group_nouns().get(lemma) or group_nouns().get(tok.lower_)  # "armed men"
        group_role = group.role if group else ""
        if group_role or lemma in ("representative", "member"):
            acting_for = [m for p in children if p.dep_ == "prep" and p.lower_ == "of"
                          for pobj in p.children if pobj.dep_ == "pobj"
                          for t in (pobj, *pobj.conjuncts) for m in self._mentions_ahead(t)]
            if acting_for and not self._country_modifier(tok):
                return acting_for  # "representatives of Sudan's army and the RSF" act for them
        if group_role:
            owner = self._country_modifier(tok) or self._owner_modifier(tok)
            definite = any(c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS for c in children)
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
                    return [mention(prior)]
            if owner is not None and definite and lemma in ONE_OF_THEM:
                # "the Ukrainian and Russian ministers": the ministers of those countries named so far
                named = [self._recent(tok, lambda a, c=o.country: a.type == "person" and a.country == c)
                         for o in [owner, *(o for o, _ in self._co_owners(tok, owner))]]
                if all(named):
                    return [mention(p) for p in dict.fromkeys(named) if p is not None]
            if owner is not None:
                others = self._co_owners(tok, owner)
                if others:  # "Indian and Chinese troops": two groups, one of each country
                    pairs = [(owner, self._owner_word(tok, owner)), *others]
                    return [mention(
                                          self._group(tok, o, group_role, label=f"{w} {plural_form(tok)}"))
                            for o, w in pairs]
                return [mention(self._group(tok, owner, group_role))]
            bare = not any(c.dep_ in ("det", "amod", "compound", "nummod", "poss") for c in children)
            if the or bare:  # "the police", or "Police said" after "Kenyan police": the group named before
                prior = self._recent(tok, lambda a: a.type == "group" and a.label.lower().endswith(tok.lower_))
                if prior is not None:
                    return [mention(prior)]
            assert group is not None
            # a subject, or one of several ("the government and Tigrayan forces signed")
            as_subject = tok.dep_ in SUBJECT_DEPS or tok.dep_ == "conj" and tok.head.dep_ in SUBJECT_DEPS
            if (group.standalone or group.role in ARMED_ROLES and (
                    as_subject or tok.dep_ == "pobj" and tok.head.lower_ == "by"
                    or tok.dep_ == "compound" and tok.head.lemma_.lower() in ENFORCEMENT_NOUNS)  # "a police raid"
                    or group.role in PEOPLE_ROLES and (tok.dep_ in ("dobj", "nsubjpass") or (
                        tok.dep_ == "pobj" and tok.head.lower_ in ("with", "against")) or (
                        tok.dep_ == "pobj" and tok.head.lower_ == "of"  # "killing dozens of civilians"
                        and (tok.head.head.lower_ in QUANTITY_NOUNS or tok.head.head.pos_ == "NUM")))):
                # "Gunmen stormed ...", "police arrested ...", "freed the prisoners": a group of its
                # own, known by its words
                return [mention(self._unowned_group(tok, group.role))]
        return self._counted_members(tok)

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

