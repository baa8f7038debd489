"""AST -> semantic model: every name resolved, the world indexed for the checker.

:func:`build_model` takes a loaded :class:`~plandsl.loader.Program` and returns a
:class:`Model`: the declarations of every file by name, the region and force
hierarchies, who holds what, bloc membership, plans and positions. Resolving
reports names that are not declared (with a did-you-mean), names of the wrong
kind, properties that do not belong to a declaration, references to clause labels
or points that do not exist, and declarations nothing uses.
"""

from __future__ import annotations

import bisect
import calendar
import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from plandsl import ast
from plandsl.diagnostics import Diagnostic, Severity

PARTY_KINDS = frozenset({"state", "bloc", "alliance", "organisation", "organization", "party"})
GROUP_KINDS = frozenset({"bloc", "alliance", "organisation", "organization"})
REGION = frozenset({"region"})
PARTY = PARTY_KINDS
FORCE = frozenset({"force"})
WEAPON = frozenset({"weapon"})
POOL = frozenset({"pool"})
FUND = frozenset({"fund"})
SOURCE = frozenset({"source"})
PLAN = frozenset({"plan"})

# What kind of declaration each name in a clause must be.
_REF_KINDS: dict[tuple[type, str], frozenset[str]] = {
    (ast.Cede, "regions"): REGION, (ast.Cede, "recipient"): PARTY, (ast.Cede, "recognised_by"): PARTY,
    (ast.Recognise, "objects"): REGION | PARTY, (ast.Recognise, "part_of"): PARTY,
    (ast.Freeze, "regions"): REGION, (ast.Withdraw, "regions"): REGION, (ast.Establish, "regions"): REGION,
    (ast.Possess, "weapons"): WEAPON, (ast.Deploy, "weapons"): WEAPON, (ast.Deploy, "regions"): REGION,
    (ast.Join, "alliance"): GROUP_KINDS, (ast.Admit, "parties"): PARTY,
    (ast.Station, "places"): REGION | PARTY, (ast.Unite, "partner"): PARTY,
    (ast.Allocate, "pool"): POOL, (ast.Allocate, "recipient"): PARTY | FUND,
    (ast.ReceiveProfits, "source"): FUND | POOL, (ast.Sanctions, "targets"): PARTY,
    (ast.Guarantee, "beneficiary"): PARTY, (ast.HoldElections, "regions"): REGION,
    (ast.Invades, "aggressors"): PARTY, (ast.Invades, "targets"): PARTY | REGION,
    (ast.Attacks, "aggressors"): PARTY, (ast.Attacks, "targets"): PARTY | REGION,
    (ast.Citation, "source"): SOURCE, (ast.Holds, "holders"): PARTY, (ast.Holds, "regions"): REGION,
}

# Which properties each kind of declaration takes, and which may be given once only.
_COMMON = frozenset({"alias", "note", "cite"})
ALLOWED_PROPERTIES: dict[str, frozenset[str]] = {
    "source": _COMMON | {"kind", "publisher", "author", "date", "url", "locator", "reported in"},
    "region": _COMMON | {"part of", "held by", "annexed by", "of"},
    "force": _COMMON | {"of", "part of", "branch", "strength"},
    "weapon": _COMMON | {"range"},
    "pool": _COMMON | {"owner", "holder", "amount"},
    "fund": _COMMON | {"managed by", "beneficiary"},
    "plan": _COMMON | {"status", "sponsor", "date", "revises", "text"},
    "point": frozenset({"text", "note", "cite"}),
    "option": frozenset({"text", "note", "cite"}),
    "positions": frozenset({"note", "cite"}),
    "redline": frozenset({"note", "cite"}),
    **{kind: _COMMON | {"members"} for kind in GROUP_KINDS},
    "state": _COMMON,
    "party": _COMMON | {"members"},
}
SINGLE_PROPERTIES = frozenset({"kind", "publisher", "date", "url", "locator", "reported in", "part of", "of",
                               "branch", "strength", "range", "owner", "holder", "amount", "status", "revises"})

