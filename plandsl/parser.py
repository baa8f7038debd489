"""Text -> AST: the Lark LALR parser, the inline AST builder, and syntax errors.

The grammar lives in ``grammar/plan.lark`` (shipped inside the package as
``plandsl/grammar/plan.lark``). It is loaded once, behind :func:`_lark`, and the
parse tables are cached on disk so that start-up stays fast.

The AST is built inline while parsing (Lark's ``transformer=`` on the LALR
parser): each grammar rule has a one-line method in :class:`_Builder`.

Syntax errors never escape as exceptions. They become :class:`Diagnostic` records
in the user's words, and the parser recovers (inserting a missing ';' or '}',
or skipping to the end of the broken statement) to report further errors.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lark import PostLex
from lark.parsers.lalr_analysis import Shift

from plandsl import ast
from plandsl.ast import Span
from plandsl.diagnostics import Diagnostic, Severity

#: Files above this size are refused with S107 unless the caller raises it.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
#: Parentheses deeper than this are refused with S106.
MAX_NESTING = 64
#: A file stops being parsed after this many reported syntax errors (S109).
MAX_ERRORS = 100


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


class _SkipBrokenStatement(PostLex):
    """Between the lexer and the parser: drops the rest of a broken statement.

    ``NAME`` is always accepted by the contextual lexer, so a misspelt keyword
    arrives as a name (and gets a did-you-mean) instead of being cut into pieces.
    """

    always_accept = ("NAME",)

    def process(self, stream):
        recovery = _current.recovery
        if recovery is None:
            yield from stream
            return
        for token in stream:
            if recovery.skipping and not recovery.passes(token):
                continue
            yield token


class _Current(threading.local):
    recovery: "_Recovery | None" = None
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
                lexer="contextual",
                transformer=_Builder(),
                postlex=_SkipBrokenStatement(),
                maybe_placeholders=True,
                lexer_callbacks={"LPAR": _open_paren, "RPAR": _close_paren},
                cache=_cache_file(text) or False,
            )
        return _lark_instance


def build_lark(**options) -> Lark:
    """A fresh Lark parser over the grammar, for tests (``strict=True``) and tools."""
    return Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", lexer="contextual",
                postlex=_SkipBrokenStatement(), maybe_placeholders=True, **options)


# ============================================================================
# The AST builder: one short method per grammar rule
# ============================================================================


def _token_span(token: Token) -> Span:
    return Span(_current.builder_file, token.line, token.column, token.end_line, token.end_column)


def _span(children) -> Span:
    """The span from the first to the last child that has a position."""
    first = last = None
    for child in children:
        if child is not None and (first := _start_of(child)):
            break
    for child in reversed(children):
        if child is not None and (last := _end_of(child)):
            break
    if first is None or last is None:
        return ast.NO_SPAN
    return Span(_current.builder_file, first[0], first[1], last[0], last[1])


def _start_of(child):
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
    if isinstance(child, Span):
        return (child.end_line, child.end_column)
    if isinstance(child, Token):
        return (child.end_line, child.end_column)
    if isinstance(child, ast.Node):
        return (child.span.end_line, child.span.end_column)
    if isinstance(child, tuple) and child:
        return _end_of(child[-1])
    return None


def _string(token: Token | None) -> str | None:
    """The text of a STRING token, quotes removed and escapes resolved."""
    if token is None:
        return None
    return _ESCAPE.sub(_unescape, token.value[1:-1])


_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


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
        kind, name, label, (properties, has_body) = c
        return ast.Declaration(kind, name.value, _string(label), properties, has_body, span=_span(c))

    def decl_kind(self, c):
        return c[0].value

    def decl_body(self, c):
        return (tuple(c[1:-1]), len(c) > 1)

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
        return c[0].value if isinstance(c[0], Token) else c[0]

    def plan_status(self, c):
        return c[0].value

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
        label, (subjects, modality, action, modifiers, _) = c[0], c[1]
        return ast.Clause(label, subjects, modality, action, modifiers, _citations(c), span=_span(c))

    def label(self, c):
        return c[0].value

    # A clause body is a tuple, not a node: clause, ideal and require wrap it.
    def clause_body(self, c):
        return (c[0] or (), c[1], c[2], tuple(c[3:]), _span(c))

    def clause_body_plain(self, c):
        return ((), None, c[0], tuple(c[1:]), _span(c))

    def subjects(self, c):
        return c[0]

    def shall(self, c):
        return "shall"

    def shall_not(self, c):
        return "shall not"

    def shall_never(self, c):
        return "shall never"

    def may(self, c):
        return "may"

    def may_not(self, c):
        return "may not"

    # ---------------------------------------------------------------- actions
    def cede(self, c):
        return ast.Cede(c[1], c[3], c[4], c[5] or (), span=_span(c))

    def recognised_by(self, c):
        return c[2]

    def recognise(self, c):
        # (RECOGNISE|RECOGNIZE) names [AS PART OF name] [legal_status]
        return ast.Recognise(c[1], c[5], c[6], span=_span(c))

    def de_facto(self, c):
        return "de facto"

    def de_jure(self, c):
        return "de jure"

    def freeze(self, c):
        return ast.Freeze(c[5] or (), span=_span(c))

    def withdraw(self, c):
        return ast.Withdraw(c[2], c[4], span=_span(c))

    def establish(self, c):
        return ast.Establish(c[1], c[4], c[6], span=_span(c))

    def zone_kind(self, c):
        return "demilitarised" if c[0].type in ("DEMILITARISED", "DEMILITARIZED") else "buffer"

    def exceed(self, c):
        return ast.Exceed(c[1], span=_span(c))

    def limit_amount(self, c):
        share = None if c[2] is None else ast.Estimate(None, c[2], span=c[2].span)
        return ast.Limit(c[0], share, span=_span(c))

    def limit_share(self, c):
        share = ast.Estimate(c[0], c[1], span=_span(c[:2]))
        return ast.Limit(None, share, span=_span(c))

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
        return ast.Allocate(c[1], c[3], c[5], span=_span(c))

    def receive(self, c):
        return ast.ReceiveProfits(c[1], c[5], span=_span(c))

    def share_amount(self, c):
        return ast.Share(c[0], c[2], span=_span(c))

    def share_fraction(self, c):
        return ast.Share(None, c[0], span=_span(c))

    def share_remainder(self, c):
        return ast.Share(None, None, "remainder", span=_span(c))

    def share_all(self, c):
        return ast.Share(None, None, "all", span=_span(c))

    def sanction(self, c):
        return ast.Sanctions(c[0], c[1] is not None, c[4], span=_span(c))

    def lift(self, c):
        return "lift"

    def ease(self, c):
        return "ease"

    def impose(self, c):
        return "impose"

    def reinstate(self, c):
        return "reinstate"

    def phase_out(self, c):
        return "phase out"

    def cease_fire(self, c):
        return ast.CeaseFire(span=_span(c))

    def guarantee(self, c):
        return ast.Guarantee(c[3], c[4], c[7], span=_span(c))

    def guarantee_strength(self, c):
        return c[1]

    def guarantee_level(self, c):
        return c[0].value

    def amnesty(self, c):
        return ast.Amnesty(_string(c[2]), span=_span(c))

    def exchange(self, c):
        return ast.ExchangePrisoners(_string(c[2]), span=_span(c))

    def elections(self, c):
        return ast.HoldElections(span=_span(c))

    def provision(self, c):
        return ast.Provision(_string(c[1]), c[3] or (), span=_span(c))

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
        return ast.Or(c[0], c[2], span=_span(c))

    def and_(self, c):
        return ast.And(c[0], c[2], span=_span(c))

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
        subjects, modality, action, modifiers, body_span = c[1]
        clause = ast.Clause(None, subjects, modality, action, modifiers, _citations(c), span=_span([body_span, *c[2:]]))
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
        return ast.Estimate(c[0], c[1], span=_span(c))

    def estimate_unknown(self, c):
        return ast.Estimate(None, None, span=_span(c))

    def about(self, c):
        return "about"

    def more_than(self, c):
        return "more than"

    def less_than(self, c):
        return "less than"

    def at_least(self, c):
        return "at least"

    def at_most(self, c):
        return "at most"

    def quantity(self, c):
        return ast.Quantity(_number(c[0]), c[1], c[2].value, span=_span(c))

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
        return "thousand"

    def million(self, c):
        return "million"

    def billion(self, c):
        return "billion"

    def trillion(self, c):
        return "trillion"


# Tokens that carry a value into a property; every other token is a keyword.
_VALUE_TOKENS = frozenset({"NAME", "STRING", "DRAFT", "LEAKED", "PROPOSED", "AGREED", "SIGNED", "PARTLY", "FULLY"})


def _ref(token: Token) -> ast.Ref:
    return ast.Ref(token.value, span=_token_span(token))


def _value(value):
    """A property argument: tokens become refs, strings or keyword words."""
    if isinstance(value, Token):
        if value.type == "NAME":
            return _ref(value)
        if value.type == "STRING":
            return _string(value)
        return value.value
    return value


def _predicate(body):
    if isinstance(body, ast.Holds):
        return body
    subjects, modality, action, modifiers, span = body
    return ast.Clause(None, subjects, modality, action, modifiers, (), span=span)


# ============================================================================
# Nesting limit (lexer callbacks; the LALR parser itself never recurses)
# ============================================================================


class _TooDeep(Exception):
    def __init__(self, token: Token):
        self.token = token


class _Stop(Exception):
    """Raised from the error handler to give up on a hopeless file."""


def _open_paren(token: Token) -> Token:
    recovery = _current.recovery
    if recovery is not None:
        recovery.depth += 1
        if recovery.depth > MAX_NESTING:
            raise _TooDeep(token)
    return token


def _close_paren(token: Token) -> Token:
    recovery = _current.recovery
    if recovery is not None and recovery.depth > 0:
        recovery.depth -= 1
    return token


# ============================================================================
# Syntax errors: messages in the user's words, and recovery
# ============================================================================

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

# Keywords that begin a block or a statement: the innermost one names an open block.
_BLOCK_KEYWORDS = {
    "PLAN": "plan", "POINT": "point", "OPTION": "option", "POSITIONS": "positions",
    "REDLINE": "redline", "SOURCE": "source", "STATE": "state", "BLOC": "bloc",
    "ALLIANCE": "alliance", "ORGANISATION": "organisation", "ORGANIZATION": "organization",
    "PARTY": "party", "REGION": "region", "FORCE": "force", "WEAPON": "weapon", "POOL": "pool",
    "FUND": "fund",
}

# Tokens at which skipping a broken statement stops: they start something new.
_RESYNC = frozenset(set(_BLOCK_KEYWORDS) | {"USE", "IDEAL", "REQUIRE", "FORBID", "FLEXIBLE"})


def _describe_terminal(name: str, lark: Lark) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    terminal = lark.get_terminal(name)
    if terminal.pattern.type == "str":
        return f"'{terminal.pattern.value}'"
    return name.lower().replace("_", " ")


def _describe_token(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    if token.type == "NAME":
        return f"the name '{token.value}'"
    if token.type == "STRING":
        return "a quoted text"
    if token.type in ("INT", "NUMBER"):
        return f"the number {token.value}"
    if token.type in _TERMINAL_WORDS and token.type not in ("FRACTION", "FRACTION_WORD", "DATE_VALUE"):
        return _TERMINAL_WORDS[token.type]
    return f"'{token.value}'"


def _expected_phrase(expected: set[str], lark: Lark) -> str:
    words = sorted({_describe_terminal(t, lark) for t in expected if t != "$END"},
                   key=lambda w: (not w.startswith("'") or w[1].isalpha(), w))
    if "$END" in expected:
        words.append("the end of the file")
    if len(words) > 8:
        shown = ", ".join(words[:7])
        return f"{shown} or one of {len(words) - 7} other words"
    if len(words) > 1:
        return ", ".join(words[:-1]) + " or " + words[-1]
    return words[0] if words else "nothing more"


def _keyword_suggestion(word: str, expected: set[str], lark: Lark) -> str | None:
    keywords = {}
    for name in expected:
        if name in _TERMINAL_WORDS:
            continue
        terminal = lark.get_terminal(name)
        if terminal.pattern.type == "str":
            keywords[terminal.pattern.value] = name
    close = difflib.get_close_matches(word.lower(), list(keywords), n=1, cutoff=0.7)
    return close[0] if close else None


class _Recovery:
    """The state of error recovery for one parse."""

    def __init__(self, text: str, path: str, lark: Lark):
        self.text = text
        self.path = path
        self.lark = lark
        self.diagnostics: list[Diagnostic] = []
        self.skipping = False
        self.skip_depth = 0
        self.depth = 0
        self.handled = 0

    # -- the token filter used while skipping
    def passes(self, token: Token) -> bool:
        """While skipping, say whether ``token`` ends the skip and reaches the parser."""
        kind = token.type
        if kind == "LBRACE":
            self.skip_depth += 1
            return False
        if kind == "RBRACE":
            if self.skip_depth > 0:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skipping = False
                return False
            self.skipping = False
            return True
        if self.skip_depth == 0:
            if kind == "SEMI":
                self.skipping = False
                return False
            if kind in _RESYNC:
                self.skipping = False
                return True
        return False

    def report(self, code: str, message: str, line: int, column: int, end_line: int, end_column: int,
               hint: str | None = None) -> None:
        if len(self.diagnostics) >= MAX_ERRORS:
            self.diagnostics.append(Diagnostic(
                "S109", Severity.ERROR, f"too many syntax errors; stopped after {MAX_ERRORS}",
                Span(self.path, line, column, line, column + 1),
                "fix the first errors and run again"))
            raise _Stop()
        self.diagnostics.append(Diagnostic(code, Severity.ERROR, message,
                                           Span(self.path, line, column, end_line, end_column), hint))

    # -- Lark's on_error callback
    def on_error(self, error: UnexpectedInput) -> bool:
        self.handled += 1
        if self.handled > 50 * MAX_ERRORS:
            raise _Stop()
        if isinstance(error, UnexpectedCharacters):
            return self._bad_character(error)
        if isinstance(error, UnexpectedToken):
            return self._bad_token(error)
        return False

    def _bad_character(self, error: UnexpectedCharacters) -> bool:
        pos = error.pos_in_stream
        char = self.text[pos]
        state = error.interactive_parser.lexer_thread.state
        line, column = error.line, error.column
        if char == '"':
            end = self.text.find("\n", pos)
            end = len(self.text) if end == -1 else end
            if not self.skipping:
                self.report("S103", "this string is not closed before the end of the line",
                            line, column, line, column + (end - pos),
                            'end the string with " on the same line')
            state.line_ctr.feed(self.text[pos:end])
        else:
            # Skip the whole run of characters that cannot start a token.
            run = _UNLEXABLE_RUN.match(self.text, pos)
            end = run.end() if run and run.end() > pos else pos + 1
            if not self.skipping and char != "\N{REPLACEMENT CHARACTER}":
                shown = char if char.isprintable() else f"U+{ord(char):04X}"
                self.report("S102", f"'{shown}' is not part of the language", line, column, line, column + 1,
                            _character_hint(char))
            state.line_ctr.feed(self.text[pos:end])
        return True

    def _bad_token(self, error: UnexpectedToken) -> bool:
        parser = error.interactive_parser
        state = parser.parser_state
        states = state.parse_conf.parse_table.states
        token = error.token
        expected = set(error.expected) or set(states[state.position])
        expected = {t for t in expected if t.isupper()}

        if not self.skipping:
            if self._repair(parser, token, states, expected):
                return True
            self._report_unexpected(token, expected, state)
        self.skipping = True
        self.skip_depth = 0
        _pop_to_block(state, states)
        return self._resume_at(parser, token, states)

    def _repair(self, parser, token: Token, states, expected: set[str]) -> bool:
        """Insert one ';' or '}' if that lets the parser go on; report it."""
        stack = parser.parser_state.state_stack
        previous = _previous_token(parser)
        if "SEMI" in expected and _accepts(states, stack, ["SEMI", token.type], parser):
            at = previous or token
            self.report("S104", f"expected ';' before {_describe_token(token)}",
                        at.end_line, at.end_column, at.end_line, at.end_column + 1,
                        "end the statement with ';'")
            parser.feed_token(_synthetic("SEMI", ";", at))
            if token.type != "$END":
                parser.feed_token(token)
            return True
        if token.type == "$END" and "RBRACE" in expected:
            opened = _innermost_block(parser.parser_state)
            where = f"{opened[0]} opened at line {opened[1]}" if opened else "a block"
            self.report("S105", f"the end of the file came before the '}}' that closes {where}",
                        token.line, token.column, token.line, token.column + 1,
                        "add the missing '}'")
            _close_blocks(parser, token, states)
            return True
        return False

    def _report_unexpected(self, token: Token, expected: set[str], state) -> None:
        hint = None
        if token.type == "NAME":
            suggestion = _keyword_suggestion(token.value, expected, self.lark)
            if suggestion:
                hint = f"did you mean '{suggestion}'?"
        if token.type == "$END":
            line, column = token.line, token.column
            self.report("S101", f"the file ends too early: expected {_expected_phrase(expected, self.lark)}",
                        line, column, line, column + 1, hint)
            return
        if token.type == "RBRACE" and "SEMI" in expected:
            hint = hint or "end the statement with ';' before '}'"
        self.report("S101", f"unexpected {_describe_token(token)}: expected {_expected_phrase(expected, self.lark)}",
                    token.line, token.column, token.end_line or token.line,
                    token.end_column or token.column + len(token.value), hint)

    def _resume_at(self, parser, token: Token, states) -> bool:
        """After popping back to a block, decide what to do with the offending token."""
        stack = parser.parser_state.state_stack
        if token.type == "$END":
            _close_blocks(parser, token, states)
            return True
        if token.type == "SEMI":
            self.skipping = False
            return True
        if token.type == "LBRACE":
            self.skip_depth = 1
            return True
        if token.type in _RESYNC or token.type == "RBRACE":
            if _accepts(states, stack, [token.type], parser):
                self.skipping = False
                parser.feed_token(token)
        return True


_UNLEXABLE_RUN = re.compile(r"[^\w\s\"#;:,{}()%/-]+")


def _character_hint(char: str) -> str | None:
    if char in "'\u2018\u2019\u201c\u201d":
        return 'strings are written between straight double quotes: "..."'
    if char in "[]":
        return "lists are written with commas, without brackets: members a, b, c;"
    if char == "/":
        return "comments start with '#'"
    return None


def _synthetic(kind: str, value: str, at: Token) -> Token:
    return Token(kind, value, at.end_pos if at.end_pos is not None else 0, at.end_line, at.end_column,
                 at.end_line, at.end_column, at.end_pos)


def _previous_token(parser) -> Token | None:
    for value in reversed(parser.parser_state.value_stack):
        if isinstance(value, Token):
            return value
        end = _end_of(value)
        if end is not None:
            return Token("X", "", None, end[0], end[1], end[0], end[1], None)
    return None


def _accepts(states, stack: list, kinds: list[str], parser) -> bool:
    """Would the parser accept these token kinds in order? (Simulated on states only.)"""
    stack = list(stack)
    end_state = parser.parser_state.parse_conf.end_state
    for kind in kinds:
        while True:
            action = states[stack[-1]].get(kind)
            if action is None:
                return False
            what, arg = action
            if what is Shift:
                stack.append(arg)
                break
            size = len(arg.expansion)
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][arg.origin.name][1])
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
    """At the end of the file, close every open block so the parse can finish."""
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


def _innermost_block(state) -> tuple[str, int] | None:
    """The keyword and line of the innermost block still open, from the parse stack."""
    values = state.value_stack
    for i in range(len(values) - 1, -1, -1):
        value = values[i]
        if isinstance(value, Token) and value.type == "LBRACE":
            for j in range(i - 1, -1, -1):
                opener = values[j]
                if isinstance(opener, Token) and opener.type in _BLOCK_KEYWORDS:
                    return (_BLOCK_KEYWORDS[opener.type], opener.line)
                if isinstance(opener, str) and opener in _BLOCK_KEYWORDS.values():
                    return (opener, value.line)
            return ("the block", value.line)
    return None


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
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
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
    recovery = _Recovery(text, path, lark)
    _current.recovery = recovery
    _current.builder_file = path
    tree = None
    try:
        tree = lark.parse(text, on_error=recovery.on_error)
    except _TooDeep as deep:
        token = deep.token
        recovery.diagnostics.append(Diagnostic(
            "S106", Severity.ERROR, f"parentheses nest more than {MAX_NESTING} levels deep",
            Span(path, token.line, token.column, token.line, token.column + 1),
            "simplify the condition"))
    except _Stop:
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
    return ParseResult(path, text, tree, recovery.diagnostics)


def parse_bytes(data: bytes, path: str = "<input>", max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Parse raw file contents: size limit, decoding, then :func:`parse`."""
    if len(data) > max_bytes:
        size = Span(path, 1, 1, 1, 1)
        message = f"the file is {len(data) / 2**20:.1f} MiB, above the limit of {max_bytes / 2**20:.1f} MiB"
        return ParseResult(path, "", None, [Diagnostic("S107", Severity.ERROR, message, size,
                                                       "split it into several files joined with 'use'")])
    text, problems = decode(data, path)
    if problems and not text:
        return ParseResult(path, "", None, problems)
    result = parse(text, path)
    return ParseResult(path, text, result.tree, problems + result.diagnostics)


def parse_file(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> ParseResult:
    """Read and parse one file. I/O errors raise OSError: they are the caller's to report."""
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            handle.seek(0, os.SEEK_END)
            data = data + b"\0" * 0  # keep memory bounded; the size check only needs the length
            size = handle.tell()
            return ParseResult(str(path), "", None, [Diagnostic(
                "S107", Severity.ERROR,
                f"the file is {size / 2**20:.1f} MiB, above the limit of {max_bytes / 2**20:.1f} MiB",
                Span(str(path), 1, 1, 1, 1), "split it into several files joined with 'use'")])
    return parse_bytes(data, str(path), max_bytes)
