"""scripts/generate_lexicon.py: the PETRARCH2 verb and agent dictionaries become lexicon rows, reproducibly."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import load_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "generate_lexicon.py"
PETRARCH = Path(__file__).resolve().parents[1].parent / "shared" / "petrarch"
GENERATED = ROOT / "kg" / "data" / "generated"


gl = load_script("generate_lexicon")

# An invented dictionary in PETRARCH's syntax: every word of it is made up for the test.
VERBS = """\
# invented verb dictionary for the tests

####### SYNONYM SETS #######

&GADGET
+WIDGET
+DOOHICKEY_
+SPROCKET_WHEEL

####### VERB PATTERNS #######

---  ZAP   [190]  ---
ZAP {ZAPS ZAPPING ZAPPED}
BLORP
+FRIZZLE_UP
- * OUT                                [174]      # ZAP
- * (AT +)                             [193]      # ZAP
- * GIZMOS                             [1711]     # ZAP
- * &GADGET                            [181]      # BLORP
- * {SHINY GIZMO}                      [183]      # BLORP
- * BADGES                             [0999]     # ZAP: no such CAMEO code
- ROBOTS *                             [195]      # ZAP: the subject is constrained
- * (IN COURT)                         [173]      # ZAP: a noun inside the phrase
- * (BEFORE +)                         [:173]     # ZAP: passive only
- * PLAN                               [042:043]  # ZAP
- * + TALKS                            [040]      # ZAP: two objects

---  WAVE   [---]  ---
WAVE
SALUTE [042]
SHOUT [010]
- * (TO)                               [042]      # WAVE
- * AT                                 [040]      # WAVE
- * HELLO                              [---]      # WAVE

---  GATHER   [040]  ---
MEET {MEETS MET MEETING}
HUDDLE

######## TRANSFORMATIONS ##########
~ a (a b ZAP) SAY = a b 138
"""

AGENTS = """\
# invented agents dictionary for the tests
!PERSON! = MAN, MEN
PROTESTER [~OPP]
LAWMAKER {} [~LEG]
{SOLDIER | SOLDIERS} [~MIL]
POLICE!PERSON! [~COP]
CHAMBER_OF_COMMERCE [~BUS]
ISLAMIC_FRONT_  [~MILREB]
NO_CODE_HERE
TRUCE_MONITOR [IGO~]
PROTESTER [~REB]
"""


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _line(start: str) -> int:
    """Line number (from 1) of the invented dictionary's line that starts so."""
    return next(i for i, line in enumerate(VERBS.splitlines(), start=1) if line.startswith(start))


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return (row["verb"], row["particle"], row["preps"], row["objects"], row["code"])


@pytest.fixture()
def invented(tmp_path, capsys):
    source = tmp_path / "petrarch"
    source.mkdir()
    (source / "CAMEO.2.0.txt").write_text(VERBS, encoding="utf-8")
    (source / "Phoenix.agents.txt").write_text(AGENTS, encoding="utf-8")
    (source / "LICENSE").write_text("The MIT License (MIT)\n\ninvented\n", encoding="utf-8")
    out = tmp_path / "out"
    assert gl.main(["--petrarch", str(source), "--out", str(out)]) == 0
    return out, capsys.readouterr().out


def test_invented_dictionary_rows(invented):
    out, report = invented
    rows = _read(out / "verbs.csv")
    assert list(rows[0]) == ["verb", "particle", "adverb", "complement", "preps", "code", "relation", "symmetric",
                             "needs_target", "objects", "language", "source"]
    by_key = {_key(r): r for r in rows}
    gadgets = "widget;widgets;doohickey;sprocket wheel;sprocket wheels"
    assert set(by_key) == {
        # bare rows: the block default, a multi-word verb's particle, a verb's own code; none for [---]
        ("zap", "", "", "", "190"), ("blorp", "", "", "", "190"), ("frizzle", "up", "", "", "190"),
        ("salute", "", "", "", "042"), ("shout", "", "", "", "010"),
        ("meet", "", "", "", "040"), ("huddle", "", "", "", "040"),
        # a pattern is read only into the verb its comment names: a particle, (AT +), a bare TABARI AT,
        # an empty (TO), a noun object (singular and plural), a code pair's active code
        ("zap", "out", "", "", "174"), ("zap", "", "at", "", "193"),
        ("wave", "", "to", "", "042"), ("wave", "", "at", "", "040"),
        ("zap", "", "", "gizmo;gizmos", "1711"), ("zap", "", "", "plan;plans", "042"),
        # a synonym set: its members; a group: its head and whole phrase ("blorp" has no other "gizmo")
        ("blorp", "", "", gadgets, "181"), ("blorp", "", "", "gizmo;gizmos;shiny gizmo;shiny gizmos", "183"),
    }
    assert not any(r["code"] in ("0999", "195", "173") for r in rows)  # invalid, subject-bound, noun in phrase
    zap = by_key[("zap", "", "", "", "190")]
    assert zap["relation"] == "zapped" and zap["needs_target"] == "yes" and zap["language"] == "en"
    assert zap["source"] == f"CAMEO.2.0.txt:{_line('ZAP {')}"
    assert by_key[("zap", "", "at", "", "193")]["relation"] == "zapped_at"
    assert by_key[("zap", "", "at", "", "193")]["source"] == f"CAMEO.2.0.txt:{_line('- * (AT +)')}"
    assert by_key[("frizzle", "up", "", "", "190")]["relation"] == "frizzled_up"
    assert by_key[("blorp", "", "", gadgets, "181")]["relation"] == "blorped_gadget"
    assert by_key[("zap", "", "", "gizmo;gizmos", "1711")]["relation"] == "zapped_gizmo"
    assert by_key[("shout", "", "", "", "010")]["needs_target"] == ""  # a bare statement needs no target
    assert by_key[("wave", "", "to", "", "042")]["needs_target"] == "yes"
    assert ("shout", "", "to", "", "042") not in by_key  # a synonym does not inherit the pattern written for WAVE
    meet, huddle = by_key[("meet", "", "", "", "040")], by_key[("huddle", "", "", "", "040")]
    assert (meet["relation"], meet["symmetric"]) == ("met", "yes")
    assert (huddle["relation"], huddle["symmetric"]) == ("huddled", "")
    assert rows == sorted(rows, key=lambda r: (r["verb"], r["particle"], r["preps"], r["objects"]))

    assert "dropped code 0999: 1 patterns" in report
    assert "skipped 1 patterns: words before the verb (subject constraint)" in report
    assert "skipped 1 patterns: noun required inside a prepositional phrase" in report
    assert "skipped 1 patterns: passive-only code [:b] (the subject is the target)" in report
    assert "skipped 1 patterns: two or more nouns" in report
    assert "skipped 1 patterns: null code" in report
    assert f"verbs.csv: {len(rows)} rows" in report


