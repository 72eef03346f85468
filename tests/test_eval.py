"""Scoring by the gold README's rules, and the extraction quality floors measured on gold."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.evaluation.scoring import gold_files, load_gold, names_actor, report, score
from kg.events import read_events

from .conftest import SEEDS, shared_or_skip

#: Committed floors: a change that lowers extraction quality below them fails the suite.
SEED_FLOOR = {"precision": 0.75, "recall": 0.75}
#: The dev set, 19 articles scored from one build: part 1 = the seed + shared/articles (gold in shared/gold),
#: part 2 = shared/dev2/articles (gold in shared/dev2/gold). Since issue 16 a trained coder decides, and
#: it is trained on these reports among the 163 of the dev set: these are floors on reports it learnt
#: from (the issue lets part 1 fall to F1 0.85, no lower), kept with some headroom; what it does on
#: reports it did not see is the held-out floor of tests/test_coder.py and the blind set. Measured
#: 2026-12-07 with the shipped coder:
#:   part 1: P 0.807 (268/332)  R 0.931 (54/58)  F1 0.865
#:   part 2: P 0.680 (257/378)  R 0.758 (72/95)  F1 0.717
#:   all 19: P 0.739 (525/710)  R 0.824 (126/153)  F1 0.779
DEV_FLOORS = {
    "part1": {"precision": 0.78, "recall": 0.90, "f1": 0.85},
    "part2": {"precision": 0.65, "recall": 0.72, "f1": 0.70},
    "all": {"precision": 0.72, "recall": 0.80, "f1": 0.76},
}


@pytest.mark.parametrize("label,canonical,aliases,expected", [
    ("U.S. President Donald Trump", "Donald Trump", [], True),
    ("the North's leader", "Kim Jong-un", ["the North's leader"], True),
    ("Trump's", "Donald Trump", ["Trump"], True),
    ("Donald Trumpet", "Donald Trump", [], False),
    ("", "Donald Trump", [], False),
    # case, punctuation, a leading "the" and a possessive are ignored, on either side
    ("ARVO LIND", "Arvo Lind", [], True),
    ("Kim Jong Un", "Kim Jong-un", [], True),
    ("The Norlandic government", "Norland", ["Norlandic government"], True),
    ("Norland’s", "Norland", [], True),
    ("Norland's army", "Norland", [], True),  # contains the canonical name as words
    ("the Kestrian police", "Kestria", ["Kestrian police"], True),
    ("Kestrian police officers", "Kestria", ["Kestrian police"], False),  # an alias must be the whole label
    ("Lind", "Arvo Lind", [], False),  # a part of the canonical name is not enough
    ("President Lind", "Arvo Lind", ["Lind"], False),
    ("theNorland", "Norland", [], False),
    ("...", "Norland", [], False),
])
def test_names_actor(label, canonical, aliases, expected):
    assert names_actor(label, canonical, aliases) is expected


def test_scoring_rules(tmp_path):
    gold = {"article": "a", "published": "2020-01-01",
            "actors": {"Donald Trump": ["Trump"], "Kim Jong-un": ["Kim"], "North Korea": ["Pyongyang"]},
            "events": [
                {"id": "e1", "core": True, "agent": "Donald Trump", "target": ["Kim Jong-un", "North Korea"],
                 "roots": ["04"], "relation": "met", "evidence": ""},
                {"id": "e2", "core": True, "agent": "Kim Jong-un", "target": None, "roots": ["01"],
                 "relation": "said", "evidence": ""},
                {"id": "e3", "core": False, "agent": "Kim Jong-un", "target": None, "roots": ["03"],
                 "relation": "wants", "evidence": ""}]}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    row = {"article_id": "a", "cameo": "040", "agent": "President Donald Trump", "target": "Pyongyang"}
    rows = [dict(row, event_id="1"), dict(row, event_id="2"),  # two matches for one gold event: recall 1/2
            {"article_id": "a", "event_id": "3", "cameo": "030", "agent": "Kim", "target": ""},  # optional: ok
            {"article_id": "a", "event_id": "4", "cameo": "010", "agent": "Donald Trump", "target": ""}]  # wrong
    result = score(rows, [path])
    assert (result.produced, result.correct, result.core, result.found) == (4, 3, 2, 1)
    assert [m["id"] for m in result.misses] == ["e2"]


def test_seed_meets_the_target(seed_build):
    gold = shared_or_skip("gold", "000_fd245a2f0af1f295.json")
    out = CliRunner().invoke(main, ["eval", str(gold), "-v", "--out", str(seed_build)])
    assert out.exit_code == 0, out.output
    words = out.output.split()
    p, r = float(words[words.index("precision") + 1]), float(words[words.index("recall") + 1])
    assert p >= SEED_FLOOR["precision"] and r >= SEED_FLOOR["recall"], out.output


def _dev_parts() -> dict[str, tuple[list[Path], list[Path]]]:
    """Article folders and gold folders of each part of the dev set, and of both together."""
    part1 = [SEEDS, shared_or_skip("articles")], [shared_or_skip("gold")]
    part2 = [shared_or_skip("dev2", "articles")], [shared_or_skip("dev2", "gold")]
    return {"part1": part1, "part2": part2, "all": (part1[0] + part2[0], part1[1] + part2[1])}


@pytest.fixture(scope="session")
def dev_build(tmp_path_factory) -> Path:
    """`kg build` of all 19 dev articles, once per session: each part is scored from the same events.csv."""
    articles, _ = _dev_parts()["all"]
    out = tmp_path_factory.mktemp("dev-build") / "output"
    built = CliRunner().invoke(main, ["build", *map(str, articles), "--out", str(out), "--no-html"])
    assert built.exit_code == 0, built.output
    return out


@pytest.mark.parametrize("part", list(DEV_FLOORS))
def test_dev_set_floor(part, dev_build):
    articles, gold = _dev_parts()[part]
    paths = gold_files([str(g) for g in gold])
    assert sorted(p.stem for p in paths) == sorted(a.stem for folder in articles for a in folder.glob("*.txt"))
    result = score(read_events(dev_build / "events.csv"), paths)
    measured = {"precision": result.precision, "recall": result.recall, "f1": result.f1}
    assert all(measured[k] >= floor for k, floor in DEV_FLOORS[part].items()), report(result, by_root=True)


def _write_case(tmp_path: Path, events: list[dict], rows: list[dict[str, str]]) -> tuple[Path, Path]:
    """An invented article 'x': a gold file and an events CSV, as `kg eval GOLD --events CSV` reads them."""
    actors = {"Arvo Lind": ["Lind", "President Lind"], "Norland": ["Norlandic government"],
              "Mira Sato": ["Sato"], "Kestria": ["Kestrian police"], "Ola Berg": ["Berg"]}
    gold = tmp_path / "x.json"
    gold.write_text(json.dumps({"article": "x", "published": "2031-05-02", "actors": actors,
                                "events": [{"relation": "r", "evidence": "", **ev} for ev in events]}),
                    encoding="utf-8")
    table = tmp_path / "events.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["article_id", "event_id", "agent", "relation", "cameo", "target"])
        writer.writeheader()
        writer.writerows({"article_id": "x", "event_id": str(i), "relation": "r", **row} for i, row in enumerate(rows))
    return gold, table


CONSULTS = {  # a general 'Lind consulted' event that either produced meeting matches, and the two meetings
    "e1": {"id": "e1", "core": True, "agent": "Arvo Lind", "target": None, "roots": ["04"]},
    "e2": {"id": "e2", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]},
    "e3": {"id": "e3", "core": True, "agent": "Arvo Lind", "target": ["Ola Berg", "Norland"], "roots": ["04"]},
}


@pytest.mark.parametrize("order", [("e1", "e2", "e3"), ("e2", "e3", "e1"), ("e3", "e1", "e2")])
def test_misses_are_what_the_matching_left(tmp_path, order):
    """Two produced meetings, three core gold events: each meeting goes to the gold event it alone matches,
    and the general event is the one listed as missed, whatever the gold order. (The old code listed no miss
    here, because every gold event had some candidate, while recall counted 2 of 3.)"""
    gold, table = _write_case(tmp_path, [CONSULTS[k] for k in order], [
        {"agent": "President Lind", "cameo": "040", "target": "Sato"},
        {"agent": "Lind", "cameo": "042", "target": "Ola Berg"}])
    result = score(read_events(table), [gold])
    assert (result.core, result.found, result.produced, result.correct) == (3, 2, 2, 2)
    assert sorted((g["id"], p["event_id"]) for g, p in result.matched) == [("e2", "0"), ("e3", "1")]
    assert [m["id"] for m in result.misses] == ["e1"] and result.wrong == []
    out = CliRunner().invoke(main, ["eval", str(gold), "--events", str(table)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1:] == ["missed core events:", "  x e1: Arvo Lind -r/04-> -   \"\""]


def _root_table(output: str) -> dict[str, list[int]]:
    """The `--by-root` table as root -> [gold core, found, produced, correct]."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("by CAMEO root"))
    assert lines[start].split()[3:] == ["gold", "core", "found", "produced", "correct"]
    table = {}
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        table[line.split()[0]] = [int(w) for w in line.split()[-4:]]
    return table


