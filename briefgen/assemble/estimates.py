"""The estimates as a template sees them: one `EstimateGroup` per quantity, one
`EstimateRow` per estimate (the same figure from one estimator merged), with readings,
verdicts and the qualifiers that set a group apart."""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefgen.assemble.items import Cited, Item, Ref, _Numbering
from briefgen.dates import UNDATED, When
from briefgen.estimates import ParsedEstimate, Reading
from briefgen.estimates import reading as format_reading
from briefgen.estimates.quantities import shown_unit
from briefgen.estimates.verdicts import Verdict, quantity_key, same_figure, verdict
from briefgen.models import (
    Edition,
    Estimate,
)

NO_READING = Reading(None, None, "given")
"""A row built without a reading (tests of layout): no numbers, so no verdict."""


@dataclass(frozen=True)
class EstimateRow(Item):
    """One row of the estimates table; `text` is the estimate as the estimator gave it."""

    estimator: str = ""
    as_of: When = UNDATED
    reading: str = ""
    unit: str | None = None
    """The unit as the notes give it (`USD a month`): charts label their axis with it."""
    note: str | None = None
    parsed: Reading = NO_READING
    """The exact reading, for verdicts, charts and the export."""

    @property
    def unit_after(self) -> str | None:
        """The unit the table prints after the reading, less what the reading already
        shows: `$2,000` with `USD a month` is `$2,000 a month`, not `$2,000 USD a month`."""
        return shown_unit(self.unit, self.parsed.unit)


@dataclass(frozen=True)
class EstimateGroup(Cited):
    """All estimates of one quantity, so that disagreement sits together."""

    quantity: str
    """The quantity as first spelled in the notes (grouped regardless of case and spacing)."""
    rows: tuple[EstimateRow, ...]
    qualifiers: tuple[tuple[str, str], ...] = ()
    """(field, value) of the qualifiers the group's estimates give: `place`, `cause` …"""

    @property
    def refs(self) -> tuple[Ref, ...]:  # type: ignore[override]
        """Every citation of the group's rows: what a chart of the group rests on."""
        return tuple(ref for row in self.rows for ref in row.refs)

    @property
    def verdict(self) -> Verdict:
        """Consistent, a series, or a real disagreement (briefgen/estimates/verdicts.py)."""
        return verdict(self.rows)

    @property
    def disagree(self) -> bool:
        """True only when different estimators' figures for one period cannot both hold."""
        return self.verdict.differ

    @property
    def band(self) -> str:
        """What the band says after the quantity: `1,200–4,000 · 3 estimators · consistent`."""
        return self.verdict.label

    @property
    def qualifier_text(self) -> str:
        """The qualifiers that set this group apart, as the band prints them."""
        return " · ".join(f"{QUALIFIER_NAMES[name]} {value}" for name, value in self.qualifiers)

    @property
    def caption(self) -> str:
        """What a chart of the group shows, stated as the finding its verdict gives, with
        its qualifiers (estimates/captions.py): a chart read alone says what the table does."""
        from briefgen.estimates.captions import caption

        return caption(self)


QUALIFIER_NAMES = {
    "place": "in",
    "cause": "counting",
    "method": "method:",
    "covers": "covering",
    "unit": "in",
}
"""How the band introduces each qualifier: `in Kursk region · counting violent deaths`."""


def _estimate_groups(edition: Edition, numbering: _Numbering) -> tuple[EstimateGroup, ...]:
    """Group rows by quantity (case and spacing aside), in order of first appearance;
    the same figure by the same estimator as of the same date is one row citing every
    outlet that reported it."""
    groups: dict[str, list[Estimate]] = {}
    for estimate in edition.estimates:
        groups.setdefault(quantity_key(estimate.quantity), []).append(estimate)
    return tuple(_group(estimates, numbering) for estimates in groups.values())


def _group(estimates: list[Estimate], numbering: _Numbering) -> EstimateGroup:
    rows: list[EstimateRow] = []
    for estimate in estimates:
        row = _row(estimate, numbering)
        same = next((i for i, r in enumerate(rows) if same_figure(r, row)), None)
        if same is None:
            rows.append(row)
        else:
            rows[same] = _merged(rows[same], row)
    rows.sort(key=lambda r: (r.as_of, r.estimator))
    return EstimateGroup(estimates[0].quantity, tuple(rows), _qualifiers(estimates))


def _row(estimate: Estimate, numbering: _Numbering) -> EstimateRow:
    return EstimateRow(
        estimate.estimate,
        numbering.refs(estimate.cite),
        estimator=estimate.estimator,
        as_of=estimate.as_of,
        reading=reading(estimate.parsed),
        unit=estimate.unit,
        note=estimate.note,
        caveat=estimate.caveat,
        parsed=estimate.parsed,
    )


def _merged(first: EstimateRow, again: EstimateRow) -> EstimateRow:
    """One row for a figure several outlets reported: every citation, every distinct note."""
    refs = first.refs + tuple(r for r in again.refs if r not in first.refs)
    return replace(
        first,
        refs=refs,
        note=_joined(first.note, again.note),
        caveat=_joined(first.caveat, again.caveat),
    )


def _joined(*texts: str | None) -> str | None:
    """Each distinct text once, in order."""
    return " ".join(dict.fromkeys(t for t in texts if t)) or None


def _qualifiers(estimates: list[Estimate]) -> tuple[tuple[str, str], ...]:
    """The qualifiers any estimate of the group gives (check makes sure they agree)."""
    found: dict[str, str] = {}
    for estimate in estimates:
        for name in ("place", "cause", "method", "covers"):
            value = getattr(estimate, name)
            if value is not None:
                found.setdefault(name, value)
    return tuple(found.items())


def reading(parsed: ParsedEstimate) -> str:
    """A compact, comparable form of an estimate: `≈ 11,000`, `10,000–12,000`, `≥ 3,000`.

    Printed from the reading's Decimals (briefgen/estimates/format.py), so `over 4.1
    million` is `≥ 4,100,000`, and the form reads back through the grammar unchanged.
    """
    return format_reading(parsed)
