"""Documents: ``plandsl render`` and ``plandsl compare`` in Markdown, HTML and JSON.

- Golden documents: tests/documents/*.plan are tiny inputs; the documents made from
  them sit beside them (accord.md, accord.html, accord.json, comparison.md,
  comparison.html). After a deliberate change, regenerate them with
  ``PLANDSL_UPDATE_GOLDEN=1 pytest tests/test_documents.py`` and review the diff.
- Determinism (byte-identical whatever the clock, time zone or hash seed),
  atomic writes, the template sandbox, escaping in HTML and Markdown.
- Markdown is parsed with markdown-it-py (CommonMark and the GFM table rule).
- HTML is loaded in a real headless browser (Debian's chromium, which .ci/run
  installs): no console errors, no script runs from a plan's text, the spectrum
  chart is drawn. Without chromium these tests skip, except in CI (``CI`` set),
  where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import time
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, plandsl_command, run_cli
from markdown_it import MarkdownIt

from plandsl.documents import render_comparison, render_plan

DOCUMENTS = Path(__file__).parent / "documents"

# Each golden document: its file beside the inputs, and the command that makes it
# (run in tests/documents, so that the documents name files the same way anywhere).
GOLDEN = {
    "accord.md": ["render", "accord.plan", "--positions", "positions.plan", "--to", "md"],
    "accord.html": ["render", "accord.plan", "--positions", "positions.plan", "--to", "html"],
    "accord.json": ["render", "accord.plan", "--positions", "positions.plan", "--to", "json"],
    "comparison.md": ["compare", "accord.plan", "revision.plan", "--positions", "positions.plan", "--to", "md"],
    "comparison.html": ["compare", "accord.plan", "revision.plan", "--positions", "positions.plan", "--to", "html"],
}

SECRET = "TOP-SECRET-4f1c9e"

# A plan whose every piece of user text tries to break out of its place: HTML that
# would run, Markdown that would make headings, emphasis, links or split a table.
HOSTILE = """\
source src "Src | <b>bold</b> *x*" {
  publisher "Pub_lisher [link](http://example.org)";
}
state north "North | Side";
plan hostile "# Not a heading *emph* <script>document.title='pwned'</script> a | b" {
  status draft;
  text "<script>document.title='pwned'</script>";
  text "<img src=x onerror=\\"document.title='pwned'\\">";
  text "a | b *c* _d_ `e` [f](g) ~~h~~ <i>i</i> # j";
  note "> not a quote | <u>u</u>";
  point 1 "T | <i>x</i> *y*" {
    north shall cease fire cite src "quote | with <pipe> *and* stars";
    provision "a | b <script>document.title='pwned'</script> *c*";
  }
}
positions north "North's positions" {
  redline r1 "Red | line *x* <script>document.title='pwned'</script>" {
    require north shall cease fire;
  }
  ideal north shall cease fire;
}
"""
HOSTILE_TITLE = "# Not a heading *emph* <script>document.title='pwned'</script> a | b"


def golden_output(name: str) -> str:
    process = run_cli(*GOLDEN[name], cwd=DOCUMENTS)
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    return process.stdout


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.plan"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


# ============================================================================
# Golden documents
# ============================================================================


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_document(name):
    expected_file = DOCUMENTS / name
    actual = golden_output(name)
    if os.environ.get("PLANDSL_UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8", newline="")
    assert expected_file.exists(), f"no {expected_file.name}: run with PLANDSL_UPDATE_GOLDEN=1 and review it"
    assert actual == expected_file.read_bytes().decode("utf-8")


def test_the_golden_documents_are_small_and_every_kind_has_one():
    kinds = {(args[0], args[-1]) for args in GOLDEN.values()}
    assert kinds == {("render", "md"), ("render", "html"), ("render", "json"), ("compare", "md"), ("compare", "html")}
    for name in GOLDEN:
        assert (DOCUMENTS / name).stat().st_size < 12_000, f"{name} is too big to review"


def test_the_library_makes_the_same_documents_as_the_command_line(monkeypatch):
    monkeypatch.chdir(DOCUMENTS)
    for name, args in GOLDEN.items():
        files = [a for a in args[1:args.index("--positions")]]
        positions = args[args.index("--positions") + 1:args.index("--to")]
        to = args[-1]
        if args[0] == "render":
            document = render_plan(files, positions, to)
        else:
            document = render_comparison(files, positions, to)
        assert document.text == (DOCUMENTS / name).read_text(encoding="utf-8"), name


def test_json_document_is_the_plan_view():
    view = json.loads((DOCUMENTS / "accord.json").read_text(encoding="utf-8"))
    assert view["title"] == "Ford Accord"
    assert [p["number"] for p in view["points"]] == ["1", "2", "3–4"]
    assert [o["agreed"] for o in view["points"][1]["options"]] == [False, True]
    assert {v["verdict"] for v in view["verdicts"]} == {"satisfied", "violated"}
    assert len(view["footnotes"]) == 4


# ============================================================================
# Determinism
# ============================================================================


def _run_with_env(args: list[str], env_overrides: dict[str, str], cwd: Path) -> bytes:
    env = dict(os.environ, **env_overrides)
    process = subprocess.run([*plandsl_command(), *args], capture_output=True, cwd=cwd, env=env, timeout=300)
    assert process.returncode == 0, process.stderr.decode()
    return process.stdout


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_documents_are_byte_identical_whatever_the_clock_zone_and_hash_seed(name):
    first = _run_with_env(GOLDEN[name], {"SOURCE_DATE_EPOCH": "0", "TZ": "UTC", "PYTHONHASHSEED": "0"}, DOCUMENTS)
    again = _run_with_env(GOLDEN[name], {"SOURCE_DATE_EPOCH": "0", "TZ": "UTC", "PYTHONHASHSEED": "0"}, DOCUMENTS)
    other = _run_with_env(GOLDEN[name], {"SOURCE_DATE_EPOCH": "1999999999", "TZ": "Pacific/Kiritimati",
                                         "PYTHONHASHSEED": "4242"}, DOCUMENTS)
    assert first == again
    assert first == other


def test_the_example_documents_are_byte_identical_across_hash_seeds():
    args = ["compare", "examples/ukraine-2025/us-28-point.plan", "examples/ukraine-2025/us-20-point.plan",
            "--positions", "examples/ukraine-2025/russia.plan", "examples/ukraine-2025/ukraine.plan", "--to", "md"]
    outputs = {_run_with_env(args, {"PYTHONHASHSEED": seed, "TZ": zone}, ROOT)
               for seed, zone in (("1", "UTC"), ("2", "Asia/Kathmandu"), ("3", "America/St_Johns"))}
    assert len(outputs) == 1
    assert outputs.pop().decode() == (EXAMPLES / "ukraine-2025" / "documents" / "comparison.md").read_text()


def test_output_file_holds_exactly_what_standard_output_would(tmp_path):
    for name, args in GOLDEN.items():
        out = tmp_path / name
        process = run_cli(*args, "-o", str(out), cwd=DOCUMENTS)
        assert process.returncode == 0, process.stderr
        assert process.stdout == ""
        assert out.read_bytes() == (DOCUMENTS / name).read_bytes()


# ============================================================================
# Atomic writes: a failed run leaves the output as it was
# ============================================================================


def _temporary_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_output_is_replaced_by_a_rename_keeping_its_permissions(tmp_path):
    out = tmp_path / "plan.md"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    before = out.stat()
    process = run_cli(*GOLDEN["accord.md"], "-o", str(out), cwd=DOCUMENTS)
    assert process.returncode == 0, process.stderr
    after = out.stat()
    assert out.read_text(encoding="utf-8") == (DOCUMENTS / "accord.md").read_text(encoding="utf-8")
    assert after.st_ino != before.st_ino, "the output was rewritten in place, not renamed over"
    assert after.st_mode & 0o777 == 0o640
    assert _temporary_files(tmp_path) == []


BROKEN_PLAN = 'state a "A";\nplan p "P" {\n  point 1 {\n    a shal cease fire;\n  }\n}\n'


@pytest.mark.parametrize("command", ["render", "compare"])
def test_a_broken_plan_leaves_the_existing_output_as_it_was(tmp_path, command):
    broken = tmp_path / "broken.plan"
    broken.write_text(BROKEN_PLAN, encoding="utf-8")
    out = tmp_path / "out.md"
    out.write_text("the previous document\n", encoding="utf-8")
    before = out.stat()
    process = run_cli(command, str(broken), "--to", "md", "-o", str(out))
    assert process.returncode == 1, process.stderr
    assert "internal error" not in process.stderr and "Traceback" not in process.stderr
    assert "broken.plan:4:7: error" in process.stderr  # the diagnostics behind the refusal
    assert process.stdout == ""
    assert out.read_text(encoding="utf-8") == "the previous document\n"
    assert (out.stat().st_ino, out.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert _temporary_files(tmp_path) == []


def test_a_broken_user_template_leaves_the_existing_output_as_it_was(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.html.j2").write_text("<h1>{{ plan.title }}</h1>{% for x in %}", encoding="utf-8")
    out = tmp_path / "out.html"
    out.write_text("<p>previous</p>\n", encoding="utf-8")
    process = run_cli(*GOLDEN["accord.html"], "--templates", str(templates), "-o", str(out), cwd=DOCUMENTS)
    assert process.returncode == 2
    assert "plan.html.j2" in process.stderr
    assert out.read_text(encoding="utf-8") == "<p>previous</p>\n"
    assert _temporary_files(tmp_path) == []


def test_an_unwritable_output_is_an_error_and_leaves_nothing(tmp_path):
    out = tmp_path / "missing-directory" / "out.md"
    process = run_cli(*GOLDEN["accord.md"], "-o", str(out), cwd=DOCUMENTS)
    assert process.returncode == 2
    assert "cannot write" in process.stderr
    assert process.stdout == ""
    assert not out.parent.exists()


# ============================================================================
# Templates: overrides by name, the sandbox, undefined variables
# ============================================================================


def test_a_user_template_overrides_the_shipped_one_by_name(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").write_text("Custom: {{ plan.title | md }}, {{ plan.points | length }} points\n",
                                          encoding="utf-8")
    process = run_cli(*GOLDEN["accord.md"], "--templates", str(templates), cwd=DOCUMENTS)
    assert process.returncode == 0, process.stderr
    assert process.stdout == "Custom: Ford Accord, 3 points\n"
    # The templates it does not override are the shipped ones.
    process = run_cli(*GOLDEN["accord.html"], "--templates", str(templates), cwd=DOCUMENTS)
    assert process.returncode == 0, process.stderr
    assert process.stdout == (DOCUMENTS / "accord.html").read_text(encoding="utf-8")


def test_a_user_template_can_extend_the_shipped_page_and_is_autoescaped(tmp_path, hostile):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.html.j2").write_text(
        '{% extends "_page.html.j2" %}{% block title %}{{ plan.title }}{% endblock %}'
        '{% block body %}<p class="custom">{{ plan.texts[0] }}</p>{% endblock %}\n', encoding="utf-8")
    process = run_cli("render", str(hostile), "--to", "html", "--templates", str(templates))
    assert process.returncode == 0, process.stderr
    assert '<p class="custom">&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</p>' in process.stdout
    assert "<script" not in process.stdout
    assert '<meta name="generator" content="plandsl">' in process.stdout


def _secret_beside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    return secret


# Templates that try to read secret.txt, which sits beside the templates directory,
# and what the error must name.
ESCAPES = {
    "include-parent": ('{% include "../secret.txt" %}', "'../secret.txt'"),
    "include-absolute": ('{% include "SECRET_PATH" %}', "secret.txt'"),
    "extends-parent": ('{% extends "../secret.txt" %}', "'../secret.txt'"),
    "import-parent": ('{% import "../secret.txt" as s %}{{ s }}', "'../secret.txt'"),
    "include-symlink": ('{% include "leak.txt" %}', "'leak.txt'"),
    "include-through-symlinked-directory": ('{% include "outside/secret.txt" %}', "'outside/secret.txt'"),
    "python-internals": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    "globals-of-a-function": ("{{ cycler.__init__.__globals__.os.popen('cat SECRET_PATH').read() }}", "unsafe"),
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_a_user_template_cannot_read_outside_its_directory(tmp_path, name):
    secret = _secret_beside(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "leak.txt").symlink_to(secret)
    (templates / "outside").symlink_to(tmp_path, target_is_directory=True)
    source, named = ESCAPES[name]
    (templates / "plan.md.j2").write_text(source.replace("SECRET_PATH", str(secret)), encoding="utf-8")
    out = tmp_path / "out.md"
    process = run_cli(*GOLDEN["accord.md"], "--templates", str(templates), "-o", str(out), cwd=DOCUMENTS)
    assert process.returncode == 2, process.stdout + process.stderr
    assert SECRET not in process.stdout + process.stderr
    assert not out.exists()
    assert process.stdout == ""
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr
    assert process.stderr.startswith("plandsl: template '") and named in process.stderr, process.stderr


def test_a_template_that_is_itself_a_symlink_outside_its_directory_is_refused(tmp_path):
    outside = tmp_path / "mine.md.j2"
    outside.write_text(SECRET + " {{ plan.title }}\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").symlink_to(outside)
    process = run_cli(*GOLDEN["accord.md"], "--templates", str(templates), cwd=DOCUMENTS)
    assert SECRET not in process.stdout + process.stderr
    assert process.returncode == 2, "refused with a clear error, not rendered with another template"
    assert "plan.md.j2" in process.stderr


@pytest.mark.parametrize("source", ["{{ nope }}", "{{ plan.nope }}",
                                    "{% for p in plan.points %}{{ p.nope }}{% endfor %}"])
def test_an_undefined_variable_in_a_template_is_an_error(tmp_path, source):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").write_text(source + "\n", encoding="utf-8")
    process = run_cli(*GOLDEN["accord.md"], "--templates", str(templates), cwd=DOCUMENTS)
    assert process.returncode == 2
    assert process.stdout == ""
    assert "nope" in process.stderr and "undefined" in process.stderr.lower()
    assert "plan.md.j2" in process.stderr
    assert "internal error" not in process.stderr and "Traceback" not in process.stderr


# A user's template may not spend unbounded memory or time: refused with exit 2, old output intact.
@pytest.mark.parametrize("source, message", [
    ("{{ 'a' * 10**9 }}", "repeats a str to 1,000,000,000 characters"),
    ("{{ [1, 2] * 10**8 }}", "repeats a list"),
    ("{{ 10 ** 100000000 }}", "raises 10 to the power 100,000,000"),
    ("{{ 'x' | center(10**9) }}", "needed more than 512 MiB of memory"),
    ("{% set s = 'x' | indent(1) %}{{ '{:>900000000}'.format(s) }}", "needed more than 512 MiB of memory"),
])
def test_a_user_template_that_would_fill_the_memory_is_stopped(tmp_path, source, message):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").write_text(source + "\n", encoding="utf-8")
    out = tmp_path / "out.md"
    out.write_text("previous\n", encoding="utf-8")
    process = run_cli(*GOLDEN["accord.md"], "--templates", str(templates), "-o", str(out), cwd=DOCUMENTS)
    assert process.returncode == 2
    assert message in process.stderr and "plan.md.j2" in process.stderr
    assert "Traceback" not in process.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_a_user_template_that_loops_too_long_is_stopped_and_plandsl_goes_on(tmp_path):
    from plandsl.render import RenderError, TemplateLimits, render

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RenderError, match="ran for more than 1 seconds"):
        render("md", "plan", {"title": "T"}, templates, TemplateLimits(seconds=1))
    assert time.monotonic() - started < 10
    (templates / "plan.md.j2").write_text("{{ plan.title }} {{ 'ab' * 3 }} {{ 2 ** 10 }}\n", encoding="utf-8")
    assert render("md", "plan", {"title": "T"}, templates, TemplateLimits(seconds=1)) == "T ababab 1024\n"


def test_a_missing_templates_directory_is_an_error(tmp_path):
    process = run_cli(*GOLDEN["accord.md"], "--templates", str(tmp_path / "nowhere"), cwd=DOCUMENTS)
    assert process.returncode == 2
    assert "nowhere" in process.stderr and "Traceback" not in process.stderr


# ============================================================================
# HTML: escaped user text (checked statically here, in a browser below)
# ============================================================================


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <title>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)


def parse_html(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser


@pytest.mark.parametrize("command", ["render", "compare"])
def test_html_escapes_every_piece_of_user_text(hostile, command):
    process = run_cli(command, str(hostile), "--to", "html")
    assert process.returncode == 0, process.stderr
    page = parse_html(process.stdout)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags and "img" not in tags and "u" not in tags and "b" not in tags
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    text = "".join(page.text)
    assert "<script>document.title='pwned'</script>" in text  # shown, as text
    if command == "render":
        assert page.title == HOSTILE_TITLE
        assert "<img src=x onerror=\"document.title='pwned'\">" in text
        assert "Red | line *x* <script>document.title='pwned'</script>" in text


def test_json_keeps_user_text_as_it_was_written(hostile):
    process = run_cli("render", str(hostile), "--to", "json")
    assert process.returncode == 0, process.stderr
    view = json.loads(process.stdout)
    assert view["title"] == HOSTILE_TITLE
    assert view["texts"][0] == "<script>document.title='pwned'</script>"


def _ids(text: str) -> list[str]:
    return [attrs["id"] for _, attrs in parse_html(text).tags if "id" in attrs]


@pytest.mark.parametrize("name", ["accord.html", "comparison.html"])
def test_golden_html_has_unique_ids_and_working_footnote_links(name):
    text = (DOCUMENTS / name).read_text(encoding="utf-8")
    ids = _ids(text)
    assert len(ids) == len(set(ids))
    links = [attrs["href"][1:] for tag, attrs in parse_html(text).tags
             if tag == "a" and attrs.get("href", "").startswith("#")]
    assert set(links) <= set(ids)


def test_html_ids_are_unique_when_a_source_is_cited_twice(tmp_path):
    path = tmp_path / "twice.plan"
    path.write_text('source s "S";\nstate a "A";\nplan p "P" {\n  point 1 {\n    a shall cease fire cite s "q";\n'
                    '  }\n  point 2 {\n    a shall exchange prisoners cite s "q";\n  }\n}\n', encoding="utf-8")
    process = run_cli("render", str(path), "--to", "html")
    assert process.returncode == 0, process.stderr
    ids = _ids(process.stdout)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


EXAMPLE_HTML = sorted(EXAMPLES.glob("*/documents/*.html"))


@pytest.mark.parametrize("path", EXAMPLE_HTML, ids=lambda p: p.name)
def test_the_example_html_documents_have_unique_ids(path):
    ids = _ids(path.read_text(encoding="utf-8"))
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


# ============================================================================
# Markdown, parsed with markdown-it-py: tables intact, headings as written
# ============================================================================

MARKDOWN = MarkdownIt("commonmark").enable("table")


def _cells(row: str) -> list[str]:
    """A GFM table row's cells: split on '|' not escaped by a backslash, outer pipes dropped."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return re.split(r"(?<!\\)\|", row)


