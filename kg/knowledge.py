"""The extractor's knowledge, kept as data: the CAMEO codebook, the verb and noun lexicons,
and the actor gazetteer (countries, leaders and their offices, organisations, news agencies).

Everything is read once from CSV files under `kg/data/`; a user extends the gazetteer with
their own file in the same format (`kg build --actors my_actors.csv`).
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg import records
from kg.errors import InputError
from kg.records import Actor
from kg.util import cache


def content_hash(paths: list[Path]) -> str:
    """A short digest of files' names and bytes: versions that change exactly when content does."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def lexicon_version() -> str:
    """The version of the knowledge in `kg/data/` (lexicons, gazetteer, word lists, coding rules),
    derived from its content so that two builds can be compared without anyone bumping a number."""
    data = Path(str(resources.files("kg") / "data"))
    return "data-" + content_hash([p for p in data.rglob("*.csv") if p.is_file()])


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int


@dataclass(frozen=True)
class VerbEntry:
    verb: str
    particle: str
    adverb: str
    complement: str  # "to" when the verb takes an infinitive ("offer to dismantle")
    preps: tuple[str, ...]  # prepositions whose object is the target ("meet with X")
    code: str
    relation: str
    symmetric: bool = False  # "X and Y met": each met the other
    needs_target: bool = False  # no named target, no event ("spoke at a news conference")
    objects: tuple[str, ...] = ()  # the reading needs one of these objects ("strike a deal")

    @property
    def specificity(self) -> int:
        return bool(self.particle) + bool(self.adverb) + bool(self.complement) + 2 * bool(self.objects)


@dataclass(frozen=True)
class NounEntry:
    noun: str
    code: str
    relation: str
    preps: tuple[str, ...]
    symmetric: bool = False


@dataclass(frozen=True)
class Office:
    actor_id: str
    country: str
    office: str
    start: str
    end: str


def _alike(a: str, b: str, at_least: float) -> bool:
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


def _data_path(name: str) -> Path:
    return Path(str(resources.files("kg") / "data" / name))


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: not a UTF-8 CSV file ({exc})") from None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


@lru_cache(maxsize=1)
def cameo_codes() -> dict[str, CameoCode]:
    """The CAMEO codebook: code (a string, leading zeros kept) -> name, Goldstein, quad class."""
    return {r["code"]: CameoCode(r["code"], r["name"], float(r["goldstein"]), int(r["quad_class"]))
            for r in _rows(_data_path("cameo_event_codes.csv"))}


def cameo(code: str) -> CameoCode:
    """The codebook entry for `code`, falling back to its root for unknown sub-codes."""
    table = cameo_codes()
    return table.get(code) or table[code[:2]]


#: Codes too vague to trust from a generated bare reading: a verb the dictionary files under
#: "statement", "consult", "cooperate", "yield" or "intend to cooperate, not specified" ("disperse",
#: "think", "give", "allow", "aim") says nothing about who did what to whom without a pattern.
VAGUE_GENERATED_CODES = frozenset({"010", "030", "040", "050", "060", "080"})


def _verb_entry(r: dict[str, str]) -> VerbEntry:
    return VerbEntry(r["verb"], r["particle"], r["adverb"], r["complement"], _split(r["preps"]),
                     r["code"], r["relation"], r.get("symmetric") == "yes", r.get("needs_target") == "yes",
                     _split(r.get("objects", "")))


@lru_cache(maxsize=1)
def verb_lexicon() -> dict[str, list[VerbEntry]]:
    """Verb lemma -> entries, most specific (particle, adverb, complement) first: the curated
    `verbs.csv`, then for lemmas it does not know, the readings generated from PETRARCH2's CAMEO
    verb dictionary (`generated/verbs.csv`), each needing a named target."""
    out: dict[str, list[VerbEntry]] = {}
    for r in _rows(_data_path("verbs.csv")):
        entry = _verb_entry(r)
        out.setdefault(entry.verb, []).append(entry)
    curated = set(out)
    polysemous = word_list("polysemous_verbs")  # "hit", "fail", "see": a bare reading would be a guess
    generated = _data_path("generated/verbs.csv")
    for r in _rows(generated) if generated.exists() else []:
        entry = _verb_entry(r)
        bare = entry.specificity == 0 and not entry.preps
        if entry.verb in curated or bare and entry.verb in polysemous or (
                not entry.objects and entry.code in VAGUE_GENERATED_CODES):
            continue
        out.setdefault(entry.verb, []).append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: -e.specificity)
    return out


