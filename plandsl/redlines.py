"""Model -> verdicts: every red line of every party, judged against every plan.

A red line holds ``require`` and ``forbid`` predicates. A predicate is a clause
pattern (``ukraine shall never join nato``, where ``any`` matches any name and a
qualified figure such as ``less than 600,000 personnel`` matches a range) or an
outcome (``russia holds donbas``: who holds the land once the plan's cessions
and withdrawals are done).

Figures in a pattern are compared, not ignored: a weapon's range, a withdrawal's
distance, a zone's depth and a share of a pool or of profits must fall within the
pattern's (distances in kilometres). A clause that gives no figure leaves it open:
it is covered by a ``forbid`` and does not meet a ``require``.

Free text is compared by its words, not its spelling: case and spacing aside, a
pattern's text matches a clause whose text contains it (a provision, an
amnesty's scope, an exchange's terms). A provision pattern is about its tags
and its words: it matches a provision that carries at least one of its tags (or
a part or member of a tag that names a region or party), or whose text contains
its text; ``provision any`` matches every provision, ``provision any tags x``
every provision tagged x. A provision speaks to the matter of a pattern only
when it matches it so, whatever its modality: who a provision binds is not what
it is about.

A red line that holds a syntax error, or a plan that does, is "not judged": its
requirements or its clauses are not all known (R503).

Each predicate gets one of three verdicts:

- ``require``: satisfied when a clause in force matches it; violated when the
  plan speaks to the same matter (the same kind of clause about the same party,
  region, force, pool...) without matching; not addressed when it is silent.
- ``forbid``: violated when a clause in force matches it; satisfied when the
  plan speaks to the matter without matching; not addressed when silent.

A red line is violated when any predicate is; satisfied when every ``require``
is and at least one predicate is (a ``forbid`` the plan is silent on is no
obstacle); not addressed otherwise. The clauses in force are those outside bracketed options
plus the agreed option of each point; then each other option is tried in turn,
and a verdict that changes with it is reported for that option.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from plandsl import ast
from plandsl.check import SpectrumEntry, Verdict
from plandsl.diagnostics import Diagnostic, Severity
from plandsl.model import Model, PlacedClause, amount_value, plan_clauses
from plandsl.quantities import (INFINITY, bounds, cap_range, distance_factor, meet, nominal_bounds, scale,
                                show)

SATISFIED, VIOLATED, NOT_ADDRESSED = "satisfied", "violated", "not addressed"
NOT_JUDGED = "not judged"

# Which modalities a clause's modality implies: "shall never" is also "shall not".
_IMPLIES = {
    "shall never": {"shall never", "shall not", "may not"},
    "shall not": {"shall not", "may not"},
    "may not": {"may not"},
    "shall": {"shall", "may"},
    None: {"shall", "may"},
    "may": {"may"},
}


def evaluate(model: Model, severity: Severity) -> tuple[list[Verdict], list[SpectrumEntry], list[Diagnostic]]:
    """Judge every red line in ``model.positions`` against every plan in ``model.plans``.

    A red line or a plan that holds a syntax error was not read completely: what
    it would be judged on is unknown, so its verdict is "not judged", with the
    error, and R503 says so once at the red line or the plan.
    """
    verdicts: list[Verdict] = []
    diagnostics: list[Diagnostic] = []
    spectrum: list[SpectrumEntry] = []
    words = _Words()
    redlines = [(positions.party.name, item, model.unread(item))
                for positions in model.positions for item in positions.items if isinstance(item, ast.RedLine)]
    for positions in model.positions:
        # An error outside every red line may have dropped one whole (its name unread): say so.
        inside = [i.span for i in positions.items if isinstance(i, ast.RedLine)]
        stray = [e for e in model.errors_in(positions) if not any(_holds(span, e.span) for span in inside)]
        if stray:
            diagnostics.append(Diagnostic(
                "R503", Severity.WARNING, f"{positions.party.name}'s positions could not be read completely: a red "
                f"line there may be missing, and is not judged", positions.span.head(),
                f"fix the syntax error at line {stray[0].span.line} first"))
    for party, redline, error in redlines:
        if error is not None:
            diagnostics.append(Diagnostic(
                "R503", Severity.WARNING, f"{party}'s red line '{redline.name}' is not judged: it could not be read "
                f"completely", redline.span.head(), f"fix the syntax error at line {error.span.line} first"))
    for plan in model.plans.values():
        unread = model.unread(plan)
        if unread is not None:
            if redlines:
                diagnostics.append(Diagnostic(
                    "R503", Severity.WARNING, f"plan '{plan.name}' is not judged against any red line: it could not "
                    "be read completely", plan.span.head(), f"fix the syntax error at line {unread.span.line} first"))
            for party, redline, _ in redlines:
                verdicts.append(_not_judged(plan, party, redline, f"Plan '{plan.name}' could not be read "
                                            f"completely: {_at(unread)}."))
            continue
        clauses = plan_clauses(plan)
        judge = _Judge(model, plan, clauses, words)
        for party, redline, error in redlines:
            if error is not None:
                verdicts.append(_not_judged(plan, party, redline, f"The red line could not be read completely: "
                                            f"{_at(error)}."))
                continue
            found = judge.redline(party, redline)
            verdicts.extend(found)
            diagnostics.extend(_diagnostics(found, judge, severity))
        spectrum.extend(_spectrum(model, plan, clauses))
    return verdicts, spectrum, diagnostics


def _holds(outer: ast.Span, inner: ast.Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) <= (outer.end_line, outer.end_column)


def _not_judged(plan: ast.Plan, party: str, redline: ast.RedLine, explanation: str) -> Verdict:
    return Verdict(plan.name, party, redline.name, redline.title, NOT_JUDGED, (), explanation)


def _at(error: Diagnostic) -> str:
    """'line 14: unexpected 'any' [S101]': a syntax error, where and what, for an explanation."""
    return f"line {error.span.line}: {error.message.rstrip('.')} [{error.code}]"


class _Judge:
    """Matches predicates against one plan's clauses."""

    def __init__(self, model: Model, plan: ast.Plan, clauses: list[PlacedClause], words: _Words):
        self.model = model
        self.words = words
        self.plan = plan
        self.clauses = clauses
        self.by_action: dict[type, list[PlacedClause]] = {}
        for entry in clauses:
            self.by_action.setdefault(type(entry.clause.action), []).append(entry)
        self.alternatives = sorted({(c.point, c.option) for c in clauses if c.option is not None and not c.agreed})
        self.spans: dict[tuple, ast.Span] = {}

    # ---------------------------------------------------------------- red lines

    def redline(self, party: str, redline: ast.RedLine) -> list[Verdict]:
        requirements = [i for i in redline.items if isinstance(i, ast.Requirement)]
        # Whether each candidate clause matches or addresses each pattern is asked once, whatever
        # option is chosen: an alternative then costs what its own point holds, not the whole plan.
        flags = [self._flags(r) for r in requirements]
        base_results = [self.requirement(r, [c for c in self._candidates(r.predicate) if _in_force(c, None)], f)
                        for r, f in zip(requirements, flags)]
        base = self._verdict(party, redline, requirements, base_results, choice=None)
        found = [base]
        if not self.alternatives:
            return found
        counts = [_Outcomes(self, r) if f is None else _Counts(f, self._candidates(r.predicate))
                  for r, f in zip(requirements, flags)]
        # Only an option holding a clause the red line looks at can change its verdict.
        relevant = {c.point for r, f in zip(requirements, flags) for c in self._option_candidates(r, f)}
        for point, option in self.alternatives:
            if point not in relevant:
                continue
            choice = (point, option)
            quick = []
            for requirement, count in zip(requirements, counts):
                quick.append(count.verdict(requirement.kind, choice))
            if _aggregate([(r.kind, v) for r, v in zip(requirements, quick)]) == base.verdict:
                continue
            results = [self.requirement(r, self._in_force_with(r, choice), f) for r, f in zip(requirements, flags)]
            alternative = self._verdict(party, redline, requirements, results, choice)
            if alternative.verdict != base.verdict:
                found.append(alternative)
        return found

    def _candidates(self, predicate) -> list[PlacedClause]:
        """The plan's clauses of the kinds a predicate can match or be addressed by."""
        if isinstance(predicate, ast.Holds):
            return [c for kind in (ast.Cede, ast.Withdraw, ast.Freeze) for c in self.by_action.get(kind, ())]
        return self.by_action.get(type(predicate.action), [])

    def _flags(self, requirement: ast.Requirement) -> dict[int, tuple[bool, bool]] | None:
        """For a clause pattern: each candidate's order -> (matches, addresses); None for an outcome."""
        predicate = requirement.predicate
        if isinstance(predicate, ast.Holds):
            return None
        return {c.order: (self.matches(predicate, c.clause, requirement.kind), self.addresses(predicate, c.clause))
                for c in self._candidates(predicate)}

    def _option_candidates(self, requirement: ast.Requirement, flags) -> list[PlacedClause]:
        """The candidates inside options that could change the requirement's verdict."""
        candidates = [c for c in self._candidates(requirement.predicate) if c.option is not None]
        if flags is None:
            leaves = self._leaves(requirement.predicate)
            return [c for c in candidates if _touches(self.model, c.clause, leaves)]
        return [c for c in candidates if any(flags[c.order])]

    def _in_force_with(self, requirement: ast.Requirement, choice) -> list[PlacedClause]:
        return [c for c in self._candidates(requirement.predicate) if _in_force(c, choice)]

    def _leaves(self, predicate: ast.Holds) -> set[str]:
        return set().union(*(self.model.leaves(r.name) for r in predicate.regions))

    def _verdict(self, party: str, redline: ast.RedLine, requirements, results, choice) -> Verdict:
        verdict = _aggregate([(r.kind, v) for r, (v, _, _) in zip(requirements, results)])
        deciding = [r for r in results if r[0] == verdict] or results
        points = tuple(sorted({p for _, entries, _ in deciding for p in (e.point for e in entries)}))
        # The deciding predicates first, then the others: the whole account in one place.
        ordered = deciding + [r for r in results if r not in deciding]
        explanation = " ".join(sentence for _, _, sentence in ordered) or "The red line states no requirement."
        option = None if choice is None else f"point {choice[0]} option {choice[1]}"
        spans = [e.clause.span for _, entries, _ in deciding for e in entries]
        key = (self.plan.name, party, redline.name, option)
        self.spans[key] = spans[0] if spans else None
        return Verdict(self.plan.name, party, redline.name, redline.title, verdict, points, explanation, option)

    def requirement(self, requirement: ast.Requirement, in_force: list[PlacedClause], flags=None):
        """(verdict, deciding clauses, sentence) for one require/forbid.

        ``flags`` (from :meth:`_flags`) says which clauses match and address the pattern,
        when that is known already.
        """
        predicate = requirement.predicate
        if isinstance(predicate, ast.Holds):
            return self.holds(requirement.kind, predicate, in_force)
        candidates = [c for c in in_force if isinstance(c.clause.action, type(predicate.action))]
        if flags is None:
            flags = {c.order: (self.matches(predicate, c.clause, requirement.kind), self.addresses(predicate, c.clause))
                     for c in candidates}
        matching = [c for c in candidates if flags[c.order][0]]
        addressing = [c for c in candidates if flags[c.order][1]]
        pattern = self.words(predicate)
        if requirement.kind == "require":
            if matching:
                return SATISFIED, matching, f"{_where(matching, 'says')} what is required: '{pattern}'."
            if addressing:
                return VIOLATED, addressing, (f"{_where(addressing, 'says')} '{self.words(addressing[0].clause)}', "
                                              f"not what is required: '{pattern}'.")
            return NOT_ADDRESSED, [], f"No point says '{pattern}' or speaks to it."
        if matching:
            return VIOLATED, matching, (f"{_where(matching, 'says')} '{self.words(matching[0].clause)}', "
                                        "which is forbidden.")
        if addressing:
            return SATISFIED, addressing, (f"{_where(addressing, 'speaks')} to it without the forbidden "
                                           f"'{pattern}'.")
        return NOT_ADDRESSED, [], f"No point speaks to '{pattern}'."

    # ---------------------------------------------------------------- clause patterns

    def matches(self, pattern: ast.Clause, clause: ast.Clause, kind: str) -> bool:
        """True when ``clause`` says what ``pattern`` describes."""
        if pattern.modality not in _IMPLIES.get(clause.modality, set()) and not (
                pattern.modality is None and clause.modality in ("shall", None)):
            return False
        if not self.names_match(pattern.subjects, clause.subjects, kind):
            return False
        return self.action_matches(pattern.action, clause.action, kind, clause.subjects)

    def names_match(self, wanted, given, kind: str) -> bool:
        """Every name the pattern gives matches one of the clause's (none given: any)."""
        return all(any(self.name_matches(w, g, kind) for g in given) for w in wanted if not w.wildcard) and (
            bool(given) or not [w for w in wanted if not w.wildcard])

    def name_matches(self, wanted: ast.Ref, given: ast.Ref, kind: str) -> bool:
        if wanted.wildcard or wanted.name == given.name:
            return True
        model = self.model
        if model.kind(wanted.name) == "region" and model.kind(given.name) == "region":
            # A forbidden region is touched by any part of it; a required one must be given whole.
            if kind == "forbid":
                return model.within(given.name, wanted.name) or model.within(wanted.name, given.name)
            return model.within(wanted.name, given.name)
        return model.member_of(given.name, wanted.name)

    def action_matches(self, wanted, given, kind: str, subjects) -> bool:
        if type(wanted) is not type(given):
            return False
        if isinstance(wanted, ast.Exceed):
            return self.limit_matches(wanted.limit, given.limit, subjects)
        if isinstance(wanted, ast.Provision):
            return self.provision_matches(wanted, given, kind)
        for name in _slots(wanted):
            want, have = getattr(wanted, name), getattr(given, name)
            if isinstance(want, ast.Ref):
                if not (isinstance(have, ast.Ref) and self.name_matches(want, have, kind)):
                    return False
            elif isinstance(want, tuple) and want and isinstance(want[0], ast.Ref):
                if not self.names_match(want, have or (), kind):
                    return False
            elif isinstance(want, (ast.Estimate, ast.Quantity)):  # a weapon's range, a distance, a depth
                if not _figure_matches(want, have, kind):
                    return False
            elif isinstance(want, ast.Share):
                if not _share_matches(want, have, kind):
                    return False
            elif name in _FREE_TEXT:  # an amnesty's scope, an exchange's terms: said in many ways
                if want is not None and not (have is not None and _text_contains(have, want)):
                    return False
            elif isinstance(want, str) and want != have:  # legal status, verb, zone, strength
                return False
        return True

    def provision_matches(self, wanted: ast.Provision, given: ast.Provision, kind: str) -> bool:
        """Does a provision speak to what a provision pattern is about?

        ``provision any`` matches every provision. A pattern with text matches a
        provision whose text contains it, ignoring case and spacing; a pattern with
        tags matches a provision with at least one of them (or a part or member of
        one). A pattern with both matches on either: the tags say what the
        provision is about, the text how it may be worded.
        """
        if wanted.text is None and not wanted.tags:
            return True
        if wanted.text is not None and _text_contains(given.text or "", wanted.text):
            return True
        return any(self.tag_matches(w, g, kind) for w in wanted.tags for g in given.tags)

    def tag_matches(self, wanted: ast.Ref, given: ast.Ref, kind: str) -> bool:
        if wanted.wildcard or wanted.name.casefold() == given.name.casefold():
            return True
        # Tags are free words; those that name a region or a party match its parts and members.
        return (self.model.kind(wanted.name) is not None and self.model.kind(given.name) is not None
                and self.name_matches(wanted, given, kind))

    def limit_matches(self, wanted: ast.Limit, given: ast.Limit, subjects) -> bool:
        if wanted.amount is None and wanted.share is None:
            return True  # "exceed any": every cap
        stated = given.amount if given.amount is not None else given.share
        if stated is None:
            return False  # "exceed any" in a plan says no figure (C425)
        # The clause's own figure may leave out an end: "less than 100" is below 100.
        open_ends = (stated.qualifier == "more than", stated.qualifier == "less than")
        if wanted.amount is None and given.amount is None:
            # Shares of one force's strength compare as shares, whether the strength is known or not.
            have, figure = bounds(given.share), amount_value(wanted.share)
            return have is not None and figure is not None and _within(have, wanted.share, figure,
                                                                       open_ends=open_ends)
        strength = self.model.strength(subjects[0].name) if subjects else None
        have = cap_range(given, strength)
        if have is None:
            return False
        if wanted.amount is not None:
            figure = amount_value(wanted.amount)
            return figure is not None and _within(have, wanted.amount, figure, open_ends=open_ends)
        # A share of strength against a figure: the share's own number (not its qualified range)
        # times the strength is what the figure is compared with.
        base, figure = nominal_bounds(strength), amount_value(wanted.share)
        if base is None or figure is None:
            return False
        return _within(have, wanted.share, None, scale(base, (figure, figure)), open_ends)

    def addresses(self, pattern: ast.Clause, clause: ast.Clause) -> bool:
        """True when ``clause`` speaks to the matter ``pattern`` is about, whatever it says."""
        if type(pattern.action) is not type(clause.action):
            return False
        if pattern.subjects and not self.names_match(pattern.subjects, clause.subjects, "forbid"):
            return False
        if isinstance(pattern.action, ast.Provision):
            # Free text has no fields to compare: its topic is its tags and its words.
            return self.provision_matches(pattern.action, clause.action, "forbid")
        for name in topic_fields(pattern.action):
            want, have = getattr(pattern.action, name), getattr(clause.action, name)
            wants = want if isinstance(want, tuple) else (want,)
            haves = have if isinstance(have, tuple) else (have,)
            if not any(isinstance(w, ast.Ref) and isinstance(h, ast.Ref) and self.name_matches(w, h, "forbid")
                       for w in wants for h in haves):
                return False
        return True

    # ---------------------------------------------------------------- outcomes

    def holds(self, kind: str, predicate: ast.Holds, in_force: list[PlacedClause]):
        """Who holds each part of the regions once the plan's cessions and withdrawals are done."""
        model = self.model
        leaves = set().union(*(model.leaves(r.name) for r in predicate.regions))
        touching = [c for c in in_force if _touches(model, c.clause, leaves)]
        holders = {r.name for r in predicate.holders}
        names = ", ".join(sorted(holders))
        regions = ", ".join(r.name for r in predicate.regions)
        if not touching:
            return NOT_ADDRESSED, [], f"No point changes who holds {regions}."
        after = {leaf: self.holder_after(leaf, touching) for leaf in leaves}
        held = all(owner is not None and any(model.member_of(owner, h) or owner == h for h in holders)
                   for owner in after.values())
        missing = sorted(leaf for leaf, owner in after.items() if owner is None or owner not in holders)
        if kind == "require":
            if held:
                return SATISFIED, touching, f"After {_where(touching)}, {names} holds all of {regions}."
            return VIOLATED, touching, f"After {_where(touching)}, {names} still does not hold {', '.join(missing)}."
        if held:
            return VIOLATED, touching, f"After {_where(touching)}, {names} holds all of {regions}, which is forbidden."
        return SATISFIED, touching, f"After {_where(touching)}, {names} does not hold all of {regions}."

    def holder_after(self, leaf: str, touching: list[PlacedClause]) -> str | None:
        """The one party that holds ``leaf`` wholly once the plan is carried out, if any."""
        model = self.model
        holders = {h.party: h.full for h in model.holdings.get(leaf, ())}
        for entry in touching:
            clause, action = entry.clause, entry.clause.action
            if clause.modality in ("shall not", "shall never", "may not"):
                continue
            if isinstance(action, ast.Cede) and any(model.within(leaf, r.name) for r in action.regions):
                holders = {action.recipient.name: True}
            elif isinstance(action, ast.Withdraw) and any(model.within(leaf, r.name) for r in action.regions):
                leaving = {s.name for s in clause.subjects} | {model.force_party.get(s.name) for s in clause.subjects}
                holders = {p: True for p in holders if p not in leaving}
        full = [party for party, whole in holders.items() if whole]
        if len(holders) == 1 and full:
            return full[0]
        return None


