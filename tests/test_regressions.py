"""The regression corpus: every file in tests/regressions/ once broke plandsl.

Each file goes through the whole public API: parse, check, every report format,
the formatter and the documents, and once through the installed command. None of
it may raise, and what comes out must be well formed: registered codes, spans
inside the text, sorted diagnostics, one line per diagnostic in the text and
GitHub reports, and (for a file that parses clean) formatting that is idempotent
and keeps the meaning and the comments.

A file's leading comments may state what is expected of it, generically:

- ``# expect: S106`` (or ``S106, F204``): check reports these codes, among others;
- ``# expect-not: C402`` (or ``C402, R501``): check reports none of these (a false alarm once);
- ``# expect: canonical``: formatting leaves the file exactly as it is;
- ``# expect-line: TEXT``: the formatted file has a line that is exactly TEXT.

tests/regressions/README.md says how to add a case.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli

from plandsl.check import CheckResult, check
from plandsl.codes import CODES
from plandsl.diagnostics import Diagnostic, Severity
from plandsl.documents import render_comparison, render_plan
from plandsl.formatter import format_source
from plandsl.parser import parse, parse_bytes
from plandsl.report import render

CORPUS = Path(__file__).parent / "regressions"
CASES = sorted(path for path in CORPUS.iterdir() if path.suffix == ".plan")


def text_of(data: bytes) -> str:
    """The text the parser sees in ``data`` (BOM dropped, bad bytes replaced, NULs kept), for lines."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")


# ============================================================================
# Expectations in the leading comments
# ============================================================================

_EXPECT = re.compile(r"#\s*expect:(.*)")
_EXPECT_NOT = re.compile(r"#\s*expect-not:(.*)")
_EXPECT_LINE = re.compile(r"#\s*expect-line: (.*)")


def expectations(data: bytes) -> tuple[set[str], set[str], list[str]]:
    """(codes and flags from ``# expect:``, codes from ``# expect-not:``, lines from ``# expect-line:``)
    in the leading comments."""
    words: set[str] = set()
    absent: set[str] = set()
    lines: list[str] = []
    for line in text_of(data).split("\n"):
        if not line.startswith("#"):
            break
        if match := _EXPECT.match(line):
            words |= {word.strip() for word in match.group(1).split(",") if word.strip()}
        elif match := _EXPECT_NOT.match(line):
            absent |= {word.strip() for word in match.group(1).split(",") if word.strip()}
        elif match := _EXPECT_LINE.match(line):
            lines.append(match.group(1))
    unknown = {word for word in words if word != "canonical" and word not in CODES} | (absent - set(CODES))
    assert not unknown, f"unknown expectations {sorted(unknown)}: a registered code or 'canonical'"
    return words, absent, lines


# ============================================================================
# What every output must look like
# ============================================================================


def check_diagnostics(diagnostics: list[Diagnostic], texts: dict[str, str]) -> None:
    """Registered codes, spans that start at 1 or later and end after they start, inside the text."""
    for d in diagnostics:
        assert d.code in CODES, d
        assert isinstance(d.severity, Severity), d
        assert d.message.strip(), d
        s = d.span
        assert s.line >= 1 and s.column >= 1, d
        assert (s.end_line, s.end_column) >= (s.line, s.column), d
        text = texts.get(s.file)
        if text is not None:
            lines = text.split("\n")  # only '\n' ends a line, as the parser counts them
            assert s.line <= len(lines) and s.end_line <= len(lines), (d, len(lines))
            assert s.column <= len(lines[s.line - 1]) + 1, (d, lines[s.line - 1][:200])


def check_text_report(report: str, diagnostics: list[Diagnostic]) -> None:
    """Each diagnostic is one header line ``file:line:col: severity: message [code]``, in order."""
    lines = iter(report.split("\n"))
    for d in diagnostics:
        prefix = f"{d.span.file}:{d.span.line}:{d.span.column}: {d.severity.value}: "
        header = next((line for line in lines if line.startswith(prefix)), None)
        assert header is not None, f"no line for {d} in the text report"
        assert header.endswith(f"[{d.code}]"), f"the message of {d.code} runs onto another line: {header!r}"


def check_github_report(report: str, diagnostics: list[Diagnostic]) -> None:
    """One annotation line per diagnostic, then the log with workflow commands off to its very end."""
    lines = report.split("\n")
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    annotations = lines[:stop]
    assert len(annotations) == len(diagnostics), annotations
    assert all(re.match(r"::(error|warning|notice) ", line) for line in annotations), annotations
    token = lines[stop].split("::")[2]
    assert lines[-2:] == [f"::{token}::", ""], "commands are back on only at the very end"


