"""Files -> a set of parsed files: follows ``use``, finds cycles and names declared twice.

:func:`load` parses each file it is given and every file those use, once each
(by real path), in a stable order. It reports:

- F201 when a used file cannot be read,
- F202 when files use each other in a cycle (a file using itself included),
- F203 when a name is declared twice within what one input file sees: itself and
  the files it uses, directly or not. Two unrelated inputs may reuse a name;
- F205 when a used file is a directory, a FIFO or a device: only regular files
  are read (a FIFO would block the run);
- F206 when a used file, or an input file, is a symlink that leads into a loop;
- F204 when ``use`` would read a file outside the project directory: the
  directory of the nearest ``plandsl.toml`` above the input file; else the
  working directory, when the input file is inside it; else the input file's own
  directory. A symlink that leads outside counts as outside.
  A plan from an untrusted source must not pull in ``/etc/passwd``; the caller
  can allow it (``allow_outside=True``, ``--allow-outside-uses``). An input
  file that is a symlink leading out of its project (found by a directory scan,
  or named) is refused the same way.

Reading the files a user named is not the loader's to report: an unreadable
input file (missing, no permission, a FIFO) raises :class:`InputError`, which the
CLI turns into exit code 2. A symlink loop or a link out of the project is a
diagnostic on that file instead, and the rest of the run goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from plandsl import ast
from plandsl.diagnostics import Diagnostic, Severity
from plandsl.errors import UserError
from plandsl.inputs import NotARegularFile, is_loop, read_file, resolve
from plandsl.inputs import display_path  # noqa: F401 - also the loader's public name, as before
from plandsl.inputs import quote_path
from plandsl.parser import DEFAULT_MAX_BYTES, ParseResult, parse_bytes

STDIN = "-"


class InputError(UserError):
    """A file the user named cannot be read (missing, a directory, no permission)."""


@dataclass
class Program:
    """Every file loaded for one run, in load order, with all their diagnostics."""

    files: dict[str, ParseResult] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    uses: dict[str, list[str]] = field(default_factory=dict)
    #: The real path of each file read (shown path -> resolved path); not ``<stdin>``.
    real_paths: dict[str, Path] = field(default_factory=dict)

    def closure(self, root: str) -> list[str]:
        """``root`` and every file it uses, directly or not, in load order."""
        seen = {root}
        stack = [root]
        while stack:
            for used in self.uses.get(stack.pop(), []):
                if used not in seen:
                    seen.add(used)
                    stack.append(used)
        return [path for path in self.files if path in seen]

    @property
    def ok(self) -> bool:
        """True when no file has an error-severity diagnostic."""
        return not any(d.severity is Severity.ERROR for d in self.all_diagnostics())

    def all_diagnostics(self) -> list[Diagnostic]:
        """Parse diagnostics of every file, then the loader's own."""
        found = [d for result in self.files.values() for d in result.diagnostics]
        return found + self.diagnostics


def refuse_input(path: Path, shown: str, allow_outside: bool, allow_option: str | None,
                 project: Path | None = None) -> Diagnostic | None:
    """Why an input file (named, or found by a scan) is not read, or None: a symlink
    loop (F206), or a symlink that leads out of the file's project directory (F204,
    unless ``allow_outside``). Other problems are left to reading it."""
    try:
        real = resolve(path)
    except OSError as error:
        if not is_loop(error):
            return None
        return Diagnostic("F206", Severity.ERROR, f"{shown} is a symlink that leads into a loop",
                          ast.Span(shown, 1, 1, 1, 2), "point the link at a .plan file, or remove it")
    project = project if project is not None else project_directory(path.parent)
    if allow_outside or real == project or project in real.parents or not real.exists():
        return None
    allow = f", or allow it with {allow_option}" if allow_option else ""
    return Diagnostic("F204", Severity.ERROR, f"{shown} leads outside the project directory {display_path(project)}",
                      ast.Span(shown, 1, 1, 1, 2), f"name the file itself{allow}")


