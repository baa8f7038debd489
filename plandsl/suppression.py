"""Inline suppression: ``# plandsl: ignore[C405]`` silences that code on that line.

A comment may name several codes (``ignore[C405, N303]``). It applies to the
diagnostics that start on its own line. A suppression that silences nothing
(a code that is not raised there, or no code at all) is reported as X601, so
that stale suppressions do not pile up.
"""

from __future__ import annotations

import re

from plandsl import ast
from plandsl.diagnostics import Diagnostic, Severity

_SUPPRESSION = re.compile(r"#\s*plandsl:\s*ignore\[([^\]]*)\]")


def apply_suppressions(diagnostics: list[Diagnostic], comments: dict[str, list[ast.Comment]]) -> list[Diagnostic]:
    """The diagnostics that no comment suppresses, plus X601 for each unused suppression."""
    wanted: dict[tuple[str, int], dict[str, ast.Comment]] = {}
    for path, file_comments in comments.items():
        for comment in file_comments:
            match = _SUPPRESSION.search(comment.text)
            if match:
                codes = {code.strip().upper() for code in match.group(1).split(",") if code.strip()}
                wanted[(path, comment.span.line)] = {code: comment for code in codes} or {"": comment}
    if not wanted:
        return diagnostics
    used: set[tuple[str, int, str]] = set()
    kept = []
    for diagnostic in diagnostics:
        key = (diagnostic.span.file, diagnostic.span.line)
        if diagnostic.code in wanted.get(key, {}):
            used.add((*key, diagnostic.code))
        else:
            kept.append(diagnostic)
    for (path, line), codes in wanted.items():
        for code, comment in codes.items():
            if (path, line, code) not in used:
                named = f"'{code}'" if code else "no code"
                kept.append(Diagnostic("X601", Severity.WARNING, f"this suppression of {named} suppresses nothing",
                                       comment.span, "remove it, or name a code raised on this line"))
    return kept
