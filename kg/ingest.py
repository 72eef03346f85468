"""Read articles from plain text, HTML and JSON Lines into `Article` records.

Only the report's own words go into `Article.text`: bylines, photo credits, font-size buttons
and other site chrome are dropped, and a dateline ("SEOUL --") is kept aside as a place.
"""
from __future__ import annotations

import glob
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.knowledge import word_map, word_sequence
from kg.records import Article

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson")


def _alternatives(name: str) -> str:
    """The words of a list of `kg/data/words.csv` as a regex alternation, in the file's order."""
    return "|".join(re.escape(w) for w in word_sequence(name))


_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):\s*(.*)$")
#: Header key -> the `Article` field it fills ("headline" -> "title"); "" for keys read and ignored.
_HEADER_KEYS = word_map("ingest_header_keys")
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)[-/.](\d\d?)[-/.](\d\d?)(?!\d)")
_MONTHS = word_sequence("dates_months")
_WRITTEN_DATE = re.compile(
    r"\b(" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b", re.I)
_DAY_FIRST_DATE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(m[:3] for m in _MONTHS) + r")[a-z]*\.?,?\s+((?:19|20)\d\d)\b", re.I)
#: A byline: a line with "posted", "reporter", ... or one starting "By".
_BYLINE = re.compile(r"\b(" + _alternatives("ingest_byline_words") + r")\b"
                     r"|^(?:" + _alternatives("ingest_byline_starts") + r")\s", re.I)
#: A photo credit: a bracketed line naming a photo or an agency ("[KCNA / Yonhap Photo]"), or a
#: line starting "Photo:", "Photo by" or "Image credit".
_CREDIT = re.compile(r"^\s*[\[(].*\b(" + _alternatives("ingest_credit_words") + r")\b.*[\])]\s*$"
                     r"|^\s*(" + _alternatives("ingest_credit_starts") + r")\s*(:|"
                     + _alternatives("ingest_credit_markers") + ")", re.I)
_DATELINE = re.compile(r"^([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:,\s*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)*)?)"
                       r"\s*(?:--|—|–|-)\s+")


def read_articles(inputs: Iterable[str], *, encoding: str = "utf-8") -> list[Article]:
    """Read every article named by `inputs` (files, directories, globs, or "-" for stdin).

    >>> [a.id for a in read_articles(["seeds/"])]  # doctest: +SKIP
    ['000_fd245a2f0af1f295']
    """
    articles: list[Article] = []
    for path in _expand(inputs):
        if path == "-":
            articles.extend(_read_stdin(encoding))
        else:
            articles.extend(read_file(path, encoding=encoding))
    seen: dict[str, str] = {}
    for art in articles:
        if art.id in seen:
            raise InputError(f"{art.path}: article id {art.id!r} is also used by {seen[art.id]}; ids must be unique")
        seen[art.id] = art.path
    if not articles:
        raise InputError(f"{', '.join(inputs) or '(no input)'}: no articles found "
                         f"(looked for {' '.join(ARTICLE_SUFFIXES)} files)")
    return articles


def _expand(inputs: Iterable[str]) -> Iterator[str]:
    for item in inputs:
        if item == "-":
            yield item
        elif os.path.isdir(item):
            found = sorted(str(p) for p in Path(item).rglob("*")
                           if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith("."))
            yield from found
        elif os.path.exists(item):
            yield item
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            yield from matches
        else:
            raise InputError(f"{item}: no such file or directory")


def _decode(data: bytes, source: str, encoding: str) -> str:
    if not data.strip():
        raise InputError(f"{source}: the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{source}: looks like a binary file, not an article (NUL byte at {data.index(0)})")
    try:
        return data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not {encoding} text (byte 0x{data[exc.start]:02x} at {exc.start}); "
                         f"convert it or pass --encoding") from None


