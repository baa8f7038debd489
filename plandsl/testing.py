"""Hypothesis strategies for ``.plan`` files: property-test your own rules.

Install with ``pip install plandsl[testing]`` and import the kit explicitly::

    import plandsl.testing
    from hypothesis import given

    @given(plandsl.testing.plans(parties=["russia", "ukraine"]))
    def test_my_rule(tree): ...

``import plandsl`` never imports this module (nor hypothesis): only
``import plandsl.testing`` does.

The public strategies (see :data:`__all__` and ``docs/testing.md``):

- :func:`plan_sources` -- ``.plan`` source text that parses with no diagnostics;
- :func:`plans` -- the same as :class:`plandsl.ast.PlanFile` trees;
- :func:`worlds` -- declarations only (the parties, regions, ... a plan names);
- :func:`clauses` -- single clauses, of one kind if asked (``kind="cede"``);
- :func:`positions` -- ``positions`` blocks with red lines;
- :func:`plan_families` -- a plan and a revision of it (``revises``).

Every name a generated plan uses is declared in its world, so ``plandsl check``
reports no undefined names. Defaults are small (a few points, short clauses,
plain names), so a shrunk counterexample reads as a short plan. Arguments are
validated when the strategy is built: a bad one raises :class:`ValueError` or
:class:`TypeError` at once, not while hypothesis is drawing.

The lower-level strategies below the public API (``plan_files``,
``FOCUSED_FILES``, ...) draw *every* shape the grammar can write, with
undeclared names; plandsl's own round-trip tests use them. They are not part of
the supported API and may change.

Internals: every tree drawn from :func:`plan_files` is one the parser can produce: the
shapes follow ``grammar/plan.lark`` and ``_Builder`` in ``plandsl/parser.py``
exactly (which value types each property holds, where ``any`` may stand for a
name, which nodes are ``None`` or ``()`` in which form, ...). Spans are left at
``NO_SPAN``: they never take part in equality.

Shapes the AST allows but the grammar cannot write are never drawn; they are
listed in :data:`UNWRITABLE_SHAPES`. Every shape the grammar can write is drawn,
including those the formatter once printed wrongly (``not (not x)``).
"""

from __future__ import annotations

__all__ = [
    "plan_sources",
    "plans",
    "worlds",
    "clauses",
    "positions",
    "plan_families",
    "from_source",
    "PlanText",
    "CLAUSE_KINDS",
    "DEFAULT_PARTIES",
    "DEFAULT_REGIONS",
]

import functools
import re
import textwrap
from decimal import Decimal

try:
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - exercised in a fresh venv by tests/test_packaging.py
    raise ImportError("plandsl.testing needs hypothesis: pip install 'plandsl[testing]'") from None

from plandsl import ast
from plandsl.parser import build_lark

# ============================================================================
# Names
# ============================================================================

#: Every keyword of the grammar: the string terminals spelt as one word.
_TERMINALS = build_lark().terminals
KEYWORDS: frozenset[str] = frozenset(
    t.pattern.value for t in _TERMINALS if t.pattern.type == "str" and t.pattern.value.isalpha()
)

#: Every terminal name of the grammar (SEMI, SHALL, NAME, ...).
TERMINAL_NAMES: frozenset[str] = frozenset(t.name for t in _TERMINALS)

NAME_POOL = ["russia", "ukraine", "usa", "europe", "nato", "donetsk", "donbas", "fund_a", "army_b", "src_1"]
assert not KEYWORDS & set(NAME_POOL)

#: A plain identifier that is no keyword of the grammar.
identifiers = st.one_of(
    st.sampled_from(NAME_POOL),
    st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda s: s not in KEYWORDS),
)

#: A ``NAME`` token as a reference (property values, citations, ``upon x``...).
refs = st.builds(ast.Ref, identifiers)

#: The wildcard ``any``, written where the grammar's ``name`` rule stands.
ANY = ast.Ref("any", True)

#: The grammar's ``name`` rule: a name or ``any``.
name_refs = st.one_of(refs, st.just(ANY))


def name_lists(max_size: int = 3):
    """The grammar's ``names`` rule: ``a, b, any``."""
    return st.lists(name_refs, min_size=1, max_size=max_size).map(tuple)


# ============================================================================
# Values
# ============================================================================

#: Quoted texts: printable unicode, quotes, backslashes, newlines and tabs.
#: (Control characters other than \n, \r and \t are left out, and so are the
#: bidirectional overrides and isolates: S112 refuses them.)
_TEXT_CHARACTERS = st.one_of(
    st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn"),
                  exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    st.sampled_from('"\\\n\r\t#;{}\u2028'),
)
texts = st.text(_TEXT_CHARACTERS, max_size=12)
optional_texts = st.none() | texts

#: Non-negative decimals that the formatter writes and the parser reads back.
decimals = st.one_of(
    st.integers(0, 10**7).map(Decimal),
    st.builds(lambda whole, places: Decimal(whole).scaleb(-places), st.integers(0, 10**6), st.integers(1, 3)),
)

SCALE_WORDS = [None, "thousand", "million", "billion", "trillion"]
QUALIFIERS = [None, "about", "more than", "less than", "at least", "at most"]

quantities = st.builds(ast.Quantity, decimals, st.sampled_from(SCALE_WORDS), identifiers)
percents = st.builds(ast.Percent, decimals)
fractions = st.one_of(
    st.builds(ast.Fraction, st.integers(1, 9), st.integers(2, 10)),  # the word forms: one-third
    st.builds(ast.Fraction, st.integers(1, 10**4), st.integers(1, 10**4)),
)
amounts = st.one_of(quantities, percents, fractions)
estimates = st.one_of(
    st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), amounts),
    st.just(ast.Estimate(None, None)),  # unknown
)

dates = st.one_of(
    st.builds(ast.Date, st.integers(1000, 9999)),
    st.builds(ast.Date, st.integers(1000, 9999), st.integers(1, 12)),
    st.builds(ast.Date, st.integers(1000, 9999), st.integers(1, 12), st.integers(1, 28)),
)

citations = st.builds(ast.Citation, refs, optional_texts)
citation_lists = st.lists(citations, max_size=2).map(tuple)

naturals = st.integers(0, 10**4)

# ============================================================================
# Properties: exactly the value tuples that the parser's prop_* rules build
# ============================================================================

_ONE_REF = ("kind", "reported in", "part of", "of", "owner", "holder", "revises")
_ONE_TEXT = ("publisher", "url", "locator", "alias", "branch", "text", "note")
_NAME_LIST = ("members", "managed by", "beneficiary", "sponsor")
_ESTIMATE = ("strength", "range", "amount")

PLAN_STATUSES = ["draft", "leaked", "proposed", "agreed", "signed"]

_PROPERTY_VALUES = {
    **{key: st.tuples(refs) for key in _ONE_REF},
    **{key: st.tuples(texts) for key in _ONE_TEXT},
    **{key: st.tuples(name_lists()) for key in _NAME_LIST},
    **{key: st.tuples(estimates) for key in _ESTIMATE},
    "author": st.tuples(st.lists(texts, min_size=1, max_size=3).map(tuple)),
    "date": st.tuples(dates),
    "held by": st.one_of(
        st.tuples(refs),
        st.tuples(refs, st.one_of(st.builds(ast.Keyword, st.sampled_from(["partly", "fully"])), estimates)),
    ),
    "annexed by": st.one_of(st.tuples(refs), st.tuples(refs, dates)),
    "status": st.tuples(st.builds(ast.Keyword, st.sampled_from(PLAN_STATUSES))),
    "cite": st.one_of(st.tuples(refs), st.tuples(refs, texts)),
}

