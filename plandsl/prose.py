"""Clauses -> sentences people read: "Ukraine's armed forces shall not exceed 600,000 personnel."

Names become their declared labels ("ua_armed_forces" -> "Ukraine's armed forces"),
figures are written for people (600,000; $100 billion; one-third; 50%), and dates
in words (20 November 2025). The sentences are plain text: each document format
escapes them itself.
"""

from __future__ import annotations


from plandsl import ast
from plandsl.formatter import fraction as fraction_words
from plandsl.formatter import number
from plandsl.model import Model

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


class Prose:
    """Writes the clauses of one model as sentences."""

    def __init__(self, model: Model):
        self.model = model

    # ---------------------------------------------------------------- names and figures

    def name(self, ref: ast.Ref) -> str:
        """The label a name was declared with, or the name itself."""
        if ref.wildcard:
            return "any party"
        declaration = self.model.declarations.get(ref.name)
        if declaration is not None and declaration.label:
            return declaration.label
        plan = self.model.plans.get(ref.name)
        if plan is not None and plan.title:
            return plan.title
        return ref.name

    def names(self, refs) -> str:
        """'Russia, Ukraine and the United States'."""
        words = [self.name(ref) for ref in refs]
        if len(words) <= 1:
            return "".join(words)
        return ", ".join(words[:-1]) + " and " + words[-1]

    def amount(self, item) -> str:
        """Any figure, for people: 600,000 personnel; $100 billion; one-third; 50%; unknown."""
        if isinstance(item, ast.Estimate):
            if item.amount is None:
                return "an unknown amount"
            text = self.amount(item.amount)
            return f"{item.qualifier} {text}" if item.qualifier else text
        if isinstance(item, ast.Quantity):
            figure = number(item.number) + (f" {item.scale}" if item.scale else "")
            sign = _CURRENCY_SIGNS.get(item.unit)
            if sign:
                return f"{sign}{figure}"
            return f"{figure} {item.unit}"
        if isinstance(item, ast.Percent):
            return f"{number(item.number)}%"
        if isinstance(item, ast.Fraction):
            return fraction_words(item)
        return str(item)

    @staticmethod
    def date(date: ast.Date) -> str:
        """20 November 2025; November 2025; 2025."""
        from plandsl.model import date_problem

        if date_problem(date) is not None:
            return str(date)  # as written: no real day to name (S111)
        if date.month is None:
            return str(date.year)
        month = _MONTHS[date.month - 1]
        return f"{date.day} {month} {date.year}" if date.day else f"{month} {date.year}"

    # ---------------------------------------------------------------- clauses

    def clause(self, clause: ast.Clause) -> str:
        """One clause as one sentence, ending with a full stop."""
        subject = self.names(clause.subjects)
        modality = clause.modality or ("shall" if subject else "")
        verb_phrase = self.action(clause.action)
        if subject:
            text = f"{subject} {modality} {verb_phrase}"
        elif clause.modality:
            text = f"It is agreed that the parties {modality} {verb_phrase}"
        else:
            text = f"The parties shall {verb_phrase}"
        extras = [self.modifier(m) for m in clause.modifiers]
        text = " ".join([text, *extras])
        return text[0].upper() + text[1:] + "."

    def action(self, node) -> str:
        kind = type(node)
        if kind is ast.Cede:
            text = f"cede {self.names(node.regions)} to {self.name(node.recipient)}"
            if node.legal_status:
                text += f" ({node.legal_status})"
            if node.recognised_by:
                text += f", recognised by {self.names(node.recognised_by)}"
            return text
        if kind is ast.Recognise:
            text = f"recognise {self.names(node.objects)}"
            if node.part_of:
                text += f" as part of {self.name(node.part_of)}"
            return text + (f" ({node.legal_status})" if node.legal_status else "")
        if kind is ast.Freeze:
            return "freeze the line of contact" + (f" in {self.names(node.regions)}" if node.regions else "")
        if kind is ast.Withdraw:
            text = f"withdraw from {self.names(node.regions)}"
            return text + (f" to a distance of {self.amount(node.distance)}" if node.distance else "")
        if kind is ast.Establish:
            text = f"establish a {node.zone} zone in {self.names(node.regions)}"
            return text + (f", {self.amount(node.depth)} deep" if node.depth else "")
        if kind is ast.Exceed:
            return f"exceed {self.limit(node.limit)}"
        if kind is ast.Possess:
            text = f"possess {self.names(node.weapons)}"
            return text + (f" with a range of {self.amount(node.range)}" if node.range else "")
        if kind is ast.Deploy:
            text = f"deploy {self.names(node.weapons)}"
            if node.regions:
                text += f" in {self.names(node.regions)}"
            return text + (f" with a range of {self.amount(node.range)}" if node.range else "")
        if kind is ast.Join:
            return f"join {self.name(node.alliance)}"
        if kind is ast.Admit:
            return f"admit {self.names(node.parties)}"
        if kind is ast.Station:
            return f"station troops in {self.names(node.places)}"
        if kind is ast.Unite:
            return f"unite with {self.name(node.partner)}"
        if kind is ast.Allocate:
            size = f"{self.share(node.share)} of " if node.share is not None else ""
            return f"allocate {size}{self.name(node.pool)} to {self.name(node.recipient)}"
        if kind is ast.ReceiveProfits:
            return f"receive {self.share(node.share)} of the profits of {self.name(node.source)}"
        if kind is ast.Sanctions:
            return f"{node.verb} {'all ' if node.all else ''}sanctions on {self.names(node.targets)}"
        if kind is ast.CeaseFire:
            return "cease fire"
        if kind is ast.Guarantee:
            text = f"guarantee the security of {self.name(node.beneficiary)}"
            if node.strength:
                text += f" ({node.strength} guarantee)"
            return text + (f", void if {self.condition(node.void_if)}" if node.void_if is not None else "")
        if kind is ast.Amnesty:
            return "grant an amnesty" + (f" ({node.scope})" if node.scope else "")
        if kind is ast.ExchangePrisoners:
            return "exchange prisoners" + (f" ({node.terms})" if node.terms else "")
        if kind is ast.HoldElections:
            return "hold elections" + (f" in {self.names(node.regions)}" if node.regions else "")
        if kind is ast.Provision:
            if node.text is None:
                return "make any provision" + (f" on {self.names(node.tags)}" if node.tags else "")
            return f"provide: {node.text}"
        return kind.__name__

    def limit(self, limit: ast.Limit) -> str:
        if limit.amount is None and limit.share is None:
            return "any limit"
        if limit.amount is None:
            return f"{self.amount(limit.share)} of their current strength"
        text = self.amount(limit.amount)
        return text + (f" ({self.amount(limit.share)} of current strength)" if limit.share is not None else "")

    def share(self, share: ast.Share) -> str:
        if share.rest == "remainder":
            return "the remainder"
        if share.rest == "all":
            return "all"
        if share.rest == "any":
            return "any share"
        if share.amount is None:
            return self.amount(share.proportion)
        text = self.amount(share.amount)
        return text + (f" ({self.amount(share.proportion)})" if share.proportion is not None else "")

    def modifier(self, node) -> str:
        kind = type(node)
        if kind is ast.Within:
            text = f"within {self.amount(node.duration)}"
            return text + (f" of {self.reference(node.after)}" if node.after else "")
        if kind is ast.ByDate:
            return f"by {self.date(node.date)}"
        if kind is ast.FromDate:
            return f"from {self.date(node.date)}"
        if kind is ast.UntilDate:
            return f"until {self.date(node.date)}"
        if kind is ast.Upon:
            return f"once {self.reference(node.reference)} takes effect"
        if kind is ast.If:
            return f"if {self.condition(node.condition)}"
        if kind is ast.Unless:
            return f"unless {self.condition(node.condition)}"
        return ""

    def reference(self, reference) -> str:
        if isinstance(reference, ast.PointRef):
            return f"point {reference.number}"
        return f"clause “{reference.name}”"

    def condition(self, node, nested: bool = False) -> str:
        """A condition as words that keep its grouping.

        At the top, 'a and b or c' reads left to right; a group inside another is
        opened by a word that says how many parts it has and how they join: "a and
        either b or c", "both a and b, or c", "neither a nor b". A group that is
        not the last part is closed by a comma.
        """
        kind = type(node)
        if kind is ast.And or kind is ast.Or:
            parts = self._operands(node)
            word = "and" if kind is ast.And else "or"
            texts = [self.condition(part, nested=True) + ("," if _compound(part) and index < len(parts) - 1 else "")
                     for index, part in enumerate(parts)]
            text = f" {word} ".join(texts)
            if not nested:
                return text
            if len(parts) == 2:
                return ("both " if kind is ast.And else "either ") + text
            return ("all of " if kind is ast.And else "one of ") + text
        if kind is ast.Not:
            return self.negation(node.operand)
        if kind is ast.Invades or kind is ast.Attacks:
            verb = "invade" if kind is ast.Invades else "attack"
            ending = "s" if _one_aggressor(node) else ""
            return f"{self.names(node.aggressors)} {verb}{ending} {self.names(node.targets)}"
        if kind is ast.Breached:
            return f"{self.reference(node.reference)} is breached"
        if kind is ast.ConditionText:
            # Quoted inside a group: a text's own 'and' or 'or' must not read as the group's.
            return f"“{node.text}”" if nested else node.text
        return ""

    def negation(self, node) -> str:
        """The words for 'not CONDITION': "Russia does not invade Ukraine", "neither a nor b"."""
        kind = type(node)
        if kind is ast.Invades or kind is ast.Attacks:
            verb = "invade" if kind is ast.Invades else "attack"
            does = "does" if _one_aggressor(node) else "do"
            return f"{self.names(node.aggressors)} {does} not {verb} {self.names(node.targets)}"
        if kind is ast.Breached:
            return f"{self.reference(node.reference)} is not breached"
        if kind is ast.Or:
            parts = self._operands(node)
            texts = [self.condition(part, nested=True) + ("," if _compound(part) and index < len(parts) - 1 else "")
                     for index, part in enumerate(parts)]
            if len(parts) == 2:
                return f"neither {texts[0]} nor {texts[1]}"
            return "none of " + " or ".join(texts)
        if kind is ast.And:
            return "not " + self.condition(node, nested=True)  # "not both a and b", "not all of a, b and c"
        return f"it is not the case that {self.condition(node, nested=True)}"

    @staticmethod
    def _operands(node) -> list:
        """The parts of an 'and' or 'or', with parts of the same kind spliced in: they need no group."""
        found = []
        for operand in node.operands:
            found.extend(Prose._operands(operand) if type(operand) is type(node) else [operand])
        return found


def _compound(node) -> bool:
    """Whether a condition's words hold a group of their own, to be closed by a comma."""
    return type(node) in (ast.And, ast.Or) or (type(node) is ast.Not and type(node.operand) in (ast.And, ast.Or))


def percent(value: float | None) -> str:
    """0.2778 -> '28%'; None -> '—'."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return "—"  # no position, or none that is a number
    shown = round(value * 100)
    return f"{shown + 0}%"  # + 0 turns -0 into 0


def _one_aggressor(node) -> bool:
    """Whether an invasion or attack has one named aggressor (the verb agrees with it)."""
    return len(node.aggressors) == 1 and not node.aggressors[0].wildcard
