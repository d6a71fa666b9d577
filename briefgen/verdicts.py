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
    """True when both readings can hold at once: `b`'s interval meets what `a` allows and
    the other way round (open ends and high-end figures as Reading.overlaps reads them)."""
    return a.overlaps(_span(b)[0], _span(b)[1]) and b.overlaps(_span(a)[0], _span(a)[1])


def _span(reading: Reading) -> tuple[Decimal | None, Decimal | None]:
    """The interval a reading allows, None for an open end; a high end allows all below."""
    ceiling = reading.high if reading.qualifier == "high end" else reading.ceiling
    return reading.floor, ceiling


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
