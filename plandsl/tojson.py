"""AST -> JSON-ready data, for ``plandsl parse --format json`` and other tools.

Each node becomes an object with ``"node"`` (its class name), its fields, and
``"span"``. Numbers stay exact: integral ones are JSON integers, others strings.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from plandsl import ast


def span_to_json(span: ast.Span) -> dict:
    """A span as ``{"file", "line", "column", "end_line", "end_column"}``."""
    return {"file": span.file, "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column}


def to_json(value):
    """Any AST node or value as plain JSON data."""
    if isinstance(value, ast.Node):
        data = {"node": type(value).__name__}
        for f in fields(value):
            if f.name != "span":
                data[f.name] = to_json(getattr(value, f.name))
        data["span"] = span_to_json(value.span)
        return data
    if isinstance(value, tuple):
        return [to_json(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value
