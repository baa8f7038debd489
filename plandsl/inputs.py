"""Reading what the user names: one capped reader for files and standard input,
path resolution that survives symlink loops, directory scans, and the one way a
path is shown in messages.

Every command reads through :func:`read_file` and :func:`read_stdin`, so that the
size limit (``--max-file-size``) holds for all of them and only regular files are
read: a FIFO or a device named by ``use`` or found by a scan would otherwise block
the run or never end.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from pathlib import Path

PLAN_SUFFIX = ".plan"


class NotARegularFile(OSError):
    """The path names a directory, a FIFO, a socket or a device: only regular files are read."""

    def __init__(self, path, mode: int):
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a regular file")
        super().__init__(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL,
                         f"it is {what}, not a regular file" if what != "not a regular file" else
                         "it is not a regular file", str(path))
        self.is_directory = stat.S_ISDIR(mode)


def is_loop(error: OSError) -> bool:
    """True when ``error`` says the path leads into a loop of symbolic links."""
    return error.errno == errno.ELOOP


def read_file(path: str | os.PathLike, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of the regular file ``path`` (one more than the
    limit, so that the caller can tell the file is too large).

    The file is opened without blocking and checked on the open descriptor (no race
    between a check and the open): anything but a regular file raises
    :class:`NotARegularFile`. Other failures raise :class:`OSError`.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(path, mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            descriptor = None
            return handle.read(max_bytes + 1)
    finally:
        if descriptor is not None:
            os.close(descriptor)


def read_stdin(max_bytes: int, stream=None) -> bytes:
    """At most ``max_bytes + 1`` bytes of standard input: an endless stream is cut, not hoarded."""
    stream = stream if stream is not None else sys.stdin.buffer
    chunks: list[bytes] = []
    left = max_bytes + 1
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def resolve(path: str | os.PathLike) -> Path:
    """``Path(path).resolve()``, raising :class:`OSError` (ELOOP) on a symlink loop
    where Python 3.11 raises RuntimeError."""
    try:
        return Path(path).resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None


def _quote(text: str) -> str:
    """Git's quoting of an unusual file name (``core.quotePath``): in double quotes, with
    C escapes for control characters and octal escapes for bytes that are not UTF-8."""
    out = ['"']
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
            out.append(f"\\{code - 0xDC00:03o}")
        elif char in '"\\':
            out.append("\\" + char)
        elif char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\{code:03o}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}


#: Control characters, and the surrogates that stand for bytes that are not UTF-8.
_needs_quoting = re.compile("[\x00-\x1f\x7f\ud800-\udfff]").search


def quote_path(path: str | os.PathLike) -> str:
    """The path as given, quoted as git quotes it when it is not plain text (see
    :func:`display_path`)."""
    text = os.fsdecode(path)
    return _quote(text) if _needs_quoting(text) else text


def display_path(path: str | os.PathLike) -> str:
    """The path as users see it in every message and report: relative to the working
    directory when inside it; a name that is not UTF-8 text (or holds control
    characters) is quoted as git quotes it, ``"caf\\351.plan"``, so that every output
    stays valid text, JSON and SARIF."""
    text = os.fsdecode(path)
    try:
        text = os.path.relpath(text)
    except ValueError:  # another drive on Windows
        pass
    return quote_path(text)


def scan(directory: str | os.PathLike, recursive: bool = True) -> list[str]:
    """The ``*.plan`` files below ``directory`` (only those directly in it unless
    ``recursive``), sorted: regular files, and symlinks that lead into a loop, so that
    reading them reports it.

    The walk is iterative (no recursion limit on deep trees), never follows a
    symlinked directory (no loops, no escape from the tree), and skips FIFOs,
    sockets and devices, which reading would block on.
    """
    found: list[str] = []
    stack = [os.fspath(directory)]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if recursive:
                        stack.append(entry.path)
                    continue
            except OSError:
                continue
            if not entry.name.endswith(PLAN_SUFFIX):
                continue
            try:
                regular = stat.S_ISREG(os.stat(entry.path).st_mode)
            except OSError as error:
                regular = is_loop(error)  # a loop is reported on the file; a dangling link is skipped
            if regular:
                found.append(entry.path)
    return sorted(found)
