"""Generate `kg/data/generated/actors.csv` from the Phoenix actor dictionaries.

The curated `kg/data/actors.csv` knows a few hundred actors; the open Phoenix dictionaries
(PETRARCH2) know about 25,000 people, international bodies and armed groups, with the roles
each held and when. This script turns them into rows of the curated file's format, so that the
gazetteer can recognise them, and keeps the curated rows in charge wherever both know a name.

    python scripts/generate_gazetteer.py [--petrarch DIR] [--out DIR]

Inputs: `Phoenix.Countries.actors.txt`, `Phoenix.International.actors.txt` and
`Phoenix.MilNonState.actors.txt` from openeventdata/petrarch2, commit 676801c,
petrarch2/data/dictionaries/ (MIT licence); `kg/data/cameo_country_codes.csv` and
`cameo_actor_types.csv` for the codes; `kg/data/actors.csv`, `countries.csv` and
`generated/countries.csv` for the names that are already taken.

How a dictionary record becomes rows:

- A record is a name line, `+` synonym lines and tab-indented codes `[DEUGOV >051122]`. Name
  lines before a record's first code are more spellings of it ("IVO_JOSIPOVIC_",
  "JOSIPOVIC_"), unless a blank line or the country file's `# CountryInfo.txt` marker starts a
  new record. Records without a code, and records whose codes name only a country or region
  (the country entries, which `generate_countries.py` reads), give no actor.
- One row per code of the record: `country` is the ISO3 prefix when it is a CAMEO country code,
  `role` the first CAMEO actor type after it (GOV, MIL, OPP, IGO, NGO, MNC, REB, ...), and
  `source` the file, line and full code. `office` stays empty: a Phoenix role is not an office
  ("GOV" is any member of a government, not its head), so generated rows never answer "the
  president". The first row of an actor is its latest dated role (else its first code) and
  carries the aliases; later rows only add a role and dates.
- Dates: `>YYMMDD` from, `<YYMMDD` until, `YYMMDD-YYMMDD` both; eight digits are YYYYMMDD.
  Two-digit years 30-99 are 19xx and 00-29 are 20xx (the dictionaries' two-digit years run from
  31 to 14, none in between). An impossible date ("2004017", 31 February) is left empty.
- Type: in the country file a person, unless the name is an organisation's ("... Party", "...
  Army", "Ministry of ...", or one undated word such as "Knesset"): then an organisation, or a
  group when a role is an armed one (REB, INS, SEP, UAF, IMG). In the international file a record
  is a person when a code is dated, is ELI (a former office holder) or is a country's GOV, OPP,
  LEG or JUD, or when its first word is a given name of the country file's people (first words of
  two or more of its marked records) and no word is an organisation word; companies (MNC) are
  organisations unless dated, since many carry a founder's name. The non-state file gives groups,
  and people for names that start with such a given name ("Khalid Sheikh Mohammed").
- Names: `_` becomes a space, words are capitalised with particles (al, bin, de, van, von ...)
  and, in organisation names, function words (of, the, and ...) in lower case; acronyms stay in
  capitals (a one-word name of up to five letters or of an intergovernmental body, or the
  initials of another of the record's names). Records repeating an earlier record's name or
  spelling (same type, same or unknown country) are merged into it.
- Skipped records: a name that is a curated actor's, a country's, a demonym or a known place, a
  title phrase rather than a name ("UN Envoy"), a common English word, one given name alone
  ("Abdullah"), or only generic names. A generic name is made of common words only and names no
  place ("National Security Council", "Supreme Court"): every country has one, so a country's
  institution or a non-state group of two such words ("Red Line") is not known by it; the
  international bodies keep theirs ("World Food Program"). Common words are a built-in list
  plus every word of `CAMEO.2.0.txt` and `Phoenix.agents.txt` when they are beside the actor
  dictionaries.
- Dropped aliases: shorter than three letters, a common word, a title phrase ("President Hu
  Jintao": titles are read off the parse), a curated or place name, another generated actor's
  name (the first record keeps it), for a person a spelling that shares no word with the name
  (the dictionary sometimes runs two people together) or one word that several people share,
  and for an organisation a person's name.

The output is the same bytes on every run; it is written through a temporary file.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.knowledge import norm_name
from kg.util.files import write_text_atomic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PETRARCH = Path(__file__).resolve().parents[1].parent / "shared" / "petrarch"
DATA = ROOT / "kg" / "data"
COUNTRIES_FILE = "Phoenix.Countries.actors.txt"
INTERNATIONAL_FILE = "Phoenix.International.actors.txt"
NONSTATE_FILE = "Phoenix.MilNonState.actors.txt"
SOURCES = (COUNTRIES_FILE, INTERNATIONAL_FILE, NONSTATE_FILE)
WORD_SOURCES = ("CAMEO.2.0.txt", "Phoenix.agents.txt")  # optional: more common English words
COLUMNS = ("id", "label", "type", "country", "role", "aliases", "office", "start", "end", "gender", "source")

#: Roles whose organisations are armed groups rather than bodies.
ARMED_ROLES = frozenset({"REB", "INS", "SEP", "UAF", "IMG"})
#: Words that make a name an organisation's ("Communist Party of China", "Peoples Liberation Army").
ORG_WORDS = frozenset("""
    academy administration agency alliance army assembly association authority bank battalion board
    brigade brigades bureau cabinet centre center church college command commando commandos commission
    committee company congress co corp corporation corps council court department directorate division
    federation force forces foundation front fund government group guard guards inc institute institution
    junta league limited ltd media militia ministry mission movement navy network news office
    organisation organization parliament party plc police press program programme project radio
    regiment secretariat senate service services society squad tribunal trust union university
    """.split())
#: Words of a title or role: a name containing one is a title phrase ("UN Envoy", "President Ford").
TITLE_WORDS = frozenset("""
    ambassador chairman chairwoman chancellor chief commander congressman congresswoman deputy
    director emir envoy ex foreign former general governor head journalist king leader mayor minister
    ministers monitor official officials peacekeeper peacekeepers premier president presidents
    potus president-elect prime queen reformer representative reporter secretary secretary-general senator
    spokesman spokeswoman vice vice-president mr mrs ms dr sen rep gen col colonel lt sgt pm
    """.split())
#: Gendered titles seen in a record's names give the actor's gender.
GENDERED = {"mr": "m", "king": "m", "lord": "m", "baron": "m", "prince": "m", "sir": "m",
            "mrs": "f", "ms": "f", "queen": "f", "lady": "f", "baroness": "f", "princess": "f"}
#: Particles kept in lower case inside a person's name ("Muhammad al-Baradei", "Hans van Mierlo").
PARTICLES = frozenset("al el bin ibn bint de del della der den di da das dos du fi la le van von wa wal y ul ud"
                      .split())
#: Function words kept in lower case inside an organisation's name.
FUNCTION_WORDS = frozenset("of the and for in on to at by a an with against from "
                           "por para pour des les et y".split())
#: Common English words: alone, they are not a name ("Hope", "Rice", "Grant", "Unity").
COMMON_WORDS = frozenset("""
    about above accord action after again against age agency aid air all alliance also always among
    and any april army art august away back bank base bell best better big black blue board body
    bond border both bright brown build bush but call can cape capital care case cash center central
    chair chance change charity chase child church city civil clear close coast cold common community
    congress cook core council country court cross crown dawn day days december defence defense
    democracy diamond does dove down during each earth east economy energy even every faith fall
    family far fast february federal field fire first fisher flag ford fox free freedom friday friend
    from front fund future gate general glory god gold golden good government grace grand grant great
    green group growth guard hall hand hard have head health heart help here high hill his home honey
    hope house how human hunt independence island its january jordan joy july june just justice key
    kind king labour labor land last law lead league left liberty life light like lion little long
    lord love low major march mark mason may media might mission monday moon more most mother mount
    much must nation national nations nature near new news next night north november now ocean
    october office oil old one only open order page palace park party path peace people pope post
    power press pride prime progress public queen rain red reform reserve rice rich right rise river
    road rock rose royal rule safe saint salt saturday say sea security see senate september service
    she shell short sky small smith snow society solidarity south spring square star state states
    steel stone storm street strong summer sun sunday supreme swift table target the their there these
    they this thursday tiger time today trade true trust truth tuesday union unity upon victory voice
    war ward was water way wednesday well west what when which white who why will wind winter with
    wood work world year young youth
    """.split())

_CODE = re.compile(r"\[([^\]]*)\]")
_RESTRICTION = re.compile(r"^([A-Z-]+)\s*(?:([<>])\s*(\d+)|(\d+)\s*-\s*(\d+))?$")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$")
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII|IX|XI|XII)$")


@dataclass(frozen=True)
class Code:
    """One `[code restriction]` of a record: the code and its ISO bounds ("" when open)."""

    code: str
    start: str
    end: str
    line: int


@dataclass
class Record:
    """One dictionary record: its names (the first is the main one) and codes, in file order."""

    file: str
    line: int
    names: list[str] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    person_marker: bool = False  # the country file marks its people "# CountryInfo.txt"


def slug(text: str) -> str:
    """An ASCII id from a label, as `kg.resolve.slug` makes them."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# ---- reading the dictionaries ----------------------------------------------------------------

