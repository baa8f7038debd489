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

from lark import Lark, Token, Tree
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

# After a '}': the statement goes on along the line (not a comment, another '}' or a
# new statement).
_STATEMENT_GOES_ON = re.compile(r"[ \t]*(?![ \t]*(?:#|\}|\r?\n|$|(?:" + "|".join(_STATEMENT_WORDS) + r")\b))\S")

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
        self.quiet_until = -1
        self.capitals_line = 0
        self.quiet = False

    def report(self, code: str, message: str, line: int, column: int, end_line: int, end_column: int,
               hint: str | None = None) -> None:
        """Record one syntax error; past :data:`MAX_ERRORS`, give up on the file."""
        if self.quiet and code in ("S101", "S104"):
            return  # a follow-on of a bad character in the same statement
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
            # Single or "smart" quotes around a text: one error for the whole quoted text.
            end = close + 1
            inner = _quoted(self.text[pos + 1:close])
            what = "single quotes" if char == "'" else f"curly quotes {char}{_OPENING_QUOTES[char]}"
            self.report("S102", f"texts are written between straight double quotes, not {what}", line, column,
                        line, column + (end - pos), f'write "{inner}"')
        elif self.text.startswith("//", pos):
            # A comment in another language's style: one error, and the rest of the line is its text.
            end = _line_end(self.text, pos)
            self.report("S102", "'//' does not start a comment", line, column, line, column + 2,
                        "comments start with '#': # like this")
        else:
            run = _UNLEXABLE_RUN.match(self.text, pos)
            end = run.end() if run and run.end() > pos else pos + 1
            # U+FFFD stands for bytes that were not UTF-8: S108 has reported them.
            if char != "\N{REPLACEMENT CHARACTER}":
                shown = f"'{char}'" if char.isprintable() and char != "'" else "the single quote" if char == "'" \
                    else f"U+{ord(char):04X}"
                self.report("S102", f"{shown} is not part of the language", line, column, line, column + 1,
                            _character_hint(char, self.text, pos))
        # What the parser meets next in this statement follows from this error: no more of them.
        self.quiet_until = _statement_end(self.text, end)
        line_counter.feed(self.text[pos:end])
        return True

    # ---------------------------------------------------------------- tokens

    def _bad_token(self, error: UnexpectedToken) -> bool:
        parser = error.interactive_parser
        resume_after(parser.lexer_thread.state, error.token)
        state = parser.parser_state
        states = state.parse_conf.parse_table.states
        token = self._as_keyword(error.token)
        self.quiet = token.start_pos is not None and token.start_pos <= self.quiet_until
        # LALR merges states, so a state's table may list tokens that fail after a
        # reduction; keep only those the parser would really take here.
        expected = {t for t in states[state.position]
                    if t.isupper() and _accepts(states, state.state_stack, [t], parser)}

        if self._lower_case_keyword(parser, token, states):
            return True
        if self._close_before(parser, token, states, expected) or self._close_before_name(parser, token, states):
            return True
        if self._repair(parser, token, states, expected):
            return True
        self._report_unexpected(parser, token, expected)
        _pop_to_block(state, states)

        if token.type == "$END":
            _close_blocks(parser, token, states)
        elif token.type == "SEMI":
            pass  # the broken statement ended here
        elif token.type == "RBRACE" and _STATEMENT_GOES_ON.match(self.text, token.end_pos):
            # 'security } ukraine strength partial;': a '}' typed inside a statement that
            # goes on after it on its line. Closing a block there would misread the rest.
            self._skip_statement(parser, token)
        elif (token.type == "RBRACE" or token.type in _RESYNC_TYPES) and _accepts(states, state.state_stack,
                                                                                   [token.type], parser):
            parser.feed_token(token)
        elif token.type in _RESYNC_TYPES and "RBRACE" in states[state.state_stack[-1]] and self._close_before(
                parser, token, states, {"RBRACE"}):
            pass  # a statement that cannot go in this block: its '}' is missing too
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
        if "SEMI" in expected and _accepts(states, stack, ["SEMI", token.type], parser) and (
                token.type == "$END" or self._next_fits(token, stack, states, parser)):
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
            if len(opened) > 4:  # a message stays one line, however deep the nesting
                opened[3:] = [f"{len(opened) - 3} more"]
            if len(opened) > 1:
                where += " and " + ", ".join(opened[1:])
            self.report("S105", f"the file ends before the '}}' that closes {where}",
                        token.line, token.column, token.line, token.column + 1, "add the missing '}'")
            _close_blocks(parser, token, states)
            return True
        return False

    def _lower_case_keyword(self, parser, token: Token, states) -> bool:
        """'AND', 'Shall': a keyword in capitals. Say so, and read it as the keyword."""
        if token.type != "NAME" or len(token.value) > MAX_SUGGESTED_WORD:
            return False
        keyword = _keywords(self.lark).get(token.value.lower())
        stack = parser.parser_state.state_stack
        if keyword is None or not _accepts(states, stack, [keyword], parser):
            return False
        # 'SHALL NOT' is one mistake: one error for the capitals of a line.
        if self.capitals_line != token.line:
            self.report("S101", f"keywords are written in lower case: '{token.value}'",
                        token.line, token.column, token.end_line, token.end_column,
                        f"write '{token.value.lower()}'")
        self.capitals_line = token.line
        parser.feed_token(Token.new_borrow_pos(keyword, token.value.lower(), token))
        return True

    def _close_before_name(self, parser, token: Token, states) -> bool:
        """As :meth:`_close_before`, where the keyword was read as a name: in a point,
        'state x "X";' starts like a clause whose subject is called 'state'."""
        state = parser.parser_state
        previous = state.value_stack[-1] if state.value_stack else None
        if not (isinstance(previous, Token) and previous.type == "NAME" and previous.value in _STATEMENT_WORDS
                and len(state.state_stack) > 2 and token.type != "$END"):
            return False
        popped = state.state_stack.pop()
        state.value_stack.pop()
        keyword = self._as_keyword(previous)
        if "RBRACE" in states[state.state_stack[-1]] and self._close_before(parser, keyword, states, {"RBRACE"}, token):
            return True
        state.state_stack.append(popped)
        state.value_stack.append(previous)
        return False

    def _close_before(self, parser, token: Token, states, expected: set[str], then: Token | None = None) -> bool:
        """'plan q {' or 'state x;' inside a block: the '}'s above it are missing.

        Said once (S105) where the statement starts; the blocks are closed there and
        the rest of the file parses as written.
        """
        if token.type not in _RESYNC_TYPES or "RBRACE" not in expected:
            return False
        stack = parser.parser_state.state_stack
        after = [then.type] if then is not None else []
        for missing in range(1, _MAX_CLOSED + 1):
            if _accepts(states, stack, ["RBRACE"] * missing + [token.type] + after, parser):
                break
        else:
            return False
        opened = _open_blocks(parser.parser_state)[:missing]
        where = (", ".join(opened[:-1]) + " and " + opened[-1] if len(opened) > 1 else opened[0]) if opened \
            else "the block above"
        missing_braces = "the '}' that closes it is" if missing == 1 else "the '}'s that close them are"
        self.report("S105", f"'{token.value}' cannot go inside {where}: {missing_braces} missing",
                    token.line, token.column, token.end_line, token.end_column,
                    "add the missing '}' before this statement")
        at = _previous_end(parser) or token
        for _ in range(missing):
            parser.feed_token(_synthetic("RBRACE", "}", at))
        parser.feed_token(token)
        if then is not None:
            parser.feed_token(then)
        return True

    def _next_fits(self, token: Token, stack, states, parser) -> bool:
        """Would the token after ``token`` fit too, once a ';' is put before ``token``?

        A repair that only moves the error one token on is no repair: 'isf shall
        deploy in gaza;' lacks no ';' before 'gaza'.
        """
        kinds = self._next_kinds(token.end_pos)
        return not kinds or any(_accepts(states, stack, ["SEMI", token.type, kind], parser) for kind in kinds)

    def _next_word_after(self, token: Token) -> str | None:
        return _NEXT.match(self.text, token.end_pos).group(1)

    def _next_kinds(self, pos: int) -> set[str]:
        """The terminal kinds the text from ``pos`` could start with (empty: cannot tell)."""
        found = _NEXT.match(self.text, pos)
        word, char = found.group(1), found.group(2)
        if word:
            keyword = _keywords(self.lark).get(word)
            return {"NAME", keyword} if keyword else {"NAME"}
        if not char:
            return {"$END"} if found.end() >= len(self.text) else set()
        if char == '"':
            return {"STRING"}
        if char.isdigit():
            return {"INT", "NUMBER", "DATE_VALUE", "FRACTION"}
        return {_PUNCTUATION[char]} if char in _PUNCTUATION else set()

    def _report_unexpected(self, parser, token: Token, expected: set[str]) -> None:
        wanted = _expected_phrase(expected, self.lark)
        if token.type == "$END":
            self.report("S101", f"the file ends too early: expected {wanted}",
                        token.line, token.column, token.line, token.column + 1)
            return
        explained = _Context(self, parser, token, expected).explain()
        if explained is not None:
            message, hint, at = explained
            self.report("S101", message, at.line, at.column, at.end_line or at.line,
                        at.end_column or at.column + len(at.value), hint)
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
        if "PERCENT_SIGN" in expected and "NAME" in expected or _follows_number(parser) and "NAME" in expected:
            hint = hint or "a number needs its unit: 600,000 personnel, 30 days, 100 billion USD, 50%"
        if token.type == "NAME" and "STRING" in expected and _follows_name(parser):
            label = self.text[token.start_pos:_statement_end(self.text, token.start_pos)].strip()
            hint = hint or f'labels are quoted texts: "{_quoted(label)}"'
        if token.type != "NAME" and "STRING" in expected and "SEMI" not in expected:
            last = [v for v in parser.parser_state.value_stack[-2:] if isinstance(v, Token)]
            if token.type == "LBRACE" and len(last) == 2 and last[1].type == "NAME" and last[0].value.isalpha():
                hint = hint or f'add a quoted title: {last[0].value} {last[1].value} "..." {{'
            elif last and last[-1].type != "NAME" and last[-1].value.isalpha():
                hint = hint or f'add the quoted text: {last[-1].value} "...";'
            else:
                hint = hint or 'add the quoted text that goes here: "..."'
        if token.type == "NAME" and expected & {"INT", "NUMBER"} and not expected & {"NAME", "STRING"}:
            last = parser.parser_state.value_stack[-1] if parser.parser_state.value_stack else None
            if isinstance(last, Token) and last.type == "POINT":
                hint = hint or "points are numbered: point 1 { ... }"
            elif (isinstance(last, Token) and last.type in _BEFORE_AMOUNT
                  and token.value.lower() not in _NUMBER_WORDS | _TENS):
                hint = hint or f"put the number first: 30 {_quoted(token.value)}"
        form = _action_form(parser)
        if form:
            hint = hint or f"write it as: {form}"
        previous = parser.parser_state.value_stack[-1] if parser.parser_state.value_stack else None
        keywords = [t for t in expected if t not in _TERMINAL_WORDS]
        if isinstance(previous, Token) and len(expected) == 1 and keywords and previous.type != "NAME":
            word = self.lark.get_terminal(keywords[0]).pattern.value
            hint = hint or f"write {previous.value} {word} {_quoted(token.value) if token.type == 'NAME' else '...'}"
        if isinstance(previous, Token) and token.type == "NAME":
            if previous.type == "NAME" and "COMMA" in expected and previous.value not in _keywords(self.lark):
                hint = hint or f"separate names with ',': {previous.value}, {_quoted(token.value)}"
            if token.value in ("after", "from", "since", "following") and "OF" in expected:
                hint = hint or f"write 'of': within 30 days of {self._next_word_after(token) or 'signing'}"
        if expected == {"LBRACE"}:
            hint = hint or "add its block: { ... }"
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
# Newcomers' mistakes: a message and a hint that point at the fix
# ============================================================================

