"""The trained coder: candidates from invented sentences, the shipped model's decisions and their
confidence, `--min-confidence`, and training as a user runs it (`kg train`, `kg eval --folds`)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import KGError
from kg.extract import code_events, document_text, extract_events
from kg.extract.candidates import ROOTS, generate
from kg.extract.coder import Coder, default_model_path, load_coder
from kg.extract.lexicon import readings_kept
from kg.records import Article
from kg.resolve import resolve_actors

from .conftest import ROOT, shared_or_skip


def _doc(nlp, gazetteer, text: str, published: str = "2024-03-05"):
    article = Article(id="invented", title="", published=published, source="", url="", text=text, path="")
    doc = resolve_actors(nlp(document_text(article)), gazetteer, published)
    return article, doc


def _pairs(nlp, gazetteer, text: str):
    article, doc = _doc(nlp, gazetteer, text)
    rules = extract_events(doc, article)
    with readings_kept(doc):
        return list(generate(doc, rules))


def test_candidates_pair_every_actor_of_a_sentence_with_each_other_and_with_none(nlp, gazetteer):
    pairs = _pairs(nlp, gazetteer, "The Japanese government sharply criticised China on Monday.")
    seen = {(p.agent.actor.id, p.target.actor.id if p.target else "") for p in pairs}
    assert ("country-jpn", "country-chn") in seen
    assert ("country-chn", "country-jpn") in seen
    assert ("country-jpn", "") in seen
    jc = next(p for p in pairs if p.agent.actor.id == "country-jpn" and p.target and p.target.actor.id == "country-chn")
    assert "w=criticise" in jc.features or "w=criticize" in jc.features
    assert jc.anchor.lemma_.lower() in ("criticise", "criticize")
    assert "rule" in jc.per_root.get("11", [])  # the constructions read a disapproval here
    assert "where=same" in jc.features


def test_candidates_reach_back_to_the_actors_of_the_sentence_before(nlp, gazetteer):
    pairs = _pairs(nlp, gazetteer, "Kenya hosted a summit on Tuesday. Later Uganda signed a trade pact there.")
    back = [p for p in pairs if p.agent.actor.id == "country-uga" and p.target and p.target.actor.id == "country-ken"]
    assert back and all("where=prev" in p.features for p in back)
    assert not [p for p in pairs if p.agent.actor.id == "country-ken" and p.target
                and p.target.actor.id == "country-uga"]  # the later sentence's actors are never the earlier's


def test_probabilities_are_one_per_root_between_zero_and_one(nlp, gazetteer):
    coder = load_coder()
    pairs = _pairs(nlp, gazetteer, "Norway condemned the missile strike by Iran on Saturday.")
    assert pairs
    for p in pairs:
        probs = coder.probabilities(p)
        assert probs.shape == (len(ROOTS),)
        assert ((probs > 0) & (probs < 1)).all()


@pytest.mark.parametrize("text,agent,root,target", [
    ("Canada strongly condemned Russia on Friday over the missile attacks on Ukrainian cities.",
     "country-can", "11", "country-rus"),
    ("The president of Brazil met the Chinese president in Beijing on Tuesday to discuss trade.",
     "", "04", ""),
    ("Germany urged Serbia to withdraw its troops from the border, the foreign ministry said.",
     "country-deu", "02", "country-srb"),
])
def test_the_shipped_coder_keeps_plain_events(nlp, gazetteer, text, agent, root, target):
    article, doc = _doc(nlp, gazetteer, text)
    events = code_events(doc, article, load_coder())
    found = [m for m in events if m.cameo[:2] == root and (not agent or m.agent.actor.id == agent)
             and (not target or (m.target and m.target.actor.id == target))]
    assert found, [(m.agent.actor.id, m.cameo, m.target.actor.id if m.target else "") for m in events]
    assert all(load_coder().threshold <= m.confidence <= 1 for m in events)


def test_each_named_target_of_one_act_is_an_event(nlp, gazetteer):
    """"X condemned Y and Z": a second target the model is sure enough of is kept beside the best."""
    article, doc = _doc(nlp, gazetteer, "Lithuania condemned Belarus and Russia on Sunday over the border crisis.")
    events = code_events(doc, article, load_coder())
    targets = {m.target.actor.id for m in events
               if m.agent.actor.id == "country-ltu" and m.cameo[:2] == "11" and m.target}
    assert targets == {"country-blr", "country-rus"}, [(m.agent.actor.id, m.cameo, m.target and m.target.actor.id)
                                                        for m in events]


def test_candidates_know_what_the_article_tells_elsewhere(nlp, gazetteer):
    """The title's readings and how many sentences read a root are features of every pair."""
    pairs = _pairs(nlp, gazetteer, "Chile condemns Peru\n\nChile condemned Peru on Monday. Bolivia met Chile later.")
    later = next(p for p in pairs if p.agent.actor.id == "country-bol")
    assert "title" in later.root_features("11") and "told=2" in later.root_features("11")
    assert "title" not in later.root_features("04")