@lru_cache(maxsize=1)
def noun_lexicon() -> dict[str, NounEntry]:
    """Event nouns ("talks", "summit", "letter") -> code, relation and target prepositions."""
    return {r["noun"]: NounEntry(r["noun"], r["code"], r["relation"], _split(r["preps"]), r.get("symmetric") == "yes")
            for r in _rows(_data_path("nouns.csv"))}


@lru_cache(maxsize=1)
def _word_rows() -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    for r in _rows(_data_path("words.csv")):
        lists.setdefault(r["list"], []).append((r["word"], r.get("value", "")))
    return lists


def _rows_of(name: str) -> list[tuple[str, str]]:
    rows = _word_rows().get(name)
    if rows is None:
        raise KeyError(f"kg/data/words.csv has no list {name!r}")
    return rows


@lru_cache(maxsize=256)
def word_list(name: str) -> frozenset[str]:
    """A list of English words the constructions name (`kg/data/words.csv`, one row a word): the
    language's knowledge lives in data, the code only names the list it needs."""
    return frozenset(w for w, _ in _rows_of(name))


@lru_cache(maxsize=256)
def word_sequence(name: str) -> tuple[str, ...]:
    """A word list in the order of the file, where order is preference ("president" before "king")."""
    return tuple(w for w, _ in _rows_of(name))


def word_map(name: str) -> dict[str, str]:
    """Word -> value ("prime minister" -> the office it names; "he" -> "m")."""
    return dict(_rows_of(name))


def word_multimap(name: str) -> dict[str, set[str]]:
    """Word -> several values ("deal" -> the verbs that do one: agree, sign, reach, strike)."""
    out: dict[str, set[str]] = {}
    for word, value in _rows_of(name):
        out.setdefault(word, set()).add(value)
    return out


def word_groups(name: str) -> tuple[set[str], ...]:
    """Words grouped by their value (offices that are each other's counterparts)."""
    groups: dict[str, set[str]] = {}
    for word, value in _rows_of(name):
        groups.setdefault(value, set()).add(word)
    return tuple(groups.values())


def light_verbs() -> frozenset[str]:
    """Verbs that hand their meaning to an event noun ("launched strikes", "lodged a protest")."""
    return word_list("light_verb")


@lru_cache(maxsize=1)
def contextual_aliases() -> dict[str, tuple[str, frozenset[str]]]:
    """Names that mean an actor only in some stories ("the North" is North Korea where the article
    has named one of the Koreas, not in a report on Sudan): alias -> (actor id, the actors whose
    earlier mention licenses it)."""
    return {norm_name(r["alias"]): (r["actor_id"], frozenset(_split(r["licensed_by"])))
            for r in _rows(_data_path("contextual_aliases.csv"))}


@dataclass(frozen=True)
class GroupNoun:
    """A noun that names a group of people acting together, with its CAMEO agent role."""

    word: str
    role: str
    standalone: bool  # names an actor with no owner ("gunmen", "protesters"); else needs one ("Iraqi officials")


#: Agent roles whose groups act on their own account: rebels, insurgents, the opposition,
#: unidentified gunmen, separatists, radicals, criminals (CAMEO agent codes).
STANDALONE_ROLES = frozenset({"REB", "INS", "OPP", "UAF", "SEP", "RAD", "CRM"})