# How each action is written, for hints on an action written wrong.
_ACTION_FORMS = {
    "CEDE": "cede donetsk to russia [de facto | de jure] [recognised by usa]",
    "RECOGNISE": "recognise crimea [as part of russia] [de facto | de jure]",
    "RECOGNIZE": "recognize crimea [as part of russia] [de facto | de jure]",
    "FREEZE": "freeze line of contact [in zaporizhzhia]",
    "WITHDRAW": "withdraw from donbas [to 15 km]",
    "ESTABLISH": "establish demilitarised zone in donbas [depth 10 km] (or buffer zone)",
    "EXCEED": "exceed 600,000 personnel, exceed one-tenth of strength, or exceed 80,000 personnel (one-tenth)",
    "POSSESS": "possess missiles [with range more than 30 km]",
    "DEPLOY": "deploy missiles [in poland] [with range more than 30 km]",
    "JOIN": "join nato",
    "ADMIT": "admit ukraine",
    "STATION": "station troops in ukraine",
    "UNITE": "unite with belarus",
    "ALLOCATE": "allocate [100 billion USD (about one-third) of] frozen_assets to rebuild_fund",
    "RECEIVE": "receive 50% of profits from rebuild_fund",
    "LIFT": "lift [all] sanctions on russia",
    "EASE": "ease [all] sanctions on russia",
    "IMPOSE": "impose [all] sanctions on russia",
    "REINSTATE": "reinstate [all] sanctions on russia",
    "PHASE": "phase out [all] sanctions on russia",
    "CEASE": "cease fire",
    "GUARANTEE": "guarantee security of ukraine [strength full | partial | nominal] [void if russia attacks ukraine]",
    "GRANT": 'grant amnesty ["combatants"]',
    "EXCHANGE": 'exchange prisoners ["all for all"]',
    "HOLD": "hold elections [in ukraine]",
    "PROVISION": 'provision "free text" [tags governance]',
}
_ACTION_LIST = ("cede, recognise, freeze line of contact, withdraw from, establish ... zone, exceed, possess, "
                "deploy, join, admit, station troops, unite with, allocate, receive, lift/ease/impose/reinstate/"
                "phase out sanctions, cease fire, guarantee security of, grant amnesty, exchange prisoners, "
                'hold elections, or provision "free text" for anything else')
