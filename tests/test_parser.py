"""Text -> AST: what each construct parses to, spans, and odd but valid input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plandsl import ast
from plandsl.parser import parse, parse_bytes


def only_clause(text: str) -> ast.Clause:
    """Parse a clause inside a point and return it."""
    result = parse(f"plan p {{ point 1 {{ {text} }} }}")
    assert result.ok, result.diagnostics
    (point,) = result.tree.statements[0].items
    (clause,) = point.items
    return clause


def ref(name: str) -> ast.Ref:
    return ast.Ref(name)


def test_declaration_with_properties():
    tree = parse('region donetsk "Donetsk" { part of donbas; held by russia about one-fifth cite s "q"; }').tree
    (region,) = tree.statements
    assert region == ast.Declaration("region", "donetsk", "Donetsk", (
        ast.Property("part of", (ref("donbas"),)),
        ast.Property("held by", (ref("russia"), ast.Estimate("about", ast.Fraction(1, 5))),
                     (ast.Citation(ref("s"), "q"),)),
    ))
    assert region.first("part of").values == (ref("donbas"),)


@pytest.mark.parametrize("text, expected", [
    ("ukraine shall cede donetsk, luhansk to russia de jure recognised by usa;",
     ast.Cede((ref("donetsk"), ref("luhansk")), ref("russia"), "de jure", (ref("usa"),))),
    ("usa shall recognise crimea as part of russia de facto;", ast.Recognise((ref("crimea"),), ref("russia"), "de facto")),
    ("shall freeze line of contact in zaporizhzhia;", ast.Freeze((ref("zaporizhzhia"),))),
    ("ukraine shall withdraw from donbas to 15 km;",
     ast.Withdraw((ref("donbas"),), ast.Quantity(Decimal(15), None, "km"))),
    ("shall establish buffer zone in donetsk depth 10 km;",
     ast.Establish("buffer", (ref("donetsk"),), ast.Quantity(Decimal(10), None, "km"))),
    ("army shall not exceed 600,000 personnel;",
     ast.Exceed(ast.Limit(ast.Estimate(None, ast.Quantity(Decimal(600000), None, "personnel")), None))),
    ("army shall not exceed one-tenth of strength;",
     ast.Exceed(ast.Limit(None, ast.Estimate(None, ast.Fraction(1, 10))))),
    ("army shall not exceed 80,000 personnel (1/10);",
     ast.Exceed(ast.Limit(ast.Estimate(None, ast.Quantity(Decimal(80000), None, "personnel")),
                          ast.Estimate(None, ast.Fraction(1, 10))))),
    ("ukraine shall not possess missiles with range more than 30 km;",
     ast.Possess((ref("missiles"),), ast.Estimate("more than", ast.Quantity(Decimal(30), None, "km")))),
    ("nato shall not deploy missiles in ukraine_land;", ast.Deploy((ref("missiles"),), (ref("ukraine_land"),), None)),
    ("ukraine shall never join nato;", ast.Join(ref("nato"))),
    ("nato shall not admit ukraine, georgia;", ast.Admit((ref("ukraine"), ref("georgia")))),
    ("nato shall not station troops in ukraine;", ast.Station((ref("ukraine"),))),
    ("a shall not unite with b;", ast.Unite(ref("b"))),
    ("allocate 100bn USD (about one-third) of pool to fund;",
     ast.Allocate(ast.Share(ast.Estimate(None, ast.Quantity(Decimal(100), "billion", "USD")),
                            ast.Estimate("about", ast.Fraction(1, 3))), ref("pool"), ref("fund"))),
    ("allocate remainder of pool to fund;", ast.Allocate(ast.Share(None, None, "remainder"), ref("pool"), ref("fund"))),
    ("allocate pool to ukraine;", ast.Allocate(None, ref("pool"), ref("ukraine"))),
    ("usa shall receive 50% of profits from fund;",
     ast.ReceiveProfits(ast.Share(None, ast.Estimate(None, ast.Percent(Decimal(50)))), ref("fund"))),
    ("usa shall phase out all sanctions on russia;", ast.Sanctions("phase out", True, (ref("russia"),))),
    ("russia, ukraine shall cease fire;", ast.CeaseFire()),
    ("usa shall guarantee security of ukraine strength full void if ukraine attacks russia;",
     ast.Guarantee(ref("ukraine"), "full", ast.Attacks((ref("ukraine"),), (ref("russia"),)))),
    ('ukraine shall grant amnesty "to all";', ast.Amnesty("to all")),
    ('shall exchange prisoners "all for all";', ast.ExchangePrisoners("all for all")),
    ("ukraine shall hold elections in donetsk;", ast.HoldElections((ref("donetsk"),))),
    ('provision "a free text" tags other, misc;', ast.Provision("a free text", (ref("other"), ref("misc")))),
])
def test_each_action(text, expected):
    assert only_clause(text).action == expected


def test_clause_parts_and_modifiers():
    clause = only_clause('w: ukraine shall withdraw from donbas within 30 days of point 2 by 2026-06 '
                         'from 2026-01-15 until 2027 upon x if "a" unless y is breached cite s "q" cite t;')
    assert clause.label == "w" and clause.subjects == (ref("ukraine"),) and clause.modality == "shall"
    assert clause.modifiers == (
        ast.Within(ast.Quantity(Decimal(30), None, "days"), ast.PointRef(2)),
        ast.ByDate(ast.Date(2026, 6)),
        ast.FromDate(ast.Date(2026, 1, 15)),
        ast.UntilDate(ast.Date(2027)),
        ast.Upon(ref("x")),
        ast.If(ast.ConditionText("a")),
        ast.Unless(ast.Breached(ref("y"))),
    )
    assert clause.citations == (ast.Citation(ref("s"), "q"), ast.Citation(ref("t"), None))


@pytest.mark.parametrize("modality", ["shall", "shall not", "shall never", "may", "may not"])
def test_modalities(modality):
    assert only_clause(f"ukraine {modality} join nato;").modality == modality


def test_plain_clause_has_no_modality_or_subject():
    clause = only_clause("cede donetsk to russia;")
    assert clause.modality is None and clause.subjects == ()


def test_conditions_precedence_and_flat_chains():
    clause = only_clause('shall cease fire if "a" or "b" and "c" and not ("d" or "e");')
    (condition,) = [m.condition for m in clause.modifiers]
    a, b, c, d, e = (ast.ConditionText(x) for x in "abcde")
    assert condition == ast.Or((a, ast.And((b, c, ast.Not(ast.Or((d, e)))))))


def test_numbers_and_fractions_mean_the_same_however_written():
    def amount(text):
        return only_clause(f"a shall not exceed {text};").action.limit.amount.amount

    assert amount("800,000 personnel") == amount("800_000 personnel") == amount("800000 personnel")
    assert amount("100 billion USD") == amount("100bn USD") == amount("100 bn USD")
    assert amount("100bn USD").value == Decimal("1E+11")
    share = only_clause("a shall not exceed two-thirds of strength;").action.limit.share.amount
    assert share == only_clause("a shall not exceed 2/3 of strength;").action.limit.share.amount
    assert share.value == Decimal(2) / Decimal(3)


def test_plan_with_points_options_and_unknowns():
    tree = parse('''
        plan p "P" {
          status leaked; sponsor usa, ukraine; revises q; date 2025-11;
          point 1 "T" { text "prose"; unknown "what else"; }
          point 2 {
            option a proposed by usa agreed { ukraine shall never join nato; }
            option b proposed by ukraine { unknown; }
          }
          points 3 to 28 unknown "not known";
        }''').tree
    plan = tree.statements[0]
    assert plan.items[0] == ast.Property("status", (ast.Keyword("leaked"),))
    assert plan.items[1] == ast.Property("sponsor", ((ref("usa"), ref("ukraine")),))
    point1, point2, rest = plan.items[4:]
    assert point1 == ast.Point(1, "T", (ast.Property("text", ("prose",)), ast.Unknown("what else")))
    assert [o.label for o in point2.items] == ["a", "b"]
    assert point2.items[0].agreed and not point2.items[1].agreed
    assert point2.items[1].proposers == (ref("ukraine"),)
    assert rest == ast.UnknownPoints(3, 28, "not known")


def test_positions():
    tree = parse('''
        positions russia "R" {
          redline donbas "The Donbas" cite s {
            require russia holds donbas;
            forbid ukraine shall join any cite t;
          }
          ideal w: ukraine shall withdraw from donbas;
          flexible on assets;
        }''').tree
    positions = tree.statements[0]
    redline, ideal, flexible = positions.items
    assert positions.party == ref("russia")
    assert redline.items[0] == ast.Requirement("require", ast.Holds((ref("russia"),), (ref("donbas"),)))
    forbid = redline.items[1]
    assert forbid.kind == "forbid" and forbid.predicate.action == ast.Join(ast.Ref("any", True))
    assert forbid.citations == (ast.Citation(ref("t"), None),)
    assert ideal.clause.label == "w"
    assert flexible.issues == (ref("assets"),)


def test_keywords_are_names_where_no_keyword_can_stand():
    # "point" and "status" are keywords, but after "state" only a name can come.
    tree = parse('state point "P"; state status;').tree
    assert [d.name for d in tree.statements] == ["point", "status"]


def test_strings_keep_escapes_and_unicode():
    tree = parse(r'state a "Kyiv \"Київ\" \\ tab\t";').tree
    assert tree.statements[0].label == 'Kyiv "Київ" \\ tab\t'


def test_spans_are_exact():
    text = 'state russia "Russia";\nplan p {\n  point 1 {\n    russia shall cease fire;\n  }\n}\n'
    tree = parse(text, "f.plan").tree
    state, plan = tree.statements
    assert (state.span.file, state.span.line, state.span.column, state.span.end_line, state.span.end_column) == \
        ("f.plan", 1, 1, 1, 23)
    assert (plan.span.line, plan.span.end_line, plan.span.end_column) == (2, 6, 2)
    clause = plan.items[0].items[0]
    assert (clause.span.line, clause.span.column, clause.span.end_column) == (4, 5, 29)
    assert (clause.subjects[0].span.column, clause.subjects[0].span.end_column) == (5, 11)


def test_spans_do_not_take_part_in_equality():
    assert parse("state a;").tree == parse("\n\n   state   a ;").tree


@pytest.mark.parametrize("data", [
    b"", b"\n\n\n", b"# only a comment", b"\xef\xbb\xbfstate a;", b"state a;\r\nstate b;\r\n", b"\tstate\ta\t;",
])
def test_odd_but_valid_input(data):
    result = parse_bytes(data, "odd.plan")
    assert result.ok and result.tree is not None


def test_crlf_positions_count_lines_right():
    result = parse_bytes(b"state a;\r\nstate b\r\nstate c;\r\n", "crlf.plan")
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("S104", 2, 8)


def test_deep_nesting_is_a_diagnostic_not_a_crash():
    for opener, closer in (("(", ")"), ("{", "}")):
        text = "plan p { point 1 { shall cease fire if " + opener * 10_000 + '"x"' + closer * 10_000 + "; } }"
        result = parse(text)
        assert not result.ok


def test_long_condition_chains_do_not_nest():
    text = "plan p { point 1 { shall cease fire if " + " and ".join(['"x"'] * 10_000) + "; } }"
    clause = parse(text).tree.statements[0].items[0].items[0]
    assert len(clause.modifiers[0].condition.operands) == 10_000


def test_a_file_of_50_mib_gets_a_diagnostic_quickly():
    data = b"state a;\n" * (50 * 1024 * 1024 // 9 + 1)
    result = parse_bytes(data, "huge.plan")
    assert [d.code for d in result.diagnostics] == ["S107"]


def test_a_large_file_under_the_limit_parses():
    data = b"".join(b'region r%d "R" { part of p; held by a partly; }\n' % i for i in range(20_000))
    result = parse_bytes(data, "large.plan")
    assert result.ok and len(result.tree.statements) == 20_000


def test_nul_byte_column_counts_characters_not_bytes():
    # Found by tests/test_properties.py: a NUL after multi-byte characters was placed past the line's end.
    (diagnostic,) = parse_bytes('use "\u00a0\u00a0";\x00\n'.encode(), "nul.plan").diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("S108", 1, 10)