# ============================================================================
# Diagnostics and the spectrum
# ============================================================================


def _diagnostics(verdicts: list[Verdict], judge: _Judge, severity: Severity) -> list[Diagnostic]:
    found = []
    for verdict in verdicts:
        if verdict.verdict != VIOLATED:
            continue
        span = judge.spans.get((verdict.plan, verdict.party, verdict.id, verdict.option))
        if span is None:
            span = judge.plan.span._replace(end_line=judge.plan.span.line, end_column=judge.plan.span.column + 4)
        if verdict.option is None:
            title = f" ({verdict.title})" if verdict.title.strip() else ""  # a red line need not have one
            message = f"plan '{verdict.plan}' crosses {verdict.party}'s red line '{verdict.id}'{title}"
            found.append(Diagnostic("R501", severity, message, span, verdict.explanation))
        else:
            message = (f"plan '{verdict.plan}' crosses {verdict.party}'s red line '{verdict.id}' if "
                       f"{verdict.option} is chosen")
            found.append(Diagnostic("R502", severity, message, span, verdict.explanation))
    return found


def _spectrum(model: Model, plan: ast.Plan, clauses: list[PlacedClause]) -> list[SpectrumEntry]:
    """Where the plan's caps sit between the parties' ideal caps on the same force."""
    ideals: dict[str, dict[str, Decimal]] = {}
    for positions in model.positions:
        for item in positions.items:
            if isinstance(item, ast.Ideal) and isinstance(item.clause.action, ast.Exceed):
                for subject in item.clause.subjects:
                    value = _midpoint(cap_range(item.clause.action.limit, model.strength(subject.name)))
                    if value is not None:
                        ideals.setdefault(subject.name, {})[positions.party.name] = value
    entries = []
    for force, by_party in sorted(ideals.items()):
        anchors = sorted(by_party.items())
        if len(anchors) == 1:
            current = _midpoint(bounds(model.strength(force)))
            if current is None:
                continue
            anchors = [("status quo", current), anchors[0]]
        (low_party, low), (high_party, high) = anchors[0], anchors[1]
        caps = [c for c in clauses if c.option is None and isinstance(c.clause.action, ast.Exceed)
                and any(s.name == force for s in c.clause.subjects) and c.clause.modality in ("shall not", "shall never")]
        values = [_midpoint(cap_range(c.clause.action.limit, model.strength(force))) for c in caps]
        values = [v for v in values if v is not None]
        plan_value = min(values) if values else None
        position = None
        # A share with a zero denominator is an unbounded cap: no place on a scale.
        if plan_value is not None and high != low and INFINITY not in (low, high, plan_value):
            ratio = (plan_value - low) / (high - low)
            # round() raises past 28 digits: a cap in trillions beside ideals in thousands.
            position = float(round(ratio, 4)) if abs(ratio) < 10**20 else float(ratio)
        entries.append(SpectrumEntry(plan.name, f"cap on {force}", low_party, show(low), high_party, show(high),
                                     None if plan_value is None else show(plan_value), position))
    return entries


