"""Syntax errors: messages in the user's words, and recovery to find the next one.

Lark's LALR parser calls :meth:`Recovery.on_error` at each error. We

1. try a one-token repair: a missing ';' (S104), or the '}'s missing at the end
   of the file (S105), and go on as if they had been written;
2. otherwise report what was found and what could have come there (S101), with
   a did-you-mean when a name is close to an expected keyword;
3. then drop the broken statement: pop the parser back to the innermost block
   it was in, and move the lexer past the statement's end (its ';', its closing
   '}', or the next line that starts a new statement).

Characters that start no token (S102) and strings left open (S103) are skipped
by the lexer. Messages name terminals as users do: never ``SEMI`` or ``$END``.
"""

from __future__ import annotations

import difflib
import re

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift

from plandsl import ast
from plandsl.ast import Span
from plandsl.diagnostics import Diagnostic, Severity
from plandsl.lexer import resume_after

#: Parentheses deeper than this are refused with S106.
MAX_NESTING = 64
#: A file stops being parsed after this many reported syntax errors (S109).
MAX_ERRORS = 100
#: A bound on error-handler calls, so that no input makes recovery slow.
MAX_HANDLED = 10_000


class TooDeep(Exception):
    """Raised by the lexer callback when parentheses nest beyond :data:`MAX_NESTING`."""

    def __init__(self, token: Token):
        super().__init__(token)
        self.token = token


class Stop(Exception):
    """Raised from the error handler to give up on a hopeless file."""


# How a terminal is named in a message. Keywords are named by their word.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "STRING": 'a quoted text ("...")',
    "INT": "a whole number",
    "NUMBER": "a number",
    "DATE_VALUE": "a date (2025-11-20)",
    "FRACTION": "a fraction (1/3)",
    "FRACTION_WORD": "a fraction (one-third)",
    "SEMI": "';'",
    "COLON": "':'",
    "COMMA": "','",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LPAR": "'('",
    "RPAR": "')'",
    "PERCENT_SIGN": "'%'",
    "$END": "the end of the file",
}

# Keywords that open a block; the parse stack's openers name the blocks left open.
_BLOCK_KEYWORDS = {
    "PLAN": "plan", "POINT": "point", "OPTION": "option", "POSITIONS": "positions",
    "REDLINE": "redline", "SOURCE": "source", "STATE": "state", "BLOC": "bloc",
    "ALLIANCE": "alliance", "ORGANISATION": "organisation", "ORGANIZATION": "organization",
    "PARTY": "party", "REGION": "region", "FORCE": "force", "WEAPON": "weapon", "POOL": "pool",
    "FUND": "fund",
}

# Words that start a statement. Skipping a broken statement stops at a line that
# starts with one of them, since a statement that lost its ';' ends there.
_STATEMENT_WORDS = sorted({*_BLOCK_KEYWORDS.values(), "use", "ideal", "require", "forbid", "flexible"})
_RESYNC_TYPES = frozenset({*_BLOCK_KEYWORDS, "USE", "IDEAL", "REQUIRE", "FORBID", "FLEXIBLE"})

# One pass over the text finds where a broken statement ends.
_SKIP = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?'            # a string (perhaps unclosed): its ; and } do not count
    r"|#[^\n]*"                         # a comment
    r"|[{};]"
    r"|^[ \t]*(?:" + "|".join(_STATEMENT_WORDS) + r")\b",
    re.M,
)

_OPENING_QUOTES = {"\u201c": "\u201d", "\u2018": "\u2019", "'": "'"}


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


# Characters that cannot start any token: skipped as one run.
_UNLEXABLE_RUN = re.compile(r"[^\w\s\"#;:,{}()%/-]+")


