"""Generate `kg/data/generated/countries.csv` from the Phoenix country dictionary.

Every country entry of `Phoenix.Countries.actors.txt` (a line `NAME_  [ISO]`, then `+SYNONYM`
lines) lists its demonyms beside its capital, cities, regions and spellings. `kg` needs them
apart: a demonym modifies a noun ("Maltese troops" are Malta's), a place is where something
happened ("struck targets in Aleppo" hits Syria). A synonym is taken for a demonym when it is one
word with a demonym ending (-an, -ese, -ish, -i, -ic, -ch, -ot, -ar ...) that begins like the
country's name or an earlier multi-word name of it ("ivorian" after "ivory coast"); everything else
that is not a spelling of the country's name is a place in that country. The curated `kg/data/countries.csv`
wins wherever both know a word.

    python scripts/generate_countries.py [--petrarch DIR] [--out DIR]

Source: openeventdata/petrarch2, commit 676801c, petrarch2/data/dictionaries/, MIT licence.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

from kg.util.files import write_text_atomic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PETRARCH = ROOT.parent / "shared" / "petrarch"
SOURCE = "Phoenix.Countries.actors.txt"
_ENTRY = re.compile(r"^([A-Z][A-Z'_.-]*?)_*\s+\[([A-Z]{3})\]\s*(?:#.*)?$")
_DEMONYM_END = re.compile(r"(an|ese|ish|i|ic|ch|ot|ar|ene|ine|er)$")


def _words(token: str) -> str:
    """`COTE_D'IVOIRE_` -> "cote d'ivoire" (lower case; the loader compares case-insensitively)."""
    token = token.split("#", 1)[0].strip().strip("_").replace("_", " ")
    return " ".join(token.lower().split())


def parse(text: str, codes: set[str]) -> list[dict[str, str]]:
    """Country entries with their demonyms and places, in file order."""
    rows: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    demonyms: list[str] = []
    places: list[str] = []

    def close() -> None:
        if current is not None:
            current["demonyms"] = ";".join(dict.fromkeys(demonyms))
            current["places"] = ";".join(dict.fromkeys(places))
            rows.append(current)

    for lineno, line in enumerate(text.splitlines(), 1):
        entry = _ENTRY.match(line)
        if entry and entry.group(2) in codes:
            close()
            current = {"iso3": entry.group(2), "name": _words(entry.group(1)), "source": f"{SOURCE}:{lineno}"}
            demonyms, places = [], []
            continue
        if current is None:
            continue
        if line.startswith("+"):
            word = _words(line[1:])
            if not word or not re.fullmatch(r"[a-z][a-z .'-]*", word) or len(word) < 4:
                continue
            name = current["name"]
            if " " not in word and _DEMONYM_END.search(word) and word not in name and (
                    word[:4] in name or any(word[:4] in p for p in places if " " in p)):
                demonyms.append(word)  # "maltese", "ivorian" (after "ivory coast"); not "miami"
            elif name in word or word in name or "republic" in word:
                continue  # a spelling of the country's own name
            else:
                places.append(word)
        elif line.strip() and not line.startswith(("\t", " ", "#")):
            close()  # the next entry (a person or a body) ends the country's synonyms
            current = None
    close()
    return rows


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["iso3", "name", "demonyms", "places", "language", "source"],
                            lineterminator="\n")
    writer.writeheader()
    for r in sorted(rows, key=lambda r: (r["iso3"], r["source"])):
        writer.writerow({**r, "language": "en"})
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--petrarch", type=Path, default=DEFAULT_PETRARCH)
    ap.add_argument("--out", type=Path, default=ROOT / "kg" / "data" / "generated")
    args = ap.parse_args(argv)
    src = args.petrarch / SOURCE
    if not src.is_file():
        print(f"{src}: not found; pass --petrarch DIR (the folder of the Phoenix dictionaries)", file=sys.stderr)
        return 2
    with (ROOT / "kg" / "data" / "cameo_country_codes.csv").open(encoding="utf-8") as fh:
        codes = {r["code"] for r in csv.DictReader(fh) if len(r["code"]) == 3}
    rows = parse(src.read_text(encoding="utf-8", errors="replace"), codes)
    write_text_atomic(args.out / "countries.csv", render(rows))
    print(f"{len(rows)} countries, {sum(bool(r['demonyms']) for r in rows)} with demonyms, "
          f"{sum(len(r['places'].split(';')) for r in rows if r['places'])} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())
