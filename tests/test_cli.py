"""The plandsl command as users run it: exit codes, formats, stdin, files in place."""

from __future__ import annotations

import json
import os
import stat

from conftest import EXAMPLES, run_cli

from plandsl import __version__

CLEAN = 'state russia "Russia";\nstate ukraine "Ukraine";\n'
BROKEN = 'state russia "Russia"\nplan p { point 1 { ukraine shal cede donetsk to russia; } }\n'
UNFORMATTED = 'state russia "Russia" ;   state ukraine  "Ukraine";\n'


def test_version_and_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"plandsl {__version__}"
    helped = run_cli("--help")
    assert helped.returncode == 0
    assert "parse" in helped.stdout and "fmt" in helped.stdout and "examples:" in helped.stdout
    for command in ("parse", "fmt"):
        sub = run_cli(command, "--help")
        assert sub.returncode == 0 and "examples:" in sub.stdout


def test_no_command_and_bad_usage_exit_2():
    assert run_cli().returncode == 2
    bad = run_cli("parse", "--format", "yaml", "x.plan")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert run_cli("frobnicate").returncode == 2


def test_python_dash_m_works(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "a.plan"
    path.write_text(CLEAN)
    done = subprocess.run([sys.executable, "-m", "plandsl", "parse", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and "no problems" in done.stdout


def test_parse_clean_file_exits_0(tmp_path):
    path = tmp_path / "a.plan"
    path.write_text(CLEAN)
    done = run_cli("parse", str(path))
    assert done.returncode == 0
    assert done.stdout.strip().endswith("1 file checked: no problems")


def test_parse_reports_every_error_sorted_with_caret_and_exits_1(tmp_path):
    path = tmp_path / "bad.plan"
    path.write_text(BROKEN)
    done = run_cli("parse", str(path))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    headers = [line for line in lines if ": error: " in line]
    assert len(headers) == 2
    assert headers[0].endswith("[S104]") and ":1:22:" in headers[0]
    assert headers[1].endswith("[S101]") and ":2:28:" in headers[1]
    assert "hint: did you mean 'shall'?" in done.stdout
    assert "^" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_parse_json_gives_ast_with_spans_and_diagnostics(tmp_path):
    path = tmp_path / "a.plan"
    path.write_text(CLEAN)
    done = run_cli("parse", "--format", "json", str(path))
    assert done.returncode == 0
    document = json.loads(done.stdout)
    tree = document["files"][0]["ast"]
    assert tree["node"] == "PlanFile"
    first = tree["statements"][0]
    assert first["node"] == "Declaration" and first["name"] == "russia"
    assert first["span"] == {"file": first["span"]["file"], "line": 1, "column": 1, "end_line": 1, "end_column": 23}
    assert document["diagnostics"] == []


def test_parse_json_reports_syntax_errors_as_json(tmp_path):
    path = tmp_path / "bad.plan"
    path.write_text(BROKEN)
    done = run_cli("parse", "--format", "json", str(path))
    assert done.returncode == 1
    document = json.loads(done.stdout)
    codes = [d["code"] for d in document["diagnostics"]]
    assert codes == ["S104", "S101"]
    assert set(document["diagnostics"][0]) == {"code", "severity", "message", "hint", "file", "line", "column",
                                                "end_line", "end_column"}


def test_parse_stdin(tmp_path):
    done = run_cli("parse", "-", input=BROKEN)
    assert done.returncode == 1 and "<stdin>:1:22" in done.stdout
    assert run_cli("parse", "-", input=CLEAN).returncode == 0


def test_parse_missing_file_is_an_io_error(tmp_path):
    done = run_cli("parse", str(tmp_path / "nope.plan"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr and "Traceback" not in done.stderr


def test_parse_directory_recurses_sorted(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.plan").write_text(BROKEN)
    (tmp_path / "sub" / "a.plan").write_text(BROKEN)
    (tmp_path / "ignored.txt").write_text("not a plan")
    done = run_cli("parse", str(tmp_path), cwd=tmp_path)
    files = [line.split(":")[0] for line in done.stdout.splitlines() if ": error: " in line]
    assert files == ["b.plan", "b.plan", os.path.join("sub", "a.plan"), os.path.join("sub", "a.plan")]
    assert "2 files checked" in done.stdout


def test_parse_empty_directory_is_a_usage_error(tmp_path):
    done = run_cli("parse", str(tmp_path))
    assert done.returncode == 2 and "no .plan files" in done.stderr


def test_parse_follows_use_and_reports_cycles(tmp_path):
    (tmp_path / "a.plan").write_text('use "b.plan";\n')
    (tmp_path / "b.plan").write_text('use "a.plan";\n')
    done = run_cli("parse", "a.plan", cwd=tmp_path)
    assert done.returncode == 1 and "[F202]" in done.stdout and "a.plan -> b.plan -> a.plan" in done.stdout


def test_max_file_size(tmp_path):
    path = tmp_path / "big.plan"
    path.write_text(CLEAN * 10000)
    done = run_cli("parse", "--max-file-size", "0.1", str(path))
    assert done.returncode == 1 and "[S107]" in done.stdout
    assert run_cli("parse", "--max-file-size", "0", str(path)).returncode == 2


def test_fmt_rewrites_in_place_keeping_permissions(tmp_path):
    path = tmp_path / "a.plan"
    path.write_text(UNFORMATTED)
    os.chmod(path, 0o640)
    done = run_cli("fmt", str(path))
    assert done.returncode == 0 and "reformatted" in done.stderr
    assert path.read_text() == CLEAN
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    again = run_cli("fmt", str(path))
    assert again.returncode == 0 and "0 files reformatted, 1 file left unchanged" in again.stderr


def test_fmt_check_names_files_and_writes_nothing(tmp_path):
    messy, tidy = tmp_path / "messy.plan", tmp_path / "tidy.plan"
    messy.write_text(UNFORMATTED)
    tidy.write_text(CLEAN)
    done = run_cli("fmt", "--check", str(tmp_path))
    assert done.returncode == 1
    assert f"would reformat {messy}" in done.stderr and "tidy.plan" not in done.stderr.replace("left unchanged", "")
    assert messy.read_text() == UNFORMATTED
    assert run_cli("fmt", "--check", str(tidy)).returncode == 0


def test_fmt_diff_prints_a_unified_diff(tmp_path):
    path = tmp_path / "a.plan"
    path.write_text(UNFORMATTED)
    done = run_cli("fmt", "--diff", str(path))
    assert done.returncode == 0
    assert done.stdout.startswith("---") and "+state ukraine \"Ukraine\";" in done.stdout
    assert path.read_text() == UNFORMATTED
    assert run_cli("fmt", "--diff", "--check", str(path)).returncode == 1


def test_fmt_stdin_to_stdout():
    done = run_cli("fmt", "-", input=UNFORMATTED)
    assert done.returncode == 0 and done.stdout == CLEAN


def test_fmt_leaves_broken_files_alone(tmp_path):
    path = tmp_path / "bad.plan"
    path.write_text(BROKEN)
    done = run_cli("fmt", str(path))
    assert done.returncode == 1
    assert "cannot format" in done.stderr and "[S101]" in done.stderr
    assert path.read_text() == BROKEN


def test_fmt_keeps_windows_line_endings(tmp_path):
    path = tmp_path / "crlf.plan"
    path.write_bytes(UNFORMATTED.replace("\n", "\r\n").encode())
    assert run_cli("fmt", str(path)).returncode == 0
    assert path.read_bytes() == CLEAN.replace("\n", "\r\n").encode()


def test_fmt_refuses_files_that_are_not_text(tmp_path):
    path = tmp_path / "bin.plan"
    path.write_bytes(b"\x00\x01\x02")
    done = run_cli("fmt", str(path))
    assert done.returncode == 1 and "[S108]" in done.stderr
    assert path.read_bytes() == b"\x00\x01\x02"


def test_examples_parse_clean_through_the_command():
    done = run_cli("parse", str(EXAMPLES))
    assert done.returncode == 0, done.stdout
    assert "no problems" in done.stdout


def test_examples_are_formatted():
    done = run_cli("fmt", "--check", str(EXAMPLES))
    assert done.returncode == 0, done.stderr
