"""The registry of diagnostic codes.

Codes are stable: once published, a code keeps its meaning. Each has a short
name, a one-line title, a longer explanation, a default severity, and a bad and
a good example (shown by ``plandsl explain`` once that command lands).

Ranges: S1xx syntax and source text, F2xx files and ``use``.
"""

from __future__ import annotations

from dataclasses import dataclass

from plandsl.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    """One diagnostic code and everything a user may want to know about it."""

    id: str
    name: str
    title: str
    severity: Severity
    explanation: str
    bad: str = ""
    good: str = ""


_ALL = [
    Code(
        "S101", "unexpected-token", "Unexpected word or symbol", Severity.ERROR,
        "The parser met a word or symbol that cannot stand where it was written. "
        "The message names what could have come there instead.",
        bad='plan p { point 1 { ukraine shall cede to russia; } }',
        good='plan p { point 1 { ukraine shall cede donetsk to russia; } }',
    ),
    Code(
        "S102", "unexpected-character", "Character that is not part of the language", Severity.ERROR,
        "A character that starts no word, number, string or symbol of the language, "
        "such as '@' or a stray quote mark.",
        bad='state ukraine @ "Ukraine";',
        good='state ukraine "Ukraine";',
    ),
    Code(
        "S103", "unclosed-string", "String not closed on its line", Severity.ERROR,
        'A string starts with " and must end with " on the same line.',
        bad='state ukraine "Ukraine;',
        good='state ukraine "Ukraine";',
    ),
    Code(
        "S104", "missing-semicolon", "Missing ';' at the end of a statement", Severity.ERROR,
        "Every statement ends with ';' (or with a block in braces). The parser "
        "inserted one and went on.",
        bad='state russia "Russia"\nstate ukraine "Ukraine";',
        good='state russia "Russia";\nstate ukraine "Ukraine";',
    ),
    Code(
        "S105", "unclosed-block", "Block opened with '{' but never closed", Severity.ERROR,
        "A '{' opens a block that must end with '}'. The message names the block "
        "that was still open.",
        bad='plan p {\n  status draft;\n',
        good='plan p {\n  status draft;\n}',
    ),
    Code(
        "S106", "too-deeply-nested", "Nesting deeper than the parser allows", Severity.ERROR,
        "Parentheses in conditions may nest at most 64 levels deep. Deeper nesting "
        "is almost certainly a mistake, and would exhaust the tools that read the file.",
        bad='... if ((((((...)))))) ...',
        good='... if russia invades ukraine ...',
    ),
    Code(
        "S107", "file-too-large", "File larger than the size limit", Severity.ERROR,
        "Files above the size limit (16 MiB unless --max-file-size says otherwise) "
        "are not read. Split the file with 'use'.",
    ),
    Code(
        "S108", "not-text", "File is not UTF-8 text", Severity.ERROR,
        "Plan files are UTF-8 text. The file holds bytes that are not valid UTF-8, "
        "or NUL bytes, which text never holds.",
    ),
    Code(
        "S109", "too-many-errors", "Too many syntax errors", Severity.ERROR,
        "After 100 syntax errors in one file the parser stops, since later errors "
        "are most likely echoes of earlier ones.",
    ),
    Code(
        "F201", "use-not-found", "A used file cannot be read", Severity.ERROR,
        "'use \"PATH\";' names a file relative to the file that says it. The file "
        "does not exist or cannot be read.",
        bad='use "wrold.plan";',
        good='use "world.plan";',
    ),
    Code(
        "F202", "use-cycle", "Files use each other in a cycle", Severity.ERROR,
        "A file may not use itself, directly or through other files.",
        bad='# a.plan\nuse "b.plan";\n# b.plan\nuse "a.plan";',
        good='# a.plan\nuse "world.plan";\n# b.plan\nuse "world.plan";',
    ),
    Code(
        "F203", "duplicate-name", "A name declared twice", Severity.ERROR,
        "Every declaration, plan and red line within its positions has one name. "
        "Two declarations with the same name, in one file or across used files, "
        "are an error.",
        bad='state russia "Russia";\nregion russia "Russia";',
        good='state russia "Russia";\nregion russia_land "Russia";',
    ),
]

CODES: dict[str, Code] = {code.id: code for code in _ALL}


def lookup(code_id: str) -> Code | None:
    """The code with this id (case-insensitive), or None."""
    return CODES.get(code_id.upper())
