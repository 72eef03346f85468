"""Heads of state and government and foreign ministers after 2018, generated from Wikidata extracts
(scripts/generate_leaders.py): how the generator dates and names holdings, that the committed file
is what it makes, and that the gazetteer reads them as offices held on the article's date."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from .conftest import load_script
from .test_constructions import roots
from .test_extract import run

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "kg" / "data"

gl = load_script("generate_leaders")


def _row(kind, country, position, person, start, end="", first_seen="2021-08-26", absent_before="",
         first_ended="", open_before="", last_seen="2022-12-10", qid="Q1", pos_qid="P1"):
    return {"kind": kind, "country_qid": "C", "country": country, "position_qid": pos_qid, "position": position,
            "person_qid": qid, "person": person, "start": start, "end": end, "first_seen": first_seen,
            "absent_before": absent_before, "last_seen": last_seen, "first_ended": first_ended,
            "open_before": open_before, "repository": "r", "file": "f"}


# ---- the generator on invented holdings --------------------------------------------------------------------------
# Every person here is made up; the rows have the extract's columns.
INVENTED = [
    # a prime minister in office at the first snapshot, followed by one first seen in a later one
    _row("head", "Portugal", "Prime Minister of Portugal", "Quorra Vale", "2019", "2022", qid="Q10", pos_qid="P10",
         first_ended="2022-09-30", open_before="2022-09-28"),
    _row("head", "Portugal", "Prime Minister of Portugal", "Tessa Marrow", "2022", first_seen="2022-10-02",
         absent_before="2022-10-01", qid="Q11", pos_qid="P10"),
    # a president known by years only
    _row("head", "Portugal", "President of Portugal", "Orin Pell", "2015", qid="Q12", pos_qid="P11"),
    # the monarch of a Commonwealth realm is the United Kingdom's
    _row("head", "United Kingdom", "monarch of the United Kingdom", "Ada Rune", "2022", qid="Q13", pos_qid="P12"),
    _row("head", "Canada", "monarch of Canada", "Ada Rune", "2022", qid="Q13", pos_qid="P13"),
    # offices no title names, and states the country tables do not know, are dropped
    _row("head", "San Marino", "Captain Regent of San Marino", "Lio Brask", "2022", qid="Q14", pos_qid="P14"),
    _row("head", "Atlantis", "President of Atlantis", "Nim Sorrel", "2020", qid="Q15", pos_qid="P15"),
    # foreign ministers: exact starts; the first ends when the next starts
    _row("foreign", "Portugal", "Minister of Foreign Affairs", "Cato Wren", "2021-02-13", qid="Q16", pos_qid="P16",
         first_seen="2022-08-08", last_seen="2022-10-20"),
    _row("foreign", "Portugal", "Minister of Foreign Affairs", "Ilse Damor", "2022-10-22", qid="Q17", pos_qid="P16",
         first_seen="2022-10-25", absent_before="2022-10-20"),
    _row("foreign", "United States", "United States Secretary of State", "Bram Ostel", "2016-05-01", qid="Q18",
         pos_qid="P17", first_seen="2022-08-08"),
]


def test_generator_dates_offices_and_drops_what_no_title_names():
    rows = {(r["label"], r["country"], r["office"]): (r["start"], r["end"]) for r in gl.generate(INVENTED)}
    assert rows[("Quorra Vale", "PRT", "prime minister")] == ("2019", "2022-10-02")  # ends when the next starts
    assert rows[("Tessa Marrow", "PRT", "prime minister")] == ("2022-10-02", "")  # the day first seen
    assert rows[("Orin Pell", "PRT", "president")] == ("2015", "")
    assert rows[("Cato Wren", "PRT", "foreign minister")] == ("2021-02-13", "2022-10-22")
    assert rows[("Ilse Damor", "PRT", "foreign minister")] == ("2022-10-22", "")
    assert ("Bram Ostel", "USA", "secretary of state") in rows
    assert ("Ada Rune", "GBR", "king") in rows and ("Ada Rune", "CAN", "king") not in rows
    assert not {label for label, _, _ in rows} & {"Lio Brask", "Nim Sorrel"}


def test_generator_keeps_the_curated_id_and_office():
    curated = [
        # the curated file already gives this person the office: the curated row wins
        _row("head", "Japan", "Prime Minister of Japan", "Fumio Kishida", "2021", qid="Q20", pos_qid="P20"),
        # the curated person spelled otherwise keeps the curated id, and gains the office
        _row("head", "Saudi Arabia", "Prime Minister of Saudi Arabia", "Mohammad bin Salman", "2022",
             qid="Q21", pos_qid="P21"),
    ]
    rows = gl.generate(curated)
    assert not [r for r in rows if r["label"] == "Fumio Kishida"]
    (mbs,) = [r for r in rows if r["office"] == "prime minister" and r["country"] == "SAU"]
    assert mbs["id"] == "mohammed-bin-salman"


@pytest.mark.parametrize("position,office", [
    ("President of the United Arab Emirates", "president"), ("Emir of Qatar", "emir"),
    ("Federal Chancellor of Germany", "chancellor"), ("Taoiseach", "prime minister"),
    ("President of the Government of Spain", "prime minister"),
    ("Premier of the People's Republic of China", "premier"),
    ("King of Saudi Arabia", "king"), ("Supreme Leader of Iran", "supreme leader"),
    ("Vice President of India", ""), ("Governor-General of Canada", ""),
])
def test_offices_in_the_gazetteers_words(position, office):
    assert gl.office_of(position) == office


def test_committed_file_is_what_the_script_makes():
    with (DATA / "generated" / "leaders.csv").open(encoding="utf-8", newline="") as fh:
        committed = list(csv.DictReader(fh))
    assert committed == gl.generate(gl._rows(gl.EXTRACT))


# ---- the gazetteer and the resolver ------------------------------------------------------------------------------
def test_the_holder_changes_between_two_dates(gazetteer):
    assert gazetteer.holder("ITA", "foreign minister", "2021-06-01").label == "Luigi Di Maio"
    assert gazetteer.holder("ITA", "foreign minister", "2023-03-01").label == "Antonio Tajani"
    assert gazetteer.holder("ITA", "prime minister", "2022-06-01").label == "Mario Draghi"
    assert gazetteer.holder("ITA", "prime minister", "2023-03-01").label == "Giorgia Meloni"  # the curated row


def test_a_holding_known_by_years_holds_on_every_day_of_them(gazetteer):
    # Wikidata's head-of-state table gives years only for holdings older than its first snapshot
    assert gazetteer.holder("ITA", "president", "2016-03-01").label == "Sergio Mattarella"


@pytest.mark.parametrize("text,published,expected", [
    ("The Italian foreign minister met the Indian foreign minister in Rome.", "2021-06-01",
     ("Luigi Di Maio", "04", "Subrahmanyam Jaishankar")),
    ("The Italian foreign minister met the Indian foreign minister in Rome.", "2023-03-01",
     ("Antonio Tajani", "04", "Subrahmanyam Jaishankar")),
    ("The Italian prime minister called the Indian president on Monday.", "2022-06-01",
     ("Mario Draghi", "04", "Ram Nath Kovind")),
])
def test_office_phrases_name_the_holder_at_the_article_date(nlp, gazetteer, text, published, expected):
    got = roots(run(nlp, gazetteer, text, published))
    assert expected in got, got


def test_a_post_2018_minister_by_full_name_and_by_surname(nlp, gazetteer):
    text = ("Antonio Tajani met Kenyan officials in Nairobi on Monday. "
            "Later, Tajani criticised Russia for its attacks on Ukrainian ports.")
    got = roots(run(nlp, gazetteer, text, "2023-05-10"))
    assert ("Antonio Tajani", "04", "Kenyan officials") in got, got
    assert ("Antonio Tajani", "11", "Russia") in got, got
    assert gazetteer.lookup("Antonio Tajani").office == "foreign minister"