#: Every property key of the grammar.
PROPERTY_KEYS = tuple(_PROPERTY_VALUES)


@st.composite
def _properties(draw) -> ast.Property:
    # One strategy, not a one_of of 27: hypothesis flattens nested one_ofs, and the
    # property branches would then crowd out points, clauses and red lines.
    key = draw(st.sampled_from(PROPERTY_KEYS))
    return ast.Property(key, draw(_PROPERTY_VALUES[key]), draw(citation_lists))


properties = _properties()


def _items(*strategies, max_size: int = 3):
    return st.lists(st.one_of(*strategies), max_size=max_size).map(tuple)


# ============================================================================
# Conditions
# ============================================================================

references = st.one_of(refs, st.builds(ast.PointRef, naturals))

BASE_CONDITIONS = {
    "invades": st.builds(ast.Invades, name_lists(2), name_lists(2)),
    "attacks": st.builds(ast.Attacks, name_lists(2), name_lists(2)),
    "breached": st.builds(ast.Breached, references),
    "text": st.builds(ast.ConditionText, texts),
}
_base_conditions = st.one_of(*BASE_CONDITIONS.values())


def _extend_conditions(children):
    operand_lists = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        children.map(ast.Not),
        operand_lists.map(ast.And),
        operand_lists.map(ast.Or),
    )


#: Any condition. And/Or chains have >= 2 operands; an And directly in an And (an
#: Or in an Or, a chain or a Not under a Not) is written with parentheses, which the
#: parser drops, so every nesting is writable.
conditions = st.recursive(_base_conditions, _extend_conditions, max_leaves=4)

#: Conditions by the kind of their top node.
CONDITIONS = {
    **BASE_CONDITIONS,
    "not": conditions.map(ast.Not),
    "and": st.lists(conditions, min_size=2, max_size=3).map(lambda ops: ast.And(tuple(ops))),
    "or": st.lists(conditions, min_size=2, max_size=3).map(lambda ops: ast.Or(tuple(ops))),
}

# ============================================================================
# Actions and modifiers
# ============================================================================

legal_statuses = st.sampled_from([None, "de facto", "de jure"])
optional_names = st.one_of(st.just(()), name_lists())

#: The grammar's ``proportion``: ``about one-third``, ``50%``.
proportions = st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), st.one_of(fractions, percents))

shares = st.one_of(
    # about 100bn USD (about one-third)
    st.builds(ast.Share, st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), quantities), st.none() | proportions),
    st.builds(ast.Share, st.none(), proportions),  # one-third, at most 50%
    st.builds(ast.Share, st.none(), st.none(), st.sampled_from(["remainder", "all"])),
)

limits = st.one_of(
    st.builds(ast.Limit, estimates, st.none() | proportions),  # 600,000 personnel (about one-tenth)
    st.builds(ast.Limit, st.none(), proportions),             # about one-tenth of strength
    st.just(ast.Limit(None, None)),                           # any
)

SANCTION_VERBS = ["lift", "ease", "impose", "reinstate", "phase out"]

#: Every action, by node class name.
ACTIONS = {
    "Cede": st.builds(ast.Cede, name_lists(), name_refs, legal_statuses, optional_names),
    "Recognise": st.builds(ast.Recognise, name_lists(), st.none() | name_refs, legal_statuses),
    "Freeze": st.builds(ast.Freeze, optional_names),
    "Withdraw": st.builds(ast.Withdraw, name_lists(), st.none() | quantities),
    "Establish": st.builds(ast.Establish, st.sampled_from(["demilitarised", "buffer"]), name_lists(),
                           st.none() | quantities),
    "Exceed": st.builds(ast.Exceed, limits),
    "Possess": st.builds(ast.Possess, name_lists(), st.none() | estimates),
    "Deploy": st.builds(ast.Deploy, name_lists(), optional_names, st.none() | estimates),
    "Join": st.builds(ast.Join, name_refs),
    "Admit": st.builds(ast.Admit, name_lists()),
    "Station": st.builds(ast.Station, name_lists()),
    "Unite": st.builds(ast.Unite, name_refs),
    "Allocate": st.builds(ast.Allocate, st.none() | shares, name_refs, name_refs),
    "ReceiveProfits": st.builds(ast.ReceiveProfits, shares, name_refs),
    "Sanctions": st.builds(ast.Sanctions, st.sampled_from(SANCTION_VERBS), st.booleans(), name_lists()),
    "CeaseFire": st.just(ast.CeaseFire()),
    "Guarantee": st.builds(ast.Guarantee, name_refs, st.sampled_from([None, "full", "partial", "nominal"]),
                           st.none() | conditions),
    "Amnesty": st.builds(ast.Amnesty, optional_texts),
    "ExchangePrisoners": st.builds(ast.ExchangePrisoners, optional_texts),
    "HoldElections": st.builds(ast.HoldElections, optional_names),
    "Provision": st.builds(ast.Provision, texts, optional_names),
}
actions = st.one_of(*ACTIONS.values())

#: Every modifier, by node class name.
MODIFIERS = {
    "Within": st.builds(ast.Within, quantities, st.none() | references),
    "ByDate": st.builds(ast.ByDate, dates),
    "FromDate": st.builds(ast.FromDate, dates),
    "UntilDate": st.builds(ast.UntilDate, dates),
    "Upon": st.builds(ast.Upon, references),
    "If": st.builds(ast.If, conditions),
    "Unless": st.builds(ast.Unless, conditions),
}
modifiers = st.one_of(*MODIFIERS.values())

MODALITIES = ["shall", "shall not", "shall never", "may", "may not"]

#: (subjects, modality): subjects need a modality; the plain form has neither.
_heads = st.one_of(
    st.tuples(st.one_of(st.just(()), name_lists(2)), st.sampled_from(MODALITIES)),
    st.just(((), None)),
)


@st.composite
def _clause_nodes(draw, labelled: bool = True, cited: bool = True, action=None, modifier=None) -> ast.Clause:
    """A clause; the patterns of red lines have no label.

    ``action`` and ``modifier`` are strategies that force the action, or one of the
    modifiers, to be of a given kind.
    """
    label = draw(st.none() | identifiers) if labelled else None
    subjects, modality = draw(_heads)
    action = draw(action if action is not None else actions)
    mods = draw(st.lists(modifiers, max_size=2).map(tuple))
    if modifier is not None:
        at = draw(st.integers(0, len(mods)))
        mods = (*mods[:at], draw(modifier), *mods[at:])
    cites = draw(citation_lists) if cited else ()
    return ast.Clause(label, subjects, modality, action, mods, cites)


# ============================================================================
# Plans, positions and the file
# ============================================================================

unknowns = st.builds(ast.Unknown, optional_texts, citation_lists)
unknown_points = st.builds(ast.UnknownPoints, naturals, naturals, optional_texts, citation_lists)

_option_blocks = st.builds(
    ast.Option, identifiers, optional_names, st.booleans(),
    _items(properties, _clause_nodes(), unknowns),
)
points = st.builds(
    ast.Point, naturals, optional_texts,
    _items(properties, _clause_nodes(), _clause_nodes(), _clause_nodes(), unknowns, _option_blocks),
)
_plan_blocks = st.builds(ast.Plan, identifiers, optional_texts, _items(properties, points, points, points, unknown_points))

holds = st.builds(ast.Holds, name_lists(2), name_lists(2))
requirements = st.builds(
    ast.Requirement, st.sampled_from(["require", "forbid"]),
    st.one_of(_clause_nodes(labelled=False, cited=False), holds),  # a predicate's citations are the requirement's
    citation_lists,
)
redlines = st.builds(ast.RedLine, identifiers, texts, citation_lists, _items(properties, requirements, requirements))
ideals = st.builds(ast.Ideal, _clause_nodes())
flexibles = st.builds(ast.Flexible, name_lists(), citation_lists)
_positions_blocks = st.builds(ast.Positions, refs, optional_texts, _items(properties, redlines, ideals, flexibles))

