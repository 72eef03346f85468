"""Atomic file writes (a reader sees the old file or the new one, never half of one), and the CSV
readers every table of `kg` is read with."""
from __future__ import annotations

import csv
import functools
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kg.errors import KGError


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at `path` whole, or not at all: written to a temporary file
    beside it, then renamed over it."""
    if path.is_dir():
        raise KGError(f"{path}: is a folder; name a file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise KGError(f"{path}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically."""
    with atomic_file(path) as fh:
        fh.write(text.encode("utf-8"))


def check_out_file(path: Path) -> None:
    """Refuse, in one line, an output file that names a folder or sits where no folder can be made."""
    if path.is_dir():
        raise KGError(f"{path}: is a folder; give a file name (e.g. {path / 'graph.ttl'})")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KGError(f"{path.parent}: cannot create the folder ({exc.strerror or exc})") from None


def check_out_dir(path: Path) -> None:
    """Refuse, before any work is done, a build folder that is a file, cannot be made or is not writable."""
    if path.exists() and not path.is_dir():
        raise KGError(f"{path}: is a file, not a folder; give --out a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".kg-write-test-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise KGError(f"{path}: cannot write the build here ({exc.strerror or exc})") from None


def write_failure(exc: OSError, out_dir: Path) -> str:
    """The one line for a write that failed mid-build (a full disk, a file-size limit, a folder made
    read-only). A failed copy (`shutil.Error`) holds a list of (source, target, reason) rows, which
    read as a Python list: the first row's target and reason are told instead."""
    import re
    import shutil

    where: object = exc.filename or out_dir
    why = exc.strerror or str(exc)
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        _, where, reason = exc.args[0][0]
        found = re.match(r"\[Errno \d+\] ([^:]+)", str(reason))
        why = found.group(1) if found else str(reason)
    return f"{where}: cannot write the build ({why}); the last build is unchanged"


@functools.cache
def _no_field_limit() -> None:
    """Lift the csv module's field limit (131,072 characters): an events table holds each event's
    sentence whole, and one sentence may be as long as an article (`--max-chars`, a million by
    default). The limit is the process's, set once; a C long may be 32 bits (Windows)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def csv_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    """`csv.reader` over `lines` with no limit on the size of a field.

    >>> next(csv_rows(["a," + "x" * 200_000]))[1] == "x" * 200_000
    True
    """
    _no_field_limit()
    return csv.reader(lines)


def csv_records(lines: Iterable[str]) -> csv.DictReader[str]:
    """`csv.DictReader` over `lines` with no limit on the size of a field (the first row names the columns)."""
    _no_field_limit()
    return csv.DictReader(lines)
