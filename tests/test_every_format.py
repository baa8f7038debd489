"""``check``, ``render`` and ``compare`` never raise on any generated input, in every format.

Whole programs are built with the public kit :mod:`plandsl.testing` (a world, one
or more plans or a plan and its revision, and positions blocks), then dressed:
hostile user text in titles and prose, and a force of our own with caps in the
plans and ideals in the positions (so that the position spectrum is exercised,
from tiny figures to huge ones). They are formatted with ``format_tree`` and laid
out in files in a few ways (one file; plans and positions apart; the world apart
too). Then, for every format the command line offers (read from its parser):

a. ``check`` + ``report.render``: never raises; JSON validates against the shipped
   schema, SARIF passes the structural validator of ``test_report``, the GitHub
   format is one annotation per diagnostic around the text report, and the text
   report holds no traceback nor any Lark terminal name;
b. ``render_plan``, with and without positions: either a non-empty document, the
   same bytes twice (JSON parses and lists every point, HTML runs no script from
   user text, Markdown keeps its tables), or a ``DocumentError`` because the
   check found errors: nothing else;
c. ``render_comparison`` of a plan and its revision, with positions: the same;
d. the installed ``plandsl`` command on a few of these programs: exit 0 or 1,
   never 2, no traceback, and the same exit code from every command and format.

Example counts are set per property below, so that this file runs in under a
minute; the ``ci`` profile keeps them (and derandomizes), a profile asking for
more (``--hypothesis-profile=fuzz``) gets its own number.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

import plandsl.testing as kit
from plandsl import ast
from plandsl.check import CheckOptions, check
from plandsl.cli import build_argument_parser
from plandsl.diagnostics import Severity
from plandsl.documents import DocumentError, render_comparison, render_plan
from plandsl.formatter import format_tree
from plandsl.report import FORMATS, render

jsonschema = pytest.importorskip("jsonschema")
from jsonschema import Draft202012Validator  # noqa: E402

from conftest import run_cli  # noqa: E402
from strategies import QUALIFIERS, SCALE_WORDS, decimals, proportions, texts  # noqa: E402
from test_documents import headings, markdown_problems, parse_html  # noqa: E402
from test_properties import leaked_terminal_names  # noqa: E402
from test_report import validate_sarif  # noqa: E402
from test_schema import assert_valid, load_schema  # noqa: E402

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]


def examples(count: int) -> int:
    """``count`` examples (few: this file runs in well under a minute), unless the loaded
    profile asks for another number than hypothesis's default (``--hypothesis-profile=fuzz``)."""
    wanted = settings.default.max_examples
    return count if wanted == settings.get_profile("default").max_examples else wanted


VALIDATOR = Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def cli_choices(command: str, option: str) -> tuple[str, ...]:
    """The values ``plandsl COMMAND OPTION`` accepts, read from the command line's own parser."""
    parser = build_argument_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return tuple(next(a.choices for a in commands.choices[command]._actions if option in a.option_strings))


CHECK_FORMATS = cli_choices("check", "--format")
RENDER_FORMATS = cli_choices("render", "--to")
COMPARE_FORMATS = cli_choices("compare", "--to")


def test_the_formats_under_test_are_every_format_the_cli_offers():
    assert set(CHECK_FORMATS) == set(FORMATS) and len(CHECK_FORMATS) >= 4
    assert set(RENDER_FORMATS) == {"md", "html", "json"}
    assert set(COMPARE_FORMATS) == {"md", "html"}


# ============================================================================
# Programs: a world, plans and positions, in files
# ============================================================================

#: User text that tries to break out of its place in a document or a report.
HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '"><script src=x></script>',
    "<SCRIPT>alert(1)</SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "a | b *c* _d_ `e` [f](g) # h",
    "line one\nline two\r\n# heading?",
    "{{ 7 * 7 }} {% raw %} {# x #}",
    "::error::injected",
]
user_texts = st.one_of(st.sampled_from(HOSTILE_TEXTS), texts)
titles = st.none() | user_texts

vocabularies = st.tuples(
    st.lists(st.sampled_from(kit.DEFAULT_PARTIES), min_size=2, max_size=3, unique=True).map(tuple),
    st.lists(st.sampled_from(kit.DEFAULT_REGIONS), min_size=1, max_size=2, unique=True).map(tuple),
)


