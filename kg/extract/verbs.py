"""Verb frames: events carried by a verb of the lexicon ("met", "urged X to"), by a verb of
wanting with an object ("wants Beijing to stop") and by an adjective of intent ("is willing to")."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
from kg.records import Actor, Mention
from kg.resolve import ActorAnnotations, tokens_of


def verb_frames(sent: Span, actors: ActorAnnotations) -> Iterable[Frame]:
    """The events verbs of the lexicon carry ("met", "urged X to", "pledged aid"), their code adjusted
    for what the verb governs: the intended act, a judgement, a demand, a reported act, a negation."""
    for verb in tokens_of(sent, pos=("VERB", "AUX", "NOUN")):
        entry = _lexicon_verb(verb, actors)
        if entry is None:
            continue
        agents, targets = _agents_and_targets(verb, entry, actors)
        if not agents:
            continue
        agents = speaker_for_own_state(verb, agents, actors)
        draft = _Draft(entry.code, entry.relation, [verb] + [c for c in verb.children if c.dep_ == "prt" or
                                                             (c.dep_ == "advmod" and c.lower_ == entry.adverb)],
                       targets, *theme_of(verb, actors))
        if not _read_the_act(verb, entry, agents, draft, actors) or not _read_the_statement(verb, entry, agents,
                                                                                           draft, actors):
            continue
        _find_targets(verb, agents, draft, actors)
        if (entry.needs_target and draft.predicative is None and not draft.targets and not draft.theme_actor
                and not (entry.symmetric and len(agents) >= 2)):
            continue
        code = _negated(verb, draft.code)
        yield Frame(code, draft.relation, draft.trigger, verb, agents, draft.targets, draft.theme, draft.theme_actor,
                    "verb", 0.9 if draft.targets else 0.8, draft.symmetric or entry.symmetric)


@dataclass
class _Draft:
    """What a verb's frame is becoming while its governed words are read."""

    code: str
    relation: str
    trigger: list[Token]
    targets: list[Mention]
    theme: str
    theme_actor: Actor | None
    symmetric: bool = False
    predicative: str | None = None  # the code of "called X unacceptable", "" for "called X historic"


def _lexicon_verb(verb: Token, actors: ActorAnnotations) -> VerbEntry | None:
    """The verb lexicon's reading of a word that carries its own event: not a word inside another
    ("re-establish"), not the complement of a matched verb ("agreed to meet"), not a vote for an
    act, not the receiving of a document (the sender's act, found from the noun)."""
    if verb.pos_ not in ("VERB", "AUX") and not (verb.pos_ == "NOUN" and verb.dep_ == "ROOT"):
        return None
    if verb.i >= 2 and verb.doc[verb.i - 1].text == "-" and not verb.doc[verb.i - 2].whitespace_:
        return None  # "establish" in "re-establish": the word is read whole at "re"
    entry = match_verb(verb)
    if entry is None or is_complement_of_matched(verb) or _hands_over_to_noun(verb):
        return None
    voted_for = complement(verb) if verb.lemma_.lower() in DECIDING_VERBS else None
    if entry.complement != "to" and voted_for is not None and match_verb(voted_for) is not None:
        return None  # "voted to extend sanctions": the act voted for is the event, not a vote against
    if entry.verb == "receive" and received_document(verb, actors):
        return None  # "Kim received Trump's letter" is Trump's sending, found from the noun
    return entry


def _read_the_act(verb: Token, entry: VerbEntry, agents: list[Mention], draft: _Draft,
                  actors: ActorAnnotations) -> bool:
    """The code the words the verb governs make of it: a judgement ("called X unacceptable"), the
    act intended or pledged, joint drills, the act an infinitive names, a call by phone. False
    when the verb only names something ("called the summit historic")."""
    draft.predicative = predicative = predicative_judgement(verb)
    if predicative is not None:
        if predicative == "":
            return False  # "called the summit historic", "called the accord the Jeddah Agreement"
        draft.code, draft.relation = predicative, "criticized"
        # "described the accusations against X as absurd": whoever accused, not X
        draft.targets = agent_of_prior_event(verb, actors, agents) or draft.targets
    if draft.code.startswith("03") and entry.complement != "to":
        noun_code = object_event_code(verb)
        if noun_code:
            draft.code = intent_code(noun_code) if noun_code[:2] < "14" else "130"
    if draft.code == "150" and any(c.dep_ == "dobj" and any(a.lower_ == "joint" for a in c.children)
                                   for c in verb.children):
        draft.code, draft.relation = "062", "held_joint_drills"  # joint exercises are military cooperation
    if entry.complement == "to":
        _read_the_complement(verb, entry, draft, actors)
    if draft.code == "040" and any(p.dep_ == "prep" and p.lower_ in ("by", "over") and any(
            g.lemma_.lower() in PHONE_WORDS for g in p.children) for p in verb.children):
        draft.code, draft.relation = "041", "phoned"  # "spoke with Xi by phone"
    return True


