"""Explicit `low:`/`high:` beside an estimate's text: numbers, and in agreement with it.

YAML reads `low: yes` as true and `low: 0.1` as a binary float; neither may reach a
reader as a figure. A bound is taken from how it was written (a float through its
shortest repr, a string through the grammar's number reader) and must allow what the
text says, unless `bounds_note:` says why it does not (a source's own correction, say).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from briefgen.estimates.format import reading as show
from briefgen.estimates.grammar import parse_estimate
from briefgen.estimates.numbers import MAX_VALUE, read_number
from briefgen.estimates.reading import Reading


def bound(value: Any, locale: str = "en") -> Decimal | None:
    """A `low:`/`high:` value as an exact Decimal; ValueError saying what to write."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(
            f"YAML reads {str(value).lower()!r} here as yes/no (as it does yes, no, on and "
            "off), not as a number; write the number, e.g. 3000"
        )
    if isinstance(value, int):
        if abs(value) > MAX_VALUE:
            raise ValueError("is larger than any estimate counts (over 10^15); check the number")
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_VALUE:
            raise ValueError("is not a finite number; write the number, e.g. 3000")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        number = _from_text(value, locale)
    else:
        raise ValueError("is not a number; write the number, e.g. 3000")
    if number < 0:
        raise ValueError("is negative; an estimate's bound counts something, write 0 or more")
    if number > MAX_VALUE:
        raise ValueError("is larger than any estimate counts (over 10^15); check the number")
    return number


def _from_text(text: str, locale: str) -> Decimal:
    cleaned = " ".join(text.split())
    number = read_number(cleaned, 0, locale)
    if number is None or cleaned[number.end :].strip() or number.plus or number.unit:
        raise ValueError(
            f"{text!r} is not a plain number; write the number alone (e.g. 3000 or 3,000): "
            "words and qualifiers belong in estimate:"
        )
    return number.value


def read_estimate(
    text: str, low: Decimal | None, high: Decimal | None, note: str | None, locale: str
) -> Reading:
    """The estimate's reading: its text's, or the explicit bounds checked against it."""
    if low is None and high is None:
        return parse_estimate(text, locale)
    try:
        said = parse_estimate(text, locale)
    except ValueError:
        said = None  # `300 dead and 2,700 wounded` with bounds given: the bounds speak
    if said is not None and note is None and not said.overlaps(low, high):
        given = show(Reading(low, high, "given"))
        raise ValueError(
            f"low:/high: ({given}) do not agree with {text!r}, read as {show(said)}; "
            "correct them, or say in bounds_note: why they differ from the text"
        )
    return Reading(low, high, "given", said.unit if said else None)
