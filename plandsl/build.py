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

Paths are relative to the project file. Every document is made before any is
written, so a failing document leaves all outputs as they were; each is then
written atomically, and only when its text changed.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plandsl.errors import UserError
from plandsl.files import write_atomic


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


def build(project: str | os.PathLike, check_only: bool = False, progress=None) -> BuildReport:
    """Make every document of ``project``; write the changed ones unless ``check_only``."""
    from plandsl.documents import DocumentError, render_comparison, render_plan
    from plandsl.loader import InputError
    from plandsl.render import RenderError

    from plandsl.inputs import display_path, quote_path, read_file, resolve
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
        raise BuildError(f"{shown} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"{shown} is not valid TOML: {error}") from None
    documents = settings.get("document", [])
    if not isinstance(documents, list) or not documents:
        raise BuildError(f"{shown} lists no [[document]]")
    made: list[tuple[Path, str]] = []
    for index, entry in enumerate(documents, 1):
        where = f"{shown}, document {index}"
        _validate(entry, where)
        plans = [str(base / p) for p in entry["plans"]]
        positions = [str(base / p) for p in entry.get("positions", [])]
        templates = str(base / entry["templates"]) if entry.get("templates") else None
        output = base / entry["output"]
        if progress is not None and len(documents) > 3:
            print(f"[{index}/{len(documents)}] {entry['output']}", file=progress)
        try:
            with _relative_to(base):
                if entry.get("kind", "plan") == "compare":
                    document = render_comparison(plans, positions, entry.get("to", "md"), templates)
                else:
                    document = render_plan(plans, positions, entry.get("to", "md"), entry.get("plan"), templates)
        except InputError as error:
            raise BuildError(f"{where}: {error}") from None
        except DocumentError as error:
            if error.result is not None:
                _print_problems(error.result, progress)
            raise BuildError(f"{where}: {error}", exit_code=1) from None
        except RenderError as error:
            raise BuildError(f"{where}: {error}") from None
        made.append((output, document.text))
    report = BuildReport(total=len(made))
    for output, text in made:
        try:  # one byte more than the new text is enough to tell; a FIFO is never read
            current = read_file(output, len(text.encode("utf-8")) * 2 + 2).decode("utf-8")
            current = current.replace("\r\n", "\n").replace("\r", "\n")  # as read_text did
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            report.stale.append(display_path(output))
            if not check_only:
                output.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(output, text)
    return report


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
