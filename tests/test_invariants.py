"""Invariants of the red-line judge and of the consistency rules, for every generated plan.

Red lines (built with the public kit, :mod:`plandsl.testing`):

- a plan that holds exactly what a ``require`` red line asks satisfies it;
- removing a clause never turns a ``forbid`` red line on what plans say from satisfied
  to violated (a forbidden outcome may be the status quo a removed clause undid);
- a clause about one issue never changes the verdict of a red line about another.

Consistency (plans written as text, with the figures drawn):

- allocations generated to exceed their pool are always flagged (C411), and
  allocations within it never are, whichever alternatives the plan brackets;
- sub-caps generated to exceed the cap on the whole are always flagged (C408),
  and sub-caps within it never are;
- a chain of cessions generated without conflicts (each region handed on by
  whoever holds it at that point of the plan) is never flagged (C401-C404).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import plandsl.testing as kit
from plandsl import ast
from plandsl.check import check
from plandsl.formatter import format_tree

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
ANY = ast.Ref("any", True)


def run(directory: Path, text: str):
    """Check ``text`` as one file; it must have no syntax or name errors."""
    path = directory / "case.plan"
    path.write_text(text, encoding="utf-8")
    result = check([str(path)])
    broken = [d for d in result.diagnostics if d.code[0] in "SF" or d.code in ("N301", "N302")]
    assert not broken, (text, [(d.code, d.message) for d in broken])
    return result


def verdicts(result) -> dict[tuple, str]:
    """(plan, party, red line, option) -> verdict."""
    return {(v.plan, v.party, v.id, v.option): v.verdict for v in result.verdicts}


def codes(result) -> set[str]:
    return {d.code for d in result.diagnostics}


def source(world: ast.PlanFile, *statements) -> str:
    return format_tree(ast.PlanFile("case.plan", (*world.statements, *statements)))


# ============================================================================
# Red lines
# ============================================================================

vocabularies = st.tuples(
    st.lists(st.sampled_from(kit.DEFAULT_PARTIES), min_size=2, max_size=3, unique=True),
    st.lists(st.sampled_from(kit.DEFAULT_REGIONS), min_size=1, max_size=2, unique=True),
)

#: Fields of an action that name a party or a region: where a pattern may say ``any``.
#: (Weapons, pools and funds are the world's single one of each; ``any`` adds nothing there.)
_WILDCARD_FIELDS = {"regions", "recipient", "recognised_by", "objects", "part_of", "alliance", "parties",
                    "places", "partner", "targets", "beneficiary"}


@st.composite
def generalised(draw, clause: ast.Clause) -> ast.Clause:
    """``clause`` with some of its names replaced by ``any``: a pattern that it matches."""
    subjects = (ANY,) if clause.subjects and draw(st.booleans()) else clause.subjects
    action = clause.action
    changes = {}
    for name in _WILDCARD_FIELDS & set(type(action).__dataclass_fields__):
        value = getattr(action, name)
        if isinstance(value, ast.Ref) and draw(st.booleans()):
            changes[name] = ANY
        elif isinstance(value, tuple) and value and isinstance(value[0], ast.Ref) and draw(st.booleans()):
            changes[name] = (ANY,)
    if changes:
        action = type(action)(**{**{f: getattr(action, f) for f in type(action).__dataclass_fields__
                                    if f != "span"}, **changes})
    return ast.Clause(None, subjects, clause.modality, action, (), ())


def redline_block(party: str, kind: str, predicates) -> ast.Positions:
    requirements = tuple(ast.Requirement(kind, predicate) for predicate in predicates)
    return ast.Positions(ast.Ref(party), None, (ast.RedLine("line", "the line", (), requirements),))


def plan_of(*points: tuple[ast.Clause, ...]) -> ast.Plan:
    return ast.Plan("p", None, tuple(ast.Point(n, None, clauses) for n, clauses in enumerate(points, 1)))


@st.composite
def required_and_plan(draw):
    """(world, positions, plan): a red line of ``require`` patterns, and a plan saying each of them."""
    parties, regions = draw(vocabularies)
    world = draw(kit.worlds(parties, regions))
    said = draw(st.lists(kit.clauses(parties=parties, regions=regions), min_size=1, max_size=3))
    # The plan's clauses keep their conditions and deadlines; the patterns say only what is done.
    patterns = [draw(generalised(clause)) for clause in said]
    return world, redline_block(draw(st.sampled_from(parties)), "require", patterns), plan_of(tuple(said))


@settings(deadline=None, suppress_health_check=SLOW)
@given(case=required_and_plan())
def test_a_plan_saying_what_a_require_asks_satisfies_it(case, tmp_path_factory):
    world, positions, plan = case
    result = run(tmp_path_factory.mktemp("require"), source(world, plan, positions))
    found = verdicts(result)
    assert found[("p", positions.party.name, "line", None)] == "satisfied", result.verdicts
    assert "R501" not in codes(result)


def without(plan: ast.Plan, index: int) -> ast.Plan:
    """``plan`` with its ``index``-th clause (counted across points and options) removed."""
    count = -1

    def keep(items):
        nonlocal count
        kept = []
        for item in items:
            if isinstance(item, ast.Clause):
                count += 1
                if count == index:
                    continue
            elif isinstance(item, ast.Option):
                inner = keep(item.items)
                if not inner:
                    continue
                item = ast.Option(item.label, item.proposers, item.agreed, inner)
            kept.append(item)
        return tuple(kept)

    points = []
    for item in plan.items:
        if isinstance(item, ast.Point):
            items = keep(item.items)
            if items:
                points.append(ast.Point(item.number, item.title, items))
        else:
            points.append(item)
    return ast.Plan(plan.name, plan.title, tuple(points))


def clause_count(plan: ast.Plan) -> int:
    """How many clauses ``plan`` holds, those of its options included (the indices of :func:`without`)."""
    count = 0
    for point in (item for item in plan.items if isinstance(item, ast.Point)):
        for item in point.items:
            inner = item.items if isinstance(item, ast.Option) else (item,)
            count += sum(1 for clause in inner if isinstance(clause, ast.Clause))
    return count


def as_forbids(positions: ast.Positions) -> ast.Positions:
    """``positions`` with every clause pattern forbidden, and outcomes (``holds``) left out.

    Outcomes are left out on purpose: who holds a region after the plan starts from
    who holds it now, so removing the clause that hands a region back leaves the
    forbidden status quo in place (see the test after the next).
    """
    lines = []
    for line in positions.items:
        forbids = tuple(ast.Requirement("forbid", r.predicate) for r in line.items
                        if isinstance(r, ast.Requirement) and isinstance(r.predicate, ast.Clause))
        if forbids:
            lines.append(ast.RedLine(line.name, line.title, line.citations, forbids))
    return ast.Positions(positions.party, positions.title, tuple(lines))


@st.composite
def forbidding_case(draw):
    """(world, positions of ``forbid`` red lines, file holding one plan) over one vocabulary."""
    parties, regions = draw(vocabularies)
    world = draw(kit.worlds(parties, regions))
    planned = draw(kit.plans(parties, regions, world=False, max_points=3, max_clauses=3))
    positions = as_forbids(draw(kit.positions(parties, regions, max_redlines=2, max_requirements=2)))
    assume(positions.items)
    return world, positions, planned.statements[-1]


@settings(deadline=None, suppress_health_check=SLOW)
@given(case=forbidding_case(), data=st.data())
def test_removing_a_clause_never_turns_a_satisfied_forbid_into_violated(case, data, tmp_path_factory):
    world, positions, plan = case
    directory = tmp_path_factory.mktemp("forbid")
    before = verdicts(run(directory, source(world, plan, positions)))
    index = data.draw(st.integers(0, clause_count(plan) - 1), label="removed clause")
    after = verdicts(run(directory, source(world, without(plan, index), positions)))
    for key, verdict in before.items():
        if verdict == "satisfied" and key[3] is None:
            assert after.get(key, "not addressed") != "violated", (key, index)


def test_removing_the_clause_that_undoes_a_forbidden_status_quo_violates_a_forbid_on_the_outcome(tmp_path):
    # Why outcomes are left out of the property above: removing a clause can remove a remedy.
    world = 'state a "A";\nstate b "B";\nregion d "D" { held by a; }\n'
    positions = 'positions b { redline no "No" { forbid a holds d; } }\n'
    remedy = "  point 1 { a shall cede d to b; }\n"
    rest = "  point 2 { b shall withdraw from d; }\n"
    key = ("p", "b", "no", None)
    assert verdicts(run(tmp_path, world + "plan p {\n" + remedy + rest + "}\n" + positions))[key] == "satisfied"
    assert verdicts(run(tmp_path, world + "plan p {\n" + rest + "}\n" + positions))[key] == "violated"


def issues_of(predicate) -> set[tuple]:
    """What a red-line predicate is about: (kind of clause, name) pairs; ``any`` is '*'."""
    if isinstance(predicate, ast.Holds):
        # Who holds a region is changed by cessions, withdrawals and freezes of it.
        return {(kind, r.name) for kind in (ast.Cede, ast.Withdraw, ast.Freeze) for r in predicate.regions}
    return issues_of_clause(predicate)


def issues_of_clause(clause: ast.Clause) -> set[tuple]:
    action = clause.action
    if isinstance(action, (ast.Exceed, ast.CeaseFire, ast.Amnesty, ast.ExchangePrisoners, ast.Provision,
                           ast.HoldElections)):
        # About whoever it binds (a cap: the force), or about the whole settlement.
        return {(type(action), "*")}
    names = set()
    for field in ("regions", "objects", "weapons", "alliance", "parties", "places", "partner", "pool", "source",
                  "targets", "beneficiary"):
        value = getattr(action, field, None)
        for ref in value if isinstance(value, tuple) else (value,):
            if isinstance(ref, ast.Ref):
                names.add("*" if ref.wildcard else ref.name)
    return {(type(action), name) for name in names} or {(type(action), "*")}


def same_issue(a: set[tuple], b: set[tuple]) -> bool:
    return any(ka is kb and (na == nb or "*" in (na, nb)) for ka, na in a for kb, nb in b)


@st.composite
def unrelated_case(draw):
    """(world, positions, plan, clause): ``clause`` is about none of the issues of the red lines."""
    parties, regions = draw(vocabularies)
    world = draw(kit.worlds(parties, regions))
    plan = draw(kit.plans(parties, regions, world=False, max_points=2, max_clauses=2)).statements[-1]
    positions = draw(kit.positions(parties, regions, max_redlines=1, max_requirements=2))
    issues = set().union(*(issues_of(r.predicate) for line in positions.items for r in line.items
                           if isinstance(r, ast.Requirement)))
    kinds = sorted(set(kit.CLAUSE_KINDS) - {"cease fire"})
    kind = draw(st.sampled_from(kinds))
    clause = draw(kit.clauses(kind, parties=parties, regions=regions))
    assume(not same_issue(issues_of_clause(clause), issues))
    return world, positions, plan, clause


@settings(deadline=None, suppress_health_check=SLOW)
@given(case=unrelated_case())
def test_a_clause_about_another_issue_never_changes_a_verdict(case, tmp_path_factory):
    world, positions, plan, clause = case
    directory = tmp_path_factory.mktemp("unrelated")
    before = verdicts(run(directory, source(world, plan, positions)))
    points = [item for item in plan.items if isinstance(item, ast.Point)]
    added = ast.Plan(plan.name, plan.title, (*plan.items, ast.Point(len(points) + 1, None, (clause,))))
    after = verdicts(run(directory, source(world, added, positions)))
    assert {k: v for k, v in after.items() if k[3] is None} == {k: v for k, v in before.items() if k[3] is None}


# ============================================================================
# Consistency: allocations from a pool
# ============================================================================

POOL = 'state donor "Donor";\nstate ua "UA";\nstate eu "EU";\nstate us "US";\npool assets "Assets" { amount {amount} billion USD; }\n'
RECIPIENTS = ["ua", "eu", "us"]


@st.composite
def allocation(draw) -> tuple[str, Fraction | None]:
    """(the share as written, its part of the pool as a fraction of it when a proportion)."""
    form = draw(st.sampled_from(["amount", "percent", "fraction"]))
    if form == "percent":
        percent = draw(st.integers(1, 100))
        return f"{percent}%", Fraction(percent, 100)
    if form == "fraction":
        denominator = draw(st.integers(2, 9))
        numerator = draw(st.integers(1, denominator))
        return f"{numerator}/{denominator}", Fraction(numerator, denominator)
    return str(draw(st.integers(1, 500))), None


def written(share: tuple[str, Fraction | None]) -> str:
    text, proportion = share
    return text if proportion is not None else f"{text} billion USD"


def amount_of(share, pool: int) -> Fraction:
    text, proportion = share
    return proportion * pool if proportion is not None else Fraction(int(text))


def point_text(number: int, shares, options=None) -> str:
    """A point allocating each share in turn; ``options``: each alternative's shares."""
    lines = [f"allocate {written(share)} of assets to {RECIPIENTS[i % 3]};" for i, share in enumerate(shares)]
    for label, alternative in sorted((options or {}).items()):
        inner = " ".join(f"allocate {written(share)} of assets to {RECIPIENTS[i % 3]};"
                         for i, share in enumerate(alternative))
        lines.append(f"option {label} {{ {inner} }}")
    return f"  point {number} {{ " + " ".join(lines) + " }\n"


