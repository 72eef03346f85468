"""Helpers over the parsed document that every part of resolution (and extraction) shares:
the document's text, the entity a token is in, where a name's phrase ends, places, titles."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Sequence

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from kg.knowledge import group_nouns
from kg.resolve.words import (
    COLLECTIVE,
    LOCATIVE_PREPS,
    ONE_PERSON,
    ORG_WORDS,
    STATE_NOUNS,
    THING_WORDS,
    TITLE_WORDS,
    TITLES,
)


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"

def is_place(tok: Token) -> bool:
    """A country or city named as the place of something, not as an actor."""
    if tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG"):
        return False
    head = tok
    while head.dep_ in ("compound", "appos", "conj") and head.head.i != head.i:
        head = head.head
    if head.dep_ != "pobj" or head.head.lower_ not in LOCATIVE_PREPS:
        return False
    governor = head.head.head
    # "the government in Kabul", "officials in Washington": the city names whose they are
    return not (governor.pos_ == "NOUN" and (governor.lemma_.lower() in STATE_NOUNS or
                                             governor.lemma_.lower() in group_nouns()))

def split_entities_at_verbs(doc: Doc) -> Doc:
    """The small NER model sometimes runs one entity over a whole clause ("Biden met Modi" as one
    ORG): a name never contains a finite verb, so such an entity is cut at its verbs, and the
    capitalised pieces on either side stay entities of the same label."""
    if doc.user_data.get("kg_entities_split"):
        return doc
    doc.user_data["kg_entities_split"] = True
    ents = []
    changed = False
    for ent in doc_entities(doc):
        verbs = [t.i for t in ent if t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP")]
        if not verbs or ent.ent_id_:
            ents.append(ent)
            continue
        changed = True
        start = ent.start
        for cut in [*verbs, ent.end]:
            if cut > start and doc[start].text[:1].isupper():
                ents.append(Span(doc, start, cut, label=ent.label_))
            start = cut + 1
    if changed:
        set_entities(doc, ents)
    return doc

def doc_text(doc: Doc) -> str:
    """The document's text, joined once: `Doc.text` rebuilds it from every token on each call."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text

def doc_entities(doc: Doc) -> Sequence[Span]:
    """The document's named entities, listed once: `Doc.ents` (and `Span.ents`, which reads it)
    builds a new `Span` for every entity on each call. Resolution changes them only through
    `set_entities`."""
    ents = doc.user_data.get("kg_entities")
    if ents is None:
        ents = doc.user_data["kg_entities"] = doc.ents
    return ents

def set_entities(doc: Doc, ents: list[Span]) -> None:
    """Replace the document's entities, and forget what was read from the old ones."""
    doc.ents = ents
    doc.user_data.pop("kg_entities", None)
    doc.user_data.pop("kg_entity_index", None)

def span_text(span: Span) -> str:
    """`Span.text`, sliced from the document's text: `Span.text` joins it from every token's."""
    return doc_text(span.doc)[span.start_char:span.end_char] if len(span) else ""

def entity_of(tok: Token) -> Span | None:
    """The named entity a token is part of. Resolution asks this for nearly every token, so
    the token -> entity index is built once per document (after the pipeline has run)."""
    if not tok.ent_type_:
        return None
    index = tok.doc.user_data.get("kg_entity_index")
    if index is None:
        index = {i: ent for ent in doc_entities(tok.doc) for i in range(ent.start, ent.end)}
        tok.doc.user_data["kg_entity_index"] = index
    return index.get(tok.i)

def np_head(ent: Span) -> Token:
    """The token heading the noun phrase a name stands in: the entity root, or the proper noun the
    NER left outside it ("Xi" in "President Xi Jinping" when the ruler matched "President Xi")."""
    head = ent.root
    while (head.dep_ in ("compound", "flat") and head.head.i > head.i and head.head.pos_ == "PROPN"
           and not head.head.ent_type_):
        head = head.head
    return head

def bare_title(ent: Span) -> bool:
    """True for a title with no nationality before it ("President Trump"): reporters give their
    own country's leaders bare titles and qualify foreign ones ("Chinese President Xi")."""
    i = ent.start - 1
    titled = False
    while i >= 0 and ent.doc[i].lower_ in TITLE_WORDS:
        titled = True
        i -= 1
    return titled and (i < 0 or ent.doc[i].ent_type_ not in ("NORP", "GPE"))