def _read_the_complement(verb: Token, entry: VerbEntry, draft: _Draft, actors: ActorAnnotations) -> None:
    """"offered to host", "refused to meet", "pledged to keep up sanctions": the relation names the
    act, whose code makes the verb's an intention, a refusal or a threat; its object a target."""
    xcomp = complement(verb)
    assert xcomp is not None
    draft.relation = f"{entry.relation}_{word(xcomp)}"
    draft.trigger.append(xcomp)
    inner_code = complement_code(xcomp)
    if inner_code and draft.code.startswith("03") and inner_code[:2] in ("04", "05", "06", "07", "08"):
        draft.code = intent_code(inner_code)
    elif inner_code and draft.code.startswith("03") and inner_code[:2] >= "14":
        draft.code = "130"  # pledging sanctions or force is a threat: "pledged to keep up sanctions"
    elif inner_code[:2] in ("04", "05") and entry.verb in REFUSAL_VERBS:
        draft.code = refusal_code(inner_code)  # "refused to meet", "declined to sign"
    if not draft.targets:
        draft.targets = objects(xcomp, match_verb(xcomp), actors)
    draft.theme, draft.theme_actor = theme_of(xcomp, actors)


def _read_the_statement(verb: Token, entry: VerbEntry, agents: list[Mention], draft: _Draft,
                        actors: ActorAnnotations) -> bool:
    """What a verb of saying reports: a demand, a judgement, an accusation. False when it is no
    event of its own: a news agency's word, a source after the clause, the speaker's own act."""
    if entry.code not in SAY_CODES and draft.code not in SAY_CODES:
        return True
    if entry.code in SAY_CODES and any(m.actor.role == "MED" for m in agents):
        return False  # "KCNA said": the agency is the source, not an actor
    if entry.code in SAY_CODES:  # "told reporters": the press is no party to a statement
        draft.targets = [t for t in draft.targets if t.actor.role != "MED"]  # nor is "Reuters" in "told Reuters"
    if entry.code in SAY_CODES and attribution_tail(verb):
        return False  # "The two leaders discussed cooperation, the Kremlin said": a source
    if draft.code in SAY_CODES and demand_code(verb):
        draft.code = demand_code(verb)  # "insisted that X must ...": a demand; "should": an appeal
    judged = judged_in_complement(verb, agents, actors) if draft.code in SAY_CODES else None
    if judged is not None:  # "said the arrest was unlawful"
        draft.code, draft.relation, draft.targets = "111", "criticized", judged or draft.targets
    if draft.code in SAY_CODES:
        reported = reported_act(verb, agents, actors)
        if reported == "own":
            return False  # "said it would veto the package": the reported act is the event
        if isinstance(reported, list) and reported:
            draft.code, draft.relation, draft.targets = "112", "accused", reported  # "said X had fired at Y"
    return True


def _find_targets(verb: Token, agents: list[Mention], draft: _Draft, actors: ActorAnnotations) -> None:
    """Whom the act is done to when the verb's own objects do not say: each other, the owner of
    what was hit, the doer of the act judged, the accuser a denial answers, an actor inside the
    clause said; never the agent itself nor, for words, the speaker's own country."""
    code = draft.code
    # "the two leaders discussed ...", "X and Y agreed ...": each did it with the other
    draft.symmetric = len(agents) >= 2 and (code[:2] in ("03", "05", "06") or code in ("040", "041", "046"))
    targets = draft.targets
    if len(agents) >= 2 and reciprocal_object(verb):
        draft.symmetric, targets = True, []  # "accused each other of ...": each the other
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
            draft.symmetric = True  # "Both sides said they had no plans to ... each other"
    # a target that is the agent itself ("Kim ... his") is no target
    targets = [t for t in targets if t.actor.id not in {a.actor.id for a in agents}]
    if code[:2] in VERBAL_ROOTS:  # nor is the speaker's own country ("Pashinyan told Armenians")
        own_states = {f"country-{a.actor.country.lower()}" for a in agents if a.actor.country}
        targets = [t for t in targets if t.actor.id not in own_states]
    draft.targets = targets


def _negated(verb: Token, code: str) -> str:
    """The code of a negated act: not intending is refusing ("would not recognise the result"),
    not releasing the prisoners a refusal to yield."""
    if code.startswith("03") and modality(verb) == "negated":
        return refusal_code(complement_code(complement(verb)) if complement(verb) is not None else "")
    if (modality(verb) == "negated" and "01" <= code[:2] <= "08"
            and any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for c in verb.children)):
        return refusal_code(code)
    if modality(verb) == "negated" and negation_code(code):
        return negation_code(code)
    return code


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
