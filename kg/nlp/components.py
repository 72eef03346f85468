"""The components `kg` adds to a spaCy pipeline: sentence breaks at blank lines and in runs of
hundreds of words (`paragraph_breaks`), the gazetteer's names as entities before the NER
(`ActorRuler`), no sentence break inside a known name (`NameGuard`), and group nouns that the
tagger took for names given back their tag (`CommonNounGuard`)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.knowledge import group_nouns

#: Words after which a run with no sentence end is cut at the next comma or semicolon, and the
#: words after which it is cut anyway. A news sentence has a few dozen words; a paragraph with no
#: full stop (a feed's flattened table, a transcript) would otherwise be one sentence of thousands,
#: and every step that climbs its parse would cost the square of its length.
LONG_SENTENCE = 250
LONGEST_SENTENCE = 2 * LONG_SENTENCE


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):  # type: ignore[no-untyped-def]
    """A blank line ends a sentence: titles and paragraphs must not run into each other. A run of
    more than `LONG_SENTENCE` words with no break is cut after its next comma or semicolon (after
    `LONGEST_SENTENCE` words at the latest); the parser keeps breaks set before it."""
    run = 0
    for tok in doc[:-1]:
        run += 1
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
            run = 0
        elif run >= LONGEST_SENTENCE or (run >= LONG_SENTENCE and tok.text in (",", ";")):
            doc[tok.i + 1].is_sent_start = True
            run = 0
    return doc


#: A compiled name: its tokens as the tokenizer splits them, the entity label, the actor id.
NamePattern = tuple[tuple[str, ...], str, str]
#: First token -> the names that start with it, longest first.
NameTable = dict[str, tuple[NamePattern, ...]]


class ActorRuler:
    """Before the NER: every gazetteer name in the text becomes an entity with the actor's id.
    Longer names win over shorter ones, and earlier over later, as in spaCy's EntityRuler with
    `overwrite_ents`; a name the table does not hold is left to the NER."""

    def __init__(self) -> None:
        self.table: NameTable = {}

    def matches(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        words = [t.text for t in doc]
        found = []
        for i, word in enumerate(words):
            for orths, label, actor_id in self.table.get(word, ()):
                if tuple(words[i:i + len(orths)]) == orths:
                    found.append((i, i + len(orths), label, actor_id))
        return sorted(set(found), key=lambda m: (-(m[1] - m[0]), m))

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc.ents)
        new: list[Span] = []
        seen: set[int] = set()
        for start, end, label, actor_id in self.matches(doc):
            if seen.intersection(range(start, end)):
                continue
            new.append(Span(doc, start, end, label=label, span_id=actor_id))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new
        return doc


class NameGuard:
    """Before the parser: no sentence may start inside a known multi-word name ("Moon Jae In
    agreed ..." is not two sentences)."""

    def __init__(self) -> None:
        self.table: NameTable = {}

    def __call__(self, doc: Doc) -> Doc:
        words = [t.text for t in doc]
        for i, word in enumerate(words):
            for orths, _, _ in self.table.get(word, ()):
                if len(orths) > 1 and tuple(words[i:i + len(orths)]) == orths:
                    for tok in doc[i + 1:i + len(orths)]:
                        if tok.is_sent_start is None:
                            tok.is_sent_start = False
                    break  # the longest name starting here covers the shorter ones
        return doc


class CommonNounGuard:
    """After the NER: a group noun opening a sentence that the tagger took for a name ("Gunmen
    stormed ..." after a headline in title case) is a common noun again, with its lemma, so that
    resolution reads it as the group it names."""

    def __init__(self, nlp: Language) -> None:
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None

    def __call__(self, doc: Doc) -> Doc:
        if self.lemmatizer is None or not hasattr(self.lemmatizer, "rule_lemmatize"):
            return doc
        nouns = group_nouns()
        for sent in doc.sents:
            tok = next((t for t in sent if not (t.is_punct or t.is_space)), None)
            if (tok is None or tok.pos_ != "PROPN" or tok.ent_type_ or not tok.is_title
                    or tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
                continue
            pos, tag = tok.pos_, tok.tag_
            tok.pos_, tok.tag_ = "NOUN", "NNS" if tok.lower_.endswith("s") or tok.lower_.endswith("men") else "NN"
            lemma = self.lemmatizer.rule_lemmatize(tok)[0].lower()
            if lemma in nouns:
                tok.lemma_ = lemma
            else:
                tok.pos_, tok.tag_ = pos, tag
        return doc


@Language.factory("kg_common_nouns")
def _make_common_noun_guard(nlp: Language, name: str) -> CommonNounGuard:
    return CommonNounGuard(nlp)


@Language.factory("kg_actor_ruler")
def _make_actor_ruler(nlp: Language, name: str) -> ActorRuler:
    return ActorRuler()


@Language.factory("kg_name_guard")
def _make_name_guard(nlp: Language, name: str) -> NameGuard:
    return NameGuard()