class Recovery:
    """The error-recovery state of one parse; Lark calls :meth:`on_error`."""

    def __init__(self, text: str, path: str, lark: Lark):
        self.text = text
        self.path = path
        self.lark = lark
        self.diagnostics: list[Diagnostic] = []
        self.comments: list[ast.Comment] = []
        self.depth = 0
        self.handled = 0
        self.unclosed_string_line = 0

    def report(self, code: str, message: str, line: int, column: int, end_line: int, end_column: int,
               hint: str | None = None) -> None:
        """Record one syntax error; past :data:`MAX_ERRORS`, give up on the file."""
        if len(self.diagnostics) >= MAX_ERRORS:
            self.diagnostics.append(Diagnostic(
                "S109", Severity.ERROR, f"too many syntax errors; stopped after {MAX_ERRORS}",
                Span(self.path, line, column, line, column + 1), "fix the first errors and run again"))
            raise Stop()
        self.diagnostics.append(Diagnostic(code, Severity.ERROR, message,
                                           Span(self.path, line, column, end_line, end_column), hint))

    def on_error(self, error: UnexpectedInput) -> bool:
        """Lark's error callback: report, repair or skip, and return True to go on."""
        self.handled += 1
        if self.handled > MAX_HANDLED:
            self.report("S109", "too many syntax errors; stopped", getattr(error, "line", 1) or 1,
                        getattr(error, "column", 1) or 1, getattr(error, "line", 1) or 1, 2)
            raise Stop()
        if isinstance(error, UnexpectedCharacters):
            return self._bad_character(error)
        if isinstance(error, UnexpectedToken):
            return self._bad_token(error)
        return False

    # ---------------------------------------------------------------- characters

    def _bad_character(self, error: UnexpectedCharacters) -> bool:
        pos = error.pos_in_stream
        char = self.text[pos]
        line_counter = error.interactive_parser.lexer_thread.state.line_ctr
        line, column = error.line, error.column
        if char == '"':
            end = self.text.find("\n", pos)
            end = len(self.text) if end == -1 else end
            self.report("S103", "this string is not closed before the end of the line",
                        line, column, line, column + (end - pos), 'end the string with " on the same line')
            self.unclosed_string_line = line
        elif char in _OPENING_QUOTES and (close := self.text.find(_OPENING_QUOTES[char], pos + 1, _line_end(self.text, pos))) > 0:
            # "Smart" quotes around a text: one error for the whole quoted text.
            end = close + 1
            self.report("S102", f"'{char}' is not a quote mark of the language", line, column,
                        line, column + (end - pos), _character_hint(char))
        else:
            run = _UNLEXABLE_RUN.match(self.text, pos)
            end = run.end() if run and run.end() > pos else pos + 1
            # U+FFFD stands for bytes that were not UTF-8: S108 has reported them.
            if char != "\N{REPLACEMENT CHARACTER}":
                shown = char if char.isprintable() else f"U+{ord(char):04X}"
                self.report("S102", f"'{shown}' is not part of the language", line, column, line, column + 1,
                            _character_hint(char))
        line_counter.feed(self.text[pos:end])
        return True

    # ---------------------------------------------------------------- tokens

    def _bad_token(self, error: UnexpectedToken) -> bool:
        parser = error.interactive_parser
        resume_after(parser.lexer_thread.state, error.token)
        state = parser.parser_state
        states = state.parse_conf.parse_table.states
        token = self._as_keyword(error.token)
        # LALR merges states, so a state's table may list tokens that fail after a
        # reduction; keep only those the parser would really take here.
        expected = {t for t in states[state.position]
                    if t.isupper() and _accepts(states, state.state_stack, [t], parser)}

        if self._repair(parser, token, states, expected):
            return True
        self._report_unexpected(token, expected)
        _pop_to_block(state, states)

        if token.type == "$END":
            _close_blocks(parser, token, states)
        elif token.type == "SEMI":
            pass  # the broken statement ended here
        elif (token.type == "RBRACE" or token.type in _RESYNC_TYPES) and _accepts(states, state.state_stack,
                                                                                   [token.type], parser):
            parser.feed_token(token)
        elif token.type != "RBRACE":  # a stray '}' is simply dropped
            self._skip_statement(parser, token)
        return True

    def _as_keyword(self, token: Token) -> Token:
        """A name spelled like a keyword, retyped as that keyword.

        The contextual lexer makes keywords only of the words the parser can take at
        that point, so in 'state a "A"  state b;' the second 'state' arrives as a name.
        """
        keywords = _keywords(self.lark)
        if token.type == "NAME" and token.value in keywords:
            return Token.new_borrow_pos(keywords[token.value], token.value, token)
        return token

    def _repair(self, parser, token: Token, states, expected: set[str]) -> bool:
        """Insert one ';' (or the '}'s missing at the end) if that lets the parse go on."""
        stack = parser.parser_state.state_stack
        if "SEMI" in expected and _accepts(states, stack, ["SEMI", token.type], parser):
            at = _previous_end(parser) or token
            # After a string left open, the ';' it swallowed is no news.
            if at.end_line != self.unclosed_string_line:
                self.report("S104", f"expected ';' before {_describe_token(token)}",
                            at.end_line, at.end_column, at.end_line, at.end_column + 1, "end the statement with ';'")
            parser.feed_token(_synthetic("SEMI", ";", at))
            if token.type != "$END":
                parser.feed_token(token)
            return True
        if token.type == "$END" and "RBRACE" in expected:
            opened = _open_blocks(parser.parser_state)
            where = opened[0] if opened else "a block"
            if len(opened) > 1:
                where += " and " + ", ".join(opened[1:])
            self.report("S105", f"the file ends before the '}}' that closes {where}",
                        token.line, token.column, token.line, token.column + 1, "add the missing '}'")
            _close_blocks(parser, token, states)
            return True
        return False

    def _report_unexpected(self, token: Token, expected: set[str]) -> None:
        wanted = _expected_phrase(expected, self.lark)
        if token.type == "$END":
            self.report("S101", f"the file ends too early: expected {wanted}",
                        token.line, token.column, token.line, token.column + 1)
            return
        hint = None
        if token.type == "NAME":
            suggestion = _keyword_suggestion(token.value, expected, self.lark)
            if suggestion:
                hint = f"did you mean '{suggestion}'?"
        if token.type == "RBRACE" and "SEMI" in expected:
            hint = hint or "end the statement with ';' before '}'"
        if token.type == "RBRACE" and "RBRACE" not in expected and "$END" in expected:
            hint = hint or "this '}' closes no block"
        if "PERCENT_SIGN" in expected and "NAME" in expected:
            hint = hint or "a number needs its unit: 600,000 personnel, 30 days, 100 billion USD, 50%"
        end_line = token.end_line or token.line
        end_column = token.end_column or token.column + len(token.value)
        self.report("S101", f"unexpected {_describe_token(token)}: expected {wanted}",
                    token.line, token.column, end_line, end_column, hint)

    def _skip_statement(self, parser, token: Token) -> None:
        """Move the lexer past the end of the broken statement that ``token`` is in."""
        line_counter = parser.lexer_thread.state.line_ctr
        depth = 1 if token.type == "LBRACE" else 0
        stop = len(self.text)
        for match in _SKIP.finditer(self.text, line_counter.char_pos):
            found = match.group()
            if found == "{":
                depth += 1
            elif found == "}":
                if depth == 0:
                    stop = match.start()  # it closes the block we are in: let the parser see it
                    break
                depth -= 1
                if depth == 0:
                    stop = match.end()
                    break
            elif found == ";":
                if depth == 0:
                    stop = match.end()
                    break
            elif found[0] not in '"#' and depth == 0:
                stop = match.start()  # a line that starts a new statement
                break
        line_counter.feed(self.text[line_counter.char_pos:stop])