@lru_cache(maxsize=1)
def group_nouns() -> dict[str, GroupNoun]:
    """Group and role nouns by lemma and plural form: the curated `group_nouns.csv` first, then
    the one-word agent nouns generated from the Phoenix agents dictionary (`generated/agents.csv`)."""
    out: dict[str, GroupNoun] = {}
    for r in _rows(_data_path("group_nouns.csv")):
        out.setdefault(r["word"], GroupNoun(r["word"], r["role"], r.get("standalone") == "yes"))
    generated = _data_path("generated/agents.csv")
    places = word_list("not_agent_nouns")  # the dictionary codes villages and schools as civilians
    if generated.exists():
        for r in _rows(generated):
            form, code = r["form"], r["code"]
            head = form.split()[-1]
            if {head, head[:-1], head[:-3] + "y"} & places:  # "villages", "communities"
                continue
            if form.count(" ") > 1 or len(code) < 3 or not form.replace(" ", "").isalpha():
                continue  # one word, or a modifier and a noun ("armed man")
            role = code[:3]
            out.setdefault(form, GroupNoun(form, role, role in STANDALONE_ROLES))
    return out


@dataclass
class Gazetteer:
    """Known actors and every name they go by, with offices held over time."""

    actors: dict[str, Actor] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # norm_name -> actor id
    demonyms: dict[str, str] = field(default_factory=dict)  # norm demonym -> country actor id
    offices: list[Office] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)  # norm name of a city or region -> country actor id
    #: A digest of the files this gazetteer was read from ("" when built by hand): it names the
    #: pipeline's compiled name table in the on-disk cache, so `extend` updates it.
    fingerprint: str = field(default="", compare=False)
    #: Ids of the actors generated from the Phoenix dictionaries and from Wikidata, whose spelling of
    #: a name is the source's ("Iván", a transliteration), not necessarily the article's.
    generated: set[str] = field(default_factory=set)

    def lookup(self, name: str) -> Actor | None:
        actor_id = self.names.get(norm_name(name))
        return self.actors.get(actor_id) if actor_id else None

    def variant(self, name: str) -> Actor | None:
        """The one person whose name this is another spelling of: the same surname and given names
        alike letter by letter ("Kassym-Jomart Tokayev" for "Kasymzhomart Tokayev", "Mohammed bin
        Salman" for "Mohammad bin Salman"), or the same given names and a surname alike ("Volodymyr
        Zelenskyy" for "Volodymyr Zelensky"); None when no person, or more than one, fits. Answers
        are kept: an article asks again for every mention."""
        key = norm_name(name)
        answers = self.__dict__.setdefault("_variants", {})
        if key not in answers:
            answers[key] = self._variant(key.split())
        actor_id = answers[key]
        return self.actors.get(actor_id) if actor_id else None

    def _variant(self, words: list[str]) -> str | None:
        if len(words) < 2:
            return None
        given = " ".join(words[:-1])
        fits = {actor_id for key, actor_id in self._by_surname().get(words[-1], ())
                if _alike(given, " ".join(key.split()[:-1]), 0.75)}
        if not fits and len(words[-1]) >= 5:
            # the same given names and a surname transliterated otherwise ("Volodymyr Zelensky"
            # for "Volodymyr Zelenskyy")
            fits = {actor_id for surname, actor_id in self._by_given().get(given, ())
                    if _alike(words[-1], surname, 0.8)}
        return fits.pop() if len(fits) == 1 else None

    def _by_given(self) -> dict[str, list[tuple[str, str]]]:
        index = self.__dict__.get("_given")
        if index is None:
            index = {}
            for surname, keyed in self._by_surname().items():
                for key, actor_id in keyed:
                    index.setdefault(" ".join(key.split()[:-1]), []).append((surname, actor_id))
            self.__dict__["_given"] = index
        return index

    def _by_surname(self) -> dict[str, list[tuple[str, str]]]:
        index = self.__dict__.get("_surnames")
        if index is None:
            index = {}
            for key, actor_id in self.names.items():
                actor = self.actors.get(actor_id)
                if actor is not None and actor.type == "person" and " " in key:
                    index.setdefault(key.split()[-1], []).append((key, actor_id))
            self.__dict__["_surnames"] = index
        return index

    def place_country(self, name: str) -> Actor | None:
        """The country a city or region lies in ("Aleppo" -> Syria), for where things happen."""
        actor_id = self.places.get(norm_name(name))
        return self.actors.get(actor_id) if actor_id else None

    def country(self, iso3: str) -> Actor | None:
        return self.actors.get(country_id(iso3))

    def demonym(self, word: str) -> Actor | None:
        actor_id = self.demonyms.get(norm_name(word))
        return self.actors.get(actor_id) if actor_id else None

    def holder(self, country: str, office: str, date: str) -> Actor | None:
        """Who held `office` in `country` on `date` (ISO, any precision; "" = most recent)."""
        return self._latest_holder(lambda o: o.office == office and o.country == country, date)

    def head_of(self, org: Actor, date: str) -> Actor | None:
        """Who led an international organisation on `date` (office names carry its name)."""
        names = {norm_name(n) for n in (org.label, *org.aliases) if len(n) > 1}
        return self._latest_holder(lambda o: any(o.office.startswith(n + " ") for n in names), date)

    def _latest_holder(self, fits: Callable[[Office], bool], date: str) -> Actor | None:
        best: Office | None = None
        for o in self.offices:
            if not fits(o):
                continue
            # dates compare at the coarser precision: a holding that ended "2022" still holds on 2022-06-01
            if date and not (o.start[:len(date)] <= date[:len(o.start)]
                             and (not o.end or date[:len(o.end)] <= o.end[:len(date)])):
                continue
            if best is None or o.start > best.start:
                best = o
        return self.actors.get(best.actor_id) if best else None

    def offices_of(self, actor_id: str) -> list[Office]:
        index = self.__dict__.get("_offices_by_actor")
        if index is None or index[0] != len(self.offices):  # rebuilt when offices were added
            table: dict[str, list[Office]] = {}
            for o in self.offices:
                table.setdefault(o.actor_id, []).append(o)
            index = self.__dict__["_offices_by_actor"] = (len(self.offices), table)
        return list(index[1].get(actor_id, ()))

    def add_name(self, name: str, actor_id: str, *, override: bool = False) -> None:
        key = norm_name(name)
        if key and (override or key not in self.names):
            self.names[key] = actor_id

    def extend(self, path: Path) -> None:
        """Add (or override) actors from a user CSV in the format of `kg/data/actors.csv`."""
        rows = _rows(path)
        required = {"id", "label", "type"}
        if rows and not required <= set(rows[0]):
            raise InputError(f"{path}: an actors file needs the columns {', '.join(sorted(required))} "
                             f"(see kg/data/actors.csv)")
        self._add_actor_rows(rows, override=True, source=str(path))
        if self.fingerprint:
            self.fingerprint = cache.digest(self.fingerprint, cache.files_digest([path]))

    def _add_actor_rows(self, rows: list[dict[str, str]], *, override: bool, source: str) -> None:
        for lineno, r in enumerate(rows, 2):
            if not r.get("id") or not r.get("label"):
                raise InputError(f"{source}:{lineno}: an actor needs an id and a label")
            if r.get("type", "") not in ACTOR_TYPES:
                raise InputError(f"{source}:{lineno}: unknown actor type {r.get('type')!r} "
                                 f"(use one of {', '.join(ACTOR_TYPES)})")
            old = self.actors.get(r["id"])
            aliases = tuple(dict.fromkeys((old.aliases if old else ()) + _split(r.get("aliases", ""))))
            if old is not None and not override:
                # a further row of the same actor adds an office (its first row is the current one)
                self.actors[r["id"]] = Actor(id=old.id, label=old.label, type=old.type, country=old.country,
                                             role=old.role, office=old.office or r.get("office", ""), aliases=aliases)
            else:
                self.actors[r["id"]] = Actor(id=r["id"], label=r["label"], type=r["type"],
                                             country=r.get("country", ""), role=r.get("role", ""),
                                             office=r.get("office", "") or (old.office if old else ""),
                                             aliases=aliases)
            for name in (r["label"],) + aliases:
                self.add_name(name, r["id"], override=override)
            if r.get("office"):
                self.offices.append(Office(r["id"], r.get("country", ""), r["office"].lower(),
                                           r.get("start", ""), r.get("end", "")))
            if r.get("gender"):
                self.genders[r["id"]] = r["gender"]


