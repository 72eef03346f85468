"""Which files the inputs of a build name: files, folders (walked, sorted), globs and "-" for
stdin, each once, never the files of a build's own output folder; and how many articles they hold."""
from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from kg.errors import InputError

ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson")

#: Files a build writes into its output folder (besides the hidden `.kg/`): when that folder lies
#: inside an input folder, they are not articles and are passed over without a word.
KG_OUTPUT_FILES = ("store", "graph.ttl", "graph.trig", "events.csv", "graph.html", "skipped.csv", "timeline.html")


def input_files(inputs: Iterable[str], exclude: Iterable[str | os.PathLike[str]] = ()) -> Iterator[str]:
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


def regular_file_size(path: str) -> int:
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


def count_articles(inputs: Iterable[str], exclude: Iterable[str | os.PathLike[str]] = ()) -> int:
    """How many articles `inputs` hold, counted without reading them (a file is one article, a JSON
    Lines file one per non-blank line), for a progress bar's total; 0 when stdin is among them."""
    total = 0
    try:
        for path in input_files(list(inputs), exclude):
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
