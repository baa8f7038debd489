"""The built wheel carries the grammar and works in a fresh environment, from anywhere."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

SAMPLE = 'state russia "Russia";\nplan p { point 1 { russia shall cease fire; } }\n'


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, cwd=out)
    (built,) = out.glob("plandsl-*.whl")
    return built


def test_wheel_contains_the_grammar(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "plandsl/grammar/plan.lark" in names
    grammar = zipfile.ZipFile(wheel).read("plandsl/grammar/plan.lark").decode()
    assert grammar == (ROOT / "grammar" / "plan.lark").read_text()


@pytest.fixture(scope="module")
def environment(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed, without extras."""
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=True)
    subprocess.run([str(environment / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True)
    return environment


def test_wheel_installs_and_runs_in_a_fresh_venv_from_another_directory(environment, tmp_path):
    python = environment / "bin" / "python"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.plan").write_text(SAMPLE)
    done = subprocess.run([str(environment / "bin" / "plandsl"), "parse", "a.plan"], capture_output=True,
                          text=True, cwd=elsewhere, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "no problems" in done.stdout
    # It uses the grammar inside the installed package, not this checkout's.
    where = subprocess.run([str(python), "-c", "import plandsl.parser as p; print(p.grammar_path())"],
                           capture_output=True, text=True, cwd=elsewhere, check=True)
    assert str(environment) in where.stdout


def test_the_testing_extra_brings_hypothesis_and_says_so_when_missing(wheel, environment, tmp_path):
    metadata = next(name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".dist-info/METADATA"))
    lines = zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
    assert "Provides-Extra: testing" in lines
    assert any(line.startswith("Requires-Dist: hypothesis") and 'extra == "testing"' in line for line in lines)
    # Installed without the extra, the kit says what to install instead of a bare ModuleNotFoundError.
    python = environment / "bin" / "python"
    done = subprocess.run([str(python), "-c", "import plandsl.testing"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 1
    assert "pip install 'plandsl[testing]'" in done.stderr