#: A force of our own, with a strength (the kit's worlds declare one without), its caps in
#: plans and in ideals, with figures from tiny to huge: the position spectrum's input.
FORCE = "guard"
figures = st.one_of(
    decimals,
    st.sampled_from([Decimal(0), Decimal("0.00000001"), Decimal(10**17), Decimal("9999999999.99999999")]),
    # Every order of magnitude alike, within the 18 digits a number may have (S110).
    st.builds(lambda digits, exponent: Decimal(digits).scaleb(exponent), st.integers(1, 999), st.integers(-8, 15)),
)
#: Shares of strength: mostly below one (the caps that make sense), sometimes anything.
small_proportions = st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), st.one_of(
    st.builds(ast.Fraction, st.integers(1, 9), st.integers(2, 10)),
    st.builds(ast.Percent, st.integers(0, 100).map(Decimal)),
))
shares_of_strength = small_proportions | proportions
personnel = st.builds(ast.Estimate, st.sampled_from(QUALIFIERS),
                      st.builds(ast.Quantity, figures, st.sampled_from(SCALE_WORDS), st.just("personnel")))
strengths = st.none() | personnel | st.just(ast.Estimate(None, None))
caps = st.builds(
    ast.Clause, st.none(), st.just((ast.Ref(FORCE),)), st.sampled_from(["shall not", "shall never", "may"]),
    st.builds(ast.Exceed, st.one_of(st.builds(ast.Limit, personnel, st.none() | shares_of_strength),
                                    st.builds(ast.Limit, st.none(), shares_of_strength))),
    st.just(()), st.just(()))


def _force(draw, parties) -> ast.Declaration:
    strength = draw(strengths)
    properties = (ast.Property("of", (ast.Ref(draw(st.sampled_from(parties))),)),
                  *([ast.Property("strength", (strength,))] if strength is not None else []))
    return ast.Declaration("force", FORCE, draw(titles), properties)


def _prose(draw) -> tuple[ast.Property, ...]:
    keys = draw(st.lists(st.sampled_from(["text", "note"]), max_size=2))
    return tuple(ast.Property(key, (draw(user_texts),)) for key in keys)


def _dressed_plan(draw, plan: ast.Plan) -> ast.Plan:
    """The plan with user text of ours in its title, prose and points, and maybe caps on the force."""
    items = []
    for item in plan.items:
        if isinstance(item, ast.Point):
            prose = tuple(p for p in _prose(draw) if p.key == "text")
            more = tuple(draw(st.lists(caps, max_size=1)))
            item = dataclasses.replace(item, title=draw(titles), items=(*prose, *item.items, *more))
        items.append(item)
    return dataclasses.replace(plan, title=draw(titles), items=(*_prose(draw), *items))


def _without_point_references(clause: ast.Clause) -> ast.Clause:
    """The clause without 'upon point 2' or 'within 30 days of point 2': positions have no points
    (N306), but the kit's clauses and red-line patterns may say so."""
    kept = tuple(m for m in clause.modifiers if not any(isinstance(n, ast.PointRef) for n in ast.walk(m)))
    return dataclasses.replace(clause, modifiers=kept)


def _dressed_redline(draw, redline: ast.RedLine) -> ast.RedLine:
    items = tuple(dataclasses.replace(item, predicate=_without_point_references(item.predicate))
                  if isinstance(item, ast.Requirement) and isinstance(item.predicate, ast.Clause) else item
                  for item in redline.items)
    return dataclasses.replace(redline, title=draw(user_texts), items=items)


def _dressed_positions(draw, block: ast.Positions, parties, regions) -> ast.Positions:
    """The block with user text of ours in its titles, and ideals: caps on the force or any clause."""
    items = tuple(_dressed_redline(draw, item) if isinstance(item, ast.RedLine) else item for item in block.items)
    ideals = [*(draw(caps) for _ in range(draw(st.integers(0, 2) | st.integers(1, 2)))),
              *draw(st.lists(kit.clauses(parties=parties, regions=regions), max_size=1))]
    ideals = [ast.Ideal(_without_point_references(clause)) for clause in ideals]
    return dataclasses.replace(block, title=draw(titles), items=(*items, *ideals))


LAYOUTS = ["one file", "positions apart", "world apart"]


