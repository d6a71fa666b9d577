"""Read the numbers out of an estimate as an analyst writes it, exactly, or refuse.

`about 11,000` is a point, `10,000 to 12,000` a range, `more than 3,000` a lower bound,
`up to 4,000` an upper bound and `could reach 4,000` a high-end figure. Keeping the words
and the numbers side by side lets the brief quote the estimator exactly while charts and
diffs compare like with like. numbers.py reads number tokens (styles, scales, units),
grammar.py the phrases around them, format.py prints a reading back.
"""

from __future__ import annotations

from decimal import Decimal

from briefgen.estimates.format import format_number, reading, with_unit
from briefgen.estimates.grammar import parse_estimate
from briefgen.estimates.numbers import LOCALES, read_number
from briefgen.estimates.reading import KINDS, ParsedEstimate, Reading

__all__ = [
    "KINDS",
    "LOCALES",
    "ParsedEstimate",
    "Reading",
    "format_number",
    "parse_estimate",
    "parse_number",
    "reading",
    "with_unit",
]


def parse_number(text: str, locale: str = "en") -> Decimal:
    """`11,000` → 11000; `1.5 million` → 1500000; `$2,000` → 2000; else ValueError."""
    cleaned = " ".join(text.split())
    number = read_number(cleaned, 0, locale)
    if number is None or cleaned[number.end :].strip():
        raise ValueError(f"cannot read a number from {text!r}")
    return number.value
