"""Names compared as people compare them: case, accents, punctuation, a leading "the" and a
possessive "'s" ignored ("Erdoğan" and "Erdogan", "Kim Jong-un" and "Kim Jong Un" are one name)."""
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


@lru_cache(maxsize=65536)
def norm_name(text: str) -> str:
    """Compare names case-insensitively, ignoring accents, punctuation, a leading "the" and "'s"
    ("Erdoğan" and "Erdogan", "Kim Jong-un" and "Kim Jong Un" are one name)."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace("’", "'").replace("ı", "i")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())