def check_reports(result: CheckResult) -> None:
    for output_format in ("text", "json", "sarif", "github"):
        report = render(result, output_format)
        assert isinstance(report, str) and report.endswith("\n")
        if output_format == "text":
            check_text_report(report, result.diagnostics)
        elif output_format == "github":
            check_github_report(report, result.diagnostics)
        elif output_format == "json":
            document = json.loads(report)
            assert [(d["code"], d["line"], d["column"]) for d in document["diagnostics"]] == \
                [(d.code, d.span.line, d.span.column) for d in result.diagnostics]
        else:
            results = json.loads(report)["runs"][0]["results"]
            regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
            assert len(regions) == len(result.diagnostics)
            assert all(r["startLine"] >= 1 and r["startColumn"] >= 1 for r in regions), regions


class _Anchors(HTMLParser):
    """Every id, and every in-page link target."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.links.append(attrs["href"][1:])


def check_document(text: str, to: str) -> None:
    assert "-0%" not in text, "a spectrum position reads minus zero"
    if to == "md":
        assert "\r" not in text, "a raw carriage return is a line break to Markdown: it splits rows and headings"
    elif to == "html":
        anchors = _Anchors()
        anchors.feed(text)
        anchors.close()
        assert sorted({i for i in anchors.ids if anchors.ids.count(i) > 1}) == [], "duplicate ids"
        assert set(anchors.links) <= set(anchors.ids), "links to ids that are not there"
    else:
        json.loads(text)


def check_documents(case: Path, result: CheckResult) -> None:
    """Every plan of a file without errors renders in every format, and the plans side by side."""
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return
    plans = [plan.name for plan in result.model.plans.values()]
    for name in plans:
        for to in ("md", "html", "json"):
            check_document(render_plan([str(case)], [str(case)], to, name).text, to)
    if plans:
        for to in ("md", "html"):
            check_document(render_comparison([str(case)], [str(case)], to).text, to)


# ============================================================================
# The tests
# ============================================================================


def test_the_corpus_has_cases():
    assert len(CASES) >= 10
    assert [p.name for p in CORPUS.iterdir() if p.suffix not in (".plan", ".md")] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_case_says_what_it_once_broke(case):
    assert case.read_bytes().startswith(b"# "), "start the file with a '#' comment saying what it broke, and how"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case_goes_through_the_whole_api(case):
    data = case.read_bytes()
    words, absent, expected_lines = expectations(data)
    text = text_of(data)

    parsed = parse_bytes(data, str(case))
    check_diagnostics(parsed.diagnostics, {str(case): text})

    result = check([str(case)])
    assert result.diagnostics == sorted(result.diagnostics, key=Diagnostic.sort_key)
    assert len(set(result.diagnostics)) == len(result.diagnostics)
    ours = {path for path in result.files if Path(path).resolve() == case.resolve()}
    assert ours, sorted(result.files)
    check_diagnostics(result.diagnostics, {**result.files, **dict.fromkeys(ours, text)})
    codes = {d.code for d in result.diagnostics}
    assert words - {"canonical"} <= codes, f"expected {sorted(words - {'canonical'})}, got {sorted(codes)}"
    assert not absent & codes, f"reported {sorted(absent & codes)}, which this case must not be told"
    check_reports(result)

    if parsed.ok and parsed.tree is not None:
        formatted = format_source(parsed.text).formatted
        assert formatted is not None
        again = parse(formatted)
        assert again.diagnostics == [], again.diagnostics
        assert again.tree == parsed.tree, "formatting changed the meaning"
        assert [c.text.rstrip() for c in again.comments] == [c.text.rstrip() for c in parsed.comments]
        assert format_source(formatted).formatted == formatted, "formatting is not idempotent"
        if "canonical" in words:
            assert formatted == parsed.text
        for line in expected_lines:
            assert line in formatted.split("\n"), f"no line {line!r} in:\n{formatted}"
    else:
        assert "canonical" not in words and not expected_lines, "a file with errors is not formatted"

    check_documents(case, result)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_check_command_never_crashes(case):
    done = run_cli("check", str(case), "--format", "json")
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(done.stdout)
    assert all(d["code"] in CODES and d["line"] >= 1 for d in document["diagnostics"])