ACTOR_TYPES = ("person", "country", "organization", "group", "facility")


def country_id(iso3: str) -> str:
    return f"country-{iso3.lower()}"


@lru_cache(maxsize=1)
def builtin_gazetteer() -> Gazetteer:
    """The actors of `kg/data/` (curated, then generated), read from the on-disk cache (`kg.util.cache`)
    while the data files and the code that reads them are unchanged: parsing 25,000 actors on
    every start-up would cost a build about half a second."""
    data = _data_path("")
    key = cache.digest("gazetteer.v1", Path(__file__).read_bytes(), Path(records.__file__).read_bytes(),
                       cache.files_digest([*data.glob("*.csv"), *data.glob("generated/*.csv")]))
    gaz = cache.load("gazetteer", key)
    if not isinstance(gaz, Gazetteer) or gaz.fingerprint != key:
        gaz = _read_gazetteer()
        gaz.fingerprint = key
        cache.store("gazetteer", key, gaz)
    return gaz


def _read_gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    for r in _rows(_data_path("countries.csv")):
        cid = country_id(r["iso3"])
        aliases = _split(r["aliases"]) + _split(r["metonyms"])
        gaz.actors[cid] = Actor(id=cid, label=r["name"], type="country", country=r["iso3"], role="GOV",
                                aliases=aliases)
        for name in (r["name"],) + aliases:
            gaz.add_name(name, cid)
        for dem in _split(r["demonyms"]):
            gaz.demonyms.setdefault(norm_name(dem), cid)
    for r in _rows(_data_path("cameo_country_codes.csv")):
        if len(r["code"]) != 3:
            continue
        cid = country_id(r["code"])
        if cid not in gaz.actors:
            gaz.actors[cid] = Actor(id=cid, label=r["name"], type="country", country=r["code"], role="GOV")
        gaz.add_name(r["name"], cid)
    gaz._add_actor_rows(_rows(_data_path("actors.csv")), override=False, source="kg/data/actors.csv")
    curated = set(gaz.actors)
    leaders = _data_path("generated/leaders.csv")
    if leaders.exists():
        # Heads of state and government and foreign ministers with their offices and dates, generated
        # from Wikidata (scripts/generate_leaders.py): rows of the curated format, read the same way
        # (a further row of a curated actor adds an office; curated names win).
        gaz._add_actor_rows(_rows(leaders), override=False, source="kg/data/generated/leaders.csv")
    people = _data_path("generated/actors.csv")
    if people.exists():
        # People, bodies and armed groups generated from the Phoenix dictionaries: they only add
        # actors and names the curated files lack (override=False, curated ids untouched), and
        # hold roles, never offices, so "the president" still means a curated office holder.
        known = set(gaz.actors)
        gaz._add_actor_rows([{**r, "office": ""} for r in _rows(people) if r.get("id") not in known],
                            override=False, source="kg/data/generated/actors.csv")
    gaz.generated = set(gaz.actors) - curated
    generated = _data_path("generated/countries.csv")
    for r in _rows(generated) if generated.exists() else []:
        cid = country_id(r["iso3"])
        if cid in gaz.actors:  # demonyms and places generated from the Phoenix dictionary; curated rows win
            for dem in _split(r["demonyms"]):
                gaz.demonyms.setdefault(norm_name(dem), cid)
            for place in _split(r["places"]):
                gaz.places.setdefault(norm_name(place), cid)
    return gaz


def load_gazetteer(extra: list[Path] | None = None) -> Gazetteer:
    """The built-in gazetteer, extended by the user's actor files (later files win)."""
    if not extra:
        return builtin_gazetteer()
    base = builtin_gazetteer()
    gaz = Gazetteer(dict(base.actors), dict(base.names), dict(base.demonyms), list(base.offices),
                    dict(base.genders), dict(base.places), base.fingerprint, set(base.generated))
    for path in extra:
        gaz.extend(Path(path))
    return gaz
