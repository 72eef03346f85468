"""Resolution as annotation: `resolve_actors` (and the `kg_actor_resolver` component) writes the
actors onto the Doc, and extraction reads only that. Sentences are invented."""
from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.extract import extract_events
from kg.records import Article
from kg.resolve import ActorResolver, actor_annotations, relabel, resolve_actors, slug
from kg.resolve.spans import looks_like_organization, strip_titles

TEXT = ("German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Monday. "
        "He praised the French leader. Later the two leaders visited Berlin.")


def _article(text: str) -> Article:
    return Article(id="t", title="", published="2023-05-08", source="", url="", text=text, path="")


def test_spans_carry_actor_ids(nlp, gazetteer):
    doc = resolve_actors(nlp(TEXT), gazetteer, "2023-05-08")
    spans = {(s.text, s.kb_id_, s.label_) for s in doc.spans["kg_actors"]}
    ids = {kb for _, kb, _ in spans}
    assert {s for s in spans if s[0] == "He"} and all(label for _, _, label in spans)
    he = next(kb for text, kb, _ in spans if text == "He")
    scholz = next(kb for text, kb, _ in spans if "Scholz" in text)
    assert he == scholz, spans  # the pronoun is annotated with its antecedent's id
    assert len(ids) >= 2


def test_token_extension_and_phrase_reading(nlp, gazetteer):
    doc = resolve_actors(nlp(TEXT), gazetteer, "2023-05-08")
    leaders = next(t for t in doc if t.lower_ == "leaders")
    assert len(leaders._.kg_actors) == 2  # "the two leaders": the pair in focus
    paris = next(t for t in doc if t.text == "Paris")
    assert [m.actor.country for m in actor_annotations(doc).place_mentions(paris)] == ["FRA"]
    assert actor_annotations(doc).mentions(paris) == []  # a place, not an actor


def test_component_reads_publication_date(nlp, gazetteer):
    doc = nlp.make_doc(TEXT)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    doc.user_data["kg.published"] = "2023-05-08"
    doc = ActorResolver(gazetteer)(doc)
    assert actor_annotations(doc).published == "2023-05-08"
    events = extract_events(doc, _article(TEXT))
    assert any(e.cameo.startswith("04") and e.target is not None for e in events)


def test_extraction_needs_annotations(nlp):
    with pytest.raises(KGError, match="no actor annotations"):
        extract_events(nlp("Canada thanked Norway."), _article("Canada thanked Norway."))


def _resolved(nlp, gazetteer, text: str, published: str) -> list[tuple[str, str]]:
    """(the words of a phrase, the actor resolution gives it), in text order."""
    ann = actor_annotations(resolve_actors(nlp(text), gazetteer, published))
    return [(m.text, m.actor.label) for i in sorted(ann.by_head) for m in ann.by_head[i]]