# ============================================================================
# Helpers
# ============================================================================


class _Counts:
    """How many clauses in force match and address one pattern, and how an option changes that.

    Choosing option ``o`` of point ``p`` takes out the agreed options of ``p`` and puts in
    ``o``: the counts follow in constant time, so each alternative costs no more than
    its own clauses.
    """

    def __init__(self, flags: dict[int, tuple[bool, bool]], candidates: list[PlacedClause]):
        self.base = [0, 0]
        self.agreed: dict[int, list[int]] = {}  # point -> counts inside its agreed options
        self.option: dict[tuple[int, str], list[int]] = {}  # (point, option) -> counts inside it
        self.flags = flags
        for entry in candidates:
            self.add(entry)

    def add(self, entry: PlacedClause) -> None:
        matches, addresses = self.flags[entry.order]
        if not (matches or addresses):
            return
        if _in_force(entry, None):
            _bump(self.base, matches, addresses)
            if entry.option is not None:
                _bump(self.agreed.setdefault(entry.point, [0, 0]), matches, addresses)
        if entry.option is not None:
            _bump(self.option.setdefault((entry.point, entry.option), [0, 0]), matches, addresses)

    def verdict(self, kind: str, choice: tuple[int, str]) -> str:
        agreed = self.agreed.get(choice[0], (0, 0))
        chosen = self.option.get(choice, (0, 0))
        matching, addressing = (self.base[i] - agreed[i] + chosen[i] for i in (0, 1))
        if kind == "require":
            return SATISFIED if matching else VIOLATED if addressing else NOT_ADDRESSED
        return VIOLATED if matching else SATISFIED if addressing else NOT_ADDRESSED


