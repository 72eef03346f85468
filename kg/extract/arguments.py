"""Who acts and who is acted upon: the agent and the target of a verb, read off the parse."""
from __future__ import annotations

from spacy.tokens import Token

from kg.extract.lexicon import (
    CONTROL_VERBS,
    DEFAULT_TARGET_PREPS,
    DIRECTION_PARTICLES,
    DOCUMENT_NOUNS,
    LOCATIVE_PREPS,
    OBJECT_CONTROL_PREPS,
    OBJECT_TARGET_PREPS,
    OPPOSING_PREPS,
    RECIPIENT_PREPS,
    SCHEDULING,
    WATER_BODIES,
    own_side,
    subject,
)
from kg.knowledge import VerbEntry, word_list
from kg.records import Mention
from kg.resolve import ActorAnnotations


def _antecedent(relative: Token, head: Token, actors: ActorAnnotations) -> list[Mention]:
    """What a relative pronoun stands for: the noun its clause hangs from, except that ", which"
    stands for the name just before the comma when that is no person: in "a critic of Beijing,
    which imposed ..." the parser often hangs the clause from "critic"."""
    before = relative.i - 1
    if relative.lower_ == "which" and before > relative.sent.start and relative.doc[before].text == ",":
        nearest = [m for m in actors.by_head.get(before - 1, []) if m.actor.type != "person"]
        if nearest:
            return nearest
    return actors.mentions(head)


