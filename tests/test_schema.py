"""The JSON Schema of ``plandsl check --format json`` ships in the package and describes the output.

The schema (draft 2020-12) lives in ``plandsl/schemas/check-report.schema.json``.
These tests check that it is a valid schema, that it is found inside the
installed package, that every report the command writes validates against it
(examples, syntax errors, every code's bad example), and that it is strict
enough to reject a broken document.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")
from jsonschema import Draft202012Validator  # noqa: E402

from conftest import EXAMPLES, ROOT, run_cli  # noqa: E402
from plandsl.codes import CODES  # noqa: E402

SCHEMA_NAME = "check-report.schema.json"
SYNTAX_ERRORS = ROOT / "tests" / "syntax_errors"


def load_schema() -> dict:
    """The schema as the installed package carries it."""
    return json.loads((resources.files("plandsl") / "schemas" / SCHEMA_NAME).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_json(*args: str, cwd: Path | str | None = None) -> dict:
    """``plandsl check --format json ARGS``: the parsed document (exit 0 or 1, never a crash)."""
    done = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def assert_valid(validator: Draft202012Validator, document: dict) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


# ---------------------------------------------------------------------------
# The schema itself
# ---------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_is_found_inside_the_installed_package():
    import plandsl

    resource = resources.files("plandsl") / "schemas" / SCHEMA_NAME
    assert resource.is_file()
    # The package's own copy: next to the installed plandsl modules, not found by a path into the checkout.
    assert Path(str(resource)).resolve().parent.parent == Path(plandsl.__file__).resolve().parent


def test_package_data_ships_the_schema():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "schemas/*.json" in config["tool"]["setuptools"]["package-data"]["plandsl"]


def test_schema_is_closed_where_the_writer_is():
    schema = load_schema()
    objects = [schema, *(schema["$defs"][name] for name in ("diagnostic", "verdict", "spectrumEntry", "summary"))]
    for definition in objects:
        assert definition["additionalProperties"] is False
        assert set(definition["required"]) == set(definition["properties"])


# ---------------------------------------------------------------------------
# Real output validates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_examples_validate(validator, example):
    directory = EXAMPLES / example
    plans = sorted(str(p) for p in directory.glob("*.plan"))
    document = check_json(*plans)
    assert_valid(validator, document)


def test_examples_with_positions_validate(validator):
    # The ukraine example with red lines and ideals: verdicts, options and the spectrum are filled in.
    directory = EXAMPLES / "ukraine-2025"
    positions = [str(directory / "russia.plan"), str(directory / "ukraine.plan")]
    plans = [str(p) for p in sorted(directory.glob("us-*.plan"))]
    document = check_json(*plans, "--positions", *positions)
    assert document["redlines"], "the example should judge red lines"
    assert_valid(validator, document)


def test_every_example_directory_at_once_validates(validator):
    assert_valid(validator, check_json(str(EXAMPLES)))


@pytest.mark.parametrize("name", sorted(p.name for p in SYNTAX_ERRORS.glob("*.plan")))
def test_syntax_error_files_validate(validator, name):
    assert_valid(validator, check_json(str(SYNTAX_ERRORS / name)))


@pytest.mark.parametrize("text", [
    'plan p { point 1 { ukraine shall cede to russia; } }',
    'state ukraine @ "Ukraine";',
    'state ukraine "Ukraine;',
    'plan p {\n  status draft;\n',
    '',
    '}}}}',
])
def test_hand_written_syntax_errors_validate(validator, tmp_path, text):
    path = tmp_path / "broken.plan"
    path.write_text(text, encoding="utf-8")
    document = check_json(str(path))
    assert_valid(validator, document)


def test_invalid_utf8_and_nul_bytes_validate(validator, tmp_path):
    path = tmp_path / "bytes.plan"
    path.write_bytes(b'state a "\xff";\x00\n')
    document = check_json(str(path))
    assert document["diagnostics"]
    assert_valid(validator, document)


def test_standard_input_validates(validator):
    done = run_cli("check", "--format", "json", "-", input='state a "A"\nstate b "B";\n')
    assert done.returncode in (0, 1), done.stderr
    assert_valid(validator, json.loads(done.stdout))


@pytest.mark.parametrize("code", sorted(code for code in CODES if CODES[code].bad))
def test_every_codes_bad_example_validates(validator, tmp_path, code):
    path = tmp_path / "bad.plan"
    path.write_text(CODES[code].bad, encoding="utf-8")
    document = check_json(str(path))
    assert document["diagnostics"], f"{code}'s bad example should raise something"
    assert_valid(validator, document)


# ---------------------------------------------------------------------------
# Broken documents do not
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_document() -> dict:
    directory = EXAMPLES / "ukraine-2025"
    document = check_json(*(str(p) for p in sorted(directory.glob("us-*.plan"))),
                          "--positions", str(directory / "russia.plan"), str(directory / "ukraine.plan"))
    assert document["diagnostics"] and document["redlines"] and document["spectrum"]
    return document


def _drop(key):
    def edit(document):
        del document[key]
    return edit


def _set(*path_and_value):
    *path, value = path_and_value

    def edit(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return edit


def _drop_in(*path):
    def edit(document):
        target = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    return edit


BROKEN = {
    "missing top-level key": _drop("summary"),
    "extra top-level key": _set("version", "1"),
    "missing diagnostic key": _drop_in("diagnostics", 0, "hint"),
    "wrong severity": _set("diagnostics", 0, "severity", "fatal"),
    "capitalised severity": _set("diagnostics", 0, "severity", "Warning"),
    "bad code": _set("diagnostics", 0, "code", "E1"),
    "lowercase code": _set("diagnostics", 0, "code", "r501"),
    "unknown code letter": _set("diagnostics", 0, "code", "Z501"),
    "line zero": _set("diagnostics", 0, "line", 0),
    "column as string": _set("diagnostics", 0, "column", "5"),
    "fractional end line": _set("diagnostics", 0, "end_line", 2.5),
    "extra diagnostic key": _set("diagnostics", 0, "url", "x"),
    "wrong verdict": _set("redlines", 0, "verdict", "unknown"),
    "missing option": _drop_in("redlines", 0, "option"),
    "points not integers": _set("redlines", 0, "points", ["1"]),
    "position as string": _set("spectrum", 0, "position", "0.5"),
    "missing plan_value": _drop_in("spectrum", 0, "plan_value"),
    "negative count": _set("summary", "errors", -1),
    "missing count": _drop_in("summary", "not_addressed"),
    "extra count": _set("summary", "fatal", 0),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_hand_broken_documents_fail(validator, good_document, name):
    assert_valid(validator, good_document)
    document = copy.deepcopy(good_document)
    BROKEN[name](document)
    assert not validator.is_valid(document), name


def test_nullable_fields_accept_null(validator, good_document):
    document = copy.deepcopy(good_document)
    document["diagnostics"][0]["hint"] = None
    document["redlines"][0]["option"] = None
    document["spectrum"][0]["plan_value"] = None
    document["spectrum"][0]["position"] = None
    assert_valid(validator, document)
    document["redlines"][0]["option"] = "point 7 option b"
    assert_valid(validator, document)


def test_a_red_line_not_judged_validates(validator, tmp_path):
    # A red line with a syntax error is "not judged" (R503): the schema knows the verdict and its count.
    path = tmp_path / "broken-redline.plan"
    path.write_text('state a "A";\nregion r "R";\nplan p { point 1 { a shall withdraw from r; } }\n'
                    'positions a { redline x "X" { forbid a shall rule r; } }\n', encoding="utf-8")
    document = check_json(str(path))
    assert [v["verdict"] for v in document["redlines"]] == ["not judged"]
    assert document["summary"]["not_judged"] == 1
    assert_valid(validator, document)
