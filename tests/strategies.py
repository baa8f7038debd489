"""Hypothesis strategies for random but valid .plan ASTs.

Every tree drawn from :func:`plan_files` is one the parser can produce: the
shapes follow ``grammar/plan.lark`` and ``_Builder`` in ``plandsl/parser.py``
exactly (which value types each property holds, where ``any`` may stand for a
name, which nodes are ``None`` or ``()`` in which form, ...). Spans are left at
``NO_SPAN``: they never take part in equality.

Shapes the AST allows but the grammar cannot write are never drawn; they are
listed in :data:`UNWRITABLE_SHAPES`. Shapes the grammar can write but the
formatter prints wrongly are listed in :data:`KNOWN_FORMATTER_BUGS` and left out
of the generators (see the xfail tests in ``test_properties.py``).

Trees are kept small (a few statements, short blocks, shallow conditions) so
that a shrunk counterexample reads as a short plan.
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import strategies as st

from plandsl import ast
from plandsl.parser import build_lark

# ============================================================================
# Names
# ============================================================================

#: Every keyword of the grammar: the string terminals spelt as one word.
KEYWORDS: frozenset[str] = frozenset(
    t.pattern.value for t in build_lark().terminals
    if t.pattern.type == "str" and t.pattern.value.isalpha()
)

#: Every terminal name of the grammar (SEMI, SHALL, NAME, ...).
TERMINAL_NAMES: frozenset[str] = frozenset(t.name for t in build_lark().terminals)

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
#: (Control characters other than \n and \t are left out; a CR cannot be written at all.)
_TEXT_CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    st.sampled_from('"\\\n\t#;{}'),
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

_base_conditions = st.one_of(
    st.builds(ast.Invades, name_lists(2), name_lists(2)),
    st.builds(ast.Attacks, name_lists(2), name_lists(2)),
    st.builds(ast.Breached, references),
    st.builds(ast.ConditionText, texts),
)


def _not_operand_ok(operand) -> bool:
    # KNOWN_FORMATTER_BUGS: Not(Not(x)) prints as "not not x", which does not parse.
    return not isinstance(operand, ast.Not)


def _extend_conditions(children):
    operand_lists = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        children.filter(_not_operand_ok).map(ast.Not),
        operand_lists.map(ast.And),
        operand_lists.map(ast.Or),
    )


#: Any condition. And/Or chains have >= 2 operands; an And directly in an And (an
#: Or in an Or, a chain or a Not under a Not) is written with parentheses, which the
#: parser drops, so every nesting is writable.
conditions = st.recursive(_base_conditions, _extend_conditions, max_leaves=4)

# ============================================================================
# Actions and modifiers
# ============================================================================

legal_statuses = st.sampled_from([None, "de facto", "de jure"])
optional_names = st.one_of(st.just(()), name_lists())

shares = st.one_of(
    st.builds(ast.Share, quantities, st.none() | fractions),           # 100bn USD (one-third)
    st.builds(ast.Share, st.none(), st.one_of(fractions, percents)),   # one-third, 50%
    st.builds(ast.Share, st.none(), st.none(), st.sampled_from(["remainder", "all"])),
)

limits = st.one_of(
    # 600,000 personnel (one-tenth): the share is a plain fraction, no qualifier
    st.builds(ast.Limit, estimates, st.none() | fractions.map(lambda f: ast.Estimate(None, f))),
    # about one-tenth of strength
    st.builds(ast.Limit, st.none(), st.builds(ast.Estimate, st.sampled_from(QUALIFIERS), fractions)),
    st.just(ast.Limit(None, None)),  # any
)

SANCTION_VERBS = ["lift", "ease", "impose", "reinstate", "phase out"]

actions = st.one_of(
    st.builds(ast.Cede, name_lists(), name_refs, legal_statuses, optional_names),
    st.builds(ast.Recognise, name_lists(), st.none() | name_refs, legal_statuses),
    st.builds(ast.Freeze, optional_names),
    st.builds(ast.Withdraw, name_lists(), st.none() | quantities),
    st.builds(ast.Establish, st.sampled_from(["demilitarised", "buffer"]), name_lists(), st.none() | quantities),
    st.builds(ast.Exceed, limits),
    st.builds(ast.Possess, name_lists(), st.none() | estimates),
    st.builds(ast.Deploy, name_lists(), optional_names, st.none() | estimates),
    st.builds(ast.Join, name_refs),
    st.builds(ast.Admit, name_lists()),
    st.builds(ast.Station, name_lists()),
    st.builds(ast.Unite, name_refs),
    st.builds(ast.Allocate, shares, name_refs, name_refs),
    st.builds(ast.ReceiveProfits, shares, name_refs),
    st.builds(ast.Sanctions, st.sampled_from(SANCTION_VERBS), st.booleans(), name_lists()),
    st.just(ast.CeaseFire()),
    st.builds(ast.Guarantee, name_refs, st.sampled_from([None, "full", "partial", "nominal"]),
              st.none() | conditions),
    st.builds(ast.Amnesty, optional_texts),
    st.builds(ast.ExchangePrisoners, optional_texts),
    st.just(ast.HoldElections()),
    st.builds(ast.Provision, texts, optional_names),
)

modifiers = st.one_of(
    st.builds(ast.Within, quantities, st.none() | references),
    st.builds(ast.ByDate, dates),
    st.builds(ast.FromDate, dates),
    st.builds(ast.UntilDate, dates),
    st.builds(ast.Upon, references),
    st.builds(ast.If, conditions),
    st.builds(ast.Unless, conditions),
)

MODALITIES = ["shall", "shall not", "shall never", "may", "may not"]

#: (subjects, modality): subjects need a modality; the plain form has neither.
_heads = st.one_of(
    st.tuples(st.one_of(st.just(()), name_lists(2)), st.sampled_from(MODALITIES)),
    st.just(((), None)),
)


@st.composite
def clauses(draw, labelled: bool = True, cited: bool = True) -> ast.Clause:
    """A clause; pattern clauses (red lines, ideals) have no label."""
    label = draw(st.none() | identifiers) if labelled else None
    subjects, modality = draw(_heads)
    action = draw(actions)
    mods = draw(st.lists(modifiers, max_size=2).map(tuple))
    cites = draw(citation_lists) if cited else ()
    return ast.Clause(label, subjects, modality, action, mods, cites)


# ============================================================================
# Plans, positions and the file
# ============================================================================

unknowns = st.builds(ast.Unknown, optional_texts, citation_lists)
unknown_points = st.builds(ast.UnknownPoints, naturals, naturals, optional_texts, citation_lists)

options = st.builds(
    ast.Option, identifiers, optional_names, st.booleans(),
    _items(properties, clauses(), unknowns),
)
points = st.builds(
    ast.Point, naturals, optional_texts,
    _items(properties, clauses(), clauses(), clauses(), unknowns, options),
)
plans = st.builds(ast.Plan, identifiers, optional_texts, _items(properties, points, points, points, unknown_points))

holds = st.builds(ast.Holds, name_lists(2), name_lists(2))
requirements = st.builds(
    ast.Requirement, st.sampled_from(["require", "forbid"]),
    st.one_of(clauses(labelled=False, cited=False), holds),  # a predicate's citations are the requirement's
    citation_lists,
)
redlines = st.builds(ast.RedLine, identifiers, texts, citation_lists, _items(properties, requirements, requirements))
ideals = st.builds(ast.Ideal, clauses(labelled=False))
flexibles = st.builds(ast.Flexible, name_lists(), citation_lists)
positions = st.builds(ast.Positions, refs, optional_texts, _items(properties, redlines, ideals, flexibles))

DECLARATION_KINDS = ["source", "state", "bloc", "alliance", "organisation", "organization", "party", "region",
                     "force", "weapon", "pool", "fund"]
declarations = st.builds(ast.Declaration, st.sampled_from(DECLARATION_KINDS), identifiers, optional_texts,
                         _items(properties))
uses = st.builds(ast.Use, texts)

# Plans and positions hold most node kinds: they are drawn more often.
statements = st.one_of(uses, declarations, plans, plans, plans, positions, positions)


def plan_files(max_statements: int = 3):
    """A whole file's tree."""
    return st.builds(ast.PlanFile, st.just("<generated>"), st.lists(statements, max_size=max_statements).map(tuple))


