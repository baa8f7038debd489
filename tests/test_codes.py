"""Every diagnostic code has input that triggers it and input that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from plandsl.codes import CODES, lookup
from plandsl.loader import load
from plandsl.parser import parse, parse_bytes

GOOD = 'state russia "Russia";\nplan p { point 1 { russia shall cease fire; } }\n'

# code -> (input that triggers it, input that does not). Inputs are text, or bytes
# where the code is about bytes.
PARSE_CASES = {
    "S101": ('plan p { point 1 { ukraine shall cede to; } }', 'plan p { point 1 { ukraine shall cede a to b; } }'),
    "S102": ('state ukraine @ "Ukraine";', 'state ukraine "Ukraine @";'),
    "S103": ('state ukraine "Ukraine;', 'state ukraine "Ukraine";'),
    "S104": ('state a "A"\nstate b "B";', 'state a "A";\nstate b "B";'),
    "S105": ('plan p {\n  status draft;\n', 'plan p {\n  status draft;\n}\n'),
    "S106": ('plan p { point 1 { shall cease fire if ' + "(" * 65 + '"x"' + ")" * 65 + '; } }',
             'plan p { point 1 { shall cease fire if ' + "(" * 64 + '"x"' + ")" * 64 + '; } }'),
    "S108": (b'state a "\xff";', 'state a "\u00ff";'.encode()),
    "S109": ("x;\n" * 150, "state x;\n" * 150),
    "S110": ('plan p { point 1 { allocate 1,000,000,000,000,000,000 USD of a to b; } }',
             'plan p { point 1 { allocate 100,000,000,000,000,000 USD of a to b; } }'),
    "S112": ('state a "A\x1b]52;c;cm0gLXJmIH4=\x07";', 'state a "A\tB\\n\\t\u00e9";  # a comment\r\n'),
}


def codes_of(diagnostics) -> set[str]:
    return {d.code for d in diagnostics}


@pytest.mark.parametrize("code", sorted(PARSE_CASES))
def test_parse_code_triggers(code):
    bad, _ = PARSE_CASES[code]
    result = parse_bytes(bad if isinstance(bad, bytes) else bad.encode(), "bad.plan")
    assert code in codes_of(result.diagnostics)


@pytest.mark.parametrize("code", sorted(PARSE_CASES))
def test_parse_code_does_not_trigger_on_good_input(code):
    _, good = PARSE_CASES[code]
    result = parse_bytes(good if isinstance(good, bytes) else good.encode(), "good.plan")
    assert code not in codes_of(result.diagnostics)
    assert result.ok


@pytest.mark.parametrize("text", [
    'state a "right-to-left \u202e override";', 'state a "isolate \u2066";', 'state a "C1 \x9b31m";',
    'state a "delete \x7f";', 'state a; # comment with \x1b[2J', 'state a; # lone \r in a comment\n',
    'state a "backspace \x08";', 'plan p { point 1 { provision "vertical \x0b tab"; } }',
])
def test_s112_control_characters_in_strings_and_comments(text):
    result = parse_bytes(text.encode(), "bad.plan")
    [found] = [d for d in result.diagnostics if d.code == "S112"]
    assert "U+" in found.message
    assert ord(text[found.span.column - 1]) == int(found.message.split("U+")[1][:4], 16)


def test_s107_file_too_large():
    data = GOOD.encode() * 100
    assert "S107" in codes_of(parse_bytes(data, "big.plan", max_bytes=len(data) - 1).diagnostics)
    assert "S107" not in codes_of(parse_bytes(data, "big.plan", max_bytes=len(data)).diagnostics)


def test_s108_nul_bytes():
    assert "S108" in codes_of(parse_bytes(b"state a;\x00", "nul.plan").diagnostics)


def write(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_f201_used_file_missing(tmp_path):
    bad = write(tmp_path, "bad.plan", 'use "missing.plan";\n')
    write(tmp_path, "world.plan", 'state a;\n')
    good = write(tmp_path, "good.plan", 'use "world.plan";\n')
    assert "F201" in codes_of(load([bad]).all_diagnostics())
    assert "F201" not in codes_of(load([good]).all_diagnostics())


def test_f202_use_cycle(tmp_path):
    write(tmp_path, "a.plan", 'use "b.plan";\nstate a;\n')
    write(tmp_path, "b.plan", 'use "a.plan";\nstate b;\n')
    write(tmp_path, "self.plan", 'use "self.plan";\n')
    write(tmp_path, "world.plan", 'state w;\n')
    write(tmp_path, "c.plan", 'use "world.plan";\n')
    write(tmp_path, "d.plan", 'use "world.plan";\nuse "c.plan";\n')  # a diamond is not a cycle
    assert "F202" in codes_of(load([str(tmp_path / "a.plan")]).all_diagnostics())
    assert "F202" in codes_of(load([str(tmp_path / "self.plan")]).all_diagnostics())
    assert "F202" not in codes_of(load([str(tmp_path / "d.plan")]).all_diagnostics())


def test_f203_duplicate_names(tmp_path):
    write(tmp_path, "world.plan", 'state russia "Russia";\n')
    across = write(tmp_path, "across.plan", 'use "world.plan";\nregion russia "Russia";\n')
    within = write(tmp_path, "within.plan", 'state a;\nplan a { }\n')
    redlines = write(tmp_path, "redlines.plan",
                     'positions a { redline r "R" { require a holds b; } redline r "R2" { require a holds c; } }\n')
    fine = write(tmp_path, "fine.plan", 'use "world.plan";\nregion russia_land "Russia";\n'
                 'positions a { redline r "R" { require a holds b; } }\npositions b { redline r "R" { require b holds c; } }\n')
    for path in (across, within, redlines):
        assert "F203" in codes_of(load([path]).all_diagnostics()), path
    assert "F203" not in codes_of(load([fine]).all_diagnostics())


def test_f205_used_file_not_a_regular_file(tmp_path):
    import os

    write(tmp_path, "world.plan", 'state a;\n')
    os.mkfifo(tmp_path / "pipe.plan")
    dot = write(tmp_path, "dot.plan", 'use ".";\n')
    fifo = write(tmp_path, "fifo.plan", 'use "pipe.plan";\n')
    good = write(tmp_path, "good.plan", 'use "world.plan";\n')
    for path in (dot, fifo):  # a FIFO would block the run; '.' is the project, not outside it
        found = codes_of(load([path]).all_diagnostics())
        assert "F205" in found and "F204" not in found, (path, found)
    assert "F205" not in codes_of(load([good]).all_diagnostics())


def test_f206_symlink_loop(tmp_path):
    (tmp_path / "loop.plan").symlink_to("loop.plan")
    write(tmp_path, "world.plan", 'state a;\n')
    bad = write(tmp_path, "bad.plan", 'use "loop.plan";\n')
    good = write(tmp_path, "good.plan", 'use "world.plan";\n')
    assert "F206" in codes_of(load([bad]).all_diagnostics())
    assert "F206" in codes_of(load([str(tmp_path / "loop.plan"), good]).all_diagnostics())
    assert "F206" not in codes_of(load([good]).all_diagnostics())


def test_every_syntax_and_file_code_is_tested_here():
    # The checker's codes (N, C, R, X) are tested from their registry examples in test_rules.py.
    tested = set(PARSE_CASES) | {"S107", "S108", "S111", "F201", "F202", "F203", "F204", "F205", "F206"}
    assert tested == {code for code in CODES if code[0] in "SF"}


def test_registry_entries_are_complete():
    for code in CODES.values():
        assert code.id[0] in "SFNCRX" and len(code.id) == 4
        assert code.title and code.explanation and code.name
        assert lookup(code.id.lower()) is code


def test_registry_examples_behave_as_documented():
    # The bad and good examples that `plandsl explain` will show must tell the truth.
    for code in CODES.values():
        if code.id in ("S101", "S102", "S103", "S104", "S105"):
            assert code.id in codes_of(parse(code.bad).diagnostics), code.id
            assert parse(code.good).ok, code.id


def test_f204_use_outside_the_project(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # the files are not under the working directory
    outside = tmp_path / "secret.plan"
    outside.write_text('state secret "Secret";\n')
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    (project / "plans" / "world.plan").write_text('state w;\n')
    (project / "plans" / "link.plan").symlink_to(outside)
    up = write(project / "plans", "up.plan", 'use "../../secret.plan";\n')
    via_link = write(project / "plans", "via-link.plan", 'use "link.plan";\n')
    inside = write(project / "plans", "inside.plan", 'use "world.plan";\n')
    # Without a plandsl.toml the project is the file's own directory; with one, the directory it stands in.
    sibling = write(project / "plans", "sibling.plan", 'use "../other.plan";\n')
    (project / "other.plan").write_text('state o;\n')
    for path in (up, via_link, sibling):
        found = load([path]).all_diagnostics()
        assert "F204" in codes_of(found), path
        assert not any("Secret" in (d.message + (d.hint or "")) for d in found)
    assert "F204" not in codes_of(load([inside]).all_diagnostics())
    assert "F204" not in codes_of(load([up], allow_outside=True).all_diagnostics())
    (project / "plandsl.toml").write_text("")
    assert "F204" not in codes_of(load([sibling]).all_diagnostics())
    assert "F204" in codes_of(load([up]).all_diagnostics())
    (project / "plandsl.toml").unlink()
    monkeypatch.chdir(project)  # run from the project: it may use what lies under it
    assert "F204" not in codes_of(load([sibling]).all_diagnostics())
    assert "F204" in codes_of(load([up]).all_diagnostics())


# Every place a date is written, each with a date that is not on the calendar.
IMPOSSIBLE_DATES = """\
source s "S" { date 0000; }
source t "T" { date 2025-13; cite s; cite t; }
state a "A";
region r "R" { annexed by a in 2023-02-29; }
plan p "P" {
  date 2025-29-09;
  point 1 {
    a shall withdraw from r by 2025-02-30;
    a shall withdraw from r from 2025-04-31 until 2025-06-31;
  }
}
positions a {
  ideal a shall cease fire by 2025-00;
  redline x "X" { require a shall cease fire by 2026-01-32; }
}
"""


def test_s111_every_impossible_date_wherever_it_is_written(tmp_path):
    from plandsl.check import check

    result = check([write(tmp_path, "dates.plan", IMPOSSIBLE_DATES)])
    found = sorted((d.span.line, d.span.column) for d in result.diagnostics if d.code == "S111")
    assert found == [(1, 21), (2, 21), (4, 32), (6, 8), (8, 32), (9, 34), (9, 51), (13, 31), (14, 49)]
    swapped = next(d for d in result.diagnostics if d.code == "S111" and d.span.line == 6)
    assert "2025-09-29" in swapped.hint and "no month 29" in swapped.message
    leap = next(d for d in result.diagnostics if d.code == "S111" and d.span.line == 4)
    assert "February 2023 has 28 days" in leap.hint
    fixed = (IMPOSSIBLE_DATES.replace("0000", "2000").replace("2025-13", "2025-12").replace("2023-02-29", "2024-02-29")
             .replace("2025-29-09", "2025-09-29").replace("2025-02-30", "2025-02-28")
             .replace("2025-04-31", "2025-04-30").replace("2025-06-31", "2025-06-30")
             .replace("2025-00", "2025-01").replace("2026-01-32", "2026-01-31"))
    assert "S111" not in codes_of(check([write(tmp_path, "fixed.plan", fixed)]).diagnostics)


def test_s111_registry_examples(tmp_path):
    from plandsl.check import check

    code = CODES["S111"]
    assert "S111" in codes_of(check([write(tmp_path, "bad.plan", code.bad)]).diagnostics)
    assert "S111" not in codes_of(check([write(tmp_path, "good.plan", code.good)]).diagnostics)


def test_an_impossible_date_is_written_as_it_was_in_prose():
    # 2025-29-09 read as "2025" and 2025-02-30 as "30 February 2025" in documents.
    from plandsl import ast
    from plandsl.prose import Prose

    assert Prose.date(ast.Date(2025, 29, 9)) == "2025-29-09"
    assert Prose.date(ast.Date(2025, 2, 30)) == "2025-02-30"
    assert Prose.date(ast.Date(2024, 2, 29)) == "29 February 2024"
    assert Prose.date(ast.Date(2025, 11)) == "November 2025"