# Words newcomers write for an action, and the action the language has for it.
_ACTION_SYNONYMS = {
    "release": "exchange prisoners", "free": "exchange prisoners", "swap": "exchange prisoners",
    "return": "exchange prisoners", "repatriate": "exchange prisoners",
    "surrender": "cede", "give": "cede", "hand": "cede", "transfer": "cede", "annex": "cede",
    "stop": "cease fire", "ceasefire": "cease fire", "halt": "cease fire", "truce": "cease fire",
    "leave": "withdraw from", "retreat": "withdraw from", "pull": "withdraw from", "evacuate": "withdraw from",
    "accept": "recognise", "acknowledge": "recognise",
    "pardon": "grant amnesty", "forgive": "grant amnesty",
    "elect": "hold elections", "vote": "hold elections",
    "pay": "allocate", "fund": "allocate", "transfer_funds": "allocate",
    "protect": "guarantee security of", "defend": "guarantee security of",
    "limit": "not exceed", "cap": "not exceed", "reduce": "not exceed",
    "enter": "join", "accede": "join", "sanction": "impose sanctions on", "unfreeze": "allocate",
    "demilitarise": "establish demilitarised zone in", "demilitarize": "establish demilitarised zone in",
    "station": "station troops in", "base": "station troops in", "place": "deploy", "send": "deploy",
    "agree": 'provision "what is agreed"', "ensure": 'provision "what is ensured"',
}
# Words newcomers write for a modality.
_MODALITY_WORDS = frozenset({"must", "will", "should", "shalt", "can", "cannot", "cant", "might", "would",
                             "mustnt", "shant", "wont", "agrees", "agree", "needs", "has", "is", "are",
                             "commits", "undertakes"})