def iso_date(digits: str, stats: Counter[str]) -> str:
    """`YYMMDD` or `YYYYMMDD` as an ISO date; "" (and counted) when it is no real date."""
    if len(digits) == 6:
        yy = int(digits[:2])
        digits = ("19" if yy >= 30 else "20") + digits
    if len(digits) != 8:
        stats["dates left empty (malformed)"] += 1
        return ""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        stats["dates left empty (malformed)"] += 1
        return ""


def parse_code(raw: str, line: int, stats: Counter[str]) -> Code | None:
    """`DEUGOV >051122` -> Code("DEUGOV", "2005-11-22", "")."""
    m = _RESTRICTION.match(raw.strip())
    if not m or m.group(1).strip("-") == "":
        return None  # the null code [---] or a stray bracket
    code, sign, one, first, last = m.groups()
    start = end = ""
    if sign == ">":
        start = iso_date(one, stats)
    elif sign == "<":
        end = iso_date(one, stats)
    elif first:
        start, end = iso_date(first, stats), iso_date(last, stats)
    return Code(code, start, end, line)


def parse_dictionary(text: str, file: str, stats: Counter[str]) -> list[Record]:
    """The records of one actor dictionary, in file order."""
    records: list[Record] = []
    current: Record | None = None
    after_blank = True
    for lineno, raw in enumerate(text.splitlines(), 1):
        body, _, comment = raw.partition("#")
        if not body.strip():
            after_blank = after_blank or not raw.strip()
            continue
        found = _CODE.search(body)
        name = (body[:found.start()] if found else body).strip()
        codes = [c for c in (parse_code(x, lineno, stats) for x in _CODE.findall(body)) if c]
        if body.startswith("+"):
            name = name[1:].strip()
        elif not body[0].isspace():
            # a name line: spellings of the record being read until its codes come, unless a
            # blank line or the country file's person marker says a new record begins
            marker = "CountryInfo" in comment
            if current is None or current.codes or after_blank or marker:
                current = Record(file, lineno, person_marker=marker)
                records.append(current)
                for part in name.split("+"):
                    if part.strip():
                        current.names.append(part.strip())
                current.codes.extend(codes)
                after_blank = False
                continue
        if current is None:
            stats["lines outside any record"] += 1
            continue
        for part in name.split("+"):
            if part.strip():
                current.names.append(part.strip())
        current.codes.extend(codes)
        after_blank = False
    return records


