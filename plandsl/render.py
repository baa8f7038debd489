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
import os
import re
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from plandsl.errors import UserError
from plandsl.lexer import CONTROL_CHARACTER

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("md", "html", "json")


class RenderError(UserError):
    """A template could not be found or failed; the message says which and why."""


class _InsideDirectoryLoader(BaseLoader):
    """Loads templates from one directory, and refuses anything that resolves outside it.

    A name that leads outside (through '..', an absolute path or a symlink) is an
    error, not a miss: falling back to the shipped template would hide it.
    """

    def __init__(self, directory: str | os.PathLike):
        self.root = Path(directory).resolve()
        if not self.root.is_dir():
            raise RenderError(f"the templates directory {directory} does not exist")

    def get_source(self, environment, template):
        unresolved = self.root / template
        path = unresolved.resolve()
        if path != self.root and self.root not in path.parents:
            if os.path.lexists(unresolved) or ".." in Path(template).parts or Path(template).is_absolute():
                raise RenderError(f"template '{template}' leads outside the templates directory {self.root}")
            raise TemplateNotFound(template)
        if not path.is_file():
            raise TemplateNotFound(template)
        source = path.read_text(encoding="utf-8")
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


def environment(kind: str, templates: str | os.PathLike | None = None) -> SandboxedEnvironment:
    """The Jinja environment for one output kind; ``templates`` overrides the packaged ones."""
    loaders = []
    if templates is not None:
        loaders.append(_InsideDirectoryLoader(templates))
    loaders.append(FileSystemLoader(str(PACKAGE_TEMPLATES)))
    env = SandboxedEnvironment(
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


def render(kind: str, document: str, view: dict, templates: str | os.PathLike | None = None) -> str:
    """Render a view model: ``document`` is ``plan`` or ``compare``; ``kind`` md, html or json."""
    if kind == "json":
        # json escapes C0 controls itself; DEL, C1 and the BiDi controls it leaves raw.
        text = json.dumps(view, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        return CONTROL_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    name = f"{document}.{kind}.j2"
    env = environment(kind, templates)
    try:
        template = env.get_template(name)
        text = template.render(**{"plan" if document == "plan" else "comparison": view})
    except TemplateNotFound as error:
        raise RenderError(f"template '{error.name}' not found") from None
    except RenderError:
        raise
    except Exception as error:  # noqa: BLE001 - a user's template may fail in any way
        raise RenderError(f"template '{name}' failed: {type(error).__name__}: {error}") from None
    if kind == "md":
        # Templates mark separations with blank lines freely; one is enough.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return _inert(text)


def _inert(text: str) -> str:
    """A document that acts on no terminal it is printed to: S112 refuses control characters in
    plans, and this catches any that a string's escapes or a user's template still bring.
    A carriage return becomes a line feed, as an HTML parser reads it anyway."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTER.sub("\N{REPLACEMENT CHARACTER}", text)

