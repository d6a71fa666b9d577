"""The period an edition covers: an ISO week or an explicit date range."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.periods import Period, parse_period, week_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-W03", D(2025, 1, 13), D(2025, 1, 19)),
        ("2025-W01", D(2024, 12, 30), D(2025, 1, 5)),
        ("2020-W53", D(2020, 12, 28), D(2021, 1, 3)),
        ("2026-W53", D(2026, 12, 28), D(2027, 1, 3)),
        (" 2025-W03 ", D(2025, 1, 13), D(2025, 1, 19)),
    ],
)
def test_iso_week(text: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.label == text.strip()
    assert period.iso_week == text.strip()


@pytest.mark.parametrize(("text", "last"), [("2025-W53", "52"), ("2025-W00", "52")])
def test_week_the_year_lacks(text: str, last: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_period(text)
    assert str(info.value) == f"{text} is not an ISO week; 2025 has weeks 01 to {last}"


def test_week_period_names_the_weeks_a_long_year_has() -> None:
    with pytest.raises(ValueError, match="2020 has weeks 01 to 53"):
        week_period(2020, 54)


def test_week_at_the_end_of_the_calendar_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_period("9999-W52")


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-20 to 2025-01-26",
        "2025-01-20/2025-01-26",
        "2025-01-20 / 2025-01-26",
        "2025-01-20 – 2025-01-26",
        "2025-01-20..2025-01-26",
    ],
)
def test_date_range(text: str) -> None:
    period = parse_period(text)
    assert period == Period(D(2025, 1, 20), D(2025, 1, 26), text)


def test_mapping_with_start_and_end() -> None:
    period = parse_period({"start": D(2025, 1, 1), "end": D(2025, 1, 5)})
    assert (period.start, period.end) == (D(2025, 1, 1), D(2025, 1, 5))
    assert period.label == "2025-01-01 to 2025-01-05"


def test_single_day_range() -> None:
    period = parse_period("2025-01-20 to 2025-01-20")
    assert period.start == period.end == D(2025, 1, 20)


def test_reversed_range() -> None:
    with pytest.raises(ValueError) as info:
        parse_period("2025-01-26 to 2025-01-20")
    assert str(info.value) == "'2025-01-26 to 2025-01-20' ends before it starts"


def test_impossible_day_in_range() -> None:
    with pytest.raises(ValueError) as info:
        parse_period("2025-02-30 to 2025-03-01")
    assert str(info.value).startswith("'2025-02-30 to 2025-03-01': day is out of range")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("garbage", "'garbage'"),
        ("2025-W3", "'2025-W3'"),
        ("January 2025", "'January 2025'"),
        ("2025-01-20 until 2025-01-26", "'2025-01-20 until 2025-01-26'"),
        (5, "5"),
        (None, "None"),
        ({"start": "2025-01-01"}, "{'start': '2025-01-01'}"),
    ],
)
def test_garbage(value: object, shown: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_period(value)
    assert str(info.value) == (
        f"not a period ({shown}); write an ISO week like 2025-W04 or "
        "a range like 2025-01-20 to 2025-01-26"
    )


def test_a_period_passes_through() -> None:
    period = week_period(2025, 3)
    assert parse_period(period) is period


def test_describe_an_iso_week() -> None:
    assert parse_period("2025-W04").describe() == "2025-01-20 to 2025-01-26 (ISO week 2025-W04)"


def test_describe_a_range_that_is_exactly_an_iso_week() -> None:
    period = parse_period("2024-12-30 to 2025-01-05")
    assert period.iso_week == "2025-W01"
    assert period.describe() == "2024-12-30 to 2025-01-05 (ISO week 2025-W01)"


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-21 to 2025-01-27",  # seven days, but Tuesday to Monday
        "2025-01-20 to 2025-01-25",  # Monday, but six days
        "2025-01-01 to 2025-01-31",
    ],
)
def test_describe_a_range_that_is_not_an_iso_week(text: str) -> None:
    period = parse_period(text)
    assert period.iso_week is None
    assert period.describe() == text