DECLARATION_KINDS = ["source", "state", "bloc", "alliance", "organisation", "organization", "party", "region",
                     "force", "weapon", "pool", "fund"]
declarations = st.builds(ast.Declaration, st.sampled_from(DECLARATION_KINDS), identifiers, optional_texts,
                         _items(properties))
uses = st.builds(ast.Use, texts)

# Plans and positions hold most node kinds: they are drawn more often.
statements = st.one_of(uses, declarations, _plan_blocks, _plan_blocks, _plan_blocks, _positions_blocks, _positions_blocks)


def whole_files(max_statements: int = 3):
    """A whole file's tree: any statements."""
    return st.builds(ast.PlanFile, st.just("<generated>"), st.lists(statements, max_size=max_statements).map(tuple))


def _one_block(statement) -> ast.PlanFile:
    return ast.PlanFile("<generated>", (statement,))


#: A plan with one point of 1-3 clauses (and perhaps an option): clauses, actions,
#: modifiers and conditions turn up far more often than in whole files.
clause_files = st.builds(
    lambda name, number, items: _one_block(ast.Plan(name, None, (ast.Point(number, None, items),))),
    identifiers, naturals,
    st.lists(st.one_of(_clause_nodes(), _clause_nodes(), _option_blocks), min_size=1, max_size=3).map(tuple),
)

#: Positions with one red line of 1-3 requirements, and perhaps ideals.
position_files = st.builds(
    lambda party, name, title, requirements, rest: _one_block(
        ast.Positions(party, None, (ast.RedLine(name, title, (), requirements), *rest))),
    refs, identifiers, texts,
    st.lists(requirements, min_size=1, max_size=3).map(tuple),
    st.lists(st.one_of(ideals, flexibles), max_size=2),
)


def plan_files(max_statements: int = 3):
    """A file's tree: a whole file, or one focused on clauses or on red lines."""
    return st.one_of(whole_files(max_statements), clause_files, position_files)


def _clause_file(clause_strategy):
    return st.builds(
        lambda name, number, clause, rest: _one_block(ast.Plan(name, None, (ast.Point(number, None, (clause, *rest)),))),
        identifiers, naturals, clause_strategy, st.lists(_clause_nodes(), max_size=1),
    )


def _declaration_file(key: str):
    prop = st.builds(ast.Property, st.just(key), _PROPERTY_VALUES[key], citation_lists)
    return st.builds(
        lambda kind, name, props: _one_block(ast.Declaration(kind, name, None, tuple(props))),
        st.sampled_from(DECLARATION_KINDS), identifiers, st.lists(prop, min_size=1, max_size=2),
    )


def _focused_files() -> dict[str, tuple[type | tuple[type, ...], st.SearchStrategy]]:
    focus: dict[str, tuple[type | tuple[type, ...], st.SearchStrategy]] = {}
    for name, action in ACTIONS.items():
        # Every action is in a Clause; Exceed holds a Limit, ReceiveProfits a Share, Join a Ref.
        extra = {"Exceed": ast.Limit, "ReceiveProfits": ast.Share, "Join": ast.Ref}.get(name, ast.Clause)
        focus[f"action-{name}"] = ((getattr(ast, name), ast.Clause, extra), _clause_file(_clause_nodes(action=action)))
    for name, modifier in MODIFIERS.items():
        focus[f"modifier-{name}"] = (getattr(ast, name), _clause_file(_clause_nodes(modifier=modifier)))
    condition_classes = {"invades": ast.Invades, "attacks": ast.Attacks, "breached": ast.Breached,
                         "text": ast.ConditionText, "not": ast.Not, "and": ast.And, "or": ast.Or}
    for name, condition in CONDITIONS.items():
        focus[f"condition-{name}"] = (condition_classes[name],
                                      _clause_file(_clause_nodes(modifier=st.builds(ast.If, condition))))
    for key in PROPERTY_KEYS:
        focus[f"property-{key.replace(' ', '_')}"] = (ast.Property, _declaration_file(key))
    # Values that the strategies above give only now and then.
    for name, amount in (("quantity", quantities), ("percent", percents), ("fraction", fractions)):
        strength = st.builds(lambda e, c: ast.Property("strength", (e,), c),
                             st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), amount), citation_lists)
        focus[f"value-{name}"] = (getattr(ast, name.capitalize()),
                                  strength.map(lambda p: _one_block(ast.Declaration("force", "f", None, (p,)))))
    focus["value-keyword"] = (ast.Keyword, _declaration_file("status"))
    focus["value-date"] = (ast.Date, _declaration_file("date"))
    focus["value-estimate"] = (ast.Estimate, _declaration_file("amount"))
    focus["value-point-ref"] = (ast.PointRef, _clause_file(_clause_nodes(
        modifier=st.builds(ast.Upon, st.builds(ast.PointRef, naturals)))))
    focus["citation"] = (ast.Citation, st.builds(
        lambda unknown, cites: _one_block(ast.Plan("p", None, (ast.Point(1, None, (
            ast.Unknown(unknown.description, tuple(cites)),)),))),
        unknowns, st.lists(citations, min_size=1, max_size=2)))
    # Blocks and statements.
    focus["use"] = (ast.Use, st.builds(lambda use, rest: ast.PlanFile("<generated>", (use, *rest.statements)),
                                       uses, whole_files(2)))
    focus["declaration"] = (ast.Declaration, declarations.map(_one_block))
    focus["plan"] = (ast.Plan, _plan_blocks.map(_one_block))
    focus["point"] = (ast.Point, st.builds(lambda plan, point: _one_block(
        ast.Plan(plan.name, plan.title, (*plan.items, point))), _plan_blocks, points))
    focus["option"] = (ast.Option, st.builds(
        lambda plan, point, option: _one_block(ast.Plan(plan.name, plan.title, (
            *plan.items, ast.Point(point.number, point.title, (*point.items, option))))),
        _plan_blocks, points, _option_blocks))
    focus["unknown"] = (ast.Unknown, st.builds(
        lambda point, unknown: _one_block(ast.Plan("p", None, (
            ast.Point(point.number, point.title, (unknown, *point.items)),))),
        points, unknowns))
    focus["unknown-points"] = (ast.UnknownPoints, st.builds(
        lambda plan, run: _one_block(ast.Plan(plan.name, plan.title, (*plan.items, run))), _plan_blocks, unknown_points))
    focus["positions"] = (ast.Positions, _positions_blocks.map(_one_block))
    focus["redline"] = (ast.RedLine, position_files)
    focus["requirement"] = (ast.Requirement, position_files)
    focus["holds"] = (ast.Holds, st.builds(
        lambda party, requirement: _one_block(ast.Positions(party, None, (
            ast.RedLine("r", "t", (), (requirement,)),))),
        refs, st.builds(ast.Requirement, st.sampled_from(["require", "forbid"]), holds, citation_lists)))
    focus["ideal"] = (ast.Ideal, st.builds(lambda party, items: _one_block(ast.Positions(party, None, tuple(items))),
                                           refs, st.lists(ideals, min_size=1, max_size=3)))
    focus["flexible"] = (ast.Flexible, st.builds(lambda party, items: _one_block(
        ast.Positions(party, None, tuple(items))), refs, st.lists(flexibles, min_size=1, max_size=3)))
    focus["file"] = (ast.PlanFile, whole_files())
    return focus