def project_directory(start: Path) -> Path:
    """Where ``use`` may read: the nearest plandsl.toml's directory at or above ``start``;
    else the working directory, if ``start`` is inside it; else ``start`` itself."""
    try:
        start = resolve(start)
    except OSError:  # a loop above the file: the directory as written
        start = Path(os.path.abspath(start))
    for directory in (start, *start.parents):
        if (directory / "plandsl.toml").is_file():
            return directory
    cwd = resolve(Path.cwd())
    return cwd if start == cwd or cwd in start.parents else start


def load(paths: list[str], stdin_text: bytes | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
         allow_outside: bool = False) -> Program:
    """Parse ``paths`` and everything they use. ``-`` reads ``stdin_text``."""
    program = _Loader(max_bytes, allow_outside)
    for path in paths:
        if path == STDIN:
            program.load_stdin(stdin_text or b"")
        else:
            program.load_root(Path(path))
    program.check_names()
    return program.program


class _Loader:
    def __init__(self, max_bytes: int, allow_outside: bool = False):
        self.max_bytes = max_bytes
        self.allow_outside = allow_outside
        self.program = Program()
        self.by_real_path: dict[Path, str] = {}
        self.projects: dict[Path, Path] = {}  # directory of an input file -> its project directory
        # (name, span, first span) of duplicates reported, so that two inputs using
        # the same two files report them once.
        self.reported_duplicates: set[tuple] = set()

    def load_stdin(self, data: bytes) -> None:
        result = parse_bytes(data, "<stdin>", self.max_bytes)
        self.program.files["<stdin>"] = result
        self.program.roots.append("<stdin>")
        self._follow_uses("<stdin>", result, Path.cwd(), [], project_directory(Path.cwd()))

    def load_root(self, path: Path) -> None:
        shown = display_path(path)
        project = self.projects.get(path.parent)
        if project is None:  # once per directory: a scan gives many files of one directory
            project = self.projects[path.parent] = project_directory(path.parent)
        try:
            refused = refuse_input(path, shown, self.allow_outside, "--allow-outside-uses", project)
            if refused is not None:
                self._refuse_root(refused)
                return
            real = resolve(path)
            data = read_file(path, self.max_bytes)
        except OSError as error:
            raise InputError(f"cannot read {shown}: {error.strerror or error}") from None
        shown = self._add(path, data, [], project, real)
        if shown not in self.program.roots:  # one file named twice, by two spellings
            self.program.roots.append(shown)

    def _refuse_root(self, diagnostic: Diagnostic) -> None:
        """An input file that is not read: a diagnostic on it, and the run goes on."""
        shown = diagnostic.span.file
        if shown in self.program.files:
            return
        self.program.files[shown] = ParseResult(shown, "", None, [diagnostic])
        self.program.roots.append(shown)

    def _add(self, path: Path, data: bytes, chain: list[Path], project: Path, real: Path) -> str:
        if real in self.by_real_path:
            return self.by_real_path[real]
        shown = display_path(path)
        self.by_real_path[real] = shown
        self.program.real_paths[shown] = real
        result = parse_bytes(data, shown, self.max_bytes)
        self.program.files[shown] = result
        self._follow_uses(shown, result, real.parent, chain + [real], project)
        return shown

    def _follow_uses(self, shown: str, result: ParseResult, directory: Path, chain: list[Path],
                     project: Path) -> None:
        used = self.program.uses.setdefault(shown, [])
        if result.tree is None:
            return
        for statement in result.tree.statements:
            if isinstance(statement, ast.Use):
                target = self._use(statement, directory, chain, project)
                if target is not None:
                    used.append(target)

    def _use(self, use: ast.Use, directory: Path, chain: list[Path], project: Path) -> str | None:
        target = directory / use.path
        try:
            real = resolve(target)
        except OSError:
            self._report("F206", f"'{use.path}' is a symlink that leads into a loop", use.span,
                         "point the link at a .plan file, or remove it")
            return None
        if not self.allow_outside and real != project and project not in real.parents:
            self._report("F204", f"'{use.path}' is outside the project directory {display_path(project)}",
                         use.span, "move the file into the project, or allow it with --allow-outside-uses")
            return None
        if real in chain:
            cycle = chain[chain.index(real):] + [real]
            names = " -> ".join(display_path(p) for p in cycle)
            self._report("F202", f"'{use.path}' is used in a cycle: {names}", use.span,
                         "move what both files need into a third file that both use")
            return None
        if real in self.by_real_path:
            return self.by_real_path[real]
        try:
            data = read_file(target, self.max_bytes)
        except NotARegularFile as error:
            self._report("F205", f"cannot use '{use.path}': {error.strerror}", use.span,
                         "'use' names a .plan file, relative to the file that says 'use'")
            return None
        except OSError as error:
            if is_loop(error):
                self._report("F206", f"'{use.path}' is a symlink that leads into a loop", use.span,
                             "point the link at a .plan file, or remove it")
                return None
            self._report("F201", f"cannot read used file '{use.path}': {error.strerror or error}", use.span,
                         "paths in 'use' are relative to the file that says 'use'")
            return None
        return self._add(target, data, chain, project, real)

    def _report(self, code: str, message: str, span: ast.Span, hint: str | None = None) -> None:
        self.program.diagnostics.append(Diagnostic(code, Severity.ERROR, message, span, hint))

    def check_names(self) -> None:
        """F203: top-level names (declarations and plans) and red-line names per positions."""
        for root in self.program.roots:
            self._check_names_in(self.program.closure(root))

    def _check_names_in(self, paths: list[str]) -> None:
        seen: dict[str, ast.Node] = {}
        for path in paths:
            result = self.program.files[path]
            if result.tree is None:
                continue
            for statement in result.tree.statements:
                if isinstance(statement, (ast.Declaration, ast.Plan)):
                    self._unique(seen, statement.name, statement, "")
                elif isinstance(statement, ast.Positions):
                    redlines: dict[str, ast.Node] = {}
                    for item in statement.items:
                        if isinstance(item, ast.RedLine):
                            self._unique(redlines, item.name, item, f" in the positions of '{statement.party.name}'")

    def _unique(self, seen: dict, name: str, node: ast.Node, scope: str) -> None:
        first = seen.get(name)
        if first is None:
            seen[name] = node
            return
        where = f"{first.span.file}:{first.span.line}"
        key = (name, node.span, first.span)
        if key in self.reported_duplicates:
            return
        self.reported_duplicates.add(key)
        self._report("F203", f"'{name}' is declared twice{scope}; first at {where}", node.span.head(),
                     "give one of them another name")



