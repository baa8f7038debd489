"""Suppressions cover statements, and ``plandsl fmt`` never changes what ``check`` reports.

The rule (plandsl/comments.py, plandsl/suppression.py): ``# plandsl: ignore[CODE]``
covers the statement it trails (the last one starting on its line, else the one
whose end it follows), the clause whose lines it sits between, or, on a line of
its own, the statement below it. The property: for generated programs with
suppressions on the lines of their diagnostics (trailing and on lines of their
own, long clauses that fmt wraps, several statements on one line),
``check(fmt(x))`` reports exactly what ``check(x)`` reports, diagnostics compared
by code, message and the statement they belong to (lines move). A longer
campaign: ``python -m pytest tests/test_suppression.py --hypothesis-profile=fuzz``.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import plandsl.testing as kit
from plandsl import ast
from plandsl.check import check
from plandsl.comments import Statements
from plandsl.formatter import format_source, format_tree
from plandsl.parser import parse

from strategies import plan_files

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
CORPUS = Path(__file__).parent / "regressions"


# ============================================================================
# Helpers
# ============================================================================


def checked(directory: Path, text: str, name: str = "case.plan"):
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return check([str(path)])


def codes(directory: Path, text: str) -> list[str]:
    return sorted(d.code for d in checked(directory, text).diagnostics)


def formatted(text: str) -> str:
    result = format_source(text)
    assert result.formatted is not None, result.diagnostics
    return result.formatted


def codes_and_statements(result, text: str) -> Counter:
    """Each diagnostic as (code, message, the statement it belongs to): what fmt must keep."""
    statements = Statements(parse(text).tree)
    found = Counter()
    for diagnostic in result.diagnostics:
        span = diagnostic.span
        if diagnostic.code == "X601":  # it sits on the comment: the statement the comment covers
            owner = statements.owner_of_comment(ast.Comment("#", span=span))
        else:
            owner = statements.owner_of_position(span.line, span.column)
        message = re.sub(r"\S*\.plan:\d+(:\d+)?|\d+:\d+|\bline \d+", "<where>", diagnostic.message)
        found[(diagnostic.code, message, owner)] += 1
    return found


def assert_fmt_keeps_what_check_reports(directory: Path, text: str) -> None:
    before = checked(directory, text, "before.plan")
    after_text = formatted(text)
    after = checked(directory, after_text, "after.plan")
    assert codes_and_statements(after, after_text) == codes_and_statements(before, text), after_text
    assert formatted(after_text) == after_text


# ============================================================================
# The rule, and the three reproductions from issue 9
# ============================================================================

WORLD = 'state russia "Russia";\nstate ukraine "Ukraine";\nstate usa "USA";\nregion donetsk "Donetsk";\n'
SECOND_CESSION = "ukraine shall cede donetsk to usa"  # C402: donetsk already goes to russia


def plan(*lines: str) -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return WORLD + f'plan p "P" {{\n  point 1 {{\n    ukraine shall cede donetsk to russia;\n{body}  }}\n}}\n'


def test_a_suppression_after_a_clause_fmt_wraps_still_covers_it(tmp_path):
    long_tail = ' de facto within 30 days cite nbc "the second, disputed reading of the draft"'
    text = 'source nbc "NBC";\n' + plan(SECOND_CESSION + long_tail + ";  # plandsl: ignore[C402]")
    assert codes(tmp_path, text) == []
    after = formatted(text)
    assert '        cite nbc "the second, disputed reading of the draft";  # plandsl: ignore[C402]\n' in after
    assert codes(tmp_path, after) == []


def test_the_suppression_after_two_statements_covers_the_last(tmp_path):
    text = WORLD.replace('state usa "USA";\n', 'state spare "S"; state usa "USA";  # plandsl: ignore[N303]\n')
    text += 'plan p { point 1 { ukraine shall cede donetsk to russia; } }\n'
    found = checked(tmp_path, text).diagnostics
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("N303", 3, 1)]  # spare, not usa
    after = formatted(text)
    assert 'state spare "S";\nstate usa "USA";  # plandsl: ignore[N303]\n' in after
    assert [(d.code, d.message) for d in checked(tmp_path, after).diagnostics] == [(d.code, d.message)
                                                                                   for d in found]


def test_a_suppression_on_the_first_line_of_a_wrapped_clause_covers_it_above(tmp_path):
    text = plan(SECOND_CESSION + "  # plandsl: ignore[C402]", "    within 30 days;")
    assert codes(tmp_path, text) == []
    after = formatted(text)
    assert f"    # plandsl: ignore[C402]\n    {SECOND_CESSION} within 30 days;\n" in after
    assert codes(tmp_path, after) == []


def test_a_suppression_on_its_own_line_covers_the_statement_below_only(tmp_path):
    assert codes(tmp_path, plan("# plandsl: ignore[C402]", SECOND_CESSION + ";")) == []
    assert codes(tmp_path, plan("# plandsl: ignore[C402]", "", SECOND_CESSION + ";")) == []
    below = plan("# plandsl: ignore[C402]", "russia shall cease fire;", SECOND_CESSION + ";")
    assert codes(tmp_path, below) == ["C402", "X601"]


def test_a_suppression_on_its_own_line_at_the_end_of_a_block_covers_nothing(tmp_path):
    text = WORLD + 'plan p "P" {\n  point 1 {\n    ukraine shall cede donetsk to russia;\n'
    text += '    # plandsl: ignore[C402]\n  }\n  point 2 {\n    ukraine shall cede donetsk to usa;\n  }\n}\n'
    assert codes(tmp_path, text) == ["C402", "X601"]
    assert_fmt_keeps_what_check_reports(tmp_path, text)


def test_a_suppression_between_the_lines_of_a_clause_covers_the_clause(tmp_path):
    text = plan(SECOND_CESSION, "    # plandsl: ignore[C402]", "    within 30 days;")
    assert codes(tmp_path, text) == []
    assert_fmt_keeps_what_check_reports(tmp_path, text)


def test_a_suppression_after_a_closing_brace_covers_that_block(tmp_path):
    # N303 on the unused declaration starts at its head; its '}' is on another line.
    text = WORLD + 'state spare "S" {\n  alias "Spare";\n}  # plandsl: ignore[N303]\n'
    text += 'plan p { point 1 { ukraine shall cede donetsk to russia; usa shall cease fire; } }\n'
    assert codes(tmp_path, text) == []
    after = formatted(text)
    assert '  alias "Spare";\n}  # plandsl: ignore[N303]\n' in after
    assert codes(tmp_path, after) == []
    # After two braces, the outer block's: the plan, not the point.
    nested = WORLD + 'state spare "S";  # plandsl: ignore[N303]\nplan p {\n  point 1 {\n'
    nested += '    ukraine shall cede donetsk to russia;\n    usa shall cease fire;\n  } }  # plandsl: ignore[C401]\n'
    assert codes(tmp_path, nested) == ["X601"]
    assert_fmt_keeps_what_check_reports(tmp_path, nested)
    assert "\n}  # plandsl: ignore[C401]\n" in formatted(nested)


def test_a_suppression_does_not_reach_other_statements_on_its_line(tmp_path):
    text = plan(f"{SECOND_CESSION}; russia shall cease fire;  # plandsl: ignore[C402]")
    assert codes(tmp_path, text) == ["C402", "X601"]
    assert_fmt_keeps_what_check_reports(tmp_path, text)


def test_two_suppressions_of_one_code_on_one_statement_leave_one_unused(tmp_path):
    text = plan("# plandsl: ignore[C402]", SECOND_CESSION + ";  # plandsl: ignore[C402]")
    assert codes(tmp_path, text) == ["X601"]
    assert_fmt_keeps_what_check_reports(tmp_path, text)


def test_a_suppression_on_a_block_head_covers_diagnostics_at_the_head(tmp_path):
    text = WORLD + 'state spare "S" {  # plandsl: ignore[N303]\n  alias "Spare";\n}\n'
    text += 'plan p { point 1 { ukraine shall cede donetsk to russia; usa shall cease fire; } }\n'
    assert codes(tmp_path, text) == []
    assert_fmt_keeps_what_check_reports(tmp_path, text)


@pytest.mark.parametrize("case", sorted(CORPUS.glob("*.plan")), ids=lambda p: p.name)
def test_fmt_keeps_what_check_reports_on_the_regression_corpus(case, tmp_path):
    try:
        text = case.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: not formatted")
    parsed = parse(text)
    uses = parsed.tree is not None and any(isinstance(node, ast.Use) for node in parsed.tree.statements)
    if not parsed.ok or uses:  # files with errors are not formatted; uses need their folder
        pytest.skip("not formattable on its own")
    assert_fmt_keeps_what_check_reports(tmp_path, text)


# ============================================================================
# The property
# ============================================================================


@st.composite
def programs(draw) -> str:
    """Canonical text of a program that check has things to say about."""
    if draw(st.booleans()):
        tree = draw(plan_files(max_statements=4))
    else:
        world_and_plan = draw(kit.plans(max_points=3, max_clauses=3))
        positions = draw(st.lists(kit.positions(), max_size=1))
        clauses = [node for node in ast.walk(world_and_plan) if isinstance(node, ast.Clause)]
        if clauses and draw(st.booleans()):  # a red line the plan crosses: R501 on its clause
            crossed = draw(st.sampled_from(clauses))
            pattern = dataclasses.replace(crossed, label=None, modifiers=(), citations=())
            redline = ast.RedLine("crossed", "Crossed", (), (ast.Requirement("forbid", pattern),))
            positions.append(ast.Positions(ast.Ref("russia"), None, (redline,)))
        tree = ast.PlanFile("case.plan", (*world_and_plan.statements, *positions))
    return format_tree(tree)


OTHER_CODES = ["C401", "N303", "R501"]


def decorate(directory: Path, text: str, rng: random.Random) -> str:
    """Join some lines (several statements on one, long clauses fmt wraps), then put
    suppressions on the lines diagnostics start on: trailing, or on a line of their own."""
    lines = text.split("\n")
    joined = [lines[0]] if lines else []
    for line in lines[1:]:
        if line.strip() and rng.random() < 0.3:
            joined[-1] = joined[-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
    lines = _split_some(joined, rng)
    diagnostics = checked(directory, "\n".join(lines), "draft.plan").diagnostics
    trailing: dict[int, str] = {}
    above: dict[int, list[str]] = {}
    for diagnostic in diagnostics:
        if rng.random() < 0.3:
            continue
        code = diagnostic.code if rng.random() < 0.85 else rng.choice(OTHER_CODES)
        line = diagnostic.span.line
        if rng.random() < 0.5:
            trailing.setdefault(line, code)
        else:
            above.setdefault(line, []).append(code)
    out = []
    for number, line in enumerate(lines, 1):
        indent = line[:len(line) - len(line.lstrip())]
        out.extend(f"{indent}# plandsl: ignore[{code}]" for code in above.get(number, ()))
        out.append(line + (f"  # plandsl: ignore[{trailing[number]}]" if number in trailing else ""))
    return "\n".join(out)


def _split_some(lines: list[str], rng: random.Random) -> list[str]:
    """Break a few lines between two words (outside strings), where the meaning stays the same:
    comments then land inside statements, between a clause's words and inside its conditions."""
    tree = parse("\n".join(lines)).tree
    for _ in range(rng.randrange(4)):
        number = rng.randrange(len(lines))
        spaces, quoted, escaped = [], False, False
        for index, char in enumerate(lines[number]):
            if char == "#" and not quoted:
                break
            if char == " " and not quoted and lines[number][:index].strip():
                spaces.append(index)
            quoted = quoted != (char == '"' and not escaped)
            escaped = char == "\\" and not escaped
        if not spaces:
            continue
        at = rng.choice(spaces)
        line = lines[number]
        indent = line[:len(line) - len(line.lstrip())]
        candidate = [*lines[:number], line[:at], indent + "    " + line[at + 1:], *lines[number + 1:]]
        again = parse("\n".join(candidate))
        if again.ok and again.tree == tree:  # "shall not" and the like are one word
            lines = candidate
    return lines