def markdown_problems(text: str) -> list[str]:
    """What breaks a Markdown document: torn table rows, raw HTML beyond <sup> and <br>."""
    problems = []
    lines = re.sub(r"\r\n?", "\n", text).split("\n")  # CommonMark's line endings, as markdown-it sees them
    tokens = MARKDOWN.parse(text)
    for token in tokens:
        if token.type == "table_open":
            start, end = token.map
            header = len(_cells(lines[start]))
            for number in range(start + 2, end):
                found = len(_cells(lines[number]))
                if found != header:
                    problems.append(f"line {number + 1}: {found} cells under a header of {header}: {lines[number]!r}")
        if token.type == "html_block":
            problems.append(f"raw HTML block: {token.content!r}")
        for child in token.children or ():
            if child.type == "html_inline" and child.content not in ("<sup>", "</sup>", "<br>"):
                problems.append(f"raw HTML: {child.content!r}")
    rendered = MARKDOWN.render(text)
    if "<script" in rendered.lower():
        problems.append("a <script> element in the rendered Markdown")
    return problems


def plain(inline) -> str:
    """What a reader sees of an inline token: its text, markup dropped."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def headings(text: str) -> list[tuple[int, str]]:
    tokens = MARKDOWN.parse(text)
    return [(int(t.tag[1]), plain(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cells, as a reader sees them."""
    found, rows, row = [], None, None
    for token in MARKDOWN.parse(text):
        if token.type == "table_open":
            rows = []
        elif token.type == "table_close":
            found.append(rows)
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "inline" and row is not None and rows is not None:
            row.append(plain(token))
    return found


