"""Files -> documents: what ``plandsl render``, ``compare`` and ``build`` produce.

Each function checks the files first (the same :func:`plandsl.check.check` as
``plandsl check``), refuses to render when they have errors, and returns the
document as one string: callers write it atomically, or not at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plandsl import ast
from plandsl.check import CheckOptions, CheckResult, check
from plandsl.errors import UserError
from plandsl.parser import DEFAULT_MAX_BYTES


class DocumentError(UserError):
    """The document cannot be made: the message says why, with the diagnostics behind it."""

    exit_code = 1

    def __init__(self, message: str, result: CheckResult | None = None):
        super().__init__(message)
        self.result = result


@dataclass
class Document:
    """A rendered document and the check run it was made from."""

    text: str
    result: CheckResult


def _checked(paths, positions, stdin=None, allow_outside_uses: bool = False,
             max_bytes: int = DEFAULT_MAX_BYTES) -> CheckResult:
    """Check the files; when they refer to names declared only in other .plan files of
    their directories (N301), check again with every .plan file of those directories (not
    of the folders below), as ``check DIR`` would: two runs at most, whatever the length
    of a chain of revisions. Standard input loads nothing more."""
    from plandsl.inputs import scan

    options = CheckOptions(allow_outside_uses=allow_outside_uses, max_bytes=max_bytes)
    result = check(list(paths), list(positions), options, stdin)
    if result.failed and result.declared_elsewhere:
        directories = sorted({os.path.dirname(path) or "." for path in result.declared_elsewhere.values()})
        # The directories' own .plan files, where the missing names were found; not the
        # folders below them, which may hold anything.
        context = sorted({path for directory in directories for path in scan(directory, recursive=False)
                          if path not in paths})
        result = check(list(paths) + context, list(positions), options, stdin)
    if any(d.severity.value == "error" for d in result.diagnostics):
        raise DocumentError("cannot make the document: the input has errors", result)
    return result


def _plans_in(result: CheckResult, paths) -> list[ast.Plan]:
    """The plans declared in the files a user named (not in files they only use), in order."""
    from plandsl.files import expand_paths
    from plandsl.inputs import display_path

    wanted = ["<stdin>" if path == "-" else display_path(Path(path)) for path in expand_paths(list(paths))]
    rank = {path: index for index, path in reversed(list(enumerate(wanted)))}  # as wanted.index
    plans = [p for p in result.model.plans.values() if p.span.file in rank]
    return sorted(plans, key=lambda p: (rank[p.span.file], p.span.line))


def render_plan(paths, positions=(), to: str = "md", plan: str | None = None,
                templates: str | os.PathLike | None = None, stdin: bytes | None = None,
                allow_outside_uses: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """One plan as a document; ``plan`` picks it by name when the files hold several."""
    from plandsl.render import render
    from plandsl.views import plan_view

    result = _checked(paths, positions, stdin, allow_outside_uses, max_bytes)
    plans = _plans_in(result, paths)
    if plan is not None:
        plans = [p for p in plans if p.name == plan] or [p for p in result.model.plans.values() if p.name == plan]
    if not plans:
        raise DocumentError(f"no plan named '{plan}'" if plan else "the files hold no plan")
    if len(plans) > 1 and plan is None:
        names = ", ".join(p.name for p in plans)
        raise DocumentError(f"the files hold several plans ({names}): choose one with --plan")
    view = plan_view(result, result.model, plans[0])
    return Document(render(to, "plan", view, templates), result)


def render_comparison(paths, positions=(), to: str = "md", templates: str | os.PathLike | None = None,
                      ideals: bool = True, allow_outside_uses: bool = False, stdin: bytes | None = None,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """The plans in ``paths`` side by side, with each party's ideals as a column of their own.
    ``-`` in ``paths`` reads ``stdin``."""
    from plandsl.redlines import evaluate
    from plandsl.render import render
    from plandsl.views import comparison_view

    result = _checked(paths, positions, stdin, allow_outside_uses, max_bytes)
    plans = _plans_in(result, paths)
    if not plans:
        raise DocumentError("the files hold no plan")
    model = result.model
    ideal_plans = _ideal_plans(model) if ideals else []
    if ideal_plans:
        # The ideals join this run's own model as plans, so that every red line is
        # judged against them like any plan. The model is not shared beyond the run.
        plans += ideal_plans
        for pseudo in ideal_plans:
            model.plans.setdefault(pseudo.name, pseudo)
        verdicts, spectrum, _ = evaluate(model, CheckOptions().redline_severity)
        result = CheckResult(result.files, result.diagnostics, verdicts, spectrum, result.options, model)
    view = comparison_view(result, model, plans, frozenset(p.name for p in ideal_plans))
    return Document(render(to, "compare", view, templates), result)


def _ideal_plans(model) -> list[ast.Plan]:
    """Each party's ideal clauses as a plan of one point, to be compared like a real one."""
    found = []
    for positions in model.positions:
        clauses = tuple(item.clause for item in positions.items if isinstance(item, ast.Ideal))
        if not clauses:
            continue
        party = model.declarations.get(positions.party.name)
        label = party.label if party and party.label else positions.party.name
        name = f"{positions.party.name}_ideal"
        if name in model.plans or any(p.name == name for p in found):
            continue
        found.append(ast.Plan(name, f"{label}'s ideal", (ast.Point(1, None, clauses, span=positions.span),),
                              span=positions.span))
    return found
