"""A corpus as real feeds deliver it: good articles mixed with empty files, bare headlines and
binary files, files reached twice, the build's own output folder inside the input folder, and
sentences longer than the csv module's field limit. The build skips what it cannot read, says
so, lists it, and goes on; every command reads every row the build wrote."""
from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from kg.cli import main


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
