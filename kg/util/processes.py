"""Processes that end with the one that started them."""
from __future__ import annotations

import ctypes
import os
import signal


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, even when it is killed with kill -9 (Linux's
    parent-death signal): a build's parse worker or view writer left behind would go on working
    for nothing. `parent` is the pid the caller expects, checked once the signal is set, in case
    it ended before."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)
