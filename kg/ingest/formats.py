"""An article from the text of one input: plain text (with a `Key: value` header, or a news page
copied as text), an HTML page (through trafilatura) or a line of JSON Lines. Only the report's own
words go into `Article.text`: bylines, photo credits, font-size buttons and other site chrome are
dropped, and a dateline ("SEOUL --") is kept aside as a place."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.knowledge import word_map, word_sequence
from kg.records import Article

#: Warnings (a date not understood ...) go to this logger, each with `extra={"kind": ...}`; the CLI
#: prints them and counts them by kind. A warning never stops a build.
log = logging.getLogger("kg.ingest")


@dataclass(frozen=True)
class Skipped:
    """An input a build passed over (empty, unreadable, not text, not an article ...) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    @classmethod
    def of(cls, path: str, exc: InputError) -> Skipped:
        """The skip of `path` for the error `exc`, whose message names it first."""
        message = str(exc)
        return cls(path, message[len(path) + 2:] if message.startswith(f"{path}: ") else message)


def warn(kind: str, message: str) -> None:
    """Report a problem that does not stop the build (one line naming the input)."""
    log.warning(message, extra={"kind": kind})


def _alternatives(name: str) -> str:
    """The words of a list of `kg/data/words.csv` as a regex alternation, in the file's order."""
    return "|".join(re.escape(w) for w in word_sequence(name))


_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}):\s*(.*)$")
#: Header key -> the `Article` field it fills ("headline" -> "title"); "" for keys read and ignored.
_HEADER_KEYS = word_map("ingest_header_keys")
#: The fields a header line can fill that make the lines before the first blank line a header (any one
#: is enough): title, published, source, url; a header of ids or authors alone is not one.
_HEADER_FIELDS = {field for field in _HEADER_KEYS.values() if field and field != "id"}
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


def _first_date(text: str) -> tuple[str, str]:
    """(ISO date, "") for the first date written in `text`; ("", what is wrong) when there is none."""
    months = [x[:3] for x in _MONTHS]
    found: list[tuple[int, int, int]] = []
    if m := _ISO_DATE.search(text):
        found.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
    elif m := _WRITTEN_DATE.search(text):
        found.append((int(m.group(3)), months.index(m.group(1)[:3].lower()) + 1, int(m.group(2))))
    elif m := _DAY_FIRST_DATE.search(text):
        found.append((int(m.group(3)), months.index(m.group(2)[:3].lower()) + 1, int(m.group(1))))
    if not found:
        return "", "not a date kg reads (write it as 2019-01-24 or January 24, 2019)"
    y, mo, d = found[0]
    try:
        return dt.date(y, mo, d).isoformat(), ""
    except ValueError as exc:
        return "", f"not a real date ({exc})"


def normalize_date(text: str) -> str:
    """The first date written in `text` as ISO YYYY-MM-DD, or "" (none, or an impossible one)."""
    return _first_date(text)[0]


def published_date(raw: str, where: str) -> str:
    """A publication date given as such (a `Date:` header, a JSON field): ISO, or "" with a warning
    naming the input when it is not understood or impossible (the article is then undated)."""
    if not raw.strip():
        return ""
    iso, problem = _first_date(raw)
    if problem:
        warn("date", f"{where}: date {raw.strip()!r} is {problem}; the article is undated")
    return iso


def is_chrome(line: str, *, bylines: bool = True) -> bool:
    """True for lines that are site furniture or credits rather than the report's words.

    With `bylines=False` (text that came with a header, whose metadata is already known) no line
    is taken for a byline: "Russia updated its doctrine on Tuesday, reporters were told." stays."""
    stripped = line.strip()
    if not stripped:
        return True
    if not re.search(r"[A-Za-z]", stripped):
        return True  # e.g. Korean font-size buttons, separators
    if _CREDIT.search(stripped):
        return True
    words = stripped.split()
    if bylines and _BYLINE.search(stripped) and (len(words) <= 14 or normalize_date(stripped)):
        return True
    if len(words) <= 3 and not re.search(r"[.!?\"”]$", stripped):
        return True  # "Share", "Advertisement", "Read more"
    return False


