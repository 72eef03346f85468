"""Read articles from plain text, HTML and JSON Lines into `Article` records.

Only the report's own words go into `Article.text`: bylines, photo credits, font-size buttons
and other site chrome are dropped, and a dateline ("SEOUL --") is kept aside as a place.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.formats import Skipped, parse_html, parse_jsonl, parse_text
from kg.ingest.inputs import ARTICLE_SUFFIXES, input_files, regular_file_size
from kg.records import Article

#: The longest article read, in characters (`--max-chars`): a larger one is refused, not parsed for hours.
MAX_ARTICLE_CHARS = 1_000_000
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_articles(inputs: Iterable[str], *, encoding: str = "utf-8",
                  max_chars: int = MAX_ARTICLE_CHARS) -> list[Article]:
    """Read every article named by `inputs` (files, directories, globs, or "-" for stdin).

    >>> [a.id for a in read_articles(["seeds/"])]  # doctest: +SKIP
    ['000_fd245a2f0af1f295']
    """
    return list(iter_articles(inputs, encoding=encoding, max_chars=max_chars))


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
    size = regular_file_size(path)
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
    _check_options(encoding, max_chars)
    paths = list(input_files(inputs, exclude))  # names only: a missing input fails before any work
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
            skip(Skipped.of("<stdin>" if path == "-" else path, exc))
            continue
        for art in read:
            problem = _problem(art, seen, max_chars)
            if problem is not None:
                if on_skip is None:
                    raise problem
                skip(Skipped.of(art.path, problem))
                continue
            if not seen and on_skip is not None:
                for item in held:
                    on_skip(item)
                report = on_skip
            seen[art.id] = art.path
            yield art
    if not seen:
        raise _nothing_read(inputs, held, on_skip)


def _check_options(encoding: str, max_chars: int) -> None:
    """Refuse an encoding that is not a text encoding, and a limit below one character."""
    try:
        b"x".decode(encoding)  # LookupError for unknown names and for codecs that are not text (rot13, base64)
    except LookupError:
        raise InputError(f"--encoding {encoding}: not a text encoding Python knows (e.g. utf-8, latin-1, "
                         "utf-16)") from None
    except UnicodeError:
        pass  # a text encoding: one byte is just too short for it (utf-16)
    if max_chars < 1:
        raise InputError(f"--max-chars {max_chars}: the limit must be at least 1")


def _problem(art: Article, seen: dict[str, str], max_chars: int) -> InputError | None:
    """Why an article read cannot be taken (over the limit, an id already read), or None."""
    size = len(art.title) + len(art.text)
    if size > max_chars:
        return InputError(f"{art.path}: the article has {size:,} characters, over the limit of "
                          f"{max_chars:,}; split it or raise --max-chars")
    if art.id in seen:
        return InputError(f"{art.path}: article id {art.id!r} is also used by {seen[art.id]}; ids must be unique")
    return None


def _nothing_read(inputs: list[str], held: list[Skipped], on_skip: Callable[[Skipped], None] | None) -> InputError:
    """The error when no input held an article that can be read (the skips held back are handed to
    `on_skip` first when there were several)."""
    if len(held) == 1:
        return InputError(str(held[0]))
    if held and on_skip is not None:
        for item in held:
            on_skip(item)
        return InputError(f"none of the {len(held)} inputs holds an article that can be read (each skipped, "
                          "see the warnings above); nothing was built")
    return InputError(f"{', '.join(inputs) or '(no input)'}: no articles found "
                      f"(looked for {' '.join(ARTICLE_SUFFIXES)} files)")