# ---- names ---------------------------------------------------------------------------------------

def words(raw: str) -> list[str] | None:
    """The words of a dictionary phrase (`ANGELA_MERKEL_` -> ["ANGELA", "MERKEL"]); None when the
    phrase is damaged (a replacement character) or lists two people ("X, THEN Y")."""
    if "\ufffd" in raw:
        return None
    text = re.sub(r"\([^)]*\)", " ", raw.replace("_", " "))
    out = [w.strip(",") for w in text.split()]
    out = [w for w in out if w]
    if not out or "THEN" in out:
        return None
    return out


def parenthesised_acronyms(raw: str) -> list[str]:
    """`FREE_ACEH_MOVEMENT_(GAM)_` -> ["GAM"]: an acronym given in brackets is another name."""
    return re.findall(r"\(([A-Z][A-Z0-9-]{1,9})\)", raw)


def initials(tokens: list[str]) -> str:
    return "".join(t[0] for t in tokens if t.lower() not in FUNCTION_WORDS and t[:1].isalpha())


def record_acronyms(names: list[list[str]], *, igo: bool = False) -> frozenset[str]:
    """The words of a record that are acronyms of its names: a one-word name of at most five
    letters ("IPCC") or of an intergovernmental body ("UNICEF", "UNESCO"), or one whose letters
    follow the initials of another name ("ANSF" beside AFGHAN_NATIONAL_SECURITY_FORCES)."""
    spelled = [initials(t) for t in names if len(t) > 1]
    out = set()
    for t in names:
        letters = t[0].replace(".", "")
        if len(t) != 1 or not letters.isalpha() or letters.lower() in PARTICLES | FUNCTION_WORDS:
            continue
        for ini in spelled:
            it = iter(ini)
            if letters[0] == ini[:1] and all(ch in it for ch in letters):
                out.add(t[0])
        if len(letters) <= 5 or igo:
            out.add(t[0])
    return frozenset(out)


