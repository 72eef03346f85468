"""Event extraction from the dependency parse: who did what to whom, about what, when, where,
on whose word and with what modality.

Verbs are matched against the verb lexicon (lemma + particle + adverb + infinitive complement),
event nouns ("talks with", "a meeting between", "Trump's letter") against the noun lexicon, and
their arguments are read off the parse: subjects, objects, prepositional objects, passive
agents, conjuncts, relative clauses and controlled infinitives. Actors are read from the annotations
that resolution (`kg.resolve`) wrote onto the Doc; extraction never calls back into it.

The public API is `extract_events`, with `document_text`, the text the parse must be of::

    gazetteer = load_gazetteer()
    nlp = load_pipeline(None, gazetteer)
    doc = nlp(document_text(article))
    mentions = extract_events(resolve_actors(doc, gazetteer, article.published), article)

Each construction is a module of a few public functions; a module imports only those above it:

- `lexicon`: the word lists and CAMEO code roots read from `kg/data/`, the `Frame` record the
  constructions yield, and the verb lexicon's reading of a word (`match_verb`, `nominal_reading`)
  with the parse helpers it needs (`subject`, `complement`, `word`).
- `arguments`: who acts and who is acted upon: subjects and their controllers ("urged X to"),
  objects, the owner of what was hit ("shelled two Armenian villages"), "each other".
- `modality`: whether the act happened: asserted, negated, hypothetical or intended.
- `judgement`: judgements and the acts they are about ("called the expulsions unacceptable":
  whoever expelled), and the code of the act an intention or a promise is about.
- `circumstances`: what the event is about, when and where.
- `attribution`: on whose word ("according to X", "..., X said"), and what a statement reports:
  a demand ("must"), an appeal ("should"), a judgement, an accusation, the speaker's own act;
  blame ("X was responsible for"); the enforcer a passive arrest does not name.
- `verbs`: verb frames, and the frames of wanting ("wants Beijing to stop") and of intent
  adjectives ("is willing to").
- `nouns`: event-noun frames.

This module turns the frames of every sentence into `EventMention`s, one per agent and target.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.attribution import blame_frames
from kg.extract.attribution import reported_by as _reported_by
from kg.extract.circumstances import date_of, place_of
from kg.extract.lexicon import (
    PRONOUNS,
    Frame,
    readings_kept,
)
from kg.extract.modality import modality as _modality
from kg.extract.modality import nominal_modality
from kg.extract.nouns import noun_frames
from kg.extract.verbs import control_frames, intent_adjective_frames, verb_frames
from kg.records import Article, EventMention, Mention
from kg.resolve import ActorAnnotations, actor_annotations, doc_text, span_text


def document_text(article: Article) -> str:
    """The text the NLP pipeline reads: title, blank line, body. Offsets point into it."""
    return f"{article.title}\n\n{article.text}" if article.title else article.text


def extract_events(doc: Doc, article: Article) -> list[EventMention]:
    """Every event mention of a parsed article whose actors resolution has annotated, in text order."""
    actors = actor_annotations(doc)
    out: list[EventMention] = []
    with readings_kept(doc):
        for sent in doc.sents:
            frames = [*verb_frames(sent, actors), *noun_frames(sent, actors), *blame_frames(sent, actors),
                      *control_frames(sent, actors), *intent_adjective_frames(sent, actors)]
            for frame in frames:
                out.extend(_to_mentions(frame, sent, article, actors))
    return _drop_duplicates(out)


def _to_mentions(frame: Frame, sent: Span, article: Article, actors: ActorAnnotations) -> list[EventMention]:
    """A frame's mentions, one per agent and target (both ways when symmetric), with their modality,
    source, date and place."""
    modality = _modality(frame.verb)
    if frame.method == "nominal" and modality == "asserted":
        # the noun's own words ("any deal"), else the clause it sits in ("plans talks"); a negated
        # clause around a meeting ("did not say after the talks") does not negate the meeting
        modality = nominal_modality(frame.verb) or (
            _modality(frame.verb.head) if frame.verb.head.pos_ in ("VERB", "AUX") else "asserted")
        if modality == "negated" and not nominal_modality(frame.verb):
            modality = "asserted"
    reported_by = _reported_by(frame.verb, frame.agents, actors)
    date, date_text = date_of(frame.verb, sent, article, modality)
    place = place_of(frame.verb, actors)
    start = min(t.idx for t in frame.trigger)
    end = max(t.idx + len(t.text) for t in frame.trigger)
    trigger_text = doc_text(sent.doc)[start:end]
    sentence = span_text(sent).strip()
    agents = frame.agents
    targets: list[Mention | None] = list(frame.targets) or [None]
    pairs: list[tuple[Mention, Mention | None, str]] = []
    for a in agents:
        for t in targets:
            pairs.append((a, t, frame.method))
    symmetric = frame.symmetric
    if symmetric and len(agents) >= 2 and targets == [None]:
        pairs = [(a, b, "symmetric") for a in agents for b in agents if a.actor.id != b.actor.id]
    elif symmetric:
        pairs += [(t, a, "symmetric") for a in agents for t in frame.targets]
    out = []
    for agent, target, method in pairs:
        if target is not None and target.actor.id == agent.actor.id:
            continue
        conf = frame.confidence - (0.1 if method == "symmetric" else 0.0)
        if agent.text.lower() in PRONOUNS:
            conf -= 0.1
        out.append(EventMention(
            article_id=article.id, agent=agent, relation=frame.relation, cameo=frame.entry_code, target=target,
            theme=frame.theme, theme_actor=frame.theme_actor, date=date, date_text=date_text, place=place,
            reported_by=reported_by, modality=modality, confidence=round(max(conf, 0.1), 2),
            sentence=sentence, sentence_start=sent.start_char, sentence_end=sent.end_char,
            trigger=trigger_text, trigger_start=start, trigger_end=end, method=method))
    return out


def _drop_duplicates(mentions: list[EventMention]) -> list[EventMention]:
    """The first mention of each (agent, target, code, relation, sentence)."""
    seen: set[tuple] = set()
    out = []
    for m in mentions:
        key = (m.agent.actor.id, m.target.actor.id if m.target else "", m.cameo, m.relation, m.sentence_start)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
