"""The report writers, on hand-built check results: text, JSON, SARIF, GitHub, explain.

These tests need no checker: they build :class:`CheckResult` values from real
diagnostics, verdicts and spans, and assert on what each format must hold.
``validate_sarif`` checks the parts of SARIF 2.1.0 that GitHub code scanning
requires (no schema download: the tests run offline).
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from plandsl import __version__
from plandsl.ast import NO_SPAN, Span
from plandsl.check import CheckOptions, CheckResult, SpectrumEntry, Verdict
from plandsl.codes import CODES
from plandsl.diagnostics import Diagnostic, Severity, render_text
from plandsl.report import (
    FORMATS,
    escape_data,
    escape_property,
    explain,
    find_code,
    github_annotation,
    list_codes,
    render,
    render_json,
    render_sarif,
    render_text_report,
    suggest_codes,
    to_json_document,
    to_sarif,
)

A = "plans/a.plan"
B = "plans/b.plan"
A_TEXT = 'state russia "Russia"\nplan p { point 1 { ukraine shal cede donetsk to russia; } }\n'
B_TEXT = 'plan q "Q" {\n  point 7 "Land" {\n    option b { ukraine shall cede donetsk to russia; }\n  }\n}\n'

DIAGNOSTIC_KEYS = {"code", "severity", "message", "hint", "file", "line", "column", "end_line", "end_column"}
REDLINE_KEYS = {"party", "id", "verdict", "points", "explanation"}


def diagnostics() -> list[Diagnostic]:
    return [
        Diagnostic("S104", Severity.ERROR, "missing ';' after the statement", Span(A, 1, 22, 1, 23), "add ';'"),
        Diagnostic("S101", Severity.ERROR, "unexpected name 'shal': expected ',', ':', 'may' or 'shall'",
                   Span(A, 2, 28, 2, 32), "did you mean 'shall'?"),
        # A violated red line is a diagnostic (an R code) and, below, a verdict too.
        Diagnostic("R501", Severity.WARNING, "plan 'q' crosses ukraine's red line 'no_cession'",
                   Span(B, 3, 16, 3, 53)),
        Diagnostic("F203", Severity.INFO, "a note spanning lines 100% of the way", Span(B, 1, 1, 5, 2)),
        Diagnostic("F201", Severity.ERROR, "a problem with no place", NO_SPAN),
    ]


def verdicts() -> list[Verdict]:
    return [
        Verdict("q", "ukraine", "no_cession", "No cession of land", "violated", (7,),
                "point 7 option b cedes donetsk", option="point 7 option b"),
        Verdict("q", "ukraine", "nato_open", "Joining NATO must stay possible", "not addressed", (),
                "no point mentions nato"),
        Verdict("p", "russia", "pillar_territory", "The Donbas", "satisfied", (1, 3), "point 1 cedes donetsk"),
        Verdict("q", "ukraine", "no_cession", "No cession of land", "satisfied", (), "without option b"),
    ]


def spectrum() -> list[SpectrumEntry]:
    return [
        SpectrumEntry("q", "ua_armed_forces strength", "russia", "80,000 personnel", "ukraine",
                      "800,000 personnel", "600,000 personnel", 0.72),
        SpectrumEntry("p", "ua_armed_forces strength", "russia", "80,000 personnel", "ukraine",
                      "800,000 personnel", None, None),
    ]


def sample(**options) -> CheckResult:
    return CheckResult(files={A: A_TEXT, B: B_TEXT}, diagnostics=diagnostics(), verdicts=verdicts(),
                       spectrum=spectrum(), options=CheckOptions(**options))


def shuffled(result: CheckResult, seed: int) -> CheckResult:
    rng = random.Random(seed)
    lists = [list(result.diagnostics), list(result.verdicts), list(result.spectrum)]
    for items in lists:
        rng.shuffle(items)
    return CheckResult(dict(result.files), *lists, options=result.options)


# ============================================================================
# A structural SARIF validator: what GitHub code scanning requires
# ============================================================================

LEVELS = {"none", "note", "warning", "error"}


def validate_sarif(log: dict, cwd: Path | None = None) -> None:
    """Assert the fields GitHub code scanning needs, and SARIF's own consistency rules."""
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "plandsl" and driver["version"] == __version__
    information = urlsplit(driver["informationUri"])
    assert information.scheme in ("http", "https") and information.netloc
    assert run["columnKind"] == "unicodeCodePoints"
    rules = driver["rules"]
    assert isinstance(rules, list) and rules
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    for rule in rules:
        assert isinstance(rule["id"], str) and rule["id"]
        assert isinstance(rule["name"], str) and rule["name"]
        for key in ("shortDescription", "fullDescription", "help"):
            assert isinstance(rule[key]["text"], str) and rule[key]["text"], (rule["id"], key)
        assert rule["defaultConfiguration"]["level"] in LEVELS
    bases = run.get("originalUriBaseIds", {})
    for base in bases.values():
        assert base["uri"].startswith("file://") and base["uri"].endswith("/")
    if cwd is not None and "%SRCROOT%" in bases:
        base_path = Path(unquote(urlsplit(bases["%SRCROOT%"]["uri"]).path))
        assert base_path.resolve() == Path(cwd).resolve()
    assert isinstance(run["results"], list)
    for result in run["results"]:
        assert result["ruleId"] == rules[result["ruleIndex"]]["id"], "ruleIndex must point at ruleId's rule"
        assert result["level"] in LEVELS
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        assert len(result["locations"]) == 1
        physical = result["locations"][0]["physicalLocation"]
        artifact = physical["artifactLocation"]
        uri = artifact["uri"]
        assert "\\" not in uri and " " not in uri, uri
        if "uriBaseId" in artifact:
            assert artifact["uriBaseId"] == "%SRCROOT%" and artifact["uriBaseId"] in bases
            assert not urlsplit(uri).scheme and not uri.startswith("/") and not uri.startswith("../"), uri
        else:
            assert urlsplit(uri).scheme in ("file", ""), uri
        region = physical["region"]
        assert set(region) >= {"startLine", "startColumn", "endLine", "endColumn"}
        assert all(isinstance(region[k], int) and region[k] >= 1 for k in region), region
        assert region["endLine"] >= region["startLine"]
        if region["endLine"] == region["startLine"]:
            assert region["endColumn"] >= region["startColumn"]


