"""Verb frames: events carried by a verb of the lexicon ("met", "urged X to"), by a verb of
wanting with an object ("wants Beijing to stop") and by an adjective of intent ("is willing to")."""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from kg.extract.arguments import (
    agent_of,
    complement_names_all,
    controllee,
    first_actor_in_complement,
    objects,
    owner_of_what_was_hit,
    received_document,
    reciprocal_object,
)
from kg.extract.attribution import (
    attribution_tail,
    demand_code,
    judged_in_complement,
    reported_act,
    speaker_for_own_state,
    unstated_enforcer,
)
from kg.extract.circumstances import theme_of
from kg.extract.judgement import (
    agent_of_prior_event,
    complement_code,
    latest_accuser,
    object_event_code,
    predicative_judgement,
    victim_of_claimed_act,
)
from kg.extract.lexicon import (
    DECIDING_VERBS,
    FUTURE_MODALS,
    INTENT_ADJECTIVES,
    JUDGEMENT_CODES,
    MATERIAL_ROOTS,
    PHONE_WORDS,
    PRONOUNS,
    REFUSAL_VERBS,
    SAY_CODES,
    VERBAL_ROOTS,
    Frame,
    complement,
    is_complement_of_matched,
    lends_to_noun,
    match_verb,
    nominal_reading,
    word,
)
from kg.extract.modality import modality
from kg.knowledge import VerbEntry, noun_lexicon
from kg.knowledge.coding import intent_code, negation_code, refusal_code
from kg.records import Mention
from kg.resolve import ActorAnnotations, tokens_of


