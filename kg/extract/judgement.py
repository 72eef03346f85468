"""Judgements and the acts they are about: "called the expulsions unacceptable" criticises
whoever expelled; and the code of the act an intention or a promise is about."""
from __future__ import annotations

from spacy.tokens import Token

from kg.extract.arguments import agent_of, objects, owner_of_what_was_hit
from kg.extract.lexicon import (
    ACT_VERBS,
    ATTACK_TARGET_PREPS,
    GENERIC_ACTS,
    JUDGEMENT_VERBS,
    NEGATIVE_JUDGEMENTS,
    earlier_acts,
    match_verb,
    own_side,
)
from kg.knowledge import noun_lexicon
from kg.records import Mention
from kg.resolve import ActorAnnotations


def predicative_judgement(verb: Token) -> str | None:
    """"calling the expulsions unacceptable" criticises (111); a neutral or positive naming
    ("called the summit historic") is no event (""); None when the verb names nothing."""
    if verb.lemma_.lower() not in JUDGEMENT_VERBS:
        return None
    preds = [c for c in verb.children if c.pos_ in ("ADJ", "NOUN", "PROPN") and (
             c.dep_ in ("oprd", "ccomp", "acomp")
             or (c.dep_ == "xcomp" and not any(a.lower_ == "to" for a in c.children))
             or (c.dep_ == "dobj" and any(x.dep_ == "dative" for x in verb.children))  # "branded him a traitor"
             or (c.dep_ == "dobj" and any(x.dep_ == "dobj" and x.i < c.i for x in verb.children)))] + [
        g for p in verb.children if p.dep_ == "prep" and p.lower_ == "as"  # "described X as absurd"
        for g in p.children if g.dep_ in ("pobj", "amod", "acomp") or g.pos_ == "ADJ"] + [
        g for o in verb.children if o.dep_ in ("dative", "dobj")  # "designated X a terrorist group",
        for g in o.children if g.dep_ == "appos" and g.pos_ == "NOUN" and g.i == o.right_edge.i]  # as parsed
    if not preds or not any(c.dep_ == "dobj" for c in verb.children) and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in preds[0].children):
        return None
    words = {t.lower_ for p in preds for t in p.subtree}
    return "111" if words & NEGATIVE_JUDGEMENTS else ""


def agent_of_prior_event(verb: Token, actors: ActorAnnotations, agents: list[Mention] | None = None
                          ) -> list[Mention]:
    """"calling the expulsions unacceptable", "welcomed the move": the target is whoever did
    the act, named earlier (the latest subject of a verb of that act, or of any event verb for
    a generic word like "move" or "measures")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if ((obj is None or obj.tag_ in ("WDT", "WP")) and verb.dep_ == "relcl" and verb.head.pos_ == "NOUN"
            and (subj is None or subj.tag_ not in ("WDT", "WP"))):
        obj = verb.head  # "a charge that Caracas denies": the clause's object is the noun it hangs from
    if obj is None or actors.by_head.get(obj.i):
        return []
    return doer_of_act(obj, verb, actors, agents) or _state_where(obj, agents, actors)


def latest_accuser(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """Whom a denial answers when it names no charge ("Moscow denied that it had fired"): the one
    last told accusing the denier's side before it."""
    own = own_side(agents)
    for tok, _ in earlier_acts(verb, lambda e: e.code.startswith("112")):
        accused = {m.actor.id for c in tok.children if c.dep_ == "dobj" for m in actors.mentions(c)}
        if accused and not accused & own:
            continue  # an accusation of someone else
        found = [m for m in agent_of(tok, actors) if m.actor.id not in own and m.actor.country not in own]
        if found:
            return found[:1]
    return []


def _state_where(obj: Token, agents: list[Mention] | None, actors: ActorAnnotations) -> list[Mention]:
    """Where the judged act happened, when no one is named doing it: "condemned the coup in
    Niger" judges Niger; never the judge's own state."""
    own = own_side(agents or [])
    for p in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "in"):
        for pobj in (g for g in p.children if g.dep_ == "pobj"):
            found = [m for m in actors.place_mentions(pobj) if m.actor.id not in own and m.actor.country not in own]
            if found:
                return found[:1]
    return []


