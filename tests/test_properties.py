"""Property-based tests: the parser and the formatter against random trees and texts.

a. round trip: parse(format_tree(T)).tree == T, without diagnostics;
b. format_source is idempotent, and format_tree's output is already formatted;
c. formatting keeps meaning and comments, whatever comments, blank lines and
   indentation surround the statements;
d. the parser never raises on any text or bytes: only well-formed diagnostics;
e. mutation fuzzing of real and generated files: still no exception, valid
   diagnostics, and no Lark terminal name in any message;
f. the spans of a parsed tree lie within the text, and children within parents.

The trees come from ``tests/strategies.py``. Example counts are the profile's
(100 by default; the ``ci`` profile when CI is set).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plandsl import ast
from plandsl.codes import CODES
from plandsl.diagnostics import Diagnostic, Severity, sort_diagnostics
from plandsl.formatter import condition, format_source, format_tree
from plandsl.parser import parse, parse_bytes

from conftest import EXAMPLES, example_files
from strategies import FOCUSED_FILES, KEYWORDS, TERMINAL_NAMES, plan_files

# Generating trees is slower than hypothesis likes for data of this size.
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
EXAMPLE_TEXTS = [path.read_text(encoding="utf-8") for path in example_files()]
EXAMPLE_IDS = [path.relative_to(EXAMPLES).as_posix() for path in example_files()]


# ============================================================================
# Helpers
# ============================================================================


def lines_of(text: str) -> list[str]:
    """The text's lines as the lexer counts them: only '\\n' ends a line."""
    return text.split("\n")


def check_span(span: ast.Span, lines: list[str], what: str) -> None:
    """1 <= line <= number of lines, columns within the line (+1 for the end), start <= end."""
    assert 1 <= span.line <= len(lines), (what, span)
    assert 1 <= span.end_line <= len(lines), (what, span)
    assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (what, span)
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, (what, span)
    assert (span.line, span.column) <= (span.end_line, span.end_column), (what, span)


#: Lark's own names for things, which messages must never show.
_LEAK = re.compile(r"\b[A-Z][A-Z_]{2,}\b|__ANON|\$END")
#: Messages quote what the user wrote ('x', 'SEMI' if the user typed SEMI): those parts may be anything.
_QUOTED = re.compile(r"'[^'\n]*'")


def leaked_terminal_names(message: str, text: str) -> list[str]:
    """Terminal names in ``message`` outside quotes that the user did not write themselves."""
    unquoted = _QUOTED.sub("", message)
    written = set(re.findall(r"[\w$]+", text))
    return [m for m in _LEAK.findall(unquoted)
            if (m in TERMINAL_NAMES or m in ("__ANON", "$END")) and m not in written]


def check_diagnostics(diagnostics: list[Diagnostic], text: str) -> None:
    """Every diagnostic is complete, has a span within the text, and speaks the user's language."""
    lines = lines_of(text)
    for d in diagnostics:
        assert isinstance(d, Diagnostic), d
        assert d.code in CODES, d
        assert isinstance(d.severity, Severity), d
        assert isinstance(d.message, str) and d.message.strip(), d
        assert d.hint is None or (isinstance(d.hint, str) and d.hint.strip()), d
        assert d.span.line >= 1 and d.span.column >= 1, d
        assert (d.span.end_line, d.span.end_column) >= (d.span.line, d.span.column), d
        # Starts within the text (a column past the last character points at the line's end);
        # ends on a line of the text. (An S104 "expected ';'" span may end one column past
        # the end of its line: it marks the missing ';' after the line's last token.)
        assert d.span.line <= len(lines) and d.span.end_line <= len(lines), (d, len(lines))
        assert d.span.column <= len(lines[d.span.line - 1]) + 1, (d, lines[d.span.line - 1])
        for part in (d.message, d.hint or ""):
            assert not leaked_terminal_names(part, text), d
    # Diagnostics are hashable and sortable, as the CLI needs.
    ordered = sort_diagnostics(diagnostics)
    assert len(ordered) <= len(diagnostics)
    for d in ordered:
        d.to_json()