#: Files that each hold one given kind of node, by construction: every action,
#: modifier, condition kind, property key, value, statement and block. A test
#: parametrized over these meets every node type in every run, whatever hypothesis's
#: bias towards the first branches of a one_of.
#: name -> (the node class, or classes, every file holds; strategy).
FOCUSED_FILES: dict[str, tuple[type | tuple[type, ...], st.SearchStrategy]] = _focused_files()


# ============================================================================
# What cannot be generated, and why
# ============================================================================

#: AST shapes the dataclasses allow but no .plan text can produce.
UNWRITABLE_SHAPES = [
    "Ref(name, wildcard=True) with name != 'any'; Ref('any', wildcard=True) where the grammar has a bare "
    "NAME (property values, citations, labels, clause references, units, positions party)",
    "Clause with subjects but modality None (the plain form has no subjects)",
    "Clause with a label, or with citations, as a Requirement's predicate (the citations belong to the "
    "Requirement; 'require' takes a clause body, which has no label)",
    "And/Or with fewer than 2 operands",
    "Estimate with a qualifier and amount None ('about unknown')",
    "Limit whose share (the bracketed or 'of strength' proportion) is an Estimate of a Quantity or unknown",
    "Share whose amount is an Estimate of a Fraction, Percent or unknown; Share whose proportion is an "
    "Estimate of a Quantity or unknown; Share with rest and an amount or proportion; Share(None, None, None)",
    "Breached(Ref('any', wildcard=True)) (a reference is a NAME or 'point N')",
    "Establish.zone 'demilitarized' (read as 'demilitarised'); any zone other than demilitarised/buffer",
    "Declaration kind, Sanctions verb, modality, legal status, guarantee strength, qualifier or scale "
    "outside the grammar's words ('mn'/'bn'/'tn' are read as million/billion/trillion)",
    "Property with a key not in the grammar, or values of other types than its prop_* rule gives",
    "Keyword other than partly/fully (held by) or draft/leaked/proposed/agreed/signed (status)",
    "Negative numbers anywhere (Quantity, Percent, Fraction, Point.number, UnknownPoints, PointRef, Date)",
    "Date with a day but no month; Date with a month and a year outside 0000-9999 "
    "(DATE_VALUE needs exactly four digits)",
    "Names spelt like a keyword in places where that keyword could stand ('any' in a names list is the "
    "wildcard; 'shall' as a subject is the modality)",
    "Empty names tuples where the grammar needs at least one name (members, cede regions, admit, ...)",
    "Empty label (Clause.label == '' prints as no label)",
    "Items of kinds their block does not allow (a Clause directly in a Plan, an Option in an Option, ...)",
]



# ============================================================================
# The public kit: plans over a world of declared names
# ============================================================================

#: Parties drawn from when ``parties`` is not given.
DEFAULT_PARTIES: tuple[str, ...] = ("russia", "ukraine", "usa", "europe")
#: Regions drawn from when ``regions`` is not given.
DEFAULT_REGIONS: tuple[str, ...] = ("donetsk", "luhansk", "crimea", "zaporizhzhia")
#: The weapon, the pool and the alliance every world declares (for possess, deploy,
#: allocate, receive and join: a party joins an alliance, never another party).
_WEAPON = "missiles"
_POOL = "frozen_assets"
_ALLIANCE = "pact"
#: The force every world declares: the subject of every generated cap (``exceed``). Its
#: strength lets caps given as a share of it be compared; every drawn figure is below it.
_FORCE = "army"
_FORCE_STRENGTH = ast.Estimate(None, ast.Quantity(Decimal(500_000), None, "personnel"))

#: Clause kinds by the keyword that opens their action -> the action's node class name.
CLAUSE_KINDS: dict[str, str] = {
    "cede": "Cede", "recognise": "Recognise", "freeze": "Freeze", "withdraw": "Withdraw",
    "establish": "Establish", "exceed": "Exceed", "possess": "Possess", "deploy": "Deploy",
    "join": "Join", "admit": "Admit", "station": "Station", "unite": "Unite", "allocate": "Allocate",
    "receive": "ReceiveProfits", "sanctions": "Sanctions", "cease fire": "CeaseFire",
    "guarantee": "Guarantee", "amnesty": "Amnesty", "exchange": "ExchangePrisoners",
    "elections": "HoldElections", "provision": "Provision",
}
#: Other spellings accepted for ``kind``.
_KIND_ALIASES = {
    "recognize": "recognise", "cease_fire": "cease fire", "ceasefire": "cease fire", "sanction": "sanctions",
    "lift": "sanctions", "impose": "sanctions", "ease": "sanctions", "reinstate": "sanctions",
    "grant": "amnesty", "hold": "elections", "hold elections": "elections", "exchange prisoners": "exchange",
}

_NAME = re.compile(r"[^\W\d]\w*")

_UNITS_OF_DISTANCE = ["km"]
_UNITS_OF_TIME = ["days", "months"]

#: Short readable titles: shrink to None, then to "".
_titles = st.none() | st.text("abcdefghij ", max_size=10)


# ---------------------------------------------------------------- validation


def _check_names(argument: str, names, *, allow_none: bool = True) -> tuple[str, ...] | None:
    if names is None:
        if allow_none:
            return None
        raise TypeError(f"{argument} must be a list of names, not None")
    if isinstance(names, (str, bytes)):
        raise TypeError(f"{argument} must be a list of names such as [{names!r}], not a single string")
    try:
        names = list(names)
    except TypeError:
        raise TypeError(f"{argument} must be a list of names, not {type(names).__name__}") from None
    if not names:
        raise ValueError(f"{argument} must name at least one {'party' if argument == 'parties' else 'region'}; got an empty list")
    out: list[str] = []
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{argument} must hold strings; got {name!r} ({type(name).__name__})")
        if not _NAME.fullmatch(name):
            raise ValueError(f"{argument}: {name!r} is not a .plan name (a letter or '_', then letters, "
                             f"digits or '_')")
        if name in KEYWORDS:
            raise ValueError(f"{argument}: {name!r} is a keyword of the .plan language and cannot be a name")
        if name in (_WEAPON, _POOL, _ALLIANCE, _FORCE):
            raise ValueError(f"{argument}: {name!r} is reserved by plandsl.testing (the declared weapon, pool, "
                             "alliance or force)")
        if name not in out:
            out.append(name)
    return tuple(out)


