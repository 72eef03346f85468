"""Attribution: on whose word a clause is, and what a statement reports (a demand, an appeal, a
judgement, an accusation or the speaker's own act)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from kg.extract.arguments import agent_of, objects, owner_of_what_was_hit
from kg.extract.circumstances import phrase_text
from kg.extract.judgement import doer_of_act
from kg.extract.lexicon import (
    APPEAL_MODALS,
    BLAME_WORDS,
    DEMAND_MODALS,
    ENFORCEMENT_NOUNS,
    MATERIAL_ROOTS,
    NECESSITY_NOUNS,
    NEGATIVE_JUDGEMENTS,
    REPORT_VERBS,
    Frame,
    chain_tops,
    earlier_acts,
    match_verb,
    per_token,
    subject,
)
from kg.extract.modality import modality
from kg.records import Mention
from kg.resolve import ActorAnnotations, actor_annotations, parse_arrays, tokens_of


def reported_by(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> str:
    """The label of the source on whose word the clause is ("according to X", "..., X said"), "" when
    there is none."""
    sources = _source_mentions(verb, agents, actors)
    return sources[0].actor.label if sources else ""


def _source_mentions(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """On whose word a clause is: "according to X", "..., X said", or the subject of a report
    verb above it; never one of the clause's own agents."""
    own = {a.actor.id for a in agents}
    return next(([m] for m in _sources(verb) if m.actor.id not in own), [])


@per_token
def _sources(verb: Token) -> list[Mention]:
    """Everyone a clause could be on the word of, in the order `_source_mentions` prefers them:
    the actor of each "according to", then the subject of each report verb attached after the
    clause or above it (kept per verb: each agent and target of a verb asks again)."""
    actors = actor_annotations(verb.doc)
    found: list[Mention] = []
    sent = verb.sent
    for tok in tokens_of(sent, lower=("according",)):
        if tok.i + 1 < sent.end and tok.nbor(1).lower_ == "to":
            for pobj in tok.nbor(1).children:
                ms = actors.mentions(pobj) if pobj.dep_ == "pobj" else []
                found += ms[:1]
    tails = [t for t in verb.children if t.lemma_.lower() in REPORT_VERBS and attribution_tail(t)]
    for rep in tails + list(_reporters_above(verb)):
        subj = subject(rep)
        found += (actors.mentions(subj) if subj is not None else [])[:1]
    return found


def _reporters_above(verb: Token) -> Iterator[Token]:
    """The report verbs above `verb`, nearest first, reached up through content clauses only: not
    "..., while X condemned" (each chain climbed once per document, `chain_tops`)."""
    doc = verb.doc
    parse = parse_arrays(doc)
    dep, lemma = parse.dep, parse.lemma
    tops = chain_tops(doc, "kg.reporters_above", up=lambda i: dep[i] in _CONTENT_CLAUSE_DEPS,
                      stop=lambda i: lemma[i] in REPORT_VERBS)
    i = verb.i
    while (j := tops[i]) != i and lemma[j] in REPORT_VERBS:
        yield doc[j]
        i = j


_CONTENT_CLAUSE_DEPS = ("ccomp", "xcomp", "conj", "parataxis", "dep", "pcomp", "prep")


def attribution_tail(verb: Token) -> bool:
    """A report verb the parser hung under the reported clause, with nothing of its own to say."""
    return (verb.dep_ in ("ccomp", "parataxis", "advcl", "conj") and verb.head.i < verb.i
            and match_verb(verb.head) is not None
            and not any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in verb.children))


