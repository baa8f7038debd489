"""View models -> documents: Jinja2 templates for Markdown and HTML, and JSON.

Each output kind has its own environment (``StrictUndefined``, ``trim_blocks``,
``lstrip_blocks``, ``keep_trailing_newline``): HTML autoescapes, Markdown escapes
user text with the ``md`` filter. The templates ship in the package; a user's
``--templates DIR`` overrides any of them by name. User templates run in Jinja's
sandbox, and can load only files inside DIR: a path or symlink that leads
outside is refused.
"""

from __future__ import annotations

import json
import math
import os
import re
import selectors
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from plandsl.errors import UserError
from plandsl.inputs import quote_path, read_file, resolve
from plandsl.lexer import CONTROL_CHARACTER

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("md", "html", "json")
MAX_TEMPLATE_BYTES = 16 * 1024 * 1024


class RenderError(UserError):
    """A template could not be found or failed; the message says which and why."""


class _InsideDirectoryLoader(BaseLoader):
    """Loads templates from one directory, and refuses anything that resolves outside it.

    A name that leads outside (through '..', an absolute path or a symlink) is an
    error, not a miss: falling back to the shipped template would hide it.
    """

    def __init__(self, directory: str | os.PathLike):
        shown = quote_path(directory)
        try:
            self.root = resolve(directory)
        except OSError:
            raise RenderError(f"the templates directory {shown} is a symlink that leads into a loop") from None
        if not self.root.is_dir():
            raise RenderError(f"the templates directory {shown} does not exist")

    def get_source(self, environment, template):
        unresolved = self.root / template
        try:
            path = resolve(unresolved)
        except OSError:
            raise RenderError(f"template '{template}' is a symlink that leads into a loop") from None
        if path != self.root and self.root not in path.parents:
            if os.path.lexists(unresolved) or ".." in Path(template).parts or Path(template).is_absolute():
                raise RenderError(f"template '{template}' leads outside the templates directory "
                                  f"{quote_path(self.root)}")
            raise TemplateNotFound(template)
        if not path.exists():
            raise TemplateNotFound(template)
        try:  # only a regular file, and no larger than a plan may be: a FIFO would block
            data = read_file(path, MAX_TEMPLATE_BYTES)
        except OSError as error:
            raise RenderError(f"cannot read template '{template}': {error.strerror or error}") from None
        if len(data) > MAX_TEMPLATE_BYTES:
            raise RenderError(f"template '{template}' is larger than {MAX_TEMPLATE_BYTES // 2**20} MiB")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RenderError(f"template '{template}' is not UTF-8 text") from None
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# What would start a block at the beginning of a line: a list, a heading underline.
_BLOCK_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def markdown_escape(text) -> str:
    """User text made inert in Markdown: no emphasis, links, entities, headings, lists,
    code blocks, or table cells split; always one line."""
    text = _LINE_BREAKS.sub(" ", str(text)).replace("\t", " ").strip()  # leading spaces would make a code block
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def _footnote_marks(numbers) -> str:
    return "".join(f"<sup>{n}</sup>" for n in numbers)


@dataclass(frozen=True)
class TemplateLimits:
    """What a user's template may spend on one document.

    ``seconds`` of wall-clock time and ``memory`` bytes beyond what plandsl holds
    when the document starts; ``repeat`` is the longest string, list or number
    (in characters, items or digits) that ``*`` or ``**`` may make.
    """

    seconds: float = 10.0
    memory: int = 512 * 2**20
    repeat: int = 10_000_000


TEMPLATE_LIMITS = TemplateLimits()


class _Refused(Exception):
    """An operation a template may not do: the message says what and the limit."""


class _LimitedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, which keeps a template from reaching outside, with ``*`` and ``**``
    refused beyond a size: ``'a' * 10**9`` is an error before it allocates anything."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args, repeat: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.repeat = repeat

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and \
                        len(sequence) * count > self.repeat:
                    unit = "characters" if isinstance(sequence, str) else "items"
                    raise _Refused(f"it repeats a {type(sequence).__name__} to {len(sequence) * count:,} "
                                   f"{unit}; at most {self.repeat:,} are allowed")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            digits = right * math.log10(abs(left))
            if digits > min(self.repeat, 4000):
                raise _Refused(f"it raises {left} to the power {right:,}, a number of about "
                                  f"{digits:,.0f} digits; at most {min(self.repeat, 4000):,} are allowed")
        return super().call_binop(context, operator, left, right)


