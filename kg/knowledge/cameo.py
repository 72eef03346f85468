"""The CAMEO codebook (`kg/data/cameo_event_codes.csv`): each code's name, Goldstein score and quad class."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.knowledge.tables import data_path, read_rows


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int


@lru_cache(maxsize=1)
def cameo_codes() -> dict[str, CameoCode]:
    """The CAMEO codebook: code (a string, leading zeros kept) -> name, Goldstein, quad class."""
    return {r["code"]: CameoCode(r["code"], r["name"], float(r["goldstein"]), int(r["quad_class"]))
            for r in read_rows(data_path("cameo_event_codes.csv"))}


def cameo(code: str) -> CameoCode:
    """The codebook entry for `code`, falling back to its root for unknown sub-codes."""
    table = cameo_codes()
    return table.get(code) or table[code[:2]]