#: Invented sentences: (text, published, [(phrase, the actor it names, or None for no actor)]).
RESOLUTIONS = [
    # an office named by its title is its holder on the publication date, to the day
    ("The French president arrived in Berlin on Monday.", "2016-05-01",
     [("The French president", "François Hollande")]),
    ("The French president arrived in Berlin on Monday.", "2019-05-01", [("The French president", "Emmanuel Macron")]),
    ("The US president signed the order.", "2017-01-19", [("The US president", "Barack Obama")]),
    ("The US president signed the order.", "2017-01-20", [("The US president", "Donald Trump")]),
    ("The US president signed the order.", "2022-06-01", [("The US president", "Joe Biden")]),
    ("Japan's prime minister met the British prime minister in London.", "2019-05-10",
     [("Japan's prime minister", "Shinzo Abe"), ("the British prime minister", "Theresa May")]),
    ("Japan's prime minister met the British prime minister in London.", "2022-05-10",
     [("Japan's prime minister", "Fumio Kishida"), ("the British prime minister", "Boris Johnson")]),
    # ... or on an earlier date the sentence names
    ("In 2014, the German chancellor visited Athens.", "2023-03-22", [("the German chancellor", "Angela Merkel")]),
    ("The German chancellor visited Athens.", "2023-03-22", [("The German chancellor", "Olaf Scholz")]),
    # a counterpart holds the same office in the other country, on the date
    ("Lavrov met his Turkish counterpart in Antalya.", "2021-06-01",
     [("Lavrov", "Sergey Lavrov"), ("his Turkish counterpart", "Mevlüt Çavuşoğlu")]),
    ("Lavrov met his Turkish counterpart in Antalya.", "2024-06-01", [("his Turkish counterpart", "Hakan Fidan")]),
    # an office the article introduces someone with is theirs when the title comes back
    ("Kazakh President Kassym-Jomart Tokayev met Putin. The Kazakh president thanked him.", "2023-03-22",
     [("The Kazakh president", "Kassym-Jomart Tokayev"), ("him", "Vladimir Putin")]),
    # a short name is the person named in full in the article, the nearest of several
    ("Anna Vogel spoke first. Later, Peter Vogel met Lavrov. Vogel then left.", "2023-03-22",
     [("Anna Vogel", "Anna Vogel"), ("Peter Vogel", "Peter Vogel"), ("Vogel", "Peter Vogel")]),
    # ... also where the NER left the bare surname untagged
    ("Paraguay expelled Uruguay's ambassador, Marco Valdez, on Tuesday. Valdez denied the charge.", "2023-03-22",
     [("Valdez", "Marco Valdez")]),
    ("Senegal's foreign minister Ana Ruiz met the Gabonese ambassador Pierre Mba. Mba thanked her.", "2023-03-22",
     [("Mba", "Pierre Mba"), ("her", "Ana Ruiz")]),
    # pronouns: the person of that gender in focus, a subject first; an object is never its clause's subject
    ("Ruto met Lula in Nairobi. He praised the Brazilian leader.", "2023-03-22",
     [("He", "William Ruto"), ("the Brazilian leader", "Luiz Inácio Lula da Silva")]),
    ("Ruto met Lula in Nairobi. Ruto thanked him for the visit.", "2023-03-22",
     [("him", "Luiz Inácio Lula da Silva")]),
    ("Kamala Harris met Xi Jinping in Lima. She urged him to resume talks.", "2023-03-22",
     [("She", "Kamala Harris"), ("him", "Xi Jinping")]),
    ("Ruritanian police arrested Anna Vogel. She was released later.", "2023-03-22", [("She", "Anna Vogel")]),
    # "it" is the state or armed group in focus; "the government" the state in view
    ("Kenya recalled its ambassador. The government said it would not back down.", "2023-03-22",
     [("its", "Kenya"), ("The government", "Kenya"), ("it", "Kenya")]),
    ("Hamas said it had fired rockets.", "2023-03-22", [("it", "Hamas")]),
    # plural phrases: the pair in focus
    ("Macron and Scholz met in Paris. The two leaders agreed to meet again.", "2023-03-22",
     [("The two leaders", "Emmanuel Macron"), ("The two leaders", "Olaf Scholz")]),
    ("Nigeria and Ghana signed a trade pact. The two countries will cut tariffs.", "2023-03-22",
     [("The two countries", "Nigeria"), ("The two countries", "Ghana")]),
    ("Ethiopia and Eritrea held talks. Both sides agreed to reopen the border.", "2023-03-22",
     [("Both sides", "Ethiopia"), ("Both sides", "Eritrea")]),
    ("Ruto met Lula in Nairobi. Ruto congratulated Lula on the visit and thanked him for the gifts.", "2023-03-22",
     [("him", "Luiz Inácio Lula da Silva")]),  # the conjoined verb's subject is the first verb's
    # "it" after a subject that names no actor is that thing, not a state
    ("Kenya and Somalia signed the agreement. The agreement provides for joint patrols. It also calls for talks.",
     "2023-03-22", [("Kenya", "Kenya"), ("It", None)]),
    # "the two countries" after two leaders: their states, whether the leaders were named together or not
    ("Ruto met Lula in Nairobi. The two countries signed a trade pact.", "2023-03-22",
     [("The two countries", "Kenya"), ("The two countries", "Brazil")]),
    ("Ruto and Lula met in Nairobi. The two countries signed a trade pact.", "2023-03-22",
     [("The two countries", "Kenya"), ("The two countries", "Brazil")]),
    # "they" looks back two sentences at most for the phrase that named several actors
    ("Macron and Scholz met in Paris. The two leaders talked. Ruto spoke. Lula spoke. Modi spoke. They left.",
     "2023-03-22", [("Modi", "Narendra Modi"), ("They", None)]),
    # the head of an organisation on the date
    ("The IAEA chief visited Tehran.", "2023-03-22", [("The IAEA chief", "Rafael Grossi")]),
    # one member of a group stands for the group
    ("A British MP criticised China.", "2023-03-22", [("A British MP", "British MPs")]),
    # a demonym modifying a group is part of the group's name, not an actor of its own
    ("North Korean officials met Chinese diplomats in Beijing.", "2023-03-22",
     [("North Korean officials", "North Korean officials"), ("North Korean", None), ("Chinese", None)]),
    # capitals and seats of government as their states; a place where something happens is no actor
    ("Washington imposed sanctions on Caracas.", "2023-03-22",
     [("Washington", "United States"), ("Caracas", "Venezuela")]),
    ("The Kremlin rejected the proposal, and Downing Street criticised Beijing.", "2023-03-22",
     [("Kremlin", "Russia"), ("Downing Street", "United Kingdom"), ("Beijing", "China")]),
    ("Biden arrived in Washington on Monday.", "2023-03-22", [("Biden", "Joe Biden"), ("Washington", None)]),
    # a name that means an actor only once the story has named its pair
    ("Seoul and Tokyo held talks. The North condemned the meeting.", "2023-03-22", [("North", "North Korea")]),
    # an acronym the article defines is that body wherever it comes back
    ("The Philippine Coast Guard (PCG) said the PCG had filmed the ships.", "2023-03-22",
     [("PCG", "Philippine Coast Guard")]),
]


