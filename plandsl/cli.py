"""The ``plandsl`` command: a thin shell over the public API.

Exit codes: 0 clean, 1 problems found (syntax errors included), 2 usage, I/O or
internal error. Each command imports only the stages it needs, so that
``plandsl parse`` starts fast.
"""

from __future__ import annotations

import argparse
import signal
import sys
from dataclasses import dataclass, field

from plandsl import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2

_DESCRIPTION = """\
plandsl compiles .plan files: peace plans, armistices and treaties written as
code. It checks them, formats them, and renders them as documents.
"""

_EPILOG = """\
examples:
  plandsl parse examples/ukraine-2025/us-28-point.plan
  plandsl parse examples/ --format json > ast.json
  plandsl check examples/ukraine-2025    # plans against every red line, one report
  plandsl check plans/ --format sarif > plandsl.sarif
  plandsl explain S101                   # what a diagnostic code means, with examples
  plandsl render plan.plan --to html -o plan.html
  plandsl compare a.plan b.plan --positions=positions.plan --to md
  plandsl build --check                  # in CI: fail if a generated document is stale
  plandsl fmt examples/                  # rewrite files in the canonical layout
  plandsl fmt --check --diff plans/      # in CI: fail if any file is not formatted
  cat draft.plan | plandsl fmt -         # format standard input to standard output

exit codes: 0 clean, 1 problems found, 2 usage, I/O or internal error
"""


@dataclass
class Options:
    """Every command-line option, in one place."""

    command: str = ""
    paths: list[str] = field(default_factory=list)
    output_format: str = "text"
    check: bool = False
    diff: bool = False
    max_file_size_mib: float = 16.0
    allow_outside_uses: bool = False
    positions: list[str] = field(default_factory=list)
    error_on: str = "error"
    redline_severity: str = "warning"
    code: str | None = None
    list_codes: bool = False
    to: str = "md"
    output: str | None = None
    plan: str | None = None
    templates: str | None = None
    project: str = "plandsl.toml"
    allow_outside_project: bool = False

    @property
    def max_bytes(self) -> int:
        """The file size limit in bytes."""
        return int(self.max_file_size_mib * 1024 * 1024)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with a one-line hint, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


#: The largest --max-file-size accepted, in MiB: far above any plan, still a size to allocate.
MAX_FILE_SIZE_MIB = 4096


def _positive_size(text: str) -> float:
    """A number of MiB: finite, above 0 and at most MAX_FILE_SIZE_MIB ('inf', 'nan' and
    '1e300' are refused here rather than failing later)."""
    try:
        size = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of MiB") from None
    if not 0 < size <= MAX_FILE_SIZE_MIB:  # also false for nan
        raise argparse.ArgumentTypeError(f"'{text}': the size is a number of MiB above 0 and at most "
                                         f"{MAX_FILE_SIZE_MIB}")
    if size * 1024 * 1024 < 1:
        raise argparse.ArgumentTypeError(f"'{text}': the size must be at least one byte")
    return size


