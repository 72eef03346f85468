from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import normalize_date, read_articles

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_fd245a2f0af1f295.txt"


def test_seed_article_metadata_and_chrome_removed():
    (art,) = read_articles([str(SEED)])
    assert art.id == "000_fd245a2f0af1f295"
    assert art.title.startswith("Kim orders 'good technical' preparations")
    assert art.published == "2019-01-24"
    assert art.dateline == "Seoul"
    assert art.text.startswith("North Korean leader Kim Jong-un ordered")
    for chrome in ("Reporter", "Posted :", "글씨작게", "[KCNA / Yonhap Photo]", "SEOUL --"):
        assert chrome not in art.text


def test_header_format(tmp_path):
    path = tmp_path / "a1.txt"
    path.write_text("Title: Ministers meet\nDate: 2021-06-02\nSource: Wire\nURL: https://x.example/a\n\n"
                    "By Jane Roe\n\nThe ministers met on Tuesday.\n", encoding="utf-8")
    (art,) = read_articles([str(path)])
    assert (art.id, art.title, art.published, art.source, art.url) == (
        "a1", "Ministers meet", "2021-06-02", "Wire", "https://x.example/a")
    assert art.text == "The ministers met on Tuesday."


def test_html_article(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("""<!doctype html><html><head><title>Site | Talks</title>
      <meta property="og:title" content="Leaders hold talks">
      <meta property="article:published_time" content="2022-03-10T08:00:00Z">
      <meta property="og:site_name" content="Daily Example"></head>
      <body><nav><p>Home News Sport</p></nav><article><p class="byline">By Staff Reporter</p>
      <p>Turkish Foreign Minister Mevlut Cavusoglu met Sergey Lavrov in Antalya.</p>
      <figure><figcaption>Photo: AFP</figcaption></figure>
      <p>The two ministers talked for an hour.</p></article><footer><p>Copyright</p></footer></body></html>""",
                    encoding="utf-8")
    (art,) = read_articles([str(path)])
    assert art.title == "Leaders hold talks"
    assert art.published == "2022-03-10"
    assert art.source == "Daily Example"
    assert art.text == ("Turkish Foreign Minister Mevlut Cavusoglu met Sergey Lavrov in Antalya.\n\n"
                        "The two ministers talked for an hour.")


def test_jsonl_records(tmp_path):
    path = tmp_path / "batch.jsonl"
    recs = [{"id": "r1", "title": "One", "date": "2020-01-02", "text": "Iran warned Israel."},
            {"id": "r2", "title": "Two", "published": "March 5, 2020", "text": "Japan praised India."}]
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    arts = read_articles([str(path)])
    assert [(a.id, a.published) for a in arts] == [("r1", "2020-01-02"), ("r2", "2020-03-05")]


@pytest.mark.parametrize("text,expected", [
    ("Posted : 2019-01-24 08:58", "2019-01-24"),
    ("Published March 14, 2018", "2018-03-14"),
    ("14 March 2018 12:00 GMT", "2018-03-14"),
    ("no date here", ""),
])
def test_normalize_date(text, expected):
    assert normalize_date(text) == expected


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"\x00\x01\x02binary", "binary file"),
    (b"caf\xe9 au lait", r"not utf-8 text \(byte 0xe9 at 3\)"),
])
def test_bad_files_name_the_input(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_articles([str(path)])
    assert str(path) in str(err.value)


def test_missing_path_and_bad_json(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        read_articles([str(tmp_path / "nope.txt")])
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"id": "a", "text": "Iran warned Israel."}\n{not json}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"x.jsonl:2: not valid JSON"):
        read_articles([str(bad)])


def test_a_bare_paragraph_is_all_body(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Putin met Xi Jinping in Moscow on Tuesday.\n", encoding="utf-8")
    (art,) = read_articles([str(path)])
    assert (art.title, art.text) == ("", "Putin met Xi Jinping in Moscow on Tuesday.")
