"""Checked model -> view models: plain data a template only has to lay out.

:func:`plan_view` describes one plan as a document (title block, points in prose,
bracketed alternatives, footnotes, an annex of verdicts and findings);
:func:`comparison_view` puts several plans side by side (issues, red lines, the
changes between a plan and the one it revises, the position spectrum). All logic
lives here; templates only loop and print. Every list is in a stable order, so
the same input gives the same document, byte for byte.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from plandsl import ast
from plandsl.check import CheckResult, Verdict
from plandsl.model import Model, plan_clauses
from plandsl.prose import Prose, percent

# The issues a comparison is organised by, and the clause kinds under each.
ISSUES = [
    ("territory", "Territory", (ast.Cede, ast.Freeze, ast.Withdraw, ast.Establish)),
    ("forces", "Forces and weapons", (ast.Exceed, ast.Possess, ast.Deploy)),
    ("alliances", "Alliances", (ast.Join, ast.Admit, ast.Station, ast.Unite)),
    ("assets", "Assets", (ast.Allocate, ast.ReceiveProfits)),
    ("recognition", "Recognition", (ast.Recognise,)),
    ("sanctions", "Sanctions", (ast.Sanctions,)),
    ("ceasefire", "Ceasefire", (ast.CeaseFire,)),
    ("guarantees", "Guarantees", (ast.Guarantee,)),
    ("other", "Other", (ast.Amnesty, ast.ExchangePrisoners, ast.HoldElections, ast.Provision)),
]


@dataclass
class _Footnotes:
    """Sources as numbered footnotes, numbered by first use."""

    model: Model
    entries: list[dict]

    def cite(self, citations) -> list[int]:
        numbers = []
        for citation in citations:
            declaration = self.model.declarations.get(citation.source.name)
            title = declaration.label if declaration and declaration.label else citation.source.name
            publisher = _text_property(declaration, "publisher")
            key = (citation.source.name, citation.quote)
            for index, entry in enumerate(self.entries, 1):
                if entry["key"] == key:
                    numbers.append(index)
                    break
            else:
                self.entries.append({"key": key, "source": title, "publisher": publisher, "quote": citation.quote})
                numbers.append(len(self.entries))
        return numbers


def plan_view(result: CheckResult, model: Model, plan: ast.Plan) -> dict:
    """One plan as a document."""
    prose = Prose(model)
    notes = _Footnotes(model, [])
    properties = [i for i in plan.items if isinstance(i, ast.Property)]
    # Footnotes are numbered in reading order: the title block's, then the points'.
    citations = notes.cite([_citation(p) for p in properties if p.key == "cite"])
    plan_notes = [{"text": p.values[0], "footnotes": notes.cite(p.citations)} for p in properties if p.key == "note"]
    points = []
    for item in plan.items:
        if isinstance(item, ast.Point):
            points.append(_point_view(item, prose, notes))
        elif isinstance(item, ast.UnknownPoints):
            points.append({"number": f"{item.first}–{item.last}", "title": None, "texts": [], "clauses": [],
                           "options": [], "notes": [],
                           "unknown": [{"text": item.description or "Content unknown.",
                                        "footnotes": notes.cite(item.citations)}]})
    revises = _first(properties, "revises")
    view = {
        "name": plan.name,
        "title": plan.title or plan.name,
        "status": _word(_first(properties, "status")),
        "sponsors": prose.names(_first(properties, "sponsor").values[0]) if _first(properties, "sponsor") else None,
        "date": prose.date(_first(properties, "date").values[0]) if _first(properties, "date") else None,
        "revises": prose.name(revises.values[0]) if revises else None,
        "texts": [p.values[0] for p in properties if p.key == "text"],
        "notes": plan_notes,
        "citations": citations,
        "points": points,
        "verdicts": [_verdict_view(v, model) for v in result.verdicts if v.plan == plan.name],
        "findings": [_finding_view(d) for d in result.diagnostics if d.span.file == plan.span.file],
        "has_positions": bool(model.positions),
    }
    view["footnotes"] = [{k: v for k, v in entry.items() if k != "key"} for entry in notes.entries]
    return view


def _point_view(point: ast.Point, prose: Prose, notes: _Footnotes) -> dict:
    view = {"number": str(point.number), "title": point.title, "texts": [], "clauses": [], "options": [],
            "notes": [], "unknown": []}
    _fill(view, point.items, prose, notes)
    for item in point.items:
        if isinstance(item, ast.Option):
            option = {"label": item.label, "proposers": prose.names(item.proposers) or None, "agreed": item.agreed,
                      "texts": [], "clauses": [], "notes": [], "unknown": []}
            _fill(option, item.items, prose, notes)
            view["options"].append(option)
    return view


def _fill(view: dict, items, prose: Prose, notes: _Footnotes) -> None:
    for item in items:
        if isinstance(item, ast.Clause):
            view["clauses"].append({"label": item.label, "sentence": prose.clause(item),
                                    "footnotes": notes.cite(item.citations)})
        elif isinstance(item, ast.Unknown):
            view["unknown"].append({"text": item.description or "Content unknown.",
                                    "footnotes": notes.cite(item.citations)})
        elif isinstance(item, ast.Property) and item.key == "text":
            view["texts"].append(item.values[0])
        elif isinstance(item, ast.Property) and item.key == "note":
            view["notes"].append({"text": item.values[0], "footnotes": notes.cite(item.citations)})


def _verdict_view(verdict: Verdict, model: Model) -> dict:
    party = model.declarations.get(verdict.party)
    return {"party": party.label if party and party.label else verdict.party, "id": verdict.id,
            "title": verdict.title, "verdict": verdict.verdict, "points": ", ".join(map(str, verdict.points)) or "—",
            "explanation": verdict.explanation, "option": verdict.option}


def _finding_view(diagnostic) -> dict:
    return {"code": diagnostic.code, "severity": diagnostic.severity.value, "message": diagnostic.message,
            "line": diagnostic.span.line, "hint": diagnostic.hint}


# ============================================================================
# Comparisons
# ============================================================================


def comparison_view(result: CheckResult, model: Model, plans: list[ast.Plan], unnumbered: frozenset[str] = frozenset()
                    ) -> dict:
    """Several plans side by side; ``unnumbered`` plans (a party's ideals) have no points to cite."""
    prose = Prose(model)
    columns = [{"name": p.name, "title": p.title or p.name} for p in plans]
    placed = {p.name: plan_clauses(p) for p in plans}

    def where(plan: ast.Plan, placed_clause) -> str:
        if plan.name in unnumbered:
            return ""
        option = f", option {placed_clause.option}" if placed_clause.option else ""
        return f" (point {placed_clause.point}{option})"

    issues = []
    for key, title, kinds in ISSUES:
        cells = []
        for plan in plans:
            entries = [prose.clause(c.clause) + where(plan, c)
                       for c in placed[plan.name] if isinstance(c.clause.action, kinds)]
            cells.append(entries)
        if any(cells):
            issues.append({"key": key, "title": title, "cells": cells})
    verdicts = {(v.plan, v.party, v.id): v for v in result.verdicts if v.option is None}
    options = {}
    for v in result.verdicts:
        if v.option is not None:
            options.setdefault((v.plan, v.party, v.id), []).append(v)
    redlines = []
    for positions in model.positions:
        for item in positions.items:
            if isinstance(item, ast.RedLine):
                cells = []
                for plan in plans:
                    verdict = verdicts.get((plan.name, positions.party.name, item.name))
                    if verdict is None:
                        cells.append({"verdict": "—", "points": "", "options": []})
                        continue
                    shown_points = "" if plan.name in unnumbered else ", ".join(map(str, verdict.points))
                    cells.append({"verdict": verdict.verdict, "points": shown_points,
                                  "options": [f"{o.verdict} if {o.option}" for o in
                                              options.get((plan.name, positions.party.name, item.name), [])]})
                redlines.append({"party": prose.name(positions.party), "id": item.name, "title": item.title,
                                 "cells": cells})
    by_name = {p.name: p for p in reversed(plans)}  # the first of a name, as a scan would find it
    return {
        "columns": columns,
        "issues": issues,
        "redlines": redlines,
        "changes": [_changes(model, prose, by_name[_revises(new)], new, verdicts, options) for new in plans
                    if _revises(new) in by_name],
        "spectrum": _spectrum_view(result, model, plans, prose),
    }


def _revises(plan: ast.Plan) -> str | None:
    prop = next((i for i in plan.items if isinstance(i, ast.Property) and i.key == "revises"), None)
    return prop.values[0].name if prop and prop.values and isinstance(prop.values[0], ast.Ref) else None


def _changes(model: Model, prose: Prose, old: ast.Plan, new: ast.Plan, verdicts, options) -> dict:
    """A clause-level diff: what the revision added, removed, changed or moved into or out of
    an option, one clause a row, and the verdicts it changes (with their options)."""
    old_clauses, new_clauses = plan_clauses(old), plan_clauses(new)
    # A clause that keeps its label is the same clause, whatever it now says or whom it binds.
    labelled = {c.clause.label: c for c in old_clauses if c.clause.label}
    relabelled = []
    for placed in new_clauses:
        partner = labelled.get(placed.clause.label) if placed.clause.label else None
        if partner is not None and _diff_key(partner.clause) != _diff_key(placed.clause):
            relabelled.append((partner, placed))
    paired = {id(c) for pair in relabelled for c in pair}

    def keyed(clauses):
        found = {}
        for placed in clauses:
            if id(placed) not in paired:
                found.setdefault(_diff_key(placed.clause), []).append(placed)
        return found

    before, after = keyed(old_clauses), keyed(new_clauses)
    unknown = any(isinstance(i, ast.UnknownPoints) for i in new.items) or any(
        isinstance(x, ast.Unknown) for i in new.items if isinstance(i, ast.Point) for x in i.items)
    rows = []
    groups = [_pairs(before.get(key, []), after.get(key, []), prose) for key in sorted(set(before) | set(after), key=str)]
    for group in [relabelled, *groups]:
        for was, now in group:
            # Compared as read: a label or a new point number is no change, a new deadline is.
            if was is not None and now is not None:
                same = prose.clause(was.clause) == prose.clause(now.clause)
                if same and was.option == now.option:
                    continue
                if same and now.option is None:
                    kind = f"taken out of option {was.option}"
                elif same:
                    kind = f"moved into option {now.option}"
                else:
                    kind = "changed"
            elif now is None:
                kind = "not known to be kept" if unknown else "removed"
            else:
                kind = "added"
            place = now or was
            rows.append({"sort": (place.point, now is None, place.order), "kind": kind,
                         "old": prose.clause(was.clause) if was else "—",
                         "new": prose.clause(now.clause) if now else "—",
                         "old_points": _where(was), "new_points": _where(now),
                         "value_change": _value_change(was, now, prose)})
    # In reading order: by point, a removed clause after what its point now says.
    rows.sort(key=lambda row: row.pop("sort"))
    flips = []
    for (plan, party, redline), verdict in sorted(verdicts.items()):
        if plan != old.name:
            continue
        newer = verdicts.get((new.name, party, redline))
        if newer is None or "not judged" in (verdict.verdict, newer.verdict):
            # A red line or plan not judged (not read completely) has no verdict to flip.
            continue
        was = _with_options(verdict, options.get((plan, party, redline), []))
        now = _with_options(newer, options.get((new.name, party, redline), []))
        if was != now:
            flips.append({"party": prose.name(ast.Ref(party)), "id": redline, "title": verdict.title,
                          "before": was, "after": now})
    return {"old": old.title or old.name, "new": new.title or new.name, "rows": rows, "flips": flips,
            "new_has_unknown": unknown}


def _pairs(olds: list, news: list, prose: Prose) -> list[tuple]:
    """The clauses of one diff key paired across two plans: (old, new), (old, None) for a clause
    dropped, (None, new) for one added.

    Paired first as read and where they stand, then as read (a clause moved into or out of an
    option), then by label, then by point, then in order. Free-text provisions pair only by
    their words or their label: two different provisions of a party are unrelated. Where the
    new plan offers options for what the old one fixed (or the other way round), the one
    clause pairs with each option's, one row each. Every pass looks up a dictionary: linear.
    """
    pairs: list[tuple] = []
    olds, news = list(olds), list(news)

    def match(key) -> None:
        nonlocal olds, news
        waiting: dict = {}
        for placed in olds:
            k = key(placed)
            if k is not None:
                waiting.setdefault(k, []).append(placed)
        taken, unmatched = set(), []
        for placed in news:
            k = key(placed)
            bucket = waiting.get(k) if k is not None else None
            if bucket:
                partner = bucket.pop()
                taken.add(id(partner))
                pairs.append((partner, placed))
            else:
                unmatched.append(placed)
        olds, news = [o for o in olds if id(o) not in taken], unmatched

    # bucket.pop() takes from the end: with both lists reversed, pairs keep reading order.
    olds.reverse()
    news.reverse()
    match(lambda c: (prose.clause(c.clause), c.option))
    match(lambda c: prose.clause(c.clause))
    match(lambda c: c.clause.label)
    olds.reverse()
    news.reverse()
    free_text = bool(olds or news) and isinstance((olds or news)[0].clause.action, ast.Provision)
    if not free_text:
        for flip in (False, True):
            one, many = (news, olds) if flip else (olds, news)
            optional: dict = {}
            for placed in many:
                if placed.option is not None:
                    optional.setdefault(placed.point, []).append(placed)
            used = set()
            for single in one:
                alternatives = optional.get(single.point) if single.option is None else None
                if alternatives and len({c.option for c in alternatives}) == len(alternatives) > 1:
                    del optional[single.point]  # each option's clause pairs with one fixed clause
                    for other in alternatives:
                        pairs.append((other, single) if flip else (single, other))
                        used.add(id(other))
                    used.add(id(single))
            one, many = [c for c in one if id(c) not in used], [c for c in many if id(c) not in used]
            olds, news = (many, one) if flip else (one, many)
        by_point: dict = {}
        for placed in olds:
            by_point.setdefault(placed.point, deque()).append(placed)
        rest = []
        for placed in news:
            bucket = by_point.get(placed.point)
            if bucket:
                pairs.append((bucket.popleft(), placed))
            else:
                rest.append(placed)
        olds = [o for bucket in by_point.values() for o in bucket]
        olds.sort(key=lambda c: c.order)
        pairs.extend(zip(olds, rest))
        olds, news = olds[len(rest):], rest[len(olds):]
    pairs.extend((o, None) for o in olds)
    pairs.extend((None, n) for n in news)
    return pairs


def _where(placed) -> str:
    """'3' or '3, option a': what follows 'point' in a change row."""
    if placed is None:
        return ""
    return f"{placed.point}" + (f", option {placed.option}" if placed.option else "")


def _with_options(verdict: Verdict, alternatives: list[Verdict]) -> str:
    """'violated', or 'not addressed; violated if point 1 option a' where the options decide it."""
    return "; ".join([verdict.verdict, *(f"{o.verdict} if {o.option}" for o in alternatives)])


def _diff_key(clause: ast.Clause) -> tuple:
    from plandsl.redlines import topic_fields

    action = clause.action
    topic = tuple(_names(getattr(action, field)) for field in topic_fields(action))
    return (type(action).__name__, _names(clause.subjects), topic)


def _names(value) -> tuple:
    if isinstance(value, ast.Ref):
        return (value.name,)
    if isinstance(value, tuple):
        return tuple(sorted(v.name for v in value if isinstance(v, ast.Ref)))
    return ()


def _value_change(before, after, prose: Prose) -> str | None:
    """'600,000 personnel -> 800,000 personnel' for a cap that changed its figure."""
    if before is not None and after is not None:
        old, new = before.clause.action, after.clause.action
        if isinstance(old, ast.Exceed) and isinstance(new, ast.Exceed) and old.limit != new.limit:
            return f"{prose.limit(old.limit)} → {prose.limit(new.limit)}"
    return None


def _option_spectrum(model: Model, plan: ast.Plan) -> dict:
    """{(issue, 'point 2 option a'): entry}: where the plan sits if one of its options is chosen,
    for the options whose caps are lower than what is firm. The checker's spectrum counts only
    what is firm. Each option's entry is computed from its own lowest caps and nothing else:
    linear in the plan's caps.
    """
    from dataclasses import replace

    from plandsl.quantities import cap_range
    from plandsl.redlines import _midpoint, _spectrum

    firm: dict[str, tuple] = {}
    by_choice: dict[tuple, dict[str, tuple]] = {}
    for placed in plan_clauses(plan):
        if not isinstance(placed.clause.action, ast.Exceed) or placed.clause.modality not in ("shall not", "shall never"):
            continue
        for subject in placed.clause.subjects:
            value = _midpoint(cap_range(placed.clause.action.limit, model.strength(subject.name)))
            if value is None:
                continue
            table = firm if placed.option is None else by_choice.setdefault((placed.point, placed.option), {})
            if subject.name not in table or value < table[subject.name][0]:
                table[subject.name] = (value, placed)
    found = {}
    for (point, option), table in sorted(by_choice.items()):
        lower = {force: placed for force, (value, placed) in table.items() if force not in firm or value < firm[force][0]}
        issues = {f"cap on {force}" for force in lower}
        for entry in _spectrum(model, plan, [replace(placed, option=None) for placed in lower.values()]):
            if entry.issue in issues:
                found[(entry.issue, f"point {point} option {option}")] = entry
    return found


def _spectrum_view(result: CheckResult, model: Model, plans: list[ast.Plan], prose: Prose) -> list[dict]:
    names = [p.name for p in plans]
    alternatives = {p.name: _option_spectrum(model, p) for p in plans}
    rank = {name: index for index, name in reversed(list(enumerate(names)))}  # as names.index

    def label(name: str) -> str:
        return name if name == "status quo" else prose.name(ast.Ref(name))

    by_issue: dict[str, dict] = {}
    for entry in result.spectrum:
        if entry.plan not in rank:
            continue
        title = entry.issue
        if title.startswith("cap on "):
            title = "cap on " + label(title[len("cap on "):])
        issue = by_issue.setdefault(entry.issue, {"issue": title, "low_party": label(entry.low_party),
                                                  "low_value": entry.low_value, "high_party": label(entry.high_party),
                                                  "high_value": entry.high_value, "plans": []})
        options = [{"option": option, "value": other.plan_value or "silent", "position": other.position,
                    "percent": percent(other.position)}
                   for (issue_key, option), other in alternatives[entry.plan].items()
                   if issue_key == entry.issue and other.plan_value != entry.plan_value]
        silent = "silent outside its options" if options else "silent"
        issue["plans"].append({"plan": entry.plan, "value": entry.plan_value or silent,
                               "position": entry.position, "percent": percent(entry.position), "options": options})
    titles = {p.name: p.title or p.name for p in plans}
    for issue in by_issue.values():
        issue["plans"].sort(key=lambda p: rank[p["plan"]])
        issue["chart"] = dict(_CHART)
        marks = []
        for entry in issue["plans"]:
            entry["title"] = titles[entry["plan"]]
            marks.append(entry)
            for option in entry["options"]:
                option["title"] = f"{entry['title']}, {option['option']}"
                marks.append(option)
        for index, mark in enumerate(marks):
            position = mark["position"]
            if position is None:
                mark["x"] = mark["y"] = None
                continue
            clamped = min(max(position, -0.1), 1.1)  # beyond either end: drawn just past it
            mark["x"] = round(_CHART["left"] + (_CHART["right"] - _CHART["left"]) * clamped, 1)
            mark["y"] = _CHART["axis"] - 12 - 14 * (index % 2)
        issue["marks"] = marks
    return [by_issue[key] for key in sorted(by_issue)]


# The spectrum chart's geometry, in SVG user units.
_CHART = {"width": 600, "height": 80, "left": 70, "right": 530, "axis": 45}


def _citation(prop: ast.Property) -> ast.Citation:
    """A 'cite SOURCE "quote";' property as the citation it states."""
    quote = prop.values[1] if len(prop.values) > 1 else None
    return ast.Citation(prop.values[0], quote, span=prop.span)


def _first(properties, key: str):
    return next((p for p in properties if p.key == key), None)


def _word(prop) -> str | None:
    if prop is None or not prop.values:
        return None
    value = prop.values[0]
    return value.word if isinstance(value, ast.Keyword) else str(value)


def _text_property(declaration, key: str) -> str | None:
    prop = declaration.first(key) if declaration else None
    return prop.values[0] if prop and prop.values and isinstance(prop.values[0], str) else None
