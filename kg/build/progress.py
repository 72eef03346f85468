"""What a long build tells the user while it runs: a progress bar on stderr (articles done, articles
per second, time left), the warnings as they come (one line each, naming the input), and at the
end the warnings counted by kind.

The bar is drawn only when stderr is a terminal (and not with `--quiet`): a log file or a pipe
gets the warnings and the summary, never carriage returns.

>>> with BuildReporter(enabled=False) as report:  # doctest: +SKIP
...     build(inputs, out, progress=report.progress)
>>> report.summary()  # doctest: +SKIP
'warnings: 2 (date 2)'
"""
from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from typing import TextIO

from kg.util.display import printable


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


class BuildReporter(logging.Handler):
    """The progress callback of a build and the handler of its warnings (logger "kg")."""

    def __init__(self, *, enabled: bool | None = None, stream: TextIO | None = None, width: int = 30) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.width = width
        self.counts: Counter[str] = Counter()
        self._started = 0.0
        self._last_draw = 0.0
        self._drawn = 0  # characters on the bar's line

    def __enter__(self) -> BuildReporter:
        logger = logging.getLogger("kg")
        logger.addHandler(self)
        self._propagate, logger.propagate = logger.propagate, False
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("kg")
        logger.removeHandler(self)
        logger.propagate = self._propagate
        self.clear()

    def progress(self, done: int, total: int) -> None:
        """Redraw the bar (at most ten times a second, and always at the end)."""
        now = time.monotonic()
        if done == 0 or not self._started:
            self._started = now
        if not self.enabled or (now - self._last_draw < 0.1 and done < total):
            return
        self._last_draw = now
        elapsed = now - self._started
        rate = done / elapsed if elapsed > 0 else 0.0
        if total:
            filled = int(self.width * done / total)
            eta = _duration((total - done) / rate) if rate > 0 else "?"
            line = (f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} articles  "
                    f"{rate:.1f}/s  ETA {eta}")
        else:  # the total is not known (stdin)
            line = f"{done} articles  {rate:.1f}/s"
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[getattr(record, "kind", "other")] += 1
        self.clear()
        self.stream.write(f"warning: {printable(record.getMessage())}\n")  # file names, titles: shown escaped
        self.stream.flush()

    def summary(self) -> str:
        """"no warnings", or "warnings: 3 (date 2, other 1)"."""
        if not self.counts:
            return "no warnings"
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.counts.items()))
        return f"warnings: {sum(self.counts.values())} ({kinds})"
