"""Golden syntax-error cases: tests/syntax_errors/NAME.plan beside NAME.expected.

Each .expected file holds the diagnostics exactly as ``plandsl parse`` prints
them (file named without its folder). To regenerate after a deliberate change:
``PLANDSL_UPDATE_GOLDEN=1 pytest tests/test_syntax_errors.py``, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plandsl.diagnostics import render_text, sort_diagnostics, source_lines
from plandsl.parser import parse_bytes

CASES = Path(__file__).parent / "syntax_errors"


def rendered(path: Path) -> str:
    result = parse_bytes(path.read_bytes(), path.name)
    lines = source_lines(result.text)
    return "".join(render_text(d, lines) + "\n" for d in sort_diagnostics(result.diagnostics))


@pytest.mark.parametrize("case", sorted(CASES.glob("*.plan")), ids=lambda p: p.stem)
def test_syntax_error_case(case: Path):
    expected_file = case.with_suffix(".expected")
    actual = rendered(case)
    if os.environ.get("PLANDSL_UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"no {expected_file.name}: run with PLANDSL_UPDATE_GOLDEN=1 and review it"
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_case_has_expectations_and_most_have_errors():
    cases = sorted(CASES.glob("*.plan"))
    assert len(cases) >= 15
    with_errors = [c for c in cases if rendered(c)]
    # The clean ones (empty file, byte-order mark) prove that odd-but-valid input passes.
    assert len(with_errors) >= len(cases) - 3
