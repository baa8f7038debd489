"""The ``check`` pipeline as one API: files -> model -> rules -> red lines -> one result.

:func:`check` is what ``plandsl check`` runs and what tools call: it loads the
given files (and what they use), builds the semantic model, runs every
consistency rule on every plan, evaluates every red line of every party in the
positions files against every plan, applies inline suppressions, and returns a
:class:`CheckResult` that the report writers render as text, JSON, SARIF or
GitHub annotations.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plandsl.diagnostics import Diagnostic, Severity, sort_diagnostics

if TYPE_CHECKING:
    from plandsl.model import Model


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What a check run evaluates and how strict it is."""

    #: Severity given to a violated red line (R501).
    redline_severity: Severity = Severity.WARNING
    #: Diagnostics at or above this severity make the run fail (exit 1).
    error_on: Severity = Severity.ERROR
    max_bytes: int = 16 * 1024 * 1024
    #: Let ``use`` read files outside the project directory (F204).
    allow_outside_uses: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """One red line of one party, judged against one plan.

    ``verdict`` is ``"satisfied"``, ``"violated"``, ``"not addressed"``, or
    ``"not judged"`` when the red line or the plan could not be read completely;
    ``points`` are the numbers of the points that decide it; ``option`` is set
    when the verdict holds only if that bracketed alternative is chosen
    (``"point 7 option b"``).
    """

    plan: str
    party: str
    id: str
    title: str
    verdict: str
    points: tuple[int, ...]
    explanation: str
    option: str | None = None

    def to_json(self) -> dict:
        """The JSON form used by ``--format json``."""
        return {"plan": self.plan, "party": self.party, "id": self.id, "title": self.title,
                "verdict": self.verdict, "points": list(self.points), "explanation": self.explanation,
                "option": self.option}


@dataclass(frozen=True, slots=True)
class SpectrumEntry:
    """Where a plan sits between two parties' ideals on one numeric issue.

    ``position`` is 0.0 at ``low_party``'s ideal and 1.0 at ``high_party``'s
    (outside that range when the plan goes beyond either); None when the plan is
    silent on the issue.
    """

    plan: str
    issue: str
    low_party: str
    low_value: str
    high_party: str
    high_value: str
    plan_value: str | None
    position: float | None

    def to_json(self) -> dict:
        """The JSON form used by ``--format json``."""
        return {"plan": self.plan, "issue": self.issue, "low_party": self.low_party, "low_value": self.low_value,
                "high_party": self.high_party, "high_value": self.high_value, "plan_value": self.plan_value,
                "position": self.position}


@dataclass
class CheckResult:
    """Everything one check run found, ready for any report format."""

    files: dict[str, str] = field(default_factory=dict)  # shown path -> source text
    diagnostics: list[Diagnostic] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    spectrum: list[SpectrumEntry] = field(default_factory=list)
    options: CheckOptions = field(default_factory=CheckOptions)
    #: The semantic model the run built (for documents); not part of any report.
    model: "Model | None" = field(default=None, repr=False, compare=False)
    #: Names the files refer to but do not declare, each with a file of the same
    #: directory that declares it (N301's hint); render and compare load those files.
    declared_elsewhere: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        """True when a diagnostic reaches the ``error_on`` threshold."""
        return any(d.severity.rank >= self.options.error_on.rank for d in self.diagnostics)

    def summary(self) -> dict:
        """Counts for the one-line summary and the JSON ``summary`` object."""
        counts = {"files": len(self.files), "errors": 0, "warnings": 0, "infos": 0}
        for diagnostic in self.diagnostics:
            counts[{"error": "errors", "warning": "warnings", "info": "infos"}[diagnostic.severity.value]] += 1
        for verdict in ("satisfied", "violated", "not addressed", "not judged"):
            counts[verdict.replace(" ", "_")] = sum(v.verdict == verdict and v.option is None for v in self.verdicts)
        return counts


def check(paths: list[str], positions: list[str] = (), options: CheckOptions | None = None,
          stdin: bytes | None = None) -> CheckResult:
    """Check ``paths`` (files, directories, ``-``) against the red lines in ``positions``.

    Never raises on bad input: every problem is a diagnostic. Unreadable input
    files raise :class:`plandsl.loader.InputError` (the CLI's exit code 2).
    """
    from plandsl.parser import gc_paused

    options = options or CheckOptions()
    with gc_paused():
        return _check(paths, positions, options, stdin)


def _check(paths, positions, options: CheckOptions, stdin: bytes | None) -> CheckResult:
    from plandsl.checker import check_plans
    from plandsl.files import expand_paths
    from plandsl.loader import DeclaredElsewhere, load
    from plandsl.model import build_model
    from plandsl.redlines import evaluate
    from plandsl.suppression import apply_suppressions

    program = load(expand_paths(list(paths)) + expand_paths(list(positions)), stdin, options.max_bytes,
                   options.allow_outside_uses)
    trees = [result.tree for result in program.files.values() if result.tree is not None]
    elsewhere = DeclaredElsewhere(program, options.max_bytes)
    model = build_model(trees, elsewhere, [d for result in program.files.values() for d in result.diagnostics])
    diagnostics = list(program.all_diagnostics()) + model.diagnostics + check_plans(model)
    verdicts, spectrum, redline_diagnostics = evaluate(model, options.redline_severity)
    diagnostics += redline_diagnostics
    comments = {path: result.comments for path, result in program.files.items()}
    trees_by_path = {path: result.tree for path, result in program.files.items() if result.ok}
    diagnostics = apply_suppressions(diagnostics, comments, trees_by_path)
    # In a file with syntax errors the tree is partial: what the checker says of the
    # missing pieces would be noise, so only its syntax errors are reported.
    broken = {path for path, result in program.files.items() if not result.ok}
    # R503 says what was not judged because of them.
    diagnostics = [d for d in diagnostics if d.span.file not in broken or d.code[0] in "SF" or d.code == "R503"]
    return CheckResult(
        files={path: result.text for path, result in program.files.items()},
        diagnostics=sort_diagnostics(diagnostics),
        verdicts=verdicts,
        spectrum=spectrum,
        options=options,
        model=model,
        declared_elsewhere=dict(elsewhere.found),
    )


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`check`: ``plandsl.check`` names both (see plandsl/__init__.py)."""

    def __call__(self, paths: list[str], positions: list[str] = (), options: CheckOptions | None = None,
                 stdin: bytes | None = None) -> CheckResult:
        return check(paths, positions, options, stdin)


sys.modules[__name__].__class__ = _CallableModule
