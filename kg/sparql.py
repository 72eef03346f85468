"""What a SPARQL request asks for, read from its tokens before any engine sees it: whether it is
a query or an update, whether it reaches out to other servers (`SERVICE`), whether it names its
own dataset (`FROM`, `FROM NAMED`).

Oxigraph executes `SERVICE <http://...>` by sending the query to that address, so a server that
evaluates whatever it is sent can be made to read internal addresses for anyone who can reach
it. `check_query` refuses that unless federation is asked for, and refuses updates with a
message that says so (the engine's own message is "expected CONSTRUCT").

The check works on tokens, not on text: a `SERVICE` inside a string, an IRI, a comment, a
variable (`?service`) or a prefixed name (`ex:service`) is not the keyword.

>>> check_query("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }").has_dataset
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import QueryRefused

__all__ = ["QueryRefused", "QueryShape", "check_query", "in_order_of_appearance", "keywords", "star_projection"]

#: One SPARQL token at a time, the alternatives in the order the grammar's terminals need them.
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[^\W\d_][\w.\-]*)?:(?:[\w.\-:%\\]|%[0-9A-Fa-f]{2})*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<other>.)
""", re.X | re.S)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class QueryShape:
    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK ("" when the text names none: the engine says why)
    has_dataset: bool  # FROM / FROM NAMED given: the query chooses its own default and named graphs
    federated: bool  # SERVICE used


def _tokens(text: str) -> list[re.Match[str]]:
    return [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


def keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased (keywords and function names), in order."""
    return [m.group().upper() for m in _tokens(text) if m.lastgroup == "word"]


def star_projection(text: str) -> tuple[int, int] | None:
    """Where the `*` of the query's own `SELECT *` is (not a sub-query's), or None."""
    tokens = _tokens(text)
    i = next((k for k, m in enumerate(tokens) if m.lastgroup == "word" and m.group().upper() == "SELECT"), None)
    if i is None:
        return None
    i += 1
    while i < len(tokens) and tokens[i].group().upper() in ("DISTINCT", "REDUCED"):
        i += 1
    if i < len(tokens) and tokens[i].group() == "*":
        return tokens[i].start(), tokens[i].end()
    return None


def in_order_of_appearance(text: str, names: list[str]) -> list[str]:
    """`names` (variables without ?) in the order the query text first mentions them."""
    first: dict[str, int] = {}
    for m in _tokens(text):
        if m.lastgroup == "var":
            first.setdefault(m.group()[1:], len(first))
    return sorted(names, key=lambda n: first.get(n, len(first)))


def check_query(text: str, *, federation: bool = False) -> QueryShape:
    """Refuse updates, and `SERVICE` unless `federation`; say which form the query has.

    >>> check_query("LOAD <http://example.org/x>")
    Traceback (most recent call last):
    kg.errors.QueryRefused: SPARQL updates (LOAD) are refused: this graph is served read-only
    """
    words = keywords(text)
    first = next((w for w in words if w not in ("BASE", "PREFIX")), "")
    if first in _UPDATE_WORDS:
        raise QueryRefused(f"SPARQL updates ({first}) are refused: this graph is served read-only")
    federated = "SERVICE" in words
    if federated and not federation:
        raise QueryRefused("SERVICE (federated query) is refused: it makes this machine fetch other addresses; "
                         "pass --federation to allow it")
    return QueryShape(form=first if first in _QUERY_WORDS else "", has_dataset="FROM" in words,
                      federated=federated)