# ============================================================================
# What cannot be generated, and why
# ============================================================================

#: AST shapes the dataclasses allow but no .plan text can produce.
UNWRITABLE_SHAPES = [
    "Ref(name, wildcard=True) with name != 'any'; and Ref('any', wildcard=True) where the grammar has a "
    "bare NAME (property values, citations, labels, clause references, units, plan/option/redline names)",
    "Clause with subjects but modality None (the plain form has no subjects)",
    "Clause with a label inside Ideal or Requirement; Clause with citations inside a Requirement "
    "(they belong to the Requirement)",
    "And/Or with fewer than 2 operands",
    "Estimate with a qualifier and amount None ('about unknown')",
    "Limit(amount, share) where share has a qualifier or is not a Fraction; Limit(None, share) where "
    "share.amount is not a Fraction (a Percent, Quantity or unknown)",
    "Share(amount=Quantity, fraction=Percent); Share with rest and an amount or fraction; Share(None, None, None)",
    "Breached(Ref('any', wildcard=True)) (a reference is a NAME or 'point N')",
    "Establish.zone 'demilitarized' (normalised to 'demilitarised'); any zone other than demilitarised/buffer",
    "Declaration kind, Sanctions verb, modality, legal status, guarantee strength, qualifier or scale "
    "outside the grammar's words ('mn'/'bn'/'tn' are read as million/billion/trillion)",
    "Property with a key not in the grammar, or values of other types than its prop_* rule gives",
    "Keyword other than partly/fully (held by) or draft/leaked/proposed/agreed/signed (status)",
    "Negative numbers anywhere (Quantity, Percent, Point.number, UnknownPoints, PointRef, Date parts)",
    "Date with a day but no month; Date with month/day and a year outside 0000-9999 "
    "(DATE_VALUE needs exactly four digits)",
    "Strings holding a carriage return: STRING excludes a raw CR and the parser knows no \\r escape "
    "(the formatter writes CR as \\r, which reads back as backslash + r)",
    "Names spelt like a keyword in places where that keyword could stand ('any' in a names list is the "
    "wildcard; 'shall' as a subject is the modality)",
    "Empty names tuples where the grammar needs at least one name (members, cede regions, admit, ...)",
    "Point/Option/Plan/Positions/RedLine items of kinds their block does not allow "
    "(e.g. a Clause directly in a Plan, an Option inside an Option)",
]

#: Shapes the grammar can write but the formatter prints as text that reads differently.
KNOWN_FORMATTER_BUGS = {
    "not_not": ast.Not(ast.Not(ast.ConditionText("x"))),  # printed 'not not "x"'; needs 'not (not "x")'
}

_TERMINAL_NAME = re.compile(r"\b[A-Z][A-Z_]{2,}\b")
