"""Where a build's outputs live, how a new build replaces the last one at once, and how readers
open the build that is current.

    OUT/store, OUT/graph.ttl, OUT/graph.trig, OUT/events.csv, OUT/graph.html, OUT/skipped.csv
        symbolic links into OUT/.kg/current/
    OUT/.kg/current -> builds/<id>       one link, replaced by one rename when a build is done
    OUT/.kg/builds/<id>/                 a complete build: the store and every file
    OUT/.kg/lock                         held by the build that is writing (flock)

A build writes a new folder under `builds/` and, only once every file is written, renames a new
`current` link over the old one: a reader sees the old build or the new one, never a mix, and a
build killed at any moment leaves the old one in place. The next build removes what killed builds
left behind. Readers hold a shared lock on the build folder they read, so a build never deletes
the folder under a running `kg serve` or `kg query`; that folder goes at a later build.

Folders are compared by their real paths: OUT may be relative (`output/`, the default), reached
through a symbolic link, or written as `./output` one day and `output` the next, and `current`
resolves to the real path of the build it names.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KGError
from kg.graph.store import OxigraphStore, StoreDamaged

STORE_DIR = "store"
OUTPUT_NAMES = ("store", "graph.ttl", "graph.trig", "events.csv", "graph.html", "skipped.csv")
META = ".kg"
_READERS = ".readers"  # lock file in each build folder: shared by readers, exclusive for deletion


def _meta(out_dir: Path) -> Path:
    return out_dir / META


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold the build lock of `out_dir`; a second build into the same folder stops with a message."""
    try:
        meta = _meta(out_dir)
        meta.mkdir(parents=True, exist_ok=True)
        fd = os.open(meta / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise KGError(f"{out_dir}: cannot write the build here ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise KGError(f"{out_dir}: another kg build (pid {holder}) is writing here; wait for it to "
                          "finish or pass another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _HELD.add(fd)
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)  # releases the lock; a killed build releases it too


#: Lock files this process holds. A forked child (a parse worker) closes its copy at once: the lock
#: is the build's, and a killed build must release it even while a child still ends.
_HELD: set[int] = set()


def _close_held_locks() -> None:
    for fd in _HELD:
        os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held_locks)


def _real(path: Path) -> Path:
    """`path` with every symbolic link and `..` resolved (what `current` is compared with)."""
    return Path(os.path.realpath(path))


def new_build_dir(out_dir: Path) -> Path:
    """An empty folder for a build, by its real path (call while holding the build lock)."""
    builds = _real(_meta(out_dir)) / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    path = builds / f"{time.time_ns():x}-{os.getpid()}"
    path.mkdir()
    (path / _READERS).touch()
    return path


def current_build(out_dir: Path) -> Path | None:
    """The real path of the published build's folder, or None (no build yet, or an output of an
    older layout)."""
    link = _meta(out_dir) / "current"
    if not link.is_symlink():
        return None
    target = (link.parent / os.readlink(link)).resolve()
    return target if target.is_dir() else None


def publish(build_dir: Path, out_dir: Path) -> None:
    """Make `build_dir` the current build with one rename, then link the top-level names to it."""
    meta = _meta(out_dir)
    tmp_link = meta / f".current-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(_real(build_dir), _real(meta)), tmp_link)
    current = meta / "current"
    if current.is_dir() and not current.is_symlink():  # a copied output: `current` became a folder
        shutil.rmtree(current)
    os.replace(tmp_link, current)
    for name in OUTPUT_NAMES:
        _link_output(out_dir, name, present=(build_dir / name).exists())


def _link_output(out_dir: Path, name: str, *, present: bool) -> None:
    """OUT/name -> .kg/current/name, replacing a plain file or folder of an older layout."""
    top = out_dir / name
    target = f"{META}/current/{name}"
    if not present:  # no graph.html in a --no-html build without an earlier view
        if top.is_symlink() and os.readlink(top) == target:
            top.unlink()
        return
    if top.is_symlink() and os.readlink(top) == target:
        return
    if top.is_symlink() or top.is_file():
        top.unlink()
    elif top.is_dir():
        trash = out_dir / f".kg-old-{name}-{os.getpid()}"
        os.replace(top, trash)
        shutil.rmtree(trash, ignore_errors=True)
    os.symlink(target, top)


def clean(out_dir: Path) -> list[Path]:
    """Remove what earlier builds left: unpublished or superseded build folders that no reader
    holds, and the temporary folders of the older layout. Call while holding the build lock."""
    removed = []
    keep = current_build(out_dir)
    builds = _meta(out_dir) / "builds"
    for folder in sorted(builds.iterdir()) if builds.is_dir() else []:
        if not folder.is_dir() or _real(folder) == keep:
            continue
        if _try_remove(folder):
            removed.append(folder)
    for leftover in [*out_dir.glob(".kg-build-*"), *out_dir.glob(".kg-old-*"), *_meta(out_dir).glob(".current-*")]:
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink(missing_ok=True)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed


def _try_remove(folder: Path) -> bool:
    """Delete a build folder unless a reader holds it."""
    try:
        fd = os.open(folder / _READERS, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    try:
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)
    return True


class BuildReader:
    """A reader's hold on the current build: its folder, kept from deletion until `close`."""

    def __init__(self, folder: Path, fd: int | None) -> None:
        self.folder = folder
        self._fd = fd

    def path(self, name: str) -> Path:
        return self.folder / name

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BuildReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_build(out_dir: Path) -> BuildReader:
    """Hold the current build of `out_dir` for reading (an older or copied output is read in place)."""
    for _ in range(5):
        folder = current_build(out_dir)
        if folder is None:
            return BuildReader(out_dir, None)
        try:
            fd = os.open(folder / _READERS, os.O_RDONLY)
        except OSError:
            continue  # deleted between the look-up and the open: a newer build was published
        fcntl.flock(fd, fcntl.LOCK_SH)
        if (folder / STORE_DIR).is_dir():
            return BuildReader(folder, fd)
        os.close(fd)
        if current_build(out_dir) == folder:  # still the current build, held, and no store in it
            raise KGError(f"{out_dir / STORE_DIR}: the store of the current build is missing (damaged); rebuild "
                          f"it with `kg build` and the same --out")
    raise KGError(f"{out_dir}: the build changed five times while opening it; try again")


@contextmanager
def open_build(out_dir: Path) -> Iterator[OxigraphStore]:
    """The store of the current build of `out_dir`, read-only, held from deletion while open.

    >>> with open_build(Path("output")) as store:  # doctest: +SKIP
    ...     print(format_solutions(store.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"), "csv"))
    """
    with read_build(out_dir) as build:
        try:
            store = OxigraphStore.open(build.path(STORE_DIR))
        except StoreDamaged as exc:  # named as the user knows it, not by the build's own folder
            raise StoreDamaged(out_dir / STORE_DIR, exc.reason) from None
        try:
            yield store
        finally:
            store.close()
