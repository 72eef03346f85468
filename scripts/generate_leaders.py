"""Generate `kg/data/generated/leaders.csv`: heads of state, heads of government and foreign
ministers with their offices and dates, from Wikidata extracts published by EveryPolitician.

The Phoenix dictionaries stop around 2018, and they hold roles, never offices. This script turns
dated Wikidata office holdings into rows of the curated `kg/data/actors.csv` format (one row per
office held, `office`, `start`, `end` filled), which the gazetteer reads with the curated rows:
"the Italian prime minister" in a 2022 article is then the holder on the article's date.

    python scripts/generate_leaders.py                      # extract -> leaders.csv
    python scripts/generate_leaders.py extract --leaders GIT_DIR --foreign GIT_DIR

Two steps, so that the build needs no network and no clone:

1. `extract` reads every committed snapshot of two files in the git history of two public
   repositories (EveryPolitician's daily Wikidata queries; Wikidata's data is CC0) and writes
   the small table `kg/data/generated/sources/wikidata_leaders.csv`, which is committed:
   - every-politician-scrapers/world-leaders-2021, `data/wikidata.csv`: for each state, the
     holders of the offices Wikidata names as its head of state (P1906) and head of government
     (P1313) in office in the snapshot's year, with the start and end years of the holding;
     snapshots from 2021-08-26 to 2024-10-23.
   - every-politician-scrapers/world, `sources/foreign/wikidata.csv`: each state's foreign
     minister in office (positions under Wikidata's Q7330070), with the exact start date;
     snapshots from 2022-08-08 to 2022-12-10.
   Each row keeps the Wikidata ids, the labels (the most frequent one across snapshots), the
   dates the query gave, and the first and last snapshot dates that listed the holding.
2. The default step reads that table and writes `kg/data/generated/leaders.csv`.

How dates are read (the head-of-state table gives years only):

- A head of state or government first listed after the first snapshot, in the year the holding
  started, started on that snapshot's date; otherwise the start is the year. The queries ran
  daily and were committed when their answer changed, but the repository went unchanged for
  months at a time (April to August 2022, and after October 2022: snapshots of 2023-06-03,
  2024-03-16 and 2024-10-23 only), so such a date is the day the holding was first seen, at most
  that gap after the real one (`absent_before` in the extract is the last snapshot without it).
- A holding that ended ends when its successor in the same office started, where that start is
  a day; else on the first snapshot that gave it an end year, where that snapshot is later than
  the first one and in that year; else in the end year. The gazetteer compares dates at the
  coarser precision, so a holding known by years holds on every day of them; where two overlap,
  the later start wins.
- A foreign minister starts on Wikidata's start date; the holding ends when the next minister of
  the same office starts, or, when it left the table without a successor, on the first snapshot
  without it; a minister still listed in the last snapshot (2022-12-10) has no end.

What is kept and how it is named:

- Offices in the gazetteer's words (`role_offices` of `kg/data/words.csv`): president, prime
  minister (also Taoiseach, President of the Government of Spain, Chairman of the Council of
  Ministers), premier, chancellor, king (monarchs), emir, sultan, emperor, supreme leader,
  leader (military leaders, supreme leaders of states without a presidency); foreign minister,
  "secretary of state" for the United States and "foreign secretary" for the United Kingdom.
  Offices that no article names by a title the resolver reads (co-princes, captains regent,
  governors-general, collective presidencies) are dropped, and so is the monarch of another
  Commonwealth realm than the United Kingdom.
- States: the Wikidata label mapped to an ISO3 code through `kg/data/countries.csv` and
  `cameo_country_codes.csv` (names and aliases), with a few labels mapped here; holdings of
  unrecognised states are dropped.
- People: `type` person, `role` GOV, the Wikidata label as `label`, no alias (a surname is read
  from the article's full mention). A person the curated `kg/data/actors.csv` knows by that name,
  or who holds the same office of the same state from the same year there, keeps the curated id;
  the curated row wins: an office the curated file already gives the person is not repeated.
  Other ids are slugs of the label, with the Wikidata id added where two people share one.
- `source`: the repository, file and Wikidata ids of the holding.

The output is the same bytes on every run.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "kg" / "data"
EXTRACT = DATA / "generated" / "sources" / "wikidata_leaders.csv"
OUT = DATA / "generated" / "leaders.csv"

LEADERS_REPO = "every-politician-scrapers/world-leaders-2021"
LEADERS_FILE = "data/wikidata.csv"
FOREIGN_REPO = "every-politician-scrapers/world"
FOREIGN_FILE = "sources/foreign/wikidata.csv"

EXTRACT_COLUMNS = ["kind", "country_qid", "country", "position_qid", "position", "person_qid", "person",
                   "start", "end", "first_seen", "absent_before", "last_seen", "first_ended", "open_before",
                   "repository", "file"]
OUT_COLUMNS = ["id", "label", "type", "country", "role", "aliases", "office", "start", "end", "gender", "source"]

#: Wikidata labels of states that the country tables spell otherwise.
COUNTRY_LABELS = {
    "people's republic of china": "CHN", "kingdom of the netherlands": "NLD", "kingdom of denmark": "DNK",
    "republic of ireland": "IRL", "ireland": "IRL", "state of palestine": "PSE", "palestine": "PSE",
    "the gambia": "GMB", "ivory coast": "CIV", "democratic republic of the congo": "COD",
    "republic of the congo": "COG", "federated states of micronesia": "FSM", "east timor": "TLS",
    "eswatini": "SWZ", "north macedonia": "MKD", "cape verde": "CPV", "vatican city": "VAT",
    "czech republic": "CZE", "taiwan": "TWN", "kosovo": "XKX", "south korea": "KOR", "north korea": "PRK",
    "sao tome and principe": "STP", "saint kitts and nevis": "KNA", "saint lucia": "LCA",
    "saint vincent and the grenadines": "VCT", "myanmar": "MMR", "united states": "USA",
    "united kingdom": "GBR", "russia": "RUS", "turkey": "TUR", "syria": "SYR", "iran": "IRN", "laos": "LAO",
    "vietnam": "VNM", "brunei": "BRN", "bolivia": "BOL", "venezuela": "VEN", "tanzania": "TZA",
    "moldova": "MDA", "bahamas": "BHS", "the bahamas": "BHS",
}

#: A state's foreign minister in the gazetteer's words, where it has its own title.
FOREIGN_OFFICE = {"USA": "secretary of state", "GBR": "foreign secretary"}

#: Offices nobody's title in an article names as the resolver reads titles.
DROPPED_OFFICES = ("co-prince", "captain regent", "governor-general", "governor general", "federal council",
                   "presidency of bosnia", "vice president", "deputy")


def norm(text: str) -> str:
    """Names compared as `kg.knowledge.norm_name` compares them (accents, case, punctuation)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"'s\b", "", text.lower().replace("’", "'"))
    text = re.sub(r"^the\s+", "", text.strip())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def slug(text: str) -> str:
    """An ASCII id from a label, as `kg.resolve.slug` makes them."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def office_of(position: str) -> str:
    """The gazetteer's office word for a head of state's or government's position label, or ""."""
    label = position.lower()
    if any(word in label for word in DROPPED_OFFICES):
        return ""
    for words, office in ((("prime minister", "taoiseach", "president of the government",
                            "chairman of the council of ministers"), "prime minister"),
                          (("premier",), "premier"), (("chancellor",), "chancellor"),
                          (("supreme leader",), "supreme leader"), (("emir",), "emir"), (("sultan",), "sultan"),
                          (("emperor",), "emperor"), (("king", "queen", "monarch"), "king"),
                          (("president",), "president"), (("military leader", "leader", "chairman"), "leader")):
        if any(re.search(rf"\b{word}\b", label) for word in words):
            return office
    return ""


