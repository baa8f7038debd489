"""The grammar: LALR, conflict-free, named keywords, and shipped with the package."""

from __future__ import annotations

import re

from plandsl.parser import build_lark, grammar_path


def test_grammar_builds_conflict_free_under_strict_mode():
    # strict=True raises on any shift/reduce conflict and on any regex collision.
    parser = build_lark(strict=True)
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"


def test_every_keyword_is_a_named_terminal():
    text = grammar_path().read_text()
    rules = re.sub(r"//[^\n]*", "", text.split("// Terminals")[0])
    # No anonymous "keyword" strings inside rules: they would surface as __ANON_n in errors.
    anonymous = re.findall(r'(?<![A-Z_]: )"[a-z][a-z ]*"', rules)
    assert anonymous == []


def test_keyword_terminals_are_spelt_as_their_word():
    parser = build_lark()
    for terminal in parser.terminals:
        if terminal.pattern.type == "str" and terminal.pattern.value.isalpha():
            assert terminal.name == terminal.pattern.value.upper(), terminal
