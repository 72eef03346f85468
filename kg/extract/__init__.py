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

from spacy.tokens import Doc

from kg.extract.attribution import blame_frames
from kg.extract.candidates import generate
from kg.extract.coder import Coder
from kg.extract.lexicon import readings_kept
from kg.extract.mentions import to_mentions
from kg.extract.nouns import noun_frames
from kg.extract.verbs import control_frames, intent_adjective_frames, verb_frames
from kg.records import Article, EventMention
from kg.resolve import actor_annotations


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
                out.extend(to_mentions(frame, sent, article, actors))
    return _drop_duplicates(out)


def code_events(doc: Doc, article: Article, coder: Coder, *, threshold: float | None = None) -> list[EventMention]:
    """The events a trained coder keeps among the candidates of a parsed, resolved article: the
    constructions' events and every other pairing of the actors of a sentence
    (`kg.extract.candidates`), each kept when its probability reaches `threshold` (default: the
    model's, chosen on held-out folds)."""
    with readings_kept(doc):  # one keeping of the words' readings for the rules and the candidates
        rules = extract_events(doc, article)
        return coder.decide(doc, article, generate(doc, rules), threshold=threshold)


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