_SCALE_LETTERS = {"k": "thousand", "m": "million", "mn": "million", "mm": "million", "b": "billion",
                  "bn": "billion", "t": "trillion", "tn": "trillion", "mln": "million", "bln": "billion"}
_PLURAL_SCALES = {"thousands": "thousand", "millions": "million", "billions": "billion", "trillions": "trillion"}
# Statements that live inside one kind of block: keyword -> (the block, an example).
_BELONGS_IN = {
    "POINT": ("a plan", 'plan p "Title" { point 1 { ... } }'),
    "POINTS": ("a plan", 'plan p "Title" { points 5 to 28 unknown; }'),
    "OPTION": ("a point", "point 1 { option a proposed by usa { ... } }"),
    "UNKNOWN": ("a point or a plan", 'point 1 { unknown "what is not known"; }'),
    "REDLINE": ("positions", 'positions russia { redline r "Title" { ... } }'),
    "IDEAL": ("positions", "positions russia { ideal ukraine shall never join nato; }"),
    "FLEXIBLE": ("positions", "positions russia { flexible on frozen_assets; }"),
    "REQUIRE": ("a redline", 'redline r "Title" { require russia holds donbas; }'),
    "FORBID": ("a redline", 'redline r "Title" { forbid ukraine shall join nato; }'),
}
# Keywords an amount follows: 'within days' lacks its number.
_BEFORE_AMOUNT = frozenset({"WITHIN", "TO", "DEPTH", "EXCEED", "STRENGTH", "AMOUNT", "RANGE", "THAN", "LEAST",
                            "MOST", "ABOUT", "ALLOCATE", "RECEIVE"})