def test_invented_agents(invented):
    out, report = invented
    rows = _read(out / "agents.csv")
    assert [(r["form"], r["number"], r["code"]) for r in rows] == [
        ("chamber of commerce", "sg", "BUS"), ("chambers of commerce", "pl", "BUS"),
        ("islamic front", "sg", "MILREB"),  # a trailing "_" stops the plural
        ("lawmaker", "sg", "LEG"),  # "{}": no plural
        ("policeman", "sg", "COP"), ("policemen", "pl", "COP"),  # !PERSON! substitution, no extra plural
        ("protester", "sg", "OPP"), ("protesters", "pl", "OPP"),  # listed again as REB: the first wins
        ("soldier", "sg", "MIL"), ("soldiers", "pl", "MIL"),
        ("truce monitor", "sg", "IGO"), ("truce monitors", "pl", "IGO"),
    ]
    assert rows[0]["source"] == "Phoenix.agents.txt:7" and rows[0]["language"] == "en"
    assert "agent lines skipped: no code: 1" in report


def test_outputs_are_deterministic_and_carry_provenance(invented, tmp_path):
    out, _ = invented
    again = tmp_path / "again"
    assert gl.main(["--petrarch", str(tmp_path / "petrarch"), "--out", str(again)]) == 0
    for name in ("verbs.csv", "agents.csv", "README.md", "LICENSE"):
        assert (out / name).read_bytes() == (again / name).read_bytes()
    assert b"\r\n" not in (out / "verbs.csv").read_bytes()
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "openeventdata/petrarch2" in readme and "676801c" in readme and "generate_lexicon.py" in readme
    assert (out / "LICENSE").read_text(encoding="utf-8").startswith("The MIT License")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_missing_input_is_one_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT), "--petrarch", str(tmp_path / "nowhere"),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "missing input" in result.stderr
    assert not (tmp_path / "out").exists()


def test_english_morphology():
    assert [gl.past_tense(v, None) for v in ("attack", "seize", "ban", "deploy", "try", "expel", "cast")] == [
        "attacked", "seized", "banned", "deployed", "tried", "expelled", "cast"]
    assert gl.past_tense("speed", ["speeding", "speeds", "sped"]) == "sped"
    assert gl.past_tense("put", ["puts", "putting"]) == "put"
    assert gl.noun_forms("SANCTIONS") == ["sanction", "sanctions"]
    assert gl.noun_forms("rally") == ["rally", "rallies"]
    assert gl.noun_forms("crisis") == ["crisis", "crises"]
    assert gl.parse_code(" 042:043 ") == ("042", "")
    assert gl.parse_code(":173")[0] is None and gl.parse_code("---")[0] is None


# ---- the real dictionaries -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not PETRARCH.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{PETRARCH} is missing on CI")
        pytest.skip(f"{PETRARCH} is not here")
    out = tmp_path_factory.mktemp("lexicon")
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def test_committed_files_are_what_the_script_makes(real):
    for name in ("verbs.csv", "agents.csv", "README.md", "LICENSE"):
        assert (real / name).read_bytes() == (GENERATED / name).read_bytes(), f"regenerate {name}"


def test_real_dictionary_sanity(real):
    rows = _read(real / "verbs.csv")
    codes = {r["code"] for r in _read(ROOT / "kg" / "data" / "cameo_event_codes.csv")}
    assert len(rows) > 3_000 and all(r["code"] in codes for r in rows)
    assert all(r["source"].startswith("CAMEO.2.0.txt:") and r["language"] == "en" for r in rows)
    bare = {r["verb"]: r for r in rows if not (r["particle"] or r["preps"] or r["objects"])}
    assert bare["arrest"]["code"].startswith("17") and bare["detain"]["code"].startswith("17")
    assert bare["attack"]["code"][:2] in ("18", "19") and bare["shell"]["code"][:2] in ("18", "19")
    assert bare["meet"]["code"].startswith("04") and bare["meet"]["symmetric"] == "yes"
    assert bare["expel"]["code"][:2] in ("16", "17")
    assert any(r["verb"] == "fire" and r["preps"] == "at" and r["code"].startswith("19") for r in rows)
    agents = {r["form"]: r for r in _read(real / "agents.csv")}
    assert agents["protester"]["code"] == "OPP" and agents["protesters"]["number"] == "pl"
    assert agents["lawmaker"]["code"] == "LEG" and agents["police"]["code"] == "COP"
    assert all(r["code"] and "~" not in r["code"] and r["form"] == r["form"].lower() for r in agents.values())
