"""Reading inputs (issue 9): file names that are not UTF-8, FIFOs, symlink loops, endless
standard input, sizes, directory scans that lead out of the project, '--positions'
before the plans, a revision in a file of its own, and ``plandsl.check`` from the top.

Each test reproduces a report that once printed a traceback, hung, read a file outside
the project, or refused valid input. They need a file system with FIFOs and symlinks."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import plandsl_command, run_cli

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")

WORLD = 'state israel "Israel";\nregion gaza "Gaza";\n'
PLAN = 'use "world.plan";\nplan gaza_20 "Gaza 20-point plan" {\n  point 1 { israel shall withdraw from gaza; }\n}\n'
REVISION = ('use "world.plan";\nplan gaza_21 "Gaza 21-point plan" {\n  revises gaza_20;\n'
            '  point 1 { israel shall withdraw from gaza; }\n}\n')


def run(*args: str, cwd=None, stdin=None, timeout: float = 60, env=None) -> subprocess.CompletedProcess:
    """Like run_cli, with a short timeout (a hang fails fast) and bytes in and out."""
    return subprocess.run([*plandsl_command(), *args], cwd=cwd, stdin=stdin, capture_output=True,
                          timeout=timeout, env=env)


def no_traceback(done) -> None:
    err = done.stderr if isinstance(done.stderr, str) else done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err


# ---------------------------------------------------------------- names that are not UTF-8


@pytest.fixture
def latin1_name(tmp_path):
    """A plan with a syntax error, in a file whose name is the Latin-1 byte for 'é'."""
    if os.uname().sysname == "Darwin":  # APFS refuses names that are not UTF-8
        pytest.skip("the file system refuses names that are not UTF-8")
    name = os.fsencode(tmp_path) + b"/caf\xe9.plan"
    with open(name, "wb") as out:
        out.write(b"state a;\nplan p { point 1 { a shall } }\n")
    return tmp_path


@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["check", "--format", "sarif"],
                                     ["check", "--format", "github"], ["parse"], ["parse", "--format", "json"],
                                     ["render"], ["compare"]])
def test_a_file_name_that_is_not_utf8_is_shown_quoted_as_git_does(latin1_name, command):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    done = run(*command, ".", cwd=latin1_name, env=env)
    no_traceback(done)
    assert done.returncode == 1, done.stderr
    out = (done.stdout + done.stderr).decode("utf-8")  # strict: every byte written is UTF-8
    assert "caf\\351.plan" in unquote(out).replace("\\\\", "\\"), out  # SARIF's URIs are %-encoded
    if "--format" in command and command[-1] in ("json", "sarif"):
        json.loads(done.stdout)


# ---------------------------------------------------------------- FIFOs and other non-files


def test_a_fifo_is_never_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.plan")
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "uses.plan").write_text('use "pipe.plan";\nuse "world.plan";\n')
    named = run("check", "pipe.plan", cwd=tmp_path, timeout=20)  # named: one line, exit 2
    assert named.returncode == 2 and b"FIFO" in named.stderr and len(named.stderr.splitlines()) == 1
    used = run("check", "uses.plan", cwd=tmp_path, timeout=20)
    assert used.returncode == 1 and b"[F205]" in used.stdout
    scanned = run("parse", ".", cwd=tmp_path, timeout=20)  # found by a scan: skipped
    assert b"pipe.plan" not in scanned.stdout + scanned.stderr or b"F205" in scanned.stdout
    for command in (["fmt", "--check"], ["render"], ["compare"], ["parse"]):
        done = run(*command, "pipe.plan", cwd=tmp_path, timeout=20)
        assert done.returncode == 2 and b"FIFO" in done.stderr, (command, done.stderr)
        no_traceback(done)


def test_using_the_project_directory_is_not_called_outside_it(tmp_path):
    (tmp_path / "dot.plan").write_text('use ".";\n')
    done = run_cli("check", "dot.plan", cwd=tmp_path)
    assert "[F205]" in done.stdout and "[F204]" not in done.stdout and "directory" in done.stdout


# ---------------------------------------------------------------- symlink loops


def test_a_symlink_loop_is_a_diagnostic_and_the_run_goes_on(tmp_path):
    (tmp_path / "loop.plan").symlink_to("loop.plan")
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "uses.plan").write_text('use "loop.plan";\nplan p { point 1 { x shall withdraw from gaza; } }\n')
    for args in (["check", "."], ["check", "loop.plan", "uses.plan"], ["parse", "."],
                 ["check", "--format", "sarif", "."]):
        done = run_cli(*args, cwd=tmp_path)
        no_traceback(done)
        assert done.returncode == 1 and "F206" in done.stdout, (args, done.stdout, done.stderr)
    done = run_cli("check", "uses.plan", cwd=tmp_path)
    assert "[F206]" in done.stdout and "[N301]" in done.stdout  # the rest of the file is still checked
    formatted = run_cli("fmt", "--check", ".", cwd=tmp_path)
    assert formatted.returncode == 1 and "[F206]" in formatted.stderr and "left unchanged" in formatted.stderr


def test_a_symlink_loop_as_templates_or_project_is_a_one_line_error(tmp_path):
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "gaza-20.plan").write_text(PLAN)
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "plan.md.j2").symlink_to("plan.md.j2")
    (tmp_path / "loop.toml").symlink_to("loop.toml")
    for args in (["render", "gaza-20.plan", "--templates", "loop"],
                 ["render", "gaza-20.plan", "--templates", "templates"],
                 ["build", "--project", "loop.toml"]):
        done = run_cli(*args, cwd=tmp_path)
        no_traceback(done)
        message = done.stderr.lower()
        assert done.returncode == 2 and ("loop" in message or "symbolic links" in message), (args, done.stderr)
        assert len(done.stderr.splitlines()) == 1, done.stderr


# ---------------------------------------------------------------- sizes and standard input


def test_standard_input_is_read_up_to_the_limit_only(tmp_path):
    for command in (["parse", "-"], ["fmt", "-"], ["check", "-"]):
        with open("/dev/zero", "rb") as zero:
            done = run(*command, "--max-file-size", "1", stdin=zero, timeout=60)
        no_traceback(done)
        assert done.returncode == 1 and b"S107" in done.stdout + done.stderr, command


def test_render_and_compare_keep_the_size_limit(tmp_path):
    (tmp_path / "world.plan").write_text(WORLD + "# " + "x" * 4000 + "\n")
    (tmp_path / "gaza-20.plan").write_text(PLAN)
    for command in ("render", "compare"):
        done = run_cli(command, "gaza-20.plan", "--max-file-size", "0.001", cwd=tmp_path)
        assert done.returncode == 1 and "[S107]" in done.stderr, (command, done.stderr)
        assert run_cli(command, "gaza-20.plan", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("size", ["inf", "nan", "1e300", "0", "-1", "many"])
def test_max_file_size_must_be_a_size(size, tmp_path):
    (tmp_path / "p.plan").write_text(WORLD)
    for command in ("parse", "check", "fmt", "render", "compare"):
        done = run_cli(command, f"--max-file-size={size}", "p.plan", cwd=tmp_path)
        no_traceback(done)
        last = done.stderr.splitlines()[-1]
        assert done.returncode == 2 and last.startswith(f"plandsl {command}: error: argument --max-file-size"), last


def test_compare_reads_standard_input(tmp_path):
    (tmp_path / "world.plan").write_text(WORLD)
    done = run_cli("compare", "-", input=PLAN, cwd=tmp_path)
    assert done.returncode == 0 and "Gaza 20-point plan" in done.stdout, done.stderr


# ---------------------------------------------------------------- directory scans


def test_a_scan_does_not_quote_files_outside_the_project(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET:/root:/bin/bash\n")
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    (project / "plandsl.toml").write_text("")
    (project / "plans" / "world.plan").write_text(WORLD)
    (project / "plans" / "passwd.plan").symlink_to(secret)
    (project / "plans" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)  # not followed
    (tmp_path / "outside.plan").write_text("plan q { point 1 { TOP-SECRET } }\n")
    for args in (["check", "plans/"], ["check", "plans/passwd.plan"], ["parse", "plans"],
                 ["check", "--format", "json", "plans"]):
        done = run_cli(*args, cwd=project)
        assert "TOP-SECRET" not in done.stdout + done.stderr, args
        assert done.returncode == 1 and "F204" in done.stdout, (args, done.stdout)
    formatted = run_cli("fmt", "--diff", "plans/", cwd=project)  # neither quoted nor rewritten
    assert "TOP-SECRET" not in formatted.stdout + formatted.stderr and "[F204]" in formatted.stderr
    assert (project / "plans" / "passwd.plan").is_symlink()
    allowed = run_cli("check", "plans/", "--allow-outside-uses", cwd=project)
    assert "F204" not in allowed.stdout and "TOP-SECRET" in allowed.stdout  # allowed: read and parsed


def test_a_deep_tree_is_scanned_without_recursion(tmp_path):
    levels = [tmp_path]
    for _ in range(1100):  # deeper than Python's recursion limit
        levels.append(levels[-1] / "d")
        levels[-1].mkdir()
    (levels[-1] / "p.plan").write_text(WORLD)
    try:
        done = run_cli("parse", ".", cwd=tmp_path)
        assert done.returncode == 0 and "1 file checked" in done.stdout, done.stderr
    finally:  # shutil.rmtree (pytest's clean-up) recurses: remove the tree from the bottom
        (levels[-1] / "p.plan").unlink()
        for level in reversed(levels[1:]):
            level.rmdir()


# ---------------------------------------------------------------- --positions before the plans


def test_every_positions_form_of_the_readme_works():
    examples = Path(__file__).resolve().parent.parent / "examples" / "ukraine-2025"
    forms = [
        ["check", "--positions", "russia.plan", "ukraine.plan", "us-28-point.plan"],
        ["check", "us-28-point.plan", "--positions", "russia.plan", "ukraine.plan"],
        ["check", "us-28-point.plan", "--positions=russia.plan"],
        ["render", "--positions", "russia.plan", "us-28-point.plan"],
        ["render", "us-28-point.plan", "--positions", "russia.plan", "--to", "json"],
        ["compare", "us-28-point.plan", "us-20-point.plan", "--positions", "russia.plan", "ukraine.plan"],
        ["compare", "--positions", "russia.plan", "ukraine.plan", "us-28-point.plan", "us-20-point.plan"],
    ]
    for form in forms:
        done = run_cli(*form, cwd=examples)
        assert done.returncode == 0, (form, done.stderr)
    rendered = run_cli("render", "--positions", "russia.plan", "us-28-point.plan", cwd=examples).stdout
    assert rendered == run_cli("render", "us-28-point.plan", "--positions", "russia.plan", cwd=examples).stdout
    missing = run_cli("check", cwd=examples)
    assert missing.returncode == 2 and "required: FILE" in missing.stderr


# ---------------------------------------------------------------- a revision in a file of its own


def test_a_revision_in_its_own_file_renders_and_the_hint_names_the_file(tmp_path):
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "gaza-20.plan").write_text(PLAN)
    (tmp_path / "gaza-21.plan").write_text(REVISION)
    checked = run_cli("check", "gaza-21.plan", cwd=tmp_path)
    assert checked.returncode == 1 and "[N301]" in checked.stdout
    assert "use \"gaza-20.plan\"; it declares 'gaza_20'" in checked.stdout
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0
    rendered = run_cli("render", "gaza-21.plan", cwd=tmp_path)
    assert rendered.returncode == 0 and "# Gaza 21-point plan" in rendered.stdout, rendered.stderr
    compared = run_cli("compare", "gaza-21.plan", cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    # A chain of revisions, each in a file of its own, renders from its last link.
    for number in range(22, 30):
        (tmp_path / f"gaza-{number}.plan").write_text(REVISION.replace("21", str(number)).replace(
            "gaza_20", f"gaza_{number - 1}"))
    rendered = run_cli("render", "gaza-29.plan", cwd=tmp_path)
    assert rendered.returncode == 0 and "# Gaza 29-point plan" in rendered.stdout, rendered.stderr
    # A name declared nowhere keeps its usual hint.
    (tmp_path / "gaza-21.plan").write_text(REVISION.replace("gaza_20", "gaza_19"))
    assert "it declares" not in run_cli("check", "gaza-21.plan", cwd=tmp_path).stdout


def test_only_the_files_own_directory_is_loaded_and_nothing_for_standard_input(tmp_path):
    # render - in a directory once loaded every .plan file in and below the working
    # directory (run from /tmp: thousands of unrelated files and their errors).
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "gaza-20.plan").write_text(PLAN)
    (tmp_path / "gaza-21.plan").write_text(REVISION)
    below = tmp_path / "unrelated"
    below.mkdir()
    (below / "broken.plan").write_text("plan q { point 1 { shall; } }\n")
    rendered = run_cli("render", "gaza-21.plan", cwd=tmp_path)
    assert rendered.returncode == 0 and "broken.plan" not in rendered.stderr, rendered.stderr
    piped = run_cli("render", "-", input=REVISION, cwd=tmp_path)
    assert piped.returncode == 1 and "broken.plan" not in piped.stdout + piped.stderr
    checked = run_cli("check", "-", input=REVISION, cwd=tmp_path)
    assert "[N301]" in checked.stdout and "it declares" not in checked.stdout


# ---------------------------------------------------------------- the package top


def test_check_is_callable_from_the_package_top():
    import plandsl
    from plandsl.check import CheckOptions, check

    examples = str(Path(__file__).resolve().parent.parent / "examples" / "ukraine-2025")
    result = plandsl.check([examples], options=plandsl.CheckOptions())
    assert not result.failed and result.verdicts
    assert plandsl.check.check is check and plandsl.CheckOptions is CheckOptions
    assert check([examples]).summary() == result.summary()


def test_help_does_not_promise_documents_soon():
    done = run_cli("--help")
    assert "(soon)" not in done.stdout and "renders them as documents" in done.stdout


def test_build_never_reads_a_fifo_in_place_of_a_document(tmp_path):
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "gaza-20.plan").write_text(PLAN)
    (tmp_path / "plandsl.toml").write_text('[[document]]\nplans = ["gaza-20.plan"]\noutput = "out.md"\n')
    os.mkfifo(tmp_path / "out.md")
    done = run("build", "--check", cwd=tmp_path, timeout=20)
    assert done.returncode == 1 and b"stale out.md" in done.stderr
    (tmp_path / "out.md").unlink()
    (tmp_path / "out.md").mkdir()
    done = run("build", cwd=tmp_path, timeout=20)
    assert done.returncode == 2 and b"cannot write" in done.stderr and b"out.md" in done.stderr
    assert b"Traceback" not in done.stderr
