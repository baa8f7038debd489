"""Check results -> reports: text, JSON, SARIF 2.1.0 and GitHub Actions annotations.

Every writer has the same signature, ``(result, cwd=None) -> str``, and builds the
whole document in memory: the command writes it only once it is complete, so a
failure leaves no partial output. :data:`FORMATS` maps each ``--format`` name to
its writer; :func:`render` dispatches.

All writers draw on the same records (:class:`~plandsl.check.CheckResult`), and
every diagnostic, syntax errors included, goes through the same path in every
format. Text uses :func:`plandsl.diagnostics.render_text`, the one text renderer.

This module also renders the code registry for ``plandsl explain``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import textwrap
from pathlib import Path, PurePath
from typing import Callable
from urllib.parse import quote

from plandsl import __version__
from plandsl.check import CheckResult, SpectrumEntry, Verdict
from plandsl.codes import CODES, Code
from plandsl.diagnostics import Diagnostic, Severity, render_text, sort_diagnostics, source_lines
from plandsl.lexer import CONTROL_CHARACTER

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# The project has no home page of its own yet: its package page stands in.
INFORMATION_URI = "https://pypi.org/project/plandsl/"
SRCROOT = "%SRCROOT%"

#: SARIF's and GitHub's words for each severity.
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

VERDICTS = ("satisfied", "violated", "not addressed", "not judged")


# ============================================================================
# Shared helpers
# ============================================================================


def _diagnostics(result: CheckResult) -> list[Diagnostic]:
    """The result's diagnostics, sorted and without duplicates (whoever built it)."""
    return sort_diagnostics(result.diagnostics)


def _verdicts(result: CheckResult) -> list[Verdict]:
    """Verdicts by plan, party and red line; the unconditional one before any per option."""
    return sorted(result.verdicts, key=lambda v: (v.plan, v.party, v.id, v.option is not None, v.option or "",
                                                  v.verdict, v.points, v.title, v.explanation))


def _spectrum(result: CheckResult) -> list[SpectrumEntry]:
    return sorted(result.spectrum, key=lambda s: (s.plan, s.issue, s.low_party, s.high_party, s.low_value,
                                                  s.high_value, s.plan_value or "", _finite(s.position) or 0.0))


def _is_pseudo_file(path: str) -> bool:
    """``<stdin>``, ``<unknown>``: names that stand for no file on disk."""
    return path.startswith("<") and path.endswith(">")


def _located(path: str, cwd: str) -> tuple[str | None, str]:
    """(path relative to ``cwd`` in POSIX form, or None when outside it; absolute path)."""
    absolute = os.path.normpath(os.path.join(cwd, path))
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        return None, absolute
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        return None, absolute
    return PurePath(relative).as_posix(), absolute


