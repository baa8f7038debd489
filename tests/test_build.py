"""``plandsl build``: the documents a project file (plandsl.toml) lists.

The repository's own documents must be current (CI fails otherwise: run
``plandsl build`` and commit them). The rest builds small projects in a temporary
directory from the golden inputs of tests/documents.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

DOCUMENTS = Path(__file__).parent / "documents"

# The five kinds of document, made from the golden inputs; their expected text is
# the golden document of the same name.
KINDS = {
    "accord.md": {"kind": "plan", "to": "md"},
    "accord.html": {"kind": "plan", "to": "html"},
    "accord.json": {"kind": "plan", "to": "json"},
    "comparison.md": {"kind": "compare", "to": "md"},
    "comparison.html": {"kind": "compare", "to": "html"},
}


def entry(name: str, **changes) -> dict:
    """The [[document]] that makes golden document ``name`` into docs/NAME."""
    kind = KINDS[name]["kind"]
    plans = ["plans/accord.plan"] + (["plans/revision.plan"] if kind == "compare" else [])
    document = {"kind": kind, "plans": plans, "positions": ["plans/positions.plan"], "to": KINDS[name]["to"],
                "output": f"docs/{name}"}
    document.update(changes)
    return document


def toml_value(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # strings, numbers and lists of strings: JSON is TOML


def write_project(root: Path, documents: list[dict], text: str | None = None) -> Path:
    """A project in ``root``: the golden inputs under plans/, and a plandsl.toml."""
    plans = root / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    for source in DOCUMENTS.glob("*.plan"):
        shutil.copy(source, plans / source.name)
    if text is None:
        text = "".join("[[document]]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in d.items()) + "\n"
                       for d in documents)
    project = root / "plandsl.toml"
    project.write_text(text, encoding="utf-8")
    return project


def snapshot(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file below ``directory``: its bytes, inode and modification time."""
    return {str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*")) if p.is_file()}


def progress_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("[")]


# ============================================================================
# The repository
# ============================================================================


def test_the_committed_documents_are_current():
    before = snapshot(ROOT / "examples")
    process = run_cli("build", "--check", cwd=ROOT)
    assert process.returncode == 0, f"stale documents: run 'plandsl build' and commit them\n{process.stderr}"
    assert "documents up to date" in process.stderr
    assert process.stdout == ""
    assert snapshot(ROOT / "examples") == before, "build --check wrote something"