# ============================================================================
# Text
# ============================================================================


def test_text_renders_every_diagnostic_through_render_text_in_order():
    text = render_text_report(sample())
    lines_of = {A: A_TEXT.splitlines(), B: B_TEXT.splitlines()}
    positions = []
    for diagnostic in diagnostics():
        block = render_text(diagnostic, lines_of.get(diagnostic.span.file))
        assert block in text
        positions.append((diagnostic.sort_key(), text.index(block)))
    assert [p for _, p in sorted(positions)] == sorted(p for _, p in positions), "sorted by file and place"
    assert "hint: did you mean 'shall'?" in text and "^~~~" in text


def test_text_has_diagnostics_then_verdicts_then_spectrum_then_one_summary_line():
    text = render_text_report(sample())
    assert text.index("[S101]") < text.index("red lines:") < text.index("position spectrum") < len(text)
    last = text.rstrip("\n").splitlines()[-1]
    assert last == ("2 files checked: 3 errors, 1 warning, 1 info; "
                    "red lines: 2 satisfied, 0 violated, 1 not addressed, 1 depending on an option")
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_verdict_table_names_plan_party_red_line_verdict_points_and_option():
    table = render_text_report(sample()).split("red lines:\n")[1].split("\n\n")[0].splitlines()
    header, rows = table[0], table[1:]
    assert header.split() == ["plan", "party", "red", "line", "verdict", "points", "option"]
    assert len(rows) == 4
    assert rows[0].split()[:2] == ["p", "russia"] and "1, 3" in rows[0] and "satisfied" in rows[0]
    option_row = next(row for row in rows if "violated" in row)
    assert 'no_cession "No cession of land"' in option_row and option_row.endswith("point 7 option b")
    unconditional = next(row for row in rows if "no_cession" in row and "satisfied" in row)
    assert rows.index(unconditional) < rows.index(option_row), "the verdict without option comes first"
    assert "not addressed" in next(row for row in rows if "nato_open" in row)


def test_option_column_only_when_a_verdict_has_an_option():
    result = CheckResult(files={A: A_TEXT}, verdicts=[v for v in verdicts() if v.option is None])
    header = render_text_report(result).split("red lines:\n")[1].splitlines()[0]
    assert "option" not in header