# The kinds a property's names must have; "part of" takes the declaration's own kind.
_PROPERTY_KINDS: dict[str, frozenset[str]] = {
    "held by": PARTY, "annexed by": PARTY, "of": PARTY, "members": PARTY, "owner": PARTY, "holder": PARTY,
    "managed by": PARTY, "beneficiary": PARTY | FUND, "sponsor": PARTY, "revises": PLAN,
    "reported in": SOURCE, "cite": SOURCE,
}

_KIND_WORDS = {
    "region": "a region", "force": "a force", "weapon": "a weapon", "pool": "an asset pool", "fund": "a fund",
    "source": "a source", "plan": "a plan", "state": "a state", "bloc": "a bloc", "alliance": "an alliance",
    "organisation": "an organisation", "organization": "an organization", "party": "a party",
}


def describe_kinds(kinds: frozenset[str]) -> str:
    """'a region or a party' for a set of kinds, in words."""
    if kinds >= PARTY_KINDS:
        kinds = (kinds - PARTY_KINDS) | {"party"}
    words = sorted(_KIND_WORDS[k] for k in kinds)
    return " or ".join(words)


@dataclass
class Holding:
    """Who holds a region, and how much of it (None: all of it)."""

    party: str
    extent: ast.Keyword | ast.Estimate | None
    node: ast.Property

    @property
    def full(self) -> bool:
        """True when the holding is the whole region."""
        return self.extent is None or (isinstance(self.extent, ast.Keyword) and self.extent.word == "fully")


@dataclass
class Model:
    """Everything declared across the loaded files, indexed for the checker."""

    declarations: dict[str, ast.Declaration] = field(default_factory=dict)
    plans: dict[str, ast.Plan] = field(default_factory=dict)
    positions: list[ast.Positions] = field(default_factory=list)
    parent: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    holdings: dict[str, list[Holding]] = field(default_factory=dict)
    force_party: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    #: Syntax errors by file, in order: a node whose span holds one was not read completely.
    syntax_errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    # Answers about the hierarchies, remembered: the model does not change once built,
    # and red lines ask the same questions for every plan.
    _memo: dict = field(default_factory=dict, repr=False)

    def _remember(self, question: str, key, compute):
        memo = self._memo.setdefault(question, {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def unread(self, node: ast.Node) -> Diagnostic | None:
        """The first syntax error inside ``node``'s span, if any: then it was not read completely."""
        errors = self.errors_in(node)
        return errors[0] if errors else None

    def errors_in(self, node: ast.Node) -> list[Diagnostic]:
        """The syntax errors inside ``node``'s span, in order."""
        errors = self.syntax_errors.get(node.span.file)
        if not errors:
            return []
        span = node.span
        start = bisect.bisect_left(errors, (span.line, span.column), key=_position)
        end = bisect.bisect_right(errors, (span.end_line, span.end_column), key=_position)
        return errors[start:end]

    def kind(self, name: str) -> str | None:
        """The declaration kind of ``name`` ("region", "state", "plan"...), or None."""
        if name in self.declarations:
            return self.declarations[name].kind
        if name in self.plans:
            return "plan"
        return None

    def is_party(self, name: str) -> bool:
        """True for states, blocs, alliances, organisations and parties."""
        return self.kind(name) in PARTY_KINDS

    def ancestors(self, name: str) -> list[str]:
        """The regions (or forces) ``name`` is part of, nearest first; cycles stop the walk."""
        return self._remember("ancestors", name, lambda: self._ancestors(name))

    def _ancestors(self, name: str) -> list[str]:
        found: list[str] = []
        seen = {name}
        current = self.parent.get(name)
        while current is not None and current not in seen:
            found.append(current)
            seen.add(current)
            current = self.parent.get(current)
        return found

    def within(self, name: str, container: str) -> bool:
        """True when ``name`` is ``container`` or part of it, at any depth."""
        if name == container:
            return True
        tree = self._memo.get("tree")
        if tree is None:
            tree = self._memo["tree"] = _Nesting(self.parent)
        return tree.within(name, container)

    def descendants(self, name: str) -> frozenset[str]:
        """Every region (or force) part of ``name``, at any depth."""
        return self._remember("descendants", name, lambda: frozenset(self._descendants(name)))

    def _descendants(self, name: str) -> set[str]:
        found: set[str] = set()
        stack = list(self.children.get(name, ()))
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self.children.get(current, ()))
        return found

    def leaves(self, name: str) -> frozenset[str]:
        """The smallest regions that make up ``name`` (itself when it has no parts)."""
        def compute():
            below = self.descendants(name)
            return frozenset({n for n in below if not self.children.get(n)} or {name})
        return self._remember("leaves", name, compute)

    def member_of(self, party: str, group: str) -> bool:
        """True when ``party`` is ``group`` or one of its members, at any depth."""
        return party == group or party in self._remember("members", group, lambda: self._all_members(group))

    def _all_members(self, group: str) -> frozenset[str]:
        seen: set[str] = set()
        stack = list(self.members.get(group, ()))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.members.get(current, ()))
        return frozenset(seen)

    def strength(self, force: str) -> ast.Estimate | None:
        """A force's current strength as declared, or None."""
        declaration = self.declarations.get(force)
        prop = declaration.first("strength") if declaration else None
        if prop and prop.values and isinstance(prop.values[0], ast.Estimate):
            return prop.values[0]
        return None

    def pool_amount(self, pool: str) -> ast.Estimate | None:
        """A pool's declared amount, or None."""
        declaration = self.declarations.get(pool)
        prop = declaration.first("amount") if declaration else None
        if prop and prop.values and isinstance(prop.values[0], ast.Estimate):
            return prop.values[0]
        return None


