"""A corpus as real feeds deliver it: good articles mixed with empty files, bare headlines and
binary files, files reached twice, the build's own output folder inside the input folder, and
sentences longer than the csv module's field limit. The build skips what it cannot read, says
so, lists it, and goes on; every command reads every row the build wrote."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.driver import build
from kg.cli import main
from tests.servers import child_processes

COUNTRIES = ["Japan", "India", "Brazil", "Kenya", "Norway", "Chile", "Egypt", "Canada", "Peru", "Ghana",
             "Mexico", "Spain", "Vietnam", "Poland", "Morocco", "Sweden", "Nigeria", "Turkey", "Greece", "Jordan"]
#: Invented reports, one per pair of countries.
ARTICLE = ("Title: {a} and {b} talk about fisheries\nDate: 2021-03-{day:02d}\n\n"
           "{a} praised {b} on Monday for its help after the floods. "
           "The foreign minister of {a} met officials of {b} in the capital on Tuesday.\n")
#: What a feed also holds: an empty file, a headline with no report under it, a binary file.
BAD = {"empty.txt": b"",
       "headline.txt": b"Title: Coastal states sign fisheries pact\nDate: 2021-03-30\n\n",
       "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4}


def write_corpus(folder: Path, *, good: int = 20, bad: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(good):
        a, b = COUNTRIES[i], COUNTRIES[(i + 7) % len(COUNTRIES)]
        (folder / f"a{i:02d}.txt").write_text(ARTICLE.format(a=a, b=b, day=i + 1), encoding="utf-8")
    if bad:
        for name, data in BAD.items():
            (folder / name).write_bytes(data)


def kg_cmd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` as a user runs it, from `cwd`."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def skipped_rows(out: Path) -> list[dict[str, str]]:
    with (out / "skipped.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def article_count(out: Path) -> int:
    with (out / "graph.trig").open(encoding="utf-8") as fh:  # one dip:Article per article graph
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(fh, format="trig")
    return len(set(ds.query("PREFIX dip: <https://w3id.org/kg-dip/ontology#> "
                            "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a dip:Article } }")))


def test_bad_files_are_skipped_listed_and_the_output_folder_inside_the_input_is_not_read(tmp_path, monkeypatch):
    write_corpus(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    # the folder, a file in it, and the same file again; the output inside the input folder
    args = ["build", "corpus", "corpus/a03.txt", "./corpus/a03.txt", "--out", "corpus/out", "--processes", "1"]
    for attempt in (1, 2):  # the second build finds graph.html, events.csv, skipped.csv, .kg/ in corpus/out
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "20 article(s)" in result.output and "3 input(s) skipped" in result.output, result.output
        for name in BAD:
            assert sum(f"corpus/{name}:" in line and "skipped" in line
                       for line in result.output.splitlines()) == 1, result.output
        assert "out/" not in "".join(ln for ln in result.output.splitlines() if ln.startswith("warning")), attempt
        out = tmp_path / "corpus" / "out"
        assert {r["path"]: r["reason"] for r in skipped_rows(out)} == {
            "corpus/binary.txt": "looks like a binary file, not an article (NUL byte at 8)",
            "corpus/empty.txt": "the file is empty",
            "corpus/headline.txt": "no article text found after the title and byline"}
        assert article_count(out) == 20
        with (out / "events.csv").open(encoding="utf-8", newline="") as fh:
            assert {r["article_id"] for r in csv.DictReader(fh)} == {f"a{i:02d}" for i in range(20)}
    assert (out / "skipped.csv").is_symlink()  # published with the build, like the other outputs
    prov = CliRunner().invoke(main, ["query", "--out", "corpus/out", "--format", "json",
                                     "PREFIX dip: <https://w3id.org/kg-dip/ontology#> SELECT ?n ?s WHERE "
                                     "{ ?b dip:skippedInputs ?n ; dip:skippedInput ?s }"])
    assert prov.exit_code == 0, prov.output
    rows = json.loads(prov.output)
    assert {r["n"] for r in rows} == {"3"} and {r["s"] for r in rows} == {
        "corpus/binary.txt: looks like a binary file, not an article (NUL byte at 8)",
        "corpus/empty.txt: the file is empty",
        "corpus/headline.txt: no article text found after the title and byline"}


def test_a_file_reached_twice_is_read_once(tmp_path, monkeypatch):
    write_corpus(tmp_path / "corpus", good=3, bad=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "corpus/a01.txt", "corpus", "corpus/a01.txt",
                                       "./corpus/../corpus/a02.txt", "corpus/*.txt", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert "3 article(s)" in result.output and "warning:" not in result.output, result.output
    assert skipped_rows(tmp_path / "out") == []
    assert article_count(tmp_path / "out") == 3


def test_the_output_folder_inside_the_input_folder_is_never_read(tmp_path, monkeypatch):
    write_corpus(tmp_path / "corpus", good=3, bad=False)
    monkeypatch.chdir(tmp_path)
    for out in ("corpus/out", "corpus"):  # below the input folder, and the input folder itself
        for attempt in (1, 2):
            result = CliRunner().invoke(main, ["build", "corpus", "--out", out])
            assert result.exit_code == 0, (out, attempt, result.output)
            assert "3 article(s)" in result.output and "warning:" not in result.output, (out, attempt, result.output)
            assert article_count(tmp_path / out) == 3
        (tmp_path / out / "timeline.html").write_text("<html><body><p>A chart.</p></body></html>")  # kg viz --timeline
        result = CliRunner().invoke(main, ["build", "corpus", "--out", out])
        assert result.exit_code == 0 and "3 article(s)" in result.output, result.output


def test_a_corpus_with_no_good_file_fails_in_one_line_and_publishes_nothing(tmp_path):
    write_corpus(tmp_path / "corpus", good=0)
    proc = kg_cmd("build", "corpus", "--out", "out", cwd=tmp_path)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[-1] == ("Error: none of the 3 inputs holds an article that can be read (each skipped, see the "
                         "warnings above); nothing was built"), proc.stderr
    assert sorted(lines[:-1]) == ["warning: corpus/binary.txt: looks like a binary file, not an article (NUL byte "
                                  "at 8); skipped",
                                  "warning: corpus/empty.txt: the file is empty; skipped",
                                  "warning: corpus/headline.txt: no article text found after the title and byline; "
                                  "skipped"]
    assert not (tmp_path / "out").exists()
    one = kg_cmd("build", "corpus/empty.txt", "--out", "out", cwd=tmp_path)  # one input: its own message alone
    assert one.returncode != 0 and one.stderr.strip() == "Error: corpus/empty.txt: the file is empty", one.stderr
    assert not (tmp_path / "out").exists()


def test_strict_stops_at_the_first_bad_file(tmp_path):
    write_corpus(tmp_path / "corpus")
    proc = kg_cmd("build", "corpus", "--strict", "--out", "out", cwd=tmp_path)
    assert proc.returncode != 0
    assert proc.stderr.strip() == ("Error: corpus/binary.txt: looks like a binary file, not an article (NUL byte "
                                   "at 8)"), proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_bad_command_line_still_stops_at_once(tmp_path):
    write_corpus(tmp_path / "corpus", good=1)
    proc = kg_cmd("build", "corpus", "missing.txt", "--out", "out", cwd=tmp_path)
    assert proc.returncode != 0 and proc.stderr.strip() == "Error: missing.txt: no such file or directory"
    proc = kg_cmd("build", "corpus", "--processes", "0", "--out", "out", cwd=tmp_path)
    assert proc.returncode != 0 and "--processes 0" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lists child processes with ps --ppid")
def test_processes_are_capped_by_the_cores_and_the_batches(tmp_path):
    write_corpus(tmp_path / "corpus", bad=False)
    already = child_processes(os.getpid())  # servers other tests of the session started are not the build's
    most = [0]

    def progress(done: int, total: int) -> None:
        most[0] = max(most[0], len(child_processes(os.getpid()) - already))

    res = build([str(tmp_path / "corpus")], tmp_path / "out", n_process=64, batch_size=8,
                progress=progress)
    assert res.articles == 20
    assert 1 <= most[0] <= min(os.cpu_count() or 1, 3)  # 20 articles in batches of 8: 3 batches


def test_a_sentence_over_the_csv_field_limit_is_read_by_every_command(copy_of_seed_build, tmp_path):
    """The events table is read by `kg viz`, `kg analyze`, `kg export` and `kg eval`: a row whose
    sentence is longer than the csv module's default limit (131,072 characters) reads like any."""
    table = (copy_of_seed_build / "events.csv").resolve()
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    long_sentence = "Japan praised India, " + "and the delegates of the coastal states talked on " * 4000
    assert len(long_sentence) > 140_000
    rows.append({**rows[0], "event_id": rows[0]["event_id"] + "-long", "sentence": long_sentence})
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    out = str(copy_of_seed_build)
    exported = CliRunner().invoke(main, ["export", "--out", out, "--format", "events-jsonl"])
    assert exported.exit_code == 0, exported.output
    assert long_sentence in [json.loads(line)["sentence"] for line in exported.output.splitlines()]
    as_csv = CliRunner().invoke(main, ["export", "--out", out, "--format", "events-csv"])
    assert as_csv.exit_code == 0 and long_sentence in as_csv.output
    viz = CliRunner().invoke(main, ["viz", "--out", out, "-o", str(tmp_path / "view.html")])
    assert viz.exit_code == 0, viz.output
    assert "and the delegates of the coastal states talked on" in (tmp_path / "view.html").read_text(encoding="utf-8")
    analyzed = CliRunner().invoke(main, ["analyze", "--out", out])
    assert analyzed.exit_code == 0 and "degree centrality" in analyzed.output, analyzed.output
    scored = CliRunner().invoke(main, ["eval", "--events", str(table), str(tmp_path / "no-gold")])
    assert "field larger than field limit" not in scored.output and "Traceback" not in scored.output


def test_a_paragraph_with_no_sentence_end_is_cut_into_sentences_the_parser_keeps(nlp):
    """Every step that climbs a parse costs the square of an endless sentence: a run with no break
    is cut after a comma past LONG_SENTENCE words (benchmarks/long_article.py times the stages)."""
    from kg.nlp import LONG_SENTENCE, LONGEST_SENTENCE

    clauses = [f"the envoy of {COUNTRIES[i % 20]} praised {COUNTRIES[(i + 3) % 20]} over fisheries on Monday"
               for i in range(400)]
    doc = nlp("The " + ", and ".join(clauses)[4:] + ".")
    lengths = [len(s) for s in doc.sents]
    assert len(doc) > 10 * LONG_SENTENCE and max(lengths) <= LONGEST_SENTENCE + 1, lengths
    assert all(s[-1].text in (",", ".") for s in doc.sents), [s[-1].text for s in doc.sents]
    short = nlp("Japan praised India on Monday, and " + ", and ".join(clauses[:5]) + ".")
    assert len(list(short.sents)) == 1  # an ordinary long sentence is left whole
