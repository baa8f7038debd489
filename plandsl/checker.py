"""Model -> diagnostics: the consistency rules every plan must meet.

Each rule has a stable code in :mod:`plandsl.codes`. The checker only appends
diagnostics; it never raises on user input. Rules compare clauses through
indexes (by region, by force, by pool, by action), never all pairs, so a
check stays linear in the size of a plan.

Bracketed alternatives are exclusive: two clauses in different options of the
same point never conflict with each other, since only one option will stand.
"""

from __future__ import annotations

from decimal import Decimal

from plandsl import ast
from plandsl.diagnostics import Diagnostic, Severity
from plandsl.model import Model, PlacedClause, plan_clauses
from plandsl.quantities import (INFINITY, bounds, cap_range, date_range, days, is_currency, is_distance, is_time,
                                meet, nominal_bounds, scale, show, unit_of, widen)

def check_plans(model: Model) -> list[Diagnostic]:
    """Run every consistency rule on every plan of the model."""
    found: list[Diagnostic] = []
    for plan in model.plans.values():
        _PlanChecker(model, plan, found).run()
    return found


class _PlanChecker:
    def __init__(self, model: Model, plan: ast.Plan, found: list[Diagnostic]):
        self.model = model
        self.plan = plan
        self.found = found
        self.occurrences = plan_clauses(plan)
        self.status = _status(plan)  # asked for every point: found once

    def report(self, code: str, severity: Severity, message: str, span: ast.Span, hint: str | None = None):
        self.found.append(Diagnostic(code, severity, message, span, hint))

    def of(self, action_type: type) -> list[PlacedClause]:
        """The plan's clauses of one action kind."""
        return [o for o in self.occurrences if isinstance(o.clause.action, action_type)]

    def run(self) -> None:
        self.points()
        self.labels()
        self.revisions()
        self.wildcards()
        self.cessions()
        self.caps()
        self.assets()
        self.bans()
        self.timing()
        self.sequencing()
        self.triggers_in_options()
        self.units()

    # ---------------------------------------------------------------- points and options

    def points(self) -> None:
        # A point is the run n..n; a run of unknown points is never expanded, whatever its length.
        items = [(item, *_numbers(item)) for item in self.plan.items if isinstance(item, (ast.Point, ast.UnknownPoints))]
        repeats = _first_repeats([(first, last) for _, first, last in items])
        last = 0
        for (item, first, end), repeat in zip(items, repeats):
            span = item.span.head() if isinstance(item, ast.Point) else item.span
            if isinstance(item, ast.UnknownPoints) and item.last < item.first:
                self.report("C422", Severity.WARNING, f"points {item.first} to {item.last} run backwards",
                            span, f"write points {item.last} to {item.first}")
            if repeat is not None:
                number, earlier = repeat
                self.report("C423", Severity.ERROR, f"point {number} is numbered twice; first at line "
                            f"{items[earlier][0].span.line}", span, "renumber one of them")
            elif first <= end and first < last:
                self.report("C422", Severity.WARNING, f"point {first} comes after point {last}", span,
                            "keep points in order")
            if first <= end:
                last = max(last, end)
            if isinstance(item, ast.Point):
                self.options(item)

    def options(self, point: ast.Point) -> None:
        options = [i for i in point.items if isinstance(i, ast.Option)]
        agreed = [o for o in options if o.agreed]
        if len(agreed) > 1:
            labels = ", ".join(o.label for o in agreed)
            self.report("C419", Severity.ERROR, f"point {point.number} has {len(agreed)} options agreed at once "
                        f"({labels})", agreed[1].span.head(), "only one wording of a point can be agreed")
        status = self.status
        if options and not agreed and status in ("agreed", "signed"):
            self.report("C420", Severity.WARNING, f"the plan is {status}, but no option of point {point.number} "
                        "is agreed", point.span.head(), "mark the wording that was agreed: 'option a agreed'")
        if not point.items:
            self.report("C421", Severity.WARNING, f"point {point.number} says nothing", point.span.head(),
                        "add its clauses, its text, or 'unknown;' if its content is not known")

    def labels(self) -> None:
        seen: dict[str, PlacedClause] = {}
        for occurrence in self.occurrences:
            label = occurrence.clause.label
            if label is None:
                continue
            first = seen.get(label)
            if first is not None and not first.excludes(occurrence):
                self.report("N308", Severity.ERROR, f"the label '{label}' is used twice; first in {first.where}",
                            occurrence.clause.span, "labels name one clause each")
            seen.setdefault(label, occurrence)

    def revisions(self) -> None:
        seen = [self.plan.name]
        current = self.plan
        while True:
            revises = next((p for p in current.items if isinstance(p, ast.Property) and p.key == "revises"), None)
            if revises is None or not revises.values or not isinstance(revises.values[0], ast.Ref):
                return
            target = revises.values[0].name
            if target in seen:
                chain = " -> ".join([*seen, target])
                prop = next(p for p in self.plan.items if isinstance(p, ast.Property) and p.key == "revises")
                self.report("C426", Severity.ERROR, f"plan '{self.plan.name}' revises itself: {chain}", prop.span)
                return
            seen.append(target)
            current = self.model.plans.get(target)
            if current is None:
                return

    def wildcards(self) -> None:
        for occurrence in self.occurrences:
            action = occurrence.clause.action
            share = getattr(action, "share", None)
            if isinstance(share, ast.Share) and share.rest == "any":
                self.report("C425", Severity.ERROR, "'any' share matches shares in red lines; a plan must say how "
                            "much", share.span, "write the share: 50%, one-third, 10 billion USD, remainder, all")
                continue
            if isinstance(action, ast.Provision) and action.text is None:
                self.report("C425", Severity.ERROR, "'provision any' matches provisions in red lines; a plan must "
                            "say what it provides", action.span, 'write it: provision "..."')
                continue
            for node in ast.walk(occurrence.clause):
                if isinstance(node, ast.Ref) and node.wildcard:
                    self.report("C425", Severity.ERROR, "'any' matches names in red lines; a plan must name who "
                                "and what", node.span, "write the name it means")
                    break

    # ---------------------------------------------------------------- territory

    def cessions(self) -> None:
        ceded: dict[str, list[tuple[PlacedClause, ast.Ref]]] = {}
        cessions = [o for o in self.of(ast.Cede) if not o.negative]
        for occurrence in cessions:
            for region in occurrence.clause.action.regions:
                ceded.setdefault(region.name, []).append((occurrence, region))
        earlier = _LastCessions(self.model)
        for occurrence in cessions:
            cede = occurrence.clause.action
            for region in cede.regions:
                before = earlier.before(occurrence, region.name)
                if before is None:
                    self._ceded_by_holder(occurrence, region, cede)
                elif not self._hands_on(occurrence, region.name, *before):
                    self._ceded_again(occurrence, region, *before)
            for region in cede.regions:
                earlier.add(occurrence, region.name)
        freezes = [o for o in self.of(ast.Freeze) if not o.negative]
        for occurrence in freezes:
            for region in occurrence.clause.action.regions:
                for name in [region.name, *self.model.ancestors(region.name)]:
                    for other, _ in ceded.get(name, ()):
                        if not other.excludes(occurrence):
                            self.report("C404", Severity.ERROR, f"'{region.name}' is frozen along the line of contact "
                                        f"here, but {other.where} cedes '{name}'", region.span,
                                        "a region cannot both change hands and stay frozen")
                descendants = self.model.descendants(region.name)
                for name in sorted(descendants & ceded.keys()):
                    other = ceded[name][0][0]
                    if not other.excludes(occurrence):
                        self.report("C404", Severity.ERROR, f"'{region.name}' is frozen along the line of contact "
                                    f"here, but {other.where} cedes '{name}', part of it", region.span,
                                    "a region cannot both change hands and stay frozen")

    def _hands_on(self, occurrence: PlacedClause, region: str, before: PlacedClause, name: str) -> bool:
        """True when ``occurrence`` is the next link of a chain: the party that received the region
        (or a whole it lies in) by the earlier clause now cedes it on."""
        if not self.model.within(region, name):
            return False  # the earlier clause ceded only a part: whoever holds the rest is unknown
        recipient = before.clause.action.recipient.name
        return any(self.model.member_of(recipient, subject.name) for subject in occurrence.clause.subjects)

    def _ceded_again(self, occurrence: PlacedClause, region: ast.Ref, other: PlacedClause, name: str) -> None:
        """C401/C402: ``region`` was ceded by ``other`` already, and not to whoever cedes it now."""
        recipient = occurrence.clause.action.recipient.name
        other_recipient = other.clause.action.recipient.name
        if name == region.name:
            via = ""
        elif self.model.within(region.name, name):
            via = f", as part of '{name}'"
        else:
            via = f" (which cedes '{name}', part of it)"
        if other_recipient != recipient:
            self.report("C402", Severity.ERROR, f"'{region.name}' is ceded to '{recipient}' here and to "
                        f"'{other_recipient}' in {other.where}{via}", region.span,
                        "a region can go to one party only; if it is handed on, let its new holder cede it")
        else:
            self.report("C401", Severity.WARNING, f"'{region.name}' is ceded twice: also in {other.where}{via}",
                        region.span, "say it once")

    def _ceded_by_holder(self, occurrence: PlacedClause, region: ast.Ref, cede: ast.Cede) -> None:
        if cede.legal_status == "de jure" or not occurrence.clause.subjects:
            return  # legal title can pass from a party that does not hold the ground
        holdings = self._holdings(region.name)
        if not holdings:
            return  # nothing is declared about who holds it: nothing to compare
        for subject in occurrence.clause.subjects:
            if not any(h.party == subject.name or self.model.member_of(h.party, subject.name) for h in holdings):
                holders = ", ".join(sorted({h.party for h in holdings}))
                self.report("C403", Severity.WARNING, f"'{subject.name}' cedes '{region.name}', which it does not "
                            f"hold (held by {holders})", region.span,
                            "cede it 'de jure' if the plan transfers legal title only")

    def _holdings(self, region: str) -> list:
        """What is declared about who holds a region: on itself, else on its parts, else its nearest whole."""
        # Asked for every cession: remembered per region (the world does not change).
        return self.model._remember("holdings", region, lambda: self._find_holdings(region))

    def _find_holdings(self, region: str) -> list:
        model = self.model
        if model.holdings.get(region):
            return model.holdings[region]
        parts = [h for name in sorted(model.descendants(region)) for h in model.holdings.get(name, ())]
        if parts:
            return parts
        for ancestor in model.ancestors(region):
            if model.holdings.get(ancestor):
                return model.holdings[ancestor]
        return []

    # ---------------------------------------------------------------- forces

    def caps(self) -> None:
        by_force: dict[str, list[tuple[PlacedClause, ast.Limit]]] = {}
        for occurrence in self.of(ast.Exceed):
            if occurrence.clause.modality not in ("shall not", "shall never"):
                continue
            limit = occurrence.clause.action.limit
            for subject in occurrence.clause.subjects:
                by_force.setdefault(subject.name, []).append((occurrence, limit))
        for force, caps in by_force.items():
            strength = self.model.strength(force)
            for occurrence, limit in caps:
                self._cap_against_strength(force, occurrence, limit, strength)
            self._caps_agree(force, caps, strength)
            self._phases(force, caps, strength)
        for force, caps in by_force.items():
            parent = self.model.parent.get(force)
            if parent in by_force:
                self._sub_caps(force, caps, parent, by_force[parent])
        for parent, parent_caps in by_force.items():
            parts = [child for child in self.model.children.get(parent, ()) if child in by_force]
            if len(parts) > 1:
                self._sum_of_sub_caps(parent, parent_caps, parts, by_force)

    def _cap_against_strength(self, force, occurrence, limit: ast.Limit, strength) -> None:
        if limit.share is not None and isinstance(limit.share.amount, ast.Fraction):
            fraction = limit.share.amount
            if fraction.denominator != 0 and fraction.numerator > fraction.denominator:  # over zero: C428
                self.report("C406", Severity.ERROR, f"a cap of {fraction.numerator}/{fraction.denominator} of "
                            "strength is more than the force has", limit.span, "a share of strength is at most 1")
                return
        cap = cap_range(limit, strength)
        current = bounds(strength)
        if limit.amount is not None and bounds(limit.share) is not None and current is not None:
            stated, expected = bounds(limit.amount), scale(nominal_bounds(strength), bounds(limit.share))
            if stated and not meet(stated, widen(expected)):
                self.report("C410", Severity.ERROR, f"{_show_range(stated)} is not {_show_limit_share(limit)} of "
                            f"'{force}' ({_show_range(current)}): that would be {_show_range(expected)}", limit.span,
                            "fix the figure or the fraction")
        if cap is not None and current is not None and cap[0] >= current[1] and current[1] != INFINITY:
            self.report("C405", Severity.WARNING, f"the cap on '{force}' ({_show_range(cap)}) is not below its "
                        f"current strength ({_show_range(current)}): it changes nothing", limit.span,
                        "a cap has effect only below the force's strength")

    def _caps_agree(self, force, caps, strength) -> None:
        by_deadline: dict[object, tuple[PlacedClause, tuple]] = {}
        for occurrence, limit in caps:
            cap = cap_range(limit, strength)
            if cap is None:
                continue
            key = _deadline(occurrence.clause)
            first = by_deadline.get(key)
            if first is None:
                by_deadline[key] = (occurrence, cap)
            elif not first[0].excludes(occurrence) and not meet(first[1], cap):
                self.report("C407", Severity.ERROR, f"two caps on '{force}' disagree: {_show_range(cap)} here, "
                            f"{_show_range(first[1])} in {first[0].where}", limit.span,
                            "give each phase its own deadline ('by DATE'), or keep one cap")

    def _phases(self, force, caps, strength) -> None:
        phased = []
        for occurrence, limit in caps:
            key, cap = _deadline(occurrence.clause), cap_range(limit, strength)
            if key is not None and cap is not None:
                phased.append((key, occurrence, limit, cap))
        for kind in ("date", "days"):
            steps = sorted((p for p in phased if p[0][0] == kind), key=lambda p: (p[0][1], p[1].order))
            for (_, before, _, earlier), (_, after, limit, later) in zip(steps, steps[1:]):
                if not before.excludes(after) and later[0] > earlier[1]:
                    self.report("C409", Severity.WARNING, f"the cap on '{force}' rises from {_show_range(earlier)} "
                                f"({before.where}) to {_show_range(later)} at a later deadline", limit.span,
                                "phased caps usually fall over time; check the order of the deadlines")

    def _sub_caps(self, force, caps, parent, parent_caps) -> None:
        for occurrence, limit in caps:
            cap = cap_range(limit, self.model.strength(force))
            for other, parent_limit in parent_caps:
                whole = cap_range(parent_limit, self.model.strength(parent))
                if (cap and whole and _deadline(occurrence.clause) == _deadline(other.clause)
                        and not other.excludes(occurrence) and cap[0] > whole[1]):
                    self.report("C408", Severity.ERROR, f"the cap on '{force}' ({_show_range(cap)}) is above the cap "
                                f"on '{parent}' it is part of ({_show_range(whole)}, {other.where})", limit.span,
                                "a part cannot exceed the whole")

    def _sum_of_sub_caps(self, parent, parent_caps, parts, by_force) -> None:
        for other, parent_limit in parent_caps:
            whole = cap_range(parent_limit, self.model.strength(parent))
            if whole is None:
                continue
            deadline = _deadline(other.clause)
            total = Decimal(0)
            for part in parts:
                ranges = [cap_range(limit, self.model.strength(part)) for occurrence, limit in by_force[part]
                          if _deadline(occurrence.clause) == deadline and not occurrence.excludes(other)]
                lows = [r[0] for r in ranges if r is not None]
                total += min(lows) if lows else 0
            if total > whole[1]:
                self.report("C408", Severity.ERROR, f"the caps on the parts of '{parent}' add up to {show(total)}, above "
                            f"its own cap of {_show_range(whole)}", parent_limit.span, "a part cannot exceed the whole")

    # ---------------------------------------------------------------- assets

    def assets(self) -> None:
        by_pool: dict[str, list[PlacedClause]] = {}
        for occurrence in self.of(ast.Allocate):
            if not occurrence.negative:
                by_pool.setdefault(occurrence.clause.action.pool.name, []).append(occurrence)
        for pool, allocations in by_pool.items():
            self._allocations(pool, allocations)
        by_fund: dict[str, list[PlacedClause]] = {}
        for occurrence in self.of(ast.ReceiveProfits):
            if not occurrence.negative:
                by_fund.setdefault(occurrence.clause.action.source.name, []).append(occurrence)
        for fund, receipts in by_fund.items():
            self._profit_shares(fund, receipts)

    def _allocations(self, pool: str, allocations: list[PlacedClause]) -> None:
        amount = self.model.pool_amount(pool)
        whole = bounds(amount)
        remainder = None
        for occurrence in allocations:
            share = occurrence.clause.action.share
            if share is None:
                continue
            if share.rest == "remainder":
                if remainder is not None and not remainder.excludes(occurrence):
                    self.report("C414", Severity.ERROR, f"the remainder of '{pool}' is allocated twice; first in "
                                f"{remainder.where}", share.span, "only one clause can take what is left")
                remainder = remainder or occurrence
                continue
            stated = bounds(share.amount)
            proportion = bounds(share.proportion)
            if stated is not None and proportion is not None and whole is not None:
                expected = scale(whole, proportion)
                if not meet(stated, widen(expected)):
                    self.report("C413", Severity.ERROR, f"{_show_range(stated)} is not {_show_estimate(share.proportion)}"
                                f" of '{pool}' ({_show_range(whole)}): that would be {_show_range(expected)}",
                                share.span, "fix the amount or the fraction")

        def share_of(occurrence: PlacedClause) -> Decimal:
            """The least part of the pool a clause takes, when it names a part (not an amount)."""
            share = occurrence.clause.action.share
            if share is None or share.rest == "remainder" or bounds(share.amount) is not None:
                return Decimal(0)
            proportion = bounds(share.proportion)
            return proportion[0] if proportion is not None else Decimal(1) if share.rest == "all" else Decimal(0)

        def amount_of(occurrence: PlacedClause) -> Decimal:
            """The least amount a clause takes: stated, or its part of the pool's least size."""
            share = occurrence.clause.action.share
            stated = None if share is None else bounds(share.amount)
            if stated is not None:
                return stated[0]
            return share_of(occurrence) * whole[0] if whole is not None else Decimal(0)

        # First as the plan stands; then with the bracketed alternatives that take the most.
        for (share_total, share_clauses, share_choice), (low_total, low_clauses, low_choice) in zip(
                _totals(allocations, share_of), _totals(allocations, amount_of)):
            if share_total > 1:
                where, clauses = _if_chosen(share_choice), share_clauses
                message = f"the shares allocated from '{pool}' add up to more than all of it{where}"
                hint = "the shares of one pool add up to at most one"
            elif whole is not None and low_total > whole[1]:
                where, clauses = _if_chosen(low_choice), low_clauses
                message = (f"the allocations from '{pool}' add up to at least {show(low_total)}, more than the pool "
                           f"holds ({_show_range(whole)}){where}")
                hint = "lower an allocation, or correct the pool's amount"
            else:
                continue
            self.report("C411", Severity.ERROR, message, clauses[-1].clause.action.span, hint)
            return

    def _profit_shares(self, fund: str, receipts: list[PlacedClause]) -> None:
        def share_of(occurrence: PlacedClause) -> Decimal:
            share = occurrence.clause.action.share
            proportion = bounds(share.proportion)
            return proportion[0] if proportion is not None else Decimal(1) if share.rest == "all" else Decimal(0)

        for total, clauses, choice in _totals(receipts, share_of):
            if total > 1:
                self.report("C412", Severity.ERROR, f"the profit shares of '{fund}' add up to {show(total * 100)}%"
                            f"{_if_chosen(choice)}", clauses[-1].clause.action.span,
                            "profit shares add up to at most 100%")
                return

    # ---------------------------------------------------------------- bans and permissions

    def bans(self) -> None:
        bans: dict[tuple, list[PlacedClause]] = {}
        permissions: dict[tuple, list[PlacedClause]] = {}
        for occurrence in self.occurrences:
            key = _action_key(occurrence.clause.action)
            if key is None:
                continue
            subjects = frozenset(s.name for s in occurrence.clause.subjects)
            for subject in subjects or {""}:
                table = bans if occurrence.negative else permissions
                table.setdefault((subject, key), []).append(occurrence)
        for key, allowed in permissions.items():
            for occurrence in allowed:
                banned = next((b for b in bans.get(key, ()) if not b.excludes(occurrence)
                               and _same_scope(b.clause.action, occurrence.clause.action)), None)
                if banned is not None:
                    self.report("C416", Severity.ERROR, f"this clause allows what {banned.where} bans "
                                f"('{banned.clause.modality}')", occurrence.clause.span,
                                "keep the ban or the permission, not both")
        self._alliances(bans, permissions)

    def _alliances(self, bans, permissions) -> None:
        # "P shall never join A" against "A may admit P", and "A shall not admit P" against "P may join A".
        for (subject, key), banned in bans.items():
            if key[0] == "join":
                crossing = [((alliance, ("admit", frozenset({subject}))), "admits") for alliance in [key[1]]]
            elif key[0] == "admit":
                crossing = [((party, ("join", subject)), "lets join") for party in key[1]]
            else:
                continue
            for cross_key, verb in crossing:
                for allowed in permissions.get(cross_key, ()):
                    ban = next((b for b in banned if not b.excludes(allowed)), None)
                    if ban is not None:
                        self.report("C415", Severity.ERROR, f"this clause {verb} what {ban.where} bans: "
                                    f"{_clause_words(ban.clause)}", allowed.clause.span,
                                    "an alliance ban and an admission cannot both stand")

    # ---------------------------------------------------------------- timing and sequencing

    def timing(self) -> None:
        labels = {o.clause.label: o for o in self.occurrences if o.clause.label}
        for occurrence in self.occurrences:
            modifiers = occurrence.clause.modifiers
            start = next((m for m in modifiers if isinstance(m, ast.FromDate)), None)
            for bound in modifiers:
                if isinstance(bound, (ast.UntilDate, ast.ByDate)) and start is not None:
                    if date_range(bound.date)[1] < date_range(start.date)[0]:
                        word = "ends" if isinstance(bound, ast.UntilDate) else "is due"
                        self.report("C417", Severity.ERROR, f"the clause {word} {bound.date}, before it starts "
                                    f"({start.date})", bound.span, "the deadline must come after the start")
            deadline = next((m for m in modifiers if isinstance(m, ast.ByDate)), None)
            trigger = next((m for m in modifiers if isinstance(m, ast.Upon) and isinstance(m.reference, ast.Ref)),
                           None)
            if deadline is not None and trigger is not None and trigger.reference.name in labels:
                other = labels[trigger.reference.name].clause
                other_start = next((m for m in other.modifiers if isinstance(m, ast.FromDate)), None)
                if other_start and date_range(deadline.date)[1] < date_range(other_start.date)[0]:
                    self.report("C417", Severity.ERROR, f"the clause is due {deadline.date}, before what it waits for "
                                f"('{trigger.reference.name}') starts on {other_start.date}", deadline.span,
                                "the deadline must come after its trigger")

    def sequencing(self) -> None:
        """C418: clauses that wait on each other ('a upon b', 'b upon a') can never start."""
        labels = {o.clause.label: o for o in self.occurrences if o.clause.label}
        by_point: dict[int, list[PlacedClause]] = {}
        for occurrence in self.occurrences:
            by_point.setdefault(occurrence.point, []).append(occurrence)
        waits: dict[int, list[PlacedClause]] = {}
        for occurrence in self.occurrences:
            targets = []
            for modifier in occurrence.clause.modifiers:
                reference = modifier.reference if isinstance(modifier, ast.Upon) else (
                    modifier.after if isinstance(modifier, ast.Within) else None)
                if isinstance(reference, ast.Ref) and reference.name in labels:
                    targets.append(labels[reference.name])
                elif isinstance(reference, ast.PointRef):
                    targets.extend(o for o in by_point.get(reference.number, ()) if o is not occurrence)
            waits[occurrence.order] = [t for t in targets if not t.excludes(occurrence)]
        for cycle in _cycles(self.occurrences, waits):
            names = " -> ".join(o.clause.label or o.where for o in [*cycle, cycle[0]])
            self.report("C418", Severity.ERROR, f"these clauses wait on each other and can never start: {names}",
                        cycle[0].clause.span, "one of them must start without the other")

    def triggers_in_options(self) -> None:
        """C427: a clause that waits on a label that only some alternatives of a point define.

        Options of one point are never in force together: if another one is chosen,
        what the clause waits on never happens. A label that every option of the
        point defines, or that an agreed option defines, is always there.
        """
        defined: dict[str, list[PlacedClause]] = {}
        for occurrence in self.occurrences:
            if occurrence.clause.label:
                defined.setdefault(occurrence.clause.label, []).append(occurrence)
        options = {item.number: {o.label for o in item.items if isinstance(o, ast.Option)}
                   for item in self.plan.items if isinstance(item, ast.Point)}
        for occurrence in self.occurrences:
            for node in ast.walk(occurrence.clause):
                reference = node.reference if isinstance(node, (ast.Upon, ast.Breached)) else (
                    node.after if isinstance(node, ast.Within) else None)
                if not isinstance(reference, ast.Ref) or reference.name not in defined:
                    continue
                where = defined[reference.name]
                if any(d.option is None or d.agreed for d in where):
                    continue
                point, labels = where[0].point, sorted({d.option for d in where})
                if occurrence.point == point and occurrence.option in labels:
                    continue
                if options.get(point, set()) <= set(labels):
                    continue
                said = f"point {point} option{'s' if len(labels) > 1 else ''} {_and(labels)}"
                if occurrence.point == point and occurrence.option is not None:
                    message = (f"this clause, in option {occurrence.option}, waits on '{reference.name}', "
                               f"which only {said} says")
                    hint = (f"options of one point are never in force together: label a clause "
                            f"'{reference.name}' in option {occurrence.option}, or wait on another clause")
                else:
                    message = f"this clause waits on '{reference.name}', which only {said} says"
                    hint = (f"if another option of point {point} is chosen, '{reference.name}' never takes "
                            f"effect: label a clause '{reference.name}' in every option, or move this clause "
                            f"into {'that option' if len(labels) == 1 else 'those options'}")
                self.report("C427", Severity.WARNING, message, reference.span, hint)

    # ---------------------------------------------------------------- units

    def units(self) -> None:
        for occurrence in self.occurrences:
            clause = occurrence.clause
            action = clause.action
            for modifier in clause.modifiers:
                if isinstance(modifier, ast.Within) and not is_time(modifier.duration.unit):
                    self._unit(modifier.duration, "a time (days, weeks, months, years)")
            if isinstance(action, ast.Withdraw) and action.distance and not is_distance(action.distance.unit):
                self._unit(action.distance, "a distance (km, m, miles)")
            if isinstance(action, ast.Establish) and action.depth and not is_distance(action.depth.unit):
                self._unit(action.depth, "a distance (km, m, miles)")
            if isinstance(action, (ast.Possess, ast.Deploy)) and unit_of(action.range) and \
                    not is_distance(unit_of(action.range)):
                self._unit(action.range.amount, "a distance (km, m, miles)")
            if isinstance(action, ast.Exceed) and action.limit.amount is not None:
                unit = unit_of(action.limit.amount)
                for subject in clause.subjects:
                    expected = unit_of(self.model.strength(subject.name))
                    if unit and expected and unit != expected:
                        self._unit(action.limit.amount.amount, f"'{expected}', the unit of '{subject.name}'")
            if isinstance(action, ast.Allocate) and action.share is not None and action.share.amount is not None:
                unit = unit_of(action.share.amount)
                expected = unit_of(self.model.pool_amount(action.pool.name))
                if unit and expected and unit != expected and (is_currency(unit) or is_currency(expected)):
                    self._unit(action.share.amount.amount, f"'{expected}', the unit of '{action.pool.name}'")

    def _unit(self, quantity: ast.Quantity, wanted: str) -> None:
        self.report("C424", Severity.ERROR, f"'{quantity.unit}' is the wrong unit here: {wanted} is needed",
                    quantity.span)


