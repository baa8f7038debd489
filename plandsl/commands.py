"""What each ``plandsl`` command does, between reading arguments and exiting.

Every command reports problems through the same diagnostic renderer, turns
unreadable inputs into exit code 2, and turns a bug of ours into a short
"internal error" message naming the file (exit 2), never a traceback.
"""

from __future__ import annotations

import difflib
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from plandsl.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Options
from plandsl.diagnostics import Diagnostic, Severity, render_text, sort_diagnostics, source_lines
from plandsl.errors import UserError
from plandsl.files import expand_paths, write_atomic
from plandsl.inputs import quote_path, read_file


class _InternalError(Exception):
    def __init__(self, where: str, error: Exception):
        super().__init__(f"internal error while processing {where}: {type(error).__name__}: {error}")


@contextmanager
def _processing(where: str):
    """Turn an unexpected exception into an internal error that names the file.

    Problems of the user's input pass through, to be reported as such: an
    unreadable file (:class:`plandsl.loader.InputError`), a document that cannot be
    made from it, a failing user template, a broken project file.
    """
    try:
        yield
    except (OSError, KeyboardInterrupt, _InternalError):
        raise
    except Exception as error:  # noqa: BLE001 - any bug of ours must not show a traceback
        if isinstance(error, UserError):
            raise
        raise _InternalError(where, error) from error


