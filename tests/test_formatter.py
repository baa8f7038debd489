"""The formatter: canonical layout, comments kept, idempotent, meaning preserved."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, example_files

from plandsl.formatter import format_source, format_tree
from plandsl.parser import parse

MESSY = '''# The world
state russia "Russia" ;   state ukraine  "Ukraine";   # two states



region donetsk "Donetsk" { part of donbas;   # in the Donbas
held by ukraine partly ; }
plan p "P" {
status leaked;
  # the first point
  point 1 { ukraine shall cede donetsk to russia de facto cite nbc_2025_12 "cede territory, including land" cite other_source "x"; }
}
'''

TIDY = '''# The world
state russia "Russia";
state ukraine "Ukraine";  # two states

region donetsk "Donetsk" {
  part of donbas;  # in the Donbas
  held by ukraine partly;
}

plan p "P" {
  status leaked;
  # the first point
  point 1 {
    ukraine shall cede donetsk to russia de facto
        cite nbc_2025_12 "cede territory, including land"
        cite other_source "x";
  }
}
'''


def test_formats_to_the_canonical_layout():
    result = format_source(MESSY)
    assert result.formatted == TIDY
    assert result.changed


def test_formatting_is_idempotent_and_keeps_meaning():
    once = format_source(MESSY).formatted
    assert format_source(once).formatted == once
    assert not format_source(once).changed
    assert parse(once).tree == parse(MESSY).tree


def test_every_comment_survives():
    comments = re.findall(r"#[^\n]*", MESSY)
    formatted = format_source(MESSY).formatted
    assert all(comment in formatted for comment in comments)


def test_comments_in_a_multi_line_statement_move_above_it():
    text = 'plan p {\n  point 1 {\n    ukraine shall cede donetsk # where\n      to russia;\n  }\n}\n'
    formatted = format_source(text).formatted
    assert "    # where\n    ukraine shall cede donetsk to russia;\n" in formatted


def test_a_comment_above_a_block_stays_with_it():
    text = 'state a;\n# about b\nstate b "B" { alias "Bee"; }\n'
    assert format_source(text).formatted == 'state a;\n\n# about b\nstate b "B" {\n  alias "Bee";\n}\n'


def test_comment_at_end_of_block_and_file():
    text = 'plan p {\n  status draft;\n  # closing thought\n}\n# the end\n'
    assert format_source(text).formatted == text


def test_files_with_syntax_errors_are_not_formatted():
    result = format_source("state a")
    assert result.formatted is None and not result.changed
    assert [d.code for d in result.diagnostics] == ["S104"]


def test_numbers_fractions_and_strings_are_written_canonically():
    text = ('plan p { point 1 { allocate 100bn USD (1/3) of f to g; a shall not exceed 800000 personnel; '
            'a shall not exceed 3/11 of strength; provision "say \\"no\\"\\\\"; } }')
    formatted = format_source(text).formatted
    assert "allocate 100 billion USD (one-third) of f to g;" in formatted
    assert "a shall not exceed 800,000 personnel;" in formatted
    assert "a shall not exceed 3/11 of strength;" in formatted
    assert 'provision "say \\"no\\"\\\\";' in formatted
    assert parse(formatted).tree == parse(text).tree


def test_condition_parentheses_only_where_needed():
    text = 'plan p { point 1 { shall cease fire if ("a" and "b") or ("c" or "d") and not ("e"); } }'
    formatted = format_source(text).formatted
    assert 'if "a" and "b" or ("c" or "d") and not "e";' in formatted
    assert parse(formatted).tree == parse(text).tree


def test_format_tree_without_source_text():
    tree = parse(MESSY).tree
    assert parse(format_tree(tree)).tree == tree


@pytest.mark.parametrize("path", example_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_round_trip_and_are_idempotent(path):
    text = path.read_text(encoding="utf-8")
    formatted = format_source(text, str(path)).formatted
    assert formatted is not None
    assert parse(formatted).tree == parse(text).tree
    assert format_source(formatted).formatted == formatted
    assert re.findall(r"#[^\n]*", formatted) == re.findall(r"#[^\n]*", text)


def test_comment_after_a_block_header_stays_on_it():
    text = 'plan p {  # about p\n  point 1 {  # about 1\n    shall cease fire;\n  }\n}\n'
    assert format_source(text).formatted == text