def test_a_threshold_keeps_fewer_events_the_higher_it_is(nlp, gazetteer):
    text = ("Spain and Morocco signed a migration accord on Monday. Spain also thanked Morocco for its help, "
            "while Algeria criticised the accord and recalled its ambassador from Madrid.")
    article, doc = _doc(nlp, gazetteer, text)
    coder = load_coder()
    counts = [len(code_events(doc, article, coder, threshold=t)) for t in (0.0, coder.threshold, 0.9, 1.01)]
    assert counts[0] > counts[1] >= counts[2] >= counts[3] == 0
    assert counts[1] > 0


def test_a_broken_model_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "coder.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(KGError, match="coder.json: cannot read the coder model"):
        Coder.load(bad)
    bad.write_text('{"roots": ["01"]}', encoding="utf-8")
    with pytest.raises(KGError, match="coder.json: not a coder model"):
        Coder.load(bad)


def test_the_build_records_the_coder_and_filters_by_min_confidence(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(
        "Title: Ministers meet\nDate: 2024-05-02\n\nThe foreign minister of Italy met the foreign minister of "
        "Egypt in Cairo on Wednesday. Italy urged Egypt to reopen the border crossing, and Egypt rejected "
        "the Italian request.\n", encoding="utf-8")
    runner = CliRunner()
    out_low, out_high = tmp_path / "low", tmp_path / "high"
    low = runner.invoke(main, ["build", str(articles), "--out", str(out_low), "--min-confidence", "0.05"])
    assert low.exit_code == 0, low.output
    high = runner.invoke(main, ["build", str(articles), "--out", str(out_high), "--min-confidence", "0.6"])
    assert high.exit_code == 0, high.output
    rows_low = list(csv.DictReader((out_low / "events.csv").open(encoding="utf-8")))
    rows_high = list(csv.DictReader((out_high / "events.csv").open(encoding="utf-8")))
    assert rows_low and len(rows_low) > len(rows_high)
    assert all(float(r["confidence"]) >= 0.6 for r in rows_high)
    assert min(float(r["confidence"]) for r in rows_low) < 0.6
    extractor = runner.invoke(main, ["query", "--out", str(out_low), "--format", "csv",
                                     "SELECT ?e WHERE { ?b <https://w3id.org/kg-dip/ontology#extractor> ?e }"])
    assert extractor.exit_code == 0, extractor.output
    assert load_coder().version in extractor.output
    bad = runner.invoke(main, ["build", str(articles), "--out", str(tmp_path / "x"), "--min-confidence", "1.5"])
    assert bad.exit_code != 0 and "--min-confidence 1.5" in bad.output
    assert not (tmp_path / "x" / "events.csv").exists()


def _invented_dev_set(root: Path) -> Path:
    """Two tiny annotated reports, made up for the test, laid out as the dev set is."""
    (root / "articles").mkdir(parents=True)
    (root / "gold").mkdir()
    texts = {
        "r1": ("Title: Border talks\nDate: 2023-02-01\n\nPeru condemned Ecuador on Monday for closing the border. "
               "Peru also met Chile in Lima and urged Bolivia to join the talks.\n"),
        "r2": ("Title: Trade row\nDate: 2023-03-01\n\nKenya criticised Tanzania over new tariffs. Kenya met Uganda "
               "in Nairobi, and Uganda urged Tanzania to lift the tariffs.\n"),
    }
    golds = {
        "r1": [("Peru", ["Ecuador"], ["11"], "Peru condemned Ecuador"),
               ("Peru", ["Chile"], ["04"], "Peru also met Chile"),
               ("Peru", ["Bolivia"], ["02"], "urged Bolivia to join")],
        "r2": [("Kenya", ["Tanzania"], ["11"], "Kenya criticised Tanzania"),
               ("Kenya", ["Uganda"], ["04"], "Kenya met Uganda"),
               ("Uganda", ["Tanzania"], ["02"], "Uganda urged Tanzania")],
    }
    for stem, text in texts.items():
        (root / "articles" / f"{stem}.txt").write_text(text, encoding="utf-8")
        events = [{"id": f"e{i}", "core": True, "agent": a, "target": t, "roots": r, "relation": "x", "evidence": ev}
                  for i, (a, t, r, ev) in enumerate(golds[stem])]
        (root / "gold" / f"{stem}.json").write_text(json.dumps({"article": stem, "published": "2023-01-01",
                                                                 "actors": {}, "events": events}), encoding="utf-8")
    return root / "gold"


def test_kg_train_writes_a_model_that_builds_use(tmp_path):
    gold = _invented_dev_set(tmp_path / "dev")
    model = tmp_path / "coder.json"
    runner = CliRunner()
    result = runner.invoke(main, ["train", str(gold), "--output", str(model), "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "trained on 2 reports" in result.output and "held-out 2-fold mean" in result.output
    trained = Coder.load(model)
    assert 0 < trained.threshold < 1 and trained.weights.shape[1] == len(ROOTS)
    again = tmp_path / "again.json"
    assert runner.invoke(main, ["train", str(gold), "--output", str(again), "--folds", "2"]).exit_code == 0
    assert again.read_bytes() == model.read_bytes()  # a fixed seed: the same reports give the same model


def test_kg_eval_folds_scores_reports_it_did_not_train_on(tmp_path):
    gold = _invented_dev_set(tmp_path / "dev")
    result = CliRunner().invoke(main, ["eval", "--folds", "2", str(gold)])
    assert result.exit_code == 0, result.output
    assert "fold 1:" in result.output and "fold 2:" in result.output and "mean: precision" in result.output
    assert "oracle recall 1.000 (6/6 core events reachable)" in result.output
    assert "by CAMEO root" in result.output
    lost = result.output.split("were lost (the first stage that lost each):\n")[1].splitlines()
    missed = int(result.output.split("where the ")[1].split()[0])
    assert len(lost) == 4 and sum(int(line.split()[0]) for line in lost) == missed
    curve = CliRunner().invoke(main, ["eval", "--folds", "2", "--learning-curve", str(gold)])
    assert curve.exit_code == 0, curve.output
    lines = curve.output.split("each model trained on part of its folds):\n")[1].splitlines()
    assert [line.split()[0] for line in lines] == ["25%", "50%", "75%", "100%"]
    assert all(0 <= float(line.split("F1 ")[1]) <= 1 for line in lines)
    # all of the folds: the cross-validation above, whose pooled totals are the table's last row
    core, found = (int(x) for x in curve.output.split("\n  all")[1].split()[:2])
    assert f"recall {found / core:.3f}" in lines[-1]
    # each fold trains on one report here, so every share trains the same model on it
    assert len({line.split(": ", 1)[1] for line in lines}) == 1
    alone = CliRunner().invoke(main, ["eval", "--learning-curve", str(gold)])
    assert alone.exit_code != 0 and "--learning-curve needs --folds" in alone.output
    missing = CliRunner().invoke(main, ["eval", "--folds", "2", str(tmp_path / "nowhere")])
    assert missing.exit_code != 0 and "nowhere: not a folder of gold files" in missing.output


def test_the_shipped_model_is_the_one_kg_train_makes_from_the_dev_set(tmp_path):
    """`kg train` over the four dev parts gives the shipped kg/data/coder.json, byte for byte."""
    golds = [shared_or_skip("gold"), shared_or_skip("dev2", "gold"), shared_or_skip("dev3", "gold"),
             shared_or_skip("dev4", "gold")]
    out = tmp_path / "coder.json"
    result = CliRunner().invoke(main, ["train", *map(str, golds), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == default_model_path().read_bytes()
    assert default_model_path().parent == ROOT / "kg" / "data"


def test_the_shipped_model_says_how_it_did_on_reports_it_was_not_trained_on():
    """The figures `kg train` recorded from its held-out folds (the test above proves they are what
    the command measures): a floor on news the coder did not see, not on the reports it learnt."""
    model = json.loads(default_model_path().read_text(encoding="utf-8"))
    assert model["trained_on"]["reports"] == 163
    assert model["folds"]["k"] == 5
    assert model["folds"]["f1"] >= HELD_OUT_F1_FLOOR
    assert 0.0 < model["threshold"] < 1.0


#: 5-fold held-out F1 over the 163 dev reports, rounded down (the rules alone: 0.39 over the same
#: reports, most of which they were never written from).
HELD_OUT_F1_FLOOR = 0.46


def test_each_missed_event_is_put_down_to_the_first_stage_that_lost_it(tmp_path):
    """An invented report whose four gold events are each lost at another stage: no pair names the
    actors, they are paired only in another sentence, no word of the evidence reads the root, or the
    root is read there (and only the coder could have dropped it)."""
    from kg.evaluation.training import find_reports, miss_stages, prepare

    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "r9.txt").write_text(
        "Title: Harbour dispute\nDate: 2023-04-01\n\nNorway met Denmark in Oslo on Monday. "
        "Sweden and Finland held a ceremony on Friday.\n", encoding="utf-8")
    events = [("Portugal", ["Spain"], ["04"], "Portugal met Spain"),
              ("Norway", ["Denmark"], ["04"], "Sweden and Finland held a ceremony on Friday"),
              ("Norway", ["Denmark"], ["17"], "Norway met Denmark in Oslo on Monday"),
              ("Norway", ["Denmark"], ["04"], "Norway met Denmark in Oslo on Monday")]
    gold = {"article": "r9", "published": "2023-04-01", "actors": {},
            "events": [{"id": f"e{i}", "core": True, "agent": a, "target": t, "roots": r, "relation": "x",
                        "evidence": ev} for i, (a, t, r, ev) in enumerate(events)]}
    (tmp_path / "gold" / "r9.json").write_text(json.dumps(gold), encoding="utf-8")
    reports = prepare(find_reports([tmp_path / "gold"]))
    misses = [{"article": "r9", **ev} for ev in gold["events"]]
    assert miss_stages(reports, misses) == {"actors": 1, "sentence": 1, "reading": 1, "coder": 1}
    assert miss_stages(reports, misses[3:]) == {"actors": 0, "sentence": 0, "reading": 0, "coder": 1}
