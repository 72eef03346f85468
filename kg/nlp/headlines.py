"""Headlines parsed as sentences: "US, Taliban sign deal" is read as "US and Taliban sign a deal"
and that parse is copied back onto the headline's own tokens (`reparse_headlines`)."""
from __future__ import annotations

import itertools
from collections.abc import Sequence

from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from kg.knowledge import verb_lexicon


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
