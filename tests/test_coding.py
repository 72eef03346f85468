"""CAMEO re-coding rules (kg/data/recoding.csv), each alone, and modality on invented sentences."""
from __future__ import annotations

import pytest

from kg.knowledge import cameo_codes
from kg.knowledge.coding import intent_code, negation_code, recode, refusal_code

from .test_extract import run


@pytest.mark.parametrize("rule,inner,code", [
    (intent_code, "040", "036"), (intent_code, "042", "036"), (intent_code, "057", "032"),
    (intent_code, "070", "033"), (intent_code, "0841", "035"), (intent_code, "190", "030"),
    (refusal_code, "040", "125"), (refusal_code, "057", "127"), (refusal_code, "084", "124"),
    (refusal_code, "010", "120"),
    (negation_code, "057", "127"), (negation_code, "084", "124"), (negation_code, "036", "120"),
    (negation_code, "040", ""), (negation_code, "190", ""),
])
def test_rule(rule, inner, code):
    assert rule(inner) == code


def test_every_recoded_code_is_in_the_codebook():
    from kg.knowledge.coding import RULES, _table

    codes = cameo_codes()
    for rule in RULES:
        for inner, code in _table()[rule].items():
            assert code in codes, (rule, inner, code)
    assert recode("intent", "04") == "036"


@pytest.mark.parametrize("text,agent,root,modality", [
    ("The president of Ruritania failed to reach a deal with Chile.", None, None, None),
    ("Blinken flew to Kyiv to meet Zelensky.", "Antony Blinken", "04", "intended"),
    # a negated future of a cooperative act is a refusal (12x), still marked negated: the talks will not happen
    ("Ukraine will not negotiate with Russia until Russian troops withdraw.", "Ukraine", "12", "negated"),
    ("Greece did not sign the agreement with Turkey.", "Greece", "12", "negated"),
])
def test_modality_of_purpose_condition_failure_and_negated_agreement(nlp, gazetteer, text, agent, root, modality):
    events = run(nlp, gazetteer, text)
    if agent is None:
        assert all(e.modality != "asserted" for e in events), [(e.relation, e.modality) for e in events]
        return
    got = {(e.agent.actor.label, e.cameo[:2], e.modality) for e in events}
    assert (agent, root, modality) in got, got


def test_failed_act_is_not_asserted(nlp, gazetteer):
    events = run(nlp, gazetteer, "Macron failed to reach a deal with Meloni.")
    assert events and all(e.modality == "negated" for e in events), [(e.relation, e.modality) for e in events]


@pytest.mark.parametrize("text,code", [
    ("The EU insisted that Serbia must recognise Kosovo.", "100"),
    ("Germany said Hungary should lift its veto.", "020"),
    ("Macron offered condolences to Erdogan after the earthquake.", "018"),
])
def test_reported_content_and_fixed_expressions_decide_the_code(nlp, gazetteer, text, code):
    assert code in {e.cameo for e in run(nlp, gazetteer, text)}
