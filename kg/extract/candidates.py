"""Candidate events: every pair of actors a sentence brings together, with the features a trained
coder (`kg.extract.coder`) reads to decide which CAMEO roots, if any, the sentence tells of them.

The constructions of this package find events with high precision but miss most of what a careful
reader codes. Candidates trade the other way: for each sentence, each actor it names paired with
each other actor it names, with each actor of the sentence before, and with no target. What the
rules, the verb and noun lexicons and the words between the two actors say of each root becomes
features; the coder, trained on annotated reports, scores every root of every pair at once.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import PRONOUNS, match_verb, nominal_reading_of
from kg.knowledge import noun_lexicon
from kg.records import EventMention, Mention
from kg.resolve import ActorAnnotations, actor_annotations, parse_arrays, token_indices

ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
#: Words of a path that tell the kind of act (verbs, event nouns, adjectives of judgement).
_CONTENT_POS = ("VERB", "NOUN", "ADJ", "AUX")
#: The marks that open or close a quotation.
_QUOTE_MARKS = ('"', "“", "”")
#: The feature of a root some word of the pair's sentence reads ("sentlex|verb", "sentlex|noun").
_SENTENCE_READS = "sentlex|"
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
    #: what holds for one root in every pair of the sentence (the sentence's and the article's readings),
    #: one dict shared by them all rather than copied into each pair's `per_root`
    shared: dict[str, list[str]] = field(default_factory=dict)

    def root_features(self, root: str) -> list[str]:
        """Everything that holds for `root`: the pair's own, then the sentence's and the article's."""
        return [*self.per_root.get(root, ()), *self.shared.get(root, ())]

    def read_in_sentence(self, root: str) -> bool:
        """Whether the constructions, the lexicons' reading of a word joining the pair, or any word of
        its sentence read `root` (not only another sentence of the article)."""
        return root in self.per_root or any(f.startswith(_SENTENCE_READS) for f in self.shared.get(root, ()))


def readings(tok: Token) -> list[tuple[str, str, str]]:
    """The lexicons' readings of a word: (code, "verb" or "noun", relation)."""
    if tok.pos_ in ("VERB", "AUX"):
        entry = match_verb(tok)
        return [(entry.code, "verb", entry.relation)] if entry is not None else []
    if tok.pos_ in ("NOUN", "PROPN"):
        return noun_readings(tok.lemma_.lower())
    return []


def noun_readings(lemma: str) -> list[tuple[str, str, str]]:
    """`readings` of a noun, which its lowercase lemma alone decides."""
    noun = noun_lexicon().get(lemma) or nominal_reading_of(lemma)
    return [(noun.code, "noun", noun.relation)] if noun is not None else []


def _kind(m: Mention | None) -> str:
    return "none" if m is None else f"{m.actor.type}:{m.actor.role or '-'}"


def _sentence_mentions(sent: Span, heads: list[int], actors: ActorAnnotations, view: _DocView
                       ) -> dict[str, tuple[Mention, Token]]:
    """The actors a sentence names, each once (its first mention), with the mention's head token.
    `heads`: the sorted indices of the tokens that head an actor's phrase in the document."""
    out: dict[str, tuple[Mention, Token]] = {}
    for i in heads[bisect_left(heads, sent.start):bisect_left(heads, sent.end)]:
        for m in actors.by_head[i]:
            out.setdefault(m.actor.id, (m, view.doc[i]))
    return out


def _trigger(doc: Doc, m: EventMention) -> Token | None:
    span = doc.char_span(m.trigger_start, m.trigger_end, alignment_mode="expand")
    return span.root if span is not None else None