def test_spectrum_shows_each_plan_between_two_ideals():
    text = render_text_report(sample())
    section = text.split("position spectrum")[1].split("\n\n")[0]
    q_row = next(line for line in section.splitlines() if line.strip().startswith("q "))
    assert "russia: 80,000 personnel" in q_row and "ukraine: 800,000 personnel" in q_row
    assert "600,000 personnel" in q_row and "0.72" in q_row and "*" in q_row
    p_row = next(line for line in section.splitlines() if line.strip().startswith("p "))
    assert "(silent)" in p_row


def test_text_without_problems_or_verdicts_is_one_line():
    assert render_text_report(CheckResult(files={A: "state a;\n"})) == "1 file checked: no problems\n"
    assert render_text_report(CheckResult()) == "0 files checked: no problems\n"


# ============================================================================
# JSON
# ============================================================================


def test_json_document_shape_and_key_sets():
    document = json.loads(render_json(sample()))
    assert list(document) == ["diagnostics", "redlines", "spectrum", "summary"]
    assert len(document["diagnostics"]) == 5
    for item in document["diagnostics"]:
        assert set(item) == DIAGNOSTIC_KEYS
        assert item["severity"] in ("error", "warning", "info")
    for item in document["redlines"]:
        assert set(item) >= REDLINE_KEYS
        assert item["verdict"] in ("satisfied", "violated", "not addressed")
        assert all(isinstance(p, int) for p in item["points"])
    assert {item["option"] for item in document["redlines"]} == {None, "point 7 option b"}
    assert set(document["spectrum"][0]) >= {"plan", "issue", "low_party", "high_party", "position"}
    assert document["summary"] == {"files": 2, "errors": 3, "warnings": 1, "infos": 1,
                                   "satisfied": 2, "violated": 0, "not_addressed": 1, "not_judged": 0}


def test_json_keeps_syntax_errors_as_json():
    document = to_json_document(sample())
    s101 = next(item for item in document["diagnostics"] if item["code"] == "S101")
    assert s101 == {"code": "S101", "severity": "error",
                    "message": "unexpected name 'shal': expected ',', ':', 'may' or 'shall'",
                    "hint": "did you mean 'shall'?", "file": A, "line": 2, "column": 28, "end_line": 2,
                    "end_column": 32}


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_every_format_is_deterministic_whatever_the_input_order(output_format):
    first = render(sample(), output_format, cwd=os.getcwd())
    for seed in range(5):
        assert render(shuffled(sample(), seed), output_format, cwd=os.getcwd()) == first


def test_json_sorting_of_each_list():
    document = to_json_document(shuffled(sample(), 1))
    keys = [(d["file"], d["line"], d["column"]) for d in document["diagnostics"]]
    assert keys == sorted(keys)
    order = [(r["plan"], r["party"], r["id"]) for r in document["redlines"]]
    assert order == sorted(order)
    assert [s["plan"] for s in document["spectrum"]] == ["p", "q"]


def test_json_has_no_nan_or_infinity():
    result = CheckResult(spectrum=[SpectrumEntry("p", "i", "a", "1", "b", "2", "3", float("nan")),
                                   SpectrumEntry("q", "i", "a", "1", "b", "1", "3", float("inf"))])
    text = render_json(result)
    assert "NaN" not in text and "Infinity" not in text
    assert [s["position"] for s in json.loads(text)["spectrum"]] == [None, None]


def test_duplicate_diagnostics_are_reported_once():
    twice = diagnostics() + diagnostics()
    document = to_json_document(CheckResult(files={A: A_TEXT, B: B_TEXT}, diagnostics=twice))
    assert len(document["diagnostics"]) == len(diagnostics())


# ============================================================================
# SARIF
# ============================================================================


def sarif(result: CheckResult, cwd: Path) -> dict:
    return json.loads(render_sarif(result, cwd=str(cwd)))


def test_sarif_is_structurally_valid(tmp_path):
    log = sarif(sample(), tmp_path)
    validate_sarif(log, tmp_path)  # asserts every field GitHub code scanning requires
    assert log["runs"][0]["results"], "the sample has diagnostics, so the run has results"


