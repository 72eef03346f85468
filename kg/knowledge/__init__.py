"""The extractor's knowledge, kept as data under `kg/data/` and read once: the CAMEO codebook
(`cameo`) and its re-coding rules (`coding`), the verb and noun lexicons (`lexicon`), the word
lists and the reading of the data files (`tables`), how names are compared (`names`), and the
actor gazetteer (`gazetteer`), which a user extends with their own file
(`kg build --actors my_actors.csv`).

The names every stage reads are importable from here (`from kg.knowledge import word_list`).
"""
from __future__ import annotations

from kg.knowledge.cameo import CameoCode, cameo, cameo_codes
from kg.knowledge.gazetteer import (
    ACTOR_TYPES,
    Gazetteer,
    Office,
    builtin_gazetteer,
    contextual_aliases,
    country_id,
    load_gazetteer,
)
from kg.knowledge.lexicon import (
    STANDALONE_ROLES,
    VAGUE_GENERATED_CODES,
    GroupNoun,
    NounEntry,
    VerbEntry,
    group_nouns,
    light_verbs,
    noun_lexicon,
    verb_lexicon,
)
from kg.knowledge.names import alike, fold_accents, norm_name, plain_name
from kg.knowledge.tables import (
    content_hash,
    data_path,
    lexicon_version,
    read_rows,
    split_cell,
    word_groups,
    word_list,
    word_map,
    word_multimap,
    word_sequence,
)

__all__ = [
    "ACTOR_TYPES", "STANDALONE_ROLES", "VAGUE_GENERATED_CODES", "CameoCode", "Gazetteer", "GroupNoun", "NounEntry",
    "Office", "VerbEntry", "alike", "builtin_gazetteer", "cameo", "cameo_codes", "content_hash",
    "contextual_aliases", "country_id", "data_path", "fold_accents", "group_nouns", "light_verbs",
    "lexicon_version", "load_gazetteer", "norm_name", "noun_lexicon", "plain_name", "read_rows", "split_cell",
    "verb_lexicon", "word_groups", "word_list", "word_map", "word_multimap", "word_sequence",
]