def _body(paragraphs: list[str], *, strip_chrome: bool = True, bylines: bool = True) -> tuple[str, str]:
    """Join kept paragraphs into the body, taking a leading dateline off the first one."""
    kept = [re.sub(r"\s+", " ", p).strip() for p in paragraphs
            if p.strip() and not (strip_chrome and is_chrome(p, bylines=bylines))]
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
    has_header = bool(_HEADER_FIELDS & set(meta)) and header_end > 0
    if has_header:  # any of Title:, Date:, Source:, URL: makes a header
        body_text = "\n".join(lines[header_end + 1:])
        title = meta.get("title", "")
        published = published_date(meta.get("published", ""), path)
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
    paragraphs = [line for p in _paragraphs(body_text) for line in _split_lines(p, bylines=not has_header)]
    body, dateline = _body(paragraphs, bylines=not has_header)
    if not body:
        raise InputError(f"{path}: no article text found after the title and byline")
    return Article(id=meta.get("id", article_id) if has_header else article_id, title=title, published=published,
                   source=meta.get("source", ""), url=meta.get("url", ""), text=body, path=path,
                   dateline=dateline)


def _split_lines(paragraph: str, *, bylines: bool = True) -> list[str]:
    """A paragraph whose lines are each chrome-or-not is judged line by line (bylines, credits)."""
    lines = [ln for ln in paragraph.split("\n") if ln.strip()]
    if len(lines) > 1 and any(is_chrome(ln, bylines=bylines) for ln in lines):
        return lines
    return [" ".join(ln.strip() for ln in lines)]


def parse_html(html: str, *, article_id: str, path: str) -> Article:
    """HTML page through trafilatura: the main text without navigation, cookie banners, related
    stories, comments or newsletter pitches; title, site and URL from the page's metadata; the date
    from JSON-LD, meta tags, the URL or the page (htmldate). A fragment too small for trafilatura to
    judge (an HTML snippet in a JSON Lines record) is read as it is: its paragraphs are the text."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                          include_images=False, favor_precision=True, deduplicate=False)
    except (ValueError, TypeError, RecursionError):  # lxml refuses some broken documents
        doc = None
    title = (getattr(doc, "title", None) or "").strip()
    lines = (getattr(doc, "text", None) or "").split("\n")
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]  # the headline, repeated as the first line of the text
    if not any(line.strip() for line in lines):
        lines = _fragment_paragraphs(html)
    body, dateline = _body(lines)
    if not body:
        raise InputError(f"{path}: no article paragraphs found in the HTML")
    return Article(id=article_id, title=title, published=normalize_date(getattr(doc, "date", None) or ""),
                   source=(getattr(doc, "sitename", None) or "").strip(), url=(getattr(doc, "url", None) or "").strip(),
                   text=body, path=path, dateline=dateline)


def _fragment_paragraphs(html: str) -> list[str]:
    """The text of each block of a small HTML fragment (scripts and styles dropped)."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError, AssertionError):  # lxml asserts on a page with no body ("<html>")
        return []
    for node in root.xpath("//script|//style|//noscript"):
        node.drop_tree()
    blocks = root.xpath("//p|//li|//h1|//h2|//h3|//blockquote")
    texts = [" ".join(b.text_content().split()) for b in blocks] if blocks else _paragraphs(root.text_content())
    return [t for t in texts if t]


def parse_jsonl(text: str, path: str, *, on_skip: Callable[[Skipped], None] | None = None) -> Iterator[Article]:
    """JSON Lines: one object per line with `id` and `text` (or `body`/`content`). A bad line stops
    the reading, or with `on_skip` is reported to it and passed over."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            article = _jsonl_record(line, where, path, lineno)
        except InputError as exc:
            if on_skip is None:
                raise
            on_skip(Skipped.of(where, exc))
            continue
        yield article


def _jsonl_record(line: str, where: str, path: str, lineno: int) -> Article:
    """One line of a JSON Lines file as an article (`where`: the file and line, for messages)."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: the JSON is nested too deeply to be an article record") from None
    if not isinstance(rec, dict):
        raise InputError(f"{where}: each line must be a JSON object")
    raw = rec.get("text") or rec.get("body") or rec.get("content") or ""
    if not isinstance(raw, str) or not raw.strip():
        raise InputError(f"{where}: the record has no text (give a 'text' field)")
    art_id = rec.get("id")
    if isinstance(art_id, (dict, list)):
        raise InputError(f"{where}: the record's 'id' must be a string or a number")
    art_id = str(art_id) if art_id not in (None, "") else f"{Path(path).stem}-{lineno}"
    if rec.get("html") or raw.lstrip().startswith("<"):
        parsed = parse_html(raw, article_id=art_id, path=where)
        body, dateline = parsed.text, parsed.dateline
    else:
        body, dateline = _body(_paragraphs(raw), strip_chrome=False)  # records carry clean text
    if not body:
        raise InputError(f"{where}: the record's text is empty after cleaning")
    return Article(id=art_id, title=str(rec.get("title") or ""),
                  published=published_date(str(rec.get("published") or rec.get("date") or ""), where),
                  source=str(rec.get("source") or ""), url=str(rec.get("url") or ""),
                  text=body, path=where, dateline=dateline)