def _command(commands, name: str, summary: str, description: str, examples: list[str]) -> argparse.ArgumentParser:
    """A subcommand that reads .plan files, with its help and examples."""
    command = commands.add_parser(
        name, help=summary, description=description,
        epilog="examples:\n" + "".join(f"  {example}\n" for example in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    # Not required here: '--positions A B PLAN' takes every file after it, and the
    # command then finds the plans among them (see main).
    command.add_argument("paths", nargs="+" if name in ("parse", "fmt") else "*", metavar="FILE",
                         help="a .plan file, a directory, or - for stdin")
    command.set_defaults(command_parser=command)
    command.add_argument("--max-file-size", dest="max_file_size_mib", type=_positive_size, default=16.0,
                         metavar="MIB", help="refuse files larger than this (default: 16)")
    if name != "fmt":
        command.add_argument("--allow-outside-uses", action="store_true",
                             help="let 'use' read files outside the project directory (the directory of the "
                                  "nearest plandsl.toml, or the file's own); off by default, for plans "
                                  "from untrusted sources")
    return command


def build_argument_parser() -> argparse.ArgumentParser:
    """The argument parser, with a subcommand per job."""
    parser = _Parser(prog="plandsl", description=_DESCRIPTION, epilog=_EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"plandsl {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    parse = _command(
        commands, "parse", "check syntax and show the structure of .plan files",
        "Check the syntax of .plan files and of the files they use. "
        "Directories are searched for *.plan files; '-' reads standard input.",
        ["plandsl parse plan.plan", "plandsl parse --format json plan.plan"])
    parse.add_argument("--format", dest="output_format", choices=("text", "json"), default="text",
                       help="text (default): diagnostics for people; json: the syntax tree with spans")

    fmt = _command(
        commands, "fmt", "rewrite .plan files in the canonical layout",
        "Format .plan files in place. Comments are kept; meaning never changes. "
        "'-' formats standard input to standard output.",
        ["plandsl fmt plans/", "plandsl fmt --check plans/", "plandsl fmt --diff plan.plan"])
    fmt.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 and name the files that would change")
    fmt.add_argument("--diff", action="store_true", help="write nothing; print what would change as a diff")

    check = _command(
        commands, "check", "check plans for consistency and against every party's red lines",
        "Check .plan files as one program: syntax, names, the consistency of every plan,\n"
        "and every red line of every party judged against every plan. Directories are\n"
        "searched for *.plan files; '-' reads standard input. All the files give one\n"
        "report: one text log, one JSON document or one SARIF run. Exits 1 when a\n"
        "diagnostic reaches --error-on.",
        ["plandsl check examples/ukraine-2025",
         "plandsl check plans/us-28-point.plan --positions positions/",
         "plandsl check plans/ --format json > report.json",
         "plandsl check plans/ --format sarif > plandsl.sarif     # for GitHub code scanning",
         "plandsl check plans/ --format github                    # annotations in GitHub Actions",
         "plandsl check plans/ --error-on warning --redline-severity error"])
    check.add_argument("--positions", nargs="+", action="extend", default=[], metavar="FILE",
                       help="files or directories with the parties' positions (red lines and ideals); "
                            "it takes every file after it, plans included when they come last: all are "
                            "checked as one program")
    check.add_argument("--format", dest="output_format", choices=("text", "json", "sarif", "github"),
                       default="text",
                       help="text (default): diagnostics, red-line verdicts, spectrum, summary; json: one "
                            "document; sarif: SARIF 2.1.0 for code scanning; github: workflow annotations, "
                            "then the text report")
    check.add_argument("--error-on", choices=("warning", "error"), default="error",
                       help="exit 1 when a diagnostic is at least this severe (default: error)")
    check.add_argument("--redline-severity", choices=("error", "warning", "info"), default="warning",
                       help="the severity of a violated red line (default: warning)")

    render = _command(
        commands, "render", "write one plan as a document (Markdown, HTML or JSON)",
        "Write a plan as a numbered document: a title block, the points in prose, bracketed\n"
        "alternatives, sources as footnotes; with --positions, an annex of red-line verdicts\n"
        "and findings. Files with errors are not rendered (exit 1). When the file refers to\n"
        "names that only other .plan files of its directory declare (a revision of a plan in\n"
        "a file of its own), the other .plan files of that directory are loaded too.",
        ["plandsl render examples/ukraine-2025/us-28-point.plan --to md",
         "plandsl render plan.plan --positions positions.plan --to html -o plan.html",
         "plandsl render plan.plan --to json | jq .points"])
    compare = _command(
        commands, "compare", "put several plans side by side against every red line",
        "Compare plans: issues by plans, red-line verdicts by plans, what each revision\n"
        "changed, and where each plan sits between the parties' ideals. Each party's ideal\n"
        "clauses get a column of their own. As for render, when a file refers to names that\n"
        "only other .plan files of its directory declare, those files are loaded too.",
        ["plandsl compare us-28-point.plan us-20-point.plan --positions russia.plan ukraine.plan",
         "plandsl compare plans/ --positions=positions/ --to html -o comparison.html"])
    for command in (render, compare):
        command.add_argument("--positions", nargs="+", action="extend", default=[], metavar="FILE",
                             help="files with the parties' positions; when the plans come after them, "
                                  "the plans are found among all the files")
        command.add_argument("--to", choices=("md", "html", "json") if command is render else ("md", "html"),
                             default="md", help="the document's format (default: md)")
        command.add_argument("-o", "--output", metavar="OUT",
                             help="write here (atomically) instead of to standard output")
        command.add_argument("--templates", metavar="DIR",
                             help="a directory of Jinja templates overriding the shipped ones by name")
    render.add_argument("--plan", metavar="NAME", help="the plan to render when the files hold several")

    build = commands.add_parser(
        "build", help="write every document a project file lists; --check finds stale ones",
        description="Read a project file (plandsl.toml) that lists documents (which plans, which\n"
                    "positions, which format, where to write) and write them all. With --check,\n"
                    "write nothing and exit 1 naming every document that is missing or stale.",
        epilog="examples:\n  plandsl build\n  plandsl build --check            # in CI\n"
               "  plandsl build --project docs/plandsl.toml\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--check", action="store_true", help="write nothing; exit 1 if a document is stale")
    build.add_argument("--project", default="plandsl.toml", metavar="FILE",
                       help="the project file (default: plandsl.toml)")
    build.add_argument("--allow-outside-project", action="store_true",
                       help="let the project file name plans, positions, templates and outputs outside the "
                            "project directory (the project file's own, symlinks resolved); off by default, "
                            "for project files from untrusted sources")

    explain = commands.add_parser(
        "explain", help="explain a diagnostic code, with examples",
        description="Show what a diagnostic code means: its name, title, default severity,\n"
                    "explanation, and an example that triggers it with its fix.",
        epilog="examples:\n  plandsl explain S101\n  plandsl explain unexpected-token\n  plandsl explain --list\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    explain.add_argument("code", nargs="?", metavar="CODE", help="a code (S101) or its name (unexpected-token)")
    explain.add_argument("--list", dest="list_codes", action="store_true",
                         help="list every code with its severity and title")
    return parser


def _interrupted(number, frame):
    for each in _SIGNALS:  # a second signal must not cut the clean-up short
        signal.signal(each, signal.SIG_IGN)
    raise KeyboardInterrupt


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _interrupt_on_signals() -> dict:
    """SIGINT and SIGTERM raise KeyboardInterrupt, so that temporaries are removed and
    the run exits 2; returns the handlers to put back."""
    previous = {}
    for number in _SIGNALS:
        try:
            previous[number] = signal.signal(number, _interrupted)
        except (ValueError, OSError):  # not the main thread: leave signals alone
            break
    return previous


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_argument_parser()
    arguments = parser.parse_args(argv)
    if not arguments.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    options = Options(**{k: v for k, v in vars(arguments).items() if k in Options.__dataclass_fields__})
    if options.command in ("check", "render", "compare") and not options.paths:
        if not options.positions:
            arguments.command_parser.error("the following arguments are required: FILE")
        # '--positions FILE...' before the plans took them all: every file is read, and the
        # plans are the ones these files declare.
        options.paths, options.positions = options.positions, []
    previous = _interrupt_on_signals()
    try:
        if options.command == "parse":
            from plandsl.commands import run_parse
            return run_parse(options)
        if options.command == "fmt":
            from plandsl.commands import run_fmt
            return run_fmt(options)
        if options.command == "check":
            from plandsl.commands import run_check
            return run_check(options)
        if options.command == "explain":
            from plandsl.commands import run_explain
            return run_explain(options)
        if options.command in ("render", "compare"):
            from plandsl.commands import run_document
            return run_document(options)
        if options.command == "build":
            from plandsl.commands import run_build
            return run_build(options)
    except KeyboardInterrupt:
        from plandsl.files import remove_live_temporaries

        remove_live_temporaries()
        print("plandsl: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    parser.error(f"unknown command '{options.command}'")
    return EXIT_ERROR


def main_entry() -> None:
    """The console-script entry point: exits with :func:`main`'s code."""
    sys.exit(main())
