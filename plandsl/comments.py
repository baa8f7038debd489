"""Which statement a comment belongs to: one rule for the formatter and for suppressions.

A *statement* is what the formatter prints on lines of its own: a ``use``, a
declaration, a property, a plan, point or option, an ``unknown``, a clause,
``positions``, a red line, a requirement, an ideal, a ``flexible``. A block
statement (a declaration with properties, a plan, point, option, positions or
red line) is its head and its closing brace; its items are statements of their
own. The clause inside a requirement or an ideal is part of that statement.

A comment belongs to, in this order:

1. the last statement that starts before it on its line (``a; b;  # about b``,
   ``point 1 {  # about the point``, the first line of a wrapped clause);
2. else the statement whose end is last before it on its line (the last line of
   a wrapped clause, ``}  # about the block that closes here``);
3. else the statement, not a block, whose lines it sits inside (a comment
   between the lines of a wrapped clause);
4. else the next statement in its block (a comment on its own line above a
   statement); none when it is the last thing in its block or file.

The formatter prints a comment where this rule gives the same answer after
formatting: a comment of rule 1 or 2 stays at the end of its statement's line
(its first line for a block head, ``}`` for a block end), a comment of rule 3 or
a comment of rule 1 on a statement the formatter joins onto one line moves
above it (rule 4). So ``# plandsl: ignore[...]`` covers the same diagnostics
before and after ``plandsl fmt``. Everything here is n log n in the file's size.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from plandsl import ast

#: Statements that hold other statements between braces.
BLOCKS = (ast.Plan, ast.Point, ast.Option, ast.Positions, ast.RedLine)


def is_block(node: ast.Node) -> bool:
    """True for a statement printed as ``head {`` ... ``}``."""
    return isinstance(node, BLOCKS) or (isinstance(node, ast.Declaration) and bool(node.properties))


def _items(node: ast.Node) -> tuple:
    if isinstance(node, ast.Declaration):
        return node.properties
    if isinstance(node, BLOCKS):
        return node.items
    return ()


class Statements:
    """The statements of one file, in source order, indexed for the questions comments ask."""

    def __init__(self, tree: ast.PlanFile):
        self.nodes: list[ast.Node] = []  # in order of their start
        self.parent: list[int] = []  # index of the enclosing block, or -1
        stack = [(node, -1) for node in reversed(tree.statements)]
        while stack:
            node, parent = stack.pop()
            index = len(self.nodes)
            self.nodes.append(node)
            self.parent.append(parent)
            stack.extend((child, index) for child in reversed(_items(node)))
        # A tree the parser built lists statements in source order; a hand-made one may not.
        order = sorted(range(len(self.nodes)), key=lambda i: (self.nodes[i].span.line, self.nodes[i].span.column))
        if order != list(range(len(order))):
            where = {old: new for new, old in enumerate(order)}
            self.nodes = [self.nodes[i] for i in order]
            self.parent = [where[self.parent[i]] if self.parent[i] >= 0 else -1 for i in order]
        self.starts = [(node.span.line, node.span.column) for node in self.nodes]
        self.leaves = [i for i, node in enumerate(self.nodes) if not is_block(node)]
        self.leaf_starts = [self.starts[i] for i in self.leaves]
        self.starting: dict[int, list[int]] = {}
        self.ending: dict[int, list[int]] = {}
        for i, node in enumerate(self.nodes):
            self.starting.setdefault(node.span.line, []).append(i)
            self.ending.setdefault(node.span.end_line, []).append(i)

    def owner_of_comment(self, comment: ast.Comment) -> ast.Node | None:
        """The statement ``comment`` belongs to (the module's four rules), or None."""
        line, column = comment.span.line, comment.span.column
        before = [i for i in self.starting.get(line, ()) if self.nodes[i].span.column < column]
        if before:
            return self.nodes[max(before, key=lambda i: self.nodes[i].span.column)]
        ended = [i for i in self.ending.get(line, ()) if self.nodes[i].span.end_column <= column]
        if ended:
            return self.nodes[max(ended, key=lambda i: self.nodes[i].span.end_column)]
        position = (line, column)
        leaf = bisect_left(self.leaf_starts, position) - 1
        if leaf >= 0:
            node = self.nodes[self.leaves[leaf]]
            if position < (node.span.end_line, node.span.end_column):
                return node
        following = bisect_right(self.starts, position)
        if following < len(self.nodes) and self.parent[following] == self._innermost(position):
            return self.nodes[following]
        return None  # the last thing in its block, or in the file

    def owner_of_position(self, line: int, column: int) -> ast.Node | None:
        """The innermost statement whose text holds (line, column), or None."""
        index = self._innermost((line, column))
        return self.nodes[index] if index >= 0 else None

    def _innermost(self, position: tuple[int, int]) -> int:
        # Statements nest: the innermost holding the position is the last one to start
        # before it, or the nearest of that one's enclosing blocks that still holds it.
        index = bisect_right(self.starts, position) - 1
        while index >= 0:
            span = self.nodes[index].span
            if position < (span.end_line, span.end_column):
                return index
            index = self.parent[index]
        return -1


def comment_owners(tree: ast.PlanFile, comments: Iterable[ast.Comment]) -> list[ast.Node | None]:
    """The statement each comment belongs to, in the order given."""
    statements = Statements(tree)
    return [statements.owner_of_comment(comment) for comment in comments]

