"""Estimates of one quantity must count the same thing: the checks `check` runs over a
group, and the unit a row prints. Pure: findings carry the estimate's index and field,
validate.py puts them at their line.

A quantity is its name (case and spacing aside, see verdicts.quantity_key) plus the
optional qualifiers an analyst fills when they matter: `unit`, `place`, `cause` (violent
or all-cause), `method` (recorded or modelled), `covers` (the period the figure counts
over). Two estimates in one group that give the same qualifier differently are two
quantities under one label, which would put unlike figures side by side as if they
disagreed; that is an error, not a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.estimates.verdicts import QUALIFIERS, estimator_key, quantity_key, same_figure

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


@dataclass(frozen=True)
class Finding:
    """Something wrong with estimates[index].field, in words that say what to do."""

    index: int
    field: str
    message: str


def _norm(value: str | None) -> str | None:
    return None if value is None else quantity_key(value)


def shown_unit(unit: str | None, reading_unit: str | None) -> str | None:
    """The unit to print after the reading, without what the reading already says:
    `$2,000` with `unit: USD a month` prints `$2,000 a month`, not `$2,000 USD a month`."""
    if unit is None or reading_unit is None:
        return unit
    for lead in (reading_unit, _SYMBOLS.get(reading_unit, reading_unit), "per cent", "percent"):
        if unit.casefold() == lead.casefold():
            return None
        if unit.casefold().startswith(lead.casefold() + " "):
            return unit[len(lead) + 1 :]
    return unit


def unit_of(unit: str | None, reading_unit: str | None) -> str | None:
    """The unit an estimate counts in, as compared within a group: the explicit `unit:`,
    else the currency or per cent its text gives, else None (a plain count)."""
    return _norm(unit) if unit is not None else reading_unit


def _own_unit(index: int, estimate: Any) -> Finding | None:
    """`unit:` must not contradict the currency or per cent of the estimate's own text."""
    reading_unit = estimate.parsed.unit
    if estimate.unit is None or reading_unit is None:
        return None
    if shown_unit(estimate.unit, reading_unit) != estimate.unit:
        return None
    return Finding(
        index,
        "unit",
        f"{estimate.estimate!r} is in {reading_unit} but unit: says {estimate.unit!r}; "
        f"start the unit with {reading_unit} (e.g. '{reading_unit} a month') or fix the figure",
    )


def group_findings(estimates: Sequence[Any]) -> list[Finding]:
    """Every estimate whose unit or qualifiers contradict an earlier one of its quantity."""
    findings = [f for i, e in enumerate(estimates) if (f := _own_unit(i, e))]
    own = {f.index for f in findings}  # its unit is wrong already: no second word on it
    first: dict[str, int] = {}
    for index, estimate in enumerate(estimates):
        key = quantity_key(estimate.quantity)
        if key not in first:
            first[key] = index
            continue
        found = _against(index, estimate, first[key], estimates)
        findings.extend(f for f in found if not (f.field == "unit" and index in own))
    return findings


def _against(index: int, estimate: Any, earlier: int, estimates: Sequence[Any]) -> list[Finding]:
    """Compare with every earlier estimate of the quantity; report each field once."""
    found: dict[str, Finding] = {}
    for other_index in range(earlier, index):
        other = estimates[other_index]
        if quantity_key(other.quantity) != quantity_key(estimate.quantity):
            continue
        for field in QUALIFIERS:
            mine, theirs = _qualifier(estimate, field), _qualifier(other, field)
            if field in found or not _clash(field, mine, theirs, estimate, other):
                continue
            found[field] = Finding(
                index, field, _clash_message(field, estimate, other, other_index)
            )
    return list(found.values())


def _qualifier(estimate: Any, field: str) -> str | None:
    if field == "unit":
        return unit_of(estimate.unit, estimate.parsed.unit)
    return _norm(getattr(estimate, field, None))


def _clash(field: str, mine: str | None, theirs: str | None, a: Any, b: Any) -> bool:
    """Both give it and differ; for the unit, a currency or per cent against a plain
    count clashes too (`33.5%` and `4,000` cannot share an axis)."""
    if mine == theirs:
        return False
    if mine is not None and theirs is not None:
        return True
    return field == "unit" and (a.parsed.unit is not None or b.parsed.unit is not None)


def _clash_message(field: str, estimate: Any, other: Any, other_index: int) -> str:
    mine = _shown(estimate, field)
    theirs = _shown(other, field)
    return (
        f"{field} {mine} differs from {theirs} in estimates[{other_index}], an estimate of "
        f"the same quantity {other.quantity!r}; if they count different things give them "
        f"different quantity names, else make the {field} the same"
    )


def _shown(estimate: Any, field: str) -> str:
    value = _qualifier(estimate, field)
    if field == "unit" and estimate.unit is None:
        return f"{value!r} (from {estimate.estimate!r})" if value else "none (a plain count)"
    return repr(getattr(estimate, field)) if value is not None else "none"


def duplicates(estimates: Sequence[Any]) -> list[Finding]:
    """Each estimate that repeats an earlier one's figure by the same estimator as of the
    same date: the brief shows them as one row citing every outlet, and says so."""
    findings: list[Finding] = []
    # Only estimates of one quantity by one estimator can repeat each other: compared
    # within those, a 100× brief's 1,300 estimates are not 850,000 pairs.
    seen: dict[tuple[str, str], list[int]] = {}
    for index, estimate in enumerate(estimates):
        key = (quantity_key(estimate.quantity), estimator_key(estimate.estimator))
        earlier = seen.setdefault(key, [])
        for other_index in earlier:
            other = estimates[other_index]
            if same_figure(other, estimate):
                message = _duplicate_message(other, other_index)
                findings.append(Finding(index, "estimate", message))
                break
        earlier.append(index)
    return findings


def _duplicate_message(other: Any, earlier: int) -> str:
    return (
        f"repeats estimates[{earlier}] ({other.estimate!r} by {other.estimator}, as of "
        f"{other.as_of}); the brief shows them as one row with both citations: move this "
        f"entry's cite: under estimates[{earlier}] and delete it"
    )


__all__ = ["Finding", "duplicates", "estimator_key", "group_findings", "shown_unit", "unit_of"]
