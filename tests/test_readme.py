"""The README's promises: its two commands, and its language snippet, which must parse."""

from __future__ import annotations

import re

from conftest import ROOT

from plandsl.parser import parse

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, re.S)


def test_readme_opens_with_the_install_and_test_commands():
    first, second = BLOCKS[0][1].strip(), BLOCKS[1][1].strip()
    assert "pip install ." in first and "plandsl check examples/" in first
    assert "pip install -e '.[test]'" in second and "pytest" in second
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert second in ci, ".ci/run must run exactly the README's test command"


def test_the_language_tour_parses_clean():
    tour = next(text for kind, text in BLOCKS if "plan us_28_point" in text)
    result = parse(tour, "README.md")
    assert result.ok, result.diagnostics
