"""Event extraction from the dependency parse: who did what to whom, about what, when, where,
on whose word and with what modality.

Verbs are matched against the verb lexicon (lemma + particle + adverb + infinitive complement),
event nouns ("talks with", "a meeting between", "Trump's letter") against the noun lexicon, and
their arguments are read off the parse: subjects, objects, prepositional objects, passive
agents, conjuncts, relative clauses and controlled infinitives. Actors come from the resolver.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.coding import intent_code, negation_code, refusal_code
from kg.dates import resolve_date
from kg.knowledge import (
    NounEntry,
    VerbEntry,
    light_verbs,
    noun_lexicon,
    verb_lexicon,
    word_list,
    word_multimap,
)
from kg.records import Actor, Article, EventMention, Mention
from kg.resolve import ArticleResolver, entity_of, is_place, slug

SAY_CODES = {"010"}
#: Roots of verbal events whose target may be named only inside the clause they govern
#: ("Kim warned that he would find a new way if Washington misjudges ...").
VERBAL_ROOTS = {"01", "02", "10", "11", "12", "13"}
#: Roots of material acts (coercion, assault, fighting, mass violence, force posture) whose target
#: may be named only as the owner or the country of what was hit.
MATERIAL_ROOTS = {"15", "16", "17", "18", "19", "20"}
LOCATIVE_PREPS = word_list("locative_preps")
#: Praise, criticism and rejection: their object is often an act, whose doer is the target.
JUDGEMENT_CODES = {"051", "052", "110", "111", "112", "114", "120"}
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


@dataclass(frozen=True)
class _Frame:
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


def document_text(article: Article) -> str:
    """The text the NLP pipeline reads: title, blank line, body. Offsets point into it."""
    return f"{article.title}\n\n{article.text}" if article.title else article.text


def extract_events(doc: Doc, article: Article, resolver: ArticleResolver) -> list[EventMention]:
    """Every event mention of a parsed article, in text order."""
    out: list[EventMention] = []
    for sent in doc.sents:
        frames = [*_verb_frames(sent, resolver), *_noun_frames(sent, resolver), *_blame_frames(sent, resolver),
                  *_control_frames(sent, resolver), *_intent_adjective_frames(sent, resolver)]
        for frame in frames:
            out.extend(_to_mentions(frame, sent, article, resolver))
    return _drop_duplicates(out)


# ---- verbs ------------------------------------------------------------------------------
def _match_verb(verb: Token) -> VerbEntry | None:
    entries = verb_lexicon().get(verb.lemma_.lower()) or verb_lexicon().get(_word(verb))
    if not entries:
        return None
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"} | {
        c.lower_ for c in verb.children
        if c.dep_ in ("advmod", "prep") and c.lower_ in ("forward", "back", "off", "out")}
    adverbs = {c.lower_ for c in verb.children if c.dep_ == "advmod"}
    has_xcomp = _complement(verb) is not None
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
    if not e.particle and particles & {"off", "out", "back", "forward", "forth"} and any(x.particle for x in entries):
        return False
    if e.preps and not e.complement and not e.particle and not e.adverb and not e.objects and len(entries) > 1:
        # several readings of one verb ("call for" / "call on" / "call"): the prep decides
        bare = any(not x.preps and not x.complement and not x.objects and not x.particle for x in entries)
        if not preps & set(e.preps) and (any(set(x.preps) & preps for x in entries) or bare):
            return False
    return True


def _verb_frames(sent: Span, resolver: ArticleResolver) -> Iterable[_Frame]:
    for verb in sent:
        if verb.pos_ not in ("VERB", "AUX") and not (verb.pos_ == "NOUN" and verb.dep_ == "ROOT"):
            continue
        if verb.i >= 2 and verb.doc[verb.i - 1].text == "-" and not verb.doc[verb.i - 2].whitespace_:
            continue  # "establish" in "re-establish": the word is read whole at "re"
        entry = _match_verb(verb)
        if entry is None or _is_complement_of_matched(verb) or _hands_over_to_noun(verb):
            continue
        if entry.verb == "receive" and _received_document(verb, resolver):
            continue  # "Kim received Trump's letter" is Trump's sending, found from the noun
        agents, targets = _agents_and_targets(verb, entry, resolver)
        if not agents:
            continue
        agents = _speaker_for_own_state(verb, agents, resolver)
        relation = entry.relation
        trigger = [verb] + [c for c in verb.children if c.dep_ == "prt" or
                            (c.dep_ == "advmod" and c.lower_ == entry.adverb)]
        theme, theme_actor = _theme(verb, resolver)
        code = entry.code
        predicative = _predicative_judgement(verb)
        if predicative is not None:
            if predicative == "":
                continue  # "called the summit historic", "called the accord the Jeddah Agreement"
            code, relation = predicative, "criticized"
            # "described the accusations against X as absurd": whoever accused, not X
            targets = _agent_of_prior_event(verb, resolver, agents) or targets

        if code.startswith("03") and entry.complement != "to":
            noun_code = _object_event_code(verb)
            if noun_code:
                code = intent_code(noun_code) if noun_code[:2] < "14" else "130"
        if code == "150" and any(c.dep_ == "dobj" and any(a.lower_ == "joint" for a in c.children)
                                 for c in verb.children):
            code, relation = "062", "held_joint_drills"  # joint exercises are military cooperation
        if entry.complement == "to":
            xcomp = _complement(verb)
            assert xcomp is not None
            relation = f"{entry.relation}_{_word(xcomp)}"
            trigger.append(xcomp)
            inner_code = _inner_code(xcomp)
            if inner_code and code.startswith("03") and inner_code[:2] in ("04", "05", "06", "07", "08"):
                code = intent_code(inner_code)
            elif inner_code and code.startswith("03") and inner_code[:2] >= "14":
                code = "130"  # pledging sanctions or force is a threat: "pledged to keep up sanctions"
            elif inner_code[:2] in ("04", "05") and entry.verb in REFUSAL_VERBS:
                code = refusal_code(inner_code)  # "refused to meet", "declined to sign"
            if not targets:
                targets = _objects(xcomp, _match_verb(xcomp), resolver)
            theme, theme_actor = _theme(xcomp, resolver)
        if code == "040" and any(p.dep_ == "prep" and p.lower_ in ("by", "over") and any(
                g.lemma_.lower() in ("phone", "telephone", "call") for g in p.children) for p in verb.children):
            code, relation = "041", "phoned"  # "spoke with Xi by phone"
        if entry.code in SAY_CODES and any(m.actor.role == "MED" for m in agents):
            continue  # "KCNA said": the agency is the source, not an actor
        if entry.code in SAY_CODES:  # "told reporters": the press is no party to a statement
            targets = [t for t in targets if t.actor.role != "MED"]  # nor is "Reuters" in "told Reuters"
        if entry.code in SAY_CODES and _attribution_tail(verb):
            continue  # "The two leaders discussed cooperation, the Kremlin said": a source
        if code in SAY_CODES and _demand_code(verb):
            code = _demand_code(verb)  # "insisted that X must ...": a demand; "should": an appeal
        judged = _judged_in_complement(verb, agents, resolver) if code in SAY_CODES else None
        if judged is not None:
            code, relation, targets = "111", "criticized", judged or targets  # "said the arrest was unlawful"
        if code in SAY_CODES:
            reported = _reported_act(verb, agents, resolver)
            if reported == "own":
                continue  # "said it would veto the package": the reported act is the event
            if isinstance(reported, list) and reported:
                code, relation, targets = "112", "accused", reported  # "said X had fired at Y"
        # "the two leaders discussed ...", "X and Y agreed ...": each did it with the other
        symmetric = entry.symmetric or (len(agents) >= 2 and (code[:2] in ("03", "05", "06")
                                                              or code in ("040", "041", "046")))
        if len(agents) >= 2 and _reciprocal_object(verb):
            symmetric, targets = True, []  # "accused each other of ...": each the other
        if not targets and code[:2] in MATERIAL_ROOTS:
            targets = _owner_of_what_was_hit(verb, agents, resolver)
        if not targets and code in JUDGEMENT_CODES:
            targets = _agent_of_prior_event(verb, resolver, agents)  # "criticized the agreement"
        if not targets and code[:2] in VERBAL_ROOTS:
            targets = _first_actor_in_complement(verb, agents, resolver)
            if not targets and len(agents) >= 2 and _complement_names_all(verb, agents, resolver):
                symmetric = True  # "Both sides confirmed that they have no plans to ... each other"
        # a target that is the agent itself ("Kim ... his") is no target
        targets = [t for t in targets if t.actor.id not in {a.actor.id for a in agents}]
        if code[:2] in VERBAL_ROOTS:  # nor is the speaker's own country ("Pashinyan told Armenians")
            own_states = {f"country-{a.actor.country.lower()}" for a in agents if a.actor.country}
            targets = [t for t in targets if t.actor.id not in own_states]
        if (entry.needs_target and predicative is None and not targets and not theme_actor
                and not (entry.symmetric and len(agents) >= 2)):
            continue
        if code.startswith("03") and _modality(verb) == "negated":
            code = refusal_code(_inner_code(_complement(verb)) if _complement(verb) is not None else "")
        elif _modality(verb) == "negated" and negation_code(code):
            code = negation_code(code)  # "did not release the prisoners": a refusal to yield
        confidence = 0.9 if targets else 0.8
        yield _Frame(code, relation, trigger, verb, agents, targets, theme, theme_actor, "verb", confidence,
                     symmetric)


NEGATIVE_JUDGEMENTS = word_list("negative_judgements")
JUDGEMENT_VERBS = word_list("judgement_verbs")


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


def _control_frames(sent: Span, resolver: ArticleResolver) -> Iterable[_Frame]:
    """"Washington wants Beijing to stop its drills": an appeal (020) to Beijing, whose stopping has
    not happened. Verbs the lexicon already reads ("urged X to") are left to it."""
    for verb in sent:
        found = controllee(verb) if verb.pos_ == "VERB" else None
        if found is None or _match_verb(verb) is not None:
            continue
        asked, act = found
        agents, targets = _agent_of(verb, resolver), resolver.mentions(asked)
        if agents and targets:
            yield _Frame("020", f"wanted_{_word(act)}", [verb, act], verb, agents, targets, "", None, "verb", 0.8)


def _intent_adjective_frames(sent: Span, resolver: ArticleResolver) -> Iterable[_Frame]:
    """"China is willing to enhance communication with X", "ready to host talks between X and Y",
    "interested in strengthening cooperation with X": the subject expresses an intent (03x) to do
    what the complement says, towards whoever it names."""
    for adj in sent:
        if adj.lemma_.lower() not in INTENT_ADJECTIVES or adj.dep_ not in ("acomp", "amod", "advcl", "xcomp"):
            continue
        act = next((c for c in adj.children if c.dep_ == "xcomp"), None) or next(
            (g for p in adj.children if p.dep_ == "prep" and p.lower_ in ("in", "to")
             for g in p.children if g.dep_ == "pcomp"), None)
        if act is None:
            continue
        entry = _match_verb(act)
        inner = entry.code if entry is not None else _object_event_code(act)
        agents = _agent_of(adj.head if adj.dep_ == "acomp" else adj, resolver)
        agents = _speaker_for_own_state(adj.head if adj.dep_ == "acomp" else adj, agents, resolver)
        targets = _objects(act, entry, resolver) or _first_actor_in_complement(adj, agents, resolver)
        own = {a.actor.id for a in agents}
        targets = [t for t in targets if t.actor.id not in own]
        if agents and targets:
            yield _Frame(intent_code(inner) if inner and inner[:2] < "09" else "030", f"willing_{_word(act)}",
                         [adj, act], adj, agents, targets, "", None, "verb", 0.8)


def _hands_over_to_noun(verb: Token) -> bool:
    """A light verb whose object is an event noun ("lodged a protest with", "issued a warning to"):
    the noun's frame carries the event, with the noun's own code and targets."""
    if verb.lemma_.lower() not in light_verbs():
        return False
    lexicon = noun_lexicon()
    return any(c.dep_ == "dobj" and (c.lower_ in lexicon or c.lemma_.lower() in lexicon or _nominal_reading(c))
               for c in verb.children)


def _predicative_judgement(verb: Token) -> str | None:
    """"calling the expulsions unacceptable" criticises (111); a neutral or positive naming
    ("called the summit historic") is no event (""); None when the verb names nothing."""
    if verb.lemma_.lower() not in JUDGEMENT_VERBS:
        return None
    preds = [c for c in verb.children if c.pos_ in ("ADJ", "NOUN", "PROPN") and (
             c.dep_ in ("oprd", "ccomp", "acomp")
             or (c.dep_ == "xcomp" and not any(a.lower_ == "to" for a in c.children))
             or (c.dep_ == "dobj" and any(x.dep_ == "dative" for x in verb.children)))] + [  # "branded him a traitor"
        g for p in verb.children if p.dep_ == "prep" and p.lower_ == "as"  # "described X as absurd"
        for g in p.children if g.dep_ in ("pobj", "amod", "acomp") or g.pos_ == "ADJ"]
    if not preds or not any(c.dep_ == "dobj" for c in verb.children) and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in preds[0].children):
        return None
    words = {t.lower_ for p in preds for t in p.subtree}
    return "111" if words & NEGATIVE_JUDGEMENTS else ""


GENERIC_ACTS = word_list("generic_acts")


def _agent_of_prior_event(verb: Token, resolver: ArticleResolver, agents: list[Mention] | None = None
                          ) -> list[Mention]:
    """"calling the expulsions unacceptable", "welcomed the move": the target is whoever did
    the act, named earlier (the latest subject of a verb of that act, or of any event verb for
    a generic word like "move" or "measures")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or resolver.by_head.get(obj.i):
        return []
    return _doer_of_act(obj, verb, resolver, agents)