class _Nesting:
    """``part of`` as numbered intervals, so that "is a part of b, at any depth" takes constant time.

    Each name has one parent, so the names form trees, and some chains end in a cycle
    (N309). Each cycle is cut at one of its names, which becomes a root; a depth-first
    walk numbers every tree, and b holds a when a's number lies in b's interval, or when
    a's tree hangs from a cut cycle that b is on. Built once, in time linear in the names.
    """

    def __init__(self, parent: dict[str, str]):
        children: dict[str, list[str]] = {}
        for child, whole in parent.items():
            children.setdefault(whole, []).append(child)
        # Cut every cycle at its first name met, walking up from each name in turn.
        state: dict[str, int] = {}  # 1: on the walk now; 2: done
        self.cut: dict[str, str] = {}  # cut name -> its parent on the cycle
        for start in parent:
            path = []
            current = start
            while current is not None and state.get(current) is None:
                state[current] = 1
                path.append(current)
                current = parent.get(current)
            if current is not None and state.get(current) == 1:
                self.cut[current] = parent[current]
            for name in path:
                state[name] = 2
        roots = [name for name in {*parent, *parent.values()} if parent.get(name) is None or name in self.cut]
        self.enter: dict[str, int] = {}
        self.leave: dict[str, int] = {}
        self.root: dict[str, str] = {}
        clock = 0
        for root in sorted(roots):
            stack = [(root, False)]
            while stack:
                name, done = stack.pop()
                if done:
                    self.leave[name] = clock
                    continue
                self.enter[name] = clock
                self.root[name] = root
                clock += 1
                stack.append((name, True))
                stack.extend((child, False) for child in children.get(name, ()) if child not in self.cut)

    def _holds(self, whole: str, part: str) -> bool:
        """``part`` is ``whole`` or lies below it in the cut trees."""
        if whole not in self.enter or part not in self.enter:
            return False
        return self.enter[whole] <= self.enter[part] < self.leave[whole]

    def within(self, name: str, container: str) -> bool:
        if self._holds(container, name):
            return True
        root = self.root.get(name)
        # Above a cut name the walk goes on round its cycle: every name on it holds ``name`` too.
        return root in self.cut and self._holds(container, self.cut[root]) and self.root.get(container) == root


NEGATIVE_MODALITIES = frozenset({"shall not", "shall never", "may not"})


