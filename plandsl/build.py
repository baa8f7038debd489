"""``plandsl build``: every document a project file lists, written or checked for staleness.

The project file (``plandsl.toml``) lists documents::

    [[document]]
    kind = "plan"                       # or "compare"
    plans = ["examples/ukraine-2025/us-28-point.plan"]
    positions = ["examples/ukraine-2025/russia.plan"]
    to = "md"                           # md or html (plan documents also json)
    output = "examples/ukraine-2025/documents/us-28-point.md"
    # plan = "us_28_point"              # when the files hold several plans
    # templates = "templates/"          # overrides, inside the project

Paths are relative to the project file and must stay inside its directory
(symlinks resolved) unless ``--allow-outside-project``. Every document is made
before any is written, so a failing document leaves all outputs as they were;
the changed ones are then written to temporaries, which are renamed into place
in one short pass.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plandsl import files
from plandsl.errors import UserError
from plandsl.inputs import display_path, quote_path, read_file, resolve


class BuildError(UserError):
    """The project cannot be built; ``exit_code`` is 1 for problems in the input, 2 for the rest."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class BuildReport:
    """What a build did: how many documents, and which were (or would be) rewritten."""

    total: int = 0
    stale: list[str] = field(default_factory=list)


_KEYS = {"kind", "plans", "positions", "to", "output", "plan", "templates"}
_FORMATS = {"plan": ("md", "html", "json"), "compare": ("md", "html")}