def _check_count(argument: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an int, not {type(value).__name__} ({value!r})")
    if value < minimum:
        raise ValueError(f"{argument} must be at least {minimum}; got {value}")
    return value


def _check_flag(argument: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{argument} must be True or False, not {value!r}")
    return value


def _check_vocabulary(parties, regions) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    parties = _check_names("parties", parties)
    regions = _check_names("regions", regions)
    if parties and regions and set(parties) & set(regions):
        both = sorted(set(parties) & set(regions))
        raise ValueError(f"{', '.join(map(repr, both))} cannot be both a party and a region")
    return parties, regions


def _check_kind(kind) -> str | None:
    if kind is None:
        return None
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a clause keyword such as 'cede' (a str), not {type(kind).__name__}")
    key = " ".join(kind.lower().split())
    key = _KIND_ALIASES.get(key, key)
    if key not in CLAUSE_KINDS:
        raise ValueError(f"unknown clause kind {kind!r}; expected one of: {', '.join(sorted(CLAUSE_KINDS))}")
    return key


# ---------------------------------------------------------------- vocabulary


def _vocabulary(parties, regions):
    """(parties, regions): the given names, or the first 2-3 parties and 1-2 regions of the defaults.

    Only the counts are drawn (they shrink to 2 and 1): which names they are changes
    nothing a checker sees, and every strategy below depends on the vocabulary, so
    the fewer vocabularies there are, the fewer strategies are built and the more
    freely hypothesis shrinks.
    """
    party_names = st.just(parties) if parties is not None else st.integers(2, 3).map(lambda n: DEFAULT_PARTIES[:n])
    region_names = st.just(regions) if regions is not None else st.integers(1, 2).map(lambda n: DEFAULT_REGIONS[:n])
    return st.tuples(party_names, region_names)


# The kit's strategies depend on the vocabulary drawn first; they are built once per
# vocabulary and cached, since building a strategy costs far more than drawing from it
# (and every shrinking step draws again).
_cached = functools.lru_cache(maxsize=4096)


def _indices(names: tuple[str, ...]):
    """An index into ``names``, drawn as one into at least the default vocabulary's size.

    The choices hypothesis makes are then the same whatever the vocabulary: when it
    shrinks the default vocabulary from 3 parties to 2, the examples drawn still
    replay (an index past the end wraps round) instead of falling apart.
    """
    return st.integers(0, max(len(names), len(DEFAULT_PARTIES), len(DEFAULT_REGIONS)) - 1)


@_cached
def _some(names: tuple[str, ...], max_size: int = 2):
    """1..max_size distinct names of ``names`` as Refs."""
    def refs(picked: list[int]) -> tuple[ast.Ref, ...]:
        return tuple(ast.Ref(name) for name in dict.fromkeys(names[i % len(names)] for i in picked))

    return st.lists(_indices(names), min_size=1, max_size=max_size, unique=True).map(refs)


@_cached
def _one(names: tuple[str, ...]):
    return _indices(names).map(lambda i: ast.Ref(names[i % len(names)]))


def _quantity(units):
    return st.builds(ast.Quantity, st.integers(1, 100).map(Decimal), st.just(None), st.sampled_from(units))


#: Small proportions, below the whole (a cap of 3/2 or 100% of a force is C406 or C405);
#: figures in the units the checker expects: caps in personnel, allocations in billions of USD.
_kit_proportions = st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), st.one_of(
    st.builds(lambda numerator, denominator: ast.Fraction(numerator, max(denominator, numerator + 1)),
              st.integers(1, 3), st.integers(2, 10)),
    st.builds(ast.Percent, st.integers(1, 99).map(Decimal)),
))
_kit_limits = st.one_of(
    st.builds(ast.Limit, st.builds(ast.Estimate, st.sampled_from(QUALIFIERS),
                                   st.builds(ast.Quantity, st.integers(1, 499).map(lambda n: Decimal(n * 1000)),
                                             st.just(None), st.just("personnel"))), st.none()),
    st.builds(ast.Limit, st.none(), _kit_proportions),
)
_kit_shares = st.one_of(
    st.builds(ast.Share, st.builds(ast.Estimate, st.sampled_from(QUALIFIERS),
                                   st.builds(ast.Quantity, st.integers(1, 300).map(Decimal), st.just("billion"),
                                             st.just("USD"))), st.none()),
    st.builds(ast.Share, st.none(), _kit_proportions),
    st.builds(ast.Share, st.none(), st.none(), st.sampled_from(["remainder", "all"])),
)


@_cached
def _kit_actions(parties, regions, wildcard: bool = False):
    """(action strategies by clause keyword, condition strategy), naming only the given names.

    With ``wildcard``, ``any`` may stand for a name (red-line patterns).
    """
    party = _one(parties)
    some_parties, some_regions = _some(parties), _some(regions)
    if wildcard:
        party = party | st.just(ANY)
        some_parties = some_parties | st.just((ANY,))
        some_regions = some_regions | st.just((ANY,))
    weapon, pool = st.just((ast.Ref(_WEAPON),)), st.just(ast.Ref(_POOL))
    alliance = st.just(ast.Ref(_ALLIANCE)) | st.just(ANY) if wildcard else st.just(ast.Ref(_ALLIANCE))
    maybe_regions = st.just(()) | some_regions
    small_estimates = st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), _quantity(_UNITS_OF_DISTANCE))
    kit_conditions = st.one_of(
        st.builds(ast.Invades, some_parties, some_parties | some_regions),
        st.builds(ast.Attacks, some_parties, some_parties | some_regions),
        st.builds(ast.ConditionText, st.text("abcdefghij ", min_size=1, max_size=10)),
    )
    return {
        "cede": st.builds(ast.Cede, some_regions, party, legal_statuses, st.just(()) | some_parties),
        "recognise": st.builds(ast.Recognise, some_regions, st.none() | party, legal_statuses),
        "freeze": st.builds(ast.Freeze, maybe_regions),
        "withdraw": st.builds(ast.Withdraw, some_regions, st.none() | _quantity(_UNITS_OF_DISTANCE)),
        "establish": st.builds(ast.Establish, st.sampled_from(["demilitarised", "buffer"]), some_regions,
                               st.none() | _quantity(_UNITS_OF_DISTANCE)),
        "exceed": st.builds(ast.Exceed, _kit_limits | st.just(ast.Limit(None, None)) if wildcard else _kit_limits),
        "possess": st.builds(ast.Possess, weapon, st.none() | small_estimates),
        "deploy": st.builds(ast.Deploy, weapon, maybe_regions, st.none() | small_estimates),
        "join": st.builds(ast.Join, alliance),
        "admit": st.builds(ast.Admit, some_parties),
        "station": st.builds(ast.Station, some_regions),
        "unite": st.builds(ast.Unite, party),
        "allocate": st.builds(ast.Allocate, st.none() | _kit_shares, pool, party),
        "receive": st.builds(ast.ReceiveProfits, st.builds(ast.Share, st.none(), _kit_proportions), pool),
        "sanctions": st.builds(ast.Sanctions, st.sampled_from(SANCTION_VERBS), st.booleans(), some_parties),
        "cease fire": st.just(ast.CeaseFire()),
        "guarantee": st.builds(ast.Guarantee, party, st.sampled_from([None, "full", "partial", "nominal"]),
                               st.none() | kit_conditions),
        "amnesty": st.builds(ast.Amnesty, st.none() | st.text("abcdefghij ", max_size=10)),
        "exchange": st.builds(ast.ExchangePrisoners, st.none() | st.text("abcdefghij ", max_size=10)),
        "elections": st.builds(ast.HoldElections, maybe_regions),
        "provision": st.builds(ast.Provision, st.text("abcdefghij ", max_size=10), st.just(()) | some_parties),
    }, kit_conditions


#: Dates near the present, so that a plan reads as one.
_kit_dates = st.one_of(
    st.builds(ast.Date, st.integers(2025, 2035)),
    st.builds(ast.Date, st.integers(2025, 2035), st.integers(1, 12)),
    st.builds(ast.Date, st.integers(2025, 2035), st.integers(1, 12), st.integers(1, 28)),
)


@_cached
def _kit_modifiers(kit_conditions, max_point: int):
    """Deadlines, dates and conditions; references to points 1..``max_point`` only (none if 0)."""
    after = st.none() | st.builds(ast.PointRef, st.integers(1, max_point)) if max_point else st.none()
    return st.one_of(
        st.builds(ast.ByDate, _kit_dates),
        st.builds(ast.Within, _quantity(_UNITS_OF_TIME), after),
        st.builds(ast.FromDate, _kit_dates),
        st.builds(ast.UntilDate, _kit_dates),
        *([st.builds(ast.Upon, st.builds(ast.PointRef, st.integers(1, max_point)))] if max_point else []),
        st.builds(ast.If, kit_conditions),
        st.builds(ast.Unless, kit_conditions),
    )