#: How many missing '}'s before a statement :meth:`Recovery._close_before` tries.
_MAX_CLOSED = 4
_TOP_LEVEL_WORDS = frozenset({*_BLOCK_KEYWORDS.values(), "use"}) - {"point", "option", "redline"}
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                           "eleven", "twelve", "hundred", "thousand", "million", "billion", "half"})
_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"})
_DENOMINATORS = frozenset({"half", "halve", "third", "quarter", "fifth", "sixth", "seventh", "eighth", "ninth",
                           "tenth"})
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_MONTH_NUMBERS = {**{name.lower(): i for i, name in enumerate(_MONTHS, 1)},
                  **{name[:3].lower(): i for i, name in enumerate(_MONTHS, 1)}, "sept": 9}
_SLASHED_DATE = re.compile(r"(\d{1,4})/(\d{1,2})/(\d{1,4})")
_CLAUSE_AHEAD = re.compile(r"[^;{}\n]{0,200}?\b(shall|may)\b")
_NEXT = re.compile(r"(?:\s|#[^\n]*)*(?:([^\W\d]\w*)|(.))?", re.S)
_PUNCTUATION = {";": "SEMI", ":": "COLON", ",": "COMMA", "{": "LBRACE", "}": "RBRACE", "(": "LPAR", ")": "RPAR",
                "%": "PERCENT_SIGN"}