class DeclaredElsewhere:
    """For a name that a loaded file refers to and no loaded file declares: a .plan file
    in the same directory that declares it (the file that ``check DIR`` would load).
    Only the file's own directory is read, not the folders below it; for standard
    input, nothing.

    Called by the model for N301's hint, only on that error path; each directory is
    read once, and only the files not loaded already. :attr:`found` keeps every hit
    (name -> path of the declaring file), for ``render`` and ``compare`` to load them.
    """

    def __init__(self, program: Program, max_bytes: int = DEFAULT_MAX_BYTES):
        self.program = program
        self.max_bytes = max_bytes
        self.loaded = set(program.real_paths.values())
        self.directories: dict[Path, dict[str, Path]] = {}
        self.found: dict[str, str] = {}

    def __call__(self, name: str, file: str) -> str | None:
        real = self.program.real_paths.get(file)
        if real is None:  # standard input has no directory: nothing else is read for it
            return None
        directory = real.parent
        declaring = self._declarations(directory).get(name)
        if declaring is None:
            return None
        self.found[name] = str(declaring)
        return quote_path(os.path.relpath(declaring, directory)).replace(os.sep, "/")

    def _declarations(self, directory: Path) -> dict[str, Path]:
        names = self.directories.get(directory)
        if names is not None:
            return names
        names = self.directories[directory] = {}
        try:
            candidates = sorted(entry.path for entry in os.scandir(directory) if entry.name.endswith(".plan"))
        except OSError:
            return names
        for candidate in candidates:
            try:
                real = resolve(candidate)
                if real in self.loaded or real.parent != directory:
                    continue  # loaded already, or a link that leads elsewhere
                data = read_file(real, self.max_bytes)
            except OSError:
                continue
            tree = parse_bytes(data, display_path(candidate), self.max_bytes).tree
            for statement in tree.statements if tree is not None else ():
                if isinstance(statement, (ast.Declaration, ast.Plan)):
                    names.setdefault(statement.name, Path(candidate))
        return names
