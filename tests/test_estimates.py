"""Reading the numbers out of an estimate as the analyst wrote it: exactly, or refused.

The table is written from how reports give figures (UN/OCHA flash updates, ACLED, Reuters,
AP, ministries' statements), and holds every example of issue 14. Each phrasing has its
expected reading (kind, low, high, unit); each refusal the words its message must hold,
so that the analyst learns how to write it. Then properties (hypothesis): no float
artefact ever, low ≤ high always, and the printed reading reads back to itself.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.assemble import reading
from briefgen.estimates import ParsedEstimate, Reading, format_number, parse_estimate, parse_number

# (text, kind, low, high, unit); kind "range+" = open at the top, "≈range" = approximate range
PHRASINGS = [
    # points, as UN/OCHA, ACLED, Reuters, AP write them
    ("about 11,000", "approximate", "11000", "11000", None),
    ("About 11,000", "approximate", "11000", "11000", None),
    ("around 300", "approximate", "300", "300", None),
    ("roughly 1,500", "approximate", "1500", "1500", None),
    ("some 20,000", "approximate", "20000", "20000", None),
    ("nearly 1,000", "approximate", "1000", "1000", None),
    ("almost 2 million", "approximate", "2000000", "2000000", None),
    ("close to 1,200", "approximate", "1200", "1200", None),
    ("an estimated 1,000", "approximate", "1000", "1000", None),
    ("an estimated 4.1 million", "approximate", "4100000", "4100000", None),
    ("estimated 25,000", "approximate", "25000", "25000", None),
    ("c. 500", "approximate", "500", "500", None),
    ("c.500", "approximate", "500", "500", None),
    ("ca. 800", "approximate", "800", "800", None),
    ("circa 12,000", "approximate", "12000", "12000", None),
    ("~500", "approximate", "500", "500", None),
    ("~ 500", "approximate", "500", "500", None),
    ("≈ 11,000", "approximate", "11000", "11000", None),
    ("approximately 3.5 million", "approximate", "3500000", "3500000", None),
    ("approx. 600", "approximate", "600", "600", None),
    ("300 or so", "approximate", "300", "300", None),
    ("1,000 or thereabouts", "approximate", "1000", "1000", None),
    ("11,000", "exact", "11000", "11000", None),
    ("11000", "exact", "11000", "11000", None),
    ("a total of 500", "exact", "500", "500", None),
    ("a toll of 1,213", "exact", "1213", "1213", None),
    ("0", "exact", "0", "0", None),
    ("2", "exact", "2", "2", None),
    ("1,213 killed", "exact", "1213", "1213", None),
    ("41,000 people", "exact", "41000", "41000", None),
    ("about 2,700 wounded", "approximate", "2700", "2700", None),
    ("about 11,000.", "approximate", "11000", "11000", None),
    # scales
    ("10k", "exact", "10000", "10000", None),
    ("10K", "exact", "10000", "10000", None),
    ("12 thousand", "exact", "12000", "12000", None),
    ("1.5 million", "exact", "1500000", "1500000", None),
    ("1.5m", "exact", "1500000", "1500000", None),
    ("1.5M", "exact", "1500000", "1500000", None),
    ("2 mn", "exact", "2000000", "2000000", None),
    ("3.2 mln", "exact", "3200000", "3200000", None),
    ("2 bn", "exact", "2000000000", "2000000000", None),
    ("2.5 bln", "exact", "2500000000", "2500000000", None),
    ("1.1 billion", "exact", "1100000000", "1100000000", None),
    ("3 trillion", "exact", "3000000000000", "3000000000000", None),
    ("1.2 tn", "exact", "1200000000000", "1200000000000", None),
    ("5 hundred", "exact", "500", "500", None),
    ("2 dozen", "exact", "24", "24", None),
    ("1.2345 thousand", "exact", "1234.5", "1234.5", None),
    ("4.1 million", "exact", "4100000", "4100000", None),
    ("0.5 million", "exact", "500000", "500000", None),
    ("7.25 million", "exact", "7250000", "7250000", None),
    # currencies and percentages (units from the text)
    ("$2,000", "exact", "2000", "2000", "USD"),
    ("$2,000 a month", "exact", "2000", "2000", "USD"),
    ("$2,000 per month", "exact", "2000", "2000", "USD"),
    ("$7mn", "exact", "7000000", "7000000", "USD"),
    ("$7 million", "exact", "7000000", "7000000", "USD"),
    ("US$7 million", "exact", "7000000", "7000000", "USD"),
    ("USD 7 million", "exact", "7000000", "7000000", "USD"),
    ("7 million USD", "exact", "7000000", "7000000", "USD"),
    ("7 million dollars", "exact", "7000000", "7000000", "USD"),
    ("$1.5bn", "exact", "1500000000", "1500000000", "USD"),
    ("€1.5 bn", "exact", "1500000000", "1500000000", "EUR"),
    ("€1.5bn", "exact", "1500000000", "1500000000", "EUR"),
    ("EUR 50 million", "exact", "50000000", "50000000", "EUR"),
    ("50 million euros", "exact", "50000000", "50000000", "EUR"),
    ("£300m", "exact", "300000000", "300000000", "GBP"),
    ("GBP 2.3 billion", "exact", "2300000000", "2300000000", "GBP"),
    ("33.5 per cent", "exact", "33.5", "33.5", "%"),
    ("33.5%", "exact", "33.5", "33.5", "%"),
    ("33.5 percent", "exact", "33.5", "33.5", "%"),
    ("33.5 %", "exact", "33.5", "33.5", "%"),
    ("2.125%", "exact", "2.125", "2.125", "%"),
    ("about 40 per cent", "approximate", "40", "40", "%"),
    ("nearly 90% of the population", "approximate", "90", "90", "%"),
    ("at least $200 million", "lower bound", "200000000", None, "USD"),
    ("more than 50 per cent", "lower bound", "50", None, "%"),
    ("up to 80%", "upper bound", None, "80", "%"),
    ("as much as $7mn", "upper bound", None, "7000000", "USD"),
    # ranges
    ("10,000 to 12,000", "range", "10000", "12000", None),
    ("10,000–12,000", "range", "10000", "12000", None),
    ("10,000—12,000", "range", "10000", "12000", None),
    ("10,000 — 12,000", "range", "10000", "12000", None),
    ("10,000-12,000", "range", "10000", "12000", None),
    ("10,000 - 12,000", "range", "10000", "12000", None),
    ("between 10,000 and 12,000", "range", "10000", "12000", None),
    ("Between 10,000 and 12,000 troops", "range", "10000", "12000", None),
    ("between 10,000 to 12,000", "range", "10000", "12000", None),
    ("from 10,000 to 12,000", "range", "10000", "12000", None),
    ("between 4 and 5 thousand", "range", "4000", "5000", None),
    ("10 to 12 thousand", "range", "10000", "12000", None),
    ("1.2–1.5 million", "range", "1200000", "1500000", None),
    ("1.2 to 1.5 million", "range", "1200000", "1500000", None),
    ("between 1.2 and 1.5 million", "range", "1200000", "1500000", None),
    ("3 million to 4 million", "range", "3000000", "4000000", None),
    ("500,000 to 1 million", "range", "500000", "1000000", None),
    ("2 or 3 thousand", "range", "2000", "3000", None),
    ("2 to 3 dozen", "range", "24", "36", None),
    ("15 to 30,000", "range", "15000", "30000", None),
    ("15–30,000", "range", "15000", "30000", None),
    ("between 15 and 30,000", "range", "15000", "30000", None),
    ("150 to 300,000", "range", "150000", "300000", None),
    ("800 to 1,200", "range", "800", "1200", None),
    ("100 to 1,000", "range", "100", "1000", None),
    ("5 to 10", "range", "5", "10", None),
    ("5 to 5", "range", "5", "5", None),
    ("$5–7 million", "range", "5000000", "7000000", "USD"),
    ("$5 million to $7 million", "range", "5000000", "7000000", "USD"),
    ("30–35%", "range", "30", "35", "%"),
    ("30% to 35%", "range", "30", "35", "%"),
    ("€1–1.5 bn", "range", "1000000000", "1500000000", "EUR"),
    ("about 10,000 to 12,000", "≈range", "10000", "12000", None),
    ("roughly 1.2–1.5 million", "≈range", "1200000", "1500000", None),
    ("10,000 to 12,000 or so", "≈range", "10000", "12000", None),
    # open ends
    ("more than 3,000", "lower bound", "3000", None, None),
    ("More than 3,000", "lower bound", "3000", None, None),
    ("over 9,000", "lower bound", "9000", None, None),
    ("Over 9,000", "lower bound", "9000", None, None),
    ("over 4.1 million", "lower bound", "4100000", None, None),
    ("well over 1,000", "lower bound", "1000", None, None),
    ("just over 500", "lower bound", "500", None, None),
    ("at least 100", "lower bound", "100", None, None),
    ("at least 1.5 million", "lower bound", "1500000", None, None),
    ("in excess of 5,000", "lower bound", "5000", None, None),
    ("upwards of 10,000", "lower bound", "10000", None, None),
    ("above 2,000", "lower bound", "2000", None, None),
    ("exceeding 6 million", "lower bound", "6000000", None, None),
    ("no fewer than 200", "lower bound", "200", None, None),
    ("no less than 70 per cent", "lower bound", "70", None, "%"),
    ("a minimum of 35", "lower bound", "35", None, None),
    ("> 1,000", "lower bound", "1000", None, None),
    ("≥ 3,000", "lower bound", "3000", None, None),
    ("10,000+", "lower bound", "10000", None, None),
    ("10k+", "lower bound", "10000", None, None),
    ("10,000 plus", "lower bound", "10000", None, None),
    ("10,000 or more", "lower bound", "10000", None, None),
    ("20,000 and above", "lower bound", "20000", None, None),
    ("300 at least", "lower bound", "300", None, None),
    ("about 300 or more", "lower bound", "300", None, None),
    ("at least 10,000+", "lower bound", "10000", None, None),
    ("4,000–10,000+", "range+", "4000", "10000", None),
    ("4,000 to 10,000+", "range+", "4000", "10000", None),
    ("4,000 to 10,000 or more", "range+", "4000", "10000", None),
    # upper bounds
    ("up to 4,000", "upper bound", None, "4000", None),
    ("Up to 4,000", "upper bound", None, "4000", None),
    ("as many as 150,000", "upper bound", None, "150000", None),
    ("fewer than 50", "upper bound", None, "50", None),
    ("less than 10", "upper bound", None, "10", None),
    ("no more than 500", "upper bound", None, "500", None),
    ("not more than 500", "upper bound", None, "500", None),
    ("at most 300", "upper bound", None, "300", None),
    ("300 at most", "upper bound", None, "300", None),
    ("300, at most", "upper bound", None, "300", None),
    ("20,000 or fewer", "upper bound", None, "20000", None),
    ("20,000 or less", "upper bound", None, "20000", None),
    ("under 1,000", "upper bound", None, "1000", None),
    ("just under 1,000", "upper bound", None, "1000", None),
    ("below 5 per cent", "upper bound", None, "5", "%"),
    ("a maximum of 600", "upper bound", None, "600", None),
    ("< 100", "upper bound", None, "100", None),
    ("≤ 4,000", "upper bound", None, "4000", None),
    ("up to 300 or so", "upper bound", None, "300", None),
    # high-end figures
    ("could reach 4,000", "high end", None, "4000", None),
    ("may reach 10,000", "high end", None, "10000", None),
    ("as high as 1.1 million", "high end", None, "1100000", None),
    ("could be as high as 30,000", "high end", None, "30000", None),
    ("could be as many as 25,000", "high end", None, "25000", None),
    ("possibly as many as 40,000", "high end", None, "40000", None),
    ("could rise to 2 million", "high end", None, "2000000", None),
    ("4,000 (high end)", "high end", None, "4000", None),
    # whitespace
    ("  between\n 10,000   and\t12,000 ", "range", "10000", "12000", None),
]

REFUSED = [
    # (text, words the message must hold)
    ("tens of thousands", ["states no number", "in digits"]),
    ("hundreds", ["states no number"]),
    ("thousands", ["states no number"]),
    ("hundreds of thousands", ["states no number"]),
    ("dozens", ["states no number"]),
    ("several thousand", ["states no number"]),
    ("many", ["states no number"]),
    ("five thousand", ["in digits", "5,000"]),
    ("a dozen", ["in digits"]),
    ("half a million", ["in digits"]),
    ("", ["cannot read a number"]),
    ("between 5 and", ["cannot read a number"]),
    ("-5", ["negative"]),
    ("−5%", ["negative"]),
    ("over 1e9", ["scientific notation", "1 billion"]),
    ("1.5e6", ["scientific notation"]),
    ("up to 4,000+", ["contradicts itself", "up to 4,000", "at least 4,000"]),
    ("up to 4,000 or more", ["contradicts itself"]),
    ("more than 300 at most", ["contradicts itself"]),
    ("could reach 4,000+", ["contradicts itself"]),
    ("about 12.000", ["12.000", "could be read two ways", "12,000", "number_locale"]),
    ("12.000", ["could be read two ways", "number_locale"]),
    ("12,5", ["decimal mark", "12.5", "number_locale"]),
    ("1,2 Mio.", ["decimal mark", "number_locale"]),
    ("3 Mio.", ["scale word", "million", "number_locale"]),
    ("12.000.000", ["number_locale"]),
    ("1.234,5", ["number_locale"]),
    ("12 000", ["spaces", "12,000", "number_locale"]),
    ("1,00,000", ["not grouped in thousands"]),
    ("300 dead and 2,700 wounded", ["more than one number", "two rows"]),
    ("about 300 in 2024", ["more than one number"]),
    ("12,000 to 10,000", ["runs backwards", "lower number first"]),
    ("1.5 million to 1 million", ["runs backwards"]),
    ("800 to 1.2 million", ["ambiguous", "800,000"]),
    ("up to 10,000–12,000", ["bound's words", "range alone"]),
    ("more than 4 to 5 million", ["bound's words"]),
    ("4,000+ to 10,000", ["lower end of a range"]),
    ("5% to $7", ["different units"]),
    ("300 or so, at most", ["twice"]),
    ("2,000,000,000,000,000", ["larger than any estimate"]),
    ("by January", ["cannot read a number"]),
]


def _kind(parsed: Reading) -> str:
    if parsed.qualifier == "range" and parsed.open_high:
        return "range+"
    if parsed.qualifier == "range" and parsed.approx:
        return "≈range"
    return parsed.qualifier


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_the_table_is_large_enough() -> None:
    assert len(PHRASINGS) >= 150
    assert len({text for text, *_ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(("text", "kind", "low", "high", "unit"), PHRASINGS)
def test_phrasing(
    text: str, kind: str, low: str | None, high: str | None, unit: str | None
) -> None:
    parsed = parse_estimate(text)
    assert (_kind(parsed), parsed.low, parsed.high, parsed.unit) == (
        kind,
        _dec(low),
        _dec(high),
        unit,
    )
    for value in (parsed.low, parsed.high):
        assert value is None or isinstance(value, Decimal)


@pytest.mark.parametrize(("text", "words"), REFUSED)
def test_refused_with_how_to_write_it(text: str, words: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        parse_estimate(text)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("text", ["many", "dozens", "five thousand", "", "between 5 and"])
def test_unreadable_estimate_says_what_to_write(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_estimate(text)
    message = str(info.value)
    assert f"cannot read a number from {text!r}" in message
    assert "'about 11,000'" in message
    assert "'10,000 to 12,000'" in message
    assert "low: and high:" in message


# --- the examples of issue 14, read right -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("15 to 30,000", "15,000–30,000"),
        ("4,000–10,000+", "4,000–10,000+"),
        ("10,000 or more", "≥ 10,000"),
        ("over 4.1 million", "> 4,100,000"),
        ("as many as 150,000", "≤ 150,000"),
        ("33.5 per cent", "33.5%"),
        ("could reach 4,000", "4,000 (high end)"),
        ("5 hundred", "500"),
        ("3 trillion", "3,000,000,000,000"),
        ("$7mn", "$7,000,000"),
        ("2 to 3 dozen", "24–36"),
        ("300 at most", "≤ 300"),
        ("20,000 or fewer", "≤ 20,000"),
        ("about 11,000", "≈ 11,000"),
        ("11,000", "11,000"),
        ("10,000 to 12,000", "10,000–12,000"),
        ("about 10,000 to 12,000", "≈ 10,000–12,000"),
        ("more than 3,000", "> 3,000"),
        ("up to 4,000", "≤ 4,000"),
        ("1.5 million", "1,500,000"),
        ("€1.5 bn", "€1,500,000,000"),
        ("at least $200 million", "≥ $200,000,000"),
        ("30–35%", "30–35%"),
        ("$5–7 million", "$5,000,000–7,000,000"),
        ("33.50%", "33.50%"),
    ],
)
def test_reading(text: str, shown: str) -> None:
    assert reading(parse_estimate(text)) == shown


def test_reading_of_explicit_bounds() -> None:
    assert reading(ParsedEstimate(Decimal("2.5"), Decimal(7), "given")) == "2.5–7"
    assert reading(ParsedEstimate(Decimal(7), Decimal(7), "given")) == "7"
    assert reading(ParsedEstimate(None, Decimal(7), "given")) == "≤ 7"
    assert reading(ParsedEstimate(Decimal(7), None, "given")) == "≥ 7"


def test_open_ends_are_kept() -> None:
    open_range = parse_estimate("4,000–10,000+")
    assert (open_range.floor, open_range.ceiling) == (4000, None)
    assert (parse_estimate("10,000 or more").floor, parse_estimate("10,000 or more").ceiling) == (
        10000,
        None,
    )


def test_a_high_end_figure_is_neither_a_floor_nor_a_cap() -> None:
    high_end = parse_estimate("could reach 4,000")
    assert (high_end.floor, high_end.ceiling, high_end.high) == (None, None, 4000)
    assert high_end.kind == "high end"
    assert parse_estimate("up to 4,000").ceiling == 4000


def test_whitespace_and_line_breaks_are_folded() -> None:
    assert parse_estimate("  between\n 10,000   and\t12,000 ") == Reading(
        Decimal(10000), Decimal(12000), "range"
    )


# --- number styles --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "low", "high"),
    [
        ("about 12.000", "de", "12000", "12000"),
        ("12,5", "de", "12.5", "12.5"),
        ("1,2 Mio.", "de", "1200000", "1200000"),
        ("3,5 Mrd.", "de", "3500000000", "3500000000"),
        ("12 Tsd.", "de", "12000", "12000"),
        ("1.234,5", "de", "1234.5", "1234.5"),
        ("10.000 bis 12.000".replace(" bis ", "–"), "de", "10000", "12000"),
        ("mehr als 3.000".replace("mehr als", "more than"), "de", "3000", None),
        ("33,5 %", "de", "33.5", "33.5"),
        ("12 000", "fr", "12000", "12000"),
        ("12\u202f000", "fr", "12000", "12000"),
        ("12,5", "fr", "12.5", "12.5"),
        ("2,5 milliards", "fr", "2500000000", "2500000000"),
        ("about 12,000", "en", "12000", "12000"),
    ],
)
def test_a_declared_number_style_is_read_by_it(
    text: str, locale: str, low: str, high: str | None
) -> None:
    parsed = parse_estimate(text, locale)
    assert (parsed.low, parsed.high) == (_dec(low), _dec(high))


@pytest.mark.parametrize(
    ("text", "locale", "words"),
    [
        ("12,000", "de", ["could be read two ways", "12.000"]),
        ("1,234.5", "de", ["12.000"]),
        ("1.5 million", "de", ["12,5"]),
        ("12.000", "fr", ["12 000"]),
        ("12,000", "fr", ["could be read two ways"]),
    ],
)
def test_the_other_style_is_refused_in_a_declared_one(
    text: str, locale: str, words: list[str]
) -> None:
    with pytest.raises(ValueError) as info:
        parse_estimate(text, locale)
    for word in words:
        assert word in str(info.value)


# --- numbers and their printing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("11,000", "11000"),
        ("$2,000", "2000"),
        ("$ 5", "5"),
        ("1.5 million", "1500000"),
        ("2 bn", "2000000000"),
        ("4.1 million", "4100000"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


def test_parse_number_refuses_words() -> None:
    with pytest.raises(ValueError, match="cannot read a number from 'lots'"):
        parse_number("lots")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(11000), "11,000"),
        (Decimal("2.5"), "2.5"),
        (Decimal("1.5E+6"), "1,500,000"),
        (Decimal(0), "0"),
        (Decimal("-0"), "0"),
        (1500000.0, "1,500,000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (4100000, "4,100,000"),
    ],
)
def test_format_number(value: Decimal | float | int, text: str) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("parsed", "midpoint"),
    [
        (Reading(Decimal(10000), Decimal(12000), "range"), 11000),
        (Reading(Decimal(3000), None, "lower bound"), 3000),
        (Reading(None, Decimal(4000), "upper bound"), 4000),
        (Reading(Decimal(300), Decimal(300), "approximate"), 300),
    ],
)
def test_midpoint(parsed: Reading, midpoint: int) -> None:
    assert parsed.midpoint == midpoint


# --- properties -------------------------------------------------------------------------

_SCALE_WORDS = {
    "": 1,
    " thousand": 10**3,
    "k": 10**3,
    " million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    " billion": 10**9,
    "bn": 10**9,
    " hundred": 100,
    " dozen": 12,
}
_PREFIXES = ["", "about ", "more than ", "up to ", "could reach ", "at least ", "nearly "]
_SUFFIXES = ["", " or more", " or so", " at most", " or fewer", "+"]

decimals = st.decimals(
    min_value=0, max_value=999_999, places=3, allow_nan=False, allow_infinity=False
)


def _english(value: Decimal) -> str:
    """How an English report writes the number: grouped, its decimals as given."""
    return f"{value:,f}"


def _read_back(shown: str) -> Reading | None:
    """The printed reading, read again; None for the one form English cannot hold
    unambiguously (`0.084 dozen` is 1.008, which reads as 1,008 in German style):
    refused, never misread."""
    try:
        return parse_estimate(shown)
    except ValueError as error:
        assert "could be read two ways" in str(error)
        assert re.search(r"(?<![\d,])\d{1,3}\.\d{3}(?!\d)", shown)
        return None


def _no_float_artefact(shown: str, written: str) -> None:
    for run in ("99999", "00000000001"):
        assert run not in shown or run in written.replace(",", "")


@given(decimals, st.sampled_from(sorted(_SCALE_WORDS)), st.sampled_from(_PREFIXES))
def test_a_number_reads_exactly(value: Decimal, scale: str, prefix: str) -> None:
    text = f"{prefix}{_english(value)}{scale}"
    try:
        parsed = parse_estimate(text)
    except ValueError as error:  # only the English `12.000`, which could be read two ways
        assert "could be read two ways" in str(error)
        return
    expected = value * _SCALE_WORDS[scale]
    assert expected in (parsed.low, parsed.high)
    shown = reading(parsed)
    _no_float_artefact(shown, text)
    again = _read_back(shown)
    if again is None:
        return
    assert (again.low, again.high, again.unit) == (parsed.low, parsed.high, parsed.unit)
    assert reading(again) == shown  # formatting is idempotent


@given(decimals, decimals, st.sampled_from(["", " million", "%", " thousand"]))
def test_a_range_never_runs_backwards(a: Decimal, b: Decimal, scale: str) -> None:
    text = f"{_english(a)} to {_english(b)}{scale}"
    try:
        parsed = parse_estimate(text)
    except ValueError:
        return
    assert parsed.low is not None and parsed.high is not None
    assert parsed.low <= parsed.high
    shown = reading(parsed)
    again = _read_back(shown)
    if again is not None and not _rescaled_by_convention(parsed):
        assert again.low == parsed.low
        assert reading(again) == shown


def _rescaled_by_convention(parsed: Reading) -> bool:
    """A printed `2–3,000` reads back as 2,000–3,000 (`15 to 30,000` means 15,000–30,000,
    as analysts write it): a low end under 1,000 below a high end of thousands, which
    only a scale word on a fraction (`0.002 to 3 thousand`) produces, cannot round-trip."""
    low, high = parsed.low, parsed.high
    return low is not None and high is not None and low < 1000 <= high and low == int(low)


_PIECES = st.sampled_from(
    [
        "1", "12", "300", "4,000", "1.5", "12.000", "12,5", " ", "to", "–", "-", "+", "k",
        " million", "bn", " dozen", "about ", "up to ", "more than ", "or more", " at most",
        "between ", " and ", "$", "€", "%", " per cent", "e9", "could reach ", "or so", "0",
        ".", ",", "thousands", " hundred",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=8).map("".join), st.sampled_from(["en", "de", "fr"]))
def test_any_text_is_read_or_refused_never_wrong_in_kind(text: str, locale: str) -> None:
    try:
        parsed = parse_estimate(text, locale)
    except ValueError as error:
        assert str(error)
        return
    for value in (parsed.low, parsed.high):
        assert value is None or (isinstance(value, Decimal) and value >= 0)
    if parsed.low is not None and parsed.high is not None:
        assert parsed.low <= parsed.high
    shown = reading(parsed)
    assert re.fullmatch(r"[≈≥≤<> $€£\d,.–+%]*(?: \(high end\))?", shown), shown
    again = _read_back(shown)
    assert again is None or (again.low, again.high, again.unit, again.open_high) == (
        parsed.low,
        parsed.high,
        parsed.unit,
        parsed.open_high,
    )


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("1.2–1.5 million", "1,200,000–1,500,000"),
        ("between 1.2 and 1.5 million", "1,200,000–1,500,000"),
        ("roughly 1.2–1.5 million", "≈ 1,200,000–1,500,000"),
        ("0.5 to 1.25 million", "500,000–1,250,000"),
    ],
)
def test_a_scale_shared_by_both_ends_prints_whole_numbers(text: str, printed: str) -> None:
    """The low end takes the high end's scale exactly: 1,200,000, never 1,200,000.0."""
    from briefgen.estimates import reading as format_reading

    assert format_reading(parse_estimate(text)) == printed


@pytest.mark.parametrize(
    ("text", "shown", "strict"),
    [
        ("more than 3,000", "> 3,000", True),
        ("over 3,000", "> 3,000", True),
        ("well over 3,000", "> 3,000", True),
        ("at least 3,000", "≥ 3,000", False),
        ("3,000 or more", "≥ 3,000", False),
        ("3,000+", "≥ 3,000", False),
        ("fewer than 20,000", "< 20,000", True),
        ("under 5%", "< 5%", True),
        ("up to 4,000", "≤ 4,000", False),
        ("no more than 300", "≤ 300", False),
    ],
)
def test_a_bound_says_whether_it_includes_its_figure(text: str, shown: str, strict: bool) -> None:
    """`more than 3,000` excludes 3,000 and prints `>`; `at least 3,000` prints `≥`: a mark
    the brief prints must be true."""
    parsed = parse_estimate(text)
    assert (reading(parsed), parsed.strict) == (shown, strict)
    assert reading(parse_estimate(shown)) == shown  # the printed form reads back to itself