def _is_acronym(token: str, org: bool, acronyms: frozenset[str]) -> bool:
    letters = token.replace(".", "").replace("-", "")
    if not letters.isalpha() or not org or token.lower() in PARTICLES | FUNCTION_WORDS:
        return False
    return token in acronyms or len(letters) <= 2 or not re.search(r"[AEIOUY]", letters)


def _cap(part: str) -> str:
    if "'" in part:
        head, _, tail = part.partition("'")
        if len(head) == 1:  # O'Kennedy, D'Escoto
            return head.upper() + "'" + tail[:1].upper() + tail[1:].lower()
        return head[:1].upper() + head[1:].lower() + "'" + tail.lower()  # People's
    text = part[:1].upper() + part[1:].lower()
    if re.match(r"^Mc[a-z]", text):
        text = "Mc" + text[2:3].upper() + text[3:]
    return text


def display(tokens: list[str], *, org: bool, acronyms: frozenset[str] = frozenset()) -> str:
    """Dictionary capitals as a name is written: "Muhammad al-Baradei", "Organization for the
    Prohibition of Chemical Weapons", "UN Security Council", "R.K. Pachauri"."""
    out = []
    for i, token in enumerate(tokens):
        if _INITIALS.match(token) or _ROMAN.match(token) or any(ch.isdigit() for ch in token):
            out.append(token.upper())
            continue
        if _is_acronym(token, org, acronyms):
            out.append(token)
            continue
        if "&" in token and len(token) <= 5:
            out.append(token)  # AT&T
            continue
        parts = []
        for j, part in enumerate(re.split(r"([-/])", token)):
            low = part.lower()
            first = i == 0 and j == 0
            if part in "-/" or not first and (low in PARTICLES or (org and low in FUNCTION_WORDS)
                                             or (j > 0 and low in ("e", "i"))):
                parts.append(low)  # "Lashkar-e-Taiba", "Hizb-i-Islami"
            else:
                parts.append(_cap(part))
        out.append("".join(parts))
    return " ".join(out)


def is_title_phrase(tokens: list[str]) -> bool:
    return any(t.lower().strip(".") in TITLE_WORDS or t.lower().startswith("ex-") for t in tokens)


def english_words(petrarch: Path) -> frozenset[str]:
    """Common English words: the built-in list and, when they are beside the actor dictionaries,
    every word of the CAMEO verb dictionary and of the agents dictionary (about 5,000 words of
    political news: "target", "unity", "machete", "falcon")."""
    out = set(COMMON_WORDS)
    for name in WORD_SOURCES:
        path = petrarch / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                body = _CODE.sub(" ", line.split("#", 1)[0])
                out.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", body))
    return frozenset(out)


def is_common_word(tokens: list[str], common: frozenset[str]) -> bool:
    """One word that is an English word (or its plural: "Tigers", "Mavericks"), or no word at all."""
    if len(tokens) != 1:
        return False
    word = tokens[0].lower().strip(".'")
    if not re.search(r"[a-z]", word):
        return True  # "313"
    return _in(word, common | ORG_WORDS | TITLE_WORDS)