def _clamped(diagnostic: Diagnostic) -> tuple[int, int, int, int]:
    """(line, column, end line, end column), at least 1 and never ending before they start."""
    s = diagnostic.span
    line, column = max(s.line, 1), max(s.column, 1)
    end_line = max(s.end_line, line)
    end_column = max(s.end_column, column) if end_line == line else max(s.end_column, 1)
    return line, column, end_line, end_column


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity: a position that is not a number is no position."""
    return value if value is None or math.isfinite(value) else None


# ============================================================================
# Text
# ============================================================================


def render_text_report(result: CheckResult, cwd: str | None = None) -> str:
    """Diagnostics, the red-line verdict table, the position spectrum, a one-line summary."""
    sections = []
    diagnostics = _diagnostics(result)
    if diagnostics:
        sections.append("\n".join(_render_diagnostics(diagnostics, result.files)))
    verdicts = _verdicts(result)
    if verdicts:
        sections.append(_verdict_table(verdicts))
    spectrum = _spectrum(result)
    if spectrum:
        sections.append(_spectrum_table(spectrum))
    sections.append(summary_line(result))
    return "\n\n".join(sections) + "\n"


def _render_diagnostics(diagnostics: list[Diagnostic], files: dict[str, str]) -> list[str]:
    lines_of: dict[str, list[str] | None] = {}
    rendered = []
    for diagnostic in diagnostics:
        path = diagnostic.span.file
        if path not in lines_of:
            text = files.get(path)
            lines_of[path] = source_lines(text) if text is not None else None
        rendered.append(render_text(diagnostic, lines_of[path]))
    return rendered


def _cell(text: str) -> str:
    """User text in a table cell: control characters (a title's ``\\n``) shown escaped, not obeyed."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    rows = [[_cell(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            for row in [header, *rows]]


def _verdict_table(verdicts: list[Verdict]) -> str:
    with_option = any(v.option for v in verdicts)
    header = ["plan", "party", "red line", "verdict", "points"] + (["option"] if with_option else [])
    rows = []
    for v in verdicts:
        row = [v.plan, v.party, f'{v.id} "{v.title}"' if v.title else v.id, v.verdict,
               ", ".join(str(p) for p in v.points) or "-"]
        rows.append(row + ([v.option or ""] if with_option else []))
    return "\n".join(["red lines:", *_table(header, rows)])


_BAR = 21


def _bar(position: float | None) -> str:
    """Where the plan sits between two ideals: ``[----*----]``; ``<`` or ``>`` beyond them."""
    if position is None:
        return "(silent)"
    if position < 0:
        return "<[" + "-" * _BAR + "]"
    if position > 1:
        return "[" + "-" * _BAR + "]>"
    mark = round(position * (_BAR - 1))
    return "[" + "-" * mark + "*" + "-" * (_BAR - 1 - mark) + "]"


def _spectrum_table(spectrum: list[SpectrumEntry]) -> str:
    header = ["plan", "issue", "at 0", "", "at 1", "plan says", "position"]
    rows = []
    for s in spectrum:
        position = _finite(s.position)
        rows.append([s.plan, s.issue, f"{s.low_party}: {s.low_value}", _bar(position),
                     f"{s.high_party}: {s.high_value}", s.plan_value if s.plan_value is not None else "nothing",
                     f"{position:.2f}" if position is not None else "-"])
    title = "position spectrum (where each plan sits between two positions, from 0 to 1):"
    return "\n".join([title, *_table(header, rows)])


def summary_line(result: CheckResult) -> str:
    """``3 files checked: 1 error, 2 warnings; red lines: 4 satisfied, 1 violated, ...``."""
    counts = result.summary()
    problems = [_plural(counts[key], noun) for key, noun in (("errors", "error"), ("warnings", "warning"),
                                                               ("infos", "info")) if counts.get(key)]
    line = f"{_plural(counts['files'], 'file')} checked: " + (", ".join(problems) or "no problems")
    if result.verdicts:
        # "not judged" only when some are: a red line or plan that could not be read is rare.
        parts = [f"{counts.get(v.replace(' ', '_'), 0)} {v}" for v in VERDICTS
                 if v != "not judged" or counts.get("not_judged")]
        conditional = sum(v.option is not None for v in result.verdicts)
        if conditional:
            parts.append(f"{conditional} depending on an option")
        line += "; red lines: " + ", ".join(parts)
    return line


# ============================================================================
# JSON
# ============================================================================


def to_json_document(result: CheckResult) -> dict:
    """``{"diagnostics": [...], "redlines": [...], "spectrum": [...], "summary": {...}}``."""
    spectrum = []
    for entry in _spectrum(result):
        item = entry.to_json()
        item["position"] = _finite(item["position"])
        spectrum.append(item)
    return {
        "diagnostics": [d.to_json() for d in _diagnostics(result)],
        "redlines": [v.to_json() for v in _verdicts(result)],
        "spectrum": spectrum,
        "summary": result.summary(),
    }


def render_json(result: CheckResult, cwd: str | None = None) -> str:
    """The JSON report as one document."""
    return json.dumps(to_json_document(result), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ============================================================================
# SARIF 2.1.0
# ============================================================================


def _code_order(code_id: str) -> tuple:
    """Codes by number (S1xx, F2xx, ... in pipeline order), then by id."""
    digits = "".join(ch for ch in code_id if ch.isdigit())
    return (int(digits) if digits else math.inf, code_id)


def registry() -> list[Code]:
    """Every registered code, in :func:`_code_order`."""
    return sorted(CODES.values(), key=lambda code: _code_order(code.id))


def _example_text(code: Code) -> str:
    parts = [code.explanation]
    if code.bad:
        parts.append("Example of the problem:\n" + textwrap.indent(code.bad, "    "))
    if code.good:
        parts.append("Fixed:\n" + textwrap.indent(code.good, "    "))
    return "\n\n".join(parts)


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}\n{text}\n{fence}"


def _example_markdown(code: Code) -> str:
    parts = [code.explanation]
    if code.bad:
        parts.append("Example of the problem:\n\n" + _fenced(code.bad))
    if code.good:
        parts.append("Fixed:\n\n" + _fenced(code.good))
    return "\n\n".join(parts)


def _rule(code: Code) -> dict:
    return {
        "id": code.id,
        "name": code.name,
        "shortDescription": {"text": code.title},
        "fullDescription": {"text": code.explanation},
        "help": {"text": _example_text(code), "markdown": _example_markdown(code)},
        "defaultConfiguration": {"level": SARIF_LEVELS[code.severity]},
    }


def _unregistered_rule(code_id: str, severity: Severity) -> dict:
    """A rule for a code missing from the registry: ruleIndex must still point somewhere."""
    return {
        "id": code_id,
        "name": code_id,
        "shortDescription": {"text": code_id},
        "fullDescription": {"text": f"Diagnostic {code_id}."},
        "help": {"text": f"Diagnostic {code_id}."},
        "defaultConfiguration": {"level": SARIF_LEVELS[severity]},
    }


def _artifact_location(path: str, cwd: str) -> dict:
    if _is_pseudo_file(path):
        return {"uri": quote(path, safe="")}
    relative, absolute = _located(path, cwd)
    if relative is not None:
        return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(absolute).as_uri()}