_ANYONE = object()  # the key of every withdrawal, whoever leaves


class _Outcomes:
    """Who holds each region of a ``holds`` predicate, and how choosing an option changes it.

    As :meth:`_Judge.holder_after` has it, the holder of a piece of land is decided by the
    last cession of it in force, then every withdrawal in force (the clauses come by kind:
    cessions, then withdrawals). Choosing option ``o`` of point ``p`` takes out the clauses
    of ``p``'s agreed options and puts in those of ``o``: the last cession and a withdrawal
    of each holder are found by walking back past the clauses of ``p`` only, so an
    alternative costs what its point holds, per piece of land.
    """

    def __init__(self, judge: "_Judge", requirement: ast.Requirement):
        model = judge.model
        self.model = model
        self.predicate = requirement.predicate
        self.leaves = sorted(judge._leaves(self.predicate))
        self.holders = {r.name for r in self.predicate.holders}
        candidates = [c for c in judge._candidates(self.predicate) if _touches(model, c.clause, set(self.leaves))]
        self.touching_base = sum(1 for c in candidates if _in_force(c, None))
        self.touching_agreed: dict[int, int] = {}
        self.touching_option: dict[tuple[int, str], int] = {}
        # Per piece of land: the cessions in force, and the withdrawals in force by who leaves.
        self.cessions: dict[str, list[PlacedClause]] = {leaf: [] for leaf in self.leaves}
        self.withdrawals: dict[str, dict[str, list[PlacedClause]]] = {leaf: {} for leaf in self.leaves}
        self.in_option: dict[tuple[int, str], list[PlacedClause]] = {}
        for entry in candidates:
            if entry.option is not None:
                self.in_option.setdefault((entry.point, entry.option), []).append(entry)
                self.touching_option[(entry.point, entry.option)] = self.touching_option.get(
                    (entry.point, entry.option), 0) + 1
                if entry.agreed:
                    self.touching_agreed[entry.point] = self.touching_agreed.get(entry.point, 0) + 1
            if not _in_force(entry, None) or entry.clause.modality in ("shall not", "shall never", "may not"):
                continue
            for leaf in self.leaves:
                if not self._applies(entry, leaf):
                    continue
                if isinstance(entry.clause.action, ast.Cede):
                    self.cessions[leaf].append(entry)
                else:
                    self.withdrawals[leaf].setdefault(_ANYONE, []).append(entry)
                    for party in self._leaving(entry):
                        self.withdrawals[leaf].setdefault(party, []).append(entry)

    def _applies(self, entry: PlacedClause, leaf: str) -> bool:
        action = entry.clause.action
        return isinstance(action, (ast.Cede, ast.Withdraw)) and any(
            self.model.within(leaf, r.name) for r in action.regions)

    def _leaving(self, entry: PlacedClause) -> set[str]:
        subjects = entry.clause.subjects
        return {s.name for s in subjects} | {self.model.force_party.get(s.name) for s in subjects}

    def verdict(self, kind: str, choice: tuple[int, str]) -> str:
        point = choice[0]
        touching = (self.touching_base - self.touching_agreed.get(point, 0)
                    + self.touching_option.get(choice, 0))
        if not touching:
            return NOT_ADDRESSED

        def out(entry: PlacedClause) -> bool:  # in force without the choice, not with it
            return entry.point == point and entry.option is not None and entry.option != choice[1]

        chosen = [e for e in self.in_option.get(choice, ())
                  if not e.agreed and e.clause.modality not in ("shall not", "shall never", "may not")]
        held = True
        for leaf in self.leaves:
            last = next((e for e in reversed(self.cessions[leaf]) if not out(e)), None)
            for entry in chosen:
                if isinstance(entry.clause.action, ast.Cede) and self._applies(entry, leaf) and (
                        last is None or entry.order > last.order):
                    last = entry
            if last is not None:
                holders = {last.clause.action.recipient.name: True}
            else:
                holders = {h.party: h.full for h in self.model.holdings.get(leaf, ())}
            # As in holder_after: every withdrawal in force counts, after the cessions; those who
            # stay after one hold the land wholly.
            for party in [_ANYONE, *holders]:
                latest = next((e for e in reversed(self.withdrawals[leaf].get(party, ())) if not out(e)), None)
                if latest is not None or any(isinstance(e.clause.action, ast.Withdraw) and self._applies(e, leaf)
                                             and (party is _ANYONE or party in self._leaving(e)) for e in chosen):
                    if party is _ANYONE:
                        holders = dict.fromkeys(holders, True)
                    else:
                        del holders[party]
            full = [party for party, whole in holders.items() if whole]
            owner = full[0] if len(holders) == 1 and full else None
            if owner is None or not any(self.model.member_of(owner, h) or owner == h for h in self.holders):
                held = False
                break
        if kind == "require":
            return SATISFIED if held else VIOLATED
        return VIOLATED if held else SATISFIED


