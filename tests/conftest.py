"""Shared test set-up: the hypothesis profile, paths, and a way to run the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

# In CI, hypothesis's built-in derandomized "ci" profile: the same examples every
# run. Older hypothesis releases lack it; register the same settings then.
if os.environ.get("CI"):
    try:
        settings.get_profile("ci")
    except InvalidArgument:
        settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
    settings.load_profile("ci")

# Long fuzzing runs, by hand: `python -m pytest --hypothesis-profile=fuzz
# --hypothesis-show-statistics`, with PLANDSL_FUZZ_EXAMPLES examples per property
# (default 2,000). See tests/regressions/README.md for what to do with a crash.
settings.register_profile("fuzz", max_examples=int(os.environ.get("PLANDSL_FUZZ_EXAMPLES", "2000")),
                          deadline=None, print_blob=True)



def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long campaign; runs in CI (CI set) or with PLANDSL_SLOW=1")


def pytest_collection_modifyitems(config, items):
    """The default run stays short: tests marked slow run only in CI or when asked for."""
    if os.environ.get("CI") or os.environ.get("PLANDSL_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow: set PLANDSL_SLOW=1 (CI runs it)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example_files() -> list[Path]:
    """Every .plan file under examples/, sorted."""
    return sorted(EXAMPLES.rglob("*.plan"))


def plandsl_command() -> list[str]:
    """The installed ``plandsl`` script when there is one, else ``python -m plandsl``."""
    script = shutil.which("plandsl")
    return [script] if script else [sys.executable, "-m", "plandsl"]


def run_cli(*args: str, input: str | bytes | None = None, cwd: Path | str | None = None) -> subprocess.CompletedProcess:
    """Run ``plandsl ARGS`` as a user would; returns the finished process (text mode)."""
    data = input.encode() if isinstance(input, str) else input
    process = subprocess.run([*plandsl_command(), *args], input=data, capture_output=True, cwd=cwd, timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode,
                                       process.stdout.decode("utf-8", "replace"),
                                       process.stderr.decode("utf-8", "replace"))


@pytest.fixture
def cli():
    """The ``run_cli`` helper as a fixture."""
    return run_cli
