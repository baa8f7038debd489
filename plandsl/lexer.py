"""Text -> tokens: a contextual lexer for Lark's LALR parser, one regex pass per token.

It gives the same tokens as Lark's own contextual lexer with ``NAME`` always
accepted, faster: one compiled alternation of the grammar's terminals (taken from
the grammar, in priority order) instead of a scanner per parser state, and
keywords found by a dictionary look-up instead of a second regex match.

The one context rule: a word spelt like a keyword is that keyword only where the
parser can take the keyword; elsewhere it is a name. So ``state point;`` declares
a state called ``point``, and a misspelt keyword arrives whole, as a name, ready
for a did-you-mean.
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer

NAME = "NAME"
WHITESPACE = "WHITESPACE"

#: Characters that act on a terminal or reorder text instead of showing: the C0
#: controls but tab and line feed, DEL, the C1 controls, and the bidirectional
#: embeddings, overrides and isolates of "Trojan Source" (U+202A-202E, U+2066-2069).
#: A string or comment that holds one is an error (S112); writers neutralise any
#: that still reach them.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def character_name(char: str) -> str:
    """'U+001B' and, for the well-known ones, a name: 'U+001B (escape)'."""
    name = _CONTROL_NAMES.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


_CONTROL_NAMES = {
    "\x00": "null", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
    "\r": "carriage return", "\x1b": "escape", "\x7f": "delete", "\x9b": "control sequence introducer",
    "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding", "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override", "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate", "\u2069": "pop directional isolate",
}


class PlanLexer(Lexer):
    """A Lark custom lexer (``lexer=PlanLexer``) that reads the parser's state."""

    __future_interface__ = 2  # lex(lexer_state, parser_state)

    def __init__(self, conf):
        self.callbacks = conf.callbacks
        self.ignore = frozenset(conf.ignore)
        self.keywords: dict[str, str] = {}
        self.punctuation: dict[str, str] = {}
        patterns = []
        # Lark's own order: higher priority first, then longer patterns first.
        terminals = sorted(conf.terminals, key=lambda t: (-t.priority, -t.pattern.max_width, t.name))
        for terminal in terminals:
            pattern = terminal.pattern
            if pattern.type == "str" and pattern.value.isalpha():
                self.keywords[pattern.value] = terminal.name
            elif pattern.type == "str":
                self.punctuation[pattern.value] = terminal.name
            elif terminal.name != WHITESPACE:
                patterns.append(f"(?P<{terminal.name}>{pattern.to_regexp()})")
        punctuation = "".join(re.escape(p) for p in sorted(self.punctuation))
        patterns.append(f"(?P<PUNCTUATION>[{punctuation}])")
        # Whitespace is skipped in front of every token by the same match; a match
        # of whitespace alone means the end of the text or an unknown character.
        whitespace = next(t for t in conf.terminals if t.name == WHITESPACE).pattern.to_regexp()
        self.pattern = re.compile(f"(?:{whitespace})?(?:" + "|".join(patterns) + ")?")
        self.allowed = frozenset({*self.keywords.values(), *self.punctuation.values(),
                                  *(t.name for t in terminals if t.pattern.type == "re")} - self.ignore)

    def lex(self, lexer_state, parser_state):
        """Yield tokens from the lexer state's position.

        The lexer state's line counter is brought up to date at the end of the text
        and before an error the lexer raises; after an error the parser raises, the
        error handler moves it to the end of the offending token (:func:`resume_after`).
        """
        text = lexer_state.text.text
        end = lexer_state.text.end
        counter = lexer_state.line_ctr
        pos, line, line_start = counter.char_pos, counter.line, counter.line_start_pos
        match = self.pattern.match
        keywords, punctuation, callbacks, ignore = self.keywords, self.punctuation, self.callbacks, self.ignore
        states = parser_state.parse_conf.parse_table.states
        state_stack = parser_state.state_stack  # the parser pushes and pops this very list
        new_token = str.__new__
        last = None
        while pos < end:
            found = match(text, pos)
            kind = found.lastgroup
            if kind is None:  # only whitespace matched: the end, or a character no token starts with
                start = found.end()
                if start > pos and text.count("\n", pos, start):
                    line += text.count("\n", pos, start)
                    line_start = text.rindex("\n", pos, start) + 1
                pos = start
                if pos >= end:
                    break
                counter.char_pos, counter.line, counter.line_start_pos = pos, line, line_start
                counter.column = pos - line_start + 1
                if last is not None:
                    lexer_state.last_token = last
                raise UnexpectedCharacters(text, pos, line, pos - line_start + 1, allowed=self.allowed,
                                           state=parser_state, token_history=[last] if last else None)
            start, after = found.span(kind)
            if start > pos and text.count("\n", pos, start):
                line += text.count("\n", pos, start)
                line_start = text.rindex("\n", pos, start) + 1
            value = found.group(kind)
            if kind == NAME:
                keyword = keywords.get(value)
                if keyword is not None and keyword in states[state_stack[-1]]:
                    kind = keyword
            elif kind == "PUNCTUATION":
                kind = punctuation[value]
            # Built field by field: Lark's Token constructor costs more than the lexing.
            # No token but whitespace spans a newline: strings and comments end with the line.
            token = new_token(Token, value)
            column = start - line_start + 1
            token.type, token.value, token.start_pos, token.end_pos = kind, value, start, after
            token.line = token.end_line = line
            token.column, token.end_column = column, column + (after - start)
            pos = after
            callback = callbacks.get(kind)
            if callback is not None:
                token = callback(token)
            if kind in ignore:
                continue
            # The line counter is not kept current token by token (that costs a tenth
            # of the parse): error recovery moves it to the end of the bad token.
            yield token
            last = token
        counter.char_pos, counter.line, counter.line_start_pos = pos, line, line_start
        counter.column = pos - line_start + 1
        if last is not None:
            lexer_state.last_token = last


def resume_after(lexer_state, token: Token) -> None:
    """Put the lexer just after ``token``, so that lexing goes on from there."""
    if token.end_pos is None:  # the end of the text: the counter is already there
        return
    counter = lexer_state.line_ctr
    counter.char_pos = token.end_pos
    counter.line = token.end_line
    counter.column = token.end_column
    counter.line_start_pos = token.end_pos - token.end_column + 1
    lexer_state.last_token = token