def verb_frames(sent: Span, actors: ActorAnnotations) -> Iterable[Frame]:
    """The events verbs of the lexicon carry ("met", "urged X to", "pledged aid"), their code adjusted
    for what the verb governs: the intended act, a judgement, a demand, a reported act, a negation."""
    for verb in tokens_of(sent, pos=("VERB", "AUX", "NOUN")):
        if verb.pos_ not in ("VERB", "AUX") and not (verb.pos_ == "NOUN" and verb.dep_ == "ROOT"):
            continue
        if verb.i >= 2 and verb.doc[verb.i - 1].text == "-" and not verb.doc[verb.i - 2].whitespace_:
            continue  # "establish" in "re-establish": the word is read whole at "re"
        entry = match_verb(verb)
        if entry is None or is_complement_of_matched(verb) or _hands_over_to_noun(verb):
            continue
        voted_for = complement(verb) if verb.lemma_.lower() in DECIDING_VERBS else None
        if entry.complement != "to" and voted_for is not None and match_verb(voted_for) is not None:
            continue  # "voted to extend sanctions": the act voted for is the event, not a vote against
        if entry.verb == "receive" and received_document(verb, actors):
            continue  # "Kim received Trump's letter" is Trump's sending, found from the noun
        agents, targets = _agents_and_targets(verb, entry, actors)
        if not agents:
            continue
        agents = speaker_for_own_state(verb, agents, actors)
        relation = entry.relation
        trigger = [verb] + [c for c in verb.children if c.dep_ == "prt" or
                            (c.dep_ == "advmod" and c.lower_ == entry.adverb)]
        theme, theme_actor = theme_of(verb, actors)
        code = entry.code
        predicative = predicative_judgement(verb)
        if predicative is not None:
            if predicative == "":
                continue  # "called the summit historic", "called the accord the Jeddah Agreement"
            code, relation = predicative, "criticized"
            # "described the accusations against X as absurd": whoever accused, not X
            targets = agent_of_prior_event(verb, actors, agents) or targets

        if code.startswith("03") and entry.complement != "to":
            noun_code = object_event_code(verb)
            if noun_code:
                code = intent_code(noun_code) if noun_code[:2] < "14" else "130"
        if code == "150" and any(c.dep_ == "dobj" and any(a.lower_ == "joint" for a in c.children)
                                 for c in verb.children):
            code, relation = "062", "held_joint_drills"  # joint exercises are military cooperation
        if entry.complement == "to":
            xcomp = complement(verb)
            assert xcomp is not None
            relation = f"{entry.relation}_{word(xcomp)}"
            trigger.append(xcomp)
            inner_code = complement_code(xcomp)
            if inner_code and code.startswith("03") and inner_code[:2] in ("04", "05", "06", "07", "08"):
                code = intent_code(inner_code)
            elif inner_code and code.startswith("03") and inner_code[:2] >= "14":
                code = "130"  # pledging sanctions or force is a threat: "pledged to keep up sanctions"
            elif inner_code[:2] in ("04", "05") and entry.verb in REFUSAL_VERBS:
                code = refusal_code(inner_code)  # "refused to meet", "declined to sign"
            if not targets:
                targets = objects(xcomp, match_verb(xcomp), actors)
            theme, theme_actor = theme_of(xcomp, actors)
        if code == "040" and any(p.dep_ == "prep" and p.lower_ in ("by", "over") and any(
                g.lemma_.lower() in PHONE_WORDS for g in p.children) for p in verb.children):
            code, relation = "041", "phoned"  # "spoke with Xi by phone"
        if entry.code in SAY_CODES and any(m.actor.role == "MED" for m in agents):
            continue  # "KCNA said": the agency is the source, not an actor
        if entry.code in SAY_CODES:  # "told reporters": the press is no party to a statement
            targets = [t for t in targets if t.actor.role != "MED"]  # nor is "Reuters" in "told Reuters"
        if entry.code in SAY_CODES and attribution_tail(verb):
            continue  # "The two leaders discussed cooperation, the Kremlin said": a source
        if code in SAY_CODES and demand_code(verb):
            code = demand_code(verb)  # "insisted that X must ...": a demand; "should": an appeal
        judged = judged_in_complement(verb, agents, actors) if code in SAY_CODES else None
        if judged is not None:
            code, relation, targets = "111", "criticized", judged or targets  # "said the arrest was unlawful"
        if code in SAY_CODES:
            reported = reported_act(verb, agents, actors)
            if reported == "own":
                continue  # "said it would veto the package": the reported act is the event
            if isinstance(reported, list) and reported:
                code, relation, targets = "112", "accused", reported  # "said X had fired at Y"
        # "the two leaders discussed ...", "X and Y agreed ...": each did it with the other
        symmetric = entry.symmetric or (len(agents) >= 2 and (code[:2] in ("03", "05", "06")
                                                              or code in ("040", "041", "046")))
        if len(agents) >= 2 and reciprocal_object(verb):
            symmetric, targets = True, []  # "accused each other of ...": each the other
        if not targets and code[:2] in MATERIAL_ROOTS:
            targets = owner_of_what_was_hit(verb, agents, actors) or _target_of_the_act_it_ends(verb, agents, actors)
        if not targets and code == "015":
            targets = victim_of_claimed_act(verb, agents, actors)  # "claimed responsibility for the attack"
        if not targets and code in JUDGEMENT_CODES:
            targets = agent_of_prior_event(verb, actors, agents)  # "criticized the agreement"
        if code == "016":  # what is denied is a claim ("denied it"), and a denial answers the accuser
            targets = [t for t in targets if t.text.lower() not in PRONOUNS] or latest_accuser(verb, agents, actors)
        if not targets and code[:2] in VERBAL_ROOTS and code != "016":
            targets = first_actor_in_complement(verb, agents, actors)
            if not targets and len(agents) >= 2 and complement_names_all(verb, agents, actors):
                symmetric = True  # "Both sides said they had no plans to ... each other"
        # a target that is the agent itself ("Kim ... his") is no target
        targets = [t for t in targets if t.actor.id not in {a.actor.id for a in agents}]
        if code[:2] in VERBAL_ROOTS:  # nor is the speaker's own country ("Pashinyan told Armenians")
            own_states = {f"country-{a.actor.country.lower()}" for a in agents if a.actor.country}
            targets = [t for t in targets if t.actor.id not in own_states]
        if (entry.needs_target and predicative is None and not targets and not theme_actor
                and not (entry.symmetric and len(agents) >= 2)):
            continue
        if code.startswith("03") and modality(verb) == "negated":
            code = refusal_code(complement_code(complement(verb)) if complement(verb) is not None else "")
        elif (modality(verb) == "negated" and "01" <= code[:2] <= "08"
              and any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in verb.children)):
            code = refusal_code(code)  # "would not recognise the result": a negated intention is a refusal
        elif modality(verb) == "negated" and negation_code(code):
            code = negation_code(code)  # "did not release the prisoners": a refusal to yield
        confidence = 0.9 if targets else 0.8
        yield Frame(code, relation, trigger, verb, agents, targets, theme, theme_actor, "verb", confidence,
                     symmetric)


