"""Read articles from plain text, HTML and JSON Lines into `Article` records.

Only the report's own words go into `Article.text`: bylines, photo credits, font-size buttons
and other site chrome are dropped, and a dateline ("SEOUL --") is kept aside as a place.
"""
from __future__ import annotations

import codecs
import datetime as dt
import glob
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.knowledge import word_map, word_sequence
from kg.records import Article

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson")
#: The longest article read, in characters (`--max-chars`): a larger one is refused, not parsed for hours.
MAX_ARTICLE_CHARS = 1_000_000
#: Warnings (a date not understood ...) go to this logger, each with `extra={"kind": ...}`; the CLI
#: prints them and counts them by kind. A warning never stops a build.
log = logging.getLogger("kg.ingest")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


#: Files a build writes into its output folder (besides the hidden `.kg/`): when that folder lies
#: inside an input folder, they are not articles and are passed over without a word.
KG_OUTPUT_FILES = ("store", "graph.ttl", "graph.trig", "events.csv", "graph.html", "skipped.csv", "timeline.html")


@dataclass(frozen=True)
class Skipped:
    """An input a build passed over (empty, unreadable, not text, not an article ...) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


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


def read_articles(inputs: Iterable[str], *, encoding: str = "utf-8",
                  max_chars: int = MAX_ARTICLE_CHARS) -> list[Article]:
    """Read every article named by `inputs` (files, directories, globs, or "-" for stdin).

    >>> [a.id for a in read_articles(["seeds/"])]  # doctest: +SKIP
    ['000_fd245a2f0af1f295']
    """
    return list(iter_articles(inputs, encoding=encoding, max_chars=max_chars))


def _expand(inputs: Iterable[str], exclude: Iterable[str | os.PathLike[str]] = ()) -> Iterator[str]:
    """The files `inputs` name, each once however often it is reached (named twice, or named and
    inside a folder also named); with `exclude` (build output folders), their files are passed over
    when reached through a folder or a pattern. A missing input fails at once."""
    outs = [os.path.realpath(o) for o in exclude]
    seen: set[str] = set()
    for item in inputs:
        if item == "-":
            found: Iterable[str] = [item]
        elif os.path.isdir(item):
            found = (p for p in _walk(item, outs) if not _is_output(p, outs))
        elif os.path.exists(item) or os.path.islink(item):
            found = [item]
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                raise InputError(f"{item}: no file matches this pattern")
            found = (p for p in matches if not _is_output(p, outs))
        else:
            raise InputError(f"{item}: no such file or directory")
        for path in found:
            real = path if path == "-" else os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield path


def _is_output(path: str, outs: Sequence[str]) -> bool:
    """True for a file of a build's output folder: one in `outs`, or any folder with a `.kg/` (its
    `.kg/` itself, or one of the files a build or `kg viz` writes at its top)."""
    real, parent = os.path.realpath(path), os.path.realpath(os.path.dirname(path) or ".")
    if any(real.startswith(os.path.join(out, ".kg", "")) for out in outs):
        return True
    return os.path.basename(path) in KG_OUTPUT_FILES and (parent in outs or _is_build_folder(parent))


def _is_build_folder(folder: str) -> bool:
    """A folder a build wrote into (its `.kg/` holds the build's lock and its builds)."""
    return os.path.isdir(os.path.join(folder, ".kg"))


def _walk(folder: str, outs: Sequence[str] = ()) -> Iterator[str]:
    """The article files under `folder`, sorted; a subfolder that cannot be read is an error, not a
    skip. A build's output folder below `folder` (one of `outs`, or any with a `.kg/`) is not entered."""
    def fail(exc: OSError) -> None:
        raise InputError(f"{exc.filename}: cannot read this folder ({exc.strerror})")

    found: list[str] = []
    seen = {os.path.realpath(folder), *outs}
    for root, dirs, files in os.walk(folder, onerror=fail, followlinks=True):
        # hidden folders are skipped; a linked folder is read once (a link loop ends there)
        dirs[:] = [d for d in dirs if not d.startswith(".") and os.path.realpath(os.path.join(root, d)) not in seen
                   and not _is_build_folder(os.path.join(root, d))]
        seen.update(os.path.realpath(os.path.join(root, d)) for d in dirs)
        found.extend(os.path.join(root, f) for f in files
                     if not f.startswith(".") and Path(f).suffix.lower() in ARTICLE_SUFFIXES)
    yield from sorted(found)


def _regular_file_size(path: str) -> int:
    """The size of `path`, which must be a regular file: a FIFO would hang the build, a device never end."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise InputError(f"{path}: is {kind}, not an article file; pass regular files (or - for stdin)")
    return st.st_size


def _decode(data: bytes, source: str, encoding: str) -> str:
    """Bytes to text: a byte order mark decides the encoding (UTF-8, UTF-16, UTF-32), else `encoding`."""
    if not data.strip():
        raise InputError(f"{source}: the file is empty")
    by_bom = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    if by_bom is None and not wide and b"\x00" in data[:8192]:
        raise InputError(f"{source}: looks like a binary file, not an article (NUL byte at {data.index(0)})")
    try:
        text = data.decode(by_bom or encoding).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not {by_bom or encoding} text (byte 0x{data[exc.start]:02x} at {exc.start}); "
                         f"convert it or pass --encoding") from None
    if not text.strip():
        raise InputError(f"{source}: the file is empty")
    if "\x00" in text[:8192]:
        raise InputError(f"{source}: looks like a binary file, not an article (NUL character)")
    return text


def read_file(path: str, *, encoding: str = "utf-8", max_chars: int = MAX_ARTICLE_CHARS,
              on_skip: Callable[[Skipped], None] | None = None) -> list[Article]:
    """Read one file; JSON Lines files give one article per line (with `on_skip`, a bad line is
    reported to it and passed over, the others read)."""
    size = _regular_file_size(path)
    suffix = Path(path).suffix.lower()
    if suffix not in (".jsonl", ".ndjson") and size > 4 * max_chars + 65536:  # 4: the widest UTF-8 character
        raise InputError(f"{path}: the file has {size:,} bytes, more than an article of {max_chars:,} characters "
                         "can take; split it or raise --max-chars")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text = _decode(data, path, encoding)
    stem = Path(path).stem
    if suffix in (".jsonl", ".ndjson"):
        return list(parse_jsonl(text, path, on_skip=on_skip))
    if suffix in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", text[:200], re.I):
        return [parse_html(text, article_id=stem, path=path)]
    return [parse_text(text, article_id=stem, path=path)]


def _read_stdin(encoding: str) -> list[Article]:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):  # no real file behind stdin (an embedding program's stream)
        mode = 0
    if (stat.S_ISCHR(mode) and not sys.stdin.isatty()) or stat.S_ISBLK(mode):
        raise InputError("<stdin>: is a device, not an article (e.g. < /dev/zero would never end); "
                         "redirect a file or a pipe")
    text = _decode(sys.stdin.buffer.read(), "<stdin>", encoding)
    first = text.lstrip()[:1]
    if first == "{":
        return list(parse_jsonl(text, "<stdin>"))
    if first == "<":
        return [parse_html(text, article_id="stdin", path="<stdin>")]
    return [parse_text(text, article_id="stdin", path="<stdin>")]


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
            on_skip(_skipped(where, exc))
            continue
        yield article


def _skipped(path: str, exc: InputError) -> Skipped:
    """The skip of `path` for the error `exc`, whose message names it first."""
    message = str(exc)
    return Skipped(path, message[len(path) + 2:] if message.startswith(f"{path}: ") else message)


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


def iter_articles(inputs: Iterable[str], *, encoding: str = "utf-8", max_chars: int = MAX_ARTICLE_CHARS,
                  exclude: Iterable[str | os.PathLike[str]] = (),
                  on_skip: Callable[[Skipped], None] | None = None) -> Iterator[Article]:
    """`read_articles`, lazily: one file at a time, so a build never holds the whole corpus.

    Without `on_skip`, the first input that holds no article that can be read stops the reading
    (`InputError`). With it, such an input (unreadable, empty, binary, not text in `encoding`, over
    `max_chars`, no text after its title, an id already read) is handed to `on_skip` and the others
    are read; the skips are held back until an article has been read, so that when none can be,
    one error says so: the input's own message when there was one input, else a count (the skips
    handed to `on_skip` first). A missing input or a bad option is always an error, raised before
    any file is read. `exclude`: build output folders whose files are never read as articles.

    >>> skipped = []
    >>> [a.id for a in iter_articles(["corpus/"], on_skip=skipped.append)]  # doctest: +SKIP
    ['a', 'b']
    >>> skipped  # doctest: +SKIP
    [Skipped(path='corpus/empty.txt', reason='the file is empty')]
    """
    inputs = list(inputs)
    try:
        b"x".decode(encoding)  # LookupError for unknown names and for codecs that are not text (rot13, base64)
    except LookupError:
        raise InputError(f"--encoding {encoding}: not a text encoding Python knows (e.g. utf-8, latin-1, "
                         "utf-16)") from None
    except UnicodeError:
        pass  # a text encoding: one byte is just too short for it (utf-16)
    if max_chars < 1:
        raise InputError(f"--max-chars {max_chars}: the limit must be at least 1")
    paths = list(_expand(inputs, exclude))  # names only: a missing input fails before any work
    held: list[Skipped] = []  # skips before the first article, reported once one is read
    report: Callable[[Skipped], None] = held.append

    def skip(item: Skipped) -> None:
        report(item)

    seen: dict[str, str] = {}
    for path in paths:
        try:
            read = _read_stdin(encoding) if path == "-" else read_file(
                path, encoding=encoding, max_chars=max_chars, on_skip=skip if on_skip else None)
        except InputError as exc:
            if on_skip is None:
                raise
            skip(_skipped("<stdin>" if path == "-" else path, exc))
            continue
        for art in read:
            size = len(art.title) + len(art.text)
            problem = None
            if size > max_chars:
                problem = InputError(f"{art.path}: the article has {size:,} characters, over the limit of "
                                     f"{max_chars:,}; split it or raise --max-chars")
            elif art.id in seen:
                problem = InputError(f"{art.path}: article id {art.id!r} is also used by {seen[art.id]}; "
                                     "ids must be unique")
            if problem is not None:
                if on_skip is None:
                    raise problem
                skip(_skipped(art.path, problem))
                continue
            if not seen and on_skip is not None:
                for item in held:
                    on_skip(item)
                report = on_skip
            seen[art.id] = art.path
            yield art
    if not seen:
        if len(held) == 1:
            raise InputError(str(held[0]))
        if held and on_skip is not None:
            for item in held:
                on_skip(item)
            raise InputError(f"none of the {len(held)} inputs holds an article that can be read (each skipped, "
                             "see the warnings above); nothing was built")
        raise InputError(f"{', '.join(inputs) or '(no input)'}: no articles found "
                         f"(looked for {' '.join(ARTICLE_SUFFIXES)} files)")


def count_articles(inputs: Iterable[str], exclude: Iterable[str | os.PathLike[str]] = ()) -> int:
    """How many articles `inputs` hold, counted without reading them (a file is one article, a JSON
    Lines file one per non-blank line), for a progress bar's total; 0 when stdin is among them."""
    total = 0
    try:
        for path in _expand(list(inputs), exclude):
            if path == "-":
                return 0
            if path.lower().endswith((".jsonl", ".ndjson")):
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    except (OSError, InputError):
        return 0  # the build itself reports the input that cannot be read
    return total
