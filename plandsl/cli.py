"""The ``plandsl`` command: a thin shell over the public API.

Exit codes: 0 clean, 1 problems found (syntax errors included), 2 usage, I/O or
internal error. Each command imports only the stages it needs, so that
``plandsl parse`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from plandsl import __version__

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_ERROR = 2

_DESCRIPTION = """\
plandsl compiles .plan files: peace plans, armistices and treaties written as
code. It checks them, formats them, and (soon) renders them as documents.
"""

_EPILOG = """\
examples:
  plandsl parse examples/ukraine-2025/us-28-point.plan
  plandsl parse examples/ --format json > ast.json
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

    @property
    def max_bytes(self) -> int:
        """The file size limit in bytes."""
        return int(self.max_file_size_mib * 1024 * 1024)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with a one-line hint, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _positive_size(text: str) -> float:
    try:
        size = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of MiB") from None
    if size <= 0:
        raise argparse.ArgumentTypeError("the size must be above 0")
    return size


def _command(commands, name: str, summary: str, description: str, examples: list[str]) -> argparse.ArgumentParser:
    """A subcommand that reads .plan files, with its help and examples."""
    command = commands.add_parser(
        name, help=summary, description=description,
        epilog="examples:\n" + "".join(f"  {example}\n" for example in examples),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("paths", nargs="+", metavar="FILE", help="a .plan file, a directory, or - for stdin")
    command.add_argument("--max-file-size", dest="max_file_size_mib", type=_positive_size, default=16.0,
                         metavar="MIB", help="refuse files larger than this (default: 16)")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_argument_parser()
    arguments = parser.parse_args(argv)
    if not arguments.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    options = Options(**{k: v for k, v in vars(arguments).items() if k in Options.__dataclass_fields__})
    try:
        if options.command == "parse":
            from plandsl.commands import run_parse
            return run_parse(options)
        if options.command == "fmt":
            from plandsl.commands import run_fmt
            return run_fmt(options)
    except KeyboardInterrupt:
        print("plandsl: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    parser.error(f"unknown command '{options.command}'")
    return EXIT_ERROR


def main_entry() -> None:
    """The console-script entry point: exits with :func:`main`'s code."""
    sys.exit(main())