def test_sarif_has_a_rule_for_every_registered_code_with_its_texts(tmp_path):
    rules = {rule["id"]: rule for rule in sarif(sample(), tmp_path)["runs"][0]["tool"]["driver"]["rules"]}
    for code in CODES.values():
        rule = rules[code.id]
        assert rule["name"] == code.name
        assert rule["shortDescription"]["text"] == code.title
        assert rule["fullDescription"]["text"] == code.explanation
        assert code.explanation in rule["help"]["text"]
        if code.bad:
            assert code.bad.splitlines()[0] in rule["help"]["text"]
        if code.good:
            assert code.good.splitlines()[0] in rule["help"]["text"]
        level = {"error": "error", "warning": "warning", "info": "note"}[code.severity.value]
        assert rule["defaultConfiguration"]["level"] == level


def test_sarif_results_one_per_diagnostic_with_levels_and_regions(tmp_path):
    run = sarif(sample(), tmp_path)["runs"][0]
    results = run["results"]
    assert len(results) == len(diagnostics()), "violated verdicts are diagnostics already: never twice"
    by_rule = {r["ruleId"]: r for r in results}
    s101 = by_rule["S101"]
    assert s101["level"] == "error"
    assert s101["message"]["text"].startswith("unexpected name 'shal'")
    assert "did you mean 'shall'?" in s101["message"]["text"]
    assert s101["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 28, "endLine": 2, "endColumn": 32}
    assert by_rule["R501"]["level"] == "warning"
    assert by_rule["F203"]["level"] == "note"
    assert by_rule["F203"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 1, "endLine": 5, "endColumn": 2}


def test_sarif_never_has_line_0(tmp_path):
    results = sarif(sample(), tmp_path)["runs"][0]["results"]
    nowhere = next(r for r in results if r["message"]["text"] == "a problem with no place")
    region = nowhere["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    whole_file = CheckResult(diagnostics=[Diagnostic("F201", Severity.ERROR, "x", Span(A, 0, 0, 0, 0)),
                                          Diagnostic("F201", Severity.ERROR, "y", Span(A, 3, 5, 2, 1))])
    for result in sarif(whole_file, tmp_path)["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        assert region["endColumn"] >= region["startColumn"]


def test_sarif_uris_are_relative_posix_under_srcroot(tmp_path):
    run = sarif(sample(), tmp_path)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    located = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]
               if r["ruleId"] != "F201"]
    assert {(a["uri"], a["uriBaseId"]) for a in located} == {(A, "%SRCROOT%"), (B, "%SRCROOT%")}


def test_sarif_paths_outside_the_directory_stay_absolute_as_file_uris(tmp_path):
    inside = tmp_path / "repo"
    inside.mkdir()
    outside = tmp_path / "elsewhere" / "with space#.plan"
    result = CheckResult(diagnostics=[
        Diagnostic("S101", Severity.ERROR, "bad", Span(str(outside), 1, 1, 1, 2)),
        Diagnostic("S101", Severity.ERROR, "bad", Span(os.path.join("..", "x.plan"), 1, 1, 1, 2)),
        Diagnostic("S101", Severity.ERROR, "bad", Span(str(inside / "sub" / "in.plan"), 1, 1, 1, 2)),
    ])
    log = sarif(result, inside)
    validate_sarif(log, inside)
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"]
                 for r in log["runs"][0]["results"]]
    assert {"uri": outside.as_uri()} in artifacts
    assert "%20" in outside.as_uri() and "%23" in outside.as_uri()
    assert {"uri": (tmp_path / "x.plan").as_uri()} in artifacts
    assert {"uri": "sub/in.plan", "uriBaseId": "%SRCROOT%"} in artifacts


def test_sarif_base_uri_ends_with_one_slash_even_at_the_root():
    bases = to_sarif(CheckResult(), "/")["runs"][0]["originalUriBaseIds"]
    assert bases == {"%SRCROOT%": {"uri": "file:///"}}


