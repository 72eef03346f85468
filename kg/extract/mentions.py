"""From a frame to its event mentions: one per agent and target (both ways when symmetric), with the
modality, source, date and place read around the frame's word."""
from __future__ import annotations

from spacy.tokens import Span

from kg.extract.attribution import reported_by as _reported_by
from kg.extract.circumstances import date_of, place_of
from kg.extract.lexicon import PRONOUNS, Frame, kept_reading
from kg.extract.modality import modality as _modality
from kg.extract.modality import nominal_modality
from kg.records import Article, EventMention, Mention
from kg.resolve import ActorAnnotations, doc_text, span_text


def to_mentions(frame: Frame, sent: Span, article: Article, actors: ActorAnnotations, *,
                confidence: float | None = None) -> list[EventMention]:
    """A frame's mentions, one per agent and target (both ways when symmetric), with their modality,
    source, date and place. Their confidence is the rules' (the frame's, less for a pronoun agent or
    the other way round), or `confidence` for all (the trained coder's probability)."""
    modality = _modality(frame.verb)
    if frame.method == "nominal" and modality == "asserted":
        # the noun's own words ("any deal"), else the clause it sits in ("plans talks"); a negated
        # clause around a meeting ("did not say after the talks") does not negate the meeting
        modality = nominal_modality(frame.verb) or (
            _modality(frame.verb.head) if frame.verb.head.pos_ in ("VERB", "AUX") else "asserted")
        if modality == "negated" and not nominal_modality(frame.verb):
            modality = "asserted"
    reported_by = _reported_by(frame.verb, frame.agents, actors)
    # each agent, target and root of a word asks again: the answers are kept per word while extracting
    verb, doc = frame.verb, sent.doc
    date, date_text = kept_reading(doc, ("date_of", verb.i, sent.start, modality),
                                   lambda: date_of(verb, sent, article, modality))
    place = kept_reading(doc, ("place_of", verb.i), lambda: place_of(verb, actors))
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
        conf = round(max(conf, 0.1), 2) if confidence is None else confidence
        out.append(EventMention(
            article_id=article.id, agent=agent, relation=frame.relation, cameo=frame.entry_code, target=target,
            theme=frame.theme, theme_actor=frame.theme_actor, date=date, date_text=date_text, place=place,
            reported_by=reported_by, modality=modality, confidence=conf,
            sentence=sentence, sentence_start=sent.start_char, sentence_end=sent.end_char,
            trigger=trigger_text, trigger_start=start, trigger_end=end, method=method))
    return out