def check_parse_result(result, text: str) -> None:
    assert result.tree is None or isinstance(result.tree, ast.PlanFile)
    check_diagnostics(result.diagnostics, text)
    for comment in result.comments:
        assert comment.text.startswith("#"), comment


def text_of(data: bytes) -> str:
    """What parse_bytes makes of bytes, for line counting (NUL bytes included)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")


# ============================================================================
# Decorating formatted text: comments, blank lines, indentation
# ============================================================================

# No control characters nor line/paragraph separators: str.splitlines() counts \x0b, \x0c,
# \x1c-\x1e, \x85, \u2028 and \u2029 as line ends, and the formatter's blank-line
# bookkeeping uses it (see test_blank_lines_survive_a_line_separator_in_a_string).
# Nor the bidirectional overrides and isolates, which S112 refuses.
_COMMENT_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                                    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
comment_texts = st.text(_COMMENT_CHARACTERS, max_size=15).map(lambda s: ("# " + s).rstrip())


#: Pieces of a formatted line: a string, a run of other non-space characters, or spaces.
_LINE_PIECES = re.compile(r'"(?:[^"\\\n]|\\.)*"|[^\s"]+|\s+')


@st.composite
def decorated(draw, max_statements: int = 3):
    """(tree, text, comments): format_tree(tree) with comments, blank lines and spaces added.

    Some lines are joined to the next (several statements on one line) and some are
    broken at a space outside strings (a statement over several lines); then
    full-line comments and blank lines go between any two lines, trailing comments
    end any line, and any line may be re-indented. ``comments`` lists the comment
    texts in source order.
    """
    tree = draw(plan_files(max_statements))
    source_lines = format_tree(tree).split("\n")
    joined: list[str] = []
    for line in source_lines:
        if joined and joined[-1].strip() and line.strip() and draw(st.integers(0, 4)) == 0:
            joined[-1] += draw(st.sampled_from([" ", "  ", "\t"])) + line.strip()
        else:
            joined.append(line)
    broken: list[str] = []
    for line in joined:
        current = ""
        for piece in _LINE_PIECES.findall(line):
            if piece.isspace() and current.strip() and draw(st.integers(0, 9)) == 0:
                broken.append(current)
                current = ""
            else:
                current += piece
        broken.append(current)
    out: list[str] = []
    comments: list[str] = []
    for line in broken:
        for _ in range(draw(st.integers(0, 2))):
            if draw(st.booleans()):
                text = draw(comment_texts)
                comments.append(text)
                out.append(" " * draw(st.integers(0, 4)) + text)
            else:
                out.append(draw(st.sampled_from(["", " ", "\t"])))
        if line.strip():
            line = draw(st.sampled_from(["", " ", "    ", "\t"])) + line.lstrip(" ")
        if draw(st.integers(0, 3)) == 0:
            text = draw(comment_texts)
            comments.append(text)
            line = line + draw(st.sampled_from([" ", "  ", "\t"])) + text
        out.append(line)
    return tree, "\n".join(out), comments


# ============================================================================
# a. Round trip
# ============================================================================


def check_round_trip(tree: ast.PlanFile) -> None:
    text = format_tree(tree)
    result = parse(text, "<generated>")
    assert result.diagnostics == []
    assert result.tree == tree


@settings(deadline=None, suppress_health_check=SLOW)
@given(plan_files())
def test_round_trip_generated_trees(tree):
    check_round_trip(tree)


@pytest.mark.parametrize("focus", sorted(FOCUSED_FILES))
def test_round_trip_every_node_kind(focus):
    """The same property, once per action, modifier, condition, property key, value and block."""
    node_classes, files = FOCUSED_FILES[focus]
    node_classes = node_classes if isinstance(node_classes, tuple) else (node_classes,)

    @settings(deadline=None, max_examples=10, suppress_health_check=SLOW)
    @given(files)
    def round_trip(tree):
        present = {type(node) for node in ast.walk(tree)}
        assert set(node_classes) <= present, focus
        check_round_trip(tree)

    round_trip()


def test_focused_files_cover_every_node_type():
    """Every node class of the AST has a focused strategy (Comment aside: it lives beside the tree)."""
    wanted = {cls for cls in vars(ast).values()
              if isinstance(cls, type) and issubclass(cls, ast.Node) and cls not in (ast.Node, ast.Comment)}
    covered = set()
    for node_classes, _ in FOCUSED_FILES.values():
        covered.update(node_classes if isinstance(node_classes, tuple) else (node_classes,))
    assert not wanted - covered, sorted(cls.__name__ for cls in wanted - covered)


# ============================================================================
# b. Idempotence
# ============================================================================


@settings(deadline=None, suppress_health_check=SLOW)
@given(decorated())
def test_format_source_is_idempotent(case):
    _, text, _ = case
    once = format_source(text).formatted
    assert once is not None
    assert format_source(once).formatted == once


@settings(deadline=None, suppress_health_check=SLOW)
@given(plan_files())
def test_format_tree_output_is_already_formatted(tree):
    text = format_tree(tree)
    assert format_source(text).formatted == text


@pytest.mark.parametrize("text", EXAMPLE_TEXTS, ids=EXAMPLE_IDS)
def test_format_source_is_idempotent_on_examples(text):
    once = format_source(text).formatted
    assert once is not None
    assert format_source(once).formatted == once
    assert parse(once).tree == parse(text).tree


# ============================================================================
# c. Formatting keeps meaning and comments
# ============================================================================


@settings(deadline=None, suppress_health_check=SLOW)
@given(decorated())
def test_formatting_keeps_meaning_and_comments(case):
    tree, text, comments = case
    before = parse(text)
    assert before.diagnostics == []
    assert before.tree == tree  # decorating changed no meaning
    assert [c.text for c in before.comments] == comments

    formatted = format_source(text).formatted
    assert formatted is not None
    after = parse(formatted)
    assert after.diagnostics == []
    assert after.tree == before.tree
    # Every comment survives, once, in its order.
    assert [c.text.rstrip() for c in after.comments] == comments
    for comment in comments:
        assert comment in formatted


# ============================================================================
# d. The parser never raises
# ============================================================================


@settings(deadline=None)
@given(st.text())
def test_parse_never_raises_on_any_text(text):
    check_parse_result(parse(text), text)


@settings(deadline=None)
@given(st.binary())
def test_parse_bytes_never_raises_on_any_bytes(data):
    check_parse_result(parse_bytes(data), text_of(data))


_SOUP_WORDS = sorted(KEYWORDS) + [
    ";", ";", ":", ",", "{", "}", "{", "}", "(", ")", "%", '"text"', '"open', "'x'", "\u201cq\u201d",
    "0", "7", "2025", "2025-11", "2025-11-20", "1/3", "one-third", "600,000", "2.5", "1.5.5",
    "russia", "ukraine", "x", "shal", "ceded", "#c\n", "\n", "@", "\x00", "\ufffd", "-",
]


@settings(deadline=None)
@given(st.lists(st.sampled_from(_SOUP_WORDS), max_size=40), st.sampled_from([" ", "\n", ""]))
def test_parse_never_raises_on_token_soup(words, separator):
    """Words and symbols of the language in random order reach deeper into error recovery."""
    text = separator.join(words)
    check_parse_result(parse(text), text)


# ============================================================================
# e. Mutation fuzzing
# ============================================================================

_TOKENISH = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|\w+|\S')


@st.composite
def mutated(draw):
    """(bytes, was_text): an example file or a generated source with 1-4 random edits."""
    base = draw(st.one_of(st.sampled_from(EXAMPLE_TEXTS), plan_files().map(format_tree)))
    text = base
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        op = draw(st.sampled_from(["delete_tokens", "duplicate", "swap", "insert", "truncate", "delete"]))
        if op == "delete_tokens":
            spans = [m.span() for m in _TOKENISH.finditer(text)]
            if spans:
                i = draw(st.integers(0, len(spans) - 1))
                j = draw(st.integers(i, min(i + 3, len(spans) - 1)))
                text = text[: spans[i][0]] + text[spans[j][1]:]
        elif op == "duplicate":
            a = draw(st.integers(0, n))
            b = draw(st.integers(a, min(n, a + 40)))
            at = draw(st.integers(0, n))
            text = text[:at] + text[a:b] + text[at:]
        elif op == "swap":
            a, b, c, d = sorted(draw(st.lists(st.integers(0, n), min_size=4, max_size=4)))
            text = text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]
        elif op == "insert":
            at = draw(st.integers(0, n))
            text = text[:at] + draw(st.text(min_size=1, max_size=5)) + text[at:]
        elif op == "truncate":
            text = text[: draw(st.integers(0, n))]
        else:
            a = draw(st.integers(0, n))
            text = text[:a] + text[draw(st.integers(a, min(n, a + 20))):]
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:  # raw bytes: invalid UTF-8, NULs, a BOM
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


@settings(deadline=None, suppress_health_check=SLOW)
@given(mutated())
def test_mutated_sources_give_diagnostics_not_exceptions(data):
    result = parse_bytes(data)
    check_parse_result(result, text_of(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    result = parse(text)
    check_parse_result(result, text)
    if result.tree is not None:
        # What parsed cleanly keeps spans within the text, children within parents...
        check_tree_spans(result.tree, text)
        # ...and is a tree the grammar can write: recovery never builds half a node.
        check_round_trip(result.tree)


# ============================================================================
# f. Spans
# ============================================================================


def check_tree_spans(tree: ast.PlanFile, text: str) -> None:
    lines = lines_of(text)
    if not tree.statements:
        return
    stack = [tree]
    while stack:
        node = stack.pop()
        check_span(node.span, lines, type(node).__name__)
        if isinstance(node, ast.Ref):
            span = node.span
            assert span.line == span.end_line
            assert lines[span.line - 1][span.column - 1: span.end_column - 1] == node.name, node
        outer = ((node.span.line, node.span.column), (node.span.end_line, node.span.end_column))
        for child in node.children():
            inner = ((child.span.line, child.span.column), (child.span.end_line, child.span.end_column))
            assert outer[0] <= inner[0] and inner[1] <= outer[1], (type(node).__name__, node.span,
                                                                    type(child).__name__, child.span)
            stack.append(child)


@settings(deadline=None, suppress_health_check=SLOW)
@given(plan_files())
def test_spans_of_formatted_trees(tree):
    text = format_tree(tree)
    check_tree_spans(parse(text).tree, text)


@settings(deadline=None, suppress_health_check=SLOW)
@given(decorated())
def test_spans_with_comments_and_odd_layout(case):
    _, text, _ = case
    check_tree_spans(parse(text).tree, text)


@pytest.mark.parametrize("text", EXAMPLE_TEXTS, ids=EXAMPLE_IDS)
def test_spans_of_examples(text):
    check_tree_spans(parse(text).tree, text)


# ============================================================================
# Bugs these properties found: a regression test each
# ============================================================================


def test_double_negation_round_trips():
    """Not(Not(x)) must print as 'not (not x)': 'not not x' does not parse (a bug these properties found)."""
    source = 'plan p { point 1 { cease fire if not (not "x"); } }\n'
    tree = parse(source).tree
    assert tree.statements[0].items[0].items[0].modifiers[0].condition == ast.Not(ast.Not(ast.ConditionText("x")))
    assert condition(ast.Not(ast.Not(ast.ConditionText("x")))) == 'not (not "x")'
    formatted = format_source(source).formatted
    assert parse(formatted).diagnostics == []
    assert parse(formatted).tree == tree


def test_blank_lines_survive_a_line_separator_in_a_string():
    """The formatter counted lines with str.splitlines(), the parser with '\\n' only (a bug these properties found)."""
    source = 'use "\u2028";\n\nuse "y";\n'
    assert parse(source).diagnostics == []
    assert format_source(source).formatted == source


def test_carriage_return_in_a_string_round_trips():
    """The formatter wrote CR as \\r, which the parser read back as backslash and r (a bug these properties found)."""
    tree = ast.PlanFile("x", (ast.Use("a\rb"),))
    assert parse(format_tree(tree)).tree == tree
