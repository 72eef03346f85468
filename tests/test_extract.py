"""Extraction on real diplomatic sentences (none from the dev set): the events each must yield,
and what it must not. Rows are (text, published, [(agent, CAMEO root, target or None, modality)])."""
from __future__ import annotations

import pytest

from kg.extract import extract_events
from kg.records import Article
from kg.resolve import ArticleResolver

PRONOUNS = {"he", "she", "it", "they", "him", "her", "his", "its", "their", "them"}


def run(nlp, gazetteer, text: str, published: str = "2023-03-22"):
    art = Article(id="t", title="", published=published, source="", url="", text=text, path="")
    doc = nlp(text)
    return extract_events(doc, art, ArticleResolver(doc, gazetteer, published))


def simple(events):
    return {(e.agent.actor.label, e.cameo[:2], e.target.actor.label if e.target else None, e.modality)
            for e in events}


CASES = [
    # verbs with objects and prepositions; titles and names resolved to canonical actors
    ("Russian President Vladimir Putin met Chinese President Xi Jinping in Moscow on Tuesday.",
     [("Vladimir Putin", "04", "Xi Jinping", "asserted")]),
    ("The European Union imposed new sanctions on Belarus.", [("European Union", "16", "Belarus", "asserted")]),
    ("Japanese Prime Minister Fumio Kishida praised South Korea for its decision.",
     [("Fumio Kishida", "05", "South Korea", "asserted")]),
    ("China accused the United States of interfering in its internal affairs.",
     [("China", "11", "United States", "asserted")]),
    ("Poland expelled 45 Russian diplomats on Thursday.", [("Poland", "16", "Russian diplomats", "asserted")]),
    ("Tehran rejected the demands of the IAEA.", [("Iran", "12", "IAEA", "asserted")]),
    # control verbs: the object of "urge" is the target; metonyms are countries
    ("Secretary of State Antony Blinken urged Israel to allow more aid into Gaza.",
     [("Antony Blinken", "02", "Israel", "asserted")]),
    # passive
    ("The Taliban were urged by the United Nations to reopen schools.",
     [("United Nations", "02", "Taliban", "asserted")]),
    # symmetric events with conjoined agents go both ways
    ("Macron and Scholz met in Paris on Monday.",
     [("Emmanuel Macron", "04", "Olaf Scholz", "asserted"), ("Olaf Scholz", "04", "Emmanuel Macron", "asserted")]),
    ("Kishida and Yoon Suk Yeol held talks in Tokyo.",
     [("Fumio Kishida", "04", "Yoon Suk Yeol", "asserted"), ("Yoon Suk Yeol", "04", "Fumio Kishida", "asserted")]),
    # pronoun resolved to the person in focus
    ("Modi arrived in Washington on Monday. He met with President Biden at the White House.",
     [("Narendra Modi", "04", "Joe Biden", "asserted")]),
    # modality: negated, intended, hypothetical, refused
    ("North Korea did not meet with U.S. officials.", [("North Korea", "04", "U.S. officials", "negated")]),
    ("Xi said he would visit Russia next month.", [("Xi Jinping", "04", "Russia", "intended")]),
    ("If Washington imposes new sanctions on Iran, Tehran will respond.",
     [("United States", "16", "Iran", "hypothetical")]),
    ("Lavrov refused to meet Blinken in New Delhi.", [("Sergey Lavrov", "12", "Antony Blinken", "asserted")]),
    # warnings with the target inside the clause
    ("Iran warned Israel against any attack on its nuclear facilities.", [("Iran", "13", "Israel", "asserted")]),
    ("Zelensky thanked Britain for its support.", [("Volodymyr Zelensky", "05", "United Kingdom", "asserted")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_yields(nlp, gazetteer, text, expected):
    got = simple(run(nlp, gazetteer, text))
    for event in expected:
        assert event in got, f"{event} not in {sorted(got, key=str)}"


@pytest.mark.parametrize("text", [c[0] for c in CASES])
def test_no_pronoun_is_an_actor(nlp, gazetteer, text):
    for e in run(nlp, gazetteer, text):
        assert e.agent.actor.label.lower() not in PRONOUNS
        assert e.target is None or e.target.actor.label.lower() not in PRONOUNS


def test_reported_by_and_media_are_sources_not_agents(nlp, gazetteer):
    events = run(nlp, gazetteer, "According to Xinhua, Xi called on both sides to exercise restraint. "
                                 "Pyongyang praised Beijing for its support, KCNA said.")
    assert all(e.agent.actor.label not in ("Xinhua", "KCNA") for e in events)
    praised = [e for e in events if e.cameo.startswith("05")]
    assert praised and praised[0].reported_by == "KCNA"
    assert praised[0].agent.actor.label == "North Korea" and praised[0].target.actor.label == "China"
    called = [e for e in events if e.agent.actor.label == "Xi Jinping"]
    assert called and called[0].reported_by == "Xinhua"


def test_offsets_point_at_the_evidence(nlp, gazetteer):
    text = "Iran warned Israel against any attack. Poland expelled 45 Russian diplomats."
    for e in run(nlp, gazetteer, text):
        assert text[e.sentence_start:e.sentence_end].strip() == e.sentence
        assert text[e.trigger_start:e.trigger_end] == e.trigger


def test_dates_resolve_against_publication(nlp, gazetteer):
    (e,) = [e for e in run(nlp, gazetteer, "Putin met Xi Jinping in Moscow on Tuesday.", "2023-03-22")
            if e.cameo.startswith("04")][:1]
    assert (e.date, e.date_text, e.place) == ("2023-03-21", "Tuesday", "Moscow")


def test_office_holders_depend_on_the_date(nlp, gazetteer):
    text = "The U.S. president met the Japanese prime minister."
    (e2019,) = [e for e in run(nlp, gazetteer, text, "2019-05-27") if e.cameo.startswith("04")]
    (e2022,) = [e for e in run(nlp, gazetteer, text, "2022-05-23") if e.cameo.startswith("04")]
    assert (e2019.agent.actor.label, e2019.target.actor.label) == ("Donald Trump", "Shinzo Abe")
    assert (e2022.agent.actor.label, e2022.target.actor.label) == ("Joe Biden", "Fumio Kishida")