def _in(word: str, vocabulary: frozenset[str]) -> bool:
    """`word` or its singular ("tigers", "churches") is in `vocabulary`."""
    return word in vocabulary or word.endswith("s") and (word[:-1] in vocabulary or word[:-2] in vocabulary)


def is_generic(name: str, ctx: Context) -> bool:
    """A name made only of common words and naming no place ("National Security Council",
    "Supreme Court", "Islamic Party"): every country has one, so it names none in particular."""
    words_ = norm_name(name).split()
    for n in range(1, min(4, len(words_)) + 1):
        if any(" ".join(words_[i:i + n]) in ctx.places for i in range(len(words_) - n + 1)):
            return False
    if any(len(t) > 1 and t.isupper() for t in name.split()):
        return False  # an acronym is specific
    every = ctx.common | ORG_WORDS | FUNCTION_WORDS | TITLE_WORDS
    return all(_in(w, every) for w in words_)


def similar_word(a: str, bs: list[str]) -> bool:
    return any(a == b or (len(a) > 3 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75) for b in bs)


# ---- classification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Codebook:
    countries: frozenset[str]  # 3- and 6-letter CAMEO country codes
    roles: frozenset[str]  # CAMEO actor types (GOV, MIL, IGO, ...)

    def split(self, code: str) -> tuple[str, str]:
        """`DEUGOVLEG` -> ("DEU", "GOV"); `IGOUNOKID` -> ("", "IGO"); `INTREB` -> ("", "REB")."""
        country = ""
        rest = code
        if code[:6] in self.countries and len(code) >= 6 and code[:3] in self.countries:
            country, rest = code[:3], code[6:]
        elif code[:3] in self.countries:
            country, rest = code[:3], code[3:]
        chunks = [rest[i:i + 3] for i in range(0, len(rest) - 2, 3)]
        known = [c for c in chunks if c in self.roles]
        if known[:1] == ["INT"] and len(known) > 1:
            known = known[1:]  # "international" before a specific role: the role says more
        return country, known[0] if known else ""


def classify(rec: Record, tokens: list[str], roles: list[tuple[str, str]], given: frozenset[str]) -> str:
    """person, organization or group (see the module docstring)."""
    lowered = {t.lower().strip(".,") for t in tokens}
    org_name = bool(lowered & ORG_WORDS) or tokens[0].lower() == "the"
    armed = any(role in ARMED_ROLES for _, role in roles)
    body = "group" if armed else "organization"
    dated = any(c.start or c.end for c in rec.codes)
    elite = any(role == "ELI" for _, role in roles)
    named = tokens[0] in given and 2 <= len(tokens) <= 4 and not org_name
    if rec.file == NONSTATE_FILE:
        return "person" if named else "group"  # a group's leader ("Khalid Sheikh Mohammed")
    if rec.file == COUNTRIES_FILE:
        if rec.person_marker or (len(tokens) > 1 and not org_name) or (len(tokens) == 1 and (dated or elite)):
            return "person"
        return body  # "Knesset", "Mossad", "Communist Party of China"
    if all(role == "MNC" for _, role in roles) and not dated:
        return "organization"  # companies are often named after people ("Martha Stewart Living")
    official = elite or any(country and role in ("GOV", "OPP", "LEG", "JUD") for country, role in roles)
    if not org_name and (dated or official or named):
        return "person"
    return body


# ---- the whole generation ----------------------------------------------------------------------