class _Context:
    """One unexpected token and what the parser had just read: names common mistakes."""

    def __init__(self, recovery: Recovery, parser, token: Token, expected: set[str]):
        self.recovery = recovery
        self.text = recovery.text
        self.token = token
        self.expected = expected
        self.parser = parser
        tokens = []
        for value in reversed(parser.parser_state.value_stack[-3:]):
            if not isinstance(value, Token):
                break
            tokens.append(value)
        self.before = tokens  # the tokens just before, nearest first, while they are tokens

    def previous(self, i: int = 0) -> Token | None:
        return self.before[i] if i < len(self.before) else None

    def explain(self) -> tuple[str, str | None, Token] | None:
        """(message, hint, the token to underline), or None for the usual message."""
        rules = (self._statement_inside_block, self._keyword_as_name, self._modality, self._action,
                 self._not_an_action, self._number_with_letter, self._decimal_comma, self._number_word,
                 self._month_name, self._and_between_subjects, self._per_cent, self._percent_first, self._colon,
                 self._trailing_comma, self._semicolon_after_block, self._slashed_date, self._out_of_place,
                 self._clause_outside_point, self._number_after_in)
        for rule in rules:
            found = rule()
            if found is not None:
                return found
        return None

    def _word(self) -> str | None:
        return self.token.value if self.token.type == "NAME" and len(self.token.value) <= MAX_SUGGESTED_WORD else None

    def _statement_inside_block(self):
        """'state x "X";' inside a plan: most often a '}' is missing above it."""
        previous = self.previous()
        if previous is None or previous.type != "NAME" or previous.value not in _TOP_LEVEL_WORDS:
            return None
        if "SHALL" in self.expected and self.token.type == "NAME" and self._next_word() in ("shall", "may"):
            return None  # 'state' is a party's name here: 'state x shall ...' lacks a ','
        return (f"'{previous.value}' starts a statement of its own, outside any block",
                "close the block above with '}' first", previous)

    def _keyword_as_name(self):
        """'deploy in gaza', 'cede to russia donetsk': a keyword where a name should be."""
        previous = self.previous()
        form = _action_form(self.parser)
        if previous is None or previous.type != "NAME" or form is None:
            return None
        if previous.value not in _keywords(self.recovery.lark):
            return None
        hint = f"write it as: {form}"
        if form.startswith("deploy") and previous.value == "in":
            hint += "; for a force itself: station troops in gaza"
        return (f"'{previous.value}' cannot come here: a name is missing before it", hint, previous)

    def _modality(self):
        word = self._word()
        if word is None or "SHALL" not in self.expected or word.lower() not in _MODALITY_WORDS:
            return None
        return (f"'{word}' is not a word of the language: say what a party shall or may do",
                "write shall, shall not, shall never, may or may not: ukraine shall not join nato;", self.token)

    def _action(self):
        word = self.token.value if self.token.type == "NAME" else None
        if word is None or len(self.expected & _ACTION_FORMS.keys()) < 5:
            return None
        following = self._next_word()
        if following == "prisoners" or word.lower() in ("prisoners", "prisoner"):
            suggestion = "exchange prisoners"
        else:
            suggestion = (_ACTION_SYNONYMS.get(word.lower())
                          or _keyword_suggestion(word, self.expected, self.recovery.lark))
        if suggestion:
            form = _ACTION_FORMS.get(_keywords(self.recovery.lark).get(suggestion.split()[0], ""))
            usage = f" ({form})" if form and not form.startswith(suggestion + " [") else ""
            hint = f"did you mean '{suggestion}'?{usage}"
        else:
            hint = f"the actions are {_ACTION_LIST}"
        return f"'{_quoted(word)}' is not an action of the language", hint, self.token

    def _not_an_action(self):
        """'shall not never join': a keyword where the action goes."""
        if self.token.type == "NAME" or len(self.expected & _ACTION_FORMS.keys()) < 5:
            return None
        if self.token.type == "STRING" and "RBRACE" in self.expected:
            return ("a statement cannot start with a quoted text",
                    'for prose write: text "..."; for a provision: provision "...";', self.token)
        hint = ("one modality is enough: shall, shall not, shall never, may or may not"
                if self.token.type in ("NOT", "NEVER", "SHALL", "MAY") else f"the actions are {_ACTION_LIST}")
        return f"unexpected {_describe_token(self.token)}: an action goes here", hint, self.token

    def _decimal_comma(self):
        """'1,5 million': a decimal comma."""
        previous = self.previous()
        if self.token.type != "COMMA" or previous is None or previous.type != "INT":
            return None
        found = re.match(r"\d+,(\d{1,2}|\d{4,})(?!\d)", self.text[previous.start_pos:previous.start_pos + 40])
        if found is None:
            return None
        at = Token("NUMBER", found.group(), previous.start_pos, previous.line, previous.column,
                   previous.line, previous.column + len(found.group()), previous.start_pos + len(found.group()))
        return (f"'{found.group()}' is not a number the language reads",
                f"write decimals with a point: {found.group().replace(',', '.')}", at)

    def _number_word(self):
        """'twenty thousand', 'one tenth': numbers in words."""
        word = self._word()
        if word is None or not self.expected & {"INT", "NUMBER", "FRACTION_WORD"}:
            return None
        following = self._next_word()
        if word.lower() in _NUMBER_WORDS and following and following.lower().rstrip("s") in _DENOMINATORS:
            return ("a fraction in words is written with a hyphen",
                    f"write {word}-{following}", self.token)
        if word.lower() in _NUMBER_WORDS or word.lower() in _TENS:
            return f"'{word}' is a number in words", "write numbers in digits: 20 thousand personnel, 50%", self.token
        return None

    def _month_name(self):
        """'by June 2026': a date in words."""
        word = self._word()
        if word is None or "DATE_VALUE" not in self.expected:
            return None
        month = _MONTH_NUMBERS.get(word.lower().rstrip("."))
        if month is None:
            return None
        year = re.match(r"\s+(\d{4})\b", self.text[self.token.end_pos:self.token.end_pos + 20])
        example = f"{year.group(1)}-{month:02d}" if year else f"2026-{month:02d}"
        return ("dates are written in digits, year first", f"write {example} (or {example}-01 for a day)", self.token)

    def _and_between_subjects(self):
        """'ukraine and russia shall ...': subjects are a list with commas."""
        previous = self.previous()
        if (self.token.value != "and" or "COMMA" not in self.expected or "SHALL" not in self.expected
                or previous is None or previous.type != "NAME"):
            return None
        following = self._next_word() or "russia"
        return ("the parties of a clause are listed with ',', not 'and'",
                f"write {previous.value}, {following} shall ...", self.token)

    def _next_word(self) -> str | None:
        found = _NEXT.match(self.text, self.token.end_pos)
        return found.group(1)

    def _number_with_letter(self):
        """'20k personnel', '1.5 millions USD'."""
        previous, number = self.previous(), self.previous(1)
        if previous is None or number is None or previous.type != "NAME" or number.type not in ("INT", "NUMBER"):
            return None
        letters = previous.value.lower()
        if letters in _SCALE_LETTERS and previous.start_pos == number.end_pos:
            scale = _SCALE_LETTERS[letters]
            at = Token("NAME", number.value + previous.value, number.start_pos, number.line, number.column,
                       previous.end_line, previous.end_column, previous.end_pos)
            return (f"'{at.value}' is not a number the language reads",
                    f"write the scale as a word: {number.value} {scale} {_quoted(self.token.value)}", at)
        if letters in _PLURAL_SCALES:
            return (f"'{previous.value}' is not a scale word", f"write '{_PLURAL_SCALES[letters]}': "
                    f"{number.value} {_PLURAL_SCALES[letters]} {_quoted(self.token.value)}", previous)
        return None

    def _per_cent(self):
        previous = self.previous()
        if previous is not None and previous.type == "NAME" and previous.value == "per" and self.token.value == "cent":
            number = self.previous(1)
            amount = number.value if number is not None and number.type in ("INT", "NUMBER") else "50"
            at = Token("NAME", "per cent", previous.start_pos, previous.line, previous.column,
                       self.token.end_line, self.token.end_column, self.token.end_pos)
            return "'per cent' is written as one word", f"write {amount}% or {amount} percent", at
        return None

    def _percent_first(self):
        if self.token.type != "PERCENT_SIGN" or not self.expected & {"INT", "NUMBER"}:
            return None
        number = re.match(r"\d[\d,.]*", self.text[self.token.end_pos:self.token.end_pos + 40])
        amount = number.group() if number else "10"
        return "the '%' sign goes after the number", f"write {amount}%", self.token

    def _colon(self):
        previous = self.previous()
        if self.token.type != "COLON" or previous is None:
            return None
        if previous.type == "INT" and (opener := self.previous(1)) is not None and opener.type == "POINT":
            return ("a point's clauses go between braces, not after ':'",
                    f"write point {previous.value} {{ ... }} "
                    f'(a title may come first: point {previous.value} "Title" {{ ... }})',
                    self.token)
        if previous.type != "NAME" and previous.value.isalpha():
            rest = self.text[self.token.end_pos:_statement_end(self.text, self.token.end_pos)].strip()
            return (f"no ':' after '{previous.value}': properties are written without one",
                    f"write {previous.value} {_quoted(rest) or '...'};", self.token)
        return None

    def _trailing_comma(self):
        previous = self.previous()
        if previous is None or previous.type != "COMMA" or self.token.type not in ("SEMI", "RBRACE", "RPAR", "LBRACE"):
            return None
        return "a list does not end with ','", "remove the last ','", previous

    def _semicolon_after_block(self):
        if self.token.type != "SEMI":
            return None
        start = self.token.start_pos
        before = self.text[max(0, start - 200):start].rstrip()
        if before.endswith("}"):
            return "no ';' after a block's '}'", "remove the ';'", self.token
        return None

    def _slashed_date(self):
        if self.token.type not in ("FRACTION", "INT") or not self.expected & {"DATE_VALUE"}:
            return None
        found = _SLASHED_DATE.match(self.text, self.token.start_pos, min(len(self.text), self.token.start_pos + 12))
        if found is None:
            return None
        a, b, c = (int(x) for x in found.groups())
        readings = []
        if c >= 1000:
            for day, month in ((a, b), (b, a)):
                if 1 <= month <= 12 and 1 <= day <= 31:
                    reading = f"{c:04d}-{month:02d}-{day:02d} ({day} {_MONTHS[month - 1]})"
                    if reading not in readings:
                        readings.append(reading)
        elif a >= 1000 and 1 <= b <= 12 and 1 <= c <= 31:
            readings.append(f"{a:04d}-{b:02d}-{c:02d}")
        at = Token("DATE", found.group(), found.start(), self.token.line, self.token.column,
                   self.token.line, self.token.column + len(found.group()), found.end())
        example = " or ".join(readings) if readings else "2025-05-12"
        return f"'{found.group()}' is not a date the language reads", f"write dates year-month-day: {example}", at

    def _out_of_place(self):
        """'point' outside a plan, 'redline' outside positions."""
        # Only where a statement starts: mid-statement, the usual message says more.
        if self.token.type not in _BELONGS_IN or not self.expected & {"RBRACE", "$END"}:
            return None
        where, example = _BELONGS_IN[self.token.type]
        return f"'{self.token.value}' goes directly inside {where}", f"write it there: {example}", self.token

    def _clause_outside_point(self):
        if self.token.type != "NAME" or not self.expected & {"POINT", "PLAN"} or "SHALL" in self.expected:
            return None
        if not _CLAUSE_AHEAD.match(self.text, self.token.end_pos):
            return None
        inside = "a point" if "POINT" in self.expected else "a point of a plan"
        return (f"a clause goes inside {inside}",
                'write it in a point: point 1 "Title" { russia shall cease fire; }', self.token)

    def _number_after_in(self):
        previous = self.previous()
        if self.token.type not in ("INT", "NUMBER") or previous is None or previous.type != "IN":
            return None
        unit = self._next_word() or "days"
        return ("'in' is followed by a place here, not a number",
                f"for a time limit write: within {self.token.value} {unit}", self.token)