@dataclass(frozen=True, slots=True)
class PlacedClause:
    """A clause of a plan where it stands: its point and, inside brackets, its option."""

    clause: ast.Clause
    point: int
    option: str | None
    agreed: bool
    order: int

    @property
    def negative(self) -> bool:
        """True for bans: shall not, shall never, may not."""
        return self.clause.modality in NEGATIVE_MODALITIES

    def excludes(self, other: "PlacedClause") -> bool:
        """True when the two stand in different options of one point: never both in force."""
        return (self.point == other.point and self.option is not None and other.option is not None
                and self.option != other.option)

    @property
    def where(self) -> str:
        """'point 3' or 'point 3 option b', for messages."""
        return f"point {self.point}" + (f" option {self.option}" if self.option else "")


def plan_clauses(plan: ast.Plan) -> list[PlacedClause]:
    """Every clause of a plan in order, those of every bracketed option included."""
    found: list[PlacedClause] = []
    for item in plan.items:
        if isinstance(item, ast.Point):
            for inner in item.items:
                if isinstance(inner, ast.Clause):
                    found.append(PlacedClause(inner, item.number, None, True, len(found)))
                elif isinstance(inner, ast.Option):
                    for clause in inner.items:
                        if isinstance(clause, ast.Clause):
                            found.append(PlacedClause(clause, item.number, inner.label, inner.agreed, len(found)))
    return found


def amount_value(estimate: ast.Estimate | None) -> Decimal | None:
    """The number an estimate states (for quantities, with its scale), or None."""
    from plandsl.quantities import amount_of

    return None if estimate is None else amount_of(estimate.amount)


def date_problem(date: ast.Date) -> tuple[str, str | None] | None:
    """Why a date names no day of the calendar, with a hint; None for a real date.

    Years run from 0001 to 9999, months from 01 to 12, days to the end of their
    month in that year (29 February only in a leap year).
    """
    year, month, day = date.year, date.month, date.day
    if not 1 <= year <= 9999:
        return f"there is no year {year:04d}", "years run from 0001 to 9999"
    if month is None:
        return None
    if not 1 <= month <= 12:
        if day is not None and 1 <= day <= 12 and 1 <= month <= calendar.monthrange(year, day)[1]:
            return (f"there is no month {month:02d}",
                    f"day and month look swapped: write {year:04d}-{day:02d}-{month:02d} (year-month-day)")
        return f"there is no month {month:02d}", "months run from 01 to 12; dates are written year-month-day"
    if day is None:
        return None
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        if 1 <= day <= 12 and month <= calendar.monthrange(year, day)[1]:
            hint = f"{name} {year:04d} has {last} days; if day and month are swapped, write {year:04d}-{day:02d}-{month:02d}"
        else:
            hint = f"{name} {year:04d} has {last} days"
        return f"there is no day {day:02d} in {name} {year:04d}", hint
    return None


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.span.line, diagnostic.span.column


def build_model(files: list[ast.PlanFile], declared_elsewhere=None, syntax_errors: list[Diagnostic] = ()) -> Model:
    """Index the declarations of ``files`` and resolve every name in them.

    ``declared_elsewhere(name, file)``, when given, names a file not loaded that
    declares ``name``, as ``file`` would ``use`` it (or None): N301's hint then says
    to use it (see :class:`plandsl.loader.DeclaredElsewhere`).

    ``syntax_errors`` are those of the files' parse: a plan or red line holding one
    was not read completely, and is not judged.
    """
    model = Model()
    for error in syntax_errors:
        # A missing ';' (S104) is repaired by inserting it: nothing is lost.
        if error.code.startswith("S") and error.code != "S104" and error.severity is Severity.ERROR:
            model.syntax_errors.setdefault(error.span.file, []).append(error)
    for errors in model.syntax_errors.values():
        errors.sort(key=_position)
    for tree in files:
        for statement in tree.statements:
            if isinstance(statement, ast.Declaration):
                model.declarations.setdefault(statement.name, statement)
            elif isinstance(statement, ast.Plan):
                model.plans.setdefault(statement.name, statement)
            elif isinstance(statement, ast.Positions):
                model.positions.append(statement)
    _index(model)
    resolver = _Resolver(model)
    resolver.declared_elsewhere = declared_elsewhere
    for tree in files:
        resolver.file(tree)
    resolver.report_unused(files)
    return model


