"""Event nouns: events named by a noun ("talks with", "a meeting between", "Trump's letter")."""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from kg.extract.arguments import agent_of, owner_of_what_was_hit
from kg.extract.judgement import doer_of_act
from kg.extract.lexicon import (
    DOCUMENT_NOUNS,
    EXCHANGE_VERBS,
    HOSTILE_MANNERS,
    MATERIAL_ROOTS,
    REACTION_VERBS,
    RESPONSE_VERBS,
    SAY_CODES,
    SITUATING_PREPS,
    TRANSPARENT_NOUNS,
    Frame,
    is_complement_of_matched,
    lends_to_noun,
    match_verb,
    nominal_reading,
    subject,
)
from kg.knowledge import NounEntry, noun_lexicon
from kg.records import Actor, Mention
from kg.resolve import ActorAnnotations, slug, tokens_of


def noun_frames(sent: Span, actors: ActorAnnotations) -> Iterable[Frame]:
    """The events event nouns name ("talks with X", "a meeting between X and Y", "Trump's letter"),
    where no verb frame carries them already."""
    lexicon = noun_lexicon()
    for noun in tokens_of(sent, pos=("NOUN", "PROPN")):
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        entry = lexicon.get(noun.lower_) or lexicon.get(noun.lemma_.lower()) or nominal_reading(noun)
        if entry is None or actors.by_head.get(noun.i):
            continue
        light = noun.dep_ == "dobj" and lends_to_noun(noun.head)
        if (noun.dep_ == "dobj" and not light and match_verb(noun.head) is not None
                and noun.head.lemma_.lower() != "receive" and not _drawn_reaction(noun, entry)
                and not _parties_of_its_own(noun, actors)):
            continue  # "signed a deal", "held talks": the verb frame carries it
        if noun.dep_ == "dobj" and is_complement_of_matched(noun.head):
            continue  # "wanted to continue negotiations": the intention's frame carries it
        agents, targets = _noun_arguments(noun, entry, actors)
        symmetric = entry.symmetric or light and noun.head.lemma_.lower() in EXCHANGE_VERBS and len(agents) >= 2
        if not agents or not (targets or (symmetric and len(agents) >= 2)):
            continue
        code, relation = entry.code, entry.relation
        if code in SAY_CODES and any(c.dep_ == "amod" and c.lemma_.lower() in HOSTILE_MANNERS for c in noun.children):
            code, relation = "111", "criticized"  # "an angry response from X"
        theme = noun.lemma_.lower() if noun.lower_ in DOCUMENT_NOUNS else ""
        theme_actor = None
        if noun.lemma_.lower() in DOCUMENT_NOUNS:
            theme_actor = _document_actor(noun, agents, actors)
        yield Frame(code, relation, [noun], noun, agents, targets, theme, theme_actor,
                     "nominal", 0.7, symmetric)


def _document_actor(noun: Token, agents: list[Mention], actors: ActorAnnotations) -> Actor:
    """The letter that Trump sent and Kim received is one node, named after its sender."""
    by = agents[0].actor.label if agents else ""
    label = f"{by}'s {noun.lemma_.lower()}" if by else noun.lemma_.lower()
    return Actor(id=f"document-{slug(label)}-{actors.published or 'undated'}", label=label, type="document")


def _noun_arguments(noun: Token, entry: NounEntry, actors: ActorAnnotations
                    ) -> tuple[list[Mention], list[Mention]]:
    """Agents and targets of an event noun. Several participants and no target means each
    took part with the others ("the meeting between Kim and Trump", "their talks")."""
    agents, targets, together = _prepositional_arguments(noun, entry, actors, _doer_named_on(noun, entry, actors))
    if together:
        return agents, []
    if not agents and entry.symmetric:
        for rel in (c for c in noun.children if c.dep_ == "relcl"):
            subj = next((c for c in rel.children if c.dep_ == "nsubj"), None)
            found = actors.mentions(subj) if subj is not None else []
            if len(found) >= 2:
                return found, []  # "a summit that both leaders hailed"
    agents, targets = _arguments_around(noun, entry, actors, agents, targets)
    agent_ids = {a.actor.id for a in agents}
    return agents, [t for t in targets if t.actor.id not in agent_ids]