# ============================================================================
# Helpers
# ============================================================================


def _totals(occurrences: list[PlacedClause], part) -> list[tuple[Decimal, list[PlacedClause], list[tuple]]]:
    """Two sums of ``part`` over clauses, each with the clauses summed and the options chosen.

    The first is the plan as it stands: clauses outside brackets and agreed options.
    The second is the worst case: in each point, the bracketed option that adds the
    most in place of the agreed one (alternatives of one point are never in force
    together, so they are never added to each other).
    """
    standing = [o for o in occurrences if o.option is None or o.agreed]
    by_option: dict[tuple, list[PlacedClause]] = {}
    for occurrence in occurrences:
        if occurrence.option is not None:
            by_option.setdefault((occurrence.point, occurrence.option), []).append(occurrence)
    totals = {key: sum(map(part, clauses), Decimal(0)) for key, clauses in by_option.items()}
    worst, chosen = list(standing), []
    for point in sorted({point for point, _ in by_option}):
        options = [key for key in by_option if key[0] == point]
        agreed = [o for key in options for o in by_option[key] if o.agreed]
        key = max(options, key=lambda option: (totals[option], option))
        if totals[key] > sum(map(part, agreed), Decimal(0)):
            worst = [o for o in worst if o not in agreed] + by_option[key]
            chosen.append(key)
    worst.sort(key=lambda o: o.order)
    return [(sum(map(part, standing), Decimal(0)), standing, []), (sum(map(part, worst), Decimal(0)), worst, chosen)]


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _if_chosen(choice: list[tuple]) -> str:
    """', if point 2 option b is chosen' for the options a worst case takes ('' for none)."""
    if not choice:
        return ""
    verb = " is chosen" if len(choice) == 1 else " are chosen"
    return ", if " + " and ".join(f"point {point} option {label}" for point, label in choice) + verb


