"""The extractor's lexicon and the parse helpers every construction uses: the word lists and
CAMEO code roots it reads, the `Frame` record the constructions yield, and the reading of a
verb or noun in the verb lexicon. No extraction logic: who did what is found in the modules
above this one."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import TypeVar

from spacy.tokens import Doc, Token

from kg.knowledge import (
    NounEntry,
    VerbEntry,
    light_verbs,
    verb_lexicon,
    word_list,
    word_map,
    word_multimap,
    word_sequence,
)
from kg.records import Actor, Mention
from kg.resolve import parse_arrays

SAY_CODES = {"010"}
#: Roots of verbal events whose target may be named only inside the clause they govern
#: ("Seoul warned that it would respond if Tokyo kept up the drills").
VERBAL_ROOTS = {"01", "02", "10", "11", "12", "13"}
#: Roots of material acts (coercion, assault, fighting, mass violence, force posture) whose target
#: may be named only as the owner or the country of what was hit.
MATERIAL_ROOTS = {"15", "16", "17", "18", "19", "20"}
LOCATIVE_PREPS = word_list("locative_preps")
#: Words that only point at a pronoun's antecedent: an actor reached through one is less sure.
PRONOUNS = word_list("pronouns")
#: Verbs whose object does what their infinitive says ("urged North Korea to ...").
CONTROL_VERBS = word_list("control_verbs")
#: "accused X of attacking", "thanked X for hosting" (X did it); "warned X against sending", "barred X
#: from entering" (X has not done it): the preposition -> whether the object's act was done.
OBJECT_CONTROL_PREPS = word_map("object_control_preps")
#: Prepositions whose object is the target: by default, after a direct object, towards a recipient.
DEFAULT_TARGET_PREPS = word_list("default_target_preps")
OBJECT_TARGET_PREPS = word_list("object_target_preps")
RECIPIENT_PREPS = word_list("recipient_preps")
NOMINAL_TARGET_PREPS = word_sequence("nominal_target_preps")
#: Prepositions introducing what a statement or meeting is about ("talks on trade").
THEME_PREPS = word_list("theme_preps")
#: Particles of direction ("pull forces out of"), of adverbial use ("call off"), and those that
#: separate a phrasal reading from the plain verb.
DIRECTION_PARTICLES = word_list("direction_particles")
ADVERBIAL_PARTICLES = word_list("adverbial_particles")
SEPARATING_PARTICLES = word_list("separating_particles")
#: Modals of possibility or obligation (hypothetical) and of the future (intended).
POSSIBILITY_MODALS = word_list("possibility_modals")
FUTURE_MODALS = word_list("future_modals")
#: Words that make an event noun planned ("plans talks") or not (yet) real ("any deal").
PLANNING_WORDS = word_list("planning_words")
HYPOTHETICAL_MODIFIERS = word_list("hypothetical_modifiers")
PLANNED_MODIFIERS = word_list("planned_modifiers")
#: Means of a call ("spoke with Xi by phone").
PHONE_WORDS = word_list("phone_words")
#: Praise, criticism, rejection and denial: their object is often an act, whose doer is the target.
JUDGEMENT_CODES = {"016", "051", "052", "110", "111", "112", "114", "120"}
#: Verbs whose infinitive complement carries the intention ("plans to visit").
INTENT_VERBS = word_list("intent_verbs")
REFUSAL_VERBS = word_list("refusal_verbs")
#: "failed to reach a deal": the act did not happen.
FAILURE_VERBS = word_list("failure_verbs")
#: Subordinators of a condition: "if", "unless", "until".
CONDITION_MARKS = word_list("condition_marks")
#: "willing to", "ready to", "interested in": the subject intends what follows.
INTENT_ADJECTIVES = word_list("intent_adjectives")
#: Modals of a reported clause that make the statement a demand ("must") or an appeal ("should").
DEMAND_MODALS = word_list("demand_modals")
APPEAL_MODALS = word_list("appeal_modals")
NECESSITY_NOUNS = word_list("necessity_nouns")
#: Nouns that only carry another event noun: "an expression of gratitude", "a message of support".
TRANSPARENT_NOUNS = word_list("transparent_nouns")
#: Acts of enforcement whose compound names the force that carried them out ("a police raid").
ENFORCEMENT_NOUNS = word_list("enforcement_nouns")
#: "is set / due / expected / scheduled to ...": a planned event, done by the raised subject.
SCHEDULING = word_list("scheduling")
REPORT_VERBS = word_list("report_verbs")
FACILITY_NOUNS = word_list("facility_nouns")
DOCUMENT_NOUNS = word_list("document_nouns")
NEGATIVE_JUDGEMENTS = word_list("negative_judgements")
JUDGEMENT_VERBS = word_list("judgement_verbs")
GENERIC_ACTS = word_list("generic_acts")
#: Nouns for acts whose verb is another word: welcoming "the deal" is about who agreed.
ACT_VERBS = word_multimap("act_verbs")
#: Prepositions through which an event noun takes the agent of the clause it sits in:
#: "Following talks with the envoys, Macron said", "returned from a visit to Beijing".
SITUATING_PREPS = word_list("situating_preps")
#: "responded with strikes on X", "retaliated with sanctions": the act a response is made with.
RESPONSE_VERBS = word_list("response_verbs")
#: verbs by which an act draws a reaction: "drew condemnation from", "prompting a protest from"
REACTION_VERBS = word_list("reaction_verbs")
#: verbs whose infinitive is the act itself, done by their decision: "voted to extend sanctions"
DECIDING_VERBS = word_list("deciding_verbs")
#: what an attack noun's target follows: "the attack on X", "strikes against X"
ATTACK_TARGET_PREPS = word_list("attack_target_preps")
#: whoever a hostile act is "against" is its target, whatever prepositions the verb's reading lists
OPPOSING_PREPS = word_list("opposing_preps")
#: a response or reaction told with one of these is a rebuke: "drew an angry response from X"
HOSTILE_MANNERS = word_list("hostile_manners")
#: verbs by which two sides do an act to each other: "traded accusations", "exchanged threats"
EXCHANGE_VERBS = word_list("exchange_verbs")
#: seas no state owns: what is hit there is not the coast's ("seized a tanker in the Gulf of Oman")
WATER_BODIES = word_list("water_bodies")
#: what these verbs govern did not happen, on their subject's word: "denied that its troops attacked"
DENIAL_VERBS = word_list("denial_verbs")
BLAME_WORDS = word_list("blame_words")
PLACE_HOLDERS = word_list("place_holders")


@dataclass(frozen=True)
class Frame:
    """One event a construction found in a sentence, before it becomes mentions: its code and relation,
    the trigger words, the word it hangs on (`verb`, a noun for event nouns), agents, targets, theme,
    method ("verb" or "nominal") and confidence."""
    entry_code: str
    relation: str
    trigger: list[Token]
    verb: Token
    agents: list[Mention]
    targets: list[Mention]
    theme: str
    theme_actor: Actor | None
    method: str
    confidence: float
    symmetric: bool = False


_READINGS = "kg.extract.readings"
_T = TypeVar("_T")


@contextmanager
def readings_kept(doc: Doc) -> Iterator[None]:
    """While extraction runs over `doc`, the `per_token` readings of its tokens are kept: the
    constructions ask for the same verb's reading and modality many times."""
    if _READINGS in doc.user_data:  # already kept by an enclosing block: it lets them go
        yield
        return
    doc.user_data[_READINGS] = {}
    try:
        yield
    finally:
        doc.user_data.pop(_READINGS, None)