@pytest.mark.parametrize("text,published,expected", RESOLUTIONS, ids=[f"{r[0][:40]}@{r[1]}" for r in RESOLUTIONS])
def test_phrases_resolve_to_actors(nlp, gazetteer, text, published, expected):
    got = _resolved(nlp, gazetteer, text, published)
    for phrase, label in expected:
        if label is None:
            assert phrase not in {p for p, _ in got}, got
        else:
            assert (phrase, label) in got, got


#: (text, phrase, (label, type, country ISO3, CAMEO role) of the actor it names).
GROUPS = [
    # a demonym gives a group its country, and the noun its role
    ("Kenyan soldiers attacked Somali positions.", "Kenyan soldiers", ("Kenyan soldiers", "group", "KEN", "MIL")),
    ("North Korean officials met Chinese diplomats in Beijing.", "North Korean officials",
     ("North Korean officials", "group", "PRK", "GOV")),
    ("North Korean officials met Chinese diplomats in Beijing.", "Chinese diplomats",
     ("Chinese diplomats", "group", "CHN", "GOV")),
    ("Chinese coast guard ships blocked Philippine vessels.", "Philippine vessels",
     ("Philippine vessels", "group", "PHL", "MIL")),
    # a plural demonym is that country's people; a city gives its country's police
    ("Americans were freed by Venezuela.", "Americans", ("Americans", "group", "USA", "CVL")),
    ("Police in Lagos detained activists.", "Police", ("Nigeria Police", "group", "NGA", "COP")),
    # conjoined demonyms: one group of each country
    ("The Russian and Ukrainian delegations met in Istanbul.", "The Russian and Ukrainian delegations",
     ("Ukrainian delegations", "group", "UKR", "GOV")),
    # people and bodies no gazetteer knows take the country their phrase names
    ("The Iranian negotiator Ali Bagheri Kani met EU envoy Enrique Mora.", "Ali Bagheri Kani",
     ("Ali Bagheri Kani", "person", "IRN", "GOV")),
    ("Pakistan's army chief met Chinese officials.", "Pakistan's army chief",
     ("Pakistan's army chief", "person", "PAK", "GOV")),
    ("The Philippine Coast Guard (PCG) said the PCG had filmed the ships.", "PCG",
     ("Philippine Coast Guard", "organization", "PHL", "GOV")),
]


@pytest.mark.parametrize("text,phrase,expected", GROUPS, ids=[f"{r[0][:30]}:{r[1]}" for r in GROUPS])
def test_groups_and_unknown_actors_get_their_country(nlp, gazetteer, text, phrase, expected):
    ann = actor_annotations(resolve_actors(nlp(text), gazetteer, "2023-03-22"))
    got = [(m.actor.label, m.actor.type, m.actor.country, m.actor.role) for ms in ann.by_head.values() for m in ms
           if m.text == phrase]
    assert expected in got, got