def _validate(entry, where: str) -> None:
    """Each key of a [[document]] with the type and values it takes."""
    if not isinstance(entry, dict):
        raise BuildError(f"{where}: a [[document]] is a table of keys")
    unknown = set(entry) - _KEYS
    if unknown:
        raise BuildError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    for key in ("plans", "output"):
        if key not in entry:
            raise BuildError(f"{where}: needs '{key}'")
    for key in ("plans", "positions"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise BuildError(f"{where}: '{key}' is a list of paths, such as [\"plan.plan\"]")
    for key in ("output", "plan", "templates"):
        if key in entry and not isinstance(entry[key], str):
            raise BuildError(f"{where}: '{key}' is a string")
    kind = entry.get("kind", "plan")
    if kind not in _FORMATS:
        raise BuildError(f"{where}: 'kind' is \"plan\" or \"compare\", not {kind!r}")
    if entry.get("to", "md") not in _FORMATS[kind]:
        raise BuildError(f"{where}: 'to' for a {kind} document is one of {', '.join(_FORMATS[kind])}, "
                         f"not {entry.get('to')!r}")


def build(project: str | os.PathLike, check_only: bool = False, progress=None,
          allow_outside_project: bool = False) -> BuildReport:
    """Make every document of ``project``; write the changed ones unless ``check_only``.

    The paths a document names (plans, positions, templates, output) must lead inside
    the project directory, symlinks resolved, unless ``allow_outside_project``.
    """
    from plandsl.documents import DocumentError, render_comparison, render_plan
    from plandsl.loader import InputError
    from plandsl.render import RenderError

    from plandsl.parser import DEFAULT_MAX_BYTES

    project = Path(project)
    shown = quote_path(project)
    try:
        data = read_file(project, DEFAULT_MAX_BYTES)
        if len(data) > DEFAULT_MAX_BYTES:
            raise BuildError(f"{shown} is larger than {DEFAULT_MAX_BYTES // 2**20} MiB")
        settings = tomllib.loads(data.decode("utf-8"))
        base = resolve(project).parent
    except OSError as error:
        raise BuildError(f"cannot read {shown}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise BuildError(f"{shown} is not valid TOML: it is not UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"{shown} is not valid TOML: {error}") from None
    documents = settings.get("document", [])
    if not isinstance(documents, list) or not documents:
        raise BuildError(f"{shown} lists no [[document]]")
    specs = _documents(shown, documents, base, allow_outside_project)
    made: list[tuple[str, Path, bytes]] = []
    for index, spec in enumerate(specs, 1):
        entry, where = spec.entry, spec.where
        if progress is not None and len(documents) > 3:
            print(f"[{index}/{len(documents)}] {entry['output']}", file=progress)
        try:
            with _relative_to(base):
                if entry.get("kind", "plan") == "compare":
                    document = render_comparison(spec.plans, spec.positions, entry.get("to", "md"), spec.templates)
                else:
                    document = render_plan(spec.plans, spec.positions, entry.get("to", "md"), entry.get("plan"),
                                           spec.templates)
        except InputError as error:
            raise BuildError(f"{where}: {error}") from None
        except DocumentError as error:
            if error.result is not None:
                _print_problems(error.result, progress)
            raise BuildError(f"{where}: {error}", exit_code=1) from None
        except RenderError as error:
            raise BuildError(f"{where}: {error}") from None
        made.append((where, spec.output, document.text.encode("utf-8")))
    report = BuildReport(total=len(made))
    stale = [(where, output, data) for where, output, data in made if _differs(output, data)]
    report.stale = [display_path(output) for _, output, _ in stale]
    if not check_only:
        files.remove_stale_temporaries([os.path.realpath(output) for _, output, _ in made])
        if stale:
            _write_all(stale)
    return report


@dataclass
class _Document:
    """A [[document]] entry, its name in messages, and the paths it names."""

    entry: dict
    where: str
    plans: list[str]
    positions: list[str]
    templates: str | None
    output: Path


def _documents(shown: str, documents: list, base: Path, allow_outside: bool) -> list[_Document]:
    """Each document's entry and paths, checked before any is made.

    Besides each key's type and value: every path inside the project (unless
    ``allow_outside``), no two documents writing one file, and no document
    writing over a plan or position file that a document reads.
    """
    specs = []
    for index, entry in enumerate(documents, 1):
        where = f"{shown}, document {index}"
        _validate(entry, where)
        inside = _Inside(base, where, allow_outside)
        specs.append(_Document(
            entry, where,
            plans=[inside("plans", p) for p in entry["plans"]],
            positions=[inside("positions", p) for p in entry.get("positions", [])],
            templates=inside("templates", entry["templates"]) if entry.get("templates") else None,
            output=Path(inside("output", entry["output"]))))
    inputs = {os.path.realpath(path) for spec in specs for path in spec.plans + spec.positions}
    writers: dict[str, int] = {}
    for index, spec in enumerate(specs, 1):
        real = os.path.realpath(spec.output)
        if real in inputs:
            raise BuildError(f"{spec.where}: 'output' names {spec.entry['output']!r}, which a document reads "
                             "as a plan")
        if real in writers:
            raise BuildError(f"{spec.where}: 'output' names {spec.entry['output']!r}, which document "
                             f"{writers[real]} writes too")
        writers[real] = index
    return specs


class _Inside:
    """The path a document's key names, refused when it leads outside the project."""

    def __init__(self, base: Path, where: str, allow_outside: bool):
        self.base, self.where, self.allow_outside = base, where, allow_outside

    def __call__(self, key: str, value: str) -> str:
        path = self.base / value
        if not self.allow_outside and not Path(os.path.realpath(path)).is_relative_to(self.base):
            raise BuildError(f"{self.where}: '{key}' names {value!r}, outside the project directory {self.base} "
                             "(--allow-outside-project allows it)")
        return str(path)


def _differs(output: Path, data: bytes) -> bool:
    """Whether ``output`` is missing or holds other bytes (not UTF-8 text included)."""
    try:
        if output.stat().st_size != len(data) or not output.is_file():
            return True
        return output.read_bytes() != data
    except OSError:
        return True


def _write_all(stale: list[tuple[str, Path, bytes]]) -> None:
    """Write every stale output to a temporary, then rename them all in one pass.

    A failure before the renames leaves every output as it was, with no temporary
    and no directory of ours left; SIGINT and SIGTERM wait for the pass to end, so
    an interrupted build leaves old outputs or new ones, not a mix. (Only SIGKILL, or
    a failing rename, in that short pass can leave a mix.)
    """
    created: list[Path] = []
    pending: list[files.Pending] = []
    try:
        for where, output, data in stale:
            try:
                created.extend(_make_directories(output.parent))
                pending.append(files.prepare(output, data))
            except OSError as error:
                raise BuildError(f"{where}: cannot write {display_path(output)}: {error.strerror or error}") from None
        with files.signals_held():
            for (where, output, _), item in zip(stale, pending):
                try:
                    files.commit(item)
                except OSError as error:
                    raise BuildError(f"{where}: cannot write {display_path(output)}: "
                                     f"{error.strerror or error}") from None
    except BaseException:
        for item in pending:
            files.discard(item)
        for directory in reversed(created):
            try:
                directory.rmdir()
            except OSError:
                pass
        raise


def _make_directories(directory: Path) -> list[Path]:
    """Create ``directory`` and its missing parents; returns those created, outermost first."""
    missing = []
    while not directory.exists() and not directory.is_symlink() and directory.parent != directory:
        missing.append(directory)
        directory = directory.parent
    missing.reverse()
    for each in missing:
        each.mkdir()
    return missing


def _print_problems(result, stream) -> None:
    from plandsl.commands import print_diagnostics

    if stream is not None:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        print_diagnostics(errors, result.files, stream)


class _relative_to:
    """Run with the project's directory as the working directory, so that documents
    name files the same way wherever the build is started from."""

    def __init__(self, directory: Path):
        self.directory = directory

    def __enter__(self):
        self.previous = os.getcwd()
        os.chdir(self.directory)

    def __exit__(self, *exc):
        os.chdir(self.previous)
