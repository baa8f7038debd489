"""Inline suppression: ``# plandsl: ignore[C405]`` silences that code on one statement.

A comment may name several codes (``ignore[C405, N303]``). It covers the
statement it belongs to (:mod:`plandsl.comments`): the statement it trails, or,
on a line of its own, the statement below it. A statement is a clause, a
property, a declaration, a requirement, ... or the head of a block (``plan p {``,
``point 3 {``, ``redline r "..." {``). A diagnostic belongs to the innermost
statement its span starts in, so a suppression after the last line of a wrapped
clause covers a diagnostic on its first, and ``plandsl fmt`` never changes what a
suppression covers. In a file with syntax errors (which fmt leaves alone) the
statements are not all known, and a suppression covers the line it is on.

Syntax and file problems (S and F codes) cannot be suppressed: a file that
cannot be read whole must not pass a check because a comment says so.

A suppression that silences nothing (a code that is not raised there, or no code
at all, or an S or F code) is reported as X601, so that stale suppressions do not
pile up.
"""

from __future__ import annotations

import re

from plandsl import ast
from plandsl.comments import Statements
from plandsl.diagnostics import Diagnostic, Severity

_SUPPRESSION = re.compile(r"#\s*plandsl:\s*ignore\[([^\]]*)\]")


def apply_suppressions(diagnostics: list[Diagnostic], comments: dict[str, list[ast.Comment]],
                       trees: dict[str, ast.PlanFile] | None = None) -> list[Diagnostic]:
    """The diagnostics that no comment suppresses, plus X601 for each unused suppression.

    ``trees`` (by path, as ``comments``; only files that parse without errors) say
    which statement each comment and diagnostic belongs to; in a file without one,
    a suppression covers its own line.
    """
    trees = trees or {}
    statements: dict[str, Statements] = {}
    # What suppressions cover: ("node", id of a statement) or ("line", n), per file; for
    # each code, the comments that name it (a second one for the same code is unused).
    wanted: dict[tuple[str, tuple], dict[str, list[ast.Comment]]] = {}
    for path, file_comments in comments.items():
        for comment in file_comments:
            match = _SUPPRESSION.search(comment.text)
            if not match:
                continue
            if path not in statements and trees.get(path) is not None:
                statements[path] = Statements(trees[path])
            owner = statements[path].owner_of_comment(comment) if path in statements else None
            target = ("node", id(owner)) if owner is not None else ("line", comment.span.line)
            codes = {code.strip().upper() for code in match.group(1).split(",") if code.strip()}
            covered = wanted.setdefault((path, target), {})
            for code in sorted(codes) or [""]:
                covered.setdefault(code, []).append(comment)
    if not wanted:
        return diagnostics
    used: set[tuple[int, str]] = set()  # ids of (comment, code) pairs that silenced something
    kept = []
    for diagnostic in diagnostics:
        path, span = diagnostic.span.file, diagnostic.span
        owner = statements[path].owner_of_position(span.line, span.column) if path in statements else None
        target = ("node", id(owner)) if owner is not None else ("line", span.line)
        silencers = wanted.get((path, target), {}).get(diagnostic.code)
        if silencers and not _unsuppressible(diagnostic.code):
            used.add((id(silencers[0]), diagnostic.code))
        else:
            kept.append(diagnostic)
    for codes in wanted.values():
        for code, silencers in codes.items():
            for comment in silencers:
                if (id(comment), code) not in used:
                    named = f"'{code}'" if code else "no code"
                    if _unsuppressible(code):
                        message = f"this suppression of {named} suppresses nothing: syntax and file problems " \
                                  "cannot be suppressed"
                        hint = "fix the problem instead, and remove the suppression"
                    else:
                        message = f"this suppression of {named} suppresses nothing"
                        hint = "remove it, or name a code raised on the statement it covers"
                    kept.append(Diagnostic("X601", Severity.WARNING, message, comment.span, hint))
    return kept


def _unsuppressible(code: str) -> bool:
    """Syntax (S) and file (F) problems stand whatever a comment says."""
    return code[:1] in ("S", "F")
