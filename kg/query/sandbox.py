"""Take the network away from a process: the second lock on `SERVICE` in `kg serve`.

`kg.query.guard.check_query` refuses `SERVICE` from the parse of a query, but pyoxigraph (0.5) has no
option to turn its SERVICE client off, so a query that the guard misreads would still make the
engine connect. A query worker of `kg serve` without `--federation` therefore gives up, for good,
the right to open Internet sockets: a seccomp filter (Linux, x86-64 and AArch64) makes `socket()`
for IPv4 and IPv6 fail with EACCES. The worker keeps the socket pair it talks over (opened
before) and its files; Oxigraph's SERVICE then fails with an error, and nothing is sent.

Elsewhere (another system or processor, a kernel without seccomp) `deny_network` returns False
and the parse is the only lock. It is never used in `kg query`, which runs in the caller's own
process.
"""
from __future__ import annotations

import ctypes
import platform
import struct
import sys

__all__ = ["deny_network"]

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_EACCES = 0x00050000 | 13  # SECCOMP_RET_ERRNO | EACCES
_AF_INET, _AF_INET6 = 2, 10
_X32_BIT = 0x40000000
#: machine -> (AUDIT_ARCH_*, number of the socket system call)
_ARCHES = {"x86_64": (0xC000003E, 41), "amd64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198),
           "arm64": (0xC00000B7, 198)}

# classic BPF: load a 32-bit word at an offset of struct seccomp_data (BPF_LD|BPF_W|BPF_ABS), compare it
# with a constant (BPF_JMP|BPF_JEQ|BPF_K, BPF_JMP|BPF_JGE|BPF_K), return a verdict (BPF_RET|BPF_K)
_LD, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_NR, _ARCH, _ARG0 = 0, 4, 16  # offsets of nr, arch and the low half of args[0] (little-endian)


def _program(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    """(code, jump if true, jump if false, k): a call made under another ABI (i386 from a 64-bit
    process, x32) is refused whole; socket(AF_INET or AF_INET6, ...) fails; the rest is allowed."""
    return [
        (_LD, 0, 0, _ARCH),
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, _RET_EACCES),  # another ABI
        (_LD, 0, 0, _NR),
        (_JGE, 5, 0, _X32_BIT),  # x32 system calls -> refused
        (_JEQ, 0, 3, socket_nr),
        (_LD, 0, 0, _ARG0),
        (_JEQ, 2, 0, _AF_INET),
        (_JEQ, 1, 0, _AF_INET6),
        (_RET, 0, 0, _RET_ALLOW),
        (_RET, 0, 0, _RET_EACCES),
    ]


def deny_network() -> bool:
    """From now on this process (and its threads and children) cannot open IPv4 or IPv6 sockets.
    True if that is in force, False where it cannot be (not Linux, another processor, no seccomp)."""
    if not sys.platform.startswith("linux") or platform.machine().lower() not in _ARCHES:
        return False
    arch, socket_nr = _ARCHES[platform.machine().lower()]
    program = _program(arch, socket_nr)
    filters = b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in program)
    buffer = ctypes.create_string_buffer(filters)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program), ctypes.addressof(buffer))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0)
    except (OSError, AttributeError):
        return False