def _bump(counts: list[int], matches: bool, addresses: bool) -> None:
    counts[0] += matches
    counts[1] += addresses


def _aggregate(judged: list[tuple[str, str]]) -> str:
    """A red line's verdict from its predicates' verdicts.

    Violated if any is. Satisfied if every ``require`` is and the plan speaks to the
    red line at all (a ``forbid`` the plan is silent on is no obstacle: the
    forbidden thing is not there). Otherwise not addressed.
    """
    verdicts = [verdict for _, verdict in judged]
    if VIOLATED in verdicts:
        return VIOLATED
    required = [verdict for kind, verdict in judged if kind == "require"]
    if all(v == SATISFIED for v in required) and SATISFIED in verdicts:
        return SATISFIED
    return NOT_ADDRESSED


def _in_force(entry: PlacedClause, choice) -> bool:
    if entry.option is None:
        return True
    if choice is not None and entry.point == choice[0]:
        return entry.option == choice[1]
    return entry.agreed


def _touches(model: Model, clause: ast.Clause, leaves: set[str]) -> bool:
    action = clause.action
    if isinstance(action, (ast.Cede, ast.Withdraw, ast.Freeze)):
        return any(model.leaves(r.name) & leaves for r in action.regions)
    return False


def _slots(action) -> list[str]:
    return [name for name in type(action).__dataclass_fields__ if name != "span"]