def test_sarif_percent_encodes_relative_uris(tmp_path):
    span = Span("my plans/100%.plan", 1, 1, 1, 2)
    result = CheckResult(diagnostics=[Diagnostic("S101", Severity.ERROR, "bad", span)])
    (only,) = sarif(result, tmp_path)["runs"][0]["results"]
    artifact = only["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "my%20plans/100%25.plan", "uriBaseId": "%SRCROOT%"}


def test_sarif_standard_input_is_a_location_too(tmp_path):
    result = CheckResult(diagnostics=[Diagnostic("S101", Severity.ERROR, "bad", Span("<stdin>", 3, 4, 3, 5))])
    log = sarif(result, tmp_path)
    validate_sarif(log, tmp_path)
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "%3Cstdin%3E"}


def test_sarif_code_missing_from_the_registry_still_gets_a_rule(tmp_path):
    unknown = "Z" + "9" * 6
    assert unknown not in CODES
    result = CheckResult(diagnostics=[Diagnostic(unknown, Severity.WARNING, "new", Span(A, 1, 1, 1, 2))])
    log = sarif(result, tmp_path)
    validate_sarif(log, tmp_path)
    (only,) = log["runs"][0]["results"]
    assert only["ruleId"] == unknown


def test_sarif_level_follows_the_diagnostic_not_the_default(tmp_path):
    result = CheckResult(diagnostics=[Diagnostic("S101", Severity.INFO, "demoted", Span(A, 1, 1, 1, 2))])
    (only,) = sarif(result, tmp_path)["runs"][0]["results"]
    assert only["level"] == "note"


def test_sarif_of_an_empty_run_is_valid(tmp_path):
    log = sarif(CheckResult(), tmp_path)
    validate_sarif(log, tmp_path)
    assert log["runs"][0]["results"] == []


def test_sarif_carries_the_verdicts_in_the_run_properties(tmp_path):
    properties = to_sarif(sample(), str(tmp_path))["runs"][0]["properties"]
    assert properties["redlines"] == to_json_document(sample())["redlines"]
    assert properties["summary"] == sample().summary()


# ============================================================================
# GitHub workflow commands
# ============================================================================


def test_github_escaping_of_data_and_properties():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    # % first: an escape is never escaped twice, and decoding gives back the text.
    assert escape_data("%0A") == "%250A"


def test_github_annotation_line():
    diagnostic = Diagnostic("S101", Severity.ERROR, "unexpected name 'shal': expected ',', ':' or 'shall'",
                            Span("dir,x/a:b%.plan", 2, 28, 2, 32), "did you mean 'shall'?")
    line = github_annotation(diagnostic, cwd=os.getcwd())
    assert line == ("::error file=dir%2Cx/a%3Ab%25.plan,line=2,col=28,endLine=2,endColumn=32,title=S101::"
                    "unexpected name 'shal': expected ',', ':' or 'shall'%0Ahint: did you mean 'shall'?")
    assert "\n" not in line


def test_github_commands_per_severity_and_multiline_spans():
    lines = render(sample(), "github", cwd=os.getcwd()).splitlines()
    annotations = [line for line in lines if re.match("::(error|warning|notice) ", line)]
    assert len(annotations) == len(diagnostics())
    pattern = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")
    assert all(pattern.match(line) for line in annotations), annotations
    kinds = [pattern.match(line).group(1) for line in annotations]
    assert sorted(kinds) == ["error", "error", "error", "notice", "warning"]
    multiline = next(line for line in annotations if "title=F203" in line)
    assert "line=1,endLine=5" in multiline and "col=" not in multiline, "columns only for one-line spans"
    assert "100%25 of the way" in multiline
    nowhere = next(line for line in annotations if "no place" in line)
    assert nowhere == "::error title=F201::a problem with no place", "no file, no place"


def test_github_clamps_line_0_to_1():
    line = github_annotation(Diagnostic("F201", Severity.ERROR, "whole file", Span(A, 0, 0, 0, 0)))
    assert line == f"::error file={A},line=1,col=1,endLine=1,endColumn=1,title=F201::whole file"


def test_github_format_is_the_annotations_then_the_text_log_with_commands_off():
    result = sample()
    out = render(result, "github", cwd=os.getcwd())
    annotations = "".join(github_annotation(d, os.getcwd()) + "\n" for d in sorted(result.diagnostics,
                                                                                  key=Diagnostic.sort_key))
    assert out.startswith(annotations)
    match = re.fullmatch(r"::stop-commands::(\S+)\n(.*)::\1::\n", out[len(annotations):], re.S)
    assert match, out
    token, log = match.groups()
    assert log == render_text_report(result) and token not in log


