"""The checker never raises on any input, and its verdicts keep their invariants."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import example_files
from strategies import plan_files

from plandsl.check import check
from plandsl.codes import CODES
from plandsl.formatter import format_tree

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
VERDICTS = {"satisfied", "violated", "not addressed"}


def checked(directory, text: str):
    path = directory / "case.plan"
    path.write_text(text, encoding="utf-8")
    return check([str(path)])


def assert_well_formed(result) -> None:
    for diagnostic in result.diagnostics:
        assert diagnostic.code in CODES
        assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1
        assert (diagnostic.span.end_line, diagnostic.span.end_column) >= (diagnostic.span.line, diagnostic.span.column)
    for verdict in result.verdicts:
        assert verdict.verdict in VERDICTS
        assert verdict.explanation
        assert list(verdict.points) == sorted(set(verdict.points))
    assert result.diagnostics == sorted(result.diagnostics, key=lambda d: d.sort_key())


@settings(deadline=None, suppress_health_check=SLOW)
@given(tree=plan_files(max_statements=4))
def test_check_never_raises_on_generated_programs(tree, tmp_path_factory):
    result = checked(tmp_path_factory.mktemp("gen"), format_tree(tree))
    assert_well_formed(result)


EXAMPLES = [path.read_text(encoding="utf-8") for path in example_files()]


@settings(deadline=None, suppress_health_check=SLOW)
@given(index=st.integers(0, len(EXAMPLES) - 1), seed=st.integers(0, 2**32 - 1), cuts=st.integers(1, 6))
def test_check_never_raises_on_mutated_examples(index, seed, cuts, tmp_path_factory):
    rng = random.Random(seed)
    text = EXAMPLES[index]
    for _ in range(cuts):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randrange(1, 40))
        choice = rng.random()
        if choice < 0.4:
            text = text[:start] + text[end:]
        elif choice < 0.7:
            text = text[:start] + text[start:end] * 2 + text[end:]
        else:
            other = rng.randrange(len(text))
            text = text[:start] + text[other:other + (end - start)] + text[end:]
    result = checked(tmp_path_factory.mktemp("mut"), text)
    assert_well_formed(result)


def test_removing_a_clause_never_turns_a_satisfied_forbid_into_violated(tmp_path):
    # A plan that speaks to NATO without the ban: satisfied. Drop clauses one by one: never violated.
    world = 'state a "A"; alliance pact "Pact";\n'
    positions = 'positions a { redline open "Open" { forbid a shall never join pact; } }\n'
    clauses = ["a may join pact;", "pact may admit a;", "a shall cease fire;"]
    for dropped in range(len(clauses)):
        kept = [c for i, c in enumerate(clauses) if i != dropped]
        result = checked(tmp_path, world + "plan p { point 1 { " + " ".join(kept) + " } }\n" + positions)
        assert {v.verdict for v in result.verdicts} <= {"satisfied", "not addressed"}
