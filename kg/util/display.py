"""Text for people: what `kg` prints to a terminal (messages, warnings, tables, reports) passes
through `printable`, so that a file name, an article title or an actor label cannot drive the
terminal. A title holding `ESC ] 0 ; ... BEL` would retitle the window, `ESC [ 31 m` colour what
follows, and other sequences do worse; they are shown as escapes (`\\x1b`) instead.

Machine formats (`kg query --format csv|json`, `kg export`, `kg analyze dyad --format csv|json`)
keep the data exact and do not pass through here: they are read by programs, and RDF serialisers
already write control characters in literals as `\\u001B`.

>>> printable("Talks \\x1b]0;owned\\x07 in \\x1b[31mred")
'Talks \\\\x1b]0;owned\\\\x07 in \\\\x1b[31mred'
>>> printable("line one\\nline two\\tend", keep="\\n")
'line one\\nline two\\\\tend'
"""
from __future__ import annotations

import re

__all__ = ["printable"]

#: C0 controls, DEL and C1 controls (Unicode category Cc): every character a terminal may act on.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object, *, keep: str = "") -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\n`), except those in
    `keep` (a report's own line breaks: `keep="\\n"`)."""
    def shown(m: re.Match[str]) -> str:
        char = m.group()
        if char in keep:
            return char
        return _NAMED.get(char) or f"\\x{ord(char):02x}"

    return _CONTROL.sub(shown, str(text))
