"""Names compared as people compare them: case, punctuation, a leading "the" and a possessive "'s"
ignored (`plain_name`, the scorer's rule), and accents too (`norm_name`, the gazetteer's): one
normaliser, the accents the only difference, which the gold README's scoring rules keep."""
from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache


def alike(a: str, b: str, at_least: float) -> bool:
    """Whether two spellings are alike letter by letter (difflib's ratio), with its cheap upper
    bounds tried first: most candidates differ in length or letters at once."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return (matcher.real_quick_ratio() >= at_least and matcher.quick_ratio() >= at_least
            and matcher.ratio() >= at_least)


def plain_name(text: str) -> str:
    """A name as the scoring rules of the gold README compare names: case-insensitively, ignoring
    punctuation, a leading "the" and a possessive "'s" ("the U.S.'s" and "U.S." are one name);
    accents count ("Erdoğan" is not "Erdogan" to the scorer)."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = " ".join(text.split())
    return re.sub(r"^the\s+", "", text)


def fold_accents(text: str) -> str:
    """The letters of `text` without their accents ("Erdoğan" -> "Erdogan", the dotless "ı" -> "i")."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).replace("ı", "i")


@lru_cache(maxsize=65536)
def norm_name(text: str) -> str:
    """A name as the gazetteer and resolution compare names: `plain_name` with accents ignored too
    ("Erdoğan" and "Erdogan", "Kim Jong-un" and "Kim Jong Un" are one name)."""
    return plain_name(fold_accents(text))
