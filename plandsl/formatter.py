"""AST -> canonical text: the formatter behind ``plandsl fmt``.

The layout is fixed (two-space indents, one statement per line, blocks opened on
the header line), so that two people who write the same plan get the same file.
Comments come from the parse beside the tree and stay with the statement they
belong to (:mod:`plandsl.comments`): at the end of its line, or above it. So
formatting never changes what a ``# plandsl: ignore[...]`` covers.
A single blank line between statements is kept; runs of them are folded.

Formatting never changes meaning: ``parse(format(tree))`` equals ``tree``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from plandsl import ast
from plandsl.comments import comment_owners
from plandsl.diagnostics import Diagnostic

INDENT = "  "
#: Clauses longer than this put their modifiers and citations on their own lines.
LINE_LENGTH = 100


@dataclass(frozen=True, slots=True)
class FormatResult:
    """The formatted text, or None when the source has syntax errors."""

    path: str
    original: str
    formatted: str | None
    diagnostics: list[Diagnostic]

    @property
    def changed(self) -> bool:
        """True when formatting would change the file."""
        return self.formatted is not None and self.formatted != self.original


def format_source(text: str, path: str = "<input>") -> FormatResult:
    """Format the text of one .plan file. Files with syntax errors are left alone."""
    from plandsl.parser import parse

    result = parse(text, path)
    if not result.ok or result.tree is None:
        return FormatResult(path, text, None, result.diagnostics)
    return FormatResult(path, text, format_tree(result.tree, result.comments, text), result.diagnostics)


def format_tree(tree: ast.PlanFile, comments: list[ast.Comment] = (), source: str = "") -> str:
    """Canonical text for a tree; ``comments`` and ``source`` (for blank lines) are optional."""
    printer = _Printer(comments, source, tree)
    printer.statements(tree.statements, top_level=True)
    printer.flush_comments_before(10**12)
    return printer.text()


# ============================================================================
# Values
# ============================================================================

_NUMERATOR_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                    9: "nine"}
_DENOMINATOR_WORDS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"),
                      5: ("fifth", "fifths"), 6: ("sixth", "sixths"), 7: ("seventh", "sevenths"),
                      8: ("eighth", "eighths"), 9: ("ninth", "ninths"), 10: ("tenth", "tenths")}


def number(value: Decimal) -> str:
    """600000 -> '600,000'; 2.5 -> '2.5'."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = format(value, "f")
    whole, _, decimals = text.partition(".")
    return f"{int(whole):,}.{decimals}" if whole.lstrip("-") else text


def fraction(node: ast.Fraction) -> str:
    """one-third, two-thirds, one-tenth; 3/11 where there is no word."""
    n, d = node.numerator, node.denominator
    if n in _NUMERATOR_WORDS and d in _DENOMINATOR_WORDS:
        singular, plural = _DENOMINATOR_WORDS[d]
        return f"{_NUMERATOR_WORDS[n]}-{singular if n == 1 else plural}"
    return f"{n}/{d}"


