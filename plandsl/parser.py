"""Text -> AST: the Lark LALR parser, the inline AST builder, and syntax errors.

The grammar lives in ``grammar/plan.lark`` (shipped inside the package as
``plandsl/grammar/plan.lark``). It is loaded once, behind :func:`_lark`, and the
parse tables are cached on disk so that start-up stays fast.

The AST is built inline while parsing (Lark's ``transformer=`` on the LALR
parser): each grammar rule has a short method in :class:`_Builder`.

Syntax errors never escape as exceptions: :mod:`plandsl.recovery` turns them
into diagnostics and lets the parse go on.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
import os
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput
from lark.lark import PostLex

from plandsl import ast
from plandsl.ast import Span
from plandsl.diagnostics import Diagnostic, Severity
from plandsl.lexer import CONTROL_CHARACTER, PlanLexer, character_name
from plandsl.recovery import MAX_NESTING, Recovery, Stop, TooDeep

#: Files above this size are refused with S107 unless the caller raises it.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What parsing one file gives: a tree (possibly partial) and diagnostics.

    ``tree`` is None only when the text could not be read at all (not text, too
    large, too many errors). With syntax errors it holds what parsed cleanly.
    """

    path: str
    text: str
    tree: ast.PlanFile | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    comments: list[ast.Comment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is no error-severity diagnostic."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


# ============================================================================
# Loading the grammar
# ============================================================================


def grammar_path() -> Path:
    """The grammar file: inside the installed package, or at the repository top."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / "plan.lark", here.parent / "grammar" / "plan.lark"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("plandsl's grammar file plan.lark is missing from the installation")


class _NamesEverywhere(PostLex):
    """Makes Lark's contextual lexer accept ``NAME`` in every state, as PlanLexer does.

    Keywords are then cut only at word boundaries: a misspelt keyword such as
    "shal" or "ceded" arrives whole, as a name, and gets a did-you-mean, instead of
    being split into a keyword and a stray rest.
    """

    always_accept = ("NAME",)

    def process(self, stream):
        return stream


class _Current(threading.local):
    """Per-thread state of the parse under way (the Lark instance is shared)."""

    recovery: "Recovery | None" = None
    builder_file: str = "<input>"


_current = _Current()
_lark_lock = threading.Lock()
_lark_instance: Lark | None = None


def _cache_file(grammar_text: str) -> str | None:
    import lark

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = hashlib.sha256((grammar_text + lark.__version__).encode()).hexdigest()[:16]
    directory = os.path.join(base, "plandsl")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    if not os.access(directory, os.W_OK):
        return None
    return os.path.join(directory, f"parser-{key}.lark")


def _lark() -> Lark:
    """The one parser instance, built (or loaded from the cache) on first use."""
    global _lark_instance
    with _lark_lock:
        if _lark_instance is None:
            text = grammar_path().read_text(encoding="utf-8")
            _lark_instance = Lark(
                text,
                parser="lalr",
                lexer=PlanLexer,
                transformer=_Builder(),
                maybe_placeholders=True,
                lexer_callbacks={"LPAR": _open_paren, "RPAR": _close_paren, "COMMENT": _comment, "STRING": _control_characters,
                                 **{name: _number_token for name in _NUMBER_TOKENS}},
                cache=_cache_file(text) or False,
            )
        return _lark_instance


def build_lark(**options) -> Lark:
    """A fresh Lark parser with Lark's own contextual lexer, for tests and tools.

    Tests build it with ``strict=True`` to prove the grammar conflict-free, and
    compare its trees with those of the parser :func:`parse` uses.
    """
    return Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                postlex=_NamesEverywhere(), maybe_placeholders=True, **options)


# ============================================================================
# The AST builder: one short method per grammar rule
# ============================================================================


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector for a stage that builds a large tree.

    Parsing and checking make many objects and no garbage cycles: the collector
    would only walk the growing tree again and again, making the work grow faster
    than the input.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _token_span(token: Token) -> Span:
    return Span(_current.builder_file, token.line, token.column, token.end_line, token.end_column)


def _span(children) -> Span:
    """The span from the first to the last child that has a position."""
    if not children:
        return ast.NO_SPAN
    first = children[0]
    if first.__class__ is Token:
        start = (first.line, first.column)
    else:
        start = None
        for child in children:
            if child is not None and (start := _start_of(child)):
                break
    last = children[-1]
    if last.__class__ is Token:
        end = (last.end_line, last.end_column)
    else:
        end = None
        for child in reversed(children):
            if child is not None and (end := _end_of(child)):
                break
    if start is None or end is None:
        return ast.NO_SPAN
    return Span(_current.builder_file, start[0], start[1], end[0], end[1])


def _start_of(child):
    if isinstance(child, _Word):
        return child.start
    if isinstance(child, Span):
        return (child.line, child.column)
    if isinstance(child, Token):
        return (child.line, child.column)
    if isinstance(child, ast.Node):
        return (child.span.line, child.span.column)
    if isinstance(child, tuple) and child:
        return _start_of(child[0])
    return None


def _end_of(child):
    if isinstance(child, _Word):
        return child.end
    if isinstance(child, Span):
        return (child.end_line, child.end_column)
    if isinstance(child, Token):
        return (child.end_line, child.end_column)
    if isinstance(child, ast.Node):
        return (child.span.end_line, child.span.end_column)
    if isinstance(child, tuple) and child:
        return _end_of(child[-1])
    return None


class _Word(str):
    """A keyword phrase a rule stands for ("shall not"), keeping its place for spans.

    Nodes store plain ``str(word)``; the position only serves :func:`_span`.
    """

    __slots__ = ("start", "end")

    def __new__(cls, text: str, children):
        word = super().__new__(cls, text)
        word.start = _start_of(children[0])
        word.end = _end_of(children[-1])
        return word


def _text(word) -> str | None:
    return None if word is None else str(word)


def _string(token: Token | None) -> str | None:
    """The text of a STRING token, quotes removed and escapes resolved."""
    if token is None:
        return None
    return _ESCAPE.sub(_unescape, token.value[1:-1])


_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(match: re.Match) -> str:
    char = match.group(1)
    return _ESCAPES.get(char, "\\" + char)


def _number(token: Token) -> Decimal:
    return Decimal(token.value.replace(",", "").replace("_", ""))


_FRACTION_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_DENOMINATOR_WORDS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}


def _citations(children) -> tuple[ast.Citation, ...]:
    return tuple(c for c in children if isinstance(c, ast.Citation))


class _Builder(Transformer):
    """Builds AST nodes as the LALR parser reduces rules. No checks happen here."""

    # ---------------------------------------------------------------- file
    def start(self, c):
        return ast.PlanFile(_current.builder_file, tuple(c), span=_span(c))

    def use(self, c):
        return ast.Use(_string(c[1]), span=_span(c))

    # ---------------------------------------------------------------- declarations
    def declaration(self, c):
        kind, name, label, (properties, body_span) = c
        return ast.Declaration(str(kind), name.value, _string(label), properties, span=_span([*c[:3], body_span]))

    def decl_kind(self, c):
        return _Word(c[0].value, c)

    def decl_body(self, c):
        return tuple(c[1:-1]), _span(c)

    def property(self, c):
        key, values, head = c[0]
        return ast.Property(key, values, _citations(c), span=_span([head, *c[1:]]))

    def _prop(key):  # noqa: N805 - a factory used in the class body
        def build(self, c):
            values = tuple(_value(v) for v in c
                           if v is not None and not (isinstance(v, Token) and v.type not in _VALUE_TOKENS))
            return (key, values, _span(c))
        return build

    prop_kind = _prop("kind")
    prop_publisher = _prop("publisher")
    prop_author = _prop("author")
    prop_date = _prop("date")
    prop_url = _prop("url")
    prop_locator = _prop("locator")
    prop_reported_in = _prop("reported in")
    prop_alias = _prop("alias")
    prop_members = _prop("members")
    prop_part_of = _prop("part of")
    prop_held_by = _prop("held by")
    prop_annexed_by = _prop("annexed by")
    prop_of = _prop("of")
    prop_branch = _prop("branch")
    prop_strength = _prop("strength")
    prop_range = _prop("range")
    prop_owner = _prop("owner")
    prop_holder = _prop("holder")
    prop_amount = _prop("amount")
    prop_managed_by = _prop("managed by")
    prop_beneficiary = _prop("beneficiary")
    prop_status = _prop("status")
    prop_sponsor = _prop("sponsor")
    prop_revises = _prop("revises")
    prop_text = _prop("text")
    prop_note = _prop("note")
    prop_cite = _prop("cite")
    del _prop

    def extent(self, c):
        return ast.Keyword(c[0].value, span=_span(c)) if isinstance(c[0], Token) else c[0]

    def plan_status(self, c):
        return ast.Keyword(c[0].value, span=_span(c))

    # ---------------------------------------------------------------- plans
    def plan(self, c):
        return ast.Plan(c[1].value, _string(c[2]), tuple(c[4:-1]), span=_span(c))

    def point(self, c):
        return ast.Point(int(c[1].value), _string(c[2]), tuple(c[4:-1]), span=_span(c))

    def option(self, c):
        # OPTION NAME [PROPOSED BY names] [AGREED] LBRACE item* RBRACE
        proposers = c[4] or ()
        return ast.Option(c[1].value, proposers, c[5] is not None, tuple(c[7:-1]), span=_span(c))

    def unknown(self, c):
        return ast.Unknown(_string(c[1]), _citations(c), span=_span(c))

    def unknown_points(self, c):
        return ast.UnknownPoints(int(c[1].value), int(c[3].value), _string(c[5]), _citations(c), span=_span(c))

    # ---------------------------------------------------------------- clauses
    def clause(self, c):
        label, (subjects, modality, action, modifiers, body_span) = c[0], c[1]
        return ast.Clause(_text(label), subjects, _text(modality), action, modifiers, _citations(c),
                          span=_span([label, body_span, *c[2:]]))

    def label(self, c):
        return _Word(c[0].value, c)

    # A clause body is a tuple, not a node: clause, ideal and require wrap it.
    def clause_body(self, c):
        return (c[0] or (), c[1], c[2], tuple(c[3:]), _span(c))

    def clause_body_plain(self, c):
        return ((), None, c[0], tuple(c[1:]), _span(c))

    def subjects(self, c):
        return c[0]

    def shall(self, c):
        return _Word("shall", c)

    def shall_not(self, c):
        return _Word("shall not", c)

    def shall_never(self, c):
        return _Word("shall never", c)

    def may(self, c):
        return _Word("may", c)

    def may_not(self, c):
        return _Word("may not", c)

    # ---------------------------------------------------------------- actions
    def cede(self, c):
        return ast.Cede(c[1], c[3], _text(c[4]), c[5] or (), span=_span(c))

    def recognised_by(self, c):
        return c[2]

    def recognise(self, c):
        # (RECOGNISE|RECOGNIZE) names [AS PART OF name] [legal_status]
        return ast.Recognise(c[1], c[5], _text(c[6]), span=_span(c))

    def de_facto(self, c):
        return _Word("de facto", c)

    def de_jure(self, c):
        return _Word("de jure", c)

    def freeze(self, c):
        return ast.Freeze(c[5] or (), span=_span(c))

    def withdraw(self, c):
        return ast.Withdraw(c[2], c[4], span=_span(c))

    def establish(self, c):
        return ast.Establish(str(c[1]), c[4], c[6], span=_span(c))

    def zone_kind(self, c):
        return _Word("demilitarised" if c[0].type in ("DEMILITARISED", "DEMILITARIZED") else "buffer", c)

    def exceed(self, c):
        return ast.Exceed(c[1], span=_span(c))

    def limit_amount(self, c):
        return ast.Limit(c[0], c[2], span=_span(c))

    def limit_share(self, c):
        return ast.Limit(None, c[0], span=_span(c))

    def limit_any(self, c):
        return ast.Limit(None, None, span=_span(c))

    def possess(self, c):
        return ast.Possess(c[1], c[2], span=_span(c))

    def deploy(self, c):
        return ast.Deploy(c[1], c[3] or (), c[4], span=_span(c))

    def weapon_range(self, c):
        return c[2]

    def join(self, c):
        return ast.Join(c[1], span=_span(c))

    def admit(self, c):
        return ast.Admit(c[1], span=_span(c))

    def station(self, c):
        return ast.Station(c[3], span=_span(c))

    def unite(self, c):
        return ast.Unite(c[2], span=_span(c))

    def allocate(self, c):
        # ALLOCATE [share OF] name TO name
        return ast.Allocate(c[1], c[3], c[5], span=_span(c))

    def receive(self, c):
        return ast.ReceiveProfits(c[1], c[5], span=_span(c))

    def share_amount(self, c):
        amount = ast.Estimate(_text(c[0]), c[1], span=_span(c[:2]))
        return ast.Share(amount, c[3], span=_span(c))

    def share_proportion(self, c):
        return ast.Share(None, c[0], span=_span(c))

    def proportion(self, c):
        return ast.Estimate(_text(c[0]), c[1], span=_span(c))

    def share_remainder(self, c):
        return ast.Share(None, None, "remainder", span=_span(c))

    def share_all(self, c):
        return ast.Share(None, None, "all", span=_span(c))

    def share_any(self, c):
        return ast.Share(None, None, "any", span=_span(c))

    def sanction(self, c):
        return ast.Sanctions(str(c[0]), c[1] is not None, c[4], span=_span(c))

    def lift(self, c):
        return _Word("lift", c)

    def ease(self, c):
        return _Word("ease", c)

    def impose(self, c):
        return _Word("impose", c)

    def reinstate(self, c):
        return _Word("reinstate", c)

    def phase_out(self, c):
        return _Word("phase out", c)

    def cease_fire(self, c):
        return ast.CeaseFire(span=_span(c))

    def guarantee(self, c):
        return ast.Guarantee(c[3], _text(c[4]), c[7], span=_span(c))

    def guarantee_strength(self, c):
        return c[1]

    def guarantee_level(self, c):
        return _Word(c[0].value, c)

    def amnesty(self, c):
        return ast.Amnesty(_string(c[2]), span=_span(c))

    def exchange(self, c):
        return ast.ExchangePrisoners(_string(c[2]), span=_span(c))

    def elections(self, c):
        return ast.HoldElections(c[3] or (), span=_span(c))

    def provision(self, c):
        return ast.Provision(None if c[1].type == "ANY" else _string(c[1]), c[3] or (), span=_span(c))

    # ---------------------------------------------------------------- modifiers and conditions
    def within(self, c):
        return ast.Within(c[1], c[3], span=_span(c))

    def by_date(self, c):
        return ast.ByDate(c[1], span=_span(c))

    def from_date(self, c):
        return ast.FromDate(c[1], span=_span(c))

    def until_date(self, c):
        return ast.UntilDate(c[1], span=_span(c))

    def upon(self, c):
        return ast.Upon(c[1], span=_span(c))

    def if_(self, c):
        return ast.If(c[1], span=_span(c))

    def unless(self, c):
        return ast.Unless(c[1], span=_span(c))

    def clause_ref(self, c):
        return ast.Ref(c[0].value, span=_span(c))

    def point_ref(self, c):
        return ast.PointRef(int(c[1].value), span=_span(c))

    def or_(self, c):
        return ast.Or(tuple(c[0::2]), span=_span(c))

    def and_(self, c):
        return ast.And(tuple(c[0::2]), span=_span(c))

    def invades(self, c):
        return ast.Invades(c[0], c[2], span=_span(c))

    def attacks(self, c):
        return ast.Attacks(c[0], c[2], span=_span(c))

    def breached(self, c):
        return ast.Breached(c[0], span=_span(c))

    def condition_text(self, c):
        return ast.ConditionText(_string(c[0]), span=_span(c))

    def not_(self, c):
        return ast.Not(c[1], span=_span(c))

    def parenthesised(self, c):
        return c[1]

    # ---------------------------------------------------------------- positions
    def positions(self, c):
        return ast.Positions(_ref(c[1]), _string(c[2]), tuple(c[4:-1]), span=_span(c))

    def redline(self, c):
        # REDLINE NAME STRING citation* LBRACE item* RBRACE
        brace = next(i for i, x in enumerate(c) if isinstance(x, Token) and x.type == "LBRACE")
        return ast.RedLine(c[1].value, _string(c[2]), _citations(c[3:brace]), tuple(c[brace + 1 : -1]), span=_span(c))

    def require(self, c):
        return ast.Requirement("require", _predicate(c[1]), _citations(c), span=_span(c))

    def forbid(self, c):
        return ast.Requirement("forbid", _predicate(c[1]), _citations(c), span=_span(c))

    def holds(self, c):
        return ast.Holds(c[0], c[2], span=_span(c))

    def ideal(self, c):
        label, (subjects, modality, action, modifiers, body_span) = c[1], c[2]
        clause = ast.Clause(_text(label), subjects, _text(modality), action, modifiers, _citations(c),
                            span=_span([label, body_span, *c[3:]]))
        return ast.Ideal(clause, span=_span(c))

    def flexible(self, c):
        return ast.Flexible(c[2], _citations(c), span=_span(c))

    # ---------------------------------------------------------------- shared pieces
    def citation(self, c):
        return ast.Citation(_ref(c[1]), _string(c[2]), span=_span(c))

    def names(self, c):
        return tuple(x for x in c if isinstance(x, ast.Ref))

    def name(self, c):
        return _ref(c[0])

    def any_name(self, c):
        return ast.Ref("any", True, span=_span(c))

    def strings(self, c):
        return tuple(_string(x) for x in c if x.type == "STRING")

    def date(self, c):
        parts = [int(p) for p in c[0].value.split("-")]
        return ast.Date(*parts, span=_span(c))

    def year(self, c):
        return ast.Date(int(c[0].value), span=_span(c))

    def estimate(self, c):
        return ast.Estimate(_text(c[0]), c[1], span=_span(c))

    def estimate_unknown(self, c):
        return ast.Estimate(None, None, span=_span(c))

    def about(self, c):
        return _Word("about", c)

    def more_than(self, c):
        return _Word("more than", c)

    def less_than(self, c):
        return _Word("less than", c)

    def at_least(self, c):
        return _Word("at least", c)

    def at_most(self, c):
        return _Word("at most", c)

    def quantity(self, c):
        return ast.Quantity(_number(c[0]), _text(c[1]), c[2].value, span=_span(c))

    def percent(self, c):
        return ast.Percent(_number(c[0]), span=_span(c))

    def fraction(self, c):
        token = c[0]
        if token.type == "FRACTION":
            numerator, denominator = token.value.split("/")
            return ast.Fraction(int(numerator), int(denominator), span=_span(c))
        numerator, denominator = token.value.split("-")
        return ast.Fraction(_FRACTION_WORDS[numerator], _DENOMINATOR_WORDS[denominator], span=_span(c))

    def thousand(self, c):
        return _Word("thousand", c)

    def million(self, c):
        return _Word("million", c)

    def billion(self, c):
        return _Word("billion", c)

    def trillion(self, c):
        return _Word("trillion", c)


# Tokens that carry a value into a property; every other token is a keyword.
_VALUE_TOKENS = frozenset({"NAME", "STRING"})


def _ref(token: Token) -> ast.Ref:
    return ast.Ref(token.value, span=_token_span(token))


def _value(value):
    """A property argument: tokens become refs, strings or keyword words."""
    if isinstance(value, Token):
        if value.type == "NAME":
            return _ref(value)
        return _string(value)
    return value


def _predicate(body):
    if isinstance(body, ast.Holds):
        return body
    subjects, modality, action, modifiers, span = body
    return ast.Clause(None, subjects, _text(modality), action, modifiers, (), span=span)


# ============================================================================
# Lexer callbacks: comments, the nesting limit (the LALR parser never recurses,
# but the tools that read deep trees would) and the length of numbers
# ============================================================================

#: Numbers may have at most this many digits. No settlement counts beyond a
#: billion billion; past Python's 4,300-digit limit int() raises, and long before
#: that arithmetic on the value would only be slow.
MAX_DIGITS = 18

#: The terminals that hold numbers, and a harmless value of each kind that stands
#: in for a number over the limit (the file has an error, so it is never used).
_NUMBER_TOKENS = {"INT": "0", "NUMBER": "0.0", "FRACTION": "0/1"}


def _number_token(token: Token) -> Token:
    recovery = _current.recovery
    if recovery is None or len(token.value) <= MAX_DIGITS:
        return token
    # A fraction's limit is on each of its two numbers.
    digits = max(sum(ch.isdigit() for ch in part) for part in token.value.split("/"))
    if digits <= MAX_DIGITS:
        return token
    # Through report(), so that these count towards the cap on syntax errors (S109).
    recovery.report("S110", f"this number has {digits:,} digits; numbers may have at most {MAX_DIGITS}",
                    token.line, token.column, token.end_line, token.end_column,
                    "write a large amount with a scale word, as in '300 billion'")
    return Token.new_borrow_pos(token.type, _NUMBER_TOKENS[token.type], token)


def _open_paren(token: Token) -> Token:
    recovery = _current.recovery
    if recovery is not None:
        recovery.depth += 1
        if recovery.depth > MAX_NESTING:
            raise TooDeep(token)
    return token


def _close_paren(token: Token) -> Token:
    recovery = _current.recovery
    if recovery is not None and recovery.depth > 0:
        recovery.depth -= 1
    return token


def _control_characters(token: Token) -> Token:
    """S112 for a string or comment holding a control character; the characters become U+FFFD,
    so that no message, report or document downstream carries them."""
    recovery = _current.recovery
    value = token.value
    if token.type == "COMMENT" and value.endswith("\r"):  # the end of a CRLF line, not a character of the comment
        value = value[:-1]
    found = CONTROL_CHARACTER.search(value)
    if recovery is None or found is None:
        return token
    count = len(CONTROL_CHARACTER.findall(value))
    more = f" (and {count - 1} more)" if count > 1 else ""
    what = "comment" if token.type == "COMMENT" else "string"
    column = token.column + found.start()
    recovery.diagnostics.append(Diagnostic(
        "S112", Severity.ERROR, f"this {what} holds the control character {character_name(found.group())}{more}",
        Span(_current.builder_file, token.line, column, token.line, column + 1),
        "remove it; write a line break in a string as \\n" if what == "string" else "remove it"))
    cleaned = CONTROL_CHARACTER.sub("\N{REPLACEMENT CHARACTER}", value) + token.value[len(value):]
    return Token.new_borrow_pos(token.type, cleaned, token)


def _comment(token: Token) -> Token:
    token = _control_characters(token)
    recovery = _current.recovery
    if recovery is not None:
        recovery.comments.append(ast.Comment(token.value, span=_token_span(token)))
    return token


# ============================================================================
# Public entry points
# ============================================================================


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """Bytes -> text: drops a UTF-8 BOM; reports NUL bytes and invalid UTF-8 (S108)."""
    diagnostics: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        # Columns count characters, not bytes.
        column = len(data[data.rfind(b"\n", 0, nul) + 1:nul].decode("utf-8", "replace")) + 1
        diagnostics.append(Diagnostic("S108", Severity.ERROR, "this is not a text file: it holds NUL bytes",
                                      Span(path, line, column, line, column + 1),
                                      "plan files are UTF-8 text"))
        return "", diagnostics
    try:
        return data.decode("utf-8"), diagnostics
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start_of_line = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[start_of_line:error.start].decode("utf-8", "replace")) + 1
        diagnostics.append(Diagnostic(
            "S108", Severity.ERROR, f"byte 0x{data[error.start]:02x} is not valid UTF-8",
            Span(path, line, column, line, column + 1), "save the file as UTF-8"))
        return data.decode("utf-8", "replace"), diagnostics


def parse(text: str, path: str = "<input>") -> ParseResult:
    """Parse the text of one .plan file. Never raises on any input text."""
    lark = _lark()
    recovery = Recovery(text, path, lark)
    _current.recovery = recovery
    _current.builder_file = path
    tree = None
    try:
        with gc_paused():
            tree = lark.parse(text, on_error=recovery.on_error)
    except TooDeep as deep:
        token = deep.token
        recovery.diagnostics.append(Diagnostic(
            "S106", Severity.ERROR, f"parentheses nest more than {MAX_NESTING} levels deep",
            Span(path, token.line, token.column, token.line, token.column + 1),
            "simplify the condition"))
    except Stop:
        pass
    except UnexpectedInput as error:
        # Recovery gave up (Lark re-raises when the handler cannot make progress).
        line = getattr(error, "line", 1) or 1
        column = getattr(error, "column", 1) or 1
        if not recovery.diagnostics:
            recovery.diagnostics.append(Diagnostic("S101", Severity.ERROR, "the file cannot be parsed from here on",
                                                   Span(path, line, column, line, column + 1)))
    finally:
        _current.recovery = None
    if tree is not None and not isinstance(tree, ast.PlanFile):
        tree = None
    return ParseResult(path, text, tree, recovery.diagnostics, recovery.comments)


def parse_bytes(data: bytes, path: str = "<input>", max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Parse raw file contents: size limit, decoding, then :func:`parse`."""
    if len(data) > max_bytes:
        message = f"the file is larger than the limit of {max_bytes / 2**20:g} MiB"
        return ParseResult(path, "", None, [Diagnostic("S107", Severity.ERROR, message, Span(path, 1, 1, 1, 2),
                                                       "split it into several files joined with 'use', "
                                                       "or raise --max-file-size")])
    text, problems = decode(data, path)
    if problems and not text:
        return ParseResult(path, "", None, problems)
    result = parse(text, path)
    return ParseResult(path, text, result.tree, problems + result.diagnostics, result.comments)


def parse_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Read and parse one regular file (at most ``max_bytes``, else S107). I/O errors raise
    OSError, and a FIFO, a directory or a device :class:`plandsl.inputs.NotARegularFile`:
    they are the caller's to report. Spans name the file as :func:`plandsl.inputs.quote_path`
    shows it."""
    from plandsl.inputs import quote_path, read_file

    return parse_bytes(read_file(path, max_bytes), quote_path(path), max_bytes)