def read_file(path: str, *, encoding: str = "utf-8") -> list[Article]:
    """Read one file; JSON Lines files give one article per line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = _decode(data, path, encoding)
    suffix = Path(path).suffix.lower()
    stem = Path(path).stem
    if suffix in (".jsonl", ".ndjson"):
        return list(parse_jsonl(text, path))
    if suffix in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", text[:200], re.I):
        return [parse_html(text, article_id=stem, path=path)]
    return [parse_text(text, article_id=stem, path=path)]


def _read_stdin(encoding: str) -> list[Article]:
    text = _decode(sys.stdin.buffer.read(), "<stdin>", encoding)
    first = text.lstrip()[:1]
    if first == "{":
        return list(parse_jsonl(text, "<stdin>"))
    if first == "<":
        return [parse_html(text, article_id="stdin", path="<stdin>")]
    return [parse_text(text, article_id="stdin", path="<stdin>")]


def normalize_date(text: str) -> str:
    """The first date written in `text` as ISO YYYY-MM-DD, or ""."""
    m = _ISO_DATE.search(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _WRITTEN_DATE.search(text)
    if m:
        mo = [x[:3] for x in _MONTHS].index(m.group(1)[:3].lower()) + 1
        return f"{int(m.group(3)):04d}-{mo:02d}-{int(m.group(2)):02d}"
    m = _DAY_FIRST_DATE.search(text)
    if m:
        mo = [x[:3] for x in _MONTHS].index(m.group(2)[:3].lower()) + 1
        return f"{int(m.group(3)):04d}-{mo:02d}-{int(m.group(1)):02d}"
    return ""


def is_chrome(line: str) -> bool:
    """True for lines that are site furniture or credits rather than the report's words."""
    stripped = line.strip()
    if not stripped:
        return True
    if not re.search(r"[A-Za-z]", stripped):
        return True  # e.g. Korean font-size buttons, separators
    if _CREDIT.search(stripped):
        return True
    words = stripped.split()
    if _BYLINE.search(stripped) and (len(words) <= 14 or normalize_date(stripped)):
        return True
    if len(words) <= 3 and not re.search(r"[.!?\"”]$", stripped):
        return True  # "Share", "Advertisement", "Read more"
    return False


def _body(paragraphs: list[str], *, strip_chrome: bool = True) -> tuple[str, str]:
    """Join kept paragraphs into the body, taking a leading dateline off the first one."""
    kept = [re.sub(r"\s+", " ", p).strip() for p in paragraphs if p.strip() and not (strip_chrome and is_chrome(p))]
    dateline = ""
    if kept:
        m = _DATELINE.match(kept[0])
        if m and len(m.group(1)) <= 40:
            dateline = m.group(1).title()
            kept[0] = kept[0][m.end():]
    return "\n\n".join(p for p in kept if p), dateline


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text.replace("\r\n", "\n")) if p.strip()]


def parse_text(text: str, *, article_id: str, path: str) -> Article:
    """Plain text: either a `Key: value` header up to the first blank line, or a news page
    copied as text (title line, then byline and chrome, then paragraphs)."""
    lines = text.replace("\r\n", "\n").split("\n")
    meta: dict[str, str] = {}
    header_end = 0
    for i, line in enumerate(lines):
        if not line.strip():
            header_end = i
            break
        m = _HEADER_LINE.match(line)
        if not m or m.group(1).strip().lower() not in _HEADER_KEYS:
            meta = {}
            break
        key = _HEADER_KEYS[m.group(1).strip().lower()]
        if key:
            meta[key] = m.group(2).strip()
    if meta.get("title"):
        body_text = "\n".join(lines[header_end + 1:])
        title = meta["title"]
        published = normalize_date(meta.get("published", ""))
    else:
        paras = _paragraphs(text)
        title_lines = paras[0].strip().split("\n") if paras else [""]
        if len(paras) == 1 and len(title_lines) == 1:
            title_lines = ["", *title_lines]  # one paragraph, no title: it is all body
        title = title_lines[0].strip()
        rest = "\n".join(title_lines[1:])
        body_text = rest + "\n\n" + "\n\n".join(paras[1:])
        published = ""
        for para in _paragraphs(body_text)[:6]:
            for line in para.split("\n"):
                if _BYLINE.search(line) or len(line.split()) <= 12:
                    published = published or normalize_date(line)
    paragraphs = [line for p in _paragraphs(body_text) for line in _split_lines(p)]
    body, dateline = _body(paragraphs)
    if not body:
        raise InputError(f"{path}: no article text found after the title and byline")
    return Article(id=meta.get("id", article_id), title=title, published=published,
                   source=meta.get("source", ""), url=meta.get("url", ""), text=body, path=path,
                   dateline=dateline)