# ============================================================================
# Naming things for people
# ============================================================================

_KEYWORDS: dict[str, str] = {}


def _keywords(lark: Lark) -> dict[str, str]:
    """Keyword text -> terminal name ("shall" -> "SHALL"), computed once."""
    if not _KEYWORDS:
        for terminal in lark.terminals:
            if terminal.pattern.type == "str" and terminal.pattern.value.isalpha():
                _KEYWORDS[terminal.pattern.value] = terminal.name
    return _KEYWORDS


def _describe_terminal(name: str, lark: Lark) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    terminal = lark.get_terminal(name)
    if terminal.pattern.type == "str":
        return f"'{terminal.pattern.value}'"
    return name.lower().replace("_", " ")


#: A token's text in a message is cut to this many characters: a message stays one
#: readable line, and its cost does not grow with the token (the excerpt shows it whole).
MAX_QUOTED = 40


def _quoted(value: str) -> str:
    return value if len(value) <= MAX_QUOTED else value[:MAX_QUOTED] + "..."


def _describe_token(token: Token) -> str:
    """A token as a user would name it: "name 'x'", "'shall'", "number 5", "end of file"."""
    if token.type == "$END":
        return "end of file"
    if token.type == "NAME":
        return f"name '{_quoted(token.value)}'"
    if token.type == "STRING":
        return "quoted text"
    if token.type in ("INT", "NUMBER"):
        return f"number {_quoted(token.value)}"
    if token.type in ("FRACTION", "FRACTION_WORD"):
        return f"fraction {_quoted(token.value)}"
    if token.type == "DATE_VALUE":
        return f"date {token.value}"
    return f"'{_quoted(token.value)}'"


def _expected_phrase(expected: set[str], lark: Lark) -> str:
    # Punctuation first, then kinds of thing ("a name"), then keywords.
    words = sorted({_describe_terminal(t, lark) for t in expected if t != "$END"},
                   key=lambda w: (0 if w.startswith("'") and not w[1].isalpha() else 2 if w.startswith("'") else 1, w))
    if "$END" in expected:
        words.append("the end of the file")
    if len(words) > 8:
        return ", ".join(words[:7]) + f" or one of {len(words) - 7} other words"
    if len(words) > 1:
        return ", ".join(words[:-1]) + " or " + words[-1]
    return words[0] if words else "nothing more"


#: Words longer than this get no did-you-mean: no keyword is near them, and the
#: edit distance would cost time in proportion to their length.
MAX_SUGGESTED_WORD = 40


