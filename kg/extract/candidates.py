"""Candidate events: every pair of actors a sentence brings together, with the features a trained
coder (`kg.extract.coder`) reads to decide which CAMEO roots, if any, the sentence tells of them.

The constructions of this package find events with high precision but miss most of what a careful
reader codes. Candidates trade the other way: for each sentence, each actor it names paired with
each other actor it names, with each actor of the sentence before, and with no target. What the
rules, the verb and noun lexicons and the words between the two actors say of each root becomes
features; the coder, trained on annotated reports, scores every root of every pair at once.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import PRONOUNS, match_verb, nominal_reading
from kg.knowledge import noun_lexicon
from kg.records import EventMention, Mention
from kg.resolve import ActorAnnotations, actor_annotations

ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
#: Words of a path that tell the kind of act (verbs, event nouns, adjectives of judgement).
_CONTENT_POS = ("VERB", "NOUN", "ADJ", "AUX")
#: How far up from a mention its governing words are followed.
_MAX_UP = 8


@dataclass
class Pair:
    """Two actors (or one, `target` None) brought together by a sentence, and what could link them."""

    sent: Span
    agent: Mention
    target: Mention | None
    anchor: Token  # the word joining them: their lowest common ancestor, or the agent's verb
    features: list[str]  # what holds whatever the root
    per_root: dict[str, list[str]] = field(default_factory=dict)  # what holds for one root only
    triggers: dict[str, Token] = field(default_factory=dict)  # root -> the word that reads it
    rules: dict[str, EventMention] = field(default_factory=dict)  # root -> the constructions' mention


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) <= _MAX_UP:
        out.append(out[-1].head)
    return out


def path_between(a: Token, b: Token) -> tuple[list[Token], Token | None, list[Token]]:
    """The tokens from `a` up to the lowest common ancestor (exclusive), that ancestor, and from `b` up to it.

    >>> import spacy
    >>> doc = spacy.blank("en")("a b c")
    >>> path_between(doc[0], doc[0])[1].text
    'a'
    """
    up_a, up_b = _ancestors(a), _ancestors(b)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in ids_b:
            return up_a[:k], t, up_b[:ids_b[t.i]]
    return up_a, None, up_b


def governing_word(tok: Token) -> Token:
    """The verb a phrase hangs from (the sentence's root when none)."""
    for t in _ancestors(tok)[1:]:
        if t.pos_ in ("VERB", "AUX"):
            return t
    return tok.sent.root


def readings(tok: Token) -> list[tuple[str, str, str]]:
    """The lexicons' readings of a word: (code, "verb" or "noun", relation)."""
    if tok.pos_ in ("VERB", "AUX"):
        entry = match_verb(tok)
        return [(entry.code, "verb", entry.relation)] if entry is not None else []
    if tok.pos_ in ("NOUN", "PROPN"):
        noun = noun_lexicon().get(tok.lemma_.lower()) or nominal_reading(tok)
        return [(noun.code, "noun", noun.relation)] if noun is not None else []
    return []


def _deps(path: list[Token]) -> str:
    return ">".join(t.dep_ for t in path[:3]) or "-"


def _kind(m: Mention | None) -> str:
    return "none" if m is None else f"{m.actor.type}:{m.actor.role or '-'}"


def _sentence_mentions(sent: Span, actors: ActorAnnotations) -> dict[str, tuple[Mention, Token]]:
    """The actors a sentence names, each once (its first mention), with the mention's head token."""
    out: dict[str, tuple[Mention, Token]] = {}
    for tok in sent:
        for m in actors.named(tok):
            out.setdefault(m.actor.id, (m, tok))
    return out


def _trigger(doc: Doc, m: EventMention) -> Token | None:
    span = doc.char_span(m.trigger_start, m.trigger_end, alignment_mode="expand")
    return span.root if span is not None else None


def generate(doc: Doc, rule_mentions: list[EventMention]) -> Iterator[Pair]:
    """Every candidate pair of every sentence of a parsed document that resolution has annotated.

    `rule_mentions` are what the constructions found there (`kg.extract.extract_events`): their
    readings become features of their pair, and their trigger the word a kept event hangs on.
    """
    actors = actor_annotations(doc)
    by_sentence: dict[int, list[EventMention]] = {}
    for m in rule_mentions:
        by_sentence.setdefault(m.sentence_start, []).append(m)
    sents = list(doc.sents)
    salience: dict[str, int] = {}
    for ms in actors.by_head.values():
        for m in ms:
            salience[m.actor.id] = salience.get(m.actor.id, 0) + 1
    top = max(salience.values(), default=0)
    previous: dict[str, tuple[Mention, Token]] = {}
    for k, sent in enumerate(sents):
        named = _sentence_mentions(sent, actors)
        context = _SentenceContext(sent, k, len(sents), by_sentence.get(sent.start_char, []), salience, top)
        for aid, (agent, a_tok) in named.items():
            yield _pair(context, agent, a_tok, None, None, "none")
            others = [(target, t_tok) for tid, (target, t_tok) in named.items() if tid != aid]
            nearest = min((_path_length(a_tok, t_tok) for _, t_tok in others), default=0)
            for target, t_tok in others:
                pair = _pair(context, agent, a_tok, target, t_tok, "same")
                pair.features.append(f"nearest={_path_length(a_tok, t_tok) == nearest}")
                yield pair
            for tid, (target, t_tok) in previous.items():
                if tid != aid and tid not in named:
                    yield _pair(context, agent, a_tok, target, t_tok, "prev")
        previous = named or previous


class _SentenceContext:
    """What every pair of one sentence shares."""

    def __init__(self, sent: Span, k: int, n: int, rules: list[EventMention], salience: dict[str, int],
                 top: int) -> None:
        self.sent = sent
        self.rules = rules
        self.salience = salience
        self.top = top
        position = "title" if k == 0 else "lead" if k <= 2 else "mid" if k < n * 0.6 else "end"
        quoted = any(t.text in ('"', "“", "”") for t in sent)
        self.features = [f"pos={position}", f"quoted={quoted}", f"nrules={min(len(rules), 3)}"]
        self.sentence_roots: dict[str, str] = {}
        for t in sent:
            for code, kind, _ in readings(t):
                self.sentence_roots.setdefault(code[:2], kind)
        self.speakers = {m.agent.actor.id for m in rules if m.cameo[:2] == "01"}


def _path_length(a: Token, b: Token) -> int:
    up_a, lca, up_b = path_between(a, b)
    return len(up_a) + len(up_b) + (0 if lca is not None else 10)


def _salience(ctx: _SentenceContext, m: Mention | None) -> str:
    if m is None:
        return "none"
    n = ctx.salience.get(m.actor.id, 0)
    return "top" if n == ctx.top else "1" if n <= 1 else "few" if n <= 3 else "many"


def _pair(ctx: _SentenceContext, agent: Mention, a_tok: Token, target: Mention | None, t_tok: Token | None,
          where: str) -> Pair:
    sent, doc = ctx.sent, ctx.sent.doc
    tid = target.actor.id if target else ""
    if where == "same" and t_tok is not None:
        up_a, lca, up_t = path_between(a_tok, t_tok)
        anchor = lca if lca is not None else sent.root
        path = [*up_a, anchor, *up_t]
    else:
        anchor = governing_word(a_tok)
        up_a, up_t = [a_tok], []
        path = [a_tok, anchor]
    ends = {a_tok.i, t_tok.i if t_tok is not None else -1}
    words = [t for t in path if t.pos_ in _CONTENT_POS and t.i not in ends]
    if anchor not in words:
        words.append(anchor)
    prep = next((t.lower_ for t in up_t if t.dep_ == "prep"), "")
    same_country = target is not None and bool(agent.actor.country) and agent.actor.country == target.actor.country
    dist = min(abs(a_tok.i - t_tok.i), 30) // 5 if t_tok is not None and where == "same" else -1
    features = [*ctx.features, f"where={where}", f"adep={_deps(up_a)}", f"tdep={_deps(up_t) if up_t else where}",
                f"prep={prep}", f"akind={_kind(agent)}", f"tkind={_kind(target)}", f"anchor={anchor.lemma_.lower()}",
                f"anchorpos={anchor.pos_}", f"dist={dist}", f"apron={agent.text.lower() in PRONOUNS}",
                f"tpron={target is not None and target.text.lower() in PRONOUNS}", f"samecountry={same_country}",
                f"speaker={agent.actor.id in ctx.speakers}", f"adep1={a_tok.dep_}",
                f"tdep1={t_tok.dep_ if t_tok is not None else where}"]
    anchor_lemma = anchor.lemma_.lower()
    features += [f"w={t.lemma_.lower()}" for t in words]
    features += [f"asal={_salience(ctx, agent)}", f"tsal={_salience(ctx, target)}",
                 f"adep1={a_tok.dep_}|anchor={anchor_lemma}", f"tdep1={t_tok.dep_ if t_tok is not None else where}"
                 f"|prep={prep}|anchor={anchor_lemma}", f"asubj={a_tok.head.i == anchor.i and a_tok.dep_ == 'nsubj'}"]
    features += [f"neg={c.lower_}" for t in words[-1:] for c in t.children if c.dep_ == "neg"]
    pair = Pair(sent, agent, target, anchor, features)
    rule_other = False
    for m in ctx.rules:
        if m.agent.actor.id != agent.actor.id:
            continue
        if (m.target.actor.id if m.target else "") == tid:
            root = m.cameo[:2]
            if root not in pair.rules:
                pair.rules[root] = m
                pair.per_root.setdefault(root, []).extend(["rule", f"rule|method={m.method}", f"rule|mod={m.modality}",
                                                           f"rule|conf={int(m.confidence * 10)}"])
                trig = _trigger(doc, m)
                if trig is not None:
                    pair.triggers[root] = trig
        else:
            rule_other = True
    features.append(f"ruleother={rule_other}")
    for t in words:
        for code, kind, _ in readings(t):
            root = code[:2]
            extra = pair.per_root.setdefault(root, [])
            if "lex" not in extra:
                extra += ["lex", f"lex|{kind}", f"lexanchor={t.i == anchor.i}"]
                pair.triggers.setdefault(root, t)
    for root, kind in ctx.sentence_roots.items():
        pair.per_root.setdefault(root, []).append(f"sentlex|{kind}")
    return pair
