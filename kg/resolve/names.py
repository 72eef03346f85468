"""Named entities to actors: the gazetteer (with name variants), short names, names the
NER missed or cut short, contextual aliases, and people and bodies no gazetteer knows."""
from __future__ import annotations

from spacy.attrs import ENT_TYPE, ORTH, POS, SPACY
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Span

from kg.knowledge import contextual_aliases, norm_name
from kg.records import Actor
from kg.resolve.spans import (
    doc_entities,
    entity_of,
    looks_like_organization,
    np_head,
    set_entities,
    slug,
    span_text,
    strip_titles,
)
from kg.resolve.state import ResolverState
from kg.resolve.words import AFFILIATION_PREPS, TITLE_WORDS

#: The NER's labels a lone surname is most often mistaken for.
_MISTAKEN_FOR_NAMES = frozenset(("WORK_OF_ART", "FAC", "PRODUCT"))


class NameLinking(ResolverState):
    """Named entities to actors: the gazetteer (with name variants), short names, names the"""

    def _extend_names_to_their_head(self) -> None:
        """A person's name the NER cut short (the first two of a four-word name) runs on
        to the proper noun that heads it, over untagged proper nouns only."""
        doc, spans, changed = self.doc, [], False
        for ent in doc_entities(doc):
            head = np_head(ent)
            if (ent.label_ == "PERSON" and head.i >= ent.end and not ent.ent_id_
                    and all(t.pos_ == "PROPN" and not t.ent_type_ for t in doc[ent.end:head.i + 1])):
                spans.append(Span(doc, ent.start, head.i + 1, label="PERSON"))
                changed = True
            else:
                spans.append(ent)
        if changed:
            set_entities(doc, spans)

    def _tag_known_people(self) -> None:
        """Runs of proper nouns the NER left untagged that spell a known person's name, however
        transliterated ("Kassym-Jomart Tokayev thanked ..."), become that person's entity."""
        doc, spans = self.doc, list(doc_entities(self.doc))
        found = len(spans)
        # one pass: untagged proper nouns, joined across hyphens written without spaces. The attribute
        # columns are read as flat lists, not one list per token: a list per token is enough
        # allocation to make this the slowest step of resolution.
        ents, pos, orths, spaces = doc.to_array([ENT_TYPE, POS, ORTH, SPACY]).T.tolist()
        propn, hyphen = POS_IDS["PROPN"], doc.vocab.strings["-"]
        free = [not ent and (p == propn or orth == hyphen and i > 0 and not spaces[i - 1])
                for i, (ent, p, orth) in enumerate(zip(ents, pos, orths, strict=True))]
        runs, start = [], None
        for i, ok in enumerate([*free, False]):
            if ok and start is None:
                start = i
            elif not ok and start is not None:
                runs.append((start, i))
                start = None
        for i, j in runs:
            while i < j and pos[i] != propn:
                i += 1
            while j > i and pos[j - 1] != propn:
                j -= 1
            if j - i >= 2:
                text = span_text(doc[i:j])
                person = self.gazetteer.lookup(text) or self.gazetteer.variant(text)
                if person is not None and person.type == "person":
                    spans.append(Span(doc, i, j, label="PERSON", kb_id=person.id))
        if len(spans) > found:
            set_entities(doc, sorted(spans, key=lambda e: e.start))

    # ---- named entities -----------------------------------------------------------------
    def _collect_person_names(self) -> list[tuple[Span, Actor]]:
        out = []
        for ent in doc_entities(self.doc):
            if ent.label_ not in ("PERSON", "ORG") or len(ent) < 2 and not ent.ent_id_:
                continue
            actor = self._named_actor(ent, allow_short=False)
            if actor is not None and actor.type == "person":
                out.append((ent, actor))
        return out

    def _tag_bare_surnames(self) -> None:
        """A lone proper noun spelling the surname of a person the article names in full ("Valdez
        denied it", after "Marco Valdez") is tagged a person, where the NER left it untagged or took
        it alone for a work, a building or a product: the NER misses many bare surnames, foreign
        ones most. Place, group and date tags are left alone ("Jordan", "May")."""
        surnames = {ent[-1].orth for ent, _ in self._persons_named if len(ent) >= 2 and ent[-1].pos_ == "PROPN"}
        if not surnames:
            return
        doc = self.doc
        propn = POS_IDS["PROPN"]
        pos, orths = doc.to_array([POS, ORTH]).T.tolist()  # plain columns: a Token per word is slow
        found = [i for i, orth in enumerate(orths) if orth in surnames and pos[i] == propn
                 and (i == 0 or pos[i - 1] != propn) and (i + 1 == len(doc) or pos[i + 1] != propn)]
        if not found:  # most articles: every surname is within a name
            return
        ents = list(doc_entities(doc))
        tagged = {i: n for n, ent in enumerate(ents) for i in range(ent.start, ent.end)}
        changed = False
        for i in found:
            n = tagged.get(i)
            if n is None:
                ents.append(Span(doc, i, i + 1, label="PERSON"))
            elif len(ents[n]) == 1 and ents[n].label_ in _MISTAKEN_FOR_NAMES:
                ents[n] = Span(doc, i, i + 1, label="PERSON")
            else:
                continue
            changed = True
        if changed:
            set_entities(doc, sorted(ents, key=lambda e: e.start))

    def _defined_acronyms(self) -> dict[str, Span]:
        """Acronyms the article defines, "the Philippine Coast Guard (PCG)": the acronym -> the
        name before it, when the acronym starts with that name's first letter."""
        doc, out = self.doc, dict[str, Span]()
        for ent in doc_entities(doc):
            if ent.end + 2 >= len(doc) or doc[ent.end].text != "(" or doc[ent.end + 2].text != ")":
                continue
            acronym = doc[ent.end + 1].text
            words = [t.text for t in ent if t.text[:1].isupper() and t.pos_ != "DET"]
            if 2 <= len(acronym) <= 8 and acronym.isupper() and acronym.isalpha() and words and (
                    acronym[0] == words[0][0]) and len(ent) >= 2:
                out.setdefault(acronym, ent)
        return out

    def _named_actor(self, ent: Span, *, allow_short: bool = True) -> Actor | None:
        gaz = self.gazetteer
        defined = self._acronyms.get(ent.text) if len(ent) == 1 else None
        if defined is not None and defined.start != ent.start:
            # the article's own acronym wins over the gazetteer's: "the Islamic Courts Council (ICC)"
            return self._named_actor(defined, allow_short=allow_short)
        if ent.ent_id_ and ent.ent_id_ in gaz.actors:
            return self._with_office_learnt(ent, gaz.actors[ent.ent_id_])
        written = span_text(ent)
        text = strip_titles(written)
        if not text:
            return None
        words = text.split()
        if allow_short and len(words) == 1 and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            # A short name means the person named in full elsewhere in the article.
            best = None
            for full, actor in self._persons_named:
                if words[0] in actor.label.replace("-", " ").split() or words[0] in span_text(full).split():
                    if best is None or abs(full.start - ent.start) < abs(best[0].start - ent.start):
                        best = (full, actor)
            if best:
                return best[1]
        known = gaz.lookup(text) or gaz.lookup(written) or self._contextual(written, ent.start) or (
            gaz.variant(text) if not looks_like_organization(text) and all(
                t.pos_ == "PROPN" or t.is_punct for t in ent) else None)  # a person's name however tagged
        if known is not None:
            return self._with_office_learnt(ent, known)
        if ent.label_ == "NORP":
            demonym_of = gaz.demonym(text)
            if (demonym_of is None and text.endswith("s") and ent.root.tag_ in ("NNPS", "NNP")
                    and ent.root.dep_ not in ("amod", "compound")):
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
        if ent.label_ == "ORG" and looks_like_organization(text):
            country, _ = self._name_country(ent)  # "Iran's Ministry of Intelligence"
            if not country and len(words) >= 2:
                # a body named after its state: "Philippine Coast Guard", "Indonesian Navy"
                state = gaz.demonym(words[0]) or gaz.lookup(words[0])
                country = state.country if state is not None and state.type == "country" else ""
            poss = next((c for c in ent.root.children if c.dep_ == "poss" and c.i < ent.start), None)
            if country and text[:1].islower() and poss is not None:
                text = span_text(self.doc[poss.left_edge.i:ent.end])  # "South Korea's unification ministry"
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
        return (before is not None and before.lower_ in TITLE_WORDS and len(words) >= 2
                and all(t.pos_ == "PROPN" or t.is_punct for t in ent) and not looks_like_organization(span_text(ent)))

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
        for tok in holders:  # "a spokeswoman for the Hungarian government", "director of the Kenyan Red Cross"
            if tok.pos_ != "NOUN":
                continue
            for pobj in (g for p in tok.children if p.dep_ == "prep" and p.lower_ in AFFILIATION_PREPS
                         for g in p.children if g.dep_ == "pobj"):
                country = self._country_modifier(pobj)
                if country is not None and country.type == "country":
                    return country.country, "GOV"
                body = entity_of(pobj)
                actor = self._named_actor(body) if body is not None and body.label_ == "ORG" else None
                if actor is not None and actor.country:
                    return actor.country, actor.role
        return "", ""

    def local_actor(self, type_: str, label: str, *, country: str = "", role: str = "") -> Actor:
        """An actor first met in this article (not in the gazetteer), one per type and name."""
        key = f"{type_}:{norm_name(label)}"
        if key not in self.local:
            prefix = {"person": "", "organization": "org-", "group": "group-", "facility": "facility-"}[type_]
            self.local[key] = Actor(id=prefix + slug(label), label=label, type=type_, country=country, role=role)
        return self.local[key]