# The fields that say what a clause is about (for "does the plan speak to it").
_TOPICS = {
    ast.Cede: ("regions",), ast.Recognise: ("objects",), ast.Freeze: ("regions",), ast.Withdraw: ("regions",),
    ast.Establish: ("regions",), ast.Possess: ("weapons",), ast.Deploy: ("weapons",), ast.Join: ("alliance",),
    ast.Admit: ("parties",), ast.Station: ("places",), ast.Unite: ("partner",), ast.Allocate: ("pool",),
    ast.ReceiveProfits: ("source",), ast.Sanctions: ("targets",), ast.Guarantee: ("beneficiary",),
    ast.HoldElections: (), ast.Exceed: (), ast.CeaseFire: (), ast.Amnesty: (), ast.ExchangePrisoners: (),
    ast.Provision: (),
}


def _figure_matches(want, have, kind: str) -> bool:
    """Does a clause's figure (a range, a distance, a share) say what the pattern's does?

    A clause that gives no figure leaves it open: a ban covers it ("possess m" is
    possession at any range), a requirement is not met by it. Distances compare in
    kilometres; figures of different measures never match.
    """
    if isinstance(want, ast.Quantity):
        want = ast.Estimate(None, want, span=want.span)
    if isinstance(have, ast.Quantity):
        have = ast.Estimate(None, have, span=have.span)
    value = amount_value(want)
    if value is None:
        return True  # "unknown" in a pattern asks for no figure
    have_range = bounds(have)
    if have_range is None:
        return kind == "forbid"
    factors = _common_unit(want.amount, have.amount)
    if factors is None:
        return False
    to_want, to_have = factors
    have_range = (have_range[0] * to_have, have_range[1] * to_have)
    target = (value * to_want, value * to_want)
    if want.qualifier == "about":
        low, high = bounds(want)
        target = (low * to_want, high * to_want)
    open_ends = (have.qualifier == "more than", have.qualifier == "less than")
    return _within(have_range, want, value * to_want, target, open_ends)


