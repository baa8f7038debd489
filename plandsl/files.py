"""Finding input files and writing outputs atomically."""

from __future__ import annotations

import errno
import os
import re
import secrets
import signal
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass

PLAN_SUFFIX = ".plan"


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; directories replaced by the ``*.plan`` files below them, sorted
    (see :func:`plandsl.inputs.scan`: symlinked directories are not followed, FIFOs
    and devices are skipped).

    ``-`` (standard input) passes through. Paths that do not exist pass through too,
    so that reading them reports the error.
    """
    from plandsl.inputs import scan

    expanded: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            expanded.extend(scan(path))
        else:
            expanded.append(path)
    seen: set[str] = set()
    return [p for p in expanded if not (p in seen or seen.add(p))]


# ============================================================================
# Writing outputs
# ============================================================================
#
# An output is written to a temporary file next to it, then renamed over it: a
# reader never sees half a file, and a failure leaves the old file as it was. A
# symlinked output is written through: the temporary goes next to the link's
# target, which is replaced; the link stays. The new file keeps the old one's
# mode and, where permitted, its owner and group. Hard links to the old file keep
# the old text (the new file is a new inode).
#
# Temporaries are named ``.NAME.plandsl-tmp-PID-XXXXXXXX``. Those of this process
# are removed on any exception, SIGINT and SIGTERM included (the command line
# turns both into KeyboardInterrupt, see cli.py). Those a killed run left are
# removed by the next run that writes NAME in that directory, when the process
# that made them is not running on this machine or the file is more than
# STALE_AFTER_SECONDS old. Nothing else is ever removed.

TEMPORARY_MARK = ".plandsl-tmp-"
STALE_AFTER_SECONDS = 600
_NAME_ROOM = 200  # of the 255 bytes a file name may have, leaving room for the mark
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.plandsl-tmp-(?P<pid>\d+)-[0-9a-f]{8}\Z", re.S)

_NO_INHERIT_NO_NEWLINES = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)  # bytes as given on Windows

# Temporaries this process made and has neither renamed nor removed.
_live: set[str] = set()


@dataclass
class Pending:
    """An output written to its temporary, waiting to be renamed into place."""

    target: str
    temporary: str


def _temporary_for(target: str) -> str:
    directory, name = os.path.split(target)
    return os.path.join(directory, f".{name[:_NAME_ROOM]}{TEMPORARY_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def _existing(target: str) -> os.stat_result | None:
    """The target's status, None when it does not exist; an error when it cannot be replaced by a file."""
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
    return status


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def prepare(path: str | os.PathLike, data: bytes) -> Pending:
    """Write ``data`` to a temporary next to the file ``path`` names (through symlinks).

    Raises OSError, with no temporary left, when it cannot be written. :func:`commit`
    renames it into place, :func:`discard` removes it. The caller removes stale
    temporaries first (:func:`remove_stale_temporaries`, once per directory).
    """
    target = os.path.realpath(path)
    status = _existing(target)
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
    if status is not None and not os.access(target, os.W_OK):  # a file made read-only is not replaced
        number = errno.EROFS if _on_read_only_file_system(target) else errno.EACCES
        raise OSError(number, os.strerror(number), os.fspath(path))
    temporary = _temporary_for(target)
    _live.add(temporary)  # before it exists: a signal from here on still finds it
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_INHERIT_NO_NEWLINES, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            if status is not None:
                _keep_owner(handle, status)  # before the mode: chown clears set-id bits
            mode = _new_file_mode() if status is None else stat.S_IMODE(status.st_mode)
            if hasattr(os, "fchmod"):
                os.fchmod(handle, mode)
            else:
                os.chmod(temporary, mode)
            os.fsync(handle)
        finally:
            os.close(handle)
    except BaseException:
        _remove(temporary)
        raise
    return Pending(target, temporary)


def _on_read_only_file_system(path: str) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):
        return False


