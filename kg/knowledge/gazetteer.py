"""The actor gazetteer: countries, leaders and their offices over time, organisations, news agencies
and armed groups, with every name each goes by (`countries.csv`, `actors.csv`, the rows generated
from Wikidata and the Phoenix dictionaries under `generated/`), read once and kept in the on-disk
cache; a user extends it with a file of the same format (`kg build --actors my_actors.csv`)."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg import records
from kg.errors import InputError
from kg.knowledge.names import alike, norm_name
from kg.knowledge.tables import data_path, read_rows, split_cell
from kg.records import Actor
from kg.util import cache


@dataclass(frozen=True)
class Office:
    actor_id: str
    country: str
    office: str
    start: str
    end: str


@lru_cache(maxsize=1)
def contextual_aliases() -> dict[str, tuple[str, frozenset[str]]]:
    """Names that mean an actor only in some stories ("the North" is North Korea where the article
    has named one of the Koreas, not in a report on Sudan): alias -> (actor id, the actors whose
    earlier mention licenses it)."""
    return {norm_name(r["alias"]): (r["actor_id"], frozenset(split_cell(r["licensed_by"])))
            for r in read_rows(data_path("contextual_aliases.csv"))}


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
                if alike(given, " ".join(key.split()[:-1]), 0.75)}
        if not fits and len(words[-1]) >= 5:
            # the same given names and a surname transliterated otherwise ("Volodymyr Zelensky"
            # for "Volodymyr Zelenskyy")
            fits = {actor_id for surname, actor_id in self._by_given().get(given, ())
                    if alike(words[-1], surname, 0.8)}
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
        return self._latest_holder(self._offices_by("post", lambda o: (o.office, o.country)).get((office, country), ()),
                                   date)

    def head_of(self, org: Actor, date: str) -> Actor | None:
        """Who led an international organisation on `date` (office names carry its name)."""
        names = {norm_name(n) for n in (org.label, *org.aliases) if len(n) > 1}
        return self._latest_holder((o for o in self.offices if any(o.office.startswith(n + " ") for n in names)), date)

    def _latest_holder(self, offices: Iterable[Office], date: str) -> Actor | None:
        """Of `offices`, the holding begun last among those that hold on `date`: its holder."""
        best: Office | None = None
        for o in offices:
            # dates compare at the coarser precision: a holding that ended "2022" still holds on 2022-06-01
            if date and not (o.start[:len(date)] <= date[:len(o.start)]
                             and (not o.end or date[:len(o.end)] <= o.end[:len(date)])):
                continue
            if best is None or o.start > best.start:
                best = o
        return self.actors.get(best.actor_id) if best else None

    def offices_of(self, actor_id: str) -> list[Office]:
        return list(self._offices_by("actor", lambda o: o.actor_id).get(actor_id, ()))

    def _offices_by(self, name: str, key: Callable[[Office], Hashable]) -> dict[Hashable, list[Office]]:
        """The offices grouped by `key`, in their order, made once and again whenever offices were added."""
        index = self.__dict__.get(f"_offices_by_{name}")
        if index is None or index[0] != len(self.offices):
            table: dict[Hashable, list[Office]] = {}
            for o in self.offices:
                table.setdefault(key(o), []).append(o)
            index = self.__dict__[f"_offices_by_{name}"] = (len(self.offices), table)
        return index[1]

    def add_name(self, name: str, actor_id: str, *, override: bool = False) -> None:
        key = norm_name(name)
        if key and (override or key not in self.names):
            self.names[key] = actor_id

    def extend(self, path: Path) -> None:
        """Add (or override) actors from a user CSV in the format of `kg/data/actors.csv`."""
        rows = read_rows(path)
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
            aliases = tuple(dict.fromkeys((old.aliases if old else ()) + split_cell(r.get("aliases", ""))))
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
    data = data_path("")
    here = Path(__file__).parent  # the code that reads them: this module, names.py, tables.py, records.py
    code = [here / "gazetteer.py", here / "names.py", here / "tables.py", Path(records.__file__)]
    key = cache.digest("gazetteer.v1", *(path.read_bytes() for path in code),
                       cache.files_digest([*data.glob("*.csv"), *data.glob("generated/*.csv")]))
    gaz = cache.load("gazetteer", key)
    if not isinstance(gaz, Gazetteer) or gaz.fingerprint != key:
        gaz = _read_gazetteer()
        gaz.fingerprint = key
        cache.store("gazetteer", key, gaz)
    return gaz


def _read_gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    for r in read_rows(data_path("countries.csv")):
        cid = country_id(r["iso3"])
        aliases = split_cell(r["aliases"]) + split_cell(r["metonyms"])
        gaz.actors[cid] = Actor(id=cid, label=r["name"], type="country", country=r["iso3"], role="GOV",
                                aliases=aliases)
        for name in (r["name"],) + aliases:
            gaz.add_name(name, cid)
        for dem in split_cell(r["demonyms"]):
            gaz.demonyms.setdefault(norm_name(dem), cid)
    for r in read_rows(data_path("cameo_country_codes.csv")):
        if len(r["code"]) != 3:
            continue
        cid = country_id(r["code"])
        if cid not in gaz.actors:
            gaz.actors[cid] = Actor(id=cid, label=r["name"], type="country", country=r["code"], role="GOV")
        gaz.add_name(r["name"], cid)
    gaz._add_actor_rows(read_rows(data_path("actors.csv")), override=False, source="kg/data/actors.csv")
    curated = set(gaz.actors)
    leaders = data_path("generated/leaders.csv")
    if leaders.exists():
        # Heads of state and government and foreign ministers with their offices and dates, generated
        # from Wikidata (scripts/generate_leaders.py): rows of the curated format, read the same way
        # (a further row of a curated actor adds an office; curated names win).
        gaz._add_actor_rows(read_rows(leaders), override=False, source="kg/data/generated/leaders.csv")
    people = data_path("generated/actors.csv")
    if people.exists():
        # People, bodies and armed groups generated from the Phoenix dictionaries: they only add
        # actors and names the curated files lack (override=False, curated ids untouched), and
        # hold roles, never offices, so "the president" still means a curated office holder.
        known = set(gaz.actors)
        gaz._add_actor_rows([{**r, "office": ""} for r in read_rows(people) if r.get("id") not in known],
                            override=False, source="kg/data/generated/actors.csv")
    gaz.generated = set(gaz.actors) - curated
    generated = data_path("generated/countries.csv")
    for r in read_rows(generated) if generated.exists() else []:
        cid = country_id(r["iso3"])
        if cid in gaz.actors:  # demonyms and places generated from the Phoenix dictionary; curated rows win
            for dem in split_cell(r["demonyms"]):
                gaz.demonyms.setdefault(norm_name(dem), cid)
            for place in split_cell(r["places"]):
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
