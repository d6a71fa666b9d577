"""Reading → text, from the Decimals themselves: `≥ 4,100,000`, never `≥ 4,099,999.99…`.

Every form here reads back through the grammar to the same numbers (a test checks it),
so the brief's reading column is itself a valid estimate.
"""

from __future__ import annotations

from decimal import Decimal

from briefgen.estimates.reading import Reading

_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_number(value: Decimal | float | int) -> str:
    """11000 → '11,000'; 2.5 → '2.5'; Decimal('33.50') → '33.50' (as written).

    A float (a chart's tick) goes through its shortest repr, so 0.1 prints as 0.1.
    """
    if isinstance(value, float):
        number = Decimal(repr(value))
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    else:
        number = Decimal(value)
    if number == 0:
        number = abs(number)
    return f"{number:,f}"


def with_unit(value: Decimal, unit: str | None, last: bool = True) -> str:
    """The number with its unit: `$2,000`, `33.5%`; `last` False leaves a range's % off."""
    number = format_number(value)
    if unit in _SYMBOL:
        return _SYMBOL[unit] + number
    if unit == "%" and last:
        return number + "%"
    return number


def reading(parsed: Reading) -> str:
    """A compact, comparable form of an estimate: `≈ 11,000`, `10,000–12,000`, `> 3,000`
    (more than), `≥ 3,000` (at least)."""
    unit, low, high = parsed.unit, parsed.low, parsed.high
    approx = "≈ " if parsed.approx else ""
    if parsed.qualifier == "high end" and high is not None:
        return f"{with_unit(high, unit)} (high end)"
    if low is not None and high is not None and (low != high or parsed.qualifier == "range"):
        if low == high and not parsed.open_high:
            return approx + with_unit(low, unit)
        top = format_number(high) + ("%" if unit == "%" else "")
        return f"{approx}{with_unit(low, unit, last=False)}–{top}{'+' * parsed.open_high}"
    if low is not None and high is not None:
        return approx + with_unit(low, unit)
    if low is not None:
        return f"{'>' if parsed.strict else '≥'} {with_unit(low, unit)}"
    if high is not None:
        return f"{'<' if parsed.strict else '≤'} {with_unit(high, unit)}"
    return ""