class _Latest:
    """The latest of a run of cessions, and the latest at a point other than its point: enough to
    find the latest one that a clause in an option of any point does not exclude."""

    __slots__ = ("top", "other")

    def __init__(self):
        self.top: tuple[PlacedClause, str] | None = None
        self.other: tuple[PlacedClause, str] | None = None

    def add(self, entry: PlacedClause, name: str) -> None:
        top = self.top
        if top is not None and top[0] is entry:
            self.top = (entry, min(top[1], name))  # one clause ceding several parts: the first by name
        elif top is not None and top[0].point == entry.point:
            self.top = (entry, name)
        else:
            self.other, self.top = top, (entry, name)

    def before(self, occurrence: PlacedClause) -> tuple[PlacedClause, str] | None:
        """The latest entry ``occurrence`` does not exclude (entries are added in order)."""
        top = self.top
        if top is None or not top[0].excludes(occurrence):
            return top
        # Excluded: another option of the same point. The latest of another point, or of this
        # point outside options or in the same option, comes next.
        return self.other


class _LastCessions:
    """Cessions so far, by region: which earlier clause last ceded a region, a region it lies in or
    a part of it, without scanning every earlier clause (cost: the depth of the region)."""

    def __init__(self, model: Model):
        self.model = model
        self.own: dict[str, _Latest] = {}  # cessions of the region itself
        self.below: dict[str, _Latest] = {}  # cessions of a part of it
        self.same_point: dict[tuple[str, str, int, str | None], tuple[PlacedClause, str]] = {}

    def add(self, occurrence: PlacedClause, region: str) -> None:
        self._put("own", region, occurrence, region)
        for whole in self.model.ancestors(region):
            self._put("below", whole, occurrence, region)

    def _put(self, table: str, key: str, occurrence: PlacedClause, name: str) -> None:
        getattr(self, table).setdefault(key, _Latest()).add(occurrence, name)
        slot = (table, key, occurrence.point, occurrence.option)
        known = self.same_point.get(slot)
        if known is not None and known[0] is occurrence:
            name = min(known[1], name)
        self.same_point[slot] = (occurrence, name)

    def before(self, occurrence: PlacedClause, region: str) -> tuple[PlacedClause, str] | None:
        """The last clause before ``occurrence`` that cedes ``region``, a region it lies in or a part of
        it (with the name that clause cedes); clauses in other options of the same point do not count.
        Between names ceded by one clause: the region itself, then the nearest whole, then parts by name."""
        found = []
        for rank, (table, key) in enumerate([("own", region), *(("own", a) for a in self.model.ancestors(region)),
                                             ("below", region)]):
            latest = getattr(self, table).get(key)
            if latest is None:
                continue
            for entry in (latest.before(occurrence), *self._same_point(table, key, occurrence)):
                if entry is not None:
                    found.append((entry[0].order, -rank, entry))
        return max(found, key=lambda f: f[:2])[2] if found else None

    def _same_point(self, table: str, key: str, occurrence: PlacedClause):
        """When the latest of another point is not the answer: this point's own clauses outside options
        and in the same option."""
        if occurrence.option is None:
            return ()
        return (self.same_point.get((table, key, occurrence.point, None)),
                self.same_point.get((table, key, occurrence.point, occurrence.option)))


