"""The abstract syntax tree of a .plan file.

Every node is a frozen dataclass named after what a user writes, and carries a
:class:`Span`. Spans never take part in equality, so two trees that say the same
thing compare equal however they were laid out: this is what lets tests assert
``parse(fmt(x)) == parse(x)``.

Nodes hold only what the text says. Resolving names, checking units and judging
red lines are later stages' work.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Iterator, NamedTuple, Union


class Span(NamedTuple):
    """Where a node sits in its file.

    Lines and columns count from 1. ``end_column`` is exclusive: it is the column
    just after the node's last character, as in LSP and SARIF. (A named tuple, not
    a dataclass: the parser makes one per node, and tuples are made fastest.)
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def head(self) -> "Span":
        """Where a block starts: the span itself on one line, else its first character.

        Diagnostics about a whole block (a point, a declaration) point there rather
        than underline every line of it.
        """
        if self.end_line == self.line:
            return self
        return self._replace(end_line=self.line, end_column=self.column + 1)


NO_SPAN = Span("<unknown>", 0, 0, 0, 0)


# Nodes are frozen dataclasses whose equality, hash and repr come from Node, once
# for all classes, instead of being generated for each: that halves the time the
# module takes to import, which every command pays at start-up.
_node = dataclass(frozen=True, slots=True, eq=False, repr=False)


@_node
class Node:
    """Base of every AST node: only the span, which never affects equality."""

    span: Span = field(default=NO_SPAN, compare=False, repr=False, kw_only=True)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _compared(self.__class__))

    def __hash__(self):
        return hash((self.__class__, *(getattr(self, name) for name in _compared(self.__class__))))

    def __repr__(self):
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _compared(self.__class__))
        return f"{self.__class__.__name__}({shown})"

    def children(self) -> Iterator["Node"]:
        """Yield the direct child nodes, in source order."""
        for f in fields(self):
            if f.name == "span":
                continue
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, Node):
                        yield item


# ---------------------------------------------------------------- values


@_node
class Ref(Node):
    """A name that refers to a declaration: a party, region, force, pool, source, ...

    ``name`` is ``"any"`` with ``wildcard`` set when a red line writes ``any``.
    """

    name: str
    wildcard: bool = False


@_node
class PointRef(Node):
    """A reference to a numbered point of the same plan: ``point 21``."""

    number: int


Reference = Union[Ref, PointRef]

#: Powers of ten a quantity's scale word stands for.
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}


@_node
class Quantity(Node):
    """A number with a unit: ``600,000 personnel``, ``100bn USD``, ``30 days``.

    ``number`` is the figure as written (100 for ``100bn``); ``scale`` names the
    multiplier word, one of :data:`SCALES`, or is None. ``unit`` is the unit as
    written; the checker knows which units measure what.
    """

    number: Decimal
    scale: str | None
    unit: str

    @property
    def value(self) -> Decimal:
        """The quantity's full value, scale applied (100bn -> 100000000000)."""
        if self.scale is None:
            return self.number
        return self.number.scaleb(SCALES[self.scale])


@_node
class Percent(Node):
    """A share in percent: ``50%`` or ``50 percent``."""

    number: Decimal

    @property
    def value(self) -> Decimal:
        """The share as a proportion between 0 and 1 (50% -> 0.5)."""
        return self.number / 100


@_node
class Fraction(Node):
    """A fraction: ``1/3`` or ``one-third``; both spellings mean the same node."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal:
        """The fraction as a decimal proportion; zero denominators give infinity."""
        if self.denominator == 0:
            return Decimal("Infinity")
        return Decimal(self.numerator) / Decimal(self.denominator)


Amount = Union[Quantity, Percent, Fraction]


@_node
class Estimate(Node):
    """An amount with an optional qualifier: ``more than 800,000 personnel``.

    ``qualifier`` is one of ``about``, ``more than``, ``less than``, ``at least``,
    ``at most`` or None (exactly). ``amount`` is None when the text says ``unknown``.
    """

    qualifier: str | None
    amount: Amount | None


@_node
class Date(Node):
    """A calendar date, as precise as the text: ``2025``, ``2025-11``, ``2025-11-20``."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@_node