def strip_titles(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    return TITLES.sub("", text).strip()

def looks_like_organization(text: str) -> bool:
    """Unknown ORG entities are actors only when they look like one: an acronym, or a name with an
    organisation word; the small model also tags towns, people and events as ORG."""
    if looks_like_thing(text):
        return False
    return bool(re.fullmatch(r"[A-Z][A-Z&.-]{1,9}", text)) or bool(ORG_WORDS.search(text))

def looks_like_thing(text: str) -> bool:
    return bool(THING_WORDS.search(text))

def group_label(tok: Token) -> str:
    """"North Korean officials", "U.S. military officials", "Sudan's army": the modifiers as
    written (no article or number) and the noun in the plural."""
    mods = [t for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.pos_ not in ("NUM", "PRON")
            and not (t.is_stop and t.dep_ == "amod")]  # not "other" or "several"
    if not mods:
        return ""
    words = sorted({w for m in mods for w in m.subtree if w.pos_ not in ("DET", "NUM", "PUNCT")}, key=lambda t: t.i)
    text = "".join(w.text_with_ws for w in words).replace(" 's", "'s")
    return f"{text.strip()} {plural_form(tok)}".strip()

#: Words that count members of the group named after them ("thousands of protesters").
def plural_form(tok: Token) -> str:
    """Group labels name the group: "diplomats", whatever number the phrase was in."""
    lemma = tok.lemma_.lower()
    if tok.tag_ in ("NNS", "NNPS") or lemma in COLLECTIVE or lemma in ONE_PERSON:
        return tok.text  # "Russia's ambassador" is one person
    if lemma == "mp":
        return "MPs"
    if lemma.endswith("man"):
        return lemma[:-3] + "men"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + ("es" if lemma.endswith(("s", "sh", "ch")) else "s")


def tokens_of(sent: Span, *, pos: tuple[str, ...] = (), dep: tuple[str, ...] = (),
              lower: tuple[str, ...] = ()) -> list[Token]:
    """The tokens of a sentence (or of `doc[:]`) with one of these coarse parts of speech,
    dependency labels or lowercase forms, found from the document's attribute arrays (read once per
    Doc; resolution changes entities, never these): resolution and each construction scan only the
    tokens they could start from, without building a `Token` for every word."""
    doc = sent.doc
    found = token_indices(doc, pos=pos, dep=dep, lower=lower)
    return [doc[i] for i in found[bisect_left(found, sent.start):bisect_left(found, sent.end)]]

def token_indices(doc: Doc, *, pos: tuple[str, ...] = (), dep: tuple[str, ...] = (),
                  lower: tuple[str, ...] = ()) -> list[int]:
    """The indices, in order, of the document's tokens that `tokens_of` would give: each question is
    answered for the whole document once, the sentences then cut from the answer."""
    arrays = parse_arrays(doc)
    attrs, answers = arrays.attrs, arrays.answers
    found = answers.get((pos, dep, lower))
    if found is None:
        wanted = [[POS_IDS[p] for p in pos], [doc.vocab.strings[d] for d in dep], [doc.vocab.strings[w] for w in lower]]
        hit = numpy.zeros(len(doc), dtype=bool)
        for column, ids in enumerate(wanted):
            for value in ids:  # as the array's own type: a hash compared as a float would lose digits
                hit |= attrs[:, column] == attrs.dtype.type(value)
        found = answers[(pos, dep, lower)] = numpy.flatnonzero(hit).tolist()
    return found


#: Coarse part-of-speech names by their ids.
_POS_NAMES = {v: k for k, v in POS_IDS.items()}


class ParseArrays:
    """A document's attribute arrays, read once per Doc: as stored (`attrs`: part of speech,
    dependency label, lowercase form, head offset, lemma), for the questions `token_indices` asks
    of whole columns, and as plain lists (head index, coarse part of speech, dependency label and
    lowercase lemma of each token) for the walks up the heads: walking them through `Token`s builds
    a new object at each step, and that was a tenth of extraction."""

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        self.attrs = doc.to_array([POS, DEP, LOWER, HEAD, LEMMA])
        self.answers: dict[tuple[tuple[str, ...], ...], list[int]] = {}  # token_indices' questions, answered
        attrs = self.attrs
        # HEAD is an offset, stored unsigned: read back as signed, it is added to the token's index
        self.head = (numpy.arange(len(doc), dtype=numpy.int64) + attrs[:, 3].view(numpy.int64)).tolist()
        self.pos = _names(attrs[:, 0], lambda p: _POS_NAMES.get(p, ""))
        self.dep = _names(attrs[:, 1], lambda d: strings[d] if d else "")
        self.lemma = _names(attrs[:, 4], lambda m: strings[m].lower() if m else "")


def _names(column: numpy.ndarray, name: Callable[[int], str]) -> list[str]:
    """Each value of an attribute column named, each distinct value looked up once."""
    values, where = numpy.unique(column, return_inverse=True)
    names = [name(v) for v in values.tolist()]
    return [names[k] for k in where.tolist()]


def parse_arrays(doc: Doc) -> ParseArrays:
    """The document's `ParseArrays`, made once (the parse never changes after the pipeline;
    resolution changes entities, never these)."""
    found = doc.user_data.get("kg.parse")
    if found is None:
        found = doc.user_data["kg.parse"] = ParseArrays(doc)
    return found