@dataclass
class Program:
    """Files to write (name -> tree), which are plans and which positions, and the plans' names."""

    files: dict[str, ast.PlanFile]
    paths: list[str]
    positions: list[str]
    plans: list[str]

    def write(self, directory: Path) -> tuple[list[str], list[str]]:
        """Write the files; returns (plan paths, positions paths) inside ``directory``."""
        for name, tree in self.files.items():
            (directory / name).write_text(format_tree(tree), encoding="utf-8")
        return [str(directory / p) for p in self.paths], [str(directory / p) for p in self.positions]

    def sources(self) -> str:
        return "\n".join(format_tree(tree) for tree in self.files.values())


@st.composite
def programs(draw, family: bool = False, max_plans: int = 2, max_positions: int = 2) -> Program:
    """A whole program: ``family`` gives a plan and its revision, else 1..max_plans plans."""
    parties, regions = draw(vocabularies)
    world = (*draw(kit.worlds(parties, regions)).statements, _force(draw, parties))
    # Half the programs have no bracketed alternatives, so that plain plans get their share.
    options = draw(st.booleans())
    if family:
        plans = draw(kit.plan_families(parties, regions, options=options, world=False)).statements[-2:]
    else:
        count = draw(st.integers(1, max_plans))
        plans = [draw(kit.plans(parties, regions, options=options, world=False, name=f"plan_{n}")).statements[-1]
                 for n in range(1, count + 1)]
    plans = [_dressed_plan(draw, plan) for plan in plans]
    count = draw(st.integers(0, max_positions) | st.just(max_positions))
    blocks = [draw(kit.positions(parties, regions)) for _ in range(count)]
    if draw(st.booleans()):
        # Each party states its own positions (the spectrum needs two parties' ideals).
        blocks = [dataclasses.replace(block, party=ast.Ref(party)) for block, party in zip(blocks, parties)]
    blocks = [_dressed_positions(draw, block, parties, regions) for block in blocks]
    layout = draw(st.sampled_from(LAYOUTS))
    if layout == "one file":
        files = {"all.plan": ast.PlanFile("all.plan", (*world, *plans, *blocks))}
    elif layout == "positions apart":
        files = {"plans.plan": ast.PlanFile("plans.plan", (*world, *plans))}
    else:
        files = {"world.plan": ast.PlanFile("world.plan", world),
                 "plans.plan": ast.PlanFile("plans.plan", tuple(plans))}
    positions = []
    if layout != "one file" and blocks:
        files["positions.plan"] = ast.PlanFile("positions.plan", tuple(blocks))
        positions = ["positions.plan"]
    paths = [name for name in files if name not in positions]
    return Program(files, paths, positions, [plan.name for plan in plans])


def has_errors(result) -> bool:
    return any(d.severity is Severity.ERROR for d in result.diagnostics)


# ============================================================================
# a. check, in every report format
# ============================================================================

check_options = st.builds(CheckOptions, redline_severity=st.sampled_from(list(Severity)),
                          error_on=st.sampled_from([Severity.ERROR, Severity.WARNING]))


def assert_report(output_format: str, report: str, result, directory: Path, sources: str) -> None:
    """What each report format must hold, whatever the input."""
    assert report.endswith("\n")
    assert "Traceback" not in report
    shown = len(json.loads(render(result, "json"))["diagnostics"])
    if output_format == "text":
        assert not leaked_terminal_names(report, sources)
        assert report.rstrip("\n").split("\n")[-1].startswith(f"{len(result.files)} file")
    elif output_format == "json":
        document = json.loads(report)
        assert_valid(VALIDATOR, document)
        summary = document["summary"]
        assert summary["errors"] + summary["warnings"] + summary["infos"] == len(document["diagnostics"])
        assert len(document["redlines"]) == len(result.verdicts)
    elif output_format == "sarif":
        log = json.loads(report)
        validate_sarif(log, directory)
        assert len(log["runs"][0]["results"]) == shown
    elif output_format == "github":
        annotations, _, rest = report.partition("::stop-commands::")
        lines = annotations.split("\n")[:-1]
        assert len(lines) == shown
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), lines
        token, _, log = rest.partition("\n")
        assert log == render(result, "text", str(directory)) + f"::{token}::\n"
    else:
        pytest.fail(f"no assertions for the check format {output_format!r}: add them here")


@settings(max_examples=examples(30), deadline=None, suppress_health_check=SLOW)
@given(program=programs() | programs(family=True), options=check_options)
def test_check_reports_every_program_in_every_format(program, options):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        paths, positions = program.write(directory)
        result = check(paths, positions, options)
        event(f"check: {'errors' if has_errors(result) else 'no errors'}")
        # Steer towards plans far outside the parties' ideals: the spectrum's hardest arithmetic.
        positions_found = [abs(entry.position) for entry in result.spectrum if entry.position is not None]
        target(math.log10(1 + max(positions_found, default=0.0)), label="log10 of the farthest spectrum position")
        for output_format in CHECK_FORMATS:
            report = render(result, output_format, str(directory))
            assert report == render(result, output_format, str(directory))
            assert_report(output_format, report, result, directory, program.sources())