# ---- step 1: snapshots from git history ------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", str(repo), *args], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def snapshots(repo: Path, path: str) -> list[tuple[str, list[dict[str, str]]]]:
    """Every committed version of `path` on any ref, oldest first, as (commit date, rows)."""
    seen, out = set(), []
    for line in _git(repo, "log", "--all", "--format=%H %cs", "--", path).splitlines():
        commit, day = line.split()
        text = _git(repo, "show", f"{commit}:{path}")
        if text in seen:
            continue
        seen.add(text)
        out.append((day, list(csv.DictReader(io.StringIO(text)))))
    out.sort(key=lambda s: s[0])
    return out


@dataclass
class Holding:
    kind: str
    keys: tuple[str, str, str]
    countries: Counter[str] = field(default_factory=Counter)
    positions: Counter[str] = field(default_factory=Counter)
    people: Counter[str] = field(default_factory=Counter)
    start: str = ""
    end: str = ""
    first_seen: str = ""
    last_seen: str = ""
    first_ended: str = ""

    def see(self, day: str, country: str, position: str, person: str, start: str, end: str) -> None:
        for counter, label in ((self.countries, country), (self.positions, position), (self.people, person)):
            if label and not re.fullmatch(r"Q\d+", label):  # a label missing that day is its id
                counter[label] += 1
        self.start, self.end = start or self.start, end
        self.first_seen = self.first_seen or day
        self.last_seen = day
        if end and not self.first_ended:
            self.first_ended = day

    def row(self, repository: str, file: str, dates: list[str]) -> dict[str, str]:
        def before(when: str) -> str:  # the last snapshot before `when`
            return max((d for d in dates if d < when), default="") if when else ""

        def best(counter: Counter[str], default: str) -> str:
            return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counter else default
        return {"kind": self.kind, "country_qid": self.keys[0], "country": best(self.countries, ""),
                "position_qid": self.keys[1], "position": best(self.positions, ""), "person_qid": self.keys[2],
                "person": best(self.people, self.keys[2]), "start": self.start, "end": self.end,
                "first_seen": self.first_seen, "absent_before": before(self.first_seen), "last_seen": self.last_seen,
                "first_ended": self.first_ended, "open_before": before(self.first_ended),
                "repository": repository, "file": file}