def _action_form(parser) -> str | None:
    """How the action being written is written, if the error is inside one."""
    for value in reversed(parser.parser_state.value_stack):
        if isinstance(value, Token):
            if value.type in ("SEMI", "LBRACE", "RBRACE"):
                return None
            if value.type in _ACTION_FORMS:
                return _ACTION_FORMS[value.type]
        elif isinstance(value, ast.Node) and not isinstance(value, ast.Ref):
            return None  # the action is complete: the error is after it
    return None


def _follows_number(parser) -> bool:
    """Did the parser just read a number, or a number's scale word ('1.5 million')?"""
    values = parser.parser_state.value_stack
    if not values:
        return False
    last = values[-1]
    if isinstance(last, Token):
        return last.type in ("INT", "NUMBER", "THOUSAND", "MILLION", "MN", "BILLION", "BN", "TRILLION", "TN")
    return isinstance(last, str) and last in ("thousand", "million", "billion", "trillion")


def _follows_name(parser) -> bool:
    values = parser.parser_state.value_stack
    return bool(values) and isinstance(values[-1], Token) and values[-1].type == "NAME"


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


_CURRENCIES = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY"}
_AMOUNT_AFTER_SIGN = re.compile(r"[ \t]*(\d[\d,._]*(?:[ \t]+(?:thousand|million|mn|billion|bn|trillion|tn)\b)?)")