def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def taken_names(data: Path) -> tuple[set[str], set[str], set[str]]:
    """Normalised names of curated actors, of countries and places, and the curated ids."""
    curated: set[str] = set()
    ids: set[str] = set()
    for r in _read_csv(data / "actors.csv"):
        ids.add(r["id"])
        curated.update(norm_name(n) for n in [r["label"], *_split(r.get("aliases", ""))])
    places: set[str] = set()
    for r in _read_csv(data / "countries.csv"):
        ids.add(f"country-{r['iso3'].lower()}")
        for col in ("name", "aliases", "metonyms", "demonyms"):
            places.update(norm_name(n) for n in _split(r.get(col, "")))
    for r in _read_csv(data / "cameo_country_codes.csv"):
        places.add(norm_name(r["name"]))
        if len(r["code"]) == 3:
            ids.add(f"country-{r['code'].lower()}")
    generated = data / "generated" / "countries.csv"
    if generated.exists():
        for r in _read_csv(generated):
            for col in ("name", "demonyms", "places"):
                places.update(norm_name(n) for n in _split(r.get(col, "")))
    curated.discard("")
    places.discard("")
    return curated, places, ids


def given_names(records: list[Record]) -> frozenset[str]:
    """First words of the country file's people with a marked record ("ANGELA" of ANGELA_MERKEL_),
    used to tell an official from a body in the other files."""
    out: Counter[str] = Counter()
    for rec in records:
        if rec.file == COUNTRIES_FILE and rec.person_marker:
            tokens = words(rec.names[0])
            if tokens and len(tokens) >= 2 and tokens[0].isalpha() and len(tokens[0]) > 2:
                out[tokens[0]] += 1
    return frozenset(w for w, n in out.items() if n >= 2 and w.lower() not in PARTICLES | FUNCTION_WORDS
                     and w.lower() not in ORG_WORDS and w.lower() not in TITLE_WORDS)


@dataclass
class Candidate:
    rec: Record
    type: str
    label: str
    aliases: list[str]
    rows: list[tuple[str, str, Code]]  # (country, role, code)
    gender: str


@dataclass(frozen=True)
class Context:
    """What a record is judged against."""

    book: Codebook
    given: frozenset[str]  # given names of the country file's people
    curated: frozenset[str]  # normalised names of curated actors
    places: frozenset[str]  # normalised names of countries, demonyms and places
    common: frozenset[str]  # common English words


def generate(petrarch: Path, data: Path) -> tuple[list[dict[str, str]], Counter[str]]:
    """The rows of `actors.csv` and a report of what was read, written and skipped."""
    stats: Counter[str] = Counter()
    records: list[Record] = []
    for name in SOURCES:
        recs = parse_dictionary((petrarch / name).read_text(encoding="utf-8", errors="replace"), name, stats)
        stats[f"records read from {name}"] = len(recs)
        records.extend(recs)
    curated, places, curated_ids = taken_names(data)
    ctx = Context(Codebook(frozenset(r["code"] for r in _read_csv(data / "cameo_country_codes.csv")),
                           frozenset(r["code"] for r in _read_csv(data / "cameo_actor_types.csv"))),
                  given_names(records), frozenset(curated), frozenset(places), english_words(petrarch))
    candidates = [c for c in (_candidate(rec, ctx, stats) for rec in records) if c is not None]

    # A record whose name an earlier record of the same type (and country, when both have one)
    # already gives, as its name or a spelling, is that actor: the dictionaries repeat people
    # and list a group under several of its names.
    first_claim: dict[str, int] = {}
    for i, cand in enumerate(candidates):
        for name in (cand.label, *cand.aliases):
            first_claim.setdefault(norm_name(name), i)
    root = list(range(len(candidates)))
    for i, cand in enumerate(candidates):
        j = first_claim[norm_name(cand.label)]
        while root[j] != j:
            j = root[j]
        other = candidates[j]
        if j < i and other.type == cand.type and (other.rows[0][0] == cand.rows[0][0]
                                                   or not other.rows[0][0] or not cand.rows[0][0]):
            root[i] = j
            other.aliases.extend(a for a in (cand.label, *cand.aliases) if a not in other.aliases)
            other.rows.extend(cand.rows)
            other.gender = other.gender or cand.gender
            stats["records merged into an earlier record of the same actor"] += 1
    order = [cand for i, cand in enumerate(candidates) if root[i] == i]

    # A name means one actor: the first record to claim it keeps it; an alias that is another
    # record's label goes, and a person's one-word alias that several people share goes too.
    labels = {norm_name(c.label) for c in order}
    one_word: Counter[str] = Counter()
    for cand in order:
        for a in {norm_name(a) for a in cand.aliases if " " not in norm_name(a)}:
            one_word[a] += 1
    claimed: set[str] = set()
    used_ids: set[str] = set(curated_ids)
    rows: list[dict[str, str]] = []
    for cand in order:
        key = norm_name(cand.label)
        if key in claimed:
            stats["skipped: name of another generated actor"] += 1
            continue
        claimed.add(key)
        aliases = []
        for alias in cand.aliases:
            k = norm_name(alias)
            if k == key or k in claimed or k in labels:
                stats["aliases dropped: another generated actor's name"] += k != key
                continue
            if cand.type == "person" and " " not in k and one_word[k] > 1:
                stats["aliases dropped: one word shared by several people"] += 1
                continue
            claimed.add(k)
            aliases.append(alias)
        cand.aliases = aliases
        actor_id = base = slug(cand.label)
        if actor_id in used_ids:
            actor_id = base = slug(f"{cand.label} {cand.rows[0][0] or cand.type}")
        n = 2
        while actor_id in used_ids:
            actor_id, n = f"{base}-{n}", n + 1
        used_ids.add(actor_id)
        rows.extend(_rows(actor_id, cand))
        stats[f"actors written: {cand.type}"] += 1
    return rows, stats