def _directory_uri(directory: str) -> str:
    """``file:///work/repo/``: a base URI must end with a slash (``/`` itself already does)."""
    uri = Path(directory).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _sarif_result(diagnostic: Diagnostic, rule_index: int, cwd: str) -> dict:
    line, column, end_line, end_column = _clamped(diagnostic)
    text = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    return {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": SARIF_LEVELS[diagnostic.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": _artifact_location(diagnostic.span.file, cwd),
                "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
            },
        }],
    }


def to_sarif(result: CheckResult, cwd: str | None = None) -> dict:
    """One SARIF run: every registered code as a rule, every diagnostic as a result.

    Violated red lines are diagnostics already (the R codes), so they are results
    once; the verdict table, spectrum and summary ride along in the run's
    property bag. URIs are relative to ``cwd`` (``%SRCROOT%``) when inside it.
    """
    cwd = os.path.abspath(cwd or os.getcwd())
    diagnostics = _diagnostics(result)
    rules = [_rule(code) for code in registry()]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    for diagnostic in diagnostics:
        if diagnostic.code not in index:
            index[diagnostic.code] = len(rules)
            rules.append(_unregistered_rule(diagnostic.code, diagnostic.severity))
    document = to_json_document(result)
    run = {
        "tool": {"driver": {
            "name": "plandsl",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(cwd)}},
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(d, index[d.code], cwd) for d in diagnostics],
        "properties": {"redlines": document["redlines"], "spectrum": document["spectrum"],
                       "summary": document["summary"]},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(result: CheckResult, cwd: str | None = None) -> str:
    """The SARIF log as one JSON document."""
    return json.dumps(to_sarif(result, cwd), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ============================================================================
# GitHub Actions workflow commands
# ============================================================================


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (as ``@actions/core`` does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as data, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic, cwd: str | None = None) -> str:
    """``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message``.

    Columns are given only for one-line spans, as GitHub asks. A diagnostic about
    standard input names no file.
    """
    cwd = os.path.abspath(cwd or os.getcwd())
    properties: list[tuple[str, str]] = []
    path = diagnostic.span.file
    if not _is_pseudo_file(path):
        relative, absolute = _located(path, cwd)
        line, column, end_line, end_column = _clamped(diagnostic)
        properties += [("file", relative if relative is not None else absolute), ("line", str(line))]
        if end_line == line:
            properties += [("col", str(column)), ("endLine", str(end_line)), ("endColumn", str(end_column))]
        else:
            properties += [("endLine", str(end_line))]
    properties.append(("title", diagnostic.code))
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{GITHUB_COMMANDS[diagnostic.severity]} {listed}::{escape_data(message)}"


def render_github(result: CheckResult, cwd: str | None = None) -> str:
    """One annotation per diagnostic, then the text report for the log.

    The report quotes the user's text (messages, titles), which may hold a line
    that looks like a workflow command. GitHub's ``::stop-commands::TOKEN`` turns
    command processing off around it; the token is a digest of the report, which
    the report cannot contain.
    """
    annotations = "".join(github_annotation(d, cwd) + "\n" for d in _diagnostics(result))
    log = render_text_report(result, cwd)
    token = "plandsl-" + hashlib.sha256(log.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{annotations}::stop-commands::{token}\n{log}::{token}::\n"


# ============================================================================
# The registry of formats
# ============================================================================

Writer = Callable[[CheckResult, str | None], str]

FORMATS: dict[str, Writer] = {
    "text": render_text_report,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}


def render(result: CheckResult, output_format: str = "text", cwd: str | None = None) -> str:
    """The whole report in ``output_format`` (a key of :data:`FORMATS`)."""
    return FORMATS[output_format](result, cwd)


# ============================================================================
# plandsl explain
# ============================================================================


def find_code(text: str) -> Code | None:
    """The code with this id (``s101`` too) or name (``unexpected-token``), or None."""
    wanted = text.strip()
    found = CODES.get(wanted.upper())
    if found is not None:
        return found
    return next((code for code in CODES.values() if code.name == wanted.lower()), None)


def suggest_codes(text: str) -> list[str]:
    """Codes whose id or name is close to ``text``, best first."""
    wanted = text.strip()
    # Letters typed for the digits they look like (S1O1, S1l0) are read as those digits.
    as_id = wanted.upper()[:1] + wanted.upper()[1:].translate(str.maketrans("OIL", "011"))
    by_id = [code for code in CODES if code == as_id] + difflib.get_close_matches(as_id, list(CODES), n=3,
                                                                                 cutoff=0.5)
    names = {code.name: code.id for code in CODES.values()}
    by_name = [names[name] for name in difflib.get_close_matches(wanted.lower(), list(names), n=3, cutoff=0.6)]
    return list(dict.fromkeys(by_id + by_name))[:3]


def explain(code: Code, width: int = 79) -> str:
    """Everything about one code: id, name, severity, title, explanation, examples."""
    out = [f"{code.id} {code.name} ({code.severity.value})", code.title]
    for paragraph in code.explanation.split("\n\n"):
        out += ["", *textwrap.wrap(paragraph, width)]
    bad, good = _without_shared_declarations(code.bad, code.good)
    for label, example in (("bad", bad), ("good", good)):
        if example:
            # S112's example holds a control character: shown escaped, not obeyed.
            shown = CONTROL_CHARACTER.sub(lambda m: repr(m.group())[1:-1], example)
            out += ["", f"{label}:", textwrap.indent(shown, "    ")]
    return "\n".join(out) + "\n"


def _without_shared_declarations(bad: str, good: str) -> tuple[str, str]:
    """The examples without the declarations both open with, which only set the scene."""
    bad_lines, good_lines = bad.splitlines(), good.splitlines()
    shared = 0
    while (shared < min(len(bad_lines), len(good_lines)) and bad_lines[shared] == good_lines[shared]
           and not bad_lines[shared].startswith(("plan ", "positions "))):
        shared += 1
    if shared < 4:
        return bad, good
    note = f"# ... {shared} lines of declarations, the same in both examples"
    return "\n".join([note, *bad_lines[shared:]]), "\n".join([note, *good_lines[shared:]])


def list_codes() -> str:
    """One line per code: id, default severity, title; in number order."""
    codes = registry()
    width = max((len(code.id) for code in codes), default=0)
    return "".join(f"{code.id.ljust(width)}  {code.severity.value:<7}  {code.title}\n" for code in codes)