def _doer_of_act(obj: Token, verb: Token, resolver: ArticleResolver, agents: list[Mention] | None = None
                 ) -> list[Mention]:
    """Who did the act a noun names ("the expulsions", "the arrest", "the move"): its possessor
    or by-phrase, else the latest subject before `verb` of a verb of that act."""
    named = [m for c in obj.children if c.dep_ == "poss" for m in resolver.mentions(c)] + [
        m for p in obj.children if p.dep_ == "prep" and p.lower_ == "by"
        for g in p.children if g.dep_ == "pobj" for m in resolver.mentions(g)]
    if named:
        return named[:1]
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
        if same_act or (generic and tok.pos_ == "VERB" and _match_verb(tok) is not None):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "agent")), None)
            found = [m for m in resolver.mentions(subj) if m.actor.id not in own
                     and m.actor.country not in own_countries] if subj is not None else []
            if found:
                return found[:1]
    return []


#: Nouns for acts whose verb is another word: welcoming "the deal" is about who agreed.
ACT_VERBS = word_multimap("act_verbs")


def _nominal_of(verb_lemma: str) -> set[str]:
    """Nouns naming the act of a verb: expel -> expulsion(s), sanction -> sanctions."""
    stems = {verb_lemma, verb_lemma + "s", verb_lemma + "ment", verb_lemma + "ments"}
    if verb_lemma.endswith("el"):
        stems |= {verb_lemma[:-2] + "ulsion", verb_lemma[:-2] + "ulsions"}
    if verb_lemma.endswith("e"):
        stems |= {verb_lemma[:-1] + "ion", verb_lemma[:-1] + "ions"}
    return stems