def _candidate(rec: Record, ctx: Context, stats: Counter[str]) -> Candidate | None:
    """The actor a record describes, or None (counted in `stats` by reason)."""
    if not rec.codes:
        stats["skipped: record without a code"] += 1
        return None
    roles = [ctx.book.split(c.code) for c in rec.codes]
    if all(not role for _, role in roles):
        stats["skipped: a country, region or place (no role)"] += 1
        return None
    names = [t for t in (words(n) for n in rec.names) if t]
    if not names:
        stats["skipped: damaged name"] += 1
        return None
    # the label is the first name that is not a title phrase ("Secretary-General Ban Ki-Moon")
    plain = [t for t in names if not is_title_phrase(t)]
    if not plain:
        stats["skipped: a title, not a name"] += 1
        return None
    kind = classify(rec, plain[0], roles, ctx.given)
    org = kind != "person"
    if org and rec.file != INTERNATIONAL_FILE:
        # A country's institution called by a generic name ("National Security Council") or a
        # group's two common words ("Red Line", "Islamic Party") would claim every country's;
        # international bodies are unique by their purpose ("World Food Program") and stay.
        limit = 99 if rec.file == COUNTRIES_FILE else 2
        specific = [t for t in names if not (len(t) <= limit and is_generic(display(t, org=True), ctx))]
        stats["names dropped: generic"] += len(names) - len(specific)
        names = specific
        plain = [t for t in names if not is_title_phrase(t)]
        if not plain:
            stats["skipped: only generic names"] += 1
            return None
    tokens = plain[0]
    acronyms = record_acronyms(names, igo=any(role == "IGO" for _, role in roles)) if org else frozenset()
    label = display(tokens, org=org, acronyms=acronyms)
    key = norm_name(label)
    spellings = [norm_name(display(t, org=org)) for t in names]
    if key in ctx.curated or any(" " in k and k in ctx.curated for k in spellings):
        stats["skipped: a curated actor"] += 1
        return None
    if key in ctx.places:
        stats["skipped: name of a country, demonym or place"] += 1
        return None
    if is_common_word(tokens, ctx.common) or len(key.replace(" ", "")) < 3:
        stats["skipped: a common word or too short"] += 1
        return None
    if kind == "person" and len(tokens) == 1 and tokens[0] in ctx.given:
        stats["skipped: a person named by one given name alone"] += 1  # "Abdullah", "Hussein"
        return None
    gender = next((GENDERED[t[0].lower().strip(".")] for t in names if t[0].lower().strip(".") in GENDERED), "")
    label_words = [w.lower() for w in tokens if w.lower() not in PARTICLES]
    aliases: list[str] = []
    extra = [a for n in rec.names for a in parenthesised_acronyms(n)] if org else []
    for t in [*names, *([a] for a in extra)]:
        alias = display(t, org=org, acronyms=acronyms)
        k = norm_name(alias)
        if k == key or alias in aliases:
            continue
        reason = ""
        if len(k.replace(" ", "")) < 3:
            reason = "shorter than three letters"
        elif is_common_word(t, ctx.common):
            reason = "a common word"
        elif is_title_phrase(t):
            reason = "a title phrase"
        elif k in ctx.curated or k in ctx.places:
            reason = "a curated, country or place name"
        elif kind == "person" and not any(similar_word(w.lower(), label_words) for w in t
                                          if w.lower() not in PARTICLES):
            reason = "shares no word with the person's name"
        elif org and (t[0] in ctx.given and 2 <= len(t) <= 4 and not {w.lower() for w in t} & ORG_WORDS
                      or len(t) == 1 and t[0] in ctx.given):
            reason = "a person's name in an organisation's record"
        if reason:
            stats[f"aliases dropped: {reason}"] += 1
            continue
        aliases.append(alias)
    picked = [(country, role, code) for (country, role), code in zip(roles, rec.codes, strict=True) if role]
    return Candidate(rec, kind, label, aliases, picked, gender)