def _index(model: Model) -> None:
    for name, declaration in model.declarations.items():
        for prop in declaration.properties:
            first = prop.values[0] if prop.values else None
            if prop.key == "part of" and isinstance(first, ast.Ref):
                model.parent[name] = first.name
                model.children.setdefault(first.name, []).append(name)
            elif prop.key == "members" and isinstance(first, tuple):
                model.members.setdefault(name, []).extend(ref.name for ref in first)
            elif prop.key == "held by" and isinstance(first, ast.Ref):
                extent = prop.values[1] if len(prop.values) > 1 else None
                model.holdings.setdefault(name, []).append(Holding(first.name, extent, prop))
            elif prop.key == "of" and declaration.kind == "force" and isinstance(first, ast.Ref):
                model.force_party[name] = first.name


class _Resolver:
    """Walks every tree, checking each name against the kinds its place allows."""

    def __init__(self, model: Model):
        self.model = model
        self._names_of: dict[frozenset[str], Suggestions] = {}
        self.budget = SuggestionBudget()
        self.declared_elsewhere = None

    def report(self, code: str, severity: Severity, message: str, span: ast.Span, hint: str | None = None):
        self.model.diagnostics.append(Diagnostic(code, severity, message, span, hint))

    def names_of(self, kinds: frozenset[str]) -> "Suggestions":
        """Declared names of these kinds, indexed once per set of kinds (for did-you-mean)."""
        names = self._names_of.get(kinds)
        if names is None:
            everything = [*self.model.declarations, *self.model.plans]
            names = self._names_of[kinds] = Suggestions([n for n in everything if self.model.kind(n) in kinds],
                                                        self.budget)
        return names

    # ---------------------------------------------------------------- names

    def ref(self, ref: ast.Ref, kinds: frozenset[str], where: str = "") -> None:
        if ref.wildcard:
            return
        kind = self.model.kind(ref.name)
        if kind is None:
            close = self.names_of(kinds).closest(ref.name)
            hint = f"did you mean '{close}'?" if close else f"declare it: {_declaration_example(kinds, ref.name)}"
            elsewhere = self.declared_elsewhere and self.declared_elsewhere(ref.name, ref.span.file)
            if elsewhere:
                hint = f"use \"{elsewhere}\"; it declares '{ref.name}'"
            self.report("N301", Severity.ERROR, f"'{ref.name}' is not declared{where}", ref.span, hint)
            return
        self.model.used.add(ref.name)
        if kind not in kinds:
            self.report("N302", Severity.ERROR,
                        f"'{ref.name}' is {_KIND_WORDS.get(kind, kind)}, but {describe_kinds(kinds)} is needed here",
                        ref.span)

    def refs(self, refs, kinds: frozenset[str]) -> None:
        for ref in refs:
            self.ref(ref, kinds)

    def values(self, value: ast.Node) -> None:
        """Dates and fractions inside a property's value (an estimate, a date)."""
        for node in ast.walk(value):
            if isinstance(node, ast.Date):
                self.date(node)
            elif isinstance(node, ast.Fraction):
                self.fraction(node)

    def fraction(self, fraction: ast.Fraction) -> None:
        """C428: a fraction over zero is no number; arithmetic takes it as unknown."""
        if fraction.denominator == 0:
            self.report("C428", Severity.ERROR, f"'{fraction.numerator}/0' divides by zero: it is no share of "
                        "anything", fraction.span, "write the share meant, such as 1/2 or 10%")

    def date(self, date: ast.Date) -> None:
        """S111: a date that names no day of the calendar (2025-29-09, 2025-02-30, 2025-13)."""
        problem = date_problem(date)
        if problem is not None:
            message, hint = problem
            self.report("S111", Severity.ERROR, f"'{date}' is not a date: {message}", date.span, hint)

    # ---------------------------------------------------------------- statements

    def file(self, tree: ast.PlanFile) -> None:
        for statement in tree.statements:
            if isinstance(statement, ast.Declaration):
                self.properties(statement.properties, statement.kind, statement.name)
            elif isinstance(statement, ast.Plan):
                self.plan(statement)
            elif isinstance(statement, ast.Positions):
                self.positions(statement)

    def properties(self, properties, owner_kind: str, owner_name: str | None = None) -> None:
        allowed = ALLOWED_PROPERTIES.get(owner_kind, _COMMON)
        seen: dict[str, ast.Property] = {}
        for prop in properties:
            if prop.key not in allowed:
                words = ", ".join(sorted(allowed))
                self.report("N304", Severity.ERROR, f"{_KIND_WORDS.get(owner_kind, 'a ' + owner_kind)} has no "
                            f"'{prop.key}'", prop.span, f"it takes: {words}")
                continue
            if prop.key in SINGLE_PROPERTIES and prop.key in seen:
                first = seen[prop.key].span
                self.report("N305", Severity.ERROR, f"'{prop.key}' is given twice; first at line {first.line}",
                            prop.span, "keep one")
            seen.setdefault(prop.key, prop)
            kinds = _PROPERTY_KINDS.get(prop.key)
            if prop.key == "part of":
                kinds = frozenset({owner_kind})
            for item in prop.values:
                if isinstance(item, (ast.Date, ast.Estimate)):
                    self.values(item)
                elif isinstance(item, ast.Ref) and kinds is not None:
                    self.ref(item, kinds)
                elif isinstance(item, ast.Citation):
                    self.ref(item.source, SOURCE)
                elif isinstance(item, tuple) and kinds is not None:
                    self.refs((r for r in item if isinstance(r, ast.Ref)), kinds)
            if prop.key == "part of" and owner_name is not None and prop.values:
                target = prop.values[0]
                if isinstance(target, ast.Ref) and self.model.within(target.name, owner_name):
                    self.report("N309", Severity.ERROR, f"'{owner_name}' is part of itself through '{target.name}'",
                                prop.span, "regions and forces nest without cycles")
            self.citations(prop.citations)

    def citations(self, citations) -> None:
        for citation in citations:
            self.ref(citation.source, SOURCE)

    def plan(self, plan: ast.Plan) -> None:
        labels = _labels(plan.items)
        scope = _Scope(labels, PointNumbers(plan))
        self.properties([i for i in plan.items if isinstance(i, ast.Property)], "plan")
        for item in plan.items:
            if isinstance(item, ast.Point):
                self.point_items(item.items, scope, "point")
            elif isinstance(item, ast.UnknownPoints):
                self.citations(item.citations)

    def point_items(self, items, scope: "_Scope", owner: str) -> None:
        self.properties([i for i in items if isinstance(i, ast.Property)], owner)
        for item in items:
            if isinstance(item, ast.Clause):
                self.clause(item, scope)
            elif isinstance(item, ast.Unknown):
                self.citations(item.citations)
            elif isinstance(item, ast.Option):
                self.refs(item.proposers, PARTY)
                self.point_items(item.items, scope, "option")

    def positions(self, positions: ast.Positions) -> None:
        self.ref(positions.party, PARTY)
        ideals = [item.clause for item in positions.items if isinstance(item, ast.Ideal)]
        scope = _Scope({c.label: c for c in ideals if c.label}, None)
        self.properties([i for i in positions.items if isinstance(i, ast.Property)], "positions")
        for item in positions.items:
            if isinstance(item, ast.RedLine):
                self.citations(item.citations)
                self.properties([i for i in item.items if isinstance(i, ast.Property)], "redline")
                for requirement in item.items:
                    if isinstance(requirement, ast.Requirement):
                        self.citations(requirement.citations)
                        if isinstance(requirement.predicate, ast.Holds):
                            self.refs(requirement.predicate.holders, PARTY)
                            self.refs(requirement.predicate.regions, REGION)
                        else:
                            self.clause(requirement.predicate, _Scope({}, None))
            elif isinstance(item, ast.Ideal):
                self.clause(item.clause, scope)
            elif isinstance(item, ast.Flexible):
                self.citations(item.citations)
                for issue in item.issues:
                    if self.model.kind(issue.name) is not None:
                        self.model.used.add(issue.name)

    # ---------------------------------------------------------------- clauses

    def clause(self, clause: ast.Clause, scope: "_Scope") -> None:
        subject_kinds = FORCE if isinstance(clause.action, ast.Exceed) else PARTY | FORCE
        self.refs(clause.subjects, subject_kinds)
        self.node(clause.action, scope)
        for modifier in clause.modifiers:
            self.node(modifier, scope)
        self.citations(clause.citations)

    def node(self, node: ast.Node, scope: "_Scope") -> None:
        kind = type(node)
        if kind is ast.Date:
            self.date(node)
            return
        if kind is ast.Fraction:
            self.fraction(node)
            return
        if kind in (ast.Within, ast.Upon):
            reference = node.after if kind is ast.Within else node.reference
            if reference is not None:
                scope.check(reference, self)
        elif kind is ast.Breached:
            scope.check(node.reference, self)
            return
        elif kind is ast.Provision:
            for tag in node.tags:  # tags are free words; those that name something count as uses
                if self.model.kind(tag.name) is not None:
                    self.model.used.add(tag.name)
            return
        for name in _ref_fields(kind):
            value = getattr(node, name)
            kinds = _REF_KINDS[(kind, name)]
            if isinstance(value, ast.Ref):
                self.ref(value, kinds)
            elif isinstance(value, tuple):
                self.refs(value, kinds)
        for child in node.children():
            if not isinstance(child, ast.Ref):
                self.node(child, scope)

    def report_unused(self, files: list[ast.PlanFile]) -> None:
        """N303: declarations that no plan, position or other declaration mentions."""
        for tree in files:
            for statement in tree.statements:
                if isinstance(statement, ast.Declaration) and statement.name not in self.model.used:
                    if self.model.declarations.get(statement.name) is statement:
                        self.report("N303", Severity.WARNING,
                                    f"{_KIND_WORDS.get(statement.kind, statement.kind)} '{statement.name}' "
                                    "is declared but never used", statement.span.head(),
                                    "remove it, or refer to it")