def per_token(read: Callable[[Token], _T]) -> Callable[[Token], _T]:
    """A reading of a token that its parse alone decides, kept while `readings_kept` is in force
    (parse and entities do not change during extraction); read afresh otherwise."""
    name = read.__name__

    @wraps(read)
    def kept(tok: Token) -> _T:
        return kept_reading(tok.doc, (name, tok.i), lambda: read(tok))

    return kept


def kept_reading(doc: Doc, key: tuple, read: Callable[[], _T]) -> _T:
    """`read()`, kept under `key` while `readings_kept` is in force over `doc`; read afresh otherwise."""
    readings = doc.user_data.get(_READINGS)
    if readings is None:
        return read()
    if key not in readings:
        readings[key] = read()
    return readings[key]


@per_token
def match_verb(verb: Token) -> VerbEntry | None:
    """The verb lexicon's reading of `verb` that its particles, adverbs, complement, prepositions and
    objects allow ("call for" / "call on" / "call"), the most specific; None when none fits."""
    entries = verb_lexicon().get(verb.lemma_.lower()) or verb_lexicon().get(word(verb))
    if not entries:
        return None
    if len(entries) == 1 and not (entries[0].particle or entries[0].adverb or entries[0].complement
                                  or entries[0].objects):
        return entries[0]  # one plain reading: nothing in the parse can rule it out
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"} | {
        c.lower_ for c in verb.children
        if c.dep_ in ("advmod", "prep") and c.lower_ in ADVERBIAL_PARTICLES}
    adverbs = {c.lower_ for c in verb.children if c.dep_ == "advmod"}
    has_xcomp = complement(verb) is not None
    preps = {c.lower_ for c in verb.children if c.dep_ == "prep"
             and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)}  # "called X on Thursday"
    objects = {w for c in verb.children if c.dep_ in ("dobj", "nsubjpass")
               for w in (c.lemma_.lower(), c.lower_, " ".join(t.lower_ for t in c.lefts if t.dep_ == "compound")
                         + " " + c.lower_)}
    objects = {o.strip() for o in objects} | {
        g.lemma_.lower() for c in verb.children if c.dep_ == "dobj" for p in c.children
        if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"}  # "a package of sanctions"
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        objects |= {verb.head.lemma_.lower(), verb.head.lower_}  # "the deal signed by ..."
    fitting = [e for e in entries if _fits(e, entries, particles, adverbs, has_xcomp, preps, objects)]
    # of equally specific readings, the one whose preposition the verb has ("clashed with X")
    return min(fitting, key=lambda e: (-e.specificity, not set(e.preps) & preps), default=None)


def _fits(e: VerbEntry, entries: list[VerbEntry], particles: set[str], adverbs: set[str], has_xcomp: bool,
          preps: set[str], objects: set[str]) -> bool:
    """Whether the verb's particles, adverbs, complement, prepositions and objects allow reading `e`."""
    if e.objects and not objects & set(e.objects):
        return False
    if e.particle and e.particle not in particles:
        return False
    if e.adverb and e.adverb not in adverbs:
        return False
    if e.complement == "to" and not has_xcomp:
        return False
    if not e.particle and particles & SEPARATING_PARTICLES and any(x.particle for x in entries):
        return False
    if e.preps and not e.complement and not e.particle and not e.adverb and not e.objects and len(entries) > 1:
        # several readings of one verb ("call for" / "call on" / "call"): the prep decides
        bare = any(not x.preps and not x.complement and not x.objects and not x.particle for x in entries)
        if not preps & set(e.preps) and (any(set(x.preps) & preps for x in entries) or bare):
            return False
    return True


def lends_to_noun(verb: Token) -> bool:
    """A verb that hands its meaning to the event noun it governs: a light verb ("lodged a
    protest"), or a verb of exchange with no reading of its own for that object ("traded
    accusations", but "exchanged fire" is read whole)."""
    lemma = verb.lemma_.lower()
    if lemma in light_verbs():
        return True
    if lemma not in EXCHANGE_VERBS:
        return False
    own = match_verb(verb)
    return own is None or not own.objects


def earlier_acts(verb: Token, fits: Callable[[VerbEntry], bool]) -> Iterator[tuple[Token, VerbEntry]]:
    """The verbs told before `verb` in its article, the latest first, whose lexicon reading fits:
    where a claim, a denial or an agentless arrest looks back for the act it is about."""
    for tok in reversed(verb.doc[:verb.i]):
        if tok.pos_ == "VERB":
            entry = match_verb(tok)
            if entry is not None and fits(entry):
                yield tok, entry


def own_side(agents: list[Mention]) -> set[str]:
    """The agents' ids and countries (ISO codes): no act of theirs is aimed at their own side."""
    return {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}


def nominal_reading(noun: Token) -> NounEntry | None:
    """An act named by a noun that is also a verb of the lexicon ("a raid on", "attacks against",
    "the arrest of"): the verb's plain reading, for acts of pressure and force (roots 11-20),
    whose targets follow "on", "against", "at", "of" or "with"."""
    return nominal_reading_of(noun.lemma_.lower())


@lru_cache(maxsize=4096)
def nominal_reading_of(lemma: str) -> NounEntry | None:
    """`nominal_reading` of a noun by its lowercase lemma."""
    entries = verb_lexicon().get(lemma)
    bare = next((e for e in entries or () if not (e.particle or e.complement or e.objects or e.adverb)), None)
    if bare is None or bare.code[:2] < "11":
        return None
    return NounEntry(lemma, bare.code, bare.relation, NOMINAL_TARGET_PREPS, bare.symmetric)


def word(tok: Token) -> str:
    """A verb's lemma for a relation name, whole across hyphens ("re-establish" -> reestablish)."""
    doc = tok.doc
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not doc[tok.i + 1].whitespace_:
        return (tok.lower_ + doc[tok.i + 2].lemma_.lower()).replace("-", "")
    return tok.lemma_.lower()


@per_token
def subject(verb: Token) -> Token | None:
    """The verb's subject (nominal, clausal or expletive), None when the parser gave it none."""
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj", "expl"):
            return c
    return None


@per_token
def complement(verb: Token) -> Token | None:
    """The infinitive or gerund a verb governs: "offered to dismantle", "looking forward to meeting"."""
    for c in verb.children:
        if c.dep_ == "xcomp" and (c.pos_ in ("VERB", "AUX") or any(a.lower_ == "to" for a in c.children)):
            return c  # also "offered to host talks" with "host" mistagged as a noun
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "to":
            for g in c.children:
                if g.dep_ == "pcomp" and g.tag_ == "VBG":
                    return g
    return None


def chain_tops(doc: Doc, key: str, *, up: Callable[[int], bool], stop: Callable[[int], bool]) -> list[int]:
    """For each token, where climbing its heads ends: the first head that `stop` accepts (the
    token itself when it cannot climb), climbing from a token only while `up` accepts it (both
    asked of token indices, read from `parse_arrays`). Computed once per document under `key`, each
    chain of heads walked once: a sentence with no full stop has chains thousands of words long,
    and climbing them for every word cost its length squared."""
    found: list[int] | None = doc.user_data.get(key)
    if found is None:
        heads = parse_arrays(doc).head
        found = [-1] * len(doc)
        for start in range(len(doc)):
            path, t = [], start
            while found[t] == -1:
                path.append(t)
                if not up(t) or heads[t] == t:
                    top = t
                    break
                t = heads[t]
                if stop(t):
                    top = t
                    break
            else:
                top = found[t]
            for i in path:
                found[i] = top
        doc.user_data[key] = found
    return found


def _conj_first(verb: Token) -> Token:
    """The first of a run of conjoined words: "agreed to work toward ... and to seek ..." -> work."""
    dep = parse_arrays(verb.doc).dep
    return verb.doc[chain_tops(verb.doc, "kg.conj_first", up=lambda i: dep[i] == "conj", stop=lambda i: False)[verb.i]]


def is_complement_of_matched(verb: Token) -> bool:
    """True when `verb` is the complement of a lexicon verb that takes it ("agreed to meet"):
    the governing verb's frame already carries the event."""
    verb = _conj_first(verb)  # "agreed to work toward ... and to seek ...": both are the complement
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    comp = complement(head)
    if head.i == verb.i or comp is None or comp.i != verb.i:
        return False
    entry = match_verb(head)
    # "urged Iran to cooperate", "invited Modi to visit": the appeal's frame carries the request
    return entry is not None and (entry.complement == "to" or entry.code[:2] in ("02", "10"))
