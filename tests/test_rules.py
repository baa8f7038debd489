"""Every checker code (names N, consistency C, red lines R, suppressions X) has input that
triggers it and input that does not: the bad and good examples of its registry entry,
which `plandsl explain` shows, so the documentation cannot drift from the checker."""

from __future__ import annotations

import pytest

from plandsl.check import CheckOptions, check
from plandsl.codes import CODES
from plandsl.diagnostics import Severity

CHECKER_CODES = sorted(code for code in CODES if code[0] in "NCRX")


def codes_found(tmp_path, text: str, **options) -> dict[str, list]:
    path = tmp_path / "case.plan"
    path.write_text(text, encoding="utf-8")
    result = check([str(path)], options=CheckOptions(**options))
    found: dict[str, list] = {}
    for diagnostic in result.diagnostics:
        found.setdefault(diagnostic.code, []).append(diagnostic)
    return found


@pytest.mark.parametrize("code", CHECKER_CODES)
def test_bad_example_triggers_the_code(code, tmp_path):
    found = codes_found(tmp_path, CODES[code].bad)
    assert code in found, sorted(found)
    diagnostic = found[code][0]
    assert diagnostic.severity is CODES[code].severity
    assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1
    assert diagnostic.message and "__ANON" not in diagnostic.message


@pytest.mark.parametrize("code", CHECKER_CODES)
def test_good_example_does_not(code, tmp_path):
    found = codes_found(tmp_path, CODES[code].good)
    assert code not in found, [d.message for d in found[code]]
    assert not any(code_id[0] in "SF" for code_id in found), "the good example must be a valid program"


def test_redline_severity_is_configurable(tmp_path):
    bad = CODES["R501"].bad
    assert codes_found(tmp_path, bad, redline_severity=Severity.ERROR)["R501"][0].severity is Severity.ERROR
    assert codes_found(tmp_path, bad, redline_severity=Severity.INFO)["R501"][0].severity is Severity.INFO


def test_suppression_silences_only_its_code_on_its_line(tmp_path):
    text = CODES["C405"].bad.replace("900,000 personnel; }", "900,000 personnel; }  # plandsl: ignore[C405]")
    found = codes_found(tmp_path, text)
    assert "C405" not in found and "X601" not in found
    other_code = CODES["C405"].bad.replace("900,000 personnel; }", "900,000 personnel; }  # plandsl: ignore[C407]")
    found = codes_found(tmp_path, other_code)
    assert "C405" in found and "X601" in found


C427_PLAN = '''\
state a "A";
state b "B";
region r "R";
plan p {
  point 1 {
    option x { done: a shall cease fire; }
    option y { b shall cease fire upon done; }
  }
  point 2 { b shall withdraw from r within 3 days of done; }
  point 3 { b shall cease fire if done is breached; }
  point 4 {
    option x { both: a shall cease fire; }
    option y { both: b shall cease fire; a shall withdraw from r upon both; }
  }
  point 5 { b shall withdraw from r upon both; }
  point 6 {
    option x agreed { sealed: a shall cease fire; }
    option y { b shall cease fire; }
  }
  point 7 { b shall withdraw from r upon sealed; }
}
'''


def test_c427_every_way_of_waiting_on_a_label_of_one_option(tmp_path):
    found = codes_found(tmp_path, C427_PLAN)
    assert sorted(d.span.line for d in found.get("C427", [])) == [7, 9, 10], found.get("C427")
    assert "in option y" in next(d.message for d in found["C427"] if d.span.line == 7)


def test_c428_a_zero_denominator_is_no_share_and_no_limit(tmp_path):
    # C412 once read "add up to no limit%": 1/0 counted as an infinite share.
    text = CODES["C428"].bad.replace(
        "point 1 { usa shall receive 1/0 of profits from rebuild; }",
        "point 1 { usa shall receive 1/0 of profits from rebuild; russia shall receive 0/0 of profits from rebuild; "
        "allocate 10 billion USD (0/0) of assets to ukraine; army shall not exceed 1/0 of strength; }")
    found = codes_found(tmp_path, text)
    assert len(found["C428"]) == 4
    messages = [d.message for ds in found.values() for d in ds]
    assert not [m for m in messages if "no limit" in m or "%" in m], messages
    assert not {"C406", "C411", "C412", "C413"} & set(found)


def test_c416_amnesties_and_exchanges_of_different_scopes_do_not_conflict(tmp_path):
    # Free text was ignored: banning an amnesty for war crimes "conflicted" with one for political prisoners.
    text = ('state a "A";\nplan p { point 1 { a shall not grant amnesty "war crimes"; '
            'a may grant amnesty "political prisoners"; a shall not exchange prisoners "officers"; '
            'a may exchange prisoners "conscripts"; } }\n')
    assert "C416" not in codes_found(tmp_path, text)
    same = text.replace('"political prisoners"', '"War  Crimes"')
    assert len(codes_found(tmp_path, same)["C416"]) == 1
    unscoped = text.replace('a shall not grant amnesty "war crimes"', "a shall not grant amnesty")
    assert len(codes_found(tmp_path, unscoped)["C416"]) == 1