def speaker_for_own_state(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """"Lavrov said Moscow wanted ...", "Kazakhstan is ready to ..., according to Tokayev": an
    official speaking of their own state acts for it, so the official is the agent (CAMEO codes
    the speaker's government, and analysts the speaker)."""
    if len(agents) != 1 or agents[0].actor.type != "country":
        return agents
    speakers = _source_mentions(verb, agents, actors)
    if (len(speakers) == 1 and speakers[0].actor.type == "person"
            and speakers[0].actor.country == agents[0].actor.country and speakers[0].actor.role == "GOV"):
        return speakers
    return agents


def reported_act(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention] | str:
    """What a statement reports, when its content clause is itself an event: "own" when the
    speaker's side does it ("said it would veto", "said he had met"), so the bare statement adds
    nothing; the doers, when they are others whose act is hostile ("said that X had shelled Y"), so
    the statement is an accusation; else nothing."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
    entry = match_verb(clause) if clause is not None else None
    while clause is not None and entry is None:  # "said Germany would continue to support Ukraine"
        clause = next((c for c in clause.children if c.dep_ == "xcomp"), None)
        entry = match_verb(clause) if clause is not None else None
    if clause is None or entry is None:
        return []
    doers = agent_of(clause, actors)
    if not doers:
        return []
    own = {a.actor.id for a in agents} | {a.actor.country for a in agents if a.actor.country}
    # a speaker of no stated country ("..., the military said") speaks for doers of its own kind
    kinds = {a.actor.role for a in agents if a.actor.type == "group" and not a.actor.country and a.actor.role}
    if all(d.actor.id in own or d.actor.country in own or d.actor.role in kinds for d in doers):
        return "own"
    if entry.code[:2] in MATERIAL_ROOTS and modality(clause) == "asserted" and (
            objects(clause, entry, actors) or owner_of_what_was_hit(clause, doers, actors)):
        # a hostile act against someone ("said X had shelled its villages"), not a launch into the sea
        return [d for d in doers if d.actor.id not in own and d.actor.country not in own]
    return []


def judged_in_complement(verb: Token, agents: list[Mention], actors: ActorAnnotations) -> list[Mention] | None:
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
        doers = actors.mentions(subj) or doer_of_act(subj, verb, actors, agents)
        return [d for d in doers if d.actor.id not in own and d.actor.country not in own]
    return None


def demand_code(verb: Token) -> str:
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


def unstated_enforcer(verb: Token, targets: list[Mention], actors: ActorAnnotations) -> list[Mention]:
    """Who arrested, detained or deported when the passive does not say: the force named in the
    clause ("were detained in a police raid"), else the authority that reports it ("police said
    seven men had been arrested"), else the state where it happened ("was arrested in Manila")."""
    for tok in verb.subtree:
        if tok.dep_ == "compound" and tok.head.lemma_.lower() in ENFORCEMENT_NOUNS:
            found = actors.mentions(tok)
            if found:
                return found
    own = {t.actor.id for t in targets}
    for source in _source_mentions(verb, targets, actors):
        if (source.actor.role in ("COP", "MIL", "JUD", "GOV") and source.actor.type != "person"
                and source.actor.id not in own):  # "police said", not a foreign leader commenting
            return [source]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at")):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            found = actors.place_mentions(pobj)
            if found:
                return found
    # else whoever was last told doing such an act ("Police arrested X. He was detained on ...")
    for tok, _ in earlier_acts(verb, lambda e: e.code[:2] == "17"):
        if any(c.dep_ == "auxpass" for c in tok.children):
            continue  # another passive names no one either
        found = [m for m in agent_of(tok, actors) if m.actor.id not in own and m.actor.type != "person"]
        if found:
            return found[:1]
    # else the state of the one arrested, who is most often arrested at home ("Duterte was arrested")
    home = {t.actor.country for t in targets if t.actor.type == "person" and t.actor.country}
    state = actors.country(home.pop()) if len(home) == 1 else None
    return [Mention(text="", start=verb.idx, end=verb.idx, actor=state)] if state is not None else []


def blame_frames(sent: Span, actors: ActorAnnotations) -> Iterable[Frame]:
    """"(May said) the Ruritanian state was responsible for the poisoning": the source
    accuses the subject (112)."""
    for word in tokens_of(sent, dep=("acomp", "attr", "prep")):
        if word.lower_ not in BLAME_WORDS or word.dep_ not in ("acomp", "attr", "prep"):
            continue
        cop = word.head
        subj = subject(cop) if cop.lemma_.lower() == "be" else None
        targets = actors.mentions(subj) if subj is not None else []
        if not targets:
            continue
        sources = _source_mentions(cop, targets, actors)
        if not sources:
            continue
        preps = [word] if word.dep_ == "prep" else [p for p in word.children if p.dep_ == "prep"]
        pobj = next((g for p in preps for g in p.children if g.dep_ == "pobj"), None)
        theme = phrase_text(pobj) if pobj is not None else ""
        yield Frame("112", "blamed", [word], cop, sources, targets, theme, None, "verb", 0.7)