class _DocView:
    """A document's parse as plain lists, and the paths and readings asked of it, kept: the pairs of a
    sentence ask for the same heads and words many times, and a Token is made anew at every access."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc  # its Tokens are made when asked for: most are never asked for
        parse = parse_arrays(doc)
        self.head, self.dep, self.pos, self.lemma = parse.head, parse.dep, parse.pos, parse.lemma
        self.negations: dict[int, list[str]] = {}  # head -> its "neg" children ("not", "never"), in order
        for i, (dep, head) in enumerate(zip(self.dep, self.head, strict=True)):
            if dep == "neg" and head != i:
                self.negations.setdefault(head, []).append(doc[i].lower_)
        self.quotes = token_indices(doc, lower=_QUOTE_MARKS)
        self._readings: dict[int, list[tuple[str, str, str]]] = {}
        self._word_features: dict[int, str] = {}
        self._paths: dict[tuple[int, int], tuple[list[int], int | None, list[int]]] = {}

    def up(self, i: int) -> list[int]:
        out = [i]
        head = self.head
        while head[out[-1]] != out[-1] and len(out) <= _MAX_UP:
            out.append(head[out[-1]])
        return out

    def path(self, a: int, b: int) -> tuple[list[int], int | None, list[int]]:
        found = self._paths.get((a, b))
        if found is None:
            up_a, up_b = self.up(a), self.up(b)
            ids_b = {t: k for k, t in enumerate(up_b)}
            found = (up_a, None, up_b)
            for k, t in enumerate(up_a):
                if t in ids_b:
                    found = (up_a[:k], t, up_b[:ids_b[t]])
                    break
            self._paths[(a, b)] = found
        return found

    def forget_paths(self) -> None:
        self._paths.clear()

    def path_length(self, a: int, b: int) -> int:
        up_a, lca, up_b = self.path(a, b)
        return len(up_a) + len(up_b) + (0 if lca is not None else 10)

    def governing(self, i: int, sent_root: int) -> int:
        """The nearest verb above word `i`, else the root of its sentence."""
        for t in self.up(i)[1:]:
            if self.pos[t] in ("VERB", "AUX"):
                return t
        return sent_root

    def word_feature(self, i: int) -> str:
        found = self._word_features.get(i)
        if found is None:
            found = self._word_features[i] = f"w={self.lemma[i]}"
        return found

    def readings(self, i: int) -> list[tuple[str, str, str]]:
        found = self._readings.get(i)
        if found is None:
            pos = self.pos[i]
            found = self._readings[i] = (readings(self.doc[i]) if pos in ("VERB", "AUX")
                                         else noun_readings(self.lemma[i]) if pos in ("NOUN", "PROPN") else [])
        return found


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
    for named_here in actors.by_head.values():
        for mention in named_here:
            salience[mention.actor.id] = salience.get(mention.actor.id, 0) + 1
    top = max(salience.values(), default=0)
    view = _DocView(doc)
    heads = sorted(i for i, ms in actors.by_head.items() if ms)
    previous: dict[str, tuple[Mention, Token]] = {}
    told: dict[str, int] = {}  # root -> how many sentences read it
    title_roots: set[str] = set()
    contexts = []
    for k, sent in enumerate(sents):
        context = _SentenceContext(view, sent, k, len(sents), by_sentence.get(sent.start_char, []), salience, top)
        contexts.append(context)
        for root in context.sentence_roots:
            told[root] = told.get(root, 0) + 1
            if k == 0:
                title_roots.add(root)
    for sent, context in zip(sents, contexts, strict=True):
        for root, n in told.items():
            told_here = [f"told={min(n, 4)}", *(["title"] if root in title_roots else [])]
            context.shared.setdefault(root, []).extend(told_here)
        view.forget_paths()  # a sentence's pairs never ask for another's paths
        named = _sentence_mentions(sent, heads, actors, view)
        for aid, (agent, a_tok) in named.items():
            yield _pair(context, agent, a_tok, None, None, "none")
            others = [(target, t_tok) for tid, (target, t_tok) in named.items() if tid != aid]
            nearest = min((view.path_length(a_tok.i, t_tok.i) for _, t_tok in others), default=0)
            for target, t_tok in others:
                pair = _pair(context, agent, a_tok, target, t_tok, "same")
                pair.features.append(f"nearest={view.path_length(a_tok.i, t_tok.i) == nearest}")
                yield pair
            for tid, (target, t_tok) in previous.items():
                if tid != aid and tid not in named:
                    yield _pair(context, agent, a_tok, target, t_tok, "prev")
        previous = named or previous


class _SentenceContext:
    """What every pair of one sentence shares."""

    def __init__(self, view: _DocView, sent: Span, k: int, n: int, rules: list[EventMention],
                 salience: dict[str, int], top: int) -> None:
        self.view = view
        self.sent = sent
        self.root = sent.root.i
        self.rules = rules
        self.rules_of: dict[str, list[EventMention]] = {}  # agent id -> the constructions' mentions of it
        for m in rules:
            self.rules_of.setdefault(m.agent.actor.id, []).append(m)
        self.salience = salience
        self.top = top
        position = "title" if k == 0 else "lead" if k <= 2 else "mid" if k < n * 0.6 else "end"
        quoted = bisect_left(view.quotes, sent.end) > bisect_left(view.quotes, sent.start)
        self.features = [f"pos={position}", f"quoted={quoted}", f"nrules={min(len(rules), 3)}"]
        self.sentence_roots: dict[str, str] = {}
        for i in range(sent.start, sent.end):
            for code, kind, _ in view.readings(i):
                self.sentence_roots.setdefault(code[:2], kind)
        self.speakers = {m.agent.actor.id for m in rules if m.cameo[:2] == "01"}
        # root -> what every pair of the sentence shares: the sentence reads it, then (added by
        # `generate` once the whole article is read) how often the article tells it, in the title or not
        self.shared: dict[str, list[str]] = {root: [f"{_SENTENCE_READS}{kind}"]
                                             for root, kind in self.sentence_roots.items()}
        self.described: dict[tuple[str, int], tuple[str, str, str]] = {}  # `_described`, kept


def _salience(ctx: _SentenceContext, m: Mention | None) -> str:
    if m is None:
        return "none"
    n = ctx.salience.get(m.actor.id, 0)
    return "top" if n == ctx.top else "1" if n <= 1 else "few" if n <= 3 else "many"


def _described(ctx: _SentenceContext, m: Mention | None, side: str) -> tuple[str, str, str]:
    """An agent's ("a") or target's ("t") kind, pronoun and salience features, made once per
    sentence: each actor of a sentence is in many of its pairs."""
    key = (side, id(m))  # the mention objects live as long as the sentence's pairs
    found = ctx.described.get(key)
    if found is None:
        pronoun = m is not None and m.text.lower() in PRONOUNS
        found = ctx.described[key] = (f"{side}kind={_kind(m)}", f"{side}pron={pronoun}",
                                      f"{side}sal={_salience(ctx, m)}")
    return found


def _pair(ctx: _SentenceContext, agent: Mention, a_tok: Token, target: Mention | None, t_tok: Token | None,
          where: str) -> Pair:
    sent, view = ctx.sent, ctx.view
    tid = target.actor.id if target else ""
    a, t = a_tok.i, (t_tok.i if t_tok is not None else -1)
    if where == "same" and t_tok is not None:
        up_a, lca, up_t = view.path(a, t)
        anchor_i = lca if lca is not None else ctx.root
        path = [*up_a, anchor_i, *up_t]
    else:
        anchor_i = view.governing(a, ctx.root)
        up_a, up_t = [a], []
        path = [a, anchor_i]
    pos, dep, lemma = view.pos, view.dep, view.lemma
    words = [i for i in path if pos[i] in _CONTENT_POS and i != a and i != t]
    if anchor_i not in words:
        words.append(anchor_i)
    prep = next((view.doc[i].lower_ for i in up_t if dep[i] == "prep"), "") if up_t else ""
    same_country = target is not None and bool(agent.actor.country) and agent.actor.country == target.actor.country
    dist = min(abs(a - t), 30) // 5 if t_tok is not None and where == "same" else -1
    anchor_lemma = lemma[anchor_i]
    t_dep1 = dep[t] if t_tok is not None else where
    akind, apron, asal = _described(ctx, agent, "a")
    tkind, tpron, tsal = _described(ctx, target, "t")
    features = [*ctx.features, f"where={where}", f"adep={'>'.join([dep[i] for i in up_a[:3]]) or '-'}",
                f"tdep={('>'.join([dep[i] for i in up_t[:3]]) or '-') if up_t else where}",
                f"prep={prep}", akind, tkind, f"anchor={anchor_lemma}", f"anchorpos={pos[anchor_i]}",
                f"dist={dist}", apron, tpron, f"samecountry={same_country}",
                f"speaker={agent.actor.id in ctx.speakers}", f"adep1={dep[a]}", f"tdep1={t_dep1}"]
    features += dict.fromkeys([view.word_feature(i) for i in words])  # each word once, as training counts it
    features += [asal, tsal, f"adep1={dep[a]}|anchor={anchor_lemma}",
                 f"tdep1={t_dep1}|prep={prep}|anchor={anchor_lemma}",
                 f"asubj={view.head[a] == anchor_i and dep[a] == 'nsubj'}"]
    negations = view.negations.get(words[-1])
    if negations:
        features += [f"neg={word}" for word in negations]
    pair = Pair(sent, agent, target, view.doc[anchor_i], features, shared=ctx.shared)
    features.append(f"ruleother={_read_by_the_rules(ctx, pair, tid)}")
    for i in words:
        for code, kind, _ in view.readings(i):
            root = code[:2]
            extra = pair.per_root.setdefault(root, [])
            if "lex" not in extra:
                extra += ["lex", f"lex|{kind}", f"lexanchor={i == anchor_i}"]
                pair.triggers.setdefault(root, view.doc[i])
    return pair


def _read_by_the_rules(ctx: _SentenceContext, pair: Pair, tid: str) -> bool:
    """The constructions' mentions of the pair's agent and target become its per-root features,
    and their triggers its words; True when the rules read the agent with another target."""
    rule_other = False
    for m in ctx.rules_of.get(pair.agent.actor.id, ()):
        if (m.target.actor.id if m.target else "") == tid:
            root = m.cameo[:2]
            if root not in pair.rules:
                pair.rules[root] = m
                pair.per_root.setdefault(root, []).extend(["rule", f"rule|method={m.method}", f"rule|mod={m.modality}",
                                                           f"rule|conf={int(m.confidence * 10)}"])
                trig = _trigger(ctx.sent.doc, m)
                if trig is not None:
                    pair.triggers[root] = trig
        else:
            rule_other = True
    return rule_other