def _fail(message: str) -> int:
    print(f"plandsl: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _inputs(options: Options) -> list[str] | None:
    paths = expand_paths(options.paths)
    if not paths:
        return None
    return paths


def _read_stdin(max_bytes: int) -> bytes:
    """Standard input, cut one byte past the limit (the parser then reports S107)."""
    from plandsl.inputs import read_stdin

    return read_stdin(max_bytes)


def _summary(files: int, diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    noun = "file" if files == 1 else "files"
    if not errors and not warnings:
        return f"{files} {noun} checked: no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{files} {noun} checked: " + ", ".join(parts)


def print_diagnostics(diagnostics: list[Diagnostic], sources: dict[str, str], stream) -> None:
    """Render sorted diagnostics as text, with the source line under each."""
    lines_of: dict[str, list[str]] = {}
    for diagnostic in diagnostics:
        path = diagnostic.span.file
        if path not in lines_of:
            text = sources.get(path)
            lines_of[path] = source_lines(text) if text is not None else None
        print(render_text(diagnostic, lines_of[path]), file=stream)


# ============================================================================
# plandsl parse
# ============================================================================


def run_parse(options: Options) -> int:
    """``plandsl parse``: syntax of the given files and the files they use."""
    from plandsl.loader import InputError, load

    paths = _inputs(options)
    if paths is None:
        return _fail("no .plan files found in " + _named(options.paths))
    stdin = _read_stdin(options.max_bytes) if "-" in paths else None
    try:
        with _processing(_named(paths)):
            program = load(paths, stdin, options.max_bytes, options.allow_outside_uses)
            diagnostics = sort_diagnostics(program.all_diagnostics())
            if options.output_format == "json":
                from plandsl.tojson import to_json

                document = {
                    "files": [{"path": path, "ast": to_json(program.files[path].tree)} for path in program.roots],
                    "diagnostics": [d.to_json() for d in diagnostics],
                    "summary": _counts(len(program.files), diagnostics),
                }
                sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            else:
                sources = {path: result.text for path, result in program.files.items()}
                print_diagnostics(diagnostics, sources, sys.stdout)
                print(_summary(len(program.files), diagnostics))
    except InputError as error:
        return _fail(str(error))
    except _InternalError as error:
        return _fail(str(error))
    return EXIT_PROBLEMS if any(d.severity is Severity.ERROR for d in diagnostics) else EXIT_OK


def _counts(files: int, diagnostics: list[Diagnostic]) -> dict:
    return {
        "files": files,
        "errors": sum(d.severity is Severity.ERROR for d in diagnostics),
        "warnings": sum(d.severity is Severity.WARNING for d in diagnostics),
    }


# ============================================================================
# plandsl fmt
# ============================================================================


def run_fmt(options: Options) -> int:
    """``plandsl fmt``: rewrite, check or diff the canonical layout of each file."""
    from plandsl.formatter import format_source
    from plandsl.loader import refuse_input
    from plandsl.parser import decode

    paths = _inputs(options)
    if paths is None:
        return _fail("no .plan files found in " + _named(options.paths))
    write = not (options.check or options.diff)
    changed: list[str] = []
    broken = 0
    for path in paths:
        shown = "<stdin>" if path == "-" else quote_path(path)
        refused = None if path == "-" else refuse_input(Path(path), shown, False, None)
        if refused is not None:  # a symlink loop, or a link out of the project: not read, not written
            print_diagnostics([refused], {}, sys.stderr)
            broken += 1
            continue
        try:
            data = _read_stdin(options.max_bytes) if path == "-" else read_file(path, options.max_bytes)
        except OSError as error:
            return _fail(f"cannot read {shown}: {error.strerror or error}")
        if len(data) > options.max_bytes:
            from plandsl.parser import parse_bytes

            print_diagnostics(parse_bytes(data, shown, options.max_bytes).diagnostics, {}, sys.stderr)
            broken += 1
            continue
        try:
            with _processing(shown):
                text, problems = decode(data, shown)
                if problems:
                    print_diagnostics(problems, {shown: text}, sys.stderr)
                    broken += 1
                    continue
                result = format_source(text, shown)
                if result.formatted is None:
                    print_diagnostics(sort_diagnostics(result.diagnostics), {shown: text}, sys.stderr)
                    print(f"error: cannot format {shown}: it has syntax errors", file=sys.stderr)
                    broken += 1
                    continue
                formatted = _with_line_endings(result.formatted, text)
        except _InternalError as error:
            return _fail(str(error))
        if path == "-" and write:
            sys.stdout.write(formatted)
            continue
        if formatted == text:
            continue
        changed.append(shown)
        if options.diff:
            sys.stdout.writelines(difflib.unified_diff(
                text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                fromfile=f"{shown}\t(original)", tofile=f"{shown}\t(formatted)"))
        if options.check:
            print(f"would reformat {shown}", file=sys.stderr)
        if write:
            try:
                in_place = write_atomic(path, formatted, in_place_fallback=True)
            except OSError as error:
                return _fail(f"cannot write {shown}: {error.strerror or error}")
            print(f"reformatted {shown}{_IN_PLACE if in_place else ''}", file=sys.stderr)
    files = len(paths)
    if not (len(paths) == 1 and paths[0] == "-" and write):
        verb = "reformatted" if write else "would be reformatted"
        unchanged = files - len(changed) - broken
        parts = [f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}",
                 f"{unchanged} file{'s' if unchanged != 1 else ''} left unchanged"]
        if broken:
            parts.append(f"{broken} file{'s' if broken != 1 else ''} with errors")
        print(", ".join(parts), file=sys.stderr)
    if broken or (options.check and changed):
        return EXIT_PROBLEMS
    return EXIT_OK


_IN_PLACE = " in place (its directory takes no new file, so the write was not atomic)"


def _with_line_endings(formatted: str, original: str) -> str:
    """Keep Windows line endings in a file that used them."""
    first = original.find("\n")
    if first > 0 and original[first - 1] == "\r":
        return formatted.replace("\n", "\r\n")
    return formatted


# ============================================================================
# plandsl check
# ============================================================================


def _named(paths: list[str], most: int = 5) -> str:
    """The inputs as the user gave them, in a message short enough to read."""
    shown = ", ".join(quote_path(path) for path in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def run_check(options: Options) -> int:
    """``plandsl check``: every plan against the rules and every red line, as one report.

    The report is built whole in memory and written only when complete: a failure
    (exit 2) leaves nothing on standard output.
    """
    from plandsl.check import CheckOptions, check
    from plandsl.loader import InputError
    from plandsl.report import render

    paths = _inputs(options)
    if paths is None:
        return _fail("no .plan files found in " + _named(options.paths))
    positions = expand_paths(options.positions)
    if options.positions and not positions:
        return _fail("no .plan files found in " + _named(options.positions))
    check_options = CheckOptions(redline_severity=Severity(options.redline_severity),
                                 error_on=Severity(options.error_on), max_bytes=options.max_bytes,
                                 allow_outside_uses=options.allow_outside_uses)
    try:
        stdin = _read_stdin(options.max_bytes) if "-" in paths or "-" in positions else None
        with _processing(_named(options.paths + options.positions)):
            result = check(paths, positions, check_options, stdin)
            report = render(result, options.output_format)
    except InputError as error:
        return _fail(str(error))
    except _InternalError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot read the input: {error.strerror or error}")
    sys.stdout.write(report)
    sys.stdout.flush()
    return EXIT_PROBLEMS if result.failed else EXIT_OK


# ============================================================================
# plandsl explain
# ============================================================================


def run_explain(options: Options) -> int:
    """``plandsl explain CODE`` and ``plandsl explain --list``: the code registry for people."""
    from plandsl.report import explain, find_code, list_codes, suggest_codes

    if options.list_codes == (options.code is not None):
        print("usage: plandsl explain CODE | plandsl explain --list", file=sys.stderr)
        return _fail("give one code, or --list")
    if options.list_codes:
        sys.stdout.write(list_codes())
        return EXIT_OK
    code = find_code(options.code)
    if code is None:
        close = suggest_codes(options.code)
        quoted = [f"'{c}'" for c in close]
        alternatives = ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else "".join(quoted)
        hint = f"; did you mean {alternatives}?" if close else ""
        return _fail(f"unknown code '{options.code}'{hint} ('plandsl explain --list' lists every code)")
    sys.stdout.write(explain(code))
    return EXIT_OK


# ============================================================================
# plandsl render, compare and build
# ============================================================================


def run_document(options: Options) -> int:
    """``plandsl render`` and ``plandsl compare``: one document, to stdout or a file."""
    from plandsl.documents import DocumentError, render_comparison, render_plan
    from plandsl.loader import InputError
    from plandsl.render import RenderError

    stdin = _read_stdin(options.max_bytes) if "-" in options.paths + options.positions else None
    try:
        with _processing(_named(options.paths)):
            if options.command == "render":
                document = render_plan(options.paths, options.positions, options.to, options.plan,
                                       options.templates, stdin, options.allow_outside_uses, options.max_bytes)
            else:
                document = render_comparison(options.paths, options.positions, options.to, options.templates,
                                             allow_outside_uses=options.allow_outside_uses, stdin=stdin,
                                             max_bytes=options.max_bytes)
    except InputError as error:
        return _fail(str(error))
    except DocumentError as error:
        if error.result is not None:
            errors = [d for d in error.result.diagnostics if d.severity is Severity.ERROR]
            print_diagnostics(errors, error.result.files, sys.stderr)
        print(f"plandsl: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except RenderError as error:
        print(f"plandsl: {error}", file=sys.stderr)
        return EXIT_ERROR
    except _InternalError as error:
        return _fail(str(error))
    if options.output:
        try:
            in_place = write_atomic(options.output, document.text, in_place_fallback=True)
        except OSError as error:
            return _fail(f"cannot write {quote_path(options.output)}: {error.strerror or error}")
        if in_place:
            print(f"plandsl: wrote {quote_path(options.output)}{_IN_PLACE}", file=sys.stderr)
    else:
        sys.stdout.write(document.text)
    return EXIT_OK


def run_build(options: Options) -> int:
    """``plandsl build``: every document of the project file, written or checked."""
    from plandsl.build import BuildError, build

    try:
        with _processing(quote_path(options.project)):
            report = build(options.project, check_only=options.check, progress=sys.stderr,
                           allow_outside_project=options.allow_outside_project)
    except BuildError as error:
        print(f"plandsl: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:
        where = quote_path(error.filename2 or error.filename or options.project)
        return _fail(f"cannot write {where}: {error.strerror or error}")
    except _InternalError as error:
        return _fail(str(error))
    for path in report.stale:
        print(f"{'stale' if options.check else 'wrote'} {path}", file=sys.stderr)
    if options.check and report.stale:
        print(f"{len(report.stale)} of {report.total} documents are stale; run 'plandsl build'", file=sys.stderr)
        return EXIT_PROBLEMS
    noun = "document" if report.total == 1 else "documents"
    print(f"{report.total} {noun} {'up to date' if options.check else 'built'}"
          f"{'' if options.check else f', {len(report.stale)} changed'}", file=sys.stderr)
    return EXIT_OK
