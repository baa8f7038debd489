"""Checked model -> view models: plain data a template only has to lay out.

:func:`plan_view` describes one plan as a document (title block, points in prose,
bracketed alternatives, footnotes, an annex of verdicts and findings);
:func:`comparison_view` puts several plans side by side (issues, red lines, the
changes between a plan and the one it revises, the position spectrum). All logic
lives here; templates only loop and print. Every list is in a stable order, so
the same input gives the same document, byte for byte.
"""

from __future__ import annotations

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
        "changes": [_changes(model, prose, by_name[_revises(new)], new, verdicts) for new in plans
                    if _revises(new) in by_name],
        "spectrum": _spectrum_view(result, plans, prose),
    }


def _revises(plan: ast.Plan) -> str | None:
    prop = next((i for i in plan.items if isinstance(i, ast.Property) and i.key == "revises"), None)
    return prop.values[0].name if prop and prop.values and isinstance(prop.values[0], ast.Ref) else None


def _changes(model: Model, prose: Prose, old: ast.Plan, new: ast.Plan, verdicts) -> dict:
    """A clause-level diff: what the revision added, removed and changed, and the verdicts it flips."""
    def keyed(plan):
        found = {}
        for placed in plan_clauses(plan):
            if placed.option is None or placed.agreed:
                found.setdefault(_diff_key(placed.clause), []).append(placed)
        return found

    before, after = keyed(old), keyed(new)
    unknown = any(isinstance(i, ast.UnknownPoints) for i in new.items) or any(
        isinstance(x, ast.Unknown) for i in new.items if isinstance(i, ast.Point) for x in i.items)
    rows = []
    for key in sorted(set(before) | set(after), key=str):
        # Compared as read: a label is no change, a new deadline is.
        old_texts = [prose.clause(c.clause) for c in before.get(key, [])]
        new_texts = [prose.clause(c.clause) for c in after.get(key, [])]
        if old_texts == new_texts:
            continue
        old_points = ", ".join(str(c.point) for c in before.get(key, []))
        new_points = ", ".join(str(c.point) for c in after.get(key, []))
        if not new_texts:
            kind = "not known to be kept" if unknown else "removed"
        elif not old_texts:
            kind = "added"
        else:
            kind = "changed"
        rows.append({"kind": kind,
                     "old": "; ".join(prose.clause(c.clause) for c in before.get(key, [])) or "—",
                     "new": "; ".join(prose.clause(c.clause) for c in after.get(key, [])) or "—",
                     "old_points": old_points, "new_points": new_points,
                     "value_change": _value_change(before.get(key, []), after.get(key, []), prose)})
    flips = []
    for (plan, party, redline), verdict in sorted(verdicts.items()):
        if plan != old.name:
            continue
        newer = verdicts.get((new.name, party, redline))
        if newer is not None and newer.verdict != verdict.verdict:
            flips.append({"party": prose.name(ast.Ref(party)), "id": redline, "title": verdict.title,
                          "before": verdict.verdict, "after": newer.verdict})
    return {"old": old.title or old.name, "new": new.title or new.name, "rows": rows, "flips": flips,
            "new_has_unknown": unknown}


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
    if len(before) == 1 and len(after) == 1:
        old, new = before[0].clause.action, after[0].clause.action
        if isinstance(old, ast.Exceed) and isinstance(new, ast.Exceed):
            return f"{prose.limit(old.limit)} → {prose.limit(new.limit)}"
    return None


def _spectrum_view(result: CheckResult, plans: list[ast.Plan], prose: Prose) -> list[dict]:
    names = [p.name for p in plans]
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
        issue["plans"].append({"plan": entry.plan, "value": entry.plan_value or "silent",
                               "position": entry.position, "percent": percent(entry.position)})
    titles = {p.name: p.title or p.name for p in plans}
    for issue in by_issue.values():
        issue["plans"].sort(key=lambda p: rank[p["plan"]])
        issue["chart"] = dict(_CHART)
        for index, entry in enumerate(issue["plans"]):
            entry["title"] = titles[entry["plan"]]
            position = entry["position"]
            if position is None:
                entry["x"] = entry["y"] = None
                continue
            clamped = min(max(position, -0.1), 1.1)  # beyond either end: drawn just past it
            entry["x"] = round(_CHART["left"] + (_CHART["right"] - _CHART["left"]) * clamped, 1)
            entry["y"] = _CHART["axis"] - 12 - 14 * (index % 2)
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
