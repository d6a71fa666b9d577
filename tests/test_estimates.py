"""Reading the numbers out of an estimate as the analyst wrote it."""

from __future__ import annotations

import pytest

from briefgen.assemble import reading
from briefgen.estimates import ParsedEstimate, format_number, parse_estimate, parse_number


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("about 11,000", 11000, 11000, "approximate"),
        ("About 11,000", 11000, 11000, "approximate"),
        ("around 300", 300, 300, "approximate"),
        ("close to 1,200", 1200, 1200, "approximate"),
        ("some 20,000", 20000, 20000, "approximate"),
        ("an estimated 1,000", 1000, 1000, "approximate"),
        ("~500", 500, 500, "approximate"),
        ("11,000", 11000, 11000, "exact"),
        ("a total of 500", 500, 500, "exact"),
        ("10,000 to 12,000", 10000, 12000, "range"),
        ("10,000–12,000", 10000, 12000, "range"),
        ("10,000 — 12,000", 10000, 12000, "range"),
        ("10,000-12,000", 10000, 12000, "range"),
        ("between 10,000 and 12,000", 10000, 12000, "range"),
        ("between 10,000 and 12,000 troops", 10000, 12000, "range"),
        ("3 million to 4 million", 3e6, 4e6, "range"),
        ("more than 3,000", 3000, None, "lower bound"),
        ("at least 100", 100, None, "lower bound"),
        ("Over 9,000", 9000, None, "lower bound"),
        ("at least 1.5 million", 1.5e6, None, "lower bound"),
        ("up to 4,000", None, 4000, "upper bound"),
        ("fewer than 50", None, 50, "upper bound"),
        ("less than 10", None, 10, "upper bound"),
        ("$2,000 a month", 2000, 2000, "exact"),
        ("1.5 million", 1.5e6, 1.5e6, "exact"),
        ("1.5m", 1.5e6, 1.5e6, "exact"),
        ("10k", 10000, 10000, "exact"),
        ("0", 0, 0, "exact"),
    ],
)
def test_parse_estimate(text: str, low: float | None, high: float | None, qualifier: str) -> None:
    assert parse_estimate(text) == ParsedEstimate(low, high, qualifier)


def test_whitespace_and_line_breaks_are_folded() -> None:
    assert parse_estimate("  between\n 10,000   and\t12,000 ") == ParsedEstimate(
        10000, 12000, "range"
    )


@pytest.mark.parametrize("text", ["many", "dozens", "five thousand", "", "between 5 and", "-5"])
def test_unreadable_estimate_says_what_to_write(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_estimate(text)
    message = str(info.value)
    assert f"cannot read a number from {text!r}" in message
    assert "'about 11,000'" in message
    assert "'10,000 to 12,000'" in message
    assert "low: and high:" in message


@pytest.mark.parametrize("text", ["12,000 to 10,000", "12,000–10,000", "1.5 million to 1 million"])
def test_backwards_range_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="runs backwards; write the lower number first"):
        parse_estimate(text)


def test_a_range_of_equal_numbers_is_allowed() -> None:
    assert parse_estimate("5 to 5") == ParsedEstimate(5, 5, "range")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("10 to 12 thousand", 10000, 12000), ("between 1.2 and 1.5 million", 1.2e6, 1.5e6)],
)
def test_scale_word_after_a_range_applies_to_both_ends(text: str, low: float, high: float) -> None:
    parsed = parse_estimate(text)  # today: low=10 (or 1.2), high=12,000 (or 1,500,000)
    assert (parsed.low, parsed.high) == (low, high)


@pytest.mark.parametrize("text", ["10,000+", "10,000 plus"])
def test_trailing_plus_is_a_lower_bound(text: str) -> None:
    assert parse_estimate(text) == ParsedEstimate(10000, None, "lower bound")


@pytest.mark.parametrize(
    ("parsed", "midpoint"),
    [
        (ParsedEstimate(10000, 12000, "range"), 11000),
        (ParsedEstimate(3000, None, "lower bound"), 3000),
        (ParsedEstimate(None, 4000, "upper bound"), 4000),
        (ParsedEstimate(300, 300, "approximate"), 300),
    ],
)
def test_midpoint(parsed: ParsedEstimate, midpoint: float) -> None:
    assert parsed.midpoint == midpoint


@pytest.mark.parametrize(
    ("text", "value"),
    [("11,000", 11000), ("$2,000", 2000), ("$ 5", 5), ("1.5 million", 1.5e6), ("2 bn", 2e9)],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_refuses_words() -> None:
    with pytest.raises(ValueError, match="cannot read a number from 'lots'"):
        parse_number("lots")


@pytest.mark.parametrize(
    ("value", "text"), [(11000.0, "11,000"), (2.5, "2.5"), (1500000.0, "1,500,000"), (0.0, "0")]
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("about 11,000", "≈ 11,000"),
        ("11,000", "11,000"),
        ("10,000 to 12,000", "10,000–12,000"),
        ("more than 3,000", "≥ 3,000"),
        ("up to 4,000", "≤ 4,000"),
        ("1.5 million", "1,500,000"),
    ],
)
def test_reading(text: str, shown: str) -> None:
    assert reading(parse_estimate(text)) == shown


def test_reading_of_explicit_bounds() -> None:
    assert reading(ParsedEstimate(2.5, 7, "given")) == "2.5–7"
    assert reading(ParsedEstimate(7, 7, "given")) == "7"