def environment(kind: str, templates: str | os.PathLike | None = None,
                limits: TemplateLimits = TEMPLATE_LIMITS) -> SandboxedEnvironment:
    """The Jinja environment for one output kind; ``templates`` overrides the packaged ones."""
    loaders = []
    if templates is not None:
        loaders.append(_InsideDirectoryLoader(templates))
    loaders.append(FileSystemLoader(str(PACKAGE_TEMPLATES)))
    env = _LimitedEnvironment(
        repeat=limits.repeat,
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=kind == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["footnote_marks"] = _footnote_marks
    return env


def render(kind: str, document: str, view: dict, templates: str | os.PathLike | None = None,
           limits: TemplateLimits = TEMPLATE_LIMITS) -> str:
    """Render a view model: ``document`` is ``plan`` or ``compare``; ``kind`` md, html or json.

    With ``templates``, the document is made in a child process held to ``limits``
    (where the system can fork): a user's template that loops for ever or fills the
    memory is stopped with a :class:`RenderError`, and plandsl goes on.
    """
    if kind == "json":
        # json escapes C0 controls itself; DEL, C1 and the BiDi controls it leaves raw.
        text = json.dumps(view, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        return CONTROL_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    name = f"{document}.{kind}.j2"

    def make() -> str:
        env = environment(kind, templates, limits)
        try:
            template = env.get_template(name)
            return template.render(**{"plan" if document == "plan" else "comparison": view})
        except TemplateNotFound as error:
            raise RenderError(f"template '{error.name}' not found") from None
        except RenderError:
            raise
        except _Refused as error:
            raise RenderError(f"template '{name}' is refused: {error}") from None
        except MemoryError:
            raise RenderError(f"template '{name}' needed more than {limits.memory // 2**20:,} MiB of memory") from None
        except Exception as error:  # noqa: BLE001 - a user's template may fail in any way
            raise RenderError(f"template '{name}' failed: {type(error).__name__}: {error}") from None

    text = make() if templates is None else _contained(make, name, limits)
    if kind == "md":
        # Templates mark separations with blank lines freely; one is enough.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return _inert(text)


def _contained(make, name: str, limits: TemplateLimits) -> str:
    """``make()`` run in a forked child with its memory and time bounded.

    A child process, not a check inside the sandbox, because nothing else bounds
    everything a template can call: a filter (``center``, ``indent``, ``format``) or
    Jinja's own constant folding at compile time can allocate or compute without
    returning to any hook. The operating system's limits hold for all of it, and
    killing a child is safe where interrupting a thread is not.
    """
    if not hasattr(os, "fork"):  # no fork (Windows): the sandbox's size limits only
        return make()
    deadline = time.monotonic() + limits.seconds
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(reader)
            _bound_this_process(limits)
            try:
                payload = b"ok\0" + make().encode("utf-8", "surrogatepass")
            except RenderError as error:
                payload = b"error\0" + str(error).encode("utf-8", "replace")
            except MemoryError:
                payload = b"memory\0"
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    chunks = []
    waiting = selectors.DefaultSelector()  # not select.select: it fails on descriptors past 1023
    waiting.register(reader, selectors.EVENT_READ)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not waiting.select(left):
                os.kill(pid, signal.SIGKILL)
                raise RenderError(f"template '{name}' ran for more than {limits.seconds:g} seconds and was stopped")
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        waiting.close()
        os.close(reader)
        os.waitpid(pid, 0)
    kind, _, body = b"".join(chunks).partition(b"\0")
    if kind == b"ok":
        return body.decode("utf-8", "surrogatepass")
    if kind == b"error":
        raise RenderError(body.decode("utf-8"))
    # No answer: the child ran out of memory (or of CPU time) before it could say so.
    raise RenderError(f"template '{name}' needed more than {limits.memory // 2**20:,} MiB of memory "
                      f"or {limits.seconds:g} seconds and was stopped")


def _bound_this_process(limits: TemplateLimits) -> None:
    """Address space and CPU time limits for the child, on top of what it inherited."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + limits.memory, size + limits.memory))
    except (OSError, ValueError):
        pass  # no /proc, or a hard limit already lower: the system's own limits hold
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + limits.seconds) + 1
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (OSError, ValueError):
        pass


def _inert(text: str) -> str:
    """A document that acts on no terminal it is printed to: S112 refuses control characters in
    plans, and this catches any that a string's escapes or a user's template still bring.
    A carriage return becomes a line feed, as an HTML parser reads it anyway."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTER.sub("\N{REPLACEMENT CHARACTER}", text)

