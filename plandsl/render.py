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

from jinja2 import (BaseLoader, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateNotFound)
from jinja2.sandbox import SandboxedEnvironment

from plandsl.errors import UserError

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
KINDS = ("md", "html", "json")


class RenderError(UserError):
    """A template could not be found or failed; the message says which and why."""


class _InsideDirectoryLoader(BaseLoader):
    """Loads templates from one directory, and refuses anything that resolves outside it."""

    def __init__(self, directory: str | os.PathLike):
        self.root = Path(directory).resolve()

    def get_source(self, environment, template):
        path = (self.root / template).resolve()
        if path != self.root and self.root not in path.parents:
            raise TemplateNotFound(template)  # outside the directory, through '..' or a symlink
        if not path.is_file():
            raise TemplateNotFound(template)
        source = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def markdown_escape(text) -> str:
    """User text made inert in Markdown: no emphasis, links, headings, or table cells split."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    text = text.replace("\r\n", "\n").replace("\n", " ")
    # A leading '-', '=' or 'N.' would start a list or a heading underline.
    return re.sub(r"^(\s*)([-=]|\d+\.)", lambda m: m.group(1) + "\\" + m.group(2), text)


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
        return json.dumps(view, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    env = environment(kind, templates)
    name = f"{document}.{kind}.j2"
    try:
        template = env.get_template(name)
        text = template.render(**{"plan" if document == "plan" else "comparison": view})
    except TemplateNotFound as error:
        raise RenderError(f"template '{error.name}' not found") from None
    except Exception as error:  # noqa: BLE001 - a user's template may fail in any way
        raise RenderError(f"template '{name}' failed: {type(error).__name__}: {error}") from None
    if kind == "md":
        # Templates mark separations with blank lines freely; one is enough.
        text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    return text