@settings(deadline=None, suppress_health_check=SLOW)
@given(text=programs(), seed=st.integers(0, 2**32 - 1))
def test_check_reports_the_same_before_and_after_fmt(text, seed, tmp_path_factory):
    directory = tmp_path_factory.mktemp("suppression")
    decorated = decorate(directory, text, random.Random(seed))
    assert parse(decorated).ok
    assert_fmt_keeps_what_check_reports(directory, decorated)



def test_in_a_file_with_syntax_errors_a_suppression_hides_no_syntax_error(tmp_path):
    text = 'state a "A";\nplan p {\n  point 1 {\n    a shal cease fire;  # plandsl: ignore[S101]\n'
    text += '    a shall cease fire;  # plandsl: ignore[S101]\n  }\n}\n'
    assert codes(tmp_path, text) == ["S101"]  # only syntax errors are told in a broken file


def test_a_suppression_inside_a_condition_covers_the_clause_and_fmt_hoists_it(tmp_path):
    text = plan(SECOND_CESSION + ' if "talks fail"  # plandsl: ignore[C402]', '    or "the front moves";')
    assert codes(tmp_path, text) == []
    after = formatted(text)
    assert f'    # plandsl: ignore[C402]\n    {SECOND_CESSION} if "talks fail" or "the front moves";\n' in after
    assert codes(tmp_path, after) == []


def test_syntax_and_file_problems_cannot_be_suppressed(tmp_path, cli):
    broken = tmp_path / "broken.plan"
    broken.write_text('state a "A";\nplan p { point 1 { a shall ceese fire; } }  # plandsl: ignore[S101]\n')
    process = cli("check", str(broken))
    assert process.returncode == 1 and "[S101]" in process.stdout
    missing = tmp_path / "missing.plan"
    missing.write_text('use "nowhere.plan";  # plandsl: ignore[F201]\nstate a "A";\n')
    process = cli("check", str(missing), "--format", "json")
    codes = [d["code"] for d in __import__("json").loads(process.stdout)["diagnostics"]]
    assert process.returncode == 1 and "F201" in codes and "X601" in codes
    # A checker code on the same line is still suppressed.
    fine = tmp_path / "fine.plan"
    fine.write_text('state a "A";  # plandsl: ignore[N303]\n')
    assert cli("check", str(fine)).returncode == 0
