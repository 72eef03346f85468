"""Terminal escapes in file names, titles and actor labels reach the terminal as text, never raw
(kg.util.display.printable on every human-facing path); machine formats keep the data exact."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.cli import main

OSC = "\x1b]0;owned\x07"  # sets the terminal's title
SGR = "\x1b[31m"  # colours what follows red
TITLE = f"Talks {OSC} in {SGR}red"
LABEL = f"Jane {OSC}Roe{SGR}"
RAW = ("\x1b", "\x07")


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def shown(text: str) -> str:
    return text.replace("\x1b", "\\x1b").replace("\x07", "\\x07")


def assert_no_raw(text: str) -> None:
    assert not any(c in text for c in RAW), repr(text)


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    """A build whose file names, title, actor label and output folder hold terminal escapes; an
    article with an impossible date makes a warning that names its file."""
    root = tmp_path_factory.mktemp("escapes")
    src = root / "src"
    src.mkdir()
    (src / f"a{OSC}b{SGR}.txt").write_text(
        f"Title: {TITLE}\nDate: 2025-02-01\n\nNew Zealand's foreign minister met Wang Yi in Beijing.\n",
        encoding="utf-8")
    (src / f"c{OSC}d.txt").write_text("Title: t\nDate: 2025-13-45\n\nJapan praised India on Monday.\n",
                                      encoding="utf-8")
    actors = root / "actors.csv"
    actors.write_text("id,label,type,country,role,aliases,office,start,end,gender\n"
                      f"jane-roe,{LABEL},person,NZL,GOV,Roe,foreign minister,2024-01-01,,f\n", encoding="utf-8")
    out = root / f"out{SGR}"
    result = kg("build", str(src), "--out", str(out), "--no-html", "--actors", str(actors))
    assert result.exit_code == 0, result.output
    return out, result


def test_printable():
    from kg.util.display import printable

    assert printable(TITLE) == "Talks \\x1b]0;owned\\x07 in \\x1b[31mred"
    assert printable("a\x9bb\x7fc\x00d\ne\tf\rg") == "a\\x9bb\\x7fc\\x00d\\ne\\tf\\rg"  # C1, DEL, C0
    assert printable("one\ntwo\x1b", keep="\n") == "one\ntwo\\x1b"
    assert printable("Kim Jong-un, Pyongyang: café, 北京") == "Kim Jong-un, Pyongyang: café, 北京"


def test_build_warnings_and_summary_show_escapes(tricky):
    out, result = tricky
    assert_no_raw(result.stderr)
    assert_no_raw(result.stdout)
    warning = next(line for line in result.stderr.splitlines() if line.startswith("warning:"))
    assert shown(f"c{OSC}d.txt") in warning and "is not a real date" in warning
    assert shown(f"wrote {out}/") in result.stdout and "warnings: 1 (date 1)" in result.stdout


def test_query_table_shows_escapes_and_csv_json_keep_the_data(tricky):
    out, _ = tricky
    query = "SELECT ?t WHERE { ?a <http://purl.org/dc/terms/title> ?t FILTER(STRSTARTS(?t, 'Talks')) }"
    table = kg("query", "--out", str(out), query)
    assert table.exit_code == 0, table.output
    assert_no_raw(table.stdout)
    assert shown(TITLE) in table.stdout
    as_csv = kg("query", "--out", str(out), "--format", "csv", query)
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["t"], [TITLE]]
    as_json = kg("query", "--out", str(out), "--format", "json", query)
    assert json.loads(as_json.stdout) == [{"t": TITLE}]


def test_export_keeps_the_data_exact(tricky):
    out, _ = tricky
    result = kg("export", "--out", str(out), "--format", "nt")
    assert result.exit_code == 0, result.output
    assert_no_raw(result.stdout)  # N-Triples writes them as \u001B
    titles = {str(o) for o in Graph().parse(data=result.stdout, format="nt").objects(
        None, URIRef("http://purl.org/dc/terms/title"))}
    assert TITLE in titles


def test_analyze_shows_labels_escaped_and_dyad_csv_keeps_them(tricky):
    out, _ = tricky
    report = kg("analyze", "--out", str(out))
    assert report.exit_code == 0, report.output
    assert_no_raw(report.stdout)
    assert shown(LABEL) in report.stdout
    table = kg("analyze", "--out", str(out), "dyad", LABEL, "Wang Yi")
    assert table.exit_code == 0, table.output
    assert_no_raw(table.stdout)
    assert shown(LABEL) in table.stdout
    rows = list(csv.DictReader(io.StringIO(kg("analyze", "--out", str(out), "dyad", LABEL, "Wang Yi",
                                              "--format", "csv").stdout)))
    assert rows and LABEL in rows[0]["dyad"]


@pytest.mark.parametrize("args,message", [
    (("query", "--out", f"nowhere{OSC}", "ASK { ?s ?p ?o }"), f"nowhere{OSC}"),
    (("query", "--out", "nowhere", f"SELECT {SGR} WHERE {{ }}"), "malformed SPARQL query"),
    (("build", f"missing{OSC}.txt", "--out", "nowhere"), f"missing{OSC}.txt"),
    (("eval", f"gold{SGR}.csv", "--events", f"events{OSC}.csv"), f"events{OSC}.csv"),
])
def test_errors_show_escapes_on_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = kg(*args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert_no_raw(result.stderr)
    assert shown(message) in result.stderr and len(result.stderr.strip().splitlines()) == 1