def _doer_named_on(noun: Token, entry: NounEntry, actors: ActorAnnotations) -> list[Mention]:
    """"Trump's letter"; for acts of conflict, "an Azerbaijani raid on ...", "Israeli air strikes":
    the owner, or the demonym, is the doer."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    agents = actors.mentions(poss) if poss is not None else []
    if not agents and entry.code[:2] >= "11":
        agents = next((ms for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i
                       for ms in [actors.demonym_mentions(c, modifier_only=True) or actors.mentions(c)] if ms),
                      [])
    return agents


def _prepositional_arguments(noun: Token, entry: NounEntry, actors: ActorAnnotations, agents: list[Mention]
                             ) -> tuple[list[Mention], list[Mention], bool]:
    """Agents and targets from the noun's prepositions ("an attack by X", "a message from X to Y",
    "an expression of gratitude from X to Y"), and whether they name participants together ("the
    meeting between X and Y", "the meeting of the foreign ministers of Chile, Peru and Bolivia")."""
    targets: list[Mention] = []
    holder = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    carriers = [noun] + ([holder] if holder is not None and holder.lemma_.lower() in TRANSPARENT_NOUNS else [])
    preps = [c for carrier in carriers for c in carrier.children]
    # "from X to Y" is often parsed as a range, the "to" hanging from "from": read it as the noun's
    preps += [q for p in preps if p.dep_ == "prep" and p.lower_ == "from" for q in p.children
              if q.dep_ == "prep" and q.lower_ in entry.preps]
    for p in preps:
        if p.dep_ != "prep" or p.head.i != noun.i and p.lower_ == "of":
            continue
        for pobj in (c for c in p.children if c.dep_ == "pobj"):
            found = actors.mentions(pobj)
            if p.lower_ == "between" and len(found) >= 2 and not agents:
                return found, [], True
            if p.lower_ == "of" and len(found) >= 2 and not agents and entry.symmetric:
                return found, [], True
            if p.lower_ == "by" and not agents or p.lower_ == "from" and not agents and "from" not in entry.preps:
                agents = found
            elif p.lower_ in entry.preps:
                targets = targets or found
    return agents, targets, False


def _arguments_around(noun: Token, entry: NounEntry, actors: ActorAnnotations, agents: list[Mention],
                      targets: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Agents and targets the words around the noun supply: the verb receiving it, drawing it or
    making it ("launched air strikes on X"), the owner of what was hit, the clause it sits in."""
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() == "receive":
        if not agents:  # "received a phone call from the Iranian president"
            agents = _sender(noun, actors)
        if agents:
            targets = agent_of(noun.head, actors)  # "Kim received Trump's letter"
    if _drawn_reaction(noun, entry):
        agents = agents or _sender(noun.head, actors)  # "drew criticism from X", "from X" on the verb
        if agents and not targets:
            targets = _cause_of_reaction(noun.head, agents, actors)
    if noun.dep_ == "dobj" and lends_to_noun(noun.head):
        # "launched air strikes on X", "lodged a protest with X": the light verb's subject acts
        agents = agents or agent_of(noun.head, actors)
        if not targets:
            targets = [m for p in noun.head.children if p.dep_ == "prep" and p.lower_ in entry.preps
                       for g in p.children if g.dep_ == "pobj" for m in actors.mentions(g)]
        if not targets and agents and entry.code[:2] in MATERIAL_ROOTS:
            targets = owner_of_what_was_hit(noun.head, agents, actors)
    if not targets and agents and entry.code[:2] in MATERIAL_ROOTS:
        own = {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}
        targets = [m for p in noun.children if p.dep_ == "prep" and p.lower_ in entry.preps
                   for g in p.children if g.dep_ == "pobj"
                   for t in g.subtree for m in (actors.by_head.get(t.i, [])
                                               or actors.demonym_mentions(t, modifier_only=True))
                   if m.actor.id not in own and m.actor.country not in own][:1]
    if not agents and _situated_in_clause(noun, entry):
        governor = noun.head if noun.dep_ == "dobj" else _clause_verb(noun)
        if governor is not None and governor.pos_ in ("VERB", "AUX"):
            agents = agent_of(governor, actors)
    return agents, targets


def _sender(tok: Token, actors: ActorAnnotations) -> list[Mention]:
    """Who a "from" phrase on `tok` names: the sender of what was received or drawn."""
    return [m for p in tok.children if p.dep_ == "prep" and p.lower_ == "from"
            for g in p.children if g.dep_ == "pobj" for m in actors.mentions(g)]


def _parties_of_its_own(noun: Token, actors: ActorAnnotations) -> bool:
    """An event noun whose parties are named "between" them and are not the subject of the verb
    governing it, a verb of hosting or mediating: "Qatar hosted talks between the US and the
    Taliban" also tells of their talks ("proposed talks between ..." does not)."""
    governing = match_verb(noun.head)
    if governing is None or not governing.code.startswith("04"):
        return False
    parties = {m.actor.id for p in noun.children if p.dep_ == "prep" and p.lower_ == "between"
               for g in p.children if g.dep_ == "pobj" for t in (g, *g.conjuncts) for m in actors.mentions(t)}
    return len(parties) >= 2 and not parties & {m.actor.id for m in agent_of(noun.head, actors)}


def _drawn_reaction(noun: Token, entry: NounEntry) -> bool:
    """A reaction an act drew ("drew condemnation from X", "prompting a protest from X"): a
    statement, an appeal, a judgement or a protest, never force or a material act."""
    return noun.dep_ == "dobj" and noun.head.lemma_.lower() in REACTION_VERBS and entry.code[:2] < "15"


def _cause_of_reaction(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """Who the reaction is to: the doer of the act that drew it, named as the drawing verb's
    subject ("Beijing drew ...", "China's drills drew ..."), as the act a relative clause hangs
    from ("a move that drew ..."), or as the subject of the clause a participle ends ("China held
    drills, prompting ...")."""
    subj = subject(verb)
    act = verb.head if verb.dep_ == "relcl" and subj is not None and subj.tag_ in ("WDT", "WP") else subj
    if act is not None and act.pos_ in ("NOUN", "PROPN"):
        return actors.mentions(act) or doer_of_act(act, verb, actors, agents)
    if act is not None:
        return []
    if verb.dep_ == "advcl" and verb.i > verb.head.i:
        # a participle closing a sentence goes with the nearest clause before it, which the parser
        # often misses: "a critic of Beijing, which imposed the law, drawing condemnation"
        nearest = next((t for t in reversed(verb.doc[verb.head.i:verb.i]) if t.pos_ in ("VERB", "AUX")
                        and t.dep_ in ("ROOT", "relcl", "conj", "ccomp") and subject(t) is not None), None)
        if nearest is not None:
            return agent_of(nearest, actors)
    return agent_of(verb, actors)


def _situated_in_clause(noun: Token, entry: NounEntry) -> bool:
    """Meetings and visits the clause's subject took part in; not attacks, sanctions or treaties,
    whose doers the clause does not name ("in retaliation for the attack", "work on a treaty")."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.lemma_.lower() in RESPONSE_VERBS:
        return True  # "responded with air strikes on X": the responder strikes
    if entry.code[:2] != "04":
        return False
    if noun.dep_ == "dobj":
        return True
    return noun.dep_ == "pobj" and noun.head.lower_ in SITUATING_PREPS and _clause_verb(noun) is not None


def _clause_verb(noun: Token) -> Token | None:
    """The verb a situating phrase hangs from ("came back from a trip": came)."""
    governor = noun.head.head
    if governor.dep_ in ("advmod", "prt") and governor.head.pos_ in ("VERB", "AUX"):
        governor = governor.head
    return governor if governor.pos_ in ("VERB", "AUX") else None
