"""plandsl: negotiated settlements (peace plans, armistices, treaties) as code.

The public API, imported lazily so that the command line starts fast:

- :func:`parse` (text -> :class:`ParseResult`), :func:`parse_file`
- :func:`load` (files and everything they ``use`` -> :class:`Program`)
- :func:`format_source` (text -> :class:`FormatResult`)
- :func:`check` (files -> :class:`CheckResult`: diagnostics, red-line verdicts,
  spectrum), :class:`CheckOptions`. ``plandsl.check`` is also the name of the module
  that holds the function, and Python binds a package's attribute to a submodule
  once it is imported; so ``plandsl.check`` is that module, made callable:
  ``plandsl.check(paths)`` runs the function, and ``from plandsl.check import check``
  works as well. Both name the same thing whatever was imported first.
- :func:`render_plan`, :func:`render_comparison` (files -> documents)
- :mod:`plandsl.ast` (the syntax tree) and :mod:`plandsl.diagnostics`
"""

__version__ = "0.1.0"

_LAZY = {
    "parse": ("plandsl.parser", "parse"),
    "parse_file": ("plandsl.parser", "parse_file"),
    "ParseResult": ("plandsl.parser", "ParseResult"),
    "load": ("plandsl.loader", "load"),
    "Program": ("plandsl.loader", "Program"),
    "format_source": ("plandsl.formatter", "format_source"),
    "format_tree": ("plandsl.formatter", "format_tree"),
    "FormatResult": ("plandsl.formatter", "FormatResult"),
    "check": ("plandsl.check", None),
    "CheckOptions": ("plandsl.check", "CheckOptions"),
    "CheckResult": ("plandsl.check", "CheckResult"),
    "render_plan": ("plandsl.documents", "render_plan"),
    "render_comparison": ("plandsl.documents", "render_comparison"),
    "Diagnostic": ("plandsl.diagnostics", "Diagnostic"),
    "Severity": ("plandsl.diagnostics", "Severity"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        imported = importlib.import_module(module)
        return imported if attribute is None else getattr(imported, attribute)
    raise AttributeError(f"module 'plandsl' has no attribute {name!r}")