def extract(leaders_git: Path, foreign_git: Path) -> list[dict[str, str]]:
    """The extract's rows from the two repositories' histories."""
    rows: list[dict[str, str]] = []
    heads: dict[tuple[str, str, str], Holding] = {}
    versions = snapshots(leaders_git, LEADERS_FILE)
    for day, snapshot in versions:
        for r in snapshot:
            country_qid = r.get("countryid") or r.get("country", "")
            country = r.get("country", "") if "countryid" in r else r.get("countryItemLabel", "")
            position = r.get("positionLabel") or r.get("positionItemLabel", "")
            person = r.get("officeholderLabel") or r.get("officeholderItemLabel", "")
            key = (country_qid, r["position"], r["officeholder"])
            holding = heads.setdefault(key, Holding("head", key))
            holding.see(day, country, position, person, r.get("start_year", ""), r.get("end_year", ""))
    rows += [h.row(LEADERS_REPO, LEADERS_FILE, [d for d, _ in versions]) for h in heads.values()]
    ministers: dict[tuple[str, str, str], Holding] = {}
    versions = snapshots(foreign_git, FOREIGN_FILE)
    for day, snapshot in versions:
        for r in snapshot:
            if not r.get("person") or not r.get("start"):
                continue
            key = (r["country"], r["position"], r["person"])
            holding = ministers.setdefault(key, Holding("foreign", key))
            holding.see(day, r.get("countryLabel", ""), r.get("positionLabel", ""), r.get("name", ""),
                        r["start"][:10], "")
    rows += [h.row(FOREIGN_REPO, FOREIGN_FILE, [d for d, _ in versions]) for h in ministers.values()]
    rows.sort(key=lambda r: (r["kind"], r["country"], r["position_qid"], r["start"], r["person_qid"]))
    return rows


# ---- step 2: rows of the gazetteer ------------------------------------------------------------------------------

def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(fh)]


def country_codes(data: Path = DATA) -> dict[str, str]:
    """Normalised state names -> ISO3, from the country tables and the labels above."""
    codes: dict[str, str] = {}
    for r in _rows(data / "countries.csv"):
        for name in (r["name"], *r["aliases"].split(";")):
            if name.strip():
                codes.setdefault(norm(name), r["iso3"])
    for r in _rows(data / "cameo_country_codes.csv"):
        if len(r["code"]) == 3:
            codes.setdefault(norm(r["name"]), r["code"])
    codes.update({norm(k): v for k, v in COUNTRY_LABELS.items()})
    return codes


def _dated_holdings(extract_rows: list[dict[str, str]], codes: dict[str, str],
                    unknown: Counter[str]) -> list[dict[str, str]]:
    """Holdings with an ISO3 country, a gazetteer office and dates read as the docstring says."""
    last_snapshot = {kind: max(r["last_seen"] for r in extract_rows if r["kind"] == kind)
                     for kind in {r["kind"] for r in extract_rows}}
    realms = {r["person_qid"] for r in extract_rows
              if r["kind"] == "head" and codes.get(norm(r["country"])) == "GBR" and office_of(r["position"]) == "king"}
    out = []
    for r in extract_rows:
        iso3 = codes.get(norm(r["country"]))
        if iso3 is None:
            unknown[r["country"]] += 1
            continue
        if r["kind"] == "foreign":
            office = FOREIGN_OFFICE.get(iso3, "foreign minister")
            start = r["start"]
        else:
            office = office_of(r["position"])
            if not office or office == "king" and r["person_qid"] in realms and iso3 != "GBR":
                continue
            start = r["start"]
            if r["first_seen"][:4] == start and r["absent_before"]:
                start = r["first_seen"]
        out.append({**r, "iso3": iso3, "office": office, "start": start})
    by_office: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for h in out:
        by_office[(h["kind"], h["iso3"], h["position_qid"])].append(h)
    for holdings in by_office.values():
        holdings.sort(key=lambda h: (h["start"], h["person_qid"]))
        for h, after in zip(holdings, [*holdings[1:], None], strict=True):
            if h["kind"] == "foreign":
                if after is not None:
                    h["end"] = after["start"]
                elif h["last_seen"] < last_snapshot["foreign"]:
                    h["end"] = min(x["first_seen"] for x in extract_rows
                                   if x["kind"] == "foreign" and x["first_seen"] > h["last_seen"])
                continue
            end_year = h["end"]
            if not end_year:
                continue
            if after is not None and len(after["start"]) == 10 and after["start"][:4] == end_year:
                h["end"] = after["start"]
            elif h["first_ended"][:4] == end_year and h["open_before"]:
                h["end"] = h["first_ended"]
    return out


