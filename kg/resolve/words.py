"""The words resolution reads, loaded once from `kg/data/words.csv` and the group-noun table.

Each name says what the list is for; the words themselves live in the data files (one row per
word, with its language), so a user can read and extend them.
"""
from __future__ import annotations

import re

from kg.knowledge import word_groups, word_list, word_map, word_sequence

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}

PLACE_LABELS = {"GPE", "NORP", "LOC", "FAC"}  # what can name a country

#: Role nouns -> office names in the gazetteer.
ROLE_OFFICES = word_map("role_offices")

ROLES_LONGEST_FIRST = sorted(ROLE_OFFICES, key=len, reverse=True)

ROLES_WITH_OF = [(role, *role.split(" of ", 1)) for role in ROLE_OFFICES if " of " in role]

#: Offices that are each other's counterparts across countries.
EQUIVALENT_OFFICES = word_groups("equivalent_offices")

HEAD_OF_STATE_FALLBACK = word_sequence("head_of_state_fallback")

#: Group nouns that stand for the state itself (CAMEO codes them as the country's government).
STATE_NOUNS = word_list("state_nouns")
#: the body a role noun serves: "a spokeswoman for the Hungarian government", "director of ..."
AFFILIATION_PREPS = word_list("affiliation_preps")

ORG_HEAD_NOUNS = word_list("org_head_nouns")

PLURAL_PERSON = word_list("plural_person")

PLURAL_COUNTRY = word_list("plural_country")

PRONOUNS_PERSON = word_map("pronouns_person")

PRONOUNS_PLURAL = word_list("pronouns_plural")

PRONOUNS_THING = word_list("pronouns_thing")

SUBJECT_DEPS = {"nsubj", "nsubjpass"}

#: Agent roles whose unowned groups still act when they are the subject ("police arrested ..."):
#: the military, the police, the courts.
ARMED_ROLES = {"MIL", "COP", "JUD"}

#: Agent roles of people acted upon who are actors even unowned ("freed the prisoners", "detained
#: activists"): civilians, the opposition, rebels and insurgents, refugees, police and courts,
#: workers and farmers.
PEOPLE_ROLES = {"CVL", "OPP", "REB", "INS", "UAF", "SEP", "RAD", "CRM", "REF", "COP", "JUD", "MED", "EDU",
                 "HLH", "REL", "LAB", "AGR"}

LOCATIVE_PREPS = word_list("place_preps")

TITLES = re.compile(r"^(?:(?:u\.?s\.?|gen\.|secretary(?: of state)?|"
                     + "|".join(re.escape(w) for w in sorted(word_list("title_prefixes"), key=len, reverse=True))
                     + r")\.?\s+)+", re.I)

TITLE_WORDS = word_list("title_words")

ORG_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(word_list("organisation_words"))) + r")\b",
                        re.I)

THING_WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(word_list("thing_words"))) + r")\b", re.I)

QUANTITY_NOUNS = word_list("quantity_nouns")

#: Titles that, with "the" and a nationality, mean that country's person already named ("the
#: Russian minister" after "Sergey Lavrov").
ONE_OF_THEM = word_list("titled_person_kinds")

ENFORCEMENT_NOUNS = word_list("enforcement_nouns")

#: Plural nouns that, with a modifier, name a group of states ("Western countries").
STATE_GROUP_NOUNS = word_list("state_group_nouns")

#: "the bloc", "the alliance": the international organisation in focus.
ORG_BACK_NOUNS = word_list("organisation_back_nouns")

#: "the government", "the kingdom": the country in focus.
STATE_BACK_NOUNS = word_list("state_back_nouns")

#: Singular bodies that plural phrases may name ("both delegations" and "the two armies" alike).
COUNTABLE_BODIES = word_list("countable_bodies")

DEFINITE_DETERMINERS = word_list("definite_determiners")

MONARCH_OFFICES = word_list("monarch_offices")

OFFICIAL_KINDS = word_list("official_kinds")

OFFICIAL_PLURALS = word_list("official_plurals")

ONE_PERSON = word_list("one_person")

COLLECTIVE = word_list("collective")