# ============================================================================
# b. render, in every document format, with and without positions
# ============================================================================


def assert_document(to: str, text: str, plan: ast.Plan | None = None) -> None:
    """What every document in format ``to`` must be."""
    assert text.strip()
    assert "Traceback" not in text
    if to == "json":
        view = json.loads(text)
        assert isinstance(view, dict)
        if plan is not None:
            numbers = [str(item.number) for item in plan.items if isinstance(item, ast.Point)]
            assert [point["number"] for point in view["points"]] == numbers
    elif to == "html":
        page = parse_html(text)
        assert "script" not in {tag for tag, _ in page.tags}
        assert "<script" not in text.lower()  # the shipped pages have no script of their own
        assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
        assert text.lstrip().lower().startswith("<!doctype html>")
    elif to == "md":
        assert markdown_problems(text) == []
        assert [level for level, _ in headings(text)].count(1) == 1
    else:
        pytest.fail(f"no assertions for the document format {to!r}: add them here")


def rendered_or_refused(make, to: str, plan: ast.Plan | None = None) -> bool:
    """Make a document twice: the same bytes, or a DocumentError for input with errors. True if made."""
    try:
        document = make(to)
    except DocumentError as error:
        assert error.result is not None and has_errors(error.result), str(error)
        return False
    assert not has_errors(document.result)
    assert_document(to, document.text, plan)
    assert make(to).text == document.text, "the same input renders to the same bytes"
    return True


@settings(max_examples=examples(30), deadline=None, suppress_health_check=SLOW)
@given(program=programs(), which=st.integers(0, 1))
def test_render_makes_every_plan_in_every_format(program, which):
    name = program.plans[which % len(program.plans)]
    plan = next(s for tree in program.files.values() for s in tree.statements
                if isinstance(s, ast.Plan) and s.name == name)
    with tempfile.TemporaryDirectory() as directory:
        paths, positions = program.write(Path(directory))
        for with_positions in (positions, []):
            for to in RENDER_FORMATS:
                made = rendered_or_refused(lambda to: render_plan(paths, with_positions, to, plan=name), to, plan)
                event(f"render: {'made' if made else 'refused: the input has errors'}")


# ============================================================================
# c. compare a plan and its revision, in every format
# ============================================================================


@settings(max_examples=examples(25), deadline=None, suppress_health_check=SLOW)
@given(program=programs(family=True))
def test_compare_makes_every_family_in_every_format(program):
    with tempfile.TemporaryDirectory() as directory:
        paths, positions = program.write(Path(directory))
        for to in COMPARE_FORMATS:
            made = rendered_or_refused(lambda to: render_comparison(paths, positions, to), to)
            event(f"compare: {'made' if made else 'refused: the input has errors'}")


# ============================================================================
# d. the same through the installed command
# ============================================================================


@settings(max_examples=examples(10), deadline=None, suppress_health_check=SLOW)
@given(program=programs(family=True))
def test_the_command_never_fails_on_a_generated_program(program):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        program.write(directory)
        positions = ["--positions", *program.positions] if program.positions else []
        revision = program.plans[-1]
        runs = [["check", *program.paths, *positions, "--format", f] for f in CHECK_FORMATS]
        runs += [["render", *program.paths, *positions, "--plan", revision, "--to", to] for to in RENDER_FORMATS]
        runs += [["compare", *program.paths, *positions, "--to", to] for to in COMPARE_FORMATS]
        codes = {}
        for args in runs:
            done = run_cli(*args, cwd=directory)
            assert done.returncode in (0, 1), (args, done.stderr)
            assert "Traceback" not in done.stderr and "internal error" not in done.stderr, (args, done.stderr)
            if done.returncode == 0:
                assert done.stdout.strip(), args
            if args[0] == "check" and args[-1] == "json":
                assert_valid(VALIDATOR, json.loads(done.stdout))
            codes[" ".join(args)] = done.returncode
        # Documents are refused exactly when check fails (on errors): one exit code for every run.
        assert len(set(codes.values())) == 1, codes
