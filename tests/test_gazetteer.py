"""The gazetteer generated from the Phoenix actor dictionaries (scripts/generate_gazetteer.py), how it
loads beside the curated actors, and the on-disk cache that keeps start-up fast."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import spacy

from kg.knowledge import builtin_gazetteer, load_gazetteer, norm_name
from kg.knowledge import gazetteer as gazetteer_module
from kg.nlp import ActorRuler, name_patterns, name_table
from kg.nlp import pipeline as nlp_pipeline
from kg.resolve import slug

from .conftest import load_script, shared_or_skip

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "generate_gazetteer.py"
PETRARCH = Path(__file__).resolve().parents[1].parent / "shared" / "petrarch"
DATA = ROOT / "kg" / "data"
COMMITTED = DATA / "generated" / "actors.csv"


gg = load_script("generate_gazetteer")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---- the generator on an invented dictionary ---------------------------------------------------------------------
# Every name here is made up; the syntax is the Phoenix dictionaries'.
COUNTRIES = """\
# invented
NORWAY_  [NOR]
+NORWEGIAN_

ZELDA_QUORRA_FENNIMORE_  # CountryInfo.txt
+ZELDA_Q._FENNIMORE_
+PRESIDENT_ZELDA_FENNIMORE
\t[NORGOV 980301-040615]
\t[NOROPP >040616]
\t[NORELI <970101]
"""
INTERNATIONAL = """\
QUILLBRIDGE_TREATY_ORGANIZATION_\t[IGOQTO]# invented
+QTO_
"""
NONSTATE = """\
VELVET_DAWN_BRIGADES_ [NORREB] #  invented
+VDB_
"""


@pytest.fixture()
def invented(tmp_path) -> Path:
    src = tmp_path / "petrarch"
    src.mkdir()
    (src / gg.COUNTRIES_FILE).write_text(COUNTRIES, encoding="utf-8")
    (src / gg.INTERNATIONAL_FILE).write_text(INTERNATIONAL, encoding="utf-8")
    (src / gg.NONSTATE_FILE).write_text(NONSTATE, encoding="utf-8")
    assert gg.main(["--petrarch", str(src), "--out", str(tmp_path / "out")]) == 0
    return tmp_path / "out" / "actors.csv"


def test_invented_dictionary_rows(invented):
    rows = _read(invented)
    assert list(rows[0]) == list(gg.COLUMNS)
    person = [r for r in rows if r["id"] == "zelda-quorra-fennimore"]
    # the latest dated role comes first and carries the aliases; the title phrase is no alias
    assert [(r["role"], r["start"], r["end"]) for r in person] == [
        ("OPP", "2004-06-16", ""), ("GOV", "1998-03-01", "2004-06-15"), ("ELI", "", "1997-01-01")]
    assert person[0]["label"] == "Zelda Quorra Fennimore" and person[0]["aliases"] == "Zelda Q. Fennimore"
    assert all(r["type"] == "person" and r["country"] == "NOR" and r["office"] == "" for r in person)
    assert [r["aliases"] for r in person[1:]] == ["", ""]
    assert person[1]["source"] == "Phoenix.Countries.actors.txt:8 NORGOV"
    org = next(r for r in rows if r["id"] == "quillbridge-treaty-organization")
    assert (org["label"], org["type"], org["country"], org["role"], org["aliases"]) == (
        "Quillbridge Treaty Organization", "organization", "", "IGO", "QTO")
    group = next(r for r in rows if r["id"] == "velvet-dawn-brigades")
    assert (group["type"], group["country"], group["role"], group["aliases"]) == ("group", "NOR", "REB", "VDB")
    assert not any(r["label"] == "Norway" for r in rows)  # a country's own record is no actor
    assert len({r["id"] for r in rows}) == 3


def test_invented_dictionary_regenerates_byte_identically(invented, tmp_path):
    again = tmp_path / "again"
    assert gg.main(["--petrarch", str(invented.parent.parent / "petrarch"), "--out", str(again)]) == 0
    assert (again / "actors.csv").read_bytes() == invented.read_bytes()


def test_missing_input_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--petrarch", str(tmp_path / "nowhere"),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("raw, expected", [
    ("MUHAMMAD_AL-BARADEI_", "Muhammad al-Baradei"),
    ("HANS_VAN_DEN_BROEK_", "Hans van den Broek"),
    ("MICHAEL_O'KENNEDY_", "Michael O'Kennedy"),
    ("ROBERT_MCNAMARA_", "Robert McNamara"),
    ("R.K._PACHAURI_", "R.K. Pachauri"),
])
def test_person_names_are_written_as_names(raw, expected):
    assert gg.display(gg.words(raw), org=False) == expected


def test_organisation_names_keep_acronyms_and_lower_function_words():
    names = [gg.words("ORGANIZATION_FOR_THE_PROHIBITION_OF_CHEMICAL_WEAPONS"), gg.words("OPCW")]
    acronyms = gg.record_acronyms(names)
    assert gg.display(names[0], org=True, acronyms=acronyms) == "Organization for the Prohibition of Chemical Weapons"
    assert gg.display(names[1], org=True, acronyms=acronyms) == "OPCW"
    assert gg.display(gg.words("UN_SECURITY_COUNCIL_"), org=True) == "UN Security Council"
    assert gg.display(gg.words("LASHKAR-E-TAIBA"), org=True) == "Lashkar-e-Taiba"


def test_dates_and_codes():
    stats: Counter[str] = Counter()
    assert gg.iso_date("330101", stats) == "1933-01-01"  # 30-99 are 19xx
    assert gg.iso_date("140608", stats) == "2014-06-08"
    assert gg.iso_date("20070101", stats) == "2007-01-01"
    assert gg.iso_date("2004017", stats) == "" and gg.iso_date("990231", stats) == ""
    assert gg.parse_code("EGYGOV > 140608", 1, stats) == gg.Code("EGYGOV", "2014-06-08", "", 1)
    assert gg.parse_code("---", 1, stats) is None
    book = gg.Codebook(frozenset({"DEU", "USA", "USAASM"}), frozenset({"GOV", "LEG", "IGO", "REB", "INT", "ELI"}))
    assert book.split("DEUGOVLEG") == ("DEU", "GOV")
    assert book.split("USAASMELI") == ("USA", "ELI")
    assert book.split("IGOUNOKID") == ("", "IGO")
    assert book.split("INTREB") == ("", "REB")
    assert book.split("DDRGOV") == ("", "GOV")  # a state the CAMEO list no longer has


def test_generator_normalises_names_as_the_gazetteer_does():
    for text in ("The United Nations", "Kim Jong-un's", "Muammar el-Qaddafi", "R.K. Pachauri", "Erdoğan"):
        assert gg.norm_name(text) == norm_name(text)
        assert gg.slug(text) == slug(text)


# ---- the committed file ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    if not PETRARCH.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{PETRARCH} is missing on CI")
        pytest.skip(f"{PETRARCH} is not here")
    out = tmp_path_factory.mktemp("gazetteer")
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "actors written" in result.stdout and "skipped" in result.stdout
    return out / "actors.csv"


def test_committed_file_is_what_the_script_makes(regenerated):
    assert regenerated.read_bytes() == COMMITTED.read_bytes(), "run python scripts/generate_gazetteer.py"


def test_committed_file_sanity():
    rows = _read(COMMITTED)
    ids = {r["id"] for r in rows}
    assert len(ids) > 20_000
    assert all(r["type"] in ("person", "organization", "group") for r in rows)
    assert all(r["office"] == "" for r in rows)
    curated = _read(DATA / "actors.csv")
    assert not ids & {r["id"] for r in curated}
    taken = {norm_name(n) for r in curated for n in [r["label"], *r["aliases"].split(";")] if n}
    assert not {norm_name(r["label"]) for r in rows} & taken


# ---- loading beside the curated actors ---------------------------------------------------------------------------
def test_generated_actors_never_hold_offices(gazetteer):
    # offices come from the curated file and the Wikidata leaders (tests/test_leaders.py), never Phoenix
    office_holders = {r["id"] for r in [*_read(DATA / "actors.csv"), *_read(DATA / "generated" / "leaders.csv")]
                      if r["office"]}
    generated = {r["id"] for r in _read(COMMITTED)} - office_holders
    assert {o.actor_id for o in gazetteer.offices} <= office_holders
    assert generated & set(gazetteer.actors)  # they are loaded...
    assert not any(gazetteer.offices_of(i) for i in list(generated)[:2000])  # ...with no office
    # titles still name the curated office holders
    assert gazetteer.holder("USA", "president", "2019-06-01").id == "donald-trump"
    assert gazetteer.holder("USA", "president", "2010").id == "barack-obama"


@pytest.fixture()
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of kg/data that the gazetteer reads instead, with the cache in tmp_path."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    monkeypatch.setattr(gazetteer_module, "data_path", lambda name: data / name)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    builtin_gazetteer.cache_clear()
    yield data
    builtin_gazetteer.cache_clear()


def _append(path: Path, *rows: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(row + "\n" for row in rows)


def test_a_generated_row_never_creates_an_office(data_copy):
    _append(data_copy / "generated" / "actors.csv",
            "quorra-vale,Quorra Vale,person,USA,GOV,Vale,president,2019-01-01,,f,invented")
    gaz = gazetteer_module._read_gazetteer()
    assert gaz.lookup("Quorra Vale").id == "quorra-vale"
    assert gaz.offices_of("quorra-vale") == []
    assert gaz.holder("USA", "president", "2019-06-01").id == "donald-trump"


def test_the_curated_actor_wins_a_name_clash(data_copy):
    _append(data_copy / "generated" / "actors.csv",
            "donald-trump-2,Donald Trump,person,GBR,ELI,Trump;Quorra Trumpet,,,,,invented",
            "donald-trump,Donald Quorra,person,GBR,ELI,Quorra,,,,,invented")
    gaz = gazetteer_module._read_gazetteer()
    assert gaz.lookup("Donald Trump").id == "donald-trump" and gaz.lookup("Trump").id == "donald-trump"
    assert gaz.actors["donald-trump"].label == "Donald Trump" and "Quorra" not in gaz.actors["donald-trump"].aliases
    assert gaz.lookup("Quorra Trumpet").id == "donald-trump-2"  # a name the curated files lack is added
    patterns = {text: actor_id for text, _, actor_id in name_patterns(gaz)}
    assert patterns["Donald Trump"] == "donald-trump"


# ---- the on-disk cache -------------------------------------------------------------------------------------------
def test_cache_is_used_on_the_second_load_and_rebuilt_when_data_change(data_copy, monkeypatch, tmp_path):
    first = builtin_gazetteer()
    assert list((tmp_path / "cache").glob("gazetteer-*.pickle"))
    blank = spacy.blank("en")
    table = name_table(blank, first)
    assert list((tmp_path / "cache").glob("names-*.pickle"))

    def no_rebuild(*args, **kwargs):
        raise AssertionError("rebuilt although the cache holds it")

    with monkeypatch.context() as m:
        m.setattr(gazetteer_module, "_read_gazetteer", no_rebuild)
        m.setattr(nlp_pipeline, "compile_names", no_rebuild)
        builtin_gazetteer.cache_clear()
        second = builtin_gazetteer()
        assert second is not first and second.fingerprint == first.fingerprint
        assert second.actors == first.actors and second.names == first.names
        assert name_table(blank, second) == table

    # a changed data file means a new key: the gazetteer and its name table are built again
    _append(data_copy / "actors.csv", "quorra-vale,Quorra Vale,person,NOR,GOV,,,,,f")
    builtin_gazetteer.cache_clear()
    third = builtin_gazetteer()
    assert third.fingerprint != first.fingerprint and "quorra-vale" in third.actors
    ruler = ActorRuler()
    ruler.table = name_table(blank, third)
    doc = ruler(blank("Quorra Vale met Donald Trump."))
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Quorra Vale", "PERSON", "quorra-vale"), ("Donald Trump", "PERSON", "donald-trump")]
    assert len(list((tmp_path / "cache").glob("gazetteer-*.pickle"))) == 2

    # an unreadable entry is ignored and rewritten
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    builtin_gazetteer.cache_clear()
    assert builtin_gazetteer().actors == third.actors
    assert name_table(blank, third) == ruler.table


def test_user_actor_files_change_the_key(data_copy, tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("id,label,type,country,role,aliases,office,start,end,gender\n"
                    "jane-roe,Jane Roe,person,NZL,GOV,,,,,f\n", encoding="utf-8")
    base = load_gazetteer()
    extended = load_gazetteer([mine])
    assert extended.fingerprint and extended.fingerprint != base.fingerprint
    assert base.fingerprint == builtin_gazetteer().fingerprint and "jane-roe" not in base.actors
    blank = spacy.blank("en")
    assert ("Jane", "Roe") in {p[0] for p in name_table(blank, extended)["Jane"]}


def test_ruler_prefers_longer_then_earlier_names():
    blank = spacy.blank("en")
    ruler = ActorRuler()
    ruler.table = nlp_pipeline.compile_names(blank, [("Quorra Vale", "PERSON", "a"), ("Vale Corp", "ORG", "b"),
                                               ("Quorra Vale Corp", "ORG", "c"), ("Vale", "ORG", "d")])
    doc = ruler(blank("Quorra Vale Corp and Vale Corp and Vale."))
    assert [(e.text, e.ent_id_) for e in doc.ents] == [("Quorra Vale Corp", "c"), ("Vale Corp", "b"), ("Vale", "d")]


def test_spelling_variants_of_a_known_person_are_that_person(gazetteer):
    """Transliterations of a generated person's name (same surname, given names alike) link to them;
    a name no one in the gazetteer shares a surname with links to no one."""
    known = gazetteer.lookup("Mohammed bin Salman")
    assert known is not None and gazetteer.variant("Mohammad bin Salman") == known
    assert gazetteer.variant("Xavier Quibblefoot") is None
    # the same given names, the surname transliterated otherwise
    tokayev = gazetteer.lookup("Kassym-Jomart Tokayev")
    assert tokayev is not None and gazetteer.variant("Kassym-Jomart Tokaev") == tokayev
    assert gazetteer.variant("Kassym-Jomart Quibblefoot") is None
    assert gazetteer.variant("Kassym-Jomart Tok") is None  # too short a surname to tell


def test_generated_countries_regenerate_byte_identically(tmp_path):
    petrarch = shared_or_skip("petrarch")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_countries.py"), "--petrarch", str(petrarch),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    committed = (ROOT / "kg" / "data" / "generated" / "countries.csv").read_bytes()
    assert (tmp_path / "countries.csv").read_bytes() == committed
    assert "maltese" in committed.decode()  # a demonym the curated table lacks


@pytest.mark.parametrize("country,office,date,expected", [
    # the holder on the day: the later of two on a handover day, the one in office at any precision
    ("USA", "president", "2017-01-19", "barack-obama"),
    ("USA", "president", "2017-01-20", "donald-trump"),
    ("USA", "president", "2021-01-19", "donald-trump"),
    ("USA", "president", "2022", "joe-biden"),
    ("FRA", "president", "2016-05", "francois-hollande"),
    ("JPN", "prime minister", "2021-10-04", "fumio-kishida"),
    ("DEU", "chancellor", "2014", "angela-merkel"),
    ("DEU", "chancellor", "", "friedrich-merz"),  # no date: the latest
    ("KOR", "president", "2017-04-01", None),  # between two presidencies
    ("FRA", "prime minister", "1850", None),
])
def test_office_holders_on_a_date(gazetteer, country, office, date, expected):
    holder = gazetteer.holder(country, office, date)
    assert (holder.id if holder else None) == expected


@pytest.mark.parametrize("method,name,expected", [
    ("lookup", "Washington", "country-usa"),  # a capital as its state
    ("lookup", "the Kremlin", "country-rus"),
    ("lookup", "Tehran", "country-irn"),
    ("lookup", "Xavier Quibblefoot", None),
    ("demonym", "Kenyan", "country-ken"),
    ("demonym", "North Korean", "country-prk"),
    ("demonym", "Philippine", "country-phl"),
    ("demonym", "Quibblefootian", None),
    ("place_country", "Aleppo", "country-syr"),
    ("place_country", "Lagos", "country-nga"),
])
def test_names_demonyms_and_places(gazetteer, method, name, expected):
    actor = getattr(gazetteer, method)(name)
    assert (actor.id if actor else None) == expected