def test_every_committed_document_is_listed_in_the_project_file():
    import tomllib

    listed = {d["output"] for d in tomllib.loads((ROOT / "plandsl.toml").read_text(encoding="utf-8"))["document"]}
    committed = {str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*/documents/*")}
    assert committed == listed


# ============================================================================
# Writing
# ============================================================================


def test_build_writes_every_document_as_render_and_compare_would(tmp_path):
    write_project(tmp_path, [entry(name) for name in KINDS])
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert process.stdout == ""
    for name in KINDS:
        assert (tmp_path / "docs" / name).read_bytes() == (DOCUMENTS / name).read_bytes(), name
    assert "5 documents built, 5 changed" in process.stderr
    assert [p.name for p in (tmp_path / "docs").iterdir() if p.name.endswith(".tmp")] == []


def test_a_second_build_touches_nothing(tmp_path):
    write_project(tmp_path, [entry("accord.md"), entry("comparison.html")])
    assert run_cli("build", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "docs")
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert "2 documents built, 0 changed" in process.stderr
    assert snapshot(tmp_path / "docs") == before  # same bytes, same inodes, same times


def test_a_changed_document_is_replaced_by_a_rename(tmp_path):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html")])
    assert run_cli("build", cwd=tmp_path).returncode == 0
    changed = tmp_path / "docs" / "accord.md"
    changed.write_text("edited by hand\n", encoding="utf-8")
    changed.chmod(0o600)
    inode, kept_before = changed.stat().st_ino, snapshot(tmp_path / "docs")["accord.html"]
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert "wrote docs/accord.md" in process.stderr and "accord.html" not in process.stderr
    assert changed.read_bytes() == (DOCUMENTS / "accord.md").read_bytes()
    assert changed.stat().st_ino != inode
    assert changed.stat().st_mode & 0o777 == 0o600
    assert snapshot(tmp_path / "docs")["accord.html"] == kept_before


def test_build_runs_from_anywhere_with_project(tmp_path):
    project = write_project(tmp_path / "project", [entry("accord.md")])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    process = run_cli("build", "--project", str(project), cwd=elsewhere)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "project" / "docs" / "accord.md").read_bytes() == (DOCUMENTS / "accord.md").read_bytes()
    assert list(elsewhere.iterdir()) == []


def test_progress_goes_to_stderr_when_there_are_more_than_three_documents(tmp_path):
    write_project(tmp_path, [entry(name) for name in KINDS])
    for args in (["build"], ["build", "--check"]):
        process = run_cli(*args, cwd=tmp_path)
        assert process.returncode == 0, process.stderr
        assert process.stdout == ""
        assert progress_lines(process.stderr) == [f"[{i}/5] docs/{name}" for i, name in enumerate(KINDS, 1)]


def test_no_progress_for_three_documents_or_fewer(tmp_path):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html"), entry("comparison.md")])
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert progress_lines(process.stderr) == []


# ============================================================================
# --check
# ============================================================================


def test_check_passes_when_every_document_is_current(tmp_path):
    write_project(tmp_path, [entry(name) for name in KINDS])
    assert run_cli("build", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path)
    process = run_cli("build", "--check", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert "5 documents up to date" in process.stderr
    assert snapshot(tmp_path) == before


def test_check_names_each_stale_document_and_writes_nothing(tmp_path):
    write_project(tmp_path, [entry("accord.md"), entry("accord.html"), entry("comparison.md")])
    assert run_cli("build", cwd=tmp_path).returncode == 0
    (tmp_path / "docs" / "accord.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "docs" / "comparison.md").unlink()
    before = snapshot(tmp_path)
    process = run_cli("build", "--check", cwd=tmp_path)
    assert process.returncode == 1
    assert process.stdout == ""
    stale = [line for line in process.stderr.splitlines() if line.startswith("stale ")]
    assert stale == ["stale docs/accord.md", "stale docs/comparison.md"]
    assert "2 of 3 documents are stale; run 'plandsl build'" in process.stderr
    assert snapshot(tmp_path) == before


def test_a_changed_plan_makes_every_document_made_from_it_stale(tmp_path):
    write_project(tmp_path, [entry("accord.md"), entry("comparison.md", plans=["plans/revision.plan"])])
    assert run_cli("build", cwd=tmp_path).returncode == 0
    accord = tmp_path / "plans" / "accord.plan"
    accord.write_text(accord.read_text(encoding="utf-8").replace("Both towns stop fighting.", "Both stop."),
                      encoding="utf-8")
    process = run_cli("build", "--check", cwd=tmp_path)
    assert process.returncode == 1
    assert "stale docs/accord.md" in process.stderr
    assert "comparison.md" not in process.stderr  # it compares the revision alone, whose clauses did not change


# ============================================================================
# Failures: nothing is written
# ============================================================================

BROKEN = 'use "world.plan";\n\nplan broken "Broken" {\n  point 1 {\n    east shal cease fire;\n  }\n}\n'


def test_a_broken_plan_fails_the_build_and_leaves_every_output_as_it_was(tmp_path):
    documents = [entry("accord.md"), entry("accord.html"), entry("accord.md", plans=["plans/broken.plan"],
                                                                  output="docs/broken.md")]
    write_project(tmp_path, documents)
    (tmp_path / "plans" / "broken.plan").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "accord.md").write_text("stale\n", encoding="utf-8")  # would be rewritten
    before = snapshot(tmp_path)
    for args in (["build"], ["build", "--check"]):
        process = run_cli(*args, cwd=tmp_path)
        assert process.returncode == 1, process.stderr
        assert "document 3" in process.stderr and "errors" in process.stderr
        assert "broken.plan:5:10: error" in process.stderr
        assert "internal error" not in process.stderr and "Traceback" not in process.stderr
        assert snapshot(tmp_path) == before


def test_a_broken_template_fails_the_build_and_leaves_every_output_as_it_was(tmp_path):
    write_project(tmp_path, [entry("accord.html"), entry("accord.md", templates="templates")])
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "plan.md.j2").write_text("{{ nope }}\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "accord.html").write_text("stale\n", encoding="utf-8")
    before = snapshot(tmp_path)
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 2
    assert "document 2" in process.stderr and "plan.md.j2" in process.stderr and "nope" in process.stderr
    assert "internal error" not in process.stderr and "Traceback" not in process.stderr
    assert snapshot(tmp_path) == before


def test_a_project_template_overrides_the_shipped_one(tmp_path):
    write_project(tmp_path, [entry("accord.md", templates="templates")])
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "plan.md.j2").write_text("# {{ plan.title | md }}\n", encoding="utf-8")
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "docs" / "accord.md").read_text(encoding="utf-8") == "# Ford Accord\n"


# Broken project files: exit 2, a message naming the project file and the problem.
PROJECTS = {
    "not-toml": ('[[document]]\nplans = ["plans/accord.plan"\n', "is not valid TOML"),
    "no-documents": ('title = "nothing to build"\n', "lists no [[document]]"),
    "document-not-an-array": ('[document]\nplans = ["plans/accord.plan"]\noutput = "docs/a.md"\n',
                              "lists no [[document]]"),
    "no-output": ('[[document]]\nplans = ["plans/accord.plan"]\n', "document 1: needs 'output'"),
    "no-plans": ('[[document]]\noutput = "docs/a.md"\n', "document 1: needs 'plans'"),
    "unknown-key": ('[[document]]\nplans = ["plans/accord.plan"]\noutput = "docs/a.md"\ncolour = "red"\n',
                    "unknown keys: colour"),
    "missing-plan-file": ('[[document]]\nplans = ["plans/nowhere.plan"]\noutput = "docs/a.md"\n',
                          "cannot read"),
    "output-not-a-string": pytest.param(
        '[[document]]\nplans = ["plans/accord.plan"]\noutput = 3\n', "'output'"),
    "plans-not-a-list": pytest.param(
        '[[document]]\nplans = "plans/accord.plan"\noutput = "docs/a.md"\n', "'plans'"),
    "unknown-kind": pytest.param(
        '[[document]]\nkind = "atlas"\nplans = ["plans/accord.plan"]\noutput = "docs/a.md"\n', "'kind'"),
    "unknown-format": pytest.param(
        '[[document]]\nplans = ["plans/accord.plan"]\noutput = "docs/a.pdf"\nto = "pdf"\n', "'to'"),
}


@pytest.mark.parametrize("text,message", list(PROJECTS.values()), ids=list(PROJECTS))
def test_a_broken_project_file_is_an_error_with_a_clear_message(tmp_path, text, message):
    write_project(tmp_path, [], text=text)
    before = snapshot(tmp_path)
    for args in (["build"], ["build", "--check"]):
        process = run_cli(*args, cwd=tmp_path)
        assert process.returncode == 2, process.stderr
        assert process.stdout == ""
        assert "Traceback" not in process.stderr and "internal error" not in process.stderr
        assert process.stderr.startswith("plandsl: plandsl.toml"), process.stderr
        assert message in process.stderr, process.stderr
        assert snapshot(tmp_path) == before


def test_a_missing_project_file_is_an_error(tmp_path):
    process = run_cli("build", cwd=tmp_path)
    assert process.returncode == 2
    assert "cannot read plandsl.toml" in process.stderr
    process = run_cli("build", "--project", "elsewhere/plandsl.toml", cwd=tmp_path)
    assert process.returncode == 2
    assert "elsewhere/plandsl.toml" in process.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_is_byte_identical_whatever_the_clock_and_hash_seed(tmp_path):
    import subprocess

    from conftest import plandsl_command

    outputs = []
    for number, env in enumerate(({"TZ": "UTC", "PYTHONHASHSEED": "1", "SOURCE_DATE_EPOCH": "0"},
                                  {"TZ": "Asia/Kathmandu", "PYTHONHASHSEED": "99", "SOURCE_DATE_EPOCH": "2000000000"})):
        root = tmp_path / str(number)
        write_project(root, [entry(name) for name in KINDS])
        process = subprocess.run([*plandsl_command(), "build"], cwd=root, env=dict(os.environ, **env),
                                 capture_output=True, timeout=300)
        assert process.returncode == 0, process.stderr.decode()
        outputs.append({name: (root / "docs" / name).read_bytes() for name in KINDS})
    assert outputs[0] == outputs[1]


def test_the_readme_example_is_a_document_of_this_repository():
    import re
    import tomllib

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", readme, re.S)
    (document,) = tomllib.loads(example)["document"]
    project = tomllib.loads((ROOT / "plandsl.toml").read_text(encoding="utf-8"))["document"]
    assert document in project