@_cached
def _kit_clause(parties, regions, kind=None, *, pattern: bool = False, max_point: int = 0):
    """A clause over the vocabulary: subjects among ``parties``; no label, no citations; it may
    wait on points 1..``max_point``."""
    acts, kit_conditions = _kit_actions(parties, regions, wildcard=pattern)
    action_strategy = acts[kind] if kind is not None else st.one_of(*acts.values())
    subjects = _some(parties) | st.just((ANY,)) if pattern else _some(parties)
    # A cap binds a force, and says so: "army shall not exceed 100,000 personnel".
    force = st.just((ast.Ref(_FORCE),)) | st.just((ANY,)) if pattern else st.just((ast.Ref(_FORCE),))
    modalities = st.sampled_from(MODALITIES)
    modifier_lists = st.lists(_kit_modifiers(kit_conditions, max_point), max_size=1).map(tuple)

    @st.composite
    def clause(draw) -> ast.Clause:
        action = draw(action_strategy)
        if isinstance(action, ast.Exceed):
            head = (draw(force), draw(modalities))
        elif draw(st.booleans()):
            head = (draw(subjects), draw(modalities))
        else:
            head = ((), None)  # the plain form: "cede donetsk to russia;"
        return ast.Clause(None, *head, action, draw(modifier_lists), ())

    return clause()


@_cached
def _kit_plan(name, parties, regions, max_points, max_clauses, with_options):
    """A plan of 1..``max_points`` points over the vocabulary, consistent (see :func:`_consistent`)."""
    counts = st.integers(1, max_points)
    # A clause may wait on an earlier point only: every reference lands, and none loops.
    clause_lists = [st.lists(_kit_clause(parties, regions, max_point=number - 1), min_size=1, max_size=max_clauses)
                    for number in range(1, max_points + 1)]
    # Shrinks to 0: no options, the simpler plan.
    bracketed = st.integers(0, 3).map(lambda n: with_options and n == 3)
    option_labels = st.lists(st.sampled_from("abc"), min_size=2, max_size=2, unique=True).map(sorted)
    proposers = st.just(()) | _some(parties)
    statuses = st.none() | st.sampled_from(PLAN_STATUSES)
    sponsors = st.none() | _some(parties)

    @st.composite
    def plan(draw) -> ast.Plan:
        points = []
        for number in range(1, draw(counts) + 1):
            clauses = clause_lists[number - 1]
            items = draw(clauses)
            if draw(bracketed):
                labels = draw(option_labels)
                agreed = draw(st.none() | st.sampled_from(labels))  # at most one option is agreed
                for label in labels:
                    items.append(ast.Option(label, draw(proposers), label == agreed, tuple(draw(clauses))))
            points.append(ast.Point(number, draw(_titles), tuple(items)))
        props = []
        status = draw(statuses)
        if status is not None:
            props.append(ast.Property("status", (ast.Keyword(status),)))
        sponsor = draw(sponsors)
        if sponsor is not None:
            props.append(ast.Property("sponsor", (sponsor,)))
        return _consistent(ast.Plan(name, draw(_titles), (*props, *points)))

    return plan()


#: Actions the checker compares as bans and permissions (C416: "P may X" against "P shall not X").
_BANNABLE = (ast.Join, ast.Admit, ast.Station, ast.Unite, ast.Possess, ast.Deploy, ast.Guarantee, ast.Cede,
             ast.Recognise, ast.Sanctions, ast.Withdraw, ast.Freeze, ast.Establish, ast.CeaseFire, ast.Amnesty,
             ast.ExchangePrisoners, ast.HoldElections)
_NEGATIVE = frozenset({"shall not", "shall never", "may not"})
_LOW_ZERO = frozenset({"at most", "less than"})


def _at_most(estimate: ast.Estimate) -> ast.Estimate:
    """The same figure as an upper bound only: it claims nothing, so it adds nothing up."""
    return estimate if estimate.qualifier in _LOW_ZERO else ast.Estimate("at most", estimate.amount)


def _nominal(estimate: ast.Estimate | None) -> Decimal:
    """The figure a proportion names, as a part of one; at least its lower bound, whatever its qualifier."""
    amount = None if estimate is None or estimate.qualifier in _LOW_ZERO else estimate.amount
    return amount.value if isinstance(amount, (ast.Fraction, ast.Percent)) else Decimal(0)


class _Consistency:
    """Rewrites a drawn plan so that ``plandsl check`` finds no error in it, changing as little as it can.

    One pass in plan order, then one for what needs the whole plan; each rule the
    checker has that a drawn plan could break is met by construction:

    - C416 (a ban and a permission of one thing): clauses with subjects take the
      polarity (may/shall, or shall not/may not) of the first such clause of their kind;
    - C402 (a region ceded to two parties): a region goes to whoever the first
      cession names; a later cession keeps its regions that go to its recipient;
    - C404 (ceded and frozen): a freeze leaves out every region the plan cedes;
    - C407/C405/C409 (caps that disagree, do nothing or rise): when a plan caps the
      force twice, every cap is an upper bound ("at most");
    - C411/C412/C414 (shares of a pool, or of its profits, above all of it; the
      remainder taken twice): a proportion past the whole becomes "at most", a second
      "remainder" or an "all" past the whole is dropped (``allocate pool to party``);
    - C420 (an agreed plan with a point still in brackets): its first option is agreed.

    Bracketed alternatives are treated as if all stood together, which is stricter than
    the checker: what holds for them all holds for any one choice.
    """

    def __init__(self) -> None:
        self.polarity: dict[type, bool] = {}
        self.owners: dict[str, str] = {}
        self.shares = {"allocate": Decimal(0), "receive": Decimal(0)}
        self.remainder = False
        self.caps = 0

    def plan(self, plan: ast.Plan) -> ast.Plan:
        status = next((p.values[0].word for p in plan.items if isinstance(p, ast.Property) and p.key == "status"),
                      None)
        items = [self.item(item, status in ("agreed", "signed")) for item in plan.items]
        ceded = set(self.owners)
        items = [self.after(item, ceded) for item in items]
        return ast.Plan(plan.name, plan.title, tuple(items))

    def item(self, item, settled: bool):
        if isinstance(item, ast.Point):
            items = [self.item(i, settled) for i in item.items]
            options = [i for i in items if isinstance(i, ast.Option)]
            if settled and options and not any(o.agreed for o in options):
                first = options[0]
                items[items.index(first)] = ast.Option(first.label, first.proposers, True, first.items)
            return ast.Point(item.number, item.title, tuple(items))
        if isinstance(item, ast.Option):
            return ast.Option(item.label, item.proposers, item.agreed, tuple(self.item(i, settled) for i in item.items))
        if isinstance(item, ast.Clause):
            return self.clause(item)
        return item

    def clause(self, clause: ast.Clause) -> ast.Clause:
        action, modality = clause.action, clause.modality
        if clause.subjects and isinstance(action, _BANNABLE):
            negative = self.polarity.setdefault(type(action), modality in _NEGATIVE)
            if negative != (modality in _NEGATIVE):
                modality = "shall not" if negative else "shall"
        positive = modality not in _NEGATIVE
        if isinstance(action, ast.Cede) and positive:
            recipient = self.owners.get(action.regions[0].name, action.recipient.name)
            regions = tuple(r for r in action.regions if self.owners.setdefault(r.name, recipient) == recipient)
            action = ast.Cede(regions, ast.Ref(recipient), action.legal_status, action.recognised_by)
        elif isinstance(action, ast.Exceed) and modality in ("shall not", "shall never"):
            self.caps += 1
        elif isinstance(action, ast.Allocate) and positive and action.share is not None:
            action = ast.Allocate(self.share("allocate", action.share), action.pool, action.recipient)
        elif isinstance(action, ast.ReceiveProfits) and positive:
            action = ast.ReceiveProfits(self.share("receive", action.share), action.source)
        return ast.Clause(clause.label, clause.subjects, modality, action, clause.modifiers, clause.citations)

    def share(self, kind: str, share: ast.Share) -> ast.Share | None:
        if share.rest == "remainder" and kind == "allocate":
            if self.remainder:
                return None
            self.remainder = True
            return share
        part = Decimal(1) if share.rest == "all" else _nominal(share.proportion)
        if self.shares[kind] + part <= 1:
            self.shares[kind] += part
            return share
        if share.rest is not None or share.proportion is None:
            return None if kind == "allocate" else ast.Share(None, ast.Estimate("at most", ast.Percent(Decimal(99))))
        return ast.Share(share.amount, _at_most(share.proportion))

    def after(self, item, ceded: set[str]):
        """The second pass: freezes without what is ceded; caps as upper bounds if there are two."""
        if isinstance(item, (ast.Point, ast.Option)):
            items = tuple(self.after(i, ceded) for i in item.items)
            if isinstance(item, ast.Point):
                return ast.Point(item.number, item.title, items)
            return ast.Option(item.label, item.proposers, item.agreed, items)
        if not isinstance(item, ast.Clause):
            return item
        action = item.action
        if isinstance(action, ast.Freeze) and item.modality not in _NEGATIVE:
            action = ast.Freeze(tuple(r for r in action.regions if r.name not in ceded))
        elif isinstance(action, ast.Exceed) and self.caps > 1 and item.modality in ("shall not", "shall never"):
            limit = action.limit
            action = ast.Exceed(ast.Limit(limit.amount and _at_most(limit.amount), limit.share and _at_most(limit.share)))
        else:
            return item
        return ast.Clause(item.label, item.subjects, item.modality, action, item.modifiers, item.citations)