def _spelled_otherwise(name: str, iso3: str, curated: list[dict[str, str]]) -> str | None:
    """The curated person of the same state whose name is this one spelled otherwise: the same
    surname and given names alike letter by letter ("Mohammad bin Salman", "Mohammed bin Salman"),
    as `Gazetteer.variant` reads article names."""
    words = norm(name).split()
    fits = {r["id"] for r in curated if r["type"] == "person" and r["country"] == iso3
            for other in [norm(r["label"]).split()]
            if len(words) >= 2 and len(other) >= 2 and other[-1] == words[-1]
            and difflib.SequenceMatcher(None, " ".join(words[:-1]), " ".join(other[:-1])).ratio() >= 0.75}
    return fits.pop() if len(fits) == 1 else None


def generate(extract_rows: list[dict[str, str]], data: Path = DATA,
             unknown: Counter[str] | None = None) -> list[dict[str, str]]:
    """The rows of `leaders.csv`, in the format of `kg/data/actors.csv` plus `source`."""
    unknown = Counter() if unknown is None else unknown
    curated = _rows(data / "actors.csv")
    curated_names = {norm(n): r["id"] for r in curated if r["type"] == "person"
                     for n in (r["label"], *r["aliases"].split(";")) if n.strip()}
    curated_offices = {(r["id"], r["office"].lower()) for r in curated if r["office"]}
    curated_holders = {(r["country"], r["office"].lower(), r["start"][:4]): r["id"] for r in curated if r["office"]}
    holdings = _dated_holdings(extract_rows, country_codes(data), unknown)
    ids: dict[str, str] = {}  # person qid -> id
    taken = {r["id"] for r in curated}
    labels: dict[str, str] = {}
    for h in sorted(holdings, key=lambda h: (h["person_qid"], h["start"])):
        qid = h["person_qid"]
        if qid in ids:
            continue
        known = (curated_names.get(norm(h["person"])) or curated_holders.get((h["iso3"], h["office"], h["start"][:4]))
                 or _spelled_otherwise(h["person"], h["iso3"], curated))
        if known is None:
            base = slug(h["person"])
            known = base if base not in taken else f"{base}-{qid.lower()}"
        ids[qid] = known
        labels[qid] = h["person"]
        taken.add(known)
    out = []
    for h in holdings:
        actor_id = ids[h["person_qid"]]
        if (actor_id, h["office"]) in curated_offices:
            continue  # the curated row wins
        out.append({"id": actor_id, "label": labels[h["person_qid"]], "type": "person", "country": h["iso3"],
                    "role": "GOV", "aliases": "", "office": h["office"], "start": h["start"], "end": h["end"],
                    "gender": "",
                    "source": f"{h['repository']}:{h['file']} {h['person_qid']} P39 {h['position_qid']}"})
    # an actor's rows together, its latest office first (the curated file's order: the first row is current)
    out.sort(key=lambda r: (r["start"], r["office"]), reverse=True)
    out.sort(key=lambda r: (r["country"], r["id"]))
    return out


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = ap.add_subparsers(dest="step")
    ex = sub.add_parser("extract", help="read the two repositories' histories into the extract")
    ex.add_argument("--leaders", type=Path, required=True, help=f"git directory of {LEADERS_REPO}")
    ex.add_argument("--foreign", type=Path, required=True, help=f"git directory of {FOREIGN_REPO}")
    ap.add_argument("--extract", type=Path, default=EXTRACT)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if args.step == "extract":
        rows = extract(args.leaders, args.foreign)
        _write(args.extract, EXTRACT_COLUMNS, rows)
        print(f"{args.extract}: {len(rows)} holdings", file=sys.stderr)
        return 0
    unknown: Counter[str] = Counter()
    rows = generate(_rows(args.extract), unknown=unknown)
    _write(args.out, OUT_COLUMNS, rows)
    people = {r["id"] for r in rows}
    print(f"{args.out}: {len(rows)} offices held by {len(people)} people in "
          f"{len({r['country'] for r in rows})} states; states not recognised: "
          f"{', '.join(sorted(unknown)) or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
