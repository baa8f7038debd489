"""Finding input files and writing outputs atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and a failure leaves the old file as
    it was. The new file keeps the old one's permission bits.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
