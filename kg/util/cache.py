"""An on-disk cache for start-up work that only changes with its inputs.

Reading 25,000 actors and tokenising their 30,000 names the way the pipeline tokenises text
takes seconds; a build needs the result in well under one. So both are computed once and kept
as pickles, named by a digest of everything they were computed from (the data files' bytes,
the user's actor files, the code that reads them, the spaCy and model versions). A changed
input gives a new name, so a stale entry is never read; an entry that cannot be read is
ignored and rebuilt. The cache lives in `$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/kg`, else
`~/.cache/kg`; deleting it is always safe.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

#: Entries kept per kind; older ones are removed when a new one is written.
KEEP = 6


def cache_dir() -> Path:
    """Where entries live: $KG_CACHE_DIR, else $XDG_CACHE_HOME/kg, else ~/.cache/kg."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg"


def digest(*parts: str | bytes) -> str:
    """A key from strings and bytes; each part is length-prefixed so that parts cannot run together."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:24]


def files_digest(paths: list[Path]) -> str:
    """A key from files' names and contents, in a fixed order."""
    parts: list[str | bytes] = []
    for path in sorted(paths, key=lambda p: p.as_posix()):
        parts += [path.name, path.read_bytes()]
    return digest(*parts)


def _path(kind: str, key: str) -> Path:
    return cache_dir() / f"{kind}-{key}.pickle"


def load(kind: str, key: str) -> Any | None:
    """The entry stored under `key`, or None when there is none or it cannot be read."""
    try:
        with _path(kind, key).open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated, from another version: rebuild  # noqa: BLE001
        return None


def store(kind: str, key: str, value: Any) -> None:
    """Keep `value` under `key`, written atomically; a cache that cannot be written is no error."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, _path(kind, key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        old = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