def _common_unit(want: ast.Amount, have: ast.Amount) -> tuple[Decimal, Decimal] | None:
    """Factors that bring two figures to one unit; None when they measure different things."""
    want_unit = want.unit if isinstance(want, ast.Quantity) else None
    have_unit = have.unit if isinstance(have, ast.Quantity) else None
    if want_unit == have_unit:
        return Decimal(1), Decimal(1)  # the same unit, or two proportions
    if want_unit is None or have_unit is None:
        return None
    factors = distance_factor(want_unit), distance_factor(have_unit)
    return None if None in factors else factors


_WHOLE = ast.Estimate(None, ast.Percent(Decimal(100)))


def _share_matches(want: ast.Share, have: ast.Share | None, kind: str) -> bool:
    """Does a clause's share of a pool or of profits say what the pattern's does?"""
    if want.rest == "any":
        return True
    if have is None:
        return kind == "forbid"  # "allocate POOL to X" leaves the size open
    if want.rest is not None:
        return have.rest == want.rest or (want.rest == "all" and bounds(have.proportion) == (1, 1))
    if want.proportion is not None:
        proportion = have.proportion if have.proportion is not None else _WHOLE if have.rest == "all" else None
        if not _figure_matches(want.proportion, proportion, kind):
            return False
    return want.amount is None or _figure_matches(want.amount, have.amount, kind)