def doer_of_act(obj: Token, verb: Token, actors: ActorAnnotations, agents: list[Mention] | None = None
                 ) -> list[Mention]:
    """Who did the act a noun names ("the expulsions", "the arrest", "the move"): its possessor
    or by-phrase, else the latest subject before `verb` of a verb of that act."""
    named = [m for c in obj.children if c.dep_ == "poss" for m in actors.mentions(c)] + [
        m for p in obj.children if p.dep_ == "prep" and p.lower_ == "by"
        for g in p.children if g.dep_ == "pobj" for m in actors.mentions(g)] + [
        m for acl in obj.children if acl.dep_ == "acl"  # "the pact signed by both leaders"
        for by in acl.children if by.dep_ == "agent" for g in by.children if g.dep_ == "pobj"
        for m in actors.mentions(g)] + [
        m for rc in obj.children if rc.dep_ == "relcl" and rc.i != verb.i  # "the plan that Egypt proposed"
        for subj in rc.children if subj.dep_ == "nsubj" and subj.tag_ not in ("WDT", "WP")
        for m in actors.mentions(subj)]
    if named:
        return named
    wanted = {obj.lemma_.lower(), obj.lower_}
    generic = bool(wanted & GENERIC_ACTS)
    own = {a.actor.id for a in agents or []}
    own_countries = {a.actor.country for a in agents or [] if a.actor.country}
    inside = {t.i for t in verb.subtree}
    for tok in reversed(verb.doc[:verb.i]):
        if tok.i in inside:
            continue
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        same_act = (tok.lemma_.lower() in wanted or bool(_nominal_of(tok.lemma_.lower()) & wanted)
                    or any(tok.lemma_.lower() in ACT_VERBS.get(w, ()) for w in wanted))
        if same_act or (generic and tok.pos_ == "VERB" and match_verb(tok) is not None):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "agent")), None)
            found = [m for m in actors.mentions(subj) if m.actor.id not in own
                     and m.actor.country not in own_countries] if subj is not None else []
            if found:
                return found[:1]
    return []


def victim_of_claimed_act(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """Who was hit by the violence a group claims ("claimed responsibility for the attack on X",
    "claimed the bombing"): the act's own target, else the target of the latest violent act told
    before the claim (roots 18-20), never the claimant's side."""
    own = own_side(agents)

    def fits(ms: list[Mention]) -> list[Mention]:
        return [m for m in ms if m.actor.id not in own and m.actor.country not in own][:1]

    acts = [c for c in verb.children if c.dep_ == "dobj"]
    acts += [g for t in [verb, *acts] for p in t.children if p.dep_ == "prep" and p.lower_ == "for"
             for g in p.children if g.dep_ == "pobj"]
    for act in acts:
        for p in (c for c in act.children if c.dep_ == "prep" and c.lower_ in ATTACK_TARGET_PREPS):
            found = fits([m for g in p.children if g.dep_ == "pobj" for m in actors.mentions(g)])
            if found:
                return found
    if not acts:
        return []
    for tok, entry in earlier_acts(verb, lambda e: "18" <= e.code[:2] <= "20"):
        found = fits(objects(tok, entry, actors) or owner_of_what_was_hit(tok, agent_of(tok, actors), actors))
        if found:
            return found
    return []


def _nominal_of(verb_lemma: str) -> set[str]:
    """Nouns naming the act of a verb: expel -> expulsion(s), sanction -> sanctions."""
    stems = {verb_lemma, verb_lemma + "s", verb_lemma + "ment", verb_lemma + "ments"}
    if verb_lemma.endswith("el"):
        stems |= {verb_lemma[:-2] + "ulsion", verb_lemma[:-2] + "ulsions"}
    if verb_lemma.endswith("e"):
        stems |= {verb_lemma[:-1] + "ion", verb_lemma[:-1] + "ions"}
    return stems


def complement_code(xcomp: Token | None) -> str:
    """The code of what an intention is about: the infinitive's verb, else its object's noun
    ("keep up sanctions" -> sanctions)."""
    if xcomp is None:
        return ""
    inner = match_verb(xcomp)
    if inner is not None:
        return inner.code
    for c in xcomp.children:
        if c.dep_ == "dobj":
            noun = noun_lexicon().get(c.lower_) or noun_lexicon().get(c.lemma_.lower())
            if noun is not None:
                return noun.code
    return ""


def object_event_code(verb: Token) -> str:
    """The code of the event noun a promise is about ("pledged aid", "$1 billion in aid")."""
    lexicon = noun_lexicon()
    for c in verb.children:
        if c.dep_ != "dobj":
            continue
        nouns = [c] + [g for p in c.children if p.dep_ == "prep" and p.lower_ in ("in", "of")
                       for g in p.children if g.dep_ == "pobj"]
        for n in nouns:
            entry = lexicon.get(n.lower_) or lexicon.get(n.lemma_.lower())
            if entry is not None:
                return entry.code
    return ""