def _inner_code(xcomp: Token | None) -> str:
    """The code of what an intention is about: the infinitive's verb, else its object's noun
    ("keep up sanctions" -> sanctions)."""
    if xcomp is None:
        return ""
    inner = _match_verb(xcomp)
    if inner is not None:
        return inner.code
    for c in xcomp.children:
        if c.dep_ == "dobj":
            noun = noun_lexicon().get(c.lower_) or noun_lexicon().get(c.lemma_.lower())
            if noun is not None:
                return noun.code
    return ""


def _object_event_code(verb: Token) -> str:
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


def _judged_in_complement(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> list[Mention] | None:
    """A statement that calls something unacceptable, illegal or absurd ("said the arrest was
    unlawful", "told him that the move was unacceptable") criticises (111) whoever did it: the
    doers found, [] when none is named, None when the statement judges nothing."""
    for clause in (c for c in verb.children if c.dep_ == "ccomp" and c.lemma_.lower() == "be"):
        preds = [c for c in clause.children if c.dep_ in ("acomp", "attr")]
        if not {t.lower_ for p in preds for t in p.subtree} & NEGATIVE_JUDGEMENTS:
            continue
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            return []
        own = {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}
        doers = resolver.mentions(subj) or _doer_of_act(subj, verb, resolver, agents)
        return [d for d in doers if d.actor.id not in own and d.actor.country not in own]
    return None


def _reported_act(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> list[Mention] | str:
    """What a statement reports, when its content clause is itself an event: "own" when the
    speaker's side does it ("said it would veto", "said he had met"), so the bare statement adds
    nothing; the doers, when they are others whose act is hostile ("said that X had shelled Y"), so
    the statement is an accusation; else nothing."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
    entry = _match_verb(clause) if clause is not None else None
    while clause is not None and entry is None:  # "said Germany would continue to support Ukraine"
        clause = next((c for c in clause.children if c.dep_ == "xcomp"), None)
        entry = _match_verb(clause) if clause is not None else None
    if clause is None or entry is None:
        return []
    doers = _agent_of(clause, resolver)
    if not doers:
        return []
    own = {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}
    if all(d.actor.id in own or d.actor.country in own for d in doers):
        return "own"
    if entry.code[:2] in MATERIAL_ROOTS and _modality(clause) == "asserted" and (
            _objects(clause, entry, resolver) or _owner_of_what_was_hit(clause, doers, resolver)):
        # a hostile act against someone ("said X had shelled its villages"), not a launch into the sea
        return [d for d in doers if d.actor.id not in own and d.actor.country not in own]
    return []


def _demand_code(verb: Token) -> str:
    """A statement whose content says what someone must do is a demand (100: "insisted that Serbia
    must recognise Kosovo", "said X has to go"); what someone should do, or the need for it, an
    appeal (020: "stressed the need for a ceasefire"); "" otherwise."""
    for c in verb.children:
        modals = {a.lower_ for a in c.children if a.dep_ in ("aux", "auxpass")}
        if c.dep_ == "ccomp" and (modals & DEMAND_MODALS or c.lemma_.lower() in ("have", "need") and any(
                x.dep_ == "xcomp" and any(a.lower_ == "to" for a in x.children) for x in c.children)):
            return "100"
        if c.dep_ == "ccomp" and modals & APPEAL_MODALS:
            return "020"
        if c.dep_ == "dobj" and c.lemma_.lower() in NECESSITY_NOUNS:
            return "020"
    return ""


def _speaker_for_own_state(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> list[Mention]:
    """"Lavrov said Moscow wanted ...", "Kazakhstan is ready to ..., according to Tokayev": an
    official speaking of their own state acts for it, so the official is the agent (CAMEO codes
    the speaker's government, and analysts the speaker)."""
    if len(agents) != 1 or agents[0].actor.type != "country":
        return agents
    speakers = _source_mentions(verb, agents, resolver)
    if (len(speakers) == 1 and speakers[0].actor.type == "person"
            and speakers[0].actor.country == agents[0].actor.country and speakers[0].actor.role == "GOV"):
        return speakers
    return agents


def _word(tok: Token) -> str:
    """A verb's lemma for a relation name, whole across hyphens ("re-establish" -> reestablish)."""
    doc = tok.doc
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and not doc[tok.i + 1].whitespace_:
        return (tok.lower_ + doc[tok.i + 2].lemma_.lower()).replace("-", "")
    return tok.lemma_.lower()


def _complement(verb: Token) -> Token | None:
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


def _is_complement_of_matched(verb: Token) -> bool:
    """True when `verb` is the complement of a lexicon verb that takes it ("agreed to meet"):
    the governing verb's frame already carries the event."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head  # "agreed to work toward ... and to seek ...": both are the complement
    head = verb.head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        head = head.head
    comp = _complement(head)
    if head.i == verb.i or comp is None or comp.i != verb.i:
        return False
    entry = _match_verb(head)
    # "urged Iran to cooperate", "invited Modi to visit": the appeal's frame carries the request
    return entry is not None and (entry.complement == "to" or entry.code[:2] in ("02", "10"))


def _received_document(verb: Token, resolver: ArticleResolver) -> bool:
    """"received Trump's letter", "received a phone call from the Iranian president"."""
    return any(c.dep_ == "dobj" and (c.lemma_.lower() in DOCUMENT_NOUNS or c.lemma_.lower() == "call") and
               any(p.dep_ == "poss" or (p.dep_ == "prep" and p.lower_ == "from") for p in c.children)
               for c in verb.children)


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "csubj", "expl"):
            return c
    return None


def _agents_and_targets(verb: Token, entry: VerbEntry, resolver: ArticleResolver
                        ) -> tuple[list[Mention], list[Mention]]:
    passive_subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    by_agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if passive_subj is not None or (by_agent is not None and verb.dep_ == "acl"):
        agents: list[Mention] = []
        if by_agent is not None:
            for pobj in by_agent.children:
                if pobj.dep_ == "pobj":
                    agents = resolver.mentions(pobj)
        targets = resolver.mentions(passive_subj) if passive_subj is not None else []
        if not agents and entry.code[:2] == "17":
            agents = _unstated_enforcer(verb, targets, resolver)
        return agents, targets
    agents = _agent_of(verb, resolver)
    return agents, _objects(verb, entry, resolver)


def _unstated_enforcer(verb: Token, targets: list[Mention], resolver: ArticleResolver) -> list[Mention]:
    """Who arrested, detained or deported when the passive does not say: the force named in the
    clause ("were detained in a police raid"), else the authority that reports it ("police said
    seven men had been arrested"), else the state where it happened ("was arrested in Manila")."""
    for tok in verb.subtree:
        if tok.dep_ == "compound" and tok.head.lemma_.lower() in ENFORCEMENT_NOUNS:
            found = resolver.mentions(tok)
            if found:
                return found
    own = {t.actor.id for t in targets}
    for source in _source_mentions(verb, targets, resolver):
        if (source.actor.role in ("COP", "MIL", "JUD", "GOV") and source.actor.type != "person"
                and source.actor.id not in own):  # "police said", not a foreign leader commenting
            return [source]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at")):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            found = resolver.place_mentions(pobj)
            if found:
                return found
    return []


def _agent_of(verb: Token, resolver: ArticleResolver, depth: int = 0) -> list[Mention]:
    subj = _subject(verb)
    if subj is not None:
        if subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return resolver.mentions(verb.head)
        # of two subjects the parser gave ("Sudan's paramilitary | Rapid Support Forces attacked"), the actor
        return next((ms for c in verb.children if c.dep_ == "nsubj" for ms in [resolver.mentions(c)] if ms),
                    resolver.mentions(subj))
    if depth > 4:
        return []
    if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "relcl") and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and verb.head.lower_ in ("of", "for"):
                return resolver.mentions(obj)  # "accused X of attacking", "thanked X for hosting"
        if verb.dep_ == "xcomp":
            # "urged North Korea to take steps": the object controls the infinitive
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and head.lemma_.lower() in ("urge", "ask", "call", "press", "encourage",
                                                           "invite", "allow", "let", "tell"):
                return resolver.mentions(obj)
        if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            if (head.dep_ in ("attr", "appos") and any(a.lower_ == "to" for a in verb.children if a.dep_ == "aux")
                    and not any(a.dep_ == "auxpass" for a in verb.children)):  # not "the first to be arrested"
                # "became the first Indian leader to visit Kyiv", "Kim, the first ruler to cross ..."
                return resolver.mentions(head.head) if head.dep_ == "appos" else _agent_of(head.head, resolver)
            if verb.dep_ == "acl" and head.lemma_.lower() in word_list("statement_noun") and head.dep_ == "dobj":
                return _agent_of(head.head, resolver)  # "issued a statement condemning X"
            return []
        if verb.dep_ == "xcomp" and head.lemma_.lower() in SCHEDULING:
            # "Biden is set to meet Xi", "Modi is due to visit": the raised subject acts
            raised = next((c for c in head.children if c.dep_ in ("nsubjpass", "nsubj")), None)
            if raised is None and head.dep_ == "acomp":
                raised = _subject(head.head)
            if raised is not None:
                return resolver.mentions(raised)
        return _agent_of(head, resolver, depth + 1)
    return []


def _objects(verb: Token, entry: VerbEntry | None, resolver: ArticleResolver) -> list[Mention]:
    """The target: a direct or indirect object, the object of one of the reading's prepositions
    (also after a particle: "pull forces out of Afghanistan"), or a name hanging off the object
    ("imposed sanctions on X", "sent a letter to X", "tariffs on Chinese goods")."""
    preps = set(entry.preps) if entry else {"with", "to", "on", "against"}
    for c in verb.children:
        if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd"):  # oprd: "called Zelensky" misparsed
            if entry is not None and c.dep_ == "dobj" and (c.lemma_.lower() in entry.objects
                                                            or c.lower_ in entry.objects):
                continue  # "exchanged prisoners": the reading's own object, not a party
            found = resolver.mentions(c)
            if found:
                return found
    heads = [verb] + [c for c in verb.children
                      if c.dep_ in ("prt", "advmod", "prep") and c.lower_ in ("out", "back", "away")]
    for head in heads:
        for c in head.children:
            if c.dep_ in ("prep", "dative") and c.pos_ == "ADP" and c.lower_ in preps:
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    found = resolver.mentions(pobj) or _possessor(pobj, resolver)
                    if not found and entry is not None and entry.code.startswith("04"):
                        found = resolver.place_mentions(pobj)  # "arrived in Washington": the host
                    if not found and entry is not None and entry.code[:2] >= "10":
                        found = resolver.demonym_mentions(pobj)  # "tariffs on ... Chinese goods"
                    if found:
                        return found
    for c in verb.children:
        if c.dep_ == "dobj":
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("with", "on", "to", "against", "between", "of", "from", "by",
                                                     "for", "over", "about", "at"):
                    for pobj in (g for g in p.children if g.dep_ == "pobj"):
                        found = (resolver.mentions(pobj) or _possessor(pobj, resolver)
                                 or resolver.demonym_mentions(pobj))
                        if found:
                            return found
                if p.dep_ == "prep" and p.lower_ in ("in", "of"):  # "$1 billion in military aid to Ukraine"
                    for inner in (g for g in p.children if g.dep_ == "pobj"):
                        for q in (x for x in inner.children if x.dep_ == "prep" and x.lower_ in ("to", "for", "on")):
                            for pobj in (g for g in q.children if g.dep_ == "pobj"):
                                found = resolver.mentions(pobj)
                                if found:
                                    return found
            poss = next((p for p in c.children if p.dep_ == "poss" and p.lower_ != "their"), None)
            if poss is not None and resolver.mentions(poss):  # "their products": most often the doers' own
                return resolver.mentions(poss)  # "welcomed Beijing's decision", "strike its facilities"
            if entry is not None and entry.code[:2] >= "14" and resolver.demonym_mentions(c):
                return resolver.demonym_mentions(c)  # "could strike Iranian nuclear facilities"
    return []


def _owner_of_what_was_hit(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> list[Mention]:
    """Force, seizures and arrests aimed at things or places are aimed at whoever owns them: "shelled
    two Armenian villages" (Armenia), "stormed an army camp in Mali" (Mali), "struck targets in
    Lebanon" (Lebanon). Never the agent's own side."""
    own = {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}

    def fits(ms: list[Mention]) -> list[Mention]:
        return [m for m in ms if m.actor.id not in own and m.actor.country not in own and m.actor.role != "MED"]

    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        for t in obj.subtree:
            found = fits(resolver.by_head.get(t.i, []) or resolver.demonym_mentions(t, modifier_only=True)
                         or (resolver.place_mentions(t) if t.dep_ == "pobj" else []))
            if found:
                return found[:1]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            found = fits(resolver.place_mentions(pobj) or resolver.demonym_mentions(pobj))
            if found:
                return found[:1]
    return []


def _reciprocal_object(verb: Token) -> bool:
    """"each other", "one another" as the object, or behind one of the verb's prepositions."""
    objects = [c for c in verb.children if c.dep_ == "dobj"] + [
        g for p in verb.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    return any(o.lower_ in ("other", "another") and any(d.lower_ in ("each", "one") for d in o.lefts)
               for o in objects)


def _possessor(tok: Token, resolver: ArticleResolver) -> list[Mention]:
    """"Venezuela's oil sector", "Ukraine's bid": whose the thing is."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    return resolver.mentions(poss) if poss is not None else []


def _first_actor_in_complement(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> list[Mention]:
    """Who a statement, warning or appeal is about, when the clause it governs names them
    ("warned that he would find a new way if Washington misjudges ...", "... Chinese imports")."""
    own = {a.actor.id for a in agents} | {f"country-{a.actor.country.lower()}" for a in agents if a.actor.country}
    own_countries = {a.actor.country for a in agents if a.actor.country}
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp"):
            for t in c.subtree:
                for m in resolver.by_head.get(t.i, []) or resolver.demonym_mentions(t, modifier_only=True):
                    if m.actor.id not in own and m.actor.role != "MED" and m.actor.country not in own_countries:
                        return [m]
    return []


def _attribution_tail(verb: Token) -> bool:
    """A report verb the parser hung under the reported clause, with nothing of its own to say."""
    return (verb.dep_ in ("ccomp", "parataxis", "advcl", "conj") and verb.head.i < verb.i
            and _match_verb(verb.head) is not None
            and not any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children))


def _complement_names_all(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> bool:
    named = {m.actor.id for c in verb.children if c.dep_ in ("ccomp", "xcomp")
             for t in c.subtree for m in resolver.by_head.get(t.i, [])}
    return {a.actor.id for a in agents} <= named


def _theme(verb: Token, resolver: ArticleResolver) -> tuple[str, Actor | None]:
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr")), None)
    if obj is None:
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("for", "about", "on", "over")
                     and not any(g.ent_type_ in ("DATE", "TIME") for g in c.children)), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is None or resolver.by_head.get(obj.i):
        return "", None
    return _phrase_text(obj), _facility(verb, resolver)


def _phrase_text(head: Token, limit: int = 100) -> str:
    """The words of a noun phrase as written, up to any relative clause, at most `limit` chars."""
    end = head.right_edge.i
    for t in head.subtree:
        if t.dep_ in ("relcl", "acl") and t.head.i == head.i or (t.dep_ == "punct" and t.text == "," and t.i > head.i):
            end = min(end, t.left_edge.i - 1)
    span = head.doc[head.left_edge.i:max(end, head.i) + 1]
    text = span.text.strip(' "“”,')
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _facility(verb: Token, resolver: ArticleResolver) -> Actor | None:
    """A named facility in the verb's phrase: "facilities ... in the Sohae space center"."""
    for t in verb.subtree:
        if t.lemma_.lower() in FACILITY_NOUNS and any(c.pos_ == "PROPN" or c.ent_type_ for c in t.children
                                                      if c.dep_ in ("compound", "amod")):
            mods = [c for c in t.subtree if (c.i < t.i and c.dep_ in ("compound", "amod") and c.head == t)
                    or (c.head.head == t and c.dep_ == "compound")]
            label = " ".join([c.text for c in sorted(mods, key=lambda x: x.i)] + [t.text])
            return resolver.local_actor("facility", label)
    return None


# ---- nouns -------------------------------------------------------------------------------
def _noun_frames(sent: Span, resolver: ArticleResolver) -> Iterable[_Frame]:
    lexicon = noun_lexicon()
    for noun in sent:
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        entry = lexicon.get(noun.lower_) or lexicon.get(noun.lemma_.lower()) or _nominal_reading(noun)
        if entry is None or resolver.by_head.get(noun.i):
            continue
        light = noun.dep_ == "dobj" and noun.head.lemma_.lower() in light_verbs()
        if (noun.dep_ == "dobj" and not light and _match_verb(noun.head) is not None
                and noun.head.lemma_.lower() != "receive"):
            continue  # "signed a deal", "held talks": the verb frame carries it
        if noun.dep_ == "dobj" and _is_complement_of_matched(noun.head):
            continue  # "wanted to continue negotiations": the intention's frame carries it
        agents, targets = _noun_arguments(noun, entry, resolver)
        if not agents or not (targets or (entry.symmetric and len(agents) >= 2)):
            continue
        theme = noun.lemma_.lower() if noun.lower_ in DOCUMENT_NOUNS else ""
        theme_actor = None
        if noun.lemma_.lower() in DOCUMENT_NOUNS:
            theme_actor = _document_actor(noun, agents, resolver)
        yield _Frame(entry.code, entry.relation, [noun], noun, agents, targets, theme, theme_actor,
                     "nominal", 0.7, entry.symmetric)


def _nominal_reading(noun: Token) -> NounEntry | None:
    """An act named by a noun that is also a verb of the lexicon ("a raid on", "attacks against",
    "the arrest of"): the verb's plain reading, for acts of pressure and force (roots 11-20),
    whose targets follow "on", "against", "at", "of" or "with"."""
    entries = verb_lexicon().get(noun.lemma_.lower())
    bare = next((e for e in entries or () if not (e.particle or e.complement or e.objects or e.adverb)), None)
    if bare is None or bare.code[:2] < "11":
        return None
    return NounEntry(noun.lemma_.lower(), bare.code, bare.relation, ("on", "against", "at", "of", "with", "to"),
                     bare.symmetric)


def _document_actor(noun: Token, agents: list[Mention], resolver: ArticleResolver) -> Actor:
    """The letter that Trump sent and Kim received is one node, named after its sender."""
    by = agents[0].actor.label if agents else ""
    label = f"{by}'s {noun.lemma_.lower()}" if by else noun.lemma_.lower()
    return Actor(id=f"document-{slug(label)}-{resolver.published or 'undated'}", label=label, type="document")


#: Prepositions through which an event noun takes the agent of the clause it sits in:
#: "After talks with the delegation, Trump said", "came back from a trip to Washington".
_SITUATING_PREPS = word_list("situating_preps")


def _noun_arguments(noun: Token, entry: NounEntry, resolver: ArticleResolver
                    ) -> tuple[list[Mention], list[Mention]]:
    """Agents and targets of an event noun. Several participants and no target means each
    took part with the others ("the meeting between Kim and Trump", "their talks")."""
    agents: list[Mention] = []
    targets: list[Mention] = []
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        agents = resolver.mentions(poss)
    if not agents and entry.code[:2] >= "11":
        # "an Azerbaijani raid on ...", "Israeli air strikes": the demonym is the doer
        agents = next((ms for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i
                       for ms in [resolver.demonym_mentions(c, modifier_only=True) or resolver.mentions(c)] if ms),
                      [])
    holder = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    carriers = [noun] + ([holder] if holder is not None and holder.lemma_.lower() in TRANSPARENT_NOUNS else [])
    for p in (c for carrier in carriers for c in carrier.children):  # "an expression of gratitude from X to Y"
        if p.dep_ != "prep" or p.head.i != noun.i and p.lower_ == "of":
            continue
        for pobj in (c for c in p.children if c.dep_ == "pobj"):
            found = resolver.mentions(pobj)
            if p.lower_ == "between" and len(found) >= 2 and not agents:
                return found, []
            if p.lower_ == "of" and len(found) >= 2 and not agents and entry.symmetric:
                return found, []  # "the meeting of the foreign ministers of Russia, Ukraine and Turkey"
            if p.lower_ == "by" and not agents or p.lower_ == "from" and not agents and "from" not in entry.preps:
                agents = found  # "an attack by X", "a message from X to Y"
            elif p.lower_ in entry.preps:
                targets = targets or found
    if not agents and entry.symmetric:
        for rel in (c for c in noun.children if c.dep_ == "relcl"):
            subj = next((c for c in rel.children if c.dep_ == "nsubj"), None)
            found = resolver.mentions(subj) if subj is not None else []
            if len(found) >= 2:
                return found, []  # "a summit that both men called historic"
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() == "receive":
        if not agents:  # "received a phone call from the Iranian president"
            agents = [m for p in noun.children if p.dep_ == "prep" and p.lower_ == "from"
                      for g in p.children if g.dep_ == "pobj" for m in resolver.mentions(g)]
        if agents:
            targets = _agent_of(noun.head, resolver)  # "Kim received Trump's letter"
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in light_verbs():
        # "launched air strikes on X", "lodged a protest with X": the light verb's subject acts
        agents = agents or _agent_of(noun.head, resolver)
        if not targets:
            targets = [m for p in noun.head.children if p.dep_ == "prep" and p.lower_ in entry.preps
                       for g in p.children if g.dep_ == "pobj" for m in resolver.mentions(g)]
        if not targets and agents and entry.code[:2] in MATERIAL_ROOTS:
            targets = _owner_of_what_was_hit(noun.head, agents, resolver)
    if not targets and agents and entry.code[:2] in MATERIAL_ROOTS:
        own = {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}
        targets = [m for p in noun.children if p.dep_ == "prep" and p.lower_ in entry.preps
                   for g in p.children if g.dep_ == "pobj"
                   for t in g.subtree for m in (resolver.by_head.get(t.i, [])
                                               or resolver.demonym_mentions(t, modifier_only=True))
                   if m.actor.id not in own and m.actor.country not in own][:1]
    if not agents and _situated_in_clause(noun, entry):
        governor = noun.head if noun.dep_ == "dobj" else _clause_verb(noun)
        if governor is not None and governor.pos_ in ("VERB", "AUX"):
            agents = _agent_of(governor, resolver)
    agent_ids = {a.actor.id for a in agents}
    targets = [t for t in targets if t.actor.id not in agent_ids]
    return agents, targets


def _situated_in_clause(noun: Token, entry: NounEntry) -> bool:
    """Meetings and visits the clause's subject took part in; not attacks, sanctions or treaties,
    whose doers the clause does not name ("in retaliation for the attack", "work on a treaty")."""
    if entry.code[:2] != "04":
        return False
    if noun.dep_ == "dobj":
        return True
    return noun.dep_ == "pobj" and noun.head.lower_ in _SITUATING_PREPS and _clause_verb(noun) is not None


def _clause_verb(noun: Token) -> Token | None:
    """The verb a situating phrase hangs from ("came back from a trip": came)."""
    governor = noun.head.head
    if governor.dep_ in ("advmod", "prt") and governor.head.pos_ in ("VERB", "AUX"):
        governor = governor.head
    return governor if governor.pos_ in ("VERB", "AUX") else None


# ---- from frames to mentions -------------------------------------------------------------
def _modality(verb: Token) -> str:
    chain = [verb] + [a for a in verb.ancestors][:4]
    for tok in chain:
        if any(c.dep_ == "neg" for c in tok.children):
            return "negated"
        if tok.i != verb.i and (tok.lemma_.lower() in REFUSAL_VERBS or tok.lemma_.lower() in FAILURE_VERBS):
            return "negated"  # "refused to meet", "failed to reach a deal"
        if tok.dep_ == "advcl" and any(c.lower_ in CONDITION_MARKS for c in tok.children if c.dep_ == "mark"):
            return "hypothetical"  # "if ...", "unless ...", "until its troops withdraw"
        if (tok.i == verb.i and tok.dep_ == "advcl" and verb.tag_ == "VB"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)):
            return "intended"  # a purpose: "flew to Kyiv to meet Zelensky"
        if tok.i != verb.i and controllee(tok) is not None and controllee(tok)[1] in chain:  # type: ignore[index]
            return "hypothetical"  # "wants Beijing to stop": not done, nor Beijing's intention
        if tok.i != verb.i and tok.lemma_.lower() in INTENT_VERBS and _complement(tok) in chain:
            return "intended"
        if tok.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "conj", "pcomp", "pobj", "prep"):
            continue
        break
    head = verb
    while head.dep_ == "xcomp" and head.head.i != head.i:
        head = head.head  # "would continue to support": the modal of the verb above counts
    auxes = {c.lower_ for t in {verb, head} for c in t.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"might", "could", "may", "must", "should"}:
        return "hypothetical"  # possibility or obligation: not (yet) done
    if auxes & {"will", "would", "shall", "'ll"} or (verb.dep_ == "xcomp" and (
            verb.head.lemma_.lower() in INTENT_VERBS or verb.head.lemma_.lower() in SCHEDULING)):
        return "intended"
    if verb.lemma_.lower() == "look" and any(c.lower_ == "forward" for c in verb.children):
        return "intended"
    if verb.pos_ == "NOUN" and verb.head.lemma_.lower() in ("expect", "plan", "prepare", "preparation"):
        return "intended"
    return "asserted"


def _nominal_modality(noun: Token) -> str:
    """"any arms deal", "a possible meeting": not an event that happened; "no talks": negated."""
    words = {c.lower_ for c in noun.children if c.dep_ in ("det", "amod")}
    if words & {"no"}:
        return "negated"
    if words & {"any", "possible", "potential", "proposed", "hypothetical"}:
        return "hypothetical"
    if words & {"planned", "upcoming", "future", "next", "expected", "scheduled"}:
        return "intended"
    return ""


def _reported_by(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> str:
    sources = _source_mentions(verb, agents, resolver)
    return sources[0].actor.label if sources else ""


def _source_mentions(verb: Token, agents: list[Mention], resolver: ArticleResolver) -> list[Mention]:
    """On whose word a clause is: "according to X", "..., X said", or the subject of a report
    verb above it; never one of the clause's own agents."""
    own = {a.actor.id for a in agents}
    sent = verb.sent
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor(1).lower_ == "to":
            for pobj in tok.nbor(1).children:
                ms = resolver.mentions(pobj) if pobj.dep_ == "pobj" else []
                if ms and ms[0].actor.id not in own:
                    return ms[:1]
    tails = [t for t in verb.children if t.lemma_.lower() in REPORT_VERBS and _attribution_tail(t)]
    reporters = []
    cur = verb
    while cur.dep_ in ("ccomp", "xcomp", "conj", "parataxis", "dep", "pcomp", "prep") and cur.head.i != cur.i:
        cur = cur.head  # up through content clauses only: not "..., while X condemned"
        if cur.lemma_.lower() in REPORT_VERBS:
            reporters.append(cur)
    for rep in tails + reporters:
        subj = _subject(rep)
        ms = resolver.mentions(subj) if subj is not None else []
        if ms and ms[0].actor.id not in own:
            return ms[:1]
    return []


BLAME_WORDS = word_list("blame_words")


def _blame_frames(sent: Span, resolver: ArticleResolver) -> Iterable[_Frame]:
    """"(May said) the Russian state was responsible for the attempted murder": the source
    accuses the subject (112)."""
    for word in sent:
        if word.lower_ not in BLAME_WORDS or word.dep_ not in ("acomp", "attr", "prep"):
            continue
        cop = word.head
        subj = _subject(cop) if cop.lemma_.lower() == "be" else None
        targets = resolver.mentions(subj) if subj is not None else []
        if not targets:
            continue
        sources = _source_mentions(cop, targets, resolver)
        if not sources:
            continue
        preps = [word] if word.dep_ == "prep" else [p for p in word.children if p.dep_ == "prep"]
        pobj = next((g for p in preps for g in p.children if g.dep_ == "pobj"), None)
        theme = _phrase_text(pobj) if pobj is not None else ""
        yield _Frame("112", "blamed", [word], cop, sources, targets, theme, None, "verb", 0.7)


def _date_of(verb: Token, sent: Span, article: Article, modality: str) -> tuple[str, str]:
    ents = [e for e in sent.ents if e.label_ in ("DATE", "TIME")]
    if not ents:
        return article.published, ""
    comp = _complement(verb) if verb.pos_ in ("VERB", "AUX") else None
    mine = {verb.i} | ({comp.i} if comp is not None else set())
    near = [e for e in ents if (g := _governing_verb(e.root)) is not None and g.i in mine]
    if not near and verb.pos_ not in ("VERB", "AUX"):
        near = [e for e in ents if _governing_verb(e.root) == _governing_verb(verb)]
    if not near:
        # "X met Y on Wednesday, Xinhua reported": the date hangs off the reporting verb
        reporters = {a.i for a in verb.ancestors if a.lemma_.lower() in REPORT_VERBS}
        near = [e for e in ents if (g := _governing_verb(e.root)) is not None and g.i in reporters]
    if not near:
        return article.published, ""
    future = modality == "intended"
    dated = [(e, d) for e in near if (d := resolve_date(e.text, article.published, future=future))]
    if not dated:
        return article.published, ""  # "a seven-day ceasefire" names a span, not a date
    ent, date = min(dated, key=lambda ed: abs(ed[0].root.i - verb.i))
    return date, ent.text


def _governing_verb(tok: Token) -> Token | None:
    for anc in tok.ancestors:
        if anc.pos_ in ("VERB", "AUX") and anc.dep_ not in ("amod",):
            return anc
    return None


def _place_of(verb: Token, resolver: ArticleResolver) -> str:
    """Where: an "in/at" phrase on the verb or its object ("met Raisi in Tehran", "at the G20
    summit in Osaka, Japan"), not one deeper down ("sanctions over its war in Ukraine")."""
    level1 = [c for c in verb.children if c.dep_ in ("dobj", "prep", "npadvmod")]
    preps = [c for c in level1 if c.dep_ == "prep"]
    preps += [g for c in level1 if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"]
    near = [g for p in preps for g in p.children if g.dep_ == "pobj"]
    # "held talks with Xi Jinping in Paris": the place the parser hung on the partner
    near += [g2 for t in near if t.ent_type_ == "PERSON" for p in t.children if p.dep_ == "prep"
             for g2 in p.children if g2.dep_ == "pobj"]
    for tok in near:
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and (
                tok.ent_type_ in ("GPE", "LOC", "FAC") or (tok.ent_type_ == "ORG" and is_place(tok))):
            place = _place_name(tok)
            if place:
                return place
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and tok.lemma_.lower() in PLACE_HOLDERS:
            for t in tok.subtree:  # "at the G20 summit in Osaka, Japan"
                if t.dep_ == "pobj" and t.ent_type_ in ("GPE", "LOC") and t.head.lower_ == "in":
                    place = _place_name(t)
                    if place:
                        return place
    return ""


PLACE_HOLDERS = word_list("place_holders")


def _place_name(tok: Token) -> str:
    """The place entity at `tok`, with the country after a comma ("Osaka, Japan")."""
    ent = entity_of(tok)
    if ent is None:
        return ""
    place, nxt = ent.text, ent.end
    if nxt + 1 < len(tok.doc) and tok.doc[nxt].text == "," and tok.doc[nxt + 1].ent_type_ == "GPE":
        follow = entity_of(tok.doc[nxt + 1])
        if follow is not None:
            place = f"{place}, {follow.text}"
    return place


def _to_mentions(frame: _Frame, sent: Span, article: Article, resolver: ArticleResolver) -> list[EventMention]:
    modality = _modality(frame.verb)
    if frame.method == "nominal" and modality == "asserted":
        # the noun's own words ("any deal"), else the clause it sits in ("plans talks"); a negated
        # clause around a meeting ("did not say after the talks") does not negate the meeting
        modality = _nominal_modality(frame.verb) or (
            _modality(frame.verb.head) if frame.verb.head.pos_ in ("VERB", "AUX") else "asserted")
        if modality == "negated" and not _nominal_modality(frame.verb):
            modality = "asserted"
    reported_by = _reported_by(frame.verb, frame.agents, resolver)
    date, date_text = _date_of(frame.verb, sent, article, modality)
    place = _place_of(frame.verb, resolver)
    start = min(t.idx for t in frame.trigger)
    end = max(t.idx + len(t.text) for t in frame.trigger)
    trigger_text = sent.doc.text[start:end]
    agents = frame.agents
    targets: list[Mention | None] = list(frame.targets) or [None]
    pairs: list[tuple[Mention, Mention | None, str]] = []
    for a in agents:
        for t in targets:
            pairs.append((a, t, frame.method))
    symmetric = frame.symmetric
    if symmetric and len(agents) >= 2 and targets == [None]:
        pairs = [(a, b, "symmetric") for a in agents for b in agents if a.actor.id != b.actor.id]
    elif symmetric and frame.method == "nominal":
        pairs += [(t, a, "symmetric") for a in agents for t in frame.targets]
    out = []
    for agent, target, method in pairs:
        if target is not None and target.actor.id == agent.actor.id:
            continue
        conf = frame.confidence - (0.1 if method == "symmetric" else 0.0)
        if agent.text.lower() in ("he", "she", "they", "it", "him", "her", "his", "its", "their"):
            conf -= 0.1
        out.append(EventMention(
            article_id=article.id, agent=agent, relation=frame.relation, cameo=frame.entry_code, target=target,
            theme=frame.theme, theme_actor=frame.theme_actor, date=date, date_text=date_text, place=place,
            reported_by=reported_by, modality=modality, confidence=round(max(conf, 0.1), 2),
            sentence=sent.text.strip(), sentence_start=sent.start_char, sentence_end=sent.end_char,
            trigger=trigger_text, trigger_start=start, trigger_end=end, method=method))
    return out


def _drop_duplicates(mentions: list[EventMention]) -> list[EventMention]:
    seen: set[tuple] = set()
    out = []
    for m in mentions:
        key = (m.agent.actor.id, m.target.actor.id if m.target else "", m.cameo, m.relation, m.sentence_start)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