def string(text: str) -> str:
    """A quoted string literal for ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    escaped = escaped.replace("\r", "\\r")
    return f'"{escaped}"'


def names(refs) -> str:
    """``a, b, c``."""
    return ", ".join(ref.name for ref in refs)


def value(item) -> str:
    """Any value node as source text."""
    if isinstance(item, ast.Ref):
        return item.name
    if isinstance(item, ast.PointRef):
        return f"point {item.number}"
    if isinstance(item, ast.Quantity):
        scale = f" {item.scale}" if item.scale else ""
        return f"{number(item.number)}{scale} {item.unit}"
    if isinstance(item, ast.Percent):
        return f"{number(item.number)}%"
    if isinstance(item, ast.Fraction):
        return fraction(item)
    if isinstance(item, ast.Estimate):
        if item.amount is None:
            return "unknown"
        return f"{item.qualifier} {value(item.amount)}" if item.qualifier else value(item.amount)
    if isinstance(item, ast.Date):
        return str(item)
    if isinstance(item, ast.Keyword):
        return item.word
    if isinstance(item, ast.Citation):
        return citation(item)
    if isinstance(item, str):
        return string(item)
    if isinstance(item, tuple):
        return ", ".join(value(x) for x in item)
    raise TypeError(f"no text form for {type(item).__name__}")


def citation(node: ast.Citation) -> str:
    """``cite SOURCE "quote"``."""
    return f"cite {node.source.name}" + (f" {string(node.quote)}" if node.quote is not None else "")


# ============================================================================
# Clauses
# ============================================================================


def action(node) -> str:
    """The action part of a clause: ``cede donetsk to russia de facto``."""
    kind = type(node)
    if kind is ast.Cede:
        text = f"cede {names(node.regions)} to {node.recipient.name}"
        if node.legal_status:
            text += f" {node.legal_status}"
        if node.recognised_by:
            text += f" recognised by {names(node.recognised_by)}"
        return text
    if kind is ast.Recognise:
        text = f"recognise {names(node.objects)}"
        if node.part_of:
            text += f" as part of {node.part_of.name}"
        return text + (f" {node.legal_status}" if node.legal_status else "")
    if kind is ast.Freeze:
        return "freeze line of contact" + (f" in {names(node.regions)}" if node.regions else "")
    if kind is ast.Withdraw:
        return f"withdraw from {names(node.regions)}" + (f" to {value(node.distance)}" if node.distance else "")
    if kind is ast.Establish:
        text = f"establish {node.zone} zone in {names(node.regions)}"
        return text + (f" depth {value(node.depth)}" if node.depth else "")
    if kind is ast.Exceed:
        return f"exceed {limit(node.limit)}"
    if kind is ast.Possess:
        return f"possess {names(node.weapons)}" + (f" with range {value(node.range)}" if node.range else "")
    if kind is ast.Deploy:
        text = f"deploy {names(node.weapons)}"
        if node.regions:
            text += f" in {names(node.regions)}"
        return text + (f" with range {value(node.range)}" if node.range else "")
    if kind is ast.Join:
        return f"join {node.alliance.name}"
    if kind is ast.Admit:
        return f"admit {names(node.parties)}"
    if kind is ast.Station:
        return f"station troops in {names(node.places)}"
    if kind is ast.Unite:
        return f"unite with {node.partner.name}"
    if kind is ast.Allocate:
        size = f"{share(node.share)} of " if node.share is not None else ""
        return f"allocate {size}{node.pool.name} to {node.recipient.name}"
    if kind is ast.ReceiveProfits:
        return f"receive {share(node.share)} of profits from {node.source.name}"
    if kind is ast.Sanctions:
        return f"{node.verb} {'all ' if node.all else ''}sanctions on {names(node.targets)}"
    if kind is ast.CeaseFire:
        return "cease fire"
    if kind is ast.Guarantee:
        text = f"guarantee security of {node.beneficiary.name}"
        if node.strength:
            text += f" strength {node.strength}"
        return text + (f" void if {condition(node.void_if)}" if node.void_if is not None else "")
    if kind is ast.Amnesty:
        return "grant amnesty" + (f" {string(node.scope)}" if node.scope is not None else "")
    if kind is ast.ExchangePrisoners:
        return "exchange prisoners" + (f" {string(node.terms)}" if node.terms is not None else "")
    if kind is ast.HoldElections:
        return "hold elections" + (f" in {names(node.regions)}" if node.regions else "")
    if kind is ast.Provision:
        text = "any" if node.text is None else string(node.text)
        return f"provision {text}" + (f" tags {names(node.tags)}" if node.tags else "")
    raise TypeError(f"no text form for {kind.__name__}")


def limit(node: ast.Limit) -> str:
    """``600,000 personnel``, ``80,000 personnel (one-tenth)``, ``one-tenth of strength``, ``any``."""
    if node.amount is None and node.share is None:
        return "any"
    if node.amount is None:
        return f"{value(node.share)} of strength"
    text = value(node.amount)
    return text + (f" ({value(node.share)})" if node.share is not None else "")


def share(node: ast.Share) -> str:
    """``100 billion USD (one-third)``, ``50%``, ``remainder``."""
    if node.rest:
        return node.rest
    if node.amount is None:
        return value(node.proportion)
    return value(node.amount) + (f" ({value(node.proportion)})" if node.proportion is not None else "")


def condition(node, inside: type | None = None) -> str:
    """A condition, with parentheses exactly where the tree needs them.

    ``inside`` is the kind of the enclosing node: an ``or`` inside an ``and``, a
    chain inside a chain of its own kind, and any chain after ``not`` need them.
    """
    kind = type(node)
    if kind is ast.And or kind is ast.Or:
        word = " and " if kind is ast.And else " or "
        text = word.join(condition(operand, kind) for operand in node.operands)
        needs_parentheses = inside is ast.Not or inside is kind or (kind is ast.Or and inside is ast.And)
        return f"({text})" if needs_parentheses else text
    if kind is ast.Not:
        text = f"not {condition(node.operand, ast.Not)}"
        return f"({text})" if inside is ast.Not else text  # "not not" does not parse
    if kind is ast.Invades:
        return f"{names(node.aggressors)} invades {names(node.targets)}"
    if kind is ast.Attacks:
        return f"{names(node.aggressors)} attacks {names(node.targets)}"
    if kind is ast.Breached:
        return f"{value(node.reference)} is breached"
    if kind is ast.ConditionText:
        return string(node.text)
    raise TypeError(f"no text form for {kind.__name__}")


def modifier(node) -> str:
    """``within 30 days of w``, ``by 2026-01``, ``upon point 3``, ``if ...``."""
    kind = type(node)
    if kind is ast.Within:
        return f"within {value(node.duration)}" + (f" of {value(node.after)}" if node.after else "")
    if kind is ast.ByDate:
        return f"by {node.date}"
    if kind is ast.FromDate:
        return f"from {node.date}"
    if kind is ast.UntilDate:
        return f"until {node.date}"
    if kind is ast.Upon:
        return f"upon {value(node.reference)}"
    if kind is ast.If:
        return f"if {condition(node.condition)}"
    if kind is ast.Unless:
        return f"unless {condition(node.condition)}"
    raise TypeError(f"no text form for {kind.__name__}")


def clause_parts(node: ast.Clause) -> tuple[str, list[str]]:
    """The clause's head (subjects, modality, action) and its tail (modifiers, citations)."""
    head = []
    if node.label:
        head.append(f"{node.label}:")
    if node.subjects:
        head.append(names(node.subjects))
    if node.modality:
        head.append(node.modality)
    head.append(action(node.action))
    tail = [modifier(m) for m in node.modifiers] + [citation(c) for c in node.citations]
    return " ".join(head), tail