@st.composite
def allocations_case(draw, exceed: bool):
    """A plan whose allocations exceed the pool (``exceed``: as it stands, or with one of its
    bracketed alternatives) or stay within it whichever alternative is chosen."""
    pool = draw(st.integers(10, 1000))
    fixed = draw(st.lists(allocation(), max_size=3))
    alternatives = draw(st.lists(allocation(), min_size=0, max_size=2))
    fixed_total = sum((amount_of(s, pool) for s in fixed), Fraction(0))
    worst = max((amount_of(s, pool) for s in alternatives), default=Fraction(0))
    if exceed:
        # Too much as the plan stands, or once one of the alternatives is chosen.
        assume(fixed_total + worst > pool)
    else:
        assume(fixed_total + worst <= pool)
    points = point_text(1, fixed) if fixed else ""
    if alternatives:
        # Each alternative alone, in its own option of one point: only one is ever in force.
        points += point_text(2, [], {label: [share] for label, share in zip("abc", alternatives)})
    text = POOL.replace("{amount}", str(pool)) + "plan p {\n" + points + "}\n"
    return text


@settings(deadline=None, suppress_health_check=SLOW)
@given(text=allocations_case(exceed=True))
def test_allocations_that_exceed_their_pool_are_always_flagged(text, tmp_path_factory):
    assert "C411" in codes(run(tmp_path_factory.mktemp("alloc"), text)), text


