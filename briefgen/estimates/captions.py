"""The sentence under a chart: what the chart shows, stated as a finding from the group's
verdict (briefgen/estimates/verdicts.py), with the qualifiers that set the group apart.

A caption that only describes ("every estimate by estimator and date") leaves the reader
to work out what the marks mean; one that states the finding ("three estimators put X at
10,000–12,000 …; their figures are consistent") says it, in the same terms as the band
over the table, and names who disagrees with whom only where the verdict says they do.
Kept apart from briefgen/assemble.py, which only calls `caption`: the wording needs
helpers of its own, and assemble/ holds the rows and groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING

from briefgen.estimates import Reading
from briefgen.estimates.verdicts import relation

if TYPE_CHECKING:
    from briefgen.assemble import EstimateGroup, EstimateRow
    from briefgen.dates import When

COUNTS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight"}
LISTED = 4
"""At most this many estimates are named in a caption; the chart and table show them all."""


def caption(group: EstimateGroup) -> str:
    """The finding the group's chart shows, as one or two sentences."""
    rows = sorted(group.rows, key=lambda r: r.as_of)
    subject = _subject(group)
    verdict = group.verdict
    if verdict.kind == "series":
        return _series(rows, subject)
    if verdict.kind == "differ":
        return _differ(rows, subject)
    if verdict.kind == "single" or not rows:
        lone = rows[0] if rows else None
        return f"{_name(lone)} puts {subject} at {_figure(lone)}." if lone else f"{subject}."
    count = COUNTS.get(verdict.estimators, str(verdict.estimators))
    spread = _with_unit(verdict.spread, rows[0])
    said = f"{count} estimators put {subject} at {spread} {_span(rows)}"
    if verdict.kind == "apart":
        apart = "figures that do not overlap are of different dates, so none contradicts another"
        return f"{said}; {apart}."
    return f"{said}; their figures are consistent."


def _subject(group: EstimateGroup) -> str:
    """The quantity with its qualifiers, to stand before " at": `X, in Kursk region,`."""
    return f"{group.quantity}, {group.qualifier_text}," if group.qualifiers else group.quantity


def _series(rows: Sequence[EstimateRow], subject: str) -> str:
    """One estimator over time: rising or falling only when the later figure cannot hold
    with the earlier one; overlapping figures show no clear change."""
    first, last = rows[0], rows[-1]
    shown = [*rows[: LISTED - 1], last] if len(rows) > LISTED else list(rows)
    earlier = ", then ".join(_dated(row) for row in shown[:-1])
    trend = _trend(first.parsed, last.parsed)
    said = f"One estimator's figures over time: {_name(first)} put {subject} at {earlier}"
    if trend:
        return f"{said}, {trend} to {_dated(last)}."
    return f"{said} and {_dated(last)}; the figures overlap, so they show no clear change."


def _trend(first: Reading, last: Reading) -> str:
    """`rising` when the later figure lies wholly above the earlier, `falling` below."""
    if last.floor is not None and first.ceiling is not None and last.floor > first.ceiling:
        return "rising"
    if last.ceiling is not None and first.floor is not None and last.ceiling < first.floor:
        return "falling"
    return ""


def _differ(rows: Sequence[EstimateRow], subject: str) -> str:
    """The estimates that cannot both hold, each with its estimator and date."""
    clashing = {
        id(r) for pair in combinations(rows, 2) if relation(*pair) == "differ" for r in pair
    }
    named = [row for row in rows if id(row) in clashing]
    first, *others = named[:LISTED]
    said = [f"{_name(first)} puts {subject} at {_dated(first)}"]
    said += [f"{_name(row)} at {_dated(row)}" for row in others]
    more = len(named) - LISTED
    tail = f"; and {more} more" if more > 0 else ""
    held = "both" if len(named) == 2 else "all"
    closing = f"These figures for one period cannot {held} hold."
    return f"Estimates differ: {'; '.join(said)}{tail}. {closing}"


def _name(row: EstimateRow) -> str:
    """The estimator as a caption names it: a trailing role clause dropped."""
    from briefgen.render.charts.labels import short_estimator

    return short_estimator(row.estimator) or "An unnamed estimator"


def _figure(row: EstimateRow) -> str:
    """The row's reading with the unit the table prints after it: `$2,000 a month`."""
    return _with_unit(row.reading or row.text, row)


def _with_unit(figure: str, row: EstimateRow) -> str:
    return f"{figure} {row.unit_after}" if row.unit_after else figure


def _dated(row: EstimateRow) -> str:
    return f"{_figure(row)} ({row.as_of.label()})"


def _span(rows: Sequence[EstimateRow]) -> str:
    """`as of 13 Jan 2025`, `as of Jan 2025 and by 24 Jan 2025`, or `between Oct 2024 and
    13 Jan 2025`."""
    dates = sorted({row.as_of for row in rows})
    if len(dates) == 1:
        return dates[0].as_of()
    last = max(dates, key=lambda w: (w.end, w.start))
    if last == dates[0]:  # `Jan 2025`, and `by 24 Jan 2025` within it
        *head, tail = (when.as_of() for when in dates)
        return f"{', '.join(head)} and {tail}"
    return f"between {_bare(dates[0])} and {_bare(last)}"


def _bare(when: When) -> str:
    """A date inside "between … and …", where "by" would not read."""
    return when.label().removeprefix("by ")