def agent_of(verb: Token, actors: ActorAnnotations, depth: int = 0) -> list[Mention]:
    """Who does what the verb says: its subject, else the one it inherits from the word it hangs from
    (the object of "urged X to", the raised subject of "is set to", the leader in "the first leader
    to visit"), a few levels up at most."""
    subj = subject(verb)
    if subj is not None:
        if subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return _antecedent(subj, verb.head, actors)
        # of two subjects the parser gave ("Sudan's paramilitary | Rapid Support Forces attacked"), the actor
        return next((ms for c in verb.children if c.dep_ == "nsubj" for ms in [actors.mentions(c)] if ms),
                    actors.mentions(subj))
    if depth > 4:
        return []
    if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "relcl") and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and verb.head.lower_ in OBJECT_CONTROL_PREPS:
                return actors.mentions(obj)  # "accused X of attacking", "warned X against sending"
        if verb.dep_ == "xcomp":
            # "urged North Korea to take steps": the object controls the infinitive
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and head.lemma_.lower() in CONTROL_VERBS:
                return actors.mentions(obj)
        if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            if (head.dep_ in ("attr", "appos") and any(a.lower_ == "to" for a in verb.children if a.dep_ == "aux")
                    and not any(a.dep_ == "auxpass" for a in verb.children)):  # not "the first to be arrested"
                # "became the first Indian leader to visit Kyiv", "Kim, the first ruler to cross ..."
                return actors.mentions(head.head) if head.dep_ == "appos" else agent_of(head.head, actors)
            if verb.dep_ == "acl" and head.lemma_.lower() in word_list("statement_noun") and head.dep_ == "dobj":
                authors = [m for c in head.children if c.dep_ in ("poss", "compound") for m in actors.mentions(c)]
                # "issued a statement condemning X"; "vetoed an EU statement criticising X": the EU's
                return authors or agent_of(head.head, actors)
            return []
        if verb.dep_ == "xcomp" and head.lemma_.lower() in SCHEDULING:
            # "Biden is set to meet Xi", "Modi is due to visit": the raised subject acts
            raised = next((c for c in head.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if raised is None and head.dep_ == "acomp":
                raised = subject(head.head)
            if raised is not None:
                return actors.mentions(raised)
        return agent_of(head, actors, depth + 1)
    return []


def objects(verb: Token, entry: VerbEntry | None, actors: ActorAnnotations) -> list[Mention]:
    """The target: a direct or indirect object, the object of one of the reading's prepositions
    (also after a particle: "pull forces out of Afghanistan"), or a name hanging off the object
    ("imposed sanctions on X", "sent a letter to X", "tariffs on Chinese goods")."""
    preps = set(entry.preps) if entry else DEFAULT_TARGET_PREPS
    if entry is not None and entry.code[:2] >= "11":
        preps |= OPPOSING_PREPS  # "protested against X": whoever a hostile act is against is its target
    for c in _titles_read_as_names(verb):
        if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd"):  # oprd: "called Zelensky" misparsed
            if entry is not None and c.dep_ == "dobj" and (c.lemma_.lower() in entry.objects
                                                            or c.lower_ in entry.objects):
                continue  # "exchanged prisoners": the reading's own object, not a party
            found = actors.mentions(c)
            if found:
                return found
    heads = [verb] + [c for c in verb.children
                      if c.dep_ in ("prt", "advmod", "prep") and c.lower_ in DIRECTION_PARTICLES]
    for head in heads:
        for c in head.children:
            if c.dep_ in ("prep", "dative") and c.pos_ == "ADP" and (c.lower_ in preps or c.dep_ == "dative"):
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    found = actors.mentions(pobj) or _possessor(pobj, actors)
                    if not found and entry is not None and entry.code.startswith("04"):
                        found = actors.place_mentions(pobj)  # "arrived in Washington": the host
                    if not found and entry is not None and entry.code[:2] >= "10":
                        found = actors.demonym_mentions(pobj)  # "tariffs on ... Chinese goods"
                    if found:
                        return found
    for c in verb.children:
        if c.dep_ == "dobj":
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in OBJECT_TARGET_PREPS:
                    for pobj in (g for g in p.children if g.dep_ == "pobj"):
                        found = (actors.mentions(pobj) or _possessor(pobj, actors)
                                 or actors.demonym_mentions(pobj))
                        if found:
                            return found
                if p.dep_ == "prep" and p.lower_ in ("in", "of"):  # "$1 billion in military aid to Ukraine"
                    for inner in (g for g in p.children if g.dep_ == "pobj"):
                        for q in (x for x in inner.children if x.dep_ == "prep" and x.lower_ in RECIPIENT_PREPS):
                            for pobj in (g for g in q.children if g.dep_ == "pobj"):
                                found = actors.mentions(pobj)
                                if found:
                                    return found
            poss = next((p for p in c.children if p.dep_ == "poss" and p.lower_ != "their"), None)
            if poss is not None and actors.mentions(poss):  # "their products": most often the doers' own
                return actors.mentions(poss)  # "welcomed Beijing's decision", "strike its facilities"
            if entry is not None and entry.code[:2] >= "14" and actors.demonym_mentions(c):
                return actors.demonym_mentions(c)  # "could strike Iranian nuclear facilities"
    return []


def _titles_read_as_names(verb: Token) -> list[Token]:
    """The verb's children, less a title the parser made an object of its own beside the name it
    stands before ("arrested the publisher Karl Brandt" read as two objects): the name is the party."""
    children = list(verb.children)
    titles = {c.i for c in children for name in children
              if c.dep_ == name.dep_ == "dobj" and c.pos_ == "NOUN" and name.ent_type_ == "PERSON"
              and name.left_edge.i == c.i + 1}
    return [c for c in children if c.i not in titles] if titles else children


def _possessor(tok: Token, actors: ActorAnnotations) -> list[Mention]:
    """"Venezuela's oil sector", "Ukraine's bid": whose the thing is."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    return actors.mentions(poss) if poss is not None else []


def owner_of_what_was_hit(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """Force, seizures and arrests aimed at things or places are aimed at whoever owns them: "shelled
    two Armenian villages" (Armenia), "stormed an army camp in Mali" (Mali), "struck targets in
    Lebanon" (Lebanon). Never the agent's own side."""
    own = own_side(agents)

    def fits(ms: list[Mention]) -> list[Mention]:
        return [m for m in ms if m.actor.id not in own and m.actor.country not in own and m.actor.role != "MED"]

    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        for t in _own_phrase(obj):
            found = fits(actors.by_head.get(t.i, []) or actors.demonym_mentions(t, modifier_only=True)
                         or (actors.place_mentions(t) if t.dep_ == "pobj" else []))
            if found:
                return found[:1]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS):
        for pobj in (g for g in prep.children if g.dep_ == "pobj" and g.lemma_.lower() not in WATER_BODIES):
            found = fits(actors.place_mentions(pobj) or actors.demonym_mentions(pobj))
            if found:
                return found[:1]
    return []


def _own_phrase(head: Token) -> list[Token]:
    """The words of a noun phrase without the clauses hung on it: in "four regions, a move that
    drew condemnation from the EU" the EU owns none of the regions."""
    out, todo = [], [head]
    while todo:
        tok = todo.pop()
        out.append(tok)
        todo.extend(c for c in tok.children if c.dep_ not in ("relcl", "acl", "appos", "advcl", "parataxis")
                    and c.lemma_.lower() not in WATER_BODIES)  # "a tanker in the Gulf of Oman": not Oman's
    return sorted(out, key=lambda t: t.i)


def reciprocal_object(verb: Token) -> bool:
    """"each other", "one another" as the object, or behind one of the verb's prepositions."""
    objects = [c for c in verb.children if c.dep_ == "dobj"] + [
        g for p in verb.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    return any(o.lower_ in ("other", "another") and any(d.lower_ in ("each", "one") for d in o.lefts)
               for o in objects)


def first_actor_in_complement(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """Who a statement, warning or appeal is about, when the clause it governs names them
    ("warned that it would respond if Tokyo kept up the drills", "... Chinese imports")."""
    own = {a.actor.id for a in agents} | {f"country-{a.actor.country.lower()}" for a in agents if a.actor.country}
    own_countries = {a.actor.country for a in agents if a.actor.country}
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp"):
            for t in c.subtree:
                for m in actors.by_head.get(t.i, []) or actors.demonym_mentions(t, modifier_only=True):
                    if m.actor.id not in own and m.actor.role != "MED" and m.actor.country not in own_countries:
                        return [m]
    return []


def complement_names_all(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> bool:
    """Whether the clause the verb governs names every one of its agents ("Both sides said
    that they have no plans to ... each other"): then they act towards one another."""
    named = {m.actor.id for c in verb.children if c.dep_ in ("ccomp", "xcomp")
             for t in c.subtree for m in actors.by_head.get(t.i, [])}
    return {a.actor.id for a in agents} <= named


def controllee(verb: Token) -> tuple[Token, Token] | None:
    """(the one asked, the act asked of them) when a verb of wanting or pressing has an object that
    is to do something: "wants Beijing to stop the drills", "pressed Kyiv to accept"."""
    if verb.lemma_.lower() not in word_list("object_control"):
        return None
    for c in verb.children:
        if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            subj = next((g for g in c.children if g.dep_ == "nsubj"), None)
            if subj is not None:
                return subj, c
        if c.dep_ == "dobj":
            comp = next((g for g in verb.children if g.dep_ == "xcomp"), None)
            if comp is not None:
                return c, comp
    return None


def received_document(verb: Token, actors: ActorAnnotations) -> bool:
    """"received Trump's letter", "received a phone call from the Iranian president"."""
    return any(c.dep_ == "dobj" and (c.lemma_.lower() in DOCUMENT_NOUNS or c.lemma_.lower() == "call") and
               any(p.dep_ == "poss" or (p.dep_ == "prep" and p.lower_ == "from") for p in c.children)
               for c in verb.children)