# Fields of free text, compared by their words (case and spacing aside), not their spelling.
_FREE_TEXT = frozenset({"scope", "terms"})


@functools.lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    # Remembered: every plan and every alternative asks again about the same texts.
    return " ".join(text.casefold().split())


def _text_contains(text: str, part: str) -> bool:
    """True when ``text`` says ``part``: the one contains the other, case and spacing aside."""
    return _normal(part) in _normal(text)


def topic_fields(action) -> tuple[str, ...]:
    """The fields of an action that say what it is about (a cession's regions, a ban's weapons)."""
    return _TOPICS.get(type(action), ())


def _within(have, wanted: ast.Estimate, value: Decimal | None, target=None, open_ends=(False, False)) -> bool:
    """Does the clause's range ``have`` satisfy the pattern's qualified figure?

    ``open_ends`` says whether the clause's own figure leaves out its low or high
    end: a cap of "less than 100" is less than 100, though its range ends at 100.
    """
    if target is None:
        target = (value, value)
    qualifier = wanted.qualifier
    if qualifier == "less than":
        return have[1] < target[0] or (have[1] == target[0] and open_ends[1])
    if qualifier == "at most":
        return have[1] <= target[0]
    if qualifier == "more than":
        return have[0] > target[1] or (have[0] == target[1] and open_ends[0])
    if qualifier == "at least":
        return have[0] >= target[1]
    if qualifier == "about" or target[0] != target[1]:
        return meet(have, bounds(wanted) if target[0] == target[1] else target)
    return have == target


def _midpoint(range_) -> Decimal | None:
    if range_ is None:
        return None
    low, high = range_
    if high == INFINITY:
        return low
    return (low + high) / 2


class _Words:
    """Clauses as their text, without modifiers, remembered for one evaluation: every
    plan asks again for the words of the same red-line patterns."""

    def __init__(self):
        self.known: dict[int, tuple[ast.Clause, str]] = {}

    def __call__(self, clause: ast.Clause) -> str:
        known = self.known.get(id(clause))
        if known is not None and known[0] is clause:
            return known[1]
        from plandsl.formatter import clause_parts

        head, _ = clause_parts(clause)
        self.known[id(clause)] = (clause, head)
        return head


def _where(entries: list[PlacedClause], verb: str | None = None) -> str:
    """'point 3', 'points 3 and 5'; with a verb in the third person, it agrees: 'points 3 and 5 say'."""
    points = sorted({e.point for e in entries})
    if len(points) == 1:
        return f"point {points[0]}" + (f" {verb}" if verb else "")
    words = "points " + ", ".join(str(p) for p in points[:-1]) + f" and {points[-1]}"
    return words + (f" {verb.removesuffix('s')}" if verb else "")
