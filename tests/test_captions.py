"""Chart captions state the finding the verdict gives, in words a reader can act on."""

from __future__ import annotations

import datetime as dt

from test_charts import REFS

from briefgen.assemble import EstimateGroup, EstimateRow
from briefgen.dates import parse_when
from briefgen.estimates import parse_estimate, reading


def row(text: str, estimator: str, as_of: str, unit: str | None = None) -> EstimateRow:
    found = parse_estimate(text)
    when = parse_when(as_of if len(as_of) != 10 else dt.date.fromisoformat(as_of))
    return EstimateRow(text, REFS, estimator=estimator, as_of=when, reading=reading(found),
                       unit=unit, parsed=found)  # fmt: skip


def group(*rows: EstimateRow, **qualifiers: str) -> EstimateGroup:
    return EstimateGroup("North Korean troops in Russia", rows, tuple(qualifiers.items()))


def test_consistent_says_who_puts_it_where_and_that_they_agree() -> None:
    g = group(
        row("10,000 to 12,000", "Not named", "2024-10"),
        row("about 11,000", "Western intelligence", "2024-10-30"),
        row("10,500 to 11,500", "NIS", "2024-11-02"),
    )
    assert g.verdict.kind == "consistent"
    assert g.caption == (
        "Three estimators put North Korean troops in Russia at 10,000–12,000 between "
        "Oct 2024 and 2 Nov 2024; their figures are consistent."
    )


def test_a_real_disagreement_names_who_puts_what_and_when() -> None:
    g = group(
        row("about 300", "South Korea's NIS", "2025-01-13"),
        row("more than 1,000", "Ukrainian military, its spokesman", "2025-01-14"),
        row("about 350", "Analyst", "2024-11-02"),
    )
    assert g.verdict.kind == "differ"
    assert g.caption == (
        "Estimates differ: South Korea's NIS puts North Korean troops in Russia at ≈ 300 "
        "(13 Jan 2025); Ukrainian military at > 1,000 (14 Jan 2025). "
        "These figures for one period cannot both hold."
    )
    assert "Analyst" not in g.caption  # agrees, or speaks of another time


def test_a_series_says_rising_only_when_the_figures_cannot_overlap() -> None:
    rising = group(
        row("100", "NIS", "2024-12-19"), row("about 200", "NIS", "2025-01-05"),
        row("300", "NIS", "2025-01-13"),
    )  # fmt: skip
    assert rising.caption == (
        "One estimator's figures over time: NIS put North Korean troops in Russia at "
        "100 (19 Dec 2024), then ≈ 200 (5 Jan 2025), rising to 300 (13 Jan 2025)."
    )
    falling = group(row("300", "NIS", "2024-12-19"), row("up to 200", "NIS", "2025-01-13"))
    assert "falling to ≤ 200 (13 Jan 2025)." in falling.caption
    steady = group(row("at least 100", "NIS", "2024-12-19"), row("300", "NIS", "2025-01-13"))
    assert steady.caption.endswith(
        "at ≥ 100 (19 Dec 2024) and 300 (13 Jan 2025); the figures overlap, so they show no "
        "clear change."
    )
    assert "rising" not in steady.caption


def test_dates_apart_says_no_figure_contradicts_another() -> None:
    g = group(row("100", "A", "2024-10"), row("300", "B", "2025-01-13"))
    assert g.verdict.kind == "apart"
    assert g.caption == (
        "Two estimators put North Korean troops in Russia at 100–300 between Oct 2024 and "
        "13 Jan 2025; figures that do not overlap are of different dates, so none "
        "contradicts another."
    )


def test_captions_keep_the_qualifiers_units_and_date_forms() -> None:
    g = group(
        row("could reach 4,000", "Zelensky", "2025-01", unit="people"),
        row("close to 1,200", "US officials", "..2025-01-24", unit="people"),
        place="Kursk region",
        cause="killed and wounded",
    )
    assert g.caption == (
        "Two estimators put North Korean troops in Russia, in Kursk region · counting killed "
        "and wounded, at 1,200–4,000 people as of Jan 2025 and by 24 Jan 2025; their figures "
        "are consistent."
    )
    pay = group(row("$2,000", "Wi", "2024-10", "USD a month"), row("$2,100", "Wi", "2024-12"))
    assert "at $2,000 a month (Oct 2024)" in pay.caption


def test_only_a_disagreement_says_differ() -> None:
    for g in (
        group(row("at least 100", "A", "2025-01-13"), row("about 300", "B", "2025-01-14")),
        group(row("100,000", "A", "2025-01-13"), row("70,000–150,000", "B", "2025-01-14")),
        group(row("100", "A", "2025-01-06"), row("300", "A", "2025-01-13")),
    ):
        assert "estimates differ" not in g.caption.casefold()