def _character_hint(char: str, text: str, pos: int) -> str | None:
    if char in "'\u2018\u2019\u201c\u201d":
        return 'texts are written between straight double quotes: "..."'
    if char in "[]":
        return "lists are written with commas, without brackets: members a, b, c;"
    if char == "/":
        return "comments start with '#'"
    if char in _CURRENCIES:
        amount = _AMOUNT_AFTER_SIGN.match(text, pos + 1, min(len(text), pos + 80))
        example = amount.group(1) if amount else "53 billion"
        return f"write the currency as the amount's unit: {example} {_CURRENCIES[char]}"
    if char == "=":
        return "properties are written without '=': of ukraine; strength 1,000 personnel;"
    return None


def _statement_end(text: str, pos: int) -> int:
    """Where the statement around ``pos`` ends: its ';', '{' or '}', or the end of its line.

    Found by scanning only as far as that end, so repeated calls stay linear.
    """
    found = _STATEMENT_END.search(text, pos)
    return found.start() if found else len(text)


_STATEMENT_END = re.compile(r"[;{}\n]")


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
    if isinstance(value, Tree):  # the items of a block not yet reduced, as Lark holds them
        value = value.children
    if isinstance(value, (tuple, list)) and value:
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
    closed = 0  # '}'s shifted but not yet reduced: the blocks they close are not open
    for i in range(len(values) - 1, -1, -1):
        brace = values[i]
        if isinstance(brace, Token) and brace.type == "RBRACE":
            closed += 1
        if not (isinstance(brace, Token) and brace.type == "LBRACE"):
            continue
        if closed:
            closed -= 1
            continue
        for j in range(i - 1, -1, -1):
            opener = values[j]
            kind = opener if isinstance(opener, str) else getattr(opener, "type", None)
            if kind in _BLOCK_KEYWORDS or kind in _BLOCK_KEYWORDS.values():
                word = _BLOCK_KEYWORDS.get(kind, kind)
                name = values[j + 1] if j + 1 < len(values) else None
                named = f" {_quoted(name.value)}" if isinstance(name, Token) and name.type in ("NAME", "INT") else ""
                line = opener.line if isinstance(opener, Token) else brace.line
                blocks.append(f"{word}{named} (line {line})")
                break
        else:
            blocks.append(f"the block at line {brace.line}")
    return blocks
