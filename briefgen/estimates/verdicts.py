"""What a group of estimates of one quantity says, computed from the readings: consistent,
a series, or a real disagreement. Pure: no I/O, no models, no rendering.

"Estimates differ" is the flag readers act on, so it is raised only where it is true:
two *different estimators*, speaking of the *same period*, whose figures *cannot both
hold* (their intervals do not overlap, open ends included). `at least 100` and `about
300` agree; `100,000` inside `70,000–150,000` agrees; one estimator's figures over time
are a series (a trend, not a dispute); figures of different dates are not set against
each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any, Literal, Protocol

from briefgen.dates import same_period
from briefgen.estimates import Reading, format_number, with_unit

Kind = Literal["single", "consistent", "series", "apart", "differ"]

BAND: dict[Kind, str] = {
    "single": "",
    "consistent": "consistent",
    "series": "series",
    "apart": "no conflict, dates apart",
    "differ": "estimates differ",
}
"""What the band over a group says for each verdict; only `differ` says "differ"."""

QUALIFIERS = ("unit", "place", "cause", "method", "covers")
"""The optional fields that say what exactly is counted; estimates of one quantity must
agree on each one both give."""


class Entry(Protocol):
    """What a verdict needs of an estimate (a table row or a notes entry)."""

    @property
    def estimator(self) -> str: ...

    @property
    def parsed(self) -> Reading: ...

    @property
    def as_of(self) -> Any: ...


def quantity_key(quantity: str) -> str:
    """`RSF  Strength` → `rsf strength`: one quantity however its case and spacing go."""
    return " ".join(quantity.casefold().split())


def estimator_key(estimator: str) -> str:
    """Estimators compared as quantities are: case and spacing do not make a new one."""
    return quantity_key(estimator)


def overlap(a: Reading, b: Reading) -> bool:
    """True when both readings can hold at once: their intervals (open ends, strict bounds,
    high-end figures and the rounding of approximate figures included) share a value."""
    a_span, b_span = _span(a), _span(b)
    return not (_before(a_span, b_span) or _before(b_span, a_span))


Span = tuple[Decimal | None, bool, Decimal | None, bool]
"""(low, low excluded, high, high excluded); None for an open end."""


def _before(a: Span, b: Span) -> bool:
    """True when interval `a` ends below where `b` begins."""
    high, high_out, low, low_out = a[2], a[3], b[0], b[1]
    if high is None or low is None:
        return False
    return high < low or (high == low and (high_out or low_out))


def _span(reading: Reading) -> Span:
    """The interval a reading allows; a high end allows all below, `more than 3,000`
    excludes 3,000. An approximate figure allows what rounds to it (half up), at most 5%
    either side: `about 11,000` is [10,500, 11,500), so `about 11,000` and `about 11,500`
    can both hold, while `about 10,000` ([9,500, 10,500)) and `about 11,000`, or `about
    300` and `about 400`, cannot."""
    low = reading.floor
    high = reading.high if reading.qualifier == "high end" else reading.ceiling
    strict = reading.strict
    if not (reading.approx or reading.qualifier == "approximate"):
        return low, strict and low is not None, high, strict and high is not None
    low = None if low is None else low - rounding(low)
    high = None if high is None else high + rounding(high)
    return low, False, high, high is not None


def rounding(value: Decimal) -> Decimal:
    """Half a unit of the last significant digit, at most 5% of the value: 11,000 → 500,
    2,700 → 50, 0.3 → 0.015, 10,000 → 500 (not 5,000: a round figure is not that vague)."""
    if value == 0:
        return Decimal(0)
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # a finite reading
    return min(Decimal(5).scaleb(exponent - 1), abs(value) / 20)


def relation(a: Entry, b: Entry) -> Kind:
    """How two estimates of one quantity stand to each other."""
    if estimator_key(a.estimator) == estimator_key(b.estimator):
        return "series"
    if overlap(a.parsed, b.parsed):
        return "consistent"
    return "differ" if same_period(a.as_of, b.as_of) else "apart"


@dataclass(frozen=True)
class Verdict:
    """A group's verdict, the spread of its figures and how many estimators gave them."""

    kind: Kind
    spread: str
    estimators: int

    @property
    def differ(self) -> bool:
        return self.kind == "differ"

    @property
    def facts(self) -> str:
        """The band's figures: `1,200–4,000 · 3 estimators`; nothing for a lone estimate."""
        if self.kind == "single":
            return ""
        count = f"{self.estimators} estimator{'s' * (self.estimators != 1)}"
        return " · ".join(part for part in (self.spread, count) if part)

    @property
    def word(self) -> str:
        """The band's verdict: `estimates differ`, `consistent`, `series` …"""
        return BAND[self.kind]

    @property
    def label(self) -> str:
        """The band's text: `1,200–4,000 · 3 estimators · estimates differ`."""
        return " · ".join(part for part in (self.facts, self.word) if part)

    def __str__(self) -> str:
        return self.label


def verdict(entries: Sequence[Entry]) -> Verdict:
    """The verdict over a group's rows: `differ` if any pair differs, else `apart` if any
    pair of different dates does not overlap, else `consistent`; one estimator's figures
    are a `series`, and a lone row is `single`."""
    estimators = len({estimator_key(e.estimator) for e in entries})
    spread = spread_text([e.parsed for e in entries])
    if len(entries) < 2:
        return Verdict("single", spread, estimators)
    if estimators == 1:
        return Verdict("series", spread, estimators)
    kinds = {relation(a, b) for a, b in combinations(entries, 2)}
    for kind in ("differ", "apart"):
        if kind in kinds:
            return Verdict(kind, spread, estimators)
    return Verdict("consistent", spread, estimators)


def spread_text(readings: Sequence[Reading]) -> str:
    """From the lowest figure any reading gives to the highest: `1,200–4,000`, with its
    currency or per cent; a lone figure is printed once."""
    values = [v for r in readings for v in (r.low, r.high) if v is not None]
    if not values:
        return ""
    units = {r.unit for r in readings}
    unit = units.pop() if len(units) == 1 else None
    low, high = min(values), max(values)
    if low == high:
        return with_unit(low, unit)
    top = format_number(high) + ("%" if unit == "%" else "")
    return f"{with_unit(low, unit, last=False)}–{top}"


def same_figure(a: Entry, b: Entry) -> bool:
    """The same figure from the same estimator as of the same date: one row, however many
    outlets reported it."""
    return (
        estimator_key(a.estimator) == estimator_key(b.estimator)
        and a.parsed == b.parsed
        and a.as_of == b.as_of
    )