def _rows(actor_id: str, cand: Candidate) -> list[dict[str, str]]:
    """The actor's rows: its latest dated role first (with the aliases), then the others."""
    entries = list(dict.fromkeys(cand.rows))
    dated = [e for e in entries if e[2].start or e[2].end]
    primary = max(dated, key=lambda e: (e[2].start or e[2].end, not e[2].end)) if dated else entries[0]
    out = []
    seen: set[tuple[str, str, str, str]] = set()
    for i, (country, role, code) in enumerate([primary, *[e for e in entries if e is not primary]]):
        key = (country, role, code.start, code.end)
        if key in seen:
            continue
        seen.add(key)
        out.append({"id": actor_id, "label": cand.label, "type": cand.type, "country": country, "role": role,
                    "aliases": ";".join(cand.aliases) if i == 0 else "", "office": "",
                    "start": code.start, "end": code.end, "gender": cand.gender,
                    "source": f"{cand.rec.file}:{code.line} {code.code}"})
    return out


def render(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--petrarch", type=Path, default=DEFAULT_PETRARCH,
                    help="folder of the Phoenix dictionaries (default: ../shared/petrarch)")
    ap.add_argument("--out", type=Path, default=DATA / "generated", help="output folder (default: kg/data/generated)")
    args = ap.parse_args(argv)
    for name in SOURCES:
        if not (args.petrarch / name).is_file():
            print(f"{args.petrarch / name}: not found; pass --petrarch DIR (the folder of the Phoenix dictionaries)",
                  file=sys.stderr)
            return 2
    for name in ("cameo_country_codes.csv", "cameo_actor_types.csv", "actors.csv", "countries.csv"):
        if not (DATA / name).is_file():
            print(f"{DATA / name}: not found (run from a checkout of kg)", file=sys.stderr)
            return 2
    try:
        rows, stats = generate(args.petrarch, DATA)
        write_text_atomic(args.out / "actors.csv", render(rows))
    except (OSError, csv.Error, KeyError) as exc:
        print(f"generate_gazetteer: {exc}", file=sys.stderr)
        return 2
    read = {k.removeprefix("records read from "): v for k, v in stats.items() if k.startswith("records read")}
    written = {k.removeprefix("actors written: "): v for k, v in stats.items() if k.startswith("actors written")}
    skipped = {k.removeprefix("skipped: "): v for k, v in stats.items() if k.startswith("skipped: ")}
    print(f"records read: {sum(read.values())} ({', '.join(f'{k} {v}' for k, v in read.items())})")
    print(f"actors written: {sum(written.values())} ({', '.join(f'{k} {v}' for k, v in sorted(written.items()))}), "
          f"{len(rows)} rows, to {args.out / 'actors.csv'}")
    print(f"records merged into an earlier one: {stats['records merged into an earlier record of the same actor']}")
    print(f"records skipped: {sum(skipped.values())}")
    for reason, n in sorted(skipped.items(), key=lambda kv: -kv[1]):
        print(f"  {reason}: {n}")
    for key in sorted(k for k in stats if k.startswith(("aliases dropped", "names dropped", "dates", "lines"))):
        print(f"{key}: {stats[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