def test_github_user_text_cannot_inject_workflow_commands():
    evil = "x\n::error file=forged.plan,line=1::forged\n::add-mask::secret"
    result = CheckResult(
        files={A: A_TEXT},
        diagnostics=[Diagnostic("R501", Severity.WARNING, f"crosses '{evil}'", Span(A, 1, 1, 1, 2), evil)],
        verdicts=[Verdict("p", "ukraine", "r", evil, "violated", (1,), evil)])
    out = render(result, "github", cwd=os.getcwd())
    lines = out.splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[stop].split("::")[2]
    assert lines[-1] == f"::{token}::"
    live = lines[:stop + 1] + lines[-1:]  # the lines GitHub reads as commands
    assert [line for line in live if line.startswith("::")] == live
    assert len(live) == 3 and "forged.plan" not in "".join(live[1:])
    assert "%0A::error file%3Dforged.plan" not in live[0] and "%0A::error file=forged.plan" in live[0]
    table = out.split("red lines:\n")[1].split("\n\n")[0].splitlines()
    assert len(table) == 2 and "\\n::error" in table[1], "a title's newline stays inside its row"


def test_github_standard_input_names_no_file():
    line = github_annotation(Diagnostic("S101", Severity.WARNING, "bad", Span("<stdin>", 1, 1, 1, 2)))
    assert line == "::warning title=S101::bad"


# ============================================================================
# Exit decision and explain
# ============================================================================


def test_failed_follows_error_on():
    warning_only = [d for d in diagnostics() if d.severity is Severity.WARNING]
    assert not CheckResult(diagnostics=warning_only).failed
    assert CheckResult(diagnostics=warning_only, options=CheckOptions(error_on=Severity.WARNING)).failed
    assert sample().failed


@pytest.mark.parametrize("code_id", sorted(CODES))
def test_explain_shows_everything_the_registry_knows(code_id):
    code = CODES[code_id]
    text = explain(code)
    first = text.splitlines()[0]
    assert code.id in first and code.name in first and code.severity.value in first
    assert code.title in text
    assert " ".join(code.explanation.split()) in " ".join(text.split())
    # S112's control characters are shown escaped, not obeyed.
    from plandsl.lexer import CONTROL_CHARACTER

    assert not CONTROL_CHARACTER.search(text)
    bad, good = (CONTROL_CHARACTER.sub(lambda m: repr(m.group())[1:-1], example).splitlines()
                 for example in (code.bad, code.good))
    for line in [*(x for x in bad if x not in good), *(x for x in good if x not in bad)]:
        assert line in text  # the declarations both share may be elided, never what differs


def test_find_code_by_id_or_name_and_suggestions():
    assert find_code("s101") is CODES["S101"]
    assert find_code(CODES["S101"].name) is CODES["S101"]
    assert find_code("S999") is None
    assert "S101" in suggest_codes("S1O1")
    assert "S101" in suggest_codes("unexpected-tokn")
    assert suggest_codes("completely unrelated words here") == []


def test_list_codes_covers_the_registry_sorted_by_number():
    lines = list_codes().splitlines()
    ids = [line.split()[0] for line in lines]
    assert sorted(ids) == sorted(CODES)
    numbers = [int(re.sub(r"\D", "", i)) for i in ids]
    assert numbers == sorted(numbers)
    for line in lines:
        code = CODES[line.split()[0]]
        assert line.split()[1] == code.severity.value and line.endswith(code.title)


@pytest.mark.parametrize("before", [0, 150, 1_000_000])
def test_a_very_long_line_is_shown_as_a_window_with_the_caret_under_the_span(before):
    line = "a shall cease fire; " * (before // 20) + "ceese" + " a shall cease fire;" * 50_000
    column = line.index("ceese") + 1
    diagnostic = Diagnostic("S101", Severity.ERROR, "unexpected name 'ceese'", Span("f.plan", 1, column, 1, column + 5))
    _, shown, underline = render_text(diagnostic, [line]).splitlines()
    assert len(shown) < 300 and shown.endswith(" ...")
    assert shown.startswith("    1 | ... ") == (before > 0)
    caret = underline.index("^")
    assert shown[caret:caret + 5] == "ceese" and underline[caret:] == "^~~~~"
