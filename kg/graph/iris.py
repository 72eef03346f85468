"""IRIs for things named by users: any article id, file name or actor id becomes a valid IRI path
segment, and stays readable. The original string is kept in the graph as a label or identifier.

Letters and digits of any script and `-._~` stay as they are; every other character (space, quote,
`<`, `{`, `/`, `#`, `%`, controls ...) is percent-encoded as UTF-8, as RFC 3987 allows. A segment
made only of dots is encoded too, so that no tool resolves `.` or `..` away. The mapping is
one-to-one (`%` itself is encoded), so two ids never share an IRI.

>>> iri_segment("000_fd245a2f0af1f295")
'000_fd245a2f0af1f295'
>>> iri_segment('my "draft" <1>.txt')
'my%20%22draft%22%20%3C1%3E.txt'
>>> iri_segment("Ankara/Kızılay")
'Ankara%2FKızılay'
"""
from __future__ import annotations

import re

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")


def _keep(ch: str) -> bool:
    # Non-ASCII letters and digits are IRI characters (ucschar); private-use and specials are not.
    return ch in _SAFE or (ord(ch) >= 0xA0 and ch.isalnum() and not 0xE000 <= ord(ch) <= 0xF8FF)


#: Most ids (slugs, hashes, file names) need no encoding: they are returned as they are, at once.
_PLAIN = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def iri_segment(value: str) -> str:
    """`value` as one path segment of an IRI (see the module's notes)."""
    if _PLAIN.fullmatch(value):
        return value
    if value and set(value) == {"."}:
        return value.replace(".", "%2E")
    return "".join(ch if _keep(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in value)