@settings(deadline=None, suppress_health_check=SLOW)
@given(text=allocations_case(exceed=False))
def test_allocations_within_their_pool_are_never_flagged(text, tmp_path_factory):
    assert "C411" not in codes(run(tmp_path_factory.mktemp("alloc"), text)), text


# ============================================================================
# Consistency: caps on a force and on its parts
# ============================================================================


@st.composite
def caps_case(draw, exceed: bool):
    """A force, its parts, a cap on it and caps on its parts that together exceed it
    (``exceed``: one part alone, or their sum) or stay within it."""
    whole = draw(st.integers(1_000, 100_000))
    parts = draw(st.integers(1, 3))
    if exceed:
        if draw(st.booleans()):
            caps = [draw(st.integers(whole + 1, 2 * whole))] + draw(st.lists(st.integers(1, whole), max_size=parts - 1))
        else:
            caps = draw(st.lists(st.integers(1, whole), min_size=max(parts, 2), max_size=max(parts, 2)))
            assume(sum(caps) > whole)
    else:
        caps = draw(st.lists(st.integers(1, whole), min_size=1, max_size=parts))
        assume(sum(caps) <= whole)
    strength = 3 * whole * len(caps)  # every cap below strength: C405 stays quiet
    world = ['state a "A";', f'force army "Army" {{ of a; strength {strength} personnel; }}']
    world += [f'force part{i} "Part {i}" {{ of a; part of army; strength {strength} personnel; }}'
              for i in range(len(caps))]
    deadline = draw(st.sampled_from(["", " by 2030", " within 90 days"]))
    clauses = [f"army shall not exceed {whole} personnel{deadline};"]
    clauses += [f"part{i} shall not exceed {cap} personnel{deadline};" for i, cap in enumerate(caps)]
    order = draw(st.permutations(clauses))
    points = "".join(f"  point {n} {{ {clause} }}\n" for n, clause in enumerate(order, 1))
    return "\n".join(world) + "\nplan p {\n" + points + "}\n"


