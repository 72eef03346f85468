"""The interactive view as an output of a build (a sink of `kg.build`): graph.html, written from
the build's events table into the build's folder before it is published.

The page is written by a fresh interpreter while the build writes its RDF files (the parse's cores
are free by then, and both take seconds on a large build). Not a fork of the build: the view of a
whole large graph needs a few hundred MB of its own, which should not come on top of everything
the build's process holds. The writer ends with the build, even a build killed with kill -9.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kg.errors import KGError
from kg.events import iter_events
from kg.util.processes import die_with_parent
from kg.views.analysis import events_from_rows
from kg.views.page import write_html

#: The page a build writes beside its events table.
PAGE = "graph.html"


class HtmlView:
    """graph.html of a build (`kg build` without `--no-html`)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.err: bytes | None = None

    def check(self) -> None:
        """Nothing to check before the build."""

    def table_written(self, folder: Path) -> None:
        """Start the writer of `folder`/graph.html on `folder`/events.csv."""
        self.err = None
        self.proc = subprocess.Popen([sys.executable, "-c", "from kg.views.sink import _main; _main()",
                                      str(folder / "events.csv"), str(folder / PAGE), str(os.getpid())],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def finish(self, folder: Path, *, failed: bool) -> None:
        """Wait for the writer, reading what it writes to stderr (a plain wait could block for ever
        on a full pipe); unless the build `failed`, its error as a KGError naming the page."""
        if self.proc is None:
            return
        self.err = self.proc.communicate()[1]
        if self.proc.returncode and not failed:
            lines = self.err.decode(errors="replace").strip().splitlines() or ["it ended with no message"]
            raise KGError(f"{folder / PAGE}: the HTML view was not written: {lines[-1]}")

    def published(self, out_dir: Path) -> None:
        """Nothing more to do once the build is published."""


def write_build_view(events_csv: Path, path: Path) -> None:
    """The view of a build, from its events table (views never need the store)."""
    write_html(events_from_rows(iter_events(events_csv, contract=True)), path)


def _main() -> None:
    """The writer's interpreter: `python -c ... EVENTS_CSV PAGE BUILD_PID` (see `HtmlView`)."""
    die_with_parent(int(sys.argv[3]))
    try:
        write_build_view(Path(sys.argv[1]), Path(sys.argv[2]))
    except KGError as exc:
        sys.exit(str(exc))
