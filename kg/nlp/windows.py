"""Long texts parsed a window at a time and joined back into one Doc (`parse_texts`), so that
the parser's memory stays bounded whatever the length of a report."""
from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

#: A text longer than this many characters is parsed in windows of at most this many, cut at a
#: paragraph end where there is one (else a sentence end, a comma, a space) and joined into one Doc:
#: the parser's working memory grows with what it is given at once (about 330 MB per 100,000
#: characters with en_core_web_sm), so a report of a million characters would need several GB.
PARSE_WINDOW = 100_000
_CUTS = ("\n\n", ". ", "; ", ", ", " ")


def parse_texts(nlp: Language, texts: Sequence[str], *, window: int = PARSE_WINDOW) -> list[Doc]:
    """The texts parsed as `nlp.pipe` parses them, in one batch; a text over `window` characters
    is parsed a window at a time, the windows joined back into one Doc (same text, same offsets)."""
    pieces = [windows(text, window) for text in texts]
    whole = iter(nlp.pipe([p[0] for p in pieces if len(p) == 1], batch_size=len(texts) or 1))
    return [next(whole) if len(p) == 1 else Doc.from_docs(list(nlp.pipe(p, batch_size=1)), ensure_whitespace=False)
            for p in pieces]


def windows(text: str, size: int = PARSE_WINDOW) -> list[str]:
    """`text` cut into pieces of at most `size` characters that join back into it, each cut after
    the last paragraph end in the second half of the window, else the last sentence end,
    semicolon, comma or space there (`_CUTS`, in that order)."""
    out, start = [], 0
    while len(text) - start > size:
        lo, hi = start + size // 2, start + size
        cut = next((i + len(sep) for sep in _CUTS if (i := text.rfind(sep, lo, hi - len(sep) + 1)) >= 0), hi)
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out