def predicate(node) -> str:
    """A red line's predicate: a clause pattern or ``PARTIES holds REGIONS``."""
    if isinstance(node, ast.Holds):
        return f"{names(node.holders)} holds {names(node.regions)}"
    head, tail = clause_parts(node)
    return " ".join([head, *tail])


def _property_text(node: ast.Property) -> str:
    if node.key == "annexed by" and len(node.values) == 2:
        body = f"annexed by {value(node.values[0])} in {value(node.values[1])}"
    else:
        body = " ".join([node.key, *(value(v) for v in node.values)])
    return body


# ============================================================================
# The printer: statements, blocks, comments and blank lines
# ============================================================================


class _Printer:
    def __init__(self, comments, source: str, tree: ast.PlanFile):
        self.comments = sorted(comments, key=lambda c: (c.span.line, c.span.column))
        # The statement each comment belongs to (plandsl.comments): a comment that ends a
        # line is printed at the end of its statement's line, so that it keeps belonging to
        # it (and a "# plandsl: ignore[...]" keeps covering the same diagnostics).
        self.owners = comment_owners(tree, self.comments) if self.comments else []
        self.lines: list[str] = []
        self.depth = 0
        self.next_comment = 0
        self.source_lines = source.split("\n")  # as the parser counts lines: only \n ends one
        self.last_source_line = 0  # the last source line whose content has been printed
        self.just_opened = True
        self.blank_before_next = False  # top-level blocks stand apart from their neighbours

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n" if self.lines else ""

    # -- low level
    def emit(self, text: str) -> None:
        self.lines.append(INDENT * self.depth + text if text else "")
        self.just_opened = False

    def blank_if_source_had_one(self, line: int) -> None:
        """Keep one blank line where the source had blank lines before ``line``."""
        if self.just_opened or not self.lines or self.lines[-1] == "":
            return
        for number in range(self.last_source_line + 1, line):
            if 1 <= number <= len(self.source_lines) and not self.source_lines[number - 1].strip():
                self.lines.append("")
                return

    def flush_comments_before(self, line: int) -> None:
        """Print every pending comment that sits above ``line``, each on its own line."""
        while self.next_comment < len(self.comments) and self.comments[self.next_comment].span.line < line:
            comment = self.comments[self.next_comment]
            self.blank_if_source_had_one(comment.span.line)
            self.emit(comment.text.rstrip())
            self.last_source_line = max(self.last_source_line, comment.span.line)
            self.next_comment += 1

    def trailing_comment(self, node: ast.Node, line: int) -> str:
        """The comment that belongs to ``node`` and ends source line ``line``, as text to append, or ''."""
        if self.next_comment < len(self.comments) and self.comments[self.next_comment].span.line == line:
            if self.owners[self.next_comment] is not node:
                return ""  # another statement on the line takes it
            comment = self.comments[self.next_comment]
            self.next_comment += 1
            return "  " + comment.text.rstrip()
        return ""

    def begin(self, node: ast.Node) -> None:
        """Start a statement: comments above it, then a blank line if one belongs here."""
        blank_before, self.blank_before_next = self.blank_before_next, False
        # The blank line goes above the comments that lead into the statement.
        if blank_before and self.lines and self.lines[-1] != "" and not self.just_opened:
            self.lines.append("")
        self.flush_comments_before(node.span.line)
        self.blank_if_source_had_one(node.span.line)

    def simple(self, node: ast.Node, text: str) -> None:
        """A one-line statement ending with ';'."""
        self.begin(node)
        self.comments_inside(node)
        self.emit(text + ";" + self.trailing_comment(node, node.span.end_line))
        self.last_source_line = node.span.end_line

    def wrapped(self, node: ast.Node, head: str, tail: list[str]) -> None:
        """A statement whose tail goes on continuation lines when it is too long."""
        self.begin(node)
        self.comments_inside(node)
        one_line = " ".join([head, *tail]) + ";"
        if len(INDENT * self.depth) + len(one_line) <= LINE_LENGTH or not tail:
            self.emit(one_line + self.trailing_comment(node, node.span.end_line))
        else:
            self.emit(head)
            self.depth += 2
            for part in tail[:-1]:
                self.emit(part)
            self.emit(tail[-1] + ";" + self.trailing_comment(node, node.span.end_line))
            self.depth -= 2
        self.last_source_line = node.span.end_line

    def comments_inside(self, node: ast.Node) -> None:
        """Comments inside a statement that spans several lines go above it."""
        if node.span.end_line > node.span.line:
            while (self.next_comment < len(self.comments)
                   and self.comments[self.next_comment].span.line < node.span.end_line):
                self.emit(self.comments[self.next_comment].text.rstrip())
                self.next_comment += 1

    def block(self, node: ast.Node, header: str, items) -> None:
        """``header {``, the items one level deeper, then ``}``."""
        self.begin(node)
        self.emit(header + " {" + self.trailing_comment(node, node.span.line))
        self.last_source_line = node.span.line
        self.depth += 1
        self.just_opened = True
        for item in items:
            self.item(item)
        self.flush_comments_before(node.span.end_line)
        self.depth -= 1
        self.emit("}" + self.trailing_comment(node, node.span.end_line))
        self.last_source_line = node.span.end_line

    # -- statements
    def statements(self, items, top_level: bool = False) -> None:
        previous_was_block = False
        for item in items:
            is_block = _top_level_block(item)
            self.blank_before_next = top_level and (is_block or previous_was_block)
            self.item(item)
            previous_was_block = is_block

    def item(self, node) -> None:
        kind = type(node)
        if kind is ast.Use:
            self.simple(node, f"use {string(node.path)}")
        elif kind is ast.Declaration:
            header = " ".join(filter(None, [node.kind, node.name, string(node.label) if node.label is not None
                                            else None]))
            if node.properties:
                self.block(node, header, node.properties)
            else:
                self.simple(node, header)
        elif kind is ast.Property:
            self.wrapped(node, _property_text(node), [citation(c) for c in node.citations])
        elif kind is ast.Plan:
            header = f"plan {node.name}" + (f" {string(node.title)}" if node.title is not None else "")
            self.block(node, header, node.items)
        elif kind is ast.Point:
            header = f"point {node.number}" + (f" {string(node.title)}" if node.title is not None else "")
            self.block(node, header, node.items)
        elif kind is ast.Option:
            header = f"option {node.label}"
            if node.proposers:
                header += f" proposed by {names(node.proposers)}"
            if node.agreed:
                header += " agreed"
            self.block(node, header, node.items)
        elif kind is ast.Unknown:
            head = "unknown" + (f" {string(node.description)}" if node.description is not None else "")
            self.wrapped(node, head, [citation(c) for c in node.citations])
        elif kind is ast.UnknownPoints:
            head = f"points {node.first} to {node.last} unknown"
            head += f" {string(node.description)}" if node.description is not None else ""
            self.wrapped(node, head, [citation(c) for c in node.citations])
        elif kind is ast.Clause:
            head, tail = clause_parts(node)
            self.wrapped(node, head, tail)
        elif kind is ast.Positions:
            header = f"positions {node.party.name}" + (f" {string(node.title)}" if node.title is not None else "")
            self.block(node, header, node.items)
        elif kind is ast.RedLine:
            header = " ".join([f"redline {node.name} {string(node.title)}", *(citation(c) for c in node.citations)])
            self.block(node, header, node.items)
        elif kind is ast.Requirement:
            self.wrapped(node, f"{node.kind} {predicate(node.predicate)}", [citation(c) for c in node.citations])
        elif kind is ast.Ideal:
            head, tail = clause_parts(node.clause)
            self.wrapped(node, f"ideal {head}", tail)
        elif kind is ast.Flexible:
            self.wrapped(node, f"flexible on {names(node.issues)}", [citation(c) for c in node.citations])
        else:
            raise TypeError(f"no text form for {kind.__name__}")



def _top_level_block(node) -> bool:
    """Top-level blocks stand apart from their neighbours by a blank line."""
    return isinstance(node, (ast.Plan, ast.Positions)) or (isinstance(node, ast.Declaration) and bool(node.properties))