@settings(deadline=None, suppress_health_check=SLOW)
@given(text=caps_case(exceed=True))
def test_sub_caps_that_exceed_their_cap_are_always_flagged(text, tmp_path_factory):
    assert "C408" in codes(run(tmp_path_factory.mktemp("caps"), text)), text


@settings(deadline=None, suppress_health_check=SLOW)
@given(text=caps_case(exceed=False))
def test_sub_caps_within_their_cap_are_never_flagged(text, tmp_path_factory):
    assert "C408" not in codes(run(tmp_path_factory.mktemp("caps"), text)), text


# ============================================================================
# Consistency: chains of cessions
# ============================================================================

CESSION_CODES = {"C401", "C402", "C403", "C404"}


@st.composite
def cession_chains(draw):
    """A world of regions (some with parts) held by parties, and a plan handing some of them
    on: each region ceded by whoever holds it then, to a party that does not, at most once
    by each holder; no region ceded together with a part of it; nothing frozen."""
    parties = ["p1", "p2", "p3", "p4"]
    world = [f'state {p} "{p.upper()}";' for p in parties]
    leaves: dict[str, str] = {}  # region -> its holder before the plan
    wholes = draw(st.integers(1, 3))
    chosen = []
    for w in range(wholes):
        parts = draw(st.integers(0, 2))
        holder = draw(st.sampled_from(parties))
        world.append(f'region r{w} "R{w}" {{ held by {holder}; }}' if not parts else f'region r{w} "R{w}";')
        if parts:
            for k in range(parts):
                part_holder = draw(st.sampled_from(parties))
                world.append(f'region r{w}_{k} "R{w} {k}" {{ part of r{w}; held by {part_holder}; }}')
                leaves[f"r{w}_{k}"] = part_holder
            # Hand on either the parts one by one, or nothing of this whole.
            chosen += [f"r{w}_{k}" for k in range(parts) if draw(st.booleans())]
        else:
            leaves[f"r{w}"] = holder
            if draw(st.booleans()):
                chosen.append(f"r{w}")
    assume(chosen)
    chains = []
    for region in chosen:
        holder, chain = leaves[region], []
        for _ in range(draw(st.integers(1, 3))):
            recipient = draw(st.sampled_from([p for p in parties if p != holder]))
            status = draw(st.sampled_from(["", " de facto", " de jure"]))
            chain.append(f"{holder} shall cede {region} to {recipient}{status};")
            holder = recipient
        chains.append(chain)
    # Interleave the chains, each kept in its own order.
    clauses = []
    while any(chains):
        chain = draw(st.sampled_from([c for c in chains if c]))
        clauses.append(chain.pop(0))
    points = "".join(f"  point {n} {{ {clause} }}\n" for n, clause in enumerate(clauses, 1))
    return "\n".join(world) + "\nplan p {\n" + points + "}\n"