class SuggestionBudget:
    """How many more name comparisons did-you-mean may make in one run (each is a difflib ratio)."""

    def __init__(self, comparisons: int = 200_000):
        self.left = comparisons


class Suggestions:
    """Did-you-mean over a list of names, with bounded work per question.

    A few names are all compared, as :func:`difflib.get_close_matches` does. Among
    many, only those that could be a slip of the pen are: names that become the
    misspelt one, or the same word, by deleting one letter from either (a letter
    added, dropped, changed, or two swapped), found through an index of every name
    with each letter deleted; failing those, names of about the same length that
    share the first two letters or the last two. At most ``CANDIDATES`` are
    compared. Each misspelt name is answered once, and a run's comparisons are
    capped by a :class:`SuggestionBudget`: past it, no suggestion.
    """

    FEW = 100
    CANDIDATES = 20
    SPREAD = 2  # how much longer or shorter a name of the same first or last letters may be

    def __init__(self, names: list[str], budget: SuggestionBudget):
        self.names = names
        self.budget = budget
        self.answers: dict[str, str | None] = {}
        self.deletions: dict[str, list[str]] = {}
        self.ends: dict[tuple[str, str, int], list[str]] = {}
        if len(names) > self.FEW:
            for name in names:
                for variant in {name, *_deletions(name)}:
                    self.deletions.setdefault(variant, []).append(name)
                for key in (("prefix", name[:2], len(name)), ("suffix", name[-2:], len(name))):
                    self.ends.setdefault(key, []).append(name)

    def closest(self, name: str) -> str | None:
        """The declared name ``name`` most likely misspells, or None."""
        if name not in self.answers:
            candidates = self.names if len(self.names) <= self.FEW else self._candidates(name)
            if len(candidates) > self.budget.left:
                self.answers[name] = None
            else:
                self.budget.left -= len(candidates)
                close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
                self.answers[name] = close[0] if close else None
        return self.answers[name]

    def _candidates(self, name: str) -> list[str]:
        found: dict[str, None] = {}
        for variant in (name, *_deletions(name)):
            for candidate in self.deletions.get(variant, ()):
                found[candidate] = None
                if len(found) >= self.CANDIDATES:
                    return list(found)
        if found:
            return list(found)
        for spread in range(self.SPREAD + 1):
            for length in sorted({len(name) - spread, len(name) + spread}):
                for key in (("prefix", name[:2], length), ("suffix", name[-2:], length)):
                    for candidate in self.ends.get(key, ()):
                        found[candidate] = None
                        if len(found) >= self.CANDIDATES:
                            return list(found)
        return list(found)


