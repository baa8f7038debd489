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


def test_wheel_installs_and_runs_in_a_fresh_venv_from_another_directory(wheel, tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
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