@settings(deadline=None, suppress_health_check=SLOW)
@given(text=cession_chains())
def test_a_cession_chain_without_conflicts_is_never_flagged(text, tmp_path_factory):
    found = codes(run(tmp_path_factory.mktemp("cede"), text))
    assert not found & CESSION_CODES, (text, found)


def test_a_region_ceded_again_by_a_party_that_handed_it_on_is_flagged(tmp_path):
    world = 'state p1 "P1";\nstate p2 "P2";\nstate p3 "P3";\nregion r "R" { held by p1; }\n'
    broken = world + "plan p {\n  point 1 { p1 shall cede r to p2; }\n  point 2 { p1 shall cede r to p3; }\n}\n"
    result = run(tmp_path, broken)
    [conflict] = [d for d in result.diagnostics if d.code == "C402"]
    assert conflict.span.line == 7 and "to 'p2' in point 1" in conflict.message
    chain = world + "plan p {\n  point 1 { p1 shall cede r to p2; }\n  point 2 { p2 shall cede r to p3; }\n}\n"
    assert not codes(run(tmp_path, chain)) & CESSION_CODES


def test_allocations_over_the_pool_in_one_alternative_name_the_option(tmp_path):
    text = POOL.replace("{amount}", "10") + (
        "plan p {\n  point 1 { allocate 6 billion USD of assets to ua; }\n"
        "  point 2 { option a { allocate 1 billion USD of assets to eu; } "
        "option b { allocate 5 billion USD of assets to eu; } }\n}\n")
    [flagged] = [d for d in run(tmp_path, text).diagnostics if d.code == "C411"]
    assert flagged.message.endswith("if point 2 option b is chosen") and flagged.span.line == 8


def test_a_whole_ceded_after_a_part_of_it_went_elsewhere_is_flagged_at_the_whole(tmp_path):
    text = ('state a "A";\nstate b "B";\nstate c "C";\nregion r "R" { held by a; }\nregion d "D" { part of r; }\n'
            "plan p {\n  point 1 { a shall cede d to b; }\n  point 2 { a shall cede r to c; }\n}\n")
    [conflict] = [d for d in run(tmp_path, text).diagnostics if d.code in CESSION_CODES]
    assert conflict.code == "C402" and conflict.span.line == 8
    assert conflict.message.endswith("in point 1 (which cedes 'd', part of it)")
