"""spaCy, loaded once with what `kg` adds to it: the pipeline and the actor name table compiled
from the gazetteer, kept in the on-disk cache (`pipeline`), the components (`components`), and
headlines reparsed as sentences (`headlines`), long texts parsed in windows (`windows`).

The ruler runs before the statistical NER, so "Kim Jong-un" or "KCNA" come out as one entity
carrying the gazetteer id (`ent.ent_id_`), and NER fills in the names we do not know.
"""
from __future__ import annotations

from kg.nlp.components import LONG_SENTENCE, LONGEST_SENTENCE, ActorRuler, CommonNounGuard, NameGuard
from kg.nlp.headlines import reparse_headline, reparse_headlines
from kg.nlp.pipeline import (
    PREFERRED_MODELS,
    choose_model,
    compile_names,
    load_pipeline,
    model_version,
    name_patterns,
    name_table,
)
from kg.nlp.windows import PARSE_WINDOW, parse_texts, windows

__all__ = ["LONGEST_SENTENCE", "LONG_SENTENCE", "PARSE_WINDOW", "PREFERRED_MODELS", "ActorRuler", "CommonNounGuard",
           "NameGuard", "choose_model", "compile_names", "load_pipeline", "model_version", "name_patterns",
           "name_table", "parse_texts", "reparse_headline", "reparse_headlines", "windows"]