@pytest.mark.parametrize("text,phrase,actor_id", [
    # actors the article introduces have ids of their own kind, stable across articles
    ("Anna Vogel met Lavrov in Minsk.", "Anna Vogel", "anna-vogel"),
    ("The Indonesian Maritime Security Agency accused China.", "The Indonesian Maritime Security Agency",
     "org-indonesian-maritime-security-agency"),
    ("Kenyan soldiers attacked Somali positions.", "Kenyan soldiers", "group-ken-soldier"),
    ("Washington imposed sanctions on Caracas.", "Washington", "country-usa"),
])
def test_actor_ids(nlp, gazetteer, text, phrase, actor_id):
    ann = actor_annotations(resolve_actors(nlp(text), gazetteer, "2023-03-22"))
    assert actor_id in [m.actor.id for ms in ann.by_head.values() for m in ms if m.text == phrase]


@pytest.mark.parametrize("text,expected", [
    ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),
    ("U.S. officials", "u-s-officials"),
    ("Ramón Ortiz", "ramon-ortiz"),
    ("Kim Jong-un", "kim-jong-un"),
    ("---", "x"),
    ("", "x"),
])
def test_slugs(text, expected):
    assert slug(text) == expected


@pytest.mark.parametrize("text,expected", [
    # the titles before a name, and a possessive after it, are not the name
    ("President Donald Trump", "Donald Trump"),
    ("U.S. President Donald Trump", "Donald Trump"),
    ("Secretary of State Antony Blinken", "Antony Blinken"),
    ("Prime Minister Fumio Kishida", "Fumio Kishida"),
    ("Gen. Abdel Fattah al-Burhan", "Abdel Fattah al-Burhan"),
    ("Trump's", "Trump"),
    ("Kim’s", "Kim"),
    ("  Xi Jinping  ", "Xi Jinping"),
    ("Presidential Guard", "Presidential Guard"),  # a word that begins like a title is no title
])
def test_titles_are_stripped_from_names(text, expected):
    assert strip_titles(text) == expected


@pytest.mark.parametrize("text,expected", [
    # an unknown name is a body when it is an acronym or has an organisation word
    ("ECOWAS", True),
    ("US", True),
    ("Ministry of Defence", True),
    ("Islamic Courts Council", True),
    ("Nairobi", False),
    ("Council Treaty", False),  # a thing named after a body is no body
    ("Fukushima water", False),
    ("A", False),
])
def test_what_looks_like_an_organisation(text, expected):
    assert looks_like_organization(text) is expected


def test_a_group_takes_the_name_the_article_settles_on(nlp, gazetteer):
    """"North Korean officials" then "the delegation": one group, named by its collective noun in the
    events, its first name kept as an alias; other actors keep their labels."""
    text = ("Kim met North Korean officials who had returned from Washington. Pleased with the delegation's "
            "visit, he praised Trump. After his talks with the North Korean delegation, the US president said "
            "he was happy.")
    doc = resolve_actors(nlp(text), gazetteer, "2019-01-24")
    labels = actor_annotations(doc).preferred_labels
    assert labels == {"group-prk-official": "North Korean delegation"}
    events = relabel(extract_events(doc, _article(text)), labels)
    actors = {m.actor.id: m.actor for e in events for m in (e.agent, e.target) if m is not None}
    group = actors["group-prk-official"]
    assert (group.label, group.aliases) == ("North Korean delegation", ("North Korean officials",))
    assert actors["donald-trump"] == gazetteer.actors["donald-trump"]
    assert relabel(events, {}) == events


@pytest.mark.parametrize("text,expected", [
    # the article writes the name without its accents: the events table follows the article
    ("President Recep Tayyip Erdogan spoke with the Greek prime minister.", "Recep Tayyip Erdogan"),
    ("Hungarian Prime Minister Viktor Orban criticised Brussels.", "Viktor Orban"),
    # only the words the article writes change; a surname alone leaves the given names as they are
    ("Erdogan criticised the European Union on Monday.", "Recep Tayyip Erdogan"),
    # spelt as the gazetteer spells it: nothing to learn
    ("Hungarian Prime Minister Viktor Orbán criticised Brussels.", None),
])
def test_a_known_person_is_spelt_as_the_article_spells_them(nlp, gazetteer, text, expected):
    doc = resolve_actors(nlp(text), gazetteer, "2021-06-01")
    person = next(m.actor for ms in actor_annotations(doc).by_head.values() for m in ms if m.actor.type == "person")
    assert not person.label.isascii()
    assert actor_annotations(doc).preferred_labels.get(person.id) == expected
