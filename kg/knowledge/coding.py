"""CAMEO re-coding: named rules that turn the code of an act into the code of what was said or
done about it ("agreed to meet" is an intent to meet, 036; "refused to meet" a rejection, 125;
"did not sign" a rejection of the agreement, 127).

Each rule is a table in `kg/data/recoding.csv` (rule, inner code or root, resulting code), read
once; the most specific row wins (a full code before its root, a root before the rule's default).

>>> recode("intent", "040")
'036'
>>> recode("refusal", "057")
'127'
"""
from __future__ import annotations

from functools import lru_cache

from kg.knowledge.tables import data_path, read_rows

RULES = ("intent", "refusal", "negation")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for r in read_rows(data_path("recoding.csv")):
        table.setdefault(r["rule"], {})[r["inner"]] = r["code"]
    return table


def recode(rule: str, inner: str) -> str:
    """The code `rule` gives an act coded `inner`; "" when the rule does not apply to it."""
    rows = _table()[rule]
    return rows.get(inner) or rows.get(inner[:2]) or rows.get("", "")


def intent_code(inner: str) -> str:
    """"agreed to meet" expresses intent to meet (036); intent to cooperate otherwise (030)."""
    return recode("intent", inner)


def refusal_code(inner: str) -> str:
    """"refused to meet" rejects a meeting (125); "refused to sign" an agreement (127)."""
    return recode("refusal", inner)


def negation_code(code: str) -> str:
    """A negated intention, agreement or yield is a rejection ("did not sign the deal": 127);
    "" for acts whose negation is just an act not done ("did not meet")."""
    return recode("negation", code)
