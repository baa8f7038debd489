"""Diagnostics: the records every stage reports problems with, and their text form.

A diagnostic is data, never an exception. Stages append them to a list; the CLI
sorts and renders them. Every diagnostic carries a stable code from
:mod:`plandsl.codes`, a severity, a span and, where it helps, a hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from plandsl.ast import Span


class Severity(str, Enum):
    """How bad a problem is. Errors make ``plandsl`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for thresholds such as ``--error-on``."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input.

    ``code`` is a stable identifier (``S101``); ``message`` says what is wrong in
    the user's words; ``hint`` says how to fix it, when we can tell.
    """

    code: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None

    def sort_key(self) -> tuple:
        """Order by file, then position, then code: the order users read them in."""
        s = self.span
        return (s.file, s.line, s.column, s.end_line, s.end_column, self.code, self.message)

    def to_json(self) -> dict:
        """The JSON form shared by every command's ``--format json``."""
        s = self.span
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "file": s.file,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
        }


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted, with exact duplicates removed."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def source_lines(text: str) -> list[str]:
    """The lines of a source as spans count them: only '\\n' ends a line.

    ``str.splitlines`` also breaks at form feeds, U+2028 and other separators, which
    would put the excerpt of every later line one line off.
    """
    return text.split("\n")


def render_text(diagnostic: Diagnostic, source_lines: list[str] | None) -> str:
    """``file:line:col: severity: message [code]``, then the source line with a caret
    underline to the span's end (or to the line's end for multi-line spans), then the hint.
    """
    s = diagnostic.span
    message = _printable(diagnostic.message)
    out = [f"{s.file}:{s.line}:{s.column}: {diagnostic.severity.value}: {message} [{diagnostic.code}]"]
    if source_lines is not None and 1 <= s.line <= len(source_lines):
        line = source_lines[s.line - 1]
        length = len(line)
        while length and line[length - 1] in "\r\n":
            length -= 1
        start = max(s.column - 1, 0)
        if s.end_line == s.line and s.end_column > s.column:
            end = s.end_column - 1
        elif s.end_line > s.line:
            end = length
        else:
            end = start + 1
        first, shown = _window(line, length, start)
        gutter = f"{s.line:>5} | "
        out.append(gutter + shown)
        lead = 4 if first else 0  # the "... " before a window that starts inside the line
        width = max(min(end, first + _MAX_SHOWN) - start, 1)
        out.append(" " * (len(gutter) - 2) + "| " + " " * (lead + start - first) + "^" + "~" * (width - 1))
    if diagnostic.hint:
        out.append(f"  hint: {_printable(diagnostic.hint)}")
    return "\n".join(out)


def _printable(text: str) -> str:
    """User text inside a message, with line breaks and control characters escaped.

    A message is one line: a newline from a quoted text in a plan must not start a
    line of its own, which a CI log could read as a command.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


# A line longer than this is shown as a window of it that starts a little before
# the span, so a diagnostic on a megabyte-long line stays one line of terminal
# with its caret in view.
_MAX_SHOWN = 200
_LEAD = 40


def _window(line: str, length: int, start: int) -> tuple[int, str]:
    """(index of the first character shown, the shown text) for a span starting at ``start``
    in the first ``length`` characters of ``line``.

    Only the window is sliced and processed, never the whole line: N diagnostics on
    one long line cost N windows, not N lines.
    """
    first = 0 if length <= _MAX_SHOWN else max(0, min(start - _LEAD, length - _MAX_SHOWN))
    last = min(first + _MAX_SHOWN, length)
    # Tabs count as one column, as they do in the span.
    shown = line[first:last].replace("\t", " ")
    if not shown.isprintable():
        shown = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in shown)
    return first, ("... " if first else "") + shown + (" ..." if last < length else "")