def test_eval_by_root(tmp_path):
    gold, table = _write_case(tmp_path, [
        {"id": "e1", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato", "Kestria"], "roots": ["04"]},
        # several acceptable roots: counted under the first (11) though it is found through 01
        {"id": "e2", "core": True, "agent": "Mira Sato", "target": ["Arvo Lind", "Norland"], "roots": ["11", "01"]},
        {"id": "e3", "core": True, "agent": "Kestria", "target": None, "roots": ["17"]},
        {"id": "e4", "core": False, "agent": "Arvo Lind", "target": None, "roots": ["01"]},
    ], [
        {"agent": "Arvo Lind", "cameo": "040", "target": "Mira Sato"},  # e1
        {"agent": "Sato", "cameo": "010", "target": "Norlandic government"},  # e2
        {"agent": "Lind", "cameo": "010", "target": ""},  # optional e4: correct, not a find
        {"agent": "Kestrian police", "cameo": "190", "target": "Norland"},  # matches nothing
    ])
    runner = CliRunner()
    out = runner.invoke(main, ["eval", str(gold), "--events", str(table), "--by-root"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("precision 0.750 (3/4)  recall 0.667 (2/3)")
    assert _root_table(out.output) == {"01": [0, 0, 2, 2], "04": [1, 1, 1, 1], "11": [1, 1, 0, 0],
                                       "17": [1, 0, 0, 0], "19": [0, 0, 1, 0], "all": [3, 2, 4, 3]}
    assert "  04 consult " in out.output and "match no gold event" not in out.output
    assert out.output.splitlines()[-2:] == ["missed core events:", "  x e3: Kestria -r/17-> -   \"\""]
    verbose = runner.invoke(main, ["eval", str(gold), "--events", str(table), "-v"])
    assert verbose.exit_code == 0, verbose.output
    assert verbose.output.count("by CAMEO root") == 1 and _root_table(verbose.output) == _root_table(out.output)
    assert "produced events that match no gold event:\n  x: Kestrian police -r/190-> Norland\n" in verbose.output
    plain = runner.invoke(main, ["eval", str(gold), "--events", str(table)])
    assert plain.exit_code == 0 and "by CAMEO root" not in plain.output


def test_eval_bad_gold_is_one_line(tmp_path):
    _, table = _write_case(tmp_path, [], [{"agent": "Arvo Lind", "cameo": "040", "target": "Mira Sato"}])
    bad = tmp_path / "g.json"
    bad.write_text("{nope", encoding="utf-8")
    out = CliRunner().invoke(main, ["eval", str(bad), "--events", str(table)])
    assert out.exit_code == 1 and "not a JSON gold file" in out.output and out.output.count("\n") == 1
    assert gold_files([str(tmp_path)]) == [bad, tmp_path / "x.json"]


#: Invented cases where a greedy matcher (each gold event in turn takes its first free candidate, in gold
#: order or fewest candidates first) finds fewer pairs than the maximum one-to-one matching. Rows are
#: (gold events, produced events as (agent, cameo, target), core found by a maximum matching).
MATCHINGS = [
    # e1 could take either meeting; taking the first leaves e2 without its only one
    ([{"id": "e1", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato", "Ola Berg"], "roots": ["04"]},
      {"id": "e2", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]}],
     [("Arvo Lind", "040", "Mira Sato"), ("Lind", "042", "Ola Berg")], 2),
    # every gold event has two candidates, so fewest-first does not help: e1 must leave Sato to e2 and e3
    ([{"id": "e1", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato", "Ola Berg"], "roots": ["04"]},
      {"id": "e2", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato", "Kestria"], "roots": ["04"]},
      {"id": "e3", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato", "Kestria"], "roots": ["04", "05"]}],
     [("President Lind", "040", "Sato"), ("Lind", "043", "Berg"), ("Lind", "040", "Kestrian police")], 3),
    # an optional gold event takes no produced event away from a core one
    ([{"id": "e1", "core": False, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]},
      {"id": "e2", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]}],
     [("Arvo Lind", "040", "Mira Sato")], 1),
]


@pytest.mark.parametrize("events,produced,found", MATCHINGS)
def test_recall_is_a_maximum_matching(tmp_path, events, produced, found):
    gold, table = _write_case(tmp_path, events, [{"agent": a, "cameo": c, "target": t} for a, c, t in produced])
    result = score(read_events(table), [gold])
    core = sum(ev["core"] for ev in events)
    assert (result.core, result.found, result.produced, result.correct) == (core, found, len(produced), len(produced))
    assert result.misses == [] and len(result.matched) == found
    assert len({p["event_id"] for _, p in result.matched}) == found  # one produced event per gold event


def test_the_mentions_of_one_event_count_once(tmp_path):
    """The events table has a row per mention: the three rows of event 'a' are one produced event, matching
    one gold event, so they neither flatter precision nor find the second gold event."""
    gold, _ = _write_case(tmp_path, [
        {"id": "e1", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]},
        {"id": "e2", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]}], [])
    met = {"article_id": "x", "event_id": "a", "agent": "Arvo Lind", "cameo": "040", "target": "Mira Sato"}
    rows = [met, {**met, "agent": "President Lind"}, {**met, "agent": "Lind"},
            {"article_id": "x", "event_id": "b", "agent": "Ola Berg", "cameo": "111", "target": "Norland"}]
    result = score(rows, [gold])
    assert (result.produced, result.correct, result.core, result.found) == (2, 1, 2, 1)
    assert (result.precision, result.recall) == (0.5, 0.5)
    assert [m["id"] for m in result.misses] == ["e2"] and [w["event_id"] for w in result.wrong] == ["b"]
    assert "produced events that match no gold event:\n  x: Ola Berg -/111-> Norland\n" in report(result, verbose=True)
    # rows without an event id are events of their own
    result = score([{**row, "event_id": ""} for row in rows], [gold])
    assert (result.produced, result.correct, result.found) == (4, 3, 2)


def test_rows_of_other_articles_are_not_scored(tmp_path):
    gold, _ = _write_case(tmp_path, [
        {"id": "e1", "core": True, "agent": "Arvo Lind", "target": None, "roots": ["04"]}], [])
    rows = [{"article_id": "y", "event_id": "a", "agent": "Arvo Lind", "cameo": "040", "target": ""}]
    result = score(rows, [gold])
    assert (result.produced, result.correct, result.core, result.found) == (0, 0, 1, 0)
    assert (result.precision, result.recall, result.f1) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("content,message", [
    ("{nope", "not a JSON gold file"),
    ("\udcff", "not a JSON gold file"),
    ("[1, 2]", "a gold file needs 'article' and 'events'"),
    ('{"article": "x"}', "a gold file needs 'article' and 'events'"),
    ('{"events": []}', "a gold file needs 'article' and 'events'"),
])
def test_bad_gold_files_are_named_with_what_is_wrong(tmp_path, content, message):
    bad = tmp_path / "g.json"
    bad.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(InputError, match=message) as caught:
        load_gold(bad)
    assert str(caught.value).startswith(f"{bad}: ")
    with pytest.raises(InputError, match=f"{tmp_path / 'none.json'}: cannot read"):
        load_gold(tmp_path / "none.json")


def test_gold_files_from_folders_and_files(tmp_path):
    for name in ("b.json", "a.json", "notes.txt"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    assert gold_files([str(tmp_path)]) == [tmp_path / "a.json", tmp_path / "b.json"]
    assert gold_files([str(tmp_path / "b.json"), str(tmp_path)]) == [tmp_path / "b.json", tmp_path / "a.json",
                                                                     tmp_path / "b.json"]
    with pytest.raises(InputError, match="no such gold file or directory"):
        gold_files([str(tmp_path / "gone")])
    with pytest.raises(InputError, match=f"^{tmp_path / 'empty'}: no gold .json files found"):
        gold_files([str(tmp_path / "empty")])


def test_the_report_lists_what_it_is_asked_for(tmp_path):
    evidence = "Kestrian police stormed the offices in the capital of Norland on a rainy morning, the ministry said."
    gold, table = _write_case(tmp_path, [
        {"id": "e1", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]},
        {"id": "e2", "core": True, "agent": "Kestria", "target": None, "roots": ["17", "18"], "evidence": evidence},
        {"id": "e3", "core": True, "agent": "Kestria", "target": ["Arvo Lind", "Norland"], "roots": ["11"]},
    ], [
        {"agent": "Arvo Lind", "cameo": "040", "target": "Mira Sato"},
        {"agent": "Ola Berg", "cameo": "111", "target": ""},
    ])
    missed = ["missed core events:", f'  x e2: Kestria -r/17|18-> -   "{evidence[:80]}"',
              '  x e3: Kestria -r/11-> Arvo Lind|Norland   ""']
    result = score(read_events(table), [gold])
    assert report(result).splitlines() == ["precision 0.500 (1/2)  recall 0.333 (1/3)  F1 0.400", *missed]
    verbose = report(result, verbose=True).splitlines()
    assert verbose[-5:] == ["produced events that match no gold event:", "  x: Ola Berg -r/111-> -", *missed]
    assert verbose[1].startswith("by CAMEO root") and "  04 consult" in verbose[2]
    assert report(result, by_root=True).splitlines() == [verbose[0], *verbose[1:-5], *missed]
    (tmp_path / "p").mkdir()
    perfect = score(read_events(table), [_write_case(tmp_path / "p", [
        {"id": "e1", "core": True, "agent": "Arvo Lind", "target": ["Mira Sato"], "roots": ["04"]},
        {"id": "e2", "core": False, "agent": "Ola Berg", "target": None, "roots": ["11"]}], [])[0]])
    assert report(perfect) == "precision 1.000 (2/2)  recall 1.000 (1/1)  F1 1.000"
    assert report(score([], [gold])).splitlines() == [
        "precision 0.000 (0/0)  recall 0.000 (0/3)  F1 0.000", "missed core events:",
        '  x e1: Arvo Lind -r/04-> Mira Sato   ""', *missed[1:]]


def test_gold_files_with_only_the_required_fields(tmp_path):
    """Actors, evidence and targets are optional in a gold file: an agent with no aliases listed is
    matched by its canonical name only; a miss with no evidence is shown with empty quotes; the table by
    root counts every find and names no root it does not know."""
    gold = tmp_path / "y.json"
    gold.write_text(json.dumps({"article": "y", "events": [
        {"id": "e1", "core": True, "agent": "Tova Rask", "roots": ["04"], "relation": "met"},
        {"id": "e2", "core": True, "agent": "Tova Rask", "target": ["Ivo Brand"], "roots": ["04"], "relation": "met"},
        {"id": "e3", "core": True, "agent": "Ivo Brand", "target": ["Tova Rask"], "roots": ["04"], "relation": "met"},
    ]}), encoding="utf-8")
    rows = [{"article_id": "y", "event_id": str(i), "agent": a, "cameo": c, "target": t, "relation": "r"}
            for i, (a, c, t) in enumerate([("Tova Rask", "040", ""), ("Minister Tova Rask", "043", "Ivo Brand"),
                                           ("Rask", "040", "Tova Rask"), ("Ivo Brand", "", "Tova Rask"),
                                           ("Tova Rask", "042", "Norland")])]
    result = score(rows, [gold])
    assert (result.core, result.found, result.produced, result.correct) == (3, 2, 5, 3)
    assert result.by_root["04"].found == 2 and result.by_root["04"].core == 3
    lines = report(result, verbose=True).splitlines()
    assert lines[-1] == '  y e3: Ivo Brand -met/04-> Tova Rask   ""'
    assert "  x" not in lines and "  y: Rask -r/040-> Tova Rask" in lines and "  y: Ivo Brand -r/-> Tova Rask" in lines
    assert [line.split() for line in lines if line.startswith("  -- ")] == [["--", "0", "0", "1", "0"]]


def test_the_scorer_compares_names_as_the_gazetteer_does_but_for_accents():
    """One normaliser: the gold README's rule (`plain_name`) for the scorer, the same with accents
    folded (`norm_name`) for the gazetteer; the scoring rules do not ignore accents."""
    from kg.knowledge import norm_name

    assert norm_name("Recep Tayyip Erdoğan") == norm_name("Recep Tayyip Erdogan")
    assert not names_actor("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan", [])
    for a, b in [("the U.S.'s", "U.S."), ("Kim Jong-un", "Kim Jong Un"), ('"The Taliban"', "Taliban")]:
        assert names_actor(a, b, []) and norm_name(a) == norm_name(b)
