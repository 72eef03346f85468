"""Actor resolution: which real actor each noun phrase of an article names.

Within an article, names are linked to the gazetteer (with offices held on the publication
date), short names to the full name mentioned nearby ("Kim" -> Kim Jong-un), role phrases to
office holders ("the North's leader"), group phrases to group actors with their country
("North Korean officials"), and pronouns and plural phrases ("he", "the two leaders") to the
actors most recently in focus. Across articles the same actor keeps the same stable id.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.dates import resolve_date
from kg.knowledge import (
    Gazetteer,
    contextual_aliases,
    group_nouns,
    norm_name,
    word_groups,
    word_list,
    word_map,
    word_sequence,
)
from kg.records import Actor, Mention

_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
_PLACE_LABELS = {"GPE", "NORP", "LOC", "FAC"}  # what can name a country
#: Role nouns -> office names in the gazetteer.
ROLE_OFFICES = word_map("role_offices")
_ROLES_LONGEST_FIRST = sorted(ROLE_OFFICES, key=len, reverse=True)
_ROLES_WITH_OF = [(role, *role.split(" of ", 1)) for role in ROLE_OFFICES if " of " in role]
#: Offices that are each other's counterparts across countries.
EQUIVALENT_OFFICES = word_groups("equivalent_offices")
_HEAD_OF_STATE_FALLBACK = word_sequence("head_of_state_fallback")
#: Group nouns that stand for the state itself (CAMEO codes them as the country's government).
STATE_NOUNS = word_list("state_nouns")
ORG_HEAD_NOUNS = word_list("org_head_nouns")
_PLURAL_PERSON = word_list("plural_person")
_PLURAL_COUNTRY = word_list("plural_country")
_PRONOUNS_PERSON = word_map("pronouns_person")
_PRONOUNS_PLURAL = word_list("pronouns_plural")
_PRONOUNS_THING = word_list("pronouns_thing")
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
#: Agent roles whose unowned groups still act when they are the subject ("police arrested ..."):
#: the military, the police, the courts.
_ARMED_ROLES = {"MIL", "COP", "JUD"}
#: Agent roles of people acted upon who are actors even unowned ("freed the prisoners", "detained
#: activists"): civilians, the opposition, rebels and insurgents, refugees, police and courts.
_PEOPLE_ROLES = {"CVL", "OPP", "REB", "INS", "UAF", "SEP", "RAD", "CRM", "REF", "COP", "JUD", "MED", "EDU",
                 "HLH", "REL", "LAB"}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@dataclass
class _Seen:
    token_i: int
    sent_i: int
    actor: Actor
    subject: bool


@dataclass
class ArticleResolver:
    """Resolves noun phrases of one parsed article to actors, in reading order."""

    doc: Doc
    gazetteer: Gazetteer
    published: str
    by_head: dict[int, list[Mention]] = field(default_factory=dict)
    history: list[_Seen] = field(default_factory=list)
    local: dict[str, Actor] = field(default_factory=dict)  # actors first met in this article
    bare_titled: set[str] = field(default_factory=set)  # "President Trump", not "Chinese President Xi"
    preferred_labels: dict[str, str] = field(default_factory=dict)  # group id -> its collective name
    local_offices: dict[tuple[str, str], Actor] = field(default_factory=dict)  # (ISO3, office) -> holder

    def __post_init__(self) -> None:
        self._roles: dict[int, str] = {}  # token index -> the office its title names
        self._phrases: dict[int, list[Mention]] = {}  # token index -> the actors its phrase names
        self._dates: dict[int, str] = {}  # sentence index -> the date its titles are read at
        split_entities_at_verbs(self.doc)
        self._extend_names_to_their_head()
        self._tag_known_people()
        self._sent_of = {}
        for si, sent in enumerate(self.doc.sents):
            for tok in sent:
                self._sent_of[tok.i] = si
        self._persons_named: list[tuple[Span, Actor]] = []
        self._persons_named = self._collect_person_names()
        for ent, _ in self._persons_named:
            self._named_actor(ent)  # offices the article introduces people with, before titles are read
        for sent in self.doc.sents:
            for tok in sent:
                mentions = self._resolve_head(tok)
                if mentions:
                    self.by_head[tok.i] = mentions
                    for m in mentions:
                        self.history.append(_Seen(tok.i, self._sent_of[tok.i], m.actor,
                                                  tok.dep_ in _SUBJECT_DEPS))

    def _extend_names_to_their_head(self) -> None:
        """A person's name the NER cut short ("Afioga Fiame" of "Afioga Fiame Naomi Mataafa") runs on
        to the proper noun that heads it, over untagged proper nouns only."""
        doc, spans, changed = self.doc, [], False
        for ent in doc.ents:
            head = _np_head(ent)
            if (ent.label_ == "PERSON" and head.i >= ent.end and not ent.ent_id_
                    and all(t.pos_ == "PROPN" and not t.ent_type_ for t in doc[ent.end:head.i + 1])):
                spans.append(Span(doc, ent.start, head.i + 1, label="PERSON"))
                changed = True
            else:
                spans.append(ent)
        if changed:
            doc.ents = spans
            doc.user_data.pop("kg_entity_index", None)

    def _tag_known_people(self) -> None:
        """Runs of proper nouns the NER left untagged that spell a known person's name, however
        transliterated ("Kassym-Jomart Tokayev thanked ..."), become that person's entity."""
        doc, spans = self.doc, list(self.doc.ents)
        # one pass: untagged proper nouns, joined across hyphens written without spaces
        free = [not t.ent_type_ and (t.pos_ == "PROPN" or t.text == "-" and i > 0 and not doc[i - 1].whitespace_)
                for i, t in enumerate(doc)]
        runs, start = [], None
        for i, ok in enumerate([*free, False]):
            if ok and start is None:
                start = i
            elif not ok and start is not None:
                runs.append((start, i))
                start = None
        for i, j in runs:
            while i < j and doc[i].pos_ != "PROPN":
                i += 1
            while j > i and doc[j - 1].pos_ != "PROPN":
                j -= 1
            if j - i >= 2:
                text = doc[i:j].text
                person = self.gazetteer.lookup(text) or self.gazetteer.variant(text)
                if person is not None and person.type == "person":
                    spans.append(Span(doc, i, j, label="PERSON", kb_id=person.id))
        if len(spans) > len(doc.ents):
            doc.ents = sorted(spans, key=lambda e: e.start)
            doc.user_data.pop("kg_entity_index", None)

    # ---- public -------------------------------------------------------------------------
    def mentions(self, tok: Token) -> list[Mention]:
        """The actors named by the noun phrase headed by `tok`: the head, its conjuncts, and names
        the parser hung inside the phrase ("President Macron and Chinese President Xi Jinping").
        Extraction asks this of the same phrases many times; the answer is fixed once resolved."""
        found = self._phrases.get(tok.i)
        if found is None:
            found = self._phrases[tok.i] = self._phrase_mentions(tok)
        return list(found)

    def _phrase_mentions(self, tok: Token) -> list[Mention]:
        out = list(self.by_head.get(tok.i, []))
        for conj in tok.conjuncts:
            if conj.i > tok.i:
                out.extend(m for m in self.by_head.get(conj.i, []) if m not in out)
        has_and = any(t.dep_ == "cc" for t in tok.subtree)
        for t in tok.subtree:
            if t.i == tok.i or t.i not in self.by_head or not has_and:
                continue
            path, cur = [], t
            while cur.i != tok.i and cur.head.i != cur.i:
                path.append(cur.dep_)
                cur = cur.head
            if cur.i == tok.i and all(d in ("conj", "dep", "nmod", "appos", "npadvmod") for d in path):
                out.extend(m for m in self.by_head[t.i] if m not in out)
        # "Armenia, Azerbaijan leaders": the leaders, not also the countries they lead
        led = {m.actor.country for m in out if m.actor.type == "person"}
        return [m for m in out if not (m.actor.type == "country" and m.actor.country in led)]

    def place_mentions(self, tok: Token) -> list[Mention]:
        """The country a place stands in, as the host of a visit ("arrived in Washington")."""
        ent = entity_of(tok)
        if ent is None:
            return []
        actor = self.gazetteer.lookup(ent.text)
        if actor is None or actor.type != "country":
            actor = self.gazetteer.place_country(ent.text)  # "in Aleppo": in Syria
        if actor is not None and actor.type == "country":
            return [self._mention(ent.start_char, ent.end_char, ent.text, actor)]
        return []

    def demonym_mentions(self, tok: Token, *, modifier_only: bool = False) -> list[Mention]:
        """The country of a demonym modifier ("Chinese" in "Chinese imports"), as a weak mention."""
        cands = [tok] if modifier_only else [c for c in tok.subtree if c.dep_ in ("amod", "compound")]
        for c in cands:
            if c.dep_ in ("amod", "compound") and (c.ent_type_ == "NORP" or c.text[:1].isupper()):
                actor = self.gazetteer.demonym(c.text)
                if actor is not None:
                    return [self._mention(c.idx, c.idx + len(c.text), c.text, actor)]
        return []

    def actors(self) -> list[Actor]:
        seen: dict[str, Actor] = {}
        for ms in self.by_head.values():
            for m in ms:
                seen.setdefault(m.actor.id, m.actor)
        return list(seen.values())

    # ---- named entities -----------------------------------------------------------------
    def _collect_person_names(self) -> list[tuple[Span, Actor]]:
        out = []
        for ent in self.doc.ents:
            if ent.label_ not in ("PERSON", "ORG") or len(ent) < 2 and not ent.ent_id_:
                continue
            actor = self._named_actor(ent, allow_short=False)
            if actor is not None and actor.type == "person":
                out.append((ent, actor))
        return out

    def _named_actor(self, ent: Span, *, allow_short: bool = True) -> Actor | None:
        gaz = self.gazetteer
        if ent.ent_id_ and ent.ent_id_ in gaz.actors:
            return self._with_office_learnt(ent, gaz.actors[ent.ent_id_])
        text = _strip_titles(ent.text)
        if not text:
            return None
        words = text.split()
        if allow_short and len(words) == 1 and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            # A short name means the person named in full elsewhere in the article.
            best = None
            for full, actor in self._persons_named:
                if words[0] in actor.label.replace("-", " ").split() or words[0] in full.text.split():
                    if best is None or abs(full.start - ent.start) < abs(best[0].start - ent.start):
                        best = (full, actor)
            if best:
                return best[1]
        known = gaz.lookup(text) or gaz.lookup(ent.text) or self._contextual(ent.text, ent.start) or (
            gaz.variant(text) if not _looks_like_organization(text) and all(
                t.pos_ == "PROPN" or t.is_punct for t in ent) else None)  # a person's name however tagged
        if known is not None:
            return self._with_office_learnt(ent, known)
        if ent.label_ == "NORP":
            demonym_of = gaz.demonym(text)
            if demonym_of is None and text.endswith("s") and ent.root.tag_ == "NNPS" and ent.root.dep_ != "amod":
                people_of = gaz.demonym(text[:-1])  # "freed ten Americans": a group of that country's people
                if people_of is not None:
                    return self.local_actor("group", text, country=people_of.country, role="CVL")
            return demonym_of
        if ent.label_ == "PERSON" and text[:1].isupper() and len(words) >= 2 or self._titled_name(ent, words):
            # one unknown word tagged PERSON ("Fukushima water") is too often not a person
            country, role = self._name_country(ent)
            actor = self.local_actor("person", text, country=country, role=role)
            if country:
                self._learn_office(ent, actor)
            return actor
        if ent.label_ == "ORG" and _looks_like_organization(text):
            country, _ = self._name_country(ent)  # "Iran's Ministry of Intelligence"
            poss = next((c for c in ent.root.children if c.dep_ == "poss" and c.i < ent.start), None)
            if country and text[:1].islower() and poss is not None:
                text = self.doc[poss.left_edge.i:ent.end].text  # "South Korea's unification ministry"
            return self.local_actor("organization", text, country=country, role="GOV" if country else "")
        return None

    def _contextual(self, text: str, at: int) -> Actor | None:
        """A name that means an actor only once the article has named it or its pair ("the North"
        after "South Korea"; "the agency" after the IAEA)."""
        found = contextual_aliases().get(norm_name(text))
        if found is None:
            return None
        actor_id, licensed_by = found
        if any(seen.token_i < at and seen.actor.id in licensed_by for seen in self.history):
            return self.gazetteer.actors.get(actor_id)
        return None

    def _titled_name(self, ent: Span, words: list[str]) -> bool:
        """A proper name right after a person's title is a person, whatever label the NER gave it
        ("President Kassym-Jomart Tokayev" tagged ORG)."""
        before = ent.doc[ent.start - 1] if ent.start > 0 else None
        return (before is not None and before.lower_ in _TITLE_WORDS and len(words) >= 2
                and all(t.pos_ == "PROPN" or t.is_punct for t in ent) and not _looks_like_organization(ent.text))

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
            label = label or _group_label(tok) or f"{owner.label} {_plural(tok)}"
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

    def local_actor(self, type_: str, label: str, *, country: str = "", role: str = "") -> Actor:
        """An actor first met in this article (not in the gazetteer), one per type and name."""
        key = f"{type_}:{norm_name(label)}"
        if key not in self.local:
            prefix = {"person": "", "organization": "org-", "group": "group-", "facility": "facility-"}[type_]
            self.local[key] = Actor(id=prefix + slug(label), label=label, type=type_, country=country, role=role)
        return self.local[key]

    # ---- per-token resolution -----------------------------------------------------------
    def _resolve_head(self, tok: Token) -> list[Mention]:
        if is_place(tok):
            return []  # "signed in Doha", "at the G7 summit in Hiroshima, Japan": where, not who
        if tok.dep_ == "appos" and tok.head.i in self.by_head and tok.pos_ == "NOUN":
            return []  # "Zalmay Khalilzad, America's special envoy": the same person
        if tok.dep_ in ("compound", "amod") and tok.head.i > tok.i and (
                tok.head.ent_type_ == "PERSON" or self._role_phrase(tok.head)):
            return []  # "U.S." and "President" in "U.S. President Donald Trump": parts of one name
        if tok.ent_type_ in _NAME_LABELS and tok.ent_iob_ in ("B", "I"):
            ent = entity_of(tok)
            if ent is not None and _np_head(ent) == tok:
                actor = self._named_actor(ent)
                if actor is not None:
                    if actor.type == "country" and ent.label_ == "NORP" and tok.dep_ in ("amod", "compound"):
                        return []  # "North Korean" in "North Korean officials": a modifier
                    if tok.dep_ == "poss" and actor.type == "country" and tok.head.lemma_.lower() in ROLE_OFFICES:
                        return []  # "the North's leader": the leader is the mention
                    if actor.type == "person" and _bare_title(ent):
                        self.bare_titled.add(actor.id)
                    return [self._mention(ent.start_char, ent.end_char, ent.text, actor)]
            if tok.pos_ == "PROPN":
                return []
        if (tok.pos_ in ("PROPN", "NOUN", "ADJ") and not tok.ent_type_ and tok.text[:1].isupper()
                and tok.dep_ != "compound" and len(tok.text) > 2):
            # a known name the statistical NER missed ("Modi arrived ...")
            actor = self.gazetteer.lookup(tok.text)
            if actor is not None and actor.type in ("person", "organization", "group"):
                return [self._mention(tok.idx, tok.idx + len(tok.text), tok.text, actor)]
            if not (tok.pos_ == "NOUN" and tok.is_sent_start or self._role_phrase(tok)):
                return []  # read on: a noun opening a sentence ("Police said") or a title ("the Kazakh President")
        if tok.pos_ == "PRON":
            return self._pronoun(tok)
        if tok.pos_ in ("NOUN", "PROPN"):
            return self._common_noun(tok)
        if tok.pos_ == "NUM" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj"):
            return self._counted_members(tok, *self._np_span(tok))
        return []

    def _mention(self, start: int, end: int, text: str, actor: Actor) -> Mention:
        return Mention(text=text, start=start, end=end, actor=actor)

    def _np_span(self, tok: Token) -> tuple[int, int, str]:
        # lefts come in text order: the first that belongs to the phrase opens it
        start_tok = next((t for t in tok.lefts if t.dep_ in ("det", "amod", "compound", "poss", "nummod", "case")
                          or t.ent_type_), tok)
        start, end = start_tok.idx, tok.idx + len(tok.text)
        return start, end, doc_text(self.doc)[start:end]

    def _country_modifier(self, tok: Token) -> Actor | None:
        """The country a common noun belongs to: "U.S. officials", "the North's leader",
        "foreign minister of New Zealand", "Ukraine's Dmytro Kuleba"."""
        for child in tok.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                ent = entity_of(child)
                if ent is not None and ent.label_ in _PLACE_LABELS:
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
                    continue
                if child.dep_ == "poss":
                    ms = self.by_head.get(child.i, [])
                    if ms and ms[0].actor.type == "country":
                        return ms[0].actor
            if child.dep_ == "prep" and child.lower_ in ("of", "in"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        ent = entity_of(pobj)
                        if ent is not None and ent.label_ in _PLACE_LABELS:
                            actor = self._named_actor(ent)
                            if actor is None or actor.type != "country":
                                actor = self.gazetteer.place_country(ent.text)  # "police in Lagos"
                            if actor is not None and actor.type == "country":
                                return actor
                        if ent is None and child.lower_ == "of" and self._role_phrase(tok):
                            inner = self._country_modifier(pobj)  # "Head of State of Kazakhstan"
                            if inner is not None:
                                return inner
        return None

    def _role_phrase(self, tok: Token) -> str:
        """The office a title noun names ("foreign minister", "head of state"), or ""."""
        cached = self._roles.get(tok.i)
        if cached is None:
            cached = self._roles[tok.i] = self._read_role_phrase(tok)
        return cached

    def _read_role_phrase(self, tok: Token) -> str:
        lemma = tok.lemma_.lower()
        compounds = " ".join(t.lower_ for t in tok.lefts if t.dep_ in ("compound", "amod") and not t.ent_type_)
        phrase = f"{compounds} {lemma}".strip()
        for role in _ROLES_LONGEST_FIRST:
            if phrase.endswith(role):
                return role
        for role, head, rest in _ROLES_WITH_OF:  # "secretary of state", "head of state": "of" completes the title
            if lemma == head and any(c.lower_ == "of" and any(g.lower_ == rest for g in c.children)
                                     for c in tok.children):
                return role
        return ""

    def _common_noun(self, tok: Token) -> list[Mention]:
        lemma = tok.lemma_.lower()
        start, end, text = self._np_span(tok)
        named_in = [c for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
        if self._role_phrase(tok):  # "President of Uzbekistan Shavkat Mirziyoyev", the name parsed as "of"'s object
            named_in += [g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                         for g in p.children if g.dep_ == "pobj" and g.ent_type_ == "PERSON"]
        for appos in named_in:
            ent = entity_of(appos)
            person = self._named_actor(ent) if ent is not None else None
            if person is not None and person.type == "person":
                return [self._mention(start, end, text, person)]  # "Iran's foreign minister, Hossein ..."
        if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            contextual = self._contextual(tok.text, tok.i)  # "the agency", "the alliance"
            if contextual is not None:
                return [self._mention(start, end, text, contextual)]
        role = self._role_phrase(tok)
        if lemma == "counterpart":
            other = self._counterpart(tok)
            return [self._mention(start, end, text, other)] if other is not None else []
        if lemma in ORG_HEAD_NOUNS and tok.tag_ in ("NN", "NNP"):
            head = self._org_head(tok)
            country = self._country_modifier(tok) if head is None else None
            if head is None and country is not None and country.type == "country" and not role:
                kind = " ".join(t.lemma_.lower() for t in tok.lefts if t.dep_ == "compound" and not t.ent_type_)
                head = self._unnamed_holder(country, f"{kind} {lemma}".strip(), text)  # "Pakistan's army chief"
            if head is not None:
                return [self._mention(start, end, text, head)]
        if lemma in _ORG_BACK_NOUNS and any(
                c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            org = self._recent(tok, lambda a: a.type == "organization" and a.role == "IGO")
            return [self._mention(start, end, text, org)] if org is not None else []
        if role and tok.tag_ in ("NNS", "NNPS"):
            # "the leaders of Ethiopia and Eritrea", "the foreign ministers of Chile, Peru and Bolivia";
            # a country whose office holder the gazetteer lacks stands for itself
            countries = self._of_countries(tok)
            if tok.dep_ == "conj" and tok.head.ent_type_ in _PLACE_LABELS:  # "Japan, China foreign ministers"
                ent = entity_of(tok.head)
                head_country = self._named_actor(ent) if ent is not None else None
                if head_country is not None and head_country.type == "country" and head_country not in countries:
                    countries.insert(0, head_country)
            if len(countries) >= 2:
                people = [self._holder(c, ROLE_OFFICES[role], tok) or c for c in countries]
                return [self._mention(start, end, text, h) for h in dict.fromkeys(people)]
        if role and tok.tag_ in ("NN", "NNP"):
            country = self._country_modifier(tok)
            office = ROLE_OFFICES[role]
            holder = None
            if country is not None:
                holder = self._holder(country, office, tok)
            elif any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or tok.i == tok.sent.start:
                holder = self._recent_office_holder(tok, office)
            if holder is None and country is not None and country.type == "country":
                holder = self._unnamed_holder(country, office, text)  # "Chile's foreign minister"
            if holder is not None:
                return [self._mention(start, end, text, holder)]
            return []
        if (lemma in _STATE_GROUP_NOUNS and tok.tag_ == "NNS" and self._country_modifier(tok) is None
                and not self._of_countries(tok) and not self._plural_phrase(tok)
                and any(t.dep_ in ("amod", "compound") and not t.is_stop and not t.like_num for t in tok.lefts)):
            # "Pacific island nations", "Western countries", "Arab states": a group of states
            return [self._mention(start, end, text, self._unowned_group(tok, "GOV"))]
        if lemma in STATE_NOUNS and tok.tag_ == "NNS":
            countries = self._of_countries(tok) or self._plural_phrase(tok)  # "the two governments"
            if len(countries) >= 2:
                return [self._mention(start, end, text, c) for c in countries]
        if lemma in STATE_NOUNS and tok.tag_ in ("NN", "NNS", "NNP"):
            country = self._country_modifier(tok)
            if country is None and lemma in _STATE_BACK_NOUNS:
                if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                    # "the kingdom" is a monarchy; the country in focus as a subject first
                    fits = (lambda a: a.type == "country" and self._is_monarchy(a)) if lemma == "kingdom" else (
                        lambda a: a.type == "country")
                    country = self._recent_subject(tok, fits) or self._recent(tok, fits)
            if country is not None:
                return [self._mention(start, end, text, country)]
            return []
        if tok.tag_ in ("NNS", "NNPS") or lemma in _COUNTABLE_BODIES:
            plural = self._plural_phrase(tok)
            if plural:
                return [self._mention(start, end, text, a) for a in plural]
        group = next((group_nouns()[f"{m.lemma_.lower()} {lemma}"] for m in tok.lefts
                      if m.dep_ in ("amod", "compound") and f"{m.lemma_.lower()} {lemma}" in group_nouns()),
                     None) or group_nouns().get(lemma) or group_nouns().get(tok.lower_)  # "armed men"
        group_role = group.role if group else ""
        if group_role or lemma in ("representative", "member"):
            acting_for = [m for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                          for pobj in p.children if pobj.dep_ == "pobj"
                          for t in (pobj, *pobj.conjuncts) for m in self._mentions_ahead(t)]
            if acting_for and not self._country_modifier(tok):
                return acting_for  # "representatives of Sudan's army and the RSF" act for them
        if group_role:
            owner = self._country_modifier(tok) or self._owner_modifier(tok)
            definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE_DETERMINERS for c in tok.children)
            if definite and lemma in _OFFICIAL_KINDS:
                prior = self._recent(tok, lambda a: a.type == "group" and a.role == "GOV"
                                     and (owner is None or a.country == owner.country)
                                     and a.label.split()[-1].lower() in _OFFICIAL_PLURALS)
                if prior is not None:
                    # "North Korean officials who came back ..." then "the delegation's visit" and
                    # "the North Korean delegation": one group, best named by its collective noun
                    if lemma in _COLLECTIVE and prior.label.split()[-1].lower() not in _COLLECTIVE:
                        modifiers = " ".join(prior.label.split()[:-1])
                        self.preferred_labels[prior.id] = f"{modifiers} {tok.lemma_.lower()}".strip()
                    return [self._mention(start, end, text, prior)]
            if owner is not None and definite and lemma in _ONE_OF_THEM:
                # "the Ukrainian and Russian ministers": the ministers of those countries named so far
                named = [self._recent(tok, lambda a, c=o.country: a.type == "person" and a.country == c)
                         for o in [owner, *(o for o, _ in self._co_owners(tok, owner))]]
                if all(named):
                    return [self._mention(start, end, text, p) for p in dict.fromkeys(named) if p is not None]
            if owner is not None:
                others = self._co_owners(tok, owner)
                if others:  # "Indian and Chinese troops": two groups, one of each country
                    pairs = [(owner, self._owner_word(tok, owner)), *others]
                    return [self._mention(start, end, text,
                                          self._group(tok, o, group_role, label=f"{w} {_plural(tok)}"))
                            for o, w in pairs]
                return [self._mention(start, end, text, self._group(tok, owner, group_role))]
            if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                prior = self._recent(tok, lambda a: a.type == "group" and a.label.lower().endswith(tok.lower_))
                if prior is not None:
                    return [self._mention(start, end, text, prior)]
            assert group is not None
            if (group.standalone or group.role in _ARMED_ROLES and (
                    tok.dep_ in _SUBJECT_DEPS or tok.dep_ == "pobj" and tok.head.lower_ == "by"
                    or tok.dep_ == "compound" and tok.head.lemma_.lower() in _ENFORCEMENT_NOUNS)  # "a police raid"
                    or group.role in _PEOPLE_ROLES and (tok.dep_ in ("dobj", "nsubjpass") or (
                        tok.dep_ == "pobj" and tok.head.lower_ in ("with", "against")) or (
                        tok.dep_ == "pobj" and tok.head.lower_ == "of"  # "killing dozens of civilians"
                        and (tok.head.head.lower_ in _QUANTITY_NOUNS or tok.head.head.pos_ == "NUM")))):
                # "Gunmen stormed ...", "police arrested ...", "freed the prisoners": a group of its
                # own, known by its words
                return [self._mention(start, end, text, self._unowned_group(tok, group.role))]
        return self._counted_members(tok, start, end, text)

    def _counted_members(self, tok: Token, start: int, end: int, text: str) -> list[Mention]:
        """"thousands of protesters", "six of them": the members counted are the actors."""
        if tok.lower_ in _QUANTITY_NOUNS or tok.pos_ == "NUM":
            for pobj in (g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                         for g in p.children if g.dep_ == "pobj"):
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

    def _plural_phrase(self, tok: Token) -> list[Actor]:
        """"the two leaders", "both sides", "the two countries": the last pair in focus."""
        lemma = tok.lemma_.lower()
        counted = any(c.lower_ in ("two", "both", "2") for c in tok.children) or tok.lower_ in ("koreas",)
        if not counted:
            return []
        if lemma in _PLURAL_PERSON:
            return self._recent_pair(tok, lambda a: a.type == "person")
        if lemma in _PLURAL_COUNTRY or tok.lower_ == "koreas":
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
        for seen in reversed(self.history):
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
        for seen in reversed(self.history):
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

    def _is_monarchy(self, country: Actor) -> bool:
        return any(o.country == country.country and o.office in _MONARCH_OFFICES for o in self.gazetteer.offices)

    def _recent_subject(self, tok: Token, ok) -> Actor | None:
        sent_i = self._sent_of[tok.i]
        for seen in reversed(self.history):
            if seen.token_i < tok.i and seen.subject and sent_i - seen.sent_i <= 3 and ok(seen.actor):
                return seen.actor
        return None

    def _recent(self, tok: Token, ok) -> Actor | None:
        for seen in reversed(self.history):
            if seen.token_i < tok.i and ok(seen.actor):
                return seen.actor
        return None

    def _name_country(self, ent: Span) -> tuple[str, str]:
        """Country and role of a person or body the gazetteer does not know, from the phrase
        around the name: "Iranian negotiator Ali Bagheri", "Iran's chief negotiator, Ali Bagheri"."""
        head = ent.root
        holders = [head] + ([head.head] if head.dep_ in ("appos", "compound") else [])
        holders += [c for c in head.children if c.dep_ in ("compound", "appos") and c.pos_ == "NOUN"]
        for tok in holders:
            if tok.i >= ent.start and tok.i < ent.end and tok.i != head.i:
                continue
            country = self._country_modifier(tok)
            if country is None:
                for c in tok.children:
                    if c.dep_ in ("compound", "amod") and c.pos_ == "NOUN" and c.i < ent.start:
                        country = self._country_modifier(c)
                        if country is not None:
                            break
            if country is not None:
                return country.country, "GOV"
        return "", ""

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

    def _mentions_ahead(self, tok: Token) -> list[Mention]:
        """Mentions of a phrase later in the sentence than the one being resolved."""
        return self.by_head[tok.i] if tok.i in self.by_head else self._resolve_head(tok)

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
            self._dates[si] = next((when for ent in tok.sent.ents if ent.label_ == "DATE"
                                    for when in [resolve_date(ent.text, self.published)]
                                    if when and (not self.published or when < self.published[:len(when)])),
                                   self.published)
        return self._dates[si]

    def _holder(self, country: Actor, office: str, at: Token | None = None) -> Actor | None:
        """Who holds `office` in `country`: as the article itself introduced them ("Kazakh President
        Kassym-Jomart Tokayev"), else as the gazetteer knows on the publication date."""
        for name in (office, *(_HEAD_OF_STATE_FALLBACK if office == "leader" else ())):
            holder = self.local_offices.get((country.country, name)) or self.gazetteer.holder(
                country.country, name, self._date_at(at) if at is not None else self.published)
            if holder is not None:
                return holder
        return None

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
        spelling of their full name ("Mirziyoyev", where the dictionary has "Mirziyayev")."""
        if actor.type == "person" and actor.country and not self.gazetteer.offices_of(actor.id):
            self._learn_office(ent, actor)
        written = _strip_titles(ent.text)
        if (actor.id in self.gazetteer.generated and actor.type == "person" and len(written.split()) >= 2
                and norm_name(written) != norm_name(actor.label)):
            self.preferred_labels.setdefault(actor.id, written)
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
                actor = self._named_actor(ent) if ent is not None and ent.label_ in _PLACE_LABELS else None
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

    def _pronoun(self, tok: Token) -> list[Mention]:
        low = tok.lower_
        span = (tok.idx, tok.idx + len(tok.text), tok.text)
        if low in _PRONOUNS_PERSON:
            gender = _PRONOUNS_PERSON[low]
            actor = self._antecedent(tok, lambda a: a.type == "person"
                                     and self.gazetteer.genders.get(a.id, gender) == gender)
            return [self._mention(*span, actor)] if actor else []
        if low in _PRONOUNS_THING:
            if self._thing_in_focus(tok):
                return []  # "The agreement provides ... It also calls for ...": it is the agreement
            actor = self._antecedent(tok, lambda a: a.type in ("country", "organization") or (
                a.type == "group" and not a.id.startswith("group-")))  # a named armed group: "Hamas said it"
            return [self._mention(*span, actor)] if actor else []
        if low in _PRONOUNS_PLURAL:
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
            if t.dep_ in _SUBJECT_DEPS and t.pos_ in ("NOUN", "PROPN"):
                return t.i not in self.by_head
        return False

    def _plural_focus(self, tok: Token) -> list[Actor]:
        """"their", "they": two people named earlier in the same sentence ("he might strike a deal
        with Xi during their meeting"), else the last phrase naming several actors, in this or the
        last two sentences."""
        sent_i = self._sent_of[tok.i]
        same = list(dict.fromkeys(s.actor for s in self.history
                                  if s.sent_i == sent_i and s.token_i < tok.i and s.actor.type == "person"))
        if len(same) >= 2:
            return same[-2:]
        by_token: dict[int, list[Actor]] = {}
        for seen in self.history:
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
            # "In his New Year message, Kim warned ...": a possessive before the subject points ahead.
            for t in sent:
                if t.i > tok.i and t.dep_ in _SUBJECT_DEPS:
                    ms = [m for m in self._resolve_ahead(t) if ok(m)]
                    if ms:
                        return ms[0]
        bound = self._clause_subject_ids(tok) if tok.dep_ in ("dobj", "pobj", "dative", "iobj") else set()
        for seen in reversed(self.history):
            if (seen.token_i < tok.i and seen.subject and sent_i - seen.sent_i <= 2 and ok(seen.actor)
                    and seen.actor.id not in bound):
                return seen.actor
        for seen in reversed(self.history):
            if seen.token_i < tok.i and ok(seen.actor) and seen.actor.id not in bound:
                return seen.actor
        return None

    def _clause_subject_ids(self, tok: Token) -> set[str]:
        """A pronoun object never means its own clause's subject ("Moon told him": not Moon)."""
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            return set()
        while verb.dep_ == "conj" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            verb = verb.head  # "X congratulated Y and thanked him": X's clause
        subj = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        return {m.actor.id for m in self.by_head.get(subj.i, [])} if subj is not None else set()

    def _resolve_ahead(self, tok: Token) -> list[Actor]:
        ent = entity_of(tok)
        if ent is not None:
            actor = self._named_actor(ent)
            return [actor] if actor else []
        return []


_LOCATIVE_PREPS = word_list("place_preps")


def is_place(tok: Token) -> bool:
    """A country or city named as the place of something, not as an actor."""
    if tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG"):
        return False
    head = tok
    while head.dep_ in ("compound", "appos", "conj") and head.head.i != head.i:
        head = head.head
    if head.dep_ != "pobj" or head.head.lower_ not in _LOCATIVE_PREPS:
        return False
    governor = head.head.head
    # "the government in Kabul", "officials in Washington": the city names whose they are
    return not (governor.pos_ == "NOUN" and (governor.lemma_.lower() in STATE_NOUNS or
                                             governor.lemma_.lower() in group_nouns()))


def split_entities_at_verbs(doc: Doc) -> Doc:
    """The small NER model sometimes runs one entity over a whole clause ("Biden met Modi" as one
    ORG): a name never contains a finite verb, so such an entity is cut at its verbs, and the
    capitalised pieces on either side stay entities of the same label."""
    if doc.user_data.get("kg_entities_split"):
        return doc
    doc.user_data["kg_entities_split"] = True
    ents = []
    changed = False
    for ent in doc.ents:
        verbs = [t.i for t in ent if t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP")]
        if not verbs or ent.ent_id_:
            ents.append(ent)
            continue
        changed = True
        start = ent.start
        for cut in [*verbs, ent.end]:
            if cut > start and doc[start].text[:1].isupper():
                ents.append(Span(doc, start, cut, label=ent.label_))
            start = cut + 1
    if changed:
        doc.ents = ents
        doc.user_data.pop("kg_entity_index", None)
    return doc


def relabel(mentions: list, labels: dict[str, str]) -> list:
    """Give group actors the name the article settled on (see `preferred_labels`), keeping
    their first name as an alias."""
    if not labels:
        return mentions
    from dataclasses import replace

    def fix(m: Mention | None) -> Mention | None:
        if m is None or m.actor.id not in labels:
            return m
        aliases = tuple(dict.fromkeys((*m.actor.aliases, m.actor.label)))
        actor = replace(m.actor, label=labels[m.actor.id], aliases=aliases)
        return replace(m, actor=actor)

    return [replace(e, agent=fix(e.agent), target=fix(e.target)) for e in mentions]


def doc_text(doc: Doc) -> str:
    """The document's text, joined once: `Doc.text` rebuilds it from every token on each call."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def entity_of(tok: Token) -> Span | None:
    """The named entity a token is part of. Resolution asks this for nearly every token, so
    the token -> entity index is built once per document (after the pipeline has run)."""
    if not tok.ent_type_:
        return None
    index = tok.doc.user_data.get("kg_entity_index")
    if index is None:
        index = {i: ent for ent in tok.doc.ents for i in range(ent.start, ent.end)}
        tok.doc.user_data["kg_entity_index"] = index
    return index.get(tok.i)


def _np_head(ent: Span) -> Token:
    """The token heading the noun phrase a name stands in: the entity root, or the proper noun the
    NER left outside it ("Xi" in "President Xi Jinping" when the ruler matched "President Xi")."""
    head = ent.root
    while (head.dep_ in ("compound", "flat") and head.head.i > head.i and head.head.pos_ == "PROPN"
           and not head.head.ent_type_):
        head = head.head
    return head


_TITLES = re.compile(r"^(?:(?:u\.?s\.?|gen\.|secretary(?: of state)?|"
                     + "|".join(re.escape(w) for w in sorted(word_list("title_prefixes"), key=len, reverse=True))
                     + r")\.?\s+)+", re.I)


_TITLE_WORDS = word_list("title_words")


def _bare_title(ent: Span) -> bool:
    """True for a title with no nationality before it ("President Trump"): reporters give their
    own country's leaders bare titles and qualify foreign ones ("Chinese President Xi")."""
    i = ent.start - 1
    titled = False
    while i >= 0 and ent.doc[i].lower_ in _TITLE_WORDS:
        titled = True
        i -= 1
    return titled and (i < 0 or ent.doc[i].ent_type_ not in ("NORP", "GPE"))


def _strip_titles(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    return _TITLES.sub("", text).strip()


_ORG_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(word_list("organisation_words"))) + r")\b",
                        re.I)
_THING_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(word_list("thing_words"))) + r")\b", re.I)


def _looks_like_organization(text: str) -> bool:
    """Unknown ORG entities are actors only when they look like one: an acronym, or a name with an
    organisation word; the small model also tags towns, people and events as ORG."""
    if _looks_like_thing(text):
        return False
    return bool(re.fullmatch(r"[A-Z][A-Z&.-]{1,9}", text)) or bool(_ORG_WORDS.search(text))


def _looks_like_thing(text: str) -> bool:
    return bool(_THING_WORDS.search(text))


def _group_label(tok: Token) -> str:
    """"North Korean officials", "U.S. military officials", "Sudan's army": the modifiers as
    written (no article or number) and the noun in the plural."""
    mods = [t for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.pos_ not in ("NUM", "PRON")
            and not (t.is_stop and t.dep_ == "amod")]  # not "other" or "several"
    if not mods:
        return ""
    words = sorted({w for m in mods for w in m.subtree if w.pos_ not in ("DET", "NUM", "PUNCT")}, key=lambda t: t.i)
    text = "".join(w.text_with_ws for w in words).replace(" 's", "'s")
    return f"{text.strip()} {_plural(tok)}".strip()


#: Words that count members of the group named after them ("thousands of protesters").
_QUANTITY_NOUNS = word_list("quantity_nouns")
#: Titles that, with "the" and a nationality, mean that country's person already named ("the
#: Russian minister" after "Sergey Lavrov").
_ONE_OF_THEM = word_list("titled_person_kinds")
_ENFORCEMENT_NOUNS = word_list("enforcement_nouns")
#: Plural nouns that, with a modifier, name a group of states ("Western countries").
_STATE_GROUP_NOUNS = word_list("state_group_nouns")
#: "the bloc", "the alliance": the international organisation in focus.
_ORG_BACK_NOUNS = word_list("organisation_back_nouns")
#: "the government", "the kingdom": the country in focus.
_STATE_BACK_NOUNS = word_list("state_back_nouns")
#: Singular bodies that plural phrases may name ("both delegations" and "the two armies" alike).
_COUNTABLE_BODIES = word_list("countable_bodies")
_DEFINITE_DETERMINERS = word_list("definite_determiners")
_MONARCH_OFFICES = word_list("monarch_offices")
_OFFICIAL_KINDS = word_list("official_kinds")
_OFFICIAL_PLURALS = word_list("official_plurals")
_ONE_PERSON = word_list("one_person")
_COLLECTIVE = word_list("collective")


def _plural(tok: Token) -> str:
    """Group labels name the group: "diplomats", whatever number the phrase was in."""
    lemma = tok.lemma_.lower()
    if tok.tag_ in ("NNS", "NNPS") or lemma in _COLLECTIVE or lemma in _ONE_PERSON:
        return tok.text  # "Russia's ambassador" is one person
    if lemma == "mp":
        return "MPs"
    if lemma.endswith("man"):
        return lemma[:-3] + "men"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + ("es" if lemma.endswith(("s", "sh", "ch")) else "s")
