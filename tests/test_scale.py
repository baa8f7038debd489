"""Inputs whose size is in their numbers, not their bytes: nothing may be expanded.

``points 2 to 999999999999999999 unknown;`` is 40 bytes. Each command runs it under
a cap on its address space: expanding the run, even into a list of its first numbers,
would need far more and end in a MemoryError (exit 2, "internal error").
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, plandsl_command

from plandsl.check import check

HUGE_RUN = ROOT / "tests" / "regressions" / "unknown-points-run-of-a-quintillion.plan"
CLEAN = ('state a "A";\nplan p "P" {\n  point 1 { a shall cease fire upon point 500000000000000000; }\n'
         '  points 2 to 999999999999999999 unknown;\n}\n')
ADDRESS_SPACE = 1024 * 1024 * 1024  # 1 GiB: plandsl needs well under a tenth of it here


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS caps the address space on Linux")
@pytest.mark.parametrize("command", [["check"], ["render", "--to", "md"], ["compare", "--to", "md"]])
def test_a_run_of_a_quintillion_points_is_never_expanded(command, tmp_path: Path):
    if command == ["check"]:
        path, out = HUGE_RUN, []
    else:  # documents are made of plans without errors
        path, out = tmp_path / "clean.plan", ["-o", str(tmp_path / "out.md")]
        path.write_text(CLEAN)
    process = subprocess.run([*plandsl_command(), *command, str(path), *out], capture_output=True, text=True,
                             preexec_fn=_capped, timeout=120)
    assert "MemoryError" not in process.stderr and "internal error" not in process.stderr, process.stderr
    if command == ["check"]:
        assert process.returncode == 1
        assert "[C423]" in process.stdout and "[N306]" not in process.stdout
    else:
        assert process.returncode == 0, process.stdout + process.stderr
        shown = "999999999999999999" if command[0] == "render" else "500000000000000000"
        assert shown in (tmp_path / "out.md").read_text()


def test_numbers_inside_a_huge_run_are_known_and_repeats_found(tmp_path: Path):
    plan = tmp_path / "p.plan"
    plan.write_text('state a "A";\nplan p {\n  points 1 to 999999999999999999 unknown;\n'
                    "  point 999999999999999999 { a shall cease fire upon point 123456789012345678; }\n"
                    "  points 5 to 3 unknown;\n}\n")
    found = {(d.code, d.message) for d in check([str(plan)]).diagnostics}
    assert ("C423", "point 999999999999999999 is numbered twice; first at line 3") in found
    assert ("C422", "points 5 to 3 run backwards") in found
    assert not any(code == "N306" for code, _ in found)


def test_did_you_mean_among_many_names_finds_the_slip(tmp_path: Path):
    """Among hundreds of names, did-you-mean looks at a few likely ones only, and still finds the slip."""
    names = [f"region_{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(500)]
    source = 'state a "A";\n' + "".join(f'region {n} "R";\n' for n in names)
    source += "plan p {\n  point 1 { a shall withdraw from regoin_kqa; }\n  point 2 { a shall withdraw from region_kqz; }\n"
    source += "  point 3 { a shall withdraw from zzzzzzzzzzzz; }\n}\n"
    plan = tmp_path / "many.plan"
    plan.write_text(source)
    hints = {d.message: d.hint for d in check([str(plan)]).diagnostics if d.code == "N301"}
    assert hints["'regoin_kqa' is not declared"] == "did you mean 'region_kqa'?"
    assert hints["'region_kqz' is not declared"].startswith("did you mean 'region_kq")
    assert hints["'zzzzzzzzzzzz' is not declared"].startswith("declare it")


def test_many_labels_keep_their_did_you_mean(tmp_path: Path):
    clauses = "".join(f"  point {i + 1} {{ step{i}: a shall cease fire; }}\n" for i in range(300))
    plan = tmp_path / "labels.plan"
    plan.write_text(f'state a "A";\nplan p {{\n{clauses}  point 301 {{ a shall cease fire upon stpe42; }}\n}}\n')
    hints = [d.hint for d in check([str(plan)]).diagnostics if d.code == "N306"]
    assert hints == ["did you mean 'step42'?"]
