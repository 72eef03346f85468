"""The outputs a build hands its results to, besides its own folder (the store, graph.ttl,
graph.trig, events.csv, skipped.csv): the interactive view (`kg.views.sink.HtmlView`) and a
SPARQL server (`kg.graph.remote.RemoteUpload`). Each package that writes an output defines its
sink; whoever starts a build chooses them (`kg build`: the view unless `--no-html`, the server
with `--store`), so neither the view nor the store imports the build, and the build knows them
only by these four moments."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class Sink(Protocol):
    """An output of a build, told at each moment of it."""

    def check(self) -> None:
        """Before the build reads an article: fail now on what would fail at its end (a server
        that cannot be reached or written)."""

    def table_written(self, folder: Path) -> None:
        """The events table of the new build is complete in `folder`, which is not published yet:
        start what goes into the build from it, while the build writes its RDF files."""

    def finish(self, folder: Path, *, failed: bool) -> None:
        """The build's own files are written, or (`failed`) the build is giving up: end what
        `table_written` started; unless `failed`, raise if it failed, and the build fails with it."""

    def published(self, out_dir: Path) -> None:
        """The build is now the current one of `out_dir`."""


def finish_all(sinks: Sequence[Sink], folder: Path, *, failed: bool) -> None:
    """`finish` every sink, each even when one before it raised; then raise the first error."""
    error: BaseException | None = None
    for sink in sinks:
        try:
            sink.finish(folder, failed=failed or error is not None)
        except BaseException as exc:  # noqa: BLE001 - raised below, once every sink has ended
            error = error or exc
    if error is not None:
        raise error
