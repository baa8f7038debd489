"""Numbers as the checker compares them: bounds of estimates, units, dates.

Every comparison here is between ranges, not points: ``more than 800,000`` is
the range (800,000, infinity), ``about 300 billion`` the range +-10% around it.
Two statements disagree only when their ranges cannot meet, so the checker never
calls a plan wrong because a figure was written loosely.
"""

from __future__ import annotations

import re
from decimal import Decimal

from plandsl import ast

INFINITY = Decimal("Infinity")
#: How loose "about" is.
ABOUT = Decimal("0.1")

_TIME_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}
_DISTANCE_UNITS = {"km": Decimal(1), "kilometres": Decimal(1), "kilometers": Decimal(1), "m": Decimal("0.001"),
                   "metres": Decimal("0.001"), "meters": Decimal("0.001"), "mi": Decimal("1.609344"),
                   "miles": Decimal("1.609344")}
_CURRENCY = re.compile(r"[A-Z]{3}")


def amount_of(amount: ast.Amount | None) -> Decimal | None:
    """The number an amount states, or None: a fraction over zero (C428) states none."""
    if amount is None or (isinstance(amount, ast.Fraction) and amount.denominator == 0):
        return None
    return amount.value


def bounds(estimate: ast.Estimate | None) -> tuple[Decimal, Decimal] | None:
    """The range an estimate allows, in the amount's own unit; None when unknown."""
    value = None if estimate is None else amount_of(estimate.amount)
    if value is None:
        return None
    qualifier = estimate.qualifier
    if qualifier is None:
        return value, value
    if qualifier == "about":
        return value * (1 - ABOUT), value * (1 + ABOUT)
    if qualifier in ("more than", "at least"):
        return value, INFINITY
    return Decimal(0), value  # less than, at most


def scale(range_: tuple[Decimal, Decimal], factor: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    """The product of two non-negative ranges."""
    low = range_[0] * factor[0]
    high = INFINITY if INFINITY in (range_[1], factor[1]) else range_[1] * factor[1]
    return low, high


def nominal_bounds(estimate: ast.Estimate | None) -> tuple[Decimal, Decimal] | None:
    """The range around the figure an estimate names, whatever its qualifier.

    A share is taken of the figure a text names: one-tenth of "more than 800,000"
    means about 80,000, not anything above 80,000.
    """
    value = None if estimate is None else amount_of(estimate.amount)
    if value is None:
        return None
    if estimate.qualifier is None:
        return value, value
    return value * (1 - ABOUT), value * (1 + ABOUT)


def cap_range(limit: ast.Limit, strength: ast.Estimate | None) -> tuple[Decimal, Decimal] | None:
    """The range of personnel (or units) a cap allows; a share of strength needs the strength."""
    if limit.amount is not None:
        return bounds(limit.amount)
    if limit.share is not None:
        share, base = bounds(limit.share), nominal_bounds(strength)
        if share is None or base is None:
            return None
        return scale(base, share)
    return None


def meet(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    """True when two ranges share a value."""
    return a[0] <= b[1] and b[0] <= a[1]


#: Figures stated beside a fraction are rounded ("100 billion", "one-third"): allow this much.
ROUNDING = Decimal("0.01")


def widen(range_: tuple[Decimal, Decimal], by: Decimal = ROUNDING) -> tuple[Decimal, Decimal]:
    """A range made looser on both sides, for comparing rounded figures."""
    high = range_[1] if range_[1] == INFINITY else range_[1] * (1 + by)
    return range_[0] * (1 - by), high


def unit_of(estimate: ast.Estimate | None) -> str | None:
    """The unit of a quantity estimate, or None for fractions, percents and unknowns."""
    if estimate is not None and isinstance(estimate.amount, ast.Quantity):
        return estimate.amount.unit
    return None


def is_time(unit: str) -> bool:
    """days, weeks, months, years."""
    return unit in _TIME_UNITS


def is_distance(unit: str) -> bool:
    """km, m, miles."""
    return unit in _DISTANCE_UNITS


def is_currency(unit: str) -> bool:
    """Three capital letters: USD, EUR."""
    return bool(_CURRENCY.fullmatch(unit))


def distance_factor(unit: str) -> Decimal | None:
    """Kilometres per unit of distance (1 for km, 1.609344 for miles), or None for other units."""
    return _DISTANCE_UNITS.get(unit)


def days(quantity: ast.Quantity) -> Decimal | None:
    """A duration in days (a month is 30 days, a year 365), or None for other units."""
    per_unit = _TIME_UNITS.get(quantity.unit)
    return None if per_unit is None else quantity.value * per_unit


def date_range(date: ast.Date) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The first and last day a date as precise as it is written can mean."""
    start = (date.year, date.month or 1, date.day or 1)
    end = (date.year, date.month or 12, date.day or 31)
    return start, end


def show(value: Decimal) -> str:
    """A number for a message: 600000 -> '600,000'."""
    from plandsl.formatter import number

    if value == INFINITY:
        return "no limit"
    # quantize() and round() raise past the context's 28 digits (a strength in trillions
    # times a share); to_integral_value() does not, and cents are noise at that size.
    if value == value.to_integral_value() or value.adjusted() >= 20:
        return number(value.to_integral_value())
    return number(round(value, 2))
