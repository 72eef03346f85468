"""The files of `kg/data/` as code reads them: a CSV file's rows, the word lists of `words.csv`,
and digests of content, so that the versions a build records change exactly when the data does."""
from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import InputError


def content_hash(paths: list[Path]) -> str:
    """A short digest of files' names and bytes: versions that change exactly when content does."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def lexicon_version() -> str:
    """The version of the knowledge in `kg/data/` (lexicons, gazetteer, word lists, coding rules),
    derived from its content so that two builds can be compared without anyone bumping a number."""
    data = Path(str(resources.files("kg") / "data"))
    return "data-" + content_hash([p for p in data.rglob("*.csv") if p.is_file()])


def data_path(name: str) -> Path:
    """A file of `kg/data/` ("" for the folder itself)."""
    return Path(str(resources.files("kg") / "data" / name))


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file, each cell stripped; an InputError naming the file when it cannot be read."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: not a UTF-8 CSV file ({exc})") from None


def split_cell(value: str) -> tuple[str, ...]:
    """The values of a cell that lists several, separated by ";"."""
    return tuple(v.strip() for v in value.split(";") if v.strip())


@lru_cache(maxsize=1)
def _word_rows() -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    for r in read_rows(data_path("words.csv")):
        lists.setdefault(r["list"], []).append((r["word"], r.get("value", "")))
    return lists


def _rows_of(name: str) -> list[tuple[str, str]]:
    rows = _word_rows().get(name)
    if rows is None:
        raise KeyError(f"kg/data/words.csv has no list {name!r}")
    return rows


@lru_cache(maxsize=256)
def word_list(name: str) -> frozenset[str]:
    """A list of English words the constructions name (`kg/data/words.csv`, one row a word): the
    language's knowledge lives in data, the code only names the list it needs."""
    return frozenset(w for w, _ in _rows_of(name))


@lru_cache(maxsize=256)
def word_sequence(name: str) -> tuple[str, ...]:
    """A word list in the order of the file, where order is preference ("president" before "king")."""
    return tuple(w for w, _ in _rows_of(name))


def word_map(name: str) -> dict[str, str]:
    """Word -> value ("prime minister" -> the office it names; "he" -> "m")."""
    return dict(_rows_of(name))


def word_multimap(name: str) -> dict[str, set[str]]:
    """Word -> several values ("deal" -> the verbs that do one: agree, sign, reach, strike)."""
    out: dict[str, set[str]] = {}
    for word, value in _rows_of(name):
        out.setdefault(word, set()).add(value)
    return out


def word_groups(name: str) -> tuple[set[str], ...]:
    """Words grouped by their value (offices that are each other's counterparts)."""
    groups: dict[str, set[str]] = {}
    for word, value in _rows_of(name):
        groups.setdefault(value, set()).add(word)
    return tuple(groups.values())