class Keyword(Node):
    """A keyword given as a property's value: ``status leaked``, ``held by ukraine partly``."""

    word: str


@_node
class Citation(Node):
    """``cite SOURCE "quote or locator"``: ties a statement to who said it."""

    source: Ref
    quote: str | None


# ---------------------------------------------------------------- declarations


@_node
class Property(Node):
    """One line of a declaration, plan or positions body: ``held by russia partly;``.

    ``key`` is the property's keyword phrase (``"held by"``, ``"strength"``,
    ``"note"``, ``"cite"``...). ``values`` holds its typed arguments in order:
    quoted texts (``str``), :class:`Ref` and tuples of them, :class:`Date`,
    :class:`Estimate` and :class:`Keyword` (``partly``, ``leaked``).
    """

    key: str
    values: tuple
    citations: tuple[Citation, ...] = ()


@_node
class Declaration(Node):
    """A name in the world: ``region donetsk "Donetsk region" { part of donbas; }``.

    ``kind`` is the keyword that opens it: source, state, bloc, alliance,
    organisation, party, region, force, weapon, pool or fund.
    """

    kind: str
    name: str
    label: str | None
    properties: tuple[Property, ...]

    def first(self, key: str) -> Property | None:
        """The first property with ``key``, or None."""
        for prop in self.properties:
            if prop.key == key:
                return prop
        return None


@_node
class Use(Node):
    """``use "world.plan";``: brings another file's declarations into scope."""

    path: str


# ---------------------------------------------------------------- clauses


@_node
class Cede(Node):
    """``cede REGIONS to PARTY [de facto|de jure] [recognised by PARTIES]``."""

    regions: tuple[Ref, ...]
    recipient: Ref
    legal_status: str | None
    recognised_by: tuple[Ref, ...]


@_node
class Recognise(Node):
    """``recognise NAMES [as part of PARTY] [de facto|de jure]``."""

    objects: tuple[Ref, ...]
    part_of: Ref | None
    legal_status: str | None


@_node
class Freeze(Node):
    """``freeze line of contact [in REGIONS]``."""

    regions: tuple[Ref, ...]


@_node
class Withdraw(Node):
    """``withdraw from REGIONS [to DISTANCE]``."""

    regions: tuple[Ref, ...]
    distance: Quantity | None


@_node
class Establish(Node):
    """``establish demilitarised|buffer zone in REGIONS [depth DISTANCE]``."""

    zone: str
    regions: tuple[Ref, ...]
    depth: Quantity | None


@_node
class Limit(Node):
    """The bound of a cap.

    ``amount`` is a stated figure (``600,000 personnel``); ``share`` a proportion
    of current strength (``one-tenth of strength``, or the ``(one-tenth)`` after
    a figure). Both None means ``any``: a red-line pattern matching every cap.
    """

    amount: Estimate | None
    share: Estimate | None


@_node
class Exceed(Node):
    """``exceed LIMIT``: with ``shall not``, a cap on the subject force."""

    limit: Limit


@_node
class Possess(Node):
    """``possess WEAPONS [with range ESTIMATE]``."""

    weapons: tuple[Ref, ...]
    range: Estimate | None


@_node
class Deploy(Node):
    """``deploy WEAPONS [in REGIONS] [with range ESTIMATE]``."""

    weapons: tuple[Ref, ...]
    regions: tuple[Ref, ...]
    range: Estimate | None


@_node
class Join(Node):
    """``join ALLIANCE``."""

    alliance: Ref


@_node
class Admit(Node):
    """``admit PARTIES``: said of an alliance or bloc."""

    parties: tuple[Ref, ...]


@_node
class Station(Node):
    """``station troops in PLACES``."""

    places: tuple[Ref, ...]


@_node
class Unite(Node):
    """``unite with PARTY``."""

    partner: Ref


