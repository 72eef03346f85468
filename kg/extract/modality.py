"""Modality: whether an act was done, refused, planned or only possible."""
from __future__ import annotations

from itertools import islice

from spacy.tokens import Token

from kg.extract.arguments import controllee
from kg.extract.lexicon import (
    CONDITION_MARKS,
    DENIAL_VERBS,
    FAILURE_VERBS,
    FUTURE_MODALS,
    HYPOTHETICAL_MODIFIERS,
    INTENT_VERBS,
    OBJECT_CONTROL_PREPS,
    PLANNED_MODIFIERS,
    PLANNING_WORDS,
    POSSIBILITY_MODALS,
    REFUSAL_VERBS,
    SCHEDULING,
    complement,
    per_token,
)


@per_token
def modality(verb: Token) -> str:
    """Whether the clause says the act happened: "asserted", "negated" ("did not", "refused to"),
    "hypothetical" (a condition, a possibility, an appeal to another) or "intended" (a plan, a
    purpose, "will"), read off the verb and the few verbs above it."""
    chain = [verb, *islice(verb.ancestors, 4)]
    for k, tok in enumerate(chain):
        if any(c.dep_ == "neg" for c in tok.children):
            return "negated"
        if tok.i != verb.i and (tok.lemma_.lower() in REFUSAL_VERBS or tok.lemma_.lower() in FAILURE_VERBS) and (
                chain[k - 1].dep_ not in ("advcl", "conj", "parataxis")):
            return "negated"  # "refused to meet", "failed to reach a deal"; not "rejected X, saying ..."
        if tok.i != verb.i and tok.lemma_.lower() in DENIAL_VERBS and chain[k - 1].dep_ in ("ccomp", "xcomp", "dobj"):
            return "negated"  # "denied that its troops had attacked": not done, on the denier's word
        if (tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB"
                and OBJECT_CONTROL_PREPS.get(tok.head.lower_) == "not done"):
            return "hypothetical"  # "warned Beijing against sending arms", "barred them from entering"
        if tok.dep_ == "advcl" and any(c.lower_ in CONDITION_MARKS for c in tok.children if c.dep_ == "mark"):
            return "hypothetical"  # "if ...", "unless ...", "until its troops withdraw"
        if (tok.i == verb.i and tok.dep_ == "advcl" and verb.tag_ == "VB"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)):
            return "intended"  # a purpose: "flew to Kyiv to meet Zelensky"
        if tok.i != verb.i and controllee(tok) is not None and controllee(tok)[1] in chain:  # type: ignore[index]
            return "hypothetical"  # "wants Beijing to stop": not done, nor Beijing's intention
        if tok.i != verb.i and tok.lemma_.lower() in INTENT_VERBS and complement(tok) in chain:
            return "intended"
        if tok.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "conj", "pcomp", "pobj", "prep"):
            continue
        break
    head = verb
    while head.dep_ == "xcomp" and head.head.i != head.i:
        head = head.head  # "would continue to support": the modal of the verb above counts
    auxes = {c.lower_ for t in {verb, head} for c in t.children if c.dep_ in ("aux", "auxpass")}
    if auxes & POSSIBILITY_MODALS:
        return "hypothetical"  # possibility or obligation: not (yet) done
    if auxes & FUTURE_MODALS or (verb.dep_ == "xcomp" and (
            verb.head.lemma_.lower() in INTENT_VERBS or verb.head.lemma_.lower() in SCHEDULING)):
        return "intended"
    if verb.lemma_.lower() == "look" and any(c.lower_ == "forward" for c in verb.children):
        return "intended"
    if verb.pos_ == "NOUN" and verb.head.lemma_.lower() in PLANNING_WORDS:
        return "intended"
    return "asserted"


def nominal_modality(noun: Token) -> str:
    """"any arms deal", "a possible meeting": not an event that happened; "no talks": negated."""
    words = {c.lower_ for c in noun.children if c.dep_ in ("det", "amod")}
    if words & {"no"}:
        return "negated"
    if words & HYPOTHETICAL_MODIFIERS:
        return "hypothetical"
    if words & PLANNED_MODIFIERS:
        return "intended"
    return ""