def _consistent(plan: ast.Plan) -> ast.Plan:
    """``plan`` rewritten so that ``plandsl check`` reports no error in it (see :class:`_Consistency`)."""
    return _Consistency().plan(plan)


def _waiting_on_earlier(items, number: int) -> tuple:
    """``items`` of point ``number`` without the deadlines and triggers that name it or a later point."""
    def kept(modifier) -> bool:
        reference = modifier.reference if isinstance(modifier, ast.Upon) else getattr(modifier, "after", None)
        return not isinstance(reference, ast.PointRef) or reference.number < number

    out = []
    for item in items:
        if isinstance(item, ast.Clause):
            item = ast.Clause(item.label, item.subjects, item.modality, item.action,
                              tuple(filter(kept, item.modifiers)), item.citations)
        elif isinstance(item, ast.Option):
            item = ast.Option(item.label, item.proposers, item.agreed, _waiting_on_earlier(item.items, number))
        out.append(item)
    return tuple(out)


def _world_statements(parties, regions) -> tuple[ast.Declaration, ...]:
    return (
        *(ast.Declaration("party", name, None, ()) for name in parties),
        *(ast.Declaration("region", name, None, ()) for name in regions),
        ast.Declaration("weapon", _WEAPON, None, ()),
        ast.Declaration("pool", _POOL, None, ()),
        ast.Declaration("alliance", _ALLIANCE, None, ()),
        ast.Declaration("force", _FORCE, None, (ast.Property("strength", (_FORCE_STRENGTH,)),)),
    )


_PLAN_NAMES = ["plan_a", "plan_b", "plan_c"]


# ---------------------------------------------------------------- shown as .plan text


class PlanText(str):
    """``.plan`` source text: a ``str`` that hypothesis (and IPython) print as a
    triple-quoted block, one ``.plan`` line per line, rather than as one long
    ``'...\\n...'`` literal. :func:`plan_sources` draws these."""

    __slots__ = ()

    def _repr_pretty_(self, printer, cycle) -> None:
        text = str(self)
        plain = all(c == "\n" or c.isprintable() for c in text)
        if plain and "\\" not in text and '"""' not in text and not text.endswith('"'):
            printer.text(f'"""{text}"""')  # valid Python, and the exact text
        else:
            printer.text(repr(text))


_WHAT = ("file", "statement", "clause")
_CLAUSE_HEAD, _CLAUSE_TAIL = "plan p {\n  point 1 {\n", "  }\n}\n"


def from_source(source: str, what: str = "file"):
    """The tree of ``.plan`` source text that parses with no diagnostics.

    - ``what="file"``: the :class:`plandsl.ast.PlanFile` (what :func:`plans`,
      :func:`worlds` and :func:`plan_families` draw);
    - ``what="statement"``: the file's only statement (a :func:`positions` block);
    - ``what="clause"``: one clause, written as it would stand in a point
      (what :func:`clauses` draws).

    A failing example of the kit's strategies is printed as a call of this
    function on the example's ``.plan`` text, so hypothesis's "Falsifying
    example" reads as a plan and can be pasted into ``@example(...)`` as it is.
    Raises :class:`ValueError` if the text does not parse cleanly.
    """
    from plandsl.parser import parse

    if what not in _WHAT:
        raise ValueError(f"what must be one of {', '.join(map(repr, _WHAT))}; got {what!r}")
    text = _CLAUSE_HEAD + textwrap.indent(source, "    ") + _CLAUSE_TAIL if what == "clause" else source
    result = parse(text, "<generated>")
    if result.diagnostics or result.tree is None:
        problems = "; ".join(f"{d.span.line}:{d.span.column}: {d.message} [{d.code}]" for d in result.diagnostics)
        raise ValueError(f"not clean .plan text: {problems}")
    if what == "file":
        return result.tree
    (statement,) = result.tree.statements
    if what == "statement":
        return statement
    ((clause,),) = [point.items for point in statement.items]
    return clause


def _source_of(node, what: str) -> PlanText:
    from plandsl.formatter import format_tree

    if what == "file":
        return PlanText(format_tree(node))
    if what == "statement":
        return PlanText(format_tree(ast.PlanFile("<generated>", (node,))))
    text = format_tree(ast.PlanFile("<generated>", (ast.Plan("p", None, (ast.Point(1, None, (node,)),)),)))
    return PlanText(textwrap.dedent(text[len(_CLAUSE_HEAD):-len(_CLAUSE_TAIL)]))


def _shown(strategy, what: str = "file"):
    """``strategy``, its values rebuilt by :func:`from_source` from their text: hypothesis then
    prints each as ``from_source(\"\"\"<.plan text>\"\"\")`` (it shows how a value was built),
    never as a tree of dataclasses with their spans."""
    texts = strategy.map(lambda node: _source_of(node, what))
    if what == "file":
        return st.builds(from_source, texts)
    return st.builds(from_source, texts, what=st.just(what))


# ---------------------------------------------------------------- public strategies


def worlds(parties=None, regions=None) -> st.SearchStrategy[ast.PlanFile]:
    """Files of declarations only: a ``party`` for each party, a ``region`` for each region.

    ``parties`` and ``regions`` are lists of names; left out, the first 2-3 parties of
    :data:`DEFAULT_PARTIES` and the first 1-2 regions of :data:`DEFAULT_REGIONS` are drawn.
    Every world also declares ``weapon missiles``, ``pool frozen_assets``,
    ``alliance pact`` and ``force army`` (of strength 500,000 personnel), which
    generated clauses may name (``possess``, ``allocate``, ``join``, caps:
    ``army shall not exceed ...``).
    """
    parties, regions = _check_vocabulary(parties, regions)
    return _shown(_vocabulary(parties, regions).map(
        lambda vocabulary: ast.PlanFile("<generated>", _world_statements(*vocabulary))))