@_node
class Share(Node):
    """How much of a pool or of profits: a figure, a proportion, both, or a word.

    ``amount`` is an estimate of a :class:`Quantity` (``100 billion USD``);
    ``proportion`` an estimate of a :class:`Fraction` or :class:`Percent`
    (``about one-third``, ``50%``), alone or in brackets after the amount.
    ``rest`` is ``"remainder"`` or ``"all"`` when the text says so, and ``"any"``
    in a red-line pattern for any share.
    """

    amount: Estimate | None
    proportion: Estimate | None
    rest: str | None = None


@_node
class Allocate(Node):
    """``allocate [SHARE of] POOL to RECIPIENT``; no share leaves the size open."""

    share: Share | None
    pool: Ref
    recipient: Ref


@_node
class ReceiveProfits(Node):
    """``receive SHARE of profits from FUND``."""

    share: Share
    source: Ref


@_node
class Sanctions(Node):
    """``lift|ease|impose|reinstate|phase out [all] sanctions on PARTIES``."""

    verb: str
    all: bool
    targets: tuple[Ref, ...]


@_node
class CeaseFire(Node):
    """``cease fire``; its start, end and conditions are the clause's modifiers."""


@_node
class Guarantee(Node):
    """``guarantee security of PARTY [strength full|partial|nominal] [void if COND]``."""

    beneficiary: Ref
    strength: str | None
    void_if: "Condition | None"


@_node
class Amnesty(Node):
    """``grant amnesty ["scope"]``."""

    scope: str | None


@_node
class ExchangePrisoners(Node):
    """``exchange prisoners ["terms"]``."""

    terms: str | None


@_node
class HoldElections(Node):
    """``hold elections [in REGIONS]``; when is the clause's ``within`` or ``by``."""

    regions: tuple[Ref, ...] = ()


@_node
class Provision(Node):
    """``provision "free text" [tags a, b]``: anything the other kinds cannot say.

    ``text`` is None for ``provision any``, a red-line pattern for any provision.
    """

    text: str | None
    tags: tuple[Ref, ...]


Action = Union[
    Cede, Recognise, Freeze, Withdraw, Establish, Exceed, Possess, Deploy, Join, Admit,
    Station, Unite, Allocate, ReceiveProfits, Sanctions, CeaseFire, Guarantee, Amnesty,
    ExchangePrisoners, HoldElections, Provision,
]


# ---------------------------------------------------------------- conditions


@_node
class Invades(Node):
    """``PARTIES invade(s) NAMES``."""

    aggressors: tuple[Ref, ...]
    targets: tuple[Ref, ...]


@_node
class Attacks(Node):
    """``PARTIES attack(s) NAMES``."""

    aggressors: tuple[Ref, ...]
    targets: tuple[Ref, ...]


@_node
class Breached(Node):
    """``REFERENCE is breached``: a clause or point is broken."""

    reference: Reference


@_node
class ConditionText(Node):
    """A condition in free text: ``if "the referendum passes"``."""

    text: str


@_node
class Not(Node):
    """``not CONDITION``."""

    operand: "Condition"


@_node
class And(Node):
    """``CONDITION and CONDITION and ...``: all must hold."""

    operands: tuple["Condition", ...]


@_node
class Or(Node):
    """``CONDITION or CONDITION or ...``: one must hold."""

    operands: tuple["Condition", ...]


Condition = Union[Invades, Attacks, Breached, ConditionText, Not, And, Or]


# ---------------------------------------------------------------- modifiers


@_node
class Within(Node):
    """``within DURATION [of REFERENCE]``: a deadline, from signature or from another clause."""

    duration: Quantity
    after: Reference | None


@_node
class ByDate(Node):
    """``by DATE``: a deadline."""

    date: Date


@_node
class FromDate(Node):
    """``from DATE``: when the clause starts to apply."""

    date: Date


@_node
class UntilDate(Node):
    """``until DATE``: when the clause stops applying."""

    date: Date


@_node
class Upon(Node):
    """``upon REFERENCE``: the clause takes effect when another one does."""

    reference: Reference


@_node
class If(Node):
    """``if CONDITION``: the clause applies only while the condition holds."""

    condition: Condition