def _numbers(item: ast.Point | ast.UnknownPoints) -> tuple[int, int]:
    """The first and last point numbers an item holds (a run written backwards holds none)."""
    if isinstance(item, ast.Point):
        return item.number, item.number
    return item.first, item.last


def _first_repeats(runs: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """For each run of numbers, the smallest number an earlier run already holds and the
    index of the first run that holds it; None when the run is new.

    Runs are intervals, never expanded: their ends cut the number line into at most 2n
    pieces, each filled once by the first run to hold it, with a union-find pointer to the
    next unfilled piece (sorting the ends makes it n log n).
    """
    ends = sorted({n for first, last in runs if first <= last for n in (first, last + 1)})
    piece_of = {number: index for index, number in enumerate(ends)}
    following = list(range(len(ends) + 1))  # a filled piece points on to a later one
    owner: list[int | None] = [None] * len(ends)

    def unfilled(piece: int) -> int:
        while following[piece] != piece:
            following[piece] = following[following[piece]]
            piece = following[piece]
        return piece

    found: list[tuple[int, int] | None] = []
    for index, (first, last) in enumerate(runs):
        if first > last:
            found.append(None)
            continue
        piece, end = piece_of[first], piece_of[last + 1] - 1
        repeat = piece if unfilled(piece) != piece else None
        current = unfilled(piece)
        while current <= end:
            owner[current], following[current] = index, current + 1
            after = unfilled(current + 1)
            if repeat is None and after != current + 1 and current + 1 <= end:
                repeat = current + 1
            current = after
        found.append(None if repeat is None else (ends[repeat], owner[repeat]))
    return found


def _status(plan: ast.Plan) -> str | None:
    for item in plan.items:
        if isinstance(item, ast.Property) and item.key == "status" and item.values:
            return getattr(item.values[0], "word", None)
    return None


def _deadline(clause: ast.Clause):
    """A sortable deadline: ('date', first day) for 'by', ('days', n) for 'within' from signature."""
    for modifier in clause.modifiers:
        if isinstance(modifier, ast.ByDate):
            return ("date", date_range(modifier.date)[0])
        if isinstance(modifier, ast.Within) and modifier.after is None:
            count = days(modifier.duration)
            if count is not None:
                return ("days", count)
    return None


def _same_scope(ban, permission) -> bool:
    """An amnesty or exchange banned for one scope and allowed for another is no conflict.

    Scopes are free text: the same words, case and spacing aside, are the same scope;
    a clause with no scope covers every one.
    """
    name = "scope" if isinstance(ban, ast.Amnesty) else "terms" if isinstance(ban, ast.ExchangePrisoners) else None
    if name is None:
        return True
    banned, allowed = getattr(ban, name), getattr(permission, name)
    return banned is None or allowed is None or " ".join(banned.casefold().split()) == " ".join(
        allowed.casefold().split())


def _action_key(action) -> tuple | None:
    """What a clause does, without who or how: ban and permission of one thing share it."""
    kind = type(action)
    if kind is ast.Join:
        return ("join", action.alliance.name)
    if kind is ast.Admit:
        return ("admit", frozenset(p.name for p in action.parties))
    if kind is ast.Station:
        return ("station", frozenset(p.name for p in action.places))
    if kind is ast.Unite:
        return ("unite", action.partner.name)
    if kind is ast.Possess:
        return ("possess", frozenset(w.name for w in action.weapons))
    if kind is ast.Deploy:
        return ("deploy", frozenset(w.name for w in action.weapons), frozenset(r.name for r in action.regions))
    if kind is ast.Guarantee:
        return ("guarantee", action.beneficiary.name)
    if kind is ast.Cede:
        return ("cede", frozenset(r.name for r in action.regions), action.recipient.name)
    if kind is ast.Recognise:
        return ("recognise", frozenset(r.name for r in action.objects), action.part_of and action.part_of.name)
    if kind is ast.Sanctions:
        return (action.verb, frozenset(t.name for t in action.targets))
    if kind is ast.Withdraw:
        return ("withdraw", frozenset(r.name for r in action.regions))
    if kind is ast.Freeze:
        return ("freeze", frozenset(r.name for r in action.regions))
    if kind is ast.Establish:
        return (action.zone, frozenset(r.name for r in action.regions))
    if kind in (ast.CeaseFire, ast.Amnesty, ast.ExchangePrisoners, ast.HoldElections):
        return (kind.__name__,)
    return None


def _cycles(occurrences: list[PlacedClause], waits: dict[int, list[PlacedClause]]) -> list[list[PlacedClause]]:
    """Each cycle of the 'waits on' graph once, found without recursion."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    found: list[list[PlacedClause]] = []
    for root in occurrences:
        if state.get(root.order):
            continue
        path: list[PlacedClause] = []
        stack = [(root, iter(waits.get(root.order, ())))]
        state[root.order] = 1
        path.append(root)
        while stack:
            node, edges = stack[-1]
            advanced = False
            for target in edges:
                mark = state.get(target.order)
                if mark == 1:
                    found.append(path[path.index(target):])
                elif mark is None:
                    state[target.order] = 1
                    path.append(target)
                    stack.append((target, iter(waits.get(target.order, ()))))
                    advanced = True
                    break
            if not advanced:
                state[node.order] = 2
                path.pop()
                stack.pop()
    return found


def _show_range(range_) -> str:
    low, high = range_
    if low == high:
        return show(low)
    if high == INFINITY:
        return f"at least {show(low)}"
    if low == 0:
        return f"at most {show(high)}"
    return f"{show(low)} to {show(high)}"


def _show_estimate(estimate: ast.Estimate) -> str:
    from plandsl.formatter import value

    return value(estimate)


def _show_limit_share(limit: ast.Limit) -> str:
    return _show_estimate(limit.share)


def _clause_words(clause: ast.Clause) -> str:
    from plandsl.formatter import clause_parts

    head, _ = clause_parts(clause)
    return head