def _check_plan_arguments(parties, regions, max_points, max_clauses, options, world):
    """The arguments :func:`plans`, :func:`plan_sources` and :func:`plan_families` share, checked."""
    parties, regions = _check_vocabulary(parties, regions)
    return (parties, regions, _check_count("max_points", max_points, 1),
            _check_count("max_clauses", max_clauses, 1), _check_flag("options", options), _check_flag("world", world))


def plans(parties=None, regions=None, *, max_points: int = 3, max_clauses: int = 2, options: bool = True,
          world: bool = True, name: str | None = None) -> st.SearchStrategy[ast.PlanFile]:
    """Files holding one plan (:class:`plandsl.ast.PlanFile` trees), as the parser would build them.

    - ``parties``, ``regions``: the names clauses may use (see :func:`worlds`);
      every subject of a clause is one of ``parties`` (but a cap's, which is the
      world's force ``army``), every region ceded,
      recognised or withdrawn from is one of ``regions``;
    - ``max_points``: the plan has 1 to ``max_points`` points, numbered from 1;
    - ``max_clauses``: each point (and each option) holds 1 to ``max_clauses`` clauses;
    - ``options``: whether points may hold bracketed alternatives (``option a {...}``);
    - ``world``: whether the file starts with the declarations of every name it uses
      (then ``plandsl check`` finds no undefined names);
    - ``name``: the plan's name; left out, one of ``plan_a``, ``plan_b``, ``plan_c``
      (give two plans in one file different names).

    ``plandsl check`` finds no error in a drawn plan (see ``docs/testing.md`` for the
    warnings it may give). A failing example prints as ``from_source(\"\"\"...\"\"\")``
    with the plan's text (see :func:`from_source`).
    """
    return _shown(_plan_files(parties, regions, max_points=max_points, max_clauses=max_clauses, options=options,
                              world=world, name=name))


def _plan_files(parties=None, regions=None, *, max_points: int = 3, max_clauses: int = 2, options: bool = True,
                world: bool = True, name: str | None = None) -> st.SearchStrategy[ast.PlanFile]:
    """:func:`plans`, drawn as trees without their text (for :func:`plan_sources`)."""
    parties, regions, max_points, max_clauses, options, world = _check_plan_arguments(
        parties, regions, max_points, max_clauses, options, world)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a plan name such as 'deal' (a str), not {type(name).__name__}")
    names = _PLAN_NAMES if name is None else _check_names("name", [name], allow_none=False)

    @st.composite
    def build(draw):
        party_names, region_names = draw(_vocabulary(parties, regions))
        plan = draw(_kit_plan(draw(st.sampled_from(names)), party_names, region_names,
                              max_points, max_clauses, options))
        head = _world_statements(party_names, region_names) if world else ()
        return ast.PlanFile("<generated>", (*head, plan))

    return build()


def plan_sources(parties=None, regions=None, **options) -> st.SearchStrategy[str]:
    """``.plan`` source text that parses with no diagnostics: :func:`plans`, formatted.

    Takes the same arguments as :func:`plans`.
    """
    return _plan_files(parties, regions, **options).map(lambda tree: _source_of(tree, "file"))


def clauses(kind=None, *, parties=None, regions=None) -> st.SearchStrategy[ast.Clause]:
    """Single clauses (:class:`plandsl.ast.Clause`), without label, citations or point references.

    ``kind`` is a clause keyword, one of :data:`CLAUSE_KINDS` (``"cede"``,
    ``"exceed"``, ``"join"``, ``"cease fire"``...); left out, any kind is drawn.
    ``parties`` and ``regions`` are as for :func:`plans`.
    """
    kind = _check_kind(kind)
    parties, regions = _check_vocabulary(parties, regions)
    return _shown(_vocabulary(parties, regions).flatmap(lambda v: _kit_clause(v[0], v[1], kind)), "clause")


def positions(parties=None, regions=None, *, max_redlines: int = 2,
              max_requirements: int = 2) -> st.SearchStrategy[ast.Positions]:
    """``positions`` blocks (:class:`plandsl.ast.Positions`) of one party, with red lines.

    The party is one of ``parties``; there are 1 to ``max_redlines`` red lines of
    1 to ``max_requirements`` requirements each (``require``/``forbid`` a clause
    pattern, where ``any`` may stand for a name, or ``holds``). Put a block in a
    file with ``ast.PlanFile(path, (*world.statements, block))``.
    """
    parties, regions = _check_vocabulary(parties, regions)
    max_redlines = _check_count("max_redlines", max_redlines, 1)
    max_requirements = _check_count("max_requirements", max_requirements, 1)

    return _shown(_vocabulary(parties, regions).flatmap(
        lambda vocabulary: _kit_positions(*vocabulary, max_redlines, max_requirements)), "statement")


@_cached
def _kit_positions(parties, regions, max_redlines: int, max_requirements: int):
    predicate = st.one_of(
        _kit_clause(parties, regions, pattern=True),
        st.builds(ast.Holds, _some(parties), _some(regions)),
    )
    requirement_lists = st.lists(st.builds(ast.Requirement, st.sampled_from(["forbid", "require"]), predicate),
                                 min_size=1, max_size=max_requirements).map(tuple)
    redlines = st.lists(st.builds(ast.RedLine, st.just(""), st.text("abcdefghij ", max_size=10), st.just(()),
                                  requirement_lists), min_size=1, max_size=max_redlines)
    # Red lines are named r1, r2, ... in order: names never collide, and a shrunk block reads r1.
    named = redlines.map(lambda lines: tuple(ast.RedLine(f"r{n}", line.title, (), line.items)
                                             for n, line in enumerate(lines, 1)))
    return st.builds(ast.Positions, _one(parties), _titles, named)


def plan_families(parties=None, regions=None, *, max_points: int = 3, max_clauses: int = 2,
                  options: bool = True, world: bool = True) -> st.SearchStrategy[ast.PlanFile]:
    """Files holding a plan and a revision of it: ``plan b { revises a; ... }``.

    The last two statements are the original and the revision. The revision
    keeps some points of the original, rewrites others and may add some. The
    arguments are those of :func:`plans`.
    """
    parties, regions, max_points, max_clauses, options, world = _check_plan_arguments(
        parties, regions, max_points, max_clauses, options, world)

    @st.composite
    def build(draw):
        party_names, region_names = draw(_vocabulary(parties, regions))
        original_name, revision_name = draw(st.lists(st.sampled_from(_PLAN_NAMES), min_size=2, max_size=2,
                                                     unique=True))
        original = draw(_kit_plan(original_name, party_names, region_names, max_points, max_clauses, options))
        other = draw(_kit_plan(revision_name, party_names, region_names, max_points, max_clauses, options))
        old_points = [item for item in original.items if isinstance(item, ast.Point)]
        new_points = [item for item in other.items if isinstance(item, ast.Point)]
        points = []
        for index, point in enumerate(old_points):
            choice = draw(st.sampled_from(["keep", "rewrite", "drop"]))
            if choice == "keep" or (choice == "rewrite" and index >= len(new_points)):
                points.append(point)
            elif choice == "rewrite":
                points.append(new_points[index])
        points += new_points[len(old_points):]
        # Renumbered, a point keeps only the references to points before it.
        points = [ast.Point(number, p.title, _waiting_on_earlier(p.items, number)) for number, p in enumerate(points, 1)]
        props = (ast.Property("revises", (ast.Ref(original_name),)),
                 *(item for item in other.items if isinstance(item, ast.Property)))
        revision = _consistent(ast.Plan(revision_name, other.title, (*props, *points)))
        head = _world_statements(party_names, region_names) if world else ()
        return ast.PlanFile("<generated>", (*head, original, revision))

    return _shown(build())
