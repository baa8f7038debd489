"""``plandsl check`` and ``plandsl explain`` as users run them: formats, exit codes, one report.

Most tests run the installed command. Two run :func:`plandsl.cli.main` in-process,
to make the pipeline fail on purpose and see that nothing reaches standard output.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import EXAMPLES, ROOT, example_files, run_cli
from test_report import DIAGNOSTIC_KEYS, REDLINE_KEYS, validate_sarif

from plandsl.codes import CODES

WORLD = 'state russia "Russia";\nstate ukraine "Ukraine";\nalliance nato "NATO";\n'
PLAN = ('use "world.plan";\n\nplan p "P" {\n  status proposed;\n  sponsor russia;\n'
        '  point 1 "NATO" {\n    ukraine shall never join nato;\n  }\n}\n')
POSITIONS = ('use "world.plan";\n\npositions ukraine "Ukraine" {\n'
             '  redline nato_open "Joining NATO must stay possible" {\n'
             '    forbid ukraine shall never join nato;\n  }\n}\n')
BROKEN = 'state russia "Russia"\nplan p { point 1 { ukraine shal cede donetsk to russia; } }\n'
FORMATS = ("text", "json", "sarif", "github")


@pytest.fixture
def project(tmp_path):
    """world.plan, plans/p.plan (crosses Ukraine's red line), positions/ukraine.plan."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "positions").mkdir()
    (tmp_path / "world.plan").write_text(WORLD)
    (tmp_path / "plans" / "p.plan").write_text(PLAN.replace('"world.plan"', '"../world.plan"'))
    (tmp_path / "positions" / "ukraine.plan").write_text(POSITIONS.replace('"world.plan"', '"../world.plan"'))
    return tmp_path


def check_json(*args, cwd=None, input=None):
    done = run_cli("check", *args, "--format", "json", cwd=cwd, input=input)
    assert done.returncode in (0, 1), done.stderr
    return done, json.loads(done.stdout)


# ============================================================================
# Syntax errors come out in every format
# ============================================================================


@pytest.mark.parametrize("output_format", FORMATS)
def test_syntax_errors_in_every_format(tmp_path, output_format):
    (tmp_path / "bad.plan").write_text(BROKEN)
    done = run_cli("check", "bad.plan", "--format", output_format, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    if output_format == "json":
        syntax = [d for d in json.loads(done.stdout)["diagnostics"] if d["code"].startswith("S")]
        assert [(d["code"], d["line"], d["column"]) for d in syntax] == [("S104", 1, 22), ("S101", 2, 28)]
        assert all(set(d) == DIAGNOSTIC_KEYS for d in syntax)
    elif output_format == "sarif":
        log = json.loads(done.stdout)
        validate_sarif(log, tmp_path)
        s101 = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "S101")
        assert s101["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "bad.plan",
                                                                                "uriBaseId": "%SRCROOT%"}
        assert s101["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    elif output_format == "github":
        assert done.stdout.startswith("::")
        assert "::error file=bad.plan,line=1,col=22,endLine=1,endColumn=23,title=S104::" in done.stdout
        assert "::error file=bad.plan,line=2,col=28,endLine=2,endColumn=32,title=S101::" in done.stdout
        assert "bad.plan:2:28: error: " in done.stdout, "the text log follows the annotations"
    else:
        assert "bad.plan:2:28: error: unexpected name 'shal'" in done.stdout and "[S101]" in done.stdout
        assert "hint: did you mean 'shall'?" in done.stdout
        assert re.search(r"1 file checked: \d+ errors?", done.stdout.splitlines()[-1])


def test_text_shows_the_source_line_with_a_caret(tmp_path):
    (tmp_path / "bad.plan").write_text(BROKEN)
    done = run_cli("check", "bad.plan", cwd=tmp_path)
    lines = done.stdout.splitlines()
    at = lines.index(next(line for line in lines if "[S101]" in line))
    assert lines[at + 1].endswith("plan p { point 1 { ukraine shal cede donetsk to russia; } }")
    assert lines[at + 2].strip().endswith("^~~~")


def test_standard_input_in_every_machine_format():
    done = run_cli("check", "-", "--format", "json", input=BROKEN)
    assert done.returncode == 1
    assert {d["file"] for d in json.loads(done.stdout)["diagnostics"]} == {"<stdin>"}
    sarif = run_cli("check", "-", "--format", "sarif", input=BROKEN)
    assert sarif.returncode == 1
    validate_sarif(json.loads(sarif.stdout))
    github = run_cli("check", "-", "--format", "github", input=BROKEN)
    assert "::error title=S101::" in github.stdout


# ============================================================================
# One report for many files
# ============================================================================


def test_a_directory_of_several_files_gives_one_report(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "one.plan").write_text(BROKEN)
    (tmp_path / "sub" / "two.plan").write_text(BROKEN)
    (tmp_path / "three.plan").write_text(WORLD)
    (tmp_path / "notes.txt").write_text("not a plan")

    done, document = check_json(".", cwd=tmp_path)
    assert done.returncode == 1
    assert set(document) == {"diagnostics", "redlines", "spectrum", "summary"}
    assert document["summary"]["files"] == 3
    files = [d["file"] for d in document["diagnostics"]]
    assert files == sorted(files)
    syntax = {d["file"] for d in document["diagnostics"] if d["code"].startswith("S")}
    assert syntax == {"one.plan", os.path.join("sub", "two.plan")}
    for item in document["diagnostics"]:
        assert set(item) == DIAGNOSTIC_KEYS

    sarif = run_cli("check", ".", "--format", "sarif", cwd=tmp_path)
    log = json.loads(sarif.stdout)
    validate_sarif(log, tmp_path)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
            if r["ruleId"].startswith("S")}
    assert uris == {"one.plan", "sub/two.plan"}
    assert len(log["runs"][0]["results"]) == len(document["diagnostics"])

    text = run_cli("check", ".", cwd=tmp_path).stdout
    summaries = [line for line in text.splitlines() if " checked: " in line]
    assert summaries == [text.splitlines()[-1]] and summaries[0].startswith("3 files checked: ")


def test_many_paths_and_directories_in_one_run(project):
    done, document = check_json("plans", "world.plan", "--positions", "positions", cwd=project)
    assert document["summary"]["files"] == 3


def test_the_examples_check_as_one_report():
    done, document = check_json(str(EXAMPLES))
    assert document["summary"]["files"] == len(example_files())
    assert document["redlines"], "the examples hold plans and red lines: there are verdicts"
    for item in document["redlines"]:
        assert set(item) >= REDLINE_KEYS
        assert item["verdict"] in ("satisfied", "violated", "not addressed")
    sarif = run_cli("check", str(EXAMPLES), "--format", "sarif", cwd=ROOT)
    validate_sarif(json.loads(sarif.stdout), ROOT)


# ============================================================================
# Red lines and exit codes
# ============================================================================


def test_a_crossed_red_line_is_a_verdict_and_one_diagnostic(project):
    done, document = check_json("plans", "--positions", "positions", cwd=project)
    verdict = next(v for v in document["redlines"] if v["id"] == "nato_open")
    assert verdict["party"] == "ukraine" and verdict["verdict"] == "violated" and 1 in verdict["points"]
    crossed = [d for d in document["diagnostics"] if d["code"] == "R501"]
    assert len(crossed) == 1 and crossed[0]["severity"] == "warning"

    log = json.loads(run_cli("check", "plans", "--positions", "positions", "--format", "sarif", cwd=project).stdout)
    validate_sarif(log, project)
    assert [r["ruleId"] for r in log["runs"][0]["results"]].count("R501") == 1, "never duplicated"

    text = run_cli("check", "plans", "--positions", "positions", cwd=project).stdout
    table = text.split("red lines:\n")[1]
    row = next(line for line in table.splitlines() if "nato_open" in line)
    assert row.split()[:2] == ["p", "ukraine"] and "violated" in row
    assert "1 violated" in text.splitlines()[-1]


def expected_exit(document: dict, threshold: str) -> int:
    rank = {"info": 0, "warning": 1, "error": 2}
    return int(any(rank[d["severity"]] >= rank[threshold] for d in document["diagnostics"]))


@pytest.mark.parametrize("redline_severity", ["error", "warning", "info"])
@pytest.mark.parametrize("error_on", ["error", "warning"])
def test_exit_code_follows_error_on_and_redline_severity(project, redline_severity, error_on):
    args = ["plans", "--positions", "positions", "--redline-severity", redline_severity, "--error-on", error_on]
    done, document = check_json(*args, cwd=project)
    # The project is clean but for the crossed red line: its severity alone decides.
    assert [(d["code"], d["severity"]) for d in document["diagnostics"]] == [("R501", redline_severity)]
    assert done.returncode == expected_exit(document, error_on)
    rank = {"info": 0, "warning": 1, "error": 2}
    assert done.returncode == (1 if rank[redline_severity] >= rank[error_on] else 0)
    for output_format in ("text", "sarif", "github"):
        again = run_cli("check", *args, "--format", output_format, cwd=project)
        assert again.returncode == done.returncode, output_format


def test_positions_may_be_given_with_an_equals_sign_before_the_plans(project):
    done, document = check_json("--positions=positions", "plans", cwd=project)
    assert any(v["id"] == "nato_open" for v in document["redlines"])


def test_a_clean_file_exits_0(tmp_path):
    (tmp_path / "world.plan").write_text(WORLD)
    done = run_cli("check", "--error-on", "error", "world.plan", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1].startswith("1 file checked: ")


# ============================================================================
# Exit code 2: usage, I/O and internal errors, and nothing on stdout
# ============================================================================


@pytest.mark.parametrize("output_format", FORMATS)
def test_unreadable_input_exits_2_with_nothing_on_stdout(tmp_path, output_format):
    (tmp_path / "good.plan").write_text(WORLD)
    done = run_cli("check", "good.plan", "missing.plan", "--format", output_format, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "cannot read missing.plan" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_unreadable_input_is_not_an_internal_error_in_parse_either(tmp_path):
    # Regression: InputError went through _processing and came out as "internal error".
    done = run_cli("parse", "missing.plan", cwd=tmp_path)
    assert done.returncode == 2 and "cannot read" in done.stderr and "internal error" not in done.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("check").returncode == 2
    assert run_cli("check", "x.plan", "--format", "yaml").returncode == 2
    assert run_cli("check", "x.plan", "--error-on", "info").returncode == 2
    assert run_cli("check", "x.plan", "--redline-severity", "fatal").returncode == 2
    empty = run_cli("check", str(tmp_path))
    assert empty.returncode == 2 and "no .plan files" in empty.stderr and empty.stdout == ""
    (tmp_path / "a.plan").write_text(WORLD)
    (tmp_path / "none").mkdir()
    no_positions = run_cli("check", "a.plan", "--positions", "none", cwd=tmp_path)
    assert no_positions.returncode == 2 and "no .plan files found in none" in no_positions.stderr


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_internal_error_exits_2_names_the_files_and_writes_nothing(tmp_path, monkeypatch, capsys,
                                                                      output_format):
    import plandsl.check
    from plandsl.cli import main

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(plandsl.check, "check", broken)
    path = tmp_path / "a.plan"
    path.write_text(WORLD)
    assert main(["check", str(path), "--format", output_format]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "internal error" in err and str(path) in err and "KeyError" in err
    assert "Traceback" not in err


def test_a_failing_report_writer_leaves_no_partial_output(tmp_path, monkeypatch, capsys):
    import plandsl.check
    import plandsl.report
    from plandsl.check import CheckResult
    from plandsl.cli import main

    monkeypatch.setattr(plandsl.check, "check", lambda *args, **kwargs: CheckResult())

    def cannot_finish(result, cwd=None):
        raise ValueError("cannot finish")

    monkeypatch.setitem(plandsl.report.FORMATS, "json", cannot_finish)
    path = tmp_path / "a.plan"
    path.write_text(WORLD)
    assert main(["check", str(path), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "internal error" in err and "cannot finish" in err


# ============================================================================
# GitHub escaping through the command
# ============================================================================


def test_github_escapes_file_names_and_keeps_one_line_per_annotation(tmp_path):
    name = "odd, name: 100%.plan"
    (tmp_path / name).write_text(BROKEN)
    done = run_cli("check", name, "--format", "github", cwd=tmp_path)
    assert done.returncode == 1
    annotations = [line for line in done.stdout.splitlines() if re.match("::(error|warning|notice) ", line)]
    assert all(re.match(r"::\w+ file=odd%2C name%3A 100%25\.plan,line=", line) for line in annotations), annotations
    s101 = next(line for line in annotations if "title=S101::" in line)
    message = s101.split("title=S101::", 1)[1]
    assert message.startswith("unexpected name 'shal': expected ") and "%0Ahint: did you mean 'shall'?" in message


def test_github_a_title_with_a_newline_forges_no_annotation(project):
    positions = project / "positions" / "ukraine.plan"
    forged = r'"NATO\n::error file=forged.plan,line=1::forged"'
    positions.write_text(positions.read_text().replace('"Joining NATO must stay possible"', forged))
    done = run_cli("check", "plans", "--positions", "positions", "--format", "github", cwd=project)
    lines = done.stdout.splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    assert lines[-1] == "::" + lines[stop].split("::")[2] + "::", "commands are back on only at the very end"
    assert not any("forged.plan" in line and line.startswith("::error file=forged") for line in lines[:stop])


def test_sarif_uris_outside_the_working_directory_are_file_uris(tmp_path):
    (tmp_path / "here").mkdir()
    (tmp_path / "there").mkdir()
    (tmp_path / "there" / "bad.plan").write_text(BROKEN)
    done = run_cli("check", os.path.join("..", "there", "bad.plan"), "--format", "sarif", cwd=tmp_path / "here")
    log = json.loads(done.stdout)
    validate_sarif(log, tmp_path / "here")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {(tmp_path / "there" / "bad.plan").as_uri()}


# ============================================================================
# plandsl explain, help and README
# ============================================================================


@pytest.mark.parametrize("code_id", sorted(CODES))
def test_explain_every_code(code_id, capsys):
    from plandsl.cli import main

    code = CODES[code_id]
    assert main(["explain", code_id.lower()]) == 0  # in-process: one run per code stays fast
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{code.id} {code.name} ({code.severity.value})"
    assert out.splitlines()[1] == code.title
    assert " ".join(code.explanation.split()) in " ".join(out.split())
    # Every line in which the examples differ is shown; what they share may be elided.
    # (S112's control characters are shown escaped, not obeyed.)
    from plandsl.lexer import CONTROL_CHARACTER

    def shown(text):
        return CONTROL_CHARACTER.sub(lambda m: repr(m.group())[1:-1], text).splitlines()
    bad, good = shown(code.bad), shown(code.good)
    assert not CONTROL_CHARACTER.search(out)
    if code.bad:
        assert "bad:" in out and all(line in out for line in bad if line not in good)
    if code.good:
        assert "good:" in out and all(line in out for line in good if line not in bad)
    if code.bad and code.good:
        assert "plan p {" not in code.bad or "plan p {" in out


def test_explain_through_the_command_by_id_and_by_name():
    done = run_cli("explain", "S101")
    assert done.returncode == 0 and done.stdout.startswith("S101 unexpected-token (error)\n")
    assert "bad:\n    plan p { point 1 { ukraine shall cede to russia; } }" in done.stdout
    named = run_cli("explain", "unexpected-token")
    assert named.returncode == 0 and named.stdout == done.stdout


def test_explain_unknown_code_suggests_close_ones():
    done = run_cli("explain", "S1O1")
    assert done.returncode == 2 and done.stdout == ""
    assert "unknown code 'S1O1'" in done.stderr and "did you mean" in done.stderr and "'S101'" in done.stderr
    far = run_cli("explain", "nothing-like-it")
    assert far.returncode == 2 and "did you mean" not in far.stderr and "--list" in far.stderr


def test_explain_list():
    done = run_cli("explain", "--list")
    assert done.returncode == 0
    ids = [line.split()[0] for line in done.stdout.splitlines()]
    assert sorted(ids) == sorted(CODES)
    numbers = [int(re.sub(r"\D", "", i)) for i in ids]
    assert numbers == sorted(numbers)
    assert all(CODES[line.split()[0]].title in line for line in done.stdout.splitlines())


def test_explain_needs_exactly_one_of_code_and_list():
    assert run_cli("explain").returncode == 2
    assert run_cli("explain", "S101", "--list").returncode == 2


def test_help_has_examples_for_check_and_explain():
    top = run_cli("--help")
    assert "check" in top.stdout and "explain" in top.stdout
    for command in ("check", "explain"):
        done = run_cli(command, "--help")
        assert done.returncode == 0 and "examples:" in done.stdout
    check_help = run_cli("check", "--help").stdout
    for option in ("--positions", "--format", "sarif", "github", "--error-on", "--redline-severity"):
        assert option in check_help


def test_readme_documents_check_and_explain():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The command line", 1)[1].split("\n## ", 1)[0]
    for text in ("plandsl check", "--positions", "--format text|json|sarif|github", "--error-on",
                 "--redline-severity", "plandsl explain"):
        assert text in section, text
