"""Grammar-driven fuzzing: text drawn from the grammar itself (hypothesis's from_lark).

Every terminal is given explicitly, with spaces around it: from_lark's default
spacing glues words together, so most of its strings would not even lex.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from plandsl.codes import CODES
from plandsl.formatter import format_source
from plandsl.parser import build_lark, parse

LARK = build_lark()

_VALUES = {
    "NAME": st.sampled_from(["russia", "ukraine", "nato", "donbas", "army", "fund", "src", "w"]),
    "STRING": st.sampled_from(['"text"', '"a \\"quoted\\" word"', '""']),
    "INT": st.integers(0, 30).map(str),
    "NUMBER": st.sampled_from(["600,000", "2.5", "1_000"]),
    "DATE_VALUE": st.sampled_from(["2025-11", "2026-01-15"]),
    "FRACTION": st.sampled_from(["1/3", "7/10"]),
    "FRACTION_WORD": st.sampled_from(["one-third", "two-fifths"]),
}
EXPLICIT = {
    terminal.name: (_VALUES[terminal.name] if terminal.name in _VALUES else st.just(terminal.pattern.value))
    .map(lambda text: f" {text} ")
    for terminal in LARK.terminals
    if terminal.name not in ("COMMENT", "WHITESPACE")
}
# Ignored terminals are drawn between tokens too: a comment must end its line.
EXPLICIT["COMMENT"] = st.sampled_from(["# a note", "#"]).map(lambda text: f" {text}\n")
EXPLICIT["WHITESPACE"] = st.sampled_from([" ", "\n", "\t", "\r\n"])
GRAMMAR_TEXT = from_lark(LARK, explicit=EXPLICIT)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(GRAMMAR_TEXT)
def test_text_from_the_grammar_parses_clean_and_round_trips(text):
    result = parse(text)
    assert result.diagnostics == [], (text, result.diagnostics)
    formatted = format_source(text).formatted
    assert parse(formatted).tree == result.tree
    assert format_source(formatted).formatted == formatted


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(GRAMMAR_TEXT, st.data())
def test_grammar_text_with_a_token_dropped_gives_diagnostics_not_exceptions(text, data):
    words = text.split()
    if not words:
        return
    index = data.draw(st.integers(0, len(words) - 1))
    broken = " ".join(words[:index] + words[index + 1:])
    result = parse(broken)
    assert all(d.code in CODES and d.span.line >= 1 for d in result.diagnostics)
