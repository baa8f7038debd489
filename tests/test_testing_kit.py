"""The public hypothesis kit, plandsl.testing: valid output, options respected, arguments checked."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings

import plandsl.testing as kit
from plandsl import ast
from plandsl.formatter import format_tree
from plandsl.parser import parse

SETTINGS = settings(deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
PARTIES = ["alpha", "beta"]
REGIONS = ["north"]


def clean(tree: ast.PlanFile) -> ast.PlanFile:
    """Format and parse back: no diagnostics, the same tree. Returns the parsed tree."""
    result = parse(format_tree(tree))
    assert result.diagnostics == []
    assert result.tree == tree
    return result.tree


@SETTINGS
@given(kit.plan_sources())
def test_sources_parse_clean(source):
    result = parse(source)
    assert result.diagnostics == []
    assert any(isinstance(s, ast.Plan) for s in result.tree.statements)


@SETTINGS
@given(kit.plan_sources())
def test_formatting_generated_sources_changes_nothing_and_keeps_their_meaning(source):
    from plandsl.formatter import format_source

    formatted = format_source(source).formatted
    assert formatted == source  # already in canonical form: fmt is idempotent on them
    assert parse(formatted).tree == parse(source).tree


@SETTINGS
@given(kit.plans())
def test_plans_round_trip(tree):
    reparsed = clean(tree)  # asserts a clean parse
    assert reparsed == tree


@SETTINGS
@given(kit.plans(parties=PARTIES, regions=REGIONS))
def test_only_the_given_parties_are_subjects(tree):
    clean(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Clause) and isinstance(node.action, ast.Exceed):
            assert [ref.name for ref in node.subjects] == ["army"]  # a cap binds the world's force
        elif isinstance(node, ast.Clause):
            assert {ref.name for ref in node.subjects} <= set(PARTIES)
        if isinstance(node, ast.Cede):
            assert {ref.name for ref in node.regions} <= set(REGIONS)
            assert node.recipient.name in PARTIES
    declared = {s.name for s in tree.statements if isinstance(s, ast.Declaration)}
    assert set(PARTIES) | set(REGIONS) <= declared


@SETTINGS
@given(kit.plans(options=False))
def test_options_false_gives_no_options(tree):
    assert not any(isinstance(node, ast.Option) for node in ast.walk(tree))


@SETTINGS
@given(kit.plans(max_points=2, world=False))
def test_max_points_and_world(tree):
    assert all(isinstance(s, ast.Plan) for s in tree.statements)
    (plan,) = tree.statements
    points = [item for item in plan.items if isinstance(item, ast.Point)]
    assert 1 <= len(points) <= 2


@SETTINGS
@given(kit.worlds(parties=PARTIES, regions=REGIONS))
def test_worlds_are_declarations_only(tree):
    clean(tree)
    assert all(isinstance(s, ast.Declaration) for s in tree.statements)
    assert {s.name for s in tree.statements if s.kind == "party"} == set(PARTIES)
    assert {s.name for s in tree.statements if s.kind == "region"} == set(REGIONS)


@pytest.mark.parametrize("kind", sorted(kit.CLAUSE_KINDS))
def test_clauses_of_each_kind(kind):
    @settings(deadline=None, max_examples=5)
    @given(kit.clauses(kind, parties=PARTIES))
    def check(clause):
        assert type(clause.action).__name__ == kit.CLAUSE_KINDS[kind]
        clean(ast.PlanFile("<generated>", (ast.Plan("p", None, (ast.Point(1, None, (clause,)),)),)))

    check()


@SETTINGS
@given(kit.positions(parties=PARTIES, regions=REGIONS))
def test_positions_have_red_lines(block):
    assert block.party.name in PARTIES
    assert block.items and all(isinstance(item, ast.RedLine) and item.items for item in block.items)
    clean(ast.PlanFile("<generated>", (block,)))


@SETTINGS
@given(kit.plan_families())
def test_revisions_name_their_original(tree):
    clean(tree)
    original, revision = tree.statements[-2:]
    assert isinstance(original, ast.Plan) and isinstance(revision, ast.Plan)
    assert original.name != revision.name
    revises = [p for p in revision.items if isinstance(p, ast.Property) and p.key == "revises"]
    assert revises == [ast.Property("revises", (ast.Ref(original.name),))]


@pytest.mark.parametrize("build, error, message", [
    (lambda: kit.plans(max_points=-1), ValueError, "max_points must be at least 1"),
    (lambda: kit.plans(max_points=0), ValueError, "max_points must be at least 1"),
    (lambda: kit.plans(max_points=2.5), TypeError, "max_points must be an int"),
    (lambda: kit.plans(max_clauses=True), TypeError, "max_clauses must be an int"),
    (lambda: kit.plans(options="yes"), TypeError, "options must be True or False"),
    (lambda: kit.plans(parties="russia"), TypeError, "not a single string"),
    (lambda: kit.plans(parties=[]), ValueError, "at least one party"),
    (lambda: kit.plans(parties=[1]), TypeError, "parties must hold strings"),
    (lambda: kit.plans(parties=["not a name"]), ValueError, "is not a .plan name"),
    (lambda: kit.plans(parties=["shall"]), ValueError, "is a keyword"),
    (lambda: kit.worlds(parties=["a"], regions=["a"]), ValueError, "both a party and a region"),
    (lambda: kit.plan_sources(max_points=-3), ValueError, "max_points"),
    (lambda: kit.plan_families(max_points=-3), ValueError, "max_points"),
    (lambda: kit.clauses("surrender"), ValueError, "unknown clause kind 'surrender'; expected one of"),
    (lambda: kit.clauses(3), TypeError, "kind must be a clause keyword"),
    (lambda: kit.positions(max_redlines=0), ValueError, "max_redlines must be at least 1"),
    (lambda: kit.plans(name=5), TypeError, "name must be a plan name such as 'deal'"),
    (lambda: kit.plans(name="plan"), ValueError, "is a keyword"),
    (lambda: kit.plans(parties=["army"]), ValueError, "reserved by plandsl.testing"),
])
def test_bad_arguments_raise_when_built(build, error, message):
    with pytest.raises(error, match=message.replace(".", r"\.").replace("(", r"\(")):
        build()


@SETTINGS
@given(first=kit.plans(parties=PARTIES, regions=REGIONS, name="first"),
       second=kit.plans(parties=PARTIES, regions=REGIONS, name="second", world=False))
def test_two_named_plans_share_one_file(first, second):
    tree = clean(ast.PlanFile("<generated>", (*first.statements, *second.statements)))
    assert [s.name for s in tree.statements if isinstance(s, ast.Plan)] == ["first", "second"]


def test_kind_aliases():
    assert kit._check_kind("recognize") == "recognise"
    assert kit._check_kind("Cease  Fire") == "cease fire"


@pytest.mark.parametrize("code", [
    "import sys, plandsl; plandsl.parse('party a;'); assert 'hypothesis' not in sys.modules",
    "import sys; sys.argv = ['plandsl', 'parse', '-']; import plandsl.cli as c; "
    "sys.stdin = __import__('io').TextIOWrapper(__import__('io').BytesIO(b'party a;'))\n"
    "try:\n    c.main_entry()\nexcept SystemExit:\n    pass\nassert 'hypothesis' not in sys.modules",
])
def test_plandsl_does_not_import_hypothesis(code):
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# What a generated plan may still be told by the checker: it is drawn at random, so it
# may cede a region twice or cap a force twice; but it never names what it has not
# declared or the wrong kind of thing, never refers to a point that is not there or
# waits on a later one, never agrees two options of one point, and writes every
# figure in its unit.
NEVER_IN_GENERATED_PLANS = {"N301", "N302", "N304", "N305", "N306", "C418", "C419", "C424", "C425"}


@SETTINGS
@given(tree=kit.plan_families(parties=PARTIES, regions=REGIONS),
       redlines=kit.positions(parties=PARTIES, regions=REGIONS))
def test_generated_plans_and_positions_name_only_declared_names_of_the_right_kind(tree, redlines, tmp_path_factory):
    from plandsl.check import check

    text = format_tree(ast.PlanFile("case.plan", (*tree.statements, redlines)))
    path = tmp_path_factory.mktemp("kit") / "case.plan"
    path.write_text(text, encoding="utf-8")
    found = {d.code for d in check([str(path)]).diagnostics}
    assert not found & NEVER_IN_GENERATED_PLANS, (text, found)