def _keep_owner(handle: int, status: os.stat_result) -> None:
    mine = os.fstat(handle)
    if (mine.st_uid, mine.st_gid) == (status.st_uid, status.st_gid) or not hasattr(os, "fchown"):
        return
    try:
        os.fchown(handle, status.st_uid, status.st_gid)
    except PermissionError:
        try:  # a user may give the file a group of theirs, not another owner
            os.fchown(handle, -1, status.st_gid)
        except OSError:
            pass


def commit(pending: Pending) -> None:
    """Rename the temporary over its target."""
    os.replace(pending.temporary, pending.target)
    _live.discard(pending.temporary)
    _sync_directory(os.path.dirname(pending.target))


def discard(pending: Pending) -> None:
    """Remove the temporary, if it is still there."""
    _remove(pending.temporary)


def _remove(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass
    except OSError:
        return  # keep it in _live: the last sweep tries again
    _live.discard(temporary)


def _sync_directory(directory: str) -> None:
    try:
        handle = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def remove_live_temporaries() -> None:
    """Remove every temporary this process made and did not rename (on an interrupt)."""
    for temporary in sorted(_live):
        _remove(temporary)


def remove_stale_temporaries(targets: list[str]) -> None:
    """Remove the temporaries that killed runs left next to ``targets`` (real paths).

    Only files named ``.NAME.plandsl-tmp-PID-XXXXXXXX`` for one of the targets'
    NAMEs, in the target's directory, not made by this process, whose process is
    not running or which are older than STALE_AFTER_SECONDS. One scan per directory.
    """
    names: dict[str, set[str]] = {}
    for target in targets:
        directory, name = os.path.split(target)
        names.setdefault(directory, set()).add(name[:_NAME_ROOM])
    now = time.time()
    for directory, wanted in names.items():
        try:
            entries = list(os.scandir(directory or "."))
        except OSError:
            continue
        for entry in entries:
            match = _TEMPORARY.match(entry.name)
            if not match or match["name"] not in wanted or entry.path in _live:
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_SECONDS
                if old or not _running(int(match["pid"])):
                    os.unlink(entry.path)
            except OSError:
                continue


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (when unknowable: yes, to keep its files)."""
    if pid == os.getpid():
        return True
    if pid <= 0 or os.name != "posix":
        return pid > 0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


@contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM (delivered on leaving) so that a run of renames is not cut in two."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_atomic(path: str | os.PathLike, text: str, in_place_fallback: bool = False) -> bool:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and a failure leaves the old file as
    it was, with no temporary left; see the notes above for symlinks, owner and
    mode. An existing device or pipe (``/dev/stdout``) is written directly.

    With ``in_place_fallback``, an existing file whose directory refuses new files
    (or that cannot be renamed over, being a mount point) is overwritten in place:
    not atomic, a failure midway is repaired from the old text when it can be.
    Returns True when the file was written in place, so the caller can say so.
    """
    data = text.encode("utf-8")
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        with open(path, "wb") as out:  # through /proc's links too, which realpath cannot follow
            out.write(data)
        return False
    target = os.path.realpath(path)
    remove_stale_temporaries([target])
    try:
        pending = prepare(path, data)
    except OSError as error:
        if (in_place_fallback and status is not None and error.errno in (errno.EACCES, errno.EPERM)
                and os.access(target, os.W_OK)):  # the directory refused, not the file
            _write_in_place(target, data)
            return True
        raise
    try:
        commit(pending)
    except BaseException as error:
        discard(pending)
        if in_place_fallback and isinstance(error, OSError) and error.errno in (errno.EXDEV, errno.EBUSY):
            _write_in_place(target, data)
            return True
        raise
    return False


def _write_in_place(target: str, data: bytes) -> None:
    with open(target, "r+b") as out:
        old = out.read()
        try:
            out.seek(0)
            out.write(data)
            out.truncate()
            out.flush()
            os.fsync(out.fileno())
        except BaseException:
            try:
                out.seek(0)
                out.write(old)
                out.truncate()
                out.flush()
            except OSError:
                pass
            raise