@_node
class Unless(Node):
    """``unless CONDITION``."""

    condition: Condition


Modifier = Union[Within, ByDate, FromDate, UntilDate, Upon, If, Unless]


@_node
class Clause(Node):
    """One commitment: ``[label:] [SUBJECTS] MODALITY ACTION MODIFIERS [cite ...];``.

    ``modality`` is ``shall``, ``shall not``, ``shall never``, ``may``, ``may not``,
    or None when the clause is written without one (``cede donetsk to russia;``).
    In red lines and ideals the same node is a pattern; ``label`` is then None.
    """

    label: str | None
    subjects: tuple[Ref, ...]
    modality: str | None
    action: Action
    modifiers: tuple[Modifier, ...]
    citations: tuple[Citation, ...] = ()


# ---------------------------------------------------------------- plans


@_node
class Unknown(Node):
    """``unknown ["what is missing"];``: content that exists but is not known."""

    description: str | None
    citations: tuple[Citation, ...] = ()


@_node
class UnknownPoints(Node):
    """``points 5 to 28 unknown ["why"];``: a run of points whose content is unknown."""

    first: int
    last: int
    description: str | None
    citations: tuple[Citation, ...] = ()


@_node
class Option(Node):
    """A bracketed alternative of a point: ``option a proposed by usa agreed { ... }``."""

    label: str
    proposers: tuple[Ref, ...]
    agreed: bool
    items: tuple[Union[Property, Clause, Unknown], ...]


@_node
class Point(Node):
    """A numbered point of a plan: ``point 7 "NATO" { ... }``."""

    number: int
    title: str | None
    items: tuple[Union[Property, Clause, Unknown, Option], ...]


@_node
class Plan(Node):
    """``plan NAME "Title" { status ...; sponsor ...; point 1 { ... } ... }``."""

    name: str
    title: str | None
    items: tuple[Union[Property, Point, UnknownPoints], ...]


# ---------------------------------------------------------------- positions


@_node
class Holds(Node):
    """``PARTIES holds REGIONS``: a red line on the outcome, not on a clause."""

    holders: tuple[Ref, ...]
    regions: tuple[Ref, ...]


Predicate = Union[Clause, Holds]


@_node
class Requirement(Node):
    """``require PREDICATE;`` or ``forbid PREDICATE;`` inside a red line."""

    kind: str
    predicate: Predicate
    citations: tuple[Citation, ...] = ()


@_node
class RedLine(Node):
    """``redline NAME "Title" { require ...; forbid ...; }``: all must hold."""

    name: str
    title: str
    citations: tuple[Citation, ...]
    items: tuple[Union[Property, Requirement], ...]


@_node
class Ideal(Node):
    """``ideal CLAUSE;``: the clause the party would write if it could."""

    clause: Clause


@_node
class Flexible(Node):
    """``flexible on ISSUES;``: issues the party will trade."""

    issues: tuple[Ref, ...]
    citations: tuple[Citation, ...] = ()


@_node
class Positions(Node):
    """``positions PARTY "Title" { redline ...; ideal ...; flexible ...; }``."""

    party: Ref
    title: str | None
    items: tuple[Union[Property, RedLine, Ideal, Flexible], ...]


Statement = Union[Use, Declaration, Plan, Positions]


@_node
class PlanFile(Node):
    """A whole .plan file: its statements in order."""

    path: str = field(compare=False)
    statements: tuple[Statement, ...]


@_node
class Comment(Node):
    """A ``# comment``. Comments are kept beside the tree (for the formatter), not in it."""

    text: str


_COMPARED: dict[type, tuple[str, ...]] = {}


def _compared(cls: type) -> tuple[str, ...]:
    """The fields that take part in equality: all but the span and layout-only ones."""
    names = _COMPARED.get(cls)
    if names is None:
        names = _COMPARED[cls] = tuple(f.name for f in fields(cls) if f.compare)
    return names


def walk(node: Node) -> Iterator[Node]:
    """Yield ``node`` and every node below it, depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))