def paragraphs(text: str) -> list[str]:
    tokens = MARKDOWN.parse(text)
    return [plain(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]


MARKDOWN_DOCUMENTS = sorted([DOCUMENTS / "accord.md", DOCUMENTS / "comparison.md",
                             *EXAMPLES.glob("*/documents/*.md")])


@pytest.mark.parametrize("path", MARKDOWN_DOCUMENTS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_markdown_documents_parse_with_intact_tables(path):
    text = path.read_text(encoding="utf-8")
    assert markdown_problems(text) == []
    assert tables(text), "every document has a table"
    assert headings(text)[0][0] == 1 and [level for level, _ in headings(text)].count(1) == 1


def test_golden_plan_markdown_has_the_expected_headings_and_tables():
    text = (DOCUMENTS / "accord.md").read_text(encoding="utf-8")
    assert headings(text) == [(1, "Ford Accord<sup>1</sup>"), (2, "1. Ceasefire"), (2, "2. The guard"), (2, "3–4."),
                              (2, "Annex: red lines and findings"), (2, "Sources")]
    annex, findings = tables(text)
    assert annex[0] == ["Party", "Red line", "Verdict", "Points", "Why"]
    assert [row[:3] for row in annex[1:]] == [["East Town", "A ceasefire", "satisfied"],
                                              ["West Town", "A guard of at least 700", "violated"]]
    assert findings[1][:3] == ["R501", "warning", "19"]


def test_golden_comparison_markdown_has_the_expected_headings_and_tables():
    text = (DOCUMENTS / "comparison.md").read_text(encoding="utf-8")
    columns = ["Ford Accord", "Revised Ford Accord", "East Town's ideal", "West Town's ideal"]
    assert headings(text) == [(1, "Comparison: " + " · ".join(columns)), (2, "Issues"), (2, "Red lines"),
                              (2, "From Ford Accord to Revised Ford Accord"), (2, "Position spectrum")]
    issues, redlines, changes, spectrum = tables(text)
    assert issues[0] == ["Issue", *columns]
    assert redlines[0] == ["Party", "Red line", *columns]
    assert changes[0] == ["Change", "Before", "After"]
    assert spectrum[0] == ["Issue", "0%", "100%", *columns]
    assert spectrum[1] == ["cap on West Guard", "East Town: 200", "West Town: 1,000", "600 (50%)", "800 (75%)",
                           "200 (0%)", "1,000 (100%)"]


@pytest.mark.parametrize("command", ["render", "compare"])
def test_markdown_keeps_user_text_inert(hostile, command):
    process = run_cli(command, str(hostile), "--positions", str(hostile), "--to", "md")
    assert process.returncode == 0, process.stderr
    text = process.stdout
    assert markdown_problems(text) == []
    tokens = MARKDOWN.parse(text)
    assert not [t for t in tokens if t.type in ("code_block", "fence", "hr")]
    # The plan's note is a quotation (the template's '>'); its own '>' opens nothing more.
    assert [t.type for t in tokens].count("blockquote_open") == (1 if command == "render" else 0)
    inline_markup = {c.type for t in tokens for c in (t.children or ())}
    assert not inline_markup & {"em_open", "link_open", "code_inline", "image", "s_open"}
    if command == "render":
        assert headings(text)[0] == (1, HOSTILE_TITLE)
        assert "<script>document.title='pwned'</script>" in paragraphs(text)
        assert "a | b *c* _d_ `e` [f](g) ~~h~~ <i>i</i> # j" in paragraphs(text)
        assert "> not a quote | <u>u</u>" in paragraphs(text)
        annex = tables(text)[0]
        assert annex[1][:3] == ["North | Side", "Red | line *x* <script>document.title='pwned'</script>", "satisfied"]
    else:
        issues = tables(text)[0]
        assert issues[0] == ["Issue", HOSTILE_TITLE, "North | Side's ideal"]
        assert any("a | b <script>document.title='pwned'</script> *c*" in cell for row in issues for cell in row)


# User text that Markdown would read as structure, and what a reader must see of it.
MARKDOWN_TEXTS = {
    "pipes-and-stars": "a | b *c* **d** _e_",
    "heading-mark": "# not a heading",
    "dash-list": "- not a list",
    "setext-underline": "===",
    "thematic-break": "***",
    "numbered-list": "1. not a list",
    "paren-numbered-list": "2) not a list",
    "plus-list": "+ not a list",
    "indented-code": "    not code",
    "entities": "AT&amp;T &copy; &lt;b&gt;",
}


@pytest.mark.parametrize("text", list(MARKDOWN_TEXTS.values()), ids=list(MARKDOWN_TEXTS))
def test_a_plan_text_reads_in_markdown_as_it_was_written(tmp_path, text):
    path = tmp_path / "t.plan"
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'plan p "P" {{\n  text "{quoted}";\n}}\n', encoding="utf-8")
    process = run_cli("render", str(path), "--to", "md")
    assert process.returncode == 0, process.stderr
    tokens = MARKDOWN.parse(process.stdout)
    blocks = [t.type for t in tokens if t.nesting == 1 or t.type in ("code_block", "fence", "hr")]
    assert blocks == ["heading_open", "paragraph_open"], process.stdout
    assert paragraphs(process.stdout) == [text.strip()]


def test_a_carriage_return_in_user_text_does_not_split_a_table_row_or_a_heading(tmp_path):
    path = tmp_path / "cr.plan"
    path.write_text('state a "A";\nplan p "P" {\n  point 1 "One\\r# two" {\n    a shall cease fire;\n  }\n}\n'
                    'positions a "A\'s" {\n  redline r "Red\\r| x | y | z | w |" {\n    require a shall cease fire;\n'
                    '  }\n}\n', encoding="utf-8")
    process = run_cli("render", str(path), "--positions", str(path), "--to", "md")
    assert process.returncode == 0, process.stderr
    assert markdown_problems(process.stdout) == []
    assert [h for h in headings(process.stdout) if h[0] == 2][0] == (2, "1. One # two")


# Control characters: what a terminal would obey if a document were printed to it.
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("command", ["render", "compare"])
def test_a_plan_with_an_escape_sequence_is_refused_and_prints_nothing(tmp_path, command):
    path = tmp_path / "esc.plan"
    path.write_bytes(b'state a "A";\nplan p "Peace\x1b]52;c;cm0gLXJmIH4=\x07 \xe2\x80\xae" {\n'
                     b'  point 1 { a shall cease fire; }\n}\n')
    process = run_cli(command, str(path), "--to", "md")
    assert process.returncode == 1
    assert process.stdout == ""
    assert "S112" in process.stderr and "U+001B" in process.stderr
    assert not TERMINAL_CONTROLS.search(process.stderr.replace("\n", ""))


@pytest.mark.parametrize("command, to", [("render", "md"), ("render", "html"), ("render", "json"),
                                         ("compare", "md"), ("compare", "html")])
def test_string_escapes_reach_no_document_as_terminal_controls(tmp_path, command, to):
    path = tmp_path / "cr.plan"
    path.write_text('state a "A\\rB\\tC";\nplan p "T\\rX" {\n  text "one\\rtwo";\n'
                    '  point 1 { a shall cease fire; provision "x\\r\\ny"; }\n}\n', encoding="utf-8")
    process = run_cli(command, str(path), "--to", to)
    assert process.returncode == 0, process.stderr
    assert not TERMINAL_CONTROLS.search(process.stdout)
    if to == "json":
        assert json.loads(process.stdout)["title"] == "T\rX"


# ============================================================================
# Plans' other details
# ============================================================================


SPECTRUM_WORLD = """\
state east "East";
state west "West";
force guard "Guard" {
  of west;
  strength 1,000 personnel;
}
"""
SPECTRUM_PLAN = """\
use "world.plan";

plan cap "Cap" {
  point 1 "Guard" {
    guard shall not exceed 600 personnel;
  }
}
"""


def _spectrum_files(tmp_path: Path, east: str, west: str) -> tuple[Path, Path]:
    (tmp_path / "world.plan").write_text(SPECTRUM_WORLD, encoding="utf-8")
    plan = tmp_path / "cap.plan"
    plan.write_text(SPECTRUM_PLAN, encoding="utf-8")
    positions = tmp_path / "positions.plan"
    positions.write_text(f'use "world.plan";\n\npositions east "East\'s" {{\n  ideal guard shall not exceed {east} '
                         f'personnel;\n}}\n\npositions west "West\'s" {{\n  ideal guard shall not exceed {west} '
                         f'personnel;\n}}\n', encoding="utf-8")
    return plan, positions


def test_a_plan_at_the_start_of_the_spectrum_is_at_0_percent(tmp_path):
    plan, positions = _spectrum_files(tmp_path, "1,000", "200")
    process = run_cli("compare", str(plan), "--positions", str(positions), "--to", "md")
    assert process.returncode == 0, process.stderr
    assert "-0%" not in process.stdout
    assert "1,000 (0%)" in process.stdout


# Conditions as the plan groups them, and the words a reader must see (issue 9).
CONDITIONS = {
    '"a" and ("b" or "c")': "if “a” and either “b” or “c”",
    '("a" and "b") or "c"': "if both “a” and “b”, or “c”",
    '("a" or "b") and "c"': "if either “a” or “b”, and “c”",
    '"a" or ("b" and "c")': "if “a” or both “b” and “c”",
    '"a" or "b" or "c"': "if “a” or “b” or “c”",
    '"a" and ("b" and "c")': "if “a” and “b” and “c”",
    'not ("a" or "b")': "if neither “a” nor “b”",
    'not ("a" and "b") and "c"': "if not both “a” and “b”, and “c”",
    'not "a"': "if it is not the case that “a”",
    'not east invades west': "if East does not invade West",
    'east, west attack north': "if East and West attack North",
    'not point 1 is breached': "if point 1 is not breached",
    '"the vote passes"': "if the vote passes",
}


def test_conditions_keep_their_grouping_in_prose(tmp_path):
    lines = "\n".join(f"    east shall cease fire if {c};" for c in CONDITIONS)
    path = tmp_path / "c.plan"
    path.write_text(f'state east "East";\nstate west "West";\nstate north "North";\n'
                    f'plan p "P" {{\n  point 1 {{\n{lines}\n  }}\n}}\n', encoding="utf-8")
    process = run_cli("render", str(path), "--to", "json")
    assert process.returncode == 0, process.stderr
    sentences = [c["sentence"] for c in json.loads(process.stdout)["points"][0]["clauses"]]
    assert sentences == [f"East shall cease fire {words}." for words in CONDITIONS.values()]


REVISION_WORLD = """\
state east "East";
state west "West";
region hill "Hill";
force guard "Guard" { of west; strength 1,000 personnel; }
positions east "East's" {
  redline keep "Keep the hill" { forbid east shall cede hill to any; }
  ideal guard shall not exceed 200 personnel;
}
positions west "West's" { ideal guard shall not exceed 1,000 personnel; }
"""
REVISION_OLD = """\
use "world.plan";
plan old "Old" {
  point 1 { east shall cede hill to west; }
  point 2 { guard shall not exceed 600 personnel; }
  point 10 { east shall provision "schools"; east shall provision "roads"; }
  point 11 { west shall cease fire; }
}
"""
REVISION_NEW = """\
use "world.plan";
plan new "New" {
  revises old;
  point 1 {
    option a proposed by east { east shall cede hill to west; }
    option b proposed by west { west shall withdraw from hill; }
  }
  point 2 {
    option a { guard shall not exceed 800 personnel; }
    option b { guard shall not exceed 500 personnel; }
  }
  point 10 { east shall provision "hospitals"; east shall provision "roads"; east shall provision "bridges"; }
  point 11 { west shall cease fire; west shall cease fire by 2026-01-01; }
}
"""


def test_the_change_list_shows_options_and_pairs_clause_by_clause(tmp_path):
    for name, text in (("world", REVISION_WORLD), ("old", REVISION_OLD), ("new", REVISION_NEW)):
        (tmp_path / f"{name}.plan").write_text(text, encoding="utf-8")
    process = run_cli("compare", "old.plan", "new.plan", "--positions", "world.plan", "--to", "md", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    text = process.stdout
    changes = tables(text)[2]
    assert changes[0] == ["Change", "Before", "After"]
    assert [row[:3] for row in changes[1:]] == [  # (tables() runs on past a table's end)
        ["moved into option a", "East shall cede Hill to West. (point 1)",
         "East shall cede Hill to West. (point 1, option a)"],
        ["added", "—", "West shall withdraw from Hill. (point 1, option b)"],
        ["changed", "Guard shall not exceed 600 personnel. (point 2)",
         "Guard shall not exceed 800 personnel. (point 2, option a)<br>600 personnel → 800 personnel"],
        ["changed", "Guard shall not exceed 600 personnel. (point 2)",
         "Guard shall not exceed 500 personnel. (point 2, option b)<br>600 personnel → 500 personnel"],
        ["added", "—", "East shall provide: hospitals. (point 10)"],
        ["added", "—", "East shall provide: bridges. (point 10)"],
        ["removed", "East shall provide: schools. (point 10)", "—"],
        ["added", "—", "West shall cease fire by 1 January 2026. (point 11)"],
    ]
    assert "- East, Keep the hill: violated → not addressed; violated if point 1 option a" in text.splitlines()
    spectrum = tables(text)[3]
    assert spectrum[1][4] == ("silent outside its options (—)<br>800 if point 2 option a (75%)<br>"
                              "500 if point 2 option b (38%)")


def test_a_labelled_clause_that_changes_its_subject_is_one_changed_row(tmp_path):
    (tmp_path / "a.plan").write_text(
        'state east "East";\nstate west "West";\n'
        'plan old "Old" { point 1 { cf: east shall cease fire; } point 2 { east shall cease fire; } }\n'
        'plan new "New" { revises old; point 1 { cf: west shall cease fire; } point 2 { east shall cease fire; } }\n',
        encoding="utf-8")
    process = run_cli("compare", "a.plan", "--to", "md", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    changes = tables(process.stdout)[1]
    assert [row[:3] for row in changes[1:]] == [
        ["changed", "East shall cease fire. (point 1)", "West shall cease fire. (point 1)"]]


def test_footnotes_are_numbered_in_reading_order():
    text = (DOCUMENTS / "accord.md").read_text(encoding="utf-8")
    body = text.split("## Sources")[0]
    marks = [int(n) for n in re.findall(r"<sup>(\d+)</sup>", body)]
    first_uses = list(dict.fromkeys(marks))
    assert first_uses == list(range(1, len(first_uses) + 1)), first_uses


def test_a_change_row_never_reads_the_same_before_and_after():
    text = (DOCUMENTS / "comparison.md").read_text(encoding="utf-8")
    changes = tables(text)[2]
    same = [row for row in changes[1:] if row[1] == row[2]]
    assert same == []


# ============================================================================
# In a real browser: headless chromium
# ============================================================================

BROWSER_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-default-apps", "--no-first-run", "--no-default-browser-check", "--mute-audio",
    "--no-proxy-server", "--host-resolver-rules=MAP * ~NOTFOUND",  # no network at all
    "--enable-logging=stderr", "--v=0",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.access("/usr/bin/chromium", os.X_OK):
        found = "/usr/bin/chromium"
    if found is None:
        message = "chromium is not installed (.ci/run installs Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the browser tests must run in CI")
        pytest.skip(message)
    return found


def browse(chromium: str, page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    """Load a page in headless chromium, no network, a fresh profile; retried once if it hangs."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()]
    env = dict(os.environ, HOME=str(profile))
    for attempt in (1, 2):
        try:
            process = subprocess.run(command, capture_output=True, env=env, timeout=120)
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
            continue
        return subprocess.CompletedProcess(process.args, process.returncode,
                                           process.stdout.decode("utf-8", "replace"),
                                           process.stderr.decode("utf-8", "replace"))
    raise AssertionError("unreachable")


def dump_dom(chromium: str, page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """The DOM after the page has loaded, and the console messages it logged."""
    process = browse(chromium, page, tmp_path, "--dump-dom")
    assert process.returncode == 0, process.stderr[-3000:]
    assert "<html" in process.stdout, process.stderr[-3000:]
    console = [line for line in process.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return process.stdout, console


def test_the_browser_runs_scripts_and_reports_console_errors(chromium, tmp_path):
    """The checks below mean something: a script in a page does run, and its errors are seen."""
    page = tmp_path / "control.html"
    page.write_text("<!DOCTYPE html><html><head><title>before</title></head><body><p>x</p>"
                    "<script>document.title = 'pwned'; console.error('boom'); nothere();</script></body></html>",
                    encoding="utf-8")
    dom, console = dump_dom(chromium, page, tmp_path)
    assert parse_html(dom).title == "pwned"
    assert any("boom" in line for line in console)
    assert any("Uncaught" in line for line in console)


HTML_PAGES = [DOCUMENTS / "accord.html", DOCUMENTS / "comparison.html",
              *sorted(EXAMPLES.glob("*/documents/*.html"))]


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_html_documents_load_without_console_errors(chromium, tmp_path, page):
    dom, console = dump_dom(chromium, page, tmp_path)
    assert console == []
    loaded = parse_html(dom)
    assert loaded.title == parse_html(page.read_text(encoding="utf-8")).title
    assert any(tag == "table" for tag, _ in loaded.tags)


@pytest.mark.parametrize("command", ["render", "compare"])
def test_script_in_a_plan_shows_as_text_and_runs_nothing(chromium, tmp_path, hostile, command):
    page = tmp_path / f"{command}.html"
    process = run_cli(command, str(hostile), "--positions", str(hostile), "--to", "html", "-o", str(page))
    assert process.returncode == 0, process.stderr
    dom, console = dump_dom(chromium, page, tmp_path)
    assert console == []
    loaded = parse_html(dom)
    expected_title = HOSTILE_TITLE if command == "render" else f"Comparison: {HOSTILE_TITLE} · North | Side's ideal"
    assert loaded.title == expected_title, "a script in the plan changed the page's title"
    assert not [tag for tag, _ in loaded.tags if tag in ("script", "img", "iframe")]
    text = "".join(loaded.text)
    assert "<script>document.title='pwned'</script>" in text
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom or \
        "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in dom


# Appended to a copy of a page: measures every SVG and circle as laid out, and whether
# each circle is what the browser hit-tests at its centre (drawn, on top, in view).
PROBE = """
<script>
(function () {
  var out = [];
  document.querySelectorAll('svg').forEach(function (svg) {
    svg.scrollIntoView();
    var box = svg.getBoundingClientRect();
    var circles = [];
    svg.querySelectorAll('circle').forEach(function (c) {
      var b = c.getBoundingClientRect();
      var hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      circles.push({width: b.width, height: b.height, inside: b.left >= box.left && b.right <= box.right &&
                    b.top >= box.top && b.bottom <= box.bottom, hit: hit === c, fill: getComputedStyle(c).fill});
    });
    out.push({width: box.width, height: box.height, display: getComputedStyle(svg).display,
              visibility: getComputedStyle(svg).visibility, circles: circles,
              texts: Array.prototype.map.call(svg.querySelectorAll('text'), function (t) { return t.textContent; })});
  });
  document.body.setAttribute('data-probe', JSON.stringify(out));
})();
</script>
"""


def test_the_spectrum_chart_is_drawn_with_visible_circles(chromium, tmp_path):
    original = (DOCUMENTS / "comparison.html").read_text(encoding="utf-8")
    dom, console = dump_dom(chromium, DOCUMENTS / "comparison.html", tmp_path)
    assert console == []
    assert dom.count("<svg") == 1 and dom.count("<circle") == 4
    page = tmp_path / "probed.html"
    page.write_text(original.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom, console = dump_dom(chromium, page, tmp_path)
    assert console == []
    body = next(attrs for tag, attrs in parse_html(dom).tags if tag == "body")
    (chart,) = json.loads(body["data-probe"])
    assert chart["width"] == 600 and chart["height"] == 80
    assert chart["display"] != "none" and chart["visibility"] == "visible"
    assert len(chart["circles"]) == 4
    for circle in chart["circles"]:
        assert circle["width"] == circle["height"] == 12
        assert circle["inside"] and circle["hit"], circle
        assert circle["fill"] == "rgb(42, 111, 176)"
    assert "Ford Accord (50%)" in chart["texts"] and "Revised Ford Accord (75%)" in chart["texts"]


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """A PNG's width, height and rows of RGB(A) bytes: just enough PNG for a screenshot."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            step = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            compressed += body
    raw = zlib.decompress(compressed)
    stride = width * step
    rows, previous = [], bytes(stride)
    mask7, mask8 = int.from_bytes(b"\x7f" * stride, "big"), int.from_bytes(b"\x80" * stride, "big")
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(step, stride):
                line[i] = (line[i] + line[i - step]) & 0xFF
        elif kind == 2:  # bytewise addition without carries, on the whole row at once
            a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
            line = bytearray((((a & mask7) + (b & mask7)) ^ ((a ^ b) & mask8)).to_bytes(stride, "big"))
        elif kind == 3:
            for i in range(stride):
                left = line[i - step] if i >= step else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - step] if i >= step else 0
                b, c = previous[i], previous[i - step] if i >= step else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        previous = bytes(line)
        rows.append(previous)
    return width, height, rows


def test_the_spectrum_chart_shows_in_a_screenshot(chromium, tmp_path):
    plan, positions = _spectrum_files(tmp_path, "200", "1,000")
    page = tmp_path / "chart.html"
    process = run_cli("compare", str(plan), "--positions", str(positions), "--to", "html", "-o", str(page))
    assert process.returncode == 0, process.stderr
    assert page.read_text(encoding="utf-8").count("<circle") == 3
    shot = tmp_path / "chart.png"
    process = browse(chromium, page, tmp_path, f"--screenshot={shot}", "--window-size=800,700",
                     "--hide-scrollbars")
    assert process.returncode == 0, process.stderr[-3000:]
    width, height, rows = read_png(shot)
    assert (width, height) == (800, 700)
    step = len(rows[0]) // width
    pixels = [row[i:i + 3] for row in rows for i in range(0, len(row), step)]
    colours = set(pixels)
    assert len(colours) > 20, "the screenshot is blank"
    blue = bytes((0x2A, 0x6F, 0xB0))
    circle_pixels = sum(1 for p in pixels if p == blue)
    assert circle_pixels >= 3 * 60, f"{circle_pixels} pixels of the circles' colour: the chart is not drawn"