def _target_of_the_act_it_ends(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """A participle telling what force did ("stormed a camp in Mali, killing 17 soldiers") hits
    whom the act it follows hit."""
    head = verb.head
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "conj") or head.i == verb.i or head.pos_ != "VERB":
        return []
    entry = match_verb(head)
    if entry is None or entry.code[:2] not in MATERIAL_ROOTS:
        return []
    own = {a.actor.id for a in agents}
    found = objects(head, entry, actors) or owner_of_what_was_hit(head, agents, actors)
    return [t for t in found if t.actor.id not in own]


def _agents_and_targets(verb: Token, entry: VerbEntry, actors: ActorAnnotations
                        ) -> tuple[list[Mention], list[Mention]]:
    """A passive's by-phrase and subject (for an arrest with no by-phrase, the unstated
    enforcer), else the verb's subject and objects."""
    passive_subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    by_agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if passive_subj is not None or (by_agent is not None and verb.dep_ == "acl"):
        agents: list[Mention] = []
        if by_agent is not None:
            for pobj in by_agent.children:
                if pobj.dep_ == "pobj":
                    agents = actors.mentions(pobj)
        targets = actors.mentions(passive_subj) if passive_subj is not None else []
        if not agents and entry.code[:2] == "17":
            agents = unstated_enforcer(verb, targets, actors)
        return agents, targets
    agents = agent_of(verb, actors)
    return agents, objects(verb, entry, actors)


def control_frames(sent: Span, actors: ActorAnnotations) -> Iterable[Frame]:
    """"Washington wants Beijing to stop its drills": an appeal (020) to Beijing, whose stopping has
    not happened. Verbs the lexicon already reads ("urged X to") are left to it."""
    for verb in tokens_of(sent, pos=("VERB",)):
        found = controllee(verb) if verb.pos_ == "VERB" else None
        if found is None or match_verb(verb) is not None:
            continue
        asked, act = found
        agents, targets = agent_of(verb, actors), actors.mentions(asked)
        if agents and targets:
            yield Frame("020", f"wanted_{word(act)}", [verb, act], verb, agents, targets, "", None, "verb", 0.8)


def intent_adjective_frames(sent: Span, actors: ActorAnnotations) -> Iterable[Frame]:
    """"China is willing to enhance communication with X", "ready to host talks between X and Y",
    "interested in strengthening cooperation with X": the subject expresses an intent (03x) to do
    what the complement says, towards whoever it names."""
    for adj in tokens_of(sent, dep=("acomp", "amod", "advcl", "xcomp")):
        if adj.lemma_.lower() not in INTENT_ADJECTIVES or adj.dep_ not in ("acomp", "amod", "advcl", "xcomp"):
            continue
        act = next((c for c in adj.children if c.dep_ == "xcomp"), None) or next(
            (g for p in adj.children if p.dep_ == "prep" and p.lower_ in ("in", "to")
             for g in p.children if g.dep_ == "pcomp"), None)
        if act is None:
            continue
        entry = match_verb(act)
        inner = entry.code if entry is not None else object_event_code(act)
        agents = agent_of(adj.head if adj.dep_ == "acomp" else adj, actors)
        agents = speaker_for_own_state(adj.head if adj.dep_ == "acomp" else adj, agents, actors)
        targets = objects(act, entry, actors) or first_actor_in_complement(adj, agents, actors)
        own = {a.actor.id for a in agents}
        targets = [t for t in targets if t.actor.id not in own]
        if agents and targets:
            yield Frame(intent_code(inner) if inner and inner[:2] < "09" else "030", f"willing_{word(act)}",
                         [adj, act], adj, agents, targets, "", None, "verb", 0.8)


def _hands_over_to_noun(verb: Token) -> bool:
    """A light verb whose object is an event noun ("lodged a protest with", "issued a warning to"):
    the noun's frame carries the event, with the noun's own code and targets."""
    if not lends_to_noun(verb):
        return False
    lexicon = noun_lexicon()
    return any(c.dep_ == "dobj" and (c.lower_ in lexicon or c.lemma_.lower() in lexicon or nominal_reading(c))
               for c in verb.children)