def _split_lines(paragraph: str) -> list[str]:
    """A paragraph whose lines are each chrome-or-not is judged line by line (bylines, credits)."""
    lines = [ln for ln in paragraph.split("\n") if ln.strip()]
    if len(lines) > 1 and any(is_chrome(ln) for ln in lines):
        return lines
    return [" ".join(ln.strip() for ln in lines)]


def parse_html(html: str, *, article_id: str, path: str) -> Article:
    """HTML page: metadata from <meta>/<time>/<title>, body from the <article> paragraphs."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)

    def meta(*names: str) -> str:
        for name in names:
            node = tree.css_first(f'meta[property="{name}"]') or tree.css_first(f'meta[name="{name}"]')
            if node and node.attributes.get("content"):
                return (node.attributes.get("content") or "").strip()
        return ""

    title = meta("og:title", "twitter:title")
    if not title:
        node = tree.css_first("h1") or tree.css_first("title")
        title = node.text(strip=True) if node else ""
    published = meta("article:published_time", "datePublished", "date", "pubdate", "publishdate", "dc.date")
    if not published:
        node = tree.css_first("time[datetime]")
        published = (node.attributes.get("datetime") or "") if node else ""
    link = tree.css_first('link[rel="canonical"]')
    url = meta("og:url") or ((link.attributes.get("href") or "") if link else "")
    source = meta("og:site_name", "publisher", "author")
    for selector in ("script", "style", "noscript", "nav", "header", "footer", "aside", "figure",
                     "figcaption", "form", "button", ".byline", ".credit", ".caption"):
        for node in tree.css(selector):
            node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    paragraphs = [p.text(separator=" ", strip=True) for p in root.css("p")] if root else []
    if not paragraphs and root is not None:
        paragraphs = _paragraphs(root.text(separator="\n"))
    body, dateline = _body(paragraphs)
    if not body:
        raise InputError(f"{path}: no article paragraphs found in the HTML")
    return Article(id=article_id, title=title, published=normalize_date(published), source=source,
                   url=url, text=body, path=path, dateline=dateline)


def parse_jsonl(text: str, path: str) -> Iterator[Article]:
    """JSON Lines: one object per line with `id` and `text` (or `body`/`content`)."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(rec, dict):
            raise InputError(f"{where}: each line must be a JSON object")
        raw = rec.get("text") or rec.get("body") or rec.get("content") or ""
        if not isinstance(raw, str) or not raw.strip():
            raise InputError(f"{where}: the record has no text (give a 'text' field)")
        art_id = str(rec.get("id") or f"{Path(path).stem}-{lineno}")
        if rec.get("html") or raw.lstrip().startswith("<"):
            parsed = parse_html(raw, article_id=art_id, path=where)
            body, dateline = parsed.text, parsed.dateline
        else:
            body, dateline = _body(_paragraphs(raw), strip_chrome=False)  # records carry clean text
        if not body:
            raise InputError(f"{where}: the record's text is empty after cleaning")
        yield Article(id=art_id, title=str(rec.get("title") or ""),
                      published=normalize_date(str(rec.get("published") or rec.get("date") or "")),
                      source=str(rec.get("source") or ""), url=str(rec.get("url") or ""),
                      text=body, path=where, dateline=dateline)


def iter_articles(inputs: Iterable[str], *, encoding: str = "utf-8") -> Iterator[Article]:
    """`read_articles`, lazily: one file at a time, so a build never holds the whole corpus."""
    inputs = list(inputs)
    paths = list(_expand(inputs))  # names only: a missing input fails before any work
    seen: dict[str, str] = {}
    for path in paths:
        for art in _read_stdin(encoding) if path == "-" else read_file(path, encoding=encoding):
            if art.id in seen:
                raise InputError(f"{art.path}: article id {art.id!r} is also used by {seen[art.id]}; "
                                 "ids must be unique")
            seen[art.id] = art.path
            yield art
    if not seen:
        raise InputError(f"{', '.join(inputs) or '(no input)'}: no articles found "
                         f"(looked for {' '.join(ARTICLE_SUFFIXES)} files)")