def _deletions(name: str) -> list[str]:
    """``name`` with each of its letters deleted in turn (none for a long name: that would be
    quadratic in its length)."""
    if len(name) > 40:
        return []
    return [name[:i] + name[i + 1:] for i in range(len(name))]


class PointNumbers:
    """The point numbers a plan holds, its runs of unknown points as intervals.

    ``points 1 to 999999999999999999 unknown;`` is one interval, never expanded:
    ``number in numbers`` is a binary search over the merged runs.
    """

    def __init__(self, plan: ast.Plan):
        self.single = {item.number for item in plan.items if isinstance(item, ast.Point)}
        runs = sorted((item.first, item.last) for item in plan.items
                      if isinstance(item, ast.UnknownPoints) and item.first <= item.last)
        merged: list[list[int]] = []
        for first, last in runs:
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self.starts = [first for first, _ in merged]
        self.ends = [last for _, last in merged]

    def __contains__(self, number: int) -> bool:
        if number in self.single:
            return True
        index = bisect.bisect_right(self.starts, number) - 1
        return index >= 0 and number <= self.ends[index]


class _Scope:
    """The clause labels and point numbers a reference may name."""

    def __init__(self, labels: dict[str, ast.Clause], points: "PointNumbers | None"):
        self.labels = labels
        self.points = points
        self.suggestions: Suggestions | None = None  # the labels, indexed at the first misspelt one

    def check(self, reference, resolver: _Resolver) -> None:
        if isinstance(reference, ast.PointRef):
            if self.points is not None and reference.number not in self.points:
                resolver.report("N306", Severity.ERROR, f"there is no point {reference.number} in this plan",
                                reference.span)
            elif self.points is None:
                resolver.report("N306", Severity.ERROR, "positions have no numbered points to refer to",
                                reference.span)
        elif reference.name not in self.labels:
            if self.suggestions is None:
                self.suggestions = Suggestions(list(self.labels), resolver.budget)
            close = self.suggestions.closest(reference.name)
            hint = f"did you mean '{close}'?" if close else "label the clause: 'NAME: ... ;'"
            resolver.report("N306", Severity.ERROR, f"no clause is labelled '{reference.name}'", reference.span, hint)


def _labels(items) -> dict[str, ast.Clause]:
    labels: dict[str, ast.Clause] = {}
    for item in items:
        if isinstance(item, ast.Point):
            labels.update(_labels(item.items))
        elif isinstance(item, ast.Option):
            labels.update(_labels(item.items))
        elif isinstance(item, ast.Clause) and item.label:
            labels.setdefault(item.label, item)
    return labels


_REF_FIELDS: dict[type, tuple[str, ...]] = {}


def _ref_fields(kind: type) -> tuple[str, ...]:
    names = _REF_FIELDS.get(kind)
    if names is None:
        names = _REF_FIELDS[kind] = tuple(name for (k, name) in _REF_KINDS if k is kind)
    return names


def _declaration_example(kinds: frozenset[str], name: str) -> str:
    kind = "state" if kinds & PARTY_KINDS else sorted(kinds)[0]
    return f'{kind} {name} "...";'