def _keyword_suggestion(word: str, expected: set[str], lark: Lark) -> str | None:
    """The expected keyword nearest to ``word`` by edit distance, if it is near enough."""
    if len(word) > MAX_SUGGESTED_WORD:
        return None
    keywords = sorted(lark.get_terminal(name).pattern.value for name in expected
                      if name not in _TERMINAL_WORDS and lark.get_terminal(name).pattern.type == "str")
    word = word.lower()
    best = None
    for keyword in keywords:
        limit = max(1, len(keyword) // 3)
        # Each edit changes the length by one at most: a longer gap is never near.
        if abs(len(word) - len(keyword)) > limit:
            continue
        distance = _edit_distance(word, keyword)
        if distance <= limit:
            key = (distance, -difflib.SequenceMatcher(None, word, keyword).ratio())
            if best is None or key < best[0]:
                best = (key, keyword)
    return best[1] if best else None


def _edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap of neighbours) that turn ``a`` into ``b``."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _character_hint(char: str) -> str | None:
    if char in "'\u2018\u2019\u201c\u201d":
        return 'texts are written between straight double quotes: "..."'
    if char in "[]":
        return "lists are written with commas, without brackets: members a, b, c;"
    if char == "/":
        return "comments start with '#'"
    return None


# ============================================================================
# Working on the LALR parse stack
# ============================================================================


def _synthetic(kind: str, value: str, at: Token) -> Token:
    """A zero-width token placed where ``at`` ends."""
    return Token(kind, value, at.end_pos, at.end_line, at.end_column, at.end_line, at.end_column, at.end_pos)


def _previous_end(parser) -> Token | None:
    """A marker token at the end of the last thing the parser shifted."""
    for value in reversed(parser.parser_state.value_stack):
        if isinstance(value, Token):
            return value
        span = _last_span(value)
        if span is not None:
            return Token("END", "", None, span.end_line, span.end_column, span.end_line, span.end_column, None)
    return None


def _last_span(value) -> Span | None:
    if isinstance(value, ast.Node):
        return value.span
    if isinstance(value, Span):  # before tuple: a span is a named tuple
        return value
    if isinstance(value, tuple) and value:
        for item in reversed(value):
            span = _last_span(item)
            if span is not None:
                return span
    return None


def _accepts(states, stack: list, kinds: list[str], parser) -> bool:
    """Would the parser take these token kinds in order? Simulated on the state stack alone."""
    stack = list(stack)
    end_state = parser.parser_state.parse_conf.end_state
    for kind in kinds:
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                return False
            what, rule = action
            if what is Shift:
                stack.append(rule)
                break
            if rule.expansion:
                del stack[-len(rule.expansion):]
            stack.append(states[stack[-1]][rule.origin.name][1])
            if kind == "$END" and stack[-1] == end_state:
                break
    return True


def _pop_to_block(state, states) -> None:
    """Drop the partly parsed statement: pop back to the innermost block body."""
    while len(state.state_stack) > 1:
        actions = states[state.state_stack[-1]]
        if "RBRACE" in actions or "$END" in actions:
            return
        state.state_stack.pop()
        state.value_stack.pop()


def _close_blocks(parser, token: Token, states) -> None:
    """At the end of the file, close every open block so that the parse can finish."""
    state = parser.parser_state
    for _ in range(len(state.state_stack) + 1):
        if _accepts(states, state.state_stack, ["$END"], parser):
            return
        _pop_to_block(state, states)
        if _accepts(states, state.state_stack, ["RBRACE"], parser):
            parser.feed_token(_synthetic("RBRACE", "}", token))
        elif len(state.state_stack) > 1:
            state.state_stack.pop()
            state.value_stack.pop()


def _open_blocks(state) -> list[str]:
    """The blocks still open, innermost first: ["point 2 (line 14)", "plan p (line 3)"]."""
    values = state.value_stack
    blocks = []
    for i in range(len(values) - 1, -1, -1):
        brace = values[i]
        if not (isinstance(brace, Token) and brace.type == "LBRACE"):
            continue
        for j in range(i - 1, -1, -1):
            opener = values[j]
            kind = opener if isinstance(opener, str) else getattr(opener, "type", None)
            if kind in _BLOCK_KEYWORDS or kind in _BLOCK_KEYWORDS.values():
                word = _BLOCK_KEYWORDS.get(kind, kind)
                name = values[j + 1] if j + 1 < len(values) else None
                named = f" {name.value}" if isinstance(name, Token) and name.type in ("NAME", "INT") else ""
                line = opener.line if isinstance(opener, Token) else brace.line
                blocks.append(f"{word}{named} (line {line})")
                break
        else:
            blocks.append(f"the block at line {brace.line}")
    return blocks
